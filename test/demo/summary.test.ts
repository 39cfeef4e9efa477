import { expect } from "chai";
import type { StepRecord } from "../../scripts/lib/demo/record.js";
import { heldPeriods } from "../../scripts/lib/demo/summary.js";

/** A step with only the fields heldPeriods reads set meaningfully. */
function step(stepNo: number, decision: "hedge" | "hold", netDeltaEth: number, reason: string): StepRecord {
  return { step: stepNo, decision, netDeltaEth, bandEth: 5, reason, detail: `detail ${stepNo}` } as StepRecord;
}

describe("demo summary: heldPeriods", function () {
  it("groups consecutive holds outside the band by reason, with the first detail and the largest |Δ|", function () {
    const steps = [
      step(0, "hold", 1, "inside-band"),
      step(1, "hold", 6, "cooldown"),
      step(2, "hedge", 6.5, "hedge"),
      step(3, "hold", 7, "insufficient-collateral"),
      step(4, "hold", -9, "insufficient-collateral"),
      step(5, "hold", 8, "pool-deviation"),
      step(6, "hold", 4, "insufficient-collateral"),
      step(7, "hold", 8, "insufficient-collateral"),
    ];
    expect(heldPeriods(steps)).to.deep.equal([
      { fromStep: 1, toStep: 1, blocks: 1, reason: "cooldown", detail: "detail 1", maxAbsNetDeltaEth: 6 },
      {
        fromStep: 3,
        toStep: 4,
        blocks: 2,
        reason: "insufficient-collateral",
        detail: "detail 3",
        maxAbsNetDeltaEth: 9,
      },
      { fromStep: 5, toStep: 5, blocks: 1, reason: "pool-deviation", detail: "detail 5", maxAbsNetDeltaEth: 8 },
      {
        fromStep: 7,
        toStep: 7,
        blocks: 1,
        reason: "insufficient-collateral",
        detail: "detail 7",
        maxAbsNetDeltaEth: 8,
      },
    ]);
  });

  it("is empty when every hold was inside the band", function () {
    expect(heldPeriods([step(0, "hold", 1, "inside-band"), step(1, "hedge", 7, "hedge")])).to.deep.equal([]);
  });
});
