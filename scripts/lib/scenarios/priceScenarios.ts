/** Scenarios where the market moves: crash, rally, chop, and a vol spike that moves delta without the price. */
import { numberToWad } from "../../../keeper/units.js";
import { hedgesBetween } from "./ledger.js";
import { describeOutcome, failedHedges, fmt, geometricPath, jumpTo, moveAndSettle, succeeded } from "./steps.js";
import type { Scenario, ScenarioContext } from "./types.js";
import { shortDeltaCover } from "./world.js";

/** the short delta the crash-cover keeps at the crash's bottom, ETH (the default adapter band + 1) */
const CRASH_RESERVE_ETH = 6;

/** A steady move to `factor` × the price over `blocks` price updates, the keeper settling after each. */
async function trend(ctx: ScenarioContext, factor: number, blocks: number): Promise<void> {
  const { probe, world } = ctx;
  const from = (await ctx.chain.blockNumber()) + 1;
  const keeper = await ctx.startKeeper();
  await ctx.settle(keeper);
  const band = await probe.bandEth();
  const startUsd = await probe.oraclePriceUsd();
  const startOptionsDelta = await probe.optionsDeltaEth(startUsd);
  let worst = { absDelta: 0, step: 0 };
  const failures: string[] = [];
  const path = geometricPath(startUsd, startUsd * factor, blocks);
  for (const [i, price] of path.entries()) {
    const reports = await moveAndSettle(ctx, keeper, price);
    failures.push(...failedHedges(reports).map((r) => `step ${i + 1}: ${describeOutcome(r)}`));
    const absDelta = Math.abs(await probe.netDeltaEth());
    if (absDelta > worst.absDelta) worst = { absDelta, step: i + 1 };
  }
  const drift = Math.abs((await probe.optionsDeltaEth(path[path.length - 1]!)) - startOptionsDelta);
  const hedges = await hedgesBetween(world, from);
  const minHedges = Math.max(1, Math.floor(drift / (2 * band)));
  const maxHedges = 2 * Math.ceil(drift / band) + 1;
  const sells = hedges.filter((h) => !h.buyWeth).length;

  ctx.check(
    "|net delta| is back inside the band after every move settles",
    worst.absDelta <= band,
    `worst ${fmt(worst.absDelta)} ETH after step ${worst.step} of ${blocks}, band ${fmt(band)} ETH`,
  );
  ctx.check(
    "hedges follow the move, without churning",
    hedges.length >= minHedges && hedges.length <= maxHedges,
    `${hedges.length} hedges for ${fmt(drift)} ETH of options-delta drift (expected ${minHedges}..${maxHedges})`,
  );
  const expectSells = factor < 1;
  ctx.check(
    expectSells ? "the hedges sell WETH as the price falls" : "the hedges buy WETH as the price rises",
    (expectSells ? sells : hedges.length - sells) >= Math.ceil(hedges.length / 2),
    `${sells} sells, ${hedges.length - sells} buys`,
  );
  ctx.check("every hedge the keeper decided went through", failures.length === 0, failures.slice(0, 3).join("; "));
  const bound = world.params.maxSlippageBps;
  const worstBps = Math.max(0, ...hedges.map((h) => h.adverseBps));
  ctx.check(
    "every fill is within the slippage bound",
    worstBps <= bound,
    `worst ${fmt(worstBps, 1)} bps, bound ${bound}`,
  );
}

export const crash: Scenario = {
  name: "crash",
  summary: "ETH −30% over 60 blocks → hedges follow, |net delta| back inside the band after each move",
  world: { extraSeries: shortDeltaCover(0.7, CRASH_RESERVE_ETH) },
  run: (ctx) => trend(ctx, 0.7, 60),
};

export const rally: Scenario = {
  name: "rally",
  summary: "ETH +30% over 30 blocks → the keeper buys WETH as the short calls gain delta, inside the band throughout",
  run: (ctx) => trend(ctx, 1.3, 30),
};

