import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ZeroAddress, ZeroHash, MaxUint256 } from "ethers";
import type { MockV3Aggregator, OptionsVault } from "../../types/ethers-contracts/index.js";
import { bsGreeks } from "../../keeper/risk/index.js";
import { SECONDS_PER_YEAR } from "../../keeper/units.js";
import { fundUsdc, fundWeth } from "../../scripts/lib/market.js";
import { createHedgeEnv, DAY, ETH, USDC, type HedgeEnv } from "../fixtures.js";

const INT128_MAX = 2n ** 127n - 1n;
const E8 = 10n ** 8n;

interface SeriesArgs {
  strikeWad: bigint;
  expiry: number;
  isCall: boolean;
  volWad: bigint;
  sizeWad: bigint;
  counterparty: string;
}

/** The fixture's vault (short 20 ATM 30-day calls as series 1, 1M USDC) and its feed, typed. */
async function loadVault(load: () => Promise<HedgeEnv>) {
  const env = await load();
  const feed = env.market.feed as unknown as MockV3Aggregator;
  return { env, vault: env.vault, feed, ...env.actors };
}

async function seriesArgs(env: HedgeEnv, overrides: Partial<SeriesArgs> = {}): Promise<SeriesArgs> {
  return {
    strikeWad: ETH(3000),
    expiry: (await env.helpers.time.latest()) + 7 * DAY,
    isCall: true,
    volWad: ETH(0.8),
    sizeWad: -ETH(1),
    counterparty: env.actors.counterparty.address,
    ...overrides,
  };
}

function open(env: HedgeEnv, a: SeriesArgs) {
  return env.vault
    .connect(env.actors.writer)
    .openSeries(a.strikeWad, a.expiry, a.isCall, a.volWad, a.sizeWad, a.counterparty);
}

/** Opens a series and returns its id. */
async function openSeries(env: HedgeEnv, overrides: Partial<SeriesArgs> = {}): Promise<bigint> {
  const id = await env.vault.nextSeriesId();
  await open(env, await seriesArgs(env, overrides));
  return id;
}

/** Moves past `expiry` and publishes `priceUsd` on the feed after it (a valid settlement price). */
async function expireAndPublish(env: HedgeEnv, expiry: number, priceUsd: bigint): Promise<void> {
  await env.helpers.time.increaseTo(expiry);
  await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(priceUsd * E8);
}

async function activeIds(vault: OptionsVault, pageSize: number): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await vault.getActiveSeries(offset, pageSize);
    ids.push(...page.map((s) => s.id));
    if (page.length < pageSize) return ids;
  }
}

