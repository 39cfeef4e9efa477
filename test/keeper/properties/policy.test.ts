import assert from "node:assert/strict";
import fc from "fast-check";

import { decide, MAX_LEGS_PER_HEDGE_BOUND, type Decision, type PolicyInput } from "../../../keeper/policy/index.js";
import { ethToWadFloor, WAD, wadToNumber } from "../../../keeper/units.js";
import { defaultsPolicyInput, policyInput, RUNS } from "./arbitraries.js";

type Hedge = Extract<Decision, { kind: "hedge" }>;

function assertFinite(name: string, value: number): void {
  assert.ok(Number.isFinite(value), `${name} is ${value}`);
}

/** The hedge after its plan went through: |Δ| moved by the total, the vault paid it, the clock moved past cooldown. */
function afterHedge(input: PolicyInput, decision: Hedge): PolicyInput {
  const signed = decision.side === "buyWeth" ? decision.totalEth : -decision.totalEth;
  const limits = input.limits && {
    ...input.limits,
    payableWad: input.limits.payableWad === null ? null : input.limits.payableWad - decision.totalWad,
  };
  return {
    ...input,
    netDeltaEth: input.netDeltaEth + signed,
    nowSec: input.nowSec + input.params.cooldownSec + 1,
    state: decision.nextState,
    ...(limits && { limits }),
  };
}

describe("decide: properties over the whole input domain", function () {
  it("always returns a hold or a hedge, never throws, and every number it returns is finite", function () {
    fc.assert(
      fc.property(policyInput, (input) => {
        const decision = decide(input);
        assert.ok(decision.kind === "hold" || decision.kind === "hedge");
        if (decision.kind === "hold") {
          assert.equal(typeof decision.detail, "string");
          return;
        }
        assertFinite("totalEth", decision.totalEth);
        assertFinite("expectedCostUsd", decision.expectedCostUsd);
        assertFinite("expectedRiskReductionUsd", decision.expectedRiskReductionUsd);
        decision.legsEth.forEach((leg, i) => assertFinite(`legsEth[${i}]`, leg));
        assert.equal(typeof decision.reason, "string");
      }),
      { numRuns: RUNS },
    );
  });

  it("plans only what the vault can pay, within every cap, in legs at or above the minimum that sum to the trade", function () {
    fc.assert(
      fc.property(policyInput, (input) => {
        const decision = decide(input);
        if (decision.kind !== "hedge") return;
        const { legsWad, totalWad } = decision;
        assert.ok(legsWad.length >= 1 && legsWad.length <= input.config.maxLegsPerHedge);
        assert.ok(legsWad.length <= MAX_LEGS_PER_HEDGE_BOUND);
        assert.equal(
          legsWad.reduce((a, b) => a + b, 0n),
          totalWad,
          "legs sum to the trade",
        );
        const wantedWad = ethToWadFloor(Math.abs(input.netDeltaEth));
        assert.ok(totalWad <= wantedWad, `trades ${totalWad} wad, more than |Δ| (${wantedWad} wad)`);
        const maxTradeWad = ethToWadFloor(input.params.maxTradeEth);
        const limits = input.limits;
        const minNotionalWad = ethToWadFloor(input.config.minNotionalUsd / input.spotUsd);
        for (const leg of legsWad) {
          assert.ok(leg > 0n);
          assert.ok(leg <= maxTradeWad, `leg ${leg} > governance max trade ${maxTradeWad}`);
          assert.ok(leg >= minNotionalWad, `leg ${leg} below min notional ${minNotionalWad}`);
          if (limits === undefined) continue;
          assert.ok(leg <= limits.maxTradeWad, `leg ${leg} > on-chain max trade ${limits.maxTradeWad}`);
          assert.ok(limits.depthWad === null || leg <= limits.depthWad, `leg ${leg} > depth ${limits.depthWad}`);
          assert.ok(leg >= limits.minTradeWad, `leg ${leg} < min trade ${limits.minTradeWad}`);
        }
        if (limits?.payableWad != null) assert.ok(totalWad <= limits.payableWad, "total within what the vault pays");
        assert.equal(decision.totalEth, wadToNumber(totalWad));
        assert.equal(decision.side, input.netDeltaEth < 0 ? "buyWeth" : "sellWeth");
      }),
      { numRuns: RUNS },
    );
  });

  it("names the cap and carries the amounts whenever it trades less than wanted or holds for a cap", function () {
    fc.assert(
      fc.property(policyInput, (input) => {
        const decision = decide(input);
        const limit = decision.limit;
        if (limit === null) return;
        assert.ok(limit.plannedWad <= limit.wantedWad);
        if (decision.kind === "hold") {
          assert.equal(decision.reason, limit.reason);
          assert.equal(limit.plannedWad, 0n);
        } else {
          assert.equal(limit.plannedWad, decision.totalWad);
          assert.ok(limit.plannedWad < limit.wantedWad, "a partial hedge trades less than wanted");
          assert.match(decision.reason, new RegExp(`partial \\(${limit.reason}\\)`));
        }
      }),
      { numRuns: RUNS },
    );
  });

  // The residual a hedge leaves is float rounding of |Δ| (~1e-16 relative); a minimum trade of 1 gwei of ETH or more
  // keeps it from being a trade at |Δ| up to 1e5 ETH. The keeper's default minimum is 0.001 ETH.
  const inputWithRealMinTrade = fc.oneof(
    defaultsPolicyInput,
    policyInput.filter((input) => input.limits !== undefined && input.limits.minTradeWad >= 10n ** 9n),
  );

  it("never hedges again without a market move once a whole (or collateral-limited) plan has gone through", function () {
    fc.assert(
      fc.property(inputWithRealMinTrade, (input) => {
        const first = decide(input);
        if (first.kind !== "hedge" || first.limit?.reason === "leg-count") return;
        const second = decide(afterHedge(input, first));
        assert.equal(
          second.kind,
          "hold",
          `${input.config.kind}: hedged ${first.totalEth} of |Δ| ${Math.abs(input.netDeltaEth)}, then again: ${second.kind === "hedge" ? second.reason : ""}`,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("rejects only invalid inputs, with a RangeError naming the field", function () {
    const invalid = fc.oneof(
      fc.record({ netDeltaEth: fc.constantFrom(NaN, Infinity, -Infinity) }),
      fc.record({ spotUsd: fc.constantFrom(0, -1, NaN, Infinity) }),
      fc.record({ volAnnual: fc.constantFrom(-0.1, NaN, Infinity) }),
      fc.record({ limits: fc.constant({ payableWad: -1n, depthWad: null, maxTradeWad: WAD, minTradeWad: 0n }) }),
      fc.record({ limits: fc.constant({ payableWad: 0n, depthWad: null, maxTradeWad: 0n, minTradeWad: 0n }) }),
    );
    fc.assert(
      fc.property(policyInput, invalid, (input, breakage) => {
        const bad = { ...input, ...breakage } as PolicyInput;
        const field = Object.keys(breakage)[0]!;
        assert.throws(
          () => decide(bad),
          (error: unknown) => error instanceof RangeError && error.message.startsWith(`policy input ${field}`),
        );
      }),
      { numRuns: 100 },
    );
  });
});
