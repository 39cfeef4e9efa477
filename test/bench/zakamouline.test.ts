import assert from "node:assert/strict";

import fc from "fast-check";

import { costAwareTriggerTable } from "../../bench/backtest/analysis.js";
import {
  depthFromPosition,
  simulateChunk,
  spotCostModel,
  summarise,
  type BacktestSpec,
} from "../../bench/backtest/index.js";
import { REPLICA_GOVERNANCE, zakamoulinePolicies } from "../../bench/backtest/policies.js";
import { decideZakamouline, zakamoulineBand } from "../../bench/backtest/zakamouline.js";
import { defaultPolicyConfig } from "../../keeper/policy/index.js";
import { bookFromRows, evaluateBook } from "../../keeper/risk/index.js";
import { DEFAULT_REPLICA } from "../../scripts/lib/market/market.js";

const DAY_SEC = 86_400;
const START = 1_750_000_000;
const COSTS = { poolFeeBps: 5, gasUnitsPerLeg: 180_000, gasPriceGwei: 2 };
const depth = depthFromPosition(DEFAULT_REPLICA);

const bandArgs = fc.record({
  spotUsd: fc.double({ min: 10, max: 100_000, noNaN: true }),
  netGammaPerUsd: fc.double({ min: 1e-6, max: 10, noNaN: true }),
  tYears: fc.double({ min: 1e-3, max: 2, noNaN: true }),
  volAnnual: fc.double({ min: 0.05, max: 3, noNaN: true }),
  k: fc.double({ min: 1e-5, max: 0.01, noNaN: true }),
  riskAversionPerUsd: fc.double({ min: 1e-6, max: 1, noNaN: true }),
});

describe("bench/backtest zakamoulineBand", () => {
  it("a short-gamma position hedges at a higher vol and a long-gamma one at a lower vol, with the same band width", () => {
    fc.assert(
      fc.property(bandArgs, (args) => {
        const short = zakamoulineBand({ ...args, netGammaPerUsd: -args.netGammaPerUsd });
        const long = zakamoulineBand(args);
        assert.ok(short.volFactor > 1, `short volFactor ${short.volFactor}`);
        assert.ok(long.volFactor < 1 && long.volFactor > 0, `long volFactor ${long.volFactor}`);
        assert.equal(short.halfWidthEth, long.halfWidthEth);
        assert.ok(Number.isFinite(short.halfWidthEth) && short.halfWidthEth > 0);
      }),
    );
  });

  it("H_1 grows as √|Γ| and H_0 does not depend on Γ but falls as 1/τ", () => {
    fc.assert(
      fc.property(bandArgs, (args) => {
        const base = zakamoulineBand(args);
        const fourTimesGamma = zakamoulineBand({ ...args, netGammaPerUsd: 4 * args.netGammaPerUsd });
        assert.ok(Math.abs(fourTimesGamma.h1Eth / base.h1Eth - 2) < 1e-9, "H_1 ∝ √|Γ|");
        assert.equal(fourTimesGamma.h0Eth, base.h0Eth);
        const twiceTime = zakamoulineBand({ ...args, tYears: 2 * args.tYears });
        assert.ok(Math.abs(base.h0Eth / twiceTime.h0Eth - 2) < 1e-9, "H_0 ∝ 1/τ");
      }),
    );
  });

  it("matches the paper's formulas at one hand-checked point", () => {
    // k = 0.001, γ = 0.01/USD, S = 100, Γ = −0.5 ETH/USD, τ = 1, σ = 0.25 (so (1/σ)^0.25 = √2):
    // H_0 = 0.001 / (0.01·100·0.0625·1) = 0.016; H_1 = 1.12·0.001^0.31·√2·√50; K = −4.76·0.001^0.78·√2·50^0.15.
    const band = zakamoulineBand({
      spotUsd: 100,
      netGammaPerUsd: -0.5,
      tYears: 1,
      volAnnual: 0.25,
      k: 0.001,
      riskAversionPerUsd: 0.01,
    });
    assert.ok(Math.abs(band.h0Eth - 0.016) < 1e-12);
    assert.ok(Math.abs(band.h1Eth - 1.12 * 0.001 ** 0.31 * Math.SQRT2 * Math.sqrt(50)) < 1e-12);
    const bigK = -4.76 * 0.001 ** 0.78 * Math.SQRT2 * 50 ** 0.15;
    assert.ok(Math.abs(band.volFactor - Math.sqrt(1 - bigK)) < 1e-12);
  });

  it("has no band (never trades) once the book has no time left or no vol", () => {
    assert.equal(
      zakamoulineBand({
        spotUsd: 3000,
        netGammaPerUsd: -0.05,
        tYears: 0,
        volAnnual: 0.8,
        k: 5e-4,
        riskAversionPerUsd: 1e-4,
      }).halfWidthEth,
      Infinity,
    );
    assert.equal(
      zakamoulineBand({
        spotUsd: 3000,
        netGammaPerUsd: -0.05,
        tYears: 0.1,
        volAnnual: 0,
        k: 5e-4,
        riskAversionPerUsd: 1e-4,
      }).halfWidthEth,
      Infinity,
    );
  });
});

