import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystoreJson } from "ethers";

import {
  CONFIG_VARIABLES,
  ConfigError,
  FREE_TEXT_VARIABLES,
  describeConfig,
  loadConfig,
  redactUrl,
  resolveAccount,
  type Env,
  type KeeperConfig,
} from "../../keeper/config/index.js";
import { defaultPolicyConfig } from "../../keeper/policy/index.js";

/** Hardhat's first account: a well-known test key, never a real one. */
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const KEY_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ADAPTER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const QUOTER = "0x61fFE014bA17989E743c5F6cB21bF9697530B21e";
const RPC_TOKEN = "abc123SecretToken";
const RPC = `https://eth-mainnet.g.alchemy.com/v2/${RPC_TOKEN}`;

const BASE: Env = { HK_RPC_URLS: RPC, HK_CHAIN_ID: "1", HK_ADAPTER_ADDRESS: ADAPTER, HK_PRIVATE_KEY: KEY };

/** Loads BASE with overrides (undefined removes a variable), ignoring any .env of the working directory. */
function load(overrides: Env = {}): KeeperConfig {
  return loadConfig({ ...BASE, ...overrides }, { dotenvPath: null });
}

function loadError(overrides: Env): ConfigError {
  try {
    load(overrides);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(overrides)}`);
}

function assertNames(error: ConfigError, variable: string, fragment: string): void {
  assert.equal(error.variable, variable);
  assert.ok(error.message.startsWith(`${variable}: `), error.message);
  assert.ok(error.message.includes(fragment), `"${error.message}" should include "${fragment}"`);
  assert.ok(!error.message.includes("\n"), "one line");
}

/** A fresh temporary directory for the enclosing describe block, removed after it. */
function useTempDir(): () => string {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hk-config-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

describe("loadConfig", () => {
  it("fills every documented default from a minimal environment", () => {
    const config = load();
    assert.deepEqual(config, {
      rpcUrls: [RPC],
      chainId: 1,
      adapterAddress: ADAPTER,
      signer: { kind: "privateKey", privateKey: KEY },
      dryRun: false,
      policy: defaultPolicyConfig("cost-aware"),
      minTradeEth: 0.001,
      gas: {
        maxFeePerGasGwei: 200,
        maxPriorityFeePerGasGwei: 1.5,
        gasLimitHedge: 1_500_000n,
        replaceAfterBlocks: 3,
        feeBumpPercent: 15,
      },
      confirmations: 1,
      receiptTimeoutMs: 60_000,
      deadlineSec: 120,
      gasUnitsPerHedge: 250_000,
      journalPath: "./keeper-journal.db",
      metrics: { host: "127.0.0.1", port: 9464 },
      pollIntervalMs: 1000,
      pageSize: 500,
      deltaToleranceEth: 0.001,
      staleHeadSec: 60,
      maxFailedCycles: 3,
      logLevel: "info",
      sendRpcUrls: [],
      sendFallback: "public",
    } satisfies KeeperConfig);
  });

  it("reads every variable when all are set", () => {
    const config = load({
      HK_RPC_URLS: " http://127.0.0.1:8545 , wss://node.example/ws ,",
      HK_SEND_RPC_URLS: "https://relay.example/rpc",
      HK_SEND_FALLBACK: "never",
      HK_CHAIN_ID: "31337",
      HK_ADAPTER_ADDRESS: ADAPTER.toLowerCase(),
      HK_VAULT_ADDRESS: KEY_ADDRESS,
      HK_QUOTER_ADDRESS: QUOTER,
      HK_DRY_RUN: "true",
      HK_POLICY: "whalley-wilmott",
      HK_HYSTERESIS_INNER_RATIO: "0.25",
      HK_MIN_NOTIONAL_USD: "0",
      HK_RISK_AVERSION_PER_USD: "2e-4",
      HK_HORIZON_SEC: "1800",
      HK_MAX_DEFERRAL_BAND_MULTIPLE: "3",
      HK_TIME_INTERVAL_SEC: "600",
      HK_MAX_LEGS_PER_HEDGE: "4",
      HK_MIN_TRADE_ETH: "0.25",
      HK_BAND_OVERRIDE_ETH: "0.5",
      HK_MAX_FEE_GWEI: "80",
      HK_PRIORITY_FEE_GWEI: "2",
      HK_GAS_LIMIT: "900000",
      HK_REPLACE_AFTER_BLOCKS: "5",
      HK_FEE_BUMP_PERCENT: "12.5",
      HK_CONFIRMATIONS: "2",
      HK_RECEIPT_TIMEOUT_MS: "30000",
      HK_DEADLINE_SEC: "90",
      HK_GAS_UNITS_PER_HEDGE: "300000",
      HK_SLIPPAGE_BPS: "25",
      HK_JOURNAL_PATH: "/var/lib/hk/journal.db",
      HK_METRICS_HOST: "0.0.0.0",
      HK_METRICS_PORT: "0",
      HK_POLL_INTERVAL_MS: "250",
      HK_PAGE_SIZE: "100",
      HK_DELTA_TOLERANCE_ETH: "0.01",
      HK_STALE_HEAD_SEC: "30",
      HK_MAX_FAILED_CYCLES: "5",
      HK_LOG_LEVEL: "debug",
    });
    assert.deepEqual(config, {
      rpcUrls: ["http://127.0.0.1:8545", "wss://node.example/ws"],
      chainId: 31337,
      adapterAddress: ADAPTER,
      vaultAddress: KEY_ADDRESS,
      quoterAddress: QUOTER,
      signer: { kind: "privateKey", privateKey: KEY },
      dryRun: true,
      policy: {
        kind: "whalley-wilmott",
        hysteresisInnerRatio: 0.25,
        minNotionalUsd: 0,
        riskAversionPerUsd: 2e-4,
        horizonSec: 1800,
        maxDeferralBandMultiple: 3,
        timeIntervalSec: 600,
        maxLegsPerHedge: 4,
      },
      minTradeEth: 0.25,
      bandOverrideEth: 0.5,
      gas: {
        maxFeePerGasGwei: 80,
        maxPriorityFeePerGasGwei: 2,
        gasLimitHedge: 900_000n,
        replaceAfterBlocks: 5,
        feeBumpPercent: 12.5,
      },
      confirmations: 2,
      receiptTimeoutMs: 30_000,
      deadlineSec: 90,
      gasUnitsPerHedge: 300_000,
      slippageBpsOverride: 25,
      journalPath: "/var/lib/hk/journal.db",
      metrics: { host: "0.0.0.0", port: 0 },
      pollIntervalMs: 250,
      pageSize: 100,
      deltaToleranceEth: 0.01,
      staleHeadSec: 30,
      maxFailedCycles: 5,
      logLevel: "debug",
      sendRpcUrls: ["https://relay.example/rpc"],
      sendFallback: "never",
    } satisfies KeeperConfig);
  });

  it("takes unset policy fields from defaultPolicyConfig of the chosen kind", () => {
    const config = load({ HK_POLICY: "band", HK_MIN_NOTIONAL_USD: "250" });
    assert.deepEqual(config.policy, { ...defaultPolicyConfig("band"), minNotionalUsd: 250 });
  });

  it("treats a blank value as missing", () => {
    assertNames(loadError({ HK_ADAPTER_ADDRESS: "  " }), "HK_ADAPTER_ADDRESS", "is required (got missing)");
    assert.equal(load({ HK_LOG_LEVEL: "" }).logLevel, "info");
  });

  it("rejects a value that is not a string", () => {
    const error = loadError({ HK_CHAIN_ID: 1 as unknown as string });
    assertNames(error, "HK_CHAIN_ID", "must be a string (got number)");
  });

  it("reports every bad variable, in schema order, on one line", () => {
    const error = loadError({ HK_CHAIN_ID: "x", HK_LOG_LEVEL: "loud", HK_ADAPTER_ADDRESS: undefined });
    assert.deepEqual(
      error.problems.map((p) => p.variable),
      ["HK_CHAIN_ID", "HK_ADAPTER_ADDRESS", "HK_LOG_LEVEL"],
    );
    assert.equal(
      error.message,
      'HK_CHAIN_ID: must be an integer >= 1 (got "x"); HK_ADAPTER_ADDRESS: is required (got missing); ' +
        'HK_LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal (got "loud")',
    );
  });

  it("never mutates the environment it reads", () => {
    const env: Env = { ...BASE };
    loadConfig(env, { dotenvPath: null });
    assert.deepEqual(env, BASE);
  });
});

describe("loadConfig with a .env file", () => {
  const tempDir = useTempDir();

  it("merges the file under the environment: variables already set win", () => {
    const path = join(tempDir(), "merge.env");
    writeFileSync(path, `HK_CHAIN_ID=5\nHK_LOG_LEVEL=warn\n# comment\nHK_PAGE_SIZE="42"\n`);
    const config = loadConfig({ ...BASE, HK_CHAIN_ID: "10" }, { dotenvPath: path });
    assert.equal(config.chainId, 10);
    assert.equal(config.logLevel, "warn");
    assert.equal(config.pageSize, 42);
  });

  it("lets the file supply required variables", () => {
    const path = join(tempDir(), "required.env");
    writeFileSync(path, `HK_RPC_URLS=http://127.0.0.1:8545\nHK_ADAPTER_ADDRESS=${ADAPTER}\nHK_DRY_RUN=true\n`);
    const config = loadConfig({ HK_CHAIN_ID: "31337" }, { dotenvPath: path });
    assert.deepEqual(config.rpcUrls, ["http://127.0.0.1:8545"]);
    assert.deepEqual(config.signer, { kind: "none" });
  });

  it("names the file when an explicit dotenvPath does not exist", () => {
    const path = join(tempDir(), "absent.env");
    assert.throws(() => loadConfig(BASE, { dotenvPath: path }), {
      name: "ConfigError",
      message: `.env: file not found (got ${JSON.stringify(path)})`,
    });
  });
});

