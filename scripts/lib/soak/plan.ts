/**
 * What one soak seed runs: its market regime (a seeded price path), chain seconds per block, hedge policy, vault
 * collateral, fault rates and governance schedule. Pure: the same seed always gives the same plan and path.
 */
import { Rng } from "../../../bench/backtest/rng.js";
import { simulatePath, type PathModel } from "../../../bench/backtest/paths.js";
import type { PolicyKind } from "../../../keeper/policy/index.js";
import { SECONDS_PER_YEAR } from "../../../keeper/units.js";

export const REGIMES = ["gbm", "jumps", "vol-switch", "trend-down", "trend-up"] as const;
export type Regime = (typeof REGIMES)[number];

/** Chain seconds between two keeper cycles (5, 10, 15 simulated minutes). */
export const STEP_SEC_CHOICES = [300, 600, 900] as const;

export interface SeedPlan {
  seed: number;
  regime: Regime;
  blocks: number;
  stepSec: number;
  policy: PolicyKind;
  spotUsd: number;
  /** USDC the vault starts with (a trend-up seed starts short of USDC so the buy side runs dry) */
  vaultUsdc: number;
  /** probability that a JSON-RPC request to the keeper's RPC gets an injected fault */
  rpcFaultRate: number;
  /** probability that a keeper transaction broadcast is dropped before or after the node saw it */
  txFaultRate: number;
  /** mean blocks between two governance parameter changes */
  governanceEveryBlocks: number;
  /** mean blocks between two oracle outages (the feed is not refreshed for longer than maxOracleAgeSec) */
  outageEveryBlocks: number;
}

/** Regime of a seed: seeds cycle through every regime, so any five consecutive seeds cover them all. */
export function regimeOf(seed: number): Regime {
  return REGIMES[seed % REGIMES.length]!;
}

/** The plan of `seed` for a run of `blocks` keeper cycles. */
export function planSeed(seed: number, blocks: number): SeedPlan {
  const rng = new Rng(seed, 0x50a4);
  const regime = regimeOf(seed);
  return {
    seed,
    regime,
    blocks,
    stepSec: STEP_SEC_CHOICES[Math.floor(rng.uniform() * STEP_SEC_CHOICES.length)]!,
    // The band policy promises the band; every fourth seed runs the default cost-aware policy as an operator would.
    policy: seed % 4 === 3 ? "cost-aware" : "band",
    spotUsd: 3000,
    vaultUsdc: regime === "trend-up" ? 400_000 : 20_000_000,
    rpcFaultRate: 0.005 + 0.015 * rng.uniform(),
    txFaultRate: 0.05 + 0.1 * rng.uniform(),
    governanceEveryBlocks: 150 + Math.floor(250 * rng.uniform()),
    outageEveryBlocks: regime === "vol-switch" || regime === "jumps" ? 1500 : 0,
  };
}

/** The price model of a regime (annualised; trends are strong enough to move the spot by a third in three weeks). */
export function regimeModel(regime: Regime): PathModel {
  switch (regime) {
    case "gbm":
      return { kind: "gbm", driftAnnual: 0, volAnnual: 0.7 };
    case "jumps":
      return {
        kind: "merton",
        driftAnnual: 0,
        volAnnual: 0.6,
        jumpsPerYear: 60,
        jumpMeanLog: -0.01,
        jumpStdLog: 0.05,
      };
    case "vol-switch":
      return { kind: "regime", driftAnnual: 0, volsAnnual: [0.4, 1.6], switchesPerYear: [40, 120] };
    case "trend-down":
      return { kind: "gbm", driftAnnual: -7, volAnnual: 0.5 };
    case "trend-up":
      return { kind: "gbm", driftAnnual: 7, volAnnual: 0.5 };
  }
}

/** Oracle prices S_0 … S_blocks of the plan's regime, at its step. */
export function pricePath(plan: SeedPlan): Float64Array {
  const out = new Float64Array(plan.blocks + 1);
  return simulatePath(
    regimeModel(plan.regime),
    new Rng(plan.seed, 0x0de0),
    plan.spotUsd,
    plan.stepSec / SECONDS_PER_YEAR,
    plan.blocks,
    out,
  );
}
