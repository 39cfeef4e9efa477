import { mkdir, writeFile } from "node:fs/promises";
import { expect } from "chai";
import { fundUsdc, POOL_FEE } from "../../scripts/lib/market/market.js";
import { createHedgeEnv, DAY, deadline, ETH, USDC, type HedgeEnv } from "../fixtures.js";

/** Picked up by the bench (test-output/ is git-ignored). */
const GAS_JSON = new URL("../../test-output/gas.json", import.meta.url);
const BOOK_SIZES = [1, 10, 50] as const;

interface GasReport {
  rebalance?: { amountInUsdc6: string; rebalance: number; bareSwap: number; ratio: number };
  netDelta?: { byBookSize: Record<string, number>; perSeries: number };
}

/** Opens series until the vault's book holds `size` of them: strikes, expiries, sides and signs vary. */
async function growBook(env: HedgeEnv, size: number): Promise<void> {
  const { vault, actors } = env;
  const now = await env.helpers.time.latest();
  for (let i = Number(await vault.activeSeriesCount()); i < size; i++) {
    await vault
      .connect(actors.writer)
      .openSeries(
        ETH(2000 + 40 * i),
        now + (7 + (i % 13) * 7) * DAY,
        i % 2 === 0,
        ETH(0.5 + (i % 5) * 0.1),
        i % 3 === 0 ? ETH(2) : -ETH(1),
        actors.counterparty.address,
      );
  }
}

describe("Gas (printed; asserts sanity and the book walk's per-series budget)", function () {
  const report: GasReport = {};

  after(async function () {
    await mkdir(new URL(".", GAS_JSON), { recursive: true });
    await writeFile(GAS_JSON, JSON.stringify(report, null, 2) + "\n");
  });

  it("rebalance costs more than a bare SwapRouter.exactInputSingle of the same size in the same pool state", async function () {
    const { load } = await createHedgeEnv();
    const env = await load();
    const { adapter, market, actors, helpers } = env;
    const amountIn = USDC(15_000);
    // The bare swapper is funded and approved before the snapshot, so both swaps meet the same pool and balances.
    await fundUsdc(market, actors.trader.address, amountIn);
    await market.usdc.connect(actors.trader).getFunction("approve")(market.book.swapRouter, amountIn);
    const snapshot = await helpers.takeSnapshot();

    const hedge = await adapter.connect(actors.keeper).rebalance({
      buyWeth: true,
      amountIn,
      minAmountOut: 0n,
      deadline: await deadline(helpers),
      expectedNonce: 0n,
    });
    const rebalanceGas = Number((await hedge.wait())!.gasUsed);

    await snapshot.restore();
    const swap = await market.router.connect(actors.trader).getFunction("exactInputSingle")({
      tokenIn: market.book.usdc,
      tokenOut: market.book.weth,
      fee: POOL_FEE,
      recipient: actors.trader.address,
      deadline: await deadline(helpers),
      amountIn,
      amountOutMinimum: 0n,
      sqrtPriceLimitX96: 0n,
    });
    const bareSwapGas = Number((await swap.wait())!.gasUsed);

    const ratio = rebalanceGas / bareSwapGas;
    console.log(`gas: rebalance=${rebalanceGas} bareSwap=${bareSwapGas} ratio=${ratio.toFixed(2)}`);
    report.rebalance = { amountInUsdc6: amountIn.toString(), rebalance: rebalanceGas, bareSwap: bareSwapGas, ratio };
    expect(bareSwapGas).to.be.greaterThan(21_000);
    expect(rebalanceGas).to.be.greaterThan(bareSwapGas); // the guards and the vault round-trip are not free
  });

  it("netDeltaWad grows linearly with the book, at most 8,000 gas per series: measured at 1, 10 and 50 series", async function () {
    const { load } = await createHedgeEnv({ shortCallEth: 0 });
    const env = await load();
    const byBookSize: Record<string, number> = {};
    for (const size of BOOK_SIZES) {
      await growBook(env, size);
      expect(await env.vault.activeSeriesCount()).to.equal(BigInt(size));
      byBookSize[size] = Number(await env.vault.netDeltaWad.estimateGas());
      console.log(`gas: netDelta book=${size} series=${byBookSize[size]}`);
    }
    const first = BOOK_SIZES[0];
    const last = BOOK_SIZES[BOOK_SIZES.length - 1]!;
    const perSeries = Math.round((byBookSize[last]! - byBookSize[first]!) / (last - first));
    console.log(`gas: netDelta per series ≈ ${perSeries}`);
    report.netDelta = { byBookSize, perSeries };
    expect(byBookSize[10]).to.be.greaterThan(byBookSize[1]!);
    expect(byBookSize[50]).to.be.greaterThan(byBookSize[10]!);
    expect(perSeries).to.be.greaterThan(0);
    // The walk prices every active series on every hedge, so its per-series cost bounds how large a book can be
    // hedged within a block's gas; 8,000 is the budget the walk was brought under (7,896 measured).
    expect(perSeries, "book walk gas per series").to.be.at.most(8_000);
  });
});
