import type { Hex, LocalAccount, PublicClient } from "viem";
import type { Logger } from "pino";
import type { Deployment } from "../chain/snapshot.js";
import type { Journal } from "../journal/index.js";
import type { FeeSettings } from "./fees.js";
import type { Broadcaster } from "./send.js";

/** after-intent: intent row written, no transaction row yet (a crash in the middle of the journal write). */
export type FaultPoint = "after-intent" | "after-journal" | "after-send" | "after-receipt";

/**
 * What every step of the send path (simulate, sign, send, watch, replace, confirm) needs, resolved once by
 * createExecutor: the steps are plain functions of this context, so each can be driven alone in a test.
 */
export interface ExecutorContext {
  publicClient: PublicClient;
  account: LocalAccount;
  chainId: number;
  deployment: Deployment;
  journal: Journal;
  logger: Logger;
  gas: FeeSettings & { gasLimitHedge: bigint; replaceAfterBlocks: number };
  confirmations: number;
  receiptTimeoutMs: number;
  pollMs: number;
  now: () => number;
  broadcaster: Broadcaster;
  hook: (point: FaultPoint, intentId: string) => void | Promise<void>;
}

interface HedgedEvent {
  amountIn: bigint;
  amountOut: bigint;
  deltaBeforeWad: bigint;
  deltaAfterWad: bigint;
  oraclePriceWad: bigint;
  poolPriceWad: bigint;
}

export type HedgeOutcome =
  | ({
      kind: "succeeded";
      intentId: string;
      txHash: Hex;
      gasUsed: bigint;
      effectiveGasPrice: bigint;
      blockNumber: bigint;
    } & HedgedEvent)
  | {
      kind: "reverted";
      intentId: string;
      txHash: Hex;
      error: string;
      gasUsed: bigint;
      effectiveGasPrice: bigint;
      blockNumber: bigint;
    }
  | { kind: "rejected"; intentId: string; error: string; errorName: string }
  | { kind: "deferred"; reason: string }
  | { kind: "pending"; intentId: string; txHash: Hex }
  | { kind: "dropped"; intentId: string; reason: string };
