import { expect } from "chai";
import { DEFAULT_ADAPTER_PARAMS } from "../../scripts/lib/market/stack.js";
import { createHedgeEnv, DAY, deadline, ETH, Param, USDC, type HedgeEnv } from "../fixtures.js";

/**
 * The band that follows the book: band = max(DeltaBandWad, gross option notional × DeltaBandBps / 10,000), where the
 * gross notional is Σ |size| of the series not yet expired. The fixture's book is one short 20 ETH ATM call, with a
 * net delta of about −10.9 ETH.
 */
describe("HedgeAdapter band sized to the book", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  async function buyRequest(env: HedgeEnv, usdcIn: bigint) {
    return {
      buyWeth: true,
      amountIn: usdcIn,
      minAmountOut: 0n,
      deadline: await deadline(env.helpers),
      expectedNonce: await env.adapter.hedgeNonce(),
    };
  }

  it("bandWad() is the floor while the book's share is smaller, and gross × bps once it is larger", async function () {
    const env = await load();
    const admin = env.adapter.connect(env.actors.deployer);
    expect(await env.adapter.bandWad()).to.deep.equal([ETH(5), ETH(20)]); // 0 bps: the floor
    await admin.setParam(Param.DeltaBandBps, 2000n); // 20% of 20 ETH = 4 ETH < the 5 ETH floor
    expect((await env.adapter.bandWad())[0]).to.equal(ETH(5));
    await admin.setParam(Param.DeltaBandWad, ETH(1));
    expect((await env.adapter.bandWad())[0]).to.equal(ETH(4));
    // A second series grows the book: 20 + 40 ETH gross, whatever the signs.
    const now = await env.helpers.time.latest();
    await env.vault
      .connect(env.actors.writer)
      .openSeries(ETH(2500), now + 10 * DAY, false, ETH(0.8), ETH(40), env.actors.counterparty.address);
    expect(await env.adapter.bandWad()).to.deep.equal([ETH(12), ETH(60)]);
  });

  it("reverts with InsideBand carrying the band in force when |delta| is inside the book's share", async function () {
    const env = await load();
    const admin = env.adapter.connect(env.actors.deployer);
    await admin.setParam(Param.DeltaBandWad, ETH(1));
    // 20 ETH gross × 60% would be 12 ETH, but the bound is 20%: setParam refuses, and 20% gives 4 ETH < |delta|.
    await expect(admin.setParam(Param.DeltaBandBps, 6000n))
      .to.be.revertedWithCustomError(env.adapter, "ParamOutOfBounds")
      .withArgs(Param.DeltaBandBps, 6000n, 0n, 2000n);
    // A bigger book: +100 ETH of long puts far out of the money (tiny delta) takes the gross to 120 ETH → 24 ETH band.
    const now = await env.helpers.time.latest();
    await env.vault
      .connect(env.actors.writer)
      .openSeries(ETH(500), now + 10 * DAY, false, ETH(0.8), ETH(100), env.actors.counterparty.address);
    await admin.setParam(Param.DeltaBandBps, 2000n);
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))))
      .to.be.revertedWithCustomError(env.adapter, "InsideBand")
      .withArgs((delta: bigint) => delta < -ETH(10.8), ETH(24));
    // checkUpkeep agrees: nothing is due inside the band.
    const [due] = await env.adapter.checkUpkeep("0x");
    expect(due).to.equal(false);
  });

  it("a keeper key cannot use a wider band to flip the vault's delta: the overshoot stays within overshootToleranceWad", async function () {
    const env = await load();
    const admin = env.adapter.connect(env.actors.deployer);
    await admin.setParam(Param.DeltaBandWad, ETH(1));
    await admin.setParam(Param.DeltaBandBps, 2000n);
    // +10 ETH of far out-of-the-money long puts (delta ≈ 0): gross 30 ETH → band 6 ETH, band / 2 = 3 ETH > the 1 ETH tolerance.
    const now = await env.helpers.time.latest();
    await env.vault
      .connect(env.actors.writer)
      .openSeries(ETH(500), now + 10 * DAY, false, ETH(0.8), ETH(10), env.actors.counterparty.address);
    expect((await env.adapter.bandWad())[0]).to.equal(ETH(6));
    // delta ≈ −10.9: 13 ETH worth of USDC lands near +2 ETH, inside band / 2 but past the 1 ETH tolerance.
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(39_000))))
      .to.be.revertedWithCustomError(env.adapter, "Overshoot")
      .withArgs((after: bigint) => after > ETH(1) && after < ETH(3), ETH(1));
  });

  it("an expired series leaves the gross notional, so the band shrinks back at expiry", async function () {
    const env = await load();
    const admin = env.adapter.connect(env.actors.deployer);
    await admin.setParam(Param.DeltaBandWad, ETH(1));
    await admin.setParam(Param.DeltaBandBps, 1000n);
    const now = await env.helpers.time.latest();
    await env.vault
      .connect(env.actors.writer)
      .openSeries(ETH(3000), now + DAY, true, ETH(0.8), -ETH(80), env.actors.counterparty.address);
    expect(await env.adapter.bandWad()).to.deep.equal([ETH(10), ETH(100)]);
    await env.helpers.time.increase(DAY + 1);
    await (await env.market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n)).wait();
    expect(await env.adapter.bandWad()).to.deep.equal([ETH(2), ETH(20)]);
  });

  it("the guardian may narrow the share but never widen it", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.DeltaBandBps, 500n);
    await expect(env.adapter.connect(env.actors.guardian).tightenParam(Param.DeltaBandBps, 600n))
      .to.be.revertedWithCustomError(env.adapter, "GuardianCannotLoosen")
      .withArgs(Param.DeltaBandBps, 500n, 600n);
    await env.adapter.connect(env.actors.guardian).tightenParam(Param.DeltaBandBps, 100n);
    expect((await env.adapter.params()).deltaBandBps).to.equal(100n);
  });

  it("ships max(0.5 ETH, 2% of gross notional) as the default", function () {
    expect(DEFAULT_ADAPTER_PARAMS.deltaBandWad).to.equal(ETH(0.5));
    expect(DEFAULT_ADAPTER_PARAMS.deltaBandBps).to.equal(200);
  });
});
