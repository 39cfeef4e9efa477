/**
 * Shared fixture of the fault suite: one `hardhat node` on loopback for every fault test file, one deployment
 * (market replica, vault with a short ATM call, adapter with two keepers and a guardian), restored between tests by
 * evm_snapshot / evm_revert. Helpers start the real keeper service against it, audit the Hedged events on chain
 * against the adapter's bounds and against the keeper's journal, and record one row of the fault table.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { createPublicClient, http, parseEventLogs, type Hex, type PublicClient } from "viem";
import { hedgeAdapterAbi } from "../../keeper/chain/abis.generated.js";
import { loadConfig } from "../../keeper/config/index.js";
import { openJournal, type IntentRecord, type Journal } from "../../keeper/journal/index.js";
import type { CycleReport } from "../../keeper/keeper.js";
import { startKeeperService, type KeeperService, type ServiceOptions } from "../../keeper/service.js";
import { createLogger } from "../../keeper/telemetry/logger.js";
import { devPrivateKey } from "../../scripts/lib/testing/keeperHarness.js";
import { startHardhatNode, type LocalNode } from "../../scripts/lib/node/localNode.js";
import { deployReplicaMarket, fundUsdc, setFeedPrice, type Market } from "../../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack, type Stack } from "../../scripts/lib/market/stack.js";
import { DAY, ETH, USDC } from "../fixtures.js";

/** Size of each trigger: ±20 ETH of short ATM calls moves the vault's delta by ~11 ETH, past the 5 ETH band. */
const TRIGGER_SIZE_ETH = 20;
const BPS = 10_000n;
const USDC_TO_WAD = 10n ** 12n;
const WAD = 10n ** 18n;

export interface FaultActors {
  deployer: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  keeper2: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  writer: HardhatEthersSigner;
  counterparty: HardhatEthersSigner;
}

export interface HedgeLog {
  nonce: bigint;
  keeper: string;
  buyWeth: boolean;
  amountIn: bigint;
  amountOut: bigint;
  deltaBeforeWad: bigint;
  deltaAfterWad: bigint;
  oraclePriceWad: bigint;
  txHash: Hex;
  blockNumber: bigint;
}

export interface FaultWorld {
  node: LocalNode;
  ethers: HardhatEthers;
  market: Market;
  stack: Stack;
  actors: FaultActors;
  adapter: `0x${string}`;
  seriesId: bigint;
  /** a viem client straight to the node (no proxy): the test's view of the truth */
  chain: PublicClient;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  blockNumber(): Promise<bigint>;
  /** Back to the deployed state (one pending trigger: the vault is ~11 ETH short of delta), automine on, a new head. */
  reset(): Promise<void>;
  /** Moves the vault's delta ~11 ETH out of the band (alternately short and long, so the pool stays put). */
  trigger(): Promise<void>;
  hedgesSince(fromBlock: bigint): Promise<HedgeLog[]>;
  /** A temporary directory for journals, removed with the world. */
  dir: string;
  close(): Promise<void>;
}

/**
 * `describe` for the fault suite. It runs under `npm run test:faults` (scripts/faults.ts sets HK_FAULT_SUITE=1 and
 * prints the fault table); a plain `hardhat test` lists it as pending instead of running it a second time in CI.
 */
export const describeFaults: Mocha.SuiteFunction | Mocha.PendingSuiteFunction =
  process.env.HK_FAULT_SUITE === "1" ? describe : describe.skip;

let worldPromise: Promise<FaultWorld> | null = null;

/** The shared world, deployed on first use. */
export function faultWorld(): Promise<FaultWorld> {
  worldPromise ??= deployFaultWorld();
  return worldPromise;
}

// Root-level hook: the node outlives each file and stops once the whole run is over.
after(async function () {
  this.timeout(30_000);
  const world = await worldPromise?.catch(() => null);
  await world?.close();
});

