/**
 * Black–Scholes prices and greeks for European ETH options, float64.
 *
 * Conventions (the whole `risk` stage uses them):
 * - a continuously compounded risk-free rate r (annual, 0.05 = 5%; default 0) and no dividend on ETH, so the forward
 *   is S·e^{rT} and a strike paid at expiry is worth K·e^{−rT} today (Hull, ch. 15: d1 = (ln(S/K) + (r + σ²/2)T)/(σ√T));
 *   USDC earns a lending rate, so r > 0 prices a written call higher and its delta a little higher.
 * - spot and strike in USD per ETH, time to expiry in years, vol annualised (0.8 = 80%).
 * - price in USD per 1 ETH of notional; delta in ETH per ETH; gamma in 1/USD (delta change
 *   per 1 USD move of spot); vega in USD per 1.00 of vol (divide by 100 for per vol point).
 */

/** 1/sqrt(2π) */
const INV_SQRT_2PI = 0.3989422804014327;
/** sqrt(32): edge between Cody's middle and tail rational approximations. */
const SQRT_32 = 5.656854249492381;
/** |x| at which Φ(x) underflows a double (Φ(-38.5) ≈ 1e-324). */
const CDF_UNDERFLOW = 38.5;

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969), as used in ACM TOMS Algorithm 715 (ANORM) and R's pnorm. Relative error ~1e-16.
const A = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113,
] as const;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const;
const P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5,
  0.02307344176494017303,
] as const;
const Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5,
] as const;

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** exp(-y²/2) split as exp(-a²/2)·exp(-(y-a)(y+a)/2) with a = y rounded to 1/16, which keeps full precision for large y. */
function gaussianTailFactor(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  const rest = (y - head) * (y + head);
  return Math.exp(-head * head * 0.5) * Math.exp(-rest * 0.5);
}

/**
 * Standard normal distribution function Φ(x) (Cody's rational approximations).
 * Absolute error < 1e-15 everywhere and relative error ~1e-15 in the lower tail, far inside
 * the 1e-9 the keeper needs. NaN in, NaN out.
 */
export function normCdf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    const xsq = x * x;
    let num = A[4] * xsq;
    let den = xsq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq;
      den = (den + B[i]!) * xsq;
    }
    return 0.5 + (x * (num + A[3])) / (den + B[3]);
  }
  let lower: number; // Φ(-y)
  if (y <= SQRT_32) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    lower = (gaussianTailFactor(y) * (num + C[7])) / (den + D[7]);
  } else if (y < CDF_UNDERFLOW) {
    const xsq = 1 / (y * y);
    let num = P[5] * xsq;
    let den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * xsq;
      den = (den + Q[i]!) * xsq;
    }
    const ratio = (xsq * (num + P[4])) / (den + Q[4]);
    lower = (gaussianTailFactor(y) * (INV_SQRT_2PI - ratio)) / y;
  } else if (Number.isNaN(y)) {
    return Number.NaN;
  } else {
    lower = 0;
  }
  return x > 0 ? 1 - lower : lower;
}

/** Per-series greek buffers, indexed by series (see `writeGreeks`). */
export interface GreekArrays {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
}

/** Price and greeks of one option on 1 ETH of notional. Units as in the module header. */
export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
}

/**
 * Write price and greeks of one series into `out[*][i]`, allocation-free (the book loop's kernel).
 * At or after expiry (T <= 0) the option is worth its intrinsic value and delta is the step function
 * (call 1 if S > K else 0, put -1 if S < K else 0); with zero vol (sigma <= 0) it is worth its intrinsic value against
 * the discounted strike K·e^{−rT}, with the same step at S = K·e^{−rT}. Gamma = vega = 0 in both cases.
 * Inputs are not validated here; callers check them once (see `bsGreeks`, `evaluateBook`).
 */
