/**
 * `npm run bench [-- --quick] [--only efficiency,…] [--seed N] [--threads N] [--param key=value …]`
 *
 * Runs the benchmark sections below and writes bench/results/<name>.json, SUMMARY.md and index.html
 * (bench/results/quick/ with --quick; see bench/runner.ts). To add a section, write bench/<name>.ts exporting `section: BenchSection`
 * (bench/section.ts) and add its one line here.
 */
import { BenchUsageError, runBench, type SectionEntry } from "../bench/runner.js";

const SECTIONS: readonly SectionEntry[] = [
  { name: "efficiency", load: () => import("../bench/efficiency.js") },
  { name: "defaults", load: () => import("../bench/defaults.js") },
  { name: "gas", load: () => import("../bench/gas.js") },
  { name: "scaling", load: () => import("../bench/scaling.js") },
  { name: "latency", load: () => import("../bench/latency.js") },
];

try {
  await runBench(SECTIONS, process.argv.slice(2));
} catch (error) {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
