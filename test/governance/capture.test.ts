import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id, Interface, type ContractTransactionResponse } from "ethers";
import { GOVERNANCE_PROFILES, PROPOSAL_STATES } from "../../scripts/lib/governance/governance.js";
import type { ProposalCalls } from "../../scripts/lib/governance/proposalCalls.js";
import { createGovEnv, SUPPLY, SUPPORT, type GovEnv } from "./govFixture.js";
import { recordAttack } from "../attacks/harness.js";

const state = (name: (typeof PROPOSAL_STATES)[number]) => BigInt(PROPOSAL_STATES.indexOf(name));
const PRODUCTION = GOVERNANCE_PROFILES.production;
const TOTAL_SUPPLY = SUPPLY.alice + SUPPLY.bob + SUPPLY.carol + SUPPLY.deployer;
/** 4.1% of the supply: just above the 4% quorum. */
const BORROWED = (TOTAL_SUPPLY * 41n) / 1000n;
const GAS_LIMIT = 2_000_000n;

const VAULT = new Interface(["function withdraw(address token, uint256 amount, address to)"]);

/**
 * The flash-borrowed-votes attack of the review, under the production profile: an attacker borrows 4.1% of the supply
 * (from the deployer, standing in for a lending pool) for two blocks and tries to pass "withdraw all USDC to me".
 */
