import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** A free TCP port on loopback (bind to port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface LocalNode {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Stops `child` by its PID: SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

/**
 * Resolves once `url` answers `eth_chainId`.
 * @throws Error with `describe()` (the node's last output) when `child` exits first, or killing it after `timeoutMs`
 */
export async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${describe()}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`did not start on ${url}: ${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * How the node mines: `automine` (a block per transaction, Hardhat's default; idle time leaves the head's timestamp
 * behind the wall clock) or `interval` (a block every `intervalMs` whether or not there are transactions, like a real
 * chain; with `automine` also on, a transaction still mines at once).
 */
export interface MiningMode {
  automine: boolean;
  intervalMs: number | null;
}

export interface HardhatNodeOptions {
  port?: number;
  timeoutMs?: number;
  /** loopback unless told otherwise: the node serves the well-known dev keys' accounts */
  hostname?: string;
  mining?: MiningMode;
  /** the node's stdout and stderr as they arrive (the `npm run node` wrapper forwards them) */
  onOutput?: (chunk: string) => void;
}

/** JSON-RPC over HTTP POST; throws with the node's error message. */
export async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Sets a running local node's mining mode (Hardhat's `evm_setAutomine` and `evm_setIntervalMining`). */
export async function setMiningMode(url: string, mode: MiningMode): Promise<void> {
  await rpcCall(url, "evm_setAutomine", [mode.automine]);
  await rpcCall(url, "evm_setIntervalMining", [mode.intervalMs ?? 0]);
}

/** Starts `hardhat node` on 127.0.0.1 and a free port; resolves once it accepts JSON-RPC. Stop it by calling stop(). */
export async function startHardhatNode(options: HardhatNodeOptions = {}): Promise<LocalNode> {
  const port = options.port ?? (await freePort());
  const hostname = options.hostname ?? "127.0.0.1";
  const child = spawn(
    process.execPath,
    ["node_modules/hardhat/dist/src/cli.js", "node", "--hostname", hostname, "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    options.onOutput?.(chunk.toString());
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const url = `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}`;
  await waitUntilServing(url, child, options.timeoutMs ?? 60_000, () => `hardhat node: ${output.slice(-2000)}`);
  if (options.mining) await setMiningMode(url, options.mining);
  return {
    url,
    port,
    process: child,
    stop: () => stopChild(child),
  };
}
