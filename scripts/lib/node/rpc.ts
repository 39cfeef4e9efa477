/**
 * Raw JSON-RPC helpers for the scripts: one request without an ethers provider (so that an unreachable node fails at
 * once instead of being retried), and an in-process Hardhat network forking a node.
 */

/** The node at `url` could not be reached or did not answer. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly shortMessage: string,
  ) {
    super(shortMessage);
    this.name = "RpcUnavailableError";
  }
}

/** Sends one JSON-RPC request and returns its `result`. @throws RpcUnavailableError */
export async function jsonRpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new RpcUnavailableError(
      url,
      `cannot reach the JSON-RPC node at ${url} (${(error as Error).message}); start one or pass --rpc`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: { message?: string } };
  if (body.result === undefined) {
    throw new RpcUnavailableError(url, `${url} did not answer ${method}${body.error ? `: ${body.error.message}` : ""}`);
  }
  return body.result;
}

/**
 * Starts an in-process Hardhat network forking `url` at its latest block (Hardhat would otherwise stay some blocks
 * behind the head of a chain it does not know), reporting `chainId`, and mines one block on it: blocks up to the fork
 * block run under the remote chain's hardfork history, which Hardhat only knows for chains it has descriptors for,
 * while a local block runs under the configured hardfork on any chain. Returns the fork's RPC URL.
 */
export async function startHardhatFork(
  url: string,
  chainId: number,
): Promise<{ rpc: string; close: () => Promise<void> }> {
  const blockNumber = Number(BigInt((await jsonRpc(url, "eth_blockNumber")) as string));
  const { network } = await import("hardhat");
  const server = await network.createServer(
    { network: "default", override: { chainId, forking: { url, enabled: true, blockNumber } } },
    "127.0.0.1",
    0,
  );
  const { address, port } = await server.listen();
  const rpc = `http://${address}:${port}`;
  await jsonRpc(rpc, "evm_mine");
  return { rpc, close: () => server.close() };
}
