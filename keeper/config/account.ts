/** Turns the configured signer into a viem local account: a raw key, or an encrypted JSON keystore. */
import { readFile } from "node:fs/promises";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import { ConfigError } from "./errors.js";
import type { KeeperConfig } from "./types.js";

function keystoreError(variable: string, what: string, path: string): ConfigError {
  return ConfigError.of([{ variable, what, got: JSON.stringify(path) }]);
}

async function readKeystore(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const what = code === "ENOENT" ? "keystore file not found" : `could not read keystore file (${code})`;
    throw keystoreError("HK_KEYSTORE_PATH", what, path);
  }
}

/** Decrypts with ethers (scrypt/pbkdf2 keystores, v3); loaded lazily so raw-key setups do not need it. */
async function decryptKeystore(json: string, password: string, path: string): Promise<`0x${string}`> {
  let ethers: typeof import("ethers");
  try {
    ethers = await import("ethers");
  } catch {
    throw keystoreError("HK_KEYSTORE_PATH", "keystore support needs the ethers package installed", path);
  }
  if (!ethers.isKeystoreJson(json)) throw keystoreError("HK_KEYSTORE_PATH", "is not a JSON keystore (v3)", path);
  try {
    const wallet = await ethers.Wallet.fromEncryptedJson(json, password);
    return wallet.privateKey as `0x${string}`;
  } catch (error) {
    if (ethers.isError(error, "INVALID_ARGUMENT") && error.argument === "password")
      throw ConfigError.of([
        { variable: "HK_KEYSTORE_PASSWORD", what: `could not decrypt keystore ${path}`, got: "(redacted)" },
      ]);
    const reason = ethers.isError(error, "INVALID_ARGUMENT") ? error.shortMessage : "unreadable keystore";
    throw keystoreError("HK_KEYSTORE_PATH", `could not decrypt keystore: ${reason}`, path);
  }
}

/**
 * The account that signs hedges, or null when no signer is configured (dry-run).
 * @throws ConfigError naming HK_KEYSTORE_PATH (missing or unreadable file) or HK_KEYSTORE_PASSWORD (wrong password)
 */
export async function resolveAccount(config: KeeperConfig): Promise<PrivateKeyAccount | null> {
  const { signer } = config;
  switch (signer.kind) {
    case "none":
      return null;
    case "privateKey":
      return privateKeyToAccount(signer.privateKey);
    case "keystore": {
      const json = await readKeystore(signer.path);
      return privateKeyToAccount(await decryptKeystore(json, signer.password, signer.path));
    }
  }
}
