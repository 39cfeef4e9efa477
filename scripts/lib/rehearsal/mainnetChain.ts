/**
 * The mainnet-shaped rehearsal chain: an anvil node with chain id 1, at mainnet heights, whose state holds the market
 * at the canonical addresses of the address book, so that `MAINNET_RPC_URL` can point at it and the fork profile runs
 * unchanged, forking it over HTTP as it would fork a mainnet archive node.
 *
 * What sits at each canonical address:
 * - WETH9, Uniswap V3 factory, SwapRouter, QuoterV2, NonfungiblePositionManager: the published bytecode (npm
 *   `canonical-weth`, `@uniswap/v3-core`, `@uniswap/v3-periphery`), constructed with the canonical addresses;
 * - the WETH/USDC 0.05% pool: created by `createPool` on the canonical factory, so its address is the CREATE2 address
 *   mainnet has (checked against the book) and USDC is token0, WETH token1, as on mainnet;
 * - ETH/USD and USDC/USD: Chainlink's EACAggregatorProxy compiled from Chainlink's source (chainlinkProxy.ts), owned by
 *   a feed owner account, in its second phase (a first aggregator replaced through propose/confirm, as mainnet's
 *   proxies have been), reading Chainlink's MockV3Aggregator in place of an OCR aggregator;
 * - USDC: `FiatTokenStandIn` (contracts/rehearsal/), Circle's FiatToken not being on npm; its header lists what it
 *   leaves out.
 *
 * The role holders (feed owner, USDC owner / master minter / pauser / blacklister) are addresses without keys, derived
 * from a label, and act only through impersonation, as mainnet's multisigs do on a real fork.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  maxUint256,
  parseEther,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { MAINNET, MAINNET_FORK_BLOCK, type AddressBook } from "../../../keeper/chain/addressBook.js";
import { numberToPriceE8, priceE8ToSqrtPriceX96, priceUsdToTick } from "../../../keeper/units.js";
import { externalArtifacts } from "../market/artifacts.js";
import type { LocalNode } from "../node/localNode.js";
import { startAnvil } from "./anvilNode.js";
import { eacAggregatorProxyArtifact } from "./chainlinkProxy.js";
import { deployAtCanonicalAddress, type RehearsalClients } from "./relocate.js";

const require = createRequire(import.meta.url);

/** The rehearsed market: ETH near its price at mainnet block 21,000,000 (late October 2024), USDC at par. */
export const REHEARSAL_MARKET = {
  ethUsd: 2_500,
  usdcUsd: 1,
  /** the pool's concentrated position: this much WETH plus the matching USDC, over ±50 % of the price */
  liquidityWeth: 20_000,
  rangeFraction: 0.5,
  observationCardinality: 200,
  /** chain history before the fork block: covers any TWAP window the adapter may be configured with */
  historySeconds: 6 * 3600,
  /** blocks mined after the fork block, so the pinned block is below the head as on a live chain */
  blocksAfterFork: 5,
} as const;

const POOL_FEE = 500;
const TICK_SPACING = 10;
/** mainnet's EVM rules at the rehearsed height (Cancun from block 19,426,587 until Prague) */
const HARDFORK = "cancun";
const BLOCK_TIME_SECONDS = 12;
/** gas for each setup call: far above the most expensive (a position mint, under 600k), far below the block limit */
const SETUP_GAS_LIMIT = 5_000_000n;

/** A keyless role address derived from its label; it acts only through anvil_impersonateAccount. */
export function roleAddress(label: string): Address {
  return getAddress(`0x${keccak256(toHex(`hedgekeeper.rehearsal.${label}`)).slice(-40)}`);
}

export const REHEARSAL_ROLES = {
  feedOwner: roleAddress("chainlink.feedOwner"),
  usdcOwner: roleAddress("usdc.owner"),
  usdcMasterMinter: roleAddress("usdc.masterMinter"),
  usdcPauser: roleAddress("usdc.pauser"),
  usdcBlacklister: roleAddress("usdc.blacklister"),
} as const;

