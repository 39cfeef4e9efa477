/**
 * Which RPC URLs answer. The fallback transport finds a dead URL only by waiting for its timeout on every request,
 * so the keeper probes each URL itself, with a short timeout, at start-up and on a timer: a dead URL is known within
 * about a second, logged once when its state changes, ordered last, and shown in `status` and /metrics.
 */
import { redactUrl } from "../config/redact.js";

/** Probe timeout: a healthy node answers eth_blockNumber in milliseconds; one second is already a dead node. */
export const ENDPOINT_PROBE_TIMEOUT_MS = 1000;

export interface EndpointState {
  /** the URL as it may be shown (credentials masked by `redactUrl`) */
  url: string;
  /** null for a ws(s) URL, which this HTTP probe does not judge */
  up: boolean | null;
  latencyMs: number | null;
  /** why it is down: `ECONNREFUSED (connection refused)`, `timed out after 1000 ms`, `HTTP 502` */
  error: string | null;
  /** the head the URL reported, to spot a lagging one */
  blockNumber: bigint | null;
}

const ERRNO_MEANING: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens there",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "DNS lookup failed",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "socket closed",
};

/** The errno code (`ECONNREFUSED`, …) anywhere in an error's cause chain (fetch nests it two levels down). */
export function errnoOf(error: unknown): string | null {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const record = node as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string" && /^[A-Z_]+$/.test(record.code)) return record.code;
    queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]));
  }
  return null;
}

/** `ECONNREFUSED (connection refused: nothing listens there)`, or the first line of the message. */
export function describeNetworkError(error: unknown): string {
  const code = errnoOf(error);
  if (code !== null) return ERRNO_MEANING[code] ? `${code} (${ERRNO_MEANING[code]})` : code;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timed out without an answer";
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}

/** One eth_blockNumber over HTTP with a timeout; never throws. */
export async function probeEndpoint(url: string, timeoutMs = ENDPOINT_PROBE_TIMEOUT_MS): Promise<EndpointState> {
  const shown = redactUrl(url);
  if (!/^https?:/i.test(url)) return { url: shown, up: null, latencyMs: null, error: null, blockNumber: null };
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return down(shown, `HTTP ${response.status}`);
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
    if (typeof body.result !== "string") return down(shown, `no block number (${body.error?.message ?? "bad answer"})`);
    const latencyMs = Math.round(performance.now() - started);
    return { url: shown, up: true, latencyMs, error: null, blockNumber: BigInt(body.result) };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return down(shown, timedOut ? `timed out after ${timeoutMs} ms` : describeNetworkError(error));
  }
}

function down(url: string, error: string): EndpointState {
  return { url, up: false, latencyMs: null, error, blockNumber: null };
}

/** Probes every URL in parallel, in the order given. */
export function probeEndpoints(
  urls: readonly string[],
  timeoutMs = ENDPOINT_PROBE_TIMEOUT_MS,
): Promise<EndpointState[]> {
  return Promise.all(urls.map((url) => probeEndpoint(url, timeoutMs)));
}

/** The URLs with those that answered first (in their configured order), so failover starts on a live one. */
export function liveFirst(urls: readonly string[], states: readonly EndpointState[]): string[] {
  const isDown = (i: number) => states[i]?.up === false;
  return [...urls.filter((_, i) => !isDown(i)), ...urls.filter((_, i) => isDown(i))];
}

export interface EndpointMonitor {
  /** the last known state of each configured URL, in configured order */
  states(): EndpointState[];
  /** records a probe round: logs each URL whose state changed (once), updates the gauges */
  record(states: EndpointState[]): void;
  /** probes every URL again and records the result */
  refresh(): Promise<EndpointState[]>;
  /** re-probes every `intervalMs` until `signal` aborts (the timer does not keep the process alive) */
  watch(intervalMs: number, signal: AbortSignal): void;
}

export interface EndpointMonitorDeps {
  urls: readonly string[];
  /** warn on a URL going down, info on one coming back */
  log: { warn(fields: object, msg: string): void; info(fields: object, msg: string): void };
  /** 1/0 per URL (redacted), and the probe latency */
  gauges?: {
    up: { set(labels: { url: string }, value: number): void };
    latencyMs: { set(labels: { url: string }, value: number): void };
  };
  probe?: (urls: readonly string[]) => Promise<EndpointState[]>;
}

export function createEndpointMonitor(deps: EndpointMonitorDeps): EndpointMonitor {
  const probe = deps.probe ?? probeEndpoints;
  let last: EndpointState[] = [];
  const monitor: EndpointMonitor = {
    states: () => last,
    record(states) {
      states.forEach((state, i) => {
        const before = last[i]?.up;
        if (state.up === false && before !== false)
          deps.log.warn({ url: state.url, error: state.error }, `RPC URL ${state.url} is down: ${state.error}`);
        if (state.up === true && before === false) deps.log.info({ url: state.url }, `RPC URL ${state.url} is back`);
        if (state.up !== null) deps.gauges?.up.set({ url: state.url }, state.up ? 1 : 0);
        if (state.latencyMs !== null) deps.gauges?.latencyMs.set({ url: state.url }, state.latencyMs);
      });
      last = states;
    },
    async refresh() {
      const states = await probe(deps.urls);
      monitor.record(states);
      return states;
    },
    watch(intervalMs, signal) {
      const timer = setInterval(() => void monitor.refresh(), intervalMs);
      timer.unref();
      signal.addEventListener("abort", () => clearInterval(timer), { once: true });
    },
  };
  return monitor;
}
