/**
 * Bench section "latency": how many blocks pass between a price update that pushes the vault's net delta out of the
 * band and the keeper's hedge being mined.
 *
 * On an in-process Hardhat chain (automine) holding the market replica and a vault with a small realistic book
 * (scripts/lib/market/world.ts, no governance), the real keeper service runs in-process (scripts/lib/testing/keeperHarness.ts).
 * Each repetition moves the feed — and arbitrages the pool to it — far enough for the net delta to reach 1.5× the
 * band (scripts/lib/market/marketDriver.ts), at block N; then one keeper cycle per block (a block is mined between cycles
 * that do not hedge) until the adapter emits `Hedged`. The baseline is a plain transfer sent right after the update
 * (evm_snapshot / evm_revert around it): the soonest any transaction lands on this chain.
 */
import type { CycleReport } from "../keeper/keeper.js";
import { startInProcessKeeper } from "../scripts/lib/testing/keeperHarness.js";
import { deployWorld, type World } from "../scripts/lib/market/world.js";
import { median, withInProcessNetwork } from "./measure.js";
import { figure, type BenchOptions, type BenchSection, type SectionResult } from "./section.js";

const WAD = 10n ** 18n;
/** A band narrow enough that a ~1–2% move of the small book crosses it; the adapter's TWAP guard allows 3%. */
const BAND_ETH = 2;
const BOOK_SERIES = 10;
/** the net delta each update aims for, in bands: clearly out, not at the edge */
const TARGET_BANDS = 1.5;
/** the pool TWAP lags a jump; a larger move would meet the adapter's 300 bps deviation guard, not the keeper */
const MAX_MOVE = 0.025;
const MAX_BLOCKS = 20;
const GOAL_BLOCKS = 1;

/** HK_POLICY values run: the plain band (a pure latency measure) and the keeper's default, cost-aware */
const POLICIES = ["band", "cost-aware"] as const;
type PolicyName = (typeof POLICIES)[number];

interface Plan {
  repetitions: number;
}

const QUICK: Plan = { repetitions: 3 };
const FULL: Plan = { repetitions: 10 };

interface PolicyRun {
  policy: PolicyName;
  repetitions: Repetition[];
}

interface Repetition {
  priceFromUsd: number;
  priceToUsd: number;
  /** net delta the keeper saw in the first cycle after the update, ETH */
  netDeltaEth: number;
  updateBlock: number;
  /** block of the adapter's Hedged event, null when none within MAX_BLOCKS */
  hedgedBlock: number | null;
  blocks: number | null;
  cycles: number;
  /** wall time of the hedging cycle: read, decide, simulate, sign, send, receipt */
  hedgeCycleMs: number | null;
  /** the plain transfer sent right after the update */
  baselineBlocks: number;
  baselineMs: number;
  /** what each cycle decided, in order */
  trail: string[];
}

function describe(report: CycleReport): string {
  const d = report.decision;
  if (d.kind === "hedge") return `hedge ${d.side} → ${report.outcome?.kind ?? "no outcome"}`;
  return `hold (${d.reason})`;
}

async function blockNumber(world: World): Promise<number> {
  return world.ethers.provider.getBlockNumber();
}

/** Blocks and ms for a plain transfer sent now; the chain is restored afterwards. */
async function baselineInclusion(world: World, updateBlock: number): Promise<{ blocks: number; ms: number }> {
  const { ethers, actors } = world;
  const snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;
  const started = performance.now();
  const receipt = await (await actors.voter.sendTransaction({ to: actors.voter.address, value: 0n })).wait();
  const result = { blocks: receipt!.blockNumber - updateBlock, ms: performance.now() - started };
  if (!((await ethers.provider.send("evm_revert", [snapshot])) as boolean))
    throw new Error(`latency bench: evm_revert to ${snapshot} failed`);
  return result;
}

/** The price at which the net delta reaches `targetEth`, to first order in the book's gamma. */
function priceFor(report: CycleReport, targetEth: number): number {
  const { netDeltaEth, spotUsd, risk } = report.assessment;
  if (risk.netGammaPerUsd === 0)
    throw new Error("latency bench: the book has no gamma; no price move changes its delta");
  const priceUsd = spotUsd + (targetEth - netDeltaEth) / risk.netGammaPerUsd;
  if (!(priceUsd > 0) || Math.abs(priceUsd / spotUsd - 1) > MAX_MOVE)
    throw new Error(
      `latency bench: reaching ${targetEth} ETH of net delta needs $${priceUsd.toFixed(0)} from $${spotUsd.toFixed(0)}, ` +
        `more than the ${100 * MAX_MOVE}% the adapter's TWAP guard lets through in one jump`,
    );
  return Math.round(priceUsd * 100) / 100;
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const plan = options.quick ? QUICK : FULL;
  const runs: PolicyRun[] = [];
  for (const policy of POLICIES) runs.push({ policy, repetitions: await measurePolicy(plan, policy, options) });
  return report(plan, runs);
}

