/**
 * Starts `anvil` (npm `@foundry-rs/anvil`) on loopback as the rehearsal chain's JSON-RPC server. Anvil rather than a
 * second `hardhat node`: it starts in milliseconds, takes the genesis block number and timestamp as flags (so the
 * chain can sit at mainnet heights without mining 21 million blocks) and serves archive state for every block it
 * keeps, which is what Hardhat's forking asks of an RPC.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort, stopChild, waitUntilServing, type LocalNode } from "../node/localNode.js";

const require = createRequire(import.meta.url);

export interface AnvilOptions {
  chainId: number;
  /** number of the genesis block */
  genesisNumber: number;
  /** unix seconds of the genesis block */
  genesisTimestamp: number;
  /** EVM rules of the chain, as mainnet's at the rehearsed height */
  hardfork: string;
  /** false: keep only the head's state, as a non-archive (full) node does; default true */
  archive?: boolean;
  timeoutMs?: number;
}

/**
 * The native anvil binary of this platform's package (`@foundry-rs/anvil-<os>-<arch>`), spawned directly so that
 * stopping it by PID stops the node itself, not a wrapper script.
 */
function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const os = process.platform;
  const name = os === "win32" ? "anvil.exe" : "anvil";
  try {
    return join(dirname(require.resolve(`@foundry-rs/anvil-${os}-${arch}/package.json`)), "bin", name);
  } catch (error) {
    throw new Error(`anvil: no @foundry-rs/anvil binary for ${os}-${arch}; run npm install`, { cause: error });
  }
}

/** Starts anvil on 127.0.0.1 and a free port; resolves once it answers `eth_chainId`. */
export async function startAnvil(options: AnvilOptions): Promise<LocalNode> {
  const port = await freePort();
  const args = [
    ...["--host", "127.0.0.1", "--port", String(port)],
    ...["--chain-id", String(options.chainId), "--number", String(options.genesisNumber)],
    ...["--timestamp", String(options.genesisTimestamp), "--hardfork", options.hardfork],
    // Archive: every block keeps its state in memory, so the fork block stays readable however far the head moves.
    ...(options.archive === false ? ["--prune-history"] : ["--max-persisted-states", "0"]),
    "--silent",
  ];
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  await waitUntilServing(url, child, options.timeoutMs ?? 30_000, () => `anvil: ${stderr.slice(-2000)}`);
  return { url, port, process: child, stop };
}
