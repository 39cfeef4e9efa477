/** Human formatting of the governance CLI's output. */
import { formatEther } from "ethers";
import {
  BLOCK_TIME_SEC,
  PARAM_NAMES,
  profileMismatches,
  type GovernanceProfileName,
  type GovernanceSettings,
  type ParamName,
} from "./governance.js";
import type { ReplayStats } from "./policyReplay.js";
import type { SimulationResult } from "./proposalSimulation.js";

/** `10.0 (10000000000000000000 wad)`, `60 s`, `30 bps`: the unit is the suffix of the name. */
export function formatParam(name: ParamName, value: bigint | number): string {
  if (name.endsWith("Wad")) return `${formatEther(BigInt(value))} (${value} wad)`;
  if (name.endsWith("Sec")) return `${value} s`;
  return `${value} bps`;
}

/** ISO time and unix seconds of an eta, or a dash. */
export function formatEta(etaSec: bigint | null): string {
  return etaSec === null ? "—" : `${new Date(Number(etaSec) * 1000).toISOString()} (${etaSec})`;
}

/** Left-aligned columns, three spaces apart. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join("   ")
      .trimEnd(),
  );
}

/** `gov simulate`'s side-by-side table: parameters (changed ones starred), then the replay statistics. */
export function comparisonTable(result: SimulationResult): string[] {
  const rows: string[][] = [["", "current", "proposed"]];
  for (const name of PARAM_NAMES) {
    const marker = result.current[name] === result.proposed[name] ? "" : " *";
    rows.push([name, formatParam(name, result.current[name]), formatParam(name, result.proposed[name]) + marker]);
  }
  const stat = (label: string, pick: (s: ReplayStats) => number, digits = 0) =>
    rows.push([label, pick(result.currentStats).toFixed(digits), pick(result.proposedStats).toFixed(digits)]);
  rows.push(["", "", ""]);
  stat("hedges", (s) => s.hedgeCount);
  stat("swaps (legs)", (s) => s.legCount);
  stat("traded ETH", (s) => s.tradedEth, 2);
  stat("total cost USD", (s) => s.totalCostUsd, 2);
  stat("mean |delta error| ETH", (s) => s.meanAbsDeltaEth, 3);
  stat("max |delta error| ETH", (s) => s.maxAbsDeltaEth, 3);
  return table(rows);
}

/** `2.0 days`, `1.0 h`, `600 s`: a duration in its largest whole-ish unit. */
export function formatDuration(seconds: number): string {
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${seconds} s`;
}

/** `gov status`'s governance block: the deployment's profile, what the chain enforces, and any difference. */
export function governanceSummary(profile: GovernanceProfileName, settings: GovernanceSettings): string[] {
  const blocks = (n: number) => `${n} blocks (~${formatDuration(n * BLOCK_TIME_SEC)})`;
  const thresholdPct = Number((settings.proposalThresholdWad * 1_000_000n) / (settings.totalSupplyWad || 1n)) / 10_000;
  const mismatches = profileMismatches(profile, settings);
  return [
    `governance profile: ${profile}${profile === "development" ? " (short periods for local runs; not for real funds)" : ""}`,
    `  voting delay        ${blocks(settings.votingDelay)}`,
    `  voting period       ${blocks(settings.votingPeriod)}`,
    `  late-quorum ext.    ${blocks(settings.lateQuorumVoteExtension)}`,
    `  quorum              ${settings.quorumPercent}% of the supply`,
    `  proposal threshold  ${formatEther(settings.proposalThresholdWad)} votes (${thresholdPct}% of the supply)`,
    `  timelock delay      ${formatDuration(settings.timelockDelaySec)}`,
    `  sensitive delay     ${formatDuration(settings.sensitiveDelaySec)} (withdrawals, role grants, delay and governor changes)`,
    ...(mismatches.length === 0
      ? []
      : [`  differs from the ${profile} profile (changed by a proposal?): ${mismatches.join("; ")}`]),
  ];
}
