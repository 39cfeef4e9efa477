/**
 * What a demo run is asked to do, its defaults and their validation, and the seeded price path it follows.
 */
import { Rng } from "../../../bench/backtest/rng.js";
import { simulatePath, type PathModel } from "../../../bench/backtest/paths.js";
import type { PolicyKind } from "../../../keeper/policy/index.js";
import { SECONDS_PER_YEAR } from "../../../keeper/units.js";

export const POLICY_KINDS = ["band", "cost-aware", "whalley-wilmott", "time"] as const satisfies readonly PolicyKind[];

export interface DemoOptions {
  /** market steps; each step is one oracle answer, one arbitrage and one keeper cycle */
  blocks: number;
  /** chain seconds between two steps (the chain clock is set, so option time decay is real) */
  stepSec: number;
  /** seeds the price path and the book */
  seed: number;
  /** annualised vol of the path's diffusion (the book's implied vols are ~65%) */
  vol: number;
  /** expected number of price jumps over the whole run (Merton jumps; 0 = pure GBM) */
  jumps: number;
  policy: PolicyKind;
  /** option series on the vault (20–50) */
  series: number;
  spotUsd: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  blocks: 240,
  stepSec: 360,
  seed: 1,
  vol: 0.8,
  jumps: 0,
  policy: "cost-aware",
  series: 30,
  spotUsd: 3000,
};

/** A demo option out of range: the CLI prints the message and exits 2. */
export class DemoUsageError extends Error {
  override name = "DemoUsageError";
}

function requireRange(name: string, value: number, min: number, max: number, integer = false): void {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? "an integer" : "a number";
    throw new DemoUsageError(`--${name} must be ${kind} in [${min}, ${max}], got ${value}`);
  }
}

/** Checks every option against its range; throws a DemoUsageError naming the first one at fault. */
export function validateDemoOptions(options: DemoOptions): DemoOptions {
  requireRange("blocks", options.blocks, 1, 100_000, true);
  requireRange("step-sec", options.stepSec, 12, 86_400, true);
  requireRange("seed", options.seed, 0, 2 ** 32 - 1, true);
  requireRange("vol", options.vol, 0, 5);
  requireRange("jumps", options.jumps, 0, 1_000);
  requireRange("series", options.series, 20, 50, true);
  if (!POLICY_KINDS.includes(options.policy)) {
    throw new DemoUsageError(`--policy must be one of ${POLICY_KINDS.join(", ")}, got ${String(options.policy)}`);
  }
  return options;
}

/** Size of one Merton jump in log price: mean −1%, std 3% (a jump down is a little likelier than one up). */
const JUMP_MEAN_LOG = -0.01;
const JUMP_STD_LOG = 0.03;

/** The path model of a run: GBM with the given vol, plus Merton jumps when `jumps` > 0 (no drift). */
export function pathModel(options: DemoOptions): PathModel {
  if (options.jumps === 0) return { kind: "gbm", driftAnnual: 0, volAnnual: options.vol };
  const runYears = (options.blocks * options.stepSec) / SECONDS_PER_YEAR;
  return {
    kind: "merton",
    driftAnnual: 0,
    volAnnual: options.vol,
    jumpsPerYear: options.jumps / runYears,
    jumpMeanLog: JUMP_MEAN_LOG,
    jumpStdLog: JUMP_STD_LOG,
  };
}

/** Oracle prices S_0 … S_blocks of the run (deterministic for a seed). */
export function pricePath(options: DemoOptions): Float64Array {
  const out = new Float64Array(options.blocks + 1);
  // Stream 0x0de0 keeps the path independent of the book's generator, which shares the seed.
  return simulatePath(
    pathModel(options),
    new Rng(options.seed, 0x0de0),
    options.spotUsd,
    options.stepSec / SECONDS_PER_YEAR,
    options.blocks,
    out,
  );
}
