/**
 * Inputs and outputs of the hedge policy. The decision (bands, costs, benefits) works on plain floats in human units:
 * ETH, USD, seconds, basis points (1 bp = 1e-4); the amounts it plans are integers (WETH wad), bounded by the integer
 * limits of `TradeLimits`, so what is planned is what is sent. Conversions live in `keeper/units.ts`.
 */
import type { LegCaps, LegLimitReason } from "./legs.js";
import type { Wad } from "../units.js";

export type { LegCaps, LegLimitReason } from "./legs.js";

/** Thresholds set by governance (mirrors the on-chain parameters, converted to human units). */
export interface GovernanceParams {
  /** no-trade band half-width around zero net delta, ETH (> 0) */
  deltaBandEth: number;
  /** max slippage the executor accepts per leg, bps; validated here, enforced by the executor's min-out */
  maxSlippageBps: number;
  /** max size of one hedge trade, ETH (> 0) */
  maxTradeEth: number;
  /** min time between two hedge trades, seconds */
  cooldownSec: number;
}

export type PolicyKind = "band" | "cost-aware" | "whalley-wilmott" | "time";

/** Keeper-side policy configuration (not governed on chain). */
export interface PolicyConfig {
  kind: PolicyKind;
  /** inner band = ratio × band, in (0, 1]; 1 disables hysteresis. Default 0.5 */
  hysteresisInnerRatio: number;
  /** never trade less than this notional, USD. Default 100 */
  minNotionalUsd: number;
  /** risk aversion λ, 1/USD, for cost-aware and Whalley–Wilmott (> 0). Default 1e-4 */
  riskAversionPerUsd: number;
  /** cost-aware risk horizon: how long an unhedged delta would be carried, seconds. Default 3600 */
  horizonSec: number;
  /**
   * cost-aware defers for gas only while |Δ| < this × the governance band (>= 1). Default 1: the DAO's band is a hard
   * limit and cost-awareness works inside it; an operator may accept more (HK_MAX_DEFERRAL_BAND_MULTIPLE)
   */
  maxDeferralBandMultiple: number;
  /** "time": hedge to zero every interval regardless of band, seconds. Default 3600 */
  timeIntervalSec: number;
  /**
   * most legs one hedge plan may hold (integer >= 1). Default 16: a larger trade is planned as 16 legs of the max leg
   * and re-planned when they are done, so no plan allocates more than this whatever the caps
   */
  maxLegsPerHedge: number;
}

/** Execution cost model for one hedge. */
export interface CostModel {
  /** gas cost of one leg (one swap transaction), USD */
  gasCostUsd: number;
  /** pool fee, bps (5 for the 0.05% tier) */
  poolFeeBps: number;
  /** expected price impact of trading `tradeEth` (> 0) in one go, bps; from a QuoterV2 quote or a depth model */
  slippageBps: (tradeEth: number) => number;
}

/**
 * State the caller persists between decisions (take it from `Decision.nextState`).
 * `armed` is the Schmitt-trigger state: true = waiting for |Δ| to leave the band, false = inside a
 * rebalancing episode. `lastHedgeSec` is when the last hedge was decided (unix seconds), null = never.
 */
export interface PolicyState {
  armed: boolean;
  lastHedgeSec: number | null;
}

/** Everything `decide` looks at; the clock is an input (`nowSec`). */
export interface PolicyInput {
  /** net delta of options + spot hedge, ETH (negative = the vault is short ETH) */
  netDeltaEth: number;
  /** net gamma of the book, ETH per USD */
  netGammaPerUsd: number;
  /** spot, USD per ETH (> 0) */
  spotUsd: number;
  /** annualised vol used for the risk of carrying delta (0.8 = 80%) */
  volAnnual: number;
  /** now, unix seconds */
  nowSec: number;
  params: GovernanceParams;
  config: PolicyConfig;
  cost: CostModel;
  state: PolicyState;
  /** what the vault and the pool allow, in integer units; omitted = only governance's max trade binds (replays) */
  limits?: TradeLimits;
}

