/**
 * Replays the keeper's hedge policy over a price path: what a set of governance parameters would have done to the
 * vault's net delta, and what it would have cost. Pure (no RPC, no clock): `gov simulate`, the tests and the bench
 * call it with the current and the proposed parameters and compare.
 *
 * Model: at each observation the book is valued at the path's price and time (`evaluateBook`), net delta = options
 * delta + spot hedge (ETH), and `decide` is asked what to do with the state it returned last time. A hedge fills at
 * once at the observed price (all legs, at the expected cost of the cost model) and moves the spot hedge by its size.
 * The spot hedge is not limited by the vault's collateral.
 */
import { seededRandom } from "../testing/random.js";
import { wadToNumber } from "../../../keeper/units.js";
import { allocateGreekArrays, evaluateBook, type Book } from "../../../keeper/risk/index.js";
import {
  decide,
  INITIAL_POLICY_STATE,
  type CostModel,
  type GovernanceParams,
  type PolicyConfig,
  type PolicyState,
} from "../../../keeper/policy/index.js";
import type { AdapterParams } from "../market/stack.js";

/** One observation of ETH/USD. */
export interface PricePoint {
  /** unix seconds */
  timeSec: number;
  /** USD per ETH (> 0) */
  priceUsd: number;
}

export interface ReplayInput {
  /** observations in increasing time order (at least one) */
  path: readonly PricePoint[];
  book: Book;
  /** WETH the vault holds at the start of the path (delta 1 each), ETH */
  initialHedgeEth: number;
  params: GovernanceParams;
  config: PolicyConfig;
  cost: CostModel;
  /** vol for the policy's risk terms; the book's |size|-weighted vol when omitted */
  volAnnual?: number;
}

export interface ReplayStats {
  observations: number;
  /** hedge decisions */
  hedgeCount: number;
  /** swap transactions (a hedge larger than maxTradeEth is split into legs) */
  legCount: number;
  tradedEth: number;
  /** gas + fee + price impact of every hedge, per the cost model, USD */
  totalCostUsd: number;
  /** mean of |net delta| found at each observation, before the keeper acts, ETH */
  meanAbsDeltaEth: number;
  /** largest |net delta| found at an observation, before the keeper acts, ETH */
  maxAbsDeltaEth: number;
  /** net delta after the last observation's decision, ETH */
  finalDeltaEth: number;
}

/** 0.05% pool fee, 2 USD of gas per swap, 0.1 bp of price impact per ETH traded in one go. */
export const DEFAULT_REPLAY_COST: CostModel = {
  gasCostUsd: 2,
  poolFeeBps: 5,
  slippageBps: (tradeEth) => 0.1 * tradeEth,
};

/** On-chain adapter parameters → the policy's human units; the band is the floor (a replay has no book to size it to). */
export function governanceParamsFromAdapter(params: AdapterParams): GovernanceParams {
  return {
    deltaBandEth: wadToNumber(params.deltaBandWad),
    maxTradeEth: wadToNumber(params.maxTradeWethWad),
    cooldownSec: Number(params.cooldownSec),
    maxSlippageBps: Number(params.maxSlippageBps),
  };
}

/** @throws RangeError prefixed with `where` for an empty path, a bad price or a time not after the previous one */
function checkPath(path: readonly PricePoint[], where: string): void {
  if (path.length === 0) throw new RangeError(`${where}: the price path is empty`);
  path.forEach((point, i) => {
    if (!(point.priceUsd > 0) || !Number.isFinite(point.priceUsd)) {
      throw new RangeError(`${where}: path[${i}].priceUsd must be a positive finite number, got ${point.priceUsd}`);
    }
    if (!Number.isFinite(point.timeSec) || (i > 0 && point.timeSec <= path[i - 1]!.timeSec)) {
      throw new RangeError(`${where}: path[${i}].timeSec must be finite and after path[${i - 1}]`);
    }
  });
}

/**
 * Runs `decide` at every observation of `path` and totals what it did.
 * @throws RangeError for an empty or unordered path, a bad price, or a policy input `decide` rejects
 */
