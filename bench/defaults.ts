/**
 * Bench section "defaults": is the keeper good out of the box, whatever the book?
 *
 * For books of about 10, 100, 1,000 and 10,000 ETH gross notional (30-day ATM calls, and the efficiency section's
 * mixed book scaled), implied = realised vol 40% and 120%, gas 1 and 50 gwei, the keeper's untuned default
 * configuration (`defaultPolicyConfig("cost-aware")` under the replica's governance thresholds) is backtested next
 * to a sweep of every family — time-based, fixed band, cost-aware, Whalley–Wilmott, Zakamouline — scaled to the
 * book (bands ∝ notional, risk aversions ∝ 1/notional, so each sweep spans the same relative widths on every book).
 * The efficient frontier is the Pareto set of the whole sweep in (hedge error net of costs, mean cost); the default
 * is judged by its cost over the frontier's cost at its own hedge error.
 *
 * Goals: every default within 10% of the frontier (ratio ≤ 1.10); on the 1,000-ETH books the best cost-aware
 * configuration ≥ 50% cheaper than the best time-based one at equal error (best matched ratio ≤ 0.5).
 * `--quick` runs the ATM books at 120% vol and 1 gwei with few paths; the full run covers the whole grid.
 * The default runs under the shipped band rule (scripts/lib/market/stack.ts: max(0.5 ETH, 5% of gross notional), the
 * adapter's `DeltaBandWad` floor and `DeltaBandBps`); `--param default-band-bps=N --param default-band-floor=ETH`
 * measure another.
 */
import type { BookRow } from "../keeper/risk/index.js";
import { defaultPolicyConfig, type GovernanceParams, type RelativeBandRule } from "../keeper/policy/index.js";
import { wadToNumber } from "../keeper/units.js";
import { DEFAULT_REPLICA, POOL_FEE } from "../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS } from "../scripts/lib/market/stack.js";
import { analyse, type ScenarioAnalysis } from "./backtest/analysis.js";
import type { CostParams } from "./backtest/costs.js";
import { depthFromPosition } from "./backtest/depth.js";
import type { BacktestSpec, PolicySpec } from "./backtest/engine.js";
import { createBacktestPool } from "./backtest/parallel.js";
import {
  REPLICA_GOVERNANCE,
  bandPolicies,
  costAwareKeeperDefault,
  costAwareRelativePolicies,
  timePolicies,
  whalleyWilmottPolicies,
  zakamoulinePolicies,
} from "./backtest/policies.js";
import { costAtError, paretoFrontier, type FrontierPoint, type PolicySummary } from "./backtest/stats.js";
import { figure, type BenchOptions, type BenchSection, type SectionResult, type Table } from "./section.js";

const DAY_SEC = 86_400;
const START_SEC = 1_750_000_000;
const HORIZON_DAYS = 30;
const SPOT_USD = DEFAULT_REPLICA.initialPriceUsd;
const DEFAULT_ID = "cost-aware-default";
/** Goal: the default's cost ≤ 1.10 × the frontier's at its own hedge error. */
const DEFAULT_GOAL_RATIO = 1.1;
/** Goal on the 1,000-ETH books: best cost-aware ≤ 0.5 × best time-based at equal error. */
const COST_AWARE_GOAL_RATIO = 0.5;

/** Sweeps for a 100-ETH book; `scaledPolicies` scales them to the book. */
const TIME_INTERVALS_SEC = [900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const BANDS_PER_100_ETH = [0.5, 1, 2, 3, 5, 8, 12];
const LAMBDAS_PER_100_ETH = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];

interface Plan {
  sizesEth: number[];
  books: ("atm" | "mixed")[];
  vols: number[];
  gasGwei: number[];
  paths: number;
  stepSec: number;
}

const QUICK: Plan = {
  sizesEth: [10, 100, 1000, 10_000],
  books: ["atm"],
  vols: [1.2],
  gasGwei: [1],
  paths: 16,
  stepSec: 1800,
};
const FULL: Plan = {
  sizesEth: [10, 100, 1000, 10_000],
  books: ["atm", "mixed"],
  vols: [0.4, 1.2],
  gasGwei: [1, 50],
  paths: 160,
  stepSec: 1800,
};

