/**
 * The keeper's configuration: one zod schema over the environment (merged with a .env file), one typed
 * `KeeperConfig` out. A bad or missing value stops start-up with one line naming each variable at fault.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

import { defaultPolicyConfig, MAX_LEGS_PER_HEDGE_BOUND, type PolicyConfig, type PolicyKind } from "../policy/index.js";
import { ConfigError, type ConfigProblem } from "./errors.js";
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
import { redactUrl } from "./redact.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Default smallest hedge leg, ETH. Stands in for the adapter's on-chain minimum trade until the keeper reads it; a
 * leg below it costs a swap's gas for a dust fill.
 */
export const DEFAULT_MIN_TRADE_ETH = 0.001;

/** Where the journal lives unless HK_JOURNAL_PATH says otherwise (relative to the working directory). */
export const DEFAULT_JOURNAL_PATH = "./keeper-journal.db";

const POLICY_KINDS = ["band", "cost-aware", "whalley-wilmott", "time"] as const satisfies readonly PolicyKind[];

export type SignerConfig =
  | { kind: "privateKey"; privateKey: `0x${string}` }
  | { kind: "keystore"; path: string; password: string }
  | { kind: "none" };

export interface KeeperConfig {
  /** HK_RPC_URLS: comma-separated http(s)/ws(s) URLs, tried in order */
  rpcUrls: string[];
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

export type Env = Record<string, string | undefined>;

/** Variables whose value must never be printed, not even in an error. */
const SECRET_VARS = new Set(["HK_PRIVATE_KEY", "HK_KEYSTORE_PASSWORD"]);

const EnvSchema = z.object({
  HK_RPC_URLS: envVar(required(rpcUrls)),
  HK_CHAIN_ID: envVar(required(int({ gte: 1 }))),
  HK_ADAPTER_ADDRESS: envVar(required(address)),
  HK_VAULT_ADDRESS: envVar(optional(address)),
  HK_QUOTER_ADDRESS: envVar(optional(address)),
  HK_GOVERNOR_ADDRESS: envVar(optional(address)),
  HK_PRIVATE_KEY: envVar(optional(privateKey)),
  HK_KEYSTORE_PATH: envVar(optional(text)),
  HK_KEYSTORE_PASSWORD: envVar(optional(text), { trim: false }),
  HK_DRY_RUN: envVar(withDefault(false, bool)),
  HK_POLICY: envVar(withDefault<PolicyKind>("cost-aware", oneOf(POLICY_KINDS))),
  HK_HYSTERESIS_INNER_RATIO: envVar(optional(num({ gt: 0, lte: 1 }))),
  HK_MIN_NOTIONAL_USD: envVar(optional(num({ gte: 0 }))),
  HK_RISK_AVERSION_PER_USD: envVar(optional(num({ gt: 0 }))),
  HK_HORIZON_SEC: envVar(optional(num({ gt: 0 }))),
  HK_MAX_DEFERRAL_BAND_MULTIPLE: envVar(optional(num({ gte: 1 }))),
  HK_TIME_INTERVAL_SEC: envVar(optional(num({ gt: 0 }))),
  HK_MAX_LEGS_PER_HEDGE: envVar(optional(int({ gte: 1, lte: MAX_LEGS_PER_HEDGE_BOUND }))),
  HK_MIN_TRADE_ETH: envVar(withDefault(DEFAULT_MIN_TRADE_ETH, num({ gte: 0 }))),
  HK_BAND_OVERRIDE_ETH: envVar(optional(num({ gt: 0 }))),
  HK_MAX_FEE_GWEI: envVar(withDefault(200, num({ gt: 0 }))),
  HK_PRIORITY_FEE_GWEI: envVar(withDefault(1.5, num({ gte: 0 }))),
  HK_GAS_LIMIT: envVar(withDefault(1_500_000n, bigUint({ gte: 21_000n, lte: 30_000_000n }))),
  HK_REPLACE_AFTER_BLOCKS: envVar(withDefault(3, int({ gte: 1 }))),
  HK_FEE_BUMP_PERCENT: envVar(withDefault(15, num({ gte: 12.5, lte: 1000 }))),
  HK_CONFIRMATIONS: envVar(withDefault(1, int({ gte: 1 }))),
  HK_RECEIPT_TIMEOUT_MS: envVar(withDefault(60_000, int({ gte: 1 }))),
  HK_SLIPPAGE_BPS: envVar(optional(num({ gt: 0, lt: 10_000 }))),
  HK_JOURNAL_PATH: envVar(withDefault(DEFAULT_JOURNAL_PATH, text)),
  HK_METRICS_HOST: envVar(withDefault("127.0.0.1", text)),
  HK_METRICS_PORT: envVar(withDefault(9464, int({ gte: 0, lte: 65_535 }))),
  HK_POLL_INTERVAL_MS: envVar(withDefault(1000, int({ gte: 1 }))),
  HK_PAGE_SIZE: envVar(withDefault(500, int({ gte: 1, lte: 10_000 }))),
  HK_DELTA_TOLERANCE_ETH: envVar(withDefault(0.001, num({ gte: 0 }))),
  HK_STALE_HEAD_SEC: envVar(withDefault(60, num({ gt: 0 }))),
  HK_MAX_FAILED_CYCLES: envVar(withDefault(3, int({ gte: 1 }))),
  HK_LOG_LEVEL: envVar(withDefault<LogLevel>("info", oneOf(LOG_LEVELS))),
});

type ParsedEnv = z.output<typeof EnvSchema>;

/** Every variable the keeper reads, in schema (and error) order. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

/** Variables taking any text (paths, host, password): no value of the right type is malformed. */
export const FREE_TEXT_VARIABLES: readonly string[] = [
  "HK_KEYSTORE_PATH",
  "HK_KEYSTORE_PASSWORD",
  "HK_JOURNAL_PATH",
  "HK_METRICS_HOST",
];

/** What an error may print of a variable's value. */
function shownValue(env: Env, variable: string): string {
  const raw = env[variable];
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return "missing";
  if (SECRET_VARS.has(variable)) return "(redacted)";
  if (typeof raw !== "string") return typeof raw;
  const shown =
    variable === "HK_RPC_URLS"
      ? raw
          .split(",")
          .map((url) => redactUrl(url))
          .join(",")
      : raw;
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown);
}

