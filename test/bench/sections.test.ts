import assert from "node:assert/strict";

import { installFetchMeter } from "../../bench/fetchMeter.js";
import { breakdown, intrinsicGas } from "../../bench/gas.js";
import { latencyStats } from "../../bench/latency.js";
import { linearFit, median, timeRuns } from "../../bench/measure.js";
import { FULL_PLAN, QUICK_PLAN, seedBatches } from "../../bench/scalingModel.js";
import type { CallFrame } from "../../scripts/lib/testing/gasProbe.js";

describe("bench/measure", () => {
  it("takes the median of odd and even counts without reordering its input", () => {
    const values = [5, 1, 3];
    assert.equal(median(values), 3);
    assert.deepEqual(values, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), RangeError);
  });

  it("fits a line exactly through collinear points and refuses a single x", () => {
    const fit = linearFit([1, 10, 50], [1000 + 2 * 1, 1000 + 2 * 10, 1000 + 2 * 50]);
    assert.ok(Math.abs(fit.intercept - 1000) < 1e-9);
    assert.ok(Math.abs(fit.slope - 2) < 1e-12);
    assert.throws(() => linearFit([3, 3], [1, 2]), RangeError);
  });

  it("runs the warm-ups untimed and times each run", async () => {
    let calls = 0;
    const times = await timeRuns(3, 2, () => (calls += 1));
    assert.equal(calls, 5);
    assert.equal(times.length, 3);
  });
});

describe("bench/gas breakdown", () => {
  it("prices calldata at 4 gas per zero byte and 16 per non-zero byte over 21,000", () => {
    assert.equal(intrinsicGas("0x"), 21_000);
    assert.equal(intrinsicGas("0x00ff0001"), 21_000 + 4 + 16 + 4 + 16);
  });

  it("groups the top frame's calls by label and leaves the rest to the caller's own execution", () => {
    const frame: CallFrame = {
      type: "CALL",
      from: "0xkeeper",
      to: "0xadapter",
      input: "0x0000",
      gas: "0x0",
      gasUsed: "0x" + (100_000).toString(16),
      calls: [
        { type: "STATICCALL", from: "0xadapter", to: "0xfeed", input: "0xfeaf968c", gas: "0x0", gasUsed: "0x1388" },
        { type: "STATICCALL", from: "0xadapter", to: "0xfeed", input: "0xfeaf968c", gas: "0x0", gasUsed: "0x1388" },
        { type: "CALL", from: "0xadapter", to: "0xrouter", input: "0x414bf389", gas: "0x0", gasUsed: "0x7530" },
      ],
    };
    const split = breakdown(frame, (call) => (call.to === "0xfeed" ? "feed.latestRoundData" : "router.swap"));
    assert.equal(split.intrinsic, 21_008);
    assert.deepEqual(split.calls, [
      { label: "feed.latestRoundData", count: 2, gas: 10_000, nested: [] },
      { label: "router.swap", count: 1, gas: 30_000, nested: [] },
    ]);
    assert.equal(split.ownExecution, 100_000 - 21_008 - 40_000);
    assert.equal(split.total, 100_000);
  });
});

describe("bench/scaling seeding", () => {
  it("splits a book into seeder batches whose strikes wrap every 500 series and never inside a batch", () => {
    const batches = seedBatches(0, 1_050);
    assert.equal(
      batches.reduce((sum, b) => sum + b.count, 0),
      1_050,
    );
    for (const b of batches) {
      const lastStrike = b.firstStrikeUsd + b.count - 1;
      assert.ok(b.firstStrikeUsd >= 2_750 && lastStrike < 2_750 + 500, `batch at ${b.firstIndex} wraps`);
    }
    assert.deepEqual(
      batches.map((b) => b.firstIndex),
      [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
    );
    assert.equal(batches[5]!.firstStrikeUsd, 2_750);
  });

  it("continues a partly seeded book from where it stopped, realigned to whole batches", () => {
    const batches = seedBatches(10, 250);
    assert.deepEqual(
      batches.map((b) => [b.firstIndex, b.count, b.firstStrikeUsd]),
      [
        [10, 90, 2_760],
        [100, 100, 2_850],
        [200, 50, 2_950],
      ],
    );
    assert.deepEqual(seedBatches(500, 500), []);
    assert.throws(() => seedBatches(0, 10, 300), RangeError);
  });

  it("measures the issue's sizes: up to the vault's cap when quick, 1,000 and 10,000 in the full run", () => {
    assert.deepEqual(QUICK_PLAN.onChainSizes, [10, 100, 500]);
    assert.deepEqual(FULL_PLAN.onChainSizes, [10, 100, 500, 1_000, 10_000]);
    assert.ok(QUICK_PLAN.computeOnlySizes.includes(10_000));
  });
});

describe("bench/latency stats", () => {
  const rep = (blocks: number | null, hedgeCycleMs: number | null = 200) => ({
    blocks,
    baselineBlocks: 1,
    hedgeCycleMs,
    baselineMs: 2,
  });

  it("meets the next-block goal only when every repetition hedged in the next block", () => {
    const stats = latencyStats([rep(1), rep(1, 300), rep(1, 100)]);
    assert.equal(stats.medianBlocks, 1);
    assert.equal(stats.worstBlocks, 1);
    assert.equal(stats.cycleMs, 200);
    assert.equal(stats.met, true);
    assert.equal(latencyStats([rep(1), rep(2)]).met, false);
  });

  it("counts a repetition without a hedge as infinitely late", () => {
    const stats = latencyStats([rep(1), rep(null, null)]);
    assert.equal(stats.hedged, 1);
    assert.equal(stats.worstBlocks, Infinity);
    assert.equal(stats.met, false);
    assert.ok(Number.isNaN(latencyStats([rep(null, null)]).cycleMs));
  });
});

describe("bench/fetchMeter", () => {
  it("counts posts and body bytes of every fetch and restores fetch when uninstalled", async () => {
    const original = globalThis.fetch;
    globalThis.fetch = async () => new Response("response-body", { status: 200 });
    try {
      const meter = installFetchMeter();
      const response = await fetch("http://127.0.0.1:1/", { method: "POST", body: '{"id":1}' });
      assert.equal(await response.text(), "response-body");
      assert.deepEqual([meter.posts, meter.requestBytes, meter.responseBytes], [1, 8, 13]);
      meter.reset();
      assert.deepEqual([meter.posts, meter.requestBytes, meter.responseBytes], [0, 0, 0]);
      meter.uninstall();
      assert.notEqual(globalThis.fetch, original);
    } finally {
      globalThis.fetch = original;
    }
  });
});
