import { expect } from "chai";
import { planSeed, pricePath, REGIMES, STEP_SEC_CHOICES } from "../../scripts/lib/soak/plan.js";

describe("soak planSeed and pricePath", function () {
  it("covers every regime in any five consecutive seeds", function () {
    const regimes = new Set([7, 8, 9, 10, 11].map((seed) => planSeed(seed, 100).regime));
    expect([...regimes].sort()).to.deep.equal([...REGIMES].sort());
  });

  it("steps 5 to 15 simulated minutes per block and is the same plan for the same seed", function () {
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planSeed(seed, 100);
      expect(STEP_SEC_CHOICES).to.include(plan.stepSec);
      expect(planSeed(seed, 100)).to.deep.equal(plan);
    }
  });

  it("gives a positive, finite, reproducible path of blocks + 1 prices", function () {
    const plan = planSeed(3, 500);
    const path = pricePath(plan);
    expect(path).to.have.length(501);
    expect(path.every((p) => p > 0 && Number.isFinite(p))).to.equal(true);
    expect(Array.from(pricePath(plan))).to.deep.equal(Array.from(path));
  });

  it("trends down in the trend-down regime and up in the trend-up regime", function () {
    const down = planSeed(3, 3000);
    const up = planSeed(4, 3000);
    expect(down.regime).to.equal("trend-down");
    expect(up.regime).to.equal("trend-up");
    expect(pricePath(down)[3000]!).to.be.below(down.spotUsd * 0.9);
    expect(pricePath(up)[3000]!).to.be.above(up.spotUsd * 1.1);
  });
});
