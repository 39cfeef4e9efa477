/**
 * Spot price paths for the backtester, one path at a time into a caller's buffer (no per-step allocation).
 *
 * Models (drift and vols annualised, time in years):
 * - "gbm": geometric Brownian motion, log S moves by (μ − σ²/2)·dt + σ·√dt·Z.
 * - "merton": GBM plus compound-Poisson jumps in log S (Merton 1976): N ~ Poisson(λ·dt) jumps per step,
 *   each ~ Normal(m, s²). The drift is compensated by λ·κ, κ = e^{m + s²/2} − 1, so E[S_t] = S_0·e^{μt}
 *   as under GBM and the jumps only reshape the distribution.
 * - "regime": GBM whose vol follows a two-state Markov chain (calm / stressed); the state switches at the
 *   given intensities, so a step of length dt switches with probability 1 − e^{−q·dt}. The first state is
 *   drawn from the chain's stationary distribution unless `startRegime` pins it.
 */
import type { Rng } from "./rng.js";

export interface GbmModel {
  kind: "gbm";
  driftAnnual: number;
  volAnnual: number;
}

export interface MertonModel {
  kind: "merton";
  driftAnnual: number;
  /** vol of the diffusive part only */
  volAnnual: number;
  /** λ, expected jumps per year */
  jumpsPerYear: number;
  /** m, mean of one jump in log S */
  jumpMeanLog: number;
  /** s, std of one jump in log S */
  jumpStdLog: number;
}

export interface RegimeModel {
  kind: "regime";
  driftAnnual: number;
  /** vol in regime 0 (calm) and regime 1 (stressed) */
  volsAnnual: readonly [number, number];
  /** switching intensities per year: [calm → stressed, stressed → calm] */
  switchesPerYear: readonly [number, number];
  /** regime at t = 0; drawn from the stationary distribution when omitted */
  startRegime?: 0 | 1;
}

export type PathModel = GbmModel | MertonModel | RegimeModel;

/** Total annualised variance of log returns of a model (for matching an implied vol across models). */
export function totalVarianceAnnual(model: PathModel): number {
  switch (model.kind) {
    case "gbm":
      return model.volAnnual ** 2;
    case "merton":
      return model.volAnnual ** 2 + model.jumpsPerYear * (model.jumpMeanLog ** 2 + model.jumpStdLog ** 2);
    case "regime": {
      const [toStressed, toCalm] = model.switchesPerYear;
      const stressedShare = toStressed / (toStressed + toCalm);
      return (1 - stressedShare) * model.volsAnnual[0] ** 2 + stressedShare * model.volsAnnual[1] ** 2;
    }
  }
}

/** Diffusive vol of a Merton model whose total variance equals `targetVolAnnual`² (throws if jumps alone exceed it). */
export function mertonDiffusiveVol(
  targetVolAnnual: number,
  jumps: Pick<MertonModel, "jumpsPerYear" | "jumpMeanLog" | "jumpStdLog">,
): number {
  const jumpVariance = jumps.jumpsPerYear * (jumps.jumpMeanLog ** 2 + jumps.jumpStdLog ** 2);
  const diffusive = targetVolAnnual ** 2 - jumpVariance;
  if (!(diffusive > 0))
    throw new RangeError(`mertonDiffusiveVol: jump variance ${jumpVariance} exceeds the target ${targetVolAnnual}²`);
  return Math.sqrt(diffusive);
}

/**
 * Write one path S_0 … S_steps (steps + 1 prices) into `out`, drawing from `rng`.
 * @param regimeOut optional: the regime in force over step i → i+1 (regime model only)
 * @throws RangeError on a non-positive spot or step, or a buffer shorter than steps + 1
 */
export function simulatePath(
  model: PathModel,
  rng: Rng,
  spot0: number,
  stepYears: number,
  steps: number,
  out: Float64Array,
  regimeOut?: Uint8Array,
): Float64Array {
  if (!(spot0 > 0)) throw new RangeError(`simulatePath: spot0 must be > 0, got ${spot0}`);
  if (!(stepYears > 0)) throw new RangeError(`simulatePath: stepYears must be > 0, got ${stepYears}`);
  if (out.length < steps + 1) throw new RangeError(`simulatePath: out holds ${out.length} prices, need ${steps + 1}`);
  const sqrtDt = Math.sqrt(stepYears);
  let logSpot = Math.log(spot0);
  out[0] = spot0;
  switch (model.kind) {
    case "gbm": {
      const driftStep = (model.driftAnnual - 0.5 * model.volAnnual ** 2) * stepYears;
      const volStep = model.volAnnual * sqrtDt;
      for (let i = 1; i <= steps; i++) {
        logSpot += driftStep + volStep * rng.normal();
        out[i] = Math.exp(logSpot);
      }
      return out;
    }
    case "merton": {
      const kappa = Math.exp(model.jumpMeanLog + 0.5 * model.jumpStdLog ** 2) - 1;
      const driftStep = (model.driftAnnual - 0.5 * model.volAnnual ** 2 - model.jumpsPerYear * kappa) * stepYears;
      const volStep = model.volAnnual * sqrtDt;
      const jumpMeanPerStep = model.jumpsPerYear * stepYears;
      for (let i = 1; i <= steps; i++) {
        logSpot += driftStep + volStep * rng.normal();
        const jumps = rng.poisson(jumpMeanPerStep);
        for (let j = 0; j < jumps; j++) logSpot += model.jumpMeanLog + model.jumpStdLog * rng.normal();
        out[i] = Math.exp(logSpot);
      }
      return out;
    }
    case "regime": {
      const [toStressed, toCalm] = model.switchesPerYear;
      const switchProbability = [1 - Math.exp(-toStressed * stepYears), 1 - Math.exp(-toCalm * stepYears)] as const;
      const driftStep = [
        (model.driftAnnual - 0.5 * model.volsAnnual[0] ** 2) * stepYears,
        (model.driftAnnual - 0.5 * model.volsAnnual[1] ** 2) * stepYears,
      ] as const;
      const volStep = [model.volsAnnual[0] * sqrtDt, model.volsAnnual[1] * sqrtDt] as const;
      let regime: 0 | 1 = model.startRegime ?? (rng.uniform() < toStressed / (toStressed + toCalm) ? 1 : 0);
      for (let i = 1; i <= steps; i++) {
        if (regimeOut !== undefined) regimeOut[i - 1] = regime;
        logSpot += driftStep[regime] + volStep[regime] * rng.normal();
        out[i] = Math.exp(logSpot);
        if (rng.uniform() < switchProbability[regime]) regime = regime === 0 ? 1 : 0;
      }
      return out;
    }
  }
}
