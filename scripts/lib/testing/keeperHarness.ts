import { toHex, type EIP1193RequestFn } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { Logger } from "pino";
import { eip1193Transport } from "../../../keeper/chain/client.js";
import { loadConfig, type KeeperConfig } from "../../../keeper/config/index.js";
import { startKeeperService, type KeeperService, type ServiceOptions } from "../../../keeper/service.js";
import { createLogger } from "../../../keeper/telemetry/logger.js";

/** Hardhat's well-known development mnemonic: its accounts are funded on every local Hardhat chain. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Private key of Hardhat development account `index` (never use these keys on a real network). */
export function devPrivateKey(index: number): `0x${string}` {
  const key = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for dev account ${index}`);
  return toHex(key);
}

export interface InProcessKeeperOptions {
  provider: { request: EIP1193RequestFn };
  adapter: string;
  quoter?: string;
  /** Hardhat dev account index of the keeper's signer (1 = the fixtures' keeper) */
  signerIndex?: number;
  journalPath?: string;
  /** extra HK_* variables */
  env?: Record<string, string>;
  logger?: Logger;
  service?: Omit<ServiceOptions, "transport" | "logger">;
}

/** Builds a keeper config from HK_* variables as an operator would, for a chain reached in-process. */
export function inProcessConfig(options: Omit<InProcessKeeperOptions, "provider">): KeeperConfig {
  return loadConfig(
    {
      HK_RPC_URLS: "http://127.0.0.1:8545",
      HK_CHAIN_ID: "31337",
      HK_ADAPTER_ADDRESS: options.adapter,
      ...(options.quoter ? { HK_QUOTER_ADDRESS: options.quoter } : {}),
      HK_PRIVATE_KEY: devPrivateKey(options.signerIndex ?? 1),
      HK_JOURNAL_PATH: options.journalPath ?? ":memory:",
      HK_METRICS_PORT: "0",
      HK_LOG_LEVEL: "warn",
      HK_CONFIRMATIONS: "1",
      HK_RECEIPT_TIMEOUT_MS: "10000",
      ...options.env,
    },
    { dotenvPath: null },
  );
}

/** The real keeper service (same code as `keeper run`) over an in-process EIP-1193 provider. */
export async function startInProcessKeeper(options: InProcessKeeperOptions): Promise<KeeperService> {
  const config = inProcessConfig(options);
  return startKeeperService(config, {
    telemetry: false,
    pollMs: 20,
    ...options.service,
    logger: options.logger ?? createLogger({ level: config.logLevel }),
    transport: (counter) => eip1193Transport(options.provider, counter),
  });
}