const expiry = (days: number) => START_SEC + days * DAY_SEC;

/** A book of `grossEth` gross notional at implied vol `vol`. */
function book(kind: "atm" | "mixed", grossEth: number, vol: number): BookRow[] {
  if (kind === "atm") return [{ strikeUsd: SPOT_USD, expirySec: expiry(30), isCall: true, sizeEth: -grossEth, vol }];
  const rows: BookRow[] = [
    { strikeUsd: 3300, expirySec: expiry(30), isCall: true, sizeEth: -60, vol },
    { strikeUsd: 2700, expirySec: expiry(30), isCall: false, sizeEth: -60, vol },
    { strikeUsd: 3000, expirySec: expiry(7), isCall: true, sizeEth: -40, vol },
    { strikeUsd: 3000, expirySec: expiry(45), isCall: false, sizeEth: 30, vol },
  ];
  const scale = grossEth / rows.reduce((sum, r) => sum + Math.abs(r.sizeEth), 0);
  return rows.map((r) => ({ ...r, sizeEth: r.sizeEth * scale }));
}

/** Every family's sweep, scaled to a book of `grossEth`, plus the keeper's untuned default. */
function scaledPolicies(
  grossEth: number,
  stepSec: number,
  governance: GovernanceParams,
  relativeDefault: RelativeBandRule,
): PolicySpec[] {
  const scale = grossEth / 100;
  const lambdas = LAMBDAS_PER_100_ETH.map((l) => l / scale);
  const wide = { ...governance, deltaBandEth: 1e6 };
  return [
    ...timePolicies(
      TIME_INTERVALS_SEC.filter((sec) => sec % stepSec === 0),
      governance,
    ),
    ...bandPolicies(
      BANDS_PER_100_ETH.map((b) => b * scale),
      governance,
    ),
    // The adapter refuses hedges inside the governance band, so the band is cost-aware's knob: swept relative to the book.
    ...costAwareRelativePolicies(
      BANDS_PER_100_ETH.map((b) => b * 100),
      0,
      governance,
    ),
    ...whalleyWilmottPolicies(lambdas, wide),
    ...zakamoulinePolicies(lambdas, wide),
    defaultSpec(governance, relativeDefault),
  ];
}

/** The keeper's untuned default under the shipped band rule, which follows the book. */
function defaultSpec(governance: GovernanceParams, relative: RelativeBandRule): PolicySpec {
  const base = costAwareKeeperDefault(governance);
  return {
    ...base,
    label: `keeper defaults (band max(${relative.floorEth} ETH, ${relative.bps / 100}% of notional))`,
    relativeBand: relative,
  };
}

interface Scenario {
  id: string;
  title: string;
  grossEth: number;
  bookKind: "atm" | "mixed";
  vol: number;
  gasGwei: number;
}

function scenarios(plan: Plan): Scenario[] {
  const list: Scenario[] = [];
  for (const bookKind of plan.books)
    for (const grossEth of plan.sizesEth)
      for (const vol of plan.vols)
        for (const gasGwei of plan.gasGwei)
          list.push({
            id: `${bookKind}-${grossEth}-${vol}-${gasGwei}`,
            title: `${bookKind === "atm" ? "ATM calls" : "mixed book"}, ${grossEth.toLocaleString("en-US")} ETH, vol ${Math.round(100 * vol)}%, ${gasGwei} gwei`,
            grossEth,
            bookKind,
            vol,
            gasGwei,
          });
  return list;
}

export interface DefaultVerdict {
  /** default cost / frontier cost at the default's hedge error; null when no frontier point brackets it */
  ratio: number | null;
  /** how the ratio was obtained */
  how: "interpolated" | "more precise than every swept point" | "less precise than every swept point";
}

/**
 * The default's cost against the frontier of the other configurations at the default's own hedge error. Outside the
 * frontier's error range: more precise than every point and not dominated = on the frontier (ratio 1, or below);
 * less precise than every point = compared with the frontier's cheapest point, which is also more precise.
 */
