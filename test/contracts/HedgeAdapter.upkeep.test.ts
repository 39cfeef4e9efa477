import { expect } from "chai";
import { AbiCoder } from "ethers";
import type { MockV3Aggregator } from "../../types/ethers-contracts/index.js";
import { fundWeth } from "../../scripts/lib/market.js";
import { createHedgeEnv, deadline, ETH, USDC, type HedgeEnv } from "../fixtures.js";

const REQUEST_TUPLE =
  "tuple(bool buyWeth, uint256 amountIn, uint256 minAmountOut, uint256 deadline, uint64 expectedNonce)";
/** HedgeAdapter.UPKEEP_DEADLINE_SEC: how long performData stays executable after the check. */
const UPKEEP_DEADLINE_SEC = 300n;
const E30 = 10n ** 30n;

interface DecodedRequest {
  buyWeth: boolean;
  amountIn: bigint;
  minAmountOut: bigint;
  deadline: bigint;
  expectedNonce: bigint;
}

function decodeRequest(performData: string): DecodedRequest {
  const [r] = AbiCoder.defaultAbiCoder().decode([REQUEST_TUPLE], performData);
  return {
    buyWeth: r.buyWeth,
    amountIn: r.amountIn,
    minAmountOut: r.minAmountOut,
    deadline: r.deadline,
    expectedNonce: r.expectedNonce,
  };
}

/** checkUpkeep as Chainlink Automation runs it: an eth_call on the latest block. */
async function check(env: HedgeEnv): Promise<{ needed: boolean; performData: string }> {
  const [needed, performData] = await env.adapter.checkUpkeep("0x");
  return { needed, performData };
}

async function refreshFeed(env: HedgeEnv): Promise<void> {
  await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(3000n * 10n ** 8n);
}

async function giveVaultWeth(env: HedgeEnv, amountWad: bigint): Promise<void> {
  await fundWeth(env.market, env.actors.trader, amountWad);
  await env.market.weth.connect(env.actors.trader).getFunction("transfer")(await env.vault.getAddress(), amountWad);
}

