/**
 * Writes a demo run's outputs: summary.json (the numbers) and report.html, one self-contained page that opens
 * offline (ECharts and the data inlined; no network, no other file).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { renderReportPage, type ReportData } from "./reportPage.js";
import type { DemoRun } from "./record.js";
import type { DemoSummary } from "./summary.js";

const require = createRequire(import.meta.url);

/** Default output directory of a run: reports/<UTC timestamp>/ under `root`. */
export function defaultReportDir(root: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  return path.join(root, "reports", stamp);
}

/** The per-step series and hedges the page charts, in plain arrays (small: ~20 numbers a step). */
export function reportData(run: DemoRun, summary: DemoSummary): ReportData {
  // Market time of a step: the chain clock is pinned to step × stepSec (give or take the seconds of its own txs).
  const hours = (step: number) => Number(((step * run.options.stepSec) / 3600).toFixed(4));
  return {
    summary,
    steps: run.steps.map((s) => ({
      step: s.step,
      block: s.block,
      hour: hours(s.step),
      oracleUsd: s.oracleUsd,
      poolUsd: s.poolUsd,
      bandEth: s.bandEth,
      unhedgedDeltaEth: s.unhedgedDeltaEth,
      netDeltaBeforeEth: s.netDeltaBeforeEth,
      netDeltaEth: s.netDeltaEth,
      reason: s.reason,
      detail: s.detail,
      poolFeeUsd: s.poolFeeUsd,
      slippageUsd: s.slippageUsd,
      gasUsd: s.gasUsd,
      hedgeErrorUsd: s.hedgeErrorUsd,
      pnlHedgedUsd: s.pnlHedgedUsd,
      pnlUnhedgedUsd: s.pnlUnhedgedUsd,
    })),
    hedges: run.hedges.map(({ poolPriceAfterUsd: _poolAfter, ...h }) => ({ ...h, hour: hours(h.step) })),
    refused: run.steps
      .filter((s) => s.decision === "hedge" && s.outcome !== "succeeded")
      .map((s) => ({ step: s.step, block: s.block, outcome: s.outcome ?? "", detail: s.detail })),
    keeperWarnings: countMessages(run.keeperLog),
  };
}

/** Distinct messages of pino JSON lines, most frequent first. */
function countMessages(lines: readonly string[]): { message: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    let message: string;
    try {
      const parsed = JSON.parse(line) as { level?: string; msg?: string };
      message = `${parsed.level ?? "log"}: ${parsed.msg ?? line.trim()}`;
    } catch {
      message = line.trim();
    }
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count);
}

/** ECharts' browser bundle, inlined so the page needs nothing but itself. */
async function echartsSource(): Promise<string> {
  const source = await readFile(require.resolve("echarts/dist/echarts.min"), "utf8");
  // An inline script ends at the first "</script": keep the bundle from ever closing its own tag.
  return source.replace(/<\/script/gi, "<\\/script");
}

export interface WrittenReport {
  dir: string;
  summaryPath: string;
  /** null with `html: false` */
  htmlPath: string | null;
}

/** Writes summary.json and (unless `html` is false) report.html into `dir`, creating it. */
export async function writeReport(
  dir: string,
  run: DemoRun,
  summary: DemoSummary,
  options: { html?: boolean } = {},
): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const summaryPath = path.join(dir, "summary.json");
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  if (options.html === false) return { dir, summaryPath, htmlPath: null };
  const htmlPath = path.join(dir, "report.html");
  await writeFile(htmlPath, renderReportPage(reportData(run, summary), await echartsSource()));
  return { dir, summaryPath, htmlPath };
}