/** [variable, bad value, what the message must say] */
const INVALID: [string, string, string][] = [
  ["HK_RPC_URLS", ",", "must list at least one URL"],
  ["HK_RPC_URLS", "not a url", "entry 1 is not a URL"],
  ["HK_RPC_URLS", "http://127.0.0.1:8545,ftp://node.example", "entry 2 must be an http(s) or ws(s) URL, not ftp:"],
  ["HK_SEND_RPC_URLS", "not a url", "entry 1 is not a URL"],
  ["HK_SEND_FALLBACK", "sometimes", "must be one of public, never"],
  ["HK_CHAIN_ID", "abc", 'must be an integer >= 1 (got "abc")'],
  ["HK_CHAIN_ID", "1.5", "must be an integer >= 1"],
  ["HK_CHAIN_ID", "0", "must be an integer >= 1"],
  ["HK_CHAIN_ID", "-1", "must be an integer >= 1"],
  ["HK_CHAIN_ID", "99999999999999999999", "must be an integer >= 1"],
  ["HK_ADAPTER_ADDRESS", "0x1234", 'must be a 20-byte hex address (0x + 40 hex digits) (got "0x1234")'],
  ["HK_ADAPTER_ADDRESS", "5FbDB2315678afecb367f032d93F642f64180aa3", "must be a 20-byte hex address"],
  ["HK_ADAPTER_ADDRESS", "0x5fbDB2315678afecb367f032d93F642f64180aa3", "has a wrong EIP-55 checksum"],
  ["HK_ADAPTER_ADDRESS", "0x0000000000000000000000000000000000000000", "must not be the zero address"],
  ["HK_VAULT_ADDRESS", "vault", "must be a 20-byte hex address"],
  ["HK_QUOTER_ADDRESS", "0xZZ", "must be a 20-byte hex address"],
  ["HK_GOVERNOR_ADDRESS", "0x5FbDB2315678afecb367f032d93F642f64180aa", "must be a 20-byte hex address"],
  ["HK_PRIVATE_KEY", "0x1234", "must be 0x followed by 64 hex digits (got (redacted))"],
  ["HK_DRY_RUN", "maybe", 'must be true or false (got "maybe")'],
  ["HK_POLICY", "greedy", "must be one of band, cost-aware, whalley-wilmott, time"],
  ["HK_HYSTERESIS_INNER_RATIO", "0", "must be a number in (0, 1]"],
  ["HK_HYSTERESIS_INNER_RATIO", "1.5", "must be a number in (0, 1]"],
  ["HK_MIN_NOTIONAL_USD", "-1", "must be a number >= 0"],
  ["HK_RISK_AVERSION_PER_USD", "0", "must be a number > 0"],
  ["HK_HORIZON_SEC", "1h", "must be a number > 0"],
  ["HK_MAX_DEFERRAL_BAND_MULTIPLE", "0.5", "must be a number >= 1"],
  ["HK_TIME_INTERVAL_SEC", "NaN", "must be a number > 0"],
  ["HK_MAX_LEGS_PER_HEDGE", "257", "must be an integer in [1, 256]"],
  ["HK_MIN_TRADE_ETH", "-0.1", "must be a number >= 0"],
  ["HK_BAND_OVERRIDE_ETH", "0", "must be a number > 0"],
  ["HK_MAX_FEE_GWEI", "Infinity", "must be a number > 0"],
  ["HK_PRIORITY_FEE_GWEI", "-0.1", "must be a number >= 0"],
  ["HK_PRIORITY_FEE_GWEI", "250", "must be <= HK_MAX_FEE_GWEI (200 gwei)"],
  ["HK_GAS_LIMIT", "1.5e6", "must be an integer in [21000, 30000000]"],
  ["HK_GAS_LIMIT", "20000", "must be an integer in [21000, 30000000]"],
  ["HK_REPLACE_AFTER_BLOCKS", "0", "must be an integer >= 1"],
  ["HK_FEE_BUMP_PERCENT", "12.4", "must be a number in [12.5, 1000]"],
  ["HK_FEE_BUMP_PERCENT", "ten", "must be a number in [12.5, 1000]"],
  ["HK_CONFIRMATIONS", "0", "must be an integer >= 1"],
  ["HK_RECEIPT_TIMEOUT_MS", "60s", "must be an integer >= 1"],
  ["HK_DEADLINE_SEC", "0", "must be an integer >= 1"],
  ["HK_GAS_UNITS_PER_HEDGE", "20000", "must be an integer >= 21000"],
  ["HK_SLIPPAGE_BPS", "10000", "must be a number in (0, 10000)"],
  ["HK_METRICS_PORT", "65536", "must be an integer in [0, 65535]"],
  ["HK_POLL_INTERVAL_MS", "0", "must be an integer >= 1"],
  ["HK_PAGE_SIZE", "0", "must be an integer in [1, 10000]"],
  ["HK_DELTA_TOLERANCE_ETH", "-0.001", "must be a number >= 0"],
  ["HK_STALE_HEAD_SEC", "0", "must be a number > 0"],
  ["HK_MAX_FAILED_CYCLES", "0", "must be an integer >= 1"],
  ["HK_LOG_LEVEL", "verbose", "must be one of trace, debug, info, warn, error, fatal"],
];

