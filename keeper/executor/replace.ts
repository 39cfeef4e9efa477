import type { IntentRecord, TxRecord } from "../journal/index.js";
import type { ExecutorContext } from "./context.js";
import { bumpFees } from "./fees.js";
import { broadcastRaw, feesForLog, requestOf, signRebalance } from "./sign.js";

/**
 * Re-signs a stuck hedge at the same nonce with bumped fees, journals it before sending (so a restart finds it) and
 * broadcasts it. Returns false when the fee ceiling leaves no room for a valid bump: the stuck transaction stays.
 */
export async function replaceStuck(ctx: ExecutorContext, intent: IntentRecord, latest: TxRecord): Promise<boolean> {
  const bumped = bumpFees(latest, ctx.gas);
  if (!bumped) return false;
  const signed = await signRebalance(ctx, requestOf(intent), latest.nonce, ctx.gas.gasLimitHedge, bumped);
  ctx.journal.recordTx({
    hash: signed.hash,
    intentId: intent.id,
    nonce: latest.nonce,
    raw: signed.raw,
    createdAtMs: ctx.now(),
    ...bumped,
  });
  ctx.logger.warn(
    { intent: intent.id, replaces: latest.hash, hash: signed.hash, ...feesForLog(bumped) },
    "replacing stuck hedge tx",
  );
  await broadcastRaw(ctx, signed.raw);
  ctx.journal.markTx(signed.hash, "sent");
  return true;
}
