import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The keeper's journal (SQLite, WAL): every hedge intent, every signed transaction, every outcome, written before
 * and after each send, so a keeper killed at any point restarts, reconciles with the chain and never sends a second
 * hedge for the same intent. An intent is keyed by the adapter's hedge nonce it was decided on: the adapter accepts
 * at most one hedge per nonce, and so does the journal.
 */

export type IntentStatus = "pending" | "sent" | "succeeded" | "reverted" | "rejected" | "dropped";
export type TxStatus = "signed" | "sent" | "mined" | "replaced";

export interface IntentRecord {
  id: string;
  adapter: string;
  adapterNonce: bigint;
  createdAtMs: number;
  blockNumber: bigint;
  side: "buyWeth" | "sellWeth";
  legEth: number;
  amountIn: bigint;
  minAmountOut: bigint;
  deadline: bigint;
  status: IntentStatus;
  error: string | null;
  txHash: string | null;
  amountOut: bigint | null;
  gasUsed: bigint | null;
  effectiveGasPrice: bigint | null;
  minedBlock: bigint | null;
}

export interface TxRecord {
  hash: string;
  intentId: string;
  nonce: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  raw: string;
  status: TxStatus;
  createdAtMs: number;
}

export interface Journal {
  /** Id of the `attempt`-th intent on `adapterNonce` (attempts after a rejected/reverted one get the next number). */
  intentId(adapter: string, adapterNonce: bigint, attempt: number): string;
  getIntent(id: string): IntentRecord | null;
  createIntent(
    intent: Omit<
      IntentRecord,
      "status" | "error" | "txHash" | "amountOut" | "gasUsed" | "effectiveGasPrice" | "minedBlock"
    >,
  ): void;
  markIntent(
    id: string,
    status: IntentStatus,
    fields?: Partial<
      Pick<IntentRecord, "error" | "txHash" | "amountOut" | "gasUsed" | "effectiveGasPrice" | "minedBlock">
    >,
  ): void;
  /** Journals a signed transaction before it is broadcast. */
  recordTx(tx: Omit<TxRecord, "status">): void;
  markTx(hash: string, status: TxStatus): void;
  txsOf(intentId: string): TxRecord[];
  /** Every intent decided on one adapter nonce, oldest first. */
  intentsForNonce(adapter: string, adapterNonce: bigint): IntentRecord[];
  /** Intents whose outcome is not known yet (pending or sent). */
  openIntents(): IntentRecord[];
  recentIntents(limit: number): IntentRecord[];
  countByStatus(): Record<IntentStatus, number>;
  getState(key: string): string | null;
  setState(key: string, value: string): void;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS intents (
  id TEXT PRIMARY KEY, adapter TEXT NOT NULL, adapter_nonce TEXT NOT NULL, created_at INTEGER NOT NULL,
  block_number TEXT NOT NULL, side TEXT NOT NULL, leg_eth REAL NOT NULL, amount_in TEXT NOT NULL,
  min_amount_out TEXT NOT NULL, deadline TEXT NOT NULL, status TEXT NOT NULL, error TEXT, tx_hash TEXT,
  amount_out TEXT, gas_used TEXT, effective_gas_price TEXT, mined_block TEXT, updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS txs (
  hash TEXT PRIMARY KEY, intent_id TEXT NOT NULL REFERENCES intents(id), nonce INTEGER NOT NULL,
  max_fee TEXT NOT NULL, priority_fee TEXT NOT NULL, raw TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_by_intent ON txs(intent_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface IntentRow {
  id: string;
  adapter: string;
  adapter_nonce: string;
  created_at: number;
  block_number: string;
  side: "buyWeth" | "sellWeth";
  leg_eth: number;
  amount_in: string;
  min_amount_out: string;
  deadline: string;
  status: IntentStatus;
  error: string | null;
  tx_hash: string | null;
  amount_out: string | null;
  gas_used: string | null;
  effective_gas_price: string | null;
  mined_block: string | null;
}

interface TxRow {
  hash: string;
  intent_id: string;
  nonce: number;
  max_fee: string;
  priority_fee: string;
  raw: string;
  status: TxStatus;
  created_at: number;
}

const big = (value: string | null): bigint | null => (value === null ? null : BigInt(value));

function toIntent(row: IntentRow): IntentRecord {
  return {
    id: row.id,
    adapter: row.adapter,
    adapterNonce: BigInt(row.adapter_nonce),
    createdAtMs: row.created_at,
    blockNumber: BigInt(row.block_number),
    side: row.side,
    legEth: row.leg_eth,
    amountIn: BigInt(row.amount_in),
    minAmountOut: BigInt(row.min_amount_out),
    deadline: BigInt(row.deadline),
    status: row.status,
    error: row.error,
    txHash: row.tx_hash,
    amountOut: big(row.amount_out),
    gasUsed: big(row.gas_used),
    effectiveGasPrice: big(row.effective_gas_price),
    minedBlock: big(row.mined_block),
  };
}

function toTx(row: TxRow): TxRecord {
  return {
    hash: row.hash,
    intentId: row.intent_id,
    nonce: row.nonce,
    maxFeePerGas: BigInt(row.max_fee),
    maxPriorityFeePerGas: BigInt(row.priority_fee),
    raw: row.raw,
    status: row.status,
    createdAtMs: row.created_at,
  };
}

const str = (value: bigint | null | undefined): string | null =>
  value === null || value === undefined ? null : value.toString();

/** Opens (creating if needed) the journal at `path`; ":memory:" for tests. */
export function openJournal(path: string, now: () => number = Date.now): Journal {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL"); // an fsync per commit: a row written before a send survives a kill -9
  db.exec(SCHEMA);

  const insertIntent = db.prepare(`INSERT INTO intents (id, adapter, adapter_nonce, created_at, block_number, side,
    leg_eth, amount_in, min_amount_out, deadline, status, updated_at)
    VALUES (@id, @adapter, @adapterNonce, @createdAtMs, @blockNumber, @side, @legEth, @amountIn, @minAmountOut,
    @deadline, 'pending', @updatedAt)`);
  const updateIntent = db.prepare(`UPDATE intents SET status = @status,
    error = COALESCE(@error, error), tx_hash = COALESCE(@txHash, tx_hash), amount_out = COALESCE(@amountOut, amount_out),
    gas_used = COALESCE(@gasUsed, gas_used), effective_gas_price = COALESCE(@effectiveGasPrice, effective_gas_price),
    mined_block = COALESCE(@minedBlock, mined_block), updated_at = @updatedAt WHERE id = @id`);
  const insertTx = db.prepare(`INSERT INTO txs (hash, intent_id, nonce, max_fee, priority_fee, raw, status, created_at)
    VALUES (@hash, @intentId, @nonce, @maxFee, @priorityFee, @raw, 'signed', @createdAtMs)`);

  return {
    intentId: (adapter, adapterNonce, attempt) => `${adapter.toLowerCase()}:${adapterNonce}:${attempt}`,
    getIntent(id) {
      const row = db.prepare("SELECT * FROM intents WHERE id = ?").get(id) as IntentRow | undefined;
      return row ? toIntent(row) : null;
    },
    createIntent(intent) {
      insertIntent.run({
        id: intent.id,
        adapter: intent.adapter.toLowerCase(),
        adapterNonce: intent.adapterNonce.toString(),
        createdAtMs: intent.createdAtMs,
        blockNumber: intent.blockNumber.toString(),
        side: intent.side,
        legEth: intent.legEth,
        amountIn: intent.amountIn.toString(),
        minAmountOut: intent.minAmountOut.toString(),
        deadline: intent.deadline.toString(),
        updatedAt: now(),
      });
    },
    markIntent(id, status, fields = {}) {
      const changed = updateIntent.run({
        id,
        status,
        error: fields.error ?? null,
        txHash: fields.txHash ?? null,
        amountOut: str(fields.amountOut),
        gasUsed: str(fields.gasUsed),
        effectiveGasPrice: str(fields.effectiveGasPrice),
        minedBlock: str(fields.minedBlock),
        updatedAt: now(),
      });
      if (changed.changes !== 1) throw new Error(`journal: no intent ${id} to mark ${status}`);
    },
    recordTx(tx) {
      insertTx.run({
        hash: tx.hash,
        intentId: tx.intentId,
        nonce: tx.nonce,
        maxFee: tx.maxFeePerGas.toString(),
        priorityFee: tx.maxPriorityFeePerGas.toString(),
        raw: tx.raw,
        createdAtMs: tx.createdAtMs,
      });
    },
    markTx(hash, status) {
      db.prepare("UPDATE txs SET status = ? WHERE hash = ?").run(status, hash);
    },
    txsOf(intentId) {
      return (
        db.prepare("SELECT * FROM txs WHERE intent_id = ? ORDER BY created_at, rowid").all(intentId) as TxRow[]
      ).map(toTx);
    },
    intentsForNonce(adapter, adapterNonce) {
      return (
        db
          .prepare("SELECT * FROM intents WHERE adapter = ? AND adapter_nonce = ? ORDER BY created_at, rowid")
          .all(adapter.toLowerCase(), adapterNonce.toString()) as IntentRow[]
      ).map(toIntent);
    },
    openIntents() {
      return (
        db.prepare("SELECT * FROM intents WHERE status IN ('pending','sent') ORDER BY created_at").all() as IntentRow[]
      ).map(toIntent);
    },
    recentIntents(limit) {
      return (
        db.prepare("SELECT * FROM intents ORDER BY created_at DESC, rowid DESC LIMIT ?").all(limit) as IntentRow[]
      ).map(toIntent);
    },
    countByStatus() {
      const counts: Record<IntentStatus, number> = {
        pending: 0,
        sent: 0,
        succeeded: 0,
        reverted: 0,
        rejected: 0,
        dropped: 0,
      };
      for (const row of db.prepare("SELECT status, COUNT(*) AS n FROM intents GROUP BY status").all() as {
        status: IntentStatus;
        n: number;
      }[]) {
        counts[row.status] = row.n;
      }
      return counts;
    },
    getState(key) {
      const row = db.prepare("SELECT value FROM state WHERE key = ?").get(key) as { value: string } | undefined;
      return row ? row.value : null;
    },
    setState(key, value) {
      db.prepare(
        "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(key, value);
    },
    close() {
      db.close();
    },
  };
}
