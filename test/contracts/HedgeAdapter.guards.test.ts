import { expect } from "chai";
import { ZeroAddress } from "ethers";
import type { MockV3Aggregator, OracleHarness, ScriptedAggregator } from "../../types/ethers-contracts/index.js";
import { fundUsdc, fundWeth, POOL_FEE, setUsdcPrice } from "../../scripts/lib/market/market.js";
import { priceE8ToSqrtPriceX96, priceUsdToTick } from "../../keeper/units.js";
import {
  createHedgeEnv,
  DAY,
  deadline,
  deploySiblingStack,
  ETH,
  Param,
  passTime,
  poolSwap,
  USDC,
  type HedgeEnv,
} from "../fixtures.js";

const E8 = 10n ** 8n;
const PRICE_E8 = 3000n * E8;

/** A 1-ETH WETH purchase: valid under every guard in the fixture's state. */
async function buyRequest(env: HedgeEnv, overrides: Record<string, unknown> = {}) {
  return {
    buyWeth: true,
    amountIn: USDC(3000),
    minAmountOut: 0n,
    deadline: await deadline(env.helpers, 7200),
    expectedNonce: await env.adapter.hedgeNonce(),
    ...overrides,
  };
}

async function loadEnv(load: () => Promise<HedgeEnv>) {
  const env = await load();
  const feed = env.market.feed as unknown as MockV3Aggregator;
  const rebalance = async (overrides: Record<string, unknown> = {}) =>
    env.adapter.connect(env.actors.keeper).rebalance(await buyRequest(env, overrides));
  return { env, adapter: env.adapter, feed, rebalance, ...env.actors };
}

