import type { Snapshot } from "../chain/snapshot.js";
import { BPS, WAD, wethWadToUsdc6Floor, type Wad } from "../units.js";

/** The adapter's RebalanceRequest, in on-chain units. */
export interface RebalanceRequest {
  buyWeth: boolean;
  /** USDC (1e6) when buying WETH, WETH (wad) when selling */
  amountIn: bigint;
  /** USDC (1e6) or WETH (wad) */
  minAmountOut: bigint;
  deadline: bigint;
  expectedNonce: bigint;
}

const USDC_TO_WAD = 10n ** 12n;

/** Fair output at the oracle price for `amountIn`, before slippage: the same formula as the adapter's bound. */
export function fairAmountOut(buyWeth: boolean, amountIn: bigint, oraclePriceWad: Wad): bigint {
  return buyWeth ? (amountIn * WAD * USDC_TO_WAD) / oraclePriceWad : (amountIn * oraclePriceWad) / (WAD * USDC_TO_WAD);
}

/**
 * Turns one leg of a decision into the request the keeper sends, in the leg's exact integer size (no float round
 * trip, so a leg the policy capped at a balance or at maxTradeWethWad stays within it). The size is priced at the
 * oracle: buying `legWad` costs legWad × oracle price in USDC, rounded down (fees make it land a little short of zero delta, never past it). minAmountOut is
 * the fair output minus the keeper's slippage bound (never looser than the on-chain one, which the adapter also applies).
 */
export function buildRebalanceRequest(args: {
  snapshot: Snapshot;
  side: "buyWeth" | "sellWeth";
  legWad: Wad;
  slippageBps: number;
  deadlineSec: number;
}): RebalanceRequest {
  const { snapshot, side, legWad } = args;
  const buyWeth = side === "buyWeth";
  const oracle = snapshot.oracle.priceWad;
  if (oracle <= 0n) throw new RangeError("buildRebalanceRequest: oracle price is not positive");
  if (legWad <= 0n) throw new RangeError(`buildRebalanceRequest: leg ${legWad} wad is not positive`);
  const amountIn = buyWeth ? wethWadToUsdc6Floor(legWad, oracle) : legWad;
  const slippage = BigInt(Math.min(Math.max(0, Math.floor(args.slippageBps)), snapshot.params.maxSlippageBps));
  const fair = fairAmountOut(buyWeth, amountIn, oracle);
  const minAmountOut = (fair * (BPS - slippage) + BPS - 1n) / BPS;
  return {
    buyWeth,
    amountIn,
    minAmountOut,
    deadline: BigInt(snapshot.blockTimestamp + args.deadlineSec),
    expectedNonce: snapshot.hedgeNonce,
  };
}
