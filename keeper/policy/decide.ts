/**
 * The hedge decision: a pure function of the risk snapshot, governance thresholds, cost model,
 * the time (`nowSec`, an input) and the persisted `PolicyState`. Target net delta is 0 (or, for
 * Whalley–Wilmott, the nearest edge of the no-trade band).
 *
 * Hysteresis ("band" and "cost-aware") is a Schmitt trigger on |Δ| with an outer band B
 * (governance `deltaBandEth`) and an inner band b = hysteresisInnerRatio · B:
 *
 *   armed,    |Δ| <= b        → hold "inside-band"
 *   armed,    b < |Δ| <= B    → hold "hysteresis" (dead zone: wait for the outer edge)
 *   armed,    |Δ| > B         → hedge, disarm: a rebalancing episode starts
 *   disarmed, |Δ| > b         → hedge (the episode goes on: this is what finishes split hedges,
 *                               one leg per block, even once |Δ| is back inside B)
 *   disarmed, |Δ| <= b        → re-arm, hold "inside-band"
 *
 * So after an episode the residual sits inside b, and chop around B does not re-trigger it; a plain
 * band (ratio 1) stops after the leg that lands just inside B, where a wiggle across B starts a new
 * episode. What hysteresis saves is episodes and residual risk, not transactions: finishing an
 * episode down to b takes more legs than stopping just inside B.
 * Gates applied to every hedge, in order: cooldown, min notional, then (cost-aware) cost vs benefit.
 * A gated hold leaves the state unchanged. "whalley-wilmott" and "time" do not use `armed`.
 */
import {
  expectedHedgeCostUsd,
  proportionalCost,
  riskReductionUsd,
  splitLegs,
  whalleyWilmottBandEth,
} from "./economics.js";
import type { Decision, HoldReason, PolicyInput, PolicyState } from "./types.js";
import { validatePolicyInput } from "./validate.js";

