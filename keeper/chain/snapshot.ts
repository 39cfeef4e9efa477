import { getAddress, type Address, type PublicClient } from "viem";
import { aggregatorV3Abi, hedgeAdapterAbi, optionsVaultAbi, quoterV2Abi, uniswapV3PoolAbi } from "./abis.generated.js";
import type { RpcCounter } from "./client.js";
import { oracleAnswerToWad, tickToPriceUsd, sqrtPriceX96ToPriceUsd, WAD, type Wad } from "../units.js";

/** Addresses and constants of a deployment, discovered once at start-up from the adapter. */
export interface Deployment {
  adapter: Address;
  vault: Address;
  pool: Address;
  router: Address;
  feed: Address;
  /** Chainlink USDC/USD behind the adapter's depeg guard */
  usdcFeed: Address;
  weth: Address;
  usdc: Address;
  quoter: Address | null;
  poolFee: number;
  wethIsToken0: boolean;
  feedDecimals: number;
}

export interface AdapterParamsRaw {
  deltaBandWad: bigint;
  maxTradeWethWad: bigint;
  cooldownSec: number;
  maxOracleAgeSec: number;
  maxSlippageBps: number;
  maxPoolDeviationBps: number;
  twapWindowSec: number;
  minTradeWethWad: bigint;
  overshootToleranceWad: bigint;
  lossBudgetUsdWad: bigint;
  turnoverBudgetWethWad: bigint;
  budgetWindowSec: number;
  maxUsdcDepegBps: number;
  maxUsdcOracleAgeSec: number;
  /** the band as a share of the book's gross notional, bps; the band is max(deltaBandWad, gross × this) */
  deltaBandBps: number;
}

/**
 * The band the adapter enforces at `nowSec` for `book`: max(floor, Σ |size| of the unexpired series × bps / 10,000),
 * in wad, computed exactly as HedgeAdapter._bandWad over the vault's walk (a series counts while expiry > now).
 */
export function bandWadFor(
  params: Pick<AdapterParamsRaw, "deltaBandWad" | "deltaBandBps">,
  book: readonly SeriesRaw[],
  nowSec: number,
): { bandWad: Wad; grossNotionalWad: Wad } {
  let grossNotionalWad = 0n;
  for (const s of book) if (s.expiry > BigInt(nowSec)) grossNotionalWad += s.sizeWad < 0n ? -s.sizeWad : s.sizeWad;
  const relativeWad = (grossNotionalWad * BigInt(params.deltaBandBps)) / 10_000n;
  return { bandWad: relativeWad > params.deltaBandWad ? relativeWad : params.deltaBandWad, grossNotionalWad };
}

export interface SeriesRaw {
  id: bigint;
  strikeWad: bigint;
  expiry: bigint;
  isCall: boolean;
  sizeWad: bigint;
  volWad: bigint;
}

export interface OracleRound {
  roundId: bigint;
  answer: bigint;
  updatedAt: bigint;
  answeredInRound: bigint;
  /** answer converted to wad; 0 when the answer is not positive */
  priceWad: Wad;
}

/** A depth probe: what `refEthWad` costs to buy and yields when sold, at the pinned block (QuoterV2). */
export interface DepthQuote {
  refEthWad: bigint;
  buyUsdcIn6: bigint;
  sellUsdcOut6: bigint;
}

/** Everything one cycle decides on, all read at the same block. */
export interface Snapshot {
  blockNumber: bigint;
  blockTimestamp: number;
  baseFeePerGas: bigint;
  params: AdapterParamsRaw;
  /** the band the adapter enforces at this block (`bandWadFor` of params and book) */
  bandWad: Wad;
  /** Σ |size| of the unexpired series, wad: what the band is sized to */
  grossNotionalWad: Wad;
  paused: boolean;
  hedgeNonce: bigint;
  lastHedgeTimestamp: number;
  lastHedgeBlock: bigint;
  /** the adapter's `cooldownEndsAt()`: no hedge before this timestamp */
  cooldownEndsAt: number;
  /** the adapter's `budgetsAvailable()`: execution loss (USD wad) and turnover (WETH wad) keepers may still spend */
  budgets: { lossUsdWad: bigint; turnoverWethWad: bigint };
  oracle: OracleRound;
  /** Chainlink USDC/USD, same checks as the ETH/USD round */
  usdcOracle: OracleRound;
  poolSqrtPriceX96: bigint;
  poolPriceUsd: number;
  poolTwapPriceUsd: number | null;
  collateral: { wethWad: bigint; usdc6: bigint };
  book: SeriesRaw[];
  /** the vault's own netDeltaWad() at this block, or null when the call reverted (e.g. stale oracle) */
  onChainNetDeltaWad: bigint | null;
  depth: DepthQuote | null;
  /** round trips and requests this snapshot cost */
  roundTrips: number;
  requests: number;
}

