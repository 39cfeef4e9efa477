/**
 * One soak seed: an in-process Hardhat chain with the whole world deployed, the real keeper service (what
 * `keeper run` wires) reaching it over HTTP through the fault proxy, and a loop of simulated blocks: chain time jumps
 * by the plan's step, the market moves along the regime's path (or the oracle goes quiet during an outage), the book
 * rolls, governance changes a parameter now and then, and the keeper runs one cycle. Everything the assertions need
 * is recorded; nothing is thrown for a keeper failure, so the caller always gets a result to judge.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { network } from "hardhat";
import type { CycleReport } from "../../../keeper/keeper.js";
import { loadConfig } from "../../../keeper/config/index.js";
import { startKeeperService } from "../../../keeper/service.js";
import { createLogger } from "../../../keeper/telemetry/logger.js";
import { Rng } from "../../../bench/backtest/rng.js";
import { startFaultProxy, type FaultProxy, type FaultRule } from "../testing/faultProxy.js";
import { devPrivateKey } from "../testing/keeperHarness.js";
import { deployWorld, type World } from "../market/world.js";
import { auditHedges, type AuditResult } from "./audit.js";
import { createBookRoller, type RollResult } from "./bookRoll.js";
import { DeltaTracker, type CycleObservation, type Excursion, type GatePeriods } from "./excursions.js";
import { createGovernanceSchedule, type GovernanceChange } from "./governanceChanges.js";
import { leakFigures, type LeakFigure, type ResourceSample } from "./leak.js";
import { pricePath, type SeedPlan } from "./plan.js";
import { startRpcBridge } from "./rpcBridge.js";

const BOOK_SERIES = 30;
/** Resource samples per run (the leak check fits a line through each half). */
const SAMPLES = 40;
/** Keeper cycles after the last block, with faults off, so every open intent is reconciled before the audit. */
const RECONCILE_CYCLES = 3;
/** Chain seconds an oracle outage lasts at least: twice the adapter's default maxOracleAgeSec. */
const OUTAGE_MIN_SEC = 2 * 3600;

export interface SeedResult {
  plan: SeedPlan;
  durationSec: number;
  /** keeper cycles run, and chain blocks mined in all (market, settlement, governance and hedge transactions) */
  cycles: number;
  chainBlocks: number;
  simulatedDays: number;
  hedges: number;
  decisions: Record<string, number>;
  /** cycles that threw: under an injected RPC fault (retried next block) and without one (a keeper failure) */
  faultedCycleFailures: number;
  unexplainedCycleFailures: string[];
  faultsInjected: number;
  gates: GatePeriods;
  excursions: { count: number; gated: number; maxExcessEth: number; longestBlocks: number };
  unexplainedExcursions: Excursion[];
  book: RollResult;
  governanceChanges: GovernanceChange[];
  outages: number;
  resources: { samples: ResourceSample[]; figures: LeakFigure[] };
  audit: AuditResult;
  unhandledRejections: string[];
  /** a failure of the soak's own machinery (deploy, market driver): the seed did not run to its end */
  harnessError: string | null;
  keeperWarnings: number;
  keeperErrors: number;
}

/** Reasons a cycle left the delta where it was, named as the gate table shows them. */
export function heldBy(report: CycleReport): string[] {
  const { decision, outcome } = report;
  if (decision.kind === "hold") {
    if (decision.reason === "gate") return decision.gates.map((g) => g.reason);
    if (decision.limit) return [decision.limit.reason];
    if (decision.reason === "inside-band" || decision.reason === "hysteresis") return [];
    return decision.reason === "cooldown" || decision.reason === "below-min-trade"
      ? [decision.reason]
      : [`policy:${decision.reason}`];
  }
  const reasons: string[] = [];
  if (decision.limit) reasons.push(`partial:${decision.limit.reason}`);
  if (outcome && outcome.kind !== "succeeded") reasons.push(`tx-${outcome.kind}`);
  return reasons;
}

function faultRules(plan: SeedPlan): FaultRule[] {
  const notSend = (calls: { method: string }[]) => !calls.some((c) => c.method === "eth_sendRawTransaction");
  const readFaults: FaultRule["fault"][] = [
    { kind: "drop" },
    { kind: "drop-response" },
    { kind: "delay", ms: 30 },
    { kind: "rpc-error" },
    { kind: "http-error" },
    { kind: "garbage" },
    { kind: "truncated" },
  ];
  return [
    { fault: { kind: "drop" }, methods: ["eth_sendRawTransaction"], probability: plan.txFaultRate / 2 },
    { fault: { kind: "drop-response" }, methods: ["eth_sendRawTransaction"], probability: plan.txFaultRate / 2 },
    ...readFaults.map((fault) => ({ fault, match: notSend, probability: plan.rpcFaultRate / readFaults.length })),
  ];
}