export function judgeDefault(defaultPoint: FrontierPoint, frontier: readonly FrontierPoint[]): DefaultVerdict {
  const cost = costAtError(frontier, defaultPoint.error);
  if (cost !== null) return { ratio: defaultPoint.meanCostUsd / cost, how: "interpolated" };
  const first = frontier[0]!;
  const last = frontier[frontier.length - 1]!;
  if (defaultPoint.error < first.error) {
    return {
      ratio: Math.min(1, defaultPoint.meanCostUsd / first.meanCostUsd),
      how: "more precise than every swept point",
    };
  }
  return { ratio: defaultPoint.meanCostUsd / last.meanCostUsd, how: "less precise than every swept point" };
}

function point(s: PolicySummary): FrontierPoint {
  return { id: s.id, label: s.label, error: s.hedgeError, meanCostUsd: s.meanCostUsd };
}

interface Row {
  scenario: Scenario;
  analysis: ScenarioAnalysis;
  verdict: DefaultVerdict;
  defaultSummary: PolicySummary;
  frontierFamilies: string;
  bestCostAwareVsTime: number | null;
}

function evaluate(scenario: Scenario, analysis: ScenarioAnalysis): Row {
  const defaultSummary = analysis.summaries.find((s) => s.id === DEFAULT_ID)!;
  const others = analysis.summaries.filter((s) => s.id !== DEFAULT_ID).map(point);
  const frontier = paretoFrontier(others);
  const familyOf = new Map(analysis.summaries.map((s) => [s.id, s.family]));
  const families = [...new Set(frontier.map((p) => familyOf.get(p.id)))].join(", ");
  const vsTime = analysis.views.net.vsTime["cost-aware"];
  return {
    scenario,
    analysis,
    verdict: judgeDefault(point(defaultSummary), frontier),
    defaultSummary,
    frontierFamilies: families,
    bestCostAwareVsTime: vsTime?.minRatio ?? null,
  };
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const plan = options.quick ? QUICK : FULL;
  // The shipped default (scripts/lib/market/stack.ts): the band is max(floor, bps × gross notional); --param overrides it.
  const relativeDefault: RelativeBandRule = {
    bps: Number(options.params["default-band-bps"] ?? DEFAULT_ADAPTER_PARAMS.deltaBandBps),
    floorEth: Number(options.params["default-band-floor"] ?? wadToNumber(DEFAULT_ADAPTER_PARAMS.deltaBandWad)),
  };
  const pool = createBacktestPool(options.threads);
  const depth = depthFromPosition(DEFAULT_REPLICA);
  const rows: Row[] = [];
  try {
    for (const [index, scenario] of scenarios(plan).entries()) {
      const started = performance.now();
      const policies = scaledPolicies(scenario.grossEth, plan.stepSec, REPLICA_GOVERNANCE, relativeDefault);
      const costs: CostParams = { poolFeeBps: POOL_FEE / 100, gasUnitsPerLeg: 180_000, gasPriceGwei: scenario.gasGwei };
      const spec: BacktestSpec = {
        book: book(scenario.bookKind, scenario.grossEth, scenario.vol),
        startSec: START_SEC,
        stepSec: plan.stepSec,
        steps: (HORIZON_DAYS * DAY_SEC) / plan.stepSec,
        spot0Usd: SPOT_USD,
        model: { kind: "gbm", driftAnnual: 0, volAnnual: scenario.vol },
        seed: options.seed + 100 + index,
        paths: plan.paths,
        costs,
        depth,
        policies,
      };
      rows.push(evaluate(scenario, analyse(await pool.run(spec), policies)));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      options.progress(`${scenario.title}: ${plan.paths} paths × ${policies.length} policies in ${seconds} s`);
    }
  } finally {
    await pool.close();
  }
  return report(plan, rows);
}

const ratioText = (ratio: number | null) => (ratio === null ? "n/a" : ratio.toFixed(2));

