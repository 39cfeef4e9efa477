/**
 * Safe-to-log views of the configuration. RPC URLs often carry an API key in the path (`/v2/<key>`), the
 * query (`?apikey=`), the credentials (`user:pass@`) or, for a few providers, a host label.
 */
import type { KeeperConfig } from "./types.js";

const MASK = "***";
const REDACTED = "[redacted]";

/** A path segment that names a route, not a credential: `v2`, `eth`, `arbitrum-one`, `rpc`. */
function isRouteSegment(segment: string): boolean {
  return /^v\d+$/i.test(segment) || (/^[a-z]+(-[a-z]+)*$/.test(segment) && segment.length <= 16);
}

/** A host label that is a credential (e.g. `<32 hex>.eth.rpc.rivet.cloud`): long, alphanumeric, with digits. */
function isTokenLabel(label: string): boolean {
  return label.length >= 24 && /^[a-z0-9]+$/i.test(label) && /\d/.test(label);
}

/**
 * Masks the credentials of a URL: drops `user:pass@`, keeps the first path segment only when it names a
 * route and replaces the rest of the path by `***`, keeps query names but not values, drops the fragment.
 * `https://eth-mainnet.g.alchemy.com/v2/abc123` → `https://eth-mainnet.g.alchemy.com/v2/***`.
 * A string that does not parse as a URL becomes `***`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return MASK;
  }
  const hostname = parsed.hostname
    .split(".")
    .map((label) => (isTokenLabel(label) ? MASK : label))
    .join(".");
  const port = parsed.port === "" ? "" : `:${parsed.port}`;

  const segments = parsed.pathname.split("/").filter((segment) => segment !== "");
  const [first] = segments;
  const kept = first !== undefined && isRouteSegment(first) ? [first] : [];
  const path = [...kept, ...(segments.length > kept.length ? [MASK] : [])].map((s) => `/${s}`).join("");

  const names = [...new Set(parsed.searchParams.keys())];
  const query =
    names.length === 0 ? "" : `?${names.map((name) => (isRouteSegment(name) ? `${name}=${MASK}` : MASK)).join("&")}`;

  return `${parsed.protocol}//${hostname}${port}${path}${query}`;
}

function describeSigner(signer: KeeperConfig["signer"]): Record<string, unknown> {
  switch (signer.kind) {
    case "privateKey":
      return { kind: signer.kind, privateKey: REDACTED };
    case "keystore":
      return { kind: signer.kind, path: signer.path, password: REDACTED };
    case "none":
      return { kind: signer.kind };
  }
}

/**
 * The configuration as it may be logged: secrets replaced by "[redacted]", RPC URLs masked by `redactUrl`,
 * bigints as decimal strings so the result survives `JSON.stringify`.
 */
export function describeConfig(config: KeeperConfig): Record<string, unknown> {
  // Spread, so a field added later shows up; the only secrets live in `signer`, `rpcUrls` and `sendRpcUrls`.
  return {
    ...config,
    rpcUrls: config.rpcUrls.map(redactUrl),
    sendRpcUrls: config.sendRpcUrls.map(redactUrl),
    signer: describeSigner(config.signer),
    gas: { ...config.gas, gasLimitHedge: config.gas.gasLimitHedge.toString() },
  };
}
