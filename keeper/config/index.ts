/** Config stage: the one place that knows the keeper's configuration (env + .env, validated by zod). */
export { ConfigError, type ConfigProblem } from "./errors.js";
export {
  CONFIG_VARIABLES,
  configuredJournalPath,
  describeUnknown,
  unknownVariables,
  type UnknownVariable,
  DEFAULT_JOURNAL_PATH,
  FREE_TEXT_VARIABLES,
  loadConfig,
  LOG_LEVELS,
  type Env,
  type KeeperConfig,
  type LoadConfigOptions,
  type LogLevel,
  type SignerConfig,
} from "./schema.js";
export { describeConfig, redactUrl } from "./redact.js";
export { resolveAccount } from "./account.js";
