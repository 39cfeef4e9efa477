/**
 * A loopback JSON-RPC HTTP endpoint over an in-process EIP-1193 provider (the in-process Hardhat chain), so the keeper
 * reaches the chain over HTTP, as in production, through the fault proxy, while the soak drives the market in-process.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "../testing/faultProxy.js";

export interface Eip1193 {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

export interface RpcBridge {
  url: string;
  close(): Promise<void>;
}

interface Call {
  id?: unknown;
  method: string;
  params?: unknown[];
}

async function answer(provider: Eip1193, call: Call): Promise<unknown> {
  try {
    const result = await provider.request({ method: call.method, params: call.params ?? [] });
    return { jsonrpc: "2.0", id: call.id ?? null, result: result ?? null };
  } catch (error) {
    const e = error as { code?: unknown; message?: string; data?: unknown };
    const code = typeof e.code === "number" ? e.code : -32603;
    return { jsonrpc: "2.0", id: call.id ?? null, error: { code, message: e.message ?? String(error), data: e.data } };
  }
}

/** Serves `provider` on 127.0.0.1 (any free port); single calls and batches. */
export async function startRpcBridge(provider: Eip1193): Promise<RpcBridge> {
  const server = createServer((req, res) => {
    void (async () => {
      let parsed: Call | Call[];
      try {
        parsed = JSON.parse(await readBody(req)) as Call | Call[];
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bridge: body is not JSON"}');
        return;
      }
      // Calls of a batch run one after another: the chain serialises them anyway, and the order is the caller's.
      const replies: unknown[] = [];
      for (const call of Array.isArray(parsed) ? parsed : [parsed]) replies.push(await answer(provider, call));
      const body = JSON.stringify(Array.isArray(parsed) ? replies : replies[0], (_, v: unknown) =>
        typeof v === "bigint" ? `0x${v.toString(16)}` : v,
      );
      if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(body);
    })().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(`bridge: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
