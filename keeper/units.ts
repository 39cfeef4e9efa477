/**
 * Every unit conversion of the keeper happens here.
 *
 * On-chain units: wad = 1e18 fixed point (ETH amounts, USD prices, deltas, vols),
 * USDC amounts = 1e6, Chainlink ETH/USD answers = 1e8, basis points = 1e4.
 * Off-chain risk math works in float64 "human" units: ETH, USD, years.
 */
export const WAD = 10n ** 18n;
export const USDC_UNIT = 10n ** 6n;
export const BPS = 10_000n;
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

export type Wad = bigint;
export type Usdc6 = bigint;
export type PriceE8 = bigint;
export type Bps = number;

/** wad (1e18) -> float; exact to ~15 significant digits, which is what float64 risk math needs. */
export function wadToNumber(wad: Wad): number {
  const whole = wad / WAD;
  const frac = wad % WAD;
  return Number(whole) + Number(frac) / 1e18;
}

/** Wei in one ether as a float, for gas-cost estimates that are float math already (cost model, metrics). */
export const WEI_PER_ETH = 1e18;

/** wei -> float ETH in one division (gas costs for metrics): `Number(wei) / 1e18`. */
export function weiToEthNumber(wei: bigint): number {
  return Number(wei) / WEI_PER_ETH;
}

/** Above this magnitude a float has no fractional digits left, and `toFixed` switches to exponent notation. */
const FLOAT_INTEGER_LIMIT = 2 ** 53;

/** float -> wad, rounded to the nearest 1e-18 (half away from zero, as toFixed). Throws on NaN/Infinity so a bad number never reaches a tx. */
export function numberToWad(value: number): Wad {
  if (!Number.isFinite(value)) throw new RangeError(`numberToWad: not a finite number: ${value}`);
  if (Math.abs(value) >= FLOAT_INTEGER_LIMIT) return BigInt(value) * WAD;
  const fixed = value.toFixed(18);
  const negative = fixed.startsWith("-");
  const [whole, frac = ""] = (negative ? fixed.slice(1) : fixed).split(".");
  const abs = BigInt(whole ?? "0") * WAD + BigInt(frac.padEnd(18, "0").slice(0, 18));
  return negative ? -abs : abs;
}

export function usdcToNumber(amount: Usdc6): number {
  return Number(amount) / 1e6;
}

/** float USD -> USDC (1e6), rounded toward zero. Throws on NaN/Infinity (also when value × 1e6 overflows). */
export function numberToUsdc(value: number): Usdc6 {
  const scaled = value * 1e6;
  if (!Number.isFinite(scaled)) throw new RangeError(`numberToUsdc: not a finite number: ${value}`);
  return BigInt(Math.trunc(scaled));
}

/** Chainlink ETH/USD answer with `decimals` decimals -> wad. */
export function oracleAnswerToWad(answer: bigint, decimals: number): Wad {
  if (decimals > 18) throw new RangeError(`oracle decimals ${decimals} > 18 are not supported`);
  return answer * 10n ** BigInt(18 - decimals);
}

export function priceE8ToNumber(answer: PriceE8): number {
  return Number(answer) / 1e8;
}

/** float USD -> 1e8 units, rounded to nearest. Throws on NaN/Infinity (also when value × 1e8 overflows). */
export function numberToPriceE8(value: number): PriceE8 {
  const scaled = value * 1e8;
  if (!Number.isFinite(scaled)) throw new RangeError(`numberToPriceE8: not a finite number: ${value}`);
  return BigInt(Math.round(scaled));
}

/** USD value (float) of a USDC (1e6) amount per ETH wad amount, i.e. the execution price. */
export function executionPriceUsd(usdc: Usdc6, wethWad: Wad): number {
  return usdcToNumber(usdc) / wadToNumber(wethWad);
}

// ---------------------------------------------------------------- integer trade sizing (what a leg may be, in wad)

/** Decimal gap between a WETH wad and a USDC unit: usdc6 × 1e12 is the same amount in 1e18 fixed point. */
export const USDC6_TO_WAD = 10n ** 12n;

/**
 * Non-negative float ETH -> wad, rounded down (never more than the float says). Negative, NaN and non-finite values
 * give 0n: callers use this for sizes that are clamped to caps afterwards, where "no size" is the safe reading.
 */
export function ethToWadFloor(valueEth: number): Wad {
  if (!(valueEth > 0) || !Number.isFinite(valueEth)) return 0n;
  const wad = numberToWad(valueEth);
  // numberToWad rounds at the 18th decimal (toFixed), up by at most half a wei: take that wei back.
  return wad > 0n && wadToNumber(wad) > valueEth ? wad - 1n : wad;
}

