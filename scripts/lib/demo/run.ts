/**
 * The demo's run loop: an in-process Hardhat chain, the whole stack deployed on it, then for each step a new oracle
 * answer from the seeded path (the arbitrageur trades the pool to it) and one cycle of the real keeper, recorded.
 */
import { network } from "hardhat";
import type { Logger } from "pino";
import type { CycleReport } from "../../../keeper/keeper.js";
import { createLogger } from "../../../keeper/telemetry/logger.js";
import { usdcToNumber, wadToNumber } from "../../../keeper/units.js";
import { startInProcessKeeper } from "../testing/keeperHarness.js";
import { deployWorld, type World } from "../market/world.js";
import { bookRows, hedgeCosts, markToMarketUsd, valueBook, type HedgeCosts } from "./accounting.js";
import { pricePath, type DemoOptions } from "./options.js";

export interface HedgeRecord extends HedgeCosts {
  step: number;
  block: number;
  txHash: string;
  side: "buyWeth" | "sellWeth";
  /** net delta before and after, ETH (off-chain Black–Scholes at the oracle, as the keeper sees it) */
  deltaBeforeEth: number;
  deltaAfterEth: number;
  /** pool spot after the swap (from the Hedged event) */
  poolPriceAfterUsd: number;
}

export interface StepRecord {
  step: number;
  /** block the keeper's snapshot was read at */
  block: number;
  timeSec: number;
  oracleUsd: number;
  /** pool spot the keeper saw (after the arbitrageur), and after the step's hedge if any */
  poolUsd: number;
  poolAfterUsd: number;
  bandEth: number;
  optionsDeltaEth: number;
  /** the book with its initial WETH frozen: what the vault's delta would be without the keeper */
  unhedgedDeltaEth: number;
  /** net delta the keeper assessed, and after this step's hedge */
  netDeltaBeforeEth: number;
  netDeltaEth: number;
  decision: "hedge" | "hold";
  /** policy reason ("inside-band", "cost-exceeds-benefit", …) or the gates that stopped any hedge ("pool-deviation") */
  reason: string;
  /** a market or chain condition stopped any hedge this block (the reason names it) */
  gated: boolean;
  detail: string;
  /** what happened to a hedge the keeper decided (succeeded, rejected, …); null on hold */
  outcome: string | null;
  /** index into DemoRun.hedges when this step hedged */
  hedgeIndex: number | null;
  wethEth: number;
  usdc: number;
  optionsValueUsd: number;
  /** vault mark-to-market P&L since step 0, hedged (the real vault) and unhedged (initial inventory frozen) */
  pnlHedgedUsd: number;
  pnlUnhedgedUsd: number;
  /** hedged P&L over this step before trading costs: what the residual delta and gamma/theta earned or lost */
  hedgeErrorUsd: number;
  /** cumulative costs so far, USD */
  poolFeeUsd: number;
  slippageUsd: number;
  gasUsd: number;
}

export interface StepFailure {
  step: number;
  error: string;
}

export interface DemoRun {
  options: DemoOptions;
  startedAt: string;
  /** requested steps were not all run (Ctrl-C) */
  interrupted: boolean;
  deploySec: number;
  durationSec: number;
  /** the path's oracle prices, S_0 … S_blocks (the steps run may be fewer) */
  path: number[];
  steps: StepRecord[];
  hedges: HedgeRecord[];
  failures: StepFailure[];
  /** why the run stopped early on its own (the chain or keeper kept failing); null when it did not */
  fatalError: string | null;
  /** Hedged events the adapter emitted during the run, counted from its logs */
  hedgesOnChain: number;
  /** the vault's own netDeltaWad() at the end, ETH (null if the call reverted) */
  finalOnChainNetDeltaEth: number | null;
  book: { series: number; calls: number; puts: number; shortEth: number; longEth: number };
  /** warn/error lines the keeper logged (gates, refused hedges), pino JSON */
  keeperLog: string[];
}

export interface DemoHooks {
  /** stops the loop between steps; the run returns what it has, marked interrupted */
  signal?: AbortSignal;
  /** a phase starts (deploying, running) */
  onPhase?: (message: string) => void;
  onStep?: (step: StepRecord, run: DemoRun) => void;
}

/** Consecutive failed cycles after which the run stops: the chain or the keeper is broken, not the market. */
const MAX_CONSECUTIVE_FAILURES = 5;

