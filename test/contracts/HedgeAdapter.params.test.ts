import { expect } from "chai";
import { ZeroHash, type Result } from "ethers";
import { PARAM_FIELDS } from "../../keeper/chain/governance.js";
import { createHedgeEnv, DAY, ETH, Param, passTime, type HedgeEnv } from "../fixtures.js";

interface ParamCase {
  param: Param;
  min: bigint;
  max: bigint;
  /** A value the admin sets first; `tighter`/`looser` are the guardian's proposals relative to it. */
  current: bigint;
  tighter: bigint;
  looser: bigint;
}

const HOUR = 3600;

/** The hard bounds in HedgeAdapter.paramBounds and a strict/loose direction for each (TwapWindowSec has neither). */
const CASES: readonly ParamCase[] = [
  { param: Param.DeltaBandWad, min: ETH(0.01), max: ETH(1000), current: ETH(5), tighter: ETH(4), looser: ETH(6) },
  {
    param: Param.MaxTradeWethWad,
    min: ETH(0.01),
    max: ETH(10_000),
    current: ETH(50),
    tighter: ETH(40),
    looser: ETH(60),
  },
  { param: Param.CooldownSec, min: 0n, max: BigInt(DAY), current: 600n, tighter: 900n, looser: 300n },
  { param: Param.MaxOracleAgeSec, min: 60n, max: BigInt(DAY), current: 3600n, tighter: 1800n, looser: 7200n },
  { param: Param.MaxSlippageBps, min: 1n, max: 500n, current: 50n, tighter: 30n, looser: 80n },
  { param: Param.MaxPoolDeviationBps, min: 10n, max: 1000n, current: 300n, tighter: 200n, looser: 400n },
  { param: Param.TwapWindowSec, min: 60n, max: 3600n, current: 120n, tighter: 120n, looser: 180n },
  // A higher minimum trade is stricter: it refuses more hedges.
  {
    param: Param.MinTradeWethWad,
    min: ETH(0.001),
    max: ETH(100),
    current: ETH(0.05),
    tighter: ETH(0.1),
    looser: ETH(0.01),
  },
  { param: Param.OvershootToleranceWad, min: 0n, max: ETH(100), current: ETH(1), tighter: ETH(0.5), looser: ETH(2) },
  {
    param: Param.LossBudgetUsdWad,
    min: ETH(1),
    max: ETH(10_000_000),
    current: ETH(10_000),
    tighter: ETH(5_000),
    looser: ETH(20_000),
  },
  {
    param: Param.TurnoverBudgetWethWad,
    min: ETH(0.01),
    max: ETH(1_000_000),
    current: ETH(1_000),
    tighter: ETH(500),
    looser: ETH(2_000),
  },
  // A longer window is stricter: the budgets recharge more slowly.
  {
    param: Param.BudgetWindowSec,
    min: BigInt(HOUR),
    max: BigInt(7 * DAY),
    current: BigInt(DAY),
    tighter: BigInt(2 * DAY),
    looser: BigInt(12 * HOUR),
  },
  { param: Param.MaxUsdcDepegBps, min: 10n, max: 1000n, current: 200n, tighter: 100n, looser: 300n },
  {
    param: Param.MaxUsdcOracleAgeSec,
    min: BigInt(HOUR),
    max: BigInt(3 * DAY),
    current: BigInt(25 * HOUR),
    tighter: BigInt(24 * HOUR),
    looser: BigInt(26 * HOUR),
  },
  // A narrower band (a smaller share of the book) is stricter: hedging may start sooner.
  { param: Param.DeltaBandBps, min: 0n, max: 2000n, current: 500n, tighter: 400n, looser: 600n },
];

async function currentValue(env: HedgeEnv, param: Param): Promise<bigint> {
  return (await env.adapter.params())[param]!;
}

