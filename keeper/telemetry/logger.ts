/**
 * Structured JSON logs (pino). Secrets never reach the output: known paths are redacted by pino, and every
 * line is scrubbed before it is written: values under secret-named keys, and credentials in any URL.
 */
import pino from "pino";

import { redactUrl, type LogLevel } from "../config/index.js";

const REDACTED = "[redacted]";

/** Keys whose value is a secret whatever it looks like. */
const SECRET_KEY = /private_?key|secret|passw(or)?d|passphrase|mnemonic|api_?key|^pk$/i;
/** Keys whose value is a secret when it looks like one: a 32-byte hex string (`{ key: "0x…" }`, `signingKey`). */
const KEY_LIKE = /key/i;
const HEX_32_BYTES = /^(0x)?[0-9a-fA-F]{64}$/;
/** A URL inside any text, up to whitespace, a quote, a backslash (JSON escapes) or angle brackets. */
const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'\\<>`]+/gi;

/** Paths pino redacts before serialising; RPC URLs are masked, not dropped, so logs still say which node. */
const REDACT_PATHS = [
  "privateKey",
  "*.privateKey",
  "signer.privateKey",
  "password",
  "*.password",
  "signer.password",
  "keystorePassword",
  "*.keystorePassword",
  "mnemonic",
  "*.mnemonic",
  "rpcUrl",
  "*.rpcUrl",
  "rpcUrls",
  "*.rpcUrls",
];

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? "";
  if (!key.startsWith("rpcUrl")) return REDACTED;
  if (typeof value === "string") return redactUrl(value);
  if (Array.isArray(value)) return value.map((url) => (typeof url === "string" ? redactUrl(url) : REDACTED));
  return REDACTED;
}

export function maskUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

function isSecretEntry(key: string, value: unknown): boolean {
  return SECRET_KEY.test(key) || (KEY_LIKE.test(key) && typeof value === "string" && HEX_32_BYTES.test(value));
}

/** A copy of a parsed log line with secrets masked. */
function scrub(value: unknown): unknown {
  if (typeof value === "string") return maskUrls(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        isSecretEntry(key, entry) && entry !== null ? REDACTED : scrub(entry),
      ]),
    );
  return value;
}

/** Last pass over each serialised line: pino hands over `JSON + "\n"` and expects the same back. */
export function scrubLine(line: string): string {
  try {
    return `${JSON.stringify(scrub(JSON.parse(line)))}\n`;
  } catch {
    return maskUrls(line);
  }
}

export interface LoggerOptions {
  level: LogLevel;
  /** where lines go; stderr when omitted, so stdout stays the CLI's data channel (`--json` is one document) */
  destination?: pino.DestinationStream;
  /** extra fields on every line, e.g. { service: "keeper" } */
  base?: Record<string, unknown>;
}

/** A pino JSON logger with level labels, ISO timestamps and secret redaction. */
export function createLogger(opts: LoggerOptions): pino.Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: opts.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor },
    hooks: { streamWrite: scrubLine },
  };
  // Synchronous stderr: a line logged just before process.exit (a start-up error) is not lost in a buffer.
  return pino(options, opts.destination ?? pino.destination({ dest: 2, sync: true }));
}

/** A child logger that stamps every line with the cycle id. */
export function withCycle(logger: pino.Logger, cycleId: number | string): pino.Logger {
  return logger.child({ cycle: cycleId });
}
