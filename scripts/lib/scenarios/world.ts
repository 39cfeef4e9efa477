/**
 * The scenario world: `deployWorld` (scripts/lib/market/world.ts) on the market the profile opened (the replica's or the
 * fork's), with a smaller book and without the DAO unless the scenario asks for them.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { bookFromRows, evaluateBook } from "../../../keeper/risk/index.js";
import type { SeriesSpec } from "../market/book.js";
import type { Market } from "../market/market.js";
import { deployWorld, type World } from "../market/world.js";
import type { ScenarioWorldOptions } from "./types.js";

const DAY = 86_400;
/** the WETH every scenario's vault starts with at least, ETH: room for sells of a few bands */
const START_RESERVE_ETH = 15;

type ExtraSeries = NonNullable<ScenarioWorldOptions["extraSeries"]>;

/**
 * Short 3-month calls struck at `priceFactor` × spot, sized so the book's options delta is at most −`reserveEth`
 * there; none when it already is. The vault hedges by holding WETH and cannot short ETH: a book whose options are net
 * long (its short puts) at that price leaves the keeper nothing to sell, and every scenario that sells would fail on
 * the book, not on what it tests.
 */
export function shortDeltaCover(priceFactor: number, reserveEth: number): ExtraSeries {
  return (spotUsd, nowSec, book) => {
    const atUsd = spotUsd * priceFactor;
    const delta = evaluateBook(bookFromRows(book), atUsd, nowSec).netOptionDeltaEth;
    if (delta <= -reserveEth) return [];
    const call = { strikeUsd: Math.round(atUsd / 50) * 50, expirySec: nowSec + 91 * DAY, isCall: true, vol: 0.65 };
    const callDelta = evaluateBook(bookFromRows([{ ...call, sizeEth: 1 }]), atUsd, nowSec).netOptionDeltaEth;
    return [{ ...call, sizeEth: -Math.ceil((delta + reserveEth) / callDelta) }];
  };
}

/** The scenario's own extra series, then the cover that starts the vault with `START_RESERVE_ETH` of WETH. */
function withStartReserve(extra: ExtraSeries | undefined): ExtraSeries {
  const cover = shortDeltaCover(1, START_RESERVE_ETH);
  return (spotUsd, nowSec, book) => {
    const own: SeriesSpec[] = extra?.(spotUsd, nowSec, book) ?? [];
    return [...own, ...cover(spotUsd, nowSec, [...book, ...own])];
  };
}

export const DEFAULT_SCENARIO_WORLD: ScenarioWorldOptions = { series: 12, params: {}, governance: false };

/**
 * Scenarios test the keeper's mechanics against a fixed 5 ETH band (no share of the book), so their expectations read
 * in ETH whatever the book; a scenario's own `params` still win. The shipped default fits the band to the book.
 */
const SCENARIO_BAND = { deltaBandWad: 5n * 10n ** 18n, deltaBandBps: 0 };

/** Room for the realistic book plus any scenario's extra series. */
const MAX_ACTIVE_SERIES = 64;

/**
 * Deploys the vault and adapter on `market`, opens a realistic book of `series` (deterministic for `seed`) plus the
 * scenario's extra series at the feed's price (and a short-delta cover when the book would leave the vault less than
 * `START_RESERVE_ETH` of WETH), starts hedged, funds an arbitrageur that keeps the pool on the feed,
 * and optionally hands the parameters to the DAO.
 */
export function buildScenarioWorld(
  ethers: HardhatEthers,
  market: Market,
  seed: number,
  options: Partial<ScenarioWorldOptions> = {},
): Promise<World> {
  const opts = { ...DEFAULT_SCENARIO_WORLD, ...options };
  return deployWorld(ethers, {
    market,
    seed,
    series: opts.series,
    params: { ...SCENARIO_BAND, ...opts.params },
    governance: opts.governance,
    maxActiveSeries: MAX_ACTIVE_SERIES,
    extraSeries: withStartReserve(opts.extraSeries),
  });
}