export function replayPolicy(input: ReplayInput): ReplayStats {
  checkPath(input.path, "replayPolicy");
  const greeks = allocateGreekArrays(input.book.length);
  let hedgeEth = input.initialHedgeEth;
  let state: PolicyState = INITIAL_POLICY_STATE;
  const stats: ReplayStats = {
    observations: input.path.length,
    hedgeCount: 0,
    legCount: 0,
    tradedEth: 0,
    totalCostUsd: 0,
    meanAbsDeltaEth: 0,
    maxAbsDeltaEth: 0,
    finalDeltaEth: 0,
  };
  let sumAbsDelta = 0;
  for (const { timeSec, priceUsd } of input.path) {
    const risk = evaluateBook(input.book, priceUsd, timeSec, greeks);
    const netDeltaEth = risk.netOptionDeltaEth + hedgeEth;
    sumAbsDelta += Math.abs(netDeltaEth);
    stats.maxAbsDeltaEth = Math.max(stats.maxAbsDeltaEth, Math.abs(netDeltaEth));
    const decision = decide({
      netDeltaEth,
      netGammaPerUsd: risk.netGammaPerUsd,
      spotUsd: priceUsd,
      volAnnual: input.volAnnual ?? risk.weightedVol,
      nowSec: timeSec,
      params: input.params,
      config: input.config,
      cost: input.cost,
      state,
    });
    state = decision.nextState;
    stats.finalDeltaEth = netDeltaEth;
    if (decision.kind !== "hedge") continue;
    hedgeEth += decision.side === "buyWeth" ? decision.totalEth : -decision.totalEth;
    stats.finalDeltaEth = netDeltaEth + (decision.side === "buyWeth" ? decision.totalEth : -decision.totalEth);
    stats.hedgeCount += 1;
    stats.legCount += decision.legsEth.length;
    stats.tradedEth += decision.totalEth;
    stats.totalCostUsd += decision.expectedCostUsd;
  }
  stats.meanAbsDeltaEth = sumAbsDelta / input.path.length;
  return stats;
}

// ------------------------------------------------------------------ price paths

export interface GbmOptions {
  /** any integer; the same seed gives the same path */
  seed: number;
  startPriceUsd: number;
  startSec: number;
  /** annualised volatility (0.8 = 80%) */
  volAnnual: number;
  /** annualised drift; 0 by default */
  driftAnnual?: number;
  stepSec: number;
  /** observations after the start point */
  steps: number;
}

/**
 * A seeded geometric Brownian motion path of `steps + 1` points starting at (`startSec`, `startPriceUsd`):
 * S ← S · exp((μ − σ²/2)·dt + σ·√dt·Z), dt in years (365-day), Z standard normal (Box–Muller).
 */
export function gbmPath(options: GbmOptions): PricePoint[] {
  const { startPriceUsd, startSec, volAnnual, stepSec, steps } = options;
  if (!(startPriceUsd > 0)) throw new RangeError(`gbmPath: startPriceUsd must be positive, got ${startPriceUsd}`);
  if (!(volAnnual >= 0)) throw new RangeError(`gbmPath: volAnnual must be >= 0, got ${volAnnual}`);
  if (!(stepSec > 0)) throw new RangeError(`gbmPath: stepSec must be positive, got ${stepSec}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`gbmPath: steps must be an integer >= 0`);
  const random = seededRandom(options.seed);
  const dtYears = stepSec / (365 * 24 * 3600);
  const drift = ((options.driftAnnual ?? 0) - (volAnnual * volAnnual) / 2) * dtYears;
  const diffusion = volAnnual * Math.sqrt(dtYears);
  const path: PricePoint[] = [{ timeSec: startSec, priceUsd: startPriceUsd }];
  let price = startPriceUsd;
  for (let i = 1; i <= steps; i++) {
    const u1 = 1 - random(); // (0, 1]: log is finite
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
    price *= Math.exp(drift + diffusion * z);
    path.push({ timeSec: startSec + i * stepSec, priceUsd: price });
  }
  return path;
}

/**
 * Validates a price history read from JSON: an array of `{ "timeSec": number, "priceUsd": number }` in increasing
 * time order (or `{ "points": [...] }`).
 * @throws RangeError naming the source and the first bad entry
 */
export function parsePriceHistory(json: unknown, source: string): PricePoint[] {
  const points = Array.isArray(json) ? json : (json as { points?: unknown } | null)?.points;
  if (!Array.isArray(points) || points.length === 0) {
    throw new RangeError(`${source}: expected a non-empty array of { timeSec, priceUsd } (or { points: [...] })`);
  }
  const path = points.map((entry: unknown, i) => {
    const { timeSec, priceUsd } = (entry ?? {}) as Record<string, unknown>;
    if (typeof timeSec !== "number" || typeof priceUsd !== "number") {
      throw new RangeError(`${source}: entry ${i} must have numeric timeSec and priceUsd`);
    }
    return { timeSec, priceUsd };
  });
  checkPath(path, source);
  return path;
}
