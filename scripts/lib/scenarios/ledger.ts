/**
 * What the hedges of a scenario cost, read back from the chain: the adapter's Hedged events (execution vs the oracle
 * price the adapter itself used) and the receipts of every transaction the keepers journaled.
 */
import { deviationBps, executionPriceUsd, wadToNumber } from "../../../keeper/units.js";
import type { World } from "../market/world.js";
import type { ScenarioKeeper, TradeSummary } from "./types.js";

export interface HedgeRecord {
  txHash: string;
  blockNumber: number;
  /** position in its block */
  txIndex: number;
  keeper: string;
  buyWeth: boolean;
  wethEth: number;
  usdc: number;
  oraclePriceUsd: number;
  executionPriceUsd: number;
  /** execution vs oracle, bps, positive = worse for the vault */
  adverseBps: number;
  /** value given − value received, both at the oracle price, USD */
  costUsd: number;
}

/** Hedged events of the world's adapter in blocks [fromBlock, toBlock]. */
export async function hedgesBetween(world: World, fromBlock: number, toBlock: number | "latest" = "latest") {
  const { adapter } = world.stack;
  const events = await adapter.queryFilter(adapter.filters.Hedged(), fromBlock, toBlock);
  return events.map((event): HedgeRecord => {
    const { keeper, buyWeth, amountIn, amountOut, oraclePriceWad } = event.args;
    const oracle = wadToNumber(oraclePriceWad);
    const [usdc6, wethWad] = buyWeth ? [amountIn, amountOut] : [amountOut, amountIn];
    const price = executionPriceUsd(usdc6, wethWad);
    const wethEth = wadToNumber(wethWad);
    const usdc = Number(usdc6) / 1e6;
    return {
      txHash: event.transactionHash,
      blockNumber: event.blockNumber,
      txIndex: event.transactionIndex,
      keeper,
      buyWeth,
      wethEth,
      usdc,
      oraclePriceUsd: oracle,
      executionPriceUsd: price,
      adverseBps: buyWeth ? deviationBps(price, oracle) : -deviationBps(price, oracle),
      costUsd: buyWeth ? usdc - wethEth * oracle : wethEth * oracle - usdc,
    };
  });
}

/** Gas of `txHashes` that made it on chain, USD at the oracle answer of each one's block. */
async function gasUsd(world: World, txHashes: Iterable<string>): Promise<{ usd: number; txs: number }> {
  let usd = 0;
  let txs = 0;
  for (const hash of new Set(txHashes)) {
    const receipt = await world.ethers.provider.getTransactionReceipt(hash);
    if (receipt === null) continue;
    txs += 1;
    const [, answer] = (await world.market.feed.getFunction("latestRoundData")({
      blockTag: receipt.blockNumber,
    })) as [bigint, bigint];
    usd += wadToNumber(receipt.gasUsed * receipt.gasPrice) * (Number(answer) / 1e8);
  }
  return { usd, txs };
}

/** The hashes of every transaction a keeper journaled (read them before the keeper closes its journal). */
export function journaledTxHashes(keeper: ScenarioKeeper): string[] {
  const { journal } = keeper.service;
  return journal.recentIntents(100_000).flatMap((intent) => journal.txsOf(intent.id).map((tx) => tx.hash));
}

/** Costs of the scenario's hedges since `fromBlock`, with the gas of the keepers' transactions `txHashes`. */
export async function summarizeTrades(
  world: World,
  fromBlock: number,
  txHashes: Iterable<string>,
): Promise<TradeSummary> {
  const hedges = await hedgesBetween(world, fromBlock);
  const gas = await gasUsd(world, txHashes);
  const feesAndSlippageUsd = hedges.reduce((sum, h) => sum + h.costUsd, 0);
  return {
    hedges: hedges.length,
    feesAndSlippageUsd,
    gasUsd: gas.usd,
    totalCostUsd: feesAndSlippageUsd + gas.usd,
    worstVsOracleBps: hedges.length === 0 ? null : Math.max(...hedges.map((h) => h.adverseBps)),
    keeperTxs: gas.txs,
  };
}
