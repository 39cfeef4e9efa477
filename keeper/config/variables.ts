/**
 * Every HK_* variable, declared once: its parser (type, bound, default) and the line of documentation an operator
 * reads. The zod schema, the README table and .env.example are all derived from this table (`npm run
 * gen:config-docs`; a test fails when they are stale), so a variable cannot be added without being documented.
 */
import { defaultPolicyConfig, MAX_LEGS_PER_HEDGE_BOUND, type PolicyKind } from "../policy/index.js";
import {
  address,
  bigUint,
  bool,
  envVar,
  int,
  num,
  oneOf,
  optional,
  privateKey,
  required,
  rpcUrls,
  text,
  withDefault,
} from "./parsers.js";

/** What the keeper does with a signed hedge when no private relay accepts it. */
export const SEND_FALLBACKS = ["public", "never"] as const;
export type SendFallback = (typeof SEND_FALLBACKS)[number];

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Default smallest hedge leg, ETH. Stands in for the adapter's on-chain minimum trade until the keeper reads it; a
 * leg below it costs a swap's gas for a dust fill.
 */
export const DEFAULT_MIN_TRADE_ETH = 0.001;

/** Where the journal lives unless HK_JOURNAL_PATH says otherwise (relative to the working directory). */
export const DEFAULT_JOURNAL_PATH = "./keeper-journal.db";

export const POLICY_KINDS = ["band", "cost-aware", "whalley-wilmott", "time"] as const satisfies readonly PolicyKind[];

interface Doc {
  /** one line for the README table and .env.example */
  doc: string;
  /** value written into .env.example (commented out unless the keeper needs it to start) */
  example?: string;
  /** never printed, not even in an error */
  secret?: boolean;
  /** any text is valid (paths, host, password): no value of the right type is malformed */
  freeText?: boolean;
}

type Parse<T> = (raw: string | undefined) => T;

/** A variable the keeper cannot start without. */
function must<T>(parse: (s: string) => T, doc: Doc) {
  return { schema: envVar(required(parse)), required: true as const, default: null, ...doc };
}
/** A variable with a default, shown in the docs as `shown` (the default's own text unless given). */
function dflt<T extends string | number | boolean | bigint>(value: T, parse: (s: string) => T, doc: Doc) {
  return { schema: envVar(withDefault(value, parse)), required: false as const, default: String(value), ...doc };
}
/** An optional variable; `unsetMeans` says what its absence does. */
function opt<T>(parse: (s: string) => T, unsetMeans: string, doc: Doc, trim = true) {
  const schema = envVar(optional(parse) as Parse<T | undefined>, { trim });
  return { schema, required: false as const, default: null, unsetMeans, ...doc };
}

const policyDefault = (field: keyof ReturnType<typeof defaultPolicyConfig>) =>
  `the policy's default (cost-aware: ${String(defaultPolicyConfig("cost-aware")[field])})`;

