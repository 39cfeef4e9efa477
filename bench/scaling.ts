/**
 * Bench section "scaling": what one keeper cycle (read the chain, compute the book's risk, decide) costs as the
 * book grows, for the real keeper and for a naive one (bench/naiveKeeper.ts) on the same chain.
 *
 * A `hardhat node` on loopback (scripts/lib/node/localNode.ts) holds the market replica and the vault, whose book is seeded
 * with contracts/mocks/BookSeeder.sol through the vault's own `openSeries`. At each book size the real keeper's
 * `readSnapshot` (batched JSON-RPC over HTTP) and the naive keeper's read (one eth_call per value and per series) are
 * timed and metered (round trips, bytes on the wire), and the same compute (keeper/cycle/assess.ts + keeper/policy
 * decide) is timed on what they read.
 *
 * The vault caps its book at MAX_ACTIVE_SERIES_CAP = 500 series. Books of 1,000 and 10,000 series (full run) live on a
 * bench-only deployment: the same OptionsVault bytecode with its `maxActiveSeries` storage slot raised past the cap by
 * one `hardhat_setStorageAt` (scripts/lib/market/seriesCap.ts), every series then opened by the contract's own code. Its
 * `netDeltaWad()` view (≈ 10k gas per series) cannot finish at 10,000 series, which the keepers see as a failed call,
 * as they would on chain. The quick run stops at the cap and adds the compute alone on synthetic books.
 */
import { network } from "hardhat";
import { readSnapshot, type Snapshot } from "../keeper/chain/snapshot.js";
import { assess, type Assessment } from "../keeper/cycle/assess.js";
import { chainPolicyState, policyInput } from "../keeper/cycle/policyInput.js";
import { assessOptions, type KeeperSettings } from "../keeper/keeper.js";
import { decide, INITIAL_POLICY_STATE, type Decision } from "../keeper/policy/index.js";
import { bookFromRows, evaluateBook } from "../keeper/risk/index.js";
import { numberToWad } from "../keeper/units.js";
import { realisticBook } from "../scripts/lib/market/book.js";
import { startHardhatNode } from "../scripts/lib/node/localNode.js";
import { installFetchMeter, type FetchMeter } from "./fetchMeter.js";
import { median, timeRuns } from "./measure.js";
import { readSnapshotNaive } from "./naiveKeeper.js";
import type { BenchOptions, BenchSection, SectionResult } from "./section.js";
import {
  SPOT_USD,
  type Plan,
  QUICK_PLAN,
  FULL_PLAN,
  type ReadBudget,
  COMPUTE_WARMUP,
  type ReadCost,
  type Comparison,
  type OnChainPoint,
  type ComputeOnlyPoint,
} from "./scalingModel.js";
import { report } from "./scalingReport.js";
import { measureAtLatencies } from "./rttScaling.js";
import { deployChain } from "./scalingChain.js";

/**
 * The keeper cycle's pure middle, as keeper/keeper.ts runs it: assess the snapshot; hold on any gate, else ask the
 * policy. (Mirrors `createKeeper().runCycle` between the read and the executor, without metrics or journal.)
 */
function computeCycle(
  snapshot: Snapshot,
  settings: KeeperSettings,
  poolFee: number,
): { assessment: Assessment; decision: Decision | { kind: "hold"; reason: "gate" } } {
  const assessment = assess(snapshot, assessOptions(settings, poolFee));
  if (assessment.gates.length > 0) return { assessment, decision: { kind: "hold", reason: "gate" } };
  const decision = decide(
    policyInput(snapshot, assessment, settings.policy, chainPolicyState(snapshot, INITIAL_POLICY_STATE.armed)),
  );
  return { assessment, decision };
}

function describeDecision(result: ReturnType<typeof computeCycle>): string {
  const { decision, assessment } = result;
  if (decision.kind === "hedge") return `hedge ${decision.side} ${decision.totalEth.toFixed(2)} ETH`;
  if (decision.reason === "gate") return `hold (gate: ${assessment.gates.map((g) => g.reason).join(", ")})`;
  return `hold (${decision.reason})`;
}

/**
 * Times reads (after `warmup` untimed ones), each at a freshly mined head, and the compute on the last; meters trips
 * and bytes per read.
 */
