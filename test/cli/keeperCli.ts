/**
 * Fixture of the CLI and HTTP keeper tests: a `hardhat node` on loopback with the stack deployed and a book outside the band, and a
 * runner that starts `keeper/cli/main.ts` as a child process, as `npm run keeper` does.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { network } from "hardhat";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { devPrivateKey } from "../../scripts/lib/testing/keeperHarness.js";
import { startHardhatNode, type LocalNode } from "../../scripts/lib/node/localNode.js";
import { deployReplicaMarket, fundUsdc, setFeedPrice, type Market } from "../../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack, type Stack } from "../../scripts/lib/market/stack.js";
import { ETH, FIXED_BAND, USDC } from "../fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");

export interface CliChain {
  node: LocalNode;
  /** ethers connected to the node (dev accounts: 0 deployer, 1 keeper, 4 writer, 5 counterparty) */
  ethers: HardhatEthers;
  market: Market;
  stack: Stack;
  /** the variables a keeper needs for this chain (dev account 1 is the keeper) */
  env: Record<string, string>;
  /** the node's JSON-RPC, for moving its clock in a test */
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** Starts a node and deploys a vault with one short 20-ETH call series: its delta is far outside the band. */
export async function startCliChain(): Promise<CliChain> {
  const node = await startHardhatNode();
  const { ethers } = await network.create({ network: "localhost", override: { url: node.url } });
  const [deployer, keeper, , , writer, counterparty] = await ethers.getSigners();
  const market = await deployReplicaMarket(ethers, deployer!);
  const stack = await deployStack(ethers, deployer!, market.book, {
    admin: deployer!.address,
    writer: writer!.address,
    volSetter: writer!.address,
    keepers: [keeper!.address],
    params: { ...DEFAULT_ADAPTER_PARAMS, ...FIXED_BAND }, // a fixed 5 ETH band: the expectations read in ETH
    maxActiveSeries: 500,
  });
  await fundUsdc(market, await stack.vault.getAddress(), USDC(5_000_000));
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  await (
    await stack.vault
      .connect(writer!)
      .openSeries(ETH(3000), now + 30 * 86400, true, ETH(0.8), -ETH(20), counterparty!.address)
  ).wait();
  await ethers.provider.send("evm_increaseTime", [120]);
  await setFeedPrice(market, 3000);
  return {
    node,
    ethers,
    market,
    stack,
    env: {
      HK_RPC_URLS: node.url,
      HK_CHAIN_ID: "31337",
      HK_ADAPTER_ADDRESS: stack.adapter.target as string,
      HK_QUOTER_ADDRESS: market.book.quoterV2,
      HK_PRIVATE_KEY: devPrivateKey(1),
      HK_METRICS_PORT: "0",
      HK_POLICY: "band",
    },
    send: (method, params) => ethers.provider.send(method, params),
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `keeper <args>` in `cwd` with exactly `env` as its HK_* variables: none inherited, and a `cwd` without a
 * .env (a scratch directory), so a developer's own .env cannot change what the test sees.
 */
export function runKeeperCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 60_000,
): Promise<CliResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("HK_")));
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, join(ROOT, "keeper/cli/main.ts"), ...args],
      { cwd, env: { ...inherited, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

/** The lines of stderr that are not pino JSON log lines (what a person reads as the error). */
export function plainLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("{"));
}
