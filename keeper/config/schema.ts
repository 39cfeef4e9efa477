/**
 * The keeper's configuration: one zod schema over the environment (merged with a .env file), one typed
 * `KeeperConfig` out. A bad or missing value stops start-up with one line naming each variable at fault.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

import { defaultPolicyConfig } from "../policy/index.js";
import { ConfigError, type ConfigProblem } from "./errors.js";
import type { KeeperConfig, SignerConfig } from "./types.js";
import { redactUrl } from "./redact.js";
import {
  DEFAULT_JOURNAL_PATH,
  DEFAULT_MIN_TRADE_ETH,
  LOG_LEVELS,
  SEND_FALLBACKS,
  TOOL_VARIABLES,
  VARIABLES,
  type LogLevel,
  type SendFallback,
  type VariableName,
} from "./variables.js";

export { DEFAULT_JOURNAL_PATH, DEFAULT_MIN_TRADE_ETH, LOG_LEVELS, SEND_FALLBACKS, type LogLevel, type SendFallback };

export type { KeeperConfig, SignerConfig } from "./types.js";

export type Env = Record<string, string | undefined>;

type Declared = typeof VARIABLES;
const EnvSchema = z.object(
  Object.fromEntries(Object.entries(VARIABLES).map(([name, v]) => [name, v.schema])) as {
    [K in VariableName]: Declared[K]["schema"];
  },
);

/** Variables whose value must never be printed, not even in an error. */
const SECRET_VARS = new Set(
  Object.entries(VARIABLES).flatMap(([name, v]) => ("secret" in v && v.secret ? [name] : [])),
);

type ParsedEnv = z.output<typeof EnvSchema>;

/** Every variable the keeper reads, in schema (and error) order. */
export const CONFIG_VARIABLES = Object.keys(VARIABLES) as VariableName[];

/** Variables taking any text (paths, host, password): no value of the right type is malformed. */
export const FREE_TEXT_VARIABLES: readonly string[] = CONFIG_VARIABLES.filter((name) => {
  const declared = VARIABLES[name];
  return "freeText" in declared && declared.freeText === true;
});

/** Edit distance, for "did you mean": a misspelt variable is one or two letters off the real one. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export interface UnknownVariable {
  variable: string;
  /** the closest known name when it is a plausible typo, else null */
  nearest: string | null;
}

/**
 * HK_* variables the keeper does not know: set, but ignored. A typo (HK_SLIPAGE_BPS) would otherwise silently drop
 * the limit the operator meant to set.
 */
export function unknownVariables(env: Env = process.env, opts: LoadConfigOptions = {}): UnknownVariable[] {
  env = mergeDotenv(env, opts);
  const known = new Set<string>([...CONFIG_VARIABLES, ...Object.keys(TOOL_VARIABLES)]);
  return Object.keys(env)
    .filter((name) => name.startsWith("HK_") && !known.has(name) && env[name] !== undefined)
    .sort()
    .map((variable) => {
      let nearest: string | null = null;
      let best = Infinity;
      for (const name of CONFIG_VARIABLES) {
        const distance = editDistance(variable, name);
        if (distance < best) [best, nearest] = [distance, name];
      }
      // more than a third of the name changed is not a typo of it
      return { variable, nearest: best <= Math.max(2, Math.floor(variable.length / 3)) ? nearest : null };
    });
}

/** `HK_SLIPAGE_BPS is not a keeper variable and is ignored; did you mean HK_SLIPPAGE_BPS?` */
export function describeUnknown(unknown: UnknownVariable): string {
  return (
    `${unknown.variable} is not a keeper variable and is ignored` +
    (unknown.nearest === null ? "" : `; did you mean ${unknown.nearest}?`)
  );
}

/** What an error may print of a variable's value. */
function shownValue(env: Env, variable: string): string {
  const raw = env[variable];
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return "missing";
  if (SECRET_VARS.has(variable)) return "(redacted)";
  if (typeof raw !== "string") return typeof raw;
  const shown =
    variable === "HK_RPC_URLS" || variable === "HK_SEND_RPC_URLS"
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
    sendRpcUrls: parsed.HK_SEND_RPC_URLS ?? [],
    sendFallback: parsed.HK_SEND_FALLBACK,
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
    deadlineSec: parsed.HK_DEADLINE_SEC,
    gasUnitsPerHedge: parsed.HK_GAS_UNITS_PER_HEDGE,
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
