import type { Snapshot } from "../chain/snapshot.js";
import { BPS, USDC6_TO_WAD, WAD, wethWadToUsdc6Floor, type Wad } from "../units.js";

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

/**
 * How far the keeper's clock may run ahead of the head's timestamp and still date the deadline: an idle local chain
 * lags by its idle time; beyond an hour the feeds are stale (maxOracleAgeSec) and no hedge is sent anyway.
 */
export const MAX_CLOCK_LEAD_SEC = 3600;

/** Fair output at the oracle price for `amountIn`, before slippage: the same formula as the adapter's bound. */
export function fairAmountOut(buyWeth: boolean, amountIn: bigint, oraclePriceWad: Wad): bigint {
  return buyWeth
    ? (amountIn * WAD * USDC6_TO_WAD) / oraclePriceWad
    : (amountIn * oraclePriceWad) / (WAD * USDC6_TO_WAD);
}

/**
 * Turns one leg of a decision into the request the keeper sends, in the leg's exact integer size (no float round
 * trip, so a leg the policy capped at a balance or at maxTradeWethWad stays within it). The size is priced at the
 * oracle: buying `legWad` costs legWad × oracle price in USDC, rounded down (fees make it land a little short of zero delta, never past it). minAmountOut is
 * the fair output minus the keeper's slippage bound (never looser than the on-chain one, which the adapter also applies).
 * The deadline counts from the later of the head's timestamp and the keeper's clock: the transaction lands in a block
 * stamped no earlier than now, and a chain that mines only on demand (an idle automine node) can have a head minutes
 * old, so a deadline from the head alone would already have passed when the hedge is mined (DeadlineExpired). A clock
 * more than MAX_CLOCK_LEAD_SEC ahead of the head is not trusted (a fork pinned at an old block mines at the fork's time,
 * not ours, and a deadline from our clock would never expire there): the head's timestamp is used instead.
 */
export function buildRebalanceRequest(args: {
  snapshot: Snapshot;
  side: "buyWeth" | "sellWeth";
  legWad: Wad;
  slippageBps: number;
  deadlineSec: number;
  /** the keeper's wall clock, seconds since the epoch */
  nowSec: number;
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
    deadline: BigInt(deadlineBaseSec(snapshot.blockTimestamp, args.nowSec) + args.deadlineSec),
    expectedNonce: snapshot.hedgeNonce,
  };
}

/** The later of the head's timestamp and the keeper's clock, unless the clock leads by more than MAX_CLOCK_LEAD_SEC. */
function deadlineBaseSec(headTimestampSec: number, nowSec: number): number {
  const clockSec = Math.floor(nowSec);
  return clockSec > headTimestampSec && clockSec - headTimestampSec <= MAX_CLOCK_LEAD_SEC ? clockSec : headTimestampSec;
}