export function writeGreeks(
  spotUsd: number,
  strikeUsd: number,
  tYears: number,
  sigma: number,
  isCall: boolean,
  out: GreekArrays,
  i: number,
  rateAnnual = 0,
): void {
  const discountedStrike = tYears > 0 && rateAnnual !== 0 ? strikeUsd * Math.exp(-rateAnnual * tYears) : strikeUsd;
  if (tYears <= 0 || sigma <= 0) {
    out.price[i] = isCall ? Math.max(spotUsd - discountedStrike, 0) : Math.max(discountedStrike - spotUsd, 0);
    out.delta[i] = isCall ? (spotUsd > discountedStrike ? 1 : 0) : spotUsd < discountedStrike ? -1 : 0;
    out.gamma[i] = 0;
    out.vega[i] = 0;
    return;
  }
  const sqrtT = Math.sqrt(tYears);
  const volSqrtT = sigma * sqrtT;
  // ln(S / (K·e^{−rT})) = ln(S/K) + rT: the rate enters only through the discounted strike.
  const d1 = Math.log(spotUsd / discountedStrike) / volSqrtT + 0.5 * volSqrtT;
  const d2 = d1 - volSqrtT;
  const pdf = normPdf(d1);
  if (isCall) {
    const nd1 = normCdf(d1);
    out.price[i] = Math.max(spotUsd * nd1 - discountedStrike * normCdf(d2), 0);
    out.delta[i] = nd1;
  } else {
    // Put from the lower tails directly (not via parity) to keep precision deep out of the money.
    const nMinusD1 = normCdf(-d1);
    out.price[i] = Math.max(discountedStrike * normCdf(-d2) - spotUsd * nMinusD1, 0);
    out.delta[i] = -nMinusD1;
  }
  out.gamma[i] = pdf / (spotUsd * volSqrtT);
  out.vega[i] = spotUsd * pdf * sqrtT;
}

/** Throws a RangeError naming the first argument a Black–Scholes call cannot price. */
function assertSeriesInputs(
  spotUsd: number,
  strikeUsd: number,
  tYears: number,
  sigma: number,
  rateAnnual: number,
  where: string,
): void {
  assertRate(rateAnnual, where);
  if (!(spotUsd > 0) || !Number.isFinite(spotUsd))
    throw new RangeError(`${where}: spotUsd must be a positive finite number, got ${spotUsd}`);
  if (!(strikeUsd > 0) || !Number.isFinite(strikeUsd))
    throw new RangeError(`${where}: strikeUsd must be a positive finite number, got ${strikeUsd}`);
  if (Number.isNaN(tYears)) throw new RangeError(`${where}: tYears must be a number, got NaN`);
  if (!Number.isFinite(sigma)) throw new RangeError(`${where}: sigma must be a finite number, got ${sigma}`);
}

/** Largest |r| the risk stage accepts: a rate beyond ±100%/year is a unit error (bps or percent passed as a fraction). */
export const MAX_ABS_RATE_ANNUAL = 1;

/** Throws a RangeError unless `rateAnnual` is a finite fraction within ±MAX_ABS_RATE_ANNUAL. */
export function assertRate(rateAnnual: number, where: string): void {
  if (!Number.isFinite(rateAnnual) || Math.abs(rateAnnual) > MAX_ABS_RATE_ANNUAL)
    throw new RangeError(
      `${where}: rateAnnual must be a finite annual fraction within ±${MAX_ABS_RATE_ANNUAL} (0.05 = 5%), got ${rateAnnual}`,
    );
}

const scratch: GreekArrays = {
  price: new Float64Array(1),
  delta: new Float64Array(1),
  gamma: new Float64Array(1),
  vega: new Float64Array(1),
};

/**
 * Black–Scholes price and greeks of one option on 1 ETH.
 * @param spotUsd spot, USD per ETH (> 0)
 * @param strikeUsd strike, USD per ETH (> 0)
 * @param tYears time to expiry in years; <= 0 means expired (intrinsic value)
 * @param sigma annualised vol (0.8 = 80%); <= 0 means intrinsic against the discounted strike
 * @param isCall call if true, put otherwise
 * @param rateAnnual continuously compounded risk-free rate (0.05 = 5%), default 0
 */
export function bsGreeks(
  spotUsd: number,
  strikeUsd: number,
  tYears: number,
  sigma: number,
  isCall: boolean,
  rateAnnual = 0,
): Greeks {
  assertSeriesInputs(spotUsd, strikeUsd, tYears, sigma, rateAnnual, "bsGreeks");
  writeGreeks(spotUsd, strikeUsd, tYears, sigma, isCall, scratch, 0, rateAnnual);
  return {
    price: scratch.price[0]!,
    delta: scratch.delta[0]!,
    gamma: scratch.gamma[0]!,
    vega: scratch.vega[0]!,
  };
}

/** Black–Scholes call price, USD per ETH of notional. Arguments as in `bsGreeks`. */
export function bsCall(spotUsd: number, strikeUsd: number, tYears: number, sigma: number, rateAnnual = 0): number {
  return bsGreeks(spotUsd, strikeUsd, tYears, sigma, true, rateAnnual).price;
}

/** Black–Scholes put price, USD per ETH of notional. Arguments as in `bsGreeks`. */
export function bsPut(spotUsd: number, strikeUsd: number, tYears: number, sigma: number, rateAnnual = 0): number {
  return bsGreeks(spotUsd, strikeUsd, tYears, sigma, false, rateAnnual).price;
}