/** Keeper configurations chop compares; the one under test (hysteresis) runs last so its trades stay on chain. */
const CHOP_CONFIGS = [
  {
    name: "no hysteresis, band at the inner band",
    env: (band: number) => ({ HK_HYSTERESIS_INNER_RATIO: "1", HK_BAND_OVERRIDE_ETH: String(band / 2) }),
  },
  { name: "no hysteresis, band at the governance band", env: () => ({ HK_HYSTERESIS_INNER_RATIO: "1" }) },
  { name: "hysteresis (inner band = band / 2)", env: () => ({ HK_HYSTERESIS_INNER_RATIO: "0.5" }) },
] as const;

const CHOP_SWINGS = 3;

export const chop: Scenario = {
  name: "chop",
  summary: "oscillation inside the band → no trades; across the band → hysteresis keeps trades few (vs no hysteresis)",
  async run(ctx) {
    const { probe } = ctx;
    const band = await probe.bandEth();
    const startUsd = await probe.oraclePriceUsd();
    const d0 = await probe.netDeltaEth();
    // Prices by the delta they produce with today's WETH (no trade has happened yet when they are computed):
    // inside = ±0.6 band around the start; across = a jump to 1.3 band, then swings of ±0.75 band around it.
    // Each level holds for a TWAP window (a chop with a period of minutes), so the deviation gate stays out of it.
    const insideHi = await probe.priceForNetDelta(d0 + 0.6 * band);
    const insideLo = await probe.priceForNetDelta(d0 - 0.6 * band);
    const across = await probe.priceForNetDelta(d0 + 1.3 * band);
    const swingHi = await probe.priceForNetDelta(d0 + 2.05 * band);
    const swingLo = await probe.priceForNetDelta(d0 + 0.55 * band);
    const insidePath = [...Array.from({ length: CHOP_SWINGS }, () => [insideHi, insideLo]).flat(), startUsd];
    const swings = Array.from({ length: CHOP_SWINGS }, () => [swingHi, swingLo]).flat();
    ctx.note(
      `path: inside ${fmt(insideLo)}..${fmt(insideHi)} ×${CHOP_SWINGS}, jump to ${fmt(across)}, ` +
        `swings ${fmt(swingLo)}..${fmt(swingHi)} ×${CHOP_SWINGS} (USD)`,
    );

    const start = await ctx.chain.helpers.takeSnapshot();
    const counts: Record<string, { inside: number; jump: number; swings: number; finalAbs: number }> = {};
    for (const config of CHOP_CONFIGS) {
      await start.restore();
      const keeper = await ctx.startKeeper({ env: config.env(band) });
      const run = async (prices: readonly number[]) => {
        let hedges = 0;
        for (const price of prices) {
          await jumpTo(ctx, price);
          hedges += succeeded(await ctx.settle(keeper)).length;
        }
        return hedges;
      };
      const inside = await run(insidePath);
      const jump = await run([across]);
      const swingHedges = await run(swings);
      counts[config.name] = { inside, jump, swings: swingHedges, finalAbs: Math.abs(await probe.netDeltaEth()) };
      await keeper.close();
    }
    for (const [name, c] of Object.entries(counts)) {
      ctx.note(`${name}: ${c.inside} hedges inside, ${c.jump} at the jump, ${c.swings} in the swings`);
    }
    const [tight, plain, hysteresis] = CHOP_CONFIGS.map((c) => counts[c.name]!);
    ctx.check("inside the band: no trades", hysteresis!.inside === 0, `${hysteresis!.inside} hedges`);
    ctx.check("crossing the band: the keeper hedges", hysteresis!.jump >= 1, `${hysteresis!.jump} hedges at the jump`);
    ctx.check(
      "swinging back and forth after the episode: no further trades",
      hysteresis!.swings === 0,
      `${hysteresis!.swings} hedges in ${swings.length} swings of ±0.75 band`,
    );
    const total = (c: typeof hysteresis) => c!.inside + c!.jump + c!.swings;
    // The adapter refuses every hedge while |net delta| is inside the DAO's band, so a keeper that sets itself a
    // tighter band cannot churn inside it: it trades no more than a keeper at the DAO's band.
    ctx.check(
      "a keeper band tighter than the DAO's trades no more than the DAO's band (the adapter refuses inside it)",
      total(tight) <= total(plain),
      `${total(tight)} vs ${total(plain)} hedges`,
    );
    ctx.check(
      "hysteresis trades no more than a no-hysteresis band at the governance band",
      total(hysteresis) <= total(plain),
      `${total(hysteresis)} vs ${total(plain)} hedges`,
    );
    ctx.check("|net delta| ends inside the band", hysteresis!.finalAbs <= band, `${fmt(hysteresis!.finalAbs)} ETH`);
  },
};

