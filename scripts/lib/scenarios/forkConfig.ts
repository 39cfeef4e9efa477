/**
 * The mainnet-fork settings, read from the environment. No Hardhat import here: `hardhat.config.ts` uses this module
 * to define the `mainnetFork` network, and the scenario profiles use it to decide whether the fork can run.
 *
 *   MAINNET_RPC_URL     an archive-capable mainnet JSON-RPC URL; unset = the fork profile is skipped (with that reason)
 *   MAINNET_FORK_BLOCK  the block to pin the fork at; default `MAINNET_FORK_BLOCK` of keeper/chain/addressBook.ts
 */
import { MAINNET_FORK_BLOCK } from "../../../keeper/chain/addressBook.js";

/** The Hardhat network (hardhat.config.ts) that forks mainnet. */
export const FORK_NETWORK = "mainnetFork";

export const RPC_URL_VARIABLE = "MAINNET_RPC_URL";
export const FORK_BLOCK_VARIABLE = "MAINNET_FORK_BLOCK";

export interface ForkSettings {
  url: string;
  blockNumber: number;
}

type Env = Record<string, string | undefined>;

/** The block the fork is pinned at: `MAINNET_FORK_BLOCK` when set, else the address book's. @throws RangeError */
export function forkBlockNumber(env: Env = process.env): number {
  const raw = env[FORK_BLOCK_VARIABLE]?.trim();
  if (raw === undefined || raw === "") return MAINNET_FORK_BLOCK;
  const blockNumber = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(blockNumber) || blockNumber <= 0) {
    throw new RangeError(`${FORK_BLOCK_VARIABLE} must be a positive block number (got ${JSON.stringify(raw)})`);
  }
  return blockNumber;
}

/**
 * The block for hardhat.config.ts: `forkBlockNumber` when the value parses, undefined when it does not. The config
 * must load whatever the variable holds (a bad value would otherwise break every Hardhat command, `hardhat node`
 * included); the fork profile reports the bad value before it forks (forkPreflight.ts).
 */
export function configuredForkBlock(env: Env = process.env): number | undefined {
  try {
    return forkBlockNumber(env);
  } catch {
    return undefined;
  }
}

/** Why the fork cannot run here, or null when it can. */
export function forkUnavailableReason(env: Env = process.env): string | null {
  const url = env[RPC_URL_VARIABLE]?.trim();
  return url ? null : `${RPC_URL_VARIABLE} is not set`;
}

/** The fork's URL and pinned block, or null when `MAINNET_RPC_URL` is unset. */
export function forkSettings(env: Env = process.env): ForkSettings | null {
  if (forkUnavailableReason(env) !== null) return null;
  return { url: env[RPC_URL_VARIABLE]!.trim(), blockNumber: forkBlockNumber(env) };
}
