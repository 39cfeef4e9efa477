import assert from "node:assert/strict";

import { WAD, wadToNumber } from "../../keeper/units.js";

import {
  decide,
  defaultPolicyConfig,
  INITIAL_POLICY_STATE,
  planLegs,
  whalleyWilmottBandEth,
  type CostModel,
  type Decision,
  type PolicyConfig,
  type PolicyInput,
  type PolicyKind,
  type PolicyState,
} from "../../keeper/policy/index.js";

const NOW = 1_750_000_000;

/** 0.05% pool, 0.2 USD of gas per leg, 0.1 bp of price impact per ETH traded. */
const CHEAP_L2: CostModel = {
  gasCostUsd: 0.2,
  poolFeeBps: 5,
  slippageBps: (eth) => 0.1 * eth,
};

/** Overrides of the base input; nested objects are merged field by field. */
interface Fixture extends Partial<Omit<PolicyInput, "params" | "config" | "cost">> {
  kind?: PolicyKind;
  params?: Partial<PolicyInput["params"]>;
  config?: Partial<PolicyConfig>;
  cost?: Partial<CostModel>;
}

/** Trade limits that bind nowhere near the fixture's sizes (the vault can pay 1,000 ETH). */
const NO_LIMITS = { payableWad: 1000n * WAD, depthWad: null, maxTradeWad: 10n * WAD, minTradeWad: 0n };

/** A valid input: band 10 ETH, max trade 10 ETH, cooldown 60 s, spot 3000, vol 80%, Γ = -0.05. */
function input({ kind = "band", params, config, cost, ...rest }: Fixture = {}): PolicyInput {
  return {
    netDeltaEth: 0,
    netGammaPerUsd: -0.05,
    spotUsd: 3000,
    volAnnual: 0.8,
    nowSec: NOW,
    state: INITIAL_POLICY_STATE,
    ...rest,
    params: {
      deltaBandEth: 10,
      maxSlippageBps: 50,
      maxTradeEth: 10,
      cooldownSec: 60,
      ...params,
    },
    config: { ...defaultPolicyConfig(kind), ...config },
    cost: { ...CHEAP_L2, ...cost },
  };
}

/** decide(input(f)), asserting a hold with `reason`. */
function holds(f: Fixture, reason: string): Extract<Decision, { kind: "hold" }> {
  const d = decide(input(f));
  if (d.kind !== "hold") assert.fail(`expected hold (${reason}), got ${JSON.stringify(d)}`);
  assert.equal(d.reason, reason, d.detail);
  return d;
}

/** decide(input(f)), asserting a hedge. */
function hedges(f: Fixture): Extract<Decision, { kind: "hedge" }> {
  const d = decide(input(f));
  if (d.kind !== "hedge") assert.fail(`expected hedge, got ${JSON.stringify(d)}`);
  return d;
}

function assertClose(actual: number, expected: number, relTol = 1e-12): void {
  const ok = Math.abs(actual - expected) <= relTol * Math.abs(expected);
  assert.ok(ok, `expected ${expected}, got ${actual}`);
}

describe("decide: band policy", () => {
  it("holds with inside-band when |Δ| is within the inner band", () => {
    const decision = holds({ netDeltaEth: -4 }, "inside-band");
    assert.deepEqual(decision.nextState, INITIAL_POLICY_STATE);
  });

  it("holds with hysteresis when armed and |Δ| is between the inner and the outer band", () => {
    holds({ netDeltaEth: 10 }, "hysteresis");
    holds({ netDeltaEth: -7 }, "hysteresis");
  });

  it("buys WETH for |Δ| when the vault is short delta beyond the band, and disarms", () => {
    const decision = hedges({ netDeltaEth: -12 });
    assert.equal(decision.side, "buyWeth");
    assert.equal(decision.totalEth, 12);
    assert.deepEqual(decision.legsEth, [6, 6]);
    assert.deepEqual(decision.nextState, { armed: false, lastHedgeSec: NOW });
  });

  it("sells WETH when the vault is long delta beyond the band", () => {
    const decision = hedges({ netDeltaEth: 10.5 });
    assert.equal(decision.side, "sellWeth");
    assert.equal(decision.totalEth, 10.5);
  });

  it("reports gas × legs + fee and slippage as cost, and λ·Δ²·S²·σ²·h as risk reduction", () => {
    const decision = hedges({ netDeltaEth: -12 });
    assertClose(decision.expectedCostUsd, 0.2 * 2 + (12 * 3000 * (5 + 1.2)) / 1e4);
    // 1e-4 · 12² · 3000² · 0.8² · 3600 / 31536000
    assertClose(decision.expectedRiskReductionUsd, 9.46849315068493150684931506849);
  });
});