interface Counters {
  warnings: number;
  errors: number;
}

/** pino JSON lines → counts by level; nothing is kept (a soak must not grow its own memory). */
function countingDestination(counters: Counters) {
  return {
    write(line: string) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === "40") counters.warnings += 1;
      else if (level !== undefined && Number(level) >= 50) counters.errors += 1;
    },
  };
}

export interface SoakHooks {
  onProgress?: (step: number, plan: SeedPlan) => void;
  /** filled by the caller's process-level handlers; copied into the result */
  unhandledRejections?: string[];
}

export async function runSoakSeed(plan: SeedPlan, hooks: SoakHooks = {}): Promise<SeedResult> {
  const started = performance.now();
  const path = pricePath(plan);
  const tracker = new DeltaTracker();
  const counters: Counters = { warnings: 0, errors: 0 };
  const result: SeedResult = {
    plan,
    durationSec: 0,
    cycles: 0,
    chainBlocks: 0,
    simulatedDays: 0,
    hedges: 0,
    decisions: {},
    faultedCycleFailures: 0,
    unexplainedCycleFailures: [],
    faultsInjected: 0,
    gates: tracker.gates,
    excursions: { count: 0, gated: 0, maxExcessEth: 0, longestBlocks: 0 },
    unexplainedExcursions: [],
    book: { settled: 0, written: 0, deferred: 0 },
    governanceChanges: [],
    outages: 0,
    resources: { samples: [], figures: [] },
    audit: {
      hedgesOnChain: 0,
      intents: 0,
      succeededIntents: 0,
      unjournaled: [],
      phantom: [],
      duplicateNonces: [],
      hedgedTwice: [],
      open: [],
    },
    unhandledRejections: hooks.unhandledRejections ?? [],
    harnessError: null,
    keeperWarnings: 0,
    keeperErrors: 0,
  };

  const dir = mkdtempSync(join(tmpdir(), "hk-soak-"));
  const connection = await network.create();
  let proxy: FaultProxy | null = null;
  const bridge = await startRpcBridge(connection.provider as never);
  try {
    const world = await deployWorld(connection.ethers, {
      series: BOOK_SERIES,
      seed: plan.seed,
      replica: { initialPriceUsd: plan.spotUsd },
      governance: false,
      vaultUsdc: plan.vaultUsdc,
    });
    proxy = await startFaultProxy(bridge.url, { seed: plan.seed });
    const journalPath = join(dir, "journal.db");
    const config = loadConfig(
      {
        HK_RPC_URLS: proxy.url,
        HK_CHAIN_ID: "31337",
        HK_ADAPTER_ADDRESS: await world.stack.adapter.getAddress(),
        HK_QUOTER_ADDRESS: world.market.book.quoterV2,
        HK_PRIVATE_KEY: devPrivateKey(1),
        HK_JOURNAL_PATH: journalPath,
        HK_POLICY: plan.policy,
        HK_LOG_LEVEL: "warn",
        HK_CONFIRMATIONS: "1",
        // Automine: a receipt exists at once or never (a dropped broadcast); waiting longer only slows the soak.
        HK_RECEIPT_TIMEOUT_MS: "1500",
      },
      { dotenvPath: null },
    );
    const service = await startKeeperService(config, {
      telemetry: false,
      pollMs: 20,
      logger: createLogger({ level: "warn", destination: countingDestination(counters) }),
    });
    const journalReader = new Database(journalPath, { readonly: true, fileMustExist: true });
    try {
      for (const rule of faultRules(plan)) proxy.inject(rule);
      await loop(world, plan, path, service.keeper.runCycle, proxy, journalReader, tracker, result, hooks);
      proxy.clear();
      for (let i = 0; i < RECONCILE_CYCLES; i++) {
        await connection.ethers.provider.send("evm_mine", []);
        await service.keeper.runCycle();
      }
      const events = await world.stack.adapter.queryFilter(world.stack.adapter.filters.Hedged());
      const hedges = events.map((e) => ({ nonce: e.args.nonce, keeper: e.args.keeper, txHash: e.transactionHash }));
      const intents = service.journal.recentIntents(1_000_000);
      result.audit = auditHedges(
        hedges,
        { intents, txsOf: (id) => service.journal.txsOf(id) },
        world.actors.keeper.address,
      );
      result.hedges = hedges.length;
      result.chainBlocks = await connection.ethers.provider.getBlockNumber();
    } finally {
      journalReader.close();
      await service.close();
    }
  } catch (error) {
    result.harnessError = error instanceof Error ? (error.stack ?? error.message) : String(error);
  } finally {
    await proxy?.close();
    await bridge.close();
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  }
  tracker.finish();
  const worst = tracker.worst();
  result.excursions = {
    count: tracker.excursions.length,
    gated: tracker.excursions.filter((e) => e.reasons.length > 0).length,
    ...worst,
  };
  result.unexplainedExcursions = tracker.unexplained();
  result.resources.figures = leakFigures(result.resources.samples);
  result.keeperWarnings = counters.warnings;
  result.keeperErrors = counters.errors;
  result.durationSec = (performance.now() - started) / 1000;
  return result;
}

