// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "./support/ForgeTest.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IHedgeAdapter} from "../../contracts/interfaces/IHedgeAdapter.sol";
import {BlackScholesLib} from "../../contracts/libraries/BlackScholesLib.sol";
import {OracleLib} from "../../contracts/libraries/OracleLib.sol";
import {PoolPriceLib} from "../../contracts/libraries/PoolPriceLib.sol";
import {HedgeStack, OracleBound} from "./support/HedgeStack.sol";
import {OracleLibHarness} from "./support/OracleLibHarness.sol";
import {SpecBounds} from "./support/SpecBounds.sol";
import {TestERC20} from "./support/TestTokens.sol";
import {UniswapV3PoolDouble} from "./support/UniswapV3Doubles.sol";

/// @notice BlackScholesLib.deltaWad over the inputs the vault accepts (vol 1%–500%, strike up to 1e9 USD, up to
///         5 years) at spots from $1 to $1M.
contract BlackScholesLibFuzzTest is ForgeTest {
    function _inputs(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad
    ) internal pure returns (uint256, uint256, uint256, uint256) {
        return (
            _bound(spotWad, 1e18, 1e24),
            _bound(strikeWad, 1e18, 1e27),
            _bound(secondsToExpiry, 0, 5 * 365 days),
            _bound(volWad, 0.01e18, 5e18)
        );
    }

    function testFuzz_deltaWad_callInZeroOnePutInMinusOneZero(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad
    ) public pure {
        (spotWad, strikeWad, secondsToExpiry, volWad) = _inputs(spotWad, strikeWad, secondsToExpiry, volWad);
        int256 callDelta = BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, true);
        int256 putDelta = BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, false);
        assertGe(callDelta, 0, "call delta < 0");
        assertLe(callDelta, 1e18, "call delta > 1");
        assertGe(putDelta, -1e18, "put delta < -1");
        assertLe(putDelta, 0, "put delta > 0");
        // At expiry and exactly at the money neither option is exercised (settlement pays neither): both deltas are 0.
        bool expiredAtTheMoney = secondsToExpiry == 0 && spotWad == strikeWad;
        assertEq(
            callDelta - putDelta,
            expiredAtTheMoney ? int256(0) : int256(1e18),
            "call - put delta (parity, r = 0)"
        );
    }

    function testFuzz_deltaWad_monotoneInSpot(
        uint256 spotA,
        uint256 spotB,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad,
        bool isCall
    ) public pure {
        (spotA, strikeWad, secondsToExpiry, volWad) = _inputs(spotA, strikeWad, secondsToExpiry, volWad);
        spotB = _bound(spotB, 1e18, 1e24);
        (uint256 lo, uint256 hi) = spotA < spotB ? (spotA, spotB) : (spotB, spotA);
        int256 deltaLo = BlackScholesLib.deltaWad(lo, strikeWad, secondsToExpiry, volWad, isCall);
        int256 deltaHi = BlackScholesLib.deltaWad(hi, strikeWad, secondsToExpiry, volWad, isCall);
        assertLe(deltaLo, deltaHi, "delta decreased as spot rose");
    }

    /// @notice At expiry the delta is what settlement pays on: a call iff S > K, a put iff S < K, neither at S == K
    ///         (`atTheMoney` forces that edge, which a uniform draw almost never hits).
    function testFuzz_deltaWad_atExpiryIsTheExerciseIndicator(
        uint256 spotWad,
        uint256 strikeWad,
        bool isCall,
        bool atTheMoney
    ) public pure {
        spotWad = _bound(spotWad, 1e18, 1e24);
        strikeWad = atTheMoney ? spotWad : _bound(strikeWad, 1e18, 1e27);
        int256 expected;
        if (isCall && spotWad > strikeWad) expected = 1e18;
        if (!isCall && spotWad < strikeWad) expected = -1e18;
        assertEq(BlackScholesLib.deltaWad(spotWad, strikeWad, 0, 0.8e18, isCall), expected);
    }
}