/**
 * WETH wad that `usdc6` pays at `priceWad` (USD per ETH, wad) marked up by `markupBps`, rounded down, so that a
 * buy of the result priced at `priceWad` (`wethWadToUsdc6Floor`) never needs more than `usdc6`. 0 when the price is not positive.
 */
export function usdc6ToWethWadFloor(usdc6: Usdc6, priceWad: Wad, markupBps = 0n): Wad {
  if (priceWad <= 0n || usdc6 <= 0n || markupBps < 0n) return 0n;
  return (usdc6 * USDC6_TO_WAD * WAD * BPS) / (priceWad * (BPS + markupBps));
}

/** USDC (1e6) that `wethWad` costs at `priceWad`, rounded down: the executor's `amountIn` of a buy. */
export function wethWadToUsdc6Floor(wethWad: Wad, priceWad: Wad): Usdc6 {
  if (wethWad <= 0n || priceWad <= 0n) return 0n;
  return (wethWad * priceWad) / (WAD * USDC6_TO_WAD);
}

/** Smallest WETH wad that is worth at least one USDC unit at `priceWad` (ceil); a smaller leg would swap 0 USDC. */
export function wethWadForOneUsdc6(priceWad: Wad): Wad {
  if (priceWad <= 0n) return 0n;
  const oneUsdc6TimesWad = WAD * USDC6_TO_WAD; // amountIn = wethWad × priceWad / 1e30 >= 1  ⇔  wethWad >= 1e30 / priceWad
  return (oneUsdc6TimesWad + priceWad - 1n) / priceWad;
}

export function minBigint(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}

export function maxBigint(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b > a ? b : a));
}

/** Signed difference of `price` vs `reference` in basis points (positive = price above reference). */
export function deviationBps(price: number, reference: number): number {
  return ((price - reference) / reference) * 10_000;
}

export function secondsToYears(seconds: number): number {
  return seconds / SECONDS_PER_YEAR;
}

// ---------------------------------------------------------------- Uniswap V3 prices (WETH 18 decimals, USDC 6)

const Q96 = 2n ** 96n;
const Q192 = Q96 * Q96;
const DECIMALS_GAP = 10n ** 12n;

export function bigintSqrt(value: bigint): bigint {
  if (value < 0n) throw new RangeError("sqrt of negative");
  if (value < 2n) return value;
  // The float estimate is off by up to ~2^-53 relative, in either direction. One Newton step from any positive
  // guess lands at or above floor(sqrt(value)) (AM–GM), after which the steps decrease monotonically to it.
  let x = BigInt(Math.floor(Math.sqrt(Number(value)))) || 1n;
  x = (x + value / x) >> 1n;
  for (;;) {
    const y = (x + value / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return x;
}

/** sqrtPriceX96 of a WETH/USDC pool for an ETH price in 1e8 (Chainlink) units. */
export function priceE8ToSqrtPriceX96(priceE8: PriceE8, wethIsToken0: boolean): bigint {
  // raw price = token1 base units per token0 base unit.
  // WETH token0: raw = P * 1e6 / 1e18 = priceE8 / (1e8 * 1e12); USDC token0: raw = 1e8 * 1e12 / priceE8.
  const numerator = wethIsToken0 ? priceE8 : 10n ** 8n * DECIMALS_GAP;
  const denominator = wethIsToken0 ? 10n ** 8n * DECIMALS_GAP : priceE8;
  return bigintSqrt((numerator * Q192) / denominator);
}

/** ETH price (USD, float) of a WETH/USDC pool's sqrtPriceX96. */
export function sqrtPriceX96ToPriceUsd(sqrtPriceX96: bigint, wethIsToken0: boolean): number {
  const rawWad = (sqrtPriceX96 * sqrtPriceX96 * WAD) / Q192; // token1 per token0, base units, wad
  const raw = wadToNumber(rawWad);
  return wethIsToken0 ? raw * 1e12 : 1e12 / raw;
}

/** ETH price (USD, float) at a pool tick. */
export function tickToPriceUsd(tick: number, wethIsToken0: boolean): number {
  const raw = Math.pow(1.0001, tick);
  return wethIsToken0 ? raw * 1e12 : 1e12 / raw;
}

/** Nearest usable tick (multiple of `spacing`) at or below the tick of an ETH price. */
export function priceUsdToTick(priceUsd: number, wethIsToken0: boolean, spacing: number): number {
  const raw = wethIsToken0 ? priceUsd / 1e12 : 1e12 / priceUsd;
  const tick = Math.floor(Math.log(raw) / Math.log(1.0001));
  return Math.floor(tick / spacing) * spacing;
}
