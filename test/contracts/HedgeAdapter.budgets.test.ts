import { expect } from "chai";
import { createHedgeEnv, ETH, giveVaultWeth, hedgeRequest, Param, USDC, type HedgeEnv } from "../fixtures.js";

const HOUR = 3600;

describe("HedgeAdapter rolling budgets and churn", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  /** Hedges `usdcIn` of USDC into WETH now, at the current nonce. */
  async function buy(env: HedgeEnv, usdcIn: bigint) {
    return env.adapter.connect(env.actors.keeper).rebalance(await hedgeRequest(env, { amountIn: usdcIn }));
  }

  /** Makes a hedge due again after one landed: the admin takes `amountWad` WETH back out of the vault. */
  async function undoHedge(env: HedgeEnv, amountWad: bigint) {
    await env.vault.connect(env.actors.deployer).withdraw(env.market.book.weth, amountWad, env.actors.deployer.address);
  }

  it("reports full budgets before any hedge", async function () {
    const { adapter, params } = await load();
    expect(await adapter.budgetsAvailable()).to.deep.equal([params.lossBudgetUsdWad, params.turnoverBudgetWethWad]);
  });

  it("refuses a keeper that hops the delta back and forth: the hop across the band is Overshoot, the hop back is CooldownActive, then InsideBand", async function () {
    const env = await load();
    const { adapter, actors } = env;
    const delta = await env.vault.netDeltaWad(); // ≈ -10.9
    // −10.9 → +4.9: the old rule let a hedge cross zero by up to the band.
    await expect(buy(env, ((-delta + ETH(4.9)) * 3000n) / 10n ** 12n)).to.be.revertedWithCustomError(
      adapter,
      "Overshoot",
    );
    await buy(env, ((-delta + ETH(0.5)) * 3000n) / 10n ** 12n); // lands ≈ +0.45, inside the band
    const hopBack = await hedgeRequest(env, { buyWeth: false, amountIn: ETH(1) });
    await expect(adapter.connect(actors.keeper).rebalance(hopBack)).to.be.revertedWithCustomError(
      adapter,
      "CooldownActive",
    );
    await env.helpers.time.increase(env.params.cooldownSec);
    await expect(
      adapter.connect(actors.keeper).rebalance(await hedgeRequest(env, { buyWeth: false, amountIn: ETH(1) })),
    ).to.be.revertedWithCustomError(adapter, "InsideBand");
  });

  describe("turnover budget", function () {
    it("charges each hedge's WETH equivalent and reverts with TurnoverBudgetExceeded once spent", async function () {
      const env = await load();
      const { adapter, actors } = env;
      await adapter.connect(actors.deployer).setParam(Param.TurnoverBudgetWethWad, ETH(10));
      await buy(env, USDC(24_000)); // 8 ETH at the oracle's $3000
      const [, left] = await adapter.budgetsAvailable();
      expect(left).to.be.closeTo(ETH(2), ETH(0.001)); // a second or two of recharge
      await undoHedge(env, ETH(7));
      await env.helpers.time.increase(env.params.cooldownSec);
      await expect(buy(env, USDC(15_000)))
        .to.be.revertedWithCustomError(adapter, "TurnoverBudgetExceeded")
        .withArgs(ETH(5), (available: bigint) => available < ETH(2.1));
    });

    it("recharges linearly: half the window gives half the budget back, the whole window all of it", async function () {
      const env = await load();
      const { adapter, actors } = env;
      await adapter.connect(actors.deployer).setParam(Param.TurnoverBudgetWethWad, ETH(10));
      await adapter.connect(actors.deployer).setParam(Param.BudgetWindowSec, 4 * HOUR);
      await giveVaultWeth(env, ETH(30)); // long ≈ +19 ETH: sell exact WETH amounts
      // Spend the whole budget in one hedge; from then on the recharge is the only thing that moves it.
      await adapter.connect(actors.keeper).rebalance(await hedgeRequest(env, { buyWeth: false, amountIn: ETH(10) }));
      const spentAt = await adapter.lastHedgeTimestamp();
      expect((await adapter.budgetsAvailable())[1]).to.equal(0n);
      await env.helpers.time.increaseTo(spentAt + BigInt(HOUR));
      expect((await adapter.budgetsAvailable())[1]).to.equal(ETH(2.5));
      await env.helpers.time.increaseTo(spentAt + BigInt(2 * HOUR));
      expect((await adapter.budgetsAvailable())[1]).to.equal(ETH(5));
      await env.helpers.time.increaseTo(spentAt + BigInt(5 * HOUR));
      expect((await adapter.budgetsAvailable())[1]).to.equal(ETH(10)); // never more than the budget
    });
  });

  describe("loss budget", function () {
    it("charges the fill's shortfall against the oracle and reverts with LossBudgetExceeded once spent, then recharges", async function () {
      const env = await load();
      const { adapter, actors } = env;
      await adapter.connect(actors.deployer).setParam(Param.LossBudgetUsdWad, ETH(20));
      await adapter.connect(actors.deployer).setParam(Param.BudgetWindowSec, 4 * HOUR);
      const receipt = await (await buy(env, USDC(15_000))).wait();
      const hedged = receipt!.logs.map((l) => adapter.interface.parseLog(l)).find((e) => e?.name === "Hedged")!;
      const loss: bigint = hedged.args.lossUsdWad;
      expect(loss).to.be.greaterThan(ETH(7.5)).and.lessThan(ETH(15)); // the 0.05% pool fee ($7.50) and the impact
      const spentAt = await adapter.lastHedgeTimestamp();
      expect((await adapter.budgetsAvailable())[0]).to.equal(ETH(20) - loss);

      await undoHedge(env, hedged.args.amountOut);
      await env.helpers.time.increase(env.params.cooldownSec);
      await expect(buy(env, USDC(15_000)))
        .to.be.revertedWithCustomError(adapter, "LossBudgetExceeded")
        .withArgs(
          (next: bigint) => next > ETH(7.5),
          (available: bigint) => available < ETH(20) - loss + ETH(0.2),
        ); // + about a minute of recharge

      // Half the window gives half the budget ($10) back: enough for a smaller hedge (the pool still sits where the
      // first one left it, so the same size would now cost more than the whole budget).
      await env.helpers.time.increaseTo(spentAt + BigInt(2 * HOUR));
      expect((await adapter.budgetsAvailable())[0]).to.equal(ETH(20) - loss + ETH(10));
      await env.market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n);
      await expect(buy(env, USDC(6_000))).to.emit(adapter, "Hedged");
    });

    it("charges nothing for a fill at or above the oracle price", async function () {
      const env = await load();
      const { adapter, actors } = env;
      // Pool 1% below the oracle: buying WETH fills better than the oracle says.
      await adapter.connect(actors.deployer).setParam(Param.MaxSlippageBps, 500);
      await env.market.feed.getFunction("updateAnswer")(3030n * 10n ** 8n);
      await expect(buy(env, USDC(15_000)))
        .to.emit(adapter, "Hedged")
        .withArgs(0n, actors.keeper.address, true, USDC(15_000), ...Array(5).fill(isBigInt), 0n);
      expect((await adapter.budgetsAvailable())[0]).to.equal(env.params.lossBudgetUsdWad);
    });
  });

  it("stops a keeper that churns legal hedges (each one due, each one inside the rules) at the turnover budget", async function () {
    const env = await load();
    const { adapter, actors } = env;
    await adapter.connect(actors.deployer).setParam(Param.TurnoverBudgetWethWad, ETH(20));
    let hedges = 0;
    for (;;) {
      await env.helpers.time.increase(env.params.cooldownSec);
      await env.market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n);
      const tx = buy(env, USDC(18_000)); // 6 ETH: −10.9 → ≈ −4.9, inside the band
      if (hedges === 3) {
        await expect(tx).to.be.revertedWithCustomError(adapter, "TurnoverBudgetExceeded");
        break;
      }
      await (await tx).wait();
      hedges++;
      await undoHedge(env, ETH(5.99)); // the book drifts back out of the band
    }
    expect(hedges).to.equal(3); // 18 ETH of the 20 ETH budget; the fourth (24 ETH) is refused within minutes
  });
});

function isBigInt(value: unknown): boolean {
  return typeof value === "bigint";
}
