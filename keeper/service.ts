import { createPublicClient, type Transport } from "viem";
import type { Logger } from "pino";
import { hedgeAdapterAbi } from "./chain/abis.generated.js";
import {
  chainFor,
  createClients,
  createRpcCounter,
  httpTransport,
  type Clients,
  type RpcCounter,
} from "./chain/client.js";
import {
  createEndpointMonitor,
  describeNetworkError,
  liveFirst,
  type EndpointMonitor,
  type EndpointState,
} from "./chain/endpoints.js";
import { discoverDeployment, type Deployment } from "./chain/snapshot.js";
import { describeConfig, redactUrl, resolveAccount, type KeeperConfig } from "./config/index.js";
import { createBroadcaster, createExecutor, type FaultPoint } from "./executor/index.js";
import { openJournal, type Journal } from "./journal/index.js";
import { bindJournal, genesisHashOf, JournalMismatchError } from "./journal/binding.js";
import { JournalLockedError, lockJournal } from "./journal/lock.js";
import { createKeeper, type Keeper, type KeeperSettings } from "./keeper.js";
import { createLogger } from "./telemetry/logger.js";
import { createMetrics, type KeeperMetrics } from "./telemetry/metrics.js";
import { startTelemetryServer, type TelemetryServer } from "./telemetry/health.js";
import { ethToWadFloor } from "./units.js";

/** How often `run` re-probes the RPC URLs (state changes are logged once, /metrics shows each URL). */
const ENDPOINT_REPROBE_MS = 10_000;

/** A start-up problem the operator must fix; the CLI prints `message` (one line) and exits 2. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** First line of an error, preferring viem's `shortMessage`: a start-up error is one line, never a call dump. */
export function firstLine(error: unknown): string {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  const text = typeof short === "string" ? short : error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim();
}

/** `http://127.0.0.1:1: ECONNREFUSED (connection refused…); https://…: timed out after 1000 ms` */
function describeDeadEndpoints(states: readonly EndpointState[]): string {
  return states.map((s) => `${s.url}: ${s.error ?? "no answer"}`).join("; ");
}

export interface KeeperService {
  keeper: Keeper;
  deployment: Deployment;
  clients: Clients;
  journal: Journal;
  metrics: KeeperMetrics;
  logger: Logger;
  telemetry: TelemetryServer | null;
  /** the RPC URLs' last probed state (empty with an injected transport) */
  endpoints: EndpointMonitor;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** use this transport instead of HTTP to config.rpcUrls (the in-process Hardhat network in tests and the demo) */
  transport?: (counter: RpcCounter) => Transport;
  logger?: Logger;
  /** start the /metrics + /health server (default true) */
  telemetry?: boolean;
  faultHook?: (point: FaultPoint, intentId: string) => void | Promise<void>;
  pollMs?: number;
  /** use this transport instead of HTTP to config.sendRpcUrls for raw transactions (a test's private relay) */
  sendTransport?: (counter: RpcCounter) => Transport;
  /**
   * Take the journal's lock (default true): one keeper per journal. `status` reads beside a running keeper and
   * passes false.
   */
  exclusive?: boolean;
  /** configuration warnings to log once the logger exists (unknown HK_* variables) */
  configWarnings?: string[];
}

export function settingsFromConfig(config: KeeperConfig): KeeperSettings {
  return {
    policy: config.policy,
    bandOverrideEth: config.bandOverrideEth,
    pageSize: config.pageSize,
    deltaToleranceEth: config.deltaToleranceEth,
    slippageBpsOverride: config.slippageBpsOverride,
    deadlineSec: config.deadlineSec,
    gasUnitsPerHedge: config.gasUnitsPerHedge,
    priorityFeeGwei: config.gas.maxPriorityFeePerGasGwei,
    staleHeadSec: config.staleHeadSec,
    maxFailedCycles: config.maxFailedCycles,
    pollIntervalMs: config.pollIntervalMs,
    minTradeWethWad: ethToWadFloor(config.minTradeEth),
  };
}

/**
 * Wires the keeper from a validated config: clients, chain checks (chain id, adapter code, keeper role), journal,
 * executor, metrics and the telemetry server. Every check that fails throws a StartupError that says what to fix.
 */
export async function startKeeperService(config: KeeperConfig, options: ServiceOptions = {}): Promise<KeeperService> {
  const ranking = new AbortController();
  try {
    return await wireService(config, options, ranking);
  } catch (error) {
    ranking.abort(); // a keeper that failed to start must not keep its RPC ranking loop (and process) alive
    throw error;
  }
}