export const volSpike: Scenario = {
  name: "vol-spike",
  summary: "every series' implied vol doubles → delta moves without the price moving → the keeper re-hedges",
  async run(ctx) {
    const { probe, world } = ctx;
    const { vault, adapter } = world.stack;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const price = await probe.oraclePriceUsd();
    const move = (await probe.optionsDeltaEth(price, 2)) - (await probe.optionsDeltaEth(price, 1));
    ctx.require("doubling vol moves the book's delta", Math.abs(move) > 0.05, `${fmt(move, 3)} ETH`);
    // A band the vol move crosses whatever the seed's book (the DAO-less world leaves the deployer admin for setup).
    const band = Math.min(await probe.bandEth(), Math.max(0.05, Math.abs(move) / 2));
    await (await adapter.connect(world.actors.deployer).setParam(0, numberToWad(band))).wait();
    ctx.note(`vol ×2 moves the options' delta by ${fmt(move)} ETH; band set to ${fmt(band)} ETH`);

    const [roundBefore] = (await world.market.feed.getFunction("latestRoundData")()) as [bigint];
    const poolBefore = await world.driver.poolPriceUsd();
    // Doubling every vol at once is a regime change, far beyond the vol setter's default delta budget: the admin
    // (the deployer in this DAO-less world, as for the band) opens the widest budget the vault allows first.
    const maxBudget = await vault.MAX_VOL_DELTA_BUDGET_WAD();
    await (
      await vault
        .connect(world.actors.deployer)
        .setVolDeltaLimits(maxBudget, await vault.MIN_VOL_DELTA_WINDOW_SEC(), maxBudget)
    ).wait();
    const series = await vault.getActiveSeries(0, 1000);
    for (const s of series) {
      await (await vault.connect(world.actors.writer).setVol(s.id, s.volWad * 2n)).wait();
    }
    const [roundAfter] = (await world.market.feed.getFunction("latestRoundData")()) as [bigint];
    const poolAfter = await world.driver.poolPriceUsd();
    ctx.check(
      "the price did not move (same feed round, same pool price)",
      roundAfter === roundBefore && Math.abs(poolAfter / poolBefore - 1) < 1e-4,
      `round ${roundBefore} → ${roundAfter}, pool ${fmt(poolBefore)} → ${fmt(poolAfter)} USD`,
    );
    const deltaBefore = await probe.netDeltaEth();
    const reports = await ctx.settle(keeper);
    const first = reports[0]!;
    ctx.check(
      "the keeper re-hedges at once",
      first.decision.kind === "hedge" && first.outcome?.kind === "succeeded",
      `first cycle: ${describeOutcome(first)}, net delta ${fmt(deltaBefore)} ETH vs band ${fmt(band)}`,
    );
    const expectedSide = move < 0 ? "buyWeth" : "sellWeth";
    ctx.check(
      `the hedge ${expectedSide === "buyWeth" ? "buys" : "sells"} WETH (vol up moved delta by ${fmt(move)} ETH)`,
      first.decision.kind === "hedge" && first.decision.side === expectedSide,
      first.decision.kind === "hedge" ? first.decision.side : "no hedge",
    );
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| back inside the band", after <= band, `${fmt(after, 3)} ETH, band ${fmt(band, 3)}`);
    ctx.check(
      "the keeper priced with the new vols (its book matches the vault's)",
      first.assessment.deltaMismatchEth !== null && first.assessment.deltaMismatchEth < 0.001,
      `off-chain vs on-chain mismatch ${first.assessment.deltaMismatchEth} ETH`,
    );
  },
};
