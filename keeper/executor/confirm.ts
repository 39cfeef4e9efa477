import { parseEventLogs, TransactionReceiptNotFoundError, type Hex, type TransactionReceipt } from "viem";
import { hedgeAdapterAbi } from "../chain/abis.generated.js";
import type { IntentRecord, TxRecord } from "../journal/index.js";
import type { ExecutorContext, HedgeOutcome } from "./context.js";
import { classifyError, decodeRevertData, formatGuard } from "./errors.js";

/** The receipt, or null when the node does not know one; any other failure (transport, timeout) is thrown. */
export async function receiptOf(
  ctx: Pick<ExecutorContext, "publicClient">,
  hash: Hex,
): Promise<TransactionReceipt | null> {
  try {
    return await ctx.publicClient.getTransactionReceipt({ hash });
  } catch (error) {
    // A failed lookup is not "not mined": treating it so would drop or re-open a hedge that is on chain.
    if (error instanceof TransactionReceiptNotFoundError) return null;
    throw error;
  }
}

/** The receipt of whichever of an intent's transactions was mined, newest first. */
export async function findReceipt(
  ctx: Pick<ExecutorContext, "publicClient">,
  txs: TxRecord[],
): Promise<{ tx: TxRecord; receipt: TransactionReceipt } | null> {
  for (const tx of [...txs].reverse()) {
    const receipt = await receiptOf(ctx, tx.hash as Hex);
    if (receipt) return { tx, receipt };
  }
  return null;
}

/**
 * Why a mined hedge reverted: replayed on the state before its block, then (when that succeeds, i.e. a transaction
 * ordered before ours in the same block tripped a guard: a pause, a competing hedge, an oracle update) after it.
 */
export async function revertReason(
  ctx: Pick<ExecutorContext, "publicClient">,
  txHash: Hex,
  receipt: TransactionReceipt,
): Promise<string> {
  const { publicClient } = ctx;
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

/** Journals a confirmed receipt as the intent's outcome (its siblings replaced) and returns that outcome. */
export async function confirmOutcome(
  ctx: Pick<ExecutorContext, "publicClient" | "journal" | "hook">,
  intent: IntentRecord,
  tx: TxRecord,
  receipt: TransactionReceipt,
): Promise<HedgeOutcome> {
  const { journal } = ctx;
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
    await ctx.hook("after-receipt", intent.id);
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
  const error = await revertReason(ctx, tx.hash as Hex, receipt);
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