async function measureReads(
  read: () => Promise<Snapshot>,
  newBlock: () => Promise<unknown>,
  meter: FetchMeter,
  budget: ReadBudget,
  warmup: number,
  computeRuns: number,
  compute: (s: Snapshot) => unknown,
): Promise<{ cost: ReadCost; snapshot: Snapshot }> {
  for (let i = 0; i < warmup; i++) {
    await newBlock();
    await read();
  }
  const times: number[] = [];
  let snapshot: Snapshot | null = null;
  let bytes = { requestBytes: 0, responseBytes: 0 };
  let spentMs = 0;
  while (times.length < budget.min || (times.length < budget.max && spentMs < budget.budgetMs)) {
    // A keeper reads each new head; the node answers a repeated read at the same block faster (warm state).
    await newBlock();
    meter.reset();
    const started = performance.now();
    snapshot = await read();
    times.push(performance.now() - started);
    spentMs += times[times.length - 1]!;
    bytes = { requestBytes: meter.requestBytes, responseBytes: meter.responseBytes };
    if (meter.posts !== snapshot.roundTrips)
      throw new Error(
        `scaling bench: ${meter.posts} HTTP posts metered but ${snapshot.roundTrips} round trips counted`,
      );
  }
  const s = snapshot!;
  const computeMs = median(await timeRuns(computeRuns, COMPUTE_WARMUP, () => compute(s)));
  const readMs = median(times);
  return {
    snapshot: s,
    cost: {
      reads: times.length,
      roundTrips: s.roundTrips,
      requests: s.requests,
      ...bytes,
      readMs,
      computeMs,
      cycleMs: readMs + computeMs,
    },
  };
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const plan = options.quick ? QUICK_PLAN : FULL_PLAN;
  const started = performance.now();
  const node = await startHardhatNode();
  const meter = installFetchMeter();
  try {
    const connection = await network.create({ network: "localhost", override: { url: node.url } });
    try {
      const chain = await deployChain(connection.ethers, node.url);
      options.progress(
        `hardhat node on ${node.url}, market + stack deployed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const compute = (s: Snapshot) => computeCycle(s, chain.settings, chain.deployment.poolFee);
      const readKeeper = () =>
        readSnapshot(chain.keeperClient, chain.deployment, chain.keeperCounter, { pageSize: chain.settings.pageSize });
      const readNaive = () => readSnapshotNaive(chain.naiveClient, chain.deployment, chain.naiveCounter);
      const onChain: OnChainPoint[] = [];
      let template: Snapshot | null = null;
      for (const series of plan.onChainSizes) {
        const growing = performance.now();
        await chain.growBook(series);
        if (series > chain.cap)
          options.progress(
            `${series} series seeded past the cap (bench-only) in ${((performance.now() - growing) / 1000).toFixed(1)} s`,
          );
        const compare = async (
          walk: boolean,
          viewReturns: boolean,
        ): Promise<{ comparison: Comparison; decision: string; s: Snapshot }> => {
          await chain.setOnChainWalk(walk);
          const keeper = await measureReads(
            readKeeper,
            chain.mineBlock,
            meter,
            plan.keeperReads,
            1,
            plan.computeRuns,
            compute,
          );
          const naive = await measureReads(
            readNaive,
            chain.mineBlock,
            meter,
            plan.naiveReads,
            0,
            plan.computeRuns,
            compute,
          );
          const decision = describeDecision(compute(keeper.snapshot));
          for (const [who, snap] of [
            ["keeper", keeper.snapshot],
            ["naive", naive.snapshot],
          ] as const) {
            if (snap.book.length !== series)
              throw new Error(
                `scaling bench: the ${who} keeper read ${snap.book.length} series, the vault holds ${series}`,
              );
            if ((snap.onChainNetDeltaWad !== null) !== (walk && viewReturns))
              throw new Error(
                `scaling bench: the ${who} keeper's on-chain net delta is ${snap.onChainNetDeltaWad} at ${series} ` +
                  `series (walk ${walk}, cap ${chain.cap})`,
              );
            const theirs = describeDecision(compute(snap));
            if (theirs !== decision)
              throw new Error(`scaling bench: keeper decided "${decision}", ${who} "${theirs}" on ${series} series`);
          }
          const comparison = {
            keeper: keeper.cost,
            naive: naive.cost,
            speedup: naive.cost.cycleMs / keeper.cost.cycleMs,
          };
          return { comparison, decision, s: keeper.snapshot };
        };
        const beyondCap = series > chain.cap;
        await chain.setOnChainWalk(true);
        const viewCall = await chain.probeView();
        let asRun: Awaited<ReturnType<typeof compare>> | null = null;
        let asRunFailure: string | null = null;
        try {
          asRun = await compare(true, viewCall.outcome === "returned");
        } catch (error) {
          // Past the cap the view can run out of gas slower than the keepers' RPC timeout: a finding, not a crash.
          if (!beyondCap) throw error;
          asRunFailure = (error as Error).message.split("\n")[0]!;
        }
        const noWalk = await compare(false, false);
        template = noWalk.s;
        const point: OnChainPoint = {
          series,
          beyondCap,
          viewCall,
          decision: (asRun ?? noWalk).decision,
          asRun: asRun?.comparison ?? null,
          asRunFailure,
          noWalk: noWalk.comparison,
        };
        onChain.push(point);
        const line = (c: Comparison) =>
          `keeper ${c.keeper.roundTrips} trips ${c.keeper.cycleMs.toFixed(1)} ms, naive ${c.naive.roundTrips} trips ` +
          `${c.naive.cycleMs.toFixed(0)} ms (${c.speedup.toFixed(1)}×)`;
        options.progress(
          `${series} series: netDeltaWad ${viewCall.outcome} in ${viewCall.coldMs.toFixed(0)} ms cold, ` +
            `${viewCall.warmMs.toFixed(0)} ms warm; as run: ${point.asRun ? line(point.asRun) : `failed (${asRunFailure})`}; ` +
            "without the on-chain walk: " +
            `${line(point.noWalk)}; ${point.decision}`,
        );
      }
      const computeOnly: ComputeOnlyPoint[] = [];
      for (const series of plan.computeOnlySizes) {
        const p = await computeOnlyPoint(series, template!, plan, options.seed, compute);
        computeOnly.push(p);
        options.progress(`${series} series (compute-only): assess + decide ${p.computeMs.toFixed(2)} ms`);
      }
      // At a hosted node's latency: the largest book, the vault's view reverting before its walk (as `noWalk`).
      await chain.setOnChainWalk(false);
      const largest = plan.onChainSizes[plan.onChainSizes.length - 1]!;
      const rtt = await measureAtLatencies({
        chain: {
          url: node.url,
          deployment: chain.deployment,
          pageSize: chain.settings.pageSize,
          mineBlock: chain.mineBlock,
        },
        series: largest,
        rttsMs: plan.rttsMs,
        reads: plan.rttReads,
        computeRuns: plan.computeRuns,
        compute,
        describe: (s) => describeDecision(compute(s)),
        progress: options.progress,
      });
      return report(plan, chain.cap, chain.settings, onChain, computeOnly, rtt);
    } finally {
      await connection.close();
    }
  } finally {
    meter.uninstall();
    await node.stop();
  }
}

