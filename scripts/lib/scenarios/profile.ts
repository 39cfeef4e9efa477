/**
 * Chain profiles: where the scenarios run. Both end in the same `Market` shape, so the world, the driver and every
 * scenario are one code path:
 *
 * - `replica`: a fresh in-process Hardhat chain with the market replica (real Uniswap V3 bytecode, WETH9, a 6-decimal
 *   USDC, Chainlink's MockV3Aggregator), deployed by `deployReplicaMarket`;
 * - `fork`: Hardhat's `mainnetFork` network (hardhat.config.ts) pinned at `MAINNET_FORK_BLOCK`, on the canonical
 *   contracts of `MAINNET` (keeper/chain/addressBook.ts), with the feed taken over (see forkMarket.ts).
 */
import { network } from "hardhat";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { EIP1193RequestFn } from "viem";
import { MAINNET } from "../../../keeper/chain/addressBook.js";
import { deployReplicaMarket, type Market } from "../market/market.js";
import { FORK_BLOCK_VARIABLE, FORK_NETWORK, configuredForkBlock, forkUnavailableReason } from "./forkConfig.js";
import { attachForkMarket } from "./forkMarket.js";
import { checkForkInputs } from "./forkPreflight.js";
import type { Capability, ProfileName } from "./types.js";

/** A connected chain with its market ready; dev account 0 deployed (or took over) the market. */
export interface OpenChain {
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
  request: EIP1193RequestFn;
  market: Market;
  close(): Promise<void>;
}

export interface ChainProfile {
  name: ProfileName;
  /** what chain this is, for the report */
  title: string;
  /** null when the profile can run here, else why not (printed: a profile never passes silently) */
  unavailableReason(): string | null;
  capabilities: ReadonlySet<Capability>;
  /** why a capability is missing, for the skip reason of a scenario that needs it */
  lacks(capability: Capability): string;
  open(): Promise<OpenChain>;
}

const REPLICA_SPOT_USD = 3000;

/** Connects to `networkName` (default: a fresh in-process chain) and sets up its market with dev account 0. */
async function openChain(
  networkName: string | undefined,
  setUpMarket: (ethers: HardhatEthers, helpers: NetworkHelpers, deployer: HardhatEthersSigner) => Promise<Market>,
): Promise<OpenChain> {
  const connection = await network.create(networkName);
  const { ethers, networkHelpers } = connection;
  try {
    const [deployer] = await ethers.getSigners();
    return {
      ethers,
      helpers: networkHelpers,
      request: connection.provider.request.bind(connection.provider) as EIP1193RequestFn,
      market: await setUpMarket(ethers, networkHelpers, deployer!),
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

export const replicaProfile: ChainProfile = {
  name: "replica",
  title: "market replica (in-process Hardhat chain)",
  unavailableReason: () => null,
  capabilities: new Set<Capability>(["own-liquidity"]),
  lacks: (capability) => `the replica has every capability (${capability})`,
  open: () =>
    openChain(undefined, (ethers, _helpers, deployer) =>
      deployReplicaMarket(ethers, deployer, { initialPriceUsd: REPLICA_SPOT_USD }),
    ),
};

export const forkProfile: ChainProfile = {
  name: "fork",
  get title() {
    const block = configuredForkBlock() ?? `(${FORK_BLOCK_VARIABLE} invalid)`;
    return `mainnet fork at block ${block} (${FORK_NETWORK})`;
  },
  unavailableReason: () => forkUnavailableReason(),
  capabilities: new Set<Capability>(),
  lacks: (capability) =>
    capability === "own-liquidity"
      ? "the canonical pool's liquidity belongs to third parties and cannot be withdrawn on a fork"
      : `not available on the fork (${capability})`,
  /** @throws ForkInputError (one line: the variable, its value, the fix) before forking when an input is wrong */
  async open() {
    const reason = forkUnavailableReason();
    if (reason !== null) throw new Error(`the fork profile cannot run: ${reason}`);
    await checkForkInputs(MAINNET);
    return openChain(FORK_NETWORK, (ethers, helpers, deployer) => attachForkMarket(ethers, helpers, deployer, MAINNET));
  },
};

export const PROFILES: Record<ProfileName, ChainProfile> = { replica: replicaProfile, fork: forkProfile };

/** The fork when MAINNET_RPC_URL is set, the replica otherwise. */
export function defaultProfile(): ChainProfile {
  return forkProfile.unavailableReason() === null ? forkProfile : replicaProfile;
}
