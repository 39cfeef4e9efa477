import assert from "node:assert/strict";

import {
  createLogger,
  createMetrics,
  evaluateHealth,
  startTelemetryServer,
  withCycle,
  type HealthInput,
  type TelemetryServer,
} from "../../keeper/telemetry/index.js";

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const TX_HASH = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
const RPC_TOKEN = "abc123SecretToken";
const RPC = `https://eth-mainnet.g.alchemy.com/v2/${RPC_TOKEN}`;

/** A logger writing to memory; `lines()` parses what was written. */
function memoryLogger(level: "info" | "debug" = "info") {
  const written: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void written.push(line) } });
  return {
    logger,
    raw: () => written.join(""),
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("createLogger", () => {
  it("writes one JSON line per call with a level label and an ISO time", () => {
    const { logger, lines } = memoryLogger();
    logger.info({ block: 12 }, "cycle done");
    const [line] = lines();
    assert.equal(line?.level, "info");
    assert.equal(line?.msg, "cycle done");
    assert.equal(line?.block, 12);
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT/);
  });

  it("drops lines below its level", () => {
    const { logger, lines } = memoryLogger("info");
    logger.debug("hidden");
    logger.warn("shown");
    assert.deepEqual(
      lines().map((line) => line.msg),
      ["shown"],
    );
  });

  it("redacts private keys and passwords at the configured paths", () => {
    const { logger, raw, lines } = memoryLogger();
    logger.info({ privateKey: KEY, password: "hunter2", signer: { kind: "privateKey", privateKey: KEY } }, "config");
    assert.ok(!raw().includes(KEY.slice(2)), raw());
    assert.ok(!raw().includes("hunter2"));
    const [line] = lines();
    assert.equal(line?.privateKey, "[redacted]");
    assert.deepEqual(line?.signer, { kind: "privateKey", privateKey: "[redacted]" });
  });

  it("redacts secret-named keys at any depth, and a 32-byte hex under a key-like name", () => {
    const { logger, raw, lines } = memoryLogger();
    logger.info({ deep: { deeper: { mnemonic: "test test junk", signingKey: KEY, keystorePassword: "pw1" } } });
    assert.ok(!raw().includes(KEY.slice(2)));
    assert.ok(!raw().includes("test test junk"));
    assert.ok(!raw().includes("pw1"));
    assert.deepEqual((lines()[0]?.deep as { deeper: unknown }).deeper, {
      mnemonic: "[redacted]",
      signingKey: "[redacted]",
      keystorePassword: "[redacted]",
    });
  });

  it("keeps transaction hashes, which are 32-byte hex too", () => {
    const { logger, lines } = memoryLogger();
    logger.info({ txHash: TX_HASH, hashes: [TX_HASH] }, `sent ${TX_HASH}`);
    const [line] = lines();
    assert.equal(line?.txHash, TX_HASH);
    assert.deepEqual(line?.hashes, [TX_HASH]);
    assert.equal(line?.msg, `sent ${TX_HASH}`);
  });

  it("masks RPC URL tokens in messages, objects, rpcUrls and errors", () => {
    const { logger, raw, lines } = memoryLogger();
    logger.info({ rpcUrls: [RPC], rpcUrl: RPC, node: { url: RPC } }, `connected to ${RPC}`);
    logger.error({ err: new Error(`HTTP request failed. URL: ${RPC}`) }, "read failed");
    assert.ok(!raw().includes(RPC_TOKEN), raw());
    const [info, error] = lines();
    assert.deepEqual(info?.rpcUrls, ["https://eth-mainnet.g.alchemy.com/v2/***"]);
    assert.equal(info?.msg, "connected to https://eth-mainnet.g.alchemy.com/v2/***");
    assert.match(String((error?.err as { message: string }).message), /v2\/\*\*\*$/);
  });

  it("withCycle stamps the cycle id on every line and keeps redacting", () => {
    const { logger, raw, lines } = memoryLogger();
    const cycleLogger = withCycle(logger, 42);
    cycleLogger.info("read");
    cycleLogger.child({ stage: "executor" }).warn({ privateKey: KEY }, "oops");
    assert.deepEqual(
      lines().map((line) => line.cycle),
      [42, 42],
    );
    assert.ok(!raw().includes(KEY.slice(2)));
  });
});

