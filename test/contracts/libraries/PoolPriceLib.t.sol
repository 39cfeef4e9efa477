// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "../support/ForgeTest.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";
import {PoolPriceLibHarness} from "../support/PoolPriceLibHarness.sol";
import {UniswapV3PoolDouble} from "../support/UniswapV3Doubles.sol";

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

/// @notice PoolPriceLib against an independent reference: 1.0001^tick by binary exponentiation in 1e36 fixed point.
contract PoolPriceLibFuzzTest is ForgeTest {
    uint256 internal constant E36 = 1e36;
    /// @dev Ticks at which ETH/USD is $10M and $1: USDC as token0 (mainnet) puts the price at 1e12 / 1.0001^tick.
    int256 internal constant USDC_FIRST_MIN_TICK = 115_130;
    int256 internal constant USDC_FIRST_MAX_TICK = 276_324;
    /// @dev WETH as token0: price = 1.0001^tick × 1e12. From $1,000 ($1,000 is tick −207,243) to $10M.
    int256 internal constant WETH_FIRST_MIN_TICK = -207_200;
    int256 internal constant WETH_FIRST_MAX_TICK = -115_130;

    /// @dev 1.0001^|tick| × 1e36 (relative error < 1e-34: one rounding per multiplication).
    function _pow10001E36(uint256 n) internal pure returns (uint256 result) {
        result = E36;
        uint256 base = 1.0001e36;
        while (n > 0) {
            if (n & 1 == 1) result = Math.mulDiv(result, base, E36);
            n >>= 1;
            if (n > 0) base = Math.mulDiv(base, base, E36);
        }
    }

    /// @dev Reference USD per ETH (wad) at `tick`.
    function _referencePriceWad(int256 tick, bool wethIsToken0) internal pure returns (uint256) {
        uint256 powE36 = _pow10001E36(uint256(tick < 0 ? -tick : tick));
        // raw = 1.0001^tick; with WETH first price = raw × 1e12, else price = 1e12 / raw.
        bool rawAboveOne = tick >= 0;
        if (wethIsToken0 == rawAboveOne) return Math.mulDiv(powE36, 1e30, E36);
        return Math.mulDiv(1e30, E36, powE36);
    }

    function testFuzz_tickToEthPriceWad_usdcToken0_within1e9OfReference(int256 tick) public pure {
        tick = _bound(tick, USDC_FIRST_MIN_TICK, USDC_FIRST_MAX_TICK);
        uint256 expected = _referencePriceWad(tick, false);
        assertApproxEqRel(PoolPriceLib.tickToEthPriceWad(tick, false), expected, 1e9, "relative error > 1e-9");
    }

    function testFuzz_tickToEthPriceWad_wethToken0_within1e9OfReference(int256 tick) public pure {
        tick = _bound(tick, WETH_FIRST_MIN_TICK, WETH_FIRST_MAX_TICK);
        uint256 expected = _referencePriceWad(tick, true);
        assertApproxEqRel(PoolPriceLib.tickToEthPriceWad(tick, true), expected, 1e9, "relative error > 1e-9");
    }

    /// @notice Below $1,000 with WETH as token0, the wad intermediate (1.0001^tick ≈ 1e-9 or less) quantises the
    ///         price to 1e-6 USD: the error stays within 1e-9 relative plus that one step.
    function testFuzz_tickToEthPriceWad_wethToken0_lowPricesWithinOneRawStep(int256 tick) public pure {
        tick = _bound(tick, -276_324, WETH_FIRST_MIN_TICK);
        uint256 expected = _referencePriceWad(tick, true);
        assertApproxEqAbs(PoolPriceLib.tickToEthPriceWad(tick, true), expected, expected / 1e9 + 1e12);
    }

    /// @notice twapPriceWad uses the mean tick rounded toward negative infinity, as Uniswap's OracleLibrary.
    function testFuzz_twapPriceWad_floorsTheMeanTick(
        int256 meanTickSeed,
        uint256 remainderSeed,
        uint32 window,
        bool wethIsToken0
    ) public {
        window = uint32(_bound(window, 60, 1 hours));
        int256 meanTick =
            wethIsToken0
                ? _bound(meanTickSeed, WETH_FIRST_MIN_TICK, WETH_FIRST_MAX_TICK)
                : _bound(meanTickSeed, USDC_FIRST_MIN_TICK, USDC_FIRST_MAX_TICK);
        int256 remainder = int256(_bound(remainderSeed, 0, window - 1));
        // Cumulative change = meanTick × window + remainder, with 0 <= remainder < window: floor(change / window) = meanTick.
        int56 change = int56(meanTick * int256(uint256(window)) + remainder);
        UniswapV3PoolDouble pool = new UniswapV3PoolDouble(address(1), address(2), 500);
        pool.setRawCumulatives(-1_000_000_007, -1_000_000_007 + change);
        assertEq(
            PoolPriceLib.twapPriceWad(pool, wethIsToken0, window),
            PoolPriceLib.tickToEthPriceWad(meanTick, wethIsToken0)
        );
    }
}
