import type { Snapshot } from "../chain/snapshot.js";
import type { Decision, PolicyState } from "../policy/index.js";
import { wadToNumber } from "../units.js";
import type { Assessment, GateReason } from "./assess.js";

/**
 * The adapter's on-chain rules for one hedge, in the keeper's units (ETH, USD). The keeper shapes every decision by
 * them, so it never sends a hedge the adapter would refuse, and says which rule holds it.
 */
export interface AdapterLimits {
  /** governance band: the adapter refuses any hedge while |net delta| <= this */
  bandEth: number;
  /** effective minimum trade: min(minTradeWethWad, band) */
  minTradeEth: number;
  maxTradeEth: number;
  /** turnover the rolling budget has left now */
  turnoverAvailableEth: number;
  /** execution loss against the oracle the rolling budget has left now */
  lossAvailableUsd: number;
}

/** Caps are met from below with this relative margin: a float leg converted to wad must not round past a cap. */
const CAP_MARGIN = 1e-9;

/** Pure: the adapter's limits as of the snapshot's block. */
export function adapterLimits(snapshot: Snapshot): AdapterLimits {
  const p = snapshot.params;
  const bandEth = wadToNumber(p.deltaBandWad);
  return {
    bandEth,
    minTradeEth: Math.min(wadToNumber(p.minTradeWethWad), bandEth),
    maxTradeEth: wadToNumber(p.maxTradeWethWad),
    turnoverAvailableEth: wadToNumber(snapshot.budgets.turnoverWethWad),
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
 * Pure: a policy decision shaped to what the adapter accepts. A hedge inside the governance band becomes a hold
 * (inside-band); its first leg is lifted to the minimum trade and capped by the maximum trade, the turnover budget
 * and |net delta| (so it never crosses zero); a leg the budgets cannot pay for becomes a gate that alerts.
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
  const ceilingEth = Math.min(limits.maxTradeEth, limits.turnoverAvailableEth, absDeltaEth) * (1 - CAP_MARGIN);
  if (ceilingEth < limits.minTradeEth) {
    return budgetGate(
      "turnover-budget",
      `turnover budget has ${limits.turnoverAvailableEth.toFixed(4)} ETH left, below the minimum trade ${limits.minTradeEth} ETH`,
      state,
    );
  }
  // The minimum trade is met with the same margin above it as the caps below them.
  const legEth = Math.min(Math.max(decision.legsEth[0]!, limits.minTradeEth * (1 + CAP_MARGIN)), ceilingEth);
  const expectedLossUsd =
    (legEth * assessment.spotUsd * (assessment.cost.poolFeeBps + assessment.cost.slippageBps(legEth))) / 10_000;
  if (expectedLossUsd > limits.lossAvailableUsd) {
    return budgetGate(
      "loss-budget",
      `a ${legEth.toFixed(4)} ETH leg is expected to lose $${expectedLossUsd.toFixed(2)} against the oracle; the loss budget has $${limits.lossAvailableUsd.toFixed(2)} left`,
      state,
    );
  }
  if (legEth === decision.legsEth[0]) return decision;
  return { ...decision, legsEth: [legEth, ...decision.legsEth.slice(1)] };
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
