/**
 * `gov simulate`: executes a proposal's calls as the timelock on a throw-away copy of the chain, reads the parameters
 * they leave behind, and replays the keeper policy over a price path with the current and the proposed parameters.
 *
 * The copy is an `evm_snapshot` of a Hardhat node (or of a Hardhat node forking the target chain): impersonate the
 * timelock (`hardhat_impersonateAccount` + `hardhat_setBalance`), send each call, read, then `evm_revert`. Nothing the
 * simulation does survives it, whether it succeeds or throws.
 */
import { Contract, toQuantity, type Provider } from "ethers";
import { evaluateBook, type Book } from "../../../keeper/risk/index.js";
import { defaultPolicyConfig, type CostModel, type PolicyConfig } from "../../../keeper/policy/index.js";
import { oracleAnswerToWad, wadToNumber } from "../../../keeper/units.js";
import {
  HedgeAdapter__factory,
  OptionsVault__factory,
  type OptionsVault,
} from "../../../types/ethers-contracts/index.js";
import { readAdapterParams, readVaultBook } from "./chainReads.js";
import {
  DEFAULT_REPLAY_COST,
  gbmPath,
  governanceParamsFromAdapter,
  replayPolicy,
  type PricePoint,
  type ReplayStats,
} from "./policyReplay.js";
import { describeCall } from "./proposalCalls.js";
import { explainError } from "./revert.js";
import type { AdapterParams } from "../market/stack.js";

/** A provider that also takes raw JSON-RPC calls (ethers JsonRpcProvider, Hardhat's ethers provider). */
export interface RpcProvider extends Provider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export interface Calls {
  targets: readonly string[];
  values: readonly bigint[];
  calldatas: readonly string[];
}

/** A call of the proposal reverted on the snapshot; `reason` names the custom error when it is known. */
export class SimulatedCallRevertedError extends Error {
  constructor(
    readonly index: number,
    readonly call: string,
    readonly reason: string,
  ) {
    super(`call ${index + 1} (${call}) ${reason}`);
    this.name = "SimulatedCallRevertedError";
  }
}

/** Runs `fn` on an `evm_snapshot` and always reverts to it afterwards, whether `fn` succeeds or throws. */
export async function onSnapshot<T>(provider: RpcProvider, fn: () => Promise<T>): Promise<T> {
  const snapshotId = await provider.send("evm_snapshot", []);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await revertTo(provider, snapshotId);
    throw error;
  }
  await revertTo(provider, snapshotId);
  return result;
}

async function revertTo(provider: RpcProvider, snapshotId: unknown): Promise<void> {
  if ((await provider.send("evm_revert", [snapshotId])) !== true) {
    throw new Error(`evm_revert(${String(snapshotId)}) failed: the node kept the simulated state`);
  }
}

/**
 * Sends the calls from the timelock, in order, on the current state (call it inside `onSnapshot`). Each call is
 * first run with `eth_call`, so a revert is reported with its named error and nothing is mined.
 * @throws SimulatedCallRevertedError for the first call that reverts
 */
export async function executeAsTimelock(
  provider: RpcProvider,
  timelock: string,
  adapter: string,
  calls: Calls,
): Promise<void> {
  await provider.send("hardhat_impersonateAccount", [timelock]);
  try {
    await provider.send("hardhat_setBalance", [timelock, toQuantity(10n ** 20n)]);
    for (let i = 0; i < calls.targets.length; i++) {
      const tx = { from: timelock, to: calls.targets[i]!, data: calls.calldatas[i]!, value: calls.values[i] ?? 0n };
      const call = describeCall(adapter, tx.to, tx.data);
      try {
        await provider.call(tx);
      } catch (error) {
        throw new SimulatedCallRevertedError(i, call, explainError(error));
      }
      const hash = (await provider.send("eth_sendTransaction", [{ ...tx, value: toQuantity(tx.value) }])) as string;
      let receipt = await provider.getTransactionReceipt(hash);
      if (receipt === null) {
        await provider.send("evm_mine", []); // a node without automine
        receipt = await provider.getTransactionReceipt(hash);
      }
      if (receipt?.status !== 1) throw new SimulatedCallRevertedError(i, call, `failed in transaction ${hash}`);
    }
  } finally {
    await provider.send("hardhat_stopImpersonatingAccount", [timelock]);
  }
}

