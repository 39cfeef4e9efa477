/**
 * Local market CLI: `npm run market -- <command>`. Moves the replica market of a local node (chain 31337) so an operator
 * can trigger a hedge by hand and watch the keeper answer it.
 *
 *   set-price <usd>   new ETH/USD answer, pool arbitraged to it, clock moved past the adapter's TWAP window, feeds
 *                     re-published: the keeper's next cycle sees a settled market at the new price
 *   refresh           re-publish both feeds at their current answers (after a clock jump left them stale)
 *   status            feed answers and their age, pool price
 *
 * Signs with Hardhat's first dev account (the replica's deployer, which owns its USDC and so can fund the arbitrage).
 * Exit codes: 0 ok, 1 a failure (one line on stderr).
 */
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { priceE8ToNumber, sqrtPriceX96ToPriceUsd } from "../keeper/units.js";
import { HedgeAdapter__factory } from "../types/ethers-contracts/index.js";
import { readAdapterParams } from "./lib/governance/chainReads.js";
import { DEFAULT_DEPLOYMENT_PATH, readDeployment } from "./lib/deploy/deployment.js";
import { devPrivateKey } from "./lib/testing/keeperHarness.js";
import { connectMarket, refreshFeeds } from "./lib/market/market.js";
import { createMarketDriver, settlePrice } from "./lib/market/marketDriver.js";

const LOCAL_CHAIN_ID = 31337;
const DEFAULT_RPC = "http://127.0.0.1:8545";

export interface MarketIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface GlobalOptions {
  rpc: string;
  deployment: string;
}

/** A user-facing failure: printed as one line, exit code 1. */
class MarketCliError extends Error {}

async function openLocalMarket(globals: GlobalOptions) {
  const deployment = await readDeployment(globals.deployment);
  // No response cache: back-to-back transactions from one wallet must each read the fresh pending nonce.
  const provider = new JsonRpcProvider(globals.rpc, undefined, {
    staticNetwork: Network.from(deployment.chainId),
    cacheTimeout: -1,
  });
  let chainId: number;
  try {
    chainId = Number(await provider.send("eth_chainId", []));
  } catch (error) {
    provider.destroy();
    throw new MarketCliError(`cannot reach ${globals.rpc}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (chainId !== LOCAL_CHAIN_ID || deployment.chainId !== LOCAL_CHAIN_ID) {
    provider.destroy();
    throw new MarketCliError(
      `market moves only a local replica (chain ${LOCAL_CHAIN_ID}); ${globals.rpc} is chain ${chainId}, ` +
        `${globals.deployment} is for chain ${deployment.chainId}`,
    );
  }
  const wallet = new Wallet(devPrivateKey(0), provider);
  const market = await connectMarket(deployment.market, wallet);
  return { provider, wallet, market, deployment };
}

type LocalMarket = Awaited<ReturnType<typeof openLocalMarket>>;

async function withMarket(command: Command, fn: (local: LocalMarket) => Promise<void>) {
  const local = await openLocalMarket(command.optsWithGlobals<GlobalOptions>());
  try {
    await fn(local);
  } finally {
    local.provider.destroy();
  }
}

async function feedAgeSec(local: LocalMarket): Promise<{ answerE8: bigint; ageSec: number }> {
  const [, answerE8, , updatedAt] = (await local.market.feed.getFunction("latestRoundData")()) as bigint[];
  const head = await local.provider.getBlock("latest");
  return { answerE8: answerE8!, ageSec: head!.timestamp - Number(updatedAt) };
}

function parsePriceUsd(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new MarketCliError(`price must be a positive number of USD up to 1,000,000, got "${text}"`);
  }
  return value;
}

export function buildProgram(io: MarketIo): Command {
  const program = new Command()
    .name("market")
    .description("moves the replica market of a local node")
    .option("--rpc <url>", "JSON-RPC URL of the local node", DEFAULT_RPC)
    .option("--deployment <path>", "deployment file written by `npm run deploy`", DEFAULT_DEPLOYMENT_PATH)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command("set-price")
    .argument("<usd>", "the new ETH/USD price")
    .description("feed answer, pool arbitraged to it, clock past the TWAP window, feeds re-published")
    .action(async (usd: string, _opts: unknown, command: Command) => {
      const priceUsd = parsePriceUsd(usd);
      await withMarket(command, async (local) => {
        const adapter = HedgeAdapter__factory.connect(local.deployment.stack.adapter, local.provider);
        const { twapWindowSec } = await readAdapterParams(adapter);
        const chain = { provider: local.provider };
        const driver = await createMarketDriver(chain, local.market, local.wallet);
        const settled = await settlePrice(chain, driver, local.market, priceUsd, Number(twapWindowSec));
        io.out(
          `feed $${settled.priceUsd}, pool $${settled.poolPriceUsd.toFixed(2)}; chain clock moved ${settled.advancedSec} s ` +
            `past the adapter's ${twapWindowSec} s TWAP window and the feeds re-published, so the keeper's next cycle ` +
            `sees a settled market`,
        );
      });
    });

  program
    .command("refresh")
    .description("re-publish both feeds at their current answers (updatedAt = now)")
    .action(async (_opts: unknown, command: Command) =>
      withMarket(command, async (local) => {
        const before = await feedAgeSec(local);
        const { ethUsdE8 } = await refreshFeeds(local.market);
        io.out(
          `feeds re-published: ETH/USD $${priceE8ToNumber(ethUsdE8)} (was ${before.ageSec} s old), USDC/USD re-published at its answer`,
        );
      }),
    );

  program
    .command("status")
    .description("feed answer and its age, pool price")
    .action(async (_opts: unknown, command: Command) =>
      withMarket(command, async (local) => {
        const feed = await feedAgeSec(local);
        const slot0 = (await local.market.pool.getFunction("slot0")()) as [bigint];
        const poolUsd = sqrtPriceX96ToPriceUsd(slot0[0], local.market.wethIsToken0);
        io.out(`feed $${priceE8ToNumber(feed.answerE8)} (${feed.ageSec} s old), pool $${poolUsd.toFixed(2)}`);
      }),
    );

  return program;
}

/** Runs the CLI on `argv` (user arguments only); resolves to the exit code. */
export async function runMarket(argv: readonly string[], io: MarketIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`market: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: MarketIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
  process.exitCode = await runMarket(process.argv.slice(2), io);
}
