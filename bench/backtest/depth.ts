/**
 * Price impact of a Uniswap V3 pool, from the constant-product invariant that holds inside one position's range.
 *
 * A position over [P_a, P_b] minted at price P_0 with x_0 WETH and y_0 = x_0·P_0 USDC gets liquidity
 *
 *     L = min( x_0 / (1/√P_0 − 1/√P_b),  y_0 / (√P_0 − √P_a) )          [√(ETH·USD)]
 *
 * (the position manager deposits the binding side in full and the other only as far as it matches). While
 * the price stays in range the pool trades like a constant-product pool with *virtual* reserves
 *
 *     X = L/√P WETH,  Y = L·√P USDC,  X·Y = L².
 *
 * Buying q WETH moves X to X − q and pays Y·q/(X − q) USDC before the fee: average price P·X/(X − q), so the
 * impact over the pre-trade price is q/(X − q). Selling q WETH (after the fee) moves X to X + q and receives
 * Y·q/(X + q): average price P·X/(X + q), impact q/(X + q). Both are ≈ q/X = q·√P/L for q ≪ X: linear in size.
 *
 * For the replica (`scripts/lib/market/market.ts` DEFAULT_REPLICA: $3000, 5,000 WETH + $15M USDC over ±50%) the USDC
 * side binds: L ≈ 9.35e5, X ≈ 17,070 ETH at $3000, so about 0.59 bp of impact per ETH traded (10 ETH ≈ 5.9 bp,
 * 100 ETH ≈ 59 bp). The replica's ticks are rounded to the 10-tick spacing (≤ 0.1% of price), ignored here.
 *
 * Backtest assumptions: the impact is temporary (arbitrageurs bring the pool back to the oracle price between
 * steps) and liquidity providers keep L in range as the price moves (the position is re-centred on spot), so
 * X(S) = L/√S at every spot. A trade larger than the real reserves inside the range is refused.
 */
import type { HedgeSide } from "../../keeper/policy/index.js";
import type { ReplicaOptions } from "../../scripts/lib/market/market.js";

const BPS_PER_UNIT = 10_000;

export interface DepthModel {
  /** in-range liquidity L, √(ETH·USD) in human units (on chain: L·1e12 for 18/6 decimals) */
  liquidity: number;
  /** half-width of the range as a fraction of the price (0.5 = ±50%); bounds the largest trade */
  rangeFraction: number;
}

/** Liquidity of a position minted as the replica does (see the module doc for the formula). */
export function depthFromPosition(
  position: Pick<ReplicaOptions, "initialPriceUsd" | "liquidityWeth" | "rangeFraction">,
): DepthModel {
  const { initialPriceUsd: price, liquidityWeth, rangeFraction } = position;
  if (!(price > 0) || !(liquidityWeth > 0) || !(rangeFraction > 0 && rangeFraction < 1))
    throw new RangeError(
      `depthFromPosition: need price > 0, liquidityWeth > 0, rangeFraction in (0, 1); got ${price}, ${liquidityWeth}, ${rangeFraction}`,
    );
  const sqrtPrice = Math.sqrt(price);
  const sqrtLower = Math.sqrt(price * (1 - rangeFraction));
  const sqrtUpper = Math.sqrt(price * (1 + rangeFraction));
  const fromWeth = liquidityWeth / (1 / sqrtPrice - 1 / sqrtUpper);
  const fromUsdc = (liquidityWeth * price) / (sqrtPrice - sqrtLower);
  return { liquidity: Math.min(fromWeth, fromUsdc), rangeFraction };
}

/** Virtual WETH reserve X = L/√S at spot `spotUsd`, ETH. */
export function virtualWethReserve(depth: DepthModel, spotUsd: number): number {
  return depth.liquidity / Math.sqrt(spotUsd);
}

/** Largest WETH trade on `side` that stays inside the range centred on spot, ETH. */
export function maxTradeInRangeEth(depth: DepthModel, spotUsd: number, side: HedgeSide): number {
  const reserve = virtualWethReserve(depth, spotUsd);
  return side === "buyWeth"
    ? reserve * (1 - 1 / Math.sqrt(1 + depth.rangeFraction))
    : reserve * (1 / Math.sqrt(1 - depth.rangeFraction) - 1);
}

/**
 * Price impact of trading `tradeEth` WETH on `side` at spot `spotUsd`, bps of the pre-trade price, excluding the
 * pool fee: q/(X − q) when buying, q/(X + q) when selling.
 * @throws RangeError when the trade is negative or exceeds the liquidity inside the range
 */
export function priceImpactBps(depth: DepthModel, spotUsd: number, tradeEth: number, side: HedgeSide): number {
  if (!(tradeEth >= 0)) throw new RangeError(`priceImpactBps: tradeEth must be >= 0, got ${tradeEth}`);
  if (tradeEth > maxTradeInRangeEth(depth, spotUsd, side))
    throw new RangeError(
      `priceImpactBps: ${side} ${tradeEth} ETH exceeds the ${maxTradeInRangeEth(depth, spotUsd, side)} ETH in range at ${spotUsd} USD`,
    );
  const reserve = virtualWethReserve(depth, spotUsd);
  return (BPS_PER_UNIT * tradeEth) / (side === "buyWeth" ? reserve - tradeEth : reserve + tradeEth);
}

/**
 * Largest trade on `side` whose impact is at most `impactBps` (inverse of `priceImpactBps`, capped at the range):
 * buying, q = X·s/(1 + s); selling, q = X·s/(1 − s), with s = impactBps / 10,000.
 */
export function maxTradeEthForImpact(depth: DepthModel, spotUsd: number, impactBps: number, side: HedgeSide): number {
  if (!(impactBps >= 0)) throw new RangeError(`maxTradeEthForImpact: impactBps must be >= 0, got ${impactBps}`);
  const s = impactBps / BPS_PER_UNIT;
  const reserve = virtualWethReserve(depth, spotUsd);
  const byImpact = side === "buyWeth" ? (reserve * s) / (1 + s) : s < 1 ? (reserve * s) / (1 - s) : Infinity;
  return Math.min(byImpact, maxTradeInRangeEth(depth, spotUsd, side));
}
