/**
 * DAO governance of the hedging thresholds: deploys the voting token, the timelock and the governor, hands the
 * vault's and the adapter's admin role to the timelock, and reads proposals back (their calls come from the
 * `ProposalCreated` event: OpenZeppelin's Governor stores only their hash).
 *
 * After `handOverToTimelock` the timelock is the only DEFAULT_ADMIN_ROLE holder of the vault and the adapter, so every
 * parameter change (`adapter.setParam`), keeper grant or revocation and guardian appointment is a proposal
 * (see `proposalCalls.ts`), executed `timelockDelaySec` after the vote succeeded and was queued.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id as hashDescription, ZeroAddress, type AddressLike, type Signer } from "ethers";
import type {
  HedgeGovernanceToken,
  HedgeGovernor,
  HedgeTimelock,
  HedgeAdapter,
  OptionsVault,
} from "../../types/ethers-contracts/index.js";
import type { Stack } from "./stack.js";
import { PARAM_FIELDS } from "../../keeper/chain/governance.js";

// ------------------------------------------------------------------ parameter names

/**
 * `IHedgeAdapter.Param` enum index ↔ `IHedgeAdapter.Params` field name (same order in both). Use it to encode
 * `setParam(uint8 param, uint256 value)` and to name the `param` of a `ParamUpdated` event.
 */
export const PARAM_NAMES = PARAM_FIELDS;

export type ParamName = (typeof PARAM_NAMES)[number];

/** The `IHedgeAdapter.Param` enum index of a field name, or undefined for an unknown name. */
export function paramIndex(name: string): number | undefined {
  const index = (PARAM_NAMES as readonly string[]).indexOf(name);
  return index === -1 ? undefined : index;
}

/** The field name of an `IHedgeAdapter.Param` enum index. @throws RangeError for an index outside the enum */
export function paramName(index: number | bigint): ParamName {
  const name = PARAM_NAMES[Number(index)];
  if (name === undefined) throw new RangeError(`IHedgeAdapter.Param has no index ${index}`);
  return name;
}

/** Governor.ProposalState, by enum index. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** GovernorCountingSimple vote types, by enum index. */
export const VOTE_TYPES = ["against", "for", "abstain"] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

// ------------------------------------------------------------------ deployment

export interface GovernanceOptions {
  /** blocks between propose and the start of voting */
  votingDelay: number;
  /** blocks the vote stays open */
  votingPeriod: number;
  /** quorum, percent of the total supply at the proposal's snapshot (for + abstain count) */
  quorumPercent: number;
  /** seconds between queue and execute */
  timelockDelaySec: number;
  /** votes (wad) needed to propose */
  proposalThresholdWad: bigint;
  /** initial token balances (wad); nobody can vote until they delegate */
  initialHolders: { address: string; amountWad: bigint }[];
}

export const DEFAULT_GOVERNANCE_OPTIONS: Omit<GovernanceOptions, "initialHolders"> = {
  votingDelay: 1,
  votingPeriod: 50,
  quorumPercent: 4,
  timelockDelaySec: 24 * 3600,
  proposalThresholdWad: 0n,
};

export interface Governance {
  token: HedgeGovernanceToken;
  timelock: HedgeTimelock;
  governor: HedgeGovernor;
}

/**
 * Deploys the voting token (minting `initialHolders`), the timelock and the governor, and wires them: the governor is
 * the timelock's only proposer and canceller, anyone may execute a ready operation, and the deployer renounces the
 * timelock's admin role, so the timelock administers itself.
 */
export async function deployGovernance(
  ethers: HardhatEthers,
  deployer: HardhatEthersSigner,
  options: Partial<GovernanceOptions> & Pick<GovernanceOptions, "initialHolders">,
): Promise<Governance> {
  const opts: GovernanceOptions = { ...DEFAULT_GOVERNANCE_OPTIONS, ...options };
  const token = (await (
    await ethers.getContractFactory("HedgeGovernanceToken", deployer)
  ).deploy(
    opts.initialHolders.map((h) => h.address),
    opts.initialHolders.map((h) => h.amountWad),
  )) as unknown as HedgeGovernanceToken;
  await token.waitForDeployment();
  const timelock = (await (
    await ethers.getContractFactory("HedgeTimelock", deployer)
  ).deploy(opts.timelockDelaySec, [], [ZeroAddress], deployer.address)) as unknown as HedgeTimelock;
  await timelock.waitForDeployment();
  const governor = (await (
    await ethers.getContractFactory("HedgeGovernor", deployer)
  ).deploy(
    await token.getAddress(),
    await timelock.getAddress(),
    opts.votingDelay,
    opts.votingPeriod,
    opts.proposalThresholdWad,
    opts.quorumPercent,
  )) as unknown as HedgeGovernor;
  await governor.waitForDeployment();

  const governorAddress = await governor.getAddress();
  await (await timelock.grantRole(await timelock.PROPOSER_ROLE(), governorAddress)).wait();
  await (await timelock.grantRole(await timelock.CANCELLER_ROLE(), governorAddress)).wait();
  await (await timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), deployer.address)).wait();
  return { token, timelock, governor };
}

