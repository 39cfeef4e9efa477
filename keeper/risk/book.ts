/**
 * The vault's option book as a struct of typed arrays, and its aggregate greeks.
 * Units and the rate convention are those of `blackScholes.ts`; sizes are signed ETH of
 * notional (negative = the vault is short the option).
 */
import { secondsToYears } from "../units.js";
import { assertRate, writeGreeks, type GreekArrays } from "./blackScholes.js";

/** Option series, one index per series; only the first `length` entries are read. */
export interface Book {
  /** strike, USD per ETH */
  strikeUsd: Float64Array;
  /** expiry, unix seconds */
  expirySec: Float64Array;
  /** 1 = call, 0 = put */
  isCall: Uint8Array;
  /** signed notional in ETH, negative = vault is short */
  sizeEth: Float64Array;
  /** annualised implied vol (0.8 = 80%) */
  vol: Float64Array;
  length: number;
}

/** One series in human form, as read from the vault or a fixture. */
export interface BookRow {
  strikeUsd: number;
  expirySec: number;
  isCall: boolean;
  sizeEth: number;
  vol: number;
}

/** Per-series greeks (per 1 ETH of notional, unsigned by size) and the book's signed aggregates. */
export interface BookRisk extends GreekArrays {
  /** Σ size·delta, ETH: the options' delta only, before any spot hedge is netted in */
  netOptionDeltaEth: number;
  /** Σ size·gamma, ETH per USD of spot move */
  netGammaPerUsd: number;
  /** Σ size·vega, USD per 1.00 of vol */
  netVegaUsd: number;
  /** Σ size·price, USD, signed (negative = the vault is net short premium) */
  premiumUsd: number;
  /** Σ|size|·vol / Σ|size|: the book's |size|-weighted mean vol; 0 for an empty book */
  weightedVol: number;
}

/** Throws a RangeError naming the series and its first invalid field. */
function assertSeries(index: number, strikeUsd: number, expirySec: number, sizeEth: number, vol: number): void {
  let fault: string | undefined;
  if (!(strikeUsd > 0) || !Number.isFinite(strikeUsd))
    fault = `strikeUsd must be a positive finite number, got ${strikeUsd}`;
  else if (!Number.isFinite(expirySec)) fault = `expirySec must be a finite number, got ${expirySec}`;
  else if (!Number.isFinite(sizeEth)) fault = `sizeEth must be a finite number, got ${sizeEth}`;
  else if (!(vol >= 0) || !Number.isFinite(vol)) fault = `vol must be a finite number >= 0, got ${vol}`;
  if (fault !== undefined) throw new RangeError(`book series ${index}: ${fault}`);
}

/**
 * Pack rows into a `Book`, validating each series (finite strike > 0, finite vol >= 0, finite expiry and size).
 * @throws RangeError naming the series index and field
 */
export function bookFromRows(rows: readonly BookRow[]): Book {
  const n = rows.length;
  const book: Book = {
    strikeUsd: new Float64Array(n),
    expirySec: new Float64Array(n),
    isCall: new Uint8Array(n),
    sizeEth: new Float64Array(n),
    vol: new Float64Array(n),
    length: n,
  };
  rows.forEach((row, i) => {
    assertSeries(i, row.strikeUsd, row.expirySec, row.sizeEth, row.vol);
    book.strikeUsd[i] = row.strikeUsd;
    book.expirySec[i] = row.expirySec;
    book.isCall[i] = row.isCall ? 1 : 0;
    book.sizeEth[i] = row.sizeEth;
    book.vol[i] = row.vol;
  });
  return book;
}

/** Allocate per-series output buffers for `evaluateBook` (reuse them across cycles). */
export function allocateGreekArrays(length: number): GreekArrays {
  return {
    price: new Float64Array(length),
    delta: new Float64Array(length),
    gamma: new Float64Array(length),
    vega: new Float64Array(length),
  };
}

function assertCapacity(book: Book, out: GreekArrays): void {
  const n = book.length;
  const arrays: Record<string, ArrayLike<number>> = {
    ...out,
    strikeUsd: book.strikeUsd,
    expirySec: book.expirySec,
    isCall: book.isCall,
    sizeEth: book.sizeEth,
    vol: book.vol,
  };
  for (const [name, array] of Object.entries(arrays)) {
    if (array.length < n)
      throw new RangeError(`evaluateBook: ${name} has ${array.length} entries, book.length is ${n}`);
  }
}

/**
 * Greeks of every series at `spotUsd` and `nowSec`, and the book's aggregates, in one pass with no
 * per-series allocation (10,000 series take ~1 ms). Series at or past expiry count at intrinsic value with zero
 * delta, gamma and vega: their payoff is fixed in USDC at expiry, so, as in the vault's `optionsDeltaAtWad`, they
 * leave the hedged delta at expiry whether or not they are settled.
 * @param spotUsd spot, USD per ETH (> 0)
 * @param nowSec valuation time, unix seconds
 * @param out buffers to fill (e.g. from `allocateGreekArrays`); allocated when omitted
 * @param rateAnnual continuously compounded risk-free rate (0.05 = 5%), default 0 (see `blackScholes.ts`)
 * @throws RangeError on a bad spot/time/rate, short buffers, or an invalid series (named by index)
 */
export function evaluateBook(book: Book, spotUsd: number, nowSec: number, out?: GreekArrays, rateAnnual = 0): BookRisk {
  assertRate(rateAnnual, "evaluateBook");
  if (!(spotUsd > 0) || !Number.isFinite(spotUsd))
    throw new RangeError(`evaluateBook: spotUsd must be a positive finite number, got ${spotUsd}`);
  if (!Number.isFinite(nowSec)) throw new RangeError(`evaluateBook: nowSec must be a finite number, got ${nowSec}`);
  const greeks = out ?? allocateGreekArrays(book.length);
  assertCapacity(book, greeks);
  const { strikeUsd, expirySec, isCall, sizeEth, vol } = book;
  let netDelta = 0;
  let netGamma = 0;
  let netVega = 0;
  let premium = 0;
  let volWeight = 0;
  let absSize = 0;
  for (let i = 0; i < book.length; i++) {
    const strike = strikeUsd[i]!;
    const expiry = expirySec[i]!;
    const size = sizeEth[i]!;
    const sigma = vol[i]!;
    // Checked per series (cheap) so one corrupt entry cannot turn the aggregates into NaN.
    assertSeries(i, strike, expiry, size, sigma);
    writeGreeks(spotUsd, strike, secondsToYears(expiry - nowSec), sigma, isCall[i] === 1, greeks, i, rateAnnual);
    if (expiry <= nowSec) greeks.delta[i] = 0; // same rule as the vault: expiry <= block.timestamp
    netDelta += size * greeks.delta[i]!;
    netGamma += size * greeks.gamma[i]!;
    netVega += size * greeks.vega[i]!;
    premium += size * greeks.price[i]!;
    const weight = Math.abs(size);
    volWeight += weight * sigma;
    absSize += weight;
  }
  return {
    ...greeks,
    netOptionDeltaEth: netDelta,
    netGammaPerUsd: netGamma,
    netVegaUsd: netVega,
    premiumUsd: premium,
    weightedVol: absSize > 0 ? volWeight / absSize : 0,
  };
}
