// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";
import {IUniswapV3PoolMinimal} from "../interfaces/IUniswapV3Minimal.sol";

/// @title PoolPriceLib
/// @notice ETH/USD price (wad, USD per ETH) of a Uniswap V3 WETH/USDC pool: spot from slot0 and the
///         time-weighted average from `observe`.
/// @dev Raw pool prices are token1 per token0 in base units. WETH has 18 decimals and USDC 6, so
///      USD per ETH = raw * 1e12 when WETH is token0, and 1e12 / raw when USDC is token0.
///      The TWAP tick is turned into a price with exp(tick · ln 1.0001) (solady's `expWad`, within about 1 wei of a
///      60-digit reference; it replaced PRB Math's `exp`, which cost about 2,500 gas more per call).
library PoolPriceLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant Q96 = 2 ** 96;
    uint256 internal constant DECIMALS_GAP = 1e12;
    /// @dev ln(1.0001) in wad.
    int256 internal constant LN_1_0001_WAD = 99_995_000_333_308;

    /// @notice The pool's price is at an end of Uniswap's range where USD per ETH is not representable (raw price
    ///         rounds to zero): the pool has been pushed out of any sane market, so no hedge may price against it.
    error PoolPriceOutOfRange(uint256 rawWad);

    /// @notice Current pool price from slot0, USD per ETH in wad.
    function spotPriceWad(IUniswapV3PoolMinimal pool, bool wethIsToken0) internal view returns (uint256) {
        (uint160 sqrtPriceX96, , , , , , ) = pool.slot0();
        uint256 priceX96 = Math.mulDiv(sqrtPriceX96, sqrtPriceX96, Q96);
        uint256 rawWad = Math.mulDiv(priceX96, WAD, Q96);
        return rawToEthPriceWad(rawWad, wethIsToken0);
    }

    /// @notice `spotPriceWad` as a flag instead of a revert (for `checkUpkeep`, which must never revert).
    function trySpotPriceWad(IUniswapV3PoolMinimal pool, bool wethIsToken0) internal view returns (bool ok, uint256) {
        (uint160 sqrtPriceX96, , , , , , ) = pool.slot0();
        uint256 rawWad = Math.mulDiv(Math.mulDiv(sqrtPriceX96, sqrtPriceX96, Q96), WAD, Q96);
        if (rawWad == 0) return (false, 0);
        return (true, rawToEthPriceWad(rawWad, wethIsToken0));
    }

    /// @notice Time-weighted average price over the last `windowSec` seconds, USD per ETH in wad.
    /// @return ok False when the pool cannot answer `observe` for the window (its history is shorter: Uniswap's
    ///         `OLD`), or when the mean tick is outside the representable price range; `twapWad` is 0 then.
    function tryTwapPriceWad(
        IUniswapV3PoolMinimal pool,
        bool wethIsToken0,
        uint32 windowSec
    ) internal view returns (bool ok, uint256 twapWad) {
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = windowSec;
        try pool.observe(secondsAgos) returns (int56[] memory tickCumulatives, uint160[] memory) {
            uint256 rawWad = tickToRawWad(meanTick(tickCumulatives, windowSec));
            if (rawWad == 0) return (false, 0);
            return (true, rawToEthPriceWad(rawWad, wethIsToken0));
        } catch {
            return (false, 0);
        }
    }

    /// @notice `tryTwapPriceWad` over `windowSec` and over the last `recentSec` (< windowSec) seconds, from one
    ///         `observe([windowSec, recentSec, 0])`: the same prices as two calls, one pool call cheaper.
    ///         Each price is as `tryTwapPriceWad` gives it for its window (both not ok when the window cannot be
    ///         observed).
    function tryTwapAndRecentPriceWad(
        IUniswapV3PoolMinimal pool,
        bool wethIsToken0,
        uint32 windowSec,
        uint32 recentSec
    ) internal view returns (bool twapOk, uint256 twapWad, bool recentOk, uint256 recentWad) {
        uint32[] memory secondsAgos = new uint32[](3);
        secondsAgos[0] = windowSec;
        secondsAgos[1] = recentSec;
        try pool.observe(secondsAgos) returns (int56[] memory c, uint160[] memory) {
            uint256 twapRaw = tickToRawWad(_meanTick(c[2] - c[0], windowSec));
            uint256 recentRaw = tickToRawWad(_meanTick(c[2] - c[1], recentSec));
            if (twapRaw != 0) (twapOk, twapWad) = (true, rawToEthPriceWad(twapRaw, wethIsToken0));
            if (recentRaw != 0) (recentOk, recentWad) = (true, rawToEthPriceWad(recentRaw, wethIsToken0));
        } catch {
            return (false, 0, false, 0);
        }
    }

    /// @notice Time-weighted average price over the last `windowSec` seconds, USD per ETH in wad.
    /// @dev Reverts with the pool's own error when the window is longer than the pool's observation history.
    function twapPriceWad(
        IUniswapV3PoolMinimal pool,
        bool wethIsToken0,
        uint32 windowSec
    ) internal view returns (uint256) {
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = windowSec;
        (int56[] memory tickCumulatives, ) = pool.observe(secondsAgos);
        return tickToEthPriceWad(meanTick(tickCumulatives, windowSec), wethIsToken0);
    }

    /// @notice Mean tick over the window from `observe([windowSec, 0])`, rounded toward negative infinity as Uniswap's
    ///         OracleLibrary does.
    function meanTick(int56[] memory tickCumulatives, uint32 windowSec) internal pure returns (int256) {
        return _meanTick(tickCumulatives[1] - tickCumulatives[0], windowSec);
    }

    function _meanTick(int56 delta, uint32 windowSec) private pure returns (int256) {
        int56 window = int56(uint56(windowSec));
        int56 mean = delta / window;
        if (delta < 0 && delta % window != 0) mean--;
        return int256(mean);
    }

    /// @notice 1.0001^tick as a raw token1-per-token0 price in wad (0 when it underflows).
    function tickToRawWad(int256 tick) internal pure returns (uint256) {
        // |tick| ≤ 887,272 keeps the exponent within ±88.8e18, inside expWad's domain (it returns 0 below -41.4e18,
        // which rawToEthPriceWad and the try* readers treat as out of range, and reverts only above 135e18).
        return uint256(FixedPointMathLib.expWad(tick * LN_1_0001_WAD));
    }

    /// @notice 1.0001^tick converted to USD per ETH in wad.
    function tickToEthPriceWad(int256 tick, bool wethIsToken0) internal pure returns (uint256) {
        return rawToEthPriceWad(tickToRawWad(tick), wethIsToken0);
    }

    function rawToEthPriceWad(uint256 rawWad, bool wethIsToken0) internal pure returns (uint256) {
        if (rawWad == 0) revert PoolPriceOutOfRange(rawWad);
        return wethIsToken0 ? rawWad * DECIMALS_GAP : Math.mulDiv(DECIMALS_GAP * WAD, WAD, rawWad);
    }
}
