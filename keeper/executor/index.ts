import {
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  TransactionReceiptNotFoundError,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { Logger } from "pino";
import { hedgeAdapterAbi } from "../chain/abis.generated.js";
import type { Deployment, Snapshot } from "../chain/snapshot.js";
import type { IntentRecord, Journal, TxRecord } from "../journal/index.js";
import { classifyError, decodeRevertData, formatGuard } from "./errors.js";
import { bumpFees, initialFees, type FeeSettings, type Fees } from "./fees.js";
import type { RebalanceRequest } from "./request.js";
import { createBroadcaster, type Broadcaster } from "./send.js";

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

/** after-intent: intent row written, no transaction row yet (a crash in the middle of the journal write). */
export type FaultPoint = "after-intent" | "after-journal" | "after-send" | "after-receipt";

export interface ExecutorDeps {
  publicClient: PublicClient;
  account: LocalAccount;
  chainId: number;
  deployment: Deployment;
  journal: Journal;
  logger: Logger;
  gas: FeeSettings & { gasLimitHedge: bigint; replaceAfterBlocks: number };
  confirmations: number;
  receiptTimeoutMs: number;
  pollMs?: number;
  now?: () => number;
  /** where signed hedges go (a private relay, HK_SEND_RPC_URLS); default: the read RPC's public mempool */
  broadcaster?: Broadcaster;
  /** Fault injection for tests: called at named points of the send path; may throw or never return. */
  faultHook?: (point: FaultPoint, intentId: string) => void | Promise<void>;
}

interface HedgedEvent {
  amountIn: bigint;
  amountOut: bigint;
  deltaBeforeWad: bigint;
  deltaAfterWad: bigint;
  oraclePriceWad: bigint;
  poolPriceWad: bigint;
}

export type HedgeOutcome =
  | ({
      kind: "succeeded";
      intentId: string;
      txHash: Hex;
      gasUsed: bigint;
      effectiveGasPrice: bigint;
      blockNumber: bigint;
    } & HedgedEvent)
  | {
      kind: "reverted";
      intentId: string;
      txHash: Hex;
      error: string;
      gasUsed: bigint;
      effectiveGasPrice: bigint;
      blockNumber: bigint;
    }
  | { kind: "rejected"; intentId: string; error: string; errorName: string }
  | { kind: "deferred"; reason: string }
  | { kind: "pending"; intentId: string; txHash: Hex }
  | { kind: "dropped"; intentId: string; reason: string };

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createExecutor(deps: ExecutorDeps): Executor {
  const { publicClient, account, deployment, journal, logger } = deps;
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 200;
  const hook = deps.faultHook ?? (() => undefined);
  const broadcaster =
    deps.broadcaster ??
    createBroadcaster({ publicClient, relayClient: null, relayCount: 0, fallback: "public", logger });

  async function sign(
    request: RebalanceRequest,
    nonce: number,
    gas: bigint,
    fees: Fees,
  ): Promise<{ raw: Hex; hash: Hex }> {
    const data = encodeFunctionData({ abi: hedgeAdapterAbi, functionName: "rebalance", args: [request] });
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: deps.chainId,
      to: deployment.adapter,
      data,
      nonce,
      gas,
      value: 0n,
      ...fees,
    });
    return { raw, hash: keccak256(raw) };
  }

  async function broadcast(raw: Hex): Promise<void> {
    const path = await broadcaster.broadcast(raw);
    if (path === "public" && broadcaster.isPrivate) logger.warn({ hash: keccak256(raw) }, "hedge sent publicly");
  }

  /**
   * The nonce of a new hedge. Behind a private relay the read RPC's `pending` count misses transactions the relay
   * still holds, so it is the later of the mined count and one past every nonce the journal has open.
   */
  async function nextNonce(): Promise<number> {
    const counted = await publicClient.getTransactionCount({
      address: account.address,
      blockTag: broadcaster.nonceTag,
    });
    if (!broadcaster.isPrivate) return counted;
    let next = counted;
    for (const intent of journal.openIntents()) {
      for (const tx of journal.txsOf(intent.id)) next = Math.max(next, tx.nonce + 1);
    }
    return next;
  }

  /** The receipt, or null when the node does not know one; any other failure (transport, timeout) is thrown. */
  async function receiptOf(hash: Hex): Promise<TransactionReceipt | null> {
    try {
      return await publicClient.getTransactionReceipt({ hash });
    } catch (error) {
      // A failed lookup is not "not mined": treating it so would drop or re-open a hedge that is on chain.
      if (error instanceof TransactionReceiptNotFoundError) return null;
      throw error;
    }
  }

  async function findReceipt(txs: TxRecord[]): Promise<{ tx: TxRecord; receipt: TransactionReceipt } | null> {
    for (const tx of [...txs].reverse()) {
      const receipt = await receiptOf(tx.hash as Hex);
      if (receipt) return { tx, receipt };
    }
    return null;
  }

  /**
   * Why a mined hedge reverted: replayed on the state before its block, then (when that succeeds, i.e. a transaction
   * ordered before ours in the same block tripped a guard: a pause, a competing hedge, an oracle update) after it.
   */
  async function revertReason(txHash: Hex, receipt: TransactionReceipt): Promise<string> {
    let tx: Awaited<ReturnType<typeof publicClient.getTransaction>>;
    try {
      tx = await publicClient.getTransaction({ hash: txHash });
    } catch (error) {
      return `Reverted (${classifyError(error).message})`;
    }
    for (const blockNumber of [receipt.blockNumber - 1n, receipt.blockNumber]) {
      try {
        await publicClient.call({ account: tx.from, to: tx.to!, data: tx.input, gas: tx.gas, blockNumber });
      } catch (error) {
        const within = blockNumber === receipt.blockNumber ? ` (state changed within block ${blockNumber})` : "";
        const classified = classifyError(error);
        if (classified.kind === "guard") return formatGuard(classified) + within;
        const decoded = decodeRevertData((error as { data?: Hex }).data);
        return decoded ? formatGuard(decoded) + within : `Reverted (${classified.message})`;
      }
    }
    return "Reverted (replays before and after the block succeed)";
  }

  async function record(intent: IntentRecord, tx: TxRecord, receipt: TransactionReceipt): Promise<HedgeOutcome> {
    for (const other of journal.txsOf(intent.id)) if (other.hash !== tx.hash) journal.markTx(other.hash, "replaced");
    journal.markTx(tx.hash, "mined");
    const common = {
      gasUsed: receipt.gasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
      minedBlock: receipt.blockNumber,
    };
    if (receipt.status === "success") {
      const [event] = parseEventLogs({ abi: hedgeAdapterAbi, eventName: "Hedged", logs: receipt.logs });
      if (!event) throw new Error(`receipt ${tx.hash} succeeded without a Hedged event`);
      journal.markIntent(intent.id, "succeeded", { txHash: tx.hash, amountOut: event.args.amountOut, ...common });
      await hook("after-receipt", intent.id);
      return {
        kind: "succeeded",
        intentId: intent.id,
        txHash: tx.hash as Hex,
        gasUsed: receipt.gasUsed,
        effectiveGasPrice: receipt.effectiveGasPrice,
        blockNumber: receipt.blockNumber,
        amountIn: event.args.amountIn,
        amountOut: event.args.amountOut,
        deltaBeforeWad: event.args.deltaBeforeWad,
        deltaAfterWad: event.args.deltaAfterWad,
        oraclePriceWad: event.args.oraclePriceWad,
        poolPriceWad: event.args.poolPriceWad,
      };
    }
    const error = await revertReason(tx.hash as Hex, receipt);
    journal.markIntent(intent.id, "reverted", { txHash: tx.hash, error, ...common });
    return {
      kind: "reverted",
      intentId: intent.id,
      txHash: tx.hash as Hex,
      error,
      gasUsed: receipt.gasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
      blockNumber: receipt.blockNumber,
    };
  }

  /** Follows an intent's transactions until one is mined and confirmed, replacing a stuck one with bumped fees. */
  async function settle(intent: IntentRecord): Promise<HedgeOutcome> {
    const deadlineMs = now() + deps.receiptTimeoutMs;
    let lastSendBlock = await publicClient.getBlockNumber();
    for (;;) {
      const txs = journal.txsOf(intent.id);
      const latest = txs[txs.length - 1];
      if (!latest) {
        journal.markIntent(intent.id, "dropped", { error: "no transaction was signed" });
        return { kind: "dropped", intentId: intent.id, reason: "no transaction was signed" };
      }
      const found = await findReceipt(txs);
      const head = await publicClient.getBlockNumber();
      if (found) {
        if (head + 1n >= found.receipt.blockNumber + BigInt(deps.confirmations)) {
          return record(intent, found.tx, found.receipt);
        }
      } else {
        const minedNonce = await publicClient.getTransactionCount({ address: account.address, blockTag: "latest" });
        // Mined between the receipt lookup and the nonce read: settle it on the next poll, do not drop it.
        if (minedNonce > latest.nonce && (await findReceipt(txs))) continue;
        if (minedNonce > latest.nonce) {
          // Our nonce was consumed by a transaction we did not journal: this intent can no longer land.
          journal.markIntent(intent.id, "dropped", { error: `nonce ${latest.nonce} used by another transaction` });
          return { kind: "dropped", intentId: intent.id, reason: `nonce ${latest.nonce} used by another transaction` };
        }
        if (head - lastSendBlock >= BigInt(deps.gas.replaceAfterBlocks)) {
          const bumped = bumpFees(latest, deps.gas);
          if (bumped) {
            const request = requestOf(intent);
            const gas = deps.gas.gasLimitHedge;
            const signed = await sign(request, latest.nonce, gas, bumped);
            journal.recordTx({
              hash: signed.hash,
              intentId: intent.id,
              nonce: latest.nonce,
              raw: signed.raw,
              createdAtMs: now(),
              ...bumped,
            });
            logger.warn(
              { intent: intent.id, replaces: latest.hash, hash: signed.hash, ...feesForLog(bumped) },
              "replacing stuck hedge tx",
            );
            await broadcast(signed.raw);
            journal.markTx(signed.hash, "sent");
            lastSendBlock = head;
          }
        }
      }
      if (now() > deadlineMs) {
        logger.warn({ intent: intent.id, tx: latest.hash }, "no receipt before the timeout; the intent stays open");
        return { kind: "pending", intentId: intent.id, txHash: latest.hash as Hex };
      }
      await sleep(pollMs);
    }
  }

  function requestOf(intent: IntentRecord): RebalanceRequest {
    return {
      buyWeth: intent.side === "buyWeth",
      amountIn: intent.amountIn,
      minAmountOut: intent.minAmountOut,
      deadline: intent.deadline,
      expectedNonce: intent.adapterNonce,
    };
  }

  return {
    async execute(snapshot, request, side, legEth) {
      const previous = journal.intentsForNonce(deployment.adapter, request.expectedNonce);
      const open = previous.find((i) => i.status === "pending" || i.status === "sent");
      if (open) return settle(open);
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

      const call = { account, address: deployment.adapter, abi: hedgeAdapterAbi, functionName: "rebalance" } as const;
      /** A guard refusal is journaled as a rejected intent and returned; any other failure is thrown. */
      const refused = (error: unknown, stage: string): HedgeOutcome => {
        const classified = classifyError(error);
        if (classified.kind !== "guard") throw error;
        const reason = formatGuard(classified) + stage;
        journal.createIntent({
          id: intentId,
          adapter: deployment.adapter,
          adapterNonce: request.expectedNonce,
          createdAtMs: now(),
          blockNumber: snapshot.blockNumber,
          side,
          legEth,
          ...requestFields(request),
        });
        journal.markIntent(intentId, "rejected", { error: reason });
        return { kind: "rejected", intentId, error: reason, errorName: classified.name };
      };

      try {
        // Simulated on the pending block, where the transaction will land: the adapter bounds the fill by the pool's
        // price when the block begins, which for the head block is the price before the head's own swaps.
        await publicClient.simulateContract({ ...call, args: [request], blockTag: "pending" });
      } catch (error) {
        return refused(error, "");
      }

      const fees = initialFees(snapshot.baseFeePerGas, deps.gas);
      if (!fees)
        return { kind: "deferred", reason: `base fee ${snapshot.baseFeePerGas} wei + tip exceeds the max fee ceiling` };
      let estimate: bigint;
      try {
        estimate = await publicClient.estimateContractGas({ ...call, args: [request] });
      } catch (error) {
        // Nodes estimate on the pending block: a competing hedge already in the pool shows here first.
        return refused(error, " (gas estimate on the pending block)");
      }
      const withMargin = (estimate * 13n) / 10n;
      const gas = withMargin < deps.gas.gasLimitHedge ? withMargin : deps.gas.gasLimitHedge;
      const nonce = await nextNonce();

      // Journal first: a keeper killed after this line finds the signed transaction on restart.
      journal.createIntent({
        id: intentId,
        adapter: deployment.adapter,
        adapterNonce: request.expectedNonce,
        createdAtMs: now(),
        blockNumber: snapshot.blockNumber,
        side,
        legEth,
        ...requestFields(request),
      });
      await hook("after-intent", intentId);
      const signed = await sign(request, nonce, gas, fees);
      journal.recordTx({ hash: signed.hash, intentId, nonce, raw: signed.raw, createdAtMs: now(), ...fees });
      await hook("after-journal", intentId);
      await broadcast(signed.raw);
      journal.markTx(signed.hash, "sent");
      journal.markIntent(intentId, "sent", { txHash: signed.hash });
      logger.info({ intent: intentId, tx: signed.hash, nonce, side, legEth, ...feesForLog(fees) }, "hedge sent");
      await hook("after-send", intentId);
      return settle(journal.getIntent(intentId)!);
    },

    async reconcile() {
      const outcomes: HedgeOutcome[] = [];
      for (const intent of journal.openIntents()) {
        const txs = journal.txsOf(intent.id);
        const latest = txs[txs.length - 1];
        if (latest && !(await findReceipt(txs))) {
          await broadcast(latest.raw as Hex).catch((error: unknown) => {
            logger.warn({ intent: intent.id, err: classifyError(error).message }, "rebroadcast failed");
          });
        }
        if (intent.status === "pending" && latest) journal.markIntent(intent.id, "sent", { txHash: latest.hash });
        const outcome = await settle(journal.getIntent(intent.id)!);
        logger.info({ intent: intent.id, outcome: outcome.kind }, "reconciled journal intent");
        outcomes.push(outcome);
      }
      return outcomes;
    },

    async verifyRecent(snapshot) {
      let reopened = 0;
      for (const intent of journal.recentIntents(16)) {
        if (intent.status !== "succeeded" || intent.adapterNonce < snapshot.hedgeNonce || !intent.txHash) continue;
        // The adapter's nonce is not past a hedge we saw succeed: its block left the canonical chain.
        if (await receiptOf(intent.txHash as Hex)) continue;
        logger.warn({ intent: intent.id, tx: intent.txHash }, "hedge receipt vanished (reorg); re-opening the intent");
        journal.markIntent(intent.id, "sent", { error: "re-opened after a reorg" });
        reopened += 1;
      }
      return reopened;
    },
  };
}

function requestFields(request: RebalanceRequest) {
  return { amountIn: request.amountIn, minAmountOut: request.minAmountOut, deadline: request.deadline };
}

function feesForLog(fees: Fees) {
  return { maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString() };
}
