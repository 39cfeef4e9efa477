/**
 * One keeper per journal. Two keepers on one journal each see the other's intents as their own to reconcile and can
 * both decide the same hedge: a lock file beside the journal, holding the owner's pid, refuses the second one. A
 * lock left by a process that is gone (kill -9, power cut) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** Thrown when another live keeper holds the journal. */
export class JournalLockedError extends Error {
  override name = "JournalLockedError";
}

export const lockPathOf = (journalPath: string) => `${journalPath}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

/** The live owner of the journal's lock, or null (no lock, or one left by a process that is gone). */
export function lockOwner(journalPath: string): LockOwner | null {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(lockPathOf(journalPath), "utf8")) as LockOwner;
  } catch {
    return null;
  }
  // Another host's pid cannot be checked from here: a lock from there is held until removed by hand.
  return owner.host !== hostname() || alive(owner.pid) ? owner : null;
}

/**
 * Takes the journal's lock for this process.
 * @returns a release function (idempotent)
 * @throws JournalLockedError naming the owner
 */
export function lockJournal(journalPath: string): () => void {
  const path = lockPathOf(journalPath);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, "wx"); // atomic create: of two keepers starting together, one wins
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let held = true;
      return () => {
        if (held) rmSync(path, { force: true });
        held = false;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = lockOwner(journalPath);
      if (owner !== null) {
        throw new JournalLockedError(
          `HK_JOURNAL_PATH: journal ${journalPath} is in use by the keeper with pid ${owner.pid} on ${owner.host} ` +
            `(since ${owner.startedAt}); two keepers on one journal could send the same hedge twice: stop that one, ` +
            `or give this one its own HK_JOURNAL_PATH (remove ${path} by hand only if that process is gone)`,
        );
      }
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new JournalLockedError(`HK_JOURNAL_PATH: could not take the lock ${path}: another process keeps taking it`);
}
