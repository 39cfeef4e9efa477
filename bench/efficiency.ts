/**
 * Bench section "efficiency": what each hedge policy of the keeper costs for the hedge error it leaves.
 *
 * A short option book on the replica market (ETH at $3000, implied vol 80%, the 0.05% pool's depth) is hedged
 * over 30 days by the keeper's `decide` under four policy families — time-based every k, fixed band, cost-aware
 * and Whalley–Wilmott — each swept over its knob. Every family gets an efficiency frontier (mean cost vs hedge
 * error); the cost-aware, band and WW frontiers are compared with the time-based one at equal hedge error. The
 * same runs on a mixed book, on GBM with jumps and on regime-switching vol; plus Hull's textbook experiment.
 *
 * Parameters (`--param key=value`): gas-gwei (default 2), gas-units (gas per hedge leg, default 180000),
 * paths (override the number of paths of every scenario).
 */
import { POOL_FEE } from "../scripts/lib/market/market.js";
import { analyse, type ScenarioAnalysis } from "./backtest/analysis.js";
import type { CostParams } from "./backtest/costs.js";
import { createBacktestPool, type BacktestPool } from "./backtest/parallel.js";
import { summarise } from "./backtest/stats.js";
import { textbookReport, textbookSpec, type TextbookReport } from "./backtest/textbook.js";
import { type BenchOptions, type BenchSection, type SectionResult } from "./section.js";
import { type Plan, QUICK, FULL, scenarios, toSpec } from "./efficiencyPlan.js";
import { report } from "./efficiencyReport.js";

function numberParam(options: BenchOptions, key: string, fallback: number): number {
  const text = options.params[key];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`--param ${key} must be a number >= 0, got ${text}`);
  return value;
}

async function textbook(pool: BacktestPool, plan: Plan, seed: number): Promise<TextbookReport> {
  const spec = textbookSpec({ paths: plan.textbookPaths, seed: seed + 7 });
  const summaries = summarise(await pool.run(spec), spec.policies);
  return textbookReport(
    summaries.map((s) => s.hedgeError),
    plan.textbookPaths,
  );
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const plan = options.quick ? QUICK : FULL;
  const costs: CostParams = {
    poolFeeBps: POOL_FEE / 100,
    gasUnitsPerLeg: numberParam(options, "gas-units", 180_000),
    gasPriceGwei: numberParam(options, "gas-gwei", 2),
  };
  const pathsOverride =
    options.params.paths === undefined ? null : Math.max(2, Math.round(numberParam(options, "paths", 0)));
  const pool = createBacktestPool(options.threads);
  try {
    const list = scenarios(plan, costs, pathsOverride);
    const analyses = new Map<string, ScenarioAnalysis>();
    for (const s of list) {
      const started = performance.now();
      analyses.set(s.id, analyse(await pool.run(toSpec(s, plan, options.seed)), s.policies));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      options.progress(`${s.title}: ${s.paths} paths × ${s.policies.length} policies in ${seconds} s`);
    }
    const book = await textbook(pool, plan, options.seed);
    return report(options, plan, costs, list, analyses, book);
  } finally {
    await pool.close();
  }
}

export const section: BenchSection = {
  name: "efficiency",
  title: "Hedging efficiency: cost vs hedge error by policy",
  run,
};
