/**
 * The shape of the validated configuration, apart from the schema that builds it: `redact.ts` and `account.ts` read
 * a KeeperConfig without depending on the loader (which itself uses `redactUrl`), so the stage has no import circle.
 */
import type { PolicyConfig } from "../policy/index.js";
import type { LogLevel, SendFallback } from "./variables.js";

export type SignerConfig =
  | { kind: "privateKey"; privateKey: `0x${string}` }
  | { kind: "keystore"; path: string; password: string }
  | { kind: "none" };

export interface KeeperConfig {
  /** HK_RPC_URLS: comma-separated http(s)/ws(s) URLs, tried in order */
  rpcUrls: string[];
  /** HK_SEND_RPC_URLS: private relay(s) the signed hedges go to instead of HK_RPC_URLS (empty: public mempool) */
  sendRpcUrls: string[];
  /** HK_SEND_FALLBACK: when every relay fails, `public` sends through HK_RPC_URLS, `never` waits for the relay */
  sendFallback: SendFallback;
  /** HK_CHAIN_ID */
  chainId: number;
  /** HK_ADAPTER_ADDRESS, checksummed */
  adapterAddress: `0x${string}`;
  /** HK_VAULT_ADDRESS, checksummed; optional (the adapter knows its vault) */
  vaultAddress?: `0x${string}`;
  /** HK_QUOTER_ADDRESS: Uniswap QuoterV2, checksummed; optional */
  quoterAddress?: `0x${string}`;
  /** HK_GOVERNOR_ADDRESS: the DAO's Governor, for `keeper status` to show queued parameter changes; optional */
  governorAddress?: `0x${string}`;
  /** HK_PRIVATE_KEY, or HK_KEYSTORE_PATH + HK_KEYSTORE_PASSWORD; "none" only in dry-run */
  signer: SignerConfig;
  /** HK_DRY_RUN: decide and simulate, never send */
  dryRun: boolean;
  /** HK_POLICY (default cost-aware) and its overrides (HK_MAX_LEGS_PER_HEDGE, …); unset fields take `defaultPolicyConfig(kind)` */
  policy: PolicyConfig;
  /** HK_MIN_TRADE_ETH (default 0.001): no hedge leg is planned below this, ETH */
  minTradeEth: number;
  /** HK_BAND_OVERRIDE_ETH: a keeper-side band tighter than governance's, ETH (> 0) */
  bandOverrideEth?: number;
  gas: {
    /** HK_MAX_FEE_GWEI: ceiling for maxFeePerGas, replacements included */
    maxFeePerGasGwei: number;
    /** HK_PRIORITY_FEE_GWEI, <= the ceiling */
    maxPriorityFeePerGasGwei: number;
    /** HK_GAS_LIMIT of one hedge transaction */
    gasLimitHedge: bigint;
    /** HK_REPLACE_AFTER_BLOCKS: replace a pending hedge not mined after this many blocks */
    replaceAfterBlocks: number;
    /** HK_FEE_BUMP_PERCENT: fee bump of a replacement, >= 12.5 (nodes reject less as underpriced) */
    feeBumpPercent: number;
  };
  /** HK_CONFIRMATIONS */
  confirmations: number;
  /** HK_RECEIPT_TIMEOUT_MS */
  receiptTimeoutMs: number;
  /** HK_DEADLINE_SEC: seconds from the later of head timestamp and clock to a hedge's deadline */
  deadlineSec: number;
  /** HK_GAS_UNITS_PER_HEDGE: the cost model's gas per hedge until one is mined */
  gasUnitsPerHedge: number;
  /** HK_SLIPPAGE_BPS: the keeper's own min-out bound, stricter than governance's */
  slippageBpsOverride?: number;
  /** HK_JOURNAL_PATH */
  journalPath: string;
  /** HK_METRICS_HOST, HK_METRICS_PORT (0 = any free port) */
  metrics: { host: string; port: number };
  /** HK_POLL_INTERVAL_MS */
  pollIntervalMs: number;
  /** HK_PAGE_SIZE: series per getActiveSeries call */
  pageSize: number;
  /** HK_DELTA_TOLERANCE_ETH: allowed off-chain vs on-chain net delta disagreement */
  deltaToleranceEth: number;
  /** HK_STALE_HEAD_SEC: health turns 503 when the last head is older */
  staleHeadSec: number;
  /** HK_MAX_FAILED_CYCLES: health turns 503 after this many consecutive failed cycles */
  maxFailedCycles: number;
  /** HK_LOG_LEVEL */
  logLevel: LogLevel;
}
