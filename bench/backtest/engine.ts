/**
 * The Monte Carlo hedging backtest: an option book, priced with `keeper/risk`, hedged in spot by the keeper's own
 * `decide` (`keeper/policy`) on simulated price paths, with the costs of `costs.ts`.
 *
 * Per path, every policy sees the same prices (common random numbers), so differences between policies are not
 * sampling noise of different paths. Per step t_i (i = 0 … steps):
 *   1. `evaluateBook` at (S_i, t_i); a series at or past expiry is cash-settled at its intrinsic value and dropped;
 *   2. at the horizon (i = steps) nothing trades: the book is marked to model and the hedge to market;
 *   3. otherwise each policy gets its net delta (options + its spot hedge) and decides; a hedge executes all its
 *      legs at S_i (each leg pays fee, impact and gas; the pool is back at spot for the next leg and step);
 *   4. each hedge earns h·(S_{i+1} − S_i).
 * Hedged P&L = (book value at the horizon + settlements − book value at t_0) + hedge gains − costs, in USD, every
 * amount discounted to t_0 at `rateAnnual` (so a hedge's gain is h·(S_{i+1}·D_{i+1} − S_i·D_i), D_i = e^{−r·(t_i − t_0)}:
 * the self-financing portfolio's P&L measured in the bank account; with r = 0 the plain sums).
 * The book is written at t_0 unhedged: the first hedge is the policy's decision and is paid for like any other.
 * Typed arrays throughout; the only per-step allocations are those `evaluateBook` and `decide` make themselves.
 */
import {
  decide,
  INITIAL_POLICY_STATE,
  type GovernanceParams,
  type HedgeSide,
  type PolicyConfig,
  type PolicyInput,
  relativeBandEth,
  type RelativeBandRule,
} from "../../keeper/policy/index.js";
import { allocateGreekArrays, bookFromRows, evaluateBook, type BookRow } from "../../keeper/risk/index.js";
import { ethToWadFloor, secondsToYears } from "../../keeper/units.js";
import { legCostUsd, spotCostModel, type CostParams } from "./costs.js";
import { maxTradeEthForImpact, type DepthModel } from "./depth.js";
import { simulatePath, type PathModel } from "./paths.js";
import { pathRng } from "./rng.js";
import { decideZakamouline } from "./zakamouline.js";

/** The keeper's policy kinds, plus "zakamouline": a published baseline the bench runs itself (`zakamouline.ts`). */
export type PolicyFamily = "time" | "band" | "cost-aware" | "whalley-wilmott" | "zakamouline";

/** One policy configuration under test: the keeper's `PolicyConfig` plus the governance thresholds it runs under. */
export interface PolicySpec {
  /** unique within a backtest, e.g. "time-3600s" */
  id: string;
  family: PolicyFamily;
  /** human label for tables, e.g. "every 1 h" */
  label: string;
  config: PolicyConfig;
  params: GovernanceParams;
  /**
   * The adapter's band, ETH: it refuses any hedge leg while |net delta| is at or inside it. The keeper's families run
   * under their governance band; the baselines (time, Whalley–Wilmott, Zakamouline) under 0, i.e. a DAO that lets
   * them trade as their rule says.
   */
  onChainBandEth: number;
  /**
   * When set, the governance band follows the book: max(floor, bps × gross live notional) each step, and the adapter
   * enforces that band (`onChainBandEth` is ignored).
   */
  relativeBand?: RelativeBandRule;
}

export interface BacktestSpec {
  /** the book written at t_0 (expiries in unix seconds, sizes signed: negative = short) */
  book: readonly BookRow[];
  /** t_0, unix seconds */
  startSec: number;
  /** seconds between two keeper decisions */
  stepSec: number;
  /** number of steps; the horizon is startSec + steps·stepSec */
  steps: number;
  spot0Usd: number;
  model: PathModel;
  seed: number;
  paths: number;
  costs: CostParams;
  depth: DepthModel;
  policies: readonly PolicySpec[];
  /**
   * Continuously compounded risk-free rate (0.05 = 5%; default 0): the book is priced at it, the hedge is financed at
   * it (cash earns it, a long hedge pays it), and every cash flow is discounted to t_0.
   */
  rateAnnual?: number;
}

/** Per-path outcomes of one policy (index = path). */
export interface PolicyPaths {
  /** hedged P&L, USD */
  pnlUsd: Float64Array;
  /** fees + impact + gas, USD */
  costUsd: Float64Array;
  /** transactions sent (legs) */
  trades: Float64Array;
  /** total |ETH| traded */
  tradedEth: Float64Array;
}

export interface BacktestResult {
  /** |book value| at t_0: the premium the hedge errors are measured against, USD */
  premiumUsd: number;
  /** first path index and count covered by this result */
  firstPath: number;
  paths: number;
  /** aligned with `spec.policies` */
  policies: PolicyPaths[];
}

