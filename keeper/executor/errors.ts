import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from "viem";
import { hedgeAdapterAbi } from "../chain/abis.generated.js";
import { formatCustomError } from "../chain/errorArgs.js";

/**
 * What went wrong, and whether trying again can help:
 * - `guard`: the adapter (or the router/pool) refused the trade; named, and retrying the same request cannot help;
 * - `retryable`: transport trouble, timeouts, nonce/fee races; the next cycle re-reads and tries again.
 */
export type ClassifiedError =
  | { kind: "guard"; name: string; args: readonly unknown[]; message: string }
  | {
      kind: "retryable";
      reason: "timeout" | "transport" | "nonce" | "underpriced" | "known" | "unknown";
      message: string;
    };

type RetryReason = Extract<ClassifiedError, { kind: "retryable" }>["reason"];

const RETRYABLE_PATTERNS: [RegExp, RetryReason][] = [
  [/nonce too low|nonce has already been used|invalid nonce/i, "nonce"],
  [/underpriced|fee too low|max fee per gas less than block base fee/i, "underpriced"],
  [/already known|known transaction/i, "known"],
  [/timed? ?out|timeout/i, "timeout"],
  [
    /fetch failed|ECONNREFUSED|ECONNRESET|socket|network|HTTP request failed|invalid json|Unexpected token|JSON/i,
    "transport",
  ],
];

/** Decodes revert data against the adapter ABI (which includes the oracle, vault-facing and OZ errors). */
export function decodeRevertData(data: Hex | undefined): { name: string; args: readonly unknown[] } | null {
  if (!data || data === "0x") return null;
  try {
    const decoded = decodeErrorResult({ abi: hedgeAdapterAbi, data });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return null;
  }
}

export function classifyError(error: unknown): ClassifiedError {
  const message =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName ?? revert.reason ?? "UnknownRevert";
      return { kind: "guard", name, args: revert.data?.args ?? [], message: revert.shortMessage };
    }
    const details = `${error.details ?? ""} ${error.message}`;
    for (const [pattern, reason] of RETRYABLE_PATTERNS) {
      if (pattern.test(details)) return { kind: "retryable", reason, message };
    }
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
    const decoded = decodeRevertData(withData?.data);
    if (decoded) return { kind: "guard", ...decoded, message };
    if (/revert/i.test(details)) {
      const reason =
        /reverted with reason string '([^']+)'/.exec(details)?.[1] ?? /reason: ([^\n]+)/.exec(details)?.[1];
      return { kind: "guard", name: reason ?? "Reverted", args: [], message };
    }
  } else {
    for (const [pattern, reason] of RETRYABLE_PATTERNS) {
      if (pattern.test(message)) return { kind: "retryable", reason, message };
    }
  }
  return { kind: "retryable", reason: "unknown", message };
}

/** "CooldownActive(1732550000)" — how a guard error is reported in logs, the journal and the CLI. */
export function formatGuard(error: { name: string; args: readonly unknown[] }): string {
  return formatCustomError(error.name, error.args); // enum arguments by name (parameter, proposal state)
}
