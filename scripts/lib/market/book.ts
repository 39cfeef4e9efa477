import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { OptionsVault } from "../../../types/ethers-contracts/index.js";
import { numberToWad } from "../../../keeper/units.js";
import { Rng } from "../../../bench/backtest/rng.js";

export interface SeriesSpec {
  strikeUsd: number;
  expirySec: number;
  isCall: boolean;
  vol: number;
  sizeEth: number;
}

const DAY = 86_400;

/**
 * A realistic book for a vault that mostly sells options: weekly and monthly expiries, calls and puts across strikes
 * around the spot (±25%), mostly short with some long hedges, vol with a mild smile. Deterministic for a seed.
 */
export function realisticBook(args: { spotUsd: number; nowSec: number; count: number; seed: number }): SeriesSpec[] {
  const rng = new Rng(args.seed, 0x0b00c);
  const expiries = [7, 14, 21, 28, 35, 63, 91].map((d) => args.nowSec + d * DAY);
  const series: SeriesSpec[] = [];
  for (let i = 0; i < args.count; i++) {
    const moneyness = 0.75 + 0.5 * rng.uniform();
    const strikeUsd = Math.round((args.spotUsd * moneyness) / 50) * 50;
    const isCall = rng.uniform() < 0.7; // a covered-call-heavy vault: short delta, hedged by holding WETH
    const expirySec = expiries[Math.floor(rng.uniform() * expiries.length)]!;
    const smile = 0.15 * Math.abs(Math.log(moneyness));
    const short = rng.uniform() < 0.8;
    const sizeEth = Math.round((2 + 18 * rng.uniform()) * 10) / 10;
    series.push({ strikeUsd, expirySec, isCall, vol: 0.65 + smile, sizeEth: short ? -sizeEth : sizeEth });
  }
  return series;
}

/** Opens every series of `book` on the vault (writer role required). */
export async function openBook(
  vault: OptionsVault,
  writer: HardhatEthersSigner,
  book: SeriesSpec[],
  counterparty: string,
) {
  for (const s of book) {
    await (
      await vault
        .connect(writer)
        .openSeries(
          numberToWad(s.strikeUsd),
          s.expirySec,
          s.isCall,
          numberToWad(s.vol),
          numberToWad(s.sizeEth),
          counterparty,
        )
    ).wait();
  }
}
