/**
 * Parsers of environment values, one per kind. Each takes the trimmed string and returns the typed value
 * or throws `Invalid` with what is wrong; `envVar` turns that into a zod issue on the variable.
 */
import { getAddress, isAddress } from "viem";
import { z } from "zod";

/** secp256k1 group order: a private key is a scalar in [1, n). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

class Invalid extends Error {}

function fail(what: string): never {
  throw new Invalid(what);
}

interface Bound {
  gt?: number;
  gte?: number;
  lte?: number;
  lt?: number;
}

function boundText({ gt, gte, lte, lt }: Bound): string {
  const low = gt !== undefined ? ["(", gt] : gte !== undefined ? ["[", gte] : undefined;
  const high = lt !== undefined ? [lt, ")"] : lte !== undefined ? [lte, "]"] : undefined;
  if (low && high) return `in ${low[0]}${low[1]}, ${high[0]}${high[1]}`;
  if (low) return `${low[0] === "(" ? ">" : ">="} ${low[1]}`;
  if (high) return `${high[1] === ")" ? "<" : "<="} ${high[0]}`;
  return "finite";
}

function inBound(value: number, { gt, gte, lte, lt }: Bound): boolean {
  return (
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lte === undefined || value <= lte) &&
    (lt === undefined || value < lt)
  );
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function num(bound: Bound): (s: string) => number {
  return (s) => {
    const value = DECIMAL.test(s) ? Number(s) : NaN;
    if (!Number.isFinite(value) || !inBound(value, bound)) fail(`must be a number ${boundText(bound)}`);
    return value;
  };
}

export function int(bound: Bound): (s: string) => number {
  return (s) => {
    const value = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(value) || !inBound(value, bound)) fail(`must be an integer ${boundText(bound)}`);
    return value;
  };
}

export function bigUint(bound: { gte: bigint; lte: bigint }): (s: string) => bigint {
  return (s) => {
    const value = /^\d+$/.test(s) ? BigInt(s) : undefined;
    if (value === undefined || value < bound.gte || value > bound.lte)
      fail(`must be an integer in [${bound.gte}, ${bound.lte}]`);
    return value;
  };
}

export function bool(s: string): boolean {
  const lower = s.toLowerCase();
  if (["true", "1", "yes"].includes(lower)) return true;
  if (["false", "0", "no"].includes(lower)) return false;
  return fail("must be true or false");
}

export function oneOf<const T extends string>(values: readonly T[]): (s: string) => T {
  return (s) => (values.includes(s as T) ? (s as T) : fail(`must be one of ${values.join(", ")}`));
}

export function text(s: string): string {
  return s;
}

/** Any-case hex is checksummed; mixed case must already carry a correct EIP-55 checksum (it catches typos). */
export function address(s: string): `0x${string}` {
  if (!isAddress(s, { strict: false })) fail("must be a 20-byte hex address (0x + 40 hex digits)");
  const mixedCase = s.slice(2) !== s.slice(2).toLowerCase() && s.slice(2) !== s.slice(2).toUpperCase();
  if (mixedCase && !isAddress(s, { strict: true })) fail("has a wrong EIP-55 checksum");
  const checksummed = getAddress(s);
  if (BigInt(checksummed) === 0n) fail("must not be the zero address");
  return checksummed;
}

export function privateKey(s: string): `0x${string}` {
  if (!/^0x[0-9a-fA-F]{64}$/.test(s)) fail("must be 0x followed by 64 hex digits");
  const scalar = BigInt(s);
  if (scalar === 0n || scalar >= SECP256K1_N) fail("is not a valid secp256k1 private key");
  return s as `0x${string}`;
}

export function rpcUrls(s: string): string[] {
  const urls = s
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (urls.length === 0) fail("must list at least one URL");
  urls.forEach((url, i) => {
    // `localhost:8545` parses as a URL with the scheme "localhost:"; say what is missing instead.
    if (/^[\w.-]+:\d+(\/|$)/.test(url))
      fail(`entry ${i + 1} has no scheme: write http://${url} (or https://, ws://, wss://)`);
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      return fail(`entry ${i + 1} is not a URL`);
    }
    if (!["http:", "https:", "ws:", "wss:"].includes(protocol))
      fail(`entry ${i + 1} must be an http(s) or ws(s) URL, not ${protocol}`);
  });
  return urls;
}

export const required =
  <T>(parse: (s: string) => T) =>
  (raw: string | undefined): T =>
    raw === undefined ? fail("is required") : parse(raw);

export const withDefault =
  <T>(fallback: T, parse: (s: string) => T) =>
  (raw: string | undefined): T =>
    raw === undefined ? fallback : parse(raw);

export const optional =
  <T>(parse: (s: string) => T) =>
  (raw: string | undefined): T | undefined =>
    raw === undefined ? undefined : parse(raw);

/**
 * One environment variable: a string or absent, blank counting as absent (`HK_X=` in a .env file).
 * Values are trimmed except passwords, where spaces may be part of the secret.
 */
export function envVar<T>(parse: (raw: string | undefined) => T, { trim = true } = {}) {
  return z
    .string({ error: "must be a string" })
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === "" ? undefined : trim ? raw.trim() : raw;
      try {
        return parse(value);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        ctx.addIssue(error.message);
        return z.NEVER;
      }
    });
}
