/**
 * `keeper journal show|reset`: what the journal holds and which chain it belongs to, and a way to start afresh
 * that keeps the old file. Works without an RPC: a journal refused at start-up is exactly when it is needed.
 */
import type { Command } from "commander";
import { existsSync, renameSync } from "node:fs";
import { configuredJournalPath } from "../config/index.js";
import { openJournal } from "../journal/index.js";
import { readBinding } from "../journal/binding.js";
import { lockOwner } from "../journal/lock.js";
import { EXIT } from "./exitCodes.js";

/** A `keeper journal` failure: printed as one line, exit 2 (something for the operator to fix). */
export class JournalCommandError extends Error {
  override name = "JournalCommandError";
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);

function pathOrThrow(opts: { path?: string }): string {
  const path = opts.path ?? configuredJournalPath();
  if (path === ":memory:" || !existsSync(path)) throw new JournalCommandError(`no journal at ${path}`);
  return path;
}

/** What `journal show` prints: binding, lock holder, intents by status, the open ones. */
export function describeJournal(path: string) {
  const journal = openJournal(path);
  try {
    return {
      path,
      binding: readBinding(journal),
      lockedBy: lockOwner(path),
      lastCycleId: Number(journal.getState("lastCycleId") ?? 0),
      intents: journal.countByStatus(),
      openIntents: journal.openIntents().map((i) => ({ id: i.id, status: i.status, block: i.blockNumber })),
    };
  } finally {
    journal.close();
  }
}

/** Moves the journal (and its WAL files) aside to `<path>.<time>.bak`; returns the backup path. */
export function resetJournal(path: string, force: boolean, now = new Date()): string {
  const owner = lockOwner(path);
  if (owner !== null)
    throw new JournalCommandError(`journal ${path} is in use by the keeper with pid ${owner.pid}: stop it first`);
  const { openIntents } = describeJournal(path);
  if (openIntents.length > 0 && !force)
    throw new JournalCommandError(
      `journal ${path} has ${openIntents.length} open intent(s) (${openIntents.map((i) => i.id).join(", ")}): ` +
        "a hedge may still be in flight on its chain; rerun with --force if that chain is gone",
    );
  const backup = `${path}.${now.toISOString().replace(/[:.]/g, "-")}.bak`;
  renameSync(path, backup);
  for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
  return backup;
}

function fail(error: unknown): never {
  if (!(error instanceof JournalCommandError)) throw error;
  process.stderr.write(`journal error: ${error.message}\n`);
  process.exit(EXIT.config);
}

export function addJournalCommand(program: Command): void {
  const journal = program
    .command("journal")
    .description("inspect or reset the journal (HK_JOURNAL_PATH); needs no RPC");
  journal
    .command("show")
    .description("the chain and adapter the journal belongs to, its lock holder and its intents")
    .option("--path <file>", "journal file (default HK_JOURNAL_PATH)")
    .option("--json", "machine-readable output")
    .action((opts: { path?: string; json?: boolean }) => {
      try {
        const view = describeJournal(pathOrThrow(opts));
        if (opts.json) return void process.stdout.write(json(view) + "\n");
        const b = view.binding;
        const lines = [
          `journal ${view.path}`,
          b === null
            ? "bound to: nothing yet (the next start binds it)"
            : `bound to: chain ${b.chainId}, genesis ${b.genesisHash}, adapter ${b.adapter}`,
          `in use by: ${view.lockedBy === null ? "no keeper" : `pid ${view.lockedBy.pid} on ${view.lockedBy.host} since ${view.lockedBy.startedAt}`}`,
          `cycles: ${view.lastCycleId}`,
          `intents: ${Object.entries(view.intents)
            .map(([status, n]) => `${status} ${n}`)
            .join(", ")}`,
          ...view.openIntents.map((i) => `  open: ${i.id} ${i.status} (decided at block ${i.block})`),
        ];
        process.stdout.write(lines.join("\n") + "\n");
      } catch (error) {
        fail(error);
      }
    });
  journal
    .command("reset")
    .description("move the journal aside (kept as <path>.<time>.bak) so the next start begins a new one")
    .option("--path <file>", "journal file (default HK_JOURNAL_PATH)")
    .option("--force", "reset even with open intents (their chain is gone)")
    .action((opts: { path?: string; force?: boolean }) => {
      try {
        const path = pathOrThrow(opts);
        process.stdout.write(`journal ${path} moved to ${resetJournal(path, Boolean(opts.force))}\n`);
      } catch (error) {
        fail(error);
      }
    });
}
