// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "../support/ForgeTest.sol";
import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";
import {PoolPriceLibHarness} from "../support/PoolPriceLibHarness.sol";

/// @notice PoolPriceLib's conversions from a pool's raw price or tick to USD per ETH, and its named refusal at the
///         ends of Uniswap's price range.
contract PoolPriceLibTest is ForgeTest {
    PoolPriceLibHarness internal harness;

    function setUp() public {
        harness = new PoolPriceLibHarness();
    }

    function test_tickToEthPrice_matchesTheMarketInBothTokenOrders() public view {
        // USDC token0: tick ≈ ln(1e12 / 3000) / ln(1.0001) = 196,257 → about $3,000.
        uint256 usdcFirst = harness.tickToEthPriceWad(196_257, false);
        assertApproxEqRel(usdcFirst, 3000e18, 1e15, "USDC token0");
        // WETH token0: tick ≈ ln(3000 / 1e12) / ln(1.0001) = -196,257.
        uint256 wethFirst = harness.tickToEthPriceWad(-196_257, true);
        assertApproxEqRel(wethFirst, 3000e18, 1e15, "WETH token0");
    }

    function test_rawToEthPrice_zeroRawPriceRevertsWithItsName() public {
        vm.expectRevert(abi.encodeWithSelector(PoolPriceLib.PoolPriceOutOfRange.selector, uint256(0)));
        harness.rawToEthPriceWad(0, false);
        vm.expectRevert(abi.encodeWithSelector(PoolPriceLib.PoolPriceOutOfRange.selector, uint256(0)));
        harness.rawToEthPriceWad(0, true);
    }

    function test_tickToEthPrice_atTheBottomOfTheRangeRevertsWithItsName() public {
        // Uniswap's MIN_TICK: exp(-887,272 · ln 1.0001) underflows the wad scale to 0.
        vm.expectRevert(abi.encodeWithSelector(PoolPriceLib.PoolPriceOutOfRange.selector, uint256(0)));
        harness.tickToEthPriceWad(-887_272, false);
    }
}