describe("loadConfig rejects a bad value with one line naming the variable", () => {
  for (const [variable, value, fragment] of INVALID) {
    it(`${variable}=${JSON.stringify(value)}: ${fragment}`, () => {
      assertNames(loadError({ [variable]: value }), variable, fragment);
    });
  }

  it("has a malformed-value case for every variable that is not free text", () => {
    const covered = new Set(INVALID.map(([variable]) => variable));
    const uncovered = CONFIG_VARIABLES.filter((v) => !covered.has(v) && !FREE_TEXT_VARIABLES.includes(v));
    assert.deepEqual(uncovered, []);
  });

  for (const variable of CONFIG_VARIABLES) {
    for (const [kind, value] of [
      ["number", 42],
      ["object", { value: "1" }],
    ] as const) {
      it(`${variable} given a ${kind}: must be a string`, () => {
        const shown = variable === "HK_PRIVATE_KEY" || variable === "HK_KEYSTORE_PASSWORD" ? "(redacted)" : kind;
        const error = loadError({ [variable]: value as unknown as string });
        assert.equal(error.message, `${variable}: must be a string (got ${shown})`);
      });
    }
  }

  for (const variable of ["HK_RPC_URLS", "HK_CHAIN_ID", "HK_ADAPTER_ADDRESS"]) {
    it(`${variable} missing: is required`, () => {
      assertNames(loadError({ [variable]: undefined }), variable, "is required (got missing)");
    });
  }
});

