import { expect } from "chai";
import type { DoubleHedger } from "../../types/ethers-contracts/index.js";
import { setFeedPrice } from "../../scripts/lib/market/market.js";
import { createHedgeEnv, DAY, deadline, ETH, Param, USDC, poolSwap, type HedgeEnv } from "../fixtures.js";

describe("HedgeAdapter.rebalance", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  async function buyRequest(env: HedgeEnv, usdcIn: bigint, overrides: Record<string, unknown> = {}) {
    return {
      buyWeth: true,
      amountIn: usdcIn,
      minAmountOut: 0n,
      deadline: await deadline(env.helpers),
      expectedNonce: await env.adapter.hedgeNonce(),
      ...overrides,
    };
  }

  it("hedges a short-call vault by buying WETH on the real Uniswap V3 pool, toward zero delta", async function () {
    const env = await load();
    const before = await env.vault.netDeltaWad();
    expect(before).to.be.lessThan(-ETH(5)); // short 20 ATM calls: delta ≈ -10.9 ETH, outside the 5 ETH band
    const usdcIn = (-before * 3000n) / 10n ** 12n; // |delta| worth of USDC at $3000
    const tx = await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, usdcIn));
    await expect(tx).to.emit(env.adapter, "Hedged");
    const after = await env.vault.netDeltaWad();
    expect(after).to.be.greaterThan(before);
    expect(after < 0n ? -after : after).to.be.lessThan(ETH(0.05)); // fee + impact leave a sliver
    expect(await env.adapter.hedgeNonce()).to.equal(1n);
  });

  it("emits delta before/after, amounts, oracle price and pool price", async function () {
    const env = await load();
    const tx = await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(15_000)));
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => env.adapter.interface.parseLog(l)).find((e) => e?.name === "Hedged")!;
    expect(event.args.amountIn).to.equal(USDC(15_000));
    expect(event.args.amountOut).to.be.closeTo(ETH(5), ETH(0.01));
    expect(event.args.deltaAfterWad - event.args.deltaBeforeWad).to.equal(event.args.amountOut);
    expect(event.args.oraclePriceWad).to.equal(ETH(3000));
    expect(event.args.poolPriceWad).to.be.closeTo(ETH(3000), ETH(10));
  });

  it("sells WETH when the vault is long delta", async function () {
    const env = await load();
    // Vault long 30 WETH against short calls of ~10.9 delta: net ≈ +19 ETH.
    await env.market.weth.connect(env.actors.trader).getFunction("deposit")({ value: ETH(30) });
    await env.market.weth.connect(env.actors.trader).getFunction("transfer")(await env.vault.getAddress(), ETH(30));
    const before = await env.vault.netDeltaWad();
    await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, ETH(10), { buyWeth: false }));
    // Exactly 10 WETH left the vault; the options delta only drifts by the few seconds of time decay.
    expect(await env.vault.netDeltaWad()).to.be.closeTo(before - ETH(10), ETH(0.000001));
  });

  it("reverts with InsufficientOutput when the keeper's own minAmountOut is above the fill", async function () {
    const env = await load();
    const req = await buyRequest(env, USDC(15_000), { minAmountOut: ETH(5.1) });
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req)).to.be.revertedWithCustomError(
      env.adapter,
      "InsufficientOutput",
    );
  });

  it("reverts when the fill is worse than the oracle price minus maxSlippageBps (pool pushed up by a front-runner)", async function () {
    const env = await load();
    // Attacker buys WETH first, pushing the pool price ~1% above the oracle, inside the spot-vs-TWAP guard.
    await poolSwap(env, env.actors.trader, true, USDC(300_000));
    const req = await buyRequest(env, USDC(15_000));
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req)).to.be.revertedWithCustomError(
      env.adapter,
      "InsufficientOutput",
    );
    const bound = await env.adapter.oracleMinAmountOut(true, USDC(15_000));
    expect(bound).to.equal((ETH(5) * 9950n + 9999n) / 10_000n);
  });

  it("reverts with AccessControlUnauthorizedAccount for a caller without KEEPER_ROLE", async function () {
    const env = await load();
    await expect(env.adapter.connect(env.actors.stranger).rebalance(await buyRequest(env, USDC(1000))))
      .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
      .withArgs(env.actors.stranger.address, await env.adapter.KEEPER_ROLE());
  });

  it("reverts with DeadlineExpired after the deadline", async function () {
    const env = await load();
    const req = await buyRequest(env, USDC(1000), { deadline: BigInt(await env.helpers.time.latest()) - 1n });
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req)).to.be.revertedWithCustomError(
      env.adapter,
      "DeadlineExpired",
    );
  });

  it("reverts with HedgeNonceMismatch when another hedge landed since the keeper decided", async function () {
    const env = await load();
    const req = await buyRequest(env, USDC(1000), { expectedNonce: 7n });
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req))
      .to.be.revertedWithCustomError(env.adapter, "HedgeNonceMismatch")
      .withArgs(7n, 0n);
  });

  it("reverts with ZeroAmount for a zero-size trade", async function () {
    const env = await load();
    await expect(
      env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, 0n)),
    ).to.be.revertedWithCustomError(env.adapter, "ZeroAmount");
  });

  it("reverts with TradeTooLarge above maxTradeWethWad (WETH-equivalent at the oracle price)", async function () {
    const env = await load();
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(153_000))))
      .to.be.revertedWithCustomError(env.adapter, "TradeTooLarge")
      .withArgs(ETH(51), ETH(50));
  });

  it("reverts with NotReducing when the trade points away from neutral", async function () {
    const env = await load();
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, ETH(1), { buyWeth: false })))
      .to.be.revertedWithCustomError(env.adapter, "NotReducing")
      .withArgs((delta: bigint) => delta < -ETH(5), false);
  });

  it("reverts with InsideBand when |delta| is within the band: no hedge is due", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.DeltaBandWad, ETH(11)); // |delta| ≈ 10.9
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))))
      .to.be.revertedWithCustomError(env.adapter, "InsideBand")
      .withArgs((delta: bigint) => delta < -ETH(10.8), ETH(11));
  });

  it("reverts with Overshoot when the trade crosses zero by more than overshootToleranceWad, far inside the band", async function () {
    const env = await load();
    // delta ≈ -10.9; 12.5 ETH worth lands near +1.6: inside the 5 ETH band, beyond the 1 ETH tolerance.
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(37_500))))
      .to.be.revertedWithCustomError(env.adapter, "Overshoot")
      .withArgs((after: bigint) => after > ETH(1) && after < ETH(2), ETH(1));
  });

  it("accepts a hedge that crosses zero within overshootToleranceWad", async function () {
    const env = await load();
    const usdcIn = ((-(await env.vault.netDeltaWad()) + ETH(0.8)) * 3000n) / 10n ** 12n; // lands ≈ +0.75
    await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, usdcIn));
    expect(await env.vault.netDeltaWad())
      .to.be.greaterThan(ETH(0.5))
      .and.lessThan(ETH(1));
  });

  it("caps the overshoot tolerance at half the band whatever governance sets", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.OvershootToleranceWad, ETH(100));
    // 14 ETH worth lands near +3.0: inside the 5 ETH band and the 100 ETH setting, beyond band / 2.
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(42_000))))
      .to.be.revertedWithCustomError(env.adapter, "Overshoot")
      .withArgs((after: bigint) => after > ETH(2.5), ETH(2.5));
  });

  it("reverts with NotReducing when crossing zero would leave |delta| larger than before", async function () {
    const env = await load();
    // delta ≈ -10.9; 30 ETH worth would land near +19: the size check runs before the overshoot check.
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(90_000))))
      .to.be.revertedWithCustomError(env.adapter, "NotReducing")
      .withArgs((delta: bigint) => delta < -ETH(10.8), true);
  });

  it("reverts with TradeTooSmall for a $1 grief hedge, leaving the nonce and the cooldown to the honest keeper", async function () {
    const env = await load();
    const { adapter, actors } = env;
    const cooldownBefore = await adapter.cooldownEndsAt();
    await expect(adapter.connect(actors.keeper2).rebalance(await buyRequest(env, USDC(1))))
      .to.be.revertedWithCustomError(adapter, "TradeTooSmall")
      .withArgs((USDC(1) * 10n ** 30n) / ETH(3000), env.params.minTradeWethWad);
    expect([await adapter.hedgeNonce(), await adapter.cooldownEndsAt()]).to.deep.equal([0n, cooldownBefore]);
    await expect(adapter.connect(actors.keeper).rebalance(await buyRequest(env, USDC(15_000)))).to.emit(
      adapter,
      "Hedged",
    );
  });

  it("uses min(minTradeWethWad, band) as the minimum trade", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.MinTradeWethWad, ETH(100));
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(14_997))))
      .to.be.revertedWithCustomError(env.adapter, "TradeTooSmall")
      .withArgs(ETH(4.999), ETH(5));
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(15_000)))).to.emit(
      env.adapter,
      "Hedged",
    );
  });

  it("reverts with OneHedgePerBlock for a second hedge in the same block, even with the next nonce", async function () {
    const env = await load();
    const doubler = (await env.ethers.deployContract("DoubleHedger")) as unknown as DoubleHedger;
    await env.adapter.grantRole(await env.adapter.KEEPER_ROLE(), await doubler.getAddress());
    const blockNumber = (await env.ethers.provider.getBlockNumber()) + 1;
    await expect(doubler.hedgeTwice(await env.adapter.getAddress(), await buyRequest(env, USDC(3000))))
      .to.be.revertedWithCustomError(env.adapter, "OneHedgePerBlock")
      .withArgs(blockNumber);
  });

  it("starts no cooldown after a hedge that ends outside the band: the rest may follow in the next block", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.CooldownSec, 600);
    await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))); // ≈ -9.9 ETH after
    expect(await env.adapter.cooldownEndsAt()).to.equal(await env.adapter.lastHedgeTimestamp());
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000)))).to.emit(
      env.adapter,
      "Hedged",
    );
  });

  it("reverts with CooldownActive until cooldownSec has passed since a hedge that ended inside the band", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(Param.CooldownSec, 600);
    await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(24_000))); // ≈ -2.9 ETH after
    const last = await env.adapter.lastHedgeTimestamp();
    expect(await env.adapter.cooldownEndsAt()).to.equal(last + 600n);
    // The book grows by another short call: a hedge is due again, but the cooldown holds it.
    const now = await env.helpers.time.latest();
    await env.vault
      .connect(env.actors.writer)
      .openSeries(ETH(3000), now + 30 * DAY, true, ETH(0.8), -ETH(10), env.actors.counterparty.address);
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))))
      .to.be.revertedWithCustomError(env.adapter, "CooldownActive")
      .withArgs(last + 600n);
    await env.helpers.time.increaseTo(last + 599n);
    await setFeedPrice(env.market, 3000); // its transactions mine the blocks at last + 600 and last + 601
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000)))).to.emit(
      env.adapter,
      "Hedged",
    );
  });

  it("reverts with EnforcedPause while paused", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.guardian).pause();
    await expect(
      env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))),
    ).to.be.revertedWithCustomError(env.adapter, "EnforcedPause");
  });
});
