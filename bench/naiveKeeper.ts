/**
 * The scaling bench's baseline: a keeper written the obvious way. It reads the same state as the real keeper's
 * `readSnapshot` (keeper/chain/snapshot.ts) — adapter parameters and guards, oracle, pool, collateral, the on-chain
 * net delta, the depth quotes and the whole book — but one `await`ed eth_call at a time over an HTTP transport without
 * batching, and the book one series per call (`getActiveSeries(i, 1)`), `concurrency` of those in flight at once. It returns the same `Snapshot`, so the
 * compute that follows (assess + decide) is the real keeper's, and only the reading differs.
 */
import { http, type Address, type PublicClient, type Transport } from "viem";
import {
  aggregatorV3Abi,
  hedgeAdapterAbi,
  optionsVaultAbi,
  quoterV2Abi,
  uniswapV3PoolAbi,
} from "../keeper/chain/abis.generated.js";
import type { RpcCounter } from "../keeper/chain/client.js";
import {
  assembleSnapshot,
  type DepthQuote,
  type Deployment,
  type SeriesRaw,
  type Snapshot,
} from "../keeper/chain/snapshot.js";
import { WAD } from "../keeper/units.js";

/** Plain viem HTTP: one POST per request, no retries; counts each as a round trip and a request. */
export function naiveTransport(url: string, counter: RpcCounter): Transport {
  return http(url, {
    retryCount: 0,
    onFetchRequest: () => {
      counter.roundTrips += 1;
      counter.requests += 1;
    },
  });
}

async function naiveDepth(client: PublicClient, d: Deployment, blockNumber: bigint): Promise<DepthQuote | null> {
  if (!d.quoter) return null;
  const refEthWad = 10n * WAD;
  try {
    const buy = await client.simulateContract({
      address: d.quoter,
      abi: quoterV2Abi,
      functionName: "quoteExactOutputSingle",
      args: [{ tokenIn: d.usdc, tokenOut: d.weth, amount: refEthWad, fee: d.poolFee, sqrtPriceLimitX96: 0n }],
      blockNumber,
    });
    const sell = await client.simulateContract({
      address: d.quoter,
      abi: quoterV2Abi,
      functionName: "quoteExactInputSingle",
      args: [{ tokenIn: d.weth, tokenOut: d.usdc, amountIn: refEthWad, fee: d.poolFee, sqrtPriceLimitX96: 0n }],
      blockNumber,
    });
    return { refEthWad, buyUsdcIn6: buy.result[0], sellUsdcOut6: sell.result[0] };
  } catch {
    return null; // as the real keeper: no quote, the cost model uses the pool fee only
  }
}

/** The naive keeper's read of one snapshot, pinned to the latest block; every call is its own round trip. */
export async function readSnapshotNaive(
  client: PublicClient,
  deployment: Deployment,
  counter: RpcCounter,
  { concurrency = 1 }: { concurrency?: number } = {},
): Promise<Snapshot> {
  const startTrips = counter.roundTrips;
  const startRequests = counter.requests;
  const block = await client.getBlock({ blockTag: "latest" });
  const blockNumber = block.number;
  const { adapter, vault, pool, feed } = deployment;
  const onAdapter = <
    F extends
      | "params"
      | "paused"
      | "hedgeNonce"
      | "lastHedgeTimestamp"
      | "lastHedgeBlock"
      | "cooldownEndsAt"
      | "budgetsAvailable",
  >(
    functionName: F,
  ) => client.readContract({ address: adapter, abi: hedgeAdapterAbi, functionName, blockNumber });

  const params = await onAdapter("params");
  const paused = await onAdapter("paused");
  const hedgeNonce = await onAdapter("hedgeNonce");
  const lastTs = await onAdapter("lastHedgeTimestamp");
  const lastBlock = await onAdapter("lastHedgeBlock");
  const cooldownEndsAt = await onAdapter("cooldownEndsAt");
  const budgets = await onAdapter("budgetsAvailable");
  const round = await client.readContract({
    address: feed,
    abi: aggregatorV3Abi,
    functionName: "latestRoundData",
    blockNumber,
  });
  const usdcRound = await client.readContract({
    address: deployment.usdcFeed,
    abi: aggregatorV3Abi,
    functionName: "latestRoundData",
    blockNumber,
  });
  const slot0 = await client.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "slot0", blockNumber });
  const collateral = await client.readContract({
    address: vault,
    abi: optionsVaultAbi,
    functionName: "collateral",
    blockNumber,
  });
  const netDelta = await client
    .readContract({ address: vault, abi: optionsVaultAbi, functionName: "netDeltaWad", blockNumber })
    .catch(() => null);
  const depth = await naiveDepth(client, deployment, blockNumber);
  const twapWindowSec = Number(params.twapWindowSec);
  const observe = await client
    .readContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "observe",
      args: [[twapWindowSec, 0]],
      blockNumber,
    })
    .catch(() => null);
  const count = await client.readContract({
    address: vault,
    abi: optionsVaultAbi,
    functionName: "activeSeriesCount",
    blockNumber,
  });
  // The book one series per call, `concurrency` calls in flight (a worker pool over the indices, kept in order).
  const book: SeriesRaw[] = new Array<SeriesRaw>(Number(count));
  let next = 0n;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const [s] = await client.readContract({
        address: vault as Address,
        abi: optionsVaultAbi,
        functionName: "getActiveSeries",
        args: [i, 1n],
        blockNumber,
      });
      book[Number(i)] = {
        id: s!.id,
        strikeWad: s!.strikeWad,
        expiry: s!.expiry,
        isCall: s!.isCall,
        sizeWad: s!.sizeWad,
        volWad: s!.volWad,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, worker));

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
    book,
    netDelta,
    depth,
    roundTrips: counter.roundTrips - startTrips,
    requests: counter.requests - startRequests,
  });
}
