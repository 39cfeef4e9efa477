/**
 * The demo's bookkeeping, pure: what a hedge cost (pool fee, slippage against the oracle, gas) and what the vault is
 * worth at a step (options by Black–Scholes, WETH at the oracle, USDC at par). Units: ETH, USD, bps.
 */
import type { SeriesRaw } from "../../../keeper/chain/snapshot.js";
import { bookFromRows, evaluateBook, type BookRow } from "../../../keeper/risk/index.js";
import { deviationBps, usdcToNumber, wadToNumber } from "../../../keeper/units.js";

/** A succeeded hedge as the adapter's Hedged event and the receipt report it (on-chain units). */
export interface HedgeFill {
  buyWeth: boolean;
  amountIn: bigint;
  amountOut: bigint;
  oraclePriceWad: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
}

export interface HedgeCosts {
  /** WETH bought (buyWeth) or sold, ETH */
  wethEth: number;
  /** USDC paid or received */
  usdc: number;
  executionPriceUsd: number;
  oraclePriceUsd: number;
  /** execution vs oracle, bps, positive = worse for the vault (the pool fee included) */
  slippageBps: number;
  /** the pool's fee on the input, USD */
  poolFeeUsd: number;
  /** what the trade lost against the oracle beyond the fee, USD (price impact and pool-vs-oracle gap) */
  slippageUsd: number;
  /** the keeper's gas, USD at the oracle */
  gasUsd: number;
}

/**
 * Costs of one fill. `poolFee` is Uniswap's fee in hundredths of a bip (500 = 0.05%), charged on the input amount.
 */
export function hedgeCosts(fill: HedgeFill, poolFee: number): HedgeCosts {
  const oraclePriceUsd = wadToNumber(fill.oraclePriceWad);
  const wethEth = wadToNumber(fill.buyWeth ? fill.amountOut : fill.amountIn);
  const usdc = usdcToNumber(fill.buyWeth ? fill.amountIn : fill.amountOut);
  const executionPriceUsd = usdc / wethEth;
  const inputUsd = fill.buyWeth ? usdc : wethEth * oraclePriceUsd;
  const poolFeeUsd = (inputUsd * poolFee) / 1_000_000;
  const lossVsOracleUsd = fill.buyWeth ? usdc - wethEth * oraclePriceUsd : wethEth * oraclePriceUsd - usdc;
  const gasUsd = wadToNumber(fill.gasUsed * fill.effectiveGasPrice) * oraclePriceUsd;
  const signedBps = deviationBps(executionPriceUsd, oraclePriceUsd);
  return {
    wethEth,
    usdc,
    executionPriceUsd,
    oraclePriceUsd,
    slippageBps: fill.buyWeth ? signedBps : -signedBps,
    poolFeeUsd,
    slippageUsd: lossVsOracleUsd - poolFeeUsd,
    gasUsd,
  };
}

/** The vault's option series as the risk module reads them. */
export function bookRows(series: readonly SeriesRaw[]): BookRow[] {
  return series.map((s) => ({
    strikeUsd: wadToNumber(s.strikeWad),
    expirySec: Number(s.expiry),
    isCall: s.isCall,
    sizeEth: wadToNumber(s.sizeWad),
    vol: wadToNumber(s.volWad),
  }));
}

/** Black–Scholes value and delta of a book at a spot and time (signed: short options are negative value). */
export function valueBook(rows: readonly BookRow[], spotUsd: number, nowSec: number) {
  const risk = evaluateBook(bookFromRows(rows), spotUsd, nowSec);
  return { valueUsd: risk.premiumUsd, deltaEth: risk.netOptionDeltaEth };
}

/** Mark-to-market of a vault: options + WETH at the oracle + USDC. */
export function markToMarketUsd(optionsValueUsd: number, wethEth: number, usdc: number, spotUsd: number): number {
  return optionsValueUsd + wethEth * spotUsd + usdc;
}
