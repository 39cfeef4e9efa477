/**
 * Names the custom error behind a revert. A governor's `execute` bubbles up the adapter's revert data through the
 * timelock, so the error is decoded against every contract of the stack, not only the one that was called.
 */
import { Interface, isCallException, type ErrorDescription } from "ethers";
import { formatCustomError } from "../../../keeper/chain/errorArgs.js";
import {
  HedgeAdapter__factory,
  HedgeGovernanceToken__factory,
  HedgeGovernor__factory,
  HedgeTimelock__factory,
  OptionsVault__factory,
} from "../../../types/ethers-contracts/index.js";

const STACK_INTERFACES: readonly Interface[] = [
  HedgeAdapter__factory.createInterface(),
  OptionsVault__factory.createInterface(),
  HedgeGovernor__factory.createInterface(),
  HedgeTimelock__factory.createInterface(),
  HedgeGovernanceToken__factory.createInterface(),
];

const STANDARD = new Interface(["error Error(string reason)", "error Panic(uint256 code)"]);

/** The revert data (0x…) carried by an ethers or Hardhat error, however deeply it is nested; null when none. */
export function revertDataOf(error: unknown): string | null {
  const seen = new Set<unknown>();
  let node: unknown = error;
  const queue: unknown[] = [];
  while (node !== undefined && node !== null && !seen.has(node)) {
    seen.add(node);
    if (typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (typeof record.data === "string" && /^0x[0-9a-fA-F]*$/.test(record.data) && record.data.length >= 10) {
        return record.data;
      }
      if (typeof record.data === "object" && record.data !== null) {
        const inner = (record.data as Record<string, unknown>).data;
        if (typeof inner === "string" && /^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner;
      }
      queue.push(record.error, record.info, record.cause);
    }
    node = queue.shift();
  }
  return null;
}

/** Decodes revert data against the stack's ABIs and Error/Panic; null when no ABI knows the selector. */
export function decodeRevert(data: string): ErrorDescription | null {
  for (const iface of [...STACK_INTERFACES, STANDARD]) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) return parsed;
    } catch {
      // not this ABI's error (or malformed arguments for it): try the next one
    }
  }
  return null;
}

/**
 * `ParamOutOfBounds(deltaBandWad = 2000000000000000000000, allowed [10000000000000000, 1000000000000000000000])`,
 * `GovernorUnexpectedProposalState(proposal 42 is Active, expected Succeeded|Queued)`, or null.
 */
export function formatRevert(data: string): string | null {
  const parsed = decodeRevert(data);
  if (parsed === null) return null;
  return formatCustomError(parsed.name, [...parsed.args]);
}

/** A one-line explanation of a failed call or transaction: the named custom error when one is known. */
export function explainError(error: unknown): string {
  const data = revertDataOf(error);
  const named = data === null ? null : formatRevert(data);
  if (named !== null) return `reverted with ${named}`;
  if (isCallException(error) && error.reason) return `reverted: ${error.reason}`;
  const message = (error as { shortMessage?: string; message?: string }).shortMessage ?? String(error);
  return data === null ? message : `${message} (revert data ${data})`;
}