function hardhatArtifact(path: string): { abi: Abi; bytecode: Hex } {
  return JSON.parse(readFileSync(require.resolve(`../../../artifacts/${path}`), "utf8")) as { abi: Abi; bytecode: Hex };
}

const abiOf = (artifact: { abi: readonly unknown[] }) => artifact.abi as Abi;
const bytecodeOf = (artifact: { bytecode: string }) => artifact.bytecode as Hex;

export interface RehearsalChain {
  url: string;
  chainId: number;
  /** the block MAINNET_FORK_BLOCK pins */
  forkBlock: number;
  head: number;
  book: AddressBook;
  stop(): Promise<void>;
}

interface Builder extends RehearsalClients {
  deployer: Address;
}

async function send(
  builder: Builder,
  from: Address,
  address: Address,
  abi: Abi,
  functionName: string,
  args: unknown[],
) {
  // Simulating first turns a revert into its reason. The gas limit is fixed, not estimated: a pool call's gas depends
  // on the block timestamp (a new second writes an oracle observation), so an estimate made in the second of the
  // pool's last observation can run out of gas when the transaction is mined a second later (seen on a loaded CPU).
  await builder.publicClient.simulateContract({ address, abi, functionName, args, account: from });
  const hash = await builder.walletClient.writeContract({
    address,
    abi,
    functionName,
    args,
    gas: SETUP_GAS_LIMIT,
    account: from,
    chain: null,
  });
  const receipt = await builder.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`rehearsal: ${functionName} on ${address} reverted (tx ${hash})`);
}

/** An EACAggregatorProxy at `proxyAddress`, in phase 2, answering `answerE8` through a MockV3Aggregator. */
async function placeFeed(builder: Builder, proxyAddress: Address, answerE8: bigint): Promise<Address> {
  const mock = hardhatArtifact("@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol/MockV3Aggregator.json");
  const deployMock = async () => {
    const hash = await builder.walletClient.deployContract({
      ...mock,
      args: [8, answerE8],
      account: builder.deployer,
      chain: null,
    });
    return getAddress((await builder.publicClient.waitForTransactionReceipt({ hash })).contractAddress!);
  };
  const eac = eacAggregatorProxyArtifact();
  const zeroAccessController = "0x0000000000000000000000000000000000000000";
  await deployAtCanonicalAddress(builder, proxyAddress, {
    ...eac,
    args: [await deployMock(), zeroAccessController],
    from: REHEARSAL_ROLES.feedOwner,
  });
  const current = await deployMock();
  await send(builder, REHEARSAL_ROLES.feedOwner, proxyAddress, eac.abi, "proposeAggregator", [current]);
  await send(builder, REHEARSAL_ROLES.feedOwner, proxyAddress, eac.abi, "confirmAggregator", [current]);
  return current;
}

