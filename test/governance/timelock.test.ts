import { expect } from "chai";
import { id, Interface, ZeroAddress, ZeroHash } from "ethers";
import { GOVERNANCE_PROFILES, PROPOSAL_STATES } from "../../scripts/lib/governance/governance.js";
import {
  actionsFromFlags,
  buildProposalCalls,
  KEEPER_ROLE,
  type ProposalCalls,
} from "../../scripts/lib/governance/proposalCalls.js";
import { ETH, USDC } from "../fixtures.js";
import { createGovEnv, GOV, passAndQueue, passAndQueueOnly, type GovEnv } from "./govFixture.js";
import { recordAttack } from "../attacks/harness.js";

const state = (name: (typeof PROPOSAL_STATES)[number]) => BigInt(PROPOSAL_STATES.indexOf(name));

const VAULT = new Interface(["function withdraw(address token, uint256 amount, address to)"]);

/** One call as a proposal: `target.data`, no ETH. */
function callOf(target: string, data: string, summary: string): ProposalCalls {
  return { targets: [target as `0x${string}`], values: [0n], calldatas: [data], summary: [summary] };
}

function vaultWithdraw(env: GovEnv, amountUsdc6: bigint, to: string): ProposalCalls {
  const data = VAULT.encodeFunctionData("withdraw", [env.market.book.usdc, amountUsdc6, to]);
  return callOf(env.addresses.vault, data, "vault.withdraw");
}

function timelockCall(env: GovEnv, fn: string, args: unknown[]): ProposalCalls {
  return callOf(env.addresses.timelock, env.timelock.interface.encodeFunctionData(fn as never, args as never), fn);
}

