import { expect } from "chai";
import { AbiCoder } from "ethers";
import type { MockV3Aggregator } from "../../types/ethers-contracts/index.js";
import { setUsdcPrice } from "../../scripts/lib/market/market.js";
import {
  createHedgeEnv,
  deadline,
  deploySiblingStack,
  ETH,
  giveVaultWeth,
  Param,
  poolSwap,
  USDC,
  type HedgeEnv,
} from "../fixtures.js";

const REQUEST_TUPLE =
  "tuple(bool buyWeth, uint256 amountIn, uint256 minAmountOut, uint256 deadline, uint64 expectedNonce)";
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

function encodeRequest(req: DecodedRequest): string {
  return AbiCoder.defaultAbiCoder().encode([REQUEST_TUPLE], [req]);
}

/**
 * A buy is sized at the lowest of the oracle ($3000), the pool's spot and its block-start price; the replica's pool sits
 * within a basis point below the oracle, so the USDC amount is at most `atOracle6` and within 1 bp of it.
 */
function expectAtPoolOrOracle(amountIn6: bigint, atOracle6: bigint): void {
  expect(amountIn6 <= atOracle6, `${amountIn6} above the oracle-priced ${atOracle6}`).to.equal(true);
  expect(amountIn6 >= (atOracle6 * 9_999n) / 10_000n, `${amountIn6} more than 1 bp below ${atOracle6}`).to.equal(true);
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

    it("returns false during the cooldown after a hedge that ended inside the band, and true again once it has passed", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(Param.CooldownSec, 600);
      await env.adapter.connect(env.actors.keeper).rebalance({
        buyWeth: true,
        amountIn: USDC(24_000),
        minAmountOut: 0n,
        deadline: await deadline(env.helpers),
        expectedNonce: 0n,
      }); // ≈ -2.9 ETH after: inside the band
      await env.vault.connect(env.actors.deployer).withdraw(env.market.book.weth, ETH(7), env.actors.deployer.address); // ≈ -9.9 ETH: due again
      expect((await check(env)).needed).to.equal(false);
      await env.helpers.time.increase(600);
      await refreshFeed(env);
      expect((await check(env)).needed).to.equal(true);
    });

    it("returns true right after a hedge that ended outside the band (no cooldown), from the next block", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(Param.CooldownSec, 600);
      await env.adapter.connect(env.actors.keeper).rebalance({
        buyWeth: true,
        amountIn: USDC(3000),
        minAmountOut: 0n,
        deadline: await deadline(env.helpers),
        expectedNonce: 0n,
      }); // ≈ -9.9 ETH after
      await env.helpers.mine();
      expect((await check(env)).needed).to.equal(true);
    });

    it("returns false instead of reverting when the pool cannot answer observe for the TWAP window", async function () {
      const env = await load();
      const { adapter } = await deploySiblingStack(env, { params: { twapWindowSec: 3600 } });
      expect(await adapter.checkUpkeep("0x")).to.deep.equal([false, "0x"]);
    });

    it("returns false when USDC is depegged or its answer is stale", async function () {
      const env = await load();
      const snapshot = await env.helpers.takeSnapshot();
      await setUsdcPrice(env.market, 0.97);
      expect((await check(env)).needed, "depegged").to.equal(false);
      await snapshot.restore();
      await env.helpers.time.increase(env.params.maxUsdcOracleAgeSec + 1);
      await refreshFeed(env); // ETH/USD fresh, USDC/USD not
      expect((await check(env)).needed, "stale").to.equal(false);
    });

    it("returns false when the pool's spot is off its TWAP", async function () {
      const env = await load();
      await poolSwap(env, env.actors.trader, true, USDC(900_000)); // ≈ +3.5% spot, TWAP barely moved
      expect((await check(env)).needed).to.equal(false);
    });

    it("caps the trade at the turnover budget left, and returns false once less than the minimum trade is left", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(Param.TurnoverBudgetWethWad, ETH(2));
      const { needed, performData } = await check(env);
      expect(needed).to.equal(true);
      expectAtPoolOrOracle(decodeRequest(performData).amountIn, USDC(6000)); // 2 ETH at ≈ $3000
      await env.adapter.connect(env.actors.deployer).setParam(Param.TurnoverBudgetWethWad, ETH(0.01)); // < 0.05 ETH
      expect((await check(env)).needed).to.equal(false);
    });

    it("asks a short-delta vault to buy |delta| worth of USDC at the lowest of the oracle and pool prices, at the current nonce and block time", async function () {
      const env = await load();
      const { needed, performData } = await check(env);
      const delta = await env.vault.netDeltaWad(); // same block as the check
      expect(needed).to.equal(true);
      const request = decodeRequest(performData);
      expectAtPoolOrOracle(request.amountIn, (-delta * ETH(3000)) / E30);
      expect(request).to.deep.equal({
        buyWeth: true,
        amountIn: request.amountIn,
        minAmountOut: 0n,
        deadline: BigInt(await env.helpers.time.latest()), // a hint: performUpkeep derives its own
        expectedNonce: 0n,
      });
    });

    it("caps the trade at maxTradeWethWad", async function () {
      const env = await load();
      await env.adapter.connect(env.actors.deployer).setParam(1, ETH(2));
      const { needed, performData } = await check(env);
      expect(needed).to.equal(true);
      expectAtPoolOrOracle(decodeRequest(performData).amountIn, USDC(6000)); // 2 ETH at ≈ $3000
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
          closeTo(decodeRequest(performData).amountIn, USDC(1)), // re-derived: three blocks of time decay later
          ...Array(6).fill(anyBigInt),
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

    it("executes the trade due at perform time, whatever amount, direction or deadline the hint names", async function () {
      const env = await load();
      const { performData } = await check(env);
      const forged = encodeRequest({
        ...decodeRequest(performData),
        buyWeth: false,
        amountIn: ETH(1000),
        minAmountOut: 0n,
        deadline: 1n,
      });
      const due = decodeRequest(performData).amountIn;
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(forged))
        .to.emit(env.adapter, "Hedged")
        .withArgs(0n, env.actors.keeper.address, true, closeTo(due, USDC(1)), ...Array(6).fill(anyBigInt));
      const after = await env.vault.netDeltaWad();
      expect(after < 0n ? -after : after).to.be.lessThan(ETH(0.05));
    });

    it("reverts with NoUpkeepNeeded when no hedge is due at perform time (inside the band)", async function () {
      const env = await load();
      const { performData } = await check(env);
      await env.adapter.connect(env.actors.deployer).setParam(Param.DeltaBandWad, ETH(20));
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData)).to.be.revertedWithCustomError(
        env.adapter,
        "NoUpkeepNeeded",
      );
    });

    it("re-validates: a pause between check and perform reverts with NoUpkeepNeeded", async function () {
      const env = await load();
      const { performData } = await check(env);
      await env.adapter.connect(env.actors.guardian).pause();
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData)).to.be.revertedWithCustomError(
        env.adapter,
        "NoUpkeepNeeded",
      );
    });

    it("re-validates: an oracle answer gone non-positive since the check reverts with NoUpkeepNeeded", async function () {
      const env = await load();
      const { performData } = await check(env);
      await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(-1);
      await expect(env.adapter.connect(env.actors.keeper).performUpkeep(performData)).to.be.revertedWithCustomError(
        env.adapter,
        "NoUpkeepNeeded",
      );
    });

    it("reverts with MalformedPerformData(length) for data that is not one encoded RebalanceRequest", async function () {
      const env = await load();
      const { performData } = await check(env);
      for (const data of ["0x", performData.slice(0, -2), performData + "00"]) {
        await expect(env.adapter.connect(env.actors.keeper).performUpkeep(data))
          .to.be.revertedWithCustomError(env.adapter, "MalformedPerformData")
          .withArgs((data.length - 2) / 2);
      }
    });
  });
});

function anyBigInt(value: unknown): boolean {
  return typeof value === "bigint";
}

function closeTo(expected: bigint, tolerance: bigint): (value: bigint) => boolean {
  return (value) => (value > expected ? value - expected : expected - value) <= tolerance;
}
