import { network } from "hardhat";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { deployReplicaMarket, fundUsdc, fundWeth, setFeedPrice, type Market } from "../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack, type AdapterParams, type Stack } from "../scripts/lib/market/stack.js";
import type { AddressBook } from "../keeper/chain/addressBook.js";
import { WAD } from "../keeper/units.js";

export const DAY = 24 * 3600;
export const ETH = (n: number | bigint): bigint =>
  typeof n === "bigint" ? n * WAD : BigInt(Math.round(n * 1e6)) * 10n ** 12n;
export const USDC = (n: number): bigint => BigInt(Math.round(n * 1e6));

/** IHedgeAdapter.Param, in enum order (keeper/chain/governance.ts PARAM_FIELDS lists the same fields). */
export enum Param {
  DeltaBandWad,
  MaxTradeWethWad,
  CooldownSec,
  MaxOracleAgeSec,
  MaxSlippageBps,
  MaxPoolDeviationBps,
  TwapWindowSec,
  MinTradeWethWad,
  OvershootToleranceWad,
  LossBudgetUsdWad,
  TurnoverBudgetWethWad,
  BudgetWindowSec,
  MaxUsdcDepegBps,
  MaxUsdcOracleAgeSec,
  DeltaBandBps,
}

export interface Actors {
  deployer: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  keeper2: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  writer: HardhatEthersSigner;
  counterparty: HardhatEthersSigner;
  trader: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

export interface HedgeEnv extends Stack {
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
  market: Market;
  actors: Actors;
  params: AdapterParams;
}

export interface FixtureOptions {
  params?: Partial<AdapterParams>;
  /** Seed positions opened on the vault: one short ATM 30-day call of this size (ETH) by default. */
  shortCallEth?: number;
  vaultUsdc?: number;
  vaultWeth?: number;
  maxActiveSeries?: number;
}

/** The band the contract tests assume: 5 ETH whatever the book. */
export const FIXED_BAND = { deltaBandWad: 5n * 10n ** 18n, deltaBandBps: 0 };

/**
 * One Hardhat network connection per test file; `load()` restores the same deployed state (snapshot) for each test:
 * market replica at $3000, vault with USDC collateral and a short ATM call, adapter with default params.
 */
export async function createHedgeEnv(options: FixtureOptions = {}) {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;

  async function hedgeEnvFixture(): Promise<HedgeEnv> {
    const signers = await ethers.getSigners();
    const names = [
      "deployer",
      "keeper",
      "keeper2",
      "guardian",
      "writer",
      "counterparty",
      "trader",
      "stranger",
    ] as const;
    const actors = Object.fromEntries(names.map((name, i) => [name, signers[i]!])) as unknown as Actors;
    const { deployer, writer, keeper, keeper2, guardian, counterparty } = actors;
    const market = await deployReplicaMarket(ethers, deployer);
    // The contract tests are written against a fixed 5 ETH band (no share of the book) so their amounts read in ETH;
    // HedgeAdapter.band.test.ts covers the band that follows the book, and the shipped default.
    const params = { ...DEFAULT_ADAPTER_PARAMS, ...FIXED_BAND, ...options.params };
    const stack = await deployStack(ethers, deployer, market.book, {
      admin: deployer.address,
      writer: writer.address,
      volSetter: writer.address,
      keepers: [keeper.address, keeper2.address],
      guardian: guardian.address,
      params,
      maxActiveSeries: options.maxActiveSeries ?? 64,
    });
    const vaultAddress = await stack.vault.getAddress();
    await fundUsdc(market, vaultAddress, USDC(options.vaultUsdc ?? 1_000_000));
    if (options.vaultWeth) {
      await fundWeth(market, deployer, ETH(options.vaultWeth));
      await (await market.weth.getFunction("transfer")(vaultAddress, ETH(options.vaultWeth))).wait();
    }
    const now = await networkHelpers.time.latest();
    const shortCall = options.shortCallEth ?? 20;
    if (shortCall > 0) {
      await (
        await stack.vault
          .connect(writer)
          .openSeries(ETH(3000), now + 30 * DAY, true, ETH(0.8), -ETH(shortCall), counterparty.address)
      ).wait();
    }
    // Let the pool's TWAP window fill, then refresh the feed so it is not stale.
    await networkHelpers.time.increase(params.twapWindowSec + 1);
    await (await market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n)).wait();
    return { ...stack, ethers, helpers: networkHelpers, market, actors, params };
  }

