/**
 * A fault-injecting JSON-RPC proxy for tests: a loopback HTTP server between the keeper and a node. Every request is
 * forwarded unless a rule says otherwise; a rule can drop the connection (before or after the node saw the request),
 * answer late, answer with a JSON-RPC error, an HTTP 500, garbage or truncated JSON. Independently, the head can be
 * frozen at an old block: the proxy then behaves like a node that stopped following the chain (see `freezeHead`).
 * Everything is counted, so a test can show which faults the keeper actually went through.
 */
import { seededRandom } from "./random.js";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /** close the socket without forwarding: the node never sees the request */
  | { kind: "drop" }
  /** forward, then close the socket instead of answering: the node acted, the client does not know */
  | { kind: "drop-response" }
  /** forward and answer after `ms` (past the client's timeout when `ms` exceeds it) */
  | { kind: "delay"; ms: number }
  /** answer every call of the request with a JSON-RPC error (default -32603 internal error) */
  | { kind: "rpc-error"; code?: number; message?: string }
  /** answer with an HTTP error status (default 500) and a text body */
  | { kind: "http-error"; status?: number }
  /** answer 200 with a body that is not JSON */
  | { kind: "garbage" }
  /** forward, then answer 200 with the first half of the node's JSON */
  | { kind: "truncated" };

export type FaultKind = Fault["kind"];

/** One JSON-RPC call as the proxy sees it (a batch holds several). */
export interface RpcCall {
  jsonrpc?: string;
  id?: number | string | null;
  method: string;
  params?: unknown[];
}

export interface FaultRule {
  fault: Fault;
  /** only requests holding a call to one of these methods (default: every request) */
  methods?: string[];
  /** only requests for which this returns true (full programmability) */
  match?: (calls: RpcCall[]) => boolean;
  /** fire for this many matching requests, then retire (default: until cleared) */
  times?: number;
  /** fire on a matching request with this probability, from the proxy's seeded generator (default 1) */
  probability?: number;
}

export interface FaultProxyStats {
  /** HTTP requests received (a JSON-RPC batch is one) */
  requests: number;
  /** JSON-RPC calls received */
  calls: number;
  /** requests a fault was injected into, by fault kind */
  faulted: Record<FaultKind, number>;
  /** calls answered from the frozen head instead of the node's */
  staleAnswers: number;
  byMethod: Record<string, number>;
}

export interface FaultProxy {
  url: string;
  /** Adds a rule; the first matching rule decides a request's fault. */
  inject(rule: FaultRule): void;
  /** Serve a stale head at `blockNumber`: see the module doc. */
  freezeHead(blockNumber: bigint): void;
  /** Removes every rule and unfreezes the head: the proxy forwards everything again. */
  clear(): void;
  stats: FaultProxyStats;
  /** total requests with an injected fault */
  faultedTotal(): number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** seed of the generator behind `probability` (default 1) */
  seed?: number;
  /** loopback port (default: any free port) */
  port?: number;
}

const FAULT_KINDS: FaultKind[] = ["drop", "drop-response", "delay", "rpc-error", "http-error", "garbage", "truncated"];

/** Methods whose last parameter is a block tag, by its index. */
const BLOCK_PARAM: Record<string, number> = {
  eth_call: 1,
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_getStorageAt: 2,
};
const MOVING_TAGS = new Set(["latest", "pending", "safe", "finalized"]);

const hex = (n: bigint) => `0x${n.toString(16)}`;

/** The whole body of an HTTP request, as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/**
 * Starts the proxy in front of `upstream` (an http JSON-RPC URL) on 127.0.0.1.
 *
 * With the head frozen at block F the proxy answers as a node stuck at F: `eth_blockNumber` is F; "latest" (and
 * "pending", "safe", "finalized") in `eth_getBlockByNumber`, `eth_call`, `eth_getBalance`, `eth_getCode`,
 * `eth_getStorageAt` and `eth_getTransactionCount` mean F; a block above F is unknown (null block, "header not
 * found" error) and so is a transaction or receipt mined above F. Transactions are still forwarded: a lagging node
 * still gossips what it is given.
 */