async function deployFaultWorld(): Promise<FaultWorld> {
  const node = await startHardhatNode();
  try {
    const { ethers } = await network.create({ network: "localhost", override: { url: node.url } });
    const [deployer, keeper, keeper2, guardian, writer, counterparty] = await ethers.getSigners();
    const actors: FaultActors = {
      deployer: deployer!,
      keeper: keeper!,
      keeper2: keeper2!,
      guardian: guardian!,
      writer: writer!,
      counterparty: counterparty!,
    };
    const market = await deployReplicaMarket(ethers, actors.deployer);
    const stack = await deployStack(ethers, actors.deployer, market.book, {
      admin: actors.deployer.address,
      writer: actors.writer.address,
      volSetter: actors.writer.address,
      keepers: [actors.keeper.address, actors.keeper2.address],
      guardian: actors.guardian.address,
      params: DEFAULT_ADAPTER_PARAMS,
      maxActiveSeries: 64,
    });
    await fundUsdc(market, await stack.vault.getAddress(), USDC(5_000_000));
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    const seriesId = await stack.vault.nextSeriesId();
    await (
      await stack.vault
        .connect(actors.writer)
        .openSeries(ETH(3000), now + 30 * DAY, true, ETH(0.8), -ETH(TRIGGER_SIZE_ETH), actors.counterparty.address)
    ).wait();
    await ethers.provider.send("evm_increaseTime", [DEFAULT_ADAPTER_PARAMS.twapWindowSec + 1]);
    await setFeedPrice(market, 3000);

    const rpc = (method: string, params: unknown[] = []) => ethers.provider.send(method, params) as Promise<unknown>;
    let base = (await rpc("evm_snapshot")) as string;
    const chain = createPublicClient({ transport: http(node.url) }) as PublicClient;
    const adapter = (await stack.adapter.getAddress()) as `0x${string}`;
    const dir = mkdtempSync(join(tmpdir(), "hk-faults-"));

    return {
      node,
      ethers,
      market,
      stack,
      actors,
      adapter,
      seriesId,
      chain,
      rpc,
      dir,
      blockNumber: () => chain.getBlockNumber({ cacheTime: 0 }),
      async reset() {
        await rpc("evm_setIntervalMining", [0]);
        if (!((await rpc("evm_revert", [base])) as boolean)) throw new Error("evm_revert to the base snapshot failed");
        base = (await rpc("evm_snapshot")) as string;
        await rpc("evm_setAutomine", [true]);
        // A fresh head: the snapshot's last block is as old as the run, and hedge deadlines count from the head.
        await rpc("evm_mine");
      },
      async trigger() {
        // Triggers are minutes apart on a live chain: the adapter's cooldown after the last hedge has run out.
        await rpc("evm_increaseTime", [Number((await stack.adapter.params()).cooldownSec)]);
        const { sizeWad } = await stack.vault.getSeries(seriesId);
        const step = sizeWad <= -ETH(2 * TRIGGER_SIZE_ETH) ? ETH(TRIGGER_SIZE_ETH) : -ETH(TRIGGER_SIZE_ETH);
        await (await stack.vault.connect(actors.writer).adjustPosition(seriesId, step)).wait();
        await setFeedPrice(market, 3000);
      },
      async hedgesSince(fromBlock) {
        const logs = await chain.getLogs({ address: adapter, fromBlock, toBlock: "latest" });
        return parseEventLogs({ abi: hedgeAdapterAbi, eventName: "Hedged", logs }).map((log) => ({
          nonce: log.args.nonce,
          keeper: log.args.keeper.toLowerCase(),
          buyWeth: log.args.buyWeth,
          amountIn: log.args.amountIn,
          amountOut: log.args.amountOut,
          deltaBeforeWad: log.args.deltaBeforeWad,
          deltaAfterWad: log.args.deltaAfterWad,
          oraclePriceWad: log.args.oraclePriceWad,
          txHash: log.transactionHash,
          blockNumber: log.blockNumber,
        }));
      },
      async close() {
        await node.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

let journalCount = 0;

/** A fresh journal path in the world's temporary directory. */
export function journalPath(world: FaultWorld, name: string): string {
  journalCount += 1;
  return join(world.dir, `${name}-${journalCount}.db`);
}

export interface KeeperEnvOptions {
  journal: string;
  rpcUrls?: string;
  /** Hardhat dev account of the signer: 1 = keeper, 2 = keeper2 */
  signerIndex?: number;
  env?: Record<string, string>;
}

/** The HK_* environment an operator would set for this world. */
export function keeperEnv(world: FaultWorld, options: KeeperEnvOptions): Record<string, string> {
  return {
    HK_RPC_URLS: options.rpcUrls ?? world.node.url,
    HK_CHAIN_ID: "31337",
    HK_ADAPTER_ADDRESS: world.adapter,
    HK_QUOTER_ADDRESS: world.market.book.quoterV2,
    HK_PRIVATE_KEY: devPrivateKey(options.signerIndex ?? 1),
    HK_JOURNAL_PATH: options.journal,
    HK_METRICS_PORT: "0",
    HK_POLICY: "band",
    HK_LOG_LEVEL: process.env.HK_FAULT_LOG_LEVEL ?? "fatal",
    HK_POLL_INTERVAL_MS: "100",
    HK_RECEIPT_TIMEOUT_MS: "5000",
    HK_MAX_FAILED_CYCLES: "2",
    ...options.env,
  };
}

/** The real keeper service (what `keeper run` wires) in this process. */
export async function startKeeper(
  world: FaultWorld,
  options: KeeperEnvOptions & { service?: Omit<ServiceOptions, "logger"> },
): Promise<KeeperService> {
  const config = loadConfig(keeperEnv(world, options), { dotenvPath: null });
  return startKeeperService(config, {
    telemetry: false,
    pollMs: 50,
    ...options.service,
    logger: createLogger({ level: config.logLevel }),
  });
}

export interface RunningKeeper {
  cycles: CycleReport[];
  /** true once `run` returned (it must not before `stop`) */
  finished(): boolean;
  stop(): Promise<void>;
}

/** `keeper.run` in the background, as `keeper run` does. */
export function runInBackground(service: KeeperService): RunningKeeper {
  const controller = new AbortController();
  const cycles: CycleReport[] = [];
  let done = false;
  const running = service.keeper
    .run(controller.signal, (report) => cycles.push(report))
    .finally(() => {
      done = true;
    });
  return {
    cycles,
    finished: () => done,
    async stop() {
      controller.abort();
      await running;
    },
  };
}

/** Polls `check` until it returns a truthy value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /health of a keeper's telemetry server. */
export async function healthOf(service: KeeperService): Promise<{ status: number; body: { reasons?: string[] } }> {
  const response = await fetch(`http://127.0.0.1:${service.telemetry!.port}/health`);
  return { status: response.status, body: (await response.json()) as { reasons?: string[] } };
}

/**
 * Hedges that broke an on-chain bound: output below the oracle bound of `maxSlippageBps` (the adapter's own formula,
 * rounded up), a trade that did not reduce |delta|, or one that crossed zero by more than the band.
 */
export function outsideBounds(hedges: HedgeLog[], maxSlippageBps: bigint, bandWad: bigint): HedgeLog[] {
  const keep = BPS - maxSlippageBps;
  const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  return hedges.filter((h) => {
    const bound = h.buyWeth
      ? ceilDiv(h.amountIn * WAD * USDC_TO_WAD * keep, h.oraclePriceWad * BPS)
      : ceilDiv(h.amountIn * h.oraclePriceWad * keep, WAD * USDC_TO_WAD * BPS);
    const crossed = h.deltaAfterWad < 0n !== h.deltaBeforeWad < 0n;
    return (
      h.amountOut < bound ||
      abs(h.deltaAfterWad) >= abs(h.deltaBeforeWad) ||
      (crossed && abs(h.deltaAfterWad) > bandWad)
    );
  });
}

/** Every intent of a journal, oldest first. */
export function allIntents(journal: Journal): IntentRecord[] {
  return journal.recentIntents(100_000).reverse();
}

/** Reads a journal file another process writes (SQLite WAL: readers do not block the writer). */
export function readJournal<T>(path: string, read: (journal: Journal) => T): T {
  const journal = openJournal(path);
  try {
    return read(journal);
  } finally {
    journal.close();
  }
}

/**
 * What the journal and the chain disagree on, for one signer: hedges on chain the journal does not know (neither
 * succeeded nor still open on that transaction), succeeded intents whose transaction is not on chain, and (when
 * `settled`) intents left open. 0 = nothing lost.
 */
export function journalDisagreements(
  journal: Journal,
  hedges: HedgeLog[],
  signer: string,
  settled = true,
): { lost: number; detail: string[] } {
  const intents = allIntents(journal);
  const detail: string[] = [];
  const onChain = new Set(hedges.filter((h) => h.keeper === signer.toLowerCase()).map((h) => h.txHash));
  const known = new Set<string>();
  for (const intent of intents) {
    for (const tx of journal.txsOf(intent.id)) if (onChain.has(tx.hash as Hex)) known.add(tx.hash);
    if (intent.status === "succeeded" && !onChain.has(intent.txHash as Hex)) {
      detail.push(`intent ${intent.id} succeeded with ${intent.txHash}, not on chain`);
    }
    if (settled && (intent.status === "pending" || intent.status === "sent")) {
      detail.push(`intent ${intent.id} still ${intent.status}`);
    }
  }
  for (const hash of onChain) if (!known.has(hash)) detail.push(`hedge ${hash} on chain, not in the journal`);
  return { lost: detail.length, detail };
}

export interface FaultRow {
  fault: string;
  trials: number;
  survived: number;
  hedgesExpected: number;
  hedgesFound: number;
  doubleHedges: number;
  outsideBounds: number;
  dataLost: number;
}

/** Appends a row of the fault table to $HK_FAULT_REPORT (JSON lines) when `npm run test:faults` asked for it. */
export function recordFault(row: FaultRow): void {
  const path = process.env.HK_FAULT_REPORT;
  if (path) appendFileSync(path, JSON.stringify(row) + "\n");
}

/** Hedges beyond one per trigger: `perTrigger` holds the number of Hedged events of each trigger. */
export function doubleHedges(perTrigger: number[]): number {
  return perTrigger.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}
