/**
 * The hedge decision: a pure function of the risk snapshot, governance thresholds, cost model,
 * the time (`nowSec`, an input) and the persisted `PolicyState`.
 *
 * Hysteresis ("band" and "cost-aware") is a Schmitt trigger on |Δ| with an outer band B and an
 * inner band b = hysteresisInnerRatio · B:
 *
 *   armed,    |Δ| <= b        → hold "inside-band"
 *   armed,    b < |Δ| <= B    → hold "hysteresis" (dead zone: wait for the outer edge)
 *   armed,    |Δ| > B         → hedge, disarm: a rebalancing episode starts
 *   disarmed, |Δ| > b         → hedge (the episode goes on: this is what finishes split hedges,
 *                               one leg per block, even once |Δ| is back inside B)
 *   disarmed, |Δ| <= b        → re-arm, hold "inside-band"
 *
 * "band": B is governance's `deltaBandEth` and a hedge goes to zero. So after an episode the
 * residual sits inside b, and chop around B does not re-trigger it; a plain band (ratio 1) stops
 * after the leg that lands just inside B, where a wiggle across B starts a new episode.
 *
 * "cost-aware": B = min(governance band, Whalley–Wilmott band), so the trigger scales with the
 * book's gamma (|Γ|^(2/3)) and never exceeds the band governance set; Γ = 0 leaves governance's.
 * A hedge goes only to the edge of the inner band (target sign(Δ)·b, not zero): under proportional
 * costs that saves most of what a band policy spends, for the same residual risk (with ratio 1 it
 * is Whalley–Wilmott's trade to the band edge). Since the episode ends at |Δ| = b rather than well
 * inside it, the decision that sends its last leg re-arms at once; otherwise any drift outward
 * would restart hedging at b. Then an economic gate for what the WW band leaves out, the fixed
 * cost: it defers (hold "cost-exceeds-benefit") when the gas of the legs exceeds the λ-monetised
 * risk reduction over `horizonSec` (so λ sizes the band, horizonSec the gas gate), but never once
 * |Δ| >= maxDeferralBandMultiple × governance band. Every completed hedge leaves |Δ| at b <= B.
 *
 * Gates applied to every hedge, in order: cooldown, min notional, then the leg plan (`planLegs`, in wad): the trade is
 * clamped to what the vault can pay (a partial hedge, `limit.reason` "insufficient-collateral"), split into at most
 * `maxLegsPerHedge` legs within governance's max trade and the pool's depth, none below the minimum trade; when not
 * even one such leg fits, a hold names the cap and carries the amounts. Then (cost-aware) cost vs benefit.
 * A gated hold leaves the state unchanged. "whalley-wilmott" and "time" do not use `armed`.
 *
 * The Whalley–Wilmott band prices its proportional cost k on a trade of one governance band, not on |Δ|: a band that
 * shrank with |Δ| would trigger again right after its own hedge, with no market move.
 * `detail` and `reason` texts are built only when read: the bench calls `decide` millions of times.
 */
import { ethToWadFloor, wadToNumber, type Wad } from "../units.js";
import { expectedHedgeCostUsd, proportionalCost, riskReductionUsd, whalleyWilmottBandEth } from "./economics.js";
import { planLegs, type LegPlan } from "./legs.js";
import type { Decision, HoldReason, PlanLimit, PolicyInput, PolicyState } from "./types.js";
import { validatePolicyInput } from "./validate.js";

type Text = () => string;

/**
 * Relative resolution of a net delta: |Δ| is a float sum over the book, and the trade that reaches a target is planned
 * in whole wei, so a hedge leaves |Δ| off its target by up to about this × |Δ|. A trade that small is rounding, not
 * exposure; trading it would re-hedge right after a hedge with no market move.
 */
const DELTA_RELATIVE_RESOLUTION = 1e-9;