describe("createMetrics", () => {
  const NAMES = [
    "hedgekeeper_rpc_endpoint_up",
    "hedgekeeper_rpc_endpoint_latency_ms",
    "hedgekeeper_net_delta_eth",
    "hedgekeeper_delta_band_eth",
    "hedgekeeper_onchain_net_delta_eth",
    "hedgekeeper_delta_mismatch_eth",
    "hedgekeeper_hedges_total",
    "hedgekeeper_hedge_gas_used_total",
    "hedgekeeper_hedge_gas_cost_eth_total",
    "hedgekeeper_realised_slippage_bps",
    "hedgekeeper_oracle_age_seconds",
    "hedgekeeper_head_lag_seconds",
    "hedgekeeper_head_block",
    "hedgekeeper_rpc_errors_total",
    "hedgekeeper_rpc_round_trips",
    "hedgekeeper_cycle_duration_seconds",
    "hedgekeeper_cycles_total",
    "hedgekeeper_pending_hedge",
    "hedgekeeper_decisions_total",
    "hedgekeeper_hedge_limited",
  ];

  it("registers every keeper metric on its own registry, so several can coexist", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.netDeltaEth.set(1.25);
    const names = (await first.registry.getMetricsAsJSON()).map((metric) => metric.name);
    assert.deepEqual([...names].sort(), [...NAMES].sort());
    assert.match(await second.registry.metrics(), /^hedgekeeper_net_delta_eth 0$/m);
  });

  it("exports every hedge and cycle outcome at zero before the first event", async () => {
    const text = await createMetrics().registry.metrics();
    for (const outcome of ["success", "reverted", "failed"])
      assert.match(text, new RegExp(`^hedgekeeper_hedges_total\\{outcome="${outcome}"\\} 0$`, "m"));
    for (const outcome of ["ok", "failed", "skipped"])
      assert.match(text, new RegExp(`^hedgekeeper_cycles_total\\{outcome="${outcome}"\\} 0$`, "m"));
  });

  it("exports the hedge-limited alert at zero for each reason before the first limit", async () => {
    const text = await createMetrics().registry.metrics();
    for (const reason of ["insufficient-collateral", "depth-exhausted"])
      assert.match(text, new RegExp(`^hedgekeeper_hedge_limited\\{reason="${reason}"\\} 0$`, "m"));
  });

  it("adds Node process metrics when asked", async () => {
    const text = await createMetrics({ processMetrics: true }).registry.metrics();
    assert.match(text, /^hedgekeeper_process_cpu_seconds_total /m);
  });
});

const FRESH: HealthInput = {
  nowSec: 1_000,
  lastHeadTimestampSec: 990,
  oracleUpdatedAtSec: 500,
  maxOracleAgeSec: 3600,
  consecutiveFailedCycles: 0,
  staleHeadSec: 60,
  maxFailedCycles: 3,
};

describe("evaluateHealth", () => {
  it("is healthy with a fresh head, a fresh oracle and no failed cycles", () => {
    assert.deepEqual(evaluateHealth(FRESH), { healthy: true, reasons: [] });
  });

  it("is unhealthy before anything was read", () => {
    const status = evaluateHealth({ ...FRESH, lastHeadTimestampSec: null, oracleUpdatedAtSec: null });
    assert.deepEqual(status, {
      healthy: false,
      reasons: ["no head block read yet", "no oracle answer read yet"],
    });
  });

  it("is unhealthy when the head is older than staleHeadSec, healthy at exactly staleHeadSec", () => {
    assert.deepEqual(evaluateHealth({ ...FRESH, lastHeadTimestampSec: 939 }).reasons, [
      "head block is 61s old (stale after 60s)",
    ]);
    assert.equal(evaluateHealth({ ...FRESH, lastHeadTimestampSec: 940 }).healthy, true);
  });

  it("is unhealthy when the oracle answer is older than maxOracleAgeSec at the head block", () => {
    assert.deepEqual(evaluateHealth({ ...FRESH, oracleUpdatedAtSec: 0, maxOracleAgeSec: 900 }).reasons, [
      "oracle answer is 990s old at the head block (max 900s)",
    ]);
  });

  it("judges the oracle age by chain time, as the hedge gate does: a time jump makes it stale", () => {
    // The chain's clock jumped two hours ahead of the wall clock; the answer is fresh by the wall clock only.
    const jumped = { ...FRESH, nowSec: 1_000, lastHeadTimestampSec: 1_000 + 7_200, oracleUpdatedAtSec: 1_000 };
    assert.deepEqual(evaluateHealth(jumped).reasons, ["oracle answer is 7200s old at the head block (max 3600s)"]);
  });

  it("does not judge the oracle age before maxOracleAgeSec is known", () => {
    assert.equal(evaluateHealth({ ...FRESH, oracleUpdatedAtSec: 0, maxOracleAgeSec: null }).healthy, true);
  });

  it("is unhealthy after maxFailedCycles consecutive failures, not before", () => {
    assert.equal(evaluateHealth({ ...FRESH, consecutiveFailedCycles: 2 }).healthy, true);
    assert.deepEqual(evaluateHealth({ ...FRESH, consecutiveFailedCycles: 3 }).reasons, [
      "3 consecutive failed cycles (limit 3)",
    ]);
  });
});

