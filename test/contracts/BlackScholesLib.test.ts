import { expect } from "chai";
import { network } from "hardhat";
import type { BlackScholesHarness } from "../../types/ethers-contracts/index.js";
import { bsGreeks, normCdf } from "../../keeper/risk/index.js";
import { SECONDS_PER_YEAR } from "../../keeper/units.js";
import { DAY, ETH } from "../fixtures.js";

const HOUR = 3600;

/** Wad (1e18 fixed point) to float. Exact enough for values in [-1, 1] compared at 1e-6. */
function fromWad(x: bigint): number {
  return Number(x) / 1e18;
}

function expectWithin(actual: number, expected: number, tolerance: number, what: string): void {
  const diff = Math.abs(actual - expected);
  expect(diff, `${what}: on-chain ${actual}, reference ${expected}, |diff| ${diff}`).to.be.at.most(tolerance);
}

describe("BlackScholesLib", function () {
  let bs: BlackScholesHarness;
  before(async function () {
    const { ethers } = await network.create();
    bs = (await ethers.deployContract("BlackScholesHarness")) as unknown as BlackScholesHarness;
  });

  describe("BlackScholesLib.deltaWad", function () {
    // Spots from deep out of the money to deep in the money around a 3000 strike, plus a far strike; times from an
    // hour to three years; vols from the lower bound's neighbourhood to 250%.
    const spots = [300, 1500, 2400, 2950, 3000, 3050, 3600, 6000, 30_000];
    const strikes = [3000, 45_000];
    const times = [HOUR, DAY, 30 * DAY, 365 * DAY, 3 * 365 * DAY];
    const vols = [0.05, 0.3, 0.8, 2.5];

    it("matches the keeper's float64 Black–Scholes delta (Cody's CDF) within 1e-6 over a grid of calls and puts", async function () {
      const grid = spots.flatMap((s) =>
        strikes.flatMap((k) =>
          times.flatMap((t) => vols.flatMap((v) => [true, false].map((isCall) => ({ s, k, t, v, isCall })))),
        ),
      );
      const onChain = await Promise.all(grid.map((g) => bs.deltaWad(ETH(g.s), ETH(g.k), g.t, ETH(g.v), g.isCall)));
      let worst = 0;
      grid.forEach((g, i) => {
        const reference = bsGreeks(g.s, g.k, g.t / SECONDS_PER_YEAR, g.v, g.isCall).delta;
        const actual = fromWad(onChain[i]!);
        worst = Math.max(worst, Math.abs(actual - reference));
        expectWithin(actual, reference, 1e-6, `${g.isCall ? "call" : "put"} S=${g.s} K=${g.k} T=${g.t}s σ=${g.v}`);
      });
      expect(grid).to.have.length(720);
      expect(worst).to.be.greaterThan(0); // the comparison is live, not two copies of one implementation
    });

    it("keeps calls in [0, 1], puts in [-1, 0] and put = call - 1 before expiry", async function () {
      for (const s of spots) {
        const call = await bs.deltaWad(ETH(s), ETH(3000), 7 * DAY, ETH(0.8), true);
        const put = await bs.deltaWad(ETH(s), ETH(3000), 7 * DAY, ETH(0.8), false);
        expect(call).to.be.within(0n, ETH(1));
        expect(put).to.be.within(-ETH(1), 0n);
        expect(call - put, `S=${s}`).to.equal(ETH(1));
      }
    });

    it("at expiry (T = 0) is the exercise indicator: call 1 iff S > K, put -1 iff S < K", async function () {
      const cases: [number, boolean, bigint][] = [
        [3500, true, ETH(1)],
        [2500, true, 0n],
        [3000, true, 0n],
        [3500, false, 0n],
        [2500, false, -ETH(1)],
        [3000, false, 0n], // at the money neither side is exercised: settle pays nothing
      ];
      for (const [s, isCall, expected] of cases) {
        expect(await bs.deltaWad(ETH(s), ETH(3000), 0, ETH(0.8), isCall), `${isCall ? "call" : "put"} S=${s}`).to.equal(
          expected,
        );
        const reference = bsGreeks(s, 3000, 0, 0.8, isCall).delta;
        expect(fromWad(expected)).to.equal(reference === 0 ? 0 : reference); // -0 from the reference reads as 0
      }
    });

    it("is close to one half at the money one second before expiry", async function () {
      expectWithin(fromWad(await bs.deltaWad(ETH(3000), ETH(3000), 1, ETH(0.8), true)), 0.5, 1e-4, "call ATM 1s");
    });

    it("reverts with BlackScholesInputOutOfRange(spot, strike, seconds, vol) past each bound, and prices at the bounds", async function () {
      const MAX_PRICE_WAD = 10n ** 36n;
      const MAX_VOL_WAD = ETH(100);
      const MAX_SECONDS = 2n ** 64n - 1n;
      const outside: [bigint, bigint, bigint, bigint][] = [
        [MAX_PRICE_WAD + 1n, ETH(3000), BigInt(DAY), ETH(0.8)],
        [ETH(3000), MAX_PRICE_WAD + 1n, BigInt(DAY), ETH(0.8)],
        [ETH(3000), ETH(3000), MAX_SECONDS + 1n, ETH(0.8)],
        [ETH(3000), ETH(3000), BigInt(DAY), MAX_VOL_WAD + 1n],
      ];
      for (const [spot, strike, seconds, vol] of outside) {
        await expect(bs.deltaWad(spot, strike, seconds, vol, true))
          .to.be.revertedWithCustomError(bs, "BlackScholesInputOutOfRange")
          .withArgs(spot, strike, seconds, vol);
      }
      // At the bounds the unchecked arithmetic still gives a delta in range (no wrap-around).
      const atBounds: [bigint, bigint, bigint, bigint][] = [
        [MAX_PRICE_WAD, ETH(3000), BigInt(DAY), ETH(0.8)],
        [ETH(3000), MAX_PRICE_WAD, BigInt(DAY), ETH(0.8)],
        [ETH(3000), ETH(3000), MAX_SECONDS, MAX_VOL_WAD],
        [MAX_PRICE_WAD, 1n, MAX_SECONDS, MAX_VOL_WAD],
      ];
      for (const [spot, strike, seconds, vol] of atBounds) {
        const call = await bs.deltaWad(spot, strike, seconds, vol, true);
        expect(call >= 0n && call <= ETH(1), `call delta ${call} at ${[spot, strike, seconds, vol]}`).to.equal(true);
        expect(await bs.deltaWad(spot, strike, seconds, vol, false)).to.equal(call - ETH(1));
      }
      expect(await bs.deltaWad(MAX_PRICE_WAD, ETH(3000), BigInt(DAY), ETH(0.8), true)).to.equal(ETH(1));
      expect(await bs.deltaWad(ETH(3000), MAX_PRICE_WAD, BigInt(DAY), ETH(0.8), true)).to.equal(0n);
    });
  });

  describe("BlackScholesLib.normCdfWad", function () {
    // Φ(x) to 16 digits (standard normal tables / mpmath).
    const KNOWN: [number, number][] = [
      [0, 0.5],
      [0.5, 0.6914624612740131],
      [1, 0.8413447460685429],
      [1.959963984540054, 0.975],
      [-1, 0.15865525393145705],
      [-2, 0.022750131948179195],
      [3, 0.9986501019683699],
      [-4, 3.167124183311992e-5],
      [-6, 9.865876450376981e-10],
    ];

    it("matches Φ at known points within the Abramowitz–Stegun bound (7.5e-8)", async function () {
      for (const [x, expected] of KNOWN) {
        expectWithin(fromWad(await bs.normCdfWad(ETH(x))), expected, 7.5e-8, `Φ(${x})`);
      }
    });

    it("matches the keeper's normCdf within 1e-7 on [-8, 8]", async function () {
      const xs = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
      const onChain = await Promise.all(xs.map((x) => bs.normCdfWad(ETH(Number(x.toFixed(1))))));
      xs.forEach((x, i) =>
        expectWithin(fromWad(onChain[i]!), normCdf(Number(x.toFixed(1))), 1e-7, `Φ(${x.toFixed(1)})`),
      );
    });

    it("is symmetric to the wei: N(x) + N(-x) = 1", async function () {
      for (const x of [0.1, 0.77, 1.5, 2.33, 4.2, 7.9]) {
        expect((await bs.normCdfWad(ETH(x))) + (await bs.normCdfWad(-ETH(x))), `x=${x}`).to.equal(ETH(1));
      }
    });

    it("is exactly 1 at and above +8 and exactly 0 at and below -8", async function () {
      for (const x of [8, 9, 1e6]) {
        expect(await bs.normCdfWad(ETH(x))).to.equal(ETH(1));
        expect(await bs.normCdfWad(-ETH(x))).to.equal(0n);
      }
    });
  });
});
