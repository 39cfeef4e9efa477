/**
 * The scaling section's chain: a `hardhat node` holding the market replica and the vault, the keeper's and the naive
 * keeper's metered clients on it, and the operations the section needs (grow the book past the cap, switch the
 * vault's on-chain walk off and on, probe its netDeltaWad() view, mine).
 */
import { network } from "hardhat";
import { createPublicClient, http, type PublicClient } from "viem";
import { optionsVaultAbi } from "../keeper/chain/abis.generated.js";
import { chainFor, createClients, createRpcCounter, httpTransport, type RpcCounter } from "../keeper/chain/client.js";
import { discoverDeployment, type Deployment } from "../keeper/chain/snapshot.js";
import { type KeeperSettings } from "../keeper/keeper.js";
import { settingsFromConfig } from "../keeper/service.js";
import { WAD } from "../keeper/units.js";
import { inProcessConfig } from "../scripts/lib/testing/keeperHarness.js";
import { liftSeriesCap } from "../scripts/lib/market/seriesCap.js";
import { deployReplicaMarket, fundUsdc, setFeedPrice } from "../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack } from "../scripts/lib/market/stack.js";
import { naiveTransport } from "./naiveKeeper.js";
import {
  SPOT_USD,
  DAY_SEC,
  VAULT_CAP,
  DEFAULT_SETTLEMENT_ORACLE_AGE_SEC,
  PROBE_TIMEOUT_MS,
  seedBatches,
  type ViewCall,
} from "./scalingModel.js";

export interface Chain {
  deployment: Deployment;
  keeperClient: PublicClient;
  keeperCounter: RpcCounter;
  naiveClient: PublicClient;
  naiveCounter: RpcCounter;
  settings: KeeperSettings;
  /** seed the vault's book up to `size` series and refresh the oracle */
  growBook(size: number): Promise<void>;
  /**
   * With `walk` false, the vault's settlement oracle age drops to its 60 s minimum and the clock moves past it: the
   * vault's netDeltaWad() reverts at its oracle check (the keepers read null), while the adapter's 1-hour oracle
   * bound still holds. With `walk` true, the age is restored and the feed refreshed.
   */
  setOnChainWalk(walk: boolean): Promise<void>;
  /** one eth_call of the vault's netDeltaWad() (ethers, no client timeout) at a fresh head, timed */
  probeView(): Promise<ViewCall>;
  /** mine an empty block */
  mineBlock(): Promise<unknown>;
}

export async function deployChain(
  ethers: Awaited<ReturnType<typeof network.create>>["ethers"],
  url: string,
): Promise<Chain & { cap: number }> {
  const [deployer, keeper, , , writer, counterparty] = await ethers.getSigners();
  const market = await deployReplicaMarket(ethers, deployer!);
  const stack = await deployStack(ethers, deployer!, market.book, {
    admin: deployer!.address,
    writer: writer!.address,
    volSetter: writer!.address,
    keepers: [keeper!.address],
    params: DEFAULT_ADAPTER_PARAMS,
    maxActiveSeries: VAULT_CAP,
  });
  const cap = Number(await stack.vault.MAX_ACTIVE_SERIES_CAP());
  if (cap !== VAULT_CAP)
    throw new Error(`scaling bench: OptionsVault.MAX_ACTIVE_SERIES_CAP is ${cap}, the bench assumes ${VAULT_CAP}`);
  const vault = stack.vault;
  await fundUsdc(market, await vault.getAddress(), 5_000_000n * 10n ** 6n);
  await ethers.provider.send("evm_increaseTime", [DEFAULT_ADAPTER_PARAMS.twapWindowSec + 60]);
  await setFeedPrice(market, SPOT_USD);
  const seeder = await ethers.deployContract("BookSeeder");
  await (await vault.grantRole(await vault.WRITER_ROLE(), await seeder.getAddress())).wait();

  const keeperCounter = createRpcCounter();
  const keeperClient = createClients(
    httpTransport([url], keeperCounter),
    chainFor(31337, url),
    null,
    keeperCounter,
  ).publicClient;
  const naiveCounter = createRpcCounter();
  const naiveClient = createClients(
    naiveTransport(url, naiveCounter),
    chainFor(31337, url),
    null,
    naiveCounter,
  ).publicClient;
  const adapter = (await stack.adapter.getAddress()) as `0x${string}`;
  const deployment = await discoverDeployment(keeperClient, adapter, market.book.quoterV2);
  // The keeper's own defaults (policy, page size, tolerances), as `keeper run` would load them.
  const settings = settingsFromConfig(
    inProcessConfig({ adapter, quoter: market.book.quoterV2, env: { HK_RPC_URLS: url } }),
  );

  async function growBook(size: number): Promise<void> {
    const have = Number(await vault.activeSeriesCount());
    if (size > Number(await vault.maxActiveSeries())) await liftSeriesCap(ethers, vault, size);
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    for (const b of seedBatches(have, size)) {
      // Strikes straddle the $3,000 spot at every size: the on-chain walk sees every moneyness, not only the deep
      // in/out-of-the-money series its normal-CDF cutoff short-circuits.
      await (
        await seeder.getFunction("seed")(
          vault.target,
          b.count,
          BigInt(b.firstStrikeUsd) * WAD,
          now + 7 * DAY_SEC + b.firstIndex * 60,
          counterparty!.address,
        )
      ).wait();
    }
    await setFeedPrice(market, SPOT_USD);
  }

  async function setOnChainWalk(walk: boolean): Promise<void> {
    if (walk) {
      await (await vault.setSettlementOracleAge(DEFAULT_SETTLEMENT_ORACLE_AGE_SEC)).wait();
      await setFeedPrice(market, SPOT_USD);
      return;
    }
    const minAge = Number(await vault.MIN_SETTLEMENT_ORACLE_AGE());
    await (await vault.setSettlementOracleAge(minAge)).wait();
    await ethers.provider.send("evm_increaseTime", [minAge + 1]);
    await ethers.provider.send("evm_mine", []);
  }

  const mineBlock = () => ethers.provider.send("evm_mine", []);

  // The probe reads as the keeper does (viem, pinned block) but alone and with a timeout long enough to see it fail.
  const probeClient = createPublicClient({ transport: http(url, { timeout: PROBE_TIMEOUT_MS, retryCount: 0 }) });
  async function callView(): Promise<{ ms: number; outcome: ViewCall["outcome"] }> {
    await mineBlock();
    const blockNumber = await probeClient.getBlockNumber({ cacheTime: 0 });
    const started = performance.now();
    try {
      await probeClient.readContract({
        address: deployment.vault,
        abi: optionsVaultAbi,
        functionName: "netDeltaWad",
        blockNumber,
      });
      return { ms: performance.now() - started, outcome: "returned" };
    } catch (error) {
      const ms = performance.now() - started;
      if (!/out of gas/i.test(String((error as Error).message)))
        throw new Error(`scaling bench: netDeltaWad() failed other than out of gas: ${(error as Error).message}`);
      return { ms, outcome: "out of gas" };
    }
  }

  async function probeView(): Promise<ViewCall> {
    const cold = await callView();
    const warm = await callView();
    if (warm.outcome !== cold.outcome)
      throw new Error(`scaling bench: netDeltaWad() ${cold.outcome} then ${warm.outcome} on the same book`);
    return { coldMs: cold.ms, warmMs: warm.ms, outcome: cold.outcome };
  }

  return {
    probeView,
    mineBlock,
    deployment,
    keeperClient,
    keeperCounter,
    naiveClient,
    naiveCounter,
    settings,
    growBook,
    setOnChainWalk,
    cap,
  };
}