/** Creates the canonical pool through the canonical factory and gives it mainnet-like depth around the price. */
async function placePool(builder: Builder, book: AddressBook): Promise<void> {
  const factory = abiOf(externalArtifacts.UniswapV3Factory);
  await send(builder, builder.deployer, book.factory, factory, "createPool", [book.usdc, book.weth, POOL_FEE]);
  const created = (await builder.publicClient.readContract({
    address: book.factory,
    abi: factory,
    functionName: "getPool",
    args: [book.usdc, book.weth, POOL_FEE],
  })) as Address;
  if (getAddress(created) !== getAddress(book.pool)) {
    throw new Error(`rehearsal: the factory created the pool at ${created}, the address book says ${book.pool}`);
  }
  const wethIsToken0 = BigInt(book.weth) < BigInt(book.usdc);
  const pool = abiOf(externalArtifacts.UniswapV3Pool);
  const priceE8 = numberToPriceE8(REHEARSAL_MARKET.ethUsd);
  await send(builder, builder.deployer, book.pool, pool, "initialize", [priceE8ToSqrtPriceX96(priceE8, wethIsToken0)]);
  const cardinality = REHEARSAL_MARKET.observationCardinality;
  await send(builder, builder.deployer, book.pool, pool, "increaseObservationCardinalityNext", [cardinality]);

  // USDC through the master minter, WETH by wrapping: the same paths the fork profile funds accounts by.
  const usdc = abiOf(hardhatArtifact("contracts/rehearsal/FiatTokenStandIn.sol/FiatTokenStandIn.json"));
  const weth = abiOf(externalArtifacts.WETH9);
  const wethWad = parseEther(String(REHEARSAL_MARKET.liquidityWeth));
  const usdc6 = BigInt(REHEARSAL_MARKET.liquidityWeth * REHEARSAL_MARKET.ethUsd) * 10n ** 6n;
  await send(builder, REHEARSAL_ROLES.usdcMasterMinter, book.usdc, usdc, "configureMinter", [builder.deployer, usdc6]);
  await send(builder, builder.deployer, book.usdc, usdc, "mint", [builder.deployer, usdc6]);
  const deposit = await builder.walletClient.sendTransaction({
    to: book.weth,
    value: wethWad,
    account: builder.deployer,
    chain: null,
  });
  await builder.publicClient.waitForTransactionReceipt({ hash: deposit });
  await send(builder, builder.deployer, book.usdc, usdc, "approve", [book.positionManager, maxUint256]);
  await send(builder, builder.deployer, book.weth, weth, "approve", [book.positionManager, maxUint256]);
  const { ethUsd, rangeFraction } = REHEARSAL_MARKET;
  const lo = priceUsdToTick(ethUsd * (1 - rangeFraction), wethIsToken0, TICK_SPACING);
  const hi = priceUsdToTick(ethUsd * (1 + rangeFraction), wethIsToken0, TICK_SPACING);
  const block = await builder.publicClient.getBlock();
  const [amount0, amount1] = wethIsToken0 ? [wethWad, usdc6] : [usdc6, wethWad];
  const [token0, token1] = wethIsToken0 ? [book.weth, book.usdc] : [book.usdc, book.weth];
  await send(
    builder,
    builder.deployer,
    book.positionManager,
    abiOf(externalArtifacts.NonfungiblePositionManager),
    "mint",
    [
      {
        token0,
        token1,
        fee: POOL_FEE,
        tickLower: Math.min(lo, hi),
        tickUpper: Math.max(lo, hi),
        amount0Desired: amount0,
        amount1Desired: amount1,
        amount0Min: 0n,
        amount1Min: 0n,
        recipient: builder.deployer,
        deadline: block.timestamp + 3600n,
      },
    ],
  );
}

/** Mines `blocks` blocks spread evenly up to `untilTimestamp` (at least one second apart). */
async function mineUntil(builder: Builder, blocks: number, untilTimestamp: number): Promise<void> {
  if (blocks <= 0) return;
  const latest = Number((await builder.publicClient.getBlock()).timestamp);
  const interval = Math.max(1, Math.floor((untilTimestamp - latest) / blocks));
  await builder.testClient.mine({ blocks, interval });
}

/**
 * Starts the rehearsal chain and builds the market of `book` on it; `forkBlock` ends up below the head by
 * `REHEARSAL_MARKET.blocksAfterFork` blocks, with the whole market in its state and fresh feed answers.
 */
