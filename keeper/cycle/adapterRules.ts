import type { Snapshot } from "../chain/snapshot.js";
import type { Decision, PolicyState } from "../policy/index.js";
import { wadToNumber } from "../units.js";
import type { Assessment, GateReason } from "./assess.js";

/** The adapter's rules a decision is checked against here, in the keeper's units (ETH, USD). */
interface AdapterLimits {
  /** governance band: the adapter refuses any hedge while |net delta| <= this */
  bandEth: number;
  /** execution loss against the oracle the rolling budget has left now */
  lossAvailableUsd: number;
}

function adapterLimits(snapshot: Snapshot): AdapterLimits {
  return {
    bandEth: wadToNumber(snapshot.bandWad),
    lossAvailableUsd: wadToNumber(snapshot.budgets.lossUsdWad),
  };
}

export type ConformedDecision =
  | Decision
  | {
      kind: "hold";
      reason: "gate";
      gates: { reason: GateReason; detail: string }[];
      detail: string;
      nextState: PolicyState;
    };

/**
 * Pure: a policy decision checked against what the adapter accepts. A hedge inside the governance band becomes a hold
 * (inside-band); one whose first leg is expected to lose more than the loss budget has left becomes a gate that alerts.
 * The legs themselves are planned within the adapter's minimum and maximum trade and the turnover left (assess's
 * `limits`, and its turnover-budget gate), so a hedge passes unchanged.
 * `state` is the state a hold keeps.
 */
export function conformToAdapter(
  decision: Decision,
  snapshot: Snapshot,
  assessment: Assessment,
  state: PolicyState,
): ConformedDecision {
  if (decision.kind !== "hedge") return decision;
  const limits = adapterLimits(snapshot);
  // The adapter measures |Δ| on-chain; the keeper's own figure agrees within the book-mismatch tolerance.
  const onChainAbs = assessment.onChainNetDeltaEth === null ? Infinity : Math.abs(assessment.onChainNetDeltaEth);
  const absDeltaEth = Math.min(Math.abs(assessment.netDeltaEth), onChainAbs);
  if (absDeltaEth <= limits.bandEth) {
    return {
      kind: "hold",
      reason: "inside-band",
      detail: `|net delta| ${absDeltaEth.toFixed(4)} ETH is within the adapter's band ${limits.bandEth} ETH: it refuses hedges there`,
      nextState: state,
      limit: null,
    };
  }
  const legEth = decision.legsEth[0]!;
  const expectedLossUsd =
    (legEth * assessment.spotUsd * (assessment.cost.poolFeeBps + assessment.cost.slippageBps(legEth))) / 10_000;
  if (expectedLossUsd > limits.lossAvailableUsd) {
    return budgetGate(
      "loss-budget",
      `a ${legEth.toFixed(4)} ETH leg is expected to lose $${expectedLossUsd.toFixed(2)} against the oracle; the loss budget has $${limits.lossAvailableUsd.toFixed(2)} left`,
      state,
    );
  }
  return decision;
}

function budgetGate(reason: GateReason, detail: string, state: PolicyState): ConformedDecision {
  return {
    kind: "hold",
    reason: "gate",
    gates: [{ reason, detail }],
    detail: `${reason}: ${detail}`,
    nextState: state,
  };
}