export class DeploymentError extends Error {
  override name = "DeploymentError";
}

/** Reads the deployment's addresses from the adapter and checks there is code behind them. */
export async function discoverDeployment(
  client: PublicClient,
  adapter: Address,
  quoter: Address | null,
): Promise<Deployment> {
  const code = await client.getCode({ address: adapter });
  if (!code || code === "0x") throw new DeploymentError(`no contract at adapter address ${adapter}`);
  const read = <F extends "vault" | "pool" | "router" | "feed" | "usdcFeed" | "weth" | "usdc" | "poolFee">(
    functionName: F,
  ) => client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName });
  const [vault, pool, router, feed, usdcFeed, weth, usdc, poolFee] = await Promise.all([
    read("vault"),
    read("pool"),
    read("router"),
    read("feed"),
    read("usdcFeed"),
    read("weth"),
    read("usdc"),
    read("poolFee"),
  ]).catch((error: unknown) => {
    throw new DeploymentError(`address ${adapter} does not answer as a HedgeAdapter: ${(error as Error).message}`);
  });
  const [token0, feedDecimals] = await Promise.all([
    client.readContract({ address: pool as Address, abi: uniswapV3PoolAbi, functionName: "token0" }),
    client.readContract({ address: feed as Address, abi: aggregatorV3Abi, functionName: "decimals" }),
  ]);
  if (feedDecimals !== 8) throw new DeploymentError(`oracle ${feed} reports ${feedDecimals} decimals, expected 8`);
  return {
    adapter: getAddress(adapter),
    vault: getAddress(vault as Address),
    pool: getAddress(pool as Address),
    router: getAddress(router as Address),
    feed: getAddress(feed as Address),
    usdcFeed: getAddress(usdcFeed as Address),
    weth: getAddress(weth as Address),
    usdc: getAddress(usdc as Address),
    quoter: quoter ? getAddress(quoter) : null,
    poolFee: Number(poolFee),
    wethIsToken0: getAddress(token0 as Address) === getAddress(weth as Address),
    feedDecimals: Number(feedDecimals),
  };
}

export interface SnapshotOptions {
  pageSize: number;
  /** size probed on the pool for the cost model; default 10 ETH */
  depthRefEthWad?: bigint;
}

/**
 * Reads one snapshot pinned to the latest block in at most three round trips over a batching transport:
 * (1) the block; (2) every state read plus the first page of the book; (3) the remaining pages, all at once.
 */
export async function readSnapshot(
  client: PublicClient,
  deployment: Deployment,
  counter: RpcCounter,
  options: SnapshotOptions,
): Promise<Snapshot> {
  const startTrips = counter.roundTrips;
  const startRequests = counter.requests;
  const block = await client.getBlock({ blockTag: "latest" });
  const blockNumber = block.number;
  const at = { blockNumber } as const;
  const { adapter, vault, pool, feed } = deployment;
  const refEthWad = options.depthRefEthWad ?? 10n * WAD;

  const [
    params,
    paused,
    hedgeNonce,
    lastTs,
    lastBlock,
    cooldownEndsAt,
    budgets,
    round,
    usdcRound,
    slot0,
    count,
    page0,
    collateral,
    netDelta,
    depth,
  ] = await Promise.all([
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "params", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "paused", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "hedgeNonce", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "lastHedgeTimestamp", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "lastHedgeBlock", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "cooldownEndsAt", ...at }),
    client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName: "budgetsAvailable", ...at }),
    client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: "latestRoundData", ...at }),
    client.readContract({
      address: deployment.usdcFeed,
      abi: aggregatorV3Abi,
      functionName: "latestRoundData",
      ...at,
    }),
    client.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "slot0", ...at }),
    client.readContract({ address: vault, abi: optionsVaultAbi, functionName: "activeSeriesCount", ...at }),
    readPage(client, vault, 0n, options.pageSize, blockNumber),
    client.readContract({ address: vault, abi: optionsVaultAbi, functionName: "collateral", ...at }),
    client.readContract({ address: vault, abi: optionsVaultAbi, functionName: "netDeltaWad", ...at }).catch(() => null),
    readDepth(client, deployment, refEthWad, blockNumber),
  ]);

  // Round trip 3: the rest of the book and the pool TWAP over the adapter's own window.
  const offsets: bigint[] = [];
  for (let offset = BigInt(options.pageSize); offset < count; offset += BigInt(options.pageSize)) offsets.push(offset);
  const twapWindowSec = Number(params.twapWindowSec);
  const [observe, ...rest] = await Promise.all([
    client
      .readContract({
        address: pool,
        abi: uniswapV3PoolAbi,
        functionName: "observe",
        args: [[twapWindowSec, 0]],
        ...at,
      })
      .catch(() => null),
    ...offsets.map((o) => readPage(client, vault, o, options.pageSize, blockNumber)),
  ]);
  const pages: SeriesRaw[][] = [page0, ...(rest as SeriesRaw[][])];
  return assembleSnapshot(deployment, {
    block,
    params,
    paused,
    hedgeNonce,
    lastTs,
    lastBlock,
    cooldownEndsAt,
    budgets,
    round,
    usdcRound,
    sqrtPriceX96: slot0[0],
    tickCumulatives: observe ? observe[0] : null,
    collateral,
    book: pages.flat(),
    netDelta,
    depth,
    roundTrips: counter.roundTrips - startTrips,
    requests: counter.requests - startRequests,
  });
}

