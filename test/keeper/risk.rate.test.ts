import assert from "node:assert/strict";

import fc from "fast-check";

import { bookFromRows, bsCall, bsGreeks, bsPut, evaluateBook } from "../../keeper/risk/index.js";
import { SECONDS_PER_YEAR } from "../../keeper/units.js";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);

describe("bsGreeks with a risk-free rate", () => {
  it("matches Hull's Example 15.6 (S 42, K 40, r 10%, σ 20%, T 0.5): call 4.76, put 0.81, call delta 0.779", () => {
    close(bsCall(42, 40, 0.5, 0.2, 0.1), 4.7594, 5e-4, "call");
    close(bsPut(42, 40, 0.5, 0.2, 0.1), 0.8086, 5e-4, "put");
    // d1 = (ln(42/40) + (0.1 + 0.02)·0.5) / (0.2·√0.5) = 0.7693, N(d1) = 0.7791
    close(bsGreeks(42, 40, 0.5, 0.2, true, 0.1).delta, 0.7791, 5e-4, "delta");
  });

  it("matches Hull's Table 19.4 option (S 49, K 50, r 5%, σ 20%, 20 weeks): worth $2.40, delta 0.522", () => {
    const t = 20 / 52;
    close(bsCall(49, 50, t, 0.2, 0.05), 2.4005, 5e-4, "price");
    close(bsGreeks(49, 50, t, 0.2, true, 0.05).delta, 0.5216, 5e-4, "delta");
  });

  it("satisfies put–call parity c − p = S − K·e^{−rT} and put delta = call delta − 1 over the whole domain", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: 1e-4, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: -0.2, max: 0.3, noNaN: true }),
        (spot, moneyness, t, sigma, r) => {
          const strike = spot * moneyness;
          const call = bsGreeks(spot, strike, t, sigma, true, r);
          const put = bsGreeks(spot, strike, t, sigma, false, r);
          close(call.price - put.price, spot - strike * Math.exp(-r * t), 1e-9 * (spot + strike), "parity");
          close(put.delta, call.delta - 1, 1e-12, "delta parity");
          assert.equal(put.gamma, call.gamma);
        },
      ),
    );
  });

  it("a positive rate raises a call's price and delta and lowers a put's", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 10_000, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (spot, moneyness, t, sigma, r) => {
          const strike = spot * moneyness;
          const at = (rate: number, isCall: boolean) => bsGreeks(spot, strike, t, sigma, isCall, rate);
          assert.ok(at(r, true).price >= at(0, true).price);
          assert.ok(at(r, true).delta >= at(0, true).delta);
          assert.ok(at(r, false).price <= at(0, false).price);
        },
      ),
    );
  });

  it("with r = 0 gives exactly what the rate-free call gives, and rejects a rate passed in percent or bps", () => {
    assert.deepEqual(bsGreeks(3000, 3200, 0.1, 0.8, true, 0), bsGreeks(3000, 3200, 0.1, 0.8, true));
    assert.throws(() => bsGreeks(3000, 3000, 0.1, 0.8, true, 5), /rateAnnual must be a finite annual fraction/);
    assert.throws(() => bsGreeks(3000, 3000, 0.1, 0.8, true, Number.NaN), /rateAnnual/);
  });

  it("at zero vol prices the intrinsic value against the discounted strike", () => {
    const g = bsGreeks(100, 102, 1, 0, true, 0.05);
    close(g.price, 100 - 102 * Math.exp(-0.05), 1e-12, "price");
    assert.equal(g.delta, 1);
  });
});

describe("evaluateBook with a risk-free rate", () => {
  it("aggregates the per-series greeks at the rate, and an expired series still counts 0 delta", () => {
    const now = 1_750_000_000;
    const book = bookFromRows([
      { strikeUsd: 3000, expirySec: now + 0.25 * SECONDS_PER_YEAR, isCall: true, sizeEth: -10, vol: 0.7 },
      { strikeUsd: 2800, expirySec: now - 60, isCall: false, sizeEth: 5, vol: 0.7 },
    ]);
    const risk = evaluateBook(book, 3000, now, undefined, 0.05);
    close(risk.netOptionDeltaEth, -10 * bsGreeks(3000, 3000, 0.25, 0.7, true, 0.05).delta, 1e-12, "net delta");
    assert.ok(
      risk.netOptionDeltaEth < evaluateBook(book, 3000, now).netOptionDeltaEth,
      "short calls: more delta at r > 0",
    );
    assert.throws(() => evaluateBook(book, 3000, now, undefined, 500), /rateAnnual/);
  });
});
