/**
 * The numbers of a demo run (summary.json) and the table printed at its end. Pure over a `DemoRun`.
 */
import { signed, usd } from "./format.js";
import type { DemoRun, StepRecord } from "./record.js";

export interface DemoSummary {
  startedAt: string;
  durationSec: number;
  deploySec: number;
  seed: number;
  policy: string;
  /** steps run after the initial cycle (each: one oracle answer, one arbitrage, one keeper cycle) */
  blocks: number;
  blocksRequested: number;
  stepSec: number;
  volAnnual: number;
  jumps: number;
  interrupted: boolean;
  chain: { firstBlock: number | null; lastBlock: number | null };
  book: DemoRun["book"];
  /** hedges the keeper reported as succeeded */
  hedges: number;
  /** Hedged events in the adapter's logs */
  hedgesOnChain: number;
  /** hedges the keeper decided that did not succeed (refused in simulation, reverted, deferred, …) */
  hedgesNotDone: number;
  bandEth: number | null;
  finalNetDeltaEth: number | null;
  finalAbsNetDeltaEth: number | null;
  finalOnChainNetDeltaEth: number | null;
  finalWithinBand: boolean | null;
  /** why the final net delta is outside the band (the last cycle's reason), null when inside */
  finalReason: string | null;
  /** largest |net delta| the hedged vault carried at any block (before that block's hedge) */
  maxAbsNetDeltaEth: number;
  maxAbsUnhedgedDeltaEth: number;
  costsUsd: { poolFee: number; slippage: number; gas: number; total: number };
  pnlUsd: { hedged: number; unhedged: number; hedgedNetOfGas: number };
  /** Σ of the per-step hedge error (hedged P&L before trading costs), and its per-step RMS */
  hedgeErrorUsd: { total: number; rmsPerStep: number };
  /** execution vs oracle, pool fee included; positive = worse for the vault */
  worstSlippageBps: number | null;
  meanSlippageBps: number | null;
  priceUsd: { start: number | null; end: number | null; min: number | null; max: number | null };
  /** how often each hold reason or gate came up */
  holdReasons: Record<string, number>;
  /** stretches of consecutive blocks the keeper held with |net delta| outside the band, with the reason it gave */
  heldOutsideBand: HeldPeriod[];
  failures: DemoRun["failures"];
  /** why the run stopped on its own before the last block, null when it did not */
  fatalError: string | null;
}

export interface HeldPeriod {
  fromStep: number;
  toStep: number;
  blocks: number;
  /** the hold reason or gate(s) of the stretch (a change of reason starts a new stretch) */
  reason: string;
  /** the first block's detail: the amounts behind the reason */
  detail: string;
  maxAbsNetDeltaEth: number;
}

