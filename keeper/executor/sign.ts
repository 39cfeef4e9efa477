import { encodeFunctionData, keccak256, type Hex } from "viem";
import { hedgeAdapterAbi } from "../chain/abis.generated.js";
import type { IntentRecord } from "../journal/index.js";
import type { ExecutorContext } from "./context.js";
import type { Fees } from "./fees.js";
import type { RebalanceRequest } from "./request.js";

/** Signs `rebalance(request)` to the adapter locally; the hash is the raw transaction's, known before any send. */
export async function signRebalance(
  ctx: Pick<ExecutorContext, "account" | "chainId" | "deployment">,
  request: RebalanceRequest,
  nonce: number,
  gas: bigint,
  fees: Fees,
): Promise<{ raw: Hex; hash: Hex }> {
  const data = encodeFunctionData({ abi: hedgeAdapterAbi, functionName: "rebalance", args: [request] });
  const raw = await ctx.account.signTransaction({
    type: "eip1559",
    chainId: ctx.chainId,
    to: ctx.deployment.adapter,
    data,
    nonce,
    gas,
    value: 0n,
    ...fees,
  });
  return { raw, hash: keccak256(raw) };
}

/** Sends a signed hedge through the broadcaster; a private-relay keeper warns when it had to go public. */
export async function broadcastRaw(ctx: Pick<ExecutorContext, "broadcaster" | "logger">, raw: Hex): Promise<void> {
  const path = await ctx.broadcaster.broadcast(raw);
  if (path === "public" && ctx.broadcaster.isPrivate) ctx.logger.warn({ hash: keccak256(raw) }, "hedge sent publicly");
}

/**
 * The nonce of a new hedge. Behind a private relay the read RPC's `pending` count misses transactions the relay
 * still holds, so it is the later of the mined count and one past every nonce the journal has open.
 */
export async function nextNonce(
  ctx: Pick<ExecutorContext, "publicClient" | "account" | "broadcaster" | "journal">,
): Promise<number> {
  const counted = await ctx.publicClient.getTransactionCount({
    address: ctx.account.address,
    blockTag: ctx.broadcaster.nonceTag,
  });
  if (!ctx.broadcaster.isPrivate) return counted;
  let next = counted;
  for (const intent of ctx.journal.openIntents()) {
    for (const tx of ctx.journal.txsOf(intent.id)) next = Math.max(next, tx.nonce + 1);
  }
  return next;
}

/** The request an intent was journaled with, rebuilt for a same-nonce replacement. */
export function requestOf(intent: IntentRecord): RebalanceRequest {
  return {
    buyWeth: intent.side === "buyWeth",
    amountIn: intent.amountIn,
    minAmountOut: intent.minAmountOut,
    deadline: intent.deadline,
    expectedNonce: intent.adapterNonce,
  };
}

export function requestFields(request: RebalanceRequest) {
  return { amountIn: request.amountIn, minAmountOut: request.minAmountOut, deadline: request.deadline };
}

/** Fees as decimal strings: pino cannot serialise bigint. */
export function feesForLog(fees: Fees) {
  return { maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString() };
}