/** Hard limits of a hedge in integer units, on the side the net delta asks for (sell when long, buy when short). */
export interface TradeLimits {
  /**
   * WETH the vault can pay for, wad: its WETH balance when selling; when buying, what its USDC buys at the worst price
   * the adapter accepts, rounded down (so the leg's USDC amountIn never exceeds the balance); null = not modelled
   */
  payableWad: Wad | null;
  /** largest leg the pool absorbs within the slippage bound, wad (0 = no room left); null = no depth model */
  depthWad: Wad | null;
  /** governance's max trade per transaction exactly as on chain, wad */
  maxTradeWad: Wad;
  /**
   * smallest leg the adapter accepts, wad: its minimum trade (a setting today, the adapter's parameter later), at least
   * one USDC unit at the oracle price so no leg swaps 0
   */
  minTradeWad: Wad;
}

/** Why no trade was decided. */
export type HoldReason =
  | "inside-band" // |Δ| within the band (armed) or back within the inner band (re-armed)
  | "hysteresis" // armed and inner band < |Δ| <= band: the dead zone of the trigger
  | "cooldown" // a hedge is wanted but the governance cooldown has not elapsed
  | "below-min-notional" // the trade would be smaller than minNotionalUsd
  | "cost-exceeds-benefit" // cost-aware: expected cost > monetised risk reduction
  | "not-due" // time policy: interval not elapsed
  | "insufficient-collateral" // a trade is wanted but the vault cannot pay for one minimum leg (alerting)
  | "depth-exhausted" // a trade is wanted but the pool absorbs no minimum leg within the slippage bound
  | "below-min-trade"; // the trade, or the largest leg the caps allow, is below the minimum leg

/** Limits an operator must hear about (on a partial hedge or a hold): the keeper wants to hedge and the vault cannot. */
export const ALERTING_LIMIT_REASONS: ReadonlySet<LegLimitReason> = new Set([
  "insufficient-collateral",
  "depth-exhausted",
]);

/** What a limited plan wanted and what capped it (integer units), carried by partial hedges and limit holds. */
export interface PlanLimit {
  reason: LegLimitReason;
  /** what the policy wanted to trade and what it planned, wad (plannedWad = 0 on a hold) */
  wantedWad: Wad;
  plannedWad: Wad;
  caps: LegCaps;
}

export type HedgeSide = "buyWeth" | "sellWeth";

export type Decision =
  | {
      kind: "hold";
      reason: HoldReason;
      detail: string;
      nextState: PolicyState;
      /** the amounts behind a limit hold (insufficient-collateral, depth-exhausted, below-min-trade); else null */
      limit: PlanLimit | null;
    }
  | {
      kind: "hedge";
      /** buyWeth when the vault is short delta (Δ < 0), sellWeth when long */
      side: HedgeSide;
      /** WETH to trade in total, wad (> 0): the sum of legsWad, <= what the vault can pay */
      totalWad: Wad;
      /** legs to send, one per block, wad: equal up to 1 wei, each within [minTrade, every cap] */
      legsWad: Wad[];
      /** totalWad and legsWad in ETH, for reading and for cost estimates */
      totalEth: number;
      legsEth: number[];
      /** the plan trades less than the policy wanted (a partial hedge), and why; null = the whole trade */
      limit: PlanLimit | null;
      reason: string;
      /** gas for all legs + fee and slippage on totalEth, USD */
      expectedCostUsd: number;
      /** λ-monetised reduction of P&L variance over horizonSec, USD */
      expectedRiskReductionUsd: number;
      nextState: PolicyState;
    };

/** State before the first decision: armed, never hedged. */
export const INITIAL_POLICY_STATE: PolicyState = Object.freeze({
  armed: true,
  lastHedgeSec: null,
});

/** Default configuration for a policy kind (see the field docs of `PolicyConfig`). */
export function defaultPolicyConfig(kind: PolicyKind): PolicyConfig {
  return {
    kind,
    hysteresisInnerRatio: 0.5,
    minNotionalUsd: 100,
    riskAversionPerUsd: 1e-4,
    horizonSec: 3600,
    maxDeferralBandMultiple: 1,
    timeIntervalSec: 3600,
    maxLegsPerHedge: 16,
  };
}
