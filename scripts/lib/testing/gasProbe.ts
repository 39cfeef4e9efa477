/**
 * Gas probes for the gas bench section (bench/gas.ts), reusable by tests: the adapter's `rebalance`
 * against a bare SwapRouter `exactInputSingle` of the same size from the same pool state, and the vault's
 * `netDeltaWad` view. Both leave the chain as they found it (evm_snapshot / evm_revert).
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HedgeAdapter, OptionsVault } from "../../../types/ethers-contracts/index.js";
import { fundUsdc, POOL_FEE, type Market } from "../market/market.js";

export interface RebalanceGasComparison {
  amountInUsdc6: bigint;
  /** gas used by `HedgeAdapter.rebalance` (buy WETH with the vault's USDC) */
  rebalanceGas: number;
  /** gas used by `SwapRouter.exactInputSingle` of the same USDC in, same pool state, sent by an EOA */
  bareSwapGas: number;
  /** call trees of both transactions (debug_traceTransaction, callTracer), when asked for */
  traces: { rebalance: CallFrame; bareSwap: CallFrame } | null;
}

/** One frame of Geth's callTracer output (hex quantities as the node returns them). */
export interface CallFrame {
  type: string;
  from: string;
  to?: string;
  input: string;
  gas: string;
  gasUsed: string;
  calls?: CallFrame[];
}

export interface RebalanceGasArgs {
  ethers: HardhatEthers;
  market: Market;
  adapter: HedgeAdapter;
  /** holds KEEPER_ROLE on the adapter */
  keeper: HardhatEthersSigner;
  /** any funded EOA; it gets the USDC for the bare swap */
  swapper: HardhatEthersSigner;
  amountInUsdc6: bigint;
  /** also return both transactions' call trees (for a breakdown of where the gas goes) */
  callTrace?: boolean;
}

const DEADLINE_AHEAD_SEC = 300;

async function snapshot(ethers: HardhatEthers): Promise<string> {
  return (await ethers.provider.send("evm_snapshot", [])) as string;
}

async function revert(ethers: HardhatEthers, id: string): Promise<void> {
  const ok = (await ethers.provider.send("evm_revert", [id])) as boolean;
  if (!ok) throw new Error(`gas probe: evm_revert to snapshot ${id} failed`);
}

async function deadline(ethers: HardhatEthers): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp + DEADLINE_AHEAD_SEC);
}

async function callTrace(ethers: HardhatEthers, txHash: string): Promise<CallFrame> {
  return (await ethers.provider.send("debug_traceTransaction", [txHash, { tracer: "callTracer" }])) as CallFrame;
}

/**
 * Gas of one hedge through the adapter vs the same swap sent straight to the router. The vault must be short delta by
 * more than the trade (the adapter is reduce-only) and its oracle fresh. The bare swapper is funded and approved
 * before the snapshot, so both swaps meet the same pool, balances and warm/cold state; the chain is restored after.
 */
export async function compareRebalanceWithBareSwap(args: RebalanceGasArgs): Promise<RebalanceGasComparison> {
  const { ethers, market, adapter, keeper, swapper, amountInUsdc6 } = args;
  const before = await snapshot(ethers);
  try {
    await fundUsdc(market, swapper.address, amountInUsdc6);
    await (await market.usdc.connect(swapper).getFunction("approve")(market.book.swapRouter, amountInUsdc6)).wait();
    const samePoolState = await snapshot(ethers);

    const hedge = await adapter.connect(keeper).rebalance({
      buyWeth: true,
      amountIn: amountInUsdc6,
      minAmountOut: 0n,
      deadline: await deadline(ethers),
      expectedNonce: await adapter.hedgeNonce(),
    });
    const hedgeReceipt = (await hedge.wait())!;
    const rebalanceTrace = args.callTrace ? await callTrace(ethers, hedgeReceipt.hash) : null;

    await revert(ethers, samePoolState);
    const swap = await market.router.connect(swapper).getFunction("exactInputSingle")({
      tokenIn: market.book.usdc,
      tokenOut: market.book.weth,
      fee: POOL_FEE,
      recipient: swapper.address,
      deadline: await deadline(ethers),
      amountIn: amountInUsdc6,
      amountOutMinimum: 0n,
      sqrtPriceLimitX96: 0n,
    });
    const swapReceipt = (await swap.wait())!;
    const bareSwapTrace = args.callTrace ? await callTrace(ethers, swapReceipt.hash) : null;
    return {
      amountInUsdc6,
      rebalanceGas: Number(hedgeReceipt.gasUsed),
      bareSwapGas: Number(swapReceipt.gasUsed),
      traces: rebalanceTrace && bareSwapTrace ? { rebalance: rebalanceTrace, bareSwap: bareSwapTrace } : null,
    };
  } finally {
    await revert(ethers, before);
  }
}

/** Gas of the vault's `netDeltaWad()` view as a transaction would pay it (eth_estimateGas, includes the 21,000 base). */
export async function netDeltaViewGas(vault: OptionsVault): Promise<number> {
  return Number(await vault.netDeltaWad.estimateGas());
}
