import assert from "node:assert/strict";

import { defaultPolicyConfig } from "../../keeper/policy/index.js";
import { DEFAULT_REPLICA } from "../../scripts/lib/market/market.js";
import {
  bookPremiumUsd,
  compareFrontiers,
  costAtError,
  depthFromPosition,
  gasCostUsd,
  legCostUsd,
  maxTradeEthForImpact,
  mean,
  median,
  mergeResults,
  paretoFrontier,
  pathRng,
  priceImpactBps,
  Rng,
  simulateChunk,
  simulatePath,
  std,
  summarise,
  virtualWethReserve,
  type BacktestSpec,
  type CostParams,
  type FrontierPoint,
  type PathModel,
  type PolicySpec,
} from "../../bench/backtest/index.js";
import { timePolicies } from "../../bench/backtest/policies.js";
import { textbookSpec } from "../../bench/backtest/textbook.js";

const YEAR = 1;
const DAY_SEC = 86_400;
const START = 1_750_000_000;

/** |actual - expected| <= tol */
function assertNear(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);
}

/** Log returns log(S_T/S_0) of `n` simulated paths. */
function logReturns(model: PathModel, n: number, steps: number, horizonYears: number, seed = 1): Float64Array {
  const out = new Float64Array(n);
  const path = new Float64Array(steps + 1);
  for (let p = 0; p < n; p++) {
    simulatePath(model, pathRng(seed, p), 100, horizonYears / steps, steps, path);
    out[p] = Math.log(path[steps]! / 100);
  }
  return out;
}

const depth = depthFromPosition(DEFAULT_REPLICA);
const COSTS: CostParams = { poolFeeBps: 5, gasUnitsPerLeg: 180_000, gasPriceGwei: 2 };

/** 100 ETH of short 30-day ATM calls at $3000, hourly decisions over `days`, GBM at the implied 80%. */
function atmSpec(policies: PolicySpec[], { paths = 8, days = 10, costs = COSTS } = {}): BacktestSpec {
  return {
    book: [{ strikeUsd: 3000, expirySec: START + 30 * DAY_SEC, isCall: true, sizeEth: -100, vol: 0.8 }],
    startSec: START,
    stepSec: 3600,
    steps: days * 24,
    spot0Usd: 3000,
    model: { kind: "gbm", driftAnnual: 0, volAnnual: 0.8 },
    seed: 42,
    paths,
    costs,
    depth,
    policies,
  };
}

describe("bench/backtest Rng", () => {
  it("repeats the same stream for the same (seed, stream) and differs across streams", () => {
    const draw = (rng: Rng) => Array.from({ length: 8 }, () => rng.nextUint32());
    assert.deepEqual(draw(new Rng(7, 3)), draw(new Rng(7, 3)));
    assert.notDeepEqual(draw(new Rng(7, 3)), draw(new Rng(7, 4)));
    assert.notDeepEqual(draw(new Rng(7, 3)), draw(new Rng(8, 3)));
  });

  it("draws uniforms in (0, 1) and standard normals with mean 0 and variance 1", () => {
    const rng = new Rng(1);
    const n = 100_000;
    const u = new Float64Array(n).map(() => rng.uniform());
    assert.ok(u.every((x) => x > 0 && x < 1));
    assertNear(mean(u), 0.5, 4 * Math.sqrt(1 / 12 / n), "uniform mean");
    const z = rng.fillNormal(new Float64Array(n));
    assertNear(mean(z), 0, 4 / Math.sqrt(n), "normal mean");
    assertNear(std(z) ** 2, 1, 4 * Math.sqrt(2 / n), "normal variance");
  });

  it("draws Poisson counts with the requested mean", () => {
    const rng = new Rng(2);
    const n = 50_000;
    const k = new Float64Array(n).map(() => rng.poisson(0.3));
    assertNear(mean(k), 0.3, 4 * Math.sqrt(0.3 / n), "Poisson mean");
    assert.equal(rng.poisson(0), 0);
  });
});