/** What a snapshot read, as the contracts returned it (viem-decoded), whatever way it was read. */
export interface SnapshotReads {
  block: { number: bigint; timestamp: bigint; baseFeePerGas: bigint | null };
  params: {
    deltaBandWad: bigint;
    maxTradeWethWad: bigint;
    cooldownSec: number | bigint;
    maxOracleAgeSec: number | bigint;
    maxSlippageBps: number | bigint;
    maxPoolDeviationBps: number | bigint;
    twapWindowSec: number | bigint;
    minTradeWethWad: bigint;
    overshootToleranceWad: bigint;
    lossBudgetUsdWad: bigint;
    turnoverBudgetWethWad: bigint;
    budgetWindowSec: number | bigint;
    maxUsdcDepegBps: number | bigint;
    maxUsdcOracleAgeSec: number | bigint;
    deltaBandBps: number | bigint;
  };
  paused: boolean;
  hedgeNonce: number | bigint;
  lastTs: number | bigint;
  lastBlock: number | bigint;
  cooldownEndsAt: number | bigint;
  /** budgetsAvailable(): loss USD wad, turnover WETH wad */
  budgets: readonly [bigint, bigint];
  /** latestRoundData: roundId, answer, startedAt, updatedAt, answeredInRound */
  round: readonly [bigint, bigint, bigint, bigint, bigint];
  /** USDC/USD latestRoundData */
  usdcRound: readonly [bigint, bigint, bigint, bigint, bigint];
  sqrtPriceX96: bigint;
  /** the pool's `observe([twapWindowSec, 0])` tick cumulatives, or null when the call failed */
  tickCumulatives: readonly bigint[] | null;
  /** the vault's `collateral()`: WETH wad, USDC 1e6 */
  collateral: readonly [bigint, bigint];
  book: SeriesRaw[];
  netDelta: bigint | null;
  depth: DepthQuote | null;
  roundTrips: number;
  requests: number;
}

/** Pure: the raw reads of one block in the keeper's units (shared by the keeper and the benchmark's naive reader). */
export function assembleSnapshot(deployment: Deployment, reads: SnapshotReads): Snapshot {
  const { block, params, round } = reads;
  const [wethWad, usdc6] = reads.collateral;
  const twapWindowSec = Number(params.twapWindowSec);
  const adapterParams = adapterParamsFromChain(params);
  const { bandWad, grossNotionalWad } = bandWadFor(adapterParams, reads.book, Number(block.timestamp));
  return {
    blockNumber: block.number,
    blockTimestamp: Number(block.timestamp),
    baseFeePerGas: block.baseFeePerGas ?? 0n,
    params: adapterParams,
    bandWad,
    grossNotionalWad,
    paused: reads.paused,
    hedgeNonce: BigInt(reads.hedgeNonce),
    lastHedgeTimestamp: Number(reads.lastTs),
    lastHedgeBlock: BigInt(reads.lastBlock),
    cooldownEndsAt: Number(reads.cooldownEndsAt),
    budgets: { lossUsdWad: reads.budgets[0], turnoverWethWad: reads.budgets[1] },
    oracle: oracleRound(round, deployment.feedDecimals),
    usdcOracle: oracleRound(reads.usdcRound, USDC_FEED_DECIMALS),
    poolSqrtPriceX96: reads.sqrtPriceX96,
    poolPriceUsd: sqrtPriceX96ToPriceUsd(reads.sqrtPriceX96, deployment.wethIsToken0),
    poolTwapPriceUsd: reads.tickCumulatives
      ? twapFromCumulatives(reads.tickCumulatives, twapWindowSec, deployment.wethIsToken0)
      : null,
    collateral: { wethWad, usdc6 },
    book: reads.book,
    onChainNetDeltaWad: reads.netDelta,
    depth: reads.depth,
    roundTrips: reads.roundTrips,
    requests: reads.requests,
  };
}