/**
 * Replays an exposure path (option delta per block) against a policy that sends one leg per block,
 * as the keeper does. A hedge decided while armed starts a rebalancing episode ("a hedge"); the
 * decisions taken while disarmed send its remaining legs.
 */
function replay(exposureEth: readonly number[], config: Partial<PolicyConfig>) {
  let hedgeEth = 0;
  let state: PolicyState = INITIAL_POLICY_STATE;
  const episodes: number[][] = []; // |Δ| seen by each leg, grouped by episode
  for (const exposure of exposureEth) {
    const netDeltaEth = exposure + hedgeEth;
    const decision = decide(input({ netDeltaEth, state, config, params: { cooldownSec: 0 } }));
    if (decision.kind === "hedge") {
      if (state.armed) episodes.push([]);
      episodes[episodes.length - 1]!.push(Math.abs(netDeltaEth));
      hedgeEth += (decision.side === "buyWeth" ? 1 : -1) * decision.legsEth[0]!;
    }
    state = decision.nextState;
  }
  return { episodes, finalNetEth: exposureEth.at(-1)! + hedgeEth, state };
}

describe("decide: hysteresis (Schmitt trigger)", () => {
  const midEpisode: PolicyState = { armed: false, lastHedgeSec: NOW - 600 };
  // The vault sells 25 ETH of delta, which stays for 3 blocks, then spot chops ±2.5 ETH of delta around it.
  const chop = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -27.5 : -22.5));
  const chopAcrossTheEdge = [0, -25, -25, -25, ...chop];

  it("continues a rebalancing episode while |Δ| is above the inner band, even inside the outer band", () => {
    const decision = hedges({ netDeltaEth: -7, state: midEpisode });
    assert.equal(decision.totalEth, 7);
    assert.equal(decision.nextState.armed, false);
  });

  it("re-arms and holds with inside-band once |Δ| is back within the inner band", () => {
    const decision = holds({ netDeltaEth: -4, state: midEpisode }, "inside-band");
    assert.deepEqual(decision.nextState, {
      armed: true,
      lastHedgeSec: NOW - 600,
    });
  });

  it("finishes the episode inside the inner band: three 8.33 ETH legs, the last from |Δ| = 8.33 < band", () => {
    const { episodes, finalNetEth, state } = replay(chopAcrossTheEdge, {
      hysteresisInnerRatio: 0.5,
    });
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.length, 3);
    assertClose(episodes[0]![2]!, 25 / 3);
    assert.ok(Math.abs(finalNetEth) <= 2.5 + 1e-9);
    assert.equal(state.armed, true);
  });

  it("starts fewer hedges than a plain band when exposure chops across the band edge", () => {
    const withHysteresis = replay(chopAcrossTheEdge, {
      hysteresisInnerRatio: 0.5,
    });
    // Plain band (inner = band) stops after two legs at Δ = -8.33, so the chop to -10.83 re-triggers it.
    const plainBand = replay(chopAcrossTheEdge, { hysteresisInnerRatio: 1 });
    assert.equal(withHysteresis.episodes.length, 1);
    assert.equal(plainBand.episodes.length, 2);
    assertClose(plainBand.episodes[1]![0]!, 25 / 3 + 2.5);
  });
});

describe("decide: cooldown", () => {
  it("holds with cooldown inside the cooldown window and leaves the state unchanged", () => {
    const state = { armed: true, lastHedgeSec: NOW - 59 };
    assert.deepEqual(holds({ netDeltaEth: -12, state }, "cooldown").nextState, state);
  });

  it("hedges once the cooldown has elapsed", () => {
    hedges({
      netDeltaEth: -12,
      state: { armed: true, lastHedgeSec: NOW - 60 },
    });
  });
});

