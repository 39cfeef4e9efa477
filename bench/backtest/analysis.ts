/**
 * From a backtest to what the efficiency section reports: per-policy summaries, a frontier per family, each
 * family compared with the time-based frontier at equal hedge error, and the tables and charts that show them.
 */
import { proportionalCost, whalleyWilmottBandEth } from "../../keeper/policy/economics.js";
import { defaultPolicyConfig, type GovernanceParams } from "../../keeper/policy/index.js";
import { secondsToYears } from "../../keeper/units.js";
import { figure, type Chart, type Figure, type Table } from "../section.js";
import { spotCostModel, type CostParams } from "./costs.js";
import type { DepthModel } from "./depth.js";
import type { BacktestResult, PolicyFamily, PolicySpec } from "./engine.js";
import {
  compareFrontiers,
  paretoFrontier,
  summarise,
  type FrontierComparison,
  type FrontierPoint,
  type PolicySummary,
} from "./stats.js";

export const FAMILIES: readonly PolicyFamily[] = ["time", "band", "cost-aware", "whalley-wilmott", "zakamouline"];
export type ChallengerFamily = Exclude<PolicyFamily, "time">;

const FAMILY_COLOR: Record<PolicyFamily, string> = {
  time: "#7f7f7f",
  band: "#1f77b4",
  "cost-aware": "#d62728",
  "whalley-wilmott": "#2ca02c",
  zakamouline: "#9467bd",
};

/**
 * Which error the frontiers are drawn against: "net" = std(P&L net of costs) / premium, the risk of the hedger's
 * whole cash flow (Toft 1996's mean–variance view; the variability of the costs counts as risk); "before-costs" =
 * std(P&L before costs) / premium, the replication error alone (Hull's measure; costs only on the cost axis).
 */
export type RiskBasis = "net" | "before-costs";
export const RISK_BASES: readonly RiskBasis[] = ["net", "before-costs"];

export interface FrontierView {
  /** Pareto frontier of each family present */
  frontiers: Partial<Record<PolicyFamily, FrontierPoint[]>>;
  /** each non-time family present vs the time-based frontier */
  vsTime: Partial<Record<ChallengerFamily, FrontierComparison>>;
  /** the cost-aware frontier vs Zakamouline's, the best published rule here, when both are present */
  costAwareVsZakamouline: FrontierComparison | null;
}

export interface ScenarioAnalysis {
  premiumUsd: number;
  paths: number;
  summaries: PolicySummary[];
  views: Record<RiskBasis, FrontierView>;
}

function frontierView(summaries: readonly PolicySummary[], basis: RiskBasis): FrontierView {
  const points = summaries.map((s) => ({
    id: s.id,
    label: s.label,
    family: s.family,
    error: basis === "net" ? s.hedgeError : s.replicationError,
    meanCostUsd: s.meanCostUsd,
  }));
  const frontiers: FrontierView["frontiers"] = {};
  for (const family of FAMILIES) {
    const members = points.filter((p) => p.family === family);
    if (members.length > 0) frontiers[family] = paretoFrontier(members);
  }
  const vsTime: FrontierView["vsTime"] = {};
  const time = frontiers.time;
  if (time !== undefined) {
    for (const family of FAMILIES) {
      const frontier = frontiers[family];
      if (family !== "time" && frontier !== undefined) vsTime[family] = compareFrontiers(frontier, time);
    }
  }
  const costAware = frontiers["cost-aware"];
  const zakamouline = frontiers.zakamouline;
  const costAwareVsZakamouline =
    costAware !== undefined && zakamouline !== undefined ? compareFrontiers(costAware, zakamouline) : null;
  return { frontiers, vsTime, costAwareVsZakamouline };
}

export function analyse(result: BacktestResult, policies: readonly PolicySpec[]): ScenarioAnalysis {
  const summaries = summarise(result, policies);
  return {
    premiumUsd: result.premiumUsd,
    paths: result.paths,
    summaries,
    views: { net: frontierView(summaries, "net"), "before-costs": frontierView(summaries, "before-costs") },
  };
}

/**
 * The matched point at the median ratio, or the best. A figure shows a real configuration, so for an even count it
 * takes the upper of the two middle points (the less flattering one; `compareFrontiers` reports their mean).
 */
export function pickMatched(
  comparison: FrontierComparison,
  which: "median" | "best",
): FrontierComparison["matched"][number] | null {
  const sorted = [...comparison.matched].sort((a, b) => a.ratio - b.ratio);
  if (sorted.length === 0) return null;
  return which === "best" ? sorted[0]! : sorted[Math.floor(sorted.length / 2)]!;
}

