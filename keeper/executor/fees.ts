import { parseGwei } from "viem";

export interface FeeSettings {
  maxFeePerGasGwei: number;
  maxPriorityFeePerGasGwei: number;
  feeBumpPercent: number;
}

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

const gwei = (value: number) => parseGwei(value.toString());

/**
 * EIP-1559 fees for a new transaction: tip from config, max fee = 2 × base fee + tip, capped at the ceiling.
 * Returns null when the ceiling cannot even cover base fee + tip (the transaction would never be included).
 */
export function initialFees(baseFeePerGas: bigint, settings: FeeSettings): Fees | null {
  const ceiling = gwei(settings.maxFeePerGasGwei);
  const tip = gwei(settings.maxPriorityFeePerGasGwei);
  if (baseFeePerGas + tip > ceiling) return null;
  const wanted = 2n * baseFeePerGas + tip;
  return { maxFeePerGas: wanted < ceiling ? wanted : ceiling, maxPriorityFeePerGas: tip };
}

/**
 * Fees for a same-nonce replacement: both fields bumped by at least `feeBumpPercent` (nodes require >= 10%, geth
 * 12.5% for blob-less replacement in some versions: we enforce >= 12.5 in config), rounded up, capped at the ceiling.
 * Returns null when the ceiling leaves no room for a valid bump.
 */
export function bumpFees(previous: Fees, settings: FeeSettings): Fees | null {
  const ceiling = gwei(settings.maxFeePerGasGwei);
  const bump = (value: bigint) =>
    (value * BigInt(Math.round((100 + settings.feeBumpPercent) * 100)) + 9_999n) / 10_000n;
  const maxFeePerGas = bump(previous.maxFeePerGas);
  const maxPriorityFeePerGas = bump(previous.maxPriorityFeePerGas);
  if (maxFeePerGas > ceiling) return null;
  return {
    maxFeePerGas,
    maxPriorityFeePerGas: maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas,
  };
}
