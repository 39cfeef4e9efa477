/**
 * `npm run bench`: parse the command line, run the selected sections, write `bench/results/<name>.json` for each
 * (`bench/results/quick/` for `--quick`, so a smoke run leaves the committed full results alone), then regenerate `SUMMARY.md` and `index.html` from every section's latest JSON (so `--only` refreshes one section
 * without dropping the others).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatNumber, renderHtml, renderSummaryMarkdown } from "./report.js";
import type { BenchOptions, BenchSection, RecordedResult } from "./section.js";

/**
 * One line of `scripts/bench.ts`: a section's name and a lazy import of its module, which exports `section`.
 * Lazy, so a run of one section does not load another's dependencies (a Hardhat network, say).
 */
export interface SectionEntry {
  name: string;
  load: () => Promise<{ section: BenchSection }>;
}

export const DEFAULT_RESULTS_DIR = path.resolve(import.meta.dirname, "results");
/** where `--quick` writes unless `--out` says otherwise, so a smoke run never overwrites the committed full results */
export const QUICK_RESULTS_DIR = path.join(DEFAULT_RESULTS_DIR, "quick");
const DEFAULT_SEED = 20_240_801;

const USAGE = `usage: npm run bench [-- [--quick] [--only name,…] [--seed N] [--threads N] [--param key=value …] [--out dir]]\n(--quick writes to bench/results/quick/ unless --out is given)`;

export class BenchUsageError extends Error {
  override name = "BenchUsageError";
}

export interface RunnerArgs extends BenchOptions {
  only: string[] | null;
  outDir: string;
}

/** Parse `argv` (without node and script) against the known section names. */
export function parseBenchArgs(argv: readonly string[], sectionNames: readonly string[]): RunnerArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        seed: { type: "string" },
        threads: { type: "string" },
        param: { type: "string", multiple: true },
        out: { type: "string" },
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const v = parsed.values;
  const only =
    v.only === undefined
      ? null
      : v.only
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  for (const name of only ?? []) {
    if (!sectionNames.includes(name))
      throw new BenchUsageError(`--only: unknown section "${name}"; known: ${sectionNames.join(", ")}`);
  }
  const integer = (flag: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new BenchUsageError(`--${flag} must be an integer >= ${min}, got ${text}`);
    return n;
  };
  const params: Record<string, string> = {};
  for (const pair of v.param ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new BenchUsageError(`--param expects key=value, got "${pair}"`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    quick: v.quick === true,
    only,
    seed: integer("seed", v.seed, DEFAULT_SEED, 0),
    threads: integer("threads", v.threads, Math.max(1, os.availableParallelism()), 1),
    params,
    outDir: path.resolve(v.out ?? (v.quick === true ? QUICK_RESULTS_DIR : DEFAULT_RESULTS_DIR)),
    command: argv.length === 0 ? "npm run bench" : `npm run bench -- ${argv.join(" ")}`,
    progress: (message) => log(`    ${message}`),
  };
}

async function readRecorded(file: string): Promise<RecordedResult | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RecordedResult;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`cannot read bench result ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Run the selected sections and regenerate the reports; returns the results of this run. */
export async function runBench(entries: readonly SectionEntry[], argv: readonly string[]): Promise<RecordedResult[]> {
  const names = entries.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`bench sections have duplicate names: ${names.join(", ")}`);
  const args = parseBenchArgs(argv, names);
  await mkdir(args.outDir, { recursive: true });
  const selected = entries.filter((s) => args.only === null || args.only.includes(s.name));
  const recorded: RecordedResult[] = [];
  for (const entry of selected) {
    const { section } = await entry.load();
    if (section.name !== entry.name)
      throw new Error(`bench section listed as "${entry.name}" calls itself "${section.name}"`);
    log(`bench: ${section.name} — ${section.title}${args.quick ? " (quick)" : ""}`);
    const startedAt = new Date();
    const started = performance.now();
    const result = await section.run(args);
    const record: RecordedResult = {
      ...result,
      meta: {
        command: args.command,
        quick: args.quick,
        seed: args.seed,
        threads: args.threads,
        startedAt: startedAt.toISOString(),
        durationSec: (performance.now() - started) / 1000,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        cpus: os.availableParallelism(),
      },
    };
    await writeFile(path.join(args.outDir, `${section.name}.json`), JSON.stringify(record, null, 2) + "\n");
    recorded.push(record);
    for (const f of record.figures) {
      const goal = f.goal === undefined ? "" : ` [${f.goal.text}: ${f.goal.met ? "met" : "NOT met"}]`;
      log(
        `  ${f.label}: ${formatNumber(f.value)} ${f.unit} vs ${formatNumber(f.baseline.value)} → ratio ${formatNumber(f.ratio)}${goal}`,
      );
    }
    log(`  done in ${formatNumber(record.meta.durationSec)} s`);
  }

  const all: RecordedResult[] = [];
  for (const name of names) {
    const fresh = recorded.find((r) => r.name === name);
    const latest = fresh ?? (await readRecorded(path.join(args.outDir, `${name}.json`)));
    if (latest !== null) all.push(latest);
  }
  await writeFile(path.join(args.outDir, "SUMMARY.md"), renderSummaryMarkdown(all));
  await writeFile(path.join(args.outDir, "index.html"), renderHtml(all));
  log(
    `bench: wrote ${path.relative(process.cwd(), args.outDir) || "."}/{SUMMARY.md,index.html} (${all.length} section(s))`,
  );
  return recorded;
}
