import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, ContractFactory, MaxUint256, type BaseContract, type ContractRunner } from "ethers";
import type { AddressBook } from "../../../keeper/chain/addressBook.js";
import { numberToPriceE8, priceE8ToSqrtPriceX96, priceUsdToTick, WAD } from "../../../keeper/units.js";
import { MockV3Aggregator__factory, ReplicaUSDC__factory } from "../../../types/ethers-contracts/index.js";
import { externalArtifacts, type Artifact } from "./artifacts.js";

export const POOL_FEE = 500; // 0.05%
export const TICK_SPACING = 10;

export interface ReplicaOptions {
  initialPriceUsd: number;
  /** WETH side of the concentrated liquidity position (the USDC side is matched at the price). */
  liquidityWeth: number;
  /** Half-width of the concentrated position, as a fraction of the price (0.5 = ±50%). */
  rangeFraction: number;
  /** Pool observation slots (for the adapter's TWAP). */
  observationCardinality: number;
}

export const DEFAULT_REPLICA: ReplicaOptions = {
  initialPriceUsd: 3000,
  liquidityWeth: 5_000,
  rangeFraction: 0.5,
  observationCardinality: 200,
};

export interface Market {
  book: AddressBook;
  weth: Contract;
  usdc: Contract;
  pool: Contract;
  router: Contract;
  quoter: Contract;
  positionManager: Contract;
  feed: Contract;
  /** USDC/USD, answering $1 unless a scenario depegs it. */
  usdcFeed: Contract;
  wethIsToken0: boolean;
}

async function deployArtifact(artifact: Artifact, signer: HardhatEthersSigner, ...args: unknown[]): Promise<Contract> {
  const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, signer);
  const contract = (await factory.deploy(...args)) as BaseContract;
  await contract.waitForDeployment();
  return contract as Contract;
}

/**
 * Deploys the local market replica: the real Uniswap V3 factory/pool/router/quoter/position manager bytecode,
 * WETH9, a 6-decimal USDC and Chainlink's MockV3Aggregator (8 decimals); creates the WETH/USDC 0.05% pool at the
 * feed price and adds concentrated liquidity around it.
 */
export async function deployReplicaMarket(
  ethers: HardhatEthers,
  deployer: HardhatEthersSigner,
  options: Partial<ReplicaOptions> = {},
): Promise<Market> {
  const opts = { ...DEFAULT_REPLICA, ...options };
  const weth = await deployArtifact(externalArtifacts.WETH9, deployer);
  const usdcFactory = await ethers.getContractFactory("ReplicaUSDC", deployer);
  const usdc = (await usdcFactory.deploy(deployer.address)) as unknown as Contract;
  await usdc.waitForDeployment();
  const feedFactory = await ethers.getContractFactory("MockV3Aggregator", deployer);
  const priceE8 = numberToPriceE8(opts.initialPriceUsd);
  const feed = (await feedFactory.deploy(8, priceE8)) as unknown as Contract;
  await feed.waitForDeployment();
  const usdcFeed = (await feedFactory.deploy(8, USDC_PEG_E8)) as unknown as Contract;
  await usdcFeed.waitForDeployment();

  const factory = await deployArtifact(externalArtifacts.UniswapV3Factory, deployer);
  const wethAddress = await weth.getAddress();
  const usdcAddress = await usdc.getAddress();
  const factoryAddress = await factory.getAddress();
  const router = await deployArtifact(externalArtifacts.SwapRouter, deployer, factoryAddress, wethAddress);
  const quoter = await deployArtifact(externalArtifacts.QuoterV2, deployer, factoryAddress, wethAddress);
  const positionManager = await deployArtifact(
    externalArtifacts.NonfungiblePositionManager,
    deployer,
    factoryAddress,
    wethAddress,
    ethers.ZeroAddress,
  );

  const wethIsToken0 = BigInt(wethAddress) < BigInt(usdcAddress);
  const [token0, token1] = wethIsToken0 ? [wethAddress, usdcAddress] : [usdcAddress, wethAddress];
  await (
    await positionManager.getFunction("createAndInitializePoolIfNecessary")(
      token0,
      token1,
      POOL_FEE,
      priceE8ToSqrtPriceX96(priceE8, wethIsToken0),
    )
  ).wait();
  const poolAddress: string = await factory.getFunction("getPool")(token0, token1, POOL_FEE);
  const pool = new Contract(poolAddress, externalArtifacts.UniswapV3Pool.abi as never, deployer);
  await (await pool.getFunction("increaseObservationCardinalityNext")(opts.observationCardinality)).wait();

  const market: Market = {
    book: {
      chainId: Number((await ethers.provider.getNetwork()).chainId),
      weth: wethAddress as `0x${string}`,
      usdc: usdcAddress as `0x${string}`,
      pool: poolAddress as `0x${string}`,
      swapRouter: (await router.getAddress()) as `0x${string}`,
      quoterV2: (await quoter.getAddress()) as `0x${string}`,
      factory: factoryAddress as `0x${string}`,
      positionManager: (await positionManager.getAddress()) as `0x${string}`,
      ethUsdFeed: (await feed.getAddress()) as `0x${string}`,
      usdcUsdFeed: (await usdcFeed.getAddress()) as `0x${string}`,
    },
    weth,
    usdc,
    pool,
    router,
    quoter,
    positionManager,
    feed,
    usdcFeed,
    wethIsToken0,
  };
  await addLiquidity(market, deployer, opts.initialPriceUsd, opts.liquidityWeth, opts.rangeFraction);
  return market;
}

