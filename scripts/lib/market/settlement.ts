/**
 * Settlement tooling: fix an expiry's price from the Chainlink round that straddles it (what
 * `OptionsVault.setExpiryPrice` accepts), then settle expired series. Used by the scenarios and the demo.
 */
import { Contract, type Signer } from "ethers";
import type { OptionsVault } from "../../../types/ethers-contracts/index.js";
import type { Market } from "./market.js";

const ROUND_READER_ABI = [
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
  "function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
] as const;

/**
 * The ETH/USD feed as the vault reads it: the address book's feed. On the replica that is the mock itself; on a fork
 * it is the canonical EACAggregatorProxy, whose round ids carry its phase, while `market.feed` is the aggregator the
 * scenario pushes answers to. A settlement round must be named in the proxy's ids, or the vault finds no such round.
 */
export function vaultFeed(market: Market): Contract {
  return new Contract(market.book.ethUsdFeed, ROUND_READER_ABI, market.feed.runner);
}

/** Chainlink proxy round ids are `phaseId << 64 | aggregatorRoundId`. */
const PHASE_SHIFT = 64n;
const AGGREGATOR_ROUND_MASK = (1n << PHASE_SHIFT) - 1n;

async function roundUpdatedAt(feed: Contract, roundId: bigint): Promise<bigint> {
  const [, , , updatedAt] = (await feed.getFunction("getRoundData")(roundId)) as [bigint, bigint, bigint, bigint];
  return updatedAt;
}

/**
 * The first round of the feed's current phase published at or after `expirySec` (binary search: round timestamps
 * increase within a phase).
 * @throws Error when no round has been published since expiry, or when the straddling round is the first of its
 *   phase (prove it with `setExpiryPriceAcrossPhase` and the previous phase's last round instead)
 */
export async function findExpiryRound(feed: Contract, expirySec: number): Promise<bigint> {
  const [latest, , , latestUpdatedAt] = (await feed.getFunction("latestRoundData")()) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const expiry = BigInt(expirySec);
  if (latestUpdatedAt < expiry) {
    throw new Error(
      `no Chainlink round published since expiry ${expirySec} (latest round ${latest} at ${latestUpdatedAt})`,
    );
  }
  const phase = latest >> PHASE_SHIFT;
  let lo = 1n;
  let hi = latest & AGGREGATOR_ROUND_MASK;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if ((await roundUpdatedAt(feed, (phase << PHASE_SHIFT) | mid)) >= expiry) hi = mid;
    else lo = mid + 1n;
  }
  if (lo === 1n) {
    throw new Error(
      `the round straddling expiry ${expirySec} is the first of phase ${phase}: use setExpiryPriceAcrossPhase`,
    );
  }
  return (phase << PHASE_SHIFT) | lo;
}

/** Fixes `expirySec`'s settlement price on the vault unless it is already fixed; returns the price (wad). */
export async function fixExpiryPrice(
  vault: OptionsVault,
  feed: Contract,
  expirySec: number,
  signer?: Signer,
): Promise<bigint> {
  const set = await vault.expiryPriceWad(expirySec);
  if (set !== 0n) return set;
  const round = await findExpiryRound(feed, expirySec);
  await (await (signer ? vault.connect(signer) : vault).setExpiryPrice(expirySec, round)).wait();
  return vault.expiryPriceWad(expirySec);
}

/** Fixes each expiry's price (once) and settles the series; anyone may do both. */
export async function settleExpired(
  vault: OptionsVault,
  feed: Contract,
  series: readonly { id: bigint; expiry: bigint }[],
  signer?: Signer,
): Promise<void> {
  const caller = signer ? vault.connect(signer) : vault;
  for (const s of series) {
    await fixExpiryPrice(vault, feed, Number(s.expiry), signer);
    await (await caller.settle(s.id)).wait();
  }
}