describe("bench/backtest simulatePath", () => {
  it("GBM log returns have mean (μ − σ²/2)T and variance σ²T", () => {
    const n = 20_000;
    const r = logReturns({ kind: "gbm", driftAnnual: 0.1, volAnnual: 0.8 }, n, 12, YEAR);
    const variance = 0.64;
    assertNear(mean(r), 0.1 - variance / 2, 4 * Math.sqrt(variance / n), "mean log return");
    assertNear(std(r) ** 2, variance, 4 * variance * Math.sqrt(2 / n), "variance of log returns");
  });

  it("is reproducible: the same seed and path index give the same path", () => {
    const model: PathModel = { kind: "gbm", driftAnnual: 0, volAnnual: 0.8 };
    const a = simulatePath(model, pathRng(5, 9), 3000, 1 / 365, 30, new Float64Array(31));
    const b = simulatePath(model, pathRng(5, 9), 3000, 1 / 365, 30, new Float64Array(31));
    const c = simulatePath(model, pathRng(5, 10), 3000, 1 / 365, 30, new Float64Array(31));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it("Merton jumps: log returns have the compound-Poisson moments and E[S_T] = S_0·e^{μT}", () => {
    const n = 40_000;
    const model: PathModel = {
      kind: "merton",
      driftAnnual: 0.05,
      volAnnual: 0,
      jumpsPerYear: 5,
      jumpMeanLog: -0.05,
      jumpStdLog: 0.1,
    };
    const r = logReturns(model, n, 50, YEAR);
    const jumpVariance = 5 * (0.05 ** 2 + 0.1 ** 2);
    assertNear(std(r) ** 2, jumpVariance, 0.05 * jumpVariance, "variance of log returns");
    const grossReturn = mean(r.map(Math.exp));
    assertNear(grossReturn, Math.exp(0.05), 4 * Math.sqrt(jumpVariance / n), "E[S_T]/S_0");
    // With no diffusion a path only moves by jumps: most steps are flat, some are not.
    const path = simulatePath(model, pathRng(3, 0), 100, 1 / 50, 50, new Float64Array(51));
    const moves = path.slice(1).map((s, i) => Math.abs(Math.log(s / path[i]!)));
    const drift = Math.abs(Math.log(path[1]! / path[0]!));
    assert.ok(
      moves.some((m) => m > 10 * drift),
      "at least one jump on a path with 5 expected jumps",
    );
  });

  it("regime-switching vol: a pinned stressed regime moves with the stressed vol", () => {
    const n = 20_000;
    const pinned: PathModel = {
      kind: "regime",
      driftAnnual: 0,
      volsAnnual: [0.4, 1.2],
      switchesPerYear: [0, 0],
      startRegime: 1,
    };
    const r = logReturns(pinned, n, 10, YEAR);
    assertNear(std(r) ** 2, 1.44, 4 * 1.44 * Math.sqrt(2 / n), "variance in the stressed regime");
    const regimes = new Uint8Array(100);
    const switching: PathModel = { ...pinned, switchesPerYear: [50, 50], startRegime: 0 };
    simulatePath(switching, pathRng(1, 0), 100, 1 / 100, 100, new Float64Array(101), regimes);
    assert.ok(regimes.includes(0) && regimes.includes(1), "switches at 50/year visit both regimes in a year");
  });
});

describe("bench/backtest depth model", () => {
  it("calibrates to the replica: the USDC side binds, X ≈ 17,071 ETH at $3000", () => {
    const sqrtP = Math.sqrt(3000);
    const fromUsdc = (5000 * 3000) / (sqrtP - Math.sqrt(1500));
    assertNear(depth.liquidity, fromUsdc, 1e-6 * fromUsdc, "L");
    assertNear(virtualWethReserve(depth, 3000), fromUsdc / sqrtP, 1e-6, "virtual reserve");
  });

  it("impact is ~0 for tiny trades, ≈ q/X for small ones, grows with size, and buying costs more than selling", () => {
    const x = virtualWethReserve(depth, 3000);
    assert.ok(priceImpactBps(depth, 3000, 1e-4, "buyWeth") < 1e-3);
    assertNear(priceImpactBps(depth, 3000, 1, "buyWeth"), 1e4 / x, 1e-3, "1 ETH");
    let previous = 0;
    for (const q of [0.1, 1, 10, 100, 1000]) {
      const buy = priceImpactBps(depth, 3000, q, "buyWeth");
      const sell = priceImpactBps(depth, 3000, q, "sellWeth");
      assert.ok(buy > previous, `impact grows at ${q} ETH`);
      assert.ok(buy > sell && sell > 0, `buy ${buy} > sell ${sell} > 0 at ${q} ETH`);
      previous = buy;
    }
  });

  it("maxTradeEthForImpact inverts priceImpactBps, and trades beyond the range are refused", () => {
    for (const side of ["buyWeth", "sellWeth"] as const) {
      const q = maxTradeEthForImpact(depth, 2500, 45, side);
      assertNear(priceImpactBps(depth, 2500, q, side), 45, 1e-9, side);
    }
    assert.throws(() => priceImpactBps(depth, 3000, 5000, "buyWeth"), /exceeds/);
  });
});

describe("bench/backtest costs", () => {
  it("a leg costs fee + impact on its notional + gas, all non-negative", () => {
    const cost = legCostUsd(COSTS, depth, 3000, 10, "buyWeth");
    const expected = 10 * 3000 * ((5 + priceImpactBps(depth, 3000, 10, "buyWeth")) / 1e4) + gasCostUsd(COSTS, 3000);
    assertNear(cost, expected, 1e-9, "leg cost");
    assertNear(gasCostUsd(COSTS, 3000), 180_000 * 2e-9 * 3000, 1e-12, "gas");
    assert.equal(legCostUsd({ poolFeeBps: 0, gasUnitsPerLeg: 0, gasPriceGwei: 0 }, depth, 3000, 0, "sellWeth"), 0);
  });
});

describe("bench/backtest simulateChunk", () => {
  it("is deterministic and does not depend on how the paths are chunked", () => {
    const spec = atmSpec(timePolicies([3600, 4 * 3600]), { paths: 6, days: 3 });
    const whole = simulateChunk(spec);
    const again = simulateChunk(spec);
    const pieces = mergeResults([simulateChunk(spec, 4, 2), simulateChunk(spec, 0, 4)]);
    assert.deepEqual(again.policies, whole.policies);
    assert.deepEqual(pieces.policies, whole.policies);
  });

  it("textbook replication: the hedge error falls as the hedge is rebalanced more often, roughly as 1/√N", () => {
    const spec = textbookSpec({ paths: 400, seed: 3, intervalsWeeks: [5, 1, 0.25] });
    const [fiveWeeks, oneWeek, quarterWeek] = summarise(simulateChunk(spec), spec.policies).map((s) => s.hedgeError);
    assert.ok(fiveWeeks! > oneWeek! && oneWeek! > quarterWeek!, `${fiveWeeks} > ${oneWeek} > ${quarterWeek}`);
    const ratio = quarterWeek! / fiveWeeks!;
    assertNear(ratio, Math.sqrt(4 / 80), 0.06, "error ratio 0.25 week vs 5 weeks");
  });

  it("prices and finances at the spec's rate: Hull's option is worth $2.40 at r = 5% and $1.98 at r = 0", () => {
    const spec = textbookSpec({ paths: 1, seed: 1 });
    assertNear(bookPremiumUsd(spec), 2.4, 5e-3, "premium at 5% (140 days of a 365-day year)");
    assertNear(bookPremiumUsd({ ...spec, rateAnnual: 0 }), 1.98, 5e-3, "premium at 0");
  });

  it("zero-cost hedging at high frequency leaves a small error and no cost", () => {
    const spec = textbookSpec({ paths: 200, seed: 4, intervalsWeeks: [0.125] });
    const [summary] = summarise(simulateChunk(spec), spec.policies);
    assert.ok(summary!.hedgeError < 0.12, `hedge error ${summary!.hedgeError}`);
    assert.equal(summary!.meanCostUsd, 0);
    // Hedged once at t0 and never again (an interval past expiry), the same short call's P&L spreads over most of a
    // premium: Hull's measure for a static hedge is about 0.8 and here five times the rebalanced one at least.
    const once = textbookSpec({ paths: 200, seed: 4, intervalsWeeks: [40] });
    const staticError = summarise(simulateChunk(once), once.policies)[0]!.hedgeError;
    assert.ok(staticError > 0.6 && staticError > 5 * summary!.hedgeError, `static hedge error ${staticError}`);
  });

  it("costs are non-negative and grow with the number of trades", () => {
    const spec = atmSpec(timePolicies([3600, 6 * 3600, 24 * 3600]), { paths: 6, days: 10 });
    const result = simulateChunk(spec);
    for (const p of result.policies) assert.ok(p.costUsd.every((c) => c >= 0));
    const summaries = summarise(result, spec.policies);
    const trades = summaries.map((s) => s.meanTrades);
    const costs = summaries.map((s) => s.meanCostUsd);
    assert.ok(trades[0]! > trades[1]! && trades[1]! > trades[2]!, `trades ${trades}`);
    assert.ok(costs[0]! > costs[1]! && costs[1]! > costs[2]!, `costs ${costs}`);
    // Every trade pays at least its gas.
    summaries.forEach((s) => assert.ok(s.meanCostUsd >= s.meanTrades * gasCostUsd(COSTS, 1000)));
  });

  it("drives the keeper's decide: a band policy's first hedge is split into legs of at most maxTradeEth", () => {
    const band: PolicySpec = {
      id: "band-2",
      family: "band",
      label: "band 2 ETH",
      config: defaultPolicyConfig("band"),
      params: { deltaBandEth: 2, maxSlippageBps: 50, maxTradeEth: 20, cooldownSec: 0 },
      onChainBandEth: 2,
    };
    const spec = atmSpec([band], { paths: 1, days: 1 });
    const result = simulateChunk({ ...spec, steps: 1 });
    // ~53 ETH of delta at t0 → ceil(53 / 20) = 3 legs in the first decision.
    assert.equal(result.policies[0]!.trades[0], 3);
    assert.ok(result.policies[0]!.tradedEth[0]! > 50);
  });

  it("applies the adapter's band: legs stop once |Δ| is inside it, and a hedge wholly inside it is refused", () => {
    const band = (onChainBandEth: number): PolicySpec => ({
      id: `band-${onChainBandEth}`,
      family: "band",
      label: `band on-chain ${onChainBandEth} ETH`,
      config: defaultPolicyConfig("band"),
      params: { deltaBandEth: 2, maxSlippageBps: 50, maxTradeEth: 20, cooldownSec: 0 },
      onChainBandEth,
    });
    const spec = atmSpec([band(20), band(100), band(2)], { paths: 1, days: 1 });
    const result = simulateChunk({ ...spec, steps: 1 });
    // ~53 ETH of delta: three equal legs of ~17.7 ETH; before the third |Δ| ≈ 17.7 ETH is inside a 20 ETH band.
    assert.equal(result.policies[2]!.trades[0], 3);
    assert.equal(result.policies[0]!.trades[0], 2);
    assertNear(
      result.policies[0]!.tradedEth[0]!,
      (2 / 3) * result.policies[2]!.tradedEth[0]!,
      1e-9,
      "two of three legs",
    );
    // |Δ| ≈ 53 ETH is inside a 100 ETH band: nothing trades.
    assert.equal(result.policies[1]!.trades[0], 0);
  });
});

describe("bench/backtest frontier statistics", () => {
  const point = (id: string, error: number, meanCostUsd: number): FrontierPoint => ({
    id,
    label: id,
    error,
    meanCostUsd,
  });

  it("keeps only the configurations no other beats on both error and cost", () => {
    const frontier = paretoFrontier([point("a", 0.1, 100), point("b", 0.05, 200), point("c", 0.08, 250)]);
    assert.deepEqual(
      frontier.map((p) => p.id),
      ["b", "a"],
    );
  });

  it("interpolates cost log–log between frontier points and never extrapolates", () => {
    const frontier = [point("fine", 0.02, 400), point("coarse", 0.08, 100)];
    assertNear(costAtError(frontier, 0.04)!, 200, 1e-9, "cost ∝ 1/error at the midpoint");
    assert.equal(costAtError(frontier, 0.01), null);
    assert.equal(costAtError(frontier, 0.1), null);
  });

  it("compares a candidate frontier with a baseline at equal error", () => {
    const baseline = [point("t1", 0.02, 400), point("t2", 0.08, 100)];
    const comparison = compareFrontiers([point("c1", 0.04, 140), point("c2", 0.2, 50)], baseline);
    assert.equal(comparison.matched.length, 1);
    assertNear(comparison.medianRatio!, 0.7, 1e-9, "ratio");
  });

  it("reports the true median ratio: the mean of the two middle ratios for an even count", () => {
    const baseline = [point("t1", 0.02, 400), point("t2", 0.08, 100)];
    // ratios at equal error: 0.5, 0.7 (c2 at 0.04 → baseline 200), 0.9, 1.1 → median (0.7 + 0.9) / 2 = 0.8
    const candidate = [point("c1", 0.02, 200), point("c2", 0.04, 140), point("c3", 0.04, 180), point("c4", 0.08, 110)];
    const comparison = compareFrontiers(candidate, baseline);
    assert.equal(comparison.matched.length, 4);
    assertNear(comparison.medianRatio!, 0.8, 1e-9, "median of an even count");
    assertNear(comparison.minRatio!, 0.5, 1e-9, "min");
    assertNear(comparison.maxRatio!, 1.1, 1e-9, "max");
  });

  it("median of an odd count is the middle value and of an even count the mean of the middle two", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});
