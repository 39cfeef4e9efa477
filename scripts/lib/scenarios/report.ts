/** Text for scenario results: one line per scenario, the `all` table, and the checks behind a verdict. */
import type { ScenarioResult } from "./types.js";

const usd = (value: number) =>
  `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const bps = (value: number | null) => (value === null ? "-" : `${value >= 0 ? "+" : ""}${value.toFixed(1)} bps`);
const verdict = (r: ScenarioResult) => r.status.toUpperCase();

function deltaVsBand(r: ScenarioResult): string {
  if (r.finalAbsDeltaEth === null || r.bandEth === null) return "-";
  return `${r.finalAbsDeltaEth.toFixed(2)} / ${r.bandEth.toFixed(2)} ETH`;
}

/** `crash  PASS  hedges 7  |Δ| 1.20 / 5.00 ETH  cost $812.40 (fees+slippage $790.11, gas $22.29)  worst +9.8 bps  (21.3s)` */
export function formatResultLine(r: ScenarioResult): string {
  if (r.status === "skip") return `${r.name}  SKIP  skipped: ${r.reason}`;
  const t = r.trades;
  const parts = [
    r.name,
    verdict(r),
    `hedges ${t?.hedges ?? "-"}`,
    `|Δ| ${deltaVsBand(r)}`,
    t ? `cost ${usd(t.totalCostUsd)} (fees+slippage ${usd(t.feesAndSlippageUsd)}, gas ${usd(t.gasUsd)})` : "cost -",
    `worst ${bps(t?.worstVsOracleBps ?? null)}`,
    `(${seconds(r.durationMs)})`,
  ];
  const why = failureSummary(r);
  return parts.join("  ") + (why ? `  — ${why}` : "");
}

/** The first reason a result failed, in a few words; empty for a pass. */
export function failureSummary(r: ScenarioResult): string {
  if (r.status !== "fail") return "";
  const failed = r.checks.filter((c) => !c.ok);
  if (r.reason !== null) return r.reason;
  return failed.map((c) => c.name).join("; ");
}

/** Every check of a result, one per line, with its detail. */
export function formatChecks(r: ScenarioResult, indent = "    "): string[] {
  const lines = r.checks.map((c) => `${indent}${c.ok ? "ok  " : "FAIL"} ${c.name}${c.detail ? `: ${c.detail}` : ""}`);
  for (const note of r.notes) lines.push(`${indent}note ${note}`);
  if (r.reason !== null && r.status !== "skip") lines.push(`${indent}stopped: ${r.reason}`);
  return lines;
}

/** The `all` table: a header, one row per scenario, and a totals line. */
export function formatTable(results: readonly ScenarioResult[], title: string): string[] {
  const header = [
    "scenario",
    "result",
    "hedges",
    "final |Δ| / band",
    "total cost",
    "fees+slip",
    "gas",
    "worst vs oracle",
    "time",
  ];
  const rows = results.map((r) => {
    const t = r.trades;
    return [
      r.name,
      verdict(r),
      t ? String(t.hedges) : "-",
      deltaVsBand(r),
      t ? usd(t.totalCostUsd) : "-",
      t ? usd(t.feesAndSlippageUsd) : "-",
      t ? usd(t.gasUsd) : "-",
      bps(t?.worstVsOracleBps ?? null),
      r.status === "skip" ? "-" : seconds(r.durationMs),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const count = (status: ScenarioResult["status"]) => results.filter((r) => r.status === status).length;
  const out = [title, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  for (const r of results) {
    if (r.status === "skip") out.push(`${r.name}: skipped: ${r.reason}`);
    else if (r.status === "fail") out.push(`${r.name}: FAILED: ${failureSummary(r)}`);
  }
  const total = results.reduce((sum, r) => sum + r.durationMs, 0);
  out.push(`${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped (${seconds(total)})`);
  return out;
}