/** Fresh chain and keeper per policy, so one policy's hedges do not shape the other's starting point. */
async function measurePolicy(plan: Plan, policy: PolicyName, options: BenchOptions): Promise<Repetition[]> {
  return withInProcessNetwork(options.progress, async (connection) => {
    const started = performance.now();
    const world = await deployWorld(connection.ethers, {
      governance: false,
      series: BOOK_SERIES,
      params: { deltaBandWad: BigInt(BAND_ETH) * WAD },
    });
    const service = await startInProcessKeeper({
      provider: connection.provider as never,
      adapter: await world.stack.adapter.getAddress(),
      quoter: world.market.book.quoterV2,
      env: { HK_POLICY: policy },
    });
    options.progress(`${policy}: world and keeper up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    try {
      const { keeper } = service;
      const reps: Repetition[] = [];
      // The world starts hedged; a first cycle settles the keeper (and hedges if the deployment drifted).
      let last = await keeper.runCycle();
      for (let i = 0; i < plan.repetitions; i++) {
        // Re-arm: after a hedge the next cycle sees |Δ| back inside the inner band.
        for (let k = 0; k < 3 && (last.decision.kind === "hedge" || !keeper.policyState().armed); k++) {
          await connection.ethers.provider.send("evm_mine", []);
          last = await keeper.runCycle();
        }
        if (last.decision.kind !== "hold" || !keeper.policyState().armed)
          throw new Error(`latency bench: the keeper did not settle before repetition ${i + 1}: ${describe(last)}`);
        // Band hedges to zero: alternate sides so the price does not drift. Cost-aware trades only to its inner band's
        // edge: push the residual further out on its own side, the smaller move that fits the TWAP guard.
        // Triggers are not seconds apart: let the pool's TWAP window pass since the last move, as it would between two
        // real triggers, so the deviation guard judges this update alone.
        await connection.ethers.provider.send("evm_increaseTime", [last.snapshot.params.twapWindowSec + 1]);
        await connection.ethers.provider.send("evm_mine", []);
        await world.driver.setPrice(last.assessment.spotUsd); // refresh the feed after the wait (same price)
        last = await keeper.runCycle();
        const residualEth = last.assessment.netDeltaEth;
        const side = Math.abs(residualEth) > 0.05 * BAND_ETH ? Math.sign(residualEth) : i % 2 === 0 ? -1 : 1;
        const target = side * TARGET_BANDS * BAND_ETH;
        const priceFromUsd = last.assessment.spotUsd;
        const priceToUsd = priceFor(last, target);
        await world.driver.setPrice(priceToUsd);
        const updateBlock = await blockNumber(world);
        const baseline = await baselineInclusion(world, updateBlock);

        const trail: string[] = [];
        let hedge: CycleReport | null = null;
        let first: CycleReport | null = null;
        for (let cycle = 0; cycle < MAX_BLOCKS; cycle++) {
          if (cycle > 0) await connection.ethers.provider.send("evm_mine", []);
          const report = await keeper.runCycle();
          first ??= report;
          trail.push(describe(report));
          last = report;
          if (report.outcome?.kind === "succeeded") {
            hedge = report;
            break;
          }
        }
        const events = await world.stack.adapter.queryFilter(world.stack.adapter.filters.Hedged(), updateBlock + 1);
        const hedgedBlock = events.length > 0 ? events[0]!.blockNumber : null;
        if (hedge && hedge.outcome?.kind === "succeeded" && Number(hedge.outcome.blockNumber) !== hedgedBlock)
          throw new Error(
            `latency bench: the keeper saw its hedge in block ${hedge.outcome.blockNumber}, Hedged is in ${hedgedBlock}`,
          );
        const rep: Repetition = {
          priceFromUsd,
          priceToUsd,
          netDeltaEth: first!.assessment.netDeltaEth,
          updateBlock,
          hedgedBlock,
          blocks: hedgedBlock === null ? null : hedgedBlock - updateBlock,
          cycles: trail.length,
          hedgeCycleMs: hedge?.durationMs ?? null,
          baselineBlocks: baseline.blocks,
          baselineMs: baseline.ms,
          trail,
        };
        reps.push(rep);
        options.progress(
          `${policy} #${i + 1}: $${priceFromUsd.toFixed(0)} → $${priceToUsd.toFixed(0)} (net delta ${rep.netDeltaEth.toFixed(2)} ETH) ` +
            `at block ${updateBlock}: hedged in block ${hedgedBlock ?? "—"} (${rep.blocks ?? "none"} block(s), ` +
            `${rep.cycles} cycle(s), ${rep.hedgeCycleMs?.toFixed(0) ?? "—"} ms)` +
            (hedgedBlock === null ? `; decisions: ${[...new Set(trail)].join(", ")}` : ""),
        );
        // Unhedged, the book sits outside the band: the next update cannot cross it again within the TWAP guard.
        if (hedgedBlock === null) {
          options.progress(`${policy}: no hedge within ${MAX_BLOCKS} blocks; stopping this policy's repetitions`);
          break;
        }
      }
      return reps;
    } finally {
      await service.close();
    }
  });
}

