/**
 * Cost, benefit and band-width models of the policy, and leg splitting. Units: ETH, USD, bps, seconds.
 */
import { secondsToYears } from "../units.js";
import type { CostModel } from "./types.js";
import { requireNumber } from "./validate.js";

const BPS_PER_UNIT = 10_000;

/**
 * Proportional cost of trading `tradeEth` in one go, as a fraction (fee + slippage; 0.0006 = 6 bps).
 * @throws RangeError when `cost.slippageBps` returns a negative or non-finite number
 */
export function proportionalCost(cost: CostModel, tradeEth: number): number {
  const slippageBps = cost.slippageBps(tradeEth);
  requireNumber(`cost.slippageBps(${tradeEth})`, slippageBps, "non-negative");
  return (cost.poolFeeBps + slippageBps) / BPS_PER_UNIT;
}

/** Expected cost of a hedge, USD: gas × legs + notional × (fee + slippage(totalEth)). */
export function expectedHedgeCostUsd(cost: CostModel, totalEth: number, legCount: number, spotUsd: number): number {
  return cost.gasCostUsd * legCount + totalEth * spotUsd * proportionalCost(cost, totalEth);
}

/**
 * Monetised risk reduction of moving net delta from `fromDeltaEth` to `toDeltaEth`, USD:
 * λ · (from² − to²) · S² · σ² · horizon / year. S²σ²·h is the variance (USD² per ETH²) of spot over the
 * horizon, so Δ²S²σ²h is the variance of the unhedged P&L, and λ (1/USD) turns variance into USD.
 */
export function riskReductionUsd(args: {
  fromDeltaEth: number;
  toDeltaEth: number;
  spotUsd: number;
  volAnnual: number;
  horizonSec: number;
  riskAversionPerUsd: number;
}): number {
  const spotVariancePerEth2 = args.spotUsd ** 2 * args.volAnnual ** 2 * secondsToYears(args.horizonSec);
  return args.riskAversionPerUsd * (args.fromDeltaEth ** 2 - args.toDeltaEth ** 2) * spotVariancePerEth2;
}

/**
 * Half-width of the Whalley–Wilmott no-trade band around zero net delta, ETH:
 *
 *     H = ( 3/2 · k · S · Γ² / λ )^(1/3)
 *
 * with k the proportional cost (fraction), S spot (USD), Γ the net gamma (ETH per USD) and λ the
 * risk aversion (1/USD). Source: A. E. Whalley and P. Wilmott, "An asymptotic analysis of an optimal
 * hedging model for option pricing with transaction costs", Mathematical Finance 7(3), 1997 — the
 * leading-order (small-cost, continuous-time) band for exponential utility, here with r = 0 so the
 * discount factor e^{-r(T-t)} is 1. Outside the band the optimal trade goes to the band edge, not to
 * zero. Returns 0 when Γ = 0 (the asymptotic has no band then; callers fall back to governance).
 */
export function whalleyWilmottBandEth(args: {
  spotUsd: number;
  netGammaPerUsd: number;
  proportionalCost: number;
  riskAversionPerUsd: number;
}): number {
  requireNumber("spotUsd", args.spotUsd, "positive");
  requireNumber("netGammaPerUsd", args.netGammaPerUsd, "finite");
  requireNumber("proportionalCost", args.proportionalCost, "non-negative");
  requireNumber("riskAversionPerUsd", args.riskAversionPerUsd, "positive");
  return Math.cbrt((1.5 * args.proportionalCost * args.spotUsd * args.netGammaPerUsd ** 2) / args.riskAversionPerUsd);
}
