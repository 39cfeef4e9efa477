import type { Snapshot } from "../chain/snapshot.js";
import { BPS, numberToWad, WAD, type Wad } from "../units.js";

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
 * Turns one leg of a decision into the request the keeper sends. The size is priced at the oracle: buying `legEth`
 * costs legEth × oracle price in USDC (fees make it land a little short of zero delta, never past it). minAmountOut is
 * the fair output minus the keeper's slippage bound (never looser than the on-chain one, which the adapter also applies).
 */
export function buildRebalanceRequest(args: {
  snapshot: Snapshot;
  side: "buyWeth" | "sellWeth";
  legEth: number;
  slippageBps: number;
  deadlineSec: number;
}): RebalanceRequest {
  const { snapshot, side, legEth } = args;
  const buyWeth = side === "buyWeth";
  const legWad = numberToWad(legEth);
  const oracle = snapshot.oracle.priceWad;
  if (oracle <= 0n) throw new RangeError("buildRebalanceRequest: oracle price is not positive");
  const amountIn = buyWeth ? (legWad * oracle) / (WAD * USDC_TO_WAD) : legWad;
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
