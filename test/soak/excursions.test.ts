import { expect } from "chai";
import {
  allowedRecoveryBlocks,
  DeltaTracker,
  RECOVERY_SLACK_BLOCKS,
  type CycleObservation,
} from "../../scripts/lib/soak/excursions.js";

const cycle = (step: number, absDeltaEth: number, reasons: string[] = []): CycleObservation => ({
  step,
  absDeltaEth,
  bandEth: 5,
  maxTradeEth: 50,
  hedged: false,
  reasons,
});

describe("soak DeltaTracker", function () {
  it("closes an excursion when |delta| is back within the band and records its size and length", function () {
    const tracker = new DeltaTracker();
    [cycle(1, 2), cycle(2, 9), cycle(3, 7), cycle(4, 4)].forEach((c) => tracker.observe(c));
    tracker.finish();
    expect(tracker.excursions).to.deep.equal([
      { startStep: 2, blocks: 2, maxExcessEth: 4, reasons: [], allowedBlocks: RECOVERY_SLACK_BLOCKS + 1 },
    ]);
    expect(tracker.unexplained()).to.deep.equal([]);
  });

  it("flags an excursion that outlasts its allowed blocks with no named gate", function () {
    const tracker = new DeltaTracker();
    for (let step = 1; step <= RECOVERY_SLACK_BLOCKS + 2; step++) tracker.observe(cycle(step, 8));
    tracker.finish();
    expect(tracker.unexplained()).to.have.length(1);
  });

  it("excuses a long excursion held by a named gate and counts the gate's periods and blocks", function () {
    const tracker = new DeltaTracker();
    for (let step = 1; step <= 10; step++) tracker.observe(cycle(step, 8, step % 5 === 0 ? [] : ["oracle-stale"]));
    tracker.finish();
    expect(tracker.unexplained()).to.deep.equal([]);
    expect(tracker.gates.byReason["oracle-stale"]).to.deep.equal({ periods: 2, blocks: 8 });
  });

  it("allows one more block per maximum-size leg the excess needs", function () {
    expect(allowedRecoveryBlocks(120, 50)).to.equal(RECOVERY_SLACK_BLOCKS + 3);
    expect(allowedRecoveryBlocks(0.1, 50)).to.equal(RECOVERY_SLACK_BLOCKS + 1);
  });
});
