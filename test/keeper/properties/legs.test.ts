import assert from "node:assert/strict";
import fc from "fast-check";

import { MAX_LEGS_PER_HEDGE_BOUND, planLegs } from "../../../keeper/policy/index.js";
import { RUNS, wadAmount } from "./arbitraries.js";

const args = fc.record({
  wantedWad: fc.oneof(wadAmount, fc.bigInt({ min: -(10n ** 20n), max: 0n })),
  payableWad: fc.option(wadAmount, { nil: null }),
  depthWad: fc.option(wadAmount, { nil: null }),
  maxTradeWad: wadAmount,
  minLegWad: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), wadAmount),
  maxLegs: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constantFrom(NaN, Infinity, 1e12, 2e9)),
});

describe("planLegs: properties over every bigint input", function () {
  it("never throws and allocates at most maxLegs (<= 256) legs: a dust cap never makes a huge array", function () {
    fc.assert(
      fc.property(args, (a) => {
        const plan = planLegs(a);
        if (plan.kind !== "legs") return;
        assert.ok(plan.legsWad.length <= MAX_LEGS_PER_HEDGE_BOUND);
        assert.ok(plan.legsWad.length <= Math.max(1, Number.isFinite(a.maxLegs) ? a.maxLegs : 1));
      }),
      { numRuns: RUNS },
    );
  });

  it("legs sum to the total; each is within [minLeg, min(maxTrade, depth, payable)]; the total is payable and wanted", function () {
    fc.assert(
      fc.property(args, (a) => {
        const plan = planLegs(a);
        if (plan.kind === "none") return;
        const { legsWad, totalWad, caps } = plan;
        assert.equal(
          legsWad.reduce((x, y) => x + y, 0n),
          totalWad,
        );
        assert.ok(totalWad <= caps.wantedWad && totalWad <= a.wantedWad);
        if (a.payableWad !== null) assert.ok(totalWad <= a.payableWad);
        for (const leg of legsWad) {
          assert.ok(leg >= a.minLegWad && leg >= 1n, `leg ${leg} < min ${a.minLegWad}`);
          assert.ok(leg <= a.maxTradeWad, `leg ${leg} > max trade ${a.maxTradeWad}`);
          if (a.depthWad !== null) assert.ok(leg <= a.depthWad);
          if (a.payableWad !== null) assert.ok(leg <= a.payableWad);
        }
        assert.equal(plan.limitedBy === null, totalWad === caps.wantedWad, "a limit is named iff the plan is short");
      }),
      { numRuns: RUNS },
    );
  });

  it("plans nothing only when no leg of at least minLeg fits, and says which cap is short", function () {
    fc.assert(
      fc.property(args, (a) => {
        const plan = planLegs(a);
        if (plan.kind === "legs") return;
        const min = a.minLegWad > 1n ? a.minLegWad : 1n;
        const short: Record<typeof plan.reason, boolean> = {
          "below-min-trade": a.wantedWad < min || a.maxTradeWad < min,
          "insufficient-collateral": a.payableWad !== null && a.payableWad < min,
          "depth-exhausted": a.depthWad !== null && a.depthWad < min,
        };
        assert.ok(short[plan.reason], `${plan.reason} but that cap is not short`);
      }),
      { numRuns: RUNS },
    );
  });
});
