/**
 * The classic delta-hedging experiment (Hull, "Options, Futures, and Other Derivatives", Table 19.4 "Performance
 * of delta hedging"; Tables 14.2–14.3 in older editions): write a 20-week call, S = 49, K = 50, σ = 20%, stock
 * drift μ = 13%, hedge it at fixed intervals without costs, and measure std(cost of hedging) / option price.
 *
 * Here it runs through the backtester and the keeper's own "time" policy with zero fees, gas and impact, at Hull's
 * r = 5% (the option is worth $2.40; the hedge is financed at r and every cash flow discounted), so each point can be
 * compared with Hull's published measure; the goal is every point within 15% of his.
 */
import { defaultPolicyConfig } from "../../keeper/policy/index.js";
import { figure, type Chart, type Figure, type Table } from "../section.js";
import type { BacktestSpec, PolicySpec } from "./engine.js";
import { logLogSlope } from "./stats.js";

const WEEK_SEC = 7 * 24 * 3600;
/** Rebalancing grid: the finest interval of the table's sweep. */
const STEP_WEEKS = 0.125;
const MATURITY_WEEKS = 20;
/** Hull's risk-free rate for the experiment */
export const TEXTBOOK_RATE = 0.05;
/** Goal: every interval's hedge error within this fraction of Hull's figure */
export const TEXTBOOK_GOAL_DEVIATION = 0.15;

/** Hull's Table 19.4 (r = 5%): rebalancing interval in weeks → performance measure. */
export const HULL_TABLE: readonly { intervalWeeks: number; performance: number }[] = [
  { intervalWeeks: 5, performance: 0.43 },
  { intervalWeeks: 4, performance: 0.39 },
  { intervalWeeks: 2, performance: 0.26 },
  { intervalWeeks: 1, performance: 0.19 },
  { intervalWeeks: 0.5, performance: 0.14 },
  { intervalWeeks: 0.25, performance: 0.09 },
];

export const TEXTBOOK_INTERVALS_WEEKS: readonly number[] = [5, 4, 2, 1, 0.5, 0.25, 0.125];

/** Number of rebalances over the option's life for an interval in weeks. */
export function rebalanceCount(intervalWeeks: number): number {
  return MATURITY_WEEKS / intervalWeeks;
}

/** The experiment as a backtest spec: one short call, no costs, the "time" policy at each interval. */
export function textbookSpec({
  paths,
  seed,
  intervalsWeeks = TEXTBOOK_INTERVALS_WEEKS,
}: {
  paths: number;
  seed: number;
  intervalsWeeks?: readonly number[];
}): BacktestSpec {
  const startSec = 1_700_000_000;
  const stepSec = STEP_WEEKS * WEEK_SEC;
  const policies: PolicySpec[] = intervalsWeeks.map((weeks) => {
    const steps = weeks / STEP_WEEKS;
    if (!Number.isInteger(steps))
      throw new RangeError(`textbook interval ${weeks} weeks is not a multiple of ${STEP_WEEKS}`);
    return {
      id: `every-${weeks}w`,
      family: "time",
      label: `every ${weeks} week${weeks === 1 ? "" : "s"}`,
      config: { ...defaultPolicyConfig("time"), timeIntervalSec: weeks * WEEK_SEC, minNotionalUsd: 0 },
      params: { deltaBandEth: 1, maxSlippageBps: 50, maxTradeEth: 1e9, cooldownSec: 0 },
      onChainBandEth: 0,
    };
  });
  return {
    book: [{ strikeUsd: 50, expirySec: startSec + MATURITY_WEEKS * WEEK_SEC, isCall: true, sizeEth: -1, vol: 0.2 }],
    startSec,
    stepSec,
    steps: MATURITY_WEEKS / STEP_WEEKS,
    spot0Usd: 49,
    model: { kind: "gbm", driftAnnual: 0.13, volAnnual: 0.2 },
    seed,
    paths,
    costs: { poolFeeBps: 0, gasUnitsPerLeg: 0, gasPriceGwei: 0 },
    depth: { liquidity: Infinity, rangeFraction: 0.5 },
    policies,
    rateAnnual: TEXTBOOK_RATE,
  };
}

export interface TextbookReport {
  table: Table;
  figure: Figure;
  /** the point furthest from Hull's figure, with the 15% goal */
  deviationFigure: Figure;
  chart: Chart;
  /** least-squares slope of log(error) on log(N); −0.5 for 1/√N */
  slope: number;
  errors: number[];
  /** largest |error / Hull − 1| over the intervals Hull tabulates */
  maxDeviation: number;
}

