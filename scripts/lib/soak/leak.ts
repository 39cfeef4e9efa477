/**
 * The soak's leak check: samples of the keeper process's memory, open handles and journal size over a run, and the
 * verdict "flat" when the second half of the run grows no faster than the tolerance allows (RSS: see JUDGED_METRICS).
 *
 * A leak grows at the same rate all run long; warm-up (JIT, caches filling) grows early and stops. So the check
 * judges the least-squares slope of the second half against a tolerance; both halves' slopes are printed.
 */

export interface ResourceSample {
  step: number;
  rssBytes: number;
  /** V8 heap in use right after a full GC (when the process runs with --expose-gc), bytes */
  heapUsedBytes: number;
  /** libuv handles and requests alive (process.getActiveResourcesInfo()) */
  handles: number;
  /** rows in the journal's tables */
  journalRows: number;
  /** journal rows that belong to no hedge intent (the state table): must stay flat */
  journalStateRows: number;
}

/** Growth per 1,000 blocks that still counts as flat (noise, one-off caches), by metric. */
export const FLAT_TOLERANCE_PER_KBLOCK = {
  heapUsedBytes: 2 * 1024 * 1024,
  handles: 0.5,
  journalStateRows: 0.5,
} as const;

/**
 * RSS is printed, not judged: the seed's process also runs the in-process chain, whose blocks and state live in the
 * Hardhat node's native memory and grow with the chain. A control run with the market driver alone and no keeper
 * (seed 5, 1,400 blocks) grew RSS 374 → 528 MB, faster in its second half, as the soak seeds do; the keeper's own
 * memory is its JS heap after a full GC (the journal is SQLite on disk, counted by rows).
 */
export const JUDGED_METRICS = ["heapUsedBytes", "handles", "journalStateRows"] as const;

/**
 * Growth over the whole second half that counts as flat whatever its slope: a short run (the CI soak) has too few
 * blocks for a slope per 1,000 blocks to mean anything, and a few MB of noise is not a leak.
 */
export const FLAT_TOLERANCE_SECOND_HALF = {
  heapUsedBytes: 4 * 1024 * 1024,
  handles: 2,
  journalStateRows: 0,
} as const;

export type LeakMetric = (typeof JUDGED_METRICS)[number] | "rssBytes";

export interface LeakFigure {
  metric: LeakMetric;
  start: number;
  end: number;
  /** least-squares growth per 1,000 blocks over the first and the second half of the samples */
  firstHalfPerKblock: number;
  secondHalfPerKblock: number;
  /** true for a judged metric within its tolerance, and for RSS (printed, not judged) */
  flat: boolean;
  judged: boolean;
}

/** Least-squares slope of `y` over `x` (0 for fewer than two distinct x). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The leak verdict of every metric over `samples` (ordered by step). */
export function leakFigures(samples: readonly ResourceSample[]): LeakFigure[] {
  const half = Math.floor(samples.length / 2);
  const first = samples.slice(0, half + 1);
  const second = samples.slice(half);
  const perKblock = (part: readonly ResourceSample[], metric: LeakMetric) =>
    slope(part.map((s) => ({ x: s.step, y: s[metric] }))) * 1000;
  const metrics: LeakMetric[] = ["rssBytes", "heapUsedBytes", "handles", "journalStateRows"];
  return metrics.map((metric) => {
    const firstHalfPerKblock = perKblock(first, metric);
    const secondHalfPerKblock = perKblock(second, metric);
    const secondHalfBlocks = (second.at(-1)?.step ?? 0) - (second[0]?.step ?? 0);
    const judged = metric !== "rssBytes";
    const flat =
      metric === "rssBytes" ||
      (secondHalfPerKblock * secondHalfBlocks) / 1000 <= FLAT_TOLERANCE_SECOND_HALF[metric] ||
      secondHalfPerKblock <= FLAT_TOLERANCE_PER_KBLOCK[metric];
    return {
      metric,
      start: samples[0]?.[metric] ?? 0,
      end: samples.at(-1)?.[metric] ?? 0,
      firstHalfPerKblock,
      secondHalfPerKblock,
      flat,
      judged,
    };
  });
}
