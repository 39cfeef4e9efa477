/**
 * Health: a pure verdict from what the last cycles saw, and a loopback HTTP server for Prometheus
 * (`GET /metrics`) and liveness probes (`GET /health`: 200 or 503).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HealthInput {
  /** now, unix seconds */
  nowSec: number;
  /** timestamp of the last head block read, null = none yet */
  lastHeadTimestampSec: number | null;
  /** Chainlink updatedAt of the last answer read, null = none yet; its age is taken at the head block's timestamp */
  oracleUpdatedAtSec: number | null;
  /** the adapter's maxOracleAge, null = not read yet (the oracle age is then not judged) */
  maxOracleAgeSec: number | null;
  consecutiveFailedCycles: number;
  staleHeadSec: number;
  maxFailedCycles: number;
}

export interface HealthStatus {
  healthy: boolean;
  reasons: string[];
  /** states an operator should see that do not make the keeper unhealthy (e.g. a collateral-limited hedge) */
  detail?: Record<string, unknown>;
}

/** Unhealthy when nothing was read yet, the head or the oracle answer is stale, or too many cycles failed. */
export function evaluateHealth(input: HealthInput): HealthStatus {
  const reasons: string[] = [];
  const { nowSec, lastHeadTimestampSec, oracleUpdatedAtSec, maxOracleAgeSec } = input;

  if (lastHeadTimestampSec === null) {
    reasons.push("no head block read yet");
  } else if (nowSec - lastHeadTimestampSec > input.staleHeadSec) {
    reasons.push(`head block is ${nowSec - lastHeadTimestampSec}s old (stale after ${input.staleHeadSec}s)`);
  }
  // The oracle's age is judged by chain time, as the adapter's OracleStale guard and the keeper's gate judge it: after
  // a time jump (or on a chain whose clock runs ahead) the wall clock calls a rejected answer fresh. The head's own
  // freshness is judged above against the wall clock.
  const oracleNowSec = lastHeadTimestampSec ?? nowSec;
  if (oracleUpdatedAtSec === null) {
    reasons.push("no oracle answer read yet");
  } else if (maxOracleAgeSec !== null && oracleNowSec - oracleUpdatedAtSec > maxOracleAgeSec) {
    reasons.push(
      `oracle answer is ${oracleNowSec - oracleUpdatedAtSec}s old at the head block (max ${maxOracleAgeSec}s)`,
    );
  }
  if (input.consecutiveFailedCycles >= input.maxFailedCycles) {
    reasons.push(`${input.consecutiveFailedCycles} consecutive failed cycles (limit ${input.maxFailedCycles})`);
  }
  return { healthy: reasons.length === 0, reasons };
}

export interface TelemetryServerOptions {
  /** default 127.0.0.1: metrics and health are for the operator's machine unless asked otherwise */
  host?: string;
  /** 0 = any free port */
  port: number;
  metrics: { registry: Registry };
  /** called on every GET /health */
  health: () => HealthStatus;
}

export interface TelemetryServer {
  /** the port actually bound (useful with port 0) */
  port: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

async function serveMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  try {
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType }).end(text);
  } catch (error) {
    sendJson(res, 500, { error: `metrics collection failed: ${(error as Error).message}` });
  }
}

function serveHealth(health: TelemetryServerOptions["health"], res: ServerResponse): void {
  let status: ReturnType<TelemetryServerOptions["health"]>;
  try {
    status = health();
  } catch (error) {
    sendJson(res, 503, { status: "unhealthy", reasons: [`health check threw: ${(error as Error).message}`] });
    return;
  }
  const detail = status.detail === undefined ? {} : { detail: status.detail };
  if (status.healthy) sendJson(res, 200, { status: "ok", ...detail });
  else sendJson(res, 503, { status: "unhealthy", reasons: status.reasons, ...detail });
}

/** Serves GET /metrics and GET /health; any other path is 404, another method on them 405. */
export async function startTelemetryServer(opts: TelemetryServerOptions): Promise<TelemetryServer> {
  const host = opts.host ?? "127.0.0.1";
  const routes: Record<string, (res: ServerResponse) => void | Promise<void>> = {
    "/metrics": (res) => serveMetrics(opts.metrics.registry, res),
    "/health": (res) => serveHealth(opts.health, res),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routes[new URL(req.url ?? "/", "http://localhost").pathname];
    if (route === undefined) sendJson(res, 404, { error: "not found" });
    else if (req.method !== "GET") res.writeHead(405, { allow: "GET" }).end();
    else void route(res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `telemetry server could not listen on ${host}:${opts.port}: ${error.code ?? error.message}` +
            (error.code === "EADDRINUSE" ? " (the port is in use: stop the other process, or pick another port)" : ""),
        ),
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Scrapers keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