export const VARIABLES = {
  HK_RPC_URLS: must(rpcUrls, {
    doc: "comma-separated http(s)/ws(s) RPC URLs; several = failover, a dead one is detected within ~1 s and tried last",
    example: "http://127.0.0.1:8545",
  }),
  HK_SEND_RPC_URLS: opt(rpcUrls, "hedges are sent through HK_RPC_URLS (the public mempool)", {
    doc: "private relay URLs (Flashbots Protect, MEV Blocker) that raw hedge transactions and replacements go to; reads stay on HK_RPC_URLS",
  }),
  HK_SEND_FALLBACK: dflt<SendFallback>("public", oneOf(SEND_FALLBACKS), {
    doc: "when no relay accepts a hedge: public = send it through HK_RPC_URLS (the on-chain bound caps a sandwich), never = fail the cycle and retry through the relay",
  }),
  HK_CHAIN_ID: must(int({ gte: 1 }), {
    doc: "the chain the keeper must find at the RPC (start-up fails otherwise)",
    example: "31337",
  }),
  HK_ADAPTER_ADDRESS: must(address, {
    doc: "the HedgeAdapter; the vault, pool, router and feeds are read from it",
    example: "",
  }),
  HK_VAULT_ADDRESS: opt(address, "read from the adapter", { doc: "the OptionsVault (informational)" }),
  HK_QUOTER_ADDRESS: opt(address, "no depth probe", {
    doc: "Uniswap QuoterV2 for the cost model's depth probe",
    example: "",
  }),
  HK_GOVERNOR_ADDRESS: opt(address, "status shows no queued proposals", {
    doc: "the DAO's Governor, for `keeper status` to list queued parameter changes",
    example: "",
  }),
  HK_PRIVATE_KEY: opt(privateKey, "no raw key", {
    doc: "the signer's key (0x + 64 hex); it must hold KEEPER_ROLE. Or use the keystore pair below",
    example: "",
    secret: true,
  }),
  HK_KEYSTORE_PATH: opt(text, "no keystore", {
    doc: "an encrypted JSON keystore, with HK_KEYSTORE_PASSWORD",
    freeText: true,
  }),
  HK_KEYSTORE_PASSWORD: opt(
    text,
    "no keystore",
    { doc: "the keystore's password (not trimmed)", secret: true, freeText: true },
    false,
  ),
  HK_DRY_RUN: dflt(false, bool, { doc: "decide and simulate, never send (no signer needed)" }),
  HK_POLICY: dflt<PolicyKind>("cost-aware", oneOf(POLICY_KINDS), { doc: `hedging policy: ${POLICY_KINDS.join(", ")}` }),
  HK_HYSTERESIS_INNER_RATIO: opt(num({ gt: 0, lte: 1 }), policyDefault("hysteresisInnerRatio"), {
    doc: "a hedge brings |delta| back to this fraction of the band, in (0, 1]",
  }),
  HK_MIN_NOTIONAL_USD: opt(num({ gte: 0 }), policyDefault("minNotionalUsd"), {
    doc: "no hedge smaller than this notional, USD",
  }),
  HK_RISK_AVERSION_PER_USD: opt(num({ gt: 0 }), policyDefault("riskAversionPerUsd"), {
    doc: "Whalley–Wilmott risk aversion, per USD",
  }),
  HK_HORIZON_SEC: opt(num({ gt: 0 }), policyDefault("horizonSec"), {
    doc: "cost-aware: horizon over which carried delta risk is priced, seconds",
  }),
  HK_MAX_DEFERRAL_BAND_MULTIPLE: opt(num({ gte: 1 }), policyDefault("maxDeferralBandMultiple"), {
    doc: "cost-aware: while gas exceeds the risk removed, |delta| may sit above the band up to this multiple (1 = hard)",
  }),
  HK_TIME_INTERVAL_SEC: opt(num({ gt: 0 }), policyDefault("timeIntervalSec"), {
    doc: "time policy: seconds between hedges",
  }),
  HK_MAX_LEGS_PER_HEDGE: opt(int({ gte: 1, lte: MAX_LEGS_PER_HEDGE_BOUND }), policyDefault("maxLegsPerHedge"), {
    doc: `a hedge larger than the adapter's max trade is split into at most this many legs (<= ${MAX_LEGS_PER_HEDGE_BOUND})`,
  }),
  HK_MIN_TRADE_ETH: dflt(DEFAULT_MIN_TRADE_ETH, num({ gte: 0 }), { doc: "no hedge leg is planned below this, ETH" }),
  HK_BAND_OVERRIDE_ETH: opt(num({ gt: 0 }), "governance's band", {
    doc: "a keeper-side band tighter than governance's, ETH",
  }),
  HK_MAX_FEE_GWEI: dflt(200, num({ gt: 0 }), { doc: "ceiling for maxFeePerGas, replacements included, gwei" }),
  HK_PRIORITY_FEE_GWEI: dflt(1.5, num({ gte: 0 }), { doc: "priority fee (tip), <= HK_MAX_FEE_GWEI, gwei" }),
  HK_GAS_LIMIT: dflt(1_500_000n, bigUint({ gte: 21_000n, lte: 30_000_000n }), {
    doc: "gas limit of one hedge transaction",
  }),
  HK_REPLACE_AFTER_BLOCKS: dflt(3, int({ gte: 1 }), {
    doc: "replace a pending hedge not mined after this many blocks (same nonce)",
  }),
  HK_FEE_BUMP_PERCENT: dflt(15, num({ gte: 12.5, lte: 1000 }), {
    doc: "fee bump of a replacement, percent (>= 12.5: nodes reject less as underpriced)",
  }),
  HK_CONFIRMATIONS: dflt(1, int({ gte: 1 }), { doc: "confirmations awaited for a hedge" }),
  HK_RECEIPT_TIMEOUT_MS: dflt(60_000, int({ gte: 1 }), {
    doc: "how long a cycle waits for a receipt before leaving the intent open, ms",
  }),
  HK_DEADLINE_SEC: dflt(120, int({ gte: 1 }), {
    doc: "a hedge's deadline: this many seconds after the later of the head's timestamp and the keeper's clock, s",
  }),
  HK_GAS_UNITS_PER_HEDGE: dflt(250_000, int({ gte: 21_000 }), {
    doc: "gas one hedge is assumed to use in the cost model until the keeper has mined one, gas units",
  }),
  HK_SLIPPAGE_BPS: opt(num({ gt: 0, lt: 10_000 }), "governance's maxSlippageBps", {
    doc: "the keeper's own min-out bound, stricter than governance's, bps",
  }),
  HK_JOURNAL_PATH: dflt(DEFAULT_JOURNAL_PATH, text, {
    doc: "the SQLite journal; bound to one chain and adapter, one keeper at a time (`keeper journal`)",
    freeText: true,
  }),
  HK_METRICS_HOST: dflt("127.0.0.1", text, { doc: "address of the /metrics and /health server", freeText: true }),
  HK_METRICS_PORT: dflt(9464, int({ gte: 0, lte: 65_535 }), {
    doc: "port of the /metrics and /health server (0 = any free port; in use = start-up error)",
  }),
  HK_POLL_INTERVAL_MS: dflt(1000, int({ gte: 1 }), { doc: "how often `run` polls for a new head, ms" }),
  HK_PAGE_SIZE: dflt(500, int({ gte: 1, lte: 10_000 }), { doc: "series per getActiveSeries call" }),
  HK_DELTA_TOLERANCE_ETH: dflt(0.001, num({ gte: 0 }), {
    doc: "allowed off-chain vs on-chain net delta disagreement before the book-mismatch gate, ETH",
  }),
  HK_STALE_HEAD_SEC: dflt(60, num({ gt: 0 }), {
    doc: "/health turns 503 when the head has not advanced for this long, seconds",
  }),
  HK_MAX_FAILED_CYCLES: dflt(3, int({ gte: 1 }), {
    doc: "/health turns 503 after this many consecutive failed cycles",
  }),
  HK_LOG_LEVEL: dflt<LogLevel>("info", oneOf(LOG_LEVELS), { doc: `log level (stderr): ${LOG_LEVELS.join(", ")}` }),
};

