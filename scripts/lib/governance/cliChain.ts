/**
 * The gov CLI's connection to a deployment: checks the RPC node is the deployment's chain, connects the governance
 * contracts, picks the signer, and reports a reverted transaction by its named error.
 */
import { Command } from "commander";
import { JsonRpcProvider, Network, Wallet, type TransactionReceipt } from "ethers";
import {
  HedgeAdapter__factory,
  HedgeGovernanceToken__factory,
  HedgeGovernor__factory,
  HedgeTimelock__factory,
} from "../../../types/ethers-contracts/index.js";
import { readDeployment, requireGovernance } from "../deploy/deployment.js";
import { explainError } from "./revert.js";
import { jsonRpc } from "../node/rpc.js";

/** Hardhat's first well-known dev account (mnemonic "test test … junk"); used only on chain 31337. */
const HARDHAT_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const HARDHAT_CHAIN_ID = 31337;

export interface GovIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

export interface GlobalOptions {
  rpc: string;
  deployment: string;
  privateKey?: string;
}

/** A user-facing failure: printed as one line, exit code 1. */
export class GovCliError extends Error {}

async function chainIdAt(rpc: string): Promise<number> {
  return Number(BigInt((await jsonRpc(rpc, "eth_chainId")) as string));
}

export async function openChain(globals: GlobalOptions, io: GovIo, rpcOverride?: string) {
  const rpc = rpcOverride ?? globals.rpc;
  const deployment = requireGovernance(await readDeployment(globals.deployment), globals.deployment);
  const chainId = await chainIdAt(rpc);
  if (rpcOverride === undefined && chainId !== deployment.chainId) {
    throw new GovCliError(`${rpc} is chain ${chainId}, but ${globals.deployment} is for chain ${deployment.chainId}`);
  }
  // No response cache: back-to-back transactions from one wallet must each read the fresh pending nonce.
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: Network.from(chainId), cacheTimeout: -1 });
  const { stack } = deployment;
  let wallet: Wallet | undefined;
  return {
    rpc,
    provider,
    chainId,
    deployment,
    governor: HedgeGovernor__factory.connect(stack.governor, provider),
    timelock: HedgeTimelock__factory.connect(stack.timelock, provider),
    token: HedgeGovernanceToken__factory.connect(stack.token, provider),
    adapter: HedgeAdapter__factory.connect(stack.adapter, provider),
    /** The transaction signer: --private-key, else HK_GOV_PRIVATE_KEY, else Hardhat's dev account on chain 31337. */
    signer(): Wallet {
      if (wallet !== undefined) return wallet;
      const key =
        globals.privateKey ?? io.env.HK_GOV_PRIVATE_KEY ?? (chainId === HARDHAT_CHAIN_ID ? HARDHAT_DEV_KEY : undefined);
      if (key === undefined) {
        throw new GovCliError(
          `no signer: pass --private-key or set HK_GOV_PRIVATE_KEY (chain ${chainId} is not a dev chain)`,
        );
      }
      try {
        wallet = new Wallet(key, provider);
      } catch {
        throw new GovCliError("the private key is not a 32-byte hex string");
      }
      return wallet;
    },
    close: () => provider.destroy(),
  };
}

export type Chain = Awaited<ReturnType<typeof openChain>>;

/** Opens the chain, runs `fn`, and always closes the provider (its polling would keep the process alive). */
export async function withChain(command: Command, io: GovIo, fn: (chain: Chain) => Promise<void>, rpc?: string) {
  const chain = await openChain(command.optsWithGlobals<GlobalOptions>(), io, rpc);
  try {
    await fn(chain);
  } finally {
    chain.close();
  }
}

/** Sends a transaction and waits for it; a revert is reported with its named error. */
export async function send<T extends { wait: () => Promise<unknown> }>(what: string, tx: () => Promise<T>) {
  try {
    const response = await tx();
    return (await response.wait()) as TransactionReceipt;
  } catch (error) {
    throw new GovCliError(`${what} ${explainError(error)}`);
  }
}
