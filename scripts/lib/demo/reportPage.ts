/**
 * The HTML of a demo report: key figures and the hedge table rendered here, the five charts drawn in the page by
 * ECharts (inlined by the caller) from the run's data, which the page carries as JSON.
 */
import { signed, usd } from "./format.js";
import type { HedgeRecord } from "./record.js";
import type { DemoSummary } from "./summary.js";

export interface ReportStep {
  step: number;
  block: number;
  hour: number;
  oracleUsd: number;
  poolUsd: number;
  bandEth: number;
  unhedgedDeltaEth: number;
  netDeltaBeforeEth: number;
  netDeltaEth: number;
  reason: string;
  detail: string;
  poolFeeUsd: number;
  slippageUsd: number;
  gasUsd: number;
  hedgeErrorUsd: number;
  pnlHedgedUsd: number;
  pnlUnhedgedUsd: number;
}

/** A hedge as the page shows it: the run's record (minus the pool price after it) and its hour into the run. */
export type ReportHedge = Omit<HedgeRecord, "poolPriceAfterUsd"> & { hour: number };

export interface ReportData {
  summary: DemoSummary;
  steps: ReportStep[];
  hedges: ReportHedge[];
  /** hedges the keeper decided that did not go through */
  refused: { step: number; block: number; outcome: string; detail: string }[];
  /** the keeper's warning and error messages, each with how often it was logged */
  keeperWarnings: { message: string; count: number }[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function card(label: string, value: string, note: string, tone: "" | "good" | "bad" = ""): string {
  return (
    `<div class="card ${tone}"><div class="label">${escapeHtml(label)}</div>` +
    `<div class="value">${escapeHtml(value)}</div><div class="note">${escapeHtml(note)}</div></div>`
  );
}

function cards(s: DemoSummary): string {
  return [
    card("Hedges", String(s.hedges), `${s.hedgesOnChain} Hedged events on chain`),
    card(
      "Final net delta",
      `${signed(s.finalNetDeltaEth, 2)} ETH`,
      `band ±${s.bandEth ?? "n/a"} ETH` + (s.finalWithinBand === false ? ` — outside: ${s.finalReason}` : ""),
      s.finalWithinBand === false ? "bad" : "good",
    ),
    card(
      "Max |net delta|",
      `${s.maxAbsNetDeltaEth.toFixed(2)} ETH`,
      `unhedged book: ${s.maxAbsUnhedgedDeltaEth.toFixed(2)} ETH`,
    ),
    card(
      "Hedging cost",
      usd(s.costsUsd.total),
      `fee ${usd(s.costsUsd.poolFee)} · slippage ${usd(s.costsUsd.slippage)} · gas ${usd(s.costsUsd.gas)}`,
    ),
    card(
      "Worst slippage",
      s.worstSlippageBps === null ? "n/a" : `${s.worstSlippageBps.toFixed(1)} bps`,
      "execution vs oracle, 5 bps pool fee included",
    ),
    card(
      "Vault P&L hedged",
      usd(s.pnlUsd.hedged),
      `unhedged ${usd(s.pnlUsd.unhedged)} on the same path`,
      s.pnlUsd.hedged >= s.pnlUsd.unhedged ? "good" : "",
    ),
  ].join("\n");
}

function hedgeTable(hedges: readonly ReportHedge[]): string {
  if (hedges.length === 0) return `<p class="empty">No hedge in this run: the net delta stayed inside the band.</p>`;
  const head = [
    "#",
    "block",
    "hour",
    "side",
    "WETH",
    "USDC",
    "execution",
    "oracle",
    "slippage",
    "pool fee",
    "slippage $",
    "gas",
    "Δ before → after",
  ];
  const rows = hedges.map((h, i) =>
    [
      String(i + 1),
      String(h.block),
      h.hour.toFixed(2),
      h.side === "buyWeth" ? "buy WETH" : "sell WETH",
      h.wethEth.toFixed(3),
      h.usdc.toLocaleString("en-US", { maximumFractionDigits: 0 }),
      usd(h.executionPriceUsd),
      usd(h.oraclePriceUsd),
      `${h.slippageBps.toFixed(1)} bps`,
      usd(h.poolFeeUsd),
      usd(h.slippageUsd),
      usd(h.gasUsd),
      `${signed(h.deltaBeforeEth, 2)} → ${signed(h.deltaAfterEth, 2)}`,
    ]
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join(""),
  );
  return (
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r}</tr>`).join("\n")}</tbody></table>`
  );
}

function notes(data: ReportData): string {
  const s = data.summary;
  const reasons = Object.entries(s.holdReasons)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${escapeHtml(reason)} ${count}`)
    .join(" · ");
  const items = [`Holds by reason: ${reasons || "none"}.`];
  for (const p of s.heldOutsideBand) {
    items.push(
      `Held outside the band at steps ${p.fromStep}–${p.toStep} (${p.blocks} block${p.blocks === 1 ? "" : "s"}, ` +
        `|Δ| up to ${p.maxAbsNetDeltaEth.toFixed(3)} ETH): ${escapeHtml(p.reason)} — ${escapeHtml(p.detail)}.`,
    );
  }
  for (const r of data.refused) {
    items.push(`Block ${r.block} (step ${r.step}): hedge ${escapeHtml(r.outcome)} — ${escapeHtml(r.detail)}.`);
  }
  for (const w of data.keeperWarnings) items.push(`Keeper log (${w.count}×): ${escapeHtml(w.message)}`);
  for (const f of s.failures) items.push(`Step ${f.step} failed: ${escapeHtml(f.error)}.`);
  if (s.fatalError !== null) items.push(`The run stopped early: ${escapeHtml(s.fatalError)}.`);
  if (s.interrupted) items.push(`Interrupted after ${s.blocks} of ${s.blocksRequested} blocks (Ctrl-C).`);
  return items.map((item) => `<li>${item}</li>`).join("\n");
}

const STYLE = `
:root { --fg: #1d2330; --muted: #5f6b7d; --line: #e3e7ee; --good: #1a7f4b; --bad: #b3261e; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 2px; }
.sub, .note, figcaption { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 20px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; margin: 2px 0; font-variant-numeric: tabular-nums; }
.card .note { font-size: 12px; }
.card.good .value { color: var(--good); }
.card.bad .value { color: var(--bad); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px; }
figcaption { font-size: 12px; margin-bottom: 6px; }
.chart { width: 100%; height: 300px; }
figure.wide { grid-column: 1 / -1; }
section { margin-top: 24px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line);
  font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:nth-child(4), td:nth-child(4) { text-align: left; }
th { background: #eef2f7; font-weight: 600; }
ul { padding-left: 20px; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
`;

/** Draws the charts from the JSON block; plain ES5 so any browser that runs ECharts runs it. */
const CLIENT = `
(function () {
  var data = JSON.parse(document.getElementById("demo-data").textContent);
  var steps = data.steps, hedges = data.hedges;
  var lastHour = steps.length ? steps[steps.length - 1].hour : 1;
  function points(key) { return steps.map(function (s) { return [s.hour, s[key]]; }); }
  function sum(keys) { return steps.map(function (s) { var t = 0; keys.forEach(function (k) { t += s[k]; }); return [s.hour, t]; }); }
  function fmt(v) { return typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 2 }) : v; }
  function line(name, values, extra) {
    return Object.assign({ name: name, type: "line", data: values, showSymbol: false, lineStyle: { width: 1.6 } }, extra || {});
  }
  function hedgeMarks(name, side, y, color, rotate) {
    return { name: name, type: "scatter", symbol: "triangle", symbolRotate: rotate, symbolSize: 11, itemStyle: { color: color },
      data: hedges.filter(function (h) { return h.side === side; }).map(function (h) { return [h.hour, y(h)]; }), z: 5 };
  }
  var charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({
      animation: false,
      color: ["#2f6fde", "#e8833a", "#7b8794", "#1a7f4b", "#b3261e"],
      grid: { left: 70, right: 60, top: 48, bottom: 44 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "value", name: "hours", nameLocation: "middle", nameGap: 26, min: 0, max: lastHour }
    }, option));
    charts.push(chart);
  }
  draw("chart-price", {
    yAxis: { type: "value", name: "USD", scale: true },
    series: [
      line("oracle", points("oracleUsd")),
      line("pool", points("poolUsd"), { lineStyle: { width: 1, type: "dashed" } }),
      hedgeMarks("buy WETH", "buyWeth", function (h) { return h.executionPriceUsd; }, "#1a7f4b", 0),
      hedgeMarks("sell WETH", "sellWeth", function (h) { return h.executionPriceUsd; }, "#b3261e", 180)
    ]
  });
  // The hedged delta drifts with the market to the next keeper cycle, then a hedge drops it: both points per block.
  var hedgedPath = [];
  steps.forEach(function (s) {
    hedgedPath.push([s.hour, s.netDeltaBeforeEth]);
    if (s.netDeltaEth !== s.netDeltaBeforeEth) hedgedPath.push([s.hour, s.netDeltaEth]);
  });
  var band = { lineStyle: { width: 1, type: "dashed", color: "#7b8794" }, itemStyle: { color: "#7b8794" } };
  draw("chart-delta", {
    yAxis: { type: "value", name: "ETH" },
    series: [
      line("hedged", hedgedPath, { lineStyle: { width: 2 } }),
      line("unhedged", points("unhedgedDeltaEth"), { lineStyle: { width: 1.4, color: "#e8833a" } }),
      line("band", points("bandEth"), band),
      line("band", steps.map(function (s) { return [s.hour, -s.bandEth]; }), band),
      hedgeMarks("buy WETH", "buyWeth", function (h) { return h.deltaBeforeEth; }, "#1a7f4b", 0),
      hedgeMarks("sell WETH", "sellWeth", function (h) { return h.deltaBeforeEth; }, "#b3261e", 180)
    ]
  });
  var area = { stack: "cost", areaStyle: { opacity: 0.35 }, step: "end" };
  draw("chart-cost", {
    yAxis: { type: "value", name: "USD" },
    series: [
      line("pool fee", points("poolFeeUsd"), area),
      line("slippage vs oracle", points("slippageUsd"), area),
      line("gas", points("gasUsd"), area)
    ]
  });
  var cumulative = 0;
  draw("chart-error", {
    yAxis: [{ type: "value", name: "USD per block" }, { type: "value", name: "USD, cumulative", splitLine: { show: false } }],
    series: [
      { name: "hedge error per block", type: "bar", data: points("hedgeErrorUsd"), itemStyle: { color: "#9db7e8" }, barMaxWidth: 4 },
      line("cumulative", steps.map(function (s) { cumulative += s.hedgeErrorUsd; return [s.hour, cumulative]; }),
        { yAxisIndex: 1, lineStyle: { width: 2, color: "#2f6fde" }, itemStyle: { color: "#2f6fde" } })
    ]
  });
  draw("chart-pnl", {
    yAxis: { type: "value", name: "USD" },
    series: [
      line("hedged", points("pnlHedgedUsd"), { lineStyle: { width: 2 } }),
      line("unhedged", points("pnlUnhedgedUsd")),
      line("hedged, net of keeper gas", steps.map(function (s) { return [s.hour, s.pnlHedgedUsd - s.gasUsd]; }),
        { lineStyle: { width: 1, type: "dashed" } })
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute("data-charts-rendered", String(charts.length));
})();
`;

/** The whole page. `echartsJs` is ECharts' browser bundle, already made safe to inline. */
export function renderReportPage(data: ReportData, echartsJs: string): string {
  const s = data.summary;
  const title = `Hedgekeeper demo — ${s.policy} policy, seed ${s.seed}`;
  const subtitle =
    `${s.blocks}${s.interrupted ? ` of ${s.blocksRequested}` : ""} blocks, ${s.stepSec} s apart · ` +
    `path vol ${(s.volAnnual * 100).toFixed(0)}%${s.jumps > 0 ? `, ~${s.jumps} jumps` : ""} · ` +
    `${s.book.series} series (${s.book.shortEth.toFixed(0)} ETH short, ${s.book.longEth.toFixed(0)} long) · ` +
    `run ${s.startedAt}`;
  // JSON inside <script>: "<" escaped so no string in the data can close the tag.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const figure = (id: string, heading: string, caption: string, wide = false) =>
    `<figure${wide ? ' class="wide"' : ""}><h2>${heading}</h2><figcaption>${caption}</figcaption><div class="chart" id="${id}"></div></figure>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<div class="sub">${escapeHtml(subtitle)}</div>
<div class="cards">
${cards(s)}
</div>
<div class="charts">
${figure("chart-price", "ETH price", "The Chainlink feed follows the seeded path; an arbitrageur trades the pool back to it every block. Triangles: the keeper's hedges at their execution price (▲ buy WETH, ▼ sell).")}
${figure("chart-delta", "Net delta and the band", "Hedged: the vault's options delta plus its WETH, as the keeper found it each block and after its hedge. Unhedged: the same book with its initial WETH frozen. Triangles: where a hedge fired.")}
${figure("chart-cost", "Cumulative hedging cost", "Pool fee (0.05% of the input), slippage against the oracle beyond the fee (price impact, pool vs feed), and the keeper's gas at the oracle price.")}
${figure("chart-error", "Hedge error", "The hedged vault's P&amp;L over each block before trading costs: what the residual delta, gamma and time decay made or lost.")}
${figure("chart-pnl", "Vault P&amp;L, hedged vs unhedged", "Mark-to-market since the start: options by Black–Scholes at the oracle (each series' own vol), WETH at the oracle, USDC at par. Unhedged: the same book with its initial WETH and USDC frozen.", true)}
</div>
<section>
<h2>Hedges</h2>
${hedgeTable(data.hedges)}
</section>
<section>
<h2>Notes</h2>
<ul>
${notes(data)}
</ul>
</section>
<footer>Generated by <code>npm start</code> (scripts/demo.ts) in ${s.durationSec.toFixed(1)} s. The numbers are in summary.json next to this file.</footer>
</main>
<script type="application/json" id="demo-data">${json}</script>
<script>${echartsJs}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