describe("decide: min notional", () => {
  it("holds with below-min-notional when |Δ|·S is under minNotionalUsd", () => {
    const tinyBand: Fixture = {
      params: { deltaBandEth: 0.01 },
      config: { minNotionalUsd: 100 },
    };
    holds({ ...tinyBand, netDeltaEth: 0.03 }, "below-min-notional"); // 90 USD
    hedges({ ...tinyBand, netDeltaEth: 0.04 }); // 120 USD
  });
});

describe("planLegs and leg sizing", () => {
  const plan = (wantedWad: bigint, more: Partial<Parameters<typeof planLegs>[0]> = {}) =>
    planLegs({
      wantedWad,
      payableWad: null,
      depthWad: null,
      maxTradeWad: 10n * WAD,
      minLegWad: 1n,
      maxLegs: 16,
      ...more,
    });
  const legsOf = (p: ReturnType<typeof plan>) => (p.kind === "legs" ? p.legsWad : assert.fail(`no legs: ${p.reason}`));

  it("splits 25 ETH with a 10 ETH max into three legs equal up to 1 wei, summing exactly to 25 ETH", () => {
    const legs = legsOf(plan(25n * WAD));
    assert.deepEqual(legs, [8333333333333333334n, 8333333333333333333n, 8333333333333333333n]);
    assert.equal(
      legs.reduce((a, b) => a + b),
      25n * WAD,
    );
  });

  it("uses ceil(total / max) legs: one below the max, exact multiples stay exact", () => {
    assert.deepEqual(legsOf(plan(5n * WAD)), [5n * WAD]);
    assert.deepEqual(legsOf(plan(20n * WAD)), [10n * WAD, 10n * WAD]);
  });

  it("clamps the total to what the vault can pay, as a partial plan named insufficient-collateral", () => {
    const p = plan(25n * WAD, { payableWad: 7n * WAD + 3n });
    assert.equal(p.kind, "legs");
    assert.equal(p.kind === "legs" && p.totalWad, 7n * WAD + 3n);
    assert.equal(p.kind === "legs" && p.limitedBy, "insufficient-collateral");
  });

  it("plans no leg below the minimum: holds when the vault cannot pay one, when the pool absorbs none", () => {
    const min = WAD / 100n;
    assert.deepEqual(
      [plan(WAD, { minLegWad: min, payableWad: min - 1n }), plan(WAD, { minLegWad: min, depthWad: 0n })].map((p) =>
        p.kind === "none" ? p.reason : p.kind,
      ),
      ["insufficient-collateral", "depth-exhausted"],
    );
    assert.equal(plan(min - 1n, { minLegWad: min }).kind, "none");
  });

  it("caps the leg count: a dust depth cap gives at most maxLegs legs, not ceil(total / cap)", () => {
    const p = plan(20n * WAD, { depthWad: 10n ** 10n, maxLegs: 16 });
    assert.equal(legsOf(p).length, 16);
    assert.equal(p.kind === "legs" && p.limitedBy, "leg-count");
    assert.ok(legsOf(p).every((leg) => leg === 10n ** 10n));
  });

  it("caps a decision's legs at min(maxTradeEth, depth)", () => {
    const decision = hedges({ netDeltaEth: -25, limits: { ...NO_LIMITS, depthWad: 4n * WAD } });
    assert.equal(decision.legsEth.length, 7);
    assert.ok(decision.legsWad.every((leg) => leg <= 4n * WAD));
  });
});