/** The adapter's `params()` as decoded (by viem or ethers: small integers may come as bigint) in the keeper's types. */
export function adapterParamsFromChain(params: SnapshotReads["params"]): AdapterParamsRaw {
  return {
    deltaBandWad: params.deltaBandWad,
    maxTradeWethWad: params.maxTradeWethWad,
    cooldownSec: Number(params.cooldownSec),
    maxOracleAgeSec: Number(params.maxOracleAgeSec),
    maxSlippageBps: Number(params.maxSlippageBps),
    maxPoolDeviationBps: Number(params.maxPoolDeviationBps),
    twapWindowSec: Number(params.twapWindowSec),
    minTradeWethWad: params.minTradeWethWad,
    overshootToleranceWad: params.overshootToleranceWad,
    lossBudgetUsdWad: params.lossBudgetUsdWad,
    turnoverBudgetWethWad: params.turnoverBudgetWethWad,
    budgetWindowSec: Number(params.budgetWindowSec),
    maxUsdcDepegBps: Number(params.maxUsdcDepegBps),
    maxUsdcOracleAgeSec: Number(params.maxUsdcOracleAgeSec),
    deltaBandBps: Number(params.deltaBandBps),
  };
}

/** Both feeds behind the adapter answer in 8 decimals (the adapter's constructor checks it). */
const USDC_FEED_DECIMALS = 8;

function oracleRound(round: readonly [bigint, bigint, bigint, bigint, bigint], decimals: number): OracleRound {
  const [roundId, answer, , updatedAt, answeredInRound] = round;
  return {
    roundId,
    answer,
    updatedAt,
    answeredInRound,
    priceWad: answer > 0n ? oracleAnswerToWad(answer, decimals) : 0n,
  };
}

async function readPage(
  client: PublicClient,
  vault: Address,
  offset: bigint,
  limit: number,
  blockNumber: bigint,
): Promise<SeriesRaw[]> {
  const page = await client.readContract({
    address: vault,
    abi: optionsVaultAbi,
    functionName: "getActiveSeries",
    args: [offset, BigInt(limit)],
    blockNumber,
  });
  return page.map((s) => ({
    id: s.id,
    strikeWad: s.strikeWad,
    expiry: s.expiry,
    isCall: s.isCall,
    sizeWad: s.sizeWad,
    volWad: s.volWad,
  }));
}

async function readDepth(
  client: PublicClient,
  d: Deployment,
  refEthWad: bigint,
  blockNumber: bigint,
): Promise<DepthQuote | null> {
  if (!d.quoter) return null;
  try {
    const [buy, sell] = await Promise.all([
      client.simulateContract({
        address: d.quoter,
        abi: quoterV2Abi,
        functionName: "quoteExactOutputSingle",
        args: [{ tokenIn: d.usdc, tokenOut: d.weth, amount: refEthWad, fee: d.poolFee, sqrtPriceLimitX96: 0n }],
        blockNumber,
      }),
      client.simulateContract({
        address: d.quoter,
        abi: quoterV2Abi,
        functionName: "quoteExactInputSingle",
        args: [{ tokenIn: d.weth, tokenOut: d.usdc, amountIn: refEthWad, fee: d.poolFee, sqrtPriceLimitX96: 0n }],
        blockNumber,
      }),
    ]);
    return { refEthWad, buyUsdcIn6: buy.result[0], sellUsdcOut6: sell.result[0] };
  } catch {
    return null; // a pool too thin for the probe: the cost model falls back to the pool fee only
  }
}

function twapFromCumulatives(tickCumulatives: readonly bigint[], windowSec: number, wethIsToken0: boolean): number {
  const delta = Number(tickCumulatives[1]! - tickCumulatives[0]!);
  return tickToPriceUsd(Math.floor(delta / windowSec), wethIsToken0);
}