describe("bench/backtest decideZakamouline", () => {
  const book = bookFromRows([
    { strikeUsd: 3000, expirySec: START + 30 * DAY_SEC, isCall: true, sizeEth: -100, vol: 0.8 },
  ]);
  const risk = evaluateBook(book, 3000, START);
  const config = { ...defaultPolicyConfig("whalley-wilmott"), riskAversionPerUsd: 1e-4 };
  const params = { ...REPLICA_GOVERNANCE, deltaBandEth: 1e6 };
  const cost = spotCostModel(COSTS, depth).at(3000);
  const decideAt = (hedgeEth: number) =>
    decideZakamouline({ book, risk, spotUsd: 3000, nowSec: START, hedgeEth, config, params, cost, depthWad: null });

  it("from an unhedged short book buys WETH to the near edge of the band, in legs of at most the max trade", () => {
    const trade = decideAt(0);
    assert.ok(trade !== null);
    assert.equal(trade.side, "buyWeth");
    assert.ok(trade.legsEth.every((leg) => leg <= params.maxTradeEth + 1e-12));
    // after the trade the shifted delta sits at the band's edge: a second decision holds
    assert.equal(decideAt(trade.totalEth), null);
    assert.ok(trade.totalEth < -risk.netOptionDeltaEth, "trades to the edge, not to the centre");
  });

  it("holds anywhere inside the band and sells when over-hedged beyond it", () => {
    const toEdge = decideAt(0)!.totalEth;
    assert.equal(decideAt(toEdge + 0.5), null);
    const over = decideAt(-risk.netOptionDeltaEth + 50);
    assert.ok(over !== null && over.side === "sellWeth");
  });
});

describe("bench/backtest Zakamouline family in the engine", () => {
  it("runs through simulateChunk and trades less as γ falls", () => {
    const spec: BacktestSpec = {
      book: [{ strikeUsd: 3000, expirySec: START + 30 * DAY_SEC, isCall: true, sizeEth: -100, vol: 0.8 }],
      startSec: START,
      stepSec: 3600,
      steps: 5 * 24,
      spot0Usd: 3000,
      model: { kind: "gbm", driftAnnual: 0, volAnnual: 0.8 },
      seed: 3,
      paths: 6,
      costs: COSTS,
      depth,
      policies: zakamoulinePolicies([1e-5, 1e-3]),
    };
    const [loose, tight] = summarise(simulateChunk(spec), spec.policies);
    assert.ok(loose!.meanTrades > 0 && tight!.meanTrades > loose!.meanTrades);
    assert.ok(tight!.hedgeError < loose!.hedgeError);
  });
});

describe("bench/backtest costAwareTriggerTable", () => {
  it("shows the trigger the policy uses: min(governance band, WW band), and a hedge point inside the deferral limit", () => {
    const netGammaPerUsd = evaluateBook(
      bookFromRows([{ strikeUsd: 3000, expirySec: START + 30 * DAY_SEC, isCall: true, sizeEth: -100, vol: 0.8 }]),
      3000,
      START,
    ).netGammaPerUsd;
    const lambdas = [1e-5, 1e-2];
    const table = costAwareTriggerTable({
      costs: COSTS,
      depth,
      spotUsd: 3000,
      volAnnual: 0.8,
      netGammaPerUsd,
      bookTitle: "ATM calls",
      governance: REPLICA_GOVERNANCE,
      riskAversionsPerUsd: lambdas,
      sweep: { bandEth: 5, maxDeferralBandMultiple: 1 },
    });
    const [loose, tight] = table.rows as number[][];
    // λ 1e-5: WW band wider than the governance band, which binds
    assert.ok(loose![1]! > 5 && loose![2] === 5 && loose![3] === 2.5);
    // λ 1e-2: the WW band is narrower and sets the trigger; the policy never hedges inside it
    assert.ok(tight![1]! < 5 && tight![2] === tight![1]);
    for (const row of table.rows as number[][]) {
      assert.ok(row[5]! >= row[2]! && row[5]! <= 5, `hedges at ${row[5]} within [trigger, deferral limit]`);
    }
  });
});
