/**
 * DAO governance of the hedging thresholds: deploys the voting token, the timelock and the governor, hands the
 * vault's and the adapter's admin role to the timelock, and reads proposals back (their calls come from the
 * `ProposalCreated` event: OpenZeppelin's Governor stores only their hash).
 *
 * After `handOverToTimelock` the timelock is the only DEFAULT_ADMIN_ROLE holder of the vault and the adapter, so every
 * parameter change (`adapter.setParam`), keeper grant or revocation and guardian appointment is a proposal
 * (see `proposalCalls.ts`), executed `timelockDelaySec` after the vote succeeded and was queued, or `sensitiveDelaySec`
 * when it moves funds or grants a role. Every deployment names its profile (`GOVERNANCE_PROFILES`): `production` for
 * anything real, `development` (short periods, same rules) for tests, the demo and local runs.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id as hashDescription, ZeroAddress, type AddressLike, type Signer } from "ethers";
import type {
  HedgeGovernanceToken,
  HedgeGovernor,
  HedgeTimelock,
  HedgeAdapter,
  OptionsVault,
} from "../../../types/ethers-contracts/index.js";
import type { Stack } from "../market/stack.js";
import { PARAM_FIELDS } from "../../../keeper/chain/governance.js";
import { PROPOSAL_STATES } from "../../../keeper/chain/errorArgs.js";

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

/** Governor.ProposalState, by enum index (declared beside the keeper's error decoder, which names them too). */
export { PROPOSAL_STATES };

export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** GovernorCountingSimple vote types, by enum index. */
export const VOTE_TYPES = ["against", "for", "abstain"] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

// ------------------------------------------------------------------ deployment

/** Seconds per block the block-number clock assumes when a profile turns days into blocks (Ethereum mainnet). */
export const BLOCK_TIME_SEC = 12;

const DAY_SEC = 24 * 3600;
const BPS = 10_000n;

/** Blocks in `days` days at `BLOCK_TIME_SEC`. */
export function daysToBlocks(days: number): number {
  return Math.round((days * DAY_SEC) / BLOCK_TIME_SEC);
}

/** The timing and thresholds of a DAO deployment. Blocks are the token's clock; seconds are the timelock's. */
export interface GovernanceProfile {
  /** blocks between propose and the snapshot (the start of voting) */
  votingDelay: number;
  /** blocks the vote stays open */
  votingPeriod: number;
  /** blocks a vote stays open at least after quorum is reached (GovernorPreventLateQuorum) */
  lateQuorumVoteExtension: number;
  /** quorum, percent of the total supply at the proposal's snapshot (for + abstain count) */
  quorumPercent: number;
  /** votes needed to propose, in basis points of the total supply minted at deployment */
  proposalThresholdBps: number;
  /** seconds between queue and execute for an ordinary operation (the timelock's minDelay) */
  timelockDelaySec: number;
  /** seconds between queue and execute for an operation that moves funds or grants power (>= timelockDelaySec) */
  sensitiveDelaySec: number;
}

/**
 * Named governance profiles. `production` is the default of any real deployment and sits where mature DAOs do
 * (Uniswap: ~2 days' voting delay, a 7-day vote, a 2-day timelock, 0.1% to propose; Aave: a guardian that can cancel).
 * `development` keeps the same rules with short periods so that tests, the demo and local runs finish in seconds; a
 * caller must name it.
 */
export const GOVERNANCE_PROFILES = {
  production: {
    votingDelay: daysToBlocks(2),
    votingPeriod: daysToBlocks(7),
    lateQuorumVoteExtension: daysToBlocks(2),
    quorumPercent: 4,
    proposalThresholdBps: 10,
    timelockDelaySec: 2 * DAY_SEC,
    sensitiveDelaySec: 7 * DAY_SEC,
  },
  development: {
    votingDelay: 1,
    votingPeriod: 50,
    lateQuorumVoteExtension: 10,
    quorumPercent: 4,
    proposalThresholdBps: 10,
    timelockDelaySec: DAY_SEC,
    sensitiveDelaySec: 2 * DAY_SEC,
  },
} as const satisfies Record<string, GovernanceProfile>;

export type GovernanceProfileName = keyof typeof GOVERNANCE_PROFILES;

export const GOVERNANCE_PROFILE_NAMES = Object.keys(GOVERNANCE_PROFILES) as GovernanceProfileName[];

/** Thrown for a profile name that `GOVERNANCE_PROFILES` does not define. */
export class UnknownGovernanceProfileError extends Error {
  constructor(readonly profile: string) {
    super(`unknown governance profile "${profile}"; known: ${GOVERNANCE_PROFILE_NAMES.join(", ")}`);
    this.name = "UnknownGovernanceProfileError";
  }
}

/** The profile's name, checked. @throws UnknownGovernanceProfileError */
export function parseGovernanceProfile(name: string): GovernanceProfileName {
  if (!Object.hasOwn(GOVERNANCE_PROFILES, name)) throw new UnknownGovernanceProfileError(name);
  return name as GovernanceProfileName;
}

/** The proposal threshold (wad) a profile derives from the total supply. */
export function proposalThresholdWad(profile: GovernanceProfile, totalSupplyWad: bigint): bigint {
  return (totalSupplyWad * BigInt(profile.proposalThresholdBps)) / BPS;
}