export async function startRehearsalChain(
  options: { book?: AddressBook; forkBlock?: number } = {},
): Promise<RehearsalChain> {
  const book = options.book ?? MAINNET;
  const forkBlock = options.forkBlock ?? MAINNET_FORK_BLOCK;
  const now = Math.floor(Date.now() / 1000);
  const setupBlocks = 100;
  const node: LocalNode = await startAnvil({
    chainId: book.chainId,
    genesisNumber: forkBlock - setupBlocks,
    genesisTimestamp: now - REHEARSAL_MARKET.historySeconds,
    hardfork: HARDFORK,
  });
  try {
    const transport = http(node.url);
    const publicClient = createPublicClient({ transport });
    const walletClient = createWalletClient({ transport });
    const testClient = createTestClient({ mode: "anvil", transport });
    const [deployer] = await walletClient.getAddresses();
    const builder: Builder = { publicClient, walletClient, testClient, deployer: deployer! };
    await testClient.setBalance({ address: builder.deployer, value: parseEther("1000000") });
    for (const role of Object.values(REHEARSAL_ROLES)) {
      await testClient.impersonateAccount({ address: role });
      await testClient.setBalance({ address: role, value: parseEther("100") });
    }
    const feeds = await buildMarket(builder, book);
    await finishHistory(builder, feeds, forkBlock, now);
    return {
      url: node.url,
      chainId: book.chainId,
      forkBlock,
      head: Number(await publicClient.getBlockNumber({ cacheTime: 0 })),
      book,
      stop: () => node.stop(),
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** The aggregators the two proxies read (the rehearsal publishes fresh answers through them). */
interface FeedAggregators {
  ethUsd: Address;
  usdcUsd: Address;
}

async function buildMarket(builder: Builder, book: AddressBook): Promise<FeedAggregators> {
  const from = builder.deployer;
  const deploy = (target: Address, artifact: { abi: readonly unknown[]; bytecode: string }, args: unknown[] = []) =>
    deployAtCanonicalAddress(builder, target, { abi: abiOf(artifact), bytecode: bytecodeOf(artifact), args, from });
  const roles = REHEARSAL_ROLES;
  await deploy(book.weth, externalArtifacts.WETH9);
  const fiatToken = hardhatArtifact("contracts/rehearsal/FiatTokenStandIn.sol/FiatTokenStandIn.json");
  await deploy(book.usdc, fiatToken, [
    roles.usdcOwner,
    roles.usdcMasterMinter,
    roles.usdcPauser,
    roles.usdcBlacklister,
  ]);
  await deploy(book.factory, externalArtifacts.UniswapV3Factory);
  await deploy(book.swapRouter, externalArtifacts.SwapRouter, [book.factory, book.weth]);
  await deploy(book.quoterV2, externalArtifacts.QuoterV2, [book.factory, book.weth]);
  // No token descriptor: tokenURI is the one position-manager call that needs it, and nothing here renders NFTs.
  const noDescriptor = "0x0000000000000000000000000000000000000000";
  await deploy(book.positionManager, externalArtifacts.NonfungiblePositionManager, [
    book.factory,
    book.weth,
    noDescriptor,
  ]);
  await placePool(builder, book);
  return {
    ethUsd: await placeFeed(builder, book.ethUsdFeed, numberToPriceE8(REHEARSAL_MARKET.ethUsd)),
    usdcUsd: await placeFeed(builder, book.usdcUsdFeed, numberToPriceE8(REHEARSAL_MARKET.usdcUsd)),
  };
}

/**
 * Mines the chain up to `forkBlock` with block times ending near `now`, republishes both feed answers just before the
 * fork block (a live feed has a recent round), then mines past it.
 * @throws Error when the setup already went past `forkBlock`
 */
async function finishHistory(builder: Builder, feeds: FeedAggregators, forkBlock: number, now: number): Promise<void> {
  const mock = hardhatArtifact("@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol/MockV3Aggregator.json");
  const feedUpdates = 2;
  const { blocksAfterFork } = REHEARSAL_MARKET;
  const head = Number(await builder.publicClient.getBlockNumber({ cacheTime: 0 }));
  const blocksBeforeUpdates = forkBlock - feedUpdates - head;
  if (blocksBeforeUpdates < 0) throw new Error(`rehearsal: the setup reached block ${head}, past ${forkBlock}`);
  const tailSeconds = (feedUpdates + blocksAfterFork) * BLOCK_TIME_SECONDS;
  await mineUntil(builder, blocksBeforeUpdates, now - tailSeconds);
  await builder.testClient.setNextBlockTimestamp({ timestamp: BigInt(now - tailSeconds + BLOCK_TIME_SECONDS) });
  await send(builder, builder.deployer, feeds.ethUsd, mock.abi, "updateAnswer", [
    numberToPriceE8(REHEARSAL_MARKET.ethUsd),
  ]);
  await send(builder, builder.deployer, feeds.usdcUsd, mock.abi, "updateAnswer", [
    numberToPriceE8(REHEARSAL_MARKET.usdcUsd),
  ]);
  await mineUntil(builder, blocksAfterFork, now);
}