async function wireService(
  config: KeeperConfig,
  options: ServiceOptions,
  ranking: AbortController,
): Promise<KeeperService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, base: { service: "hedgekeeper" } });
  logger.info({ config: describeConfig(config) }, "starting keeper");
  for (const warning of options.configWarnings ?? []) logger.warn(warning);
  const counter = createRpcCounter();
  let rpcUrls = config.rpcUrls;
  const metrics = createMetrics();
  const endpoints = createEndpointMonitor({
    urls: config.rpcUrls,
    log: logger,
    gauges: { up: metrics.rpcEndpointUp, latencyMs: metrics.rpcEndpointLatencyMs },
  });
  if (!options.transport) {
    // A dead URL is found here in about a second, logged once, and put last, instead of costing every request its
    // timeout inside the fallback transport.
    const states = await endpoints.refresh();
    if (states.every((e) => e.up === false))
      throw new StartupError(`HK_RPC_URLS: cannot reach the RPC: ${describeDeadEndpoints(states)}`);
    rpcUrls = liveFirst(config.rpcUrls, states);
    if (options.telemetry !== false) endpoints.watch(ENDPOINT_REPROBE_MS, ranking.signal);
  }
  const transport =
    options.transport?.(counter) ??
    httpTransport(rpcUrls, counter, {
      rankIntervalMs: config.rpcUrls.length > 1 ? 10_000 : undefined,
      rankingSignal: ranking.signal,
    });
  const account = config.dryRun ? null : await resolveAccount(config);
  const clients = createClients(transport, chainFor(config.chainId, config.rpcUrls[0]), account, counter);
  const { publicClient } = clients;

  let chainId: number;
  try {
    chainId = await publicClient.getChainId();
  } catch (error) {
    const where = rpcUrls.length === 1 ? redactUrl(rpcUrls[0]!) : `${rpcUrls.length} URLs`;
    throw new StartupError(`HK_RPC_URLS: cannot reach the RPC at ${where}: ${describeNetworkError(error)}`);
  }
  if (chainId !== config.chainId) {
    throw new StartupError(`wrong chain: HK_CHAIN_ID is ${config.chainId} but the RPC serves chain ${chainId}`);
  }
  let deployment: Deployment;
  try {
    deployment = await discoverDeployment(publicClient, config.adapterAddress, config.quoterAddress ?? null);
  } catch (error) {
    throw new StartupError(`HK_ADAPTER_ADDRESS: ${firstLine(error)}`);
  }
  if (account) {
    const role = await publicClient.readContract({
      address: deployment.adapter,
      abi: hedgeAdapterAbi,
      functionName: "KEEPER_ROLE",
    });
    const has = await publicClient.readContract({
      address: deployment.adapter,
      abi: hedgeAdapterAbi,
      functionName: "hasRole",
      args: [role, account.address],
    });
    if (!has) throw new StartupError(`signer ${account.address} lacks KEEPER_ROLE on adapter ${deployment.adapter}`);
  }

  const sendTransport =
    options.sendTransport?.(counter) ??
    (config.sendRpcUrls.length > 0 ? httpTransport(config.sendRpcUrls, counter) : null);
  const broadcaster = createBroadcaster({
    publicClient,
    relayClient: sendTransport ? createPublicClient({ transport: sendTransport }) : null,
    relayCount: options.sendTransport ? 1 : config.sendRpcUrls.length,
    fallback: config.sendFallback,
    logger,
  });
  const { journal, release } = await openBoundJournal(config, options, {
    chainId,
    genesisHash: await genesisHashOf(publicClient),
    adapter: deployment.adapter,
  });
  logger.info({ journal: config.journalPath }, "journal belongs to this chain and adapter");
  const executor = account
    ? createExecutor({
        publicClient,
        account,
        chainId,
        deployment,
        journal,
        logger,
        gas: config.gas,
        confirmations: config.confirmations,
        receiptTimeoutMs: config.receiptTimeoutMs,
        pollMs: options.pollMs,
        faultHook: options.faultHook,
        broadcaster,
      })
    : null;
  const keeper = createKeeper({
    publicClient,
    counter,
    deployment,
    executor,
    journal,
    logger,
    metrics,
    settings: settingsFromConfig(config),
  });
  const telemetry =
    options.telemetry === false
      ? null
      : await startTelemetryServer({
          host: config.metrics.host,
          port: config.metrics.port,
          metrics,
          health: () => keeper.health(),
        }).catch((error: unknown) => {
          journal.close();
          release();
          throw new StartupError(`HK_METRICS_HOST/HK_METRICS_PORT: ${firstLine(error)}`);
        });
  if (telemetry) logger.info({ host: config.metrics.host, port: telemetry.port }, "telemetry server listening");
  return {
    keeper,
    deployment,
    clients,
    journal,
    metrics,
    logger,
    telemetry,
    endpoints,
    async close() {
      ranking.abort();
      await telemetry?.close();
      journal.close();
      release();
    },
  };
}

/** Locks (unless `exclusive` is false) and opens the journal, and checks it belongs to this chain and adapter. */
async function openBoundJournal(
  config: KeeperConfig,
  options: ServiceOptions,
  binding: Parameters<typeof bindJournal>[2],
): Promise<{ journal: Journal; release: () => void }> {
  const inMemory = config.journalPath === ":memory:";
  let release = () => undefined as void;
  try {
    if (!inMemory && options.exclusive !== false) release = lockJournal(config.journalPath);
  } catch (error) {
    if (error instanceof JournalLockedError) throw new StartupError(error.message);
    throw error;
  }
  const journal = openJournal(config.journalPath);
  try {
    bindJournal(journal, config.journalPath, binding);
  } catch (error) {
    journal.close();
    release();
    if (error instanceof JournalMismatchError) throw new StartupError(error.message);
    throw error;
  }
  return { journal, release };
}