/** Premium of the book at t_0 (|Σ size·price|, USD), and a check that it is worth hedging at all. */
export function bookPremiumUsd(spec: Pick<BacktestSpec, "book" | "spot0Usd" | "startSec" | "rateAnnual">): number {
  const book = bookFromRows(spec.book);
  return Math.abs(evaluateBook(book, spec.spot0Usd, spec.startSec, undefined, spec.rateAnnual ?? 0).premiumUsd);
}

function validateSpec(spec: BacktestSpec): void {
  const where = "backtest spec";
  if (!(spec.stepSec > 0)) throw new RangeError(`${where}: stepSec must be > 0, got ${spec.stepSec}`);
  if (!Number.isInteger(spec.steps) || spec.steps < 1)
    throw new RangeError(`${where}: steps must be an integer >= 1, got ${spec.steps}`);
  if (!Number.isInteger(spec.paths) || spec.paths < 1)
    throw new RangeError(`${where}: paths must be an integer >= 1, got ${spec.paths}`);
  const ids = new Set<string>();
  for (const policy of spec.policies) {
    if (ids.has(policy.id)) throw new RangeError(`${where}: policy id ${policy.id} is used twice`);
    ids.add(policy.id);
    if (!(policy.params.maxSlippageBps > spec.costs.poolFeeBps))
      throw new RangeError(
        `${where}: policy ${policy.id} maxSlippageBps ${policy.params.maxSlippageBps} leaves no room above the ${spec.costs.poolFeeBps} bp fee`,
      );
  }
}

function allocatePolicyPaths(count: number): PolicyPaths {
  return {
    pnlUsd: new Float64Array(count),
    costUsd: new Float64Array(count),
    trades: new Float64Array(count),
    tradedEth: new Float64Array(count),
  };
}

/**
 * Run paths [firstPath, firstPath + count) of `spec` in this thread. Path p always draws from `pathRng(seed, p)`,
 * so any split of the paths gives the same numbers.
 */