describe("Governance capture with flash-borrowed votes (production profile)", function () {
  let load: () => Promise<GovEnv>;
  before(async function () {
    ({ load } = await createGovEnv("production"));
  });

  async function attackerOf(env: GovEnv): Promise<HardhatEthersSigner> {
    return (await env.ethers.getSigners())[11]!;
  }

  async function drainCalls(env: GovEnv, to: string): Promise<ProposalCalls> {
    const balance = (await env.market.usdc.getFunction("balanceOf")(env.addresses.vault)) as bigint;
    return {
      targets: [env.addresses.vault as `0x${string}`],
      values: [0n],
      calldatas: [VAULT.encodeFunctionData("withdraw", [env.market.book.usdc, balance, to])],
      summary: ["vault.withdraw(all USDC)"],
    };
  }

  /** Sends the transactions into one block (automine off), mines it, and returns the mined receipts' statuses. */
  async function inOneBlock(env: GovEnv, send: () => Promise<ContractTransactionResponse>[]): Promise<number[]> {
    await env.ethers.provider.send("evm_setAutomine", [false]);
    let responses: ContractTransactionResponse[];
    try {
      responses = await Promise.all(send());
      await env.helpers.mine(1);
    } finally {
      await env.ethers.provider.send("evm_setAutomine", [true]);
    }
    const receipts = await Promise.all(responses.map((r) => env.ethers.provider.getTransactionReceipt(r.hash)));
    return receipts.map((r) => r!.status!);
  }

  /** The lender lends `BORROWED` and the attacker self-delegates, in one block. */
  function borrow(env: GovEnv, attacker: HardhatEthersSigner) {
    const lender = env.actors.deployer;
    return [
      env.token.connect(lender).transfer(attacker.address, BORROWED, { gasLimit: GAS_LIMIT }),
      env.token.connect(attacker).delegate(attacker.address, { gasLimit: GAS_LIMIT }),
    ];
  }

  function repay(env: GovEnv, attacker: HardhatEthersSigner) {
    return env.token.connect(attacker).transfer(env.actors.deployer.address, BORROWED, { gasLimit: GAS_LIMIT });
  }

  it("runs the production profile: 2-day delay, 7-day vote, 2-day extension, 0.1% threshold, 2/7-day timelock", async function () {
    const env = await load();
    expect(await env.governor.votingDelay()).to.equal(14_400n);
    expect(await env.governor.votingPeriod()).to.equal(50_400n);
    expect(await env.governor.lateQuorumVoteExtension()).to.equal(14_400n);
    expect(await env.governor.proposalThreshold()).to.equal(TOTAL_SUPPLY / 1000n);
    expect(await env.governor["quorumNumerator()"]()).to.equal(4n);
    expect(await env.timelock.getMinDelay()).to.equal(BigInt(PRODUCTION.timelockDelaySec));
    expect(await env.timelock.sensitiveDelay()).to.equal(BigInt(PRODUCTION.sensitiveDelaySec));
  });

  it("fails at the threshold: votes borrowed in the proposing block do not count (GovernorInsufficientProposerVotes)", async function () {
    const env = await load();
    const attacker = await attackerOf(env);
    const calls = await drainCalls(env, attacker.address);
    const threshold = await env.governor.proposalThreshold();
    await expect(env.governor.connect(attacker).propose(calls.targets, calls.values, calls.calldatas, "drain"))
      .to.be.revertedWithCustomError(env.governor, "GovernorInsufficientProposerVotes")
      .withArgs(attacker.address, 0n, threshold);
    // Borrow, delegate and propose in one block: the threshold reads the votes of the block before.
    const statuses = await inOneBlock(env, () => [
      ...borrow(env, attacker),
      env.governor
        .connect(attacker)
        .propose(calls.targets, calls.values, calls.calldatas, "drain", { gasLimit: GAS_LIMIT }),
    ]);
    expect(statuses).to.deep.equal([1, 1, 0]);
    expect(await env.governor.queryFilter(env.governor.filters.ProposalCreated())).to.have.length(0);
    recordAttack({
      attack: "flash-borrowed votes: propose in the borrowing block",
      role: "token holder",
      trials: 1,
      blocked: 1,
      lostUsd: 0,
      boundUsd: 0,
      rule: "threshold read at the block before (0.1% of supply)",
    });
  });

  it("fails at the snapshot: a proposal made with votes borrowed for two blocks gets none of them at its snapshot", async function () {
    const env = await load();
    const attacker = await attackerOf(env);
    const calls = await drainCalls(env, attacker.address);
    await inOneBlock(env, () => borrow(env, attacker));
    const proposalId = await env.governor.hashProposal(calls.targets, calls.values, calls.calldatas, id("drain"));
    expect(
      await inOneBlock(env, () => [
        env.governor
          .connect(attacker)
          .propose(calls.targets, calls.values, calls.calldatas, "drain", { gasLimit: GAS_LIMIT }),
        repay(env, attacker),
      ]),
    ).to.deep.equal([1, 1]);

    await env.helpers.mine(PRODUCTION.votingDelay + 1);
    await (await env.governor.connect(attacker).castVote(proposalId, SUPPORT.for)).wait();
    expect((await env.governor.proposalVotes(proposalId)).forVotes).to.equal(0n);
    await env.helpers.mine(PRODUCTION.votingPeriod);
    expect(await env.governor.state(proposalId)).to.equal(state("Defeated"));
    await expect(
      env.governor.queue(calls.targets, calls.values, calls.calldatas, id("drain")),
    ).to.be.revertedWithCustomError(env.governor, "GovernorUnexpectedProposalState");
    recordAttack({
      attack: "flash-borrowed votes for two blocks around a proposal",
      role: "token holder",
      trials: 1,
      blocked: 1,
      lostUsd: 0,
      boundUsd: 0,
      rule: "votes counted at the snapshot, 2 days later",
    });
  });

  /** carol (1%, above the 0.1% threshold) proposes the drain; returns its id and snapshot block. */
  async function carolProposesDrain(env: GovEnv, attacker: HardhatEthersSigner) {
    const calls = await drainCalls(env, attacker.address);
    const governor = env.governor.connect(env.voters.carol);
    const proposalId = await governor.hashProposal(calls.targets, calls.values, calls.calldatas, id("drain"));
    await (await governor.propose(calls.targets, calls.values, calls.calldatas, "drain")).wait();
    return { calls, proposalId, snapshot: await env.governor.proposalSnapshot(proposalId) };
  }

  /** Borrow in the snapshot block, vote for and repay in the next: 4.1% + carol's 1% for, for two blocks' loan. */
  async function flashVoteAtSnapshot(env: GovEnv, attacker: HardhatEthersSigner, proposalId: bigint, at: bigint) {
    await env.helpers.mine(at - BigInt(await env.ethers.provider.getBlockNumber()) - 1n);
    await inOneBlock(env, () => borrow(env, attacker));
    const vote = () => env.governor.connect(attacker).castVote(proposalId, SUPPORT.for, { gasLimit: GAS_LIMIT });
    expect(await inOneBlock(env, () => [vote(), repay(env, attacker)])).to.deep.equal([1, 1]);
  }

  it("fails at late quorum: borrowed votes held from the snapshot and cast in the last voting block extend the vote by 2 days, and holders vote it down", async function () {
    const env = await load();
    const attacker = await attackerOf(env);
    const { proposalId, snapshot } = await carolProposesDrain(env, attacker);
    const deadline = await env.governor.proposalDeadline(proposalId);
    // Borrow in the snapshot block, so the votes count; hold them until the last voting block.
    await env.helpers.mine(snapshot - BigInt(await env.ethers.provider.getBlockNumber()) - 1n);
    await inOneBlock(env, () => borrow(env, attacker));
    await env.helpers.mine(deadline - BigInt(await env.ethers.provider.getBlockNumber()) - 1n);
    const vote = env.governor.connect(attacker).castVote(proposalId, SUPPORT.for);
    await expect(vote)
      .to.emit(env.governor, "ProposalExtended")
      .withArgs(proposalId, deadline + BigInt(PRODUCTION.lateQuorumVoteExtension));
    await (await repay(env, attacker)).wait();
    expect((await env.governor.proposalVotes(proposalId)).forVotes).to.equal(BORROWED);
    expect(await env.governor.state(proposalId)).to.equal(state("Active"));

    // Two more days to react: bob (30%) votes against.
    await env.helpers.mine(PRODUCTION.lateQuorumVoteExtension / 2);
    await (await env.governor.connect(env.voters.bob).castVote(proposalId, SUPPORT.against)).wait();
    await env.helpers.mine(PRODUCTION.lateQuorumVoteExtension);
    expect(await env.governor.state(proposalId)).to.equal(state("Defeated"));
    recordAttack({
      attack: "borrowed votes cast in the last voting block",
      role: "token holder",
      trials: 1,
      blocked: 1,
      lostUsd: 0,
      boundUsd: 0,
      rule: "GovernorPreventLateQuorum: +2 days to vote it down",
    });
  });

  it("votes borrowed for two blocks at the snapshot are cast early and in public: holders have the whole 7-day vote to outvote them", async function () {
    const env = await load();
    const attacker = await attackerOf(env);
    const { proposalId, snapshot } = await carolProposesDrain(env, attacker);
    await flashVoteAtSnapshot(env, attacker, proposalId, snapshot);
    expect(await env.token.balanceOf(attacker.address)).to.equal(0n);
    await env.helpers.mine(PRODUCTION.votingPeriod / 2);
    await (await env.governor.connect(env.voters.alice).castVote(proposalId, SUPPORT.against)).wait();
    await env.helpers.mine(PRODUCTION.votingPeriod);
    expect(await env.governor.state(proposalId)).to.equal(state("Defeated"));
  });

  it("if nobody votes against for 7 days, the drain waits the 7-day sensitive delay and the guardian vetoes it", async function () {
    const env = await load();
    const attacker = await attackerOf(env);
    const { calls, proposalId, snapshot } = await carolProposesDrain(env, attacker);
    await flashVoteAtSnapshot(env, attacker, proposalId, snapshot);
    await env.helpers.mine(PRODUCTION.votingPeriod);
    expect(await env.governor.state(proposalId)).to.equal(state("Succeeded"));
    const args = [calls.targets, calls.values, calls.calldatas, id("drain")] as const;
    await (await env.governor.queue(...args)).wait();
    const eta = await env.governor.proposalEta(proposalId);
    expect(eta).to.equal(BigInt(await env.helpers.time.latest()) + BigInt(PRODUCTION.sensitiveDelaySec));

    // The 2-day ordinary delay is not enough.
    await env.helpers.time.increase(PRODUCTION.timelockDelaySec + 1);
    await expect(env.governor.execute(...args)).to.be.revertedWithCustomError(
      env.timelock,
      "SensitiveOperationNotReady",
    );
    const [scheduled] = await env.timelock.queryFilter(env.timelock.filters.SensitiveOperationScheduled());
    await (await env.timelock.connect(env.actors.guardian).cancel(scheduled!.args.id)).wait();
    expect(await env.governor.state(proposalId)).to.equal(state("Canceled"));
    await env.helpers.time.increaseTo(eta);
    await expect(env.governor.execute(...args)).to.be.revertedWithCustomError(
      env.governor,
      "GovernorUnexpectedProposalState",
    );
    expect(await env.market.usdc.getFunction("balanceOf")(attacker.address)).to.equal(0n);
    recordAttack({
      attack: "unopposed drain (vault.withdraw all USDC)",
      role: "token holder",
      trials: 1,
      blocked: 1,
      lostUsd: 0,
      boundUsd: 0,
      rule: "7-day sensitive delay, guardian veto",
    });
  });
});
