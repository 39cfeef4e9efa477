import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";

import {
  allocateGreekArrays,
  bookFromRows,
  bsCall,
  bsGreeks,
  bsPut,
  evaluateBook,
  normCdf,
  normPdf,
  type BookRow,
} from "../../keeper/risk/index.js";
import { SECONDS_PER_YEAR } from "../../keeper/units.js";

/** |actual - expected| <= absTol + relTol·|expected| */
function assertClose(actual: number, expected: number, relTol: number, absTol = 0, what = ""): void {
  const tol = absTol + relTol * Math.abs(expected);
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what} expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected)} > ${tol})`,
  );
}

/** (f(x + h) - f(x - h)) / 2h */
function centralDifference(f: (x: number) => number, x: number, h: number): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

// Reference values computed independently with mpmath at 40 digits (ncdf; Black–Scholes with r = 0).
const NORM_CDF_REFERENCE: readonly [number, number][] = [
  [-38, 2.88542836006878430835097e-316],
  [-20, 2.753624118606233695075623e-89],
  [-10, 7.619853024160526065973343e-24],
  [-8, 6.220960574271784123515995e-16],
  [-5.657, 7.702088172177600842444135e-9],
  [-5, 2.866515718791939116737523e-7],
  [-3, 0.001349898031630094526651815],
  [-1.5, 0.06680720126885806600449404],
  [-0.6744, 0.2500285213729406146923179],
  [-0.5, 0.3085375387259868963622954],
  [-1e-10, 0.4999999999601057719598567],
  [0, 0.5],
  [0.3, 0.6179114221889526330722736],
  [0.67448975, 0.7499999999376898153635552],
  [0.7, 0.7580363477769269713837893],
  [1, 0.8413447460685429485852325],
  [2, 0.9772498680518207927997174],
  [3.2, 0.9993128620620841519683814],
  [5.65, 0.9999999919776081493365024],
  [6, 0.9999999990134123549623019],
  [8, 0.9999999999999993779039426],
  [10, 1],
];

const YEAR = SECONDS_PER_YEAR;
const NOW = 1_750_000_000;

describe("normCdf", () => {
  it("matches a 40-digit reference to 1e-15 absolute everywhere and 1e-13 relative in the lower tail", () => {
    for (const [x, expected] of NORM_CDF_REFERENCE) {
      assertClose(normCdf(x), expected, x < 0 ? 1e-13 : 0, 1e-15, `Φ(${x})`);
    }
  });

  it("is symmetric: Φ(x) + Φ(-x) = 1", () => {
    for (let x = -7; x <= 7; x += 0.37) assertClose(normCdf(x) + normCdf(-x), 1, 0, 2e-16, `x=${x}`);
  });

  it("saturates to 0 and 1 far in the tails and propagates NaN", () => {
    assert.equal(normCdf(-40), 0);
    assert.equal(normCdf(40), 1);
    assert.ok(Number.isNaN(normCdf(Number.NaN)));
  });

  it("normPdf(1.3) equals the reference density", () => {
    assertClose(normPdf(1.3), 0.171368592047807347070254, 1e-15);
  });
});

describe("bsGreeks (r = 0)", () => {
  it("prices the at-the-money textbook case S=K=100, T=1, σ=0.2 (call 7.96557, delta N(0.1))", () => {
    const call = bsGreeks(100, 100, 1, 0.2, true);
    assertClose(call.price, 7.9655674554057967338, 1e-13);
    assertClose(call.delta, 0.53982783727702898367, 1e-13);
    assertClose(call.gamma, 0.019847627373850587163, 1e-13);
    assertClose(call.vega, 39.695254747701176529, 1e-13);
    assertClose(bsGreeks(100, 100, 1, 0.2, false).delta, -0.46017216272297101633, 1e-13);
  });

  it("prices Hull's S=42, K=40, T=0.5, σ=0.2 example with r = 0", () => {
    const call = bsGreeks(42, 40, 0.5, 0.2, true);
    const put = bsGreeks(42, 40, 0.5, 0.2, false);
    assertClose(call.price, 3.4471895385265870962, 1e-13);
    assertClose(put.price, 1.4471895385265870962, 1e-13);
    assertClose(call.delta, 0.66118860955358058533, 1e-13);
    assertClose(put.delta, -0.33881139044641941467, 1e-13);
    assertClose(put.gamma, 0.061605524202552307859, 1e-13);
    assertClose(put.vega, 10.86721446933022771, 1e-13);
  });

  it("prices a 30-day ETH call and put at 80% vol", () => {
    assertClose(bsCall(3000, 3500, 30 / 365, 0.8), 110.88479135986988974, 1e-13);
    assertClose(bsPut(3000, 3500, 30 / 365, 0.8), 610.88479135986988974, 1e-13);
  });

  it("satisfies put–call parity C - P = S - K across strikes, expiries and vols", () => {
    for (const strike of [1500, 2800, 3000, 3300, 6000])
      for (const t of [1 / 365, 0.1, 1, 3])
        for (const sigma of [0.05, 0.8, 2]) {
          const parityGap = bsCall(3000, strike, t, sigma) - bsPut(3000, strike, t, sigma) - (3000 - strike);
          assertClose(parityGap, 0, 0, 1e-9, `K=${strike} T=${t} σ=${sigma}`);
        }
  });

  const seriesCases: [number, number, number, number][] = [
    [3000, 3000, 0.25, 0.8],
    [3000, 2500, 0.05, 0.6],
    [3000, 4000, 1, 1.2],
  ];
  const derivatives = [
    { greek: "delta", of: "price", wrt: "spot", relTol: 1e-6, absTol: 1e-9 },
    { greek: "gamma", of: "delta", wrt: "spot", relTol: 1e-5, absTol: 1e-12 },
    { greek: "vega", of: "price", wrt: "vol", relTol: 1e-6, absTol: 1e-9 },
  ] as const;
  for (const isCall of [true, false]) {
    const greeks = (s: number, k: number, t: number, v: number) => bsGreeks(s, k, t, v, isCall);
    for (const { greek, of, wrt, relTol, absTol } of derivatives) {
      it(`${isCall ? "call" : "put"} ${greek} equals the central finite difference of ${of} in ${wrt}`, () => {
        for (const [s, k, t, v] of seriesCases) {
          const fd =
            wrt === "spot"
              ? centralDifference((x) => greeks(x, k, t, v)[of], s, 1e-4 * s)
              : centralDifference((x) => greeks(s, k, t, x)[of], v, 1e-5);
          assertClose(greeks(s, k, t, v)[greek], fd, relTol, absTol);
        }
      });
    }
  }

  /** Expected greeks of an option worth its intrinsic value. */
  const intrinsic = (price: number, delta: number) => ({
    price,
    delta,
    gamma: 0,
    vega: 0,
  });

  it("at expiry (T <= 0) is worth intrinsic with step delta and zero gamma/vega", () => {
    assert.deepEqual(bsGreeks(3100, 3000, 0, 0.8, true), intrinsic(100, 1));
    assert.deepEqual(bsGreeks(3000, 3000, -0.01, 0.8, true), intrinsic(0, 0));
    assert.deepEqual(bsGreeks(2900, 3000, 0, 0.8, false), intrinsic(100, -1));
    assert.deepEqual(bsGreeks(3000, 3000, 0, 0.8, false), intrinsic(0, 0));
    assert.deepEqual(bsGreeks(3100, 3000, -1, 0.8, false), intrinsic(0, 0));
  });

  it("with zero vol is worth intrinsic against the forward (= spot at r = 0)", () => {
    assert.deepEqual(bsGreeks(3100, 3000, 0.5, 0, true), intrinsic(100, 1));
    assert.deepEqual(bsGreeks(2900, 3000, 0.5, -0.1, false), intrinsic(100, -1));
  });

  it("converges to the expiry value as T → 0", () => {
    const nearExpiry = bsGreeks(3100, 3000, 1e-9, 0.8, true);
    assertClose(nearExpiry.price, 100, 1e-12);
    assertClose(nearExpiry.delta, 1, 1e-12);
  });

  it("rejects a non-positive spot or strike and NaN time or vol with a RangeError naming the argument", () => {
    assert.throws(() => bsGreeks(0, 3000, 1, 0.8, true), {
      name: "RangeError",
      message: /spotUsd/,
    });
    assert.throws(() => bsGreeks(3000, -1, 1, 0.8, true), {
      name: "RangeError",
      message: /strikeUsd/,
    });
    assert.throws(() => bsGreeks(3000, 3000, Number.NaN, 0.8, true), {
      name: "RangeError",
      message: /tYears/,
    });
    assert.throws(() => bsGreeks(3000, 3000, 1, Number.NaN, true), {
      name: "RangeError",
      message: /sigma/,
    });
  });
});

/** Deterministic pseudo-random book around spot 3000 (LCG, so failures reproduce). */
function syntheticRows(count: number): BookRow[] {
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: count }, () => ({
    strikeUsd: 1500 + 3000 * next(),
    expirySec: NOW + (next() - 0.02) * YEAR, // ~2% already expired
    isCall: next() < 0.5,
    sizeEth: (next() - 0.7) * 50,
    vol: 0.3 + next(),
  }));
}

function expectedAggregates(rows: readonly BookRow[], spotUsd: number, nowSec: number) {
  const sums = {
    netOptionDeltaEth: 0,
    netGammaPerUsd: 0,
    netVegaUsd: 0,
    premiumUsd: 0,
  };
  for (const row of rows) {
    const g = bsGreeks(spotUsd, row.strikeUsd, (row.expirySec - nowSec) / YEAR, row.vol, row.isCall);
    sums.netOptionDeltaEth += row.expirySec <= nowSec ? 0 : row.sizeEth * g.delta;
    sums.netGammaPerUsd += row.sizeEth * g.gamma;
    sums.netVegaUsd += row.sizeEth * g.vega;
    sums.premiumUsd += row.sizeEth * g.price;
  }
  return sums;
}

const SMALL_BOOK: BookRow[] = [
  {
    strikeUsd: 3000,
    expirySec: NOW + 30 * 86_400,
    isCall: true,
    sizeEth: -100,
    vol: 0.8,
  },
  {
    strikeUsd: 2700,
    expirySec: NOW + 7 * 86_400,
    isCall: false,
    sizeEth: -50,
    vol: 0.9,
  },
  {
    strikeUsd: 3500,
    expirySec: NOW + 90 * 86_400,
    isCall: true,
    sizeEth: 25,
    vol: 0.7,
  },
  {
    strikeUsd: 2500,
    expirySec: NOW - 60,
    isCall: false,
    sizeEth: -10,
    vol: 0.85,
  }, // expired, out of the money
];

describe("bookFromRows", () => {
  it("packs rows into typed arrays, calls as 1 and puts as 0", () => {
    const book = bookFromRows(SMALL_BOOK);
    assert.equal(book.length, 4);
    assert.deepEqual(Array.from(book.isCall), [1, 0, 1, 0]);
    assert.deepEqual(Array.from(book.sizeEth), [-100, -50, 25, -10]);
  });

  it("rejects a series with a bad field, naming the series and field", () => {
    const bad = [...SMALL_BOOK, { ...SMALL_BOOK[0]!, vol: -0.1 }];
    assert.throws(() => bookFromRows(bad), {
      name: "RangeError",
      message: /book series 4: vol must be/,
    });
    assert.throws(() => bookFromRows([{ ...SMALL_BOOK[0]!, strikeUsd: 0 }]), {
      message: /book series 0: strikeUsd/,
    });
    assert.throws(() => bookFromRows([{ ...SMALL_BOOK[0]!, sizeEth: Number.NaN }]), {
      message: /book series 0: sizeEth/,
    });
  });
});

describe("evaluateBook", () => {
  it("aggregates equal the size-weighted sums of per-series bsGreeks", () => {
    const risk = evaluateBook(bookFromRows(SMALL_BOOK), 3050, NOW);
    const expected = expectedAggregates(SMALL_BOOK, 3050, NOW);
    for (const key of Object.keys(expected) as (keyof typeof expected)[])
      assertClose(risk[key], expected[key], 1e-14, 1e-12, key);
    const g0 = bsGreeks(3050, 3000, (30 * 86_400) / YEAR, 0.8, true);
    assert.equal(risk.delta[0], g0.delta);
    assert.equal(risk.vega[0], g0.vega);
  });

  it("values expired series at intrinsic with zero delta, gamma and vega (they leave the hedged delta, as on-chain)", () => {
    const risk = evaluateBook(bookFromRows(SMALL_BOOK), 2400, NOW);
    assert.equal(risk.price[3], 100);
    assert.equal(risk.delta[3], 0); // in the money, yet its payoff is fixed in USDC: nothing to hedge
    assert.equal(risk.gamma[3], 0);
    assert.equal(risk.vega[3], 0);
    const live = evaluateBook(bookFromRows(SMALL_BOOK.slice(0, 3)), 2400, NOW);
    assert.equal(risk.netOptionDeltaEth, live.netOptionDeltaEth);
  });

  it("treats a series expiring exactly now as expired (expiry <= now, as the vault does)", () => {
    const atExpiry = { ...SMALL_BOOK[0]!, expirySec: NOW };
    const risk = evaluateBook(bookFromRows([atExpiry]), 3500, NOW);
    assert.equal(risk.delta[0], 0);
    assert.equal(risk.netOptionDeltaEth, 0);
  });

  it("reports the |size|-weighted mean vol as weightedVol, and 0 for an empty book", () => {
    const risk = evaluateBook(bookFromRows(SMALL_BOOK), 3000, NOW);
    assertClose(risk.weightedVol, (100 * 0.8 + 50 * 0.9 + 25 * 0.7 + 10 * 0.85) / 185, 1e-15);
    assert.equal(evaluateBook(bookFromRows([]), 3000, NOW).weightedVol, 0);
  });

  it("fills and returns the caller's buffers when given", () => {
    const out = allocateGreekArrays(8);
    const risk = evaluateBook(bookFromRows(SMALL_BOOK), 3000, NOW, out);
    assert.equal(risk.delta, out.delta);
    assert.equal(risk.price, out.price);
    assert.notEqual(out.gamma[0], 0);
  });

  it("rejects buffers shorter than the book, a bad spot, and a corrupt series", () => {
    const book = bookFromRows(SMALL_BOOK);
    assert.throws(() => evaluateBook(book, 3000, NOW, allocateGreekArrays(2)), {
      name: "RangeError",
      message: /price has 2 entries/,
    });
    assert.throws(() => evaluateBook(book, Number.NaN, NOW), {
      name: "RangeError",
      message: /spotUsd/,
    });
    book.vol[1] = Number.NaN;
    assert.throws(() => evaluateBook(book, 3000, NOW), {
      name: "RangeError",
      message: /book series 1: vol/,
    });
  });

  describe("with 10,000 series", () => {
    const rows = syntheticRows(10_000);
    const book = bookFromRows(rows);
    const out = allocateGreekArrays(book.length);

    it("matches bsGreeks series by series and in aggregate", () => {
      const risk = evaluateBook(book, 3000, NOW, out);
      rows.forEach((row, i) => {
        const g = bsGreeks(3000, row.strikeUsd, (row.expirySec - NOW) / YEAR, row.vol, row.isCall);
        assert.equal(risk.delta[i], row.expirySec <= NOW ? 0 : g.delta, `series ${i}`);
        assert.equal(risk.price[i], g.price, `series ${i}`);
      });
      const expected = expectedAggregates(rows, 3000, NOW);
      assertClose(risk.netOptionDeltaEth, expected.netOptionDeltaEth, 1e-12, 1e-9);
      assertClose(risk.premiumUsd, expected.premiumUsd, 1e-12, 1e-6);
      assertClose(risk.netGammaPerUsd, expected.netGammaPerUsd, 1e-12, 1e-12);
    });

    it("evaluates in well under 50 ms", () => {
      evaluateBook(book, 3000, NOW, out); // warm-up (JIT)
      let bestMs = Infinity;
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        evaluateBook(book, 3000 + run, NOW, out);
        bestMs = Math.min(bestMs, performance.now() - start);
      }
      assert.ok(bestMs < 50, `best of 5 runs took ${bestMs.toFixed(2)} ms`);
    });
  });
});