describe("decide: cost-aware policy", () => {
  // Governance band 1 ETH, λ = 1e-3, Γ = -0.02, 1 bp pool + 0.5 bp of impact per ETH. k is the cost of trading one
  // governance band (1.5 bp), so the WW band is (1.5 · 1.5e-4 · 3000 · 0.02² / 1e-3)^(1/3) = 0.6463 ETH whatever |Δ|:
  // the trigger, tighter than governance's; inner 0.3232.
  const costAware = (netDeltaEth: number, gasCostUsd: number, more: Fixture = {}): Fixture => ({
    kind: "cost-aware",
    netDeltaEth,
    netGammaPerUsd: -0.02,
    params: { deltaBandEth: 1 },
    config: { riskAversionPerUsd: 1e-3 },
    cost: { gasCostUsd, poolFeeBps: 1, slippageBps: (eth) => 0.5 * eth },
    ...more,
  });
  const wwBandFor = (netGammaPerUsd = 0.02) =>
    whalleyWilmottBandEth({
      spotUsd: 3000,
      netGammaPerUsd,
      proportionalCost: (1 + 0.5 * 1) / 1e4,
      riskAversionPerUsd: 1e-3,
    });

  it("hedges a small exposure when gas is cheap (gas 0.2 USD < benefit 1.40 USD)", () => {
    const decision = hedges(costAware(-1.5, 0.2));
    const inner = 0.5 * wwBandFor();
    assertClose(inner, 0.5 * Math.cbrt(0.27), 1e-12);
    // λ · (Δ² − inner²) · S² · σ² · h: the risk removed by trading to the inner band, not to zero
    assertClose(decision.expectedRiskReductionUsd, (1e-3 * (1.5 ** 2 - inner ** 2) * 3000 ** 2 * 0.8 ** 2) / 8760);
    assert.ok(decision.expectedCostUsd < decision.expectedRiskReductionUsd);
  });

  it("trades only to the inner band's edge, keeping the sign of Δ, not to zero", () => {
    const inner = 0.5 * wwBandFor();
    const short = hedges(costAware(-1.5, 0.2));
    assert.equal(short.side, "buyWeth");
    assertClose(short.totalEth, 1.5 - inner);
    const long = hedges(costAware(1.5, 0.2));
    assert.equal(long.side, "sellWeth");
    assertClose(long.totalEth, 1.5 - inner);
  });

  it("sizes the trigger from gamma: the WW band when it is tighter than governance's", () => {
    // |Δ| = 0.8 is inside the governance band (1 ETH) but outside the WW band of Γ = -0.02 (0.63 ETH) …
    assert.ok(wwBandFor() < 0.8);
    hedges(costAware(-0.8, 0.2));
    // … and inside the trigger for Γ = -0.05 (WW 1.16 ETH, so governance's 1 ETH is in force).
    holds(costAware(-0.8, 0.2, { netGammaPerUsd: -0.05 }), "hysteresis");
    // Γ = -0.01 narrows the band to 0.41 ETH (∝ |Γ|^(2/3)), the inner band to 0.20 ETH.
    assert.ok(wwBandFor(0.01) > 0.3 && wwBandFor(0.01) < 0.45);
    holds(costAware(-0.3, 0.2, { netGammaPerUsd: -0.01 }), "hysteresis");
    holds(costAware(-0.15, 0.2, { netGammaPerUsd: -0.01 }), "inside-band");
  });

  it("never lets the trigger exceed the governance band, and falls back to it when Γ = 0", () => {
    // Γ = -0.4 gives a WW band of 4.8 ETH: governance's 1 ETH is the trigger, 0.5 the target.
    assert.ok(wwBandFor(0.4) > 1);
    assertClose(hedges(costAware(-1.2, 0.2, { netGammaPerUsd: -0.4 })).totalEth, 0.7);
    holds(costAware(-0.9, 0.2, { netGammaPerUsd: 0 }), "hysteresis");
    assertClose(hedges(costAware(-1.2, 0.2, { netGammaPerUsd: 0 })).totalEth, 0.7);
  });

  it("leaves |Δ| at the inner band, inside the governance band, once a split hedge's last leg has gone", () => {
    for (const netGammaPerUsd of [-0.02, -0.4, 0]) {
      for (const exposureEth of [-25, -3, 1.7, 40]) {
        // flat impact, so the WW band does not move as the legs shrink |Δ|
        const fixture = costAware(exposureEth, 0.2, {
          netGammaPerUsd,
          params: { deltaBandEth: 1, maxTradeEth: 2, cooldownSec: 0 },
          cost: { slippageBps: () => 0.5 },
        });
        const first = hedges(fixture);
        let netDeltaEth = exposureEth;
        let state: PolicyState = INITIAL_POLICY_STATE;
        for (let block = 0; block < 100; block++) {
          const decision = decide(input({ ...fixture, netDeltaEth, state }));
          if (decision.kind === "hold") break;
          netDeltaEth += (decision.side === "buyWeth" ? 1 : -1) * decision.legsEth[0]!;
          state = decision.nextState;
        }
        const where = `Γ ${netGammaPerUsd}, exposure ${exposureEth}: left ${netDeltaEth}`;
        assert.ok(Math.abs(netDeltaEth) <= 1, where);
        // what the first plan wanted: a plan capped at maxLegsPerHedge legs is re-planned as its legs go
        const wantedEth = first.limit === null ? first.totalEth : wadToNumber(first.limit.wantedWad);
        assertClose(Math.abs(netDeltaEth), Math.abs(exposureEth) - wantedEth, 1e-9);
        assert.equal(Math.sign(netDeltaEth), Math.sign(exposureEth), where);
        assert.equal(state.armed, true, `${where}: the last leg re-arms the trigger`);
      }
    }
  });

  it("re-arms with the decision that sends the last leg, so drift outward from the inner band does not re-trigger", () => {
    const decision = hedges(costAware(-1.5, 0.2));
    assert.deepEqual(decision.nextState, { armed: true, lastHedgeSec: NOW });
    holds(costAware(-0.45, 0.2, { state: decision.nextState, nowSec: NOW + 600 }), "hysteresis");
  });

  it("keeps the episode going (disarmed) while legs of a split hedge remain", () => {
    const decision = hedges(costAware(-5, 0.2, { params: { deltaBandEth: 1, maxTradeEth: 2 } }));
    assert.equal(decision.legsEth.length, 3);
    assert.equal(decision.nextState.armed, false);
  });

  it("by default never defers for gas outside the governance band: hedges the same exposure at 50× gas", () => {
    const decision = hedges(costAware(-1.5, 10));
    assert.ok(decision.expectedCostUsd > decision.expectedRiskReductionUsd);
  });

  it("by default defers for gas inside the governance band, once its gamma-scaled trigger fired", () => {
    hedges(costAware(-0.8, 0.2));
    const decision = holds(costAware(-0.8, 10), "cost-exceeds-benefit");
    assert.deepEqual(decision.nextState, INITIAL_POLICY_STATE);
  });

  const deferTwice = { config: { riskAversionPerUsd: 1e-3, maxDeferralBandMultiple: 2 } };

  it("with maxDeferralBandMultiple 2, defers the same exposure with cost-exceeds-benefit at 50× gas", () => {
    const decision = holds(costAware(-1.5, 10, deferTwice), "cost-exceeds-benefit");
    assert.deepEqual(decision.nextState, INITIAL_POLICY_STATE);
  });

  it("with maxDeferralBandMultiple 2, still hedges a large exposure at 50× gas once |Δ| >= 2 × band", () => {
    const decision = hedges(costAware(-2.5, 10, deferTwice));
    assert.ok(decision.expectedCostUsd > decision.expectedRiskReductionUsd);
    assertClose(decision.totalEth, 2.5 - 0.5 * wwBandFor());
  });

  it("keeps the hysteresis of the band policy, on its own band", () => {
    holds(costAware(-0.5, 0.2), "hysteresis");
    holds(costAware(-0.25, 0.2), "inside-band");
  });

  it("names both bands in its detail text", () => {
    const decision = holds(costAware(-0.5, 0.2), "hysteresis");
    assert.match(decision.detail, /band 0\.6\d* \(WW 0\.6\d*, governance 1\), inner 0\.3/);
    assert.match(hedges(costAware(-1.5, 0.2)).reason, /trading to the inner band edge/);
  });
});

