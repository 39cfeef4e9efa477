/**
 * Bench section "gas": what hedging through the adapter costs on chain compared with swapping on the pool directly.
 *
 * On an in-process Hardhat chain holding the market replica and the vault with a realistic book (scripts/lib/market/world.ts,
 * no governance), the book grows through the sizes of the plan; at each size one `rebalance` (buy WETH with 15,000
 * USDC) is compared with a bare SwapRouter `exactInputSingle` of the same size from the same pool state
 * (scripts/lib/testing/gasProbe.ts: evm_snapshot / evm_revert), and the vault's `netDeltaWad` view is priced. A linear fit
 * over the sizes splits the adapter's cost into a fixed overhead and a per-series slope; the call tree of the
 * smallest book's hedge (two levels: the pool's swap calls back into the adapter, which has the vault pay the pool)
 * shows where the fixed part goes and what each guard's read costs.
 */
import type { Interface } from "ethers";
import { openBook, realisticBook } from "../scripts/lib/market/book.js";
import {
  compareRebalanceWithBareSwap,
  netDeltaViewGas,
  type CallFrame,
  type RebalanceGasComparison,
} from "../scripts/lib/testing/gasProbe.js";
import { setFeedPrice } from "../scripts/lib/market/market.js";
import { deployWorld, type World } from "../scripts/lib/market/world.js";
import { linearFit, withInProcessNetwork } from "./measure.js";
import { figure, type BenchOptions, type BenchSection, type SectionResult, type Table } from "./section.js";

/** Issue 17's goals: a hedge at a one-series book ≤ 1.3 × the bare swap, the book walk ≤ 8,000 gas per series. */
const GOAL_RATIO = 1.3;
const GOAL_SLOPE_GAS = 8_000;
const SPOT_USD = 3000;
const TRADE_USDC = 15_000;
/** The world's default realistic book (seed 1): its prefixes of 1…250 series are all short delta by > 5 ETH. */
const BOOK_SEED = 1;

interface Plan {
  /** book sizes at which rebalance is compared with the bare swap */
  bookSizes: number[];
}

const QUICK: Plan = { bookSizes: [1, 10, 50] };
const FULL: Plan = { bookSizes: [1, 10, 50, 100, 250] };

interface SizePoint {
  series: number;
  rebalanceGas: number;
  bareSwapGas: number;
  ratio: number;
  netDeltaViewGas: number;
}

/** Where one transaction's gas goes: its intrinsic cost, each external call of the top frame, and the rest. */
interface GasBreakdown {
  intrinsic: number;
  /** `nested` lists the calls made inside a call, one level deep (e.g. the pool's swap callback and its payment) */
  calls: { label: string; count: number; gas: number; nested: { label: string; gas: number }[] }[];
  ownExecution: number;
  total: number;
}