/**
 * The replica market at the addresses of a deployment file, for a process that did not deploy it (the `market` CLI):
 * `runner` signs feed updates and USDC mints, so on the replica it must be the deployer (USDC's owner).
 */
export async function connectMarket(book: AddressBook, runner: ContractRunner): Promise<Market> {
  const contract = (address: string, abi: readonly unknown[]) => new Contract(address, abi as never, runner);
  return {
    book,
    weth: contract(book.weth, externalArtifacts.WETH9.abi),
    usdc: contract(book.usdc, ReplicaUSDC__factory.abi),
    pool: contract(book.pool, externalArtifacts.UniswapV3Pool.abi),
    router: contract(book.swapRouter, externalArtifacts.SwapRouter.abi),
    quoter: contract(book.quoterV2, externalArtifacts.QuoterV2.abi),
    positionManager: contract(book.positionManager, externalArtifacts.NonfungiblePositionManager.abi),
    feed: contract(book.ethUsdFeed, MockV3Aggregator__factory.abi),
    usdcFeed: contract(book.usdcUsdFeed, MockV3Aggregator__factory.abi),
    wethIsToken0: BigInt(book.weth) < BigInt(book.usdc),
  };
}

/** Mints a concentrated position of `amountWeth` WETH plus the matching USDC around `priceUsd`. */
export async function addLiquidity(
  market: Market,
  provider: HardhatEthersSigner,
  priceUsd: number,
  amountWeth: number,
  rangeFraction: number,
): Promise<bigint> {
  const wethWad = BigInt(Math.round(amountWeth * 1e6)) * 10n ** 12n;
  const usdc6 = BigInt(Math.round(amountWeth * priceUsd * 1e6));
  await fundWeth(market, provider, wethWad);
  await (await market.usdc.getFunction("mint")(provider.address, usdc6)).wait();
  const pm = await market.positionManager.getAddress();
  await (await market.weth.connect(provider).getFunction("approve")(pm, MaxUint256)).wait();
  await (await market.usdc.connect(provider).getFunction("approve")(pm, MaxUint256)).wait();
  const lo = priceUsdToTick(priceUsd * (1 - rangeFraction), market.wethIsToken0, TICK_SPACING);
  const hi = priceUsdToTick(priceUsd * (1 + rangeFraction), market.wethIsToken0, TICK_SPACING);
  const [tickLower, tickUpper] = lo < hi ? [lo, hi] : [hi, lo];
  const [amount0, amount1] = market.wethIsToken0 ? [wethWad, usdc6] : [usdc6, wethWad];
  const [token0, token1] = market.wethIsToken0
    ? [market.book.weth, market.book.usdc]
    : [market.book.usdc, market.book.weth];
  const block = await provider.provider!.getBlock("latest");
  const tx = await market.positionManager.connect(provider).getFunction("mint")({
    token0,
    token1,
    fee: POOL_FEE,
    tickLower,
    tickUpper,
    amount0Desired: amount0,
    amount1Desired: amount1,
    amount0Min: 0,
    amount1Min: 0,
    recipient: provider.address,
    deadline: BigInt(block!.timestamp) + 3600n,
  });
  const receipt = await tx.wait();
  const pmAddress = pm.toLowerCase();
  for (const log of receipt!.logs) {
    if (log.address.toLowerCase() !== pmAddress) continue;
    const parsed = market.positionManager.interface.parseLog(log);
    if (parsed?.name === "IncreaseLiquidity") return parsed.args.tokenId as bigint;
  }
  throw new Error("addLiquidity: the position manager emitted no IncreaseLiquidity event");
}