describe("HedgeAdapter guards", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  describe("HedgeAdapter constructor", function () {
    async function adapterFactory(env: HedgeEnv) {
      return env.ethers.getContractFactory("HedgeAdapter", env.actors.deployer);
    }

    /** The constructor's arguments for the fixture's market, in order: admin, vault, router, pool, usdcFeed. */
    async function constructorArgs(env: HedgeEnv): Promise<[string, string, string, string, string]> {
      const { book } = env.market;
      return [env.actors.deployer.address, await env.vault.getAddress(), book.swapRouter, book.pool, book.usdcUsdFeed];
    }

    it("reverts with ZeroAddress for a zero admin, vault, router, pool or USDC/USD feed", async function () {
      const { env } = await loadEnv(load);
      const factory = await adapterFactory(env);
      const good = await constructorArgs(env);
      for (let i = 0; i < good.length; i++) {
        const args = good.map((a, j) => (j === i ? ZeroAddress : a));
        await expect(
          factory.deploy(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, env.params),
          `argument ${i}`,
        ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      }
    });

    it("reverts with PoolNotFromFactory for a WETH/USDC pool the router's factory did not create", async function () {
      const { env } = await loadEnv(load);
      const { book } = env.market;
      const fake = await env.ethers.deployContract("UniswapV3PoolDouble", [book.weth, book.usdc, 500]);
      const [admin, vault, router, , usdcFeed] = await constructorArgs(env);
      const factory = await adapterFactory(env);
      await expect(factory.deploy(admin, vault, router, await fake.getAddress(), usdcFeed, env.params))
        .to.be.revertedWithCustomError(factory, "PoolNotFromFactory")
        .withArgs(await fake.getAddress(), book.pool);
    });

    it("reverts with PoolNotFromFactory when the router's factory knows no pool for the tokens and fee", async function () {
      const { env } = await loadEnv(load);
      const router = await env.ethers.deployContract("SwapRouterDouble"); // its own factory, with no pool registered
      const [admin, vault, , pool, usdcFeed] = await constructorArgs(env);
      const factory = await adapterFactory(env);
      await expect(factory.deploy(admin, vault, await router.getAddress(), pool, usdcFeed, env.params))
        .to.be.revertedWithCustomError(factory, "PoolNotFromFactory")
        .withArgs(pool, ZeroAddress);
    });

    it("reverts with OracleDecimalsMismatch when the USDC/USD feed does not report 8 decimals", async function () {
      const { env } = await loadEnv(load);
      const feed18 = await (await env.ethers.getContractFactory("ScriptedAggregator")).deploy(18);
      const [admin, vault, router, pool] = await constructorArgs(env);
      const factory = await adapterFactory(env);
      await expect(factory.deploy(admin, vault, router, pool, await feed18.getAddress(), env.params))
        .to.be.revertedWithCustomError(factory, "OracleDecimalsMismatch")
        .withArgs(18, 8);
    });

    it("reverts with TokenMismatch for a pool that is not the vault's WETH/USDC pair", async function () {
      const { env, deployer } = await loadEnv(load);
      const other = await (await env.ethers.getContractFactory("ReplicaUSDC", deployer)).deploy(deployer.address);
      const otherAddress = await other.getAddress();
      const factory = await adapterFactory(env);
      for (const paired of [env.market.book.weth, env.market.book.usdc]) {
        const [token0, token1] =
          BigInt(paired) < BigInt(otherAddress) ? [paired, otherAddress] : [otherAddress, paired];
        const create = env.market.positionManager.getFunction("createAndInitializePoolIfNecessary");
        const pool: string = await create.staticCall(token0, token1, 500, 2n ** 96n);
        await (await create(token0, token1, 500, 2n ** 96n)).wait();
        const [admin, vault, router, , usdcFeed] = await constructorArgs(env);
        await expect(factory.deploy(admin, vault, router, pool, usdcFeed, env.params)).to.be.revertedWithCustomError(
          factory,
          "TokenMismatch",
        );
      }
    });

    it("reverts with OracleDecimalsMismatch when the vault's feed does not report 8 decimals", async function () {
      const { env, deployer } = await loadEnv(load);
      // OptionsVault refuses such a feed itself, so the feed switches to 18 decimals after the vault is built:
      // MockV3Aggregator keeps `decimals` in storage slot 0.
      const feed = (await (
        await env.ethers.getContractFactory("MockV3Aggregator")
      ).deploy(8, PRICE_E8)) as unknown as MockV3Aggregator;
      const feedAddress = await feed.getAddress();
      const vault = await (
        await env.ethers.getContractFactory("OptionsVault", deployer)
      ).deploy(deployer.address, env.market.book.weth, env.market.book.usdc, feedAddress, 64);
      expect(BigInt(await env.helpers.getStorageAt(feedAddress, 0))).to.equal(8n);
      await env.helpers.setStorageAt(feedAddress, 0, 18);
      expect(await feed.decimals()).to.equal(18n);
      const factory = await adapterFactory(env);
      await expect(
        factory.deploy(
          deployer.address,
          await vault.getAddress(),
          env.market.book.swapRouter,
          env.market.book.pool,
          env.market.book.usdcUsdFeed,
          env.params,
        ),
      )
        .to.be.revertedWithCustomError(factory, "OracleDecimalsMismatch")
        .withArgs(18, 8);
    });

    it("reverts with ParamOutOfBounds for an initial parameter outside its bounds", async function () {
      const { env } = await loadEnv(load);
      const factory = await adapterFactory(env);
      const [admin, vault, router, pool, usdcFeed] = await constructorArgs(env);
      await expect(factory.deploy(admin, vault, router, pool, usdcFeed, { ...env.params, maxSlippageBps: 501 }))
        .to.be.revertedWithCustomError(factory, "ParamOutOfBounds")
        .withArgs(4, 501, 1, 500);
    });

    it("wires the vault's tokens and feed, the pool's fee and the initial parameters", async function () {
      const { env, adapter } = await loadEnv(load);
      const { book } = env.market;
      expect([await adapter.weth(), await adapter.usdc(), await adapter.feed()]).to.deep.equal([
        book.weth,
        book.usdc,
        book.ethUsdFeed,
      ]);
      expect([await adapter.vault(), await adapter.pool(), await adapter.router()]).to.deep.equal([
        await env.vault.getAddress(),
        book.pool,
        book.swapRouter,
      ]);
      expect(await adapter.poolFee()).to.equal(500n);
      const p = await adapter.params();
      expect([p.deltaBandWad, p.maxTradeWethWad, p.cooldownSec, p.maxOracleAgeSec]).to.deep.equal([
        env.params.deltaBandWad,
        env.params.maxTradeWethWad,
        BigInt(env.params.cooldownSec),
        BigInt(env.params.maxOracleAgeSec),
      ]);
      expect([p.maxSlippageBps, p.maxPoolDeviationBps, p.twapWindowSec]).to.deep.equal([
        BigInt(env.params.maxSlippageBps),
        BigInt(env.params.maxPoolDeviationBps),
        BigInt(env.params.twapWindowSec),
      ]);
    });
  });

  describe("HedgeAdapter.rebalance oracle guards", function () {
    it("reverts with OracleStale once the answer is older than maxOracleAgeSec, and hedges at exactly that age", async function () {
      const { env, adapter, feed, rebalance } = await loadEnv(load);
      const [, , , updatedAt] = await feed.latestRoundData();
      const snapshot = await env.helpers.takeSnapshot();
      await env.helpers.time.setNextBlockTimestamp(updatedAt + 3601n);
      await expect(rebalance())
        .to.be.revertedWithCustomError(adapter, "OracleStale")
        .withArgs(updatedAt, 3600, updatedAt + 3601n);
      await snapshot.restore();
      await env.helpers.time.setNextBlockTimestamp(updatedAt + 3600n);
      await expect(rebalance()).to.emit(adapter, "Hedged");
    });

    it("oracleMinAmountOut and minAmountOut revert with OracleStale or OracleAnswerNotPositive for a stale or invalid answer", async function () {
      const { env, adapter, feed } = await loadEnv(load);
      const [, , , updatedAt] = await feed.latestRoundData();
      await env.helpers.time.increaseTo(updatedAt + 3601n); // the view runs on this block
      for (const view of [adapter.oracleMinAmountOut, adapter.minAmountOut]) {
        await expect(view(true, USDC(3000)))
          .to.be.revertedWithCustomError(adapter, "OracleStale")
          .withArgs(updatedAt, 3600, updatedAt + 3601n);
      }
      await feed.updateAnswer(0);
      for (const view of [adapter.oracleMinAmountOut, adapter.minAmountOut]) {
        await expect(view(false, ETH(1)))
          .to.be.revertedWithCustomError(adapter, "OracleAnswerNotPositive")
          .withArgs(0);
      }
    });

    it("reverts with OracleAnswerNotPositive for a zero or negative answer", async function () {
      const { adapter, feed, rebalance } = await loadEnv(load);
      for (const answer of [0n, -PRICE_E8]) {
        await feed.updateAnswer(answer);
        await expect(rebalance()).to.be.revertedWithCustomError(adapter, "OracleAnswerNotPositive").withArgs(answer);
      }
    });

    it("reverts with OracleRoundIncomplete for a round without an updatedAt", async function () {
      const { env, adapter, feed, rebalance } = await loadEnv(load);
      const round = (await feed.latestRound()) + 1n;
      await feed.updateRoundData(round, PRICE_E8, 0, await env.helpers.time.latest());
      await expect(rebalance()).to.be.revertedWithCustomError(adapter, "OracleRoundIncomplete").withArgs(round, round);
    });

    it("reverts with OracleRoundIncomplete for a carried-over answer (answeredInRound < roundId)", async function () {
      // MockV3Aggregator always reports answeredInRound == roundId; a scripted feed produces the carried-over case.
      const { env, keeper } = await loadEnv(load);
      const scripted = (await (
        await env.ethers.getContractFactory("ScriptedAggregator")
      ).deploy(8)) as unknown as ScriptedAggregator;
      const { vault, adapter } = await deploySiblingStack(env, {
        book: { ethUsdFeed: (await scripted.getAddress()) as `0x${string}` },
      });
      const now = await env.helpers.time.latest();
      await scripted.setRoundData(5, PRICE_E8, now, now, 4);
      const req = await buyRequest(env, { expectedNonce: 0n });
      await expect(adapter.connect(keeper).rebalance(req))
        .to.be.revertedWithCustomError(adapter, "OracleRoundIncomplete")
        .withArgs(5, 4);
      expect((await adapter.checkUpkeep("0x"))[0]).to.equal(false);
      // Control: the same answer, completed in its round, passes the oracle and stops at the (empty) vault's delta,
      // which is inside the band.
      await scripted.setRoundData(5, PRICE_E8, now, now, 5);
      expect(await vault.netDeltaWad()).to.equal(0n);
      await expect(adapter.connect(keeper).rebalance(req))
        .to.be.revertedWithCustomError(adapter, "InsideBand")
        .withArgs(0, env.params.deltaBandWad);
    });

    it("reverts with OracleTimestampInFuture for an answer stamped after the block", async function () {
      const { env, adapter, feed, rebalance } = await loadEnv(load);
      const now = await env.helpers.time.latest();
      await feed.updateRoundData((await feed.latestRound()) + 1n, PRICE_E8, now + 1000, now);
      await env.helpers.time.setNextBlockTimestamp(now + 10);
      await expect(rebalance())
        .to.be.revertedWithCustomError(adapter, "OracleTimestampInFuture")
        .withArgs(now + 1000, now + 10);
    });
  });

  describe("HedgeAdapter.rebalance pool deviation guard", function () {
    /** Moves the pool, lets the whole TWAP window see the new price, and refreshes the (unchanged) feed. */
    async function pushPoolAndAge(env: HedgeEnv, buyWeth: boolean, amountIn: bigint) {
      await poolSwap(env, env.actors.trader, buyWeth, amountIn);
      await env.helpers.time.increase(env.params.twapWindowSec + 1);
      await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(PRICE_E8);
    }

    it("reverts with PoolDeviationTooHigh when the pool TWAP sits above the oracle by more than maxPoolDeviationBps", async function () {
      const { env, adapter, rebalance } = await loadEnv(load);
      await pushPoolAndAge(env, true, USDC(3_000_000));
      await expect(rebalance())
        .to.be.revertedWithCustomError(adapter, "PoolDeviationTooHigh")
        .withArgs(
          (twap: bigint) => twap > ETH(3090),
          ETH(3000),
          (bps: bigint) => bps > 300n,
          300,
        );
    });

    it("reverts with PoolDeviationTooHigh when the pool TWAP sits below the oracle by more than maxPoolDeviationBps", async function () {
      const { env, adapter, rebalance } = await loadEnv(load);
      await pushPoolAndAge(env, false, ETH(500));
      await expect(rebalance())
        .to.be.revertedWithCustomError(adapter, "PoolDeviationTooHigh")
        .withArgs(
          (twap: bigint) => twap < ETH(2910),
          ETH(3000),
          (bps: bigint) => bps > 300n,
          300,
        );
    });

    it("lets the same TWAP through once governance widens maxPoolDeviationBps past it", async function () {
      const { env, adapter, rebalance } = await loadEnv(load);
      await pushPoolAndAge(env, false, ETH(500));
      await adapter.connect(env.actors.deployer).setParam(5, 1_000);
      // Past the deviation guard the trade is priced by the oracle bound: buying WETH below the oracle fills fine.
      await expect(rebalance()).to.emit(adapter, "Hedged");
    });
  });

  describe("HedgeAdapter.rebalance USDC/USD guard", function () {
    it("reverts with UsdcDepegged when USDC/USD is further from $1 than maxUsdcDepegBps, either way, and hedges at the bound", async function () {
      const { env, adapter, rebalance } = await loadEnv(load);
      for (const price of [0.9799, 1.0201]) {
        await setUsdcPrice(env.market, price);
        await expect(rebalance(), String(price))
          .to.be.revertedWithCustomError(adapter, "UsdcDepegged")
          .withArgs(BigInt(Math.round(price * 1e8)) * 10n ** 10n, env.params.maxUsdcDepegBps);
        expect((await adapter.checkUpkeep("0x"))[0], String(price)).to.equal(false);
      }
      await setUsdcPrice(env.market, 0.98); // exactly 200 bps off
      await expect(rebalance()).to.emit(adapter, "Hedged");
    });

    it("reverts with OracleStale when the USDC/USD answer is older than maxUsdcOracleAgeSec", async function () {
      const { env, adapter, feed, rebalance } = await loadEnv(load);
      const [, , , usdcUpdatedAt] = await (env.market.usdcFeed as unknown as MockV3Aggregator).latestRoundData();
      const maxAge = BigInt(env.params.maxUsdcOracleAgeSec);
      await env.helpers.time.increaseTo(usdcUpdatedAt + maxAge - 1n);
      await feed.updateAnswer(PRICE_E8); // ETH/USD stays fresh; only USDC/USD ages
      await env.helpers.time.setNextBlockTimestamp(usdcUpdatedAt + maxAge + 1n);
      await expect(rebalance())
        .to.be.revertedWithCustomError(adapter, "OracleStale")
        .withArgs(usdcUpdatedAt, maxAge, usdcUpdatedAt + maxAge + 1n);
      await env.helpers.mine(); // checkUpkeep runs on the latest block: make it one where the answer is stale
      expect((await adapter.checkUpkeep("0x"))[0]).to.equal(false);
    });
  });

  describe("HedgeAdapter.rebalance TWAP availability", function () {
    it("reverts with TwapUnavailable while the pool's history is shorter than the TWAP window (observe reverts), and passes the pool once it is not", async function () {
      const { env, keeper } = await loadEnv(load);
      // The window is checked when governance sets it, not at deployment: a new adapter can be built on a young pool.
      const { adapter } = await deploySiblingStack(env, { params: { twapWindowSec: 3600 } });
      await expect(adapter.connect(keeper).rebalance(await buyRequest(env, { expectedNonce: 0n })))
        .to.be.revertedWithCustomError(adapter, "TwapUnavailable")
        .withArgs(3600);
      await expect(adapter.minAmountOut(true, USDC(3000)))
        .to.be.revertedWithCustomError(adapter, "TwapUnavailable")
        .withArgs(3600);
      await passTime(env, 3600);
      // Past every pool guard, the sibling's empty vault has nothing to hedge.
      await expect(adapter.connect(keeper).rebalance(await buyRequest(env, { expectedNonce: 0n })))
        .to.be.revertedWithCustomError(adapter, "InsideBand")
        .withArgs(0, env.params.deltaBandWad);
    });
  });

  describe("HedgeAdapter.rebalance in the hedge's own block (a keeper contract that moves the pool first)", function () {
    const PUSH_SPOT_OFF_TWAP = USDC(900_000); // ≈ +3.5% on the replica pool
    /** With the TWAP ≈ 0.8% under the oracle and a 1% gate: ≈ +1%, just inside the spot-vs-TWAP guard. */
    const PUSH_INSIDE_GUARD = USDC(240_000);

    async function sandwichKeeper(env: HedgeEnv) {
      const contract = await env.ethers.deployContract("SandwichKeeper");
      const address = await contract.getAddress();
      await env.adapter.grantRole(await env.adapter.KEEPER_ROLE(), address);
      await fundUsdc(env.market, address, USDC(2_000_000));
      const { swapRouter, usdc, weth } = env.market.book;
      const adapterAddress = await env.adapter.getAddress();
      return async (pushUsdc: bigint, amountIn: bigint) =>
        contract.getFunction("pushThenHedge")(
          swapRouter,
          usdc,
          weth,
          POOL_FEE,
          pushUsdc,
          adapterAddress,
          await buyRequest(env, { amountIn }),
        );
    }

    it("reverts with PoolSpotOffTwap when the pool's spot was pushed off its TWAP earlier in the same block", async function () {
      const { env, adapter } = await loadEnv(load);
      const pushThenHedge = await sandwichKeeper(env);
      await expect(pushThenHedge(PUSH_SPOT_OFF_TWAP, USDC(3000)))
        .to.be.revertedWithCustomError(adapter, "PoolSpotOffTwap")
        .withArgs(
          (spot: bigint) => spot > ETH(3090),
          (twap: bigint) => twap > ETH(2990) && twap < ETH(3010),
          (bps: bigint) => bps > 300n,
          env.params.maxPoolDeviationBps,
        );
    });

    it("refuses by the pool-TWAP bound a self-sandwiched fill that the oracle-only bound accepts while the oracle lags the market", async function () {
      const { env, adapter, keeper, trader, deployer } = await loadEnv(load);
      await adapter.connect(deployer).setParam(Param.MaxPoolDeviationBps, 100);
      // The market falls ≈ 0.8% and stays there for the TWAP window; the oracle still answers $3000 (inside the gate).
      await poolSwap(env, trader, false, ETH(72));
      await passTime(env, env.params.twapWindowSec + 1);
      const pushThenHedge = await sandwichKeeper(env);
      const amountIn = USDC(30_000);
      const oracleBound = await adapter.oracleMinAmountOut(true, amountIn);
      const bound = await adapter.minAmountOut(true, amountIn);

      // The premise, measured: after the push the hedge would fill between the two bounds (≈ 1% worse than market).
      const snapshot = await env.helpers.takeSnapshot();
      await poolSwap(env, trader, true, PUSH_INSIDE_GUARD);
      const quote = env.market.quoter.getFunction("quoteExactInputSingle");
      const { book } = env.market;
      const [fill] = (await quote.staticCall({
        tokenIn: book.usdc,
        tokenOut: book.weth,
        amountIn,
        fee: POOL_FEE,
        sqrtPriceLimitX96: 0n,
      })) as [bigint];
      await snapshot.restore();
      expect(fill).to.be.greaterThanOrEqual(oracleBound);
      expect(fill).to.be.lessThan(bound);

      await expect(pushThenHedge(PUSH_INSIDE_GUARD, amountIn)).to.be.revertedWithCustomError(
        adapter,
        "InsufficientOutput",
      );
      // Control: the same hedge without the push fills at the market, above both bounds.
      await expect(adapter.connect(keeper).rebalance(await buyRequest(env, { amountIn }))).to.emit(adapter, "Hedged");
    });
  });

  describe("HedgeAdapter.rebalance against a misbehaving pool", function () {
    it("reverts with InsufficientOutput when the vault received less than the bound although the pool reported success", async function () {
      const { env, deployer, keeper, counterparty } = await loadEnv(load);
      const { book, wethIsToken0 } = env.market;
      const pool = await env.ethers.deployContract("UniswapV3PoolDouble", [book.weth, book.usdc, POOL_FEE]);
      const tick = priceUsdToTick(3000, wethIsToken0, 1);
      await pool.getFunction("setSlot0")(priceE8ToSqrtPriceX96(PRICE_E8, wethIsToken0), tick);
      await pool.getFunction("setMeanTick")(tick);
      const router = await env.ethers.deployContract("SwapRouterDouble");
      await router.getFunction("setPool")(await pool.getAddress());
      const { vault, adapter } = await deploySiblingStack(env, {
        book: {
          pool: (await pool.getAddress()) as `0x${string}`,
          swapRouter: (await router.getAddress()) as `0x${string}`,
        },
      });
      await fundUsdc(env.market, await vault.getAddress(), USDC(1_000_000));
      const now = await env.helpers.time.latest();
      await vault.openSeries(ETH(3000), now + 30 * DAY, true, ETH(0.8), -ETH(20), counterparty.address);

      const amountIn = USDC(15_000);
      const bound = await adapter.minAmountOut(true, amountIn);
      await fundWeth(env.market, deployer, bound);
      await env.market.weth.getFunction("transfer")(await pool.getAddress(), bound);
      await pool.getFunction("script")(bound - 1n, ZeroAddress, bound); // pays 1 wei short, claims the bound
      await expect(adapter.connect(keeper).rebalance(await buyRequest(env, { amountIn, expectedNonce: 0n })))
        .to.be.revertedWithCustomError(adapter, "InsufficientOutput")
        .withArgs(bound - 1n, bound);
    });
  });

  describe("OracleLib (through OracleHarness)", function () {
    async function harness(env: HedgeEnv) {
      const h = (await (await env.ethers.getContractFactory("OracleHarness")).deploy()) as unknown as OracleHarness;
      const scripted = (await (
        await env.ethers.getContractFactory("ScriptedAggregator")
      ).deploy(8)) as unknown as ScriptedAggregator;
      return { h, scripted, now: await env.helpers.time.latest() };
    }

    it("converts an 8-decimal answer to a wad price and returns its updatedAt", async function () {
      const { env } = await loadEnv(load);
      const { h, scripted, now } = await harness(env);
      await scripted.setRoundData(9, 3123_45678901n, now, now, 9);
      const [priceWad, updatedAt] = await h.readPriceWad(scripted, 60);
      expect([priceWad, updatedAt]).to.deep.equal([3123_45678901n * 10n ** 10n, BigInt(now)]);
      const [ok, tryPrice] = await h.tryReadPriceWad(scripted, 60);
      expect([ok, tryPrice]).to.deep.equal([true, priceWad]);
    });

    it("flags every invalid answer: readPriceWad reverts with its named error, tryReadPriceWad returns (false, 0)", async function () {
      const { env } = await loadEnv(load);
      const { h, scripted } = await harness(env);
      // Each round is published in a block at `t`, so the view call sees block.timestamp == t.
      type Round = [number, bigint, number, number, number];
      const cases: [string, (t: number) => Round, (t: number) => unknown[]][] = [
        ["OracleAnswerNotPositive", (t) => [9, 0n, t, t, 9], () => [0]],
        ["OracleAnswerNotPositive", (t) => [9, -1n, t, t, 9], () => [-1]],
        ["OracleRoundIncomplete", (t) => [9, PRICE_E8, t, 0, 9], () => [9, 9]],
        ["OracleRoundIncomplete", (t) => [9, PRICE_E8, t, t, 8], () => [9, 8]],
        ["OracleTimestampInFuture", (t) => [9, PRICE_E8, t, t + 1, 9], (t) => [t + 1, t]],
        ["OracleStale", (t) => [9, PRICE_E8, t, t - 61, 9], (t) => [t - 61, 60, t]],
      ];
      for (const [error, round, args] of cases) {
        const t = (await env.helpers.time.latest()) + 100;
        await env.helpers.time.setNextBlockTimestamp(t);
        await scripted.setRoundData(...round(t));
        await expect(h.readPriceWad(scripted, 60), error)
          .to.be.revertedWithCustomError(h, error)
          .withArgs(...args(t));
        const [ok, price] = await h.tryReadPriceWad(scripted, 60);
        expect([ok, price], error).to.deep.equal([false, 0n]);
      }
      // The boundary: an answer exactly maxAgeSec old is still fresh.
      const t = (await env.helpers.time.latest()) + 100;
      await env.helpers.time.setNextBlockTimestamp(t);
      await scripted.setRoundData(9, PRICE_E8, t, t - 60, 9);
      expect((await h.tryReadPriceWad(scripted, 60))[0]).to.equal(true);
    });

    it("reverts with OracleDecimalsMismatch for a feed that does not report 8 decimals", async function () {
      const { env } = await loadEnv(load);
      const { h } = await harness(env);
      const feed18 = await (await env.ethers.getContractFactory("ScriptedAggregator")).deploy(18);
      await expect(h.checkDecimals(feed18)).to.be.revertedWithCustomError(h, "OracleDecimalsMismatch").withArgs(18, 8);
      await h.checkDecimals(env.market.book.ethUsdFeed);
    });
  });
});