export interface SimulationOptions {
  /** price path to replay; a seeded GBM from the current feed price and block time when omitted */
  path?: readonly PricePoint[];
  seed?: number;
  /** GBM horizon and step */
  days?: number;
  stepSec?: number;
  /** GBM vol; the book's |size|-weighted vol (or 80% for an empty book) when omitted */
  volAnnual?: number;
  config?: PolicyConfig;
  cost?: CostModel;
}

export interface SimulationResult {
  current: AdapterParams;
  proposed: AdapterParams;
  calls: string[];
  pathPoints: number;
  currentStats: ReplayStats;
  proposedStats: ReplayStats;
}

/**
 * Executes `calls` as the timelock on a snapshot, reads the resulting adapter parameters, reverts, then replays the
 * policy over the path with the current and with the proposed parameters, from the vault's current book and WETH.
 * @throws SimulatedCallRevertedError when a call reverts (e.g. ParamOutOfBounds)
 */
export async function simulateProposal(
  provider: RpcProvider,
  stack: { adapter: string; vault: string; timelock: string },
  calls: Calls,
  options: SimulationOptions = {},
): Promise<SimulationResult> {
  const adapter = HedgeAdapter__factory.connect(stack.adapter, provider);
  const vault = OptionsVault__factory.connect(stack.vault, provider);
  const current = await readAdapterParams(adapter);
  const proposed = await onSnapshot(provider, async () => {
    await executeAsTimelock(provider, stack.timelock, stack.adapter, calls);
    return readAdapterParams(adapter);
  });

  const { book, wethEth } = await readVaultBook(vault);
  const path = options.path ?? (await defaultPath(provider, vault, book, options));
  const replay = (params: AdapterParams) =>
    replayPolicy({
      path,
      book,
      initialHedgeEth: wethEth,
      params: governanceParamsFromAdapter(params),
      config: options.config ?? defaultPolicyConfig("band"),
      cost: options.cost ?? DEFAULT_REPLAY_COST,
      volAnnual: options.volAnnual,
    });
  return {
    current,
    proposed,
    calls: calls.targets.map((target, i) => describeCall(stack.adapter, target, calls.calldatas[i]!)),
    pathPoints: path.length,
    currentStats: replay(current),
    proposedStats: replay(proposed),
  };
}

const AGGREGATOR_ABI = [
  "function decimals() view returns (uint8)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
];

/** GBM vol when the book is empty. */
const DEFAULT_PATH_VOL = 0.8;

async function defaultPath(
  provider: RpcProvider,
  vault: OptionsVault,
  book: Book,
  options: SimulationOptions,
): Promise<PricePoint[]> {
  const feed = new Contract(await vault.priceFeed(), AGGREGATOR_ABI, provider);
  const [round, decimals, block] = await Promise.all([
    feed.getFunction("latestRoundData")() as Promise<{ answer: bigint }>,
    feed.getFunction("decimals")() as Promise<bigint>,
    provider.getBlock("latest"),
  ]);
  const startPriceUsd = wadToNumber(oracleAnswerToWad(round.answer, Number(decimals)));
  const startSec = block!.timestamp;
  const bookVol = evaluateBook(book, startPriceUsd, startSec).weightedVol;
  const stepSec = options.stepSec ?? 300;
  return gbmPath({
    seed: options.seed ?? 1,
    startPriceUsd,
    startSec,
    volAnnual: options.volAnnual ?? (bookVol > 0 ? bookVol : DEFAULT_PATH_VOL),
    stepSec,
    steps: Math.round(((options.days ?? 7) * 24 * 3600) / stepSec),
  });
}