export interface GovernanceOptions {
  /** the named profile every timing and threshold comes from; there is no unnamed default */
  profile: GovernanceProfileName;
  /** initial token balances (wad); nobody can vote until they delegate */
  initialHolders: { address: string; amountWad: bigint }[];
  /** accounts given the timelock's CANCELLER_ROLE: they can veto a queued operation, nothing else */
  guardians: string[];
}

export interface Governance {
  token: HedgeGovernanceToken;
  timelock: HedgeTimelock;
  governor: HedgeGovernor;
  profile: GovernanceProfileName;
}

/**
 * Deploys the voting token (minting `initialHolders`), the timelock and the governor with the named profile, and
 * wires them: the governor is the timelock's proposer and canceller, each guardian a canceller (veto only), anyone may
 * execute a ready operation, and the deployer renounces the timelock's admin role, so the timelock administers itself.
 * @throws UnknownGovernanceProfileError for a profile name that is not in `GOVERNANCE_PROFILES`
 */
export async function deployGovernance(
  ethers: HardhatEthers,
  deployer: HardhatEthersSigner,
  options: GovernanceOptions,
): Promise<Governance> {
  const profile = GOVERNANCE_PROFILES[parseGovernanceProfile(options.profile)];
  const supplyWad = options.initialHolders.reduce((sum, h) => sum + h.amountWad, 0n);
  const token = (await (
    await ethers.getContractFactory("HedgeGovernanceToken", deployer)
  ).deploy(
    options.initialHolders.map((h) => h.address),
    options.initialHolders.map((h) => h.amountWad),
  )) as unknown as HedgeGovernanceToken;
  await token.waitForDeployment();
  const timelock = (await (
    await ethers.getContractFactory("HedgeTimelock", deployer)
  ).deploy(
    profile.timelockDelaySec,
    profile.sensitiveDelaySec,
    [],
    [ZeroAddress],
    deployer.address,
  )) as unknown as HedgeTimelock;
  await timelock.waitForDeployment();
  const governor = (await (
    await ethers.getContractFactory("HedgeGovernor", deployer)
  ).deploy(
    await token.getAddress(),
    await timelock.getAddress(),
    profile.votingDelay,
    profile.votingPeriod,
    proposalThresholdWad(profile, supplyWad),
    profile.quorumPercent,
    profile.lateQuorumVoteExtension,
  )) as unknown as HedgeGovernor;
  await governor.waitForDeployment();

  const governorAddress = await governor.getAddress();
  const cancellerRole = await timelock.CANCELLER_ROLE();
  await (await timelock.grantRole(await timelock.PROPOSER_ROLE(), governorAddress)).wait();
  await (await timelock.grantRole(cancellerRole, governorAddress)).wait();
  // Before the renounce below: afterwards only a (sensitive) proposal could appoint a guardian.
  for (const guardian of options.guardians) await (await timelock.grantRole(cancellerRole, guardian)).wait();
  await (await timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), deployer.address)).wait();
  return { token, timelock, governor, profile: options.profile };
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

// ------------------------------------------------------------------ settings on chain

/** What the deployed governor and timelock actually enforce (read from the chain, not from a profile). */
export interface GovernanceSettings {
  votingDelay: number;
  votingPeriod: number;
  lateQuorumVoteExtension: number;
  quorumPercent: number;
  proposalThresholdWad: bigint;
  totalSupplyWad: bigint;
  timelockDelaySec: number;
  sensitiveDelaySec: number;
}

export async function readGovernanceSettings(
  governor: HedgeGovernor,
  timelock: HedgeTimelock,
  token: HedgeGovernanceToken,
): Promise<GovernanceSettings> {
  const [delay, period, extension, numerator, denominator, threshold, supply, minDelay, sensitiveDelay] =
    await Promise.all([
      governor.votingDelay(),
      governor.votingPeriod(),
      governor.lateQuorumVoteExtension(),
      governor["quorumNumerator()"](),
      governor.quorumDenominator(),
      governor.proposalThreshold(),
      token.totalSupply(),
      timelock.getMinDelay(),
      timelock.sensitiveDelay(),
    ]);
  return {
    votingDelay: Number(delay),
    votingPeriod: Number(period),
    lateQuorumVoteExtension: Number(extension),
    quorumPercent: Number((numerator * 100n) / denominator),
    proposalThresholdWad: threshold,
    totalSupplyWad: supply,
    timelockDelaySec: Number(minDelay),
    sensitiveDelaySec: Number(sensitiveDelay),
  };
}

/**
 * Where the chain differs from the named profile (e.g. after a proposal changed the voting period), one
 * `name: profile → chain` line each; empty when the deployment still runs its profile.
 */
export function profileMismatches(name: GovernanceProfileName, settings: GovernanceSettings): string[] {
  const profile: GovernanceProfile = GOVERNANCE_PROFILES[name];
  const expected: Record<string, bigint | number> = {
    votingDelay: profile.votingDelay,
    votingPeriod: profile.votingPeriod,
    lateQuorumVoteExtension: profile.lateQuorumVoteExtension,
    quorumPercent: profile.quorumPercent,
    proposalThresholdWad: proposalThresholdWad(profile, settings.totalSupplyWad),
    timelockDelaySec: profile.timelockDelaySec,
    sensitiveDelaySec: profile.sensitiveDelaySec,
  };
  return Object.entries(expected)
    .filter(([key, value]) => BigInt(value) !== BigInt(settings[key as keyof GovernanceSettings]))
    .map(([key, value]) => `${key}: ${value} in the profile, ${settings[key as keyof GovernanceSettings]} on chain`);
}
