/**
 * Input validation for the policy: a bad number must stop the cycle with a message naming the
 * field and its bound, never turn into a NaN-sized trade.
 */
import { MAX_LEGS_PER_HEDGE_BOUND } from "./legs.js";
import type { PolicyInput, PolicyKind } from "./types.js";

const POLICY_KINDS: readonly PolicyKind[] = ["band", "cost-aware", "whalley-wilmott", "time"];

type Bound = "finite" | "positive" | "non-negative";

const BOUND_TEXT: Record<Bound, string> = {
  finite: "a finite number",
  positive: "a positive finite number",
  "non-negative": "a finite number >= 0",
};

function inBound(value: number, bound: Bound): boolean {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (bound === "positive") return value > 0;
  if (bound === "non-negative") return value >= 0;
  return true;
}

/** Throws `RangeError("policy input <field> must be <bound>, got <value>")` unless `value` is in bound. */
export function requireNumber(field: string, value: number, bound: Bound): void {
  if (!inBound(value, bound))
    throw new RangeError(`policy input ${field} must be ${BOUND_TEXT[bound]}, got ${String(value)}`);
}

function isWad(value: unknown): value is bigint {
  return typeof value === "bigint";
}

function requireThat(ok: boolean, field: string, bound: string, value: unknown): void {
  if (!ok) throw new RangeError(`policy input ${field} must be ${bound}, got ${String(value)}`);
}

/**
 * Check every field `decide` reads.
 * @throws RangeError naming the field, e.g. "policy input spotUsd must be a positive finite number, got 0"
 */
export function validatePolicyInput(input: PolicyInput): void {
  const { params, config, cost, state } = input;
  requireNumber("netDeltaEth", input.netDeltaEth, "finite");
  requireNumber("netGammaPerUsd", input.netGammaPerUsd, "finite");
  requireNumber("spotUsd", input.spotUsd, "positive");
  requireNumber("volAnnual", input.volAnnual, "non-negative");
  requireNumber("nowSec", input.nowSec, "finite");
  if (input.limits !== undefined) {
    const { payableWad, depthWad, maxTradeWad, minTradeWad } = input.limits;
    requireThat(
      payableWad === null || (isWad(payableWad) && payableWad >= 0n),
      "limits.payableWad",
      "null or a bigint >= 0",
      payableWad,
    );
    requireThat(
      depthWad === null || (isWad(depthWad) && depthWad >= 0n),
      "limits.depthWad",
      "null or a bigint >= 0",
      depthWad,
    );
    requireThat(isWad(maxTradeWad) && maxTradeWad > 0n, "limits.maxTradeWad", "a bigint > 0", maxTradeWad);
    requireThat(isWad(minTradeWad) && minTradeWad >= 0n, "limits.minTradeWad", "a bigint >= 0", minTradeWad);
  }

  requireNumber("params.deltaBandEth", params.deltaBandEth, "positive");
  requireNumber("params.maxSlippageBps", params.maxSlippageBps, "non-negative");
  requireNumber("params.maxTradeEth", params.maxTradeEth, "positive");
  requireNumber("params.cooldownSec", params.cooldownSec, "non-negative");

  requireThat(POLICY_KINDS.includes(config.kind), "config.kind", `one of ${POLICY_KINDS.join(", ")}`, config.kind);
  const ratio = config.hysteresisInnerRatio;
  requireThat(inBound(ratio, "positive") && ratio <= 1, "config.hysteresisInnerRatio", "in (0, 1]", ratio);
  requireNumber("config.minNotionalUsd", config.minNotionalUsd, "non-negative");
  requireNumber("config.riskAversionPerUsd", config.riskAversionPerUsd, "positive");
  requireNumber("config.horizonSec", config.horizonSec, "positive");
  const multiple = config.maxDeferralBandMultiple;
  requireThat(
    inBound(multiple, "finite") && multiple >= 1,
    "config.maxDeferralBandMultiple",
    "a finite number >= 1",
    multiple,
  );
  requireNumber("config.timeIntervalSec", config.timeIntervalSec, "positive");
  const maxLegs = config.maxLegsPerHedge;
  requireThat(
    Number.isSafeInteger(maxLegs) && maxLegs >= 1 && maxLegs <= MAX_LEGS_PER_HEDGE_BOUND,
    "config.maxLegsPerHedge",
    `an integer in [1, ${MAX_LEGS_PER_HEDGE_BOUND}]`,
    maxLegs,
  );

  requireNumber("cost.gasCostUsd", cost.gasCostUsd, "non-negative");
  requireNumber("cost.poolFeeBps", cost.poolFeeBps, "non-negative");
  requireThat(typeof cost.slippageBps === "function", "cost.slippageBps", "a function", typeof cost.slippageBps);

  requireThat(typeof state.armed === "boolean", "state.armed", "a boolean", state.armed);
  if (state.lastHedgeSec !== null) requireNumber("state.lastHedgeSec", state.lastHedgeSec, "finite");
}
