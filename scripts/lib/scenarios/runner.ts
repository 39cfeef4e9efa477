/**
 * Runs scenarios on one chain profile: the chain and its market are set up once, and every scenario starts from that
 * snapshot, builds its own world, runs against the real keeper, and is measured from the chain afterwards.
 */
import { explainError } from "../governance/revert.js";
import { wadToNumber } from "../../../keeper/units.js";
import type { World } from "../market/world.js";
import { createContext, type ContextHandle } from "./context.js";
import { summarizeTrades } from "./ledger.js";
import type { ChainProfile, OpenChain } from "./profile.js";
import type { Scenario, ScenarioResult, TradeSummary } from "./types.js";
import { buildScenarioWorld } from "./world.js";

export interface ScenarioSession {
  profile: ChainProfile;
  run(scenario: Scenario, options: { seed: number }): Promise<ScenarioResult>;
  close(): Promise<void>;
}

const ANSWER_TO_WAD = 10n ** 10n;

/** |net delta| at the feed's answer and the band, ETH, at the end of a scenario. */
async function finalDelta(world: World): Promise<{ absDeltaEth: number; bandEth: number }> {
  const [, answer] = (await world.market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
  const delta = wadToNumber(await world.stack.vault.netDeltaAtWad(answer * ANSWER_TO_WAD));
  return { absDeltaEth: Math.abs(delta), bandEth: wadToNumber((await world.stack.adapter.bandWad())[0]) };
}

function messageOf(error: unknown): string {
  if (error instanceof Error && (error.name === "PremiseError" || error.name === "AssertionError")) {
    return error.message;
  }
  return explainError(error);
}

/** Opens `profile`'s chain (fails when the profile is unavailable: callers check `unavailableReason` first). */
export async function openSession(profile: ChainProfile): Promise<ScenarioSession> {
  const chain: OpenChain = await profile.open();
  const base = await chain.helpers.takeSnapshot();

  async function run(scenario: Scenario, { seed }: { seed: number }): Promise<ScenarioResult> {
    const started = performance.now();
    const result: ScenarioResult = {
      name: scenario.name,
      profile: profile.name,
      seed,
      status: "fail",
      reason: null,
      checks: [],
      notes: [],
      trades: null,
      finalAbsDeltaEth: null,
      bandEth: null,
      durationMs: 0,
    };
    const missing = (scenario.needs ?? []).filter((c) => !profile.capabilities.has(c));
    if (missing.length > 0) {
      result.status = "skip";
      result.reason = missing.map((c) => `needs ${c}: ${profile.lacks(c)}`).join("; ");
      return result;
    }

    await base.restore();
    await chain.request({ method: "evm_setAutomine", params: [true] } as never);
    let world: World | null = null;
    let handle: ContextHandle | null = null;
    let fromBlock = 0;
    try {
      world = await buildScenarioWorld(chain.ethers, chain.market, seed, scenario.world);
      fromBlock = (await chain.helpers.time.latestBlock()) + 1;
      handle = createContext({ profile: profile.name, seed, world, chain });
      await scenario.run(handle.ctx);
    } catch (error) {
      result.reason = messageOf(error);
    } finally {
      await handle?.close();
      await chain.request({ method: "evm_setAutomine", params: [true] } as never);
    }

    if (world !== null && handle !== null) {
      result.checks = handle.checks;
      result.notes = handle.notes;
      try {
        const trades: TradeSummary = await summarizeTrades(world, fromBlock, handle.keeperTxHashes);
        const { absDeltaEth, bandEth } = await finalDelta(world);
        Object.assign(result, { trades, finalAbsDeltaEth: absDeltaEth, bandEth });
      } catch (error) {
        result.reason ??= `measuring the outcome failed: ${messageOf(error)}`;
      }
    }
    const failed = result.checks.some((c) => !c.ok);
    result.status = result.reason === null && !failed && result.checks.length > 0 ? "pass" : "fail";
    if (result.status === "fail" && result.reason === null && result.checks.length === 0) {
      result.reason = "the scenario asserted nothing";
    }
    result.durationMs = performance.now() - started;
    return result;
  }

  return { profile, run, close: () => chain.close() };
}
