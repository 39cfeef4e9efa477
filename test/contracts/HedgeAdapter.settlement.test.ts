import { expect } from "chai";
import { fundUsdc, fundWeth, setFeedPrice } from "../../scripts/lib/market/market.js";
import { createMarketDriver } from "../../scripts/lib/market/marketDriver.js";
import { settleExpired } from "../../scripts/lib/market/settlement.js";
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

  /**
   * A covered-call vault with no USDC whose 20 short $3000 calls expire at $3300: settlement records a $6,000 claim
   * the vault cannot pay, so `settlementShortfallUsdc()` is $6,000; the pool and both feeds sit at the new price.
   */
  async function owingVault(env: HedgeEnv): Promise<bigint> {
    const { vault, market, helpers, actors } = env;
    const usdc6 = (await market.usdc.getFunction("balanceOf")(await vault.getAddress())) as bigint;
    await (await vault.connect(actors.deployer).withdraw(market.book.usdc, usdc6, actors.deployer.address)).wait();
    const [series] = await vault.getActiveSeries(0, 1);
    await helpers.time.increaseTo(Number(series!.expiry) - 120);
    await setFeedPrice(market, 3000); // the last round before expiry
    await helpers.time.increaseTo(Number(series!.expiry) + 1);
    const driver = await createMarketDriver(env.ethers, market, actors.trader);
    await driver.setPrice(3300); // the round straddling expiry, and the pool arbitraged to it
    await settleExpired(vault, market.feed, [{ id: series!.id, expiry: series!.expiry }]);
    await helpers.time.increase(Number(env.params.twapWindowSec) + 1);
    await setFeedPrice(market, 3300);
    return vault.settlementShortfallUsdc();
  }

  describe("HedgeAdapter.raiseSettlementUsdc", function () {
    it("a keeper key cannot sell more WETH than the shortfall needs (RaiseExceedsShortfall); within it, the claim gets paid", async function () {
      const env = await load();
      const shortfall6 = await owingVault(env);
      expect(shortfall6).to.equal(USDC(6_000));
      // The most WETH whose worst accepted fill (oracle − maxSlippageBps) still fits the shortfall, rounded up.
      const keepBps = 10_000n - BigInt(env.params.maxSlippageBps);
      const denominator = ETH(3300) * keepBps;
      const maxWethIn = (shortfall6 * 10n ** 12n * ETH(1) * 10_000n + denominator - 1n) / denominator;
      await expect(raise(env, env.actors.keeper, maxWethIn + 1n))
        .to.be.revertedWithCustomError(env.adapter, "RaiseExceedsShortfall")
        .withArgs(maxWethIn + 1n, maxWethIn);
      await expect(raise(env, env.actors.keeper, ETH(1.8))).to.emit(env.adapter, "SettlementRaised");
      // ≈ 1.8 × $3300 less fee and impact raised; the rest of the claim is still owed, nothing more was sold.
      const left6 = await env.vault.settlementShortfallUsdc();
      expect(left6 > 0n && left6 < USDC(100), `shortfall left ${left6}`).to.equal(true);
    });

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
