import { parseGwei } from "viem";
import { bandWadFor, type Snapshot } from "../../keeper/chain/snapshot.js";
import { WAD } from "../../keeper/units.js";

/**
 * A synthetic keeper snapshot for the pure stages' tests: the replica's default adapter parameters, a fresh oracle at
 * `priceUsd` (whole dollars), the pool on the oracle, no book and no balances unless `overrides` say otherwise.
 */
export function snapshotFixture(priceUsd: bigint, nowSec: number, overrides: Partial<Snapshot> = {}): Snapshot {
  const snapshot: Omit<Snapshot, "bandWad" | "grossNotionalWad"> & Partial<Snapshot> = {
    blockNumber: 100n,
    blockTimestamp: nowSec,
    baseFeePerGas: parseGwei("10"),
    params: {
      deltaBandWad: 5n * WAD,
      maxTradeWethWad: 50n * WAD,
      cooldownSec: 0,
      maxOracleAgeSec: 3600,
      maxSlippageBps: 50,
      maxPoolDeviationBps: 300,
      twapWindowSec: 60,
      minTradeWethWad: WAD / 20n,
      overshootToleranceWad: WAD,
      lossBudgetUsdWad: 10_000n * WAD,
      turnoverBudgetWethWad: 1_000n * WAD,
      budgetWindowSec: 86_400,
      maxUsdcDepegBps: 200,
      maxUsdcOracleAgeSec: 90_000,
      deltaBandBps: 0,
    },
    paused: false,
    hedgeNonce: 0n,
    lastHedgeTimestamp: 0,
    lastHedgeBlock: 0n,
    cooldownEndsAt: 0,
    budgets: { lossUsdWad: 10_000n * WAD, turnoverWethWad: 1_000n * WAD },
    usdcOracle: { roundId: 1n, answer: 10n ** 8n, updatedAt: BigInt(nowSec), answeredInRound: 1n, priceWad: WAD },
    oracle: {
      roundId: 1n,
      answer: priceUsd * 10n ** 8n,
      updatedAt: BigInt(nowSec),
      answeredInRound: 1n,
      priceWad: priceUsd * WAD,
    },
    poolSqrtPriceX96: 0n,
    poolPriceUsd: Number(priceUsd),
    poolTwapPriceUsd: Number(priceUsd),
    collateral: { wethWad: 0n, usdc6: 0n },
    book: [],
    onChainNetDeltaWad: null,
    depth: null,
    roundTrips: 3,
    requests: 10,
    ...overrides,
  };
  // The band follows params and book, as `assembleSnapshot` derives it, unless an override sets it.
  const { bandWad, grossNotionalWad } = bandWadFor(snapshot.params, snapshot.book, nowSec);
  return { bandWad, grossNotionalWad, ...snapshot };
}
