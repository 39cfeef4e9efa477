import assert from "node:assert/strict";
import fc from "fast-check";

import type { SeriesRaw, Snapshot } from "../../../keeper/chain/snapshot.js";
import { assess, type AssessOptions } from "../../../keeper/cycle/assess.js";
import { chainPolicyState, policyInput } from "../../../keeper/cycle/policyInput.js";
import { buildRebalanceRequest } from "../../../keeper/executor/index.js";
import { decide } from "../../../keeper/policy/index.js";
import { WAD, wethWadToUsdc6Floor } from "../../../keeper/units.js";
import { snapshotFixture } from "../snapshotFixture.js";
import { policyConfig, RUNS, wadAmount } from "./arbitraries.js";

const NOW = 1_800_000_000;

const series: fc.Arbitrary<SeriesRaw> = fc.record({
  id: fc.bigInt({ min: 1n, max: 1000n }),
  strikeWad: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 1000n * WAD, max: 5000n * WAD })),
  expiry: fc.bigInt({ min: BigInt(NOW - 86_400), max: BigInt(NOW + 365 * 86_400) }),
  isCall: fc.boolean(),
  sizeWad: fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }),
  volWad: fc.bigInt({ min: 0n, max: 3n * WAD }),
});

/** A snapshot as the chain could return it: any balances, a broken or fine oracle, any pool price, any depth quote. */
const snapshot: fc.Arbitrary<Snapshot> = fc
  .record({
    priceUsd: fc.bigInt({ min: 1n, max: 100_000n }),
    answerBroken: fc.boolean(),
    /** pool vs oracle, relative (mostly within the adapter's deviation bound), or a degenerate pool price */
    poolOff: fc.oneof(
      { arbitrary: fc.integer({ min: -100, max: 100 }).map((bps) => bps / 10_000), weight: 4 },
      { arbitrary: fc.constantFrom(Infinity, NaN, -1, -2), weight: 1 },
    ),
    twap: fc.boolean(),
    wethWad: wadAmount,
    usdc6: fc.oneof(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 10n ** 13n })),
    book: fc.array(series, { maxLength: 4 }),
    depth: fc.option(
      fc.record({
        refEthWad: fc.bigInt({ min: 0n, max: 10n * WAD }),
        buyUsdcIn6: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        sellUsdcOut6: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      }),
      { nil: null },
    ),
    deltaBandWad: fc.bigInt({ min: 0n, max: 20n * WAD }),
    maxTradeWethWad: fc.oneof(fc.bigInt({ min: 0n, max: 100n * WAD }), fc.constant(WAD / 3n)),
    maxSlippageBps: fc.integer({ min: 0, max: 1000 }),
  })
  .map((f) => {
    const base = snapshotFixture(f.priceUsd, NOW);
    return {
      ...base,
      params: {
        ...base.params,
        deltaBandWad: f.deltaBandWad,
        maxTradeWethWad: f.maxTradeWethWad,
        maxSlippageBps: f.maxSlippageBps,
      },
      oracle: f.answerBroken ? { ...base.oracle, answer: 0n, priceWad: 0n } : base.oracle,
      poolPriceUsd: Number(f.priceUsd) * (1 + f.poolOff),
      poolTwapPriceUsd: f.twap && Number.isFinite(f.poolOff) ? Number(f.priceUsd) * (1 + f.poolOff) : null,
      collateral: { wethWad: f.wethWad, usdc6: f.usdc6 },
      book: f.book,
      depth: f.depth,
    };
  });

const options: fc.Arbitrary<AssessOptions> = fc.record({
  gasUnitsPerHedge: fc.integer({ min: 0, max: 2_000_000 }),
  priorityFeeGwei: fc.double({ min: 0, max: 1000, noNaN: true }),
  poolFee: fc.constantFrom(100, 500, 3000, 10_000),
  deltaToleranceEth: fc.constant(0.01),
  minTradeWethWad: fc.oneof(fc.constant(0n), fc.constant(WAD / 1000n), fc.bigInt({ min: 0n, max: WAD })),
});

describe("assess → policy → request: properties over chain snapshots", function () {
  it("never throws; every number is finite (a cap may be Infinity = no limit) or a named gate holds", function () {
    fc.assert(
      fc.property(snapshot, options, (snap, opts) => {
        const a = assess(snap, opts);
        const poolGated = a.gates.some((g) => g.reason === "pool-price-invalid");
        for (const [name, value] of Object.entries(a)) {
          if (typeof value !== "number") continue;
          const mayBeUnbounded = name === "maxLegEthByDepth" || name === "maxLegEth";
          // the snapshot's own pool prices, reported as read
          const echoedBadPool = (name === "poolPriceUsd" || name === "poolTwapPriceUsd") && poolGated;
          assert.ok(
            Number.isFinite(value) || (mayBeUnbounded && value === Infinity) || echoedBadPool,
            `${name} = ${value}`,
          );
        }
        assert.ok(a.limits.payableWad !== null && a.limits.payableWad >= 0n);
        assert.ok(a.limits.minTradeWad >= opts.minTradeWethWad);
        if (!(Number.isFinite(snap.poolPriceUsd) && snap.poolPriceUsd > 0))
          assert.ok(a.gates.some((g) => g.reason === "pool-price-invalid"));
      }),
      { numRuns: RUNS },
    );
  });

  it("an ungated snapshot gives a decision, and every leg is payable from the vault's balance, within the adapter's caps, and swaps at least one USDC unit", function () {
    fc.assert(
      fc.property(snapshot, options, policyConfig, (snap, opts, config) => {
        const a = assess(snap, opts);
        if (a.gates.length > 0) return;
        const decision = decide(policyInput(snap, a, config, chainPolicyState(snap, true)));
        if (decision.kind !== "hedge") return;
        const oracle = snap.oracle.priceWad;
        const buying = decision.side === "buyWeth";
        let usdcSpent = 0n;
        for (const legWad of decision.legsWad) {
          assert.ok(legWad <= snap.params.maxTradeWethWad, `leg ${legWad} > maxTradeWethWad`);
          assert.ok(legWad >= opts.minTradeWethWad);
          const request = buildRebalanceRequest({
            snapshot: snap,
            side: decision.side,
            legWad,
            slippageBps: 50,
            deadlineSec: 60,
            nowSec: snap.blockTimestamp,
          });
          assert.ok(request.amountIn >= 1n, "no leg swaps zero");
          if (buying) assert.equal(request.amountIn, wethWadToUsdc6Floor(legWad, oracle));
          usdcSpent += buying ? request.amountIn : 0n;
        }
        if (buying)
          assert.ok(usdcSpent <= snap.collateral.usdc6, `spends ${usdcSpent} of ${snap.collateral.usdc6} USDC`);
        else
          assert.ok(
            decision.totalWad <= snap.collateral.wethWad,
            `sells ${decision.totalWad} of ${snap.collateral.wethWad} wad`,
          );
      }),
      { numRuns: RUNS },
    );
  });
});
