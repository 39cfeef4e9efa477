/**
 * Checks the fork inputs before Hardhat forks anything, so that a wrong URL or block ends in one line that names the
 * variable, its value and the fix, instead of a provider stack trace from deep inside EDR. In order:
 *
 *   1. MAINNET_FORK_BLOCK is a positive integer (checked here, not when the config loads, so a bad value never
 *      breaks commands that do not fork);
 *   2. MAINNET_RPC_URL is an http(s) URL and answers JSON-RPC;
 *   3. it serves chain id 1;
 *   4. the pinned block is at or below its head;
 *   5. it has state at the pinned block (an RPC without archive state refuses historical reads, and is named so);
 *   6. every contract of the address book has code at the pinned block.
 *
 * URLs are printed as their origin only: RPC providers put API keys in the path or query string.
 */
import type { AddressBook } from "../../../keeper/chain/addressBook.js";
import { FORK_BLOCK_VARIABLE, forkBlockNumber, RPC_URL_VARIABLE, type ForkSettings } from "./forkConfig.js";

/** A fork input a user must fix; `message` is the whole one-line report. Scripts exit with `FORK_INPUT_EXIT_CODE`. */
export class ForkInputError extends Error {
  override name = "ForkInputError";
}

export const FORK_INPUT_EXIT_CODE = 2;

const RPC_TIMEOUT_MS = 10_000;

type Env = Record<string, string | undefined>;

/** The URL without credentials, path or query (where providers put API keys). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = parsed.pathname.length > 1 || parsed.search !== "" || parsed.username !== "";
    return `${parsed.protocol}//${parsed.host}${hidden ? "/…" : ""}`;
  } catch {
    return "(not a URL)";
  }
}

class RpcError extends Error {}

/** One JSON-RPC call; network failures and RPC errors both become RpcError with the node's own words. */
async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new RpcError(cause?.code ?? cause?.message ?? (error as Error).message);
  }
  if (!response.ok) throw new RpcError(`HTTP ${response.status}`);
  let body: { result?: unknown; error?: { message?: string } };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new RpcError("the response is not JSON");
  }
  if (body.error) throw new RpcError(body.error.message ?? JSON.stringify(body.error));
  return body.result;
}

const hexBlock = (blockNumber: number) => `0x${blockNumber.toString(16)}`;

/**
 * @returns the fork's URL and block when every check passes
 * @throws ForkInputError naming the first input that is wrong and how to fix it
 */
export async function checkForkInputs(book: AddressBook, env: Env = process.env): Promise<ForkSettings> {
  let blockNumber: number;
  try {
    blockNumber = forkBlockNumber(env);
  } catch {
    throw new ForkInputError(
      `${FORK_BLOCK_VARIABLE}=${JSON.stringify(env[FORK_BLOCK_VARIABLE])} is not a block number: set a positive integer or unset it to use the address book's block`,
    );
  }
  const url = env[RPC_URL_VARIABLE]?.trim() ?? "";
  const shown = redactUrl(url);
  if (!/^https?:\/\//i.test(url) || shown === "(not a URL)") {
    throw new ForkInputError(
      `${RPC_URL_VARIABLE} is not an http(s) URL (got ${url.length} characters starting ${JSON.stringify(url.slice(0, 8))}): set it to a mainnet archive node's JSON-RPC URL`,
    );
  }
  const where = `${RPC_URL_VARIABLE}=${shown}`;

  let chainId: number;
  let head: number;
  try {
    chainId = Number(BigInt((await rpc(url, "eth_chainId", [])) as string));
    head = Number(BigInt((await rpc(url, "eth_blockNumber", [])) as string));
  } catch (error) {
    throw new ForkInputError(
      `${where} does not answer JSON-RPC (${(error as Error).message}): check the URL and that the node is reachable`,
    );
  }
  if (chainId !== book.chainId) {
    throw new ForkInputError(
      `${where} serves chain id ${chainId}, not ${book.chainId} (Ethereum mainnet): point ${RPC_URL_VARIABLE} at a mainnet RPC`,
    );
  }
  if (blockNumber > head) {
    throw new ForkInputError(
      `${FORK_BLOCK_VARIABLE}=${blockNumber} is above the head of ${where} (block ${head}): set ${FORK_BLOCK_VARIABLE} to a block at or below ${head}`,
    );
  }

  for (const [name, address] of Object.entries(book)) {
    if (name === "chainId") continue;
    let code: unknown;
    try {
      code = await rpc(url, "eth_getCode", [address, hexBlock(blockNumber)]);
    } catch (error) {
      throw new ForkInputError(
        `${where} has no state at ${FORK_BLOCK_VARIABLE}=${blockNumber} (${(error as Error).message}): it is not an archive node; use an archive RPC or a block within its recent history`,
      );
    }
    if (typeof code !== "string" || code === "0x") {
      throw new ForkInputError(
        `${FORK_BLOCK_VARIABLE}=${blockNumber}: no contract at ${name} ${address as string} on ${where}: pin a block after the address book's contracts were deployed`,
      );
    }
  }
  return { url, blockNumber };
}