function problem(env: Env, variable: string, what: string): ConfigProblem {
  return { variable, what, got: shownValue(env, variable) };
}

/** Which signer to use: exactly one of a raw key or a keystore, or none in dry-run. */
function resolveSigner(env: Env, parsed: ParsedEnv, problems: ConfigProblem[]): SignerConfig {
  const { HK_PRIVATE_KEY: key, HK_KEYSTORE_PATH: path, HK_KEYSTORE_PASSWORD: password, HK_DRY_RUN: dryRun } = parsed;
  if (key !== undefined && (path !== undefined || password !== undefined)) {
    problems.push(problem(env, "HK_PRIVATE_KEY", "set either HK_PRIVATE_KEY or HK_KEYSTORE_PATH, not both"));
  } else if (key !== undefined) {
    return { kind: "privateKey", privateKey: key };
  } else if (path !== undefined && password === undefined) {
    problems.push(problem(env, "HK_KEYSTORE_PASSWORD", "is required with HK_KEYSTORE_PATH"));
  } else if (path === undefined && password !== undefined) {
    problems.push(problem(env, "HK_KEYSTORE_PATH", "is required with HK_KEYSTORE_PASSWORD"));
  } else if (path !== undefined && password !== undefined) {
    return { kind: "keystore", path, password };
  } else if (!dryRun) {
    problems.push(
      problem(
        env,
        "HK_PRIVATE_KEY",
        "a signer is required unless HK_DRY_RUN=true: set HK_PRIVATE_KEY, or HK_KEYSTORE_PATH and HK_KEYSTORE_PASSWORD",
      ),
    );
  }
  return { kind: "none" };
}

