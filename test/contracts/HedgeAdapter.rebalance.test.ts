import { expect } from "chai";
import type { DoubleHedger } from "../../types/ethers-contracts/index.js";
import { createHedgeEnv, deadline, ETH, USDC, poolSwap, type HedgeEnv } from "../fixtures.js";

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

  it("reverts with the router's 'Too little received' when the keeper's own minAmountOut is above the fill", async function () {
    const env = await load();
    const req = await buyRequest(env, USDC(15_000), { minAmountOut: ETH(5.1) });
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req)).to.be.revertedWith("Too little received");
  });

  it("reverts when the fill is worse than the oracle price minus maxSlippageBps (pool pushed up by a front-runner)", async function () {
    const env = await load();
    // Attacker buys WETH first, pushing the pool price ~1% above the oracle, inside the TWAP deviation guard.
    await poolSwap(env, env.actors.trader, true, USDC(900_000));
    const req = await buyRequest(env, USDC(15_000));
    await expect(env.adapter.connect(env.actors.keeper).rebalance(req)).to.be.revertedWith("Too little received");
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

  it("reverts with Overshoot when the trade would cross zero by more than the band", async function () {
    const env = await load();
    // delta ≈ -10.9; buying 17 ETH worth lands near +6.1, beyond the 5 ETH band on the other side.
    await expect(
      env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(51_000))),
    ).to.be.revertedWithCustomError(env.adapter, "Overshoot");
  });

  it("reverts with NotReducing when crossing zero would leave |delta| larger than before", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(0, ETH(100)); // band 100: overshoot allowed, growth not
    await expect(
      env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(90_000))),
    ).to.be.revertedWithCustomError(env.adapter, "NotReducing");
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

  it("reverts with CooldownActive until cooldownSec has passed since the last hedge", async function () {
    const env = await load();
    await env.adapter.connect(env.actors.deployer).setParam(2, 600);
    await env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000)));
    const last = await env.adapter.lastHedgeTimestamp();
    await expect(env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, USDC(3000))))
      .to.be.revertedWithCustomError(env.adapter, "CooldownActive")
      .withArgs(last + 600n);
    await env.helpers.time.increase(600);
    await env.market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n);
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
