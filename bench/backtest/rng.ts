/**
 * Seeded pseudo-random numbers for the backtester: xoshiro128** (Blackman & Vigna, 2018) seeded through
 * splitmix32, uniforms in (0, 1), standard normals by Box–Muller and Poisson counts by inversion.
 *
 * Every Monte Carlo path gets its own generator, `pathRng(seed, pathIndex)`, so a path's numbers do not
 * depend on how paths are split across workers: the same seed gives the same results on 1 or N cores.
 * 32-bit state and `Math.imul` keep it fast in JavaScript; a uniform has 32 bits of resolution, which
 * caps |normal| at ~6.7 — far in a tail a 30-day backtest never visits.
 */

const TWO_POW_MINUS_32 = 2 ** -32;
const TWO_PI = 2 * Math.PI;

/** MurmurHash3's 32-bit finaliser: a bijective, well-mixed scramble of a 32-bit word. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** splitmix32: a Weyl sequence through `fmix32`; here only to expand (seed, stream) into xoshiro's state. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state);
  };
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** second Box–Muller normal, waiting to be returned */
  private spareNormal = 0;
  private hasSpare = false;

  /** Seeds the four state words from (`seed`, `stream`) through splitmix32 (never all zero). */
  constructor(seed: number, stream = 0) {
    const next = splitmix32((seed >>> 0) ^ fmix32((stream + 0x6a09e667) >>> 0));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** Next raw 32-bit output (xoshiro128**), as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1): never 0, so `Math.log(uniform())` is finite. */
  uniform(): number {
    return (this.nextUint32() + 0.5) * TWO_POW_MINUS_32;
  }

  /** Standard normal (Box–Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = TWO_PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /** Fill `out` with standard normals, allocation-free. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** Poisson count with the given mean (inversion; meant for the small means of one time step). */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Rng.poisson: mean must be >= 0, got ${mean}`);
    if (mean === 0) return 0;
    let probability = Math.exp(-mean);
    let cumulative = probability;
    const u = this.uniform();
    let k = 0;
    while (u > cumulative && probability > 0) {
      k++;
      probability *= mean / k;
      cumulative += probability;
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator of Monte Carlo path `pathIndex` under `seed` (independent of chunking across workers). */
export function pathRng(seed: number, pathIndex: number): Rng {
  return new Rng(seed, pathIndex);
}