describe("OptionsVault", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv());
  });

  describe("constructor", function () {
    it("reverts with ZeroAddress for a zero admin, WETH, USDC or feed", async function () {
      const { env, deployer } = await loadVault(load);
      const factory = await env.ethers.getContractFactory("OptionsVault", deployer);
      const { weth, usdc, ethUsdFeed } = env.market.book;
      const good = [deployer.address, weth, usdc, ethUsdFeed];
      for (let i = 0; i < good.length; i++) {
        const args = good.map((a, j) => (j === i ? ZeroAddress : a));
        await expect(factory.deploy(args[0]!, args[1]!, args[2]!, args[3]!, 64)).to.be.revertedWithCustomError(
          factory,
          "ZeroAddress",
        );
      }
    });

    it("reverts with OracleDecimalsMismatch for a feed that does not report 8 decimals", async function () {
      const { env, deployer } = await loadVault(load);
      const feed18 = await (await env.ethers.getContractFactory("MockV3Aggregator")).deploy(18, ETH(3000));
      const factory = await env.ethers.getContractFactory("OptionsVault", deployer);
      const { weth, usdc } = env.market.book;
      await expect(factory.deploy(deployer.address, weth, usdc, await feed18.getAddress(), 64))
        .to.be.revertedWithCustomError(factory, "OracleDecimalsMismatch")
        .withArgs(18, 8);
    });

    it("reverts with ParamOutOfBounds for a zero maxActiveSeries", async function () {
      const { env, deployer } = await loadVault(load);
      const factory = await env.ethers.getContractFactory("OptionsVault", deployer);
      const { weth, usdc, ethUsdFeed } = env.market.book;
      await expect(factory.deploy(deployer.address, weth, usdc, ethUsdFeed, 0))
        .to.be.revertedWithCustomError(factory, "ParamOutOfBounds")
        .withArgs(0, 1, 500);
    });
  });

  describe("OptionsVault.openSeries", function () {
    it("stores the series, adds it to the book and emits SeriesOpened", async function () {
      const { env, vault, counterparty } = await loadVault(load);
      const a = await seriesArgs(env, { isCall: false, sizeWad: ETH(2.5), strikeWad: ETH(2500) });
      await expect(open(env, a))
        .to.emit(vault, "SeriesOpened")
        .withArgs(2n, a.strikeWad, a.expiry, false, a.sizeWad, a.volWad, counterparty.address);
      const s = await vault.getSeries(2n);
      expect([s.strikeWad, s.expiry, s.isCall, s.sizeWad, s.volWad, s.counterparty]).to.deep.equal([
        a.strikeWad,
        BigInt(a.expiry),
        false,
        a.sizeWad,
        a.volWad,
        counterparty.address,
      ]);
      expect(await vault.activeSeriesCount()).to.equal(2n);
      expect(await vault.nextSeriesId()).to.equal(3n);
    });

    it("reverts with StrikeOutOfBounds for a zero strike or one above MAX_STRIKE_WAD", async function () {
      const { env, vault } = await loadVault(load);
      const max = await vault.MAX_STRIKE_WAD();
      for (const strikeWad of [0n, max + 1n]) {
        await expect(open(env, await seriesArgs(env, { strikeWad })))
          .to.be.revertedWithCustomError(vault, "StrikeOutOfBounds")
          .withArgs(strikeWad);
      }
      await expect(open(env, await seriesArgs(env, { strikeWad: max }))).to.emit(vault, "SeriesOpened");
    });

    it("reverts with ExpiryInPast for an expiry at or before now, or beyond uint64", async function () {
      const { env, vault } = await loadVault(load);
      const now = await env.helpers.time.latest();
      await expect(open(env, await seriesArgs(env, { expiry: now - 1 })))
        .to.be.revertedWithCustomError(vault, "ExpiryInPast")
        .withArgs(now - 1);
      const a = await seriesArgs(env, { expiry: now + 10 });
      await env.helpers.time.setNextBlockTimestamp(now + 10);
      await expect(open(env, a))
        .to.be.revertedWithCustomError(vault, "ExpiryInPast")
        .withArgs(now + 10);
      const tooFar = 2n ** 64n;
      await expect(
        env.vault
          .connect(env.actors.writer)
          .openSeries(ETH(3000), tooFar, true, ETH(0.8), -ETH(1), env.actors.counterparty.address),
      )
        .to.be.revertedWithCustomError(vault, "ExpiryInPast")
        .withArgs(tooFar);
    });

    it("reverts with VolOutOfBounds below MIN_VOL_WAD and above MAX_VOL_WAD", async function () {
      const { env, vault } = await loadVault(load);
      for (const volWad of [ETH(0.01) - 1n, ETH(5) + 1n]) {
        await expect(open(env, await seriesArgs(env, { volWad })))
          .to.be.revertedWithCustomError(vault, "VolOutOfBounds")
          .withArgs(volWad, ETH(0.01), ETH(5));
      }
    });

    it("reverts with ZeroSize for a zero position", async function () {
      const { env, vault } = await loadVault(load);
      await expect(open(env, await seriesArgs(env, { sizeWad: 0n }))).to.be.revertedWithCustomError(vault, "ZeroSize");
    });

    it("reverts with SizeOverflow for a position outside ±int128.max", async function () {
      const { env, vault } = await loadVault(load);
      for (const sizeWad of [INT128_MAX + 1n, -INT128_MAX - 1n]) {
        await expect(open(env, await seriesArgs(env, { sizeWad })))
          .to.be.revertedWithCustomError(vault, "SizeOverflow")
          .withArgs(sizeWad);
      }
    });

    it("reverts with ZeroAddress for a zero counterparty", async function () {
      const { env, vault } = await loadVault(load);
      await expect(open(env, await seriesArgs(env, { counterparty: ZeroAddress }))).to.be.revertedWithCustomError(
        vault,
        "ZeroAddress",
      );
    });

    it("reverts with TooManyActiveSeries once the book holds maxActiveSeries", async function () {
      const { env, vault, deployer } = await loadVault(load);
      await vault.connect(deployer).setMaxActiveSeries(2);
      await openSeries(env);
      await expect(open(env, await seriesArgs(env)))
        .to.be.revertedWithCustomError(vault, "TooManyActiveSeries")
        .withArgs(2);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without WRITER_ROLE", async function () {
      const { env, vault, stranger } = await loadVault(load);
      const a = await seriesArgs(env);
      await expect(
        vault.connect(stranger).openSeries(a.strikeWad, a.expiry, a.isCall, a.volWad, a.sizeWad, a.counterparty),
      )
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await vault.WRITER_ROLE());
    });
  });

  describe("OptionsVault.adjustPosition", function () {
    it("adds to the position and emits PositionAdjusted with the new size", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).adjustPosition(1n, ETH(5)))
        .to.emit(vault, "PositionAdjusted")
        .withArgs(1n, ETH(5), -ETH(15));
      expect((await vault.getSeries(1n)).sizeWad).to.equal(-ETH(15));
    });

    it("closes a position that reaches zero: emits SeriesClosed and removes it from the book", async function () {
      const { env, vault, writer } = await loadVault(load);
      const second = await openSeries(env);
      const third = await openSeries(env);
      await expect(vault.connect(writer).adjustPosition(1n, ETH(20)))
        .to.emit(vault, "SeriesClosed")
        .withArgs(1n);
      expect(await vault.activeSeriesCount()).to.equal(2n);
      expect(await activeIds(vault, 10)).to.have.members([second, third]);
      await expect(vault.connect(writer).adjustPosition(1n, ETH(1)))
        .to.be.revertedWithCustomError(vault, "UnknownSeries")
        .withArgs(1n);
    });

    it("reverts with UnknownSeries for an id that was never opened", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).adjustPosition(99n, ETH(1)))
        .to.be.revertedWithCustomError(vault, "UnknownSeries")
        .withArgs(99n);
    });

    it("reverts with SeriesAlreadyExpired at and after expiry", async function () {
      const { env, vault, writer } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + DAY;
      const id = await openSeries(env, { expiry });
      await env.helpers.time.setNextBlockTimestamp(expiry);
      await expect(vault.connect(writer).adjustPosition(id, ETH(1)))
        .to.be.revertedWithCustomError(vault, "SeriesAlreadyExpired")
        .withArgs(id, expiry);
    });

    it("reverts with ZeroSize for a zero adjustment", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).adjustPosition(1n, 0n)).to.be.revertedWithCustomError(vault, "ZeroSize");
    });

    it("reverts with SizeOverflow when the new position leaves ±int128.max", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).adjustPosition(1n, -INT128_MAX))
        .to.be.revertedWithCustomError(vault, "SizeOverflow")
        .withArgs(-INT128_MAX - ETH(20));
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without WRITER_ROLE", async function () {
      const { vault, stranger } = await loadVault(load);
      await expect(vault.connect(stranger).adjustPosition(1n, ETH(1)))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await vault.WRITER_ROLE());
    });
  });

  describe("OptionsVault.setVol", function () {
    it("updates the vol and emits VolUpdated(old, new)", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).setVol(1n, ETH(0.65)))
        .to.emit(vault, "VolUpdated")
        .withArgs(1n, ETH(0.8), ETH(0.65));
      expect((await vault.getSeries(1n)).volWad).to.equal(ETH(0.65));
    });

    it("reverts with VolOutOfBounds outside [MIN_VOL_WAD, MAX_VOL_WAD]", async function () {
      const { vault, writer } = await loadVault(load);
      for (const volWad of [0n, ETH(5) + 1n]) {
        await expect(vault.connect(writer).setVol(1n, volWad))
          .to.be.revertedWithCustomError(vault, "VolOutOfBounds")
          .withArgs(volWad, ETH(0.01), ETH(5));
      }
    });

    it("reverts with UnknownSeries for a series not in the book", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).setVol(42n, ETH(0.5)))
        .to.be.revertedWithCustomError(vault, "UnknownSeries")
        .withArgs(42n);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without VOL_SETTER_ROLE", async function () {
      const { vault, stranger } = await loadVault(load);
      await expect(vault.connect(stranger).setVol(1n, ETH(0.5)))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await vault.VOL_SETTER_ROLE());
    });
  });

  describe("OptionsVault.settle", function () {
    async function expiringSeries(overrides: Partial<SeriesArgs> = {}) {
      const ctx = await loadVault(load);
      const expiry = (await ctx.env.helpers.time.latest()) + 600;
      const id = await openSeries(ctx.env, { expiry, sizeWad: -ETH(2), ...overrides });
      return { ...ctx, id, expiry };
    }

    it("reverts with SeriesNotExpired before expiry", async function () {
      const { vault, id, expiry } = await expiringSeries();
      await expect(vault.settle(id)).to.be.revertedWithCustomError(vault, "SeriesNotExpired").withArgs(id, expiry);
    });

    it("reverts with UnknownSeries for a series not in the book", async function () {
      const { vault } = await loadVault(load);
      await expect(vault.settle(77n)).to.be.revertedWithCustomError(vault, "UnknownSeries").withArgs(77n);
    });

    it("reverts with SettlementPriceBeforeExpiry while the latest answer predates expiry", async function () {
      const { env, vault, feed, id, expiry } = await expiringSeries();
      const [, , , updatedAt] = await feed.latestRoundData();
      await env.helpers.time.increaseTo(expiry);
      await expect(vault.settle(id))
        .to.be.revertedWithCustomError(vault, "SettlementPriceBeforeExpiry")
        .withArgs(updatedAt, expiry);
    });

    it("reverts with OracleStale when the answer is older than settlementOracleAgeSec", async function () {
      const { env, vault, feed, id, expiry } = await expiringSeries();
      await expireAndPublish(env, expiry, 3500n);
      const [, , , updatedAt] = await feed.latestRoundData();
      await env.helpers.time.increase(3600);
      await expect(vault.settle(id))
        .to.be.revertedWithCustomError(vault, "OracleStale")
        .withArgs(updatedAt, 3600, updatedAt + 3601n);
    });

    it("reverts with OracleAnswerNotPositive for a zero or negative answer", async function () {
      const { env, vault, feed, id, expiry } = await expiringSeries();
      await env.helpers.time.increaseTo(expiry);
      for (const answer of [0n, -1n]) {
        await feed.updateAnswer(answer);
        await expect(vault.settle(id)).to.be.revertedWithCustomError(vault, "OracleAnswerNotPositive").withArgs(answer);
      }
    });

    it("reverts with OracleRoundIncomplete for a round without an updatedAt", async function () {
      const { env, vault, feed, id, expiry } = await expiringSeries();
      await env.helpers.time.increaseTo(expiry);
      const round = (await feed.latestRound()) + 1n;
      await feed.updateRoundData(round, 3500n * E8, 0, expiry);
      await expect(vault.settle(id))
        .to.be.revertedWithCustomError(vault, "OracleRoundIncomplete")
        .withArgs(round, round);
    });

    it("reverts with OracleTimestampInFuture for an answer stamped after the block", async function () {
      const { env, vault, feed, id, expiry } = await expiringSeries();
      await env.helpers.time.increaseTo(expiry);
      const round = (await feed.latestRound()) + 1n;
      await feed.updateRoundData(round, 3500n * E8, expiry + 1000, expiry);
      await expect(vault.settle(id))
        .to.be.revertedWithCustomError(vault, "OracleTimestampInFuture")
        .withArgs(expiry + 1000, anyValue);
    });

    it("pays an in-the-money short call's payoff to the counterparty and removes the series", async function () {
      const { env, vault, counterparty, stranger, id, expiry } = await expiringSeries();
      await expireAndPublish(env, expiry, 3500n);
      // 2 calls × (3500 - 3000) = 1000 USDC, settled by anyone.
      const tx = vault.connect(stranger).settle(id);
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(3500), -ETH(2), USDC(1000), true);
      await expect(tx).to.changeTokenBalances(
        env.ethers,
        env.market.usdc,
        [vault, counterparty],
        [-USDC(1000), USDC(1000)],
      );
      expect(await vault.activeSeriesCount()).to.equal(1n);
      expect((await vault.getSeries(id)).strikeWad).to.equal(0n);
      await expect(vault.settle(id)).to.be.revertedWithCustomError(vault, "UnknownSeries").withArgs(id);
    });

    it("settles anyway and records a receivable when the counterparty does not pay a long position", async function () {
      const { env, vault, counterparty, id, expiry } = await expiringSeries({ isCall: false, sizeWad: ETH(3) });
      await expireAndPublish(env, expiry, 2500n); // no approval from the counterparty: the pull fails
      const tx = vault.settle(id);
      await expect(tx).to.emit(vault, "SettlementReceivable").withArgs(id, counterparty.address, USDC(1500));
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(2500), ETH(3), USDC(1500), false);
      expect(await vault.receivableUsdc(counterparty.address)).to.equal(USDC(1500));
      expect(await activeIds(vault, 64)).to.not.include(id); // its delta has left the book
    });

    it("pulls an in-the-money long put's payoff from the counterparty", async function () {
      const { env, vault, counterparty, id, expiry } = await expiringSeries({ isCall: false, sizeWad: ETH(3) });
      await fundUsdc(env.market, counterparty.address, USDC(1500));
      await env.market.usdc.connect(counterparty).getFunction("approve")(await vault.getAddress(), USDC(1500));
      await expireAndPublish(env, expiry, 2500n);
      // 3 puts × (3000 - 2500) = 1500 USDC.
      const tx = vault.settle(id);
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(2500), ETH(3), USDC(1500), false);
      await expect(tx).to.changeTokenBalances(
        env.ethers,
        env.market.usdc,
        [vault, counterparty],
        [USDC(1500), -USDC(1500)],
      );
    });

    it("pays nothing for an out-of-the-money series and still removes it", async function () {
      const { env, vault, counterparty, id, expiry } = await expiringSeries({ strikeWad: ETH(4000) });
      await expireAndPublish(env, expiry, 3500n);
      const tx = vault.settle(id);
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(3500), -ETH(2), 0n, true);
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, counterparty], [0n, 0n]);
      expect(await activeIds(vault, 10)).to.deep.equal([1n]);
    });
  });

  describe("OptionsVault collateral", function () {
    it("deposit: anyone adds WETH or USDC and CollateralDeposited is emitted", async function () {
      const { env, vault, trader } = await loadVault(load);
      await fundWeth(env.market, trader, ETH(2));
      await env.market.weth.connect(trader).getFunction("approve")(await vault.getAddress(), ETH(2));
      const tx = vault.connect(trader).deposit(env.market.book.weth, ETH(2));
      await expect(tx).to.emit(vault, "CollateralDeposited").withArgs(env.market.book.weth, trader.address, ETH(2));
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.weth, [vault, trader], [ETH(2), -ETH(2)]);
    });

    it("deposit/withdraw/transferForHedge revert with UnsupportedToken for any other token", async function () {
      const { vault, deployer, stranger } = await loadVault(load);
      await vault.connect(deployer).grantRole(await vault.HEDGER_ROLE(), deployer.address);
      const token = stranger.address;
      await expect(vault.deposit(token, 1n)).to.be.revertedWithCustomError(vault, "UnsupportedToken").withArgs(token);
      await expect(vault.withdraw(token, 1n, deployer.address))
        .to.be.revertedWithCustomError(vault, "UnsupportedToken")
        .withArgs(token);
      await expect(vault.transferForHedge(token, 1n, deployer.address))
        .to.be.revertedWithCustomError(vault, "UnsupportedToken")
        .withArgs(token);
    });

    it("deposit/withdraw/transferForHedge revert with ZeroAmount for a zero amount", async function () {
      const { env, vault, deployer } = await loadVault(load);
      await vault.connect(deployer).grantRole(await vault.HEDGER_ROLE(), deployer.address);
      const { usdc } = env.market.book;
      await expect(vault.deposit(usdc, 0n)).to.be.revertedWithCustomError(vault, "ZeroAmount");
      await expect(vault.withdraw(usdc, 0n, deployer.address)).to.be.revertedWithCustomError(vault, "ZeroAmount");
      await expect(vault.transferForHedge(usdc, 0n, deployer.address)).to.be.revertedWithCustomError(
        vault,
        "ZeroAmount",
      );
    });

    it("withdraw: the admin sends collateral out with CollateralWithdrawn; zero recipient reverts with ZeroAddress", async function () {
      const { env, vault, deployer, trader } = await loadVault(load);
      const { usdc } = env.market.book;
      const tx = vault.connect(deployer).withdraw(usdc, USDC(100), trader.address);
      await expect(tx).to.emit(vault, "CollateralWithdrawn").withArgs(usdc, trader.address, USDC(100));
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, trader], [-USDC(100), USDC(100)]);
      await expect(vault.withdraw(usdc, USDC(1), ZeroAddress)).to.be.revertedWithCustomError(vault, "ZeroAddress");
    });

    it("withdraw reverts with AccessControlUnauthorizedAccount for a caller without DEFAULT_ADMIN_ROLE", async function () {
      const { env, vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).withdraw(env.market.book.usdc, USDC(1), writer.address))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, ZeroHash);
    });

    it("transferForHedge: a HEDGER_ROLE holder moves collateral with HedgeTransfer; zero recipient reverts", async function () {
      const { env, vault, deployer, trader } = await loadVault(load);
      await vault.connect(deployer).grantRole(await vault.HEDGER_ROLE(), trader.address);
      const { usdc } = env.market.book;
      const tx = vault.connect(trader).transferForHedge(usdc, USDC(10), trader.address);
      await expect(tx).to.emit(vault, "HedgeTransfer").withArgs(usdc, trader.address, USDC(10));
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, trader], [-USDC(10), USDC(10)]);
      await expect(vault.connect(trader).transferForHedge(usdc, USDC(1), ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "ZeroAddress",
      );
    });

    it("transferForHedge reverts with AccessControlUnauthorizedAccount for the admin itself (HEDGER_ROLE only)", async function () {
      const { env, vault, deployer } = await loadVault(load);
      await expect(vault.connect(deployer).transferForHedge(env.market.book.usdc, USDC(1), deployer.address))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, await vault.HEDGER_ROLE());
    });

    it("collateral() reports the vault's WETH (wad) and USDC (1e6) balances", async function () {
      const { env, vault, trader } = await loadVault(load);
      await fundWeth(env.market, trader, ETH(3));
      await env.market.weth.connect(trader).getFunction("transfer")(await vault.getAddress(), ETH(3));
      const [wethWad, usdc6] = await vault.collateral();
      expect([wethWad, usdc6]).to.deep.equal([ETH(3), USDC(1_000_000)]);
    });
  });

  describe("OptionsVault admin parameters", function () {
    it("setMaxActiveSeries accepts [1, MAX_ACTIVE_SERIES_CAP] and emits MaxActiveSeriesUpdated", async function () {
      const { vault, deployer } = await loadVault(load);
      await expect(vault.connect(deployer).setMaxActiveSeries(500))
        .to.emit(vault, "MaxActiveSeriesUpdated")
        .withArgs(64, 500);
      await expect(vault.connect(deployer).setMaxActiveSeries(1))
        .to.emit(vault, "MaxActiveSeriesUpdated")
        .withArgs(500, 1);
      expect(await vault.maxActiveSeries()).to.equal(1n);
    });

    it("setMaxActiveSeries reverts with ParamOutOfBounds for 0 and above the cap", async function () {
      const { vault, deployer } = await loadVault(load);
      for (const value of [0n, 501n]) {
        await expect(vault.connect(deployer).setMaxActiveSeries(value))
          .to.be.revertedWithCustomError(vault, "ParamOutOfBounds")
          .withArgs(value, 1, 500);
      }
    });

    it("setSettlementOracleAge accepts [60 s, 1 day] and emits SettlementOracleAgeUpdated", async function () {
      const { vault, deployer } = await loadVault(load);
      await expect(vault.connect(deployer).setSettlementOracleAge(60))
        .to.emit(vault, "SettlementOracleAgeUpdated")
        .withArgs(3600, 60);
      await expect(vault.connect(deployer).setSettlementOracleAge(DAY))
        .to.emit(vault, "SettlementOracleAgeUpdated")
        .withArgs(60, DAY);
    });

    it("setSettlementOracleAge reverts with ParamOutOfBounds outside [60 s, 1 day]", async function () {
      const { vault, deployer } = await loadVault(load);
      for (const value of [59, DAY + 1]) {
        await expect(vault.connect(deployer).setSettlementOracleAge(value))
          .to.be.revertedWithCustomError(vault, "ParamOutOfBounds")
          .withArgs(value, 60, DAY);
      }
    });

    it("both setters revert with AccessControlUnauthorizedAccount for a caller without DEFAULT_ADMIN_ROLE", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).setMaxActiveSeries(10))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, ZeroHash);
      await expect(vault.connect(writer).setSettlementOracleAge(600))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, ZeroHash);
    });
  });

  describe("OptionsVault.getActiveSeries", function () {
    it("returns an empty page at and past the end of the book", async function () {
      const { vault } = await loadVault(load);
      expect(await vault.getActiveSeries(1, 10)).to.have.length(0);
      expect(await vault.getActiveSeries(1_000, 10)).to.have.length(0);
      expect(await vault.getActiveSeries(0, 0)).to.have.length(0);
    });

    it("returns a partial last page with the series' fields", async function () {
      const { env, vault } = await loadVault(load);
      const id = await openSeries(env, { strikeWad: ETH(2800), isCall: false, sizeWad: ETH(4), volWad: ETH(0.7) });
      const page = await vault.getActiveSeries(1, 64);
      expect(page).to.have.length(1);
      const s = await vault.getSeries(id);
      expect([
        page[0]!.id,
        page[0]!.strikeWad,
        page[0]!.expiry,
        page[0]!.isCall,
        page[0]!.sizeWad,
        page[0]!.volWad,
      ]).to.deep.equal([id, ETH(2800), s.expiry, false, ETH(4), ETH(0.7)]);
    });

    it("returns the whole book for limit = type(uint256).max", async function () {
      const { env, vault } = await loadVault(load);
      await openSeries(env);
      expect((await vault.getActiveSeries(1, MaxUint256)).map((s) => s.id)).to.deep.equal([2n]);
    });

    it("pages through a 150-series book in pages of 64 to exactly the set of open series", async function () {
      const { env, vault, deployer, writer } = await loadVault(load);
      await vault.connect(deployer).setMaxActiveSeries(200);
      const expiry = (await env.helpers.time.latest()) + 30 * DAY;
      const { counterparty } = env.actors;
      for (let i = 0; i < 159; i++) {
        await vault
          .connect(writer)
          .openSeries(ETH(2000 + 10 * i), expiry, i % 2 === 0, ETH(0.8), -ETH(1), counterparty.address);
      }
      // Close ten series spread across the book (swap-and-pop moves the tail into their slots).
      const closed = [1n, 7n, 40n, 41n, 64n, 65n, 100n, 129n, 150n, 160n];
      for (const id of closed) await vault.connect(writer).adjustPosition(id, -(await vault.getSeries(id)).sizeWad);
      const expected = Array.from({ length: 160 }, (_, i) => BigInt(i + 1)).filter((id) => !closed.includes(id));
      expect(await vault.activeSeriesCount()).to.equal(150n);
      const ids = await activeIds(vault, 64);
      expect(ids).to.have.length(150);
      expect([...ids].sort((a, b) => Number(a - b))).to.deep.equal(expected);
    });
  });

  describe("OptionsVault.netDeltaWad", function () {
    it("equals the options delta at the Chainlink price plus the WETH held", async function () {
      const { env, vault, trader } = await loadVault(load);
      await fundWeth(env.market, trader, ETH(7));
      await env.market.weth.connect(trader).getFunction("transfer")(await vault.getAddress(), ETH(7));
      const [net, options, atSpot] = await Promise.all([
        vault.netDeltaWad(),
        vault.optionsDeltaAtWad(ETH(3000)),
        vault.netDeltaAtWad(ETH(3000)),
      ]);
      expect(net).to.equal(options + ETH(7));
      expect(atSpot).to.equal(net);
    });

    it("sums size × Black–Scholes delta over the book (keeper reference within 1e-6 per ETH)", async function () {
      const { env, vault } = await loadVault(load);
      await openSeries(env, { strikeWad: ETH(2600), isCall: false, sizeWad: ETH(8), volWad: ETH(0.6) });
      await openSeries(env, {
        strikeWad: ETH(3400),
        sizeWad: -ETH(5),
        volWad: ETH(1.1),
        expiry: (await env.helpers.time.latest()) + 90 * DAY,
      });
      const now = await env.helpers.time.latest();
      let expected = 0;
      for (const s of await vault.getActiveSeries(0, 64)) {
        const tYears = (Number(s.expiry) - now) / SECONDS_PER_YEAR;
        const { delta } = bsGreeks(3000, Number(s.strikeWad) / 1e18, tYears, Number(s.volWad) / 1e18, s.isCall);
        expected += delta * (Number(s.sizeWad) / 1e18);
      }
      // 1e-6 per ETH of the 33 ETH gross book.
      expect(await vault.optionsDeltaAtWad(ETH(3000))).to.be.closeTo(ETH(expected), ETH(33e-6));
    });

    it("reverts with OracleStale once the feed is older than settlementOracleAgeSec", async function () {
      const { env, vault } = await loadVault(load);
      await env.helpers.time.increase(3601);
      await expect(vault.netDeltaWad()).to.be.revertedWithCustomError(vault, "OracleStale");
    });
  });
});