/** Consecutive held steps with |Δ| outside the band, grouped by reason: when and why the vault carried risk. */
export function heldPeriods(steps: readonly StepRecord[]): HeldPeriod[] {
  const periods: HeldPeriod[] = [];
  let open: HeldPeriod | null = null;
  for (const s of steps) {
    const heldOutside = s.decision === "hold" && Math.abs(s.netDeltaEth) > s.bandEth;
    if (!heldOutside || open?.reason !== s.reason || open.toStep !== s.step - 1) open = null;
    if (!heldOutside) continue;
    if (open === null) {
      open = { fromStep: s.step, toStep: s.step, blocks: 0, reason: s.reason, detail: s.detail, maxAbsNetDeltaEth: 0 };
      periods.push(open);
    }
    open.toStep = s.step;
    open.blocks += 1;
    open.maxAbsNetDeltaEth = Math.max(open.maxAbsNetDeltaEth, Math.abs(s.netDeltaEth));
  }
  return periods;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
const maxAbs = (values: readonly number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function finalReason(last: StepRecord, run: DemoRun): string | null {
  if (Math.abs(last.netDeltaEth) <= last.bandEth) return null;
  if (last.decision === "hedge" && last.outcome === "succeeded") {
    return `hedge episode in progress: one leg per block, ${last.netDeltaEth.toFixed(3)} ETH left after the last leg`;
  }
  const why = `${last.reason}: ${last.detail}`;
  return run.interrupted ? `interrupted; last cycle held (${why})` : why;
}

export function summarize(run: DemoRun): DemoSummary {
  const { steps, hedges, options } = run;
  const first = steps[0];
  const last = steps[steps.length - 1];
  const prices = steps.map((s) => s.oracleUsd);
  const slippages = hedges.map((h) => h.slippageBps);
  const holdReasons: Record<string, number> = {};
  for (const s of steps) if (s.decision === "hold") holdReasons[s.reason] = (holdReasons[s.reason] ?? 0) + 1;
  const costs = last ?? { poolFeeUsd: 0, slippageUsd: 0, gasUsd: 0 };
  const errors = steps.slice(1).map((s) => s.hedgeErrorUsd);
  return {
    startedAt: run.startedAt,
    durationSec: round(run.durationSec, 2),
    deploySec: round(run.deploySec, 2),
    seed: options.seed,
    policy: options.policy,
    blocks: Math.max(0, (last?.step ?? 0) - (first?.step ?? 0)),
    blocksRequested: options.blocks,
    stepSec: options.stepSec,
    volAnnual: options.vol,
    jumps: options.jumps,
    interrupted: run.interrupted,
    chain: { firstBlock: first?.block ?? null, lastBlock: last?.block ?? null },
    book: run.book,
    hedges: hedges.length,
    hedgesOnChain: run.hedgesOnChain,
    hedgesNotDone: steps.filter((s) => s.decision === "hedge" && s.outcome !== "succeeded").length,
    bandEth: last?.bandEth ?? null,
    finalNetDeltaEth: last?.netDeltaEth ?? null,
    finalAbsNetDeltaEth: last ? Math.abs(last.netDeltaEth) : null,
    finalOnChainNetDeltaEth: run.finalOnChainNetDeltaEth,
    finalWithinBand: last ? Math.abs(last.netDeltaEth) <= last.bandEth : null,
    finalReason: last ? finalReason(last, run) : null,
    maxAbsNetDeltaEth: Math.max(maxAbs(steps.map((s) => s.netDeltaBeforeEth)), maxAbs(steps.map((s) => s.netDeltaEth))),
    maxAbsUnhedgedDeltaEth: maxAbs(steps.map((s) => s.unhedgedDeltaEth)),
    costsUsd: {
      poolFee: costs.poolFeeUsd,
      slippage: costs.slippageUsd,
      gas: costs.gasUsd,
      total: costs.poolFeeUsd + costs.slippageUsd + costs.gasUsd,
    },
    pnlUsd: {
      hedged: last?.pnlHedgedUsd ?? 0,
      unhedged: last?.pnlUnhedgedUsd ?? 0,
      hedgedNetOfGas: (last?.pnlHedgedUsd ?? 0) - costs.gasUsd,
    },
    hedgeErrorUsd: {
      total: sum(errors),
      rmsPerStep: errors.length > 0 ? Math.sqrt(sum(errors.map((e) => e * e)) / errors.length) : 0,
    },
    worstSlippageBps: slippages.length > 0 ? Math.max(...slippages) : null,
    meanSlippageBps: slippages.length > 0 ? sum(slippages) / slippages.length : null,
    priceUsd: {
      start: first?.oracleUsd ?? null,
      end: last?.oracleUsd ?? null,
      min: prices.length > 0 ? Math.min(...prices) : null,
      max: prices.length > 0 ? Math.max(...prices) : null,
    },
    holdReasons,
    heldOutsideBand: heldPeriods(steps),
    failures: run.failures,
    fatalError: run.fatalError,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

const eth = (value: number | null, withSign = false) =>
  value === null ? "n/a" : `${withSign ? signed(value, 3) : value.toFixed(3)} ETH`;

/** The end-of-run table, plain text (no colours: it may go to a file). */
export function summaryTable(s: DemoSummary, reportPath: string | null): string {
  const rows: [string, string][] = [
    ["run", `${s.blocks}/${s.blocksRequested} blocks × ${s.stepSec} s${s.interrupted ? " (interrupted)" : ""}`],
    ["market", `seed ${s.seed}, vol ${(s.volAnnual * 100).toFixed(0)}%, jumps ${s.jumps}`],
    ["book", `${s.book.series} series: ${s.book.shortEth.toFixed(1)} ETH short, ${s.book.longEth.toFixed(1)} long`],
    ["policy", s.policy],
    [
      "ETH price",
      s.priceUsd.start === null
        ? "n/a"
        : `${usd(s.priceUsd.start)} → ${usd(s.priceUsd.end!)}` +
          ` (min ${usd(s.priceUsd.min!)}, max ${usd(s.priceUsd.max!)})`,
    ],
    [
      "hedges",
      `${s.hedges} (on chain: ${s.hedgesOnChain}${s.hedgesNotDone > 0 ? `, not done: ${s.hedgesNotDone}` : ""})`,
    ],
    [
      "final net delta",
      `${eth(s.finalNetDeltaEth, true)}, band ±${s.bandEth ?? "n/a"} ETH` +
        (s.finalWithinBand === false ? ` (outside: ${s.finalReason})` : ""),
    ],
    ["max |net delta|", `${eth(s.maxAbsNetDeltaEth)} hedged, ${eth(s.maxAbsUnhedgedDeltaEth)} unhedged`],
    [
      "costs",
      `${usd(s.costsUsd.total)}: pool fee ${usd(s.costsUsd.poolFee)}, slippage ${usd(s.costsUsd.slippage)}, ` +
        `gas ${usd(s.costsUsd.gas)}`,
    ],
    [
      "worst slippage",
      s.worstSlippageBps === null ? "n/a" : `${s.worstSlippageBps.toFixed(1)} bps vs oracle (fee included)`,
    ],
    ["P&L hedged", `${usd(s.pnlUsd.hedged)} (net of keeper gas ${usd(s.pnlUsd.hedgedNetOfGas)})`],
    ["P&L unhedged", usd(s.pnlUsd.unhedged)],
    ["time", `${s.durationSec.toFixed(1)} s (deploy ${s.deploySec.toFixed(1)} s)`],
  ];
  const held = s.heldOutsideBand;
  if (held.length > 0) {
    const blocksByReason = new Map<string, number>();
    for (const p of held) blocksByReason.set(p.reason, (blocksByReason.get(p.reason) ?? 0) + p.blocks);
    const byReason = [...blocksByReason].map(([reason, blocks]) => `${reason} ${blocks}`).join(", ");
    rows.push(["held outside band", `${held.length} period(s), blocks by reason: ${byReason}`]);
  }
  if (s.fatalError !== null) rows.push(["stopped", s.fatalError]);
  if (s.failures.length > 0) rows.push(["failed steps", s.failures.map((f) => `#${f.step}: ${f.error}`).join("; ")]);
  if (reportPath !== null) rows.push(["report", reportPath]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}
