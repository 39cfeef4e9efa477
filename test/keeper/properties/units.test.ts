import assert from "node:assert/strict";
import fc from "fast-check";

import {
  ethToWadFloor,
  numberToPriceE8,
  numberToUsdc,
  numberToWad,
  usdc6ToWethWadFloor,
  wadToNumber,
  wethWadForOneUsdc6,
  wethWadToUsdc6Floor,
} from "../../../keeper/units.js";
import { RUNS, wadAmount } from "./arbitraries.js";

const anyDouble = fc.double();
const price = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 30n });

describe("units: properties", function () {
  it("float -> integer conversions throw only a RangeError, and only for a non-finite value", function () {
    fc.assert(
      fc.property(anyDouble, (value) => {
        for (const convert of [numberToWad, numberToUsdc, numberToPriceE8]) {
          try {
            assert.equal(typeof convert(value), "bigint");
          } catch (error) {
            assert.ok(error instanceof RangeError, String(error));
            assert.ok(!Number.isFinite(value) || !Number.isFinite(value * 1e8), `threw for ${value}`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("ethToWadFloor never throws, is >= 0 and never more than the float (within its resolution)", function () {
    fc.assert(
      fc.property(anyDouble, (value) => {
        const wad = ethToWadFloor(value);
        assert.ok(wad >= 0n);
        if (!(value > 0) || !Number.isFinite(value)) assert.equal(wad, 0n);
        else assert.ok(wadToNumber(wad) <= value * (1 + 2 ** -50), `${value} -> ${wad}`);
      }),
      { numRuns: RUNS },
    );
  });

  it("wadToNumber is finite for every wad up to 2^256", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 255n), max: 2n ** 256n }), (wad) => {
        assert.ok(Number.isFinite(wadToNumber(wad)));
      }),
      { numRuns: RUNS },
    );
  });

  it("a buy sized by usdc6ToWethWadFloor never costs more USDC than the balance, at any markup", function () {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1n, max: 10n ** 15n }),
        price,
        fc.bigInt({ min: 0n, max: 10_000n }),
        (usdc6, p, bps) => {
          const wad = usdc6ToWethWadFloor(usdc6, p, bps);
          assert.ok(wad >= 0n);
          assert.ok(wethWadToUsdc6Floor(wad, p) <= (usdc6 > 0n ? usdc6 : 0n));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("wethWadForOneUsdc6 is the smallest leg that swaps at least one USDC unit", function () {
    fc.assert(
      fc.property(price, wadAmount, (p, _) => {
        const min = wethWadForOneUsdc6(p);
        if (p <= 0n) return assert.equal(min, 0n);
        assert.ok(wethWadToUsdc6Floor(min, p) >= 1n);
        if (min > 1n) assert.equal(wethWadToUsdc6Floor(min - 1n, p), 0n);
      }),
      { numRuns: RUNS },
    );
  });
});
