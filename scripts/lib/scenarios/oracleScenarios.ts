/** Scenarios where the price sources fail: a feed that stops updating, and a pool pushed away from the feed. */
import type { World } from "../market/world.js";
import { hedgesBetween } from "./ledger.js";
import {
  BLOCK_TIME_SEC,
  describeOutcome,
  directRebalanceRevert,
  fmt,
  gatesOf,
  reducingSide,
  succeeded,
} from "./steps.js";
import type { Scenario } from "./types.js";

/** The vault's WETH and USDC, to show that nothing left it. */
async function balances(world: World): Promise<[bigint, bigint]> {
  const [weth, usdc] = await world.stack.vault.collateral();
  return [weth, usdc];
}

export const staleOracle: Scenario = {
  name: "stale-oracle",
  summary:
    "the feed stops updating while ETH moves → keeper holds (oracle-stale, unhealthy), adapter rejects; resumes when fresh",
  async run(ctx) {
    const { probe, world, chain } = ctx;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const band = await probe.bandEth();
    const maxAgeSec = world.params.maxOracleAgeSec;
    const truePrice = await probe.priceForNetDelta((await probe.netDeltaEth()) + 2 * band);
    const [round, answer] = (await world.market.feed.getFunction("latestRoundData")()) as [bigint, bigint];

    // The feed's last round is older than maxOracleAgeSec by the chain's clock and by the keeper's wall clock
    // (its health judges the oracle's age by the wall clock), and no new round comes while the pool trades on.
    const staleSinceSec = Math.min(await chain.timestamp(), Math.floor(Date.now() / 1000)) - maxAgeSec - 300;
    await (
      await world.market.feed.getFunction("updateRoundData")(round + 1n, answer, staleSinceSec, staleSinceSec)
    ).wait();
    await chain.elapse(BLOCK_TIME_SEC);
    await world.driver.movePool(truePrice);
    const nonceBefore = await world.stack.adapter.hedgeNonce();
    const stalled = [];
    for (let i = 0; i < 3; i++) {
      stalled.push(await keeper.cycle());
      await chain.elapse(BLOCK_TIME_SEC);
      await chain.mine();
    }
    ctx.check(
      "while the feed is stale the keeper holds on the oracle-stale gate",
      stalled.every((r) => gatesOf(r).includes("oracle-stale")),
      stalled.map((r) => describeOutcome(r) + ` [${gatesOf(r).join(",")}]`).join("; "),
    );
    ctx.check(
      "nothing is sent while the feed is stale",
      (await world.stack.adapter.hedgeNonce()) === nonceBefore && stalled.every((r) => r.request === null),
    );
    const health = keeper.service.keeper.health();
    ctx.check(
      "the keeper reports itself unhealthy, naming the oracle",
      !health.healthy && health.reasons.some((reason) => reason.includes("oracle")),
      health.reasons.join("; ") || "healthy",
    );
    const side = reducingSide(await probe.netDeltaEth());
    const revert = await directRebalanceRevert(world, world.actors.keeper, side, 1);
    ctx.check("the adapter rejects a direct rebalance with OracleStale", revert === "OracleStale", `${revert}`);

    // The stall outlasts the TWAP window, then the feed resumes at the market's price.
    await chain.elapse(world.params.twapWindowSec);
    await world.driver.setPrice(truePrice);
    const resumed = await ctx.settle(keeper);
    ctx.check(
      "once the feed is fresh the keeper hedges the move it sat out",
      succeeded(resumed).length >= 1 && gatesOf(resumed[0]!).length === 0,
      resumed.map(describeOutcome).join("; "),
    );
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| back inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
    const healthAfter = keeper.service.keeper.health();
    ctx.check("the keeper is healthy again", healthAfter.healthy, healthAfter.reasons.join("; "));
  },
};

const DIVERGENCE = 0.05;

export const oracleDexDivergence: Scenario = {
  name: "oracle-dex-divergence",
  summary:
    "pool pushed 5% from the feed past the TWAP window → keeper gates (pool-deviation) and alerts, adapter rejects, no loss",
  async run(ctx) {
    const { probe, world, chain } = ctx;
    const from = (await chain.blockNumber()) + 1;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const band = await probe.bandEth();
    const twapWindowSec = world.params.twapWindowSec;
    // The feed moves enough that a hedge is due, but the pool sits 5% away from it and is held there.
    const feedPrice = await probe.priceForNetDelta((await probe.netDeltaEth()) + 2 * band);
    await chain.elapse(BLOCK_TIME_SEC);
    await world.driver.setPrice(feedPrice);
    await world.driver.movePool(feedPrice * (1 + DIVERGENCE));
    await chain.increaseTime(twapWindowSec + BLOCK_TIME_SEC);
    const balancesBefore = await balances(world);
    const logsBefore = keeper.logs.length;
    const held = [await keeper.cycle()];
    await chain.increaseTime(BLOCK_TIME_SEC);
    held.push(await keeper.cycle());

    ctx.check(
      "the keeper holds on the pool-deviation gate",
      held.every((r) => gatesOf(r).includes("pool-deviation")),
      held
        .map(
          (r) =>
            `${describeOutcome(r)} [${gatesOf(r).join(",")}] TWAP vs oracle ${fmt(r.assessment.twapVsOracleBps ?? NaN, 0)} bps`,
        )
        .join("; "),
    );
    const alerts = keeper.logs.slice(logsBefore).filter((l) => l.alert === true && /pool-deviation/.test(l.msg));
    ctx.check(
      "the keeper raises an alert",
      alerts.length >= 1,
      `${alerts.length} alert lines: ${alerts[0]?.msg ?? ""}`,
    );
    const side = reducingSide(await probe.netDeltaEth());
    const revert = await directRebalanceRevert(world, world.actors.keeper, side, 1);
    ctx.check(
      "the adapter rejects a direct rebalance with PoolDeviationTooHigh",
      revert === "PoolDeviationTooHigh",
      `${revert}`,
    );
    const balancesAfter = await balances(world);
    ctx.check(
      "no loss: the vault's WETH and USDC did not move",
      balancesAfter[0] === balancesBefore[0] && balancesAfter[1] === balancesBefore[1],
      `WETH ${balancesBefore[0]} → ${balancesAfter[0]}, USDC ${balancesBefore[1]} → ${balancesAfter[1]}`,
    );

    // Arbitrage brings the pool back; once its TWAP agrees with the feed the keeper hedges.
    await world.driver.movePool(feedPrice);
    await chain.increaseTime(twapWindowSec + BLOCK_TIME_SEC);
    const resumed = await ctx.settle(keeper);
    ctx.check(
      "after the pool converges the keeper hedges",
      succeeded(resumed).length >= 1,
      resumed.map(describeOutcome).join("; "),
    );
    const bound = world.params.maxSlippageBps;
    const worst = Math.max(0, ...(await hedgesBetween(world, from)).map((h) => h.adverseBps));
    ctx.check("every fill is within the slippage bound", worst <= bound, `worst ${fmt(worst, 1)} bps, bound ${bound}`);
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| back inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
  },
};