describe("loadConfig: values at their bounds", () => {
  it("accepts HK_FEE_BUMP_PERCENT = 12.5, the replacement minimum of nodes", () => {
    assert.equal(load({ HK_FEE_BUMP_PERCENT: "12.5" }).gas.feeBumpPercent, 12.5);
  });

  it("accepts HK_METRICS_PORT = 0 (any free port)", () => {
    assert.equal(load({ HK_METRICS_PORT: "0" }).metrics.port, 0);
  });

  it("checksums an all-lowercase or all-uppercase address", () => {
    assert.equal(load({ HK_ADAPTER_ADDRESS: ADAPTER.toLowerCase() }).adapterAddress, ADAPTER);
    assert.equal(load({ HK_ADAPTER_ADDRESS: `0x${ADAPTER.slice(2).toUpperCase()}` }).adapterAddress, ADAPTER);
  });

  it("accepts 1/0 and yes/no for HK_DRY_RUN, in any case", () => {
    assert.equal(load({ HK_DRY_RUN: "1" }).dryRun, true);
    assert.equal(load({ HK_DRY_RUN: "YES" }).dryRun, true);
    assert.equal(load({ HK_DRY_RUN: "No" }).dryRun, false);
  });

  it("accepts ws(s) RPC URLs", () => {
    assert.deepEqual(load({ HK_RPC_URLS: "ws://127.0.0.1:8546" }).rpcUrls, ["ws://127.0.0.1:8546"]);
  });
});

