import { expect } from "chai";
import type { Snapshot } from "../../keeper/chain/snapshot.js";
import { conformToAdapter } from "../../keeper/cycle/adapterRules.js";
import { assess, type AssessOptions } from "../../keeper/cycle/assess.js";
import { chainPolicyState, policyInput } from "../../keeper/cycle/policyInput.js";
import { decide, defaultPolicyConfig } from "../../keeper/policy/index.js";
import { WAD } from "../../keeper/units.js";
import { snapshotFixture } from "./snapshotFixture.js";

const NOW = 1_800_000_000;
const OPTIONS: AssessOptions = {
  gasUnitsPerHedge: 260_000,
  priorityFeeGwei: 1,
  poolFee: 500,
  deltaToleranceEth: 0.01,
  minTradeWethWad: WAD / 1000n,
};

/** $3,000, a vault long `wethEth` WETH (its whole net delta) with ample USDC, and the given budgets left. */
function snapshot(wethEth: number, budgets: Partial<Snapshot["budgets"]> = {}): Snapshot {
  const base = snapshotFixture(3000n, NOW, { baseFeePerGas: 1_000_000_000n });
  return {
    ...base,
    collateral: { wethWad: BigInt(Math.round(wethEth * 1e6)) * 10n ** 12n, usdc6: 10_000_000n * 10n ** 6n },
    budgets: { ...base.budgets, ...budgets },
  };
}

/** The keeper's cycle from the snapshot to the decision it would act on (band policy: it wants any |Δ| > band). */
function decision(s: Snapshot) {
  const assessment = assess(s, OPTIONS);
  const state = chainPolicyState(s, true);
  // As the keeper's cycle does: a gate holds before the policy is asked.
  if (assessment.gates.length > 0) return { kind: "hold", reason: "gate", gates: assessment.gates } as const;
  const config = defaultPolicyConfig("band");
  return conformToAdapter(decide(policyInput(s, assessment, config, state)), s, assessment, state);
}

describe("adapter rules in the keeper cycle (assess gates and conformToAdapter): no hedge the adapter refuses", function () {
  it("passes a hedge outside the band unchanged, its legs within the adapter's minimum and maximum trade", function () {
    const d = decision(snapshot(12));
    expect(d.kind).to.equal("hedge");
    if (d.kind !== "hedge") return;
    for (const leg of d.legsWad) {
      expect(leg >= snapshotFixture(3000n, NOW).params.minTradeWethWad).to.equal(true);
      expect(leg <= snapshotFixture(3000n, NOW).params.maxTradeWethWad).to.equal(true);
    }
  });

  it("holds with turnover-budget, alerting, when the turnover left is below the minimum trade", function () {
    const d = decision(snapshot(12, { turnoverWethWad: WAD / 100n }));
    expect(d.kind === "hold" && d.reason === "gate" && d.gates.map((g) => g.reason)).to.deep.equal(["turnover-budget"]);
  });

  it("holds with loss-budget, alerting, when the leg's expected loss exceeds the loss budget left", function () {
    const d = decision(snapshot(12, { lossUsdWad: WAD })); // $1 left; 5 bp of a ≈ $20k leg is ≈ $10
    expect(d.kind === "hold" && d.reason === "gate" && d.gates.map((g) => g.reason)).to.deep.equal(["loss-budget"]);
  });
});