/** Wraps ETH into WETH for `account` (the replica's and the fork's way of funding WETH). */
export async function fundWeth(market: Market, account: HardhatEthersSigner, amountWad: bigint): Promise<void> {
  await (await market.weth.connect(account).getFunction("deposit")({ value: amountWad })).wait();
}

/**
 * Mints USDC to `to`: the replica's own token, or on a fork canonical USDC, after the scenario harness made our
 * deployer a minter through the impersonated master minter (scripts/lib/scenarios/forkMarket.ts).
 */
export async function fundUsdc(market: Market, to: string, amount6: bigint): Promise<void> {
  await (await market.usdc.getFunction("mint")(to, amount6)).wait();
}

/** USDC/USD at par, in Chainlink's 8 decimals. */
export const USDC_PEG_E8 = 100_000_000n;

/**
 * Pushes a new ETH/USD answer to the replica feed (updatedAt = block time). The USDC/USD feed is re-published at its
 * current answer at the same time: the replica has no separate heartbeat for it, and a simulated week must not
 * leave the depeg guard reading a stale answer.
 */
export async function setFeedPrice(market: Market, priceUsd: number): Promise<void> {
  await (await market.feed.getFunction("updateAnswer")(numberToPriceE8(priceUsd))).wait();
  const [, usdcAnswer] = (await market.usdcFeed.getFunction("latestRoundData")()) as [bigint, bigint];
  await (await market.usdcFeed.getFunction("updateAnswer")(usdcAnswer)).wait();
}

/**
 * Re-publishes both feeds' current answers with updatedAt = the next block's time: after a local chain's clock jumps
 * (`gov advance`), the answers are otherwise as old as the jump and the keeper's OracleStale gate holds.
 */
export async function refreshFeeds(market: Market): Promise<{ ethUsdE8: bigint; usdcUsdE8: bigint }> {
  const [, ethUsdE8] = (await market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
  const [, usdcUsdE8] = (await market.usdcFeed.getFunction("latestRoundData")()) as [bigint, bigint];
  await (await market.feed.getFunction("updateAnswer")(ethUsdE8)).wait();
  await (await market.usdcFeed.getFunction("updateAnswer")(usdcUsdE8)).wait();
  return { ethUsdE8, usdcUsdE8 };
}

/** Publishes a USDC/USD answer (a depeg scenario); 1.0 is par. */
export async function setUsdcPrice(market: Market, priceUsd: number): Promise<void> {
  await (await market.usdcFeed.getFunction("updateAnswer")(numberToPriceE8(priceUsd))).wait();
}

export { WAD };
