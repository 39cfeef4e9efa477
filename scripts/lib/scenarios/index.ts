/** The scenario catalogue, in the order `all` runs and reports them. */
import { gasSpike, sandwich, thinLiquidity } from "./executionScenarios.js";
import { expiry, governanceChange, keeperRestart, twoKeepers } from "./operationsScenarios.js";
import { oracleDexDivergence, staleOracle } from "./oracleScenarios.js";
import { chop, crash, rally, volSpike } from "./priceScenarios.js";
import { privateSend } from "./privateSendScenario.js";
import type { Scenario } from "./types.js";

export const SCENARIOS: readonly Scenario[] = [
  crash,
  rally,
  chop,
  volSpike,
  staleOracle,
  oracleDexDivergence,
  thinLiquidity,
  sandwich,
  privateSend,
  gasSpike,
  keeperRestart,
  twoKeepers,
  expiry,
  governanceChange,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export { openSession, type ScenarioSession } from "./runner.js";
export { defaultProfile, forkProfile, PROFILES, replicaProfile, type ChainProfile } from "./profile.js";
export { formatChecks, formatResultLine, formatTable, failureSummary } from "./report.js";
export type { Scenario, ScenarioResult } from "./types.js";
