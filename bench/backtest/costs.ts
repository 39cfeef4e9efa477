/**
 * Execution costs of a hedge leg in the backtest, and the `CostModel` the policy sees.
 *
 * One leg (one swap transaction through the adapter) of q ETH at spot S costs
 *
 *     q·S·(fee + impact(q)) + gasUnits · gasPrice · S
 *
 * with the fee the pool's tier (5 bp for the 0.05% pool), the impact from the depth model (`depth.ts`) on the
 * leg's side, and gas priced in ETH and converted at spot. The policy's `CostModel` is built from the same
 * numbers so the keeper decides on the costs it will pay; since `CostModel.slippageBps` is side-blind it is
 * given the buy-side impact, the larger of the two.
 */
import type { CostModel, HedgeSide } from "../../keeper/policy/index.js";
import { priceImpactBps, type DepthModel } from "./depth.js";

const BPS_PER_UNIT = 10_000;
const WEI_PER_GWEI = 1e-9;

export interface CostParams {
  /** pool fee tier, bps (5 = the 0.05% pool) */
  poolFeeBps: number;
  /** gas of one hedge leg (an adapter `rebalance`), gas units */
  gasUnitsPerLeg: number;
  /** gas price, gwei (1e-9 ETH per gas unit) */
  gasPriceGwei: number;
}

/** Gas cost of one leg at spot `spotUsd`, USD. */
export function gasCostUsd(costs: CostParams, spotUsd: number): number {
  return costs.gasUnitsPerLeg * costs.gasPriceGwei * WEI_PER_GWEI * spotUsd;
}

/** Fee + impact + gas of one leg of `legEth` ETH on `side` at `spotUsd`, USD (>= 0). */
export function legCostUsd(
  costs: CostParams,
  depth: DepthModel,
  spotUsd: number,
  legEth: number,
  side: HedgeSide,
): number {
  const proportional = (costs.poolFeeBps + priceImpactBps(depth, spotUsd, legEth, side)) / BPS_PER_UNIT;
  return legEth * spotUsd * proportional + gasCostUsd(costs, spotUsd);
}

/** A policy `CostModel` whose gas and slippage follow the spot set by `at` (one mutable object, no per-step allocation). */
export interface SpotCostModel {
  /** the model as of the last `at` call */
  readonly model: CostModel;
  /** move the model to `spotUsd` and return it */
  at(spotUsd: number): CostModel;
}

export function spotCostModel(costs: CostParams, depth: DepthModel): SpotCostModel {
  let spotUsd = 1;
  const model: CostModel = {
    gasCostUsd: 0,
    poolFeeBps: costs.poolFeeBps,
    slippageBps: (tradeEth) => priceImpactBps(depth, spotUsd, tradeEth, "buyWeth"),
  };
  return {
    model,
    at(spot: number): CostModel {
      spotUsd = spot;
      model.gasCostUsd = gasCostUsd(costs, spot);
      return model;
    },
  };
}
