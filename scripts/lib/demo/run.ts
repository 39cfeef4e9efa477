/**
 * The demo's run loop: an in-process Hardhat chain, the whole stack deployed on it, then for each step a new oracle
 * answer from the seeded path (the arbitrageur trades the pool to it) and one cycle of the real keeper, recorded.
 */
import { network } from "hardhat";
import type { Logger } from "pino";
import type { CycleReport } from "../../../keeper/keeper.js";
import { createLogger } from "../../../keeper/telemetry/logger.js";
import { wadToNumber } from "../../../keeper/units.js";
import { startInProcessKeeper } from "../testing/keeperHarness.js";
import { deployWorld, type World } from "../market/world.js";
import { pricePath, type DemoOptions } from "./options.js";
import { createRecorder, type DemoHooks, type DemoRun } from "./record.js";

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