/** One row per scenario: the cost-aware frontier's cost vs Zakamouline's at equal error, on both bases. */
export function zakamoulineRow(scenarioTitle: string, analysis: ScenarioAnalysis): (string | number)[] {
  const cells = RISK_BASES.map((basis) => {
    const c = analysis.views[basis].costAwareVsZakamouline;
    if (c === null || c.medianRatio === null) return "no overlap";
    const verdict =
      c.maxRatio! <= 1
        ? "matches or beats at every point"
        : `${c.matched.filter((m) => m.ratio > 1).length} point(s) costlier`;
    return `${formatRatio(c.medianRatio)} (${formatRatio(c.minRatio!)}–${formatRatio(c.maxRatio!)}, n = ${c.matched.length}; ${verdict})`;
  });
  return [scenarioTitle, ...cells];
}

export const ZAKAMOULINE_COLUMNS = [
  "scenario",
  "cost-aware / Zakamouline at equal net hedge error: median (range, matched points)",
  "same at equal replication error (before costs)",
];

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;

/** One row per policy configuration: errors, cost, trades, and whether it is on its family's (net) frontier. */
export function policyTable(title: string, analysis: ScenarioAnalysis, detail: boolean): Table {
  const onFrontier = (s: PolicySummary, basis: RiskBasis) =>
    (analysis.views[basis].frontiers[s.family] ?? []).some((p) => p.id === s.id);
  return {
    title,
    detail,
    columns: [
      "family",
      "configuration",
      "hedge error (net of costs)",
      "replication error (before costs)",
      "mean cost (USD)",
      "cost std (USD)",
      "cost / premium",
      "trades",
      "ETH traded",
      "on frontier (net / before costs)",
    ],
    rows: analysis.summaries.map((s) => [
      s.family,
      s.label,
      `${percent(s.hedgeError)} ± ${percent(s.hedgeErrorStdErr)}`,
      percent(s.replicationError),
      s.meanCostUsd,
      s.costStdUsd,
      percent(s.costOverPremium),
      s.meanTrades,
      s.meanTradedEth,
      RISK_BASES.map((basis) => (onFrontier(s, basis) ? "yes" : "–")).join(" / "),
    ]),
    note:
      `Premium ${Math.round(analysis.premiumUsd).toLocaleString("en-US")} USD; ${analysis.paths} paths. ` +
      "Errors are std / premium; the hedge error carries ± its standard error.",
  };
}

/** One row per (scenario, family): the family's cost vs the time-based frontier's at equal error, on both bases. */
export function comparisonRows(scenarioTitle: string, analysis: ScenarioAnalysis): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const family of FAMILIES) {
    if (family === "time") continue;
    const cells = RISK_BASES.map((basis) => {
      const c = analysis.views[basis].vsTime[family];
      if (c === undefined || c.medianRatio === null) return "no overlap";
      return `${formatRatio(c.medianRatio)} (${formatRatio(c.minRatio!)}–${formatRatio(c.maxRatio!)}, n = ${c.matched.length})`;
    });
    if (analysis.views.net.vsTime[family] === undefined) continue;
    rows.push([scenarioTitle, family, ...cells]);
  }
  return rows;
}

const formatRatio = (ratio: number) => ratio.toFixed(2);

export const COMPARISON_COLUMNS = [
  "scenario",
  "family",
  "cost ratio vs time at equal net hedge error: median (range, matched points)",
  "same at equal replication error (before costs)",
];

/** Cost vs error on one basis, log–log: every configuration as a marker, each family's frontier as a line. */
export function frontierChart(title: string, analysis: ScenarioAnalysis, basis: RiskBasis): Chart {
  const view = analysis.views[basis];
  const error = (s: PolicySummary) => 100 * (basis === "net" ? s.hedgeError : s.replicationError);
  const series: Chart["series"] = [];
  for (const family of FAMILIES) {
    const frontier = view.frontiers[family];
    if (frontier === undefined) continue;
    const color = FAMILY_COLOR[family];
    series.push({
      name: family,
      color,
      line: true,
      points: frontier.map((p) => [100 * p.error, p.meanCostUsd]),
    });
    const dominated = analysis.summaries.filter((s) => s.family === family && !frontier.some((p) => p.id === s.id));
    if (dominated.length > 0)
      series.push({
        name: `${family} (dominated)`,
        color,
        legend: false,
        points: dominated.map((s) => [error(s), s.meanCostUsd]),
      });
  }
  const xLabel =
    basis === "net" ? "hedge error, net of costs (% of premium)" : "replication error, before costs (% of premium)";
  return { title, xLabel, yLabel: "mean cost (USD)", logX: true, logY: true, series };
}

/**
 * Figure: a family's cost vs the time-based frontier's at equal error on `basis`, at the median matched point (or
 * the best one), with the goal "ratio ≤ goalRatio" when one is given.
 */
