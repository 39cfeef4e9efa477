import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ZeroAddress, ZeroHash, MaxUint256 } from "ethers";
import type {
  BlocklistUSDC,
  MockV3Aggregator,
  OptionsVault,
  ScriptedAggregator,
} from "../../types/ethers-contracts/index.js";
import { bsGreeks } from "../../keeper/risk/index.js";
import { SECONDS_PER_YEAR } from "../../keeper/units.js";
import { fundUsdc, fundWeth } from "../../scripts/lib/market/market.js";
import { createHedgeEnv, DAY, ETH, USDC, type HedgeEnv } from "../fixtures.js";
import { recordAttack } from "../attacks/harness.js";

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

/** Fixes `expiry`'s settlement price from the feed's latest round (the first one after expiry in these tests). */
async function fixExpiryPrice(env: HedgeEnv, expiry: number): Promise<void> {
  const feed = env.market.feed as unknown as MockV3Aggregator;
  await env.vault.setExpiryPrice(expiry, await feed.latestRound());
}

/** Publishes the current $3000 again so that the feed is fresh after a time jump. */
async function refreshFeed(env: HedgeEnv): Promise<void> {
  await (env.market.feed as unknown as MockV3Aggregator).updateAnswer(3000n * E8);
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
    it("updates the vol, charges its delta change and emits VolUpdated(old, new) and VolDeltaCharged", async function () {
      const { env, vault, writer } = await loadVault(load);
      const expiry = Number((await vault.getSeries(1n)).expiry);
      const tx = vault.connect(writer).setVol(1n, ETH(0.65));
      await expect(tx).to.emit(vault, "VolUpdated").withArgs(1n, ETH(0.8), ETH(0.65));
      await expect(tx).to.emit(vault, "VolDeltaCharged").withArgs(1n, anyValue, anyValue);
      expect((await vault.getSeries(1n)).volWad).to.equal(ETH(0.65));
      // 20 ATM calls, vol 0.80 → 0.65: |20 × Δdelta| ≈ 0.17 ETH (keeper reference).
      const tYears = (expiry - (await env.helpers.time.latest())) / SECONDS_PER_YEAR;
      const change =
        20 * Math.abs(bsGreeks(3000, 3000, tYears, 0.65, true).delta - bsGreeks(3000, 3000, tYears, 0.8, true).delta);
      expect(await vault.volDeltaUsedWad()).to.be.closeTo(ETH(change), ETH(1e-5));
    });

    it("regression: one update can no longer move a 500-ETH series' delta by ≈ 130 ETH (VolDeltaChangeTooLarge)", async function () {
      const { env, vault, writer } = await loadVault(load);
      const id = await openSeries(env, {
        sizeWad: -ETH(500),
        volWad: ETH(0.01),
        expiry: (await env.helpers.time.latest()) + 30 * DAY,
      });
      const before = await vault.netDeltaWad();
      await expect(vault.connect(writer).setVol(id, ETH(5)))
        .to.be.revertedWithCustomError(vault, "VolDeltaChangeTooLarge")
        .withArgs(id, anyValue, ETH(5));
      expect(await vault.netDeltaWad()).to.equal(before);
      recordAttack({
        attack: "vol-setter swings a 500-ETH series' delta",
        role: "vol setter",
        trials: 1,
        blocked: 1,
        lostUsd: 0,
        boundUsd: 0,
        rule: "per-update cap and rolling vol-delta budget",
      });
    });

    it("reverts with VolDeltaBudgetExceeded once the window's budget is spent, and recharges linearly", async function () {
      const { env, vault, writer, deployer } = await loadVault(load);
      await vault.connect(deployer).setVolDeltaLimits(ETH(1), DAY, ETH(1));
      const vols = [ETH(1), ETH(0.8)];
      let step = 0;
      let used = 0n;
      for (;;) {
        const next = vols[step % 2]!;
        try {
          await vault.connect(writer).setVol(1n, next);
        } catch {
          await expect(vault.connect(writer).setVol(1n, next))
            .to.be.revertedWithCustomError(vault, "VolDeltaBudgetExceeded")
            .withArgs(1n, anyValue, anyValue); // the budget recharges a little every second, so the exact bound moves
          break;
        }
        used = await vault.volDeltaUsedWad();
        step++;
      }
      expect(step).to.be.greaterThan(2); // ≈ 0.23 ETH per step against a 1-ETH budget
      expect(used).to.be.lessThanOrEqual(ETH(1));
      const at = await vault.volDeltaUsedAt();
      await env.helpers.time.increaseTo(at + BigInt(DAY / 2));
      expect(await vault.volDeltaUsedNowWad()).to.equal(used > ETH(0.5) ? used - ETH(0.5) : 0n);
      await env.helpers.time.increaseTo(at + BigInt(DAY));
      expect(await vault.volDeltaUsedNowWad()).to.equal(0n);
      await refreshFeed(env);
      await expect(vault.connect(writer).setVol(1n, vols[step % 2]!)).to.emit(vault, "VolUpdated");
    });

    it("reverts with SeriesAlreadyExpired for an expired series", async function () {
      const { env, vault, writer } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + DAY;
      const id = await openSeries(env, { expiry });
      await env.helpers.time.increaseTo(expiry);
      await refreshFeed(env);
      await expect(vault.connect(writer).setVol(id, ETH(0.5)))
        .to.be.revertedWithCustomError(vault, "SeriesAlreadyExpired")
        .withArgs(id, expiry);
    });

    it("reverts with OracleStale when the feed is older than settlementOracleAgeSec (no price to measure with)", async function () {
      const { env, vault, writer } = await loadVault(load);
      await env.helpers.time.increase(3601);
      await expect(vault.connect(writer).setVol(1n, ETH(0.7))).to.be.revertedWithCustomError(vault, "OracleStale");
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

  describe("OptionsVault.setVolDeltaLimits", function () {
    it("defaults to 20 ETH per 1-day window and 5 ETH per update", async function () {
      const { vault } = await loadVault(load);
      expect([
        await vault.volDeltaBudgetWad(),
        await vault.volDeltaWindowSec(),
        await vault.maxVolDeltaPerUpdateWad(),
      ]).to.deep.equal([ETH(20), BigInt(DAY), ETH(5)]);
    });

    it("sets the limits within bounds, keeps the usage so far and emits VolDeltaLimitsUpdated", async function () {
      const { vault, writer, deployer } = await loadVault(load);
      await vault.connect(writer).setVol(1n, ETH(0.65));
      const used = await vault.volDeltaUsedNowWad();
      await expect(vault.connect(deployer).setVolDeltaLimits(ETH(250), 7 * DAY, ETH(250)))
        .to.emit(vault, "VolDeltaLimitsUpdated")
        .withArgs(ETH(250), 7 * DAY, ETH(250));
      expect(await vault.volDeltaUsedWad()).to.be.closeTo(used, ETH(0.001)); // minus a few seconds' recharge
    });

    it("reverts with ParamOutOfBounds for a budget, window or per-update cap outside its bounds", async function () {
      const { vault, deployer } = await loadVault(load);
      const admin = vault.connect(deployer);
      for (const budget of [ETH(1) - 1n, ETH(250) + 1n]) {
        await expect(admin.setVolDeltaLimits(budget, DAY, ETH(0.5)))
          .to.be.revertedWithCustomError(vault, "ParamOutOfBounds")
          .withArgs(budget, ETH(1), ETH(250));
      }
      for (const window of [DAY - 1, 7 * DAY + 1]) {
        await expect(admin.setVolDeltaLimits(ETH(20), window, ETH(5)))
          .to.be.revertedWithCustomError(vault, "ParamOutOfBounds")
          .withArgs(window, DAY, 7 * DAY);
      }
      for (const cap of [ETH(0.01) - 1n, ETH(20) + 1n]) {
        await expect(admin.setVolDeltaLimits(ETH(20), DAY, cap))
          .to.be.revertedWithCustomError(vault, "ParamOutOfBounds")
          .withArgs(cap, ETH(0.01), ETH(20));
      }
    });

    it("reverts with AccessControlUnauthorizedAccount for the vol setter itself", async function () {
      const { vault, writer } = await loadVault(load);
      await expect(vault.connect(writer).setVolDeltaLimits(ETH(250), DAY, ETH(250)))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, ZeroHash);
    });
  });

  describe("OptionsVault.setExpiryPrice", function () {
    it("fixes the expiry's price from the first round at or after expiry and emits ExpiryPriceSet", async function () {
      const { env, vault, feed, stranger } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await expireAndPublish(env, expiry, 3500n);
      const round = await feed.latestRound();
      const [, , , updatedAt] = await feed.latestRoundData();
      await expect(vault.connect(stranger).setExpiryPrice(expiry, round))
        .to.emit(vault, "ExpiryPriceSet")
        .withArgs(expiry, round, ETH(3500), updatedAt);
      expect(await vault.expiryPriceWad(expiry)).to.equal(ETH(3500));
    });

    it("reverts with ExpiryPriceAlreadySet on a second set, whatever the round", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await expireAndPublish(env, expiry, 3500n);
      const round = await feed.latestRound();
      await vault.setExpiryPrice(expiry, round);
      await feed.updateAnswer(4000n * E8);
      for (const r of [round, round + 1n]) {
        await expect(vault.setExpiryPrice(expiry, r))
          .to.be.revertedWithCustomError(vault, "ExpiryPriceAlreadySet")
          .withArgs(expiry, ETH(3500));
      }
    });

    it("reverts with SettlementRoundNotFirstAfterExpiry for a later round (the one before it is after expiry too)", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await expireAndPublish(env, expiry, 3500n);
      const straddling = await feed.latestRound();
      const [, , , straddlingAt] = await feed.latestRoundData();
      await feed.updateAnswer(4000n * E8);
      await expect(vault.setExpiryPrice(expiry, straddling + 1n))
        .to.be.revertedWithCustomError(vault, "SettlementRoundNotFirstAfterExpiry")
        .withArgs(straddling, straddlingAt, expiry);
    });

    it("reverts with SettlementPriceBeforeExpiry for a round published before expiry", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await env.helpers.time.increaseTo(expiry - 10);
      await feed.updateAnswer(3500n * E8);
      const [round, , , updatedAt] = await feed.latestRoundData();
      await env.helpers.time.increaseTo(expiry + 10);
      await expect(vault.setExpiryPrice(expiry, round))
        .to.be.revertedWithCustomError(vault, "SettlementPriceBeforeExpiry")
        .withArgs(round, updatedAt, expiry);
    });

    it("reverts with SettlementRoundMissing for a round the feed does not have", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await env.helpers.time.increaseTo(expiry);
      const future = (await feed.latestRound()) + 5n;
      await expect(vault.setExpiryPrice(expiry, future))
        .to.be.revertedWithCustomError(vault, "SettlementRoundMissing")
        .withArgs(future);
    });

    it("reverts with SettlementRoundFirstOfPhase for a phase's first round (no round − 1 to prove it)", async function () {
      const { vault } = await loadVault(load);
      for (const round of [1n, (1n << 64n) | 1n, 1n << 64n]) {
        await expect(vault.setExpiryPrice(1, round))
          .to.be.revertedWithCustomError(vault, "SettlementRoundFirstOfPhase")
          .withArgs(round);
      }
    });

    it("reverts with OracleAnswerNotPositive for a zero or negative answer", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await env.helpers.time.increaseTo(expiry);
      for (const answer of [0n, -1n]) {
        await feed.updateAnswer(answer);
        await expect(vault.setExpiryPrice(expiry, await feed.latestRound()))
          .to.be.revertedWithCustomError(vault, "OracleAnswerNotPositive")
          .withArgs(answer);
      }
    });

    it("reverts with OracleTimestampInFuture for a round stamped after the block", async function () {
      const { env, vault, feed } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await env.helpers.time.increaseTo(expiry);
      const round = (await feed.latestRound()) + 1n;
      await feed.updateRoundData(round, 3500n * E8, expiry + 1000, expiry);
      await expect(vault.setExpiryPrice(expiry, round))
        .to.be.revertedWithCustomError(vault, "OracleTimestampInFuture")
        .withArgs(expiry + 1000, anyValue);
    });

    describe("on a feed with phases (a Chainlink proxy's round ids)", function () {
      const PHASE1 = 1n << 64n;
      const PHASE2 = 2n << 64n;

      /** A vault priced by a ScriptedAggregator: phase 1 rounds 1..3 before expiry, phase 2 round 1 after it. */
      async function phasedVault() {
        const { env, deployer } = await loadVault(load);
        const feed = (await (
          await env.ethers.getContractFactory("ScriptedAggregator")
        ).deploy(8)) as unknown as ScriptedAggregator;
        const { weth, usdc } = env.market.book;
        const vault = (await (
          await env.ethers.getContractFactory("OptionsVault", deployer)
        ).deploy(deployer.address, weth, usdc, await feed.getAddress(), 64)) as unknown as OptionsVault;
        const now = await env.helpers.time.latest();
        const expiry = now + 600;
        for (const [i, at] of [now - 7200, now - 3600, now].entries()) {
          await feed.setRoundData(PHASE1 | BigInt(i + 1), 3000n * E8, at, at, PHASE1 | BigInt(i + 1));
        }
        await env.helpers.time.increaseTo(expiry + 30);
        await feed.setRoundData(PHASE2 | 1n, 3300n * E8, expiry + 30, expiry + 30, PHASE2 | 1n);
        return { env, feed, vault, expiry };
      }

      it("setExpiryPriceAcrossPhase proves a phase's first round with the previous phase's last round", async function () {
        const { vault, expiry } = await phasedVault();
        await expect(vault.setExpiryPrice(expiry, PHASE2 | 1n))
          .to.be.revertedWithCustomError(vault, "SettlementRoundFirstOfPhase")
          .withArgs(PHASE2 | 1n);
        await expect(vault.setExpiryPriceAcrossPhase(expiry, PHASE2 | 1n, PHASE1 | 3n))
          .to.emit(vault, "ExpiryPriceSet")
          .withArgs(expiry, PHASE2 | 1n, ETH(3300), expiry + 30);
      });

      it("reverts with SettlementRoundNotPhasePredecessor unless the proof is the last round of the phase before", async function () {
        const { vault, expiry } = await phasedVault();
        const bad: [bigint, bigint][] = [
          [PHASE2 | 1n, PHASE1 | 2n], // not the last round of phase 1
          [PHASE2 | 2n, PHASE1 | 3n], // not the first round of phase 2
          [PHASE2 | 1n, PHASE2 | 0n], // not the phase before
          [1n, 0n], // phase 0 has no phase before it
        ];
        for (const [round, previous] of bad) {
          await expect(vault.setExpiryPriceAcrossPhase(expiry, round, previous))
            .to.be.revertedWithCustomError(vault, "SettlementRoundNotPhasePredecessor")
            .withArgs(round, previous);
        }
      });

      it("reverts with OracleRoundIncomplete for a round that carries an older answer", async function () {
        const { env, feed, vault } = await phasedVault();
        const expiry2 = (await env.helpers.time.latest()) + 600;
        await env.helpers.time.increaseTo(expiry2 + 1);
        await feed.setRoundData(PHASE2 | 2n, 3300n * E8, expiry2 + 1, expiry2 + 1, PHASE2 | 1n);
        await expect(vault.setExpiryPrice(expiry2, PHASE2 | 2n))
          .to.be.revertedWithCustomError(vault, "OracleRoundIncomplete")
          .withArgs(PHASE2 | 2n, PHASE2 | 1n);
      });
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

    it("reverts with ExpiryPriceNotSet after expiry until the expiry's price is fixed", async function () {
      const { env, vault, id, expiry } = await expiringSeries();
      await expireAndPublish(env, expiry, 3500n);
      await expect(vault.settle(id)).to.be.revertedWithCustomError(vault, "ExpiryPriceNotSet").withArgs(id, expiry);
    });

    it("regression: settles at the expiry's price, not at a later, more favourable answer", async function () {
      const { env, vault, feed, counterparty, id, expiry } = await expiringSeries();
      await expireAndPublish(env, expiry, 3100n);
      await fixExpiryPrice(env, expiry);
      // The counterparty waits for a rally and a fresh answer; the payoff stays 2 × (3100 − 3000).
      await env.helpers.time.increase(3 * 3600);
      await feed.updateAnswer(4000n * E8);
      await expect(vault.settle(id)).to.emit(vault, "SeriesSettled").withArgs(id, ETH(3100), -ETH(2), USDC(200), true);
      expect(await vault.claimableUsdc(counterparty.address)).to.equal(USDC(200));
      recordAttack({
        attack: "settle later at a more favourable price",
        role: "counterparty",
        trials: 1,
        blocked: 1,
        lostUsd: 0,
        boundUsd: 0,
        rule: "expiry price fixed once from the straddling round",
      });
    });

    it("records an in-the-money short call's payoff as the counterparty's claim and removes the series", async function () {
      const { env, vault, counterparty, stranger, id, expiry } = await expiringSeries();
      await expireAndPublish(env, expiry, 3500n);
      await fixExpiryPrice(env, expiry);
      // 2 calls × (3500 - 3000) = 1000 USDC, settled by anyone; nothing is pushed.
      const tx = vault.connect(stranger).settle(id);
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(3500), -ETH(2), USDC(1000), true);
      await expect(tx).to.emit(vault, "SettlementClaimRecorded").withArgs(id, counterparty.address, USDC(1000));
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, counterparty], [0n, 0n]);
      expect(await vault.claimableUsdc(counterparty.address)).to.equal(USDC(1000));
      expect(await vault.totalClaimableUsdc()).to.equal(USDC(1000));
      expect(await vault.activeSeriesCount()).to.equal(1n);
      expect((await vault.getSeries(id)).strikeWad).to.equal(0n);
      await expect(vault.settle(id)).to.be.revertedWithCustomError(vault, "UnknownSeries").withArgs(id);
    });

    it("settles without enough USDC: the claim exceeds the balance and settlementShortfallUsdc reports the gap", async function () {
      const { env, vault, deployer, id, expiry } = await expiringSeries({ sizeWad: -ETH(10) });
      await vault.connect(deployer).withdraw(env.market.book.usdc, USDC(1_000_000) - USDC(1_000), deployer.address);
      await expireAndPublish(env, expiry, 3500n);
      await fixExpiryPrice(env, expiry);
      await expect(vault.settle(id)).to.emit(vault, "SettlementClaimRecorded");
      expect(await vault.settlementShortfallUsdc()).to.equal(USDC(5_000) - USDC(1_000));
    });

    it("settles anyway and records a receivable when the counterparty does not pay a long position", async function () {
      const { env, vault, counterparty, id, expiry } = await expiringSeries({ isCall: false, sizeWad: ETH(3) });
      await expireAndPublish(env, expiry, 2500n); // no approval from the counterparty: the pull fails
      await fixExpiryPrice(env, expiry);
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
      await fixExpiryPrice(env, expiry);
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
      await fixExpiryPrice(env, expiry);
      const tx = vault.settle(id);
      await expect(tx).to.emit(vault, "SeriesSettled").withArgs(id, ETH(3500), -ETH(2), 0n, true);
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, counterparty], [0n, 0n]);
      expect(await activeIds(vault, 10)).to.deep.equal([1n]);
      expect(await vault.totalClaimableUsdc()).to.equal(0n);
    });
  });

  describe("OptionsVault.claim", function () {
    /** Series 2 (2 short calls, strike 3000) settled at 3500: the counterparty may claim 1000 USDC. */
    async function settledClaim() {
      const ctx = await loadVault(load);
      const expiry = (await ctx.env.helpers.time.latest()) + 600;
      const id = await openSeries(ctx.env, { expiry, sizeWad: -ETH(2) });
      await expireAndPublish(ctx.env, expiry, 3500n);
      await fixExpiryPrice(ctx.env, expiry);
      await ctx.vault.settle(id);
      return ctx;
    }

    it("pays the whole claim to the chosen address and emits SettlementClaimed", async function () {
      const { env, vault, counterparty, trader } = await settledClaim();
      const tx = vault.connect(counterparty).claim(trader.address);
      await expect(tx)
        .to.emit(vault, "SettlementClaimed")
        .withArgs(counterparty.address, trader.address, USDC(1000), 0n);
      await expect(tx).to.changeTokenBalances(env.ethers, env.market.usdc, [vault, trader], [-USDC(1000), USDC(1000)]);
      expect(await vault.claimableUsdc(counterparty.address)).to.equal(0n);
      expect(await vault.totalClaimableUsdc()).to.equal(0n);
      await expect(vault.connect(counterparty).claim(trader.address))
        .to.be.revertedWithCustomError(vault, "NothingToClaim")
        .withArgs(counterparty.address);
    });

    it("pays what the vault holds when it holds less (partial) and keeps the rest claimable", async function () {
      const { env, vault, deployer, counterparty } = await settledClaim();
      await vault.connect(deployer).withdraw(env.market.book.usdc, USDC(1_000_000) - USDC(1_000), deployer.address);
      // Raise the claim above the balance: a second settlement of 2 short calls at 3500.
      const expiry = (await env.helpers.time.latest()) + 600;
      const id = await openSeries(env, { expiry, sizeWad: -ETH(2) });
      await expireAndPublish(env, expiry, 3500n);
      await fixExpiryPrice(env, expiry);
      await vault.settle(id);
      expect(await vault.settlementShortfallUsdc()).to.equal(USDC(1000));
      await expect(vault.connect(counterparty).claim(counterparty.address))
        .to.emit(vault, "SettlementClaimed")
        .withArgs(counterparty.address, counterparty.address, USDC(1000), USDC(1000));
      expect(await vault.claimableUsdc(counterparty.address)).to.equal(USDC(1000));
      await expect(vault.connect(counterparty).claim(counterparty.address))
        .to.be.revertedWithCustomError(vault, "ClaimUnfunded")
        .withArgs(USDC(1000), 0n);
    });

    it("reverts with ZeroAddress for a zero recipient and NothingToClaim for a caller with no claim", async function () {
      const { vault, counterparty, stranger } = await settledClaim();
      await expect(vault.connect(counterparty).claim(ZeroAddress)).to.be.revertedWithCustomError(vault, "ZeroAddress");
      await expect(vault.connect(stranger).claim(stranger.address))
        .to.be.revertedWithCustomError(vault, "NothingToClaim")
        .withArgs(stranger.address);
    });

    it("withdraw and transferForHedge revert with UsdcReservedForClaims for USDC owed to claims; WETH is free", async function () {
      const { env, vault, deployer, trader } = await settledClaim();
      await vault.connect(deployer).grantRole(await vault.HEDGER_ROLE(), trader.address);
      const { usdc, weth } = env.market.book;
      const free = USDC(1_000_000) - USDC(1000);
      await expect(vault.connect(deployer).withdraw(usdc, free + 1n, deployer.address))
        .to.be.revertedWithCustomError(vault, "UsdcReservedForClaims")
        .withArgs(free + 1n, free);
      await expect(vault.connect(trader).transferForHedge(usdc, free + 1n, trader.address))
        .to.be.revertedWithCustomError(vault, "UsdcReservedForClaims")
        .withArgs(free + 1n, free);
      await vault.connect(deployer).withdraw(usdc, free, deployer.address);
      await expect(vault.connect(trader).transferForHedge(usdc, 1n, trader.address))
        .to.be.revertedWithCustomError(vault, "UsdcReservedForClaims")
        .withArgs(1n, 0n);
      await fundWeth(env.market, trader, ETH(1));
      await env.market.weth.connect(trader).getFunction("transfer")(await vault.getAddress(), ETH(1));
      await expect(vault.connect(trader).transferForHedge(weth, ETH(1), trader.address)).to.emit(
        vault,
        "HedgeTransfer",
      );
    });

    it("regression: a blocked (USDC-blacklisted) counterparty does not block settlement, and claims to another address", async function () {
      const { env, deployer, writer, counterparty, trader } = await loadVault(load);
      const usdc = (await (await env.ethers.getContractFactory("BlocklistUSDC")).deploy()) as unknown as BlocklistUSDC;
      const vault = (await (
        await env.ethers.getContractFactory("OptionsVault", deployer)
      ).deploy(
        deployer.address,
        env.market.book.weth,
        await usdc.getAddress(),
        env.market.book.ethUsdFeed,
        64,
      )) as unknown as OptionsVault;
      await vault.grantRole(await vault.WRITER_ROLE(), writer.address);
      await usdc.mint(await vault.getAddress(), USDC(10_000));
      const expiry = (await env.helpers.time.latest()) + 600;
      await vault.connect(writer).openSeries(ETH(3000), expiry, true, ETH(0.8), -ETH(2), counterparty.address);
      await usdc.setBlocked(counterparty.address, true);
      await expireAndPublish(env, expiry, 3500n);
      await vault.setExpiryPrice(expiry, await (env.market.feed as unknown as MockV3Aggregator).latestRound());
      await expect(vault.settle(1n))
        .to.emit(vault, "SettlementClaimRecorded")
        .withArgs(1n, counterparty.address, USDC(1000));
      await expect(vault.connect(counterparty).claim(counterparty.address))
        .to.be.revertedWithCustomError(usdc, "Blocked")
        .withArgs(counterparty.address);
      expect(await vault.claimableUsdc(counterparty.address)).to.equal(USDC(1000));
      await vault.connect(counterparty).claim(trader.address);
      expect(await usdc.balanceOf(trader.address)).to.equal(USDC(1000));
      recordAttack({
        attack: "blacklisted counterparty blocks settlement",
        role: "counterparty",
        trials: 1,
        blocked: 1,
        lostUsd: 0,
        boundUsd: 0,
        rule: "pull-based claims",
      });
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

  describe("OptionsVault.optionsDeltaAtWad after expiry", function () {
    it("regression: an expired series counts 0 delta before and after settlement, in or out of the money", async function () {
      const { env, vault } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      await openSeries(env, { expiry, sizeWad: -ETH(10) });
      await env.helpers.time.increaseTo(expiry);
      const justSeriesOne = async (spot: bigint) => {
        const s = await vault.getSeries(1n);
        const now = await env.helpers.time.latest();
        const tYears = (Number(s.expiry) - now) / SECONDS_PER_YEAR;
        return -20 * bsGreeks(Number(spot / ETH(1)), 3000, tYears, 0.8, true).delta;
      };
      for (const spot of [ETH(2500), ETH(3500)]) {
        expect(await vault.optionsDeltaAtWad(spot)).to.be.closeTo(ETH(await justSeriesOne(spot)), ETH(20e-6));
      }
      expect(await vault.activeSeriesCount()).to.equal(2n); // still unsettled, yet out of the hedged delta
    });
  });

  describe("OptionsVault.renounceRole", function () {
    it("reverts with AccessControlBadConfirmation unless the caller confirms its own address", async function () {
      const { vault, writer, stranger } = await loadVault(load);
      await expect(
        vault.connect(writer).renounceRole(await vault.WRITER_ROLE(), stranger.address),
      ).to.be.revertedWithCustomError(vault, "AccessControlBadConfirmation");
    });

    it("a writer that renounces can no longer write: RoleRevoked, then AccessControlUnauthorizedAccount", async function () {
      const { env, vault, writer } = await loadVault(load);
      const role = await vault.WRITER_ROLE();
      await expect(vault.connect(writer).renounceRole(role, writer.address))
        .to.emit(vault, "RoleRevoked")
        .withArgs(role, writer.address, writer.address);
      await expect(open(env, await seriesArgs(env)))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, role);
    });

    it("an admin that renounces freezes limits and withdrawals, never settlement or claims", async function () {
      const { env, vault, deployer, counterparty } = await loadVault(load);
      const expiry = (await env.helpers.time.latest()) + 600;
      const id = await openSeries(env, { expiry, sizeWad: -ETH(2) });
      await vault.connect(deployer).renounceRole(ZeroHash, deployer.address);
      await expect(vault.connect(deployer).withdraw(env.market.book.usdc, USDC(1), deployer.address))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, ZeroHash);
      await expect(vault.connect(deployer).setVolDeltaLimits(ETH(250), DAY, ETH(250)))
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, ZeroHash);
      await expireAndPublish(env, expiry, 3500n);
      await fixExpiryPrice(env, expiry);
      await vault.settle(id);
      await expect(vault.connect(counterparty).claim(counterparty.address))
        .to.emit(vault, "SettlementClaimed")
        .withArgs(counterparty.address, counterparty.address, USDC(1000), 0n);
    });
  });
});

