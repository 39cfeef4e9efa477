/** Policy stage: pure hedge decisions (band, hysteresis, cost model, Whalley–Wilmott, time). No I/O, no clock. */
export { decide } from "./decide.js";
export {
  whalleyWilmottBandEth,
  splitLegs,
  expectedHedgeCostUsd,
  riskReductionUsd,
  proportionalCost,
} from "./economics.js";
export { validatePolicyInput } from "./validate.js";
export {
  defaultPolicyConfig,
  INITIAL_POLICY_STATE,
  type CostModel,
  type Decision,
  type GovernanceParams,
  type HedgeSide,
  type HoldReason,
  type PolicyConfig,
  type PolicyInput,
  type PolicyKind,
  type PolicyState,
} from "./types.js";