describe("HedgeAdapter upkeep (Chainlink Automation)", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  describe("HedgeAdapter.checkUpkeep", function () {
    it("returns false with empty performData while |net delta| is inside the band", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(0, ETH(20)); // |delta| ≈ 10.9 < 20
      expect(await check(env)).to.deep.equal({ needed: false, performData: "0x" });
    });

    it("returns false while paused", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.guardian).pause();
      expect((await check(env)).needed).to.equal(false);
    });

    it("returns false when the oracle answer is stale, non-positive or from the future", async function () {
      const env = await load();
      const feed = env.market.feed as unknown as MockV3Aggregator;
      const snapshot = await env.helpers.takeSnapshot();
      await env.helpers.time.increase(3601);
      expect((await check(env)).needed, "stale").to.equal(false);
      await snapshot.restore();
      await feed.updateAnswer(0);
      expect((await check(env)).needed, "zero answer").to.equal(false);
      const now = await env.helpers.time.latest();
      await feed.updateRoundData((await feed.latestRound()) + 1n, 3000n * 10n ** 8n, now + 600, now);
      expect((await check(env)).needed, "future timestamp").to.equal(false);
    });

    it("returns false during the cooldown after a hedge, and true again once it has passed", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(2, 600);
      await env.adapter.connect(env.actors.keeper).rebalance({
        buyWeth: true,
        amountIn: USDC(3000),
        minAmountOut: 0n,
        deadline: await deadline(env.helpers),
        expectedNonce: 0n,
      });
      expect((await check(env)).needed).to.equal(false); // still ≈ -9.9 ETH, outside the band
      await env.helpers.time.increase(600);
      await refreshFeed(env);
      expect((await check(env)).needed).to.equal(true);
    });

    it("asks a short-delta vault to buy |delta| worth of USDC at the oracle price, at the current nonce", async function () {
      const env = await load();
      const { needed, performData } = await check(env);
      const delta = await env.vault.netDeltaWad(); // same block as the check
      expect(needed).to.equal(true);
      expect(decodeRequest(performData)).to.deep.equal({
        buyWeth: true,
        amountIn: (-delta * ETH(3000)) / E30,
        minAmountOut: 0n,
        deadline: BigInt(await env.helpers.time.latest()) + UPKEEP_DEADLINE_SEC,
        expectedNonce: 0n,
      });
    });

    it("caps the trade at maxTradeWethWad", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(1, ETH(2));
      const { needed, performData } = await check(env);
      expect(needed).to.equal(true);
      expect(decodeRequest(performData).amountIn).to.equal(USDC(6000)); // 2 ETH at $3000
    });

    it("asks a long-delta vault to sell exactly |delta| WETH, capped at maxTradeWethWad", async function () {
      const env = await load();
      await giveVaultWeth(env, ETH(30)); // net ≈ +19 ETH
      let { performData } = await check(env);
      const delta = await env.vault.netDeltaWad();
      expect(decodeRequest(performData)).to.include({ buyWeth: false, amountIn: delta });
      await env.adapter.connect(env.actors.deployer).setParam(1, ETH(10));
      ({ performData } = await check(env));
      expect(decodeRequest(performData)).to.include({ buyWeth: false, amountIn: ETH(10) });
    });
    it("never proposes more than the vault holds, and nothing when it holds none of the token to sell", async function () {
      const env = await load();
      await env.vault
        .connect(env.actors.deployer)
        .withdraw(env.market.book.usdc, USDC(1_000_000) - USDC(9000), env.actors.deployer.address);
      const { needed, performData } = await check(env);
      expect(needed).to.equal(true);
      expect(decodeRequest(performData).amountIn).to.equal(USDC(9000)); // all the vault's USDC, not |delta| worth
      await env.vault
        .connect(env.actors.deployer)
        .withdraw(env.market.book.usdc, USDC(9000), env.actors.deployer.address);
      expect((await check(env)).needed).to.equal(false);
    });

    it("returns false when the pool TWAP is beyond maxPoolDeviationBps from the oracle", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(5, 10); // 0.1%
      await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(3060n * 10n ** 8n); // oracle +2% vs pool
      expect((await check(env)).needed).to.equal(false);
    });
  });

  describe("HedgeAdapter.performUpkeep", function () {
    it("hedges with the performData of checkUpkeep, a few blocks after the check, bringing delta near zero", async function () {
      const env = await load();
      const { performData } = await check(env);
      await env.helpers.mine(3); // Automation's perform transaction lands in a later block than its check
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData))
        .to.emit(env.adapter, "Hedged")
        .withArgs(
          0n,
          env.actors.keeper.address,
          true,
          decodeRequest(performData).amountIn,
          ...Array(5).fill(anyBigInt),
        );
      const after = await env.vault.netDeltaWad();
      expect(after < 0n ? -after : after).to.be.lessThan(ETH(0.05));
      expect(await env.adapter.hedgeNonce()).to.equal(1n);
      expect((await check(env)).needed).to.equal(false);
    });

    it("sells WETH for a long-delta vault", async function () {
      const env = await load();
      await giveVaultWeth(env, ETH(30));
      const { performData } = await check(env);
      await env.adapter.connect(env.actors.keeper).performUpkeep(performData);
      const after = await env.vault.netDeltaWad();
      expect(after < 0n ? -after : after).to.be.lessThan(ETH(0.001)); // selling is exact in WETH
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without KEEPER_ROLE", async function () {
      const env = await load();
      const { performData } = await check(env);
      await expect(env.adapter.connect(env.actors.stranger).performUpkeep(performData))
        .to.be.revertedWithCustomError(env.adapter, "AccessControlUnauthorizedAccount")
        .withArgs(env.actors.stranger.address, await env.adapter.KEEPER_ROLE());
    });

    it("re-validates: stale performData whose nonce was used by another hedge reverts with HedgeNonceMismatch", async function () {
      const env = await load();
      const { performData } = await check(env);
      await env.adapter.connect(env.actors.keeper2).rebalance({
        buyWeth: true,
        amountIn: USDC(3000),
        minAmountOut: 0n,
        deadline: await deadline(env.helpers),
        expectedNonce: 0n,
      });
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData))
        .to.be.revertedWithCustomError(env.adapter, "HedgeNonceMismatch")
        .withArgs(0n, 1n);
    });

    it("re-validates: performData expires UPKEEP_DEADLINE_SEC after the check (DeadlineExpired)", async function () {
      const env = await load();
      const { performData } = await check(env);
      const { deadline: expiresAt } = decodeRequest(performData);
      await env.helpers.time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData))
        .to.be.revertedWithCustomError(env.adapter, "DeadlineExpired")
        .withArgs(expiresAt, expiresAt + 1n);
    });

    it("re-validates: a pause between check and perform reverts with EnforcedPause", async function () {
      const env = await load();
      const { performData } = await check(env);
      await env.adapter.connect(env.actors.guardian).pause();
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData)).to.be.revertedWithCustomError(
        env.adapter,
        "EnforcedPause",
      );
    });

    it("re-validates: an oracle answer gone non-positive since the check reverts with OracleAnswerNotPositive", async function () {
      const env = await load();
      const { performData } = await check(env);
      await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(-1);
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData))
        .to.be.revertedWithCustomError(env.adapter, "OracleAnswerNotPositive")
        .withArgs(-1);
    });
  });
});

function anyBigInt(value: unknown): boolean {
  return typeof value === "bigint";
}
