/**
 * `npm start`: the keeper's main job on an embedded chain. Deploys the market replica, vault, adapter, DAO and an
 * option book on an in-process Hardhat chain, moves the price along a seeded path block by block (an arbitrageur
 * keeps the pool on the feed), runs the real keeper each block, shows progress, and writes
 * reports/<timestamp>/report.html + summary.json. Ctrl-C stops after the current block and still writes the report.
 *
 *   npm start -- --blocks 120 --policy cost-aware --vol 1.0 --jumps 2 --seed 7
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_DEMO_OPTIONS,
  DemoUsageError,
  POLICY_KINDS,
  validateDemoOptions,
  type DemoOptions,
} from "./lib/demo/options.js";
import { createProgress, type ProgressSink } from "./lib/demo/progress.js";
import { defaultReportDir, writeReport } from "./lib/demo/report.js";
import { runDemo } from "./lib/demo/run.js";
import { summarize, summaryTable } from "./lib/demo/summary.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");

export interface DemoIo {
  out: (text: string) => void;
  err: ProgressSink;
  /** aborts the run between blocks (the entry point wires SIGINT to it) */
  signal?: AbortSignal;
}

interface CliOptions {
  blocks: number;
  stepSec: number;
  seed: number;
  vol: number;
  jumps: number;
  policy: DemoOptions["policy"];
  series: number;
  report: boolean;
  json: boolean;
  out?: string;
}

function numberArg(value: string): number {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed)) throw new InvalidArgumentError(`not a number: ${value}`);
  return parsed;
}

function buildProgram(): Command {
  const d = DEFAULT_DEMO_OPTIONS;
  return new Command("demo")
    .description("run the keeper on an embedded chain against a simulated market and write an HTML report")
    .option("--blocks <n>", "blocks to run (one oracle update + one keeper cycle each)", numberArg, d.blocks)
    .option("--step-sec <s>", "chain seconds between blocks (360: 240 blocks = one day)", numberArg, d.stepSec)
    .option("--seed <n>", "seed of the price path and the book", numberArg, d.seed)
    .option("--vol <x>", "annualised vol of the price path (0.8 = 80%)", numberArg, d.vol)
    .option("--jumps <n>", "expected number of price jumps over the run (0 = none)", numberArg, d.jumps)
    .addOption(new Option("--policy <kind>", "keeper hedge policy").choices(POLICY_KINDS).default(d.policy))
    .option("--series <n>", "option series on the vault (20-50)", numberArg, d.series)
    .option("--no-report", "write no files (no report.html, no summary.json)")
    .option("--json", "print the summary as JSON on stdout instead of the table")
    .option("--out <dir>", "directory for report.html and summary.json (default reports/<timestamp>)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
}

/** Runs the demo CLI; returns the exit code (0 done, 1 failed, 2 bad usage, 130 interrupted). */
export async function runDemoCli(argv: readonly string[], io: DemoIo): Promise<number> {
  let cli: CliOptions;
  let options: DemoOptions;
  try {
    cli = buildProgram()
      .parse([...argv], { from: "user" })
      .opts<CliOptions>();
    options = validateDemoOptions({
      ...DEFAULT_DEMO_OPTIONS,
      blocks: cli.blocks,
      stepSec: cli.stepSec,
      seed: cli.seed,
      vol: cli.vol,
      jumps: cli.jumps,
      policy: cli.policy,
      series: cli.series,
    });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof DemoUsageError) {
      io.err.write(`demo: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const progress = createProgress(io.err);
  const run = await runDemo(options, {
    signal: io.signal,
    onPhase: (message) => progress.phase(message),
    onStep: (record, state) => progress.step(record, state),
  });
  progress.done();
  const summary = summarize(run);

  let htmlPath: string | null = null;
  let summaryPath: string | null = null;
  if (cli.report) {
    const dir = cli.out ? path.resolve(cli.out) : defaultReportDir(REPO_ROOT, new Date(run.startedAt));
    const written = await writeReport(dir, run, summary);
    htmlPath = written.htmlPath;
    summaryPath = written.summaryPath;
  }
  const shown = (file: string | null) => {
    if (file === null) return null;
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  };
  if (cli.json) {
    io.out(
      `${JSON.stringify({ ...summary, files: { summary: shown(summaryPath), report: shown(htmlPath) } }, null, 2)}\n`,
    );
  } else {
    io.out(`\n${summaryTable(summary, shown(htmlPath))}\n`);
  }
  if (run.fatalError !== null) {
    io.err.write(`demo: stopped early: ${run.fatalError}\n`);
    return 1;
  }
  if (run.interrupted) io.err.write("demo: interrupted; the report covers the blocks run so far\n");
  return run.interrupted ? 130 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now, no report
    process.stderr.write("\ndemo: stopping after this block (Ctrl-C again to quit without a report)\n");
    controller.abort();
  });
  try {
    const code = await runDemoCli(process.argv.slice(2), {
      out: (text) => process.stdout.write(text),
      err: process.stderr,
      signal: controller.signal,
    });
    // Exit explicitly: the in-process chain can hold the event loop open after it is closed.
    process.exit(code);
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
}