describe("OptionsVault: covered-call vault with no USDC", function () {
  let load: () => Promise<HedgeEnv>;
  before(async function () {
    ({ load } = await createHedgeEnv({ vaultUsdc: 0, vaultWeth: 20 }));
  });

  it("regression: an in-the-money expiry settles with 0 USDC, and the claim is paid once USDC arrives", async function () {
    const env = await load();
    const { vault } = env;
    const { counterparty, trader } = env.actors;
    const expiry = Number((await vault.getSeries(1n)).expiry);
    expect((await vault.collateral())[1]).to.equal(0n);
    await expireAndPublish(env, expiry, 3500n);
    await fixExpiryPrice(env, expiry);
    // 20 calls × (3500 − 3000) = 10,000 USDC owed, none held: settlement does not revert.
    await expect(vault.settle(1n))
      .to.emit(vault, "SettlementClaimRecorded")
      .withArgs(1n, counterparty.address, USDC(10_000));
    expect(await vault.settlementShortfallUsdc()).to.equal(USDC(10_000));
    expect(await vault.activeSeriesCount()).to.equal(0n);
    await expect(vault.connect(counterparty).claim(counterparty.address))
      .to.be.revertedWithCustomError(vault, "ClaimUnfunded")
      .withArgs(USDC(10_000), 0n);
    // USDC arrives (the adapter sells WETH, or anyone deposits): the claim is paid in full.
    await fundUsdc(env.market, trader.address, USDC(10_000));
    await env.market.usdc.connect(trader).getFunction("approve")(await vault.getAddress(), USDC(10_000));
    await vault.connect(trader).deposit(env.market.book.usdc, USDC(10_000));
    expect(await vault.settlementShortfallUsdc()).to.equal(0n);
    await expect(vault.connect(counterparty).claim(counterparty.address)).to.changeTokenBalances(
      env.ethers,
      env.market.usdc,
      [vault, counterparty],
      [-USDC(10_000), USDC(10_000)],
    );
    recordAttack({
      attack: "ITM expiry deadlocks a covered-call vault",
      role: "counterparty",
      trials: 1,
      blocked: 1,
      lostUsd: 0,
      boundUsd: 0,
      rule: "settle never pays; claims wait for USDC",
    });
  });
});