describe("HedgeAdapter parameters", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  /** The fixture, after the pool has more history than the longest TWAP window (setParam checks observability). */
  async function loadWithPoolHistory(): Promise<HedgeEnv> {
    const env = await load();
    await passTime(env, 2 * HOUR);
    return env;
  }

  describe("HedgeAdapter.paramBounds", function () {
    it("covers every parameter, in the enum order the keeper decodes (PARAM_FIELDS)", async function () {
      const { adapter } = await load();
      expect(Object.keys(((await adapter.params()) as unknown as Result).toObject())).to.deep.equal([...PARAM_FIELDS]);
      expect(CASES.map((c) => PARAM_FIELDS[c.param])).to.deep.equal([...PARAM_FIELDS]);
    });

    it("reports the hard bounds of every parameter", async function () {
      const { adapter } = await load();
      for (const c of CASES) {
        const [min, max] = await adapter.paramBounds(c.param);
        expect([min, max], Param[c.param]).to.deep.equal([c.min, c.max]);
      }
    });
  });

  describe("HedgeAdapter.setParam", function () {
    it("sets every parameter to its min and its max and emits ParamUpdated(param, old, new, admin)", async function () {
      const env = await loadWithPoolHistory();
      const { adapter, actors } = env;
      for (const c of CASES) {
        for (const value of [c.min, c.max]) {
          const old = await currentValue(env, c.param);
          await expect(adapter.connect(actors.deployer).setParam(c.param, value), Param[c.param])
            .to.emit(adapter, "ParamUpdated")
            .withArgs(c.param, old, value, actors.deployer.address);
          expect(await currentValue(env, c.param), Param[c.param]).to.equal(value);
        }
      }
    });

    it("holds every parameter at its upper bound at once: the packed slots neither truncate nor overlap", async function () {
      const env = await loadWithPoolHistory();
      const { adapter, actors } = env;
      for (const c of CASES) await adapter.connect(actors.deployer).setParam(c.param, c.max);
      for (const c of CASES) expect(await currentValue(env, c.param), Param[c.param]).to.equal(c.max);
      // and back to the lower bounds, which a field bleeding into its neighbour would also disturb
      for (const c of CASES) await adapter.connect(actors.deployer).setParam(c.param, c.min);
      for (const c of CASES) expect(await currentValue(env, c.param), Param[c.param]).to.equal(c.min);
    });

    it("reverts with ParamOutOfBounds(param, value, min, max) just outside either bound", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      for (const c of CASES) {
        const outside = c.min > 0n ? [c.min - 1n, c.max + 1n] : [c.max + 1n];
        for (const value of outside) {
          await expect(adapter.connect(actors.deployer).setParam(c.param, value), `${Param[c.param]}=${value}`)
            .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
            .withArgs(c.param, value, c.min, c.max);
        }
      }
    });

    it("reverts with TwapUnavailable for a TWAP window longer than the pool's history, and accepts it once the pool has it", async function () {
      const env = await load(); // the pool's history is a couple of minutes old
      const { adapter, actors } = env;
      await expect(adapter.connect(actors.deployer).setParam(Param.TwapWindowSec, HOUR))
        .to.be.revertedWithCustomError(adapter, "TwapUnavailable")
        .withArgs(HOUR);
      expect(await currentValue(env, Param.TwapWindowSec)).to.equal(BigInt(env.params.twapWindowSec));
      expect((await adapter.checkUpkeep("0x"))[0]).to.equal(true); // hedging goes on with the old window
      await passTime(env, HOUR);
      await expect(adapter.connect(actors.deployer).setParam(Param.TwapWindowSec, HOUR)).to.emit(
        adapter,
        "ParamUpdated",
      );
    });

    // Contract bug: _setParam asks the pool for the window before checking its bounds, and PoolPriceLib.meanTick
    // divides by the zero window inside tryTwapPriceWad's success branch, so the panic is not caught.
    it("reverts with ParamOutOfBounds, not a division by zero, for a zero TWAP window", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      await expect(adapter.connect(actors.deployer).setParam(Param.TwapWindowSec, 0))
        .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
        .withArgs(Param.TwapWindowSec, 0, 60, HOUR);
    });

    it("reverts with AccessControlUnauthorizedAccount for the guardian, a keeper and a stranger", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      for (const who of [actors.guardian, actors.keeper, actors.stranger]) {
        await expect(adapter.connect(who).setParam(Param.DeltaBandWad, ETH(1)))
          .to.be.revertedWithCustomError(adapter, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ZeroHash);
      }
    });
  });

  describe("HedgeAdapter.tightenParam", function () {
    it("lets the guardian make each parameter stricter, emitting ParamUpdated by the guardian", async function () {
      const env = await loadWithPoolHistory();
      const { adapter, actors } = env;
      for (const c of CASES.filter((c) => c.param !== Param.TwapWindowSec)) {
        await adapter.connect(actors.deployer).setParam(c.param, c.current);
        await expect(adapter.connect(actors.guardian).tightenParam(c.param, c.tighter), Param[c.param])
          .to.emit(adapter, "ParamUpdated")
          .withArgs(c.param, c.current, c.tighter, actors.guardian.address);
        expect(await currentValue(env, c.param)).to.equal(c.tighter);
      }
    });

    it("reverts with GuardianCannotLoosen(param, current, proposed) in the loose direction", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      for (const c of CASES) {
        await adapter.connect(actors.deployer).setParam(c.param, c.current);
        await expect(adapter.connect(actors.guardian).tightenParam(c.param, c.looser), Param[c.param])
          .to.be.revertedWithCustomError(adapter, "GuardianCannotLoosen")
          .withArgs(c.param, c.current, c.looser);
      }
    });

    it("never lets the guardian change TwapWindowSec, in either direction", async function () {
      const env = await loadWithPoolHistory();
      const { adapter, actors } = env;
      await adapter.connect(actors.deployer).setParam(Param.TwapWindowSec, 120);
      for (const proposed of [60n, 119n, 121n, 3600n]) {
        await expect(adapter.connect(actors.guardian).tightenParam(Param.TwapWindowSec, proposed))
          .to.be.revertedWithCustomError(adapter, "GuardianCannotLoosen")
          .withArgs(Param.TwapWindowSec, 120, proposed);
      }
      await adapter.connect(actors.guardian).tightenParam(Param.TwapWindowSec, 120); // a no-op is allowed
      expect(await currentValue(env, Param.TwapWindowSec)).to.equal(120n);
    });

    it("still enforces the hard bounds: the guardian cannot tighten past them", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      await expect(adapter.connect(actors.guardian).tightenParam(Param.CooldownSec, DAY + 1))
        .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
        .withArgs(Param.CooldownSec, DAY + 1, 0, DAY);
      await expect(adapter.connect(actors.guardian).tightenParam(Param.MaxSlippageBps, 0))
        .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
        .withArgs(Param.MaxSlippageBps, 0, 1, 500);
    });

    it("reverts with AccessControlUnauthorizedAccount for anyone without GUARDIAN_ROLE, the admin included", async function () {
      const { adapter, actors } = await loadWithPoolHistory();
      const guardianRole = await adapter.GUARDIAN_ROLE();
      for (const who of [actors.deployer, actors.keeper, actors.stranger]) {
        await expect(adapter.connect(who).tightenParam(Param.DeltaBandWad, ETH(1)))
          .to.be.revertedWithCustomError(adapter, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, guardianRole);
      }
    });
  });

  describe("HedgeAdapter.pause / unpause", function () {
    it("the guardian pauses (Paused) but cannot unpause; the admin unpauses (Unpaused)", async function () {
      const { adapter, actors } = await load();
      await expect(adapter.connect(actors.guardian).pause())
        .to.emit(adapter, "Paused")
        .withArgs(actors.guardian.address);
      expect(await adapter.paused()).to.equal(true);
      await expect(adapter.connect(actors.guardian).unpause())
        .to.be.revertedWithCustomError(adapter, "AccessControlUnauthorizedAccount")
        .withArgs(actors.guardian.address, ZeroHash);
      await expect(adapter.connect(actors.deployer).unpause())
        .to.emit(adapter, "Unpaused")
        .withArgs(actors.deployer.address);
      expect(await adapter.paused()).to.equal(false);
    });

    it("the admin may pause too", async function () {
      const { adapter, actors } = await load();
      await expect(adapter.connect(actors.deployer).pause()).to.emit(adapter, "Paused");
    });

    it("reverts with AccessControlUnauthorizedAccount(caller, GUARDIAN_ROLE) when a stranger or a keeper pauses", async function () {
      const { adapter, actors } = await load();
      const guardianRole = await adapter.GUARDIAN_ROLE();
      for (const who of [actors.stranger, actors.keeper]) {
        await expect(adapter.connect(who).pause())
          .to.be.revertedWithCustomError(adapter, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, guardianRole);
      }
    });

    it("reverts with EnforcedPause when already paused and ExpectedPause when unpausing a running adapter", async function () {
      const { adapter, actors } = await load();
      await expect(adapter.connect(actors.deployer).unpause()).to.be.revertedWithCustomError(adapter, "ExpectedPause");
      await adapter.connect(actors.guardian).pause();
      await expect(adapter.connect(actors.guardian).pause()).to.be.revertedWithCustomError(adapter, "EnforcedPause");
    });
  });

  describe("HedgeAdapter roles: the last admin cannot leave", function () {
    it("reverts with LastAdminCannotLeave when the only admin renounces, running or paused", async function () {
      const { adapter, actors } = await load();
      for (const paused of [false, true]) {
        if (paused) await adapter.connect(actors.guardian).pause();
        await expect(
          adapter.connect(actors.deployer).renounceRole(ZeroHash, actors.deployer.address),
          `paused=${paused}`,
        ).to.be.revertedWithCustomError(adapter, "LastAdminCannotLeave");
      }
      expect(await adapter.hasRole(ZeroHash, actors.deployer.address)).to.equal(true);
      await expect(adapter.connect(actors.deployer).unpause()).to.emit(adapter, "Unpaused");
    });

    it("reverts with LastAdminCannotLeave when the only admin revokes itself", async function () {
      const { adapter, actors } = await load();
      await expect(
        adapter.connect(actors.deployer).revokeRole(ZeroHash, actors.deployer.address),
      ).to.be.revertedWithCustomError(adapter, "LastAdminCannotLeave");
    });

    it("lets an admin leave once another holds the role, which then becomes the last", async function () {
      const { adapter, actors } = await load();
      const [oldAdmin, newAdmin] = [actors.deployer, actors.stranger];
      await adapter.connect(oldAdmin).grantRole(ZeroHash, newAdmin.address);
      await expect(adapter.connect(oldAdmin).renounceRole(ZeroHash, oldAdmin.address))
        .to.emit(adapter, "RoleRevoked")
        .withArgs(ZeroHash, oldAdmin.address, oldAdmin.address);
      await expect(adapter.connect(newAdmin).renounceRole(ZeroHash, newAdmin.address)).to.be.revertedWithCustomError(
        adapter,
        "LastAdminCannotLeave",
      );
    });

    it("still lets the admin revoke other roles and a keeper renounce its own", async function () {
      const { adapter, actors } = await load();
      const keeperRole = await adapter.KEEPER_ROLE();
      await adapter.connect(actors.deployer).revokeRole(keeperRole, actors.keeper.address);
      await adapter.connect(actors.keeper2).renounceRole(keeperRole, actors.keeper2.address);
      expect(await adapter.getRoleMemberCount(keeperRole)).to.equal(0n);
    });

    it("reverts with AccessControlBadConfirmation when renouncing for another account", async function () {
      const { adapter, actors } = await load();
      await expect(
        adapter.connect(actors.stranger).renounceRole(ZeroHash, actors.deployer.address),
      ).to.be.revertedWithCustomError(adapter, "AccessControlBadConfirmation");
    });
  });
});
