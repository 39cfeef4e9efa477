/**
 * Runs soak seeds in child processes, a few at a time: each seed gets a fresh process (its memory figures are its
 * own, a crash or an unhandled rejection ends only that seed), started with --expose-gc so heap samples follow a
 * full collection. The child writes its SeedResult as JSON to a file the parent names.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SeedResult } from "./run.js";
import type { SeedPlan } from "./plan.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const WORKER_FLAG = "--worker";

export interface WorkerOutcome {
  seed: number;
  result: SeedResult | null;
  /** why there is no result: exit code or signal of a crashed child */
  crash: string | null;
}

function runWorker(plan: SeedPlan, resultPath: string): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "scripts/soak.ts", WORKER_FLAG, JSON.stringify(plan), resultPath],
      { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: process.env },
    );
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      let result: SeedResult | null = null;
      try {
        result = JSON.parse(readFileSync(resultPath, "utf8")) as SeedResult;
      } catch {
        // no result file: the child died before writing it
      }
      const crash = code === 0 && result ? null : `worker exited with ${signal ?? `code ${code}`}`;
      resolve({ seed: plan.seed, result, crash });
    });
  });
}

/**
 * Runs every plan, `jobs` at a time; outcomes in the plans' order. With `keepDir`, each seed's result file stays there
 * as soon as the seed ends (a long run stopped early keeps the seeds it finished).
 */
export async function runSeeds(plans: readonly SeedPlan[], jobs: number, keepDir?: string): Promise<WorkerOutcome[]> {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), "hk-soak-results-"));
  mkdirSync(dir, { recursive: true });
  const outcomes: WorkerOutcome[] = new Array(plans.length);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(jobs, plans.length) }, async () => {
        while (next < plans.length) {
          const index = next++;
          outcomes[index] = await runWorker(plans[index]!, join(dir, `seed-${plans[index]!.seed}.json`));
        }
      }),
    );
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
  return outcomes;
}

/** The outcomes kept in `dir` by an earlier run (one `seed-N.json` per finished seed), by seed. */
export function keptOutcomes(dir: string): WorkerOutcome[] {
  return readdirSync(dir)
    .filter((name) => /^seed-\d+\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as SeedResult)
    .sort((a, b) => a.plan.seed - b.plan.seed)
    .map((result) => ({ seed: result.plan.seed, result, crash: null }));
}