/** 21,000 + calldata (4 gas per zero byte, 16 per non-zero byte). */
export function intrinsicGas(inputHex: string): number {
  let gas = 21_000;
  for (let i = 2; i + 1 < inputHex.length; i += 2) gas += inputHex.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

export function breakdown(frame: CallFrame, label: (call: CallFrame) => string): GasBreakdown {
  const total = Number(frame.gasUsed);
  const intrinsic = intrinsicGas(frame.input);
  const byLabel = new Map<string, { count: number; gas: number; nested: { label: string; gas: number }[] }>();
  for (const call of frame.calls ?? []) {
    const key = label(call);
    const entry = byLabel.get(key) ?? { count: 0, gas: 0, nested: [] };
    entry.count += 1;
    entry.gas += Number(call.gasUsed);
    for (const inner of call.calls ?? []) {
      entry.nested.push({ label: label(inner), gas: Number(inner.gasUsed) });
      for (const innermost of inner.calls ?? []) {
        entry.nested.push({ label: `${label(inner)} → ${label(innermost)}`, gas: Number(innermost.gasUsed) });
      }
    }
    byLabel.set(key, entry);
  }
  const calls = [...byLabel].map(([key, v]) => ({ label: key, ...v }));
  const inCalls = calls.reduce((sum, c) => sum + c.gas, 0);
  return { intrinsic, calls, ownExecution: total - intrinsic - inCalls, total };
}

/** Names a call as `contract.function` from the world's addresses and ABIs. */
function callLabeller(world: World, addresses: Record<string, string>): (call: CallFrame) => string {
  const interfaces: Record<string, Interface> = {
    feed: world.market.feed.interface,
    usdcFeed: world.market.usdcFeed.interface,
    adapter: world.stack.adapter.interface,
    pool: world.market.pool.interface,
    router: world.market.router.interface,
    usdc: world.market.usdc.interface,
    weth: world.market.weth.interface,
    vault: world.stack.vault.interface,
  };
  const names = new Map(Object.entries(addresses).map(([name, address]) => [address.toLowerCase(), name]));
  return (call) => {
    const contract = names.get((call.to ?? "").toLowerCase()) ?? call.to ?? "?";
    const selector = call.input.slice(0, 10);
    const fn = interfaces[contract]?.getFunction(selector)?.name ?? selector;
    return `${contract}.${fn}`;
  };
}

async function growBook(world: World, size: number): Promise<void> {
  const { ethers, stack, actors } = world;
  const have = Number(await stack.vault.activeSeriesCount());
  if (have >= size) return;
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const book = realisticBook({ spotUsd: SPOT_USD, nowSec: now, count: size, seed: BOOK_SEED });
  await openBook(stack.vault, actors.writer, book.slice(have), actors.counterparty.address);
}

async function measure(
  world: World,
  series: number,
  trace: boolean,
): Promise<{ point: SizePoint; comparison: RebalanceGasComparison }> {
  const { ethers, market, stack, actors } = world;
  await growBook(world, series);
  await setFeedPrice(market, SPOT_USD); // keep the oracle fresh for the adapter's guard
  const deltaWad = await stack.vault.netDeltaWad();
  const tradeWad = (BigInt(TRADE_USDC) * 10n ** 18n) / BigInt(SPOT_USD);
  if (deltaWad > -tradeWad) {
    throw new Error(
      `gas bench: the ${series}-series book's net delta is ${Number(deltaWad) / 1e18} ETH; a ${TRADE_USDC} USDC buy ` +
        `must reduce it (reduce-only), so the book must be short more than ${Number(tradeWad) / 1e18} ETH`,
    );
  }
  const comparison = await compareRebalanceWithBareSwap({
    ethers,
    market,
    adapter: stack.adapter,
    keeper: actors.keeper,
    swapper: actors.voter,
    amountInUsdc6: BigInt(TRADE_USDC) * 10n ** 6n,
    callTrace: trace,
  });
  const point: SizePoint = {
    series,
    rebalanceGas: comparison.rebalanceGas,
    bareSwapGas: comparison.bareSwapGas,
    ratio: comparison.rebalanceGas / comparison.bareSwapGas,
    netDeltaViewGas: await netDeltaViewGas(stack.vault),
  };
  return { point, comparison };
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const plan = options.quick ? QUICK : FULL;
  return withInProcessNetwork(options.progress, async (connection) => {
    const started = performance.now();
    const world = await deployWorld(connection.ethers, {
      governance: false,
      series: 0,
      seed: BOOK_SEED,
      initialHedgeRatio: 0,
      maxActiveSeries: Math.max(...plan.bookSizes),
    });
    options.progress(`world deployed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const emptyBookViewGas = await netDeltaViewGas(world.stack.vault);
    const points: SizePoint[] = [];
    let smallest: RebalanceGasComparison | null = null;
    for (const series of plan.bookSizes) {
      const { point, comparison } = await measure(world, series, points.length === 0);
      smallest ??= comparison;
      points.push(point);
      options.progress(
        `${series} series: rebalance ${point.rebalanceGas} gas, bare swap ${point.bareSwapGas}, ` +
          `ratio ${point.ratio.toFixed(2)}, netDeltaWad view ${point.netDeltaViewGas}`,
      );
    }
    const addresses = {
      adapter: await world.stack.adapter.getAddress(),
      vault: await world.stack.vault.getAddress(),
      feed: world.market.book.ethUsdFeed,
      usdcFeed: world.market.book.usdcUsdFeed,
      pool: world.market.book.pool,
      router: world.market.book.swapRouter,
      usdc: world.market.book.usdc,
      weth: world.market.book.weth,
    };
    const label = callLabeller(world, addresses);
    const traces = smallest!.traces!;
    return report(plan, points, emptyBookViewGas, {
      rebalance: breakdown(traces.rebalance, label),
      bareSwap: breakdown(traces.bareSwap, label),
    });
  });
}

function report(
  plan: Plan,
  points: SizePoint[],
  emptyBookViewGas: number,
  split: { rebalance: GasBreakdown; bareSwap: GasBreakdown },
): SectionResult {
  const sizes = points.map((p) => p.series);
  const fit = linearFit(
    sizes,
    points.map((p) => p.rebalanceGas),
  );
  const viewFit = linearFit([0, ...sizes], [emptyBookViewGas, ...points.map((p) => p.netDeltaViewGas)]);
  const bareSwapGas = Math.round(points.reduce((s, p) => s + p.bareSwapGas, 0) / points.length);
  const bareSpread = Math.max(...points.map((p) => p.bareSwapGas)) - Math.min(...points.map((p) => p.bareSwapGas));
  const first = points[0]!;
  const bare = { label: "bare SwapRouter.exactInputSingle, same size and pool state", value: bareSwapGas, unit: "gas" };
  const goal = (ratio: number) => ({ text: `≤ ${GOAL_RATIO}× the bare swap`, met: ratio <= GOAL_RATIO });
  const fixedOverhead = fit.intercept - bareSwapGas;
  const callGas = (label: string) => split.rebalance.calls.find((c) => c.label === label)?.gas ?? 0;
  const bookWalk = callGas("vault.netDeltaAtWad");
  const slopeMet = viewFit.slope <= GOAL_SLOPE_GAS;
  const firstMet = first.ratio <= GOAL_RATIO;
  // What each guard's read costs (callee gas, from the call tree; the caller also pays ≈ 2,600 per cold account).
  const guardReads = [
    { guard: "ETH/USD oracle (staleness, fill bound)", gas: callGas("feed.latestRoundData") },
    { guard: "USDC/USD oracle (depeg guard)", gas: callGas("usdcFeed.latestRoundData") },
    { guard: "pool TWAP + block-start price (one observe)", gas: callGas("pool.observe") },
    { guard: "pool spot (spot-vs-TWAP guard, event)", gas: callGas("pool.slot0") },
    { guard: `book walk at ${first.series} series (reduce-only, band)`, gas: bookWalk },
  ];
  const guardTotal = guardReads.reduce((sum, g) => sum + g.gas, 0);
  // What the goal leaves for guards and the adapter's own execution once the unavoidable part is paid: the
  // transaction's intrinsic cost and the swap itself (the pool's swap with the callback and the vault's payment).
  const swapPath = split.rebalance.intrinsic + callGas("pool.swap");
  const goalGas = Math.round(GOAL_RATIO * first.bareSwapGas);
  const roomForGuards = goalGas - swapPath;
  const fmt = (gas: number) => Math.round(gas).toLocaleString("en-US");
  const feasibility =
    guardTotal > roomForGuards
      ? `The goal cannot be met with every guard in place: ${GOAL_RATIO}× is ${fmt(goalGas)} gas; the intrinsic ` +
        `cost and the swap itself take ${fmt(swapPath)}, leaving ${fmt(roomForGuards)} for the guards and the ` +
        `adapter's own execution, and the guards' external reads alone cost ${fmt(guardTotal)} ` +
        `(${fmt(guardTotal - roomForGuards)} over), before the cold account accesses, the role check and the ` +
        `parameter, budget and nonce slots.`
      : `The guards' external reads (${fmt(guardTotal)} gas) fit in the ${fmt(roomForGuards)} that ${GOAL_RATIO}× ` +
        `leaves after the intrinsic cost and the swap itself (${fmt(swapPath)}).`;

  const figures = [
    ...points.map((p, i) =>
      i === 0
        ? figure(`Adapter rebalance, ${p.series}-series book`, p.rebalanceGas, "gas", bare, { goal: goal(p.ratio) })
        : figure(`Adapter rebalance, ${p.series}-series book`, p.rebalanceGas, "gas", bare),
    ),
    figure("Adapter rebalance extrapolated to an empty book (fit intercept)", Math.round(fit.intercept), "gas", bare, {
      note: `fixed overhead ${Math.round(fixedOverhead).toLocaleString("en-US")} gas over the bare swap`,
    }),
    figure("Adapter overhead per series of the book (fit slope)", Math.round(fit.slope), "gas/series", bare),
    figure(
      "Book walk (netDeltaWad view) gas per series (fit slope)",
      Math.round(viewFit.slope),
      "gas/series",
      { label: "rebalance's per-series slope", value: Math.round(fit.slope), unit: "gas/series" },
      {
        note: "ratio ≈ 1: the book walk is all of rebalance's growth with the book",
        goal: { text: `≤ ${GOAL_SLOPE_GAS.toLocaleString("en-US")} gas per series`, met: slopeMet },
      },
    ),
  ];

  const tables: Table[] = [
    {
      title: "Rebalance vs bare swap by book size (15,000 USDC → WETH)",
      columns: ["series", "rebalance gas", "bare swap gas", "ratio", "overhead gas", "netDeltaWad view gas"],
      rows: [
        ["0", "—", "—", "—", "—", emptyBookViewGas],
        ...points.map((p) => [
          String(p.series),
          p.rebalanceGas,
          p.bareSwapGas,
          p.ratio,
          p.rebalanceGas - p.bareSwapGas,
          p.netDeltaViewGas,
        ]),
      ],
      note:
        `Fit over ${sizes.join(", ")} series: rebalance ≈ ${Math.round(fit.intercept).toLocaleString("en-US")} + ` +
        `${Math.round(fit.slope).toLocaleString("en-US")} × series; netDeltaWad view ≈ ` +
        `${Math.round(viewFit.intercept).toLocaleString("en-US")} + ${Math.round(viewFit.slope).toLocaleString("en-US")} × series.`,
    },
    {
      title: `Where the gas goes, ${first.series}-series book (call tree of each transaction)`,
      columns: ["component", "adapter rebalance", "bare swap"],
      rows: [
        ["intrinsic (21,000 + calldata)", split.rebalance.intrinsic, split.bareSwap.intrinsic],
        ...split.rebalance.calls.flatMap((c) => [
          [
            c.count === 1 ? `\`${c.label}\`` : `\`${c.label}\` (${c.count} calls)`,
            c.gas,
            c.label === "pool.swap" ? split.bareSwap.total - split.bareSwap.intrinsic : "—",
          ],
          ...(c.label === "pool.swap" ? c.nested.map((n) => [`  ↳ inside it: \`${n.label}\``, n.gas, "—"]) : []),
        ]),
        [
          "the adapter's own execution: role and request checks, nonce and timestamps, `Hedged` event, call overheads, net of refunds",
          split.rebalance.ownExecution,
          "—",
        ],
        ["total", split.rebalance.total, split.bareSwap.total],
      ],
      note:
        "Each call's gas is what the callee used (callTracer gasUsed), the cost of the CALL itself (warm/cold account " +
        "access) stays with the caller; the ↳ rows are already counted in the pool.swap row above them. The bare " +
        "swap's column on that row is its whole execution after the intrinsic cost (router, pool swap, both token " +
        "transfers): the adapter's swap with its callback and the vault's payment costs about the same as the " +
        "router's, so the overhead is the guards' reads and the adapter's own execution.",
    },
  ];

  const summary =
    `A hedge through the adapter, every guard in place, costs **${first.ratio.toFixed(2)}×** a bare SwapRouter swap ` +
    `of the same size with a ${first.series}-series book (${first.rebalanceGas.toLocaleString("en-US")} vs ` +
    `${first.bareSwapGas.toLocaleString("en-US")} gas) and ` +
    points
      .slice(1)
      .map((p) => `${p.ratio.toFixed(2)}× at ${p.series}`)
      .join(", ") +
    ` series: the ≤ ${GOAL_RATIO}× goal at one series is **${firstMet ? "met" : "not met"}**. The book walk costs ` +
    `${Math.round(viewFit.slope).toLocaleString("en-US")} gas per series (netDeltaWad view slope; rebalance's own ` +
    `slope ${Math.round(fit.slope).toLocaleString("en-US")}): the ≤ ${GOAL_SLOPE_GAS.toLocaleString("en-US")} goal is ` +
    `**${slopeMet ? "met" : "not met"}**. The adapter swaps on the pool directly and the vault pays the pool inside ` +
    `the swap callback, so the swap itself costs about what the router's does; the overhead at ${first.series} series, ` +
    `${(first.rebalanceGas - first.bareSwapGas).toLocaleString("en-US")} gas, is the guards' reads ` +
    `(${guardTotal.toLocaleString("en-US")} gas: ` +
    guardReads.map((g) => `${g.guard} ${g.gas.toLocaleString("en-US")}`).join(", ") +
    `) plus the adapter's own execution (role, pause and request checks, parameters, budgets, nonce and cooldown, ` +
    `the Hedged event, cold account access). ${feasibility}`;

  return {
    name: "gas",
    title: "Gas: adapter rebalance vs bare swap",
    summary,
    figures,
    tables,
    charts: [
      {
        title: "Gas vs book size",
        xLabel: "series in the book",
        yLabel: "gas",
        series: [
          { name: "adapter rebalance", line: true, points: points.map((p) => [p.series, p.rebalanceGas]) },
          {
            name: "bare exactInputSingle",
            line: true,
            dashed: true,
            points: points.map((p) => [p.series, p.bareSwapGas]),
          },
          {
            name: `${GOAL_RATIO}× bare swap (goal)`,
            line: true,
            dashed: true,
            markers: false,
            points: points.map((p) => [p.series, GOAL_RATIO * p.bareSwapGas]),
          },
          {
            name: "netDeltaWad view",
            line: true,
            points: [[0, emptyBookViewGas], ...points.map((p): [number, number] => [p.series, p.netDeltaViewGas])],
          },
        ],
      },
    ],
    notes: [
      `In-process Hardhat chain (EDR), market replica at $${SPOT_USD} (scripts/lib/market/market.ts), vault and adapter with ` +
        "the default parameters (scripts/lib/market/stack.ts), no governance; the book is the world's realistic book " +
        `(scripts/lib/market/book.ts, seed ${BOOK_SEED}), grown to ${sizes.join(", ")} series; the vault starts unhedged so ` +
        `every size is short delta by more than the trade. Book sizes: ${plan.bookSizes.join(", ")}.`,
      `Each size: one ${TRADE_USDC.toLocaleString("en-US")} USDC → WETH \`rebalance\` by the keeper, then, after ` +
        "evm_revert to the same state, the same `exactInputSingle` sent to the SwapRouter by an EOA funded and " +
        "approved before the snapshot (scripts/lib/testing/gasProbe.ts). Gas is the " +
        "receipt's gasUsed; " +
        (bareSpread === 0
          ? "the bare swap's gas is the same at every size."
          : `the bare swap varies by ${bareSpread} gas across sizes (the figures use their mean).`),
      "netDeltaWad view gas is eth_estimateGas of `netDeltaWad()` (21,000 base included; the slope is unaffected). " +
        "The rebalance calls `netDeltaAtWad` once, at the oracle price: the same walk over every active series.",
      "Gas is deterministic for a given book and pool state: one measurement per size; no timing involved.",
      `Which guard costs what (callee gas at ${first.series} series, from the call tree): ` +
        guardReads.map((g) => `${g.guard}: ${g.gas.toLocaleString("en-US")}`).join("; ") +
        `. Together ${guardTotal.toLocaleString("en-US")} gas, against the ${Math.round((GOAL_RATIO - 1) * first.bareSwapGas).toLocaleString("en-US")} ` +
        `the ${GOAL_RATIO}× goal allows over the bare swap; removing any of them would weaken a guard of the security ` +
        `model, so the goal is reported as it stands rather than met by loosening one. ${feasibility}`,
    ],
    data: { plan, tradeUsdc: TRADE_USDC, points, emptyBookViewGas, fit, viewFit, breakdown: split },
  };
}

export const section: BenchSection = {
  name: "gas",
  title: "Gas: adapter rebalance vs bare swap",
  run,
};
