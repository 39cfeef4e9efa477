import { expect } from "chai";
import { ZeroHash } from "ethers";
import { createHedgeEnv, DAY, ETH, type HedgeEnv } from "../fixtures.js";

/** IHedgeAdapter.Param, in enum order. */
enum Param {
  DeltaBandWad,
  MaxTradeWethWad,
  CooldownSec,
  MaxOracleAgeSec,
  MaxSlippageBps,
  MaxPoolDeviationBps,
  TwapWindowSec,
}

interface ParamCase {
  param: Param;
  min: bigint;
  max: bigint;
  /** A value the admin sets first; `tighter`/`looser` are the guardian's proposals relative to it. */
  current: bigint;
  tighter: bigint;
  looser: bigint;
}

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
];

async function currentValue(env: HedgeEnv, param: Param): Promise<bigint> {
  return (await env.adapter.params())[param]!;
}

describe("HedgeAdapter parameters", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  describe("HedgeAdapter.paramBounds", function () {
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
      const env = await load();
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

    it("reverts with ParamOutOfBounds(param, value, min, max) just outside either bound", async function () {
      const { adapter, actors } = await load();
      for (const c of CASES) {
        const outside = c.min > 0n ? [c.min - 1n, c.max + 1n] : [c.max + 1n];
        for (const value of outside) {
          await expect(adapter.connect(actors.deployer).setParam(c.param, value), `${Param[c.param]}=${value}`)
            .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
            .withArgs(c.param, value, c.min, c.max);
        }
      }
    });

    it("reverts with AccessControlUnauthorizedAccount for the guardian, a keeper and a stranger", async function () {
      const { adapter, actors } = await load();
      for (const who of [actors.guardian, actors.keeper, actors.stranger]) {
        await expect(adapter.connect(who).setParam(Param.DeltaBandWad, ETH(1)))
          .to.be.revertedWithCustomError(adapter, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ZeroHash);
      }
    });
  });

  describe("HedgeAdapter.tightenParam", function () {
    it("lets the guardian make each parameter stricter, emitting ParamUpdated by the guardian", async function () {
      const env = await load();
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
      const { adapter, actors } = await load();
      for (const c of CASES) {
        await adapter.connect(actors.deployer).setParam(c.param, c.current);
        await expect(adapter.connect(actors.guardian).tightenParam(c.param, c.looser), Param[c.param])
          .to.be.revertedWithCustomError(adapter, "GuardianCannotLoosen")
          .withArgs(c.param, c.current, c.looser);
      }
    });

    it("never lets the guardian change TwapWindowSec, in either direction", async function () {
      const env = await load();
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
      const { adapter, actors } = await load();
      await expect(adapter.connect(actors.guardian).tightenParam(Param.CooldownSec, DAY + 1))
        .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
        .withArgs(Param.CooldownSec, DAY + 1, 0, DAY);
      await expect(adapter.connect(actors.guardian).tightenParam(Param.MaxSlippageBps, 0))
        .to.be.revertedWithCustomError(adapter, "ParamOutOfBounds")
        .withArgs(Param.MaxSlippageBps, 0, 1, 500);
    });

    it("reverts with AccessControlUnauthorizedAccount for anyone without GUARDIAN_ROLE, the admin included", async function () {
      const { adapter, actors } = await load();
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
});
