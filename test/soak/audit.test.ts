import { expect } from "chai";
import type { IntentRecord, TxRecord } from "../../keeper/journal/index.js";
import { auditHedges, auditProblems, type HedgedOnChain } from "../../scripts/lib/soak/audit.js";

const KEEPER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

function intent(id: string, status: IntentRecord["status"], txHash: string | null): IntentRecord {
  return {
    id,
    adapter: "0xadapter",
    adapterNonce: 0n,
    createdAtMs: 0,
    blockNumber: 1n,
    side: "buyWeth",
    legEth: 1,
    amountIn: 1n,
    minAmountOut: 1n,
    deadline: 1n,
    status,
    error: null,
    txHash,
    amountOut: null,
    gasUsed: null,
    effectiveGasPrice: null,
    minedBlock: null,
  };
}

const tx = (hash: string, intentId: string): TxRecord => ({
  hash,
  intentId,
  nonce: 0,
  maxFeePerGas: 1n,
  maxPriorityFeePerGas: 1n,
  raw: "0x",
  status: "mined",
  createdAtMs: 0,
});

function audit(hedges: HedgedOnChain[], intents: IntentRecord[], txs: TxRecord[]) {
  return auditHedges(hedges, { intents, txsOf: (id) => txs.filter((t) => t.intentId === id) }, KEEPER);
}

describe("soak auditHedges", function () {
  it("finds nothing wrong when every Hedged event is one succeeded intent's transaction", function () {
    const result = audit(
      [{ nonce: 0n, keeper: KEEPER, txHash: "0xa" }],
      [intent("i0", "succeeded", "0xa"), intent("i1", "rejected", null)],
      [tx("0xa", "i0")],
    );
    expect(auditProblems(result)).to.deep.equal([]);
    expect(result.hedgesOnChain).to.equal(1);
  });

  it("reports a hedge the journal does not know, a phantom success, a nonce hedged twice and an open intent", function () {
    const result = audit(
      [
        { nonce: 0n, keeper: KEEPER, txHash: "0xa" },
        { nonce: 0n, keeper: KEEPER, txHash: "0xb" },
      ],
      [intent("i0", "succeeded", "0xa"), intent("i1", "succeeded", "0xc"), intent("i2", "sent", null)],
      [tx("0xa", "i0")],
    );
    expect(result.unjournaled).to.deep.equal(["0xb"]);
    expect(result.phantom).to.have.length(1);
    expect(result.duplicateNonces).to.deep.equal(["0"]);
    expect(result.open).to.deep.equal(["i2 sent"]);
    expect(auditProblems(result)).to.have.length(4);
  });

  it("reports an intent two of whose transactions hedged", function () {
    const result = audit(
      [
        { nonce: 0n, keeper: KEEPER, txHash: "0xa" },
        { nonce: 1n, keeper: KEEPER, txHash: "0xb" },
      ],
      [intent("i0", "succeeded", "0xa")],
      [tx("0xa", "i0"), tx("0xb", "i0")],
    );
    expect(result.hedgedTwice).to.deep.equal(["i0"]);
  });
});
