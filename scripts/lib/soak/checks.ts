/**
 * The soak's assertions over one seed's result: each a named check that passes or fails with the figures behind it.
 */
import { auditProblems } from "./audit.js";
import { RECOVERY_SLACK_BLOCKS } from "./excursions.js";
import type { SeedResult } from "./run.js";

export interface Check {
  name: string;
  ok: boolean;
  /** why it failed (empty when it passed) */
  detail: string[];
}

export const CHECK_NAMES = {
  survived: "runs to its last block with no crash and no unhandled rejection",
  decisions: "every cycle ends in a decision (or a failed cycle under an injected RPC fault, retried next block)",
  band: `|net delta| is back within the band within ${RECOVERY_SLACK_BLOCKS} blocks + one block per maximum-size leg after every trigger, unless a named gate holds it`,
  flat: "keeper heap (after GC), open handles and journal state stay flat over the second half (RSS printed, not judged)",
  audit: "nothing lost or hedged twice (every Hedged event is one journal intent; one hedge per adapter nonce)",
  hedged: "the keeper hedged at all",
} as const;

const check = (name: string, detail: string[]): Check => ({ name, ok: detail.length === 0, detail });

export function seedChecks(result: SeedResult): Check[] {
  const survived: string[] = [];
  if (result.harnessError) survived.push(`stopped at block ${result.cycles}: ${result.harnessError.split("\n")[0]}`);
  if (result.cycles < result.plan.blocks) survived.push(`ran ${result.cycles} of ${result.plan.blocks} blocks`);
  for (const r of result.unhandledRejections.slice(0, 3)) survived.push(`unhandled: ${r}`);
  const band = result.unexplainedExcursions
    .slice(0, 5)
    .map(
      (e) =>
        `block ${e.startStep}: ${e.blocks} blocks outside the band (allowed ${e.allowedBlocks}), ` +
        `max ${e.maxExcessEth.toFixed(2)} ETH over, no gate named`,
    );
  const flat = result.resources.figures
    .filter((f) => !f.flat)
    .map(
      (f) => `${f.metric}: ${f.firstHalfPerKblock.toFixed(1)} → ${f.secondHalfPerKblock.toFixed(1)} per 1000 blocks`,
    );
  return [
    check(CHECK_NAMES.survived, survived),
    check(CHECK_NAMES.decisions, result.unexplainedCycleFailures.slice(0, 5)),
    check(CHECK_NAMES.band, band),
    check(CHECK_NAMES.flat, result.harnessError ? ["run did not finish"] : flat),
    check(CHECK_NAMES.audit, auditProblems(result.audit)),
    check(CHECK_NAMES.hedged, result.hedges > 0 ? [] : ["no Hedged event in the whole run"]),
  ];
}
