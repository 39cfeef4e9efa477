/**
 * Live progress of a demo run on a terminal: one line rewritten in place per block on a TTY; on a pipe or a CI log,
 * plain lines for the blocks where something happened (a hedge, a gate, a refused hedge) and every tenth of the run.
 */
import { signed } from "./format.js";
import type { DemoRun, StepRecord } from "./record.js";

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  phase(message: string): void;
  step(record: StepRecord, run: DemoRun): void;
  /** clears the live line (before the summary is printed) */
  done(): void;
}

/** One compact line: block, price, net delta vs band, hedges, cost so far, P&L. */
export function progressLine(record: StepRecord, run: DemoRun): string {
  const blocks = run.options.blocks;
  const cost = record.poolFeeUsd + record.slippageUsd + record.gasUsd;
  const width = String(blocks).length;
  const event =
    record.hedgeIndex !== null
      ? `hedged ${signed(record.netDeltaBeforeEth, 2)} → ${signed(record.netDeltaEth, 2)}`
      : record.outcome !== null
        ? `hedge ${record.outcome}`
        : record.reason;
  return (
    `block ${String(record.step).padStart(width)}/${blocks}  ` +
    `ETH ${record.oracleUsd.toFixed(2).padStart(8)}  ` +
    `Δ ${signed(record.netDeltaEth, 2).padStart(6)} / ±${record.bandEth.toFixed(1)}  ` +
    `hedges ${String(run.hedges.length).padStart(2)}  ` +
    `cost $${cost.toFixed(2).padStart(7)}  ` +
    `P&L $${signed(record.pnlHedgedUsd, 0).padStart(6)} (unhedged ${signed(record.pnlUnhedgedUsd, 0)})  ` +
    event
  );
}

export function createProgress(sink: ProgressSink, options: { quiet?: boolean } = {}): Progress {
  const live = sink.isTTY === true;
  let shown = false;
  let lastPlainStep = -1;
  const clear = () => {
    if (live && shown) sink.write("\r\x1b[2K");
    shown = false;
  };
  return {
    phase(message) {
      if (options.quiet) return;
      clear();
      sink.write(`${message}\n`);
    },
    step(record, run) {
      if (options.quiet) return;
      const line = progressLine(record, run);
      if (live) {
        const max = sink.columns && sink.columns > 20 ? sink.columns - 1 : line.length;
        sink.write(`\r\x1b[2K${line.slice(0, max)}`);
        shown = true;
        if (record.hedgeIndex !== null || record.outcome !== null) {
          // Keep a hedge's line in the scrollback.
          sink.write("\n");
          shown = false;
        }
        return;
      }
      const tenth = Math.max(1, Math.round(run.options.blocks / 10));
      const notable = record.decision === "hedge" || record.gated;
      if (record.step === 0 || record.step % tenth === 0 || notable || record.step - lastPlainStep >= tenth) {
        sink.write(`${line}\n`);
        lastPlainStep = record.step;
      }
    },
    done() {
      clear();
    },
  };
}
