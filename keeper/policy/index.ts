/** Policy stage: pure hedge decisions (band, hysteresis, cost model, Whalley–Wilmott, time). No I/O, no clock. */
export { decide } from "./decide.js";
export { planLegs, MAX_LEGS_PER_HEDGE_BOUND, type LegPlan, type LegPlanArgs } from "./legs.js";
export { whalleyWilmottBandEth, expectedHedgeCostUsd, riskReductionUsd, proportionalCost } from "./economics.js";
export { validatePolicyInput } from "./validate.js";
export { relativeBandEth, type RelativeBandRule } from "./band.js";
export {
  defaultPolicyConfig,
  INITIAL_POLICY_STATE,
  ALERTING_LIMIT_REASONS,
  type LegCaps,
  type LegLimitReason,
  type PlanLimit,
  type TradeLimits,
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
