/**
 * Prometheus metrics of the keeper. Each `createMetrics()` owns its registry (never prom-client's global
 * one), so tests and several keepers in one process do not collide. Units are in the names, Prometheus style.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

const PREFIX = "hedgekeeper_";

export type HedgeOutcome = "success" | "reverted" | "failed";
export type CycleOutcome = "ok" | "failed" | "skipped";

export interface KeeperMetrics {
  registry: Registry;
  /** off-chain net delta of the book + hedge inventory, ETH */
  netDeltaEth: Gauge;
  /** band in force (governance or keeper override), ETH */
  deltaBandEth: Gauge;
  /** the vault's on-chain netDelta view, ETH */
  onChainDeltaEth: Gauge;
  /** |off-chain − on-chain| net delta, ETH */
  deltaMismatchEth: Gauge;
  hedgesTotal: Counter<"outcome">;
  hedgeGasUsedTotal: Counter;
  hedgeGasCostEthTotal: Counter;
  /** execution price vs oracle price, bps; positive = worse than the oracle */
  realisedSlippageBps: Histogram;
  oracleAgeSec: Gauge;
  /** wall clock − head block timestamp, seconds */
  headLagSec: Gauge;
  headBlock: Gauge;
  rpcErrorsTotal: Counter<"kind">;
  /** network round trips of the last cycle */
  rpcRoundTrips: Gauge;
  cycleDurationSec: Histogram;
  cyclesTotal: Counter<"outcome">;
  /** 1 while a hedge transaction is in flight */
  pendingHedge: Gauge;
  decisionsTotal: Counter<"decision" | "reason">;
  /** 1 while the keeper wants a hedge the vault cannot fully make, by reason (insufficient-collateral, depth-exhausted) */
  hedgeLimited: Gauge<"reason">;
  /** 1 while an RPC URL answers the keeper's probe, 0 while it does not; by URL (credentials masked) */
  rpcEndpointUp: Gauge<"url">;
  /** the last probe's answer time of each RPC URL, ms */
  rpcEndpointLatencyMs: Gauge<"url">;
}

export interface MetricsOptions {
  /** also export Node process metrics (CPU, memory, event loop lag) on this registry; default false */
  processMetrics?: boolean;
}

export function createMetrics(opts: MetricsOptions = {}): KeeperMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name: PREFIX + name, help, registers });

  const hedgesTotal = new Counter({
    name: `${PREFIX}hedges_total`,
    help: "Hedge transactions by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  const cyclesTotal = new Counter({
    name: `${PREFIX}cycles_total`,
    help: "Keeper cycles by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  // Export every outcome from the start, so rate() and alerts see 0 rather than no series.
  for (const outcome of ["success", "reverted", "failed"] satisfies HedgeOutcome[]) hedgesTotal.inc({ outcome }, 0);
  for (const outcome of ["ok", "failed", "skipped"] satisfies CycleOutcome[]) cyclesTotal.inc({ outcome }, 0);

  const metrics: KeeperMetrics = {
    registry,
    netDeltaEth: gauge("net_delta_eth", "Net delta of the book and hedge inventory, computed off-chain, ETH"),
    deltaBandEth: gauge("delta_band_eth", "No-trade band half-width in force, ETH"),
    onChainDeltaEth: gauge("onchain_net_delta_eth", "Net delta reported by the vault's netDelta view, ETH"),
    deltaMismatchEth: gauge("delta_mismatch_eth", "Absolute difference between off-chain and on-chain net delta, ETH"),
    hedgesTotal,
    hedgeGasUsedTotal: new Counter({
      name: `${PREFIX}hedge_gas_used_total`,
      help: "Gas used by mined hedge transactions",
      registers,
    }),
    hedgeGasCostEthTotal: new Counter({
      name: `${PREFIX}hedge_gas_cost_eth_total`,
      help: "Gas paid by mined hedge transactions, ETH",
      registers,
    }),
    realisedSlippageBps: new Histogram({
      name: `${PREFIX}realised_slippage_bps`,
      help: "Execution price vs oracle price per hedge, bps (positive = worse than the oracle)",
      buckets: [-20, -10, -5, -2, 0, 1, 2, 5, 10, 20, 30, 50, 100, 200],
      registers,
    }),
    oracleAgeSec: gauge("oracle_age_seconds", "Age of the Chainlink ETH/USD answer at the head block"),
    headLagSec: gauge("head_lag_seconds", "Wall clock minus the head block timestamp"),
    headBlock: gauge("head_block", "Number of the block the last snapshot was pinned to"),
    rpcErrorsTotal: new Counter({
      name: `${PREFIX}rpc_errors_total`,
      help: "RPC errors by kind",
      labelNames: ["kind"] as const,
      registers,
    }),
    rpcRoundTrips: gauge("rpc_round_trips", "Network round trips of the last cycle"),
    cycleDurationSec: new Histogram({
      name: `${PREFIX}cycle_duration_seconds`,
      help: "Duration of a keeper cycle",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    cyclesTotal,
    pendingHedge: gauge("pending_hedge", "1 while a hedge transaction is in flight, else 0"),
    decisionsTotal: new Counter({
      name: `${PREFIX}decisions_total`,
      help: "Policy decisions by decision and reason",
      labelNames: ["decision", "reason"] as const,
      registers,
    }),
    hedgeLimited: new Gauge({
      name: `${PREFIX}hedge_limited`,
      help: "1 while a wanted hedge is cut or held because the vault cannot pay for it or the pool cannot absorb it",
      labelNames: ["reason"] as const,
      registers,
    }),
    rpcEndpointUp: new Gauge({
      name: `${PREFIX}rpc_endpoint_up`,
      help: "1 while the RPC URL answers the keeper's probe (eth_blockNumber within 1 s), else 0",
      labelNames: ["url"] as const,
      registers,
    }),
    rpcEndpointLatencyMs: new Gauge({
      name: `${PREFIX}rpc_endpoint_latency_ms`,
      help: "Answer time of the last probe of each RPC URL, ms",
      labelNames: ["url"] as const,
      registers,
    }),
  };
  metrics.pendingHedge.set(0);
  for (const reason of ["insufficient-collateral", "depth-exhausted"]) metrics.hedgeLimited.set({ reason }, 0);
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  return metrics;
}