export async function runDemo(options: DemoOptions, hooks: DemoHooks = {}): Promise<DemoRun> {
  const startedMs = performance.now();
  const run: DemoRun = {
    options,
    startedAt: new Date().toISOString(),
    interrupted: false,
    deploySec: 0,
    durationSec: 0,
    path: Array.from(pricePath(options)),
    steps: [],
    hedges: [],
    failures: [],
    fatalError: null,
    hedgesOnChain: 0,
    finalOnChainNetDeltaEth: null,
    book: { series: 0, calls: 0, puts: 0, shortEth: 0, longEth: 0 },
    keeperLog: [],
  };

  hooks.onPhase?.("starting an in-process Hardhat chain");
  const connection = await network.create();
  try {
    hooks.onPhase?.(`deploying the market replica, vault, adapter, DAO and a ${options.series}-series book`);
    const world = await deployWorld(connection.ethers, {
      series: options.series,
      seed: options.seed,
      replica: { initialPriceUsd: options.spotUsd },
      governance: "development",
    });
    run.book = summarizeBook(world);
    const logger: Logger = createLogger({ level: "warn", destination: { write: (line) => run.keeperLog.push(line) } });
    const service = await startInProcessKeeper({
      provider: connection.provider as never,
      adapter: await world.stack.adapter.getAddress(),
      quoter: world.market.book.quoterV2,
      env: { HK_POLICY: options.policy },
      logger,
    });
    run.deploySec = (performance.now() - startedMs) / 1000;
    hooks.onPhase?.(`running ${options.blocks} blocks, ${options.policy} policy`);
    try {
      // A run that breaks down still returns what it recorded, so the caller can write the report.
      await loop(world, service.keeper.runCycle, run, hooks, connection.ethers.provider).catch((error: unknown) => {
        run.fatalError = (error as Error).message;
      });
      const [events, onChainDelta] = await Promise.all([
        world.stack.adapter.queryFilter(world.stack.adapter.filters.Hedged()),
        world.stack.vault.netDeltaWad().catch(() => null),
      ]);
      run.hedgesOnChain = events.length;
      run.finalOnChainNetDeltaEth = onChainDelta === null ? null : wadToNumber(onChainDelta);
    } finally {
      await service.close();
    }
  } finally {
    await connection.close();
    run.durationSec = (performance.now() - startedMs) / 1000;
  }
  return run;
}

type Provider = World["ethers"]["provider"];

async function loop(
  world: World,
  runCycle: () => Promise<CycleReport>,
  run: DemoRun,
  hooks: DemoHooks,
  provider: Provider,
): Promise<void> {
  const { options, path } = run;
  const record = createRecorder(run, Number(await world.stack.adapter.poolFee()));
  const startSec = (await provider.getBlock("latest"))!.timestamp;
  let consecutiveFailures = 0;

  for (let step = 0; step <= options.blocks; step++) {
    if (hooks.signal?.aborted) {
      run.interrupted = true;
      return;
    }
    let report: CycleReport;
    try {
      if (step > 0) {
        await setNextBlockTime(provider, startSec + step * options.stepSec);
        await world.driver.setPrice(path[step]!);
      }
      report = await runCycle();
      consecutiveFailures = 0;
    } catch (error) {
      const message = (error as Error).message.split("\n")[0]!;
      run.failures.push({ step, error: message });
      consecutiveFailures += 1;
      if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        throw new Error(`${consecutiveFailures} blocks in a row failed, the last (${step}) with: ${message}`, {
          cause: error,
        });
      }
      continue;
    }
    // Record first: `hooks.onStep?.(record(…))` would skip the recording when nobody listens.
    const recorded = record(step, report);
    hooks.onStep?.(recorded, run);
  }
}

/**
 * Turns each cycle report into a step record: the vault's inventory after the step's hedge, its mark-to-market
 * against the frozen (unhedged) inventory of the first step, and the costs so far.
 */
