/**
 * What a scenario needs to know about the vault's delta: on-chain readings, and the keeper's own risk model to find
 * the price at which the delta reaches a target (so triggers are sized against the band for any seed and any spot).
 */
import { evaluateBook, type Book } from "../../../keeper/risk/index.js";
import { wadToNumber } from "../../../keeper/units.js";
import { readVaultBook } from "../governance/chainReads.js";
import type { World } from "../market/world.js";
import type { DeltaProbe } from "./types.js";

const ANSWER_TO_WAD = 10n ** 10n;
/** price grid of the search, as a fraction of the current price, and how far it looks */
const SEARCH_STEP = 0.0025;
const SEARCH_RANGE = 0.6;

export class PremiseError extends Error {
  override name = "PremiseError";
}

function withVolMultiplier(book: Book, multiplier: number): Book {
  if (multiplier === 1) return book;
  return { ...book, vol: book.vol.map((v) => v * multiplier) };
}

export function createDeltaProbe(world: World): DeltaProbe {
  const { stack, market, ethers } = world;

  async function oracleAnswer(): Promise<bigint> {
    const [, answer] = (await market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
    return answer;
  }
  const nowSec = async () => (await ethers.provider.getBlock("latest"))!.timestamp;

  async function optionsDeltaEth(priceUsd: number, volMultiplier = 1): Promise<number> {
    const { book } = await readVaultBook(stack.vault);
    return evaluateBook(withVolMultiplier(book, volMultiplier), priceUsd, await nowSec()).netOptionDeltaEth;
  }

  return {
    async netDeltaEth() {
      return wadToNumber(await stack.vault.netDeltaAtWad((await oracleAnswer()) * ANSWER_TO_WAD));
    },
    async bandEth() {
      return wadToNumber((await stack.adapter.bandWad())[0]); // the band in force for the book, as the adapter sizes it
    },
    async oraclePriceUsd() {
      return Number(await oracleAnswer()) / 1e8;
    },
    optionsDeltaEth,

    async priceForNetDelta(targetEth) {
      const { book, wethEth } = await readVaultBook(stack.vault);
      // A few blocks pass before the keeper looks (feed update, arbitrage): evaluate a little ahead.
      const at = (await nowSec()) + 3;
      const gap = (priceUsd: number) => evaluateBook(book, priceUsd, at).netOptionDeltaEth + wethEth - targetEth;
      const current = Number(await oracleAnswer()) / 1e8;
      const start = gap(current);
      if (start === 0) return current;
      // Walk both ways on a grid; the nearest sign change brackets the answer, which bisection then pins down.
      for (let step = 1; step * SEARCH_STEP <= SEARCH_RANGE; step++) {
        for (const direction of [-1, 1]) {
          const hi = current * (1 + direction * step * SEARCH_STEP);
          const lo = current * (1 + direction * (step - 1) * SEARCH_STEP);
          if (Math.sign(gap(hi)) === Math.sign(gap(lo))) continue;
          let [a, b] = [lo, hi];
          for (let i = 0; i < 60; i++) {
            const mid = (a + b) / 2;
            if (Math.sign(gap(mid)) === Math.sign(gap(a))) a = mid;
            else b = mid;
          }
          return (a + b) / 2;
        }
      }
      throw new PremiseError(
        `no price within ±${SEARCH_RANGE * 100}% of ${current.toFixed(2)} USD puts the vault's net delta at ` +
          `${targetEth.toFixed(3)} ETH (it is ${(start + targetEth).toFixed(3)} ETH now): the book cannot produce this trigger`,
      );
    },
  };
}