  return { connection, load: () => networkHelpers.loadFixture(hedgeEnvFixture) };
}

/** Deadline a few minutes ahead of the latest block. */
export async function deadline(helpers: NetworkHelpers, seconds = 300): Promise<bigint> {
  return BigInt((await helpers.time.latest()) + seconds);
}

/** Swaps on the pool directly (an arbitrageur or attacker), exact input. */
export async function poolSwap(
  env: HedgeEnv,
  who: HardhatEthersSigner,
  buyWeth: boolean,
  amountIn: bigint,
): Promise<bigint> {
  const { market } = env;
  const routerAddress = await market.router.getAddress();
  if (buyWeth) {
    await fundUsdc(market, who.address, amountIn);
    await (await market.usdc.connect(who).getFunction("approve")(routerAddress, amountIn)).wait();
  } else {
    await fundWeth(market, who, amountIn);
    await (await market.weth.connect(who).getFunction("approve")(routerAddress, amountIn)).wait();
  }
  const [tokenIn, tokenOut] = buyWeth ? [market.book.usdc, market.book.weth] : [market.book.weth, market.book.usdc];
  const params = {
    tokenIn,
    tokenOut,
    fee: 500,
    recipient: who.address,
    deadline: await deadline(env.helpers),
    amountIn,
    amountOutMinimum: 0n,
    sqrtPriceLimitX96: 0n,
  };
  const out: bigint = await market.router.connect(who).getFunction("exactInputSingle").staticCall(params);
  await (await market.router.connect(who).getFunction("exactInputSingle")(params)).wait();
  return out;
}

/** A keeper's rebalance request: 1 ETH worth of USDC buying WETH at the current nonce unless overridden. */
export async function hedgeRequest(
  env: HedgeEnv,
  overrides: Partial<{
    buyWeth: boolean;
    amountIn: bigint;
    minAmountOut: bigint;
    deadline: bigint;
    expectedNonce: bigint;
  }> = {},
) {
  return {
    buyWeth: true,
    amountIn: USDC(3000),
    minAmountOut: 0n,
    deadline: await deadline(env.helpers),
    expectedNonce: await env.adapter.hedgeNonce(),
    ...overrides,
  };
}

/** Lets `seconds` pass and re-publishes both feeds (ETH/USD at `priceUsd`), so no answer goes stale meanwhile. */
export async function passTime(env: HedgeEnv, seconds: number, priceUsd = 3000): Promise<void> {
  await env.helpers.time.increase(seconds);
  await setFeedPrice(env.market, priceUsd);
}

/** Sends WETH to the vault from the trader (makes the vault longer delta by `amountWad`). */
export async function giveVaultWeth(env: HedgeEnv, amountWad: bigint): Promise<void> {
  await fundWeth(env.market, env.actors.trader, amountWad);
  await (
    await env.market.weth.connect(env.actors.trader).getFunction("transfer")(await env.vault.getAddress(), amountWad)
  ).wait();
}

/**
 * Deploys a second vault and adapter on the same market (keeper: `actors.keeper`), with the fixture's parameters
 * and address book unless overridden: for constructor checks and for states the fixture's adapter cannot reach.
 */
export async function deploySiblingStack(
  env: HedgeEnv,
  overrides: { params?: Partial<AdapterParams>; book?: Partial<AddressBook> } = {},
): Promise<Stack> {
  const { deployer, keeper } = env.actors;
  return deployStack(
    env.ethers,
    deployer,
    { ...env.market.book, ...overrides.book },
    {
      admin: deployer.address,
      writer: deployer.address,
      volSetter: deployer.address,
      keepers: [keeper.address],
      params: { ...env.params, ...overrides.params },
      maxActiveSeries: 64,
    },
  );
}
