import assert from "node:assert/strict";

import fc from "fast-check";

import { judgeDefault } from "../../bench/defaults.js";
import { relativeBandEth } from "../../keeper/policy/index.js";

const point = (id: string, error: number, meanCostUsd: number) => ({ id, label: id, error, meanCostUsd });

describe("keeper/policy relativeBandEth", () => {
  it("is max(floor, bps × gross notional): never below the floor, linear in the book above it", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (floorEth, bps, grossEth) => {
          const band = relativeBandEth({ floorEth, bps }, grossEth);
          assert.ok(band >= floorEth);
          assert.ok(relativeBandEth({ floorEth, bps }, 2 * grossEth) >= band, "monotone in the book");
          if ((grossEth * bps) / 10_000 > floorEth) assert.equal(band, (grossEth * bps) / 10_000);
        },
      ),
    );
    assert.equal(relativeBandEth({ floorEth: 0.5, bps: 500 }, 0), 0.5, "an empty book keeps the floor");
    assert.equal(relativeBandEth({ floorEth: 0.5, bps: 500 }, 1000), 50);
  });
});

describe("bench defaults judgeDefault", () => {
  const frontier = [point("fine", 0.02, 400), point("coarse", 0.08, 100)];

  it("divides the default's cost by the frontier's cost interpolated at its own hedge error", () => {
    const verdict = judgeDefault(point("default", 0.04, 220), frontier);
    assert.equal(verdict.how, "interpolated");
    assert.ok(Math.abs(verdict.ratio! - 1.1) < 1e-9);
  });

  it("a default more precise than every swept point is on the frontier unless it costs more than the most precise", () => {
    assert.deepEqual(judgeDefault(point("default", 0.01, 300), frontier), {
      ratio: 0.75,
      how: "more precise than every swept point",
    });
    assert.equal(judgeDefault(point("default", 0.01, 800), frontier).ratio, 1);
  });

  it("a default less precise than every swept point is compared with the frontier's cheapest point", () => {
    const verdict = judgeDefault(point("default", 0.2, 150), frontier);
    assert.equal(verdict.how, "less precise than every swept point");
    assert.equal(verdict.ratio, 1.5);
  });
});
