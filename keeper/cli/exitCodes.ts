/**
 * The keeper CLI's exit codes, a contract with the scripts that run it (README "Running the keeper").
 */
import type { HedgeOutcome } from "../executor/index.js";

export const EXIT = {
  /** done: the cycle held, hedged and confirmed, or (dry run) showed the hedge it would send */
  ok: 0,
  /** a failure while running: an RPC error mid-cycle, a crash */
  runtime: 1,
  /** bad configuration or a failed start-up check (RPC, chain id, adapter, role, journal, port): fix and rerun */
  config: 2,
  /** `once` wanted a hedge that did not go through: rejected, deferred, reverted, dropped or still pending */
  hedgeNotDone: 3,
} as const;

/** `once`'s exit code for a cycle's outcome (null = nothing was sent: a hold, or a dry run). */
export function onceExitCode(outcome: HedgeOutcome | null): number {
  return outcome === null || outcome.kind === "succeeded" ? EXIT.ok : EXIT.hedgeNotDone;
}
