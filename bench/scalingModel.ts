/**
 * The scaling bench's plan, constants and result shapes (bench/scaling.ts measures on the chain of
 * bench/scalingChain.ts, bench/scalingReport.ts reports).
 */
export const GOAL_ROUND_TRIPS = 3;
export const GOAL_COMPUTE_MS = 50;
export const GOAL_SPEEDUP = 50;
/** the round-trip time the speed-up goal is judged at: a hosted node's */
export const GOAL_RTT_MS = 25;
export const SPOT_USD = 3000;
/** series per BookSeeder transaction (≈ 120k gas each); a divisor of STRIKE_SPAN so a batch never wraps */
export const SEEDER_BATCH = 100;
/** strikes run from $2,750 in $1 steps and wrap every 500 series, so every book size straddles the $3,000 spot */
export const FIRST_STRIKE_USD = 2750;
export const STRIKE_SPAN = 500;
export const DAY_SEC = 86_400;
/** OptionsVault.MAX_ACTIVE_SERIES_CAP: the largest book a vault can hold (checked against the contract). */
export const VAULT_CAP = 500;
/** OptionsVault's constructor default for settlementOracleAgeSec */
export const DEFAULT_SETTLEMENT_ORACLE_AGE_SEC = 3600;
/** the netDeltaWad probe's HTTP timeout: long enough to see the view fail out of gas past the cap */
export const PROBE_TIMEOUT_MS = 120_000;

export interface Plan {
  /** on-chain book sizes; those above the vault's cap use the bench-only lifted cap (see the header) */
  onChainSizes: number[];
  /** compute-only book sizes (synthetic realistic book, no chain) */
  computeOnlySizes: number[];
  /** keeper reads per size and variant: at least `min`, then more until `max` or `budgetMs` of reading */
  keeperReads: ReadBudget;
  naiveReads: ReadBudget;
  computeRuns: number;
  /** round-trip times (ms) of the latency points, at the largest on-chain book */
  rttsMs: number[];
  rttReads: { keeper: number; naive: number };
}

export const QUICK_PLAN: Plan = {
  onChainSizes: [10, 100, 500],
  computeOnlySizes: [1000, 10_000],
  keeperReads: { min: 3, max: 15, budgetMs: 1500 },
  naiveReads: { min: 1, max: 3, budgetMs: 1500 },
  computeRuns: 31,
  rttsMs: [0, 25],
  rttReads: { keeper: 3, naive: 1 },
};
export const FULL_PLAN: Plan = {
  onChainSizes: [10, 100, 500, 1000, 10_000],
  computeOnlySizes: [1000, 10_000],
  keeperReads: { min: 5, max: 41, budgetMs: 10_000 },
  naiveReads: { min: 2, max: 9, budgetMs: 10_000 },
  computeRuns: 101,
  rttsMs: [0, 10, 25, 50],
  rttReads: { keeper: 5, naive: 2 },
};

/** One BookSeeder call: `count` series from `firstStrikeUsd` up in $1 steps. */
export interface SeedBatch {
  count: number;
  firstStrikeUsd: number;
  /** index of the batch's first series in the book (its expiry offset, in minutes) */
  firstIndex: number;
}

/** The seeder calls that take a book from `have` to `want` series, strikes wrapping every STRIKE_SPAN series. */
export function seedBatches(have: number, want: number, batch = SEEDER_BATCH): SeedBatch[] {
  if (STRIKE_SPAN % batch !== 0) throw new RangeError(`seed batch ${batch} must divide ${STRIKE_SPAN}`);
  const out: SeedBatch[] = [];
  for (let count = have; count < want;) {
    // Never cross a wrap inside one call: the seeder's strikes are consecutive.
    const n = Math.min(batch - (count % batch), want - count);
    out.push({ count: n, firstStrikeUsd: FIRST_STRIKE_USD + (count % STRIKE_SPAN), firstIndex: count });
    count += n;
  }
  return out;
}

export interface ReadBudget {
  min: number;
  max: number;
  budgetMs: number;
}

/** warm-up runs before timing the compute (JIT, typed-array allocation) */
export const COMPUTE_WARMUP = 5;

export interface ReadCost {
  /** reads timed */
  reads: number;
  roundTrips: number;
  requests: number;
  requestBytes: number;
  responseBytes: number;
  /** median wall time of a read, ms */
  readMs: number;
  /** median wall time of assess + decide on what was read, ms */
  computeMs: number;
  cycleMs: number;
}

export interface Comparison {
  keeper: ReadCost;
  naive: ReadCost;
  /** naive cycle / keeper cycle */
  speedup: number;
}

/** The vault's netDeltaWad() called alone at a fresh head: first after the book changed, then once more. */
export interface ViewCall {
  /** first call after the book was seeded (the node's state caches cold) */
  coldMs: number;
  /** the next call, one block later (what a keeper calling every block meets) */
  warmMs: number;
  outcome: "returned" | "out of gas";
}

export interface OnChainPoint {
  series: number;
  decision: string;
  /** past MAX_ACTIVE_SERIES_CAP: the bench-only deployment with the lifted cap */
  beyondCap: boolean;
  /** the vault's netDeltaWad() with its walk on, called alone: wall times and outcome (past the cap: out of gas) */
  viewCall: ViewCall;
  /**
   * as the keepers run: the snapshot includes the vault's netDeltaWad() cross-check, a walk over the whole book;
   * null when a read failed (past the cap the view may outlast the keepers' RPC timeout), with the reason
   */
  asRun: Comparison | null;
  asRunFailure: string | null;
  /** same reads with the vault's view reverting at its oracle check, so the node does not walk the book */
  noWalk: Comparison;
}

export interface ComputeOnlyPoint {
  series: number;
  /** assess + decide from a snapshot of wad rows, median ms */
  computeMs: number;
  /** evaluateBook alone on the typed arrays, median ms */
  riskMs: number;
}
