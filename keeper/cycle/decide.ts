import type { Logger } from "pino";
import type { Snapshot } from "../chain/snapshot.js";
import { decide, type Decision, type PolicyConfig, type PolicyState } from "../policy/index.js";
import type { Assessment } from "./assess.js";
import { conformToAdapter } from "./adapterRules.js";
import { policyInput } from "./policyInput.js";

export type KeeperDecision =
  Decision | { kind: "hold"; reason: "gate"; gates: Assessment["gates"]; detail: string; nextState: PolicyState };

/**
 * The decide step of a cycle: a gate (stale oracle, pause, …) holds; otherwise the policy's decision, conformed to
 * what the adapter will accept. `chainState` carries the cooldown read from the chain, not from the keeper's memory.
 */
export function decideCycle(
  snapshot: Snapshot,
  assessment: Assessment,
  policy: PolicyConfig,
  chainState: PolicyState,
  log: Logger,
): KeeperDecision {
  if (assessment.gates.length > 0) {
    const detail = assessment.gates.map((g) => `${g.reason}: ${g.detail}`).join("; ");
    const alerting = assessment.gates.filter((g) => g.reason !== "paused");
    if (alerting.length > 0) log.warn({ alert: true, gates: assessment.gates }, "hedging gated: " + detail);
    return { kind: "hold", reason: "gate", gates: assessment.gates, detail, nextState: chainState };
  }
  const decision = conformToAdapter(
    decide(policyInput(snapshot, assessment, policy, chainState)),
    snapshot,
    assessment,
    chainState,
  );
  if (decision.kind === "hold" && decision.reason === "gate") {
    log.warn({ alert: true, gates: decision.gates }, "hedging gated: " + decision.detail);
  }
  return decision;
}