describe("loadConfig: RPC URL errors", () => {
  it("mask the URL token in the error", () => {
    const error = loadError({ HK_RPC_URLS: `${RPC},gopher://node.example/${RPC_TOKEN}` });
    assertNames(error, "HK_RPC_URLS", "entry 2 must be an http(s) or ws(s) URL");
    assert.ok(!error.message.includes(RPC_TOKEN), error.message);
  });
});

describe("loadConfig: signer", () => {
  it("uses HK_PRIVATE_KEY", () => {
    assert.deepEqual(load().signer, { kind: "privateKey", privateKey: KEY });
  });

  it("rejects a private key of the wrong length without printing it", () => {
    const shortKey = KEY.slice(0, 60);
    const error = loadError({ HK_PRIVATE_KEY: shortKey });
    assertNames(error, "HK_PRIVATE_KEY", "must be 0x followed by 64 hex digits (got (redacted))");
    assert.ok(!error.message.includes(shortKey.slice(2, 20)), error.message);
  });

  it("rejects a private key without 0x or with non-hex digits, without printing it", () => {
    for (const bad of [KEY.slice(2), `${KEY.slice(0, 65)}g`]) {
      const error = loadError({ HK_PRIVATE_KEY: bad });
      assertNames(error, "HK_PRIVATE_KEY", "must be 0x followed by 64 hex digits (got (redacted))");
      assert.ok(!error.message.includes(KEY.slice(2, 20)));
    }
  });

  it("rejects a key outside the secp256k1 range", () => {
    const error = loadError({ HK_PRIVATE_KEY: `0x${"0".repeat(64)}` });
    assertNames(error, "HK_PRIVATE_KEY", "is not a valid secp256k1 private key (got (redacted))");
  });

  it("uses HK_KEYSTORE_PATH + HK_KEYSTORE_PASSWORD, keeping spaces in the password", () => {
    const signer = load({
      HK_PRIVATE_KEY: undefined,
      HK_KEYSTORE_PATH: "/k.json",
      HK_KEYSTORE_PASSWORD: " p w ",
    }).signer;
    assert.deepEqual(signer, { kind: "keystore", path: "/k.json", password: " p w " });
  });

  it("rejects a private key and a keystore together", () => {
    const error = loadError({ HK_KEYSTORE_PATH: "/k.json", HK_KEYSTORE_PASSWORD: "pw" });
    assertNames(error, "HK_PRIVATE_KEY", "set either HK_PRIVATE_KEY or HK_KEYSTORE_PATH, not both (got (redacted))");
  });

  it("requires the keystore password with the path, and the path with the password", () => {
    assertNames(
      loadError({ HK_PRIVATE_KEY: undefined, HK_KEYSTORE_PATH: "/k.json" }),
      "HK_KEYSTORE_PASSWORD",
      "is required with HK_KEYSTORE_PATH (got missing)",
    );
    const error = loadError({ HK_PRIVATE_KEY: undefined, HK_KEYSTORE_PASSWORD: "hunter2" });
    assertNames(error, "HK_KEYSTORE_PATH", "is required with HK_KEYSTORE_PASSWORD (got missing)");
    assert.ok(!error.message.includes("hunter2"));
  });

  it("requires a signer unless HK_DRY_RUN=true", () => {
    assertNames(
      loadError({ HK_PRIVATE_KEY: undefined }),
      "HK_PRIVATE_KEY",
      "a signer is required unless HK_DRY_RUN=true",
    );
  });

  it("allows no signer in dry-run, and keeps a configured one", () => {
    assert.deepEqual(load({ HK_PRIVATE_KEY: undefined, HK_DRY_RUN: "true" }).signer, { kind: "none" });
    assert.equal(load({ HK_DRY_RUN: "true" }).signer.kind, "privateKey");
  });
});