function fmt(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function hold(reason: HoldReason, detail: Text, nextState: PolicyState, limit: PlanLimit | null = null): Decision {
  return {
    kind: "hold",
    reason,
    get detail() {
      return detail();
    },
    nextState,
    limit,
  };
}

function eth(wad: Wad | null): string {
  return wad === null ? "no limit" : `${fmt(wadToNumber(wad))} ETH`;
}

/** Cooldown and min-notional gates for a trade of `tradeEth`; null when the trade may go. */
function gate(input: PolicyInput, tradeEth: number): Decision | null {
  const { state, params, config, nowSec, spotUsd } = input;
  if (state.lastHedgeSec !== null && nowSec - state.lastHedgeSec < params.cooldownSec) {
    const lastHedgeSec = state.lastHedgeSec;
    const waitSec = params.cooldownSec - (nowSec - lastHedgeSec);
    return hold(
      "cooldown",
      () => `last hedge at ${lastHedgeSec}, cooldown ${params.cooldownSec}s, ${fmt(waitSec)}s left`,
      state,
    );
  }
  const notionalUsd = tradeEth * spotUsd;
  if (tradeEth === 0 || notionalUsd < config.minNotionalUsd) {
    return hold(
      "below-min-notional",
      () => `trade ${fmt(tradeEth)} ETH = ${fmt(notionalUsd)} USD < min ${config.minNotionalUsd} USD`,
      state,
    );
  }
  if (tradeEth <= Math.abs(input.netDeltaEth) * DELTA_RELATIVE_RESOLUTION) {
    return hold(
      "below-min-trade",
      () => `trade ${fmt(tradeEth)} ETH is within the rounding of |Δ| ${fmt(Math.abs(input.netDeltaEth))} ETH`,
      state,
    );
  }
  return null;
}

interface HedgePlan {
  tradeEth: number;
  totalWad: Wad;
  legsWad: Wad[];
  limit: PlanLimit | null;
  expectedCostUsd: number;
  expectedRiskReductionUsd: number;
}

/** The plan's legs in integer units for a wanted trade of `tradeEth` (see `planLegs`). */
function legPlan(input: PolicyInput, tradeEth: number): LegPlan {
  const { limits, params, config, spotUsd } = input;
  const maxTradeByParamsWad = ethToWadFloor(params.maxTradeEth);
  const maxTradeWad =
    limits === undefined || maxTradeByParamsWad < limits.maxTradeWad ? maxTradeByParamsWad : limits.maxTradeWad;
  // A leg below min notional is as wasteful as a trade below it: one swap's gas for a dust fill.
  const minNotionalWad = ethToWadFloor(config.minNotionalUsd / spotUsd);
  const minTradeWad = limits?.minTradeWad ?? 0n;
  return planLegs({
    wantedWad: ethToWadFloor(tradeEth),
    payableWad: limits?.payableWad ?? null,
    depthWad: limits?.depthWad ?? null,
    maxTradeWad,
    minLegWad: minTradeWad > minNotionalWad ? minTradeWad : minNotionalWad,
    maxLegs: config.maxLegsPerHedge,
  });
}

/**
 * Legs, cost and benefit of trading |Δ| toward `targetEth` (>= 0) by `tradeEth`, or the hold that names the cap when
 * no leg fits. The benefit is measured to where the planned total leaves |Δ|, which is the target for a whole trade.
 */
function planHedge(input: PolicyInput, tradeEth: number, targetEth: number): HedgePlan | Decision {
  const plan = legPlan(input, tradeEth);
  const absDelta = Math.abs(input.netDeltaEth);
  if (plan.kind === "none") {
    const { caps } = plan;
    const limit: PlanLimit = { reason: plan.reason, wantedWad: caps.wantedWad, plannedWad: 0n, caps };
    return hold(
      plan.reason,
      () =>
        `|Δ| ${fmt(absDelta)} ETH wants ${eth(caps.wantedWad)}; min leg ${eth(caps.minLegWad)}, payable ${eth(caps.payableWad)}, depth ${eth(caps.depthWad)}, max trade ${eth(caps.maxTradeWad)}`,
      input.state,
      limit,
    );
  }
  const plannedEth = wadToNumber(plan.totalWad);
  const limit: PlanLimit | null =
    plan.limitedBy === null
      ? null
      : { reason: plan.limitedBy, wantedWad: plan.caps.wantedWad, plannedWad: plan.totalWad, caps: plan.caps };
  return {
    tradeEth: plannedEth,
    totalWad: plan.totalWad,
    legsWad: plan.legsWad,
    limit,
    expectedCostUsd: expectedHedgeCostUsd(input.cost, plannedEth, plan.legsWad.length, input.spotUsd),
    expectedRiskReductionUsd: riskReductionUsd({
      fromDeltaEth: absDelta,
      toDeltaEth: limit === null ? targetEth : Math.max(targetEth, absDelta - plannedEth),
      spotUsd: input.spotUsd,
      volAnnual: input.volAnnual,
      horizonSec: input.config.horizonSec,
      riskAversionPerUsd: input.config.riskAversionPerUsd,
    }),
  };
}

function isDecision(plan: HedgePlan | Decision): plan is Decision {
  return "kind" in plan;
}

function hedge(input: PolicyInput, plan: HedgePlan, reason: Text, nextState: PolicyState): Decision {
  const { limit } = plan;
  const why =
    limit === null
      ? reason
      : () => `${reason()}; partial (${limit.reason}): ${eth(limit.plannedWad)} of ${eth(limit.wantedWad)} wanted`;
  return {
    kind: "hedge",
    side: input.netDeltaEth < 0 ? "buyWeth" : "sellWeth",
    totalWad: plan.totalWad,
    legsWad: plan.legsWad,
    totalEth: plan.tradeEth,
    legsEth: plan.legsWad.map(wadToNumber),
    limit,
    get reason() {
      return why();
    },
    expectedCostUsd: plan.expectedCostUsd,
    expectedRiskReductionUsd: plan.expectedRiskReductionUsd,
    nextState,
  };
}

/**
 * The Whalley–Wilmott half-width for this input's gamma and the cost of trading one governance band, or one maximum
 * trade when that is smaller (a replay without a governance band sets it to a huge sentinel), 0 when Γ = 0; and the
 * band in force: min(governance, WW). A zero-width (or non-finite) WW band falls back to governance's.
 * k does not depend on |Δ|, so the band stays put when a hedge shrinks |Δ| (see the module doc).
 */
function effectiveBand(input: PolicyInput): { wwBand: number; band: number } {
  const governanceBand = input.params.deltaBandEth;
  const wwBand = whalleyWilmottBandEth({
    spotUsd: input.spotUsd,
    netGammaPerUsd: input.netGammaPerUsd,
    proportionalCost: proportionalCost(input.cost, Math.min(governanceBand, input.params.maxTradeEth)),
    riskAversionPerUsd: input.config.riskAversionPerUsd,
  });
  return { wwBand, band: wwBand > 0 && Number.isFinite(wwBand) ? Math.min(governanceBand, wwBand) : governanceBand };
}

/** The Schmitt trigger's hold decisions for outer band `band` and inner band `inner`; null = hedge. */
function trigger(input: PolicyInput, absDelta: number, band: number, inner: number, where: Text): Decision | null {
  const { state } = input;
  if (state.armed && absDelta <= inner) return hold("inside-band", () => `${where()}; armed`, state);
  if (state.armed && absDelta <= band) {
    return hold("hysteresis", () => `${where()}; armed, waiting for the outer band`, state);
  }
  if (!state.armed && absDelta <= inner) {
    return hold("inside-band", () => `${where()}; episode done, re-armed`, {
      armed: true,
      lastHedgeSec: state.lastHedgeSec,
    });
  }
  return null;
}

const phase = (state: PolicyState) => (state.armed ? "outside band, episode starts" : "episode continues");

/** "band": Schmitt trigger on the governance band, hedge to zero. */
function decideBand(input: PolicyInput): Decision {
  const { state, params, config, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  const band = params.deltaBandEth;
  const inner = config.hysteresisInnerRatio * band;
  const where = () => `|Δ| ${fmt(absDelta)} ETH, band ${fmt(band)}, inner ${fmt(inner)}`;
  const held = trigger(input, absDelta, band, inner, where) ?? gate(input, absDelta);
  if (held !== null) return held;
  const plan = planHedge(input, absDelta, 0);
  if (isDecision(plan)) return plan;
  return hedge(input, plan, () => `${where()}; ${phase(state)}`, { armed: false, lastHedgeSec: nowSec });
}

/** "cost-aware": Schmitt trigger on min(governance, WW band), hedge to the inner band's edge, economic gate. */
function decideCostAware(input: PolicyInput): Decision {
  const { state, params, config, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  const governanceBand = params.deltaBandEth;
  const { wwBand, band } = effectiveBand(input);
  const inner = config.hysteresisInnerRatio * band;
  const where = () =>
    `|Δ| ${fmt(absDelta)} ETH, band ${fmt(band)} (WW ${fmt(wwBand)}, governance ${fmt(governanceBand)}), inner ${fmt(inner)}`;
  const tradeEth = absDelta - inner;
  const held = trigger(input, absDelta, band, inner, where) ?? gate(input, tradeEth);
  if (held !== null) return held;

  const plan = planHedge(input, tradeEth, inner);
  if (isDecision(plan)) return plan;
  // Proportional costs are already priced into the WW band; the gate weighs what it leaves out, gas per leg.
  const gasUsd = input.cost.gasCostUsd * plan.legsWad.length;
  const deferralLimit = config.maxDeferralBandMultiple * governanceBand;
  if (gasUsd > plan.expectedRiskReductionUsd && absDelta < deferralLimit) {
    return hold(
      "cost-exceeds-benefit",
      () =>
        `${where()}; gas ${fmt(gasUsd)} USD > risk reduction ${fmt(plan.expectedRiskReductionUsd)} USD, deferring below ${fmt(deferralLimit)} ETH`,
      state,
    );
  }
  // The decision that sends the episode's last leg ends it (see the module doc).
  const lastLeg = plan.legsWad.length <= 1;
  return hedge(input, plan, () => `${where()}; ${phase(state)}, trading to the inner band edge`, {
    armed: lastLeg,
    lastHedgeSec: nowSec,
  });
}

/** "whalley-wilmott": no-trade band min(governance, WW), trade to its edge. */
function decideWhalleyWilmott(input: PolicyInput): Decision {
  const { state, params, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  const { wwBand, band } = effectiveBand(input);
  const where = () => `|Δ| ${fmt(absDelta)} ETH, WW band ${fmt(wwBand)}, governance band ${fmt(params.deltaBandEth)}`;
  if (absDelta <= band) return hold("inside-band", where, state);

  const tradeEth = absDelta - band;
  const gated = gate(input, tradeEth);
  if (gated !== null) return gated;
  const plan = planHedge(input, tradeEth, band);
  if (isDecision(plan)) return plan;
  return hedge(input, plan, () => `${where()}; trading to the band edge ${fmt(band)} ETH`, {
    armed: state.armed,
    lastHedgeSec: nowSec,
  });
}

/** "time": hedge to zero every `timeIntervalSec`, whatever the band. */
function decideTime(input: PolicyInput): Decision {
  const { state, config, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  if (state.lastHedgeSec !== null && nowSec - state.lastHedgeSec < config.timeIntervalSec) {
    const dueSec = state.lastHedgeSec + config.timeIntervalSec;
    return hold("not-due", () => `next scheduled hedge at ${dueSec}, ${fmt(dueSec - nowSec)}s left`, state);
  }
  const gated = gate(input, absDelta);
  if (gated !== null) return gated;
  const plan = planHedge(input, absDelta, 0);
  if (isDecision(plan)) return plan;
  return hedge(input, plan, () => `scheduled hedge of |Δ| ${fmt(absDelta)} ETH`, {
    armed: state.armed,
    lastHedgeSec: nowSec,
  });
}

/**
 * Decide whether to hedge now, and how much, for the policy `input.config.kind` (see the module doc).
 * Persist `nextState` and pass it back as `state` next cycle.
 * @throws RangeError naming the field when an input is non-finite or out of bounds
 */
export function decide(input: PolicyInput): Decision {
  validatePolicyInput(input);
  switch (input.config.kind) {
    case "time":
      return decideTime(input);
    case "whalley-wilmott":
      return decideWhalleyWilmott(input);
    case "band":
      return decideBand(input);
    case "cost-aware":
      return decideCostAware(input);
  }
}
