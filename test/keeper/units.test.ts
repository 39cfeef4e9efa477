import { expect } from "chai";
import {
  bigintSqrt,
  weiToEthNumber,
  numberToPriceE8,
  priceE8ToSqrtPriceX96,
  sqrtPriceX96ToPriceUsd,
} from "../../keeper/units.js";

/** Deterministic 64-bit LCG so the cases are the same on every run. */
function* randomBigints(seed: bigint, count: number, bits: number): Generator<bigint> {
  let state = seed;
  for (let i = 0; i < count; i++) {
    let value = 0n;
    for (let b = 0; b < bits; b += 32) {
      state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      value = (value << 32n) | (state >> 32n);
    }
    yield value >> BigInt(Math.max(0, Math.ceil(bits / 32) * 32 - bits));
  }
}

describe("bigintSqrt", () => {
  it("returns the exact floor square root at every magnitude up to 2^256", () => {
    for (const bits of [8, 53, 54, 96, 160, 192, 200, 256]) {
      for (const value of randomBigints(BigInt(bits), 200, bits)) {
        const root = bigintSqrt(value);
        expect(root * root <= value, `${value}: root² ≤ value`).to.equal(true);
        expect((root + 1n) * (root + 1n) > value, `${value}: (root+1)² > value`).to.equal(true);
      }
    }
  });

  it("is exact on perfect squares and their neighbours, where a float estimate is furthest off", () => {
    for (const root of [1n, 2n, 3n, 2n ** 52n + 1n, 2n ** 96n - 1n, 2n ** 127n + 12345n]) {
      expect(bigintSqrt(root * root)).to.equal(root);
      expect(bigintSqrt(root * root - 1n)).to.equal(root - 1n);
      expect(bigintSqrt(root * root + 1n)).to.equal(root);
    }
    expect(bigintSqrt(0n)).to.equal(0n);
  });

  it("rejects a negative input", () => {
    expect(() => bigintSqrt(-1n)).to.throw(RangeError);
  });
});

describe("priceE8ToSqrtPriceX96", () => {
  it("round-trips ETH prices through the pool's sqrt price in both token orders (to 1 ppm)", () => {
    for (const wethIsToken0 of [true, false]) {
      for (const priceUsd of [10, 812.34, 2995.48, 3013.37, 100_000]) {
        const sqrtPriceX96 = priceE8ToSqrtPriceX96(numberToPriceE8(priceUsd), wethIsToken0);
        // A relative error as a plain number: hardhat's chai matchers take over closeTo when a value is integral.
        const relativeError = Math.abs(sqrtPriceX96ToPriceUsd(sqrtPriceX96, wethIsToken0) / priceUsd - 1);
        expect(relativeError < 1.5e-6, `${priceUsd} USD, wethIsToken0 ${wethIsToken0}: ${relativeError}`).to.equal(
          true,
        );
      }
    }
  });
});

describe("weiToEthNumber", () => {
  it("divides wei by 1e18 once (a gas cost of 21000 gas at 2 gwei is 0.000042 ETH)", () => {
    expect(weiToEthNumber(21_000n * 2_000_000_000n)).to.equal(0.000042);
    expect(weiToEthNumber(0n)).to.equal(0);
  });
});
