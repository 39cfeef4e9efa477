/**
 * Renders recorded bench results as `SUMMARY.md` (a table per section) and `index.html` (a self-contained page
 * with inline SVG charts: no scripts, no network).
 */
import type { Chart, Figure, RecordedResult, Table } from "./section.js";

/** 3 significant digits below 1,000, thousands separators above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs === 0) return "0";
  return String(Number(value.toPrecision(3)));
}

function formatCell(cell: string | number): string {
  return typeof cell === "number" ? formatNumber(cell) : cell;
}

function withUnit(value: number, unit: string): string {
  return unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

function goalText(f: Figure): string {
  if (f.goal === undefined) return "";
  return `${f.goal.text}: ${f.goal.met ? "**met**" : "**not met**"}`;
}

function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    `| ${columns.map(escape).join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ];
  return lines.join("\n");
}

function figureRows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    f.note === undefined ? f.label : `${f.label} (${f.note})`,
    withUnit(f.value, f.unit),
    `${f.baseline.label}: ${withUnit(f.baseline.value, f.baseline.unit)}`,
    formatNumber(f.ratio),
    goalText(f),
  ]);
}

function metaLine(r: RecordedResult): string {
  const m = r.meta;
  return (
    `_Command: \`${m.command}\` · ${m.quick ? "quick run" : "full run"} · seed ${m.seed} · ${m.threads} thread(s) of ` +
    `${m.cpus} CPU(s) · Node ${m.node} · ${m.startedAt} · ${formatNumber(m.durationSec)} s_`
  );
}

function tableMarkdown(t: Table): string {
  const parts = [
    `#### ${t.title}`,
    "",
    markdownTable(
      t.columns,
      t.rows.map((row) => row.map(formatCell)),
    ),
  ];
  if (t.note !== undefined) parts.push("", t.note);
  return parts.join("\n");
}

/** SUMMARY.md: per section, its command, summary, figures (value, baseline, ratio, goal), tables and notes. */
/** Every figure that carries a goal, one line each, with the run it came from: the verdicts without the detail. */
function goalsAtAGlance(results: readonly RecordedResult[]): string[] {
  const rows = results.flatMap((r) =>
    r.figures
      .filter((f) => f.goal !== undefined)
      .map((f) => [
        `\`${r.name}\``,
        f.label,
        withUnit(f.value, f.unit),
        `${formatNumber(f.ratio)} (vs ${f.baseline.label})`,
        f.goal!.text,
        f.goal!.met ? "met" : "**not met**",
        r.meta.quick ? "quick" : "full",
      ]),
  );
  if (rows.length === 0) return [];
  const met = rows.filter((row) => row[5] === "met").length;
  const metas = results.map((r) => r.meta);
  const unique = (values: string[]) => [...new Set(values)].join("; ");
  const totalSec = metas.reduce((sum, m) => sum + m.durationSec, 0);
  return [
    "",
    "## Goals at a glance",
    "",
    `Produced by ${unique(metas.map((m) => `\`${m.command}\``))} (${unique(metas.map((m) => (m.quick ? "quick run" : "full run")))}) ` +
      `on ${unique(metas.map((m) => `${m.cpus} CPU(s), ${m.platform}, Node ${m.node}`))}, started ` +
      `${unique(metas.map((m) => m.startedAt.slice(0, 10)))}; sections took ${formatNumber(totalSec / 60)} min in all.`,
    "",
    `${met} of ${rows.length} goals met. Details, method and caveats in each section below.`,
    "",
    markdownTable(["section", "figure", "value", "ratio", "goal", "verdict", "run"], rows),
  ];
}

export function renderSummaryMarkdown(results: readonly RecordedResult[]): string {
  const out = [
    "# Benchmark results",
    "",
    "Written by `npm run bench`; do not edit by hand. Each figure is a ratio against a baseline measured in the same",
    "run. Charts: `bench/results/index.html` (generated next to this file, not committed).",
  ];
  out.push(...goalsAtAGlance(results));
  for (const r of results) {
    out.push("", `## ${r.title} (\`${r.name}\`)`, "", metaLine(r), "", r.summary, "");
    out.push(markdownTable(["figure", "value", "baseline", "ratio", "goal"], figureRows(r.figures)));
    for (const t of r.tables) if (t.detail !== true) out.push("", tableMarkdown(t));
    if (r.notes.length > 0) out.push("", "Notes:", "", ...r.notes.map((n) => `- ${n}`));
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- HTML

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The little markdown the results use: `code`, **bold**, _italic_. */
function inlineMarkdown(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>")
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g, "$1<i>$2</i>");
}

function htmlTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = columns.map((c) => `<th>${inlineMarkdown(c)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${inlineMarkdown(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"];

interface Axis {
  toPx: (v: number) => number;
  ticks: number[];
}

function niceLinearTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 3 ? [1] : decades > 1.2 ? [1, 2, 5] : [1, 1.5, 2, 3, 5, 7];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const t = m * 10 ** e;
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(Number(t.toPrecision(6)));
    }
  }
  return ticks;
}

function axis(values: number[], log: boolean, pxFrom: number, pxTo: number): Axis {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    lo /= 1.15;
    hi *= 1.15;
    const [a, b] = [Math.log(lo), Math.log(hi)];
    return { toPx: (v) => pxFrom + ((Math.log(v) - a) / (b - a)) * (pxTo - pxFrom), ticks: logTicks(lo, hi) };
  }
  const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  return { toPx: (v) => pxFrom + ((v - lo) / (hi - lo)) * (pxTo - pxFrom), ticks: niceLinearTicks(lo, hi, 6) };
}

/** One chart as an inline SVG (640×400; axes, ticks, series, legend). */
export function renderChartSvg(chart: Chart): string {
  const width = 640;
  const height = 400;
  const margin = { left: 70, right: 170, top: 30, bottom: 50 };
  const points = chart.series.flatMap((s) => s.points);
  const xs = points.map((p) => p[0]).filter((v) => Number.isFinite(v) && (!chart.logX || v > 0));
  const ys = points.map((p) => p[1]).filter((v) => Number.isFinite(v) && (!chart.logY || v > 0));
  if (xs.length === 0 || ys.length === 0) return `<p>(no data for ${escapeHtml(chart.title)})</p>`;
  const x = axis(xs, chart.logX === true, margin.left, width - margin.right);
  const y = axis(ys, chart.logY === true, height - margin.bottom, margin.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<text x="${width / 2 - margin.right / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeHtml(chart.title)}</text>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${width - margin.left - margin.right}" height="${height - margin.top - margin.bottom}" fill="none" stroke="#999"/>`,
  ];
  for (const t of x.ticks) {
    const px = x.toPx(t).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#eee"/>`,
      `<text x="${px}" y="${height - margin.bottom + 16}" text-anchor="middle" font-size="11">${formatNumber(t)}</text>`,
    );
  }
  for (const t of y.ticks) {
    const py = y.toPx(t).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${py}" y2="${py}" stroke="#eee"/>`,
      `<text x="${margin.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" font-size="11">${formatNumber(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${(margin.left + width - margin.right) / 2}" y="${height - 12}" text-anchor="middle" font-size="12">${escapeHtml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(chart.yLabel)}</text>`,
  );
  let legendRow = 0;
  chart.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const visible = s.points.filter(
      ([px, py]) => Number.isFinite(px) && Number.isFinite(py) && (!chart.logX || px > 0) && (!chart.logY || py > 0),
    );
    const coords = visible.map(([px, py]) => `${x.toPx(px).toFixed(1)},${y.toPx(py).toFixed(1)}`);
    if (s.line === true && coords.length > 1) {
      const dash = s.dashed === true ? ` stroke-dasharray="5 4"` : "";
      parts.push(`<polyline points="${coords.join(" ")}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`);
    }
    if (s.markers !== false) {
      for (const c of coords) {
        const [cx, cy] = c.split(",");
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
      }
    }
    if (s.legend === false) return;
    const ly = margin.top + 10 + legendRow++ * 18;
    parts.push(
      `<rect x="${width - margin.right + 12}" y="${ly - 5}" width="10" height="10" fill="${color}"/>`,
      `<text x="${width - margin.right + 28}" y="${ly}" dominant-baseline="middle" font-size="11">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** index.html: every section with its figures, charts and tables. */
export function renderHtml(results: readonly RecordedResult[]): string {
  const sections = results.map((r) => {
    const m = r.meta;
    const tables = r.tables.map((t: Table) => {
      const note = t.note === undefined ? "" : `<p class="note">${inlineMarkdown(t.note)}</p>`;
      return `<h4>${inlineMarkdown(t.title)}</h4>\n${htmlTable(
        t.columns,
        t.rows.map((row) => row.map(formatCell)),
      )}${note}`;
    });
    const notes = r.notes.map((n) => `<li>${inlineMarkdown(n)}</li>`).join("\n");
    return [
      `<section id="${escapeHtml(r.name)}">`,
      `<h2>${escapeHtml(r.title)}</h2>`,
      `<p class="meta">Command: <code>${escapeHtml(m.command)}</code> · ${m.quick ? "quick run" : "full run"} · seed ${m.seed} · ${m.threads} thread(s) · Node ${escapeHtml(m.node)} · ${escapeHtml(m.startedAt)} · ${formatNumber(m.durationSec)} s</p>`,
      `<p>${inlineMarkdown(r.summary)}</p>`,
      htmlTable(["figure", "value", "baseline", "ratio", "goal"], figureRows(r.figures)),
      `<div class="charts">${r.charts.map(renderChartSvg).join("\n")}</div>`,
      ...tables,
      notes === "" ? "" : `<h4>Notes</h4><ul>${notes}</ul>`,
      "</section>",
    ].join("\n");
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Hedgekeeper benchmarks</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f3f3f3; }
.meta, .note { color: #666; font-size: 0.85rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
code { background: #f3f3f3; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>Hedgekeeper benchmarks</h1>
<p>Generated by <code>npm run bench</code>. Each figure is a ratio against a baseline measured in the same run.</p>
${sections.join("\n")}
</body>
</html>
`;
}
