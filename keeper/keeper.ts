import type { PublicClient } from "viem";
import type { Logger } from "pino";
import type { RpcCounter } from "./chain/client.js";
import { createHeadWatch } from "./chain/head.js";
import { readSnapshot, type Deployment, type Snapshot } from "./chain/snapshot.js";
import { assess, type Assessment, type AssessOptions } from "./cycle/assess.js";
import { decideCycle, type KeeperDecision } from "./cycle/decide.js";
import { reportOutcome } from "./cycle/outcome.js";
import { chainPolicyState } from "./cycle/policyInput.js";
import { buildRebalanceRequest, type Executor, type HedgeOutcome, type RebalanceRequest } from "./executor/index.js";
import type { Journal } from "./journal/index.js";
import {
  ALERTING_LIMIT_REASONS,
  INITIAL_POLICY_STATE,
  type PlanLimit,
  type PolicyConfig,
  type PolicyState,
} from "./policy/index.js";
import { evaluateHealth, type HealthStatus } from "./telemetry/health.js";
import type { KeeperMetrics } from "./telemetry/metrics.js";
import { withCycle } from "./telemetry/logger.js";
import { wadToNumber, type Wad } from "./units.js";

export interface KeeperSettings {
  policy: PolicyConfig;
  bandOverrideEth?: number;
  pageSize: number;
  deltaToleranceEth: number;
  slippageBpsOverride?: number;
  /** seconds from the snapshot's block to the request's deadline */
  deadlineSec: number;
  gasUnitsPerHedge: number;
  priorityFeeGwei: number;
  staleHeadSec: number;
  maxFailedCycles: number;
  pollIntervalMs: number;
  /** smallest hedge leg, WETH wad (HK_MIN_TRADE_ETH; later the adapter's own minimum trade); 0 = one USDC unit */
  minTradeWethWad: Wad;
}

/** What `assess` needs from the keeper's settings (the keeper cycle, `keeper status` and the scaling bench). */
export function assessOptions(
  settings: KeeperSettings,
  poolFee: number,
  gasUnitsPerHedge = settings.gasUnitsPerHedge,
): AssessOptions {
  return {
    gasUnitsPerHedge,
    priorityFeeGwei: settings.priorityFeeGwei,
    poolFee,
    bandOverrideEth: settings.bandOverrideEth,
    deltaToleranceEth: settings.deltaToleranceEth,
    minTradeWethWad: settings.minTradeWethWad,
  };
}

export interface KeeperDeps {
  publicClient: PublicClient;
  counter: RpcCounter;
  deployment: Deployment;
  /** null in dry-run mode: decisions are computed and reported, nothing is sent */
  executor: Executor | null;
  journal: Journal;
  logger: Logger;
  metrics: KeeperMetrics;
  settings: KeeperSettings;
  /** wall clock in seconds (for head lag); injectable for tests */
  wallClockSec?: () => number;
}

export type { KeeperDecision } from "./cycle/decide.js";

export interface CycleReport {
  cycleId: number;
  snapshot: Snapshot;
  assessment: Assessment;
  decision: KeeperDecision;
  /** the request sent (or, in dry-run, the one that would be sent) */
  request: RebalanceRequest | null;
  outcome: HedgeOutcome | null;
  roundTrips: number;
  durationMs: number;
}

/**
 * A hedge the keeper wants and the vault cannot fully make (collateral or pool depth): a partial hedge or a hold.
 * It alerts (log, metric `hedgekeeper_hedge_limited`) and shows in /health's detail while it lasts; the keeper stays
 * healthy, since it does what can safely be done.
 */
export interface LimitedHedgeState {
  cycleId: number;
  blockNumber: string;
  decision: "hedge" | "hold";
  reason: PlanLimit["reason"];
  wantedEth: number;
  plannedEth: number;
  payableEth: number | null;
  depthEth: number | null;
}

export interface Keeper {
  runCycle(): Promise<CycleReport>;
  /** One cycle per new block until `signal` aborts. Cycle failures are logged and counted, never thrown. */
  run(signal: AbortSignal, onCycle?: (report: CycleReport) => void): Promise<void>;
  health(): HealthStatus;
  policyState(): PolicyState;
  /** the alerting limit of the last cycle (partial hedge or limit hold), null when none */
  limitedHedge(): LimitedHedgeState | null;
}

const STATE_KEY = "policyState";