function sampleResources(step: number, journal: Database.Database): ResourceSample {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const count = (table: string) => (journal.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const stateRows = count("state");
  return {
    step,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    handles: process.getActiveResourcesInfo().length,
    journalRows: count("intents") + count("txs") + stateRows,
    journalStateRows: stateRows,
  };
}

async function loop(
  world: World,
  plan: SeedPlan,
  path: Float64Array,
  runCycle: () => Promise<CycleReport>,
  proxy: FaultProxy,
  journal: Database.Database,
  tracker: DeltaTracker,
  result: SeedResult,
  hooks: SoakHooks,
): Promise<void> {
  const provider = world.ethers.provider;
  const rng = new Rng(plan.seed, 0x0a7e);
  const roller = createBookRoller(world, plan.seed, BOOK_SERIES);
  const governance = createGovernanceSchedule(world, plan.seed, plan.governanceEveryBlocks);
  const startSec = (await provider.getBlock("latest"))!.timestamp;
  const sampleEvery = Math.max(1, Math.floor(plan.blocks / SAMPLES));
  const outageBlocks = Math.ceil(OUTAGE_MIN_SEC / plan.stepSec);
  let outageLeft = 0;
  let lastDelta = { absDeltaEth: 0, bandEth: 0, maxTradeEth: 0 };

  for (let step = 1; step <= plan.blocks; step++) {
    const nowSec = startSec + step * plan.stepSec;
    const latest = (await provider.getBlock("latest"))!.timestamp;
    await provider.send("evm_setNextBlockTimestamp", [Math.max(nowSec, latest + 1)]);
    if (outageLeft === 0 && plan.outageEveryBlocks > 0 && rng.uniform() < 1 / plan.outageEveryBlocks) {
      outageLeft = outageBlocks + Math.floor(outageBlocks * rng.uniform());
      result.outages += 1;
    }
    if (outageLeft > 0) {
      // The feed publishes nothing and the market waits with it: only time passes.
      outageLeft -= 1;
      await provider.send("evm_mine", []);
    } else {
      await world.driver.setPrice(path[step]!);
    }
    await roller.roll(nowSec, path[step]!);
    await governance.maybeChange(step);

    const faultsBefore = proxy.faultedTotal();
    let observation: CycleObservation;
    try {
      const report = await runCycle();
      const key =
        report.decision.kind === "hedge" ? `hedge:${report.outcome?.kind ?? "none"}` : `hold:${report.decision.reason}`;
      result.decisions[key] = (result.decisions[key] ?? 0) + 1;
      lastDelta = {
        absDeltaEth: Math.abs(report.assessment.netDeltaEth),
        bandEth: report.assessment.bandEth,
        maxTradeEth: report.assessment.params.maxTradeEth,
      };
      observation = {
        step,
        ...lastDelta,
        hedged: report.decision.kind === "hedge" && report.outcome?.kind === "succeeded",
        reasons: heldBy(report),
      };
    } catch (error) {
      const message = (error as Error).message.split("\n")[0]!;
      if (proxy.faultedTotal() > faultsBefore) result.faultedCycleFailures += 1;
      else result.unexplainedCycleFailures.push(`step ${step}: ${message}`);
      result.decisions["failed"] = (result.decisions["failed"] ?? 0) + 1;
      observation = { step, ...lastDelta, hedged: false, reasons: ["rpc-fault"] };
    }
    tracker.observe(observation);
    result.cycles = step;
    if (step === 1 || step % sampleEvery === 0 || step === plan.blocks) {
      result.resources.samples.push(sampleResources(step, journal));
    }
    if (step % Math.max(1, Math.floor(plan.blocks / 10)) === 0) hooks.onProgress?.(step, plan);
  }
  result.faultsInjected = proxy.faultedTotal();
  result.simulatedDays = (plan.blocks * plan.stepSec) / 86_400;
  result.book = roller.totals;
  result.governanceChanges = governance.changes;
}
