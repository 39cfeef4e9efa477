import type { Snapshot } from "../chain/snapshot.js";
import type { PolicyConfig, PolicyInput, PolicyState } from "../policy/index.js";
import type { Assessment } from "./assess.js";

/** Vol used for the risk of carrying delta when the book has none of its own (an empty book). */
const FALLBACK_VOL = 0.5;

/**
 * Pure: what the policy decides on, from one cycle's snapshot and assessment. `state.lastHedgeSec` should come from
 * the chain (the adapter's last hedge), not from memory, so a restarted or second keeper sees the same cooldown.
 */
export function policyInput(
  snapshot: Snapshot,
  assessment: Assessment,
  config: PolicyConfig,
  state: PolicyState,
): PolicyInput {
  return {
    netDeltaEth: assessment.netDeltaEth,
    netGammaPerUsd: assessment.risk.netGammaPerUsd,
    spotUsd: assessment.spotUsd,
    volAnnual: assessment.risk.weightedVol > 0 ? assessment.risk.weightedVol : FALLBACK_VOL,
    nowSec: snapshot.blockTimestamp,
    params: { ...assessment.params, deltaBandEth: assessment.bandEth },
    config,
    cost: assessment.cost,
    state,
    // integer caps; a zero cap is a cap (no room, no balance), never "no limit"
    limits: assessment.limits,
  };
}

/**
 * The adapter's cooldown as the policy's clock, with the keeper's hysteresis memory. The adapter starts a cooldown
 * only after a hedge that ended inside the band (`cooldownEndsAt`); the policy waits `cooldownSec` after
 * `lastHedgeSec`, so the cooldown's start is `cooldownEndsAt - cooldownSec`, and there is none after a hedge that left
 * the vault outside the band.
 */
export function chainPolicyState(snapshot: Snapshot, armed: boolean): PolicyState {
  const coolingFromSec = snapshot.cooldownEndsAt - snapshot.params.cooldownSec;
  const cooling = snapshot.lastHedgeTimestamp > 0 && snapshot.cooldownEndsAt > snapshot.lastHedgeTimestamp;
  return { armed, lastHedgeSec: cooling ? coolingFromSec : null };
}