/** Table, figure and chart of the experiment from its hedge errors (one per `TEXTBOOK_INTERVALS_WEEKS` entry). */
export function textbookReport(errors: readonly number[], paths: number): TextbookReport {
  if (errors.length !== TEXTBOOK_INTERVALS_WEEKS.length)
    throw new RangeError(`textbookReport: ${errors.length} errors for ${TEXTBOOK_INTERVALS_WEEKS.length} intervals`);
  const counts = TEXTBOOK_INTERVALS_WEEKS.map(rebalanceCount);
  const slope = logLogSlope(counts, errors);
  const errorAt = (weeks: number) => errors[TEXTBOOK_INTERVALS_WEEKS.indexOf(weeks)]!;
  const table: Table = {
    title: "Textbook replication: one short call, no costs, hedged every k weeks (Hull Table 19.4)",
    columns: [
      "rebalancing interval (weeks)",
      "rebalances N",
      "hedge error",
      "Hull (r = 5%)",
      "deviation from Hull",
      "error × √N",
    ],
    rows: TEXTBOOK_INTERVALS_WEEKS.map((weeks, i) => {
      const hull = HULL_TABLE.find((h) => h.intervalWeeks === weeks)?.performance;
      return [
        weeks,
        counts[i]!,
        errors[i]!,
        hull ?? "",
        hull === undefined ? "" : `${(100 * (errors[i]! / hull - 1)).toFixed(1)}%`,
        errors[i]! * Math.sqrt(counts[i]!),
      ];
    }),
    note:
      `${paths} paths; S = 49, K = 50, σ = 20%, μ = 13%, 20 weeks, r = ${100 * TEXTBOOK_RATE}% (financed, discounted). ` +
      `Log–log slope of error vs N: ${slope.toFixed(3)} (1/√N is −0.5).`,
  };
  const deviations = HULL_TABLE.map((h) => Math.abs(errorAt(h.intervalWeeks) / h.performance - 1));
  const maxDeviation = Math.max(...deviations);
  const worst = HULL_TABLE[deviations.indexOf(maxDeviation)]!;
  const deviationFigure = figure(
    `Textbook: largest deviation from Hull's Table 19.4 (at ${worst.intervalWeeks} weeks)`,
    errorAt(worst.intervalWeeks),
    "× premium",
    { label: "Hull", value: worst.performance, unit: "× premium" },
    {
      goal: {
        text: `every point within ${100 * TEXTBOOK_GOAL_DEVIATION}% of Hull's`,
        met: maxDeviation <= TEXTBOOK_GOAL_DEVIATION,
      },
      note: `deviations ${HULL_TABLE.map((h, i) => `${h.intervalWeeks} w ${(100 * deviations[i]!).toFixed(1)}%`).join(", ")}`,
    },
  );
  const fig = figure(
    "Textbook: hedge error rebalancing every 0.25 week",
    errorAt(0.25),
    "× premium",
    { label: "every 5 weeks", value: errorAt(5), unit: "× premium" },
    {
      note: `1/√N predicts ${Math.sqrt(rebalanceCount(5) / rebalanceCount(0.25)).toFixed(3)}; fitted slope ${slope.toFixed(3)}`,
    },
  );
  // c of the c/√N curve through the points (geometric mean of error·√N).
  const scale = Math.exp(errors.reduce((acc, e, i) => acc + Math.log(e * Math.sqrt(counts[i]!)), 0) / errors.length);
  const chart: Chart = {
    title: "Textbook: hedge error vs rebalances",
    xLabel: "rebalances over the option's life (N)",
    yLabel: "std(hedged P&L) / premium",
    logX: true,
    logY: true,
    series: [
      { name: "keeper time policy, r = 5%", line: true, points: counts.map((n, i) => [n, errors[i]!]) },
      {
        name: "Hull Table 19.4, r = 5%",
        points: HULL_TABLE.map((h) => [rebalanceCount(h.intervalWeeks), h.performance]),
      },
      { name: "c/√N", line: true, markers: false, dashed: true, points: counts.map((n) => [n, scale / Math.sqrt(n)]) },
    ],
  };
  return { table, figure: fig, deviationFigure, chart, slope, errors: [...errors], maxDeviation };
}
