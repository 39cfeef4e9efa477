/** Steps and readings shared by several scenario definitions. */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { CycleReport } from "../../../keeper/keeper.js";
import { numberToWad } from "../../../keeper/units.js";
import { decodeRevert, revertDataOf } from "../governance/revert.js";
import type { World } from "../market/world.js";
import type { ScenarioContext } from "./types.js";

const ANSWER_TO_WAD = 10n ** 10n;
const USDC_TO_WAD = 10n ** 12n;

/** Hedges that went through among `reports`. */
export function succeeded(reports: readonly CycleReport[]): CycleReport[] {
  return reports.filter((r) => r.outcome?.kind === "succeeded");
}

/** Hedges the keeper decided that did not go through (rejected, reverted, deferred, dropped or still pending). */
export function failedHedges(reports: readonly CycleReport[]): CycleReport[] {
  return reports.filter((r) => r.decision.kind === "hedge" && r.outcome?.kind !== "succeeded");
}

export function describeOutcome(report: CycleReport): string {
  const o = report.outcome;
  if (o === null) return `${report.decision.kind} (${"reason" in report.decision ? report.decision.reason : ""})`;
  if (o.kind === "rejected" || o.kind === "reverted") return `${o.kind}: ${o.error}`;
  if (o.kind === "deferred" || o.kind === "dropped") return `${o.kind}: ${o.reason}`;
  return o.kind;
}

/** The gate reasons a report held on (empty when it did not hold on a gate). */
export function gatesOf(report: CycleReport): string[] {
  return report.decision.kind === "hold" && report.decision.reason === "gate"
    ? report.decision.gates.map((g) => g.reason)
    : [];
}

export const fmt = (value: number, digits = 2) => value.toFixed(digits);

/** `steps` prices from `from` (excluded) to `to` (included), equal ratios apart. */
export function geometricPath(from: number, to: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => from * (to / from) ** ((i + 1) / steps));
}

/**
 * The name of the error `call` reverts with (a custom error of the stack, or a reason string), or null when it does
 * not revert.
 */
export async function revertNameOf(call: () => Promise<unknown>): Promise<string | null> {
  try {
    await call();
    return null;
  } catch (error) {
    const data = revertDataOf(error);
    const decoded = data === null ? null : decodeRevert(data);
    if (decoded !== null) return decoded.name === "Error" ? String(decoded.args[0]) : decoded.name;
    return (error as { reason?: string; shortMessage?: string }).reason ?? String(error);
  }
}

/**
 * Calls `adapter.rebalance` as `keeper` (simulated, nothing is sent) with a request for `wethEth` of WETH on `side`
 * at the feed's answer, and returns the revert's name (null when it would go through).
 */
export async function directRebalanceRevert(
  world: World,
  keeper: HardhatEthersSigner,
  side: "buyWeth" | "sellWeth",
  wethEth: number,
  minAmountOut = 0n,
): Promise<string | null> {
  const { adapter } = world.stack;
  const [, answer] = (await world.market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
  const wethWad = numberToWad(wethEth);
  const buyWeth = side === "buyWeth";
  const latest = await world.ethers.provider.getBlock("latest");
  const request = {
    buyWeth,
    amountIn: buyWeth ? (wethWad * answer * ANSWER_TO_WAD) / (10n ** 18n * USDC_TO_WAD) : wethWad,
    minAmountOut,
    deadline: BigInt(latest!.timestamp + 300),
    expectedNonce: await adapter.hedgeNonce(),
  };
  return revertNameOf(() => adapter.connect(keeper).rebalance.staticCall(request));
}

/** The side that brings `netDeltaEth` toward zero. */
export const reducingSide = (netDeltaEth: number): "buyWeth" | "sellWeth" => (netDeltaEth < 0 ? "buyWeth" : "sellWeth");

/** Mainnet's block time: price steps are this far apart, so the pool's TWAP lags the feed as it does on mainnet. */
export const BLOCK_TIME_SEC = 12;

/** One block time later, moves the market (feed + arbitrage) to `priceUsd`; the keeper acts until it holds. */
export async function moveAndSettle(
  ctx: ScenarioContext,
  keeper: Parameters<ScenarioContext["settle"]>[0],
  priceUsd: number,
  maxCycles = 4,
) {
  await ctx.chain.elapse(BLOCK_TIME_SEC);
  await ctx.world.driver.setPrice(priceUsd);
  return ctx.settle(keeper, maxCycles);
}

/**
 * A sudden move: the feed and the pool jump to `priceUsd`, and the keeper looks once the pool's TWAP window has
 * passed (before that, its deviation gate holds the hedge back: see oracle-dex-divergence).
 */
export async function jumpTo(ctx: ScenarioContext, priceUsd: number): Promise<void> {
  await ctx.chain.elapse(BLOCK_TIME_SEC);
  await ctx.world.driver.setPrice(priceUsd);
  await ctx.chain.increaseTime(ctx.world.params.twapWindowSec + BLOCK_TIME_SEC);
}
