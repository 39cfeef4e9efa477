import assert from "node:assert/strict";

import fc from "fast-check";

import { bandWadFor, type SeriesRaw } from "../../keeper/chain/snapshot.js";
import { relativeBandEth } from "../../keeper/policy/index.js";
import { WAD, wadToNumber } from "../../keeper/units.js";

const NOW = 1_750_000_000;
const series = (sizeWad: bigint, expiry: number): SeriesRaw => ({
  id: 1n,
  strikeWad: 3000n * WAD,
  expiry: BigInt(expiry),
  isCall: true,
  sizeWad,
  volWad: WAD,
});

describe("keeper bandWadFor (the adapter's band, mirrored from the book read)", () => {
  it("is max(floor, Σ |size| of unexpired series × bps / 10,000), as HedgeAdapter._bandWad over the vault's walk", () => {
    const { bandWad, grossNotionalWad } = bandWadFor(
      { deltaBandWad: WAD / 2n, deltaBandBps: 200 },
      [series(-100n * WAD, NOW + 60), series(40n * WAD, NOW + 1), series(-500n * WAD, NOW)],
      NOW,
    );
    assert.equal(grossNotionalWad, 140n * WAD, "a series at its expiry no longer counts");
    assert.equal(bandWad, (140n * WAD * 200n) / 10_000n);
  });

  it("agrees with the bench's float rule (keeper/policy/band.ts) over the whole domain, to the wei's rounding", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), { maxLength: 20 }),
        fc.bigInt({ min: 10n ** 16n, max: 1000n * WAD }),
        fc.integer({ min: 0, max: 2000 }),
        (sizes, floorWad, bps) => {
          const book = sizes.map((size) => series(size, NOW + 3600));
          const { bandWad, grossNotionalWad } = bandWadFor({ deltaBandWad: floorWad, deltaBandBps: bps }, book, NOW);
          assert.ok(bandWad >= floorWad);
          const expected = relativeBandEth({ floorEth: wadToNumber(floorWad), bps }, wadToNumber(grossNotionalWad));
          assert.ok(Math.abs(wadToNumber(bandWad) - expected) <= 1e-9 * Math.max(1, expected));
        },
      ),
    );
  });
});
