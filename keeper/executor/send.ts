/**
 * Where a signed hedge goes. Reads always use HK_RPC_URLS; raw transactions (first sends, fee-bumped replacements,
 * rebroadcasts after a restart) go to a private relay when HK_SEND_RPC_URLS names one (Flashbots Protect, MEV Blocker),
 * so a hedge never sits in the public mempool where a searcher can sandwich it.
 *
 * A relay's semantics differ from a node's: a transaction it holds is not public until it is mined, so the read RPC
 * neither returns it from eth_getTransactionByHash nor counts it in the `pending` nonce. The executor therefore takes a
 * new hedge's nonce from the journal and the `latest` count (see `nonceTag`), and follows its hedges by receipt only.
 */
import type { Hex, PublicClient } from "viem";
import type { Logger } from "pino";
import { classifyError } from "./errors.js";

/** HK_SEND_FALLBACK: `public` sends through the read RPC when no relay accepts, `never` leaves the hedge for a retry. */
export type SendFallback = "public" | "never";

export type SendPath = "public" | "private";

/**
 * Thrown when no relay accepts a hedge and HK_SEND_FALLBACK=never: the signed hedge stays journaled, unsent, and the
 * next cycle (or restart) rebroadcasts it through the relay. One line, since the CLI prints it as the failure.
 */
export class RelayUnavailableError extends Error {
  readonly shortMessage: string;
  readonly details: string;
  constructor(relays: number, cause: unknown) {
    const shortMessage = `no private relay accepted the hedge (${relays} URL(s)); HK_SEND_FALLBACK=never keeps it off the public mempool`;
    const details = classifyError(cause).message.split("\n")[0]!;
    super(`${shortMessage}: ${details}`, { cause });
    this.name = "RelayUnavailableError";
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

export interface Broadcaster {
  /** whether hedges go to a private relay (none of their pending state is public) */
  readonly isPrivate: boolean;
  /** the block tag to count the keeper's nonce at: `pending` on a public node, `latest` behind a relay */
  readonly nonceTag: "pending" | "latest";
  /** sends `raw`; resolves with the path it took. A duplicate (already known, nonce already used) is not an error. */
  broadcast(raw: Hex): Promise<SendPath>;
}

export interface BroadcasterDeps {
  /** the read RPC (HK_RPC_URLS): the public path */
  publicClient: Pick<PublicClient, "sendRawTransaction">;
  /** the relay (HK_SEND_RPC_URLS), null for none */
  relayClient: Pick<PublicClient, "sendRawTransaction"> | null;
  relayCount: number;
  fallback: SendFallback;
  logger: Logger;
}

/** Sends to `client`; true when it took the transaction or already had it (or a sibling with its nonce was mined). */
async function sendTo(client: Pick<PublicClient, "sendRawTransaction">, raw: Hex): Promise<void> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
  } catch (error) {
    const classified = classifyError(error);
    // Already held, or a sibling with the same nonce already mined: the receipt poll sorts it out.
    if (classified.kind === "retryable" && (classified.reason === "known" || classified.reason === "nonce")) return;
    throw error;
  }
}

export function createBroadcaster(deps: BroadcasterDeps): Broadcaster {
  const { publicClient, relayClient, logger } = deps;
  return {
    isPrivate: relayClient !== null,
    nonceTag: relayClient !== null ? "latest" : "pending",
    async broadcast(raw) {
      if (relayClient === null) {
        await sendTo(publicClient, raw);
        return "public";
      }
      try {
        await sendTo(relayClient, raw);
        return "private";
      } catch (error) {
        const classified = classifyError(error);
        // A guard refusal is the transaction's, not the relay's: the public node would refuse it too.
        if (classified.kind === "guard") throw error;
        if (deps.fallback === "never") throw new RelayUnavailableError(deps.relayCount, error);
        logger.warn(
          { err: classified.message, fallback: deps.fallback },
          "private relay refused or unreachable; sending the hedge through the public RPC (HK_SEND_FALLBACK=public)",
        );
        await sendTo(publicClient, raw);
        return "public";
      }
    },
  };
}
