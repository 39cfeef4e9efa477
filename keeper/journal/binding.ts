/**
 * A journal belongs to one chain and one adapter. Its intents carry block numbers and adapter nonces of that chain:
 * read against another chain (a local chain reset and redeployed at the same addresses, a journal copied between
 * networks) they make the keeper refuse every head as "behind" a block it has seen, or reconcile hedges that never
 * existed. So the first start binds the journal to (chain id, genesis hash, adapter), and every later start checks it.
 */
import type { Journal } from "./index.js";

export interface ChainBinding {
  chainId: number;
  /** hash of block 0: a reset or different chain with the same id has another one */
  genesisHash: string;
  adapter: string;
}

const BINDING_KEY = "chainBinding";

/** What `genesisHash` holds when the node cannot serve block 0 (a fork of a chain built without its genesis). */
export const GENESIS_UNAVAILABLE = "unavailable";

/**
 * Hash of block 0, or GENESIS_UNAVAILABLE when the node answers no block 0 (Hardhat's fork of the mainnet-shaped
 * rehearsal chain, whose history starts at its fork height): the binding then rests on chain id and adapter.
 */
export async function genesisHashOf(client: {
  getBlock(args: { blockNumber: bigint }): Promise<{ hash: string | null }>;
}): Promise<string> {
  try {
    return (await client.getBlock({ blockNumber: 0n })).hash ?? GENESIS_UNAVAILABLE;
  } catch {
    return GENESIS_UNAVAILABLE; // the RPC answered discovery a moment ago: this is the missing block, not the network
  }
}

/** Thrown when the journal was written on another chain or for another adapter; says how to fix it. */
export class JournalMismatchError extends Error {
  override name = "JournalMismatchError";
}

export function readBinding(journal: Journal): ChainBinding | null {
  const raw = journal.getState(BINDING_KEY);
  return raw === null ? null : (JSON.parse(raw) as ChainBinding);
}

const describe = (b: ChainBinding) =>
  `chain ${b.chainId} (genesis ${b.genesisHash.slice(0, 10)}…), adapter ${b.adapter}`;

/**
 * Binds an unbound journal to `actual`, or checks that a bound one matches it.
 * @returns "bound" on first use, "matches" afterwards
 * @throws JournalMismatchError naming both chains and the fix
 */
export function bindJournal(journal: Journal, path: string, actual: ChainBinding): "bound" | "matches" {
  const normal = { ...actual, genesisHash: actual.genesisHash.toLowerCase(), adapter: actual.adapter.toLowerCase() };
  const stored = readBinding(journal);
  if (stored === null) {
    journal.setState(BINDING_KEY, JSON.stringify(normal));
    return "bound";
  }
  // An unavailable genesis on either side cannot tell chains apart; chain id and adapter still must match.
  const genesisDiffers =
    stored.genesisHash !== GENESIS_UNAVAILABLE &&
    normal.genesisHash !== GENESIS_UNAVAILABLE &&
    stored.genesisHash !== normal.genesisHash;
  const differs = stored.chainId !== normal.chainId || genesisDiffers || stored.adapter !== normal.adapter;
  if (!differs) return "matches";
  const why = stored.chainId === normal.chainId && stored.genesisHash !== normal.genesisHash ? " (a reset chain?)" : "";
  throw new JournalMismatchError(
    `HK_JOURNAL_PATH: journal ${path} was written for ${describe(stored)}, but the RPC serves ${describe(normal)}${why}; ` +
      "inspect it with `keeper journal show`, start afresh with `keeper journal reset` (keeps a backup), " +
      "or set HK_JOURNAL_PATH to another file",
  );
}