export type VariableName = keyof typeof VARIABLES;

/**
 * HK_* variables read by the other tools, not by the keeper: known, so the keeper does not warn about them as typos,
 * and listed in the same README table.
 */
export const TOOL_VARIABLES = {
  HK_GOV_PRIVATE_KEY: "`gov`: transaction signer (else --private-key; on chain 31337 Hardhat's first dev account)",
  HK_DEPLOY_SERIES: "`deploy`: series in the local book (default 30)",
  HK_DEPLOY_SEED: "`deploy`: seed of the local book (default 1)",
  HK_DEPLOY_GOVERNANCE: "`deploy`: governance profile, `development` (default), `production`, or `false` for no DAO",
  HK_FAULT_INJECTION: "tests only: `1` lets HK_CRASH_AT act",
  HK_CRASH_AT:
    "tests only: SIGKILL the keeper at an executor point (after-intent, after-journal, after-send, after-receipt)",
  HK_FAULT_SUITE: "tests only: set by `npm run test:faults` to run the fault suite",
  HK_FAULT_REPORT: "tests only: where `npm run test:faults` writes its table rows",
  HK_FAULT_LOG_LEVEL: "tests only: keeper log level inside the fault suite (default fatal)",
  HK_ATTACK_SUITE: "tests only: set by `npm run test:attacks` to run the attack suite",
  HK_ATTACK_REPORT: "tests only: where `npm run test:attacks` writes its table rows",
  HK_CHROMIUM_PATH: "tests only: a Chromium for the report test instead of the bundled one",
};
