import { MaxUint256, type Block, type Signer } from "ethers";
import { numberToPriceE8, priceE8ToSqrtPriceX96, sqrtPriceX96ToPriceUsd, WAD } from "../../../keeper/units.js";
import { fundUsdc, POOL_FEE, setFeedPrice, type Market } from "./market.js";

/**
 * Drives the replica market the way mainnet moves: the Chainlink feed gets a new answer, and an arbitrageur trades the
 * Uniswap pool back to it (exact input with a sqrtPriceLimit, so the pool lands on the feed price and the arbitrageur
 * pays only what it takes). The keeper's hedges then meet real price impact in a pool that tracks the feed.
 */
export interface MarketDriver {
  /** new feed answer, then arbitrage the pool to it */
  setPrice(priceUsd: number): Promise<void>;
  /** trade the pool to `priceUsd` without touching the feed (divergence, manipulation) */
  movePool(priceUsd: number): Promise<void>;
  poolPriceUsd(): Promise<number>;
  arbitrageur: Signer & { address: string };
}

/**
 * What the driver needs of a chain: Hardhat's in-process `ethers` in tests and the demo, or `{ provider }` around an
 * ethers JsonRpcProvider for the `market` CLI against a local node. Both answer the `hardhat_*` methods of a local chain.
 */
export interface DriverChain {
  provider: {
    send(method: string, params: unknown[]): Promise<unknown>;
    getBlock(tag: "latest"): Promise<Block | null>;
  };
}

const ARB_WETH = 200_000n * WAD;
const ARB_USDC = 1_000_000_000n * 10n ** 6n;
/**
 * Fixed gas limit for the arbitrage swap: eth_estimateGas re-executes the swap a dozen times in a binary search, which
 * on the in-process chain costs seconds per block. An arbitrage that crosses every tick of the replica stays far below.
 */
const ARB_GAS_LIMIT = 3_000_000n;

export async function createMarketDriver(
  ethers: DriverChain,
  market: Market,
  arbitrageur: Signer & { address: string },
): Promise<MarketDriver> {
  const router = await market.router.getAddress();
  await ethers.provider.send("hardhat_setBalance", [arbitrageur.address, "0x" + (ARB_WETH * 2n).toString(16)]);
  await (await market.weth.connect(arbitrageur).getFunction("deposit")({ value: ARB_WETH })).wait();
  await fundUsdc(market, arbitrageur.address, ARB_USDC);
  await (await market.weth.connect(arbitrageur).getFunction("approve")(router, MaxUint256)).wait();
  await (await market.usdc.connect(arbitrageur).getFunction("approve")(router, MaxUint256)).wait();

  async function poolPriceUsd(): Promise<number> {
    const slot0 = await market.pool.getFunction("slot0")();
    return sqrtPriceX96ToPriceUsd(slot0[0] as bigint, market.wethIsToken0);
  }

  async function movePool(priceUsd: number): Promise<void> {
    const slot0 = await market.pool.getFunction("slot0")();
    const current = slot0[0] as bigint;
    const target = priceE8ToSqrtPriceX96(numberToPriceE8(priceUsd), market.wethIsToken0);
    const gap = current > target ? current - target : target - current;
    if (gap * 200_000n < current) return; // within 0.5 bp of sqrt price: nothing worth an arbitrage
    // sqrt price up = more token1 per token0 = token1 comes in.
    const token1In = target > current;
    const [token0, token1] = market.wethIsToken0
      ? [market.book.weth, market.book.usdc]
      : [market.book.usdc, market.book.weth];
    const tokenIn = token1In ? token1 : token0;
    const tokenOut = token1In ? token0 : token1;
    const amountIn = tokenIn === market.book.weth ? ARB_WETH / 4n : ARB_USDC / 4n;
    const block = await ethers.provider.getBlock("latest");
    await (
      await market.router.connect(arbitrageur).getFunction("exactInputSingle")(
        {
          tokenIn,
          tokenOut,
          fee: POOL_FEE,
          recipient: arbitrageur.address,
          deadline: BigInt(block!.timestamp + 3600),
          amountIn,
          amountOutMinimum: 0n,
          sqrtPriceLimitX96: target,
        },
        { gasLimit: ARB_GAS_LIMIT },
      )
    ).wait();
  }

  return {
    arbitrageur,
    poolPriceUsd,
    movePool,
    async setPrice(priceUsd) {
      await setFeedPrice(market, priceUsd);
      await movePool(priceUsd);
    },
  };
}

export interface SettledPrice {
  priceUsd: number;
  poolPriceUsd: number;
  /** chain seconds skipped so the pool's TWAP (over `twapWindowSec`) reads the new price */
  advancedSec: number;
}

/**
 * Moves a local market to `priceUsd` the way the keeper will accept it: a new feed answer, the pool arbitraged to it,
 * the chain's clock moved past the adapter's TWAP window (the pool's TWAP otherwise still reads the old price and the
 * pool-deviation gate holds every hedge), then the feeds re-published so their answers are fresh at the new time.
 * Local chains only (`evm_increaseTime`).
 */
export async function settlePrice(
  chain: DriverChain,
  driver: MarketDriver,
  market: Market,
  priceUsd: number,
  twapWindowSec: number,
): Promise<SettledPrice> {
  await driver.setPrice(priceUsd);
  const advancedSec = twapWindowSec + 1;
  await chain.provider.send("evm_increaseTime", [advancedSec]);
  await setFeedPrice(market, priceUsd);
  return { priceUsd, poolPriceUsd: await driver.poolPriceUsd(), advancedSec };
}
