/**
 * Nothing lost, nothing hedged twice: the adapter's Hedged events against the keeper's journal at the end of a run.
 * Pure over what was read from the chain and the journal.
 */
import type { IntentRecord, TxRecord } from "../../../keeper/journal/index.js";

export interface HedgedOnChain {
  nonce: bigint;
  keeper: string;
  txHash: string;
}

export interface JournalView {
  intents: readonly IntentRecord[];
  txsOf(intentId: string): readonly TxRecord[];
}

export interface AuditResult {
  hedgesOnChain: number;
  intents: number;
  succeededIntents: number;
  /** Hedged events of the keeper's signer that no journal intent sent */
  unjournaled: string[];
  /** intents marked succeeded whose transaction has no Hedged event */
  phantom: string[];
  /** adapter nonces with more than one Hedged event */
  duplicateNonces: string[];
  /** intents with more than one of their transactions hedged */
  hedgedTwice: string[];
  /** intents still pending or sent after the final reconciling cycle */
  open: string[];
}

/** Matches every Hedged event of `signer` to exactly one journal intent, and every succeeded intent to its event. */
export function auditHedges(hedges: readonly HedgedOnChain[], journal: JournalView, signer: string): AuditResult {
  const mine = hedges.filter((h) => h.keeper.toLowerCase() === signer.toLowerCase());
  const eventByTx = new Map(mine.map((h) => [h.txHash.toLowerCase(), h]));
  const nonceCount = new Map<bigint, number>();
  for (const h of hedges) nonceCount.set(h.nonce, (nonceCount.get(h.nonce) ?? 0) + 1);

  const journaledTx = new Set<string>();
  const phantom: string[] = [];
  const hedgedTwice: string[] = [];
  const open: string[] = [];
  for (const intent of journal.intents) {
    const hedgedTxs = journal.txsOf(intent.id).filter((tx) => eventByTx.has(tx.hash.toLowerCase()));
    for (const tx of hedgedTxs) journaledTx.add(tx.hash.toLowerCase());
    if (hedgedTxs.length > 1) hedgedTwice.push(intent.id);
    if (intent.status === "succeeded" && (intent.txHash === null || !eventByTx.has(intent.txHash.toLowerCase()))) {
      phantom.push(`${intent.id} (${intent.txHash ?? "no tx"})`);
    }
    if (intent.status === "pending" || intent.status === "sent") open.push(`${intent.id} ${intent.status}`);
  }
  return {
    hedgesOnChain: mine.length,
    intents: journal.intents.length,
    succeededIntents: journal.intents.filter((i) => i.status === "succeeded").length,
    unjournaled: mine.filter((h) => !journaledTx.has(h.txHash.toLowerCase())).map((h) => h.txHash),
    phantom,
    duplicateNonces: [...nonceCount].filter(([, n]) => n > 1).map(([nonce]) => nonce.toString()),
    hedgedTwice,
    open,
  };
}

/** Problems an audit found, one line each; empty = nothing lost or hedged twice. */
export function auditProblems(audit: AuditResult): string[] {
  const lines: string[] = [];
  const add = (what: string, items: readonly string[]) => {
    if (items.length > 0) lines.push(`${what}: ${items.length} (${items.slice(0, 3).join(", ")})`);
  };
  add("hedges on chain not in the journal", audit.unjournaled);
  add("succeeded intents without a Hedged event", audit.phantom);
  add("adapter nonces hedged twice", audit.duplicateNonces);
  add("intents hedged twice", audit.hedgedTwice);
  add("intents left open", audit.open);
  return lines;
}