export function simulateChunk(spec: BacktestSpec, firstPath = 0, count = spec.paths): BacktestResult {
  validateSpec(spec);
  const { steps, stepSec, startSec, costs, depth, policies } = spec;
  const stepYears = secondsToYears(stepSec);
  const rateAnnual = spec.rateAnnual ?? 0;
  const discount = Float64Array.from({ length: steps + 1 }, (_, i) => Math.exp(-rateAnnual * i * stepYears));
  const book = bookFromRows(spec.book);
  const sizesAtStart = book.sizeEth.slice();
  const greeks = allocateGreekArrays(book.length);
  const prices = new Float64Array(steps + 1);
  const costModel = spotCostModel(costs, depth);
  const policyCount = policies.length;
  const hedgeEth = new Float64Array(policyCount);
  const hedgePnlUsd = new Float64Array(policyCount);
  const costUsd = new Float64Array(policyCount);
  const trades = new Float64Array(policyCount);
  const tradedEth = new Float64Array(policyCount);
  const inputs: PolicyInput[] = policies.map((policy) => ({
    netDeltaEth: 0,
    netGammaPerUsd: 0,
    spotUsd: spec.spot0Usd,
    volAnnual: 0,
    nowSec: startSec,
    params: { ...policy.params },
    config: policy.config,
    cost: costModel.model,
    state: INITIAL_POLICY_STATE,
  }));
  const out = policies.map(() => allocatePolicyPaths(count));
  const onChainBandEth = Float64Array.from(policies, (policy) => policy.onChainBandEth);
  const premiumUsd = bookPremiumUsd(spec);

  for (let p = 0; p < count; p++) {
    simulatePath(spec.model, pathRng(spec.seed, firstPath + p), spec.spot0Usd, stepYears, steps, prices);
    book.sizeEth.set(sizesAtStart);
    hedgeEth.fill(0);
    hedgePnlUsd.fill(0);
    costUsd.fill(0);
    trades.fill(0);
    tradedEth.fill(0);
    for (const input of inputs) input.state = INITIAL_POLICY_STATE;
    let bookValueAtStartUsd = 0;
    let settledUsd = 0;
    let bookValueUsd = 0;

    for (let i = 0; i <= steps; i++) {
      const spotUsd = prices[i]!;
      const nowSec = startSec + i * stepSec;
      let risk = evaluateBook(book, spotUsd, nowSec, greeks, rateAnnual);
      let settledNow = false;
      for (let k = 0; k < book.length; k++) {
        if (book.sizeEth[k] !== 0 && book.expirySec[k]! <= nowSec) {
          settledUsd += book.sizeEth[k]! * greeks.price[k]! * discount[i]!;
          book.sizeEth[k] = 0;
          settledNow = true;
        }
      }
      if (settledNow) risk = evaluateBook(book, spotUsd, nowSec, greeks, rateAnnual);
      if (i === 0) bookValueAtStartUsd = risk.premiumUsd;
      bookValueUsd = risk.premiumUsd * discount[i]!;
      if (i === steps) break;

      const cost = costModel.at(spotUsd);
      let grossNotionalEth = 0;
      for (let k = 0; k < book.length; k++) grossNotionalEth += Math.abs(book.sizeEth[k]!);
      for (let j = 0; j < policyCount; j++) {
        const input = inputs[j]!;
        const rule = policies[j]!.relativeBand;
        if (rule !== undefined) {
          const bandEth = relativeBandEth(rule, grossNotionalEth);
          input.params.deltaBandEth = bandEth;
          onChainBandEth[j] = bandEth;
        }
        const netDeltaEth = risk.netOptionDeltaEth + hedgeEth[j]!;
        input.netDeltaEth = netDeltaEth;
        input.netGammaPerUsd = risk.netGammaPerUsd;
        input.spotUsd = spotUsd;
        input.volAnnual = risk.weightedVol;
        input.nowSec = nowSec;
        input.cost = cost;
        const side = netDeltaEth < 0 ? "buyWeth" : "sellWeth";
        const maxLegEth = maxTradeEthForImpact(depth, spotUsd, input.params.maxSlippageBps - costs.poolFeeBps, side);
        // An infinitely deep pool (the no-cost textbook case) sets no depth limit; the replay has no collateral limit.
        input.limits = {
          payableWad: null,
          depthWad: Number.isFinite(maxLegEth) ? ethToWadFloor(maxLegEth) : null,
          maxTradeWad: ethToWadFloor(input.params.maxTradeEth),
          minTradeWad: 0n,
        };
        let decision: { side: HedgeSide; legsEth: number[]; totalEth: number } | null;
        if (policies[j]!.family === "zakamouline") {
          const depthWad = input.limits.depthWad;
          const { params, config } = input;
          decision = decideZakamouline({
            book,
            risk,
            spotUsd,
            nowSec,
            hedgeEth: hedgeEth[j]!,
            config,
            params,
            cost,
            depthWad,
            rateAnnual,
          });
        } else {
          const decided = decide(input);
          decision = decided.kind === "hedge" ? decided : null;
          if (decision === null || Math.abs(netDeltaEth) > onChainBandEth[j]!) input.state = decided.nextState;
        }
        if (decision === null) continue;
        // The adapter refuses a leg while the on-chain |Δ| is inside its band (HedgeAdapter: InsideBand), so an
        // episode's legs stop where |Δ| enters it, and a refused first leg leaves the keeper's state as it was.
        const direction = decision.side === "buyWeth" ? 1 : -1;
        let deltaBeforeLeg = netDeltaEth;
        let hedgeCostUsd = 0;
        let legs = 0;
        let traded = 0;
        for (const legEth of decision.legsEth) {
          if (Math.abs(deltaBeforeLeg) <= onChainBandEth[j]!) break;
          hedgeCostUsd += legCostUsd(costs, depth, spotUsd, legEth, decision.side);
          legs++;
          traded += legEth;
          deltaBeforeLeg += direction * legEth;
        }
        if (legs === 0) continue;
        costUsd[j] = costUsd[j]! + hedgeCostUsd * discount[i]!;
        trades[j] = trades[j]! + legs;
        tradedEth[j] = tradedEth[j]! + traded;
        hedgeEth[j] = hedgeEth[j]! + direction * traded;
      }
      const spotMoveUsd = prices[i + 1]! * discount[i + 1]! - spotUsd * discount[i]!;
      for (let j = 0; j < policyCount; j++) hedgePnlUsd[j] = hedgePnlUsd[j]! + hedgeEth[j]! * spotMoveUsd;
    }

    const optionPnlUsd = bookValueUsd + settledUsd - bookValueAtStartUsd;
    for (let j = 0; j < policyCount; j++) {
      const o = out[j]!;
      o.pnlUsd[p] = optionPnlUsd + hedgePnlUsd[j]! - costUsd[j]!;
      o.costUsd[p] = costUsd[j]!;
      o.trades[p] = trades[j]!;
      o.tradedEth[p] = tradedEth[j]!;
    }
  }
  return { premiumUsd, firstPath, paths: count, policies: out };
}

/** Concatenate chunk results (any order) into one result over all their paths, ordered by path index. */
export function mergeResults(chunks: readonly BacktestResult[]): BacktestResult {
  if (chunks.length === 0) throw new RangeError("mergeResults: no chunks");
  const sorted = [...chunks].sort((a, b) => a.firstPath - b.firstPath);
  const first = sorted[0]!;
  const total = sorted.reduce((n, c) => n + c.paths, 0);
  const policies = first.policies.map(() => allocatePolicyPaths(total));
  let offset = 0;
  for (const chunk of sorted) {
    chunk.policies.forEach((src, j) => {
      const dst = policies[j]!;
      dst.pnlUsd.set(src.pnlUsd, offset);
      dst.costUsd.set(src.costUsd, offset);
      dst.trades.set(src.trades, offset);
      dst.tradedEth.set(src.tradedEth, offset);
    });
    offset += chunk.paths;
  }
  return { premiumUsd: first.premiumUsd, firstPath: first.firstPath, paths: total, policies };
}
