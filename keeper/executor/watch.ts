import type { Hex } from "viem";
import type { IntentRecord } from "../journal/index.js";
import { confirmOutcome, findReceipt } from "./confirm.js";
import type { ExecutorContext, HedgeOutcome } from "./context.js";
import { replaceStuck } from "./replace.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows an intent's transactions until one is mined and confirmed, replacing a stuck one with bumped fees. */
export async function watchIntent(ctx: ExecutorContext, intent: IntentRecord): Promise<HedgeOutcome> {
  const { publicClient, journal } = ctx;
  const deadlineMs = ctx.now() + ctx.receiptTimeoutMs;
  let lastSendBlock = await publicClient.getBlockNumber();
  for (;;) {
    const txs = journal.txsOf(intent.id);
    const latest = txs[txs.length - 1];
    if (!latest) {
      journal.markIntent(intent.id, "dropped", { error: "no transaction was signed" });
      return { kind: "dropped", intentId: intent.id, reason: "no transaction was signed" };
    }
    const found = await findReceipt(ctx, txs);
    const head = await publicClient.getBlockNumber();
    if (found) {
      if (head + 1n >= found.receipt.blockNumber + BigInt(ctx.confirmations)) {
        return confirmOutcome(ctx, intent, found.tx, found.receipt);
      }
    } else {
      const minedNonce = await publicClient.getTransactionCount({ address: ctx.account.address, blockTag: "latest" });
      // Mined between the receipt lookup and the nonce read: settle it on the next poll, do not drop it.
      if (minedNonce > latest.nonce && (await findReceipt(ctx, txs))) continue;
      if (minedNonce > latest.nonce) {
        // Our nonce was consumed by a transaction we did not journal: this intent can no longer land.
        journal.markIntent(intent.id, "dropped", { error: `nonce ${latest.nonce} used by another transaction` });
        return { kind: "dropped", intentId: intent.id, reason: `nonce ${latest.nonce} used by another transaction` };
      }
      if (head - lastSendBlock >= BigInt(ctx.gas.replaceAfterBlocks) && (await replaceStuck(ctx, intent, latest))) {
        lastSendBlock = head;
      }
    }
    if (ctx.now() > deadlineMs) {
      ctx.logger.warn({ intent: intent.id, tx: latest.hash }, "no receipt before the timeout; the intent stays open");
      return { kind: "pending", intentId: intent.id, txHash: latest.hash as Hex };
    }
    await sleep(ctx.pollMs);
  }
}
