import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id } from "ethers";
import { createHedgeEnv, type FixtureOptions, type HedgeEnv } from "../fixtures.js";
import {
  deployGovernance,
  GOVERNANCE_PROFILES,
  handOverToTimelock,
  type Governance,
  type GovernanceProfile,
  type GovernanceProfileName,
} from "../../scripts/lib/governance/governance.js";
import type { ProposalCalls } from "../../scripts/lib/governance/proposalCalls.js";

/** 1,000,000 HKG: alice 50%, bob 30%, carol 1% (alone below the 4% quorum), the deployer the rest. */
export const SUPPLY = {
  alice: 500_000n * 10n ** 18n,
  bob: 300_000n * 10n ** 18n,
  carol: 10_000n * 10n ** 18n,
  deployer: 190_000n * 10n ** 18n,
};

/** The development profile, which most governance tests run under (same rules as production, short periods). */
export const GOV: GovernanceProfile = GOVERNANCE_PROFILES.development;

export const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

export interface GovEnv extends HedgeEnv, Governance {
  /** the timings and thresholds of the profile this DAO was deployed with */
  settings: GovernanceProfile;
  voters: { alice: HardhatEthersSigner; bob: HardhatEthersSigner; carol: HardhatEthersSigner };
  addresses: { adapter: string; vault: string; timelock: string; governor: string; token: string };
}

/**
 * The hedge stack of `test/fixtures.ts` under DAO control: token, timelock and governor deployed with the named
 * profile, the guardian made the timelock's vetoer (CANCELLER_ROLE), the vault's and the adapter's admin handed to
 * the timelock, and alice, bob and carol self-delegated. The guardian and both keepers keep the roles the stack
 * granted them.
 */
export async function createGovEnv(profile: GovernanceProfileName, options: FixtureOptions = {}) {
  const { connection, load: loadHedgeEnv } = await createHedgeEnv(options);
  const { networkHelpers } = connection;

  async function govEnvFixture(): Promise<GovEnv> {
    const env = await loadHedgeEnv();
    const signers = await env.ethers.getSigners();
    const [alice, bob, carol] = [signers[8]!, signers[9]!, signers[10]!];
    const { deployer } = env.actors;
    const governance = await deployGovernance(env.ethers, deployer, {
      profile,
      guardians: [env.actors.guardian.address],
      initialHolders: [
        { address: alice.address, amountWad: SUPPLY.alice },
        { address: bob.address, amountWad: SUPPLY.bob },
        { address: carol.address, amountWad: SUPPLY.carol },
        { address: deployer.address, amountWad: SUPPLY.deployer },
      ],
    });
    await handOverToTimelock(env, governance.timelock);
    for (const voter of [alice, bob, carol]) {
      await (await governance.token.connect(voter).delegate(voter.address)).wait();
    }
    return {
      ...env,
      ...governance,
      settings: GOVERNANCE_PROFILES[profile],
      voters: { alice, bob, carol },
      addresses: {
        adapter: await env.adapter.getAddress(),
        vault: await env.vault.getAddress(),
        timelock: await governance.timelock.getAddress(),
        governor: await governance.governor.getAddress(),
        token: await governance.token.getAddress(),
      },
    };
  }

  return { connection, load: () => networkHelpers.loadFixture(govEnvFixture) };
}

/** Proposes `calls` as alice; returns the id (voting opens after `votingDelay` blocks). */
export async function propose(env: GovEnv, calls: ProposalCalls, description: string): Promise<bigint> {
  const { governor } = env;
  const args = [calls.targets, calls.values, calls.calldatas, description] as const;
  const proposalId = await governor.connect(env.voters.alice).propose.staticCall(...args);
  await (await governor.connect(env.voters.alice).propose(...args)).wait();
  return proposalId;
}

/** Proposes, votes with `voters` (default alice and bob, for), and mines past the voting period. */
export async function proposeAndVote(
  env: GovEnv,
  calls: ProposalCalls,
  description: string,
  voters: { voter: HardhatEthersSigner; support: number }[] = [
    { voter: env.voters.alice, support: SUPPORT.for },
    { voter: env.voters.bob, support: SUPPORT.for },
  ],
): Promise<bigint> {
  const proposalId = await propose(env, calls, description);
  await env.helpers.mine(env.settings.votingDelay + 1);
  for (const { voter, support } of voters) {
    await (await env.governor.connect(voter).castVote(proposalId, support)).wait();
  }
  await env.helpers.mine(env.settings.votingPeriod);
  return proposalId;
}

/** Proposes, passes and queues; returns the proposal id and the arguments `queue` and `execute` take. */
export async function passAndQueueOnly(env: GovEnv, calls: ProposalCalls, description: string) {
  const proposalId = await proposeAndVote(env, calls, description);
  const args = [calls.targets, calls.values, calls.calldatas, id(description)] as const;
  await (await env.governor.queue(...args)).wait();
  return { proposalId, args };
}

/**
 * Proposes, passes, queues and waits until the proposal's eta (the timelock's delay, or its sensitive delay for an
 * operation that moves funds or grants power); returns the arguments `execute` takes.
 */
export async function passAndQueue(env: GovEnv, calls: ProposalCalls, description: string) {
  const { proposalId, args } = await passAndQueueOnly(env, calls, description);
  await env.helpers.time.increaseTo(await env.governor.proposalEta(proposalId));
  return args;
}