describe("whalleyWilmottBandEth", () => {
  const args = {
    spotUsd: 3000,
    proportionalCost: 0.001,
    riskAversionPerUsd: 1e-4,
  };

  it("equals (3/2 · k · S · Γ² / λ)^(1/3): S=3000, Γ=0.05, k=10 bps, λ=1e-4 gives ∛112.5 = 4.8274 ETH", () => {
    assertClose(whalleyWilmottBandEth({ ...args, netGammaPerUsd: 0.05 }), 4.82744692302814878929966392218);
  });

  it("depends on |Γ| only, and is 0 when Γ = 0", () => {
    const short = whalleyWilmottBandEth({ ...args, netGammaPerUsd: -0.05 });
    assert.equal(short, whalleyWilmottBandEth({ ...args, netGammaPerUsd: 0.05 }));
    assert.equal(whalleyWilmottBandEth({ ...args, netGammaPerUsd: 0 }), 0);
  });
});

describe("decide: Whalley–Wilmott policy", () => {
  // fee 5 bps + flat slippage 5 bps = k of 0.001; with Γ = -0.05 the WW band is 4.8274 ETH.
  const ww = (netDeltaEth: number, more: Fixture = {}): Fixture => ({
    kind: "whalley-wilmott",
    netDeltaEth,
    cost: { poolFeeBps: 5, slippageBps: () => 5 },
    ...more,
  });

  it("holds inside the WW band", () => {
    holds(ww(4.5), "inside-band");
  });

  it("trades only to the edge of the WW band, not to zero", () => {
    const decision = hedges(ww(8));
    assert.equal(decision.side, "sellWeth");
    assertClose(decision.totalEth, 3.17255307697185121070033607782);
  });

  it("uses the governance band when it is tighter than the WW band", () => {
    const decision = hedges(ww(-8, { params: { deltaBandEth: 3 } }));
    assert.equal(decision.side, "buyWeth");
    assertClose(decision.totalEth, 5);
  });

  it("falls back to the governance band when net gamma is 0", () => {
    holds(ww(9, { netGammaPerUsd: 0 }), "inside-band");
    assertClose(hedges(ww(12, { netGammaPerUsd: 0 })).totalEth, 2);
  });
});