/**
 * Makes the timelock the vault's and the adapter's DEFAULT_ADMIN_ROLE and has the current admin (the signer the
 * stack's contracts are connected to) renounce it. Keeper and guardian roles granted at deployment stay; from now on
 * granting or revoking them is a proposal.
 * @throws Error when the signer is not the admin, or when the hand-over did not leave the timelock as the only admin
 */
export async function handOverToTimelock(stack: Stack, timelock: AddressLike): Promise<void> {
  const target = await resolveAddress(timelock);
  for (const [name, contract] of [
    ["vault", stack.vault],
    ["adapter", stack.adapter],
  ] as const) {
    const admin = await signerAddress(contract, name);
    const adminRole = await contract.DEFAULT_ADMIN_ROLE();
    if (!(await contract.hasRole(adminRole, admin))) {
      throw new Error(`handOverToTimelock: ${admin} is not the ${name}'s admin, cannot hand it over`);
    }
    await (await contract.grantRole(adminRole, target)).wait();
    await (await contract.renounceRole(adminRole, admin)).wait();
    if (!(await contract.hasRole(adminRole, target)) || (await contract.hasRole(adminRole, admin))) {
      throw new Error(`handOverToTimelock: the ${name}'s admin role did not move to ${target}`);
    }
  }
}

async function resolveAddress(value: AddressLike): Promise<string> {
  const resolved = await value;
  return typeof resolved === "string" ? resolved : resolved.getAddress();
}

async function signerAddress(contract: HedgeAdapter | OptionsVault, name: string): Promise<string> {
  const runner = contract.runner as Signer | null;
  if (runner === null || typeof runner.getAddress !== "function") {
    throw new Error(`handOverToTimelock: the ${name} contract is not connected to a signer`);
  }
  return runner.getAddress();
}

// ------------------------------------------------------------------ proposals

/** A proposal as created: its calls, description and voting window (blocks). */
export interface ProposalRecord {
  proposalId: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
  voteStart: bigint;
  voteEnd: bigint;
  createdAtBlock: number;
}

/** Every proposal the governor has emitted `ProposalCreated` for since `fromBlock`, oldest first. */
export async function listProposals(governor: HedgeGovernor, fromBlock = 0): Promise<ProposalRecord[]> {
  const events = await governor.queryFilter(governor.filters.ProposalCreated(), fromBlock);
  return events.map((event) => {
    // By position: `values` is also a method of ethers' Result, so it cannot be read by name.
    const [proposalId, proposer, targets, values, , calldatas, voteStart, voteEnd, description] = event.args;
    return {
      proposalId,
      proposer,
      targets: [...targets],
      values: [...values],
      calldatas: [...calldatas],
      description,
      descriptionHash: hashDescription(description),
      voteStart,
      voteEnd,
      createdAtBlock: event.blockNumber,
    };
  });
}

/** Thrown when no `ProposalCreated` event carries the id. */
export class UnknownProposalError extends Error {
  constructor(readonly proposalId: bigint) {
    super(`no proposal ${proposalId} on this governor (no ProposalCreated event for it)`);
    this.name = "UnknownProposalError";
  }
}

/** The proposal with `proposalId`. @throws UnknownProposalError */
export async function findProposal(
  governor: HedgeGovernor,
  proposalId: bigint,
  fromBlock = 0,
): Promise<ProposalRecord> {
  const found = (await listProposals(governor, fromBlock)).find((p) => p.proposalId === proposalId);
  if (found === undefined) throw new UnknownProposalError(proposalId);
  return found;
}

/** State, tally and timing of one proposal. */
export interface ProposalStatus {
  proposalId: bigint;
  state: ProposalStateName;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  /** votes needed (for + abstain) at the snapshot block */
  quorum: bigint;
  snapshotBlock: bigint;
  deadlineBlock: bigint;
  /** unix seconds at which a queued proposal becomes executable; null until queued */
  etaSec: bigint | null;
}

export async function proposalStatus(governor: HedgeGovernor, proposalId: bigint): Promise<ProposalStatus> {
  const [stateIndex, votes, snapshotBlock, deadlineBlock, eta, now] = await Promise.all([
    governor.state(proposalId),
    governor.proposalVotes(proposalId),
    governor.proposalSnapshot(proposalId),
    governor.proposalDeadline(proposalId),
    governor.proposalEta(proposalId),
    governor.clock(),
  ]);
  // quorum(t) needs a past timepoint; before the snapshot block, the latest past supply checkpoint stands in.
  const quorum = await governor.quorum(snapshotBlock < now ? snapshotBlock : now - 1n);
  return {
    proposalId,
    state: PROPOSAL_STATES[Number(stateIndex)]!,
    againstVotes: votes.againstVotes,
    forVotes: votes.forVotes,
    abstainVotes: votes.abstainVotes,
    quorum,
    snapshotBlock,
    deadlineBlock,
    etaSec: eta === 0n ? null : eta,
  };
}
