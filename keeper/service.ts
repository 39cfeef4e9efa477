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
import { discoverDeployment, type Deployment } from "./chain/snapshot.js";
import { describeConfig, resolveAccount, type KeeperConfig } from "./config/index.js";
import { createBroadcaster, createExecutor, type FaultPoint } from "./executor/index.js";
import { openJournal, type Journal } from "./journal/index.js";
import { createKeeper, type Keeper, type KeeperSettings } from "./keeper.js";
import { createLogger } from "./telemetry/logger.js";
import { createMetrics, type KeeperMetrics } from "./telemetry/metrics.js";
import { startTelemetryServer, type TelemetryServer } from "./telemetry/health.js";
import { ethToWadFloor } from "./units.js";

/** A start-up problem the operator must fix; the CLI prints `message` and exits non-zero. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface KeeperService {
  keeper: Keeper;
  deployment: Deployment;
  clients: Clients;
  journal: Journal;
  metrics: KeeperMetrics;
  logger: Logger;
  telemetry: TelemetryServer | null;
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
}

export function settingsFromConfig(config: KeeperConfig): KeeperSettings {
  return {
    policy: config.policy,
    bandOverrideEth: config.bandOverrideEth,
    pageSize: config.pageSize,
    deltaToleranceEth: config.deltaToleranceEth,
    slippageBpsOverride: config.slippageBpsOverride,
    deadlineSec: 120,
    gasUnitsPerHedge: 250_000,
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
  const counter = createRpcCounter();
  const transport =
    options.transport?.(counter) ??
    httpTransport(config.rpcUrls, counter, {
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
    throw new StartupError(
      `cannot reach the RPC (${config.rpcUrls.length} URL(s)): ${(error as Error).message.split("\n")[0]}`,
    );
  }
  if (chainId !== config.chainId) {
    throw new StartupError(`wrong chain: HK_CHAIN_ID is ${config.chainId} but the RPC serves chain ${chainId}`);
  }
  let deployment: Deployment;
  try {
    deployment = await discoverDeployment(publicClient, config.adapterAddress, config.quoterAddress ?? null);
  } catch (error) {
    throw new StartupError(`HK_ADAPTER_ADDRESS: ${(error as Error).message}`);
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
  const journal = openJournal(config.journalPath);
  const metrics = createMetrics();
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
    async close() {
      ranking.abort();
      await telemetry?.close();
      journal.close();
    },
  };
}
