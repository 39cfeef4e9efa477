/**
 * What the efficiency section runs: the plans (quick, full), the books, the price-path models and the scenarios that
 * pair them with each policy family's sweep, as backtest specs.
 */
import { type BookRow } from "../keeper/risk/index.js";
import { defaultPolicyConfig } from "../keeper/policy/index.js";
import { DEFAULT_REPLICA } from "../scripts/lib/market/market.js";
import type { CostParams } from "./backtest/costs.js";
import { depthFromPosition } from "./backtest/depth.js";
import type { BacktestSpec, PolicySpec } from "./backtest/engine.js";
import { mertonDiffusiveVol, type PathModel } from "./backtest/paths.js";
import {
  REPLICA_GOVERNANCE,
  bandPolicies,
  costAwareKeeperDefault,
  costAwarePolicies,
  timePolicies,
  whalleyWilmottPolicies,
  zakamoulinePolicies,
} from "./backtest/policies.js";
import { type FrontierComparison } from "./backtest/stats.js";

const DAY_SEC = 86_400;
export const START_SEC = 1_750_000_000;
export const HORIZON_DAYS = 30;
export const SPOT_USD = DEFAULT_REPLICA.initialPriceUsd;
export const IMPLIED_VOL = 0.8;
/** The goal: at equal hedge error, cost-aware costs ≥ 30% less than the best time-based policy. */
export const GOAL_RATIO = 0.7;

export interface Plan {
  stepSec: number;
  /** paths of the headline scenario (ATM calls, GBM) */
  headlinePaths: number;
  /** paths of the mixed-book, jump and regime scenarios and of the gas sensitivity */
  otherPaths: number;
  textbookPaths: number;
  /** extra gas prices (gwei) for the headline comparison (time-based and cost-aware only) */
  sensitivityGwei: number[];
  /** extra decision steps (seconds) for the headline comparison: finer checks favour move-based policies */
  sensitivityStepSec: number[];
}

export const QUICK: Plan = {
  stepSec: 1800,
  headlinePaths: 96,
  otherPaths: 48,
  textbookPaths: 1000,
  sensitivityGwei: [],
  sensitivityStepSec: [],
};
export const FULL: Plan = {
  stepSec: 900,
  headlinePaths: 500,
  otherPaths: 250,
  textbookPaths: 10_000,
  sensitivityGwei: [0, 20],
  sensitivityStepSec: [300],
};

const TIME_INTERVALS_SEC = [900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const BANDS_ETH = [0.5, 1, 2, 3, 5, 8, 12];
/** λ sizes cost-aware's gamma-scaled band as (k·S·Γ²/λ)^(1/3), as for Whalley–Wilmott: the same grid spans the same widths */
export const COST_AWARE_LAMBDAS = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
/** The replica's governance band (the hard maximum) and the keeper's default deferral limit */
export const COST_AWARE_SWEEP = {
  bandEth: REPLICA_GOVERNANCE.deltaBandEth,
  maxDeferralBandMultiple: defaultPolicyConfig("cost-aware").maxDeferralBandMultiple,
};
const WW_LAMBDAS = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
/** Zakamouline's γ over the same grid: its band's width spans the same range as WW's */
const ZAKAMOULINE_GAMMAS = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2];

export const EMPTY_COMPARISON: FrontierComparison = { matched: [], medianRatio: null, minRatio: null, maxRatio: null };

export const expiry = (days: number) => START_SEC + days * DAY_SEC;

export const ATM_BOOK: BookRow[] = [
  { strikeUsd: SPOT_USD, expirySec: expiry(30), isCall: true, sizeEth: -100, vol: IMPLIED_VOL },
];
/** Short strangle + a short weekly + a long longer-dated put: gamma that changes size, and can change sign, over the month. */
const MIXED_BOOK: BookRow[] = [
  { strikeUsd: 3300, expirySec: expiry(30), isCall: true, sizeEth: -60, vol: IMPLIED_VOL },
  { strikeUsd: 2700, expirySec: expiry(30), isCall: false, sizeEth: -60, vol: IMPLIED_VOL },
  { strikeUsd: 3000, expirySec: expiry(7), isCall: true, sizeEth: -40, vol: IMPLIED_VOL },
  { strikeUsd: 3000, expirySec: expiry(45), isCall: false, sizeEth: 30, vol: IMPLIED_VOL },
];

