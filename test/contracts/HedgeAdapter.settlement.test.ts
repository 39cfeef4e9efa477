import { expect } from "chai";
import { fundUsdc, fundWeth } from "../../scripts/lib/market.js";
import { createHedgeEnv, deadline, ETH, USDC, type HedgeEnv } from "../fixtures.js";

describe("HedgeAdapter settlement raise and sweep", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv({ vaultWeth: 10 }));
  });

  async function raise(env: HedgeEnv, who = env.actors.keeper, wethInWad = ETH(1)) {
    return env.adapter
      .connect(who)
      .raiseSettlementUsdc(wethInWad, 0n, await deadline(env.helpers), await env.adapter.hedgeNonce());
  }

  // RaiseExceedsShortfall and SettlementRaised need a vault that owes settlement claims beyond its USDC; today's
  // OptionsVault pays at `settle` or reverts, so its settlementShortfallUsdc() is always 0.
  describe("HedgeAdapter.raiseSettlementUsdc", function () {
    it("reverts with NoSettlementShortfall when the vault owes nothing beyond its USDC", async function () {
      const env = await load();
      expect(await env.vault.settlementShortfallUsdc()).to.equal(0n);
      await expect(raise(env)).to.be.revertedWithCustomError(env.adapter, "NoSettlementShortfall");
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without KEEPER_ROLE", async function () {
      const env = await load();
      for (const who of [env.actors.stranger, env.actors.guardian, env.actors.deployer]) {
        await expect(raise(env, who))
          .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, await env.adapter.KEEPER_ROLE());
      }
    });

    it("runs the request guards first: EnforcedPause while paused, HedgeNonceMismatch for a stale nonce", async function () {
      const env = await load();
      await expect(
        env.adapter.connect(env.actors.keeper).raiseSettlementUsdc(ETH(1), 0n, await deadline(env.helpers), 5n),
      )
        .to.be.revertedWithCustomError(env.adapter, "HedgeNonceMismatch")
        .withArgs(5n, 0n);
      await env.adapter.connect(env.actors.guardian).pause();
      await expect(raise(env)).to.be.revertedWithCustomError(env.adapter, "EnforcedPause");
    });
  });

  describe("HedgeAdapter.sweep", function () {
    it("returns WETH and USDC left in the adapter to the vault, for anyone, emitting Swept for each", async function () {
      const env = await load();
      const { adapter, market, vault, actors } = env;
      const adapterAddress = await adapter.getAddress();
      const vaultAddress = await vault.getAddress();
      await fundWeth(market, actors.trader, ETH(2));
      await market.weth.connect(actors.trader).getFunction("transfer")(adapterAddress, ETH(2));
      await fundUsdc(market, adapterAddress, USDC(500));
      const balanceOf = (token: typeof market.weth, who: string): Promise<bigint> =>
        token.getFunction("balanceOf")(who);
      const before = [await balanceOf(market.weth, vaultAddress), await balanceOf(market.usdc, vaultAddress)];

      await expect(adapter.connect(actors.stranger).sweep())
        .to.emit(adapter, "Swept")
        .withArgs(market.book.weth, ETH(2))
        .and.to.emit(adapter, "Swept")
        .withArgs(market.book.usdc, USDC(500));
      expect(await balanceOf(market.weth, vaultAddress)).to.equal(before[0]! + ETH(2));
      expect(await balanceOf(market.usdc, vaultAddress)).to.equal(before[1]! + USDC(500));
      expect([
        await balanceOf(market.weth, adapterAddress),
        await balanceOf(market.usdc, adapterAddress),
      ]).to.deep.equal([0n, 0n]);
    });

    it("does nothing and emits nothing when the adapter holds no tokens", async function () {
      const env = await load();
      await expect(env.adapter.connect(env.actors.stranger).sweep()).not.to.emit(env.adapter, "Swept");
    });
  });
});