/// @notice OracleLib refuses every answer a hedge must not be priced on, and converts the others exactly.
contract OracleLibFuzzTest is ForgeTest {
    uint256 internal constant NOW = 1_700_000_000;
    MockV3Aggregator internal feed;
    OracleLibHarness internal oracle;

    function setUp() public {
        vm.warp(NOW);
        feed = new MockV3Aggregator(8, 3000e8);
        oracle = new OracleLibHarness();
    }

    function _publish(int256 answer, uint256 updatedAt) internal {
        feed.updateRoundData(7, answer, updatedAt, updatedAt);
    }

    function _assertTryReadFails(uint256 maxAgeSec) internal view {
        (bool ok, uint256 priceWad) = oracle.tryReadPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertFalse(ok, "tryReadPriceWad accepted");
        assertEq(priceWad, 0);
    }

    function testFuzz_readPriceWad_rejectsNonPositiveAnswer(int256 answer, uint256 ageSec, uint256 maxAgeSec) public {
        answer = _bound(answer, type(int256).min, 0);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        _publish(answer, NOW - _bound(ageSec, 0, maxAgeSec));
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleAnswerNotPositive.selector, answer));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        _assertTryReadFails(maxAgeSec);
    }

    function testFuzz_readPriceWad_rejectsStaleAnswer(int256 answer, uint256 maxAgeSec, uint256 extraAgeSec) public {
        answer = _bound(answer, 1, 1e40);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        uint256 updatedAt = NOW - maxAgeSec - _bound(extraAgeSec, 1, 365 days);
        _publish(answer, updatedAt);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleStale.selector, updatedAt, maxAgeSec, NOW));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        _assertTryReadFails(maxAgeSec);
    }

    function testFuzz_readPriceWad_rejectsFutureAndIncompleteRounds(int256 answer, uint256 aheadSec) public {
        answer = _bound(answer, 1, 1e40);
        uint256 updatedAt = NOW + _bound(aheadSec, 1, 365 days);
        _publish(answer, updatedAt);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleTimestampInFuture.selector, updatedAt, NOW));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), 1 days);
        _assertTryReadFails(1 days);

        _publish(answer, 0);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleRoundIncomplete.selector, uint80(7), uint80(7)));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), type(uint256).max);
        _assertTryReadFails(type(uint256).max);
    }

    function testFuzz_readPriceWad_acceptsFreshPositiveAnswer(int256 answer, uint256 ageSec, uint256 maxAgeSec) public {
        answer = _bound(answer, 1, 1e40);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        uint256 updatedAt = NOW - _bound(ageSec, 0, maxAgeSec);
        _publish(answer, updatedAt);
        (uint256 priceWad, uint256 readAt) = oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertEq(priceWad, uint256(answer) * 1e10, "1e8 answer -> wad");
        assertEq(readAt, updatedAt);
        (bool ok, uint256 tryPriceWad) = oracle.tryReadPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertTrue(ok, "tryReadPriceWad refused a fresh answer");
        assertEq(tryPriceWad, priceWad);
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

/// @notice HedgeAdapter, one trade at a time, against a router that pays a fuzzed amount and never reverts.
contract HedgeAdapterFuzzTest is HedgeStack {
    function setUp() public {
        deployStack(false);
    }

    /// @dev A buy that cannot overshoot: at most |net delta| worth of USDC at the oracle price.
    function _buyRequest(uint256 usdcIn) internal view returns (IHedgeAdapter.RebalanceRequest memory) {
        return IHedgeAdapter.RebalanceRequest(true, usdcIn, 0, block.timestamp + 60, adapter.hedgeNonce());
    }

    function _maxBuyUsdc() internal view returns (uint256) {
        int256 delta = vault.netDeltaAtWad(oraclePriceWad());
        return Math.mulDiv(uint256(-delta), oraclePriceWad(), 1e30);
    }

    function _setSlippage(uint256 slippageBps) internal {
        vm.prank(admin);
        adapter.setParam(IHedgeAdapter.Param.MaxSlippageBps, slippageBps);
    }

    function testFuzz_oracleMinAmountOut_isTheExactBound(
        bool buyWeth,
        uint256 amountIn,
        int256 priceE8,
        uint256 slippageBps
    ) public {
        priceE8 = _bound(priceE8, 1e8, 1_000_000e8);
        slippageBps = _bound(slippageBps, 1, 500);
        amountIn = _bound(amountIn, 1, buyWeth ? 1e15 : 1e24);
        feed.updateAnswer(priceE8);
        _setSlippage(slippageBps);
        assertEq(
            adapter.oracleMinAmountOut(buyWeth, amountIn),
            OracleBound.minOut(buyWeth, amountIn, uint256(priceE8) * 1e10, slippageBps)
        );
    }

    /// @notice The test oracle itself: minOut passes `holds`, one unit less does not.
    function testFuzz_oracleBound_minOutIsTheSmallestPassingFill(
        bool buyWeth,
        uint256 amountIn,
        int256 priceE8,
        uint256 slippageBps
    ) public pure {
        uint256 priceWad = uint256(_bound(priceE8, 1e8, 1_000_000e8)) * 1e10;
        slippageBps = _bound(slippageBps, 1, 500);
        amountIn = _bound(amountIn, 1, buyWeth ? 1e15 : 1e24);
        uint256 minOut = OracleBound.minOut(buyWeth, amountIn, priceWad, slippageBps);
        assertTrue(OracleBound.holds(buyWeth, amountIn, minOut, priceWad, slippageBps));
        if (minOut > 0) assertFalse(OracleBound.holds(buyWeth, amountIn, minOut - 1, priceWad, slippageBps));
    }

    function testFuzz_rebalance_rejectsFillBelowOracleBoundWithInsufficientOutput(
        uint256 usdcIn,
        uint256 shortfall,
        uint256 slippageBps
    ) public {
        _setSlippage(_bound(slippageBps, 1, 500));
        usdcIn = _bound(usdcIn, 1e6, _maxBuyUsdc());
        uint256 minOut = OracleBound.minOut(true, usdcIn, oraclePriceWad(), adapter.params().maxSlippageBps);
        uint256 payout = minOut - _bound(shortfall, 1, minOut);
        weth.mint(address(router), payout);
        // The router claims it paid the minimum and does not revert: only the adapter's own measurement stops it.
        router.script(payout, address(0), type(uint256).max);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.InsufficientOutput.selector, payout, minOut));
        vm.prank(keeper);
        adapter.rebalance(req);
    }

    function testFuzz_rebalance_acceptsFillAtOrAboveOracleBound(
        uint256 usdcIn,
        uint256 surplus,
        uint256 slippageBps
    ) public {
        _setSlippage(_bound(slippageBps, 1, 500));
        usdcIn = _bound(usdcIn, 1e6, _maxBuyUsdc());
        uint256 minOut = OracleBound.minOut(true, usdcIn, oraclePriceWad(), adapter.params().maxSlippageBps);
        uint256 payout = minOut + _bound(surplus, 0, OracleBound.fairOut(true, usdcIn, oraclePriceWad()) - minOut);
        weth.mint(address(router), payout);
        router.script(payout, address(0), 0);
        uint256 wethBefore = weth.balanceOf(address(vault));
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.prank(keeper);
        uint256 amountOut = adapter.rebalance(req);
        assertEq(amountOut, payout, "amountOut is the vault's measured receipt, not the router's claim");
        assertEq(weth.balanceOf(address(vault)) - wethBefore, payout);
        assertEq(adapter.hedgeNonce(), 1);
    }

    function testFuzz_rebalance_rejectsCallersWithoutKeeperRole(address caller) public {
        vm.assume(!adapter.hasRole(adapter.KEEPER_ROLE(), caller));
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(1_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                adapter.KEEPER_ROLE()
            )
        );
        vm.prank(caller);
        adapter.rebalance(req);
    }

    // ------------------------------------------------------------------ property 2: reduce-only

    function _setParam(IHedgeAdapter.Param param, uint256 value) internal {
        vm.prank(admin);
        adapter.setParam(param, value);
    }

    /// @dev The outcome the spec demands for a hedge that moves net delta from `deltaBefore` to `deltaAfter`.
    function _expectReduceOnlyOutcome(
        int256 deltaBefore,
        int256 deltaAfter,
        bool buyWeth
    ) internal returns (bool accepted) {
        uint256 band = adapter.params().deltaBandWad;
        bool crossed = (deltaBefore < 0 && deltaAfter > 0) || (deltaBefore > 0 && deltaAfter < 0);
        if (SignedMath.abs(deltaAfter) >= SignedMath.abs(deltaBefore)) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.NotReducing.selector, deltaBefore, buyWeth));
        } else if (crossed && SignedMath.abs(deltaAfter) > band) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.Overshoot.selector, deltaAfter, band));
        } else {
            return true;
        }
    }

    /// @notice Property 2, buy side (vault short delta): the WETH the router delivers raises net delta by exactly that
    ///         amount; the hedge lands only if |delta| shrinks and a crossing of zero stays within the band.
    function testFuzz_rebalance_buyIsReduceOnly(uint256 usdcIn, uint256 payoutSeed, uint256 bandSeed) public {
        _setParam(IHedgeAdapter.Param.DeltaBandWad, _bound(bandSeed, 0.01e18, 40e18));
        _setParam(IHedgeAdapter.Param.MaxTradeWethWad, 10_000e18);
        uint256 priceWad = oraclePriceWad();
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        assertLt(deltaBefore, 0, "fixture: the vault is short delta");
        uint256 absBefore = uint256(-deltaBefore);
        usdcIn = _bound(usdcIn, 1e6, Math.mulDiv((absBefore * 3) / 2, priceWad, 1e30));
        uint256 minOut = OracleBound.minOut(true, usdcIn, priceWad, adapter.params().maxSlippageBps);
        // From the oracle bound up to 2.5 |delta|: short of zero, across it within the band, past the band, and past -delta.
        uint256 payout = _bound(payoutSeed, minOut, Math.max(minOut, (absBefore * 5) / 2));
        weth.mint(address(router), payout);
        router.script(payout, address(0), type(uint256).max);
        int256 deltaAfter = deltaBefore + int256(payout);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        bool accepted = _expectReduceOnlyOutcome(deltaBefore, deltaAfter, true);
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(vault.netDeltaAtWad(priceWad), accepted ? deltaAfter : deltaBefore, "net delta after the hedge");
    }

    /// @notice Property 2, sell side (vault long delta): selling `amountIn` WETH lowers net delta by exactly that; the
    ///         adapter refuses a sale that grows |delta| or crosses zero past the band.
    function testFuzz_rebalance_sellIsReduceOnly(uint256 extraWethSeed, uint256 wethIn, uint256 bandSeed) public {
        _setParam(IHedgeAdapter.Param.DeltaBandWad, _bound(bandSeed, 0.01e18, 40e18));
        _setParam(IHedgeAdapter.Param.MaxTradeWethWad, 10_000e18);
        uint256 priceWad = oraclePriceWad();
        // Enough extra WETH collateral to put the vault long 0.01–200 ETH of delta.
        uint256 shortAbs = uint256(-vault.netDeltaAtWad(priceWad));
        weth.mint(address(vault), shortAbs + _bound(extraWethSeed, 0.01e18, 200e18));
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        assertGt(deltaBefore, 0, "setup: the vault is long delta");
        wethIn = _bound(wethIn, 1e9, Math.min((uint256(deltaBefore) * 5) / 2, weth.balanceOf(address(vault))));
        uint256 payout = OracleBound.minOut(false, wethIn, priceWad, adapter.params().maxSlippageBps);
        usdc.mint(address(router), payout);
        router.script(payout, address(0), type(uint256).max);
        int256 deltaAfter = deltaBefore - int256(wethIn);
        IHedgeAdapter.RebalanceRequest memory req = IHedgeAdapter.RebalanceRequest(
            false,
            wethIn,
            0,
            block.timestamp + 60,
            adapter.hedgeNonce()
        );
        bool accepted = _expectReduceOnlyOutcome(deltaBefore, deltaAfter, false);
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(vault.netDeltaAtWad(priceWad), accepted ? deltaAfter : deltaBefore, "net delta after the hedge");
    }

    /// @notice Property 2: a hedge in the direction that adds to |delta| is refused before any token moves.
    function testFuzz_rebalance_refusesTheDirectionThatGrowsDelta(uint256 extraWethSeed, uint256 amountSeed) public {
        weth.mint(address(vault), _bound(extraWethSeed, 0, 200e18));
        uint256 priceWad = oraclePriceWad();
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        vm.assume(deltaBefore != 0);
        bool buyWeth = deltaBefore > 0; // the wrong way
        uint256 amountIn = buyWeth ? _bound(amountSeed, 1, 100_000e6) : _bound(amountSeed, 1, 10e18);
        IHedgeAdapter.RebalanceRequest memory req = IHedgeAdapter.RebalanceRequest(
            buyWeth,
            amountIn,
            0,
            block.timestamp + 60,
            0
        );
        uint256 wethBefore = weth.balanceOf(address(vault));
        uint256 usdcBefore = usdc.balanceOf(address(vault));
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.NotReducing.selector, deltaBefore, buyWeth));
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(weth.balanceOf(address(vault)), wethBefore);
        assertEq(usdc.balanceOf(address(vault)), usdcBefore);
    }

    // ------------------------------------------------------------------ property 3: parameter bounds

    /// @notice Property 3: the admin's setParam accepts exactly the coded range [min, max] of each parameter.
    function testFuzz_setParam_acceptsExactlyTheCodedBounds(uint256 paramSeed, uint256 value, bool nearEdge) public {
        IHedgeAdapter.Param param = IHedgeAdapter.Param(paramSeed % SpecBounds.PARAM_COUNT);
        (uint256 min, uint256 max) = SpecBounds.bounds(param);
        if (nearEdge) value = _bound(value, min == 0 ? 0 : min - 1, max + 1);
        uint256 before = SpecBounds.read(adapter.params(), param);
        bool ok = SpecBounds.inBounds(param, value);
        if (!ok)
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.ParamOutOfBounds.selector, param, value, min, max));
        vm.prank(admin);
        adapter.setParam(param, value);
        assertEq(SpecBounds.read(adapter.params(), param), ok ? value : before);
    }

    /// @notice Property 3: nobody but the admin (DAO timelock) sets a parameter.
    function testFuzz_setParam_rejectsEveryoneButTheAdmin(address caller, uint256 paramSeed, uint256 value) public {
        vm.assume(caller != admin);
        IHedgeAdapter.Param param = IHedgeAdapter.Param(paramSeed % SpecBounds.PARAM_COUNT);
        (uint256 min, uint256 max) = SpecBounds.bounds(param);
        value = _bound(value, min, max);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, bytes32(0))
        );
        vm.prank(caller);
        adapter.setParam(param, value);
    }

    // ------------------------------------------------------------------ property 5: the guardian

    /// @notice Property 5: from any in-bounds starting value, the guardian's tightenParam lands only on a value at least
    ///         as strict and within bounds; anything looser reverts with GuardianCannotLoosen and changes nothing.
    function testFuzz_tightenParam_guardianCanOnlyTighten(
        uint256 paramSeed,
        uint256 startSeed,
        uint256 value,
        uint8 mode
    ) public {
        IHedgeAdapter.Param param = IHedgeAdapter.Param(paramSeed % SpecBounds.PARAM_COUNT);
        (uint256 min, uint256 max) = SpecBounds.bounds(param);
        uint256 start = _bound(startSeed, min, max);
        _setParam(param, start);
        if (mode % 4 == 0) value = _bound(value, min == 0 ? 0 : min - 1, max + 1);
        else if (mode % 4 == 1) value = _bound(value, min, max);
        else if (mode % 4 == 2) value = start;
        bool stricter = SpecBounds.isStricterOrEqual(param, start, value);
        bool inBounds = SpecBounds.inBounds(param, value);
        if (!stricter) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.GuardianCannotLoosen.selector, param, start, value));
        } else if (!inBounds) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.ParamOutOfBounds.selector, param, value, min, max));
        }
        vm.prank(guardian);
        adapter.tightenParam(param, value);
        assertEq(SpecBounds.read(adapter.params(), param), stricter && inBounds ? value : start);
    }

    /// @notice Property 5: the guardian may pause, but cannot trade, set a parameter, unpause, grant itself a role or
    ///         move collateral; each attempt reverts naming the role it lacks, and the vault's tokens stay put.
    function testFuzz_guardian_cannotTradeSetUnpauseEscalateOrMoveFunds(uint256 actionSeed, uint256 valueSeed) public {
        uint256 action = actionSeed % 8;
        bytes32 needed = bytes32(0); // DEFAULT_ADMIN_ROLE unless set below
        address target = address(adapter);
        bytes memory data;
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(_bound(valueSeed, 1e6, _maxBuyUsdc()));
        TestERC20 token = valueSeed % 2 == 0 ? weth : usdc;
        uint256 amount = _bound(valueSeed >> 1, 1, token.balanceOf(address(vault)));
        if (action == 0) (data, needed) = (abi.encodeCall(adapter.rebalance, (req)), adapter.KEEPER_ROLE());
        else if (action == 1)
            (data, needed) = (abi.encodeCall(adapter.performUpkeep, (abi.encode(req))), adapter.KEEPER_ROLE());
        else if (action == 2) data = abi.encodeCall(adapter.setParam, (IHedgeAdapter.Param.MaxSlippageBps, 500));
        else if (action == 3) data = abi.encodeCall(adapter.unpause, ());
        else if (action == 4) data = abi.encodeCall(adapter.grantRole, (adapter.KEEPER_ROLE(), guardian));
        else if (action == 5)
            (target, data) = (address(vault), abi.encodeCall(vault.grantRole, (vault.HEDGER_ROLE(), guardian)));
        else if (action == 6)
            (target, data) = (address(vault), abi.encodeCall(vault.withdraw, (address(token), amount, guardian)));
        else
            (target, data, needed) = (
                address(vault),
                abi.encodeCall(vault.transferForHedge, (address(token), amount, guardian)),
                vault.HEDGER_ROLE()
            );
        if (action == 3) {
            vm.prank(guardian);
            adapter.pause();
            assertTrue(adapter.paused(), "guardian could not pause");
        }
        uint256 wethBefore = weth.balanceOf(address(vault));
        uint256 usdcBefore = usdc.balanceOf(address(vault));
        vm.prank(guardian);
        (bool ok, bytes memory err) = target.call(data);
        assertFalse(ok, "guardian call succeeded");
        assertEq(
            err,
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, needed)
        );
        assertEq(weth.balanceOf(address(vault)), wethBefore, "vault WETH moved");
        assertEq(usdc.balanceOf(address(vault)), usdcBefore, "vault USDC moved");
        assertEq(weth.balanceOf(guardian) + usdc.balanceOf(guardian), 0, "guardian was paid");
    }
}