function report(plan: Plan, rows: Row[]): SectionResult {
  const defaults = defaultPolicyConfig("cost-aware");
  const withinGoal = rows.filter((r) => r.verdict.ratio !== null && r.verdict.ratio <= DEFAULT_GOAL_RATIO);
  const thousand = rows.filter((r) => r.scenario.grossEth === 1000);
  const thousandMet = thousand.filter(
    (r) => r.bestCostAwareVsTime !== null && r.bestCostAwareVsTime <= COST_AWARE_GOAL_RATIO,
  );
  const worst = rows.reduce<Row | null>(
    (w, r) => (r.verdict.ratio !== null && (w === null || r.verdict.ratio > w.verdict.ratio!) ? r : w),
    null,
  );
  const table: Table = {
    title: "The untuned default vs the efficient frontier of every family, at the default's own hedge error",
    columns: [
      "scenario",
      "default: hedge error",
      "default: mean cost (USD)",
      "default: trades",
      "default / frontier cost",
      "how",
      "frontier families",
      "best cost-aware / best time-based",
    ],
    rows: rows.map((r) => [
      r.scenario.title,
      `${(100 * r.defaultSummary.hedgeError).toFixed(2)}%`,
      r.defaultSummary.meanCostUsd,
      r.defaultSummary.meanTrades,
      `${ratioText(r.verdict.ratio)} ${r.verdict.ratio !== null && r.verdict.ratio <= DEFAULT_GOAL_RATIO ? "(met)" : "(not met)"}`,
      r.verdict.how,
      r.frontierFamilies,
      ratioText(r.bestCostAwareVsTime),
    ]),
    note:
      `Default: cost-aware, λ ${defaults.riskAversionPerUsd}/USD, governance band max(${wadToNumber(DEFAULT_ADAPTER_PARAMS.deltaBandWad)} ETH, ` +
      `${DEFAULT_ADAPTER_PARAMS.deltaBandBps / 100}% of gross notional), ` +
      `max trade ${REPLICA_GOVERNANCE.maxTradeEth} ETH, deferral multiple ${defaults.maxDeferralBandMultiple}. ` +
      `${plan.paths} paths per scenario, decisions every ${plan.stepSec / 60} min over ${HORIZON_DAYS} days.`,
  };
  const summary =
    `The keeper's untuned defaults are within 10% of the efficient frontier on ${withinGoal.length} of ${rows.length} ` +
    `books (goal: all; **${withinGoal.length === rows.length ? "met" : "not met"}**)` +
    (worst === null
      ? ""
      : `; the worst is ${worst.scenario.title} at ${ratioText(worst.verdict.ratio)}× the frontier's cost`) +
    `. On the 1,000-ETH books the best cost-aware configuration is ≥ 50% cheaper than the best time-based one at ` +
    `equal hedge error on ${thousandMet.length} of ${thousand.length} (goal: all; ` +
    `**${thousandMet.length === thousand.length && thousand.length > 0 ? "met" : "not met"}**).`;
  return {
    name: "defaults",
    title: "Defaults: the untuned keeper on books of every size",
    summary,
    figures: rows
      .filter((r) => r.verdict.ratio !== null)
      .map((r) =>
        figure(
          `Untuned default vs the frontier at its hedge error: ${r.scenario.title}`,
          r.defaultSummary.meanCostUsd,
          "USD",
          { label: "efficient frontier", value: r.defaultSummary.meanCostUsd / r.verdict.ratio!, unit: "USD" },
          {
            goal: { text: "≤ 1.10 (within 10%)", met: r.verdict.ratio! <= DEFAULT_GOAL_RATIO },
            note: r.verdict.how,
          },
        ),
      ),
    tables: [table],
    charts: [],
    notes: [
      "Sweeps are scaled to the book (bands ∝ gross notional, λ and γ ∝ 1/notional) so every family spans the same " +
        "relative range on every book; the frontier is the Pareto set of all of them (hedge error net of costs).",
      "A default outside the frontier's error range is either more precise than every swept point (then it is on " +
        "the frontier unless it costs more than the most precise point) or less precise than all (then it is compared " +
        "with the frontier's cheapest point, which is also more precise).",
      "Costs: 5 bp pool fee, impact from the replica pool's depth, 180,000 gas per leg at the scenario's gas price.",
    ],
    data: rows.map((r) => ({
      scenario: r.scenario,
      verdict: r.verdict,
      defaultSummary: r.defaultSummary,
      bestCostAwareVsTime: r.bestCostAwareVsTime,
      summaries: r.analysis.summaries,
    })),
  };
}

export const section: BenchSection = {
  name: "defaults",
  title: "Defaults: the untuned keeper on books of every size",
  run,
};
