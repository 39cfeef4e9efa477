// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {sd} from "@prb/math/src/SD59x18.sol";
import {UniswapV3PoolDouble} from "./UniswapV3Doubles.sol";

/// @notice Test helpers: the Uniswap V3 tick and sqrtPriceX96 of a WETH/USDC pool at a given ETH/USD price (wad).
/// @dev Approximate inverse of PoolPriceLib (enough to place a pool double near a price); not a reference.
library TickPricing {
    int256 internal constant LN_1_0001_WAD = 99_995_000_333_308;

    /// @notice Raw pool price (token1 per token0, base units) in wad for an ETH price in USD (wad).
    function rawPriceWad(uint256 ethPriceWad, bool wethIsToken0) internal pure returns (uint256) {
        return wethIsToken0 ? ethPriceWad / 1e12 : Math.mulDiv(1e30, 1e18, ethPriceWad);
    }

    function tickAt(uint256 ethPriceWad, bool wethIsToken0) internal pure returns (int24) {
        int256 lnRawWad = sd(int256(rawPriceWad(ethPriceWad, wethIsToken0))).ln().unwrap();
        return int24(lnRawWad / LN_1_0001_WAD);
    }

    function sqrtPriceX96At(uint256 ethPriceWad, bool wethIsToken0) internal pure returns (uint160) {
        uint256 sqrtRawWad = uint256(sd(int256(rawPriceWad(ethPriceWad, wethIsToken0))).sqrt().unwrap());
        return uint160(Math.mulDiv(sqrtRawWad, 2 ** 96, 1e18));
    }

    /// @notice Puts the pool double's TWAP and spot tick `offsetTicks` (≈ basis points) away from `ethPriceWad`.
    function placePool(UniswapV3PoolDouble pool, uint256 ethPriceWad, bool wethIsToken0, int24 offsetTicks) internal {
        int24 tick = tickAt(ethPriceWad, wethIsToken0) + offsetTicks;
        pool.setMeanTick(tick);
        pool.setSlot0(sqrtPriceX96At(ethPriceWad, wethIsToken0), tick);
    }
}
