/**
 * Pure bookkeeping of a soak run's delta: excursions outside the band (how far, how long, whether a named gate held
 * them) and gate periods by reason. Fed one observation per keeper cycle.
 */

/** Blocks an excursion without a named gate may last beyond the legs its size needs (each leg is one block). */
export const RECOVERY_SLACK_BLOCKS = 3;

/** One keeper cycle as the soak sees it. */
export interface CycleObservation {
  step: number;
  /** |net delta| the keeper assessed, ETH, and the band it was held to */
  absDeltaEth: number;
  bandEth: number;
  maxTradeEth: number;
  /** a hedge went through this cycle */
  hedged: boolean;
  /** named reasons that held the delta this cycle (gates, limits, refused or failed sends, RPC faults) */
  reasons: string[];
}

export interface Excursion {
  startStep: number;
  blocks: number;
  /** largest |net delta| − band seen during it, ETH */
  maxExcessEth: number;
  /** named reasons seen during it; empty = nothing held it */
  reasons: string[];
  /** blocks it may last without a gate: RECOVERY_SLACK_BLOCKS + the legs its size needs */
  allowedBlocks: number;
}

export interface GatePeriods {
  /** reason → number of separate periods and total blocks it held */
  byReason: Record<string, { periods: number; blocks: number }>;
}

/** Blocks an ungated excursion of `maxExcessEth` may take: the slack plus one block per maximum-size leg. */
export function allowedRecoveryBlocks(maxExcessEth: number, maxTradeEth: number): number {
  const legs = maxTradeEth > 0 ? Math.ceil(maxExcessEth / maxTradeEth) : 1;
  return RECOVERY_SLACK_BLOCKS + legs;
}

export class DeltaTracker {
  readonly excursions: Excursion[] = [];
  readonly gates: GatePeriods = { byReason: {} };
  private open: (Excursion & { maxTradeEth: number }) | null = null;
  private activeReasons = new Set<string>();

  observe(cycle: CycleObservation): void {
    this.trackGates(cycle);
    const excessEth = cycle.absDeltaEth - cycle.bandEth;
    if (excessEth <= 0) {
      this.closeExcursion();
      return;
    }
    this.open ??= {
      startStep: cycle.step,
      blocks: 0,
      maxExcessEth: 0,
      reasons: [],
      allowedBlocks: 0,
      maxTradeEth: cycle.maxTradeEth,
    };
    const open = this.open;
    open.blocks += 1;
    open.maxExcessEth = Math.max(open.maxExcessEth, excessEth);
    open.maxTradeEth = Math.min(open.maxTradeEth, cycle.maxTradeEth);
    for (const reason of cycle.reasons) if (!open.reasons.includes(reason)) open.reasons.push(reason);
  }

  /** Closes the excursion still open at the end of the run (it counts with the blocks it lasted). */
  finish(): void {
    this.closeExcursion();
    this.activeReasons.clear();
  }

  /** Excursions that outlasted their allowed blocks with no named gate: the keeper left the delta outside the band. */
  unexplained(): Excursion[] {
    return this.excursions.filter((e) => e.reasons.length === 0 && e.blocks > e.allowedBlocks);
  }

  /** The excursion with the largest excess, and the longest one. */
  worst(): { maxExcessEth: number; longestBlocks: number } {
    return {
      maxExcessEth: Math.max(0, ...this.excursions.map((e) => e.maxExcessEth)),
      longestBlocks: Math.max(0, ...this.excursions.map((e) => e.blocks)),
    };
  }

  private closeExcursion(): void {
    if (!this.open) return;
    const { maxTradeEth, ...excursion } = this.open;
    excursion.allowedBlocks = allowedRecoveryBlocks(excursion.maxExcessEth, maxTradeEth);
    this.excursions.push(excursion);
    this.open = null;
  }

  private trackGates(cycle: CycleObservation): void {
    const now = new Set(cycle.reasons);
    for (const reason of now) {
      const entry = (this.gates.byReason[reason] ??= { periods: 0, blocks: 0 });
      entry.blocks += 1;
      if (!this.activeReasons.has(reason)) entry.periods += 1;
    }
    this.activeReasons = now;
  }
}