function fmt(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function hold(reason: HoldReason, detail: string, nextState: PolicyState): Decision {
  return { kind: "hold", reason, detail, nextState };
}

/** Cooldown and min-notional gates for a trade of `tradeEth`; null when the trade may go. */
function gate(input: PolicyInput, tradeEth: number): Decision | null {
  const { state, params, config, nowSec, spotUsd } = input;
  if (state.lastHedgeSec !== null && nowSec - state.lastHedgeSec < params.cooldownSec) {
    const waitSec = params.cooldownSec - (nowSec - state.lastHedgeSec);
    return hold(
      "cooldown",
      `last hedge at ${state.lastHedgeSec}, cooldown ${params.cooldownSec}s, ${fmt(waitSec)}s left`,
      state,
    );
  }
  const notionalUsd = tradeEth * spotUsd;
  if (tradeEth === 0 || notionalUsd < config.minNotionalUsd) {
    return hold(
      "below-min-notional",
      `trade ${fmt(tradeEth)} ETH = ${fmt(notionalUsd)} USD < min ${config.minNotionalUsd} USD`,
      state,
    );
  }
  return null;
}

interface HedgePlan {
  legsEth: number[];
  expectedCostUsd: number;
  expectedRiskReductionUsd: number;
}

/** Legs, cost and benefit of trading |Δ| down to `residualEth` (>= 0). */
function planHedge(input: PolicyInput, tradeEth: number, residualEth: number): HedgePlan {
  const maxLegEth = Math.min(input.params.maxTradeEth, input.maxLegEthByDepth ?? Infinity);
  const legsEth = splitLegs(tradeEth, maxLegEth);
  return {
    legsEth,
    expectedCostUsd: expectedHedgeCostUsd(input.cost, tradeEth, legsEth.length, input.spotUsd),
    expectedRiskReductionUsd: riskReductionUsd({
      fromDeltaEth: Math.abs(input.netDeltaEth),
      toDeltaEth: residualEth,
      spotUsd: input.spotUsd,
      volAnnual: input.volAnnual,
      horizonSec: input.config.horizonSec,
      riskAversionPerUsd: input.config.riskAversionPerUsd,
    }),
  };
}

function hedge(
  input: PolicyInput,
  tradeEth: number,
  plan: HedgePlan,
  reason: string,
  nextState: PolicyState,
): Decision {
  return {
    kind: "hedge",
    side: input.netDeltaEth < 0 ? "buyWeth" : "sellWeth",
    totalEth: tradeEth,
    legsEth: plan.legsEth,
    reason,
    expectedCostUsd: plan.expectedCostUsd,
    expectedRiskReductionUsd: plan.expectedRiskReductionUsd,
    nextState,
  };
}

/** "band" and "cost-aware": Schmitt trigger, hedge to zero, optional economic gate. */
function decideBand(input: PolicyInput): Decision {
  const { state, params, config, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  const band = params.deltaBandEth;
  const inner = config.hysteresisInnerRatio * band;
  const where = `|Δ| ${fmt(absDelta)} ETH, band ${fmt(band)}, inner ${fmt(inner)}`;
  if (state.armed && absDelta <= inner) return hold("inside-band", `${where}; armed`, state);
  if (state.armed && absDelta <= band) return hold("hysteresis", `${where}; armed, waiting for the outer band`, state);
  if (!state.armed && absDelta <= inner) {
    return hold("inside-band", `${where}; episode done, re-armed`, {
      armed: true,
      lastHedgeSec: state.lastHedgeSec,
    });
  }

  const gated = gate(input, absDelta);
  if (gated !== null) return gated;
  const plan = planHedge(input, absDelta, 0);
  if (config.kind === "cost-aware") {
    const deferralLimit = config.maxDeferralBandMultiple * band;
    if (plan.expectedCostUsd > plan.expectedRiskReductionUsd && absDelta < deferralLimit) {
      return hold(
        "cost-exceeds-benefit",
        `${where}; cost ${fmt(plan.expectedCostUsd)} USD > risk reduction ${fmt(plan.expectedRiskReductionUsd)} USD, deferring below ${fmt(deferralLimit)} ETH`,
        state,
      );
    }
  }
  const phase = state.armed ? "outside band, episode starts" : "episode continues";
  return hedge(input, absDelta, plan, `${where}; ${phase}`, {
    armed: false,
    lastHedgeSec: nowSec,
  });
}

/** "whalley-wilmott": no-trade band min(governance, WW), trade to its edge. */
function decideWhalleyWilmott(input: PolicyInput): Decision {
  const { state, params, nowSec } = input;
  const absDelta = Math.abs(input.netDeltaEth);
  const wwBand = whalleyWilmottBandEth({
    spotUsd: input.spotUsd,
    netGammaPerUsd: input.netGammaPerUsd,
    proportionalCost: proportionalCost(input.cost, absDelta),
    riskAversionPerUsd: input.config.riskAversionPerUsd,
  });
  // Γ = 0 gives a zero-width WW band; governance's band is then the only one that makes sense.
  const band = wwBand > 0 ? Math.min(params.deltaBandEth, wwBand) : params.deltaBandEth;
  const where = `|Δ| ${fmt(absDelta)} ETH, WW band ${fmt(wwBand)}, governance band ${fmt(params.deltaBandEth)}`;
  if (absDelta <= band) return hold("inside-band", where, state);

  const tradeEth = absDelta - band;
  const gated = gate(input, tradeEth);
  if (gated !== null) return gated;
  const plan = planHedge(input, tradeEth, band);
  return hedge(input, tradeEth, plan, `${where}; trading to the band edge ${fmt(band)} ETH`, {
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
    return hold("not-due", `next scheduled hedge at ${dueSec}, ${fmt(dueSec - nowSec)}s left`, state);
  }
  const gated = gate(input, absDelta);
  if (gated !== null) return gated;
  const plan = planHedge(input, absDelta, 0);
  return hedge(input, absDelta, plan, `scheduled hedge of |Δ| ${fmt(absDelta)} ETH`, {
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
    case "cost-aware":
      return decideBand(input);
  }
}
