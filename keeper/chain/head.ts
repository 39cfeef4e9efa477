/**
 * Is the head the keeper reads still the chain's? A node that stopped following the chain, or a fallback URL that
 * lags, keeps answering, with an old block; a hedge sized on it trades on state that is gone.
 *
 * Judged on block numbers and the keeper's own progress, not on block timestamps against the wall clock: a local chain
 * mines only when it has transactions and tests move its clock ahead, so "head timestamp vs now" calls a quiet local
 * chain stale and misses a frozen one whose clock runs ahead. Two verdicts:
 * - behind: the head is lower than a block the keeper has already seen (an earlier head, or one of its own receipts):
 *   a lagging node, or a reorg onto a shorter chain. Provably not the latest state: the keeper must not act on it.
 * - frozen: the head number has not increased for more than `staleHeadSec` of wall-clock time while being watched
 *   (a stuck node, or a chain that stopped producing blocks): unhealthy. The run loop only runs a cycle on a new
 *   head, so a frozen head is never acted on there.
 */
export interface HeadWatch {
  /** Records the head read at wall-clock `nowSec`. */
  observe(blockNumber: bigint, nowSec: number): void;
  /** Records a block known to exist (a receipt's block) without it being the head. */
  seen(blockNumber: bigint): void;
  /** Why the current head is behind what was already seen, or null. */
  behind(): string | null;
  /** Why the head is stale (behind or frozen), or null. */
  staleness(nowSec: number): string | null;
}

export function createHeadWatch(staleHeadSec: number): HeadWatch {
  /** highest block known to exist: heads read and receipts */
  let highest: bigint | null = null;
  /** highest head read, and when (wall clock) it was first read */
  let topHead: bigint | null = null;
  let advancedAtSec = 0;
  let head: bigint | null = null;

  function behind(): string | null {
    if (head === null || highest === null || head >= highest) return null;
    return `head ${head} is behind block ${highest} already seen`;
  }

  function seen(blockNumber: bigint): void {
    if (highest === null || blockNumber > highest) highest = blockNumber;
  }

  return {
    observe(blockNumber, nowSec) {
      if (topHead === null || blockNumber > topHead) {
        topHead = blockNumber;
        advancedAtSec = nowSec;
      }
      seen(blockNumber);
      head = blockNumber;
    },
    seen,
    behind,
    staleness(nowSec) {
      const lagging = behind();
      if (lagging !== null) return lagging;
      const idleSec = nowSec - advancedAtSec;
      if (head !== null && idleSec > staleHeadSec) {
        return `head ${head} has not advanced for ${idleSec}s (stale after ${staleHeadSec}s)`;
      }
      return null;
    },
  };
}