/** assess + decide on a synthetic book of `series` rows (the on-chain snapshot's other fields, no on-chain delta). */
async function computeOnlyPoint(
  series: number,
  template: Snapshot,
  plan: Plan,
  seed: number,
  compute: (s: Snapshot) => unknown,
): Promise<ComputeOnlyPoint> {
  const rows = realisticBook({ spotUsd: SPOT_USD, nowSec: template.blockTimestamp, count: series, seed });
  const snapshot: Snapshot = {
    ...template,
    book: rows.map((r, i) => ({
      id: BigInt(i + 1),
      strikeWad: numberToWad(r.strikeUsd),
      expiry: BigInt(r.expirySec),
      isCall: r.isCall,
      sizeWad: numberToWad(r.sizeEth),
      volWad: numberToWad(r.vol),
    })),
    // No vault can hold this book, so there is no on-chain net delta to cross-check (and no mismatch gate).
    onChainNetDeltaWad: null,
  };
  const computeMs = median(await timeRuns(plan.computeRuns, COMPUTE_WARMUP, () => compute(snapshot)));
  const book = bookFromRows(rows);
  const riskMs = median(
    await timeRuns(plan.computeRuns, COMPUTE_WARMUP, () => evaluateBook(book, SPOT_USD, template.blockTimestamp)),
  );
  return { series, computeMs, riskMs };
}

export const section: BenchSection = {
  name: "scaling",
  title: "Keeper scaling: read + compute + decide vs book size",
  run,
};