export const GBM: PathModel = { kind: "gbm", driftAnnual: 0, volAnnual: IMPLIED_VOL };
const JUMPS = { jumpsPerYear: 20, jumpMeanLog: -0.01, jumpStdLog: 0.05 };
/** Jumps on top of a diffusion scaled so the total variance still matches the 80% implied vol. */
const MERTON: PathModel = {
  kind: "merton",
  driftAnnual: 0,
  volAnnual: mertonDiffusiveVol(IMPLIED_VOL, JUMPS),
  ...JUMPS,
};
const CALM_VOL = 0.55;
const STRESSED_VOL = 1.2;
const STRESSED_TO_CALM_PER_YEAR = 73; // stressed spells last 5 days on average
/** Calm → stressed intensity that makes the stationary variance equal the implied 80%². */
const stressedShare = (IMPLIED_VOL ** 2 - CALM_VOL ** 2) / (STRESSED_VOL ** 2 - CALM_VOL ** 2);
const REGIME: PathModel = {
  kind: "regime",
  driftAnnual: 0,
  volsAnnual: [CALM_VOL, STRESSED_VOL],
  switchesPerYear: [(STRESSED_TO_CALM_PER_YEAR * stressedShare) / (1 - stressedShare), STRESSED_TO_CALM_PER_YEAR],
};

export interface Scenario {
  id: string;
  title: string;
  book: BookRow[];
  model: PathModel;
  seedOffset: number;
  paths: number;
  costs: CostParams;
  policies: PolicySpec[];
  /** seconds between decisions when not the plan's */
  stepSec?: number;
}

function allPolicies(stepSec: number, families: "all" | "time-and-cost-aware" = "all"): PolicySpec[] {
  const time = timePolicies(TIME_INTERVALS_SEC.filter((sec) => sec % stepSec === 0));
  const costAware = [...costAwarePolicies(COST_AWARE_LAMBDAS, COST_AWARE_SWEEP), costAwareKeeperDefault()];
  if (families === "time-and-cost-aware") return [...time, ...costAware];
  return [
    ...time,
    ...bandPolicies(BANDS_ETH),
    ...costAware,
    ...whalleyWilmottPolicies(WW_LAMBDAS),
    ...zakamoulinePolicies(ZAKAMOULINE_GAMMAS),
  ];
}

export function scenarios(plan: Plan, costs: CostParams, paths: number | null): Scenario[] {
  const policies = allPolicies(plan.stepSec);
  const base = { costs, policies, paths: paths ?? plan.otherPaths };
  const list: Scenario[] = [
    {
      ...base,
      id: "atm-gbm",
      title: "ATM calls, GBM",
      book: ATM_BOOK,
      model: GBM,
      seedOffset: 0,
      paths: paths ?? plan.headlinePaths,
    },
    { ...base, id: "mixed-gbm", title: "mixed book, GBM", book: MIXED_BOOK, model: GBM, seedOffset: 0 },
    { ...base, id: "atm-jumps", title: "ATM calls, GBM + jumps", book: ATM_BOOK, model: MERTON, seedOffset: 1 },
    {
      ...base,
      id: "atm-regime",
      title: "ATM calls, regime-switching vol",
      book: ATM_BOOK,
      model: REGIME,
      seedOffset: 2,
    },
  ];
  for (const gwei of plan.sensitivityGwei) {
    list.push({
      ...base,
      id: `atm-gbm-gas-${gwei}`,
      title: `ATM calls, GBM, gas ${gwei} gwei`,
      book: ATM_BOOK,
      model: GBM,
      seedOffset: 0,
      costs: { ...costs, gasPriceGwei: gwei },
      policies: allPolicies(plan.stepSec, "time-and-cost-aware"),
    });
  }
  for (const stepSec of plan.sensitivityStepSec) {
    list.push({
      ...base,
      id: `atm-gbm-step-${stepSec}`,
      title: `ATM calls, GBM, decisions every ${stepSec / 60} min`,
      book: ATM_BOOK,
      model: GBM,
      seedOffset: 0,
      stepSec,
      policies: allPolicies(stepSec, "time-and-cost-aware"),
    });
  }
  return list;
}

export function toSpec(s: Scenario, plan: Plan, seed: number): BacktestSpec {
  const stepSec = s.stepSec ?? plan.stepSec;
  return {
    book: s.book,
    startSec: START_SEC,
    stepSec,
    steps: (HORIZON_DAYS * DAY_SEC) / stepSec,
    spot0Usd: SPOT_USD,
    model: s.model,
    seed: seed + s.seedOffset,
    paths: s.paths,
    costs: s.costs,
    depth: depthFromPosition(DEFAULT_REPLICA),
    policies: s.policies,
  };
}

/** Hull's experiment through the pool. */