describe("startTelemetryServer", () => {
  let server: TelemetryServer;
  let input: HealthInput;
  const metrics = createMetrics();
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  beforeEach(async () => {
    input = { ...FRESH, lastHeadTimestampSec: null, oracleUpdatedAtSec: null };
    server = await startTelemetryServer({ port: 0, metrics, health: () => evaluateHealth(input) });
  });
  afterEach(() => server.close());

  it("binds a free loopback port when asked for port 0", () => {
    assert.ok(server.port > 0);
  });

  it("serves GET /metrics in the Prometheus text format", async () => {
    metrics.netDeltaEth.set(-3.5);
    metrics.hedgesTotal.inc({ outcome: "success" });
    const res = await fetch(url("/metrics"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), metrics.registry.contentType);
    const body = await res.text();
    assert.match(body, /^hedgekeeper_net_delta_eth -3\.5$/m);
    assert.match(body, /^hedgekeeper_hedges_total\{outcome="success"\} 1$/m);
    assert.match(body, /^# TYPE hedgekeeper_cycle_duration_seconds histogram$/m);
  });

  it("turns GET /health from 503 to 200 and back as the inputs change", async () => {
    const health = async () => {
      const res = await fetch(url("/health"));
      return { status: res.status, body: (await res.json()) as unknown };
    };
    assert.deepEqual(await health(), {
      status: 503,
      body: { status: "unhealthy", reasons: ["no head block read yet", "no oracle answer read yet"] },
    });
    input = { ...FRESH };
    assert.deepEqual(await health(), { status: 200, body: { status: "ok" } });
    input = { ...FRESH, nowSec: 1_100 };
    assert.deepEqual(await health(), {
      status: 503,
      body: { status: "unhealthy", reasons: ["head block is 110s old (stale after 60s)"] },
    });
    input = { ...FRESH, consecutiveFailedCycles: 3 };
    assert.equal((await health()).status, 503);
    input = { ...FRESH };
    assert.equal((await health()).status, 200);
  });

  it("includes the health detail when the callback gives one", async () => {
    await server.close();
    server = await startTelemetryServer({
      port: 0,
      metrics,
      health: () => ({ healthy: true, reasons: [], detail: { headBlock: 7 } }),
    });
    assert.deepEqual(await (await fetch(url("/health"))).json(), { status: "ok", detail: { headBlock: 7 } });
  });

  it("answers 503 when the health callback throws", async () => {
    await server.close();
    server = await startTelemetryServer({
      port: 0,
      metrics,
      health: () => {
        throw new Error("journal closed");
      },
    });
    const res = await fetch(url("/health"));
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: "unhealthy", reasons: ["health check threw: journal closed"] });
  });

  it("answers 404 on other paths and 405 on other methods", async () => {
    assert.equal((await fetch(url("/"))).status, 404);
    assert.equal((await fetch(url("/metrics/x"))).status, 404);
    const post = await fetch(url("/health"), { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET");
  });

  it("rejects with the address when the port is taken", async () => {
    await assert.rejects(startTelemetryServer({ port: server.port, metrics, health: () => evaluateHealth(input) }), {
      message:
        `telemetry server could not listen on 127.0.0.1:${server.port}: EADDRINUSE ` +
        "(the port is in use: stop the other process, or pick another port)",
    });
  });

  it("closes even with a keep-alive connection open, and stops answering", async () => {
    const { port } = server;
    await (await fetch(url("/metrics"), { headers: { connection: "keep-alive" } })).text();
    await server.close();
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    server = await startTelemetryServer({ port: 0, metrics, health: () => evaluateHealth(input) });
  });
});
