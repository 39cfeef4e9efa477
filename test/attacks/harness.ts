import { appendFileSync } from "node:fs";

/** One row of the attack table: an attack, how often it was tried, how often the contracts refused it. */
export interface AttackRow {
  attack: string;
  /** who attacks: keeper key, guardian, vol setter, token holder, outsider, counterparty */
  role: string;
  trials: number;
  /** trials the contracts refused outright (a revert) */
  blocked: number;
  /** value the vault (or the DAO) lost over all trials, USD, measured by the test at the oracle price */
  lostUsd: number;
  /** the stated on-chain bound for that loss over the trials, USD (0 when the attack must lose nothing) */
  boundUsd: number;
  /** what bounds it, in words */
  rule: string;
}

/**
 * `describe` for the attack suite. It runs under `npm run test:attacks` (scripts/attacks.ts sets HK_ATTACK_SUITE=1
 * and prints the attack table); a plain `hardhat test` lists it as pending instead of running it a second time in CI.
 */
export const describeAttacks: Mocha.SuiteFunction | Mocha.PendingSuiteFunction =
  process.env.HK_ATTACK_SUITE === "1" ? describe : describe.skip;

/** Appends a row to $HK_ATTACK_REPORT (JSON lines) when `npm run test:attacks` asked for it. */
export function recordAttack(row: AttackRow): void {
  const path = process.env.HK_ATTACK_REPORT;
  if (path) appendFileSync(path, JSON.stringify(row) + "\n");
}

/** Tries `attempt` and tells whether it reverted; any other failure (a bug in the test) is rethrown. */
export async function refused(attempt: () => Promise<unknown>): Promise<boolean> {
  try {
    await attempt();
    return false;
  } catch (error) {
    const text = String((error as { message?: string }).message ?? error);
    if (/revert|reverted/i.test(text)) return true;
    throw error;
  }
}