describe("decide: time policy", () => {
  const timed = (netDeltaEth: number, lastHedgeSec: number | null): Fixture => ({
    kind: "time",
    netDeltaEth,
    state: { armed: true, lastHedgeSec },
    config: { timeIntervalSec: 3600 },
  });

  it("hedges to zero on the first cycle regardless of the band", () => {
    const decision = hedges(timed(-1, null));
    assert.equal(decision.totalEth, 1);
    assert.equal(decision.side, "buyWeth");
    assert.equal(decision.nextState.lastHedgeSec, NOW);
  });

  it("holds with not-due before the interval has elapsed, whatever |Δ|", () => {
    holds(timed(-50, NOW - 1800), "not-due");
  });

  it("hedges again once the interval has elapsed", () => {
    hedges(timed(2, NOW - 3600));
  });

  it("still respects min notional", () => {
    holds(timed(0.01, null), "below-min-notional");
  });
});

describe("decide: input validation", () => {
  const cases: [string, Fixture, RegExp][] = [
    ["a zero spot", { spotUsd: 0 }, /policy input spotUsd must be a positive finite number, got 0/],
    ["a NaN net delta", { netDeltaEth: NaN }, /policy input netDeltaEth must be a finite number, got NaN/],
    ["an infinite vol", { volAnnual: Infinity }, /policy input volAnnual must be a finite number >= 0/],
    ["a zero band", { params: { deltaBandEth: 0 } }, /policy input params\.deltaBandEth must be a positive/],
    ["a negative max trade", { params: { maxTradeEth: -1 } }, /params\.maxTradeEth/],
    ["an inner ratio above 1", { config: { hysteresisInnerRatio: 1.5 } }, /hysteresisInnerRatio must be in \(0, 1\]/],
    ["a NaN last hedge time", { state: { armed: true, lastHedgeSec: NaN } }, /state\.lastHedgeSec/],
    ["a negative depth cap", { limits: { ...NO_LIMITS, depthWad: -1n } }, /limits\.depthWad/],
    ["a leg count cap above the bound", { config: { maxLegsPerHedge: 1e9 } }, /config\.maxLegsPerHedge/],
    ["a NaN slippage quote", { netDeltaEth: -12, cost: { slippageBps: () => NaN } }, /cost\.slippageBps\(/],
  ];
  for (const [what, fixture, message] of cases) {
    it(`throws a RangeError naming the field for ${what}`, () => {
      const isNamedRangeError = (error: unknown) => error instanceof RangeError && message.test(error.message);
      assert.throws(() => decide(input(fixture)), isNamedRangeError);
    });
  }
});

describe("defaultPolicyConfig", () => {
  it("gives the documented defaults for every kind", () => {
    const kinds: PolicyKind[] = ["band", "cost-aware", "whalley-wilmott", "time"];
    for (const kind of kinds) {
      const config = defaultPolicyConfig(kind);
      assert.equal(config.kind, kind);
      assert.equal(config.hysteresisInnerRatio, 0.5);
      assert.equal(config.riskAversionPerUsd, 1e-4);
      assert.equal(config.horizonSec, 3600);
      assert.equal(config.maxDeferralBandMultiple, 1);
      holds({ kind }, kind === "time" ? "below-min-notional" : "inside-band");
    }
  });
});