describe("redactUrl", () => {
  const cases: [string, string][] = [
    ["https://eth-mainnet.g.alchemy.com/v2/abc123", "https://eth-mainnet.g.alchemy.com/v2/***"],
    ["https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef", "https://mainnet.infura.io/v3/***"],
    ["https://rpc.ankr.com/eth/0123456789abcdef", "https://rpc.ankr.com/eth/***"],
    ["https://name.quiknode.pro/4f1e2d3c4b5a69788796a5b4c3d2e1f0/", "https://name.quiknode.pro/***"],
    ["https://user:pass@node.example:8545/", "https://node.example:8545"],
    ["https://lb.drpc.org/ogrpc?network=ethereum&dkey=S3cr3t", "https://lb.drpc.org/ogrpc?network=***&dkey=***"],
    ["wss://0123456789abcdef0123456789abcdef.eth.rpc.rivet.cloud/", "wss://***.eth.rpc.rivet.cloud"],
    ["http://127.0.0.1:8545", "http://127.0.0.1:8545"],
    ["not a url with s3cr3t", "***"],
  ];
  for (const [url, masked] of cases) {
    it(`${url} → ${masked}`, () => assert.equal(redactUrl(url), masked));
  }
});

describe("describeConfig", () => {
  it("never contains the private key or the RPC token, and survives JSON.stringify", () => {
    const config = load({ HK_RPC_URLS: `${RPC},https://user:hunter2@node.example/rpc?apikey=${RPC_TOKEN}` });
    const text = JSON.stringify(describeConfig(config));
    assert.ok(!text.includes(KEY.slice(2)), "private key leaked");
    assert.ok(!text.includes(RPC_TOKEN), "RPC token leaked");
    assert.ok(!text.includes("hunter2"), "URL password leaked");
    const described = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(described.signer, { kind: "privateKey", privateKey: "[redacted]" });
    assert.deepEqual(described.rpcUrls, [
      "https://eth-mainnet.g.alchemy.com/v2/***",
      "https://node.example/rpc?apikey=***",
    ]);
    assert.equal((described.gas as Record<string, unknown>).gasLimitHedge, "1500000");
    assert.equal(described.adapterAddress, ADAPTER);
  });

  it("never contains the keystore password", () => {
    const config = load({ HK_PRIVATE_KEY: undefined, HK_KEYSTORE_PATH: "/k.json", HK_KEYSTORE_PASSWORD: "hunter2" });
    const text = JSON.stringify(describeConfig(config));
    assert.ok(!text.includes("hunter2"));
    assert.deepEqual(JSON.parse(text).signer, { kind: "keystore", path: "/k.json", password: "[redacted]" });
  });
});