export function equalErrorFigure(
  label: string,
  analysis: ScenarioAnalysis,
  family: ChallengerFamily,
  { basis, which, goalRatio }: { basis: RiskBasis; which: "median" | "best"; goalRatio: number | null },
): Figure {
  const comparison = analysis.views[basis].vsTime[family];
  const point = comparison === undefined ? null : pickMatched(comparison, which);
  const baselineLabel = `best time-based at equal ${basis === "net" ? "hedge" : "replication"} error`;
  const goalText = `≤ ${goalRatio} (≥ ${Math.round(100 * (1 - (goalRatio ?? 0)))}% cheaper)`;
  if (comparison === undefined || point === null) {
    return {
      label,
      value: Number.NaN,
      unit: "USD",
      baseline: { label: baselineLabel, value: Number.NaN, unit: "USD" },
      ratio: Number.NaN,
      note: "the frontiers do not overlap in hedge error",
      ...(goalRatio === null ? {} : { goal: { text: goalText, met: false } }),
    };
  }
  const range =
    which === "median" && comparison.matched.length > 1
      ? `; ratios ${comparison.minRatio!.toFixed(2)}–${comparison.maxRatio!.toFixed(2)} over ${comparison.matched.length} matched points`
      : "";
  return figure(
    label,
    point.costUsd,
    "USD",
    { label: baselineLabel, value: point.baselineCostUsd, unit: "USD" },
    {
      note: `${point.label} at ${basis === "net" ? "hedge" : "replication"} error ${(100 * point.error).toFixed(2)}%${range}`,
      ...(goalRatio === null ? {} : { goal: { text: goalText, met: point.ratio <= goalRatio } }),
    },
  );
}

/**
 * What the cost-aware policy does at t_0 of a scenario, for each λ of the sweep, computed with the keeper's own
 * functions (keeper/policy/decide.ts): the Whalley–Wilmott band at the book's gamma, the trigger B = min(governance
 * band, WW band), the inner band b = hysteresisInnerRatio · B a hedge trades to, the |Δ| at which one leg's gas is
 * worth the λ-monetised risk reduction from |Δ| to b over the horizon, and so the |Δ| at which it actually hedges:
 * max(B, gas break-even), but never later than maxDeferralBandMultiple × the governance band.
 */
export function costAwareTriggerTable(args: {
  costs: CostParams;
  depth: DepthModel;
  spotUsd: number;
  volAnnual: number;
  netGammaPerUsd: number;
  bookTitle: string;
  governance: GovernanceParams;
  riskAversionsPerUsd: readonly number[];
  sweep: { bandEth: number; maxDeferralBandMultiple: number };
}): Table {
  const { costs, depth, spotUsd, volAnnual, netGammaPerUsd } = args;
  const config = defaultPolicyConfig("cost-aware");
  const cost = spotCostModel(costs, depth).at(spotUsd);
  const governanceBandEth = args.sweep.bandEth;
  const deferralLimitEth = args.sweep.maxDeferralBandMultiple * governanceBandEth;
  const k = proportionalCost(cost, Math.min(governanceBandEth, args.governance.maxTradeEth));
  const spotVarianceOverHorizon = spotUsd ** 2 * volAnnual ** 2 * secondsToYears(config.horizonSec);
  const fmt = (eth: number) => Number(eth.toPrecision(3));
  return {
    title:
      `Cost-aware: where it hedges, ${args.bookTitle} at t₀ (spot $${spotUsd}, vol ${100 * volAnnual}%, ` +
      `governance band ${governanceBandEth} ETH, horizon ${config.horizonSec / 3600} h)`,
    columns: [
      "λ (1/USD)",
      "Whalley–Wilmott band (ETH)",
      "trigger B = min(governance, WW) (ETH)",
      "trades to b (ETH)",
      "gas break-even |Δ| (ETH)",
      "hedges at |Δ| ≥ (ETH)",
    ],
    rows: args.riskAversionsPerUsd.map((lambda) => {
      const ww = whalleyWilmottBandEth({ spotUsd, netGammaPerUsd, proportionalCost: k, riskAversionPerUsd: lambda });
      const trigger = ww > 0 && Number.isFinite(ww) ? Math.min(governanceBandEth, ww) : governanceBandEth;
      const inner = config.hysteresisInnerRatio * trigger;
      const gasBreakEven = Math.sqrt(inner ** 2 + cost.gasCostUsd / (lambda * spotVarianceOverHorizon));
      const hedgesAt = Math.max(trigger, Math.min(gasBreakEven, deferralLimitEth));
      return [lambda, fmt(ww), fmt(trigger), fmt(inner), fmt(gasBreakEven), fmt(hedgesAt)];
    }),
    note:
      "The gas gate defers a one-leg hedge while gas > λ·(|Δ|² − b²)·S²·σ²·horizon, but never once |Δ| reaches " +
      `maxDeferralBandMultiple (${args.sweep.maxDeferralBandMultiple}) × the governance band = ${deferralLimitEth} ETH. ` +
      "The trigger moves with the book's gamma (|Γ|^(2/3)); this is its value at t₀.",
  };
}
