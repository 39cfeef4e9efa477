import assert from "node:assert/strict";

import { renderHtml, renderSummaryMarkdown } from "../../bench/report.js";
import { BenchUsageError, DEFAULT_RESULTS_DIR, parseBenchArgs, QUICK_RESULTS_DIR } from "../../bench/runner.js";
import { figure, type RecordedResult } from "../../bench/section.js";

const SECTIONS = ["efficiency", "gas"];

function recorded(overrides: Partial<RecordedResult> = {}): RecordedResult {
  return {
    name: "gas",
    title: "Gas overhead",
    summary: "The adapter costs **1.1×** a bare swap.",
    figures: [
      figure(
        "adapter rebalance",
        165_000,
        "gas",
        { label: "bare exactInputSingle", value: 150_000, unit: "gas" },
        { goal: { text: "≤ 1.15", met: true } },
      ),
    ],
    tables: [
      { title: "headline table", columns: ["a", "b"], rows: [["x", 1.23456]] },
      { title: "detail table", columns: ["a"], rows: [["y"]], detail: true },
    ],
    charts: [
      {
        title: "chart",
        xLabel: "x",
        yLabel: "y",
        logY: true,
        series: [
          {
            name: "s",
            line: true,
            points: [
              [1, 10],
              [2, 100],
            ],
          },
        ],
      },
    ],
    notes: ["measured on the replica"],
    meta: {
      command: "npm run bench -- --quick",
      quick: true,
      seed: 1,
      threads: 2,
      startedAt: "2026-01-01T00:00:00.000Z",
      durationSec: 12.3,
      node: "24.0.0",
      platform: "linux-x64",
      cpus: 2,
    },
    ...overrides,
  };
}

describe("bench runner: parseBenchArgs", () => {
  it("reads --quick, --only, --seed, --threads and repeated --param key=value", () => {
    const args = parseBenchArgs(
      [
        "--quick",
        "--only",
        "gas,efficiency",
        "--seed",
        "7",
        "--threads",
        "3",
        "--param",
        "gas-gwei=20",
        "--param",
        "x=a=b",
      ],
      SECTIONS,
    );
    assert.equal(args.quick, true);
    assert.deepEqual(args.only, ["gas", "efficiency"]);
    assert.equal(args.seed, 7);
    assert.equal(args.threads, 3);
    assert.deepEqual(args.params, { "gas-gwei": "20", x: "a=b" });
    assert.match(args.command, /^npm run bench -- --quick --only gas,efficiency/);
  });

  it("defaults to every section, a full run and at least one thread", () => {
    const args = parseBenchArgs([], SECTIONS);
    assert.equal(args.quick, false);
    assert.equal(args.only, null);
    assert.ok(args.threads >= 1);
    assert.equal(args.command, "npm run bench");
    assert.equal(args.outDir, DEFAULT_RESULTS_DIR);
  });

  it("writes a quick run to bench/results/quick/ unless --out says otherwise", () => {
    assert.equal(parseBenchArgs(["--quick"], SECTIONS).outDir, QUICK_RESULTS_DIR);
    assert.match(parseBenchArgs(["--quick", "--out", "elsewhere"], SECTIONS).outDir, /elsewhere$/);
  });

  it("rejects unknown sections, flags and malformed values with a BenchUsageError", () => {
    assert.throws(() => parseBenchArgs(["--only", "latency"], SECTIONS), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--fast"], SECTIONS), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--threads", "0"], SECTIONS), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--param", "novalue"], SECTIONS), BenchUsageError);
  });
});

describe("bench report", () => {
  it("SUMMARY.md shows each figure with its baseline, ratio, goal and the command, and skips detail tables", () => {
    const md = renderSummaryMarkdown([recorded()]);
    assert.match(md, /## Gas overhead \(`gas`\)/);
    assert.match(md, /npm run bench -- --quick/);
    assert.match(
      md,
      /\| adapter rebalance \| 165,000 gas \| bare exactInputSingle: 150,000 gas \| 1\.1 \| ≤ 1\.15: \*\*met\*\* \|/,
    );
    assert.match(md, /#### headline table/);
    assert.doesNotMatch(md, /detail table/);
  });

  it("index.html is self-contained: inline SVG charts, every table, no external resources", () => {
    const html = renderHtml([recorded()]);
    assert.match(html, /<svg [^>]*aria-label="chart"/);
    assert.match(html, /<polyline /);
    assert.match(html, /detail table/);
    assert.match(html, /<b>1\.1×<\/b>/);
    assert.doesNotMatch(html, /<script|<link|src="http/);
  });
});
