import type { Hex } from "viem";
import type { Snapshot } from "../chain/snapshot.js";
import { findReceipt, receiptOf } from "./confirm.js";
import type { ExecutorContext, FaultPoint, HedgeOutcome } from "./context.js";
import { classifyError } from "./errors.js";
import { initialFees } from "./fees.js";
import type { RebalanceRequest } from "./request.js";
import { createBroadcaster, type Broadcaster } from "./send.js";
import { broadcastRaw, feesForLog, nextNonce, signRebalance } from "./sign.js";
import { estimateRebalanceGas, journalIntent, simulateRebalance, type Leg } from "./simulate.js";
import { watchIntent } from "./watch.js";

export { buildRebalanceRequest, fairAmountOut, MAX_CLOCK_LEAD_SEC, type RebalanceRequest } from "./request.js";
export { classifyError, formatGuard, decodeRevertData, type ClassifiedError } from "./errors.js";
export { initialFees, bumpFees, type FeeSettings, type Fees } from "./fees.js";
export {
  createBroadcaster,
  RelayUnavailableError,
  type Broadcaster,
  type SendFallback,
  type SendPath,
} from "./send.js";

export type { ExecutorContext, FaultPoint, HedgeOutcome } from "./context.js";

/** What `createExecutor` is given: the context its steps share, with the clock, poll interval and send path defaulted. */
export type ExecutorDeps = Omit<ExecutorContext, "pollMs" | "now" | "broadcaster" | "hook"> & {
  pollMs?: number;
  now?: () => number;
  /** where signed hedges go (a private relay, HK_SEND_RPC_URLS); default: the read RPC's public mempool */
  broadcaster?: Broadcaster;
  /** Fault injection for tests: called at named points of the send path; may throw or never return. */
  faultHook?: (point: FaultPoint, intentId: string) => void | Promise<void>;
};

export interface Executor {
  /** Simulates, journals, signs, sends and follows one hedge leg to its outcome (or to the receipt timeout). */
  execute(
    snapshot: Snapshot,
    request: RebalanceRequest,
    side: "buyWeth" | "sellWeth",
    legEth: number,
  ): Promise<HedgeOutcome>;
  /** Settles every intent the journal still has open (after a restart, or a receipt timeout). */
  reconcile(): Promise<HedgeOutcome[]>;
  /** Re-opens succeeded intents whose transaction is no longer on the canonical chain (reorg). */
  verifyRecent(snapshot: Snapshot): Promise<number>;
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const ctx: ExecutorContext = {
    ...deps,
    now: deps.now ?? Date.now,
    pollMs: deps.pollMs ?? 200,
    hook: deps.faultHook ?? (() => undefined),
    broadcaster:
      deps.broadcaster ??
      createBroadcaster({
        publicClient: deps.publicClient,
        relayClient: null,
        relayCount: 0,
        fallback: "public",
        logger: deps.logger,
      }),
  };
  return {
    execute: (snapshot, request, side, legEth) => executeLeg(ctx, snapshot, request, side, legEth),
    reconcile: () => reconcileOpen(ctx),
    verifyRecent: (snapshot) => reopenVanished(ctx, snapshot),
  };
}

/** simulate → price → estimate → journal → sign → send → watch, with the journal written before anything leaves. */
async function executeLeg(
  ctx: ExecutorContext,
  snapshot: Snapshot,
  request: RebalanceRequest,
  side: "buyWeth" | "sellWeth",
  legEth: number,
): Promise<HedgeOutcome> {
  const { journal, deployment } = ctx;
  const previous = journal.intentsForNonce(deployment.adapter, request.expectedNonce);
  const open = previous.find((i) => i.status === "pending" || i.status === "sent");
  if (open) return watchIntent(ctx, open);
  if (previous.some((i) => i.status === "succeeded")) {
    return {
      kind: "dropped",
      intentId: previous[0]!.id,
      reason: "a hedge on this adapter nonce already succeeded",
    };
  }
  // The head holds a hedge already (often our own previous leg): a call simulated on it reverts with
  // OneHedgePerBlock although the transaction would land in the next block. Wait for that block instead of
  // journaling a refusal that is not one.
  if (snapshot.lastHedgeBlock === snapshot.blockNumber) {
    return { kind: "deferred", reason: `the adapter already hedged in head block ${snapshot.blockNumber}` };
  }
  const intentId = journal.intentId(deployment.adapter, request.expectedNonce, previous.length);
  const leg: Leg = { intentId, snapshot, request, side, legEth };

  const rejected = await simulateRebalance(ctx, leg);
  if (rejected) return rejected;
  const fees = initialFees(snapshot.baseFeePerGas, ctx.gas);
  if (!fees)
    return { kind: "deferred", reason: `base fee ${snapshot.baseFeePerGas} wei + tip exceeds the max fee ceiling` };
  const estimated = await estimateRebalanceGas(ctx, leg);
  if ("outcome" in estimated) return estimated.outcome;
  const nonce = await nextNonce(ctx);

  // Journal first: a keeper killed after this line finds the signed transaction on restart.
  journalIntent(ctx, leg);
  await ctx.hook("after-intent", intentId);
  const signed = await signRebalance(ctx, request, nonce, estimated.gas, fees);
  journal.recordTx({ hash: signed.hash, intentId, nonce, raw: signed.raw, createdAtMs: ctx.now(), ...fees });
  await ctx.hook("after-journal", intentId);
  await broadcastRaw(ctx, signed.raw);
  journal.markTx(signed.hash, "sent");
  journal.markIntent(intentId, "sent", { txHash: signed.hash });
  ctx.logger.info({ intent: intentId, tx: signed.hash, nonce, side, legEth, ...feesForLog(fees) }, "hedge sent");
  await ctx.hook("after-send", intentId);
  return watchIntent(ctx, journal.getIntent(intentId)!);
}

/** Rebroadcasts every open intent's latest transaction that has no receipt, then watches each to its outcome. */
async function reconcileOpen(ctx: ExecutorContext): Promise<HedgeOutcome[]> {
  const { journal, logger } = ctx;
  const outcomes: HedgeOutcome[] = [];
  for (const intent of journal.openIntents()) {
    const txs = journal.txsOf(intent.id);
    const latest = txs[txs.length - 1];
    if (latest && !(await findReceipt(ctx, txs))) {
      await broadcastRaw(ctx, latest.raw as Hex).catch((error: unknown) => {
        logger.warn({ intent: intent.id, err: classifyError(error).message }, "rebroadcast failed");
      });
    }
    if (intent.status === "pending" && latest) journal.markIntent(intent.id, "sent", { txHash: latest.hash });
    const outcome = await watchIntent(ctx, journal.getIntent(intent.id)!);
    logger.info({ intent: intent.id, outcome: outcome.kind }, "reconciled journal intent");
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Re-opens recent succeeded intents whose receipt vanished while the adapter's nonce did not move past them. */
async function reopenVanished(ctx: ExecutorContext, snapshot: Snapshot): Promise<number> {
  let reopened = 0;
  for (const intent of ctx.journal.recentIntents(16)) {
    if (intent.status !== "succeeded" || intent.adapterNonce < snapshot.hedgeNonce || !intent.txHash) continue;
    // The adapter's nonce is not past a hedge we saw succeed: its block left the canonical chain.
    if (await receiptOf(ctx, intent.txHash as Hex)) continue;
    ctx.logger.warn({ intent: intent.id, tx: intent.txHash }, "hedge receipt vanished (reorg); re-opening the intent");
    ctx.journal.markIntent(intent.id, "sent", { error: "re-opened after a reorg" });
    reopened += 1;
  }
  return reopened;
}