describe("HedgeTimelock: sensitive delay, guardian veto", function () {
  let load: () => Promise<GovEnv>;
  before(async function () {
    ({ load } = await createGovEnv("development"));
  });

  it("is deployed with the profile's delays and the guardian as a canceller that cannot propose or execute", async function () {
    const env = await load();
    const { guardian } = env.actors;
    expect(await env.timelock.getMinDelay()).to.equal(BigInt(GOV.timelockDelaySec));
    expect(await env.timelock.sensitiveDelay()).to.equal(BigInt(GOV.sensitiveDelaySec));
    expect(await env.timelock.hasRole(await env.timelock.CANCELLER_ROLE(), guardian.address)).to.equal(true);
    for (const role of ["PROPOSER_ROLE", "EXECUTOR_ROLE", "DEFAULT_ADMIN_ROLE"] as const) {
      expect(await env.timelock.hasRole(await env.timelock[role](), guardian.address), role).to.equal(false);
    }
  });

  describe("a sensitive operation", function () {
    it("vault.withdraw: cannot execute once minDelay passed, only after sensitiveDelay (SensitiveOperationNotReady)", async function () {
      const env = await load();
      const { stranger } = env.actors;
      const calls = vaultWithdraw(env, USDC(1000), stranger.address);
      const description = "Pay a contributor 1000 USDC";
      const { proposalId, args } = await passAndQueueOnly(env, calls, description);
      const queuedAt = BigInt(await env.helpers.time.latest());
      const eta = await env.governor.proposalEta(proposalId);
      expect(eta).to.equal(queuedAt + BigInt(GOV.sensitiveDelaySec));

      await env.helpers.time.increase(GOV.timelockDelaySec + 60);
      const operationId = await operationIdOf(env, calls, description);
      await expect(env.governor.execute(...args))
        .to.be.revertedWithCustomError(env.timelock, "SensitiveOperationNotReady")
        .withArgs(operationId, eta, BigInt(GOV.sensitiveDelaySec));

      await env.helpers.time.increaseTo(eta);
      const usdc = env.market.usdc.getFunction("balanceOf");
      const before = (await usdc(stranger.address)) as bigint;
      await expect(env.governor.execute(...args)).to.emit(env.vault, "CollateralWithdrawn");
      expect(((await usdc(stranger.address)) as bigint) - before).to.equal(USDC(1000));
      expect(await env.governor.state(proposalId)).to.equal(state("Executed"));
    });

    it("grantRole: waits sensitiveDelay (KEEPER_ROLE on the adapter), then executes through the governor", async function () {
      const env = await load();
      const { stranger } = env.actors;
      const calls = buildProposalCalls(
        env.addresses.adapter as `0x${string}`,
        actionsFromFlags({ grantKeeper: [stranger.address] }),
      );
      const { proposalId, args } = await passAndQueueOnly(env, calls, "New keeper");
      const eta = await env.governor.proposalEta(proposalId);
      await env.helpers.time.increase(GOV.timelockDelaySec);
      await expect(env.governor.execute(...args)).to.be.revertedWithCustomError(
        env.timelock,
        "SensitiveOperationNotReady",
      );
      await env.helpers.time.increaseTo(eta);
      await (await env.governor.execute(...args)).wait();
      expect(await env.adapter.hasRole(KEEPER_ROLE, stranger.address)).to.equal(true);
    });

    it("emits SensitiveOperationScheduled with its ready time when queued", async function () {
      const env = await load();
      const calls = vaultWithdraw(env, USDC(1), env.actors.stranger.address);
      await passAndQueueOnly(env, calls, "One USDC");
      const [event] = await env.timelock.queryFilter(env.timelock.filters.SensitiveOperationScheduled());
      expect(event!.args.requestedDelay).to.equal(BigInt(GOV.timelockDelaySec));
      const block = await env.ethers.provider.getBlock(event!.blockNumber);
      expect(event!.args.readyAt).to.equal(BigInt(block!.timestamp + GOV.sensitiveDelaySec));
    });

    it("is vetoed by the guardian while it waits: the proposal is Canceled and can never execute", async function () {
      const env = await load();
      const { guardian, stranger } = env.actors;
      const calls = vaultWithdraw(env, USDC(500_000), stranger.address);
      const description = "Send half the USDC to a stranger";
      const { proposalId, args } = await passAndQueueOnly(env, calls, description);
      const operationId = await operationIdOf(env, calls, description);
      await expect(env.timelock.connect(guardian).cancel(operationId))
        .to.emit(env.timelock, "Cancelled")
        .withArgs(operationId);
      expect(await env.governor.state(proposalId)).to.equal(state("Canceled"));
      await env.helpers.time.increase(GOV.sensitiveDelaySec + 1);
      await expect(env.governor.execute(...args)).to.be.revertedWithCustomError(
        env.governor,
        "GovernorUnexpectedProposalState",
      );
    });
  });

  it("runs a parameter change after minDelay only (not sensitive)", async function () {
    const env = await load();
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ set: ["maxSlippageBps=30"] }),
    );
    expect(await env.timelock.isSensitiveBatch(calls.targets, calls.values, calls.calldatas)).to.equal(false);
    const { proposalId, args } = await passAndQueueOnly(env, calls, "Slippage 30 bps");
    const eta = await env.governor.proposalEta(proposalId);
    expect(eta).to.equal(BigInt(await env.helpers.time.latest()) + BigInt(GOV.timelockDelaySec));
    await env.helpers.time.increaseTo(eta);
    await (await env.governor.execute(...args)).wait();
    expect((await env.adapter.params()).maxSlippageBps).to.equal(30n);
  });

  describe("the guardian", function () {
    it("cannot schedule, execute an unscheduled operation, propose, or grant itself a role", async function () {
      const env = await load();
      const { guardian } = env.actors;
      const timelock = env.timelock.connect(guardian);
      const withdraw = vaultWithdraw(env, USDC(1), guardian.address);
      await expect(timelock.schedule(withdraw.targets[0]!, 0n, withdraw.calldatas[0]!, ZeroHash, ZeroHash, ETH(1)))
        .to.be.revertedWithCustomError(env.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, await env.timelock.PROPOSER_ROLE());
      await expect(
        timelock.scheduleBatch(withdraw.targets, withdraw.values, withdraw.calldatas, ZeroHash, ZeroHash, ETH(1)),
      )
        .to.be.revertedWithCustomError(env.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, await env.timelock.PROPOSER_ROLE());
      await expect(
        timelock.execute(withdraw.targets[0]!, 0n, withdraw.calldatas[0]!, ZeroHash, ZeroHash),
      ).to.be.revertedWithCustomError(env.timelock, "TimelockUnexpectedOperationState");
      await expect(
        timelock.executeBatch(withdraw.targets, withdraw.values, withdraw.calldatas, ZeroHash, ZeroHash),
      ).to.be.revertedWithCustomError(env.timelock, "TimelockUnexpectedOperationState");
      const threshold = await env.governor.proposalThreshold();
      await expect(
        env.governor.connect(guardian).propose(withdraw.targets, withdraw.values, withdraw.calldatas, "mine"),
      )
        .to.be.revertedWithCustomError(env.governor, "GovernorInsufficientProposerVotes")
        .withArgs(guardian.address, 0n, threshold);
      await expect(timelock.grantRole(await env.timelock.PROPOSER_ROLE(), guardian.address))
        .to.be.revertedWithCustomError(env.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, await env.timelock.DEFAULT_ADMIN_ROLE());
      recordAttack({
        attack: "guardian schedules, executes, proposes or grants itself a role",
        role: "guardian",
        trials: 4,
        blocked: 4,
        lostUsd: 0,
        boundUsd: 0,
        rule: "CANCELLER_ROLE only: it can veto, never act",
      });
    });

    it("cannot veto its own removal (CancellerRemovalNotCancellable); once removed it cannot cancel", async function () {
      const env = await load();
      const { guardian } = env.actors;
      const cancellerRole = await env.timelock.CANCELLER_ROLE();
      const calls = timelockCall(env, "revokeRole", [cancellerRole, guardian.address]);
      const description = "Remove the guardian's veto";
      const { proposalId, args } = await passAndQueueOnly(env, calls, description);
      const operationId = await operationIdOf(env, calls, description);
      await expect(env.timelock.connect(guardian).cancel(operationId))
        .to.be.revertedWithCustomError(env.timelock, "CancellerRemovalNotCancellable")
        .withArgs(operationId);
      // Revoking a role on the timelock is sensitive.
      expect(await env.governor.proposalEta(proposalId)).to.be.greaterThan(
        BigInt(await env.helpers.time.latest()) + BigInt(GOV.timelockDelaySec),
      );
      await env.helpers.time.increaseTo(await env.governor.proposalEta(proposalId));
      await (await env.governor.execute(...args)).wait();
      expect(await env.timelock.hasRole(cancellerRole, guardian.address)).to.equal(false);

      // A later withdrawal can no longer be vetoed by it.
      const later = vaultWithdraw(env, USDC(1), guardian.address);
      await passAndQueueOnly(env, later, "After the guardian");
      const laterId = await operationIdOf(env, later, "After the guardian");
      await expect(env.timelock.connect(guardian).cancel(laterId))
        .to.be.revertedWithCustomError(env.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, cancellerRole);
    });

    it("can veto a batch that removes it together with anything else", async function () {
      const env = await load();
      const { guardian } = env.actors;
      const removal = timelockCall(env, "revokeRole", [await env.timelock.CANCELLER_ROLE(), guardian.address]);
      const withdraw = vaultWithdraw(env, USDC(1), guardian.address);
      const calls: ProposalCalls = {
        targets: [...removal.targets, ...withdraw.targets],
        values: [0n, 0n],
        calldatas: [...removal.calldatas, ...withdraw.calldatas],
        summary: [],
      };
      const description = "Remove the guardian and withdraw";
      const { proposalId } = await passAndQueueOnly(env, calls, description);
      const operationId = await operationIdOf(env, calls, description);
      await (await env.timelock.connect(guardian).cancel(operationId)).wait();
      expect(await env.governor.state(proposalId)).to.equal(state("Canceled"));
    });
  });

  describe("delay bounds", function () {
    it("updateDelay within sensitiveDelay is a sensitive operation that then applies", async function () {
      const env = await load();
      const calls = timelockCall(env, "updateDelay", [GOV.sensitiveDelaySec]);
      const args = await passAndQueue(env, calls, "Longer minimum delay");
      await expect(env.governor.execute(...args))
        .to.emit(env.timelock, "MinDelayChange")
        .withArgs(GOV.timelockDelaySec, GOV.sensitiveDelaySec);
    });

    it("refuses to queue an updateDelay above sensitiveDelay (MinDelayAboveSensitiveDelay)", async function () {
      const env = await load();
      const tooLong = GOV.sensitiveDelaySec + 1;
      const calls = timelockCall(env, "updateDelay", [tooLong]);
      await expect(passAndQueueOnly(env, calls, "Minimum delay above the sensitive delay"))
        .to.be.revertedWithCustomError(env.timelock, "MinDelayAboveSensitiveDelay")
        .withArgs(tooLong, GOV.sensitiveDelaySec);
    });

    it("reverts at deployment with SensitiveDelayOutOfBounds below minDelay or above 30 days", async function () {
      const env = await load();
      const factory = await env.ethers.getContractFactory("HedgeTimelock");
      const max = 30 * 24 * 3600;
      expect(await env.timelock.MAX_SENSITIVE_DELAY()).to.equal(BigInt(max));
      for (const [minDelay, sensitiveDelay] of [
        [3600, 3599],
        [3600, max + 1],
      ] as const) {
        await expect(factory.deploy(minDelay, sensitiveDelay, [], [ZeroAddress], ZeroAddress))
          .to.be.revertedWithCustomError(env.timelock, "SensitiveDelayOutOfBounds")
          .withArgs(sensitiveDelay, minDelay, max);
      }
      const production = GOVERNANCE_PROFILES.production;
      const deployed = await factory.deploy(
        production.timelockDelaySec,
        production.sensitiveDelaySec,
        [],
        [ZeroAddress],
        ZeroAddress,
      );
      expect(await deployed.getFunction("sensitiveDelay")()).to.equal(BigInt(production.sensitiveDelaySec));
    });
  });

  describe("isSensitiveCall", function () {
    it("classifies fund-moving and power-granting calls as sensitive, parameter changes and revocations elsewhere as not", async function () {
      const env = await load();
      const { stranger } = env.actors;
      const erc20 = new Interface([
        "function transfer(address,uint256)",
        "function transferFrom(address,address,uint256)",
        "function approve(address,uint256)",
      ]);
      const governor = env.governor.interface;
      const admin = new Interface(["function beginDefaultAdminTransfer(address)"]);
      const adapter = env.adapter.interface;
      const { adapter: adapterAddress, timelock, governor: governorAddress, vault } = env.addresses;
      const usdc = env.market.book.usdc;
      const cases: [string, string, bigint, string, boolean][] = [
        ["vault.withdraw", vault, 0n, VAULT.encodeFunctionData("withdraw", [usdc, 1n, stranger.address]), true],
        ["erc20.transfer", usdc, 0n, erc20.encodeFunctionData("transfer", [stranger.address, 1n]), true],
        ["erc20.transferFrom", usdc, 0n, erc20.encodeFunctionData("transferFrom", [vault, stranger.address, 1n]), true],
        ["erc20.approve", usdc, 0n, erc20.encodeFunctionData("approve", [stranger.address, 1n]), true],
        ["ETH value", stranger.address, 1n, "0x", true],
        [
          "adapter.grantRole",
          adapterAddress,
          0n,
          adapter.encodeFunctionData("grantRole", [KEEPER_ROLE, stranger.address]),
          true,
        ],
        [
          "adapter.renounceRole",
          adapterAddress,
          0n,
          adapter.encodeFunctionData("renounceRole", [ZeroHash, timelock]),
          true,
        ],
        [
          "timelock.revokeRole",
          timelock,
          0n,
          adapter.encodeFunctionData("revokeRole", [KEEPER_ROLE, stranger.address]),
          true,
        ],
        ["timelock.updateDelay", timelock, 0n, env.timelock.interface.encodeFunctionData("updateDelay", [1n]), true],
        [
          "governor.updateTimelock",
          governorAddress,
          0n,
          governor.encodeFunctionData("updateTimelock", [stranger.address]),
          true,
        ],
        ["governor.setVotingDelay", governorAddress, 0n, governor.encodeFunctionData("setVotingDelay", [1n]), true],
        ["governor.setVotingPeriod", governorAddress, 0n, governor.encodeFunctionData("setVotingPeriod", [1n]), true],
        [
          "governor.setProposalThreshold",
          governorAddress,
          0n,
          governor.encodeFunctionData("setProposalThreshold", [0n]),
          true,
        ],
        [
          "governor.updateQuorumNumerator",
          governorAddress,
          0n,
          governor.encodeFunctionData("updateQuorumNumerator", [1n]),
          true,
        ],
        [
          "governor.setLateQuorumVoteExtension",
          governorAddress,
          0n,
          governor.encodeFunctionData("setLateQuorumVoteExtension", [0n]),
          true,
        ],
        [
          "beginDefaultAdminTransfer",
          adapterAddress,
          0n,
          admin.encodeFunctionData("beginDefaultAdminTransfer", [stranger.address]),
          true,
        ],
        ["adapter.setParam", adapterAddress, 0n, adapter.encodeFunctionData("setParam", [0, ETH(4)]), false],
        ["adapter.unpause", adapterAddress, 0n, adapter.encodeFunctionData("unpause"), false],
        [
          "adapter.revokeRole",
          adapterAddress,
          0n,
          adapter.encodeFunctionData("revokeRole", [KEEPER_ROLE, stranger.address]),
          false,
        ],
        [
          "vault.setMaxActiveSeries",
          vault,
          0n,
          env.vault.interface.encodeFunctionData("setMaxActiveSeries", [10n]),
          false,
        ],
        ["empty call", stranger.address, 0n, "0x", false],
      ];
      for (const [name, target, value, data, sensitive] of cases) {
        expect(await env.timelock.isSensitiveCall(target, value, data), name).to.equal(sensitive);
      }
    });

    it("isSensitiveBatch reverts with TimelockInvalidOperationLength for arrays of different lengths", async function () {
      const env = await load();
      await expect(env.timelock.isSensitiveBatch([env.addresses.vault], [], ["0x"]))
        .to.be.revertedWithCustomError(env.timelock, "TimelockInvalidOperationLength")
        .withArgs(1n, 1n, 0n);
    });
  });
});

/** The timelock operation id of a proposal queued by the governor (GovernorTimelockControl's salt). */
function operationIdOf(env: GovEnv, calls: ProposalCalls, description: string): Promise<string> {
  // The salt is the governor's address (left-aligned in 32 bytes) XOR the description hash.
  const salt = (BigInt(env.addresses.governor) << 96n) ^ BigInt(id(description));
  return env.timelock.hashOperationBatch(
    calls.targets,
    calls.values,
    calls.calldatas,
    ZeroHash,
    "0x" + salt.toString(16).padStart(64, "0"),
  );
}
