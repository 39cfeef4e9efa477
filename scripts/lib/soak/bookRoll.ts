/**
 * A book that rolls like a real vault's: series that expired get their expiry price fixed from the Chainlink round
 * that straddles expiry and are settled, and the writer opens new ones so the book keeps its size.
 */
import { Rng } from "../../../bench/backtest/rng.js";
import { numberToWad } from "../../../keeper/units.js";
import { settleExpired } from "../market/settlement.js";
import type { World } from "../market/world.js";

const DAY = 86_400;
/** Expiries of newly written series: one day to four weeks out. */
const NEW_EXPIRY_DAYS = [1, 2, 3, 7, 14, 21, 28] as const;
/** The vault reads its book in pages; the soak's book stays far below one page of this size. */
const PAGE = 256;

export interface RollResult {
  settled: number;
  written: number;
  /** expired series left for a later block (no Chainlink round since expiry yet: an oracle outage) */
  deferred: number;
}

export interface BookRoller {
  /** Settles what expired by `nowSec` and writes at most one new series when the book is below its target size. */
  roll(nowSec: number, spotUsd: number): Promise<RollResult>;
  totals: RollResult;
}

export function createBookRoller(world: World, seed: number, targetSeries: number): BookRoller {
  const rng = new Rng(seed, 0xb00c);
  const { vault } = world.stack;
  const totals: RollResult = { settled: 0, written: 0, deferred: 0 };

  async function roll(nowSec: number, spotUsd: number): Promise<RollResult> {
    const result: RollResult = { settled: 0, written: 0, deferred: 0 };
    const active = await vault.getActiveSeries(0, PAGE);
    const expired = active.filter((s) => Number(s.expiry) <= nowSec).map((s) => ({ id: s.id, expiry: s.expiry }));
    if (expired.length > 0) {
      const [, , , feedUpdatedAt] = (await world.market.feed.getFunction("latestRoundData")()) as bigint[];
      const ready = expired.filter((s) => s.expiry <= feedUpdatedAt!);
      await settleExpired(vault, world.market.feed, ready, world.actors.counterparty);
      result.settled = ready.length;
      result.deferred = expired.length - ready.length;
    }
    if (active.length - result.settled < targetSeries) {
      const moneyness = 0.8 + 0.4 * rng.uniform();
      const days = NEW_EXPIRY_DAYS[Math.floor(rng.uniform() * NEW_EXPIRY_DAYS.length)]!;
      const size = Math.round((2 + 18 * rng.uniform()) * 10) / 10;
      await (
        await vault
          .connect(world.actors.writer)
          .openSeries(
            numberToWad(Math.max(50, Math.round((spotUsd * moneyness) / 50) * 50)),
            nowSec + days * DAY,
            rng.uniform() < 0.7,
            numberToWad(0.6 + 0.2 * rng.uniform()),
            numberToWad(rng.uniform() < 0.8 ? -size : size),
            world.actors.counterparty.address,
          )
      ).wait();
      result.written = 1;
    }
    totals.settled += result.settled;
    totals.written += result.written;
    totals.deferred += result.deferred;
    return result;
  }

  return { roll, totals };
}