function toConfig(env: Env, parsed: ParsedEnv): KeeperConfig {
  const problems: ConfigProblem[] = [];
  const signer = resolveSigner(env, parsed, problems);
  if (parsed.HK_PRIORITY_FEE_GWEI > parsed.HK_MAX_FEE_GWEI)
    problems.push(problem(env, "HK_PRIORITY_FEE_GWEI", `must be <= HK_MAX_FEE_GWEI (${parsed.HK_MAX_FEE_GWEI} gwei)`));
  if (problems.length > 0) throw ConfigError.of(problems);

  const defaults = defaultPolicyConfig(parsed.HK_POLICY);
  return {
    rpcUrls: parsed.HK_RPC_URLS,
    chainId: parsed.HK_CHAIN_ID,
    adapterAddress: parsed.HK_ADAPTER_ADDRESS,
    ...(parsed.HK_VAULT_ADDRESS !== undefined && { vaultAddress: parsed.HK_VAULT_ADDRESS }),
    ...(parsed.HK_QUOTER_ADDRESS !== undefined && { quoterAddress: parsed.HK_QUOTER_ADDRESS }),
    ...(parsed.HK_GOVERNOR_ADDRESS !== undefined && { governorAddress: parsed.HK_GOVERNOR_ADDRESS }),
    signer,
    dryRun: parsed.HK_DRY_RUN,
    policy: {
      kind: parsed.HK_POLICY,
      hysteresisInnerRatio: parsed.HK_HYSTERESIS_INNER_RATIO ?? defaults.hysteresisInnerRatio,
      minNotionalUsd: parsed.HK_MIN_NOTIONAL_USD ?? defaults.minNotionalUsd,
      riskAversionPerUsd: parsed.HK_RISK_AVERSION_PER_USD ?? defaults.riskAversionPerUsd,
      horizonSec: parsed.HK_HORIZON_SEC ?? defaults.horizonSec,
      maxDeferralBandMultiple: parsed.HK_MAX_DEFERRAL_BAND_MULTIPLE ?? defaults.maxDeferralBandMultiple,
      timeIntervalSec: parsed.HK_TIME_INTERVAL_SEC ?? defaults.timeIntervalSec,
      maxLegsPerHedge: parsed.HK_MAX_LEGS_PER_HEDGE ?? defaults.maxLegsPerHedge,
    },
    minTradeEth: parsed.HK_MIN_TRADE_ETH,
    ...(parsed.HK_BAND_OVERRIDE_ETH !== undefined && { bandOverrideEth: parsed.HK_BAND_OVERRIDE_ETH }),
    gas: {
      maxFeePerGasGwei: parsed.HK_MAX_FEE_GWEI,
      maxPriorityFeePerGasGwei: parsed.HK_PRIORITY_FEE_GWEI,
      gasLimitHedge: parsed.HK_GAS_LIMIT,
      replaceAfterBlocks: parsed.HK_REPLACE_AFTER_BLOCKS,
      feeBumpPercent: parsed.HK_FEE_BUMP_PERCENT,
    },
    confirmations: parsed.HK_CONFIRMATIONS,
    receiptTimeoutMs: parsed.HK_RECEIPT_TIMEOUT_MS,
    ...(parsed.HK_SLIPPAGE_BPS !== undefined && { slippageBpsOverride: parsed.HK_SLIPPAGE_BPS }),
    journalPath: parsed.HK_JOURNAL_PATH,
    metrics: { host: parsed.HK_METRICS_HOST, port: parsed.HK_METRICS_PORT },
    pollIntervalMs: parsed.HK_POLL_INTERVAL_MS,
    pageSize: parsed.HK_PAGE_SIZE,
    deltaToleranceEth: parsed.HK_DELTA_TOLERANCE_ETH,
    staleHeadSec: parsed.HK_STALE_HEAD_SEC,
    maxFailedCycles: parsed.HK_MAX_FAILED_CYCLES,
    logLevel: parsed.HK_LOG_LEVEL,
  };
}

/** Reads a .env file; a missing default `.env` is fine, a missing file the caller named is not. */
function readDotenv(path: string | null | undefined): Env {
  if (path === null) return {};
  const file = path ?? ".env";
  if (!existsSync(file)) {
    if (path === undefined) return {};
    throw new ConfigError(`.env: file not found (got ${JSON.stringify(file)})`);
  }
  return parseDotenv(readFileSync(file));
}

function mergeDotenv(env: Env, opts: LoadConfigOptions): Env {
  const merged: Env = { ...readDotenv(opts.dotenvPath) };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return merged;
}

/**
 * HK_JOURNAL_PATH alone (env over .env, else the default): `keeper journal` inspects or resets a journal without
 * needing the rest of a valid configuration.
 */
export function configuredJournalPath(env: Env = process.env, opts: LoadConfigOptions = {}): string {
  const value = mergeDotenv(env, opts).HK_JOURNAL_PATH?.trim();
  return value ? value : DEFAULT_JOURNAL_PATH;
}

export interface LoadConfigOptions {
  /** .env file merged under `env` (variables already in `env` win). Default `./.env` if present; null = none. */
  dotenvPath?: string | null;
}

/**
 * Loads and validates the configuration from `env` (default `process.env`) merged over a .env file.
 * Never mutates `env`.
 * @throws ConfigError naming every bad variable, e.g. `HK_CHAIN_ID: must be an integer >= 1 (got "abc")`
 */
export function loadConfig(env: Env = process.env, opts: LoadConfigOptions = {}): KeeperConfig {
  const merged = mergeDotenv(env, opts);

  const result = EnvSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => problem(merged, String(issue.path[0]), issue.message));
    throw ConfigError.of(problems);
  }
  return toConfig(merged, result.data);
}