/** What a policy's repetitions add up to; a repetition without a hedge counts as infinitely late. */
export interface LatencyStats {
  repetitions: number;
  hedged: number;
  medianBlocks: number;
  worstBlocks: number;
  baselineBlocks: number;
  /** median wall time of the hedging cycles, ms (NaN when none hedged) */
  cycleMs: number;
  baselineMs: number;
  /** every repetition hedged within GOAL_BLOCKS */
  met: boolean;
}

export function latencyStats(
  reps: readonly Pick<Repetition, "blocks" | "baselineBlocks" | "hedgeCycleMs" | "baselineMs">[],
): LatencyStats {
  if (reps.length === 0) throw new RangeError("latency stats of no repetitions");
  const blocks = reps.filter((r) => r.blocks !== null).map((r) => r.blocks!);
  const cycles = reps.filter((r) => r.hedgeCycleMs !== null).map((r) => r.hedgeCycleMs!);
  const worstBlocks = blocks.length === reps.length ? Math.max(...blocks) : Infinity;
  return {
    repetitions: reps.length,
    hedged: blocks.length,
    medianBlocks: median(reps.map((r) => r.blocks ?? Infinity)),
    worstBlocks,
    baselineBlocks: median(reps.map((r) => r.baselineBlocks)),
    cycleMs: cycles.length > 0 ? median(cycles) : NaN,
    baselineMs: median(reps.map((r) => r.baselineMs)),
    met: worstBlocks <= GOAL_BLOCKS,
  };
}

