/**
 * `npm run soak`: the keeper through simulated weeks. Each seed runs in its own process (scripts/lib/soak/): market
 * regimes, a rolling book, governance changes and RPC/transaction faults through the fault proxy, with the real
 * keeper service cycling once per block. Prints a table per seed, the leak check's figures and mocha-style check lines
 * ("N passing" / "N failing"); exits 1 when any check fails.
 *
 *   npm run soak                                  # 12 seeds × 1,400 blocks (16,800 keeper cycles, ≈ 55,000 chain blocks, 5–15 days per seed)
 *   npm run soak -- --seeds 1-4 --blocks 500      # what `npm run test:soak` runs
 *   npm run soak -- --markdown --out bench/results/SOAK.md
 */
import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { seedChecks } from "./lib/soak/checks.js";
import { leakFigures } from "./lib/soak/leak.js";
import { planSeed, type SeedPlan } from "./lib/soak/plan.js";
import { checkLines, soakTables } from "./lib/soak/report.js";
import { runSoakSeed, type SeedResult } from "./lib/soak/run.js";
import { keptOutcomes, runSeeds, WORKER_FLAG, type WorkerOutcome } from "./lib/soak/workers.js";

function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`not a positive integer: ${value}`);
  return n;
}

/** "1-12" or "1,4,9" → seeds. */
function seedsArg(value: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (to < from) throw new InvalidArgumentError(`empty seed range: ${value}`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const seeds = value.split(",").map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new InvalidArgumentError(`bad seeds: ${value}`);
  return seeds;
}

async function worker(planJson: string, resultPath: string): Promise<void> {
  const unhandled: string[] = [];
  process.on("unhandledRejection", (reason) => unhandled.push(String(reason).split("\n")[0]!));
  const plan = JSON.parse(planJson) as SeedPlan;
  const result = await runSoakSeed(plan, {
    unhandledRejections: unhandled,
    onProgress: (step) =>
      process.stderr.write(`soak: seed ${plan.seed} (${plan.regime}) block ${step}/${plan.blocks}\n`),
  });
  writeFileSync(
    resultPath,
    JSON.stringify(result, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  );
}

async function main(argv: string[]): Promise<number> {
  const cli = new Command("soak")
    .option("--seeds <list>", "seeds to run: a range 1-12 or a list 1,4,9", seedsArg, seedsArg("1-12"))
    .option("--blocks <n>", "keeper cycles (simulated blocks) per seed", intArg, 1400)
    .option("--jobs <n>", "seeds run at once, one process each", intArg, 2)
    .option("--markdown", "print the tables as Markdown")
    .option("--out <file>", "also write the tables and check lines to this file")
    .option("--keep <dir>", "keep each seed's full result (samples, excursions, audit) as JSON in this directory")
    .option("--from <dir>", "run nothing: judge and print the results kept in this directory (by --keep)")
    .parse(argv, { from: "user" })
    .opts<{
      seeds: number[];
      blocks: number;
      jobs: number;
      markdown?: boolean;
      out?: string;
      keep?: string;
      from?: string;
    }>();
  const started = performance.now();
  let plans: SeedPlan[];
  let outcomes: WorkerOutcome[];
  if (cli.from) {
    outcomes = keptOutcomes(cli.from);
    plans = outcomes.map((o) => o.result!.plan);
  } else {
    plans = cli.seeds.map((seed) => planSeed(seed, cli.blocks));
    process.stderr.write(`soak: ${plans.length} seeds × ${cli.blocks} blocks, ${cli.jobs} at a time\n`);
    outcomes = await runSeeds(plans, cli.jobs, cli.keep);
  }

  const results = outcomes.map((o) => o.result).filter((r): r is SeedResult => r !== null);
  // The verdict is the parent's: a result file can be judged again with other tolerances.
  for (const r of results) r.resources.figures = leakFigures(r.resources.samples);
  const bySeed = outcomes.map((o, i) => {
    const plan = plans[i]!;
    const title = `soak seed ${plan.seed} (${plan.regime}, ${plan.policy} policy, ${plan.stepSec / 60} min/block)`;
    const checks = o.result
      ? seedChecks(o.result)
      : [{ name: "runs to its last block with no crash", ok: false, detail: [o.crash ?? "no result"] }];
    return { title, checks };
  });
  const blocks = results.reduce((s, r) => s + r.cycles, 0);
  const timing = cli.from
    ? `${(results.reduce((s, r) => s + r.durationSec, 0) / 60).toFixed(0)} process-minutes`
    : `${((performance.now() - started) / 60_000).toFixed(1)} min on ${cli.jobs} process(es)`;
  const chainBlocks = results.reduce((s, r) => s + r.chainBlocks, 0);
  const header =
    `Soak: ${results.length} seeds, ${blocks} blocks (keeper cycles) in all, ${chainBlocks} chain blocks ` +
    `(${results.reduce((s, r) => s + r.simulatedDays, 0).toFixed(0)} simulated days, ` +
    `${results.reduce((s, r) => s + r.hedges, 0)} hedges, ${results.reduce((s, r) => s + r.faultsInjected, 0)} ` +
    `injected faults), ${timing}`;
  const { text, failing } = checkLines(bySeed);
  const output = `\n${header}\n\n${soakTables(results, cli.markdown === true)}\n\n${text}\n`;
  process.stdout.write(output);
  if (cli.out) writeFileSync(cli.out, output);
  return failing > 0 ? 1 : 0;
}

const args = process.argv.slice(2);
try {
  if (args[0] === WORKER_FLAG) {
    await worker(args[1]!, args[2]!);
    // The in-process chain can hold the event loop open after it is closed.
    process.exit(0);
  } else {
    process.exit(await main(args));
  }
} catch (error) {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
