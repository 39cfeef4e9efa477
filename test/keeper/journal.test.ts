import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJournal, type Journal } from "../../keeper/journal/index.js";

const ADAPTER = "0x0B306BF915C4d645ff596e518fAf3F9669b97016";

function intent(journal: Journal, nonce: bigint, attempt = 0) {
  const id = journal.intentId(ADAPTER, nonce, attempt);
  journal.createIntent({
    id,
    adapter: ADAPTER,
    adapterNonce: nonce,
    createdAtMs: 1,
    blockNumber: 10n,
    side: "buyWeth",
    legEth: 1.5,
    amountIn: 4_500_000_000n,
    minAmountOut: 10n ** 18n,
    deadline: 99n,
  });
  return id;
}

describe("keeper journal (SQLite)", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "hk-journal-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps intents, signed transactions and outcomes across a reopen (a restarted keeper sees them)", function () {
    const path = join(dir, "j.db");
    const first = openJournal(path);
    const id = intent(first, 3n);
    first.recordTx({
      hash: "0xaa",
      intentId: id,
      nonce: 5,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
      raw: "0x01",
      createdAtMs: 2,
    });
    first.markIntent(id, "sent", { txHash: "0xaa" });
    first.setState("policyState", '{"armed":false}');
    first.close();

    const second = openJournal(path);
    expect(second.openIntents().map((i) => i.id)).to.deep.equal([id]);
    expect(second.txsOf(id)[0]).to.include({ hash: "0xaa", nonce: 5, raw: "0x01" });
    expect(second.getState("policyState")).to.equal('{"armed":false}');
    second.markIntent(id, "succeeded", { amountOut: 42n, gasUsed: 200_000n, minedBlock: 11n });
    expect(second.openIntents()).to.have.length(0);
    expect(second.getIntent(id)).to.include({ status: "succeeded", amountOut: 42n, txHash: "0xaa" });
    expect(second.countByStatus().succeeded).to.equal(1);
    second.close();
  });

  it("keys intents by adapter nonce and attempt, and refuses a duplicate id", function () {
    const journal = openJournal(":memory:");
    const id = intent(journal, 9n);
    expect(id).to.equal(`${ADAPTER.toLowerCase()}:9:0`);
    expect(() => intent(journal, 9n)).to.throw(/UNIQUE/);
    journal.markIntent(id, "rejected", { error: "CooldownActive(5)" });
    intent(journal, 9n, 1);
    expect(journal.intentsForNonce(ADAPTER, 9n).map((i) => i.status)).to.deep.equal(["rejected", "pending"]);
    journal.close();
  });

  it("throws when marking an intent that does not exist (an outcome is never silently lost)", function () {
    const journal = openJournal(":memory:");
    expect(() => journal.markIntent("nope", "succeeded")).to.throw(/no intent nope/);
    journal.close();
  });
});
