/**
 * The soak's printed output: a table per seed (blocks, hedges, gates by reason, worst excursion, memory, journal),
 * the leak check's figures, and mocha-style check lines ending in "N passing" / "N failing".
 */
import { formatTable, type Column } from "../testing/suiteTable.js";
import type { Check } from "./checks.js";
import type { LeakFigure } from "./leak.js";
import type { SeedResult } from "./run.js";

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(0);

function figure(result: SeedResult, metric: LeakFigure["metric"]): LeakFigure | undefined {
  return result.resources.figures.find((f) => f.metric === metric);
}

/** "oracle-stale 2×/31b, insufficient-collateral 1×/420b": periods and blocks per reason, most blocks first. */
export function gateSummary(result: SeedResult): string {
  const entries = Object.entries(result.gates.byReason).sort((a, b) => b[1].blocks - a[1].blocks);
  return entries.length === 0 ? "none" : entries.map(([r, g]) => `${r} ${g.periods}×/${g.blocks}b`).join(", ");
}

const SEED_COLUMNS: Column<SeedResult>[] = [
  ["seed", (r) => r.plan.seed],
  ["regime", (r) => r.plan.regime],
  ["policy", (r) => r.plan.policy],
  ["min/block", (r) => r.plan.stepSec / 60],
  ["blocks", (r) => r.cycles],
  ["days", (r) => r.simulatedDays.toFixed(1)],
  ["hedges", (r) => r.hedges],
  ["settled/written", (r) => `${r.book.settled}/${r.book.written}`],
  ["gov changes", (r) => r.governanceChanges.length],
  ["faults", (r) => r.faultsInjected],
  ["failed cycles", (r) => r.faultedCycleFailures + r.unexplainedCycleFailures.length],
  ["excursions (gated)", (r) => `${r.excursions.count} (${r.excursions.gated})`],
  ["max |Δ|−band ETH", (r) => r.excursions.maxExcessEth.toFixed(2)],
  ["longest blocks", (r) => r.excursions.longestBlocks],
  ["RSS MB start→end", (r) => `${mb(figure(r, "rssBytes")?.start ?? 0)}→${mb(figure(r, "rssBytes")?.end ?? 0)}`],
  [
    "heap MB start→end",
    (r) => `${mb(figure(r, "heapUsedBytes")?.start ?? 0)}→${mb(figure(r, "heapUsedBytes")?.end ?? 0)}`,
  ],
  ["journal rows", (r) => r.resources.samples.at(-1)?.journalRows ?? 0],
  ["wall s", (r) => r.durationSec.toFixed(0)],
];

const GATE_COLUMNS: Column<SeedResult>[] = [
  ["seed", (r) => r.plan.seed],
  ["gates and holds by reason (periods×/blocks)", gateSummary],
];

const perK = (f: LeakFigure | undefined, scale = 1) =>
  f ? `${(f.firstHalfPerKblock / scale).toFixed(2)} → ${(f.secondHalfPerKblock / scale).toFixed(2)}` : "-";

const LEAK_COLUMNS: Column<SeedResult>[] = [
  ["seed", (r) => r.plan.seed],
  ["RSS MB/kblock 1st→2nd half (not judged)", (r) => perK(figure(r, "rssBytes"), MB)],
  ["heap MB/kblock 1st→2nd half", (r) => perK(figure(r, "heapUsedBytes"), MB)],
  ["handles start→end", (r) => `${figure(r, "handles")?.start ?? 0}→${figure(r, "handles")?.end ?? 0}`],
  [
    "journal state rows start→end",
    (r) => `${figure(r, "journalStateRows")?.start ?? 0}→${figure(r, "journalStateRows")?.end ?? 0}`,
  ],
  [
    "heap, handles, journal flat",
    (r) => (r.resources.figures.length > 0 && r.resources.figures.every((f) => f.flat) ? "yes" : "NO"),
  ],
];

export function soakTables(results: SeedResult[], markdown: boolean): string {
  return [
    formatTable(SEED_COLUMNS, results, markdown),
    formatTable(GATE_COLUMNS, results, markdown),
    formatTable(LEAK_COLUMNS, results, markdown),
  ].join("\n\n");
}

/** Mocha-style lines for each seed's checks, then "N passing" and "N failing" (what .ci/run counts). */
export function checkLines(bySeed: { title: string; checks: Check[] }[]): { text: string; failing: number } {
  const lines: string[] = [];
  let passing = 0;
  let failing = 0;
  for (const { title, checks } of bySeed) {
    lines.push(`  ${title}`);
    for (const c of checks) {
      if (c.ok) {
        passing += 1;
        lines.push(`    ✔ ${c.name}`);
      } else {
        failing += 1;
        lines.push(`    ${failing}) ${c.name}`);
        for (const d of c.detail) lines.push(`         ${d}`);
      }
    }
  }
  lines.push("", `  ${passing} passing`);
  if (failing > 0) lines.push(`  ${failing} failing`);
  return { text: lines.join("\n"), failing };
}
