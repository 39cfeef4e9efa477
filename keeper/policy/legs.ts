/**
 * Leg planning in integer units: how much of a wanted trade the vault can do now, in how many legs, each a WETH wad
 * amount the adapter accepts. Integers so that what is planned is exactly what is sent: every leg is <= every cap, the
 * legs sum to the planned total, and the total is <= what the vault can pay.
 */
import { maxBigint, minBigint, type Wad } from "../units.js";

/** Most legs any plan holds, whatever `maxLegs` says: a plan allocates one entry per leg, so the count stays small. */
export const MAX_LEGS_PER_HEDGE_BOUND = 256;

/** Why a plan trades less than wanted, or nothing. */
export type LegLimitReason =
  | "insufficient-collateral" // the vault cannot pay for the whole trade (or for one minimum leg)
  | "depth-exhausted" // the pool cannot absorb one minimum leg within the slippage bound
  | "leg-count" // the trade needs more legs than one plan may hold; the rest waits for the next plan
  | "below-min-trade"; // the trade (or the largest leg the caps allow) is smaller than the minimum leg

export interface LegPlanArgs {
  /** what the policy wants to trade, wad (>= 0) */
  wantedWad: Wad;
  /** what the vault can pay for on the traded side, wad; null = no limit */
  payableWad: Wad | null;
  /** largest leg the pool absorbs within the slippage bound, wad; null = no limit */
  depthWad: Wad | null;
  /** governance's max trade per transaction, wad (> 0) */
  maxTradeWad: Wad;
  /** smallest leg worth sending, wad: max(adapter minimum trade, min notional, one USDC unit) */
  minLegWad: Wad;
  /** most legs one plan may hold; read as an integer in [1, MAX_LEGS_PER_HEDGE_BOUND] */
  maxLegs: number;
}

export interface LegCaps {
  wantedWad: Wad;
  payableWad: Wad | null;
  depthWad: Wad | null;
  maxTradeWad: Wad;
  minLegWad: Wad;
  /** min(maxTrade, depth, payable): the largest leg allowed */
  legCapWad: Wad;
}

export type LegPlan =
  | {
      kind: "legs";
      /** sum of legsWad; <= wantedWad and <= payableWad */
      totalWad: Wad;
      /** equal legs up to 1 wei (the larger first), each in [minLegWad, legCapWad] */
      legsWad: Wad[];
      /** why totalWad < wantedWad; null when the plan trades all that is wanted */
      limitedBy: LegLimitReason | null;
      caps: LegCaps;
    }
  | { kind: "none"; reason: Exclude<LegLimitReason, "leg-count">; caps: LegCaps };

/**
 * Plans legs for `wantedWad`: clamps the total to what the vault can pay, splits it into the fewest legs of at most
 * min(maxTrade, depth, payable), never plans a leg below `minLegWad` (a remainder too small for a leg is left for a
 * later plan), and never more than `maxLegs` legs. Total: never throws for any bigint sizes (negative ones read as
 * 0) and any maxLegs (clamped to [1, MAX_LEGS_PER_HEDGE_BOUND], non-finite read as 1), so it allocates at most
 * MAX_LEGS_PER_HEDGE_BOUND entries.
 */
export function planLegs(args: LegPlanArgs): LegPlan {
  const legsAllowed = Number.isFinite(args.maxLegs) ? Math.floor(args.maxLegs) : 1;
  const maxLegs = BigInt(Math.min(MAX_LEGS_PER_HEDGE_BOUND, Math.max(1, legsAllowed)));
  const wantedWad = maxBigint(args.wantedWad, 0n);
  const payableWad = args.payableWad === null ? null : maxBigint(args.payableWad, 0n);
  const depthWad = args.depthWad === null ? null : maxBigint(args.depthWad, 0n);
  const maxTradeWad = maxBigint(args.maxTradeWad, 0n);
  const minLegWad = maxBigint(args.minLegWad, 1n);
  const legCapWad = minBigint(maxTradeWad, depthWad ?? maxTradeWad, payableWad ?? maxTradeWad);
  const caps: LegCaps = { wantedWad, payableWad, depthWad, maxTradeWad, minLegWad, legCapWad };

  if (wantedWad < minLegWad) return { kind: "none", reason: "below-min-trade", caps };
  if (payableWad !== null && payableWad < minLegWad) return { kind: "none", reason: "insufficient-collateral", caps };
  if (depthWad !== null && depthWad < minLegWad) return { kind: "none", reason: "depth-exhausted", caps };
  if (legCapWad < minLegWad) return { kind: "none", reason: "below-min-trade", caps };

  let limitedBy: LegLimitReason | null = null;
  let totalWad = wantedWad;
  if (payableWad !== null && payableWad < totalWad) {
    totalWad = payableWad;
    limitedBy = "insufficient-collateral";
  }
  let count = ceilDiv(totalWad, legCapWad);
  if (totalWad / count < minLegWad) {
    // Equal legs would fall below the minimum: fewer legs, and what does not fill a whole leg waits.
    count = totalWad / minLegWad; // >= 1 since totalWad >= minLegWad
    if (count * legCapWad < totalWad) {
      totalWad = count * legCapWad;
      limitedBy ??= "below-min-trade";
    }
  }
  if (count > maxLegs) {
    // The binding limit now: what the vault can pay beyond these legs waits for the next plan.
    count = maxLegs;
    totalWad = count * legCapWad;
    limitedBy = "leg-count";
  }
  const base = totalWad / count;
  const remainder = totalWad % count;
  const legsWad = Array.from({ length: Number(count) }, (_, i) => (BigInt(i) < remainder ? base + 1n : base));
  return { kind: "legs", totalWad, legsWad, limitedBy, caps };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