export function createKeeper(deps: KeeperDeps): Keeper {
  const { publicClient, counter, deployment, executor, journal, logger, metrics, settings } = deps;
  const wallClockSec = deps.wallClockSec ?? (() => Math.floor(Date.now() / 1000));
  let cycleId = Number(journal.getState("lastCycleId") ?? 0);
  let state: PolicyState = loadState(journal);
  let consecutiveFailures = 0;
  let last: { headTs: number; oracleUpdatedAt: number; maxOracleAgeSec: number } | null = null;
  let lastGasUsed = settings.gasUnitsPerHedge;
  let limited: LimitedHedgeState | null = null;
  // Never act on a head older than a block already seen (earlier heads, our own receipts, across restarts).
  const headWatch = createHeadWatch(settings.staleHeadSec);
  for (const intent of journal.recentIntents(16)) if (intent.minedBlock !== null) headWatch.seen(intent.minedBlock);

  async function runCycle(): Promise<CycleReport> {
    cycleId += 1;
    journal.setState("lastCycleId", String(cycleId));
    const log = withCycle(logger, cycleId);
    const started = performance.now();
    const tripsBefore = counter.roundTrips;

    const snapshot = await read(log);
    const assessment = assess(snapshot, assessOptions(settings, deployment.poolFee, lastGasUsed));
    last = {
      headTs: snapshot.blockTimestamp,
      oracleUpdatedAt: Number(snapshot.oracle.updatedAt),
      maxOracleAgeSec: snapshot.params.maxOracleAgeSec,
    };
    publishGauges(snapshot, assessment);

    // The chain is the truth for the cooldown: the adapter's last hedge, not our memory of it.
    const chainState = chainPolicyState(snapshot, state.armed);
    const decision = decideCycle(snapshot, assessment, settings.policy, chainState, log);
    metrics.decisionsTotal.inc({
      decision: decision.kind,
      reason: decision.kind === "hold" ? decision.reason : decision.limit === null ? "hedge" : "partial",
    });
    publishLimit(decision, snapshot, log);

    const { request, outcome } = await act(decision, snapshot, assessment, log);
    journal.setState(STATE_KEY, JSON.stringify(state));

    const durationMs = performance.now() - started;
    const roundTrips = counter.roundTrips - tripsBefore;
    metrics.rpcRoundTrips.set(snapshot.roundTrips);
    metrics.cycleDurationSec.observe(durationMs / 1000);
    return { cycleId, snapshot, assessment, decision, request, outcome, roundTrips, durationMs };
  }

  /** Settles open intents, reads the snapshot and re-opens hedges a reorg took back (the read step). */
  async function read(log: Logger): Promise<Snapshot> {
    if (executor) {
      for (const outcome of await executor.reconcile()) recordOutcome(outcome, log);
    }
    const snapshot = await readSnapshot(publicClient, deployment, counter, { pageSize: settings.pageSize });
    headWatch.observe(snapshot.blockNumber, wallClockSec());
    // A head behind what we saw would make our own recent hedges look reorged out: verify on a current head only.
    if (executor && headWatch.behind() === null && (await executor.verifyRecent(snapshot)) > 0) {
      for (const outcome of await executor.reconcile()) recordOutcome(outcome, log);
    }
    return snapshot;
  }

  /**
   * Sends the decision's first leg (the act step), or in dry-run only builds its request; a hold only moves the
   * trigger's state. Only a hedge that went out moves that state; a refused or deferred one leaves it armed.
   */
  async function act(
    decision: KeeperDecision,
    snapshot: Snapshot,
    assessment: Assessment,
    log: Logger,
  ): Promise<{ request: RebalanceRequest | null; outcome: HedgeOutcome | null }> {
    if (decision.kind === "hedge") {
      let outcome: HedgeOutcome | null = null;
      const legWad = decision.legsWad[0]!;
      const legEth = wadToNumber(legWad);
      const request = buildRebalanceRequest({
        snapshot,
        side: decision.side,
        legWad,
        slippageBps: settings.slippageBpsOverride ?? snapshot.params.maxSlippageBps,
        deadlineSec: settings.deadlineSec,
        nowSec: wallClockSec(),
      });
      log.info(
        {
          netDeltaEth: assessment.netDeltaEth,
          bandEth: assessment.bandEth,
          side: decision.side,
          legEth,
          legs: decision.legsEth.length,
          reason: decision.reason,
          expectedCostUsd: decision.expectedCostUsd,
        },
        executor ? "hedging" : "dry run: would hedge",
      );
      const staleHead = headWatch.behind();
      if (executor && staleHead !== null) {
        outcome = { kind: "deferred", reason: `not acting on a stale head: ${staleHead}` };
        recordOutcome(outcome, log);
      } else if (executor) {
        metrics.pendingHedge.set(1);
        try {
          outcome = await executor.execute(snapshot, request, decision.side, legEth);
        } finally {
          metrics.pendingHedge.set(0);
        }
        recordOutcome(outcome, log);
        if (outcome.kind === "succeeded" || outcome.kind === "pending") state = decision.nextState;
      }
      return { request, outcome };
    }
    state = { ...decision.nextState };
    log.debug({ netDeltaEth: assessment.netDeltaEth, bandEth: assessment.bandEth, reason: decision.reason }, "hold");
    return { request: null, outcome: null };
  }

  /** The alerting state of a hedge the vault cannot fully make: gauge, warn log, /health detail. */
  function publishLimit(decision: KeeperDecision, snapshot: Snapshot, log: Logger): void {
    const limit = decision.kind === "hedge" ? decision.limit : decision.reason === "gate" ? null : decision.limit;
    const alerting = limit !== null && ALERTING_LIMIT_REASONS.has(limit.reason);
    for (const reason of ["insufficient-collateral", "depth-exhausted"] as const) {
      metrics.hedgeLimited.set({ reason }, alerting && limit.reason === reason ? 1 : 0);
    }
    if (!alerting) {
      limited = null;
      return;
    }
    const eth = (wad: Wad | null) => (wad === null ? null : wadToNumber(wad));
    limited = {
      cycleId,
      blockNumber: snapshot.blockNumber.toString(),
      decision: decision.kind,
      reason: limit.reason,
      wantedEth: wadToNumber(limit.wantedWad),
      plannedEth: wadToNumber(limit.plannedWad),
      payableEth: eth(limit.caps.payableWad),
      depthEth: eth(limit.caps.depthWad),
    };
    log.warn(
      { alert: true, limited },
      decision.kind === "hedge"
        ? `partial hedge (${limit.reason}): ${limited.plannedEth} of ${limited.wantedEth} ETH`
        : `hedge held (${limit.reason}): ${limited.wantedEth} ETH wanted`,
    );
  }

  function recordOutcome(outcome: HedgeOutcome, log: Logger): void {
    if (outcome.kind === "succeeded" || outcome.kind === "reverted") headWatch.seen(outcome.blockNumber);
    if (outcome.kind === "succeeded") lastGasUsed = Number(outcome.gasUsed);
    reportOutcome(metrics, outcome, log);
  }

  function publishGauges(snapshot: Snapshot, a: Assessment): void {
    metrics.netDeltaEth.set(a.netDeltaEth);
    metrics.deltaBandEth.set(a.bandEth);
    if (a.onChainNetDeltaEth !== null) metrics.onChainDeltaEth.set(a.onChainNetDeltaEth);
    if (a.deltaMismatchEth !== null) metrics.deltaMismatchEth.set(a.deltaMismatchEth);
    metrics.oracleAgeSec.set(a.oracleAgeSec);
    metrics.headBlock.set(Number(snapshot.blockNumber));
    metrics.headLagSec.set(Math.max(0, wallClockSec() - snapshot.blockTimestamp));
  }

  function health(): HealthStatus {
    const status = evaluateHealth({
      nowSec: wallClockSec(),
      lastHeadTimestampSec: last?.headTs ?? null,
      oracleUpdatedAtSec: last?.oracleUpdatedAt ?? null,
      maxOracleAgeSec: last?.maxOracleAgeSec ?? null,
      consecutiveFailedCycles: consecutiveFailures,
      staleHeadSec: settings.staleHeadSec,
      maxFailedCycles: settings.maxFailedCycles,
    });
    const stale = headWatch.staleness(wallClockSec());
    const withStale =
      stale === null ? status : { healthy: false, reasons: [...status.reasons, `stale head: ${stale}`] };
    return limited === null ? withStale : { ...withStale, detail: { limitedHedge: { ...limited } } };
  }

  async function run(signal: AbortSignal, onCycle?: (report: CycleReport) => void): Promise<void> {
    let lastBlock = -1n;
    while (!signal.aborted) {
      try {
        const head = await publicClient.getBlockNumber({ cacheTime: 0 });
        headWatch.observe(head, wallClockSec());
        if (head !== lastBlock) {
          lastBlock = head;
          const report = await runCycle();
          consecutiveFailures = 0;
          metrics.cyclesTotal.inc({ outcome: "ok" });
          onCycle?.(report);
        } else {
          metrics.cyclesTotal.inc({ outcome: "skipped" });
        }
      } catch (error) {
        consecutiveFailures += 1;
        metrics.cyclesTotal.inc({ outcome: "failed" });
        metrics.rpcErrorsTotal.inc({ kind: (error as Error).name ?? "Error" });
        logger.error({ err: error, consecutiveFailures }, "cycle failed");
      }
      await abortableSleep(settings.pollIntervalMs, signal);
    }
  }

  return {
    runCycle,
    run,
    health,
    policyState: () => ({ ...state }),
    limitedHedge: () => (limited === null ? null : { ...limited }),
  };
}

function loadState(journal: Journal): PolicyState {
  const raw = journal.getState(STATE_KEY);
  if (!raw) return { ...INITIAL_POLICY_STATE };
  const parsed = JSON.parse(raw) as PolicyState;
  return { armed: parsed.armed !== false, lastHedgeSec: parsed.lastHedgeSec ?? null };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