function report(plan: Plan, runs: PolicyRun[]): SectionResult {
  const stats = runs.map((r) => ({ policy: r.policy, ...latencyStats(r.repetitions) }));
  const blocksText = (v: number) => (Number.isFinite(v) ? String(v) : `no hedge within ${MAX_BLOCKS}`);
  // A policy that never hedged has no latency to show: its summary sentence and table say what it decided.
  const figures = stats.flatMap((st) =>
    st.hedged === 0
      ? []
      : [
          figure(
            `HK_POLICY=${st.policy}: blocks from the price update to the hedge mined (median of ${st.repetitions}; worst ${blocksText(st.worstBlocks)})`,
            st.medianBlocks,
            "blocks",
            { label: "a plain transfer sent right after the update", value: st.baselineBlocks, unit: "blocks" },
            st.policy === "band"
              ? { goal: { text: "next block, every repetition", met: st.met } }
              : { note: "the default policy's decision to hedge at all, not a latency goal (see the summary)" },
          ),
          figure(
            `HK_POLICY=${st.policy}: hedging cycle in wall time (read, decide, simulate, sign, send, receipt; median)`,
            st.cycleMs,
            "ms",
            { label: "a plain transfer's send-to-receipt", value: st.baselineMs, unit: "ms" },
          ),
        ],
  );

  const sentence = (st: (typeof stats)[number]) =>
    st.hedged === 0
      ? `with HK_POLICY=${st.policy} no hedge was sent in ${MAX_BLOCKS} blocks`
      : `with HK_POLICY=${st.policy} the hedge was mined ` +
        `**${st.medianBlocks === 1 ? "in the next block" : `${blocksText(st.medianBlocks)} blocks later`}** (median of ` +
        `${st.repetitions}; worst ${blocksText(st.worstBlocks)}; goal ${st.met ? "**met**" : "**not met**"}), its hedging ` +
        `cycle taking ${Number.isFinite(st.cycleMs) ? st.cycleMs.toFixed(0) : "—"} ms of wall time`;
  const held = runs
    .flatMap((r) => r.repetitions.filter((rep) => rep.blocks === null).map((rep) => ({ policy: r.policy, rep })))
    .map(({ policy, rep }) => `${policy} at ${rep.netDeltaEth.toFixed(2)} ETH: ${[...new Set(rep.trail)].join(", ")}`);
  const summary =
    `After a price update that takes the vault's net delta to ~${TARGET_BANDS}× the band, ` +
    `${stats.map(sentence).join("; ")}. ` +
    (held.length > 0
      ? `Repetitions without a hedge within ${MAX_BLOCKS} blocks (the policy's decision, not latency): ${held.join("; ")}. `
      : "") +
    `The goal is judged on HK_POLICY=band, which hedges whenever the band is crossed. A plain transfer sent right after the update lands ` +
    `${stats[0]!.baselineBlocks} block later: on this automining chain the next block is the floor, so what the ` +
    "figure shows is that the keeper's first cycle after the update hedges (no deferral, no extra cycle); whether " +
    "that is the next block on a live chain depends on the cycle's wall time against the slot (12 s on mainnet) " +
    "plus the keeper's poll interval (HK_POLL_INTERVAL_MS, 1 s by default).";

  return {
    name: "latency",
    title: "Latency: price update to hedge mined",
    summary,
    figures,
    tables: runs.map((run) => ({
      title: `Repetitions, HK_POLICY=${run.policy}`,
      columns: [
        "#",
        "price move",
        "net delta seen (ETH)",
        "update block",
        "Hedged block",
        "blocks",
        "cycles",
        "hedging cycle ms",
        "keeper decisions",
      ],
      rows: run.repetitions.map((r, i) => [
        String(i + 1),
        `$${r.priceFromUsd.toFixed(0)} → $${r.priceToUsd.toFixed(0)}`,
        r.netDeltaEth,
        String(r.updateBlock),
        r.hedgedBlock === null ? "—" : String(r.hedgedBlock),
        r.blocks === null ? "—" : String(r.blocks),
        String(r.cycles),
        r.hedgeCycleMs ?? "—",
        r.trail.join(", "),
      ]),
      detail: true,
    })),
    charts: [],
    notes: [
      `In-process Hardhat chain with automine (each transaction is mined in its own block as it arrives), market ` +
        `replica, vault with the world's realistic ${BOOK_SERIES}-series book (scripts/lib/market/world.ts, no governance), ` +
        `started hedged; adapter band ${BAND_ETH} ETH (narrowed from the default 5 ETH so that a move of ~1–2% ` +
        "crosses it: larger jumps meet the adapter's 300 bps pool-TWAP deviation guard, which holds a hedge until the " +
        "TWAP catches up — a guard's latency, not the keeper's), other parameters default.",
      "The keeper is the real service (`startInProcessKeeper`: config from HK_* variables, executor, journal), once " +
        "with HK_POLICY=band (hedges whenever the band is crossed: a pure latency measure) and once with the default " +
        "cost-aware policy (which may rightly defer a hedge whose cost exceeds its benefit), each on a fresh chain. " +
        "Cycles are run by hand, one per block, mining an empty block after each cycle that does not hedge, up to " +
        `${MAX_BLOCKS} blocks.`,
      "The update block N is the chain head once the feed has its new answer and the arbitrageur has moved the pool to " +
        "it (two transactions, scripts/lib/market/marketDriver.ts `setPrice`); blocks = the Hedged event's block − N (checked " +
        "against the keeper's receipt). Each update aims the net delta at ±" +
        `${TARGET_BANDS}× the adapter's band from the book's gamma: alternating sides after a hedge to zero (band), on ` +
        "the residual's own side after a hedge to the inner band's edge (cost-aware). Before each update the chain " +
        "waits out the pool's TWAP window, as between two real triggers, so the deviation guard judges that update alone.",
      "With automine, a transaction lands in the block after the one its sender saw, so 1 block is the floor (the " +
        "baseline). Not measured: interval mining with the keeper's own polling loop, where a late poll or a slow " +
        "cycle could miss the next block; the hedging cycle's wall time is the figure to compare with a block time.",
      `Repetitions per policy: ${plan.repetitions}.`,
    ],
    data: { plan, bandEth: BAND_ETH, bookSeries: BOOK_SERIES, runs },
  };
}

export const section: BenchSection = {
  name: "latency",
  title: "Latency: price update to hedge mined",
  run,
};
