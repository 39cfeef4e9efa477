import { expect } from "chai";
import { id } from "ethers";
import { decide, defaultPolicyConfig, INITIAL_POLICY_STATE } from "../../keeper/policy/index.js";
import { readAdapterParams } from "../../scripts/lib/governance/chainReads.js";
import { paramIndex, PROPOSAL_STATES } from "../../scripts/lib/governance/governance.js";
import { governanceParamsFromAdapter, DEFAULT_REPLAY_COST } from "../../scripts/lib/governance/policyReplay.js";
import {
  actionsFromFlags,
  buildProposalCalls,
  KEEPER_ROLE,
  GUARDIAN_ROLE,
} from "../../scripts/lib/governance/proposalCalls.js";
import { ETH } from "../fixtures.js";
import { createGovEnv, GOV, passAndQueue, propose, proposeAndVote, SUPPORT, type GovEnv } from "./govFixture.js";

const state = (name: (typeof PROPOSAL_STATES)[number]) => BigInt(PROPOSAL_STATES.indexOf(name));

describe("Governance lifecycle (token, governor, timelock)", function () {
  let load: () => Promise<GovEnv>;
  before(async function () {
    ({ load } = await createGovEnv("development"));
  });

  it("leaves the timelock as the only admin of the vault and the adapter, and the governor as its only proposer", async function () {
    const env = await load();
    const { deployer } = env.actors;
    for (const contract of [env.vault, env.adapter]) {
      const admin = await contract.DEFAULT_ADMIN_ROLE();
      expect(await contract.hasRole(admin, env.addresses.timelock)).to.equal(true);
      expect(await contract.hasRole(admin, deployer.address)).to.equal(false);
    }
    expect(await env.timelock.hasRole(await env.timelock.PROPOSER_ROLE(), env.addresses.governor)).to.equal(true);
    expect(await env.timelock.hasRole(await env.timelock.DEFAULT_ADMIN_ROLE(), deployer.address)).to.equal(false);
    expect(await env.timelock.getMinDelay()).to.equal(BigInt(GOV.timelockDelaySec));
    expect(await env.token.CLOCK_MODE()).to.equal("mode=blocknumber&from=default");
  });

  it("delegate, propose, vote, queue, wait the delay, execute: the adapter's parameters change and the keeper's next decision follows them", async function () {
    const env = await load();
    const { governor, adapter, voters } = env;
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ set: ["deltaBandWad=10e18", "maxSlippageBps=30"] }),
    );
    const description = "Widen the band to 10 ETH, tighten slippage to 30 bps";
    const keeperParamsBefore = governanceParamsFromAdapter(await readAdapterParams(adapter));

    const proposalId = await propose(env, calls, description);
    expect(await governor.state(proposalId)).to.equal(state("Pending"));
    await env.helpers.mine(GOV.votingDelay + 1);
    expect(await governor.state(proposalId)).to.equal(state("Active"));
    await expect(governor.connect(voters.alice).castVote(proposalId, SUPPORT.for))
      .to.emit(governor, "VoteCast")
      .withArgs(voters.alice.address, proposalId, SUPPORT.for, await env.token.getVotes(voters.alice.address), "");
    await (await governor.connect(voters.bob).castVote(proposalId, SUPPORT.against)).wait();
    await env.helpers.mine(GOV.votingPeriod);
    expect(await governor.state(proposalId)).to.equal(state("Succeeded"));

    const args = [calls.targets, calls.values, calls.calldatas, id(description)] as const;
    await expect(governor.queue(...args)).to.emit(governor, "ProposalQueued");
    expect(await governor.state(proposalId)).to.equal(state("Queued"));
    await expect(governor.execute(...args)).to.be.revertedWithCustomError(
      env.timelock,
      "TimelockUnexpectedOperationState",
    );
    await env.helpers.time.increase(GOV.timelockDelaySec);
    await expect(governor.execute(...args))
      .to.emit(adapter, "ParamUpdated")
      .withArgs(paramIndex("deltaBandWad"), ETH(5), ETH(10), env.addresses.timelock);
    expect(await governor.state(proposalId)).to.equal(state("Executed"));
    const params = await adapter.params();
    expect(params.deltaBandWad).to.equal(ETH(10));
    expect(params.maxSlippageBps).to.equal(30n);

    // The keeper reads the new parameters: a net delta of -8 ETH was outside the 5 ETH band, is inside 10 ETH.
    const keeperParamsAfter = governanceParamsFromAdapter(await readAdapterParams(adapter));
    const decideWith = (params: typeof keeperParamsAfter) =>
      decide({
        netDeltaEth: -8,
        netGammaPerUsd: -0.0005,
        spotUsd: 3000,
        volAnnual: 0.8,
        nowSec: 1_750_000_000,
        params,
        config: defaultPolicyConfig("band"),
        cost: DEFAULT_REPLAY_COST,
        state: INITIAL_POLICY_STATE,
      }).kind;
    expect(decideWith(keeperParamsBefore)).to.equal("hedge");
    expect(decideWith(keeperParamsAfter)).to.equal("hold");
    expect(keeperParamsAfter.maxSlippageBps).to.equal(30);
  });

  it("reverts at execution with ParamOutOfBounds for a proposal outside the adapter's hard bounds", async function () {
    const env = await load();
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ set: ["deltaBandWad=2000e18"] }),
    );
    const args = await passAndQueue(env, calls, "Band of 2000 ETH (above the 1000 ETH bound)");
    await expect(env.governor.execute(...args))
      .to.be.revertedWithCustomError(env.adapter, "ParamOutOfBounds")
      .withArgs(paramIndex("deltaBandWad"), ETH(2000), ETH(0.01), ETH(1000));
    expect((await env.adapter.params()).deltaBandWad).to.equal(ETH(5));
  });

  it("rejects parameter and role changes from any caller but the timelock", async function () {
    const env = await load();
    const { deployer, guardian, keeper, stranger } = env.actors;
    const adminRole = await env.adapter.DEFAULT_ADMIN_ROLE();
    for (const caller of [deployer, guardian, keeper, stranger, env.voters.alice]) {
      await expect(env.adapter.connect(caller).setParam(paramIndex("deltaBandWad")!, ETH(6)))
        .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, adminRole);
      await expect(env.adapter.connect(caller).grantRole(KEEPER_ROLE, stranger.address))
        .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, adminRole);
      await expect(env.vault.connect(caller).setMaxActiveSeries(10))
        .to.be.revertedWithCustomError(env.vault, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, adminRole);
    }
    // Not even the governor itself: it acts only through the timelock.
    const governorAsSigner = await env.helpers.impersonateAccount(env.addresses.governor).then(async () => {
      await env.helpers.setBalance(env.addresses.governor, ETH(1));
      return env.ethers.getSigner(env.addresses.governor);
    });
    await expect(env.adapter.connect(governorAsSigner).setParam(0, ETH(6)))
      .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
      .withArgs(env.addresses.governor, adminRole);
  });

  it("is Defeated when the votes cast do not reach quorum, and cannot be queued", async function () {
    const env = await load();
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ set: ["maxSlippageBps=20"] }),
    );
    const description = "Only carol (1% of the supply) votes";
    const proposalId = await proposeAndVote(env, calls, description, [
      { voter: env.voters.carol, support: SUPPORT.for },
    ]);
    const snapshot = await env.governor.proposalSnapshot(proposalId);
    expect(await env.governor.quorum(snapshot)).to.equal((10n ** 24n * 4n) / 100n);
    expect((await env.governor.proposalVotes(proposalId)).forVotes).to.equal(10_000n * 10n ** 18n);
    expect(await env.governor.state(proposalId)).to.equal(state("Defeated"));
    await expect(
      env.governor.queue(calls.targets, calls.values, calls.calldatas, id(description)),
    ).to.be.revertedWithCustomError(env.governor, "GovernorUnexpectedProposalState");
  });

  it("is Defeated when quorum is met but against outweighs for", async function () {
    const env = await load();
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ set: ["cooldownSec=60"] }),
    );
    const proposalId = await proposeAndVote(env, calls, "Bob for, alice against", [
      { voter: env.voters.alice, support: SUPPORT.against },
      { voter: env.voters.bob, support: SUPPORT.for },
    ]);
    expect(await env.governor.state(proposalId)).to.equal(state("Defeated"));
  });

  it("grants and revokes KEEPER_ROLE and appoints a guardian through a proposal built from CLI flags", async function () {
    const env = await load();
    const { stranger, keeper2, trader } = env.actors;
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({
        grantKeeper: [stranger.address],
        revokeKeeper: [keeper2.address],
        guardian: [trader.address],
      }),
    );
    const args = await passAndQueue(env, calls, "Rotate keepers, appoint a second guardian");
    await (await env.governor.execute(...args)).wait();
    expect(await env.adapter.hasRole(KEEPER_ROLE, stranger.address)).to.equal(true);
    expect(await env.adapter.hasRole(KEEPER_ROLE, keeper2.address)).to.equal(false);
    expect(await env.adapter.hasRole(GUARDIAN_ROLE, trader.address)).to.equal(true);
  });
});