function createRecorder(run: DemoRun, poolFee: number) {
  let baseline: { valueUsd: number; wethEth: number; usdc: number } | null = null;
  let previous: StepRecord | null = null;
  const costs = { poolFeeUsd: 0, slippageUsd: 0, gasUsd: 0 };

  return function record(step: number, report: CycleReport): StepRecord {
    const { snapshot, assessment: a, decision, outcome } = report;
    let wethEth = wadToNumber(snapshot.collateral.wethWad);
    let usdc = usdcToNumber(snapshot.collateral.usdc6);
    const book = valueBook(bookRows(snapshot.book), a.spotUsd, snapshot.blockTimestamp);
    // P&L counts from the first recorded step, before its hedge (if any).
    baseline ??= { valueUsd: markToMarketUsd(book.valueUsd, wethEth, usdc, a.spotUsd), wethEth, usdc };

    let hedgeIndex: number | null = null;
    let poolAfterUsd = a.poolPriceUsd;
    let tradeLossUsd = 0;
    if (decision.kind === "hedge" && outcome?.kind === "succeeded") {
      const buyWeth = decision.side === "buyWeth";
      const fill = hedgeCosts({ ...outcome, buyWeth }, poolFee);
      wethEth += buyWeth ? fill.wethEth : -fill.wethEth;
      usdc += buyWeth ? -fill.usdc : fill.usdc;
      costs.poolFeeUsd += fill.poolFeeUsd;
      costs.slippageUsd += fill.slippageUsd;
      costs.gasUsd += fill.gasUsd;
      tradeLossUsd = fill.poolFeeUsd + fill.slippageUsd;
      poolAfterUsd = wadToNumber(outcome.poolPriceWad);
      hedgeIndex = run.hedges.length;
      run.hedges.push({
        ...fill,
        step,
        block: Number(outcome.blockNumber),
        txHash: outcome.txHash,
        side: decision.side,
        deltaBeforeEth: a.netDeltaEth,
        deltaAfterEth: book.deltaEth + wethEth,
        poolPriceAfterUsd: poolAfterUsd,
      });
    } else if (outcome?.kind === "reverted") {
      // A reverted hedge moves nothing but still burns the keeper's gas.
      costs.gasUsd += wadToNumber(outcome.gasUsed * outcome.effectiveGasPrice) * a.spotUsd;
    }

    const pnlHedgedUsd = markToMarketUsd(book.valueUsd, wethEth, usdc, a.spotUsd) - baseline.valueUsd;
    const unhedgedValueUsd = markToMarketUsd(book.valueUsd, baseline.wethEth, baseline.usdc, a.spotUsd);
    const current: StepRecord = {
      step,
      block: Number(snapshot.blockNumber),
      timeSec: snapshot.blockTimestamp,
      oracleUsd: a.spotUsd,
      poolUsd: a.poolPriceUsd,
      poolAfterUsd,
      bandEth: a.bandEth,
      optionsDeltaEth: book.deltaEth,
      unhedgedDeltaEth: book.deltaEth + baseline.wethEth,
      netDeltaBeforeEth: a.netDeltaEth,
      netDeltaEth: book.deltaEth + wethEth,
      decision: decision.kind,
      reason: holdReason(decision),
      gated: decision.kind === "hold" && decision.reason === "gate",
      detail: stepDetail(report),
      outcome: outcome?.kind ?? null,
      hedgeIndex,
      wethEth,
      usdc,
      optionsValueUsd: book.valueUsd,
      pnlHedgedUsd,
      pnlUnhedgedUsd: unhedgedValueUsd - baseline.valueUsd,
      hedgeErrorUsd: pnlHedgedUsd - (previous?.pnlHedgedUsd ?? 0) + tradeLossUsd,
      ...costs,
    };
    run.steps.push(current);
    previous = current;
    return current;
  };
}

function holdReason(decision: CycleReport["decision"]): string {
  if (decision.kind === "hedge") return "hedge";
  return decision.reason === "gate" ? decision.gates.map((g) => g.reason).join("+") : decision.reason;
}

/** The policy's words for the decision, or what became of a hedge that did not go through. */
function stepDetail({ decision, outcome }: CycleReport): string {
  if (outcome && outcome.kind !== "succeeded") return `${outcome.kind}: ${describeOutcome(outcome)}`;
  return decision.kind === "hold" ? decision.detail : decision.reason;
}

function describeOutcome(outcome: NonNullable<CycleReport["outcome"]>): string {
  switch (outcome.kind) {
    case "reverted":
    case "rejected":
      return outcome.error;
    case "deferred":
    case "dropped":
      return outcome.reason;
    case "pending":
      return `tx ${outcome.txHash} not mined yet`;
    case "succeeded":
      return `tx ${outcome.txHash}`;
  }
}

/** Pins the next block's timestamp so steps are `stepSec` apart on the chain, whatever the wall clock does. */
async function setNextBlockTime(provider: Provider, targetSec: number): Promise<void> {
  const latest = (await provider.getBlock("latest"))!.timestamp;
  await provider.send("evm_setNextBlockTimestamp", [Math.max(targetSec, latest + 1)]);
}

function summarizeBook(world: World): DemoRun["book"] {
  const calls = world.book.filter((s) => s.isCall).length;
  const sizes = world.book.map((s) => s.sizeEth);
  return {
    series: world.book.length,
    calls,
    puts: world.book.length - calls,
    shortEth: -sizes.filter((s) => s < 0).reduce((sum, s) => sum + s, 0),
    longEth: sizes.filter((s) => s > 0).reduce((sum, s) => sum + s, 0),
  };
}