export async function startFaultProxy(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const random = seededRandom(options.seed ?? 1);
  let rules: (FaultRule & { left: number })[] = [];
  let frozen: bigint | null = null;
  const stats: FaultProxyStats = {
    requests: 0,
    calls: 0,
    faulted: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    staleAnswers: 0,
    byMethod: {},
  };

  function pickFault(calls: RpcCall[]): Fault | null {
    for (const rule of rules) {
      if (rule.left <= 0) continue;
      if (rule.methods && !calls.some((c) => rule.methods!.includes(c.method))) continue;
      if (rule.match && !rule.match(calls)) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      rule.left -= 1;
      return rule.fault;
    }
    return null;
  }

  async function forward(body: string): Promise<string> {
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return response.text();
  }

  /** Answers what a node stuck at `frozen` would answer locally; rewrites the rest to be read at `frozen`. */
  function staleView(call: RpcCall, at: bigint): { answer?: unknown; error?: string; call?: RpcCall } {
    const params = [...(call.params ?? [])];
    const beyond = (tag: unknown) => typeof tag === "string" && tag.startsWith("0x") && BigInt(tag) > at;
    if (call.method === "eth_blockNumber") return { answer: hex(at) };
    if (call.method === "eth_getBlockByNumber") {
      if (beyond(params[0])) return { answer: null };
      if (typeof params[0] === "string" && MOVING_TAGS.has(params[0])) params[0] = hex(at);
      return { call: { ...call, params } };
    }
    const index = BLOCK_PARAM[call.method];
    if (index !== undefined) {
      const tag = params[index];
      if (beyond(tag)) return { error: "header not found" };
      if (tag === undefined || (typeof tag === "string" && MOVING_TAGS.has(tag))) params[index] = hex(at);
      return { call: { ...call, params } };
    }
    return { call };
  }

  /** Forwards the calls (as one batch when they came as one) and applies the frozen head to the answers. */
  async function answer(calls: RpcCall[], batch: boolean): Promise<string> {
    const at = frozen;
    if (at === null) return forward(JSON.stringify(batch ? calls : calls[0]));
    const local = new Map<number, unknown>();
    const toNode: RpcCall[] = [];
    const slots: number[] = [];
    calls.forEach((call, i) => {
      const view = staleView(call, at);
      if (view.call) {
        toNode.push(view.call);
        slots.push(i);
      } else {
        stats.staleAnswers += 1;
        local.set(
          i,
          view.error === undefined
            ? { jsonrpc: "2.0", id: call.id, result: view.answer }
            : { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: view.error } },
        );
      }
    });
    if (toNode.length > 0) {
      const raw = JSON.parse(await forward(JSON.stringify(toNode))) as unknown;
      const answers = (Array.isArray(raw) ? raw : [raw]) as { id?: unknown; result?: unknown }[];
      slots.forEach((slot, j) => {
        const reply = answers.find((a) => a.id === toNode[j]!.id) ?? answers[j];
        local.set(slot, hideBeyond(calls[slot]!.method, reply, at));
      });
    }
    const ordered = calls.map((_, i) => local.get(i));
    return JSON.stringify(batch ? ordered : ordered[0]);
  }

  /** A transaction or receipt mined above the frozen head does not exist yet for a node stuck there. */
  function hideBeyond(method: string, reply: { result?: unknown } | undefined, at: bigint): unknown {
    if (!reply || (method !== "eth_getTransactionReceipt" && method !== "eth_getTransactionByHash")) return reply;
    const mined = (reply.result as { blockNumber?: string | null } | null)?.blockNumber;
    if (typeof mined === "string" && BigInt(mined) > at) {
      stats.staleAnswers += 1;
      return { ...reply, result: null };
    }
    return reply;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    stats.requests += 1;
    let parsed: RpcCall | RpcCall[];
    try {
      parsed = JSON.parse(body) as RpcCall | RpcCall[];
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"proxy: body is not JSON"}');
      return;
    }
    const batch = Array.isArray(parsed);
    const calls: RpcCall[] = Array.isArray(parsed) ? parsed : [parsed];
    stats.calls += calls.length;
    for (const call of calls) stats.byMethod[call.method] = (stats.byMethod[call.method] ?? 0) + 1;

    const fault = pickFault(calls);
    if (fault) stats.faulted[fault.kind] += 1;
    const reply = (status: number, text: string, type = "application/json") => {
      if (!res.destroyed) res.writeHead(status, { "content-type": type }).end(text);
    };
    switch (fault?.kind) {
      case "drop":
        req.socket.destroy();
        return;
      case "drop-response":
        await answer(calls, batch).catch(() => undefined);
        req.socket.destroy();
        return;
      case "rpc-error": {
        const error = { code: fault.code ?? -32603, message: fault.message ?? "internal error (injected by proxy)" };
        const errors = calls.map((c) => ({ jsonrpc: "2.0", id: c.id, error }));
        reply(200, JSON.stringify(batch ? errors : errors[0]));
        return;
      }
      case "http-error":
        reply(fault.status ?? 500, "Internal Server Error (injected by proxy)", "text/plain");
        return;
      case "garbage":
        reply(200, "<html><body>502 Bad Gateway</body></html>");
        return;
      case "truncated": {
        const text = await answer(calls, batch);
        reply(200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return;
      }
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
      case undefined:
        break;
    }
    reply(200, await answer(calls, batch));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { "content-type": "text/plain" }).end(`proxy: upstream failed: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    },
    freezeHead(blockNumber) {
      frozen = blockNumber;
    },
    clear() {
      rules = [];
      frozen = null;
    },
    stats,
    faultedTotal: () => Object.values(stats.faulted).reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
