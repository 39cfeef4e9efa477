import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { openJournal } from "../../keeper/journal/index.js";
import {
  bindJournal,
  genesisHashOf,
  GENESIS_UNAVAILABLE,
  JournalMismatchError,
  readBinding,
} from "../../keeper/journal/binding.js";
import { JournalLockedError, lockJournal, lockOwner, lockPathOf } from "../../keeper/journal/lock.js";
import { resetJournal, JournalCommandError } from "../../keeper/cli/journalCommand.js";

const CHAIN = { chainId: 31337, genesisHash: "0xAA".padEnd(66, "0"), adapter: "0x" + "Ab".repeat(20) };

describe("journal binding, lock and reset", function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "hk-jb-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("binds a new journal on first use and accepts the same chain afterwards (case-insensitively)", function () {
    const journal = openJournal(":memory:");
    expect(bindJournal(journal, "j.db", CHAIN)).to.equal("bound");
    expect(readBinding(journal)?.adapter).to.equal(CHAIN.adapter.toLowerCase());
    expect(
      bindJournal(journal, "j.db", { ...CHAIN, adapter: CHAIN.adapter.toUpperCase().replace("0X", "0x") }),
    ).to.equal("matches");
  });

  it("binds on chain id and adapter alone when the node serves no block 0 (a fork of the rehearsal chain)", async function () {
    expect(
      await genesisHashOf({ getBlock: () => Promise.reject(new Error("Missing or invalid parameters.")) }),
    ).to.equal(GENESIS_UNAVAILABLE);
    expect(await genesisHashOf({ getBlock: () => Promise.resolve({ hash: CHAIN.genesisHash }) })).to.equal(
      CHAIN.genesisHash,
    );
    const journal = openJournal(":memory:");
    bindJournal(journal, "j.db", { ...CHAIN, genesisHash: GENESIS_UNAVAILABLE });
    expect(bindJournal(journal, "j.db", CHAIN)).to.equal("matches");
    expect(() => bindJournal(journal, "j.db", { ...CHAIN, chainId: 1, genesisHash: GENESIS_UNAVAILABLE })).to.throw(
      JournalMismatchError,
    );
  });

  it("throws JournalMismatchError for another genesis, chain id or adapter", function () {
    const journal = openJournal(":memory:");
    bindJournal(journal, "j.db", CHAIN);
    for (const other of [
      { ...CHAIN, genesisHash: "0xbb".padEnd(66, "0") },
      { ...CHAIN, chainId: 1 },
      { ...CHAIN, adapter: "0x" + "cd".repeat(20) },
    ]) {
      expect(() => bindJournal(journal, "j.db", other)).to.throw(JournalMismatchError, /keeper journal reset/);
    }
  });

  it("refuses a second lock while the owner lives, and takes over one left by a process that is gone", function () {
    const path = join(dir, "j.db");
    const release = lockJournal(path);
    expect(() => lockJournal(path)).to.throw(JournalLockedError, new RegExp(`pid ${process.pid}`));
    release();
    expect(existsSync(lockPathOf(path))).to.equal(false);

    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(lockPathOf(path), JSON.stringify({ pid: gone, host: hostname(), startedAt: "then" }));
    expect(lockOwner(path)).to.equal(null);
    lockJournal(path)();
  });

  it("reset refuses a journal with an open intent unless forced, and keeps a backup", function () {
    const path = join(dir, "j.db");
    const journal = openJournal(path);
    journal.createIntent({
      id: "a:1:0",
      adapter: "a",
      adapterNonce: 1n,
      createdAtMs: 0,
      blockNumber: 5n,
      side: "buyWeth",
      legEth: 1,
      amountIn: 1n,
      minAmountOut: 1n,
      deadline: 1n,
    });
    journal.close();
    expect(() => resetJournal(path, false)).to.throw(JournalCommandError, /1 open intent\(s\) \(a:1:0\)/);
    const backup = resetJournal(path, true, new Date("2026-01-02T03:04:05.678Z"));
    expect(backup).to.equal(`${path}.2026-01-02T03-04-05-678Z.bak`);
    expect(existsSync(path)).to.equal(false);
    expect(existsSync(backup)).to.equal(true);
  });
});
