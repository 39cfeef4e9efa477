/**
 * The governance band fitted to the book: the DAO sets its risk limit as a fraction of the book's gross option
 * notional (Σ|size| over live series, ETH) with an absolute floor, so one setting fits a 10-ETH and a 10,000-ETH book.
 * The adapter enforces the same rule on chain (it refuses any hedge while |net delta| <= the band); this is its
 * float mirror for replays and the bench.
 */
const BPS_PER_UNIT = 10_000;

export interface RelativeBandRule {
  /** the band never falls below this, ETH (an empty or tiny book still has a band) */
  floorEth: number;
  /** the band as a fraction of gross option notional, bps (500 = 5%) */
  bps: number;
}

/** max(floor, gross notional × bps): the band in force for a book of `grossNotionalEth`, ETH. */
export function relativeBandEth(rule: RelativeBandRule, grossNotionalEth: number): number {
  return Math.max(rule.floorEth, (Math.abs(grossNotionalEth) * rule.bps) / BPS_PER_UNIT);
}