describe("resolveAccount", () => {
  const tempDir = useTempDir();
  const PASSWORD = "correct horse";
  let keystorePath: string;

  before(async () => {
    // A low scrypt N keeps the test fast; real keystores use 2^17 or more.
    const json = await encryptKeystoreJson({ address: KEY_ADDRESS, privateKey: KEY }, PASSWORD, {
      scrypt: { N: 1 << 10 },
    });
    keystorePath = join(tempDir(), "keystore.json");
    writeFileSync(keystorePath, json);
  });

  const keystore = (path: string, password: string): KeeperConfig =>
    load({ HK_PRIVATE_KEY: undefined, HK_KEYSTORE_PATH: path, HK_KEYSTORE_PASSWORD: password });

  it("returns null without a signer (dry-run)", async () => {
    assert.equal(await resolveAccount(load({ HK_PRIVATE_KEY: undefined, HK_DRY_RUN: "true" })), null);
  });

  it("turns HK_PRIVATE_KEY into its account", async () => {
    assert.equal((await resolveAccount(load()))?.address, KEY_ADDRESS);
  });

  it("decrypts a JSON keystore", async () => {
    assert.equal((await resolveAccount(keystore(keystorePath, PASSWORD)))?.address, KEY_ADDRESS);
  });

  it("names HK_KEYSTORE_PASSWORD on a wrong password, without printing it", async () => {
    await assert.rejects(resolveAccount(keystore(keystorePath, "wrong horse")), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, `HK_KEYSTORE_PASSWORD: could not decrypt keystore ${keystorePath} (got (redacted))`);
      return true;
    });
  });

  it("names HK_KEYSTORE_PATH when the file is missing", async () => {
    const missing = join(tempDir(), "missing.json");
    await assert.rejects(resolveAccount(keystore(missing, PASSWORD)), {
      name: "ConfigError",
      message: `HK_KEYSTORE_PATH: keystore file not found (got ${JSON.stringify(missing)})`,
    });
  });

  it("names HK_KEYSTORE_PATH when the file is not a keystore", async () => {
    const notKeystore = join(tempDir(), "not-keystore.json");
    writeFileSync(notKeystore, `{"hello":"world"}`);
    await assert.rejects(resolveAccount(keystore(notKeystore, PASSWORD)), {
      name: "ConfigError",
      message: `HK_KEYSTORE_PATH: is not a JSON keystore (v3) (got ${JSON.stringify(notKeystore)})`,
    });
  });
});
