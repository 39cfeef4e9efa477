/**
 * Statistics of a backtest: per-policy hedge error and cost, efficiency frontiers and the comparison of two
 * frontiers at equal hedge error.
 *
 * Hedge error = std of the hedged P&L / premium (Hull's "performance measure"). The frontier of a set of policy
 * configurations is its Pareto set in (hedge error, mean cost): the configurations no other one beats on both.
 * Between frontier points cost is interpolated linearly in log(error)–log(cost): under proportional costs both
 * time- and move-based hedging trade cost ∝ 1/error to leading order, a straight line in log–log.
 */
import type { BacktestResult, PolicyFamily, PolicySpec } from "./engine.js";

export interface PolicySummary {
  id: string;
  family: PolicyFamily;
  label: string;
  /** std(P&L) / premium */
  hedgeError: number;
  /** standard error of `hedgeError` (≈ error/√(2n) for near-normal P&L) */
  hedgeErrorStdErr: number;
  /** std(P&L before costs) / premium: the replication error alone, without the variability of the costs */
  replicationError: number;
  meanPnlUsd: number;
  meanCostUsd: number;
  /** std of the cost across paths, USD */
  costStdUsd: number;
  /** mean cost / premium */
  costOverPremium: number;
  meanTrades: number;
  meanTradedEth: number;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** The true median: the middle value, or the mean of the two middle values for an even count; NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function std(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** Per-policy summary of a backtest, in the order of `policies`. */
export function summarise(result: BacktestResult, policies: readonly PolicySpec[]): PolicySummary[] {
  return policies.map((policy, j) => {
    const paths = result.policies[j];
    if (paths === undefined) throw new RangeError(`summarise: no result for policy ${policy.id}`);
    const hedgeError = std(paths.pnlUsd) / result.premiumUsd;
    const meanCostUsd = mean(paths.costUsd);
    const pnlBeforeCostsUsd = paths.pnlUsd.map((pnl, i) => pnl + paths.costUsd[i]!);
    return {
      id: policy.id,
      family: policy.family,
      label: policy.label,
      hedgeError,
      hedgeErrorStdErr: hedgeError / Math.sqrt(2 * Math.max(1, result.paths - 1)),
      replicationError: std(pnlBeforeCostsUsd) / result.premiumUsd,
      meanPnlUsd: mean(paths.pnlUsd),
      meanCostUsd,
      costStdUsd: std(paths.costUsd),
      costOverPremium: meanCostUsd / result.premiumUsd,
      meanTrades: mean(paths.trades),
      meanTradedEth: mean(paths.tradedEth),
    };
  });
}

export interface FrontierPoint {
  id: string;
  label: string;
  /** hedge or replication error, as a fraction of the premium */
  error: number;
  meanCostUsd: number;
}

/** Pareto frontier in (error, cost), sorted by increasing error (and so decreasing cost). */
export function paretoFrontier(points: readonly FrontierPoint[]): FrontierPoint[] {
  const sorted = [...points].sort((a, b) => a.error - b.error || a.meanCostUsd - b.meanCostUsd);
  const frontier: FrontierPoint[] = [];
  for (const point of sorted) {
    const last = frontier[frontier.length - 1];
    if (last === undefined || point.meanCostUsd < last.meanCostUsd) frontier.push(point);
  }
  return frontier;
}

/**
 * Cost of `frontier` at error `error`, log–log interpolated between the two frontier points around it;
 * null outside the frontier's error range (no extrapolation).
 */
export function costAtError(frontier: readonly FrontierPoint[], error: number): number | null {
  for (let i = 0; i < frontier.length; i++) {
    const hi = frontier[i]!;
    if (error > hi.error) continue;
    if (error === hi.error) return hi.meanCostUsd;
    const lo = frontier[i - 1];
    if (lo === undefined) return null;
    const w = Math.log(error / lo.error) / Math.log(hi.error / lo.error);
    return Math.exp(Math.log(lo.meanCostUsd) + w * Math.log(hi.meanCostUsd / lo.meanCostUsd));
  }
  return null;
}

export interface FrontierComparison {
  /** candidate frontier points that lie inside the baseline's error range, each with the baseline's cost there */
  matched: { id: string; label: string; error: number; costUsd: number; baselineCostUsd: number; ratio: number }[];
  /** median of the matched cost ratios (candidate / baseline; for an even count the mean of the two middle ratios,
   *  so neither side is flattered); null when no point matched */
  medianRatio: number | null;
  minRatio: number | null;
  maxRatio: number | null;
}

/** Cost of each candidate frontier point vs the baseline frontier's cost at the same hedge error. */
export function compareFrontiers(
  candidate: readonly FrontierPoint[],
  baseline: readonly FrontierPoint[],
): FrontierComparison {
  const matched: FrontierComparison["matched"] = [];
  for (const point of candidate) {
    const baselineCostUsd = costAtError(baseline, point.error);
    if (baselineCostUsd === null || !(baselineCostUsd > 0)) continue;
    matched.push({
      id: point.id,
      label: point.label,
      error: point.error,
      costUsd: point.meanCostUsd,
      baselineCostUsd,
      ratio: point.meanCostUsd / baselineCostUsd,
    });
  }
  const ratios = matched.map((m) => m.ratio).sort((a, b) => a - b);
  const n = ratios.length;
  return {
    matched,
    medianRatio: n === 0 ? null : median(ratios),
    minRatio: n === 0 ? null : ratios[0]!,
    maxRatio: n === 0 ? null : ratios[n - 1]!,
  };
}

/** Least-squares slope of log(y) on log(x): −0.5 for y ∝ 1/√x. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = mean(lx);
  const my = mean(ly);
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
