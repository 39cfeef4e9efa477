import { hedgeAdapterAbi } from "../chain/abis.generated.js";
import type { Snapshot } from "../chain/snapshot.js";
import type { ExecutorContext, HedgeOutcome } from "./context.js";
import { classifyError, formatGuard } from "./errors.js";
import type { RebalanceRequest } from "./request.js";
import { requestFields } from "./sign.js";

/** One hedge leg on its way to the chain: the intent id it is journaled under and what it was built from. */
export interface Leg {
  intentId: string;
  snapshot: Snapshot;
  request: RebalanceRequest;
  side: "buyWeth" | "sellWeth";
  legEth: number;
}

/** Journals the leg's intent (status pending). */
export function journalIntent(ctx: Pick<ExecutorContext, "journal" | "deployment" | "now">, leg: Leg): void {
  ctx.journal.createIntent({
    id: leg.intentId,
    adapter: ctx.deployment.adapter,
    adapterNonce: leg.request.expectedNonce,
    createdAtMs: ctx.now(),
    blockNumber: leg.snapshot.blockNumber,
    side: leg.side,
    legEth: leg.legEth,
    ...requestFields(leg.request),
  });
}

/** A guard refusal is journaled as a rejected intent and returned; any other failure is thrown. */
function refused(ctx: ExecutorContext, leg: Leg, error: unknown, stage: string): HedgeOutcome {
  const classified = classifyError(error);
  if (classified.kind !== "guard") throw error;
  const reason = formatGuard(classified) + stage;
  journalIntent(ctx, leg);
  ctx.journal.markIntent(leg.intentId, "rejected", { error: reason });
  return { kind: "rejected", intentId: leg.intentId, error: reason, errorName: classified.name };
}

function rebalanceCall(ctx: ExecutorContext) {
  return {
    account: ctx.account,
    address: ctx.deployment.adapter,
    abi: hedgeAdapterAbi,
    functionName: "rebalance",
  } as const;
}

/** Simulates the leg; null when the adapter would accept it, the rejected outcome when a guard refuses it. */
export async function simulateRebalance(ctx: ExecutorContext, leg: Leg): Promise<HedgeOutcome | null> {
  try {
    // Simulated on the pending block, where the transaction will land: the adapter bounds the fill by the pool's
    // price when the block begins, which for the head block is the price before the head's own swaps.
    await ctx.publicClient.simulateContract({ ...rebalanceCall(ctx), args: [leg.request], blockTag: "pending" });
    return null;
  } catch (error) {
    return refused(ctx, leg, error, "");
  }
}

/**
 * The gas limit for the leg: the node's estimate plus 30%, capped at gasLimitHedge; the rejected outcome when the
 * estimate reverts on a guard.
 */
export async function estimateRebalanceGas(
  ctx: ExecutorContext,
  leg: Leg,
): Promise<{ gas: bigint } | { outcome: HedgeOutcome }> {
  let estimate: bigint;
  try {
    estimate = await ctx.publicClient.estimateContractGas({ ...rebalanceCall(ctx), args: [leg.request] });
  } catch (error) {
    // Nodes estimate on the pending block: a competing hedge already in the pool shows here first.
    return { outcome: refused(ctx, leg, error, " (gas estimate on the pending block)") };
  }
  const withMargin = (estimate * 13n) / 10n;
  return { gas: withMargin < ctx.gas.gasLimitHedge ? withMargin : ctx.gas.gasLimitHedge };
}
