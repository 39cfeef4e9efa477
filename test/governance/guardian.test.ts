import { expect } from "chai";
import { paramIndex } from "../../scripts/lib/governance/governance.js";
import {
  actionsFromFlags,
  buildProposalCalls,
  GUARDIAN_ROLE,
  KEEPER_ROLE,
} from "../../scripts/lib/governance/proposalCalls.js";
import { deadline, ETH, USDC } from "../fixtures.js";
import { createGovEnv, passAndQueue, type GovEnv } from "./govFixture.js";

const P = (name: string) => paramIndex(name)!;

describe("Guardian under governance: pause and tighten only", function () {
  let load: () => Promise<GovEnv>;
  before(async function () {
    ({ load } = await createGovEnv("development"));
  });

  it("tightens: narrower band, smaller trades, lower slippage and deviation, fresher oracle, longer cooldown", async function () {
    const env = await load();
    const adapter = env.adapter.connect(env.actors.guardian);
    const tightened: [string, bigint][] = [
      ["deltaBandWad", ETH(2)],
      ["maxTradeWethWad", ETH(10)],
      ["maxSlippageBps", 20n],
      ["maxPoolDeviationBps", 100n],
      ["maxOracleAgeSec", 600n],
      ["cooldownSec", 120n],
    ];
    for (const [name, value] of tightened) {
      await expect(adapter.tightenParam(P(name), value))
        .to.emit(env.adapter, "ParamUpdated")
        .withArgs(P(name), (await env.adapter.params())[name as "deltaBandWad"], value, env.actors.guardian.address);
    }
    const params = await env.adapter.params();
    expect([params.deltaBandWad, params.maxTradeWethWad, params.maxSlippageBps, params.cooldownSec]).to.deep.equal([
      ETH(2),
      ETH(10),
      20n,
      120n,
    ]);
  });

  it("cannot loosen: GuardianCannotLoosen for a wider band, larger trades, more slippage or a shorter cooldown", async function () {
    const env = await load();
    await (await env.adapter.connect(env.actors.guardian).tightenParam(P("cooldownSec"), 300n)).wait();
    const adapter = env.adapter.connect(env.actors.guardian);
    const loosened: [string, bigint, bigint][] = [
      ["deltaBandWad", ETH(5), ETH(6)],
      ["maxTradeWethWad", ETH(50), ETH(51)],
      ["maxSlippageBps", 50n, 51n],
      ["maxPoolDeviationBps", 300n, 500n],
      ["maxOracleAgeSec", 3600n, 7200n],
      ["cooldownSec", 300n, 299n],
      ["twapWindowSec", 60n, 120n],
    ];
    for (const [name, current, proposed] of loosened) {
      await expect(adapter.tightenParam(P(name), proposed))
        .to.be.revertedWithCustomError(env.adapter, "GuardianCannotLoosen")
        .withArgs(P(name), current, proposed);
    }
  });

  it("cannot tighten past the hard bounds (ParamOutOfBounds)", async function () {
    const env = await load();
    await expect(env.adapter.connect(env.actors.guardian).tightenParam(P("maxSlippageBps"), 0n))
      .to.be.revertedWithCustomError(env.adapter, "ParamOutOfBounds")
      .withArgs(P("maxSlippageBps"), 0n, 1n, 500n);
  });

  it("pauses hedging, cannot unpause, and the DAO unpauses through a proposal", async function () {
    const env = await load();
    const { guardian, keeper } = env.actors;
    await expect(env.adapter.connect(guardian).pause()).to.emit(env.adapter, "Paused");
    const request = {
      buyWeth: true,
      amountIn: USDC(15_000),
      minAmountOut: 0n,
      deadline: await deadline(env.helpers),
      expectedNonce: 0n,
    };
    await expect(env.adapter.connect(keeper).rebalance(request)).to.be.revertedWithCustomError(
      env.adapter,
      "EnforcedPause",
    );
    await expect(env.adapter.connect(guardian).unpause())
      .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, await env.adapter.DEFAULT_ADMIN_ROLE());

    const calls = buildProposalCalls(env.addresses.adapter as `0x${string}`, actionsFromFlags({ unpause: true }));
    const args = await passAndQueue(env, calls, "Resume hedging");
    await expect(env.governor.execute(...args)).to.emit(env.adapter, "Unpaused");
    expect(await env.adapter.paused()).to.equal(false);
  });

  it("cannot set parameters, grant roles or move the vault's funds", async function () {
    const env = await load();
    const { guardian } = env.actors;
    const adminRole = await env.adapter.DEFAULT_ADMIN_ROLE();
    await expect(env.adapter.connect(guardian).setParam(P("deltaBandWad"), ETH(1)))
      .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, adminRole);
    for (const role of [KEEPER_ROLE, GUARDIAN_ROLE]) {
      await expect(env.adapter.connect(guardian).grantRole(role, guardian.address))
        .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, adminRole);
    }
    await expect(env.vault.connect(guardian).withdraw(env.market.book.usdc, USDC(1), guardian.address))
      .to.be.revertedWithCustomError(env.vault, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, adminRole);
    await expect(
      env.vault.connect(guardian).transferForHedge(env.market.book.usdc, USDC(1), guardian.address),
    ).to.be.revertedWithCustomError(env.vault, "AccessControlUnauthorizedAccount");
  });

  it("is removed by a proposal, after which it can no longer pause", async function () {
    const env = await load();
    const { guardian } = env.actors;
    const calls = buildProposalCalls(
      env.addresses.adapter as `0x${string}`,
      actionsFromFlags({ revokeGuardian: [guardian.address] }),
    );
    await (await env.governor.execute(...(await passAndQueue(env, calls, "Remove the guardian")))).wait();
    await expect(env.adapter.connect(guardian).pause())
      .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, GUARDIAN_ROLE);
  });
});
