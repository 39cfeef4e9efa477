/**
 * The scaling bench's figures, tables, chart and notes from its measurements (bench/scaling.ts).
 */
import type { KeeperSettings } from "../keeper/keeper.js";
import { figure, type Chart, type SectionResult, type Table } from "./section.js";
import {
  GOAL_ROUND_TRIPS,
  GOAL_COMPUTE_MS,
  GOAL_SPEEDUP,
  GOAL_RTT_MS,
  SPOT_USD,
  SEEDER_BATCH,
  FIRST_STRIKE_USD,
  STRIKE_SPAN,
  type Plan,
  COMPUTE_WARMUP,
  type Comparison,
  type OnChainPoint,
  type ComputeOnlyPoint,
} from "./scalingModel.js";
import { NAIVE_CONCURRENCY, type RttPoint } from "./rttScaling.js";
export function report(
  plan: Plan,
  cap: number,
  settings: KeeperSettings,
  onChain: OnChainPoint[],
  computeOnly: ComputeOnlyPoint[],
  rtt: RttPoint[],
): SectionResult {
  const largest = onChain[onChain.length - 1]!;
  const withAsRun = onChain.filter((p): p is OnChainPoint & { asRun: Comparison } => p.asRun !== null);
  const atCap = withAsRun.filter((p) => !p.beyondCap).at(-1)!;
  const asRunPoint = withAsRun.at(-1)!;
  const biggestSynthetic = computeOnly[computeOnly.length - 1]!;
  const maxTrips = Math.max(...onChain.flatMap((p) => [p.asRun?.keeper.roundTrips ?? 0, p.noWalk.keeper.roundTrips]));
  const ms = (v: number) => v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
  const n = (v: number) => v.toLocaleString("en-US");
  const noWalk = largest.noWalk;
  const sizes = onChain.map((p) => n(p.series)).join(", ");
  const goalSize = 10_000;
  const where = `${n(largest.series)} series`;
  // The compute goal is at 10,000 series: from an on-chain read when the run had one, else the synthetic book.
  const onChainAtGoal = onChain.find((p) => p.series === goalSize);
  const computeAtGoal =
    onChainAtGoal?.noWalk.keeper.computeMs ??
    computeOnly.find((p) => p.series === goalSize)?.computeMs ??
    biggestSynthetic.computeMs;
  const computeSource = onChainAtGoal ? "on the on-chain read" : "synthetic book";
  const beyond = onChain.filter((p) => p.beyondCap);
  const deployment = (p: OnChainPoint) => (p.beyondCap ? "bench-only (cap lifted)" : "vault as deployed");
  const viewCell = (p: OnChainPoint) =>
    `${p.viewCall.outcome}: ${ms(p.viewCall.coldMs)} ms cold, ${ms(p.viewCall.warmMs)} ms warm`;

  const figures = [
    figure(
      `Keeper round trips per read, ${where}`,
      noWalk.keeper.roundTrips,
      "round trips",
      { label: "naive keeper", value: noWalk.naive.roundTrips, unit: "round trips" },
      {
        goal: {
          text: `≤ ${GOAL_ROUND_TRIPS} round trips at every size (max ${maxTrips} over ${sizes})`,
          met: maxTrips <= GOAL_ROUND_TRIPS,
        },
      },
    ),
    figure(`Keeper response bytes per read, ${where}`, noWalk.keeper.responseBytes, "bytes", {
      label: "naive keeper",
      value: noWalk.naive.responseBytes,
      unit: "bytes",
    }),
    figure(
      `Naive keeper's read + compute + decide, ${where}, vault view reverting before its walk (ratio = speed-up)`,
      noWalk.naive.cycleMs,
      "ms",
      { label: "real keeper", value: noWalk.keeper.cycleMs, unit: "ms" },
      { note: "on loopback (≈ 1 ms a round trip); the goal is judged at a hosted node's latency below" },
    ),
    ...rtt.map((p) =>
      figure(
        `Naive keeper (${NAIVE_CONCURRENCY} calls in flight) vs the keeper, ${n(p.series)} series at ${p.rttMs} ms ` +
          "round trip (ratio = speed-up)",
        p.naive.cycleMs,
        "ms",
        { label: "real keeper", value: p.keeper.cycleMs, unit: "ms" },
        p.rttMs === GOAL_RTT_MS
          ? {
              goal: {
                text:
                  `≥ ${GOAL_SPEEDUP}× at ${GOAL_RTT_MS} ms and ${n(goalSize)} series` +
                  (p.series >= goalSize ? "" : ` (not reached in this run: measured at ${n(p.series)})`),
                met: p.series >= goalSize && p.speedup >= GOAL_SPEEDUP,
              },
            }
          : {},
      ),
    ),
    figure(
      `Naive keeper's read + compute + decide, ${n(asRunPoint.series)} series, as run with the netDeltaWad ` +
        "cross-check (ratio = speed-up)",
      asRunPoint.asRun.naive.cycleMs,
      "ms",
      { label: "real keeper", value: asRunPoint.asRun.keeper.cycleMs, unit: "ms" },
      asRunPoint.series >= goalSize
        ? {
            goal: {
              text: `≥ ${GOAL_SPEEDUP}× faster than naive at ${n(goalSize)} series`,
              met: asRunPoint.asRun.speedup >= GOAL_SPEEDUP,
            },
            note: "both wait for the node to run the vault's view until it fails out of gas",
          }
        : { note: "both wait for the node to execute the vault's on-chain book walk" },
    ),
    figure(
      `Keeper read at the cap (${n(atCap.series)} series) with the on-chain netDeltaWad cross-check`,
      atCap.asRun.keeper.readMs,
      "ms",
      { label: "the same read when the view reverts early", value: atCap.noWalk.keeper.readMs, unit: "ms" },
    ),
    figure(
      `Compute (assess + decide), ${n(goalSize)} series — ${computeSource}`,
      computeAtGoal,
      "ms",
      { label: "goal", value: GOAL_COMPUTE_MS, unit: "ms" },
      { goal: { text: `≤ ${GOAL_COMPUTE_MS} ms at ${n(goalSize)} series`, met: computeAtGoal <= GOAL_COMPUTE_MS } },
    ),
  ];

  const row = (p: OnChainPoint, c: Comparison, view: string) => [
    n(p.series),
    deployment(p),
    view,
    `${c.keeper.reads} / ${c.naive.reads}`,
    c.keeper.roundTrips,
    c.keeper.requests,
    `${n(c.keeper.requestBytes)} / ${n(c.keeper.responseBytes)}`,
    c.keeper.readMs,
    c.keeper.computeMs,
    c.naive.roundTrips,
    `${n(c.naive.requestBytes)} / ${n(c.naive.responseBytes)}`,
    c.naive.readMs,
    c.speedup,
  ];
  const columns = [
    "series",
    "deployment",
    "netDeltaWad view",
    "reads (keeper / naive)",
    "keeper round trips",
    "keeper requests",
    "keeper bytes (req / resp)",
    "keeper read ms",
    "keeper compute ms",
    "naive round trips",
    "naive bytes (req / resp)",
    "naive read ms",
    "speed-up",
  ];
  const tables: Table[] = [
    {
      title: `Read + compute + decide at a hosted node's latency (naive keeper: ${NAIVE_CONCURRENCY} calls in flight)`,
      columns: [
        "round trip (ms)",
        "series",
        "keeper round trips",
        "keeper read ms",
        "keeper cycle ms",
        "naive round trips",
        "naive read ms",
        "naive cycle ms",
        "speed-up",
        "decision (both)",
      ],
      rows: rtt.map((p) => [
        p.rttMs,
        n(p.series),
        p.keeper.roundTrips,
        p.keeper.readMs,
        p.keeper.cycleMs,
        p.naive.roundTrips,
        p.naive.readMs,
        p.naive.cycleMs,
        p.speedup,
        p.decision,
      ]),
      note:
        "Every HTTP request goes through a loopback proxy (scripts/lib/testing/faultProxy.ts) that answers it the round-trip " +
        "time late; the vault's view reverts before its walk (as in the first table), so the node's own work is small.",
    },
    {
      title:
        "Read + compute + decide by book size, vault view reverting at its oracle check (no book walk on the node)",
      columns,
      rows: onChain.map((p) => row(p, p.noWalk, "reverts (oracle age)")),
      note:
        "Medians (ms) of the reads and of the compute; speed-up = naive cycle / keeper cycle, cycle = read + " +
        `compute; the compute is the same code on the same snapshot. Decisions: ${onChain.map((p) => `${n(p.series)}: ${p.decision}`).join("; ")}.`,
    },
    {
      title: "The same, as run: the snapshot includes the vault's netDeltaWad cross-check",
      columns,
      rows: [
        ...onChain.flatMap((p) => (p.asRun ? [row(p, p.asRun, viewCell(p))] : [])),
        ...onChain.flatMap((p) =>
          p.asRun ? [] : [[n(p.series), deployment(p), viewCell(p), `keeper read failed: ${p.asRunFailure}`]],
        ),
      ],
    },
    {
      title: "Compute alone: assess + decide on the on-chain reads and on synthetic books",
      columns: ["series", "assess + decide ms", "evaluateBook ms (typed arrays)", "µs per series (assess + decide)"],
      rows: [
        ...onChain.map((p) => [
          `${n(p.series)} (on-chain read)`,
          p.noWalk.keeper.computeMs,
          "—",
          (1000 * p.noWalk.keeper.computeMs) / p.series,
        ]),
        ...computeOnly.map((p) => [
          `${n(p.series)} (synthetic)`,
          p.computeMs,
          p.riskMs,
          (1000 * p.computeMs) / p.series,
        ]),
      ],
    },
  ];

  const charts: Chart[] = [
    {
      title: "Cycle time vs book size",
      xLabel: "series",
      yLabel: "ms (read + compute + decide)",
      logX: true,
      logY: true,
      series: [
        { name: "real keeper", line: true, points: onChain.map((p) => [p.series, p.noWalk.keeper.cycleMs]) },
        { name: "naive keeper", line: true, points: onChain.map((p) => [p.series, p.noWalk.naive.cycleMs]) },
        {
          name: "real keeper, with the on-chain cross-check",
          line: true,
          dashed: true,
          points: withAsRun.map((p) => [p.series, p.asRun.keeper.cycleMs]),
        },
        {
          name: "naive keeper, with the on-chain cross-check",
          line: true,
          dashed: true,
          points: withAsRun.map((p) => [p.series, p.asRun.naive.cycleMs]),
        },
        {
          name: "compute only (assess + decide, synthetic)",
          line: true,
          points: computeOnly.map((p): [number, number] => [p.series, p.computeMs]),
        },
      ],
    },
    {
      title: "Round trips per read vs book size",
      xLabel: "series",
      yLabel: "HTTP round trips",
      logX: true,
      logY: true,
      series: [
        { name: "real keeper", line: true, points: onChain.map((p) => [p.series, p.noWalk.keeper.roundTrips]) },
        { name: "naive keeper", line: true, points: onChain.map((p) => [p.series, p.noWalk.naive.roundTrips]) },
      ],
    },
  ];

  const verdict = (met: boolean) => `**${met ? "met" : "not met"}**`;
  const beyondText =
    beyond.length === 0
      ? `This run stops at the vault's cap of ${n(cap)} series (quick run): the 10,000-series goals are judged on ` +
        "what it has (compute on a synthetic book; the speed-up is not measured at 10,000). "
      : `${beyond.map((p) => n(p.series)).join(" and ")} series exceed the vault's cap of ${n(cap)} and were read from ` +
        "a bench-only deployment with the cap lifted (see the notes), where the vault's own `netDeltaWad()` " +
        beyond
          .map(
            (p) =>
              `${p.viewCall.outcome === "returned" ? "returns" : "fails out of gas"} at ${n(p.series)} ` +
              `(${ms(p.viewCall.warmMs)} ms of node time, warm)`,
          )
          .join(" and ") +
        ". ";
  const atGoalRtt = rtt.find((p) => p.rttMs === GOAL_RTT_MS);
  const rttText =
    atGoalRtt === undefined
      ? "No latency point was measured in this run. "
      : `Through a proxy adding ${GOAL_RTT_MS} ms to every round trip (a hosted node), at ${n(atGoalRtt.series)} ` +
        `series the keeper's cycle takes ${ms(atGoalRtt.keeper.cycleMs)} ms vs ${ms(atGoalRtt.naive.cycleMs)} ms for ` +
        `the naive keeper with ${NAIVE_CONCURRENCY} calls in flight: **${atGoalRtt.speedup.toFixed(1)}×** (goal ≥ ` +
        `${GOAL_SPEEDUP}× at ${n(goalSize)} series: ` +
        `${verdict(atGoalRtt.series >= goalSize && atGoalRtt.speedup >= GOAL_SPEEDUP)}` +
        `${atGoalRtt.series >= goalSize ? "" : `, measured at ${n(atGoalRtt.series)} in this run`}). `;
  const summary =
    `The real keeper reads a snapshot in **${maxTrips} HTTP round trips at every book size** (${sizes} series; ` +
    `goal ≤ ${GOAL_ROUND_TRIPS}: ${verdict(maxTrips <= GOAL_ROUND_TRIPS)}), against ${n(noWalk.naive.roundTrips)} for ` +
    `a naive keeper at ${where}, and moves ${n(noWalk.keeper.responseBytes)} response bytes vs ` +
    `${n(noWalk.naive.responseBytes)}. ${beyondText}At ${where}, with the vault's view reverting before its walk, ` +
    `read + compute + decide takes ${ms(noWalk.keeper.cycleMs)} ms vs ${ms(noWalk.naive.cycleMs)} ms naive: ` +
    `**${noWalk.speedup.toFixed(1)}× faster** on loopback. ${rttText}` +
    `As run at the cap (${n(atCap.series)} series), both keepers also wait for the node to execute the vault's ` +
    `\`netDeltaWad()\` cross-check, a Black–Scholes walk over the whole book: the keeper's read takes ` +
    `${ms(atCap.asRun.keeper.readMs)} ms with it and ${ms(atCap.noWalk.keeper.readMs)} ms without, and its speed-up ` +
    `over the naive keeper is ${atCap.asRun.speedup.toFixed(1)}×` +
    (asRunPoint.beyondCap
      ? `; as run at ${n(asRunPoint.series)} series, where the view fails out of gas, it is ` +
        `${asRunPoint.asRun.speedup.toFixed(1)}× (${ms(asRunPoint.asRun.keeper.cycleMs)} vs ` +
        `${ms(asRunPoint.asRun.naive.cycleMs)} ms). `
      : ". ") +
    onChain
      .filter((p) => p.asRunFailure !== null)
      .map((p) => `At ${n(p.series)} series the as-run read failed: ${p.asRunFailure}. `)
      .join("") +
    `Compute (assess + decide) at ` +
    `${n(goalSize)} series takes ${ms(computeAtGoal)} ms (${computeSource}; goal ≤ ${GOAL_COMPUTE_MS} ms: ` +
    `${verdict(computeAtGoal <= GOAL_COMPUTE_MS)}).`;

  return {
    name: "scaling",
    title: "Keeper scaling: read + compute + decide vs book size",
    summary,
    figures,
    tables,
    charts,
    notes: [
      `A \`hardhat node\` on loopback (scripts/lib/node/localNode.ts), market replica at $${SPOT_USD}, vault and adapter ` +
        `with the default parameters and maxActiveSeries = ${cap} (\`OptionsVault.MAX_ACTIVE_SERIES_CAP\`, checked ` +
        `against the contract). The book is seeded with contracts/mocks/BookSeeder.sol through the vault's ` +
        `\`openSeries\` (${SEEDER_BATCH} series per transaction: ±0.01 ETH, vol 70%, strikes from $${n(FIRST_STRIKE_USD)} in ` +
        `$1 steps wrapping every ${STRIKE_SPAN} series, expiries from 7 days in 1-minute steps). Sizes: ${plan.onChainSizes.map(n).join(", ")}.`,
      `Past the cap (${n(cap)} series, set from the measured gas of \`netDeltaWad\`): no vault can be deployed with ` +
        "more, so the full run's 1,000 and 10,000 series use a bench-only deployment — the same vault bytecode and " +
        "state, with the `maxActiveSeries` storage slot raised by one `hardhat_setStorageAt` (the slot is found by " +
        "value and confirmed through the getter), then every series opened by `openSeries` as below the cap. The " +
        "keepers' reads (activeSeriesCount, getActiveSeries pages, everything else) are the same calls on the same " +
        "contract; what differs is that the vault's `netDeltaWad()` view must walk more series than an eth_call's gas " +
        "allows: it fails out of gas after the node has run it to the eth_call gas limit (the netDeltaWad column), " +
        "and the keepers read null, as for a stale oracle. Both the as-run and the no-walk reads are attempted there; " +
        "an as-run read that outlasts the keepers' RPC timeout is reported as failed. This measures how the keeper's " +
        "read path scales, not a configuration the protocol allows.",
      "Real keeper: keeper/chain/snapshot.ts `readSnapshot` over keeper/chain/client.ts `httpTransport` (JSON-RPC " +
        `batching, round trips from \`createRpcCounter\`), page size ${settings.pageSize} (the keeper's default), ` +
        "then keeper/cycle/assess.ts `assess` and keeper/policy `decide` with the keeper's default settings " +
        `(policy ${settings.policy.kind}), gated as keeper/keeper.ts does. Naive keeper: bench/naiveKeeper.ts — the same ` +
        "reads into the same snapshot, one awaited eth_call at a time over plain viem HTTP (no batching), the book by " +
        "`getActiveSeries(i, 1)`; then the same compute. Both read at a pinned block and must reach the same decision.",
      "The cross-check: the snapshot includes the vault's `netDeltaWad()`, which walks every active series with " +
        "on-chain Black–Scholes (≈ 9,900 gas per series, see the gas section: ≈ 5 M gas at 500 series). The no-walk " +
        "rows lower the vault's settlement oracle age to its 60 s minimum and move the clock past it, so that view " +
        "reverts at its oracle check while everything else is read as before; they isolate what the keepers' reading " +
        "itself costs.",
      "Every timed read meets a freshly mined head (an empty block before each, untimed), as a keeper reading each " +
        "block does. The netDeltaWad column times the view alone (viem, pinned block): cold is the first call after " +
        "the book was seeded, warm the next one a block later. Those single calls are indicative only: on this " +
        "loaded machine they were sometimes slower than a whole keeper read that includes the same view.",
      "Why the speed-up stays far below 50×: on loopback a round trip costs about a millisecond, so the naive " +
        "keeper's 10,014 calls cost little more than the node's work, which both keepers pay (the book's storage " +
        "reads, ABI encoding). The keeper's advantage grows with the RPC's round-trip time (3 round trips against one " +
        "per series); a remote RPC was not measured here (no network access from these machines).",
      "Bytes are JSON-RPC request and response bodies counted by wrapping the global `fetch` (bench/fetchMeter.ts); " +
        "HTTP headers are not counted. Each read's HTTP posts are checked against the counted round trips.",
      `Runs per size and variant: keeper reads after one warm-up, at least ${plan.keeperReads.min} and then more up ` +
        `to ${plan.keeperReads.max} within ${plan.keeperReads.budgetMs / 1000} s of reading; naive reads ` +
        `${plan.naiveReads.min}–${plan.naiveReads.max} likewise (the counts are in the tables); ${plan.computeRuns} ` +
        `compute runs after ${COMPUTE_WARMUP} warm-ups; medians. Wall times on a loaded 2-core machine with the node ` +
        "in the same box: round trips and bytes are exact, times indicative.",
      "Synthetic books: the realistic book generator (scripts/lib/market/book.ts) at the run's seed, as wad rows in a " +
        "snapshot copied from the last on-chain read (so assess converts units as on chain), with no on-chain " +
        "net delta; `evaluateBook` alone is timed on the typed arrays.",
    ],
    data: { plan, cap, onChain, computeOnly },
  };
}
