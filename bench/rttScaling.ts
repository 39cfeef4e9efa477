/**
 * The scaling bench at a real RPC's latency: the same read + compute + decide, for the real keeper and the naive one,
 * through a loopback proxy that answers every request `rttMs` late (scripts/lib/testing/faultProxy.ts, a "delay" rule), so
 * each round trip costs what it costs against a hosted node. The naive keeper gets a realistic concurrency (several
 * eth_calls in flight); both must reach the same decision, or the point fails.
 */
import type { PublicClient } from "viem";
import { chainFor, createClients, createRpcCounter, httpTransport } from "../keeper/chain/client.js";
import { readSnapshot, type Deployment, type Snapshot } from "../keeper/chain/snapshot.js";
import { startFaultProxy } from "../scripts/lib/testing/faultProxy.js";
import { median, timeRuns } from "./measure.js";
import { naiveTransport, readSnapshotNaive } from "./naiveKeeper.js";
import { COMPUTE_WARMUP } from "./scalingModel.js";

/** eth_calls the naive keeper keeps in flight: what a careful hand-written loop with Promise.all and a limit does */
export const NAIVE_CONCURRENCY = 8;

export interface RttSide {
  roundTrips: number;
  readMs: number;
  computeMs: number;
  cycleMs: number;
}

export interface RttPoint {
  rttMs: number;
  series: number;
  keeper: RttSide;
  naive: RttSide;
  /** naive cycle / keeper cycle */
  speedup: number;
  decision: string;
}

export interface RttChain {
  url: string;
  deployment: Deployment;
  pageSize: number;
  mineBlock(): Promise<unknown>;
}

async function timedReads(
  read: () => Promise<Snapshot>,
  mineBlock: () => Promise<unknown>,
  reads: number,
): Promise<{ snapshot: Snapshot; readMs: number }> {
  const times: number[] = [];
  let snapshot: Snapshot | null = null;
  for (let i = 0; i < reads; i++) {
    await mineBlock();
    const started = performance.now();
    snapshot = await read();
    times.push(performance.now() - started);
  }
  return { snapshot: snapshot!, readMs: median(times) };
}

/**
 * One point per round-trip time in `rttsMs`, on the book the chain holds now (`series` series): keeper and naive
 * reads (`reads` each, at fresh heads) through the delaying proxy, and the compute on what each read.
 */
export async function measureAtLatencies(args: {
  chain: RttChain;
  series: number;
  rttsMs: readonly number[];
  reads: { keeper: number; naive: number };
  computeRuns: number;
  compute: (s: Snapshot) => unknown;
  describe: (s: Snapshot) => string;
  progress: (message: string) => void;
}): Promise<RttPoint[]> {
  const { chain } = args;
  const proxy = await startFaultProxy(chain.url);
  try {
    const keeperCounter = createRpcCounter();
    const keeperClient: PublicClient = createClients(
      httpTransport([proxy.url], keeperCounter, { timeoutMs: 120_000 }),
      chainFor(31337, proxy.url),
      null,
      keeperCounter,
    ).publicClient;
    const naiveCounter = createRpcCounter();
    const naiveClient: PublicClient = createClients(
      naiveTransport(proxy.url, naiveCounter),
      chainFor(31337, proxy.url),
      null,
      naiveCounter,
    ).publicClient;
    const points: RttPoint[] = [];
    for (const rttMs of args.rttsMs) {
      proxy.clear();
      if (rttMs > 0) proxy.inject({ fault: { kind: "delay", ms: rttMs } });
      const side = async (read: () => Promise<Snapshot>, reads: number) => {
        const { snapshot, readMs } = await timedReads(read, chain.mineBlock, reads);
        const computeMs = median(await timeRuns(args.computeRuns, COMPUTE_WARMUP, () => args.compute(snapshot)));
        const cost: RttSide = { roundTrips: snapshot.roundTrips, readMs, computeMs, cycleMs: readMs + computeMs };
        return { snapshot, cost };
      };
      const keeper = await side(
        () => readSnapshot(keeperClient, chain.deployment, keeperCounter, { pageSize: chain.pageSize }),
        args.reads.keeper,
      );
      const naive = await side(
        () => readSnapshotNaive(naiveClient, chain.deployment, naiveCounter, { concurrency: NAIVE_CONCURRENCY }),
        args.reads.naive,
      );
      const decision = args.describe(keeper.snapshot);
      const theirs = args.describe(naive.snapshot);
      if (theirs !== decision)
        throw new Error(`scaling bench at ${rttMs} ms: keeper decided "${decision}", naive "${theirs}"`);
      if (naive.snapshot.book.length !== args.series || keeper.snapshot.book.length !== args.series)
        throw new Error(`scaling bench at ${rttMs} ms: a keeper did not read all ${args.series} series`);
      const point: RttPoint = {
        rttMs,
        series: args.series,
        keeper: keeper.cost,
        naive: naive.cost,
        speedup: naive.cost.cycleMs / keeper.cost.cycleMs,
        decision,
      };
      points.push(point);
      args.progress(
        `${args.series} series at ${rttMs} ms round trip: keeper ${point.keeper.roundTrips} trips ` +
          `${point.keeper.cycleMs.toFixed(0)} ms, naive (${NAIVE_CONCURRENCY} in flight) ${point.naive.roundTrips} trips ` +
          `${point.naive.cycleMs.toFixed(0)} ms (${point.speedup.toFixed(1)}×)`,
      );
    }
    return points;
  } finally {
    await proxy.close();
  }
}
