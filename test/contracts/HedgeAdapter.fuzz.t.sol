// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "./support/ForgeTest.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IHedgeAdapter} from "../../contracts/interfaces/IHedgeAdapter.sol";
import {HedgeStack, OracleBound} from "./support/HedgeStack.sol";
import {SpecBounds} from "./support/SpecBounds.sol";
import {TestERC20} from "./support/TestTokens.sol";
import {UniswapV3PoolDouble} from "./support/UniswapV3Doubles.sol";
import {TickPricing} from "./support/TickPricing.sol";
import {RevertingAggregator, RevertingBookVault} from "./support/FaultDoubles.sol";

/// @notice HedgeAdapter, one trade at a time, against a pool that pays a fuzzed amount and never reverts.
/// @dev The fixture vault is short ≈ 34.6 ETH of delta at $3000, outside the default 5 ETH band: a hedge is due.
contract HedgeAdapterFuzzTest is HedgeStack {
    /// @dev Effective minimum trade at the default parameters: min(minTradeWethWad, deltaBandWad) = 0.01 ETH.
    uint256 internal constant MIN_TRADE_WETH = 0.01e18;

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

    /// @dev The USDC worth of the effective minimum trade at the oracle price, rounded up.
    function _minBuyUsdc() internal view returns (uint256) {
        return Math.mulDiv(MIN_TRADE_WETH, oraclePriceWad(), 1e30, Math.Rounding.Ceil);
    }

    function _setSlippage(uint256 slippageBps) internal {
        vm.prank(admin);
        adapter.setParam(IHedgeAdapter.Param.MaxSlippageBps, slippageBps);
    }

    /// @dev Fuzzes which bound binds: slippage 1–500 bps, TWAP deviation 10–1000 bps, and the pool's TWAP placed up to
    ///      90% of the deviation gate away from the oracle (spot stays at the oracle, so spot-vs-TWAP passes too).
    function _fuzzBounds(uint256 slippageSeed, uint256 deviationSeed, int256 offsetSeed) internal {
        _setSlippage(_bound(slippageSeed, 1, 500));
        uint256 deviationBps = _bound(deviationSeed, 10, 1_000);
        _setParam(IHedgeAdapter.Param.MaxPoolDeviationBps, deviationBps);
        int256 maxOffset = int256((deviationBps * 9) / 10);
        int24 offset = int24(_bound(offsetSeed, -maxOffset, maxOffset));
        TickPricing.placePool(pool, oraclePriceWad(), wethIsToken0, offset);
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

    /// @notice minAmountOut is the stricter of the oracle bound and the pool-TWAP bound, each exact.
    function testFuzz_minAmountOut_isTheStricterOfOracleAndTwapBounds(
        bool buyWeth,
        uint256 amountIn,
        uint256 slippageSeed,
        uint256 deviationSeed,
        int256 offsetSeed
    ) public {
        _fuzzBounds(slippageSeed, deviationSeed, offsetSeed);
        amountIn = _bound(amountIn, 1, buyWeth ? 1e15 : 1e24);
        uint256 expected = strictestMinOut(buyWeth, amountIn);
        assertEq(adapter.minAmountOut(buyWeth, amountIn), expected);
        assertGe(expected, adapter.oracleMinAmountOut(buyWeth, amountIn), "weaker than the oracle bound");
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

    /// @notice A fill below either bound (oracle or TWAP, whichever is stricter) is refused by the adapter's own
    ///         measurement, even from a pool that claims otherwise and never reverts.
    function testFuzz_rebalance_rejectsFillBelowEitherBoundWithInsufficientOutput(
        uint256 usdcIn,
        uint256 shortfall,
        uint256 slippageSeed,
        uint256 deviationSeed,
        int256 offsetSeed
    ) public {
        _fuzzBounds(slippageSeed, deviationSeed, offsetSeed);
        usdcIn = _bound(usdcIn, _minBuyUsdc(), _maxBuyUsdc());
        uint256 minOut = strictestMinOut(true, usdcIn);
        uint256 payout = minOut - _bound(shortfall, 1, minOut);
        weth.mint(address(pool), payout);
        // The pool claims it paid the minimum and does not revert: only the adapter's own measurement stops it.
        pool.script(payout, address(0), type(uint256).max);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.InsufficientOutput.selector, payout, minOut));
        vm.prank(keeper);
        adapter.rebalance(req);
    }

    function testFuzz_rebalance_acceptsFillAtOrAboveBothBounds(
        uint256 usdcIn,
        uint256 surplus,
        uint256 slippageSeed,
        uint256 deviationSeed,
        int256 offsetSeed
    ) public {
        _fuzzBounds(slippageSeed, deviationSeed, offsetSeed);
        // Up to half of |delta|: with the pool up to 9% under the oracle, the block-start bound can ask for more WETH
        // than |delta| worth at the oracle, and a fill past zero is a different refusal (Overshoot).
        usdcIn = _bound(usdcIn, _minBuyUsdc(), _maxBuyUsdc() / 2);
        uint256 minOut = strictestMinOut(true, usdcIn);
        uint256 fair = OracleBound.fairOut(true, usdcIn, oraclePriceWad());
        uint256 payout = _bound(surplus, minOut, Math.max(minOut, fair));
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), 0);
        uint256 wethBefore = weth.balanceOf(address(vault));
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.prank(keeper);
        uint256 amountOut = adapter.rebalance(req);
        assertEq(amountOut, payout, "amountOut is the vault's measured receipt, not the pool's claim");
        assertEq(weth.balanceOf(address(vault)) - wethBefore, payout);
        assertEq(adapter.hedgeNonce(), 1);
    }

    /// @notice The swap callback pays only the one pool, and only while the adapter's own swap waits for it.
    function testFuzz_swapCallback_revertsForAnyCallerOrTimeButThePoolsSwap(
        address caller,
        int256 amount0Delta,
        int256 amount1Delta
    ) public {
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.SwapCallbackUnauthorized.selector, caller));
        vm.prank(caller);
        adapter.uniswapV3SwapCallback(amount0Delta, amount1Delta, "");
        // The pool itself, outside a swap of the adapter's, is refused the same way.
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.SwapCallbackUnauthorized.selector, address(pool)));
        vm.prank(address(pool));
        adapter.uniswapV3SwapCallback(amount0Delta, amount1Delta, "");
    }

    /// @notice A pool that asks for more than the amount in, or for the token coming out, gets nothing: the hedge
    ///         reverts and the vault's balances do not move.
    function testFuzz_rebalance_revertsWhenThePoolAsksForMoreOrTheWrongToken(
        uint256 usdcIn,
        uint256 extra,
        bool wrongToken
    ) public {
        usdcIn = _bound(usdcIn, _minBuyUsdc(), _maxBuyUsdc() / 2);
        uint256 payout = strictestMinOut(true, usdcIn) * 2;
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        uint256 usdcBefore = usdc.balanceOf(address(vault));
        if (wrongToken) {
            pool.scriptCallback(UniswapV3PoolDouble.CallbackMode.WrongToken, type(uint256).max);
            // The token going in (USDC) shows as paid out by the pool: nothing is owed in it.
            vm.expectRevert(
                abi.encodeWithSelector(IHedgeAdapter.SwapCallbackAmountInvalid.selector, -int256(payout), usdcIn)
            );
        } else {
            uint256 owed = usdcIn + _bound(extra, 1, 1e30);
            pool.scriptCallback(UniswapV3PoolDouble.CallbackMode.Honest, owed);
            vm.expectRevert(
                abi.encodeWithSelector(IHedgeAdapter.SwapCallbackAmountInvalid.selector, int256(owed), usdcIn)
            );
        }
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(usdc.balanceOf(address(vault)), usdcBefore);
    }

    /// @notice A pool that calls back twice is paid once: the second call is refused and the hedge reverts.
    function test_rebalance_revertsWhenThePoolCallsBackTwice() public {
        uint256 usdcIn = _maxBuyUsdc() / 2;
        uint256 payout = strictestMinOut(true, usdcIn);
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        pool.scriptCallback(UniswapV3PoolDouble.CallbackMode.Twice, type(uint256).max);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.SwapCallbackUnauthorized.selector, address(pool)));
        vm.prank(keeper);
        adapter.rebalance(req);
    }

    /// @notice A fill cut short (the pool takes part of the amount in) still meets the bounds of the whole amount,
    ///         the vault pays only what the pool took, the event and budgets count that, and no token is left
    ///         anywhere but in the vault and the pool.
    function testFuzz_rebalance_partialFillPaysOnlyWhatThePoolTookAndStrandsNothing(
        uint256 usdcIn,
        uint256 takenSeed
    ) public {
        usdcIn = _bound(usdcIn, _minBuyUsdc() * 2, _maxBuyUsdc() / 2);
        uint256 taken = _bound(takenSeed, 1, usdcIn);
        uint256 payout = strictestMinOut(true, usdcIn);
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        pool.scriptCallback(UniswapV3PoolDouble.CallbackMode.Honest, taken);
        uint256 usdcBefore = usdc.balanceOf(address(vault));
        int256 deltaBefore = vault.netDeltaAtWad(oraclePriceWad());
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        vm.expectEmit(true, true, false, false, address(adapter));
        emit IHedgeAdapter.Hedged(0, keeper, true, taken, payout, deltaBefore, 0, 0, 0, 0);
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(usdcBefore - usdc.balanceOf(address(vault)), taken, "the vault paid other than what the pool took");
        assertEq(usdc.balanceOf(address(pool)), taken);
        assertEq(usdc.balanceOf(address(adapter)) + weth.balanceOf(address(adapter)), 0, "tokens stranded");
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

    // ------------------------------------------------------------------ property 2: reduce-only, band, overshoot

    function _setParam(IHedgeAdapter.Param param, uint256 value) internal {
        vm.prank(admin);
        adapter.setParam(param, value);
    }

    /// @dev Band 0.01–40 ETH (sometimes wider than |delta|), overshoot tolerance 0–100 ETH, no size cap.
    function _fuzzBandAndTolerance(uint256 bandSeed, uint256 toleranceSeed) internal {
        _setParam(IHedgeAdapter.Param.DeltaBandWad, _bound(bandSeed, 0.01e18, 40e18));
        _setParam(IHedgeAdapter.Param.OvershootToleranceWad, _bound(toleranceSeed, 0, 100e18));
        _setParam(IHedgeAdapter.Param.MaxTradeWethWad, 10_000e18);
    }

    /// @dev The outcome the spec demands for a hedge that moves net delta from `deltaBefore` to `deltaAfter`: refused
    ///      inside the band, refused unless |delta| shrinks, refused past zero by more than min(tolerance, band / 2).
    function _expectReduceOnlyOutcome(
        int256 deltaBefore,
        int256 deltaAfter,
        bool buyWeth
    ) internal returns (bool accepted) {
        IHedgeAdapter.Params memory p = adapter.params();
        uint256 tolerance = Math.min(p.overshootToleranceWad, p.deltaBandWad / 2);
        bool crossed = (deltaBefore < 0 && deltaAfter > 0) || (deltaBefore > 0 && deltaAfter < 0);
        if (SignedMath.abs(deltaBefore) <= p.deltaBandWad) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.InsideBand.selector, deltaBefore, p.deltaBandWad));
        } else if (SignedMath.abs(deltaAfter) >= SignedMath.abs(deltaBefore)) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.NotReducing.selector, deltaBefore, buyWeth));
        } else if (crossed && SignedMath.abs(deltaAfter) > tolerance) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.Overshoot.selector, deltaAfter, tolerance));
        } else {
            return true;
        }
    }

    /// @notice Buy side (vault short delta): the WETH the pool delivers raises net delta by exactly that amount; the
    ///         hedge lands only from outside the band, if |delta| shrinks, and crossing zero by at most the tolerance.
    function testFuzz_rebalance_buyIsReduceOnly(
        uint256 usdcIn,
        uint256 payoutSeed,
        uint256 bandSeed,
        uint256 toleranceSeed
    ) public {
        _fuzzBandAndTolerance(bandSeed, toleranceSeed);
        uint256 priceWad = oraclePriceWad();
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        assertLt(deltaBefore, 0, "fixture: the vault is short delta");
        uint256 absBefore = uint256(-deltaBefore);
        usdcIn = _bound(usdcIn, _minBuyUsdc(), Math.mulDiv((absBefore * 3) / 2, priceWad, 1e30));
        uint256 minOut = strictestMinOut(true, usdcIn);
        // From the fill bound up to 2.5 |delta|: short of zero, across it within the tolerance, past it, and past -delta.
        uint256 payout = _bound(payoutSeed, minOut, Math.max(minOut, (absBefore * 5) / 2));
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        int256 deltaAfter = deltaBefore + int256(payout);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        bool accepted = _expectReduceOnlyOutcome(deltaBefore, deltaAfter, true);
        vm.prank(keeper);
        adapter.rebalance(req);
        assertEq(vault.netDeltaAtWad(priceWad), accepted ? deltaAfter : deltaBefore, "net delta after the hedge");
    }

    /// @notice Sell side (vault long delta): selling `amountIn` WETH lowers net delta by exactly that; the adapter
    ///         refuses a sale inside the band, one that grows |delta|, or one that crosses zero past the tolerance.
    function testFuzz_rebalance_sellIsReduceOnly(
        uint256 extraWethSeed,
        uint256 wethIn,
        uint256 bandSeed,
        uint256 toleranceSeed
    ) public {
        _fuzzBandAndTolerance(bandSeed, toleranceSeed);
        uint256 priceWad = oraclePriceWad();
        // Enough extra WETH collateral to put the vault long 0.01–200 ETH of delta.
        uint256 shortAbs = uint256(-vault.netDeltaAtWad(priceWad));
        weth.mint(address(vault), shortAbs + _bound(extraWethSeed, 0.01e18, 200e18));
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        assertGt(deltaBefore, 0, "setup: the vault is long delta");
        wethIn = _bound(
            wethIn,
            MIN_TRADE_WETH,
            Math.min((uint256(deltaBefore) * 5) / 2, weth.balanceOf(address(vault)))
        );
        uint256 payout = strictestMinOut(false, wethIn);
        usdc.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
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

    /// @notice From outside the band, a hedge in the direction that adds to |delta| is refused before any token moves.
    function testFuzz_rebalance_refusesTheDirectionThatGrowsDelta(uint256 extraWethSeed, uint256 amountSeed) public {
        weth.mint(address(vault), _bound(extraWethSeed, 0, 200e18));
        uint256 priceWad = oraclePriceWad();
        int256 deltaBefore = vault.netDeltaAtWad(priceWad);
        vm.assume(SignedMath.abs(deltaBefore) > adapter.params().deltaBandWad);
        bool buyWeth = deltaBefore > 0; // the wrong way
        uint256 maxTrade = adapter.params().maxTradeWethWad;
        uint256 amountIn =
            buyWeth
                ? _bound(amountSeed, _minBuyUsdc(), Math.mulDiv(maxTrade, priceWad, 1e30))
                : _bound(amountSeed, MIN_TRADE_WETH, Math.min(maxTrade, weth.balanceOf(address(vault))));
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

    /// @notice A trade's WETH equivalent must lie in [min(minTradeWethWad, band), maxTradeWethWad]: TradeTooSmall below,
    ///         TradeTooLarge above, accepted in between (a buy of at most |delta| at a fill on the bound).
    function testFuzz_rebalance_tradeSizeBetweenMinAndMax(
        uint256 wethSizeSeed,
        uint256 minTradeSeed,
        uint256 maxTradeSeed
    ) public {
        _setParam(IHedgeAdapter.Param.MinTradeWethWad, _bound(minTradeSeed, 0.001e18, 100e18));
        _setParam(IHedgeAdapter.Param.MaxTradeWethWad, _bound(maxTradeSeed, 0.01e18, 40e18));
        IHedgeAdapter.Params memory p = adapter.params();
        uint256 priceWad = oraclePriceWad();
        uint256 usdcIn = _bound(wethSizeSeed, 1, _maxBuyUsdc());
        uint256 wethEquivalent = Math.mulDiv(usdcIn, 1e30, priceWad);
        uint256 minTrade = Math.min(p.minTradeWethWad, p.deltaBandWad);
        uint256 payout = strictestMinOut(true, usdcIn);
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        IHedgeAdapter.RebalanceRequest memory req = _buyRequest(usdcIn);
        if (wethEquivalent > p.maxTradeWethWad) {
            vm.expectRevert(
                abi.encodeWithSelector(IHedgeAdapter.TradeTooLarge.selector, wethEquivalent, p.maxTradeWethWad)
            );
        } else if (wethEquivalent < minTrade) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.TradeTooSmall.selector, wethEquivalent, minTrade));
        }
        vm.prank(keeper);
        adapter.rebalance(req);
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

/// @notice HedgeAdapter's rolling budgets, Chainlink Automation entry points and their refusals, on the doubles.
contract HedgeAdapterBudgetAndUpkeepFuzzTest is HedgeStack {
    uint256 internal constant FAULT_ETH_FEED_STALE = 1 << 0;
    uint256 internal constant FAULT_ETH_FEED_REVERTS = 1 << 1;
    uint256 internal constant FAULT_USDC_FEED_STALE = 1 << 2;
    uint256 internal constant FAULT_USDC_FEED_REVERTS = 1 << 3;
    uint256 internal constant FAULT_OBSERVE_REVERTS = 1 << 4;
    uint256 internal constant FAULT_VAULT_REVERTS = 1 << 5;
    uint256 internal constant FAULT_USDC_DEPEGGED = 1 << 6;
    uint256 internal constant FAULT_PAUSED = 1 << 7;
    uint256 internal constant FAULT_POOL_OFF_ORACLE = 1 << 8;
    uint256 internal constant FAULT_COUNT = 9;

    function setUp() public {
        deployStack(false);
    }

    function _setParam(IHedgeAdapter.Param param, uint256 value) internal {
        vm.prank(admin);
        adapter.setParam(param, value);
    }

    /// @dev A buy of `wethSize` (≤ |delta|) filled exactly at the stricter bound; returns its oracle-priced loss.
    function _hedgeAtTheBound(uint256 wethSize) internal returns (uint256 lossUsdWad) {
        uint256 priceWad = oraclePriceWad();
        uint256 usdcIn = Math.mulDiv(wethSize, priceWad, 1e30);
        uint256 payout = strictestMinOut(true, usdcIn);
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        uint64 nonce = adapter.hedgeNonce();
        vm.prank(keeper);
        adapter.rebalance(IHedgeAdapter.RebalanceRequest(true, usdcIn, 0, block.timestamp, nonce));
        uint256 outUsd = Math.mulDiv(payout, priceWad, 1e18);
        return usdcIn * 1e12 > outUsd ? usdcIn * 1e12 - outUsd : 0;
    }

    /// @dev Available budget the spec demands `elapsed` seconds after `used` was recorded: budget − (used − recharge)⁺,
    ///      recharge = budget × elapsed / window (rounded down), full after one window.
    function _expectedAvailable(
        uint256 used,
        uint256 budget,
        uint256 elapsed,
        uint256 window
    ) internal pure returns (uint256) {
        uint256 recharge = elapsed >= window ? budget : Math.mulDiv(budget, elapsed, window);
        uint256 stillUsed = used > recharge ? used - recharge : 0;
        return budget > stillUsed ? budget - stillUsed : 0;
    }

    // ------------------------------------------------------------------ rolling budgets

    /// @notice Both budgets recharge linearly: available budget is monotone in elapsed time, never above the budget,
    ///         exactly the linear model at every point, and full once one window has passed.
    function testFuzz_budgets_rechargeLinearlyAndMonotonically(
        uint256 wethSizeSeed,
        uint256 windowSeed,
        uint256 elapsedA,
        uint256 elapsedB
    ) public {
        uint256 window = _bound(windowSeed, 1 hours, 7 days);
        _setParam(IHedgeAdapter.Param.BudgetWindowSec, window);
        _setParam(IHedgeAdapter.Param.TurnoverBudgetWethWad, 40e18);
        _setParam(IHedgeAdapter.Param.LossBudgetUsdWad, 600e18);
        uint256 wethSize = _bound(wethSizeSeed, 0.01e18, 30e18);
        uint256 loss = _hedgeAtTheBound(wethSize);
        uint256 turnover = Math.mulDiv(Math.mulDiv(wethSize, oraclePriceWad(), 1e30), 1e30, oraclePriceWad());
        (uint256 lossLeft0, uint256 turnoverLeft0) = adapter.budgetsAvailable();
        assertEq(lossLeft0, 600e18 - loss, "loss charged is the fill's shortfall against the oracle");
        assertEq(turnoverLeft0, 40e18 - turnover, "turnover charged is the trade's WETH equivalent");

        (elapsedA, elapsedB) = (_bound(elapsedA, 0, 2 * window), _bound(elapsedB, 0, 2 * window));
        if (elapsedA > elapsedB) (elapsedA, elapsedB) = (elapsedB, elapsedA);
        Spent memory spent = Spent(block.timestamp, loss, turnover, window);
        (uint256 lossA, uint256 turnoverA) = _availableAfter(spent, elapsedA);
        (uint256 lossB, uint256 turnoverB) = _availableAfter(spent, elapsedB);
        assertLe(lossA, lossB, "loss budget not monotone in elapsed time");
        assertLe(turnoverA, turnoverB, "turnover budget not monotone in elapsed time");
        assertLe(lossB, 600e18, "loss budget above its cap");
        assertLe(turnoverB, 40e18, "turnover budget above its cap");
        (uint256 lossFull, uint256 turnoverFull) = _availableAfter(spent, window);
        assertEq(lossFull, 600e18, "loss budget not full after one window");
        assertEq(turnoverFull, 40e18, "turnover budget not full after one window");
    }

    struct Spent {
        uint256 at;
        uint256 lossUsdWad;
        uint256 turnoverWethWad;
        uint256 window;
    }

    /// @dev budgetsAvailable() `elapsed` seconds after the spend, checked against the linear model (600 USD, 40 WETH).
    function _availableAfter(Spent memory s, uint256 elapsed) internal returns (uint256 loss, uint256 turnover) {
        vm.warp(s.at + elapsed);
        (loss, turnover) = adapter.budgetsAvailable();
        assertEq(loss, _expectedAvailable(s.lossUsdWad, 600e18, elapsed, s.window), "loss recharge");
        assertEq(turnover, _expectedAvailable(s.turnoverWethWad, 40e18, elapsed, s.window), "turnover recharge");
    }

    /// @notice A hedge larger than the turnover left is refused with TurnoverBudgetExceeded, naming what is left.
    function testFuzz_rebalance_refusesTurnoverBeyondTheBudgetLeft(uint256 budgetSeed, uint256 wethSizeSeed) public {
        uint256 budget = _bound(budgetSeed, 0.01e18, 30e18);
        _setParam(IHedgeAdapter.Param.TurnoverBudgetWethWad, budget);
        uint256 wethSize = _bound(wethSizeSeed, 0.01e18, 34e18);
        uint256 usdcIn = Math.mulDiv(wethSize, oraclePriceWad(), 1e30);
        uint256 equivalent = Math.mulDiv(usdcIn, 1e30, oraclePriceWad());
        vm.assume(equivalent >= 0.01e18);
        uint256 payout = strictestMinOut(true, usdcIn);
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        if (equivalent > budget) {
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.TurnoverBudgetExceeded.selector, equivalent, budget));
        }
        vm.prank(keeper);
        adapter.rebalance(IHedgeAdapter.RebalanceRequest(true, usdcIn, 0, block.timestamp, 0));
    }

    /// @notice A fill whose shortfall against the oracle exceeds the loss budget left is undone with LossBudgetExceeded.
    function testFuzz_rebalance_refusesLossBeyondTheBudgetLeft(uint256 budgetSeed, uint256 wethSizeSeed) public {
        uint256 budget = _bound(budgetSeed, 1e18, 500e18);
        _setParam(IHedgeAdapter.Param.LossBudgetUsdWad, budget);
        uint256 priceWad = oraclePriceWad();
        uint256 usdcIn = Math.mulDiv(_bound(wethSizeSeed, 0.01e18, 34e18), priceWad, 1e30);
        uint256 payout = strictestMinOut(true, usdcIn);
        uint256 outUsd = Math.mulDiv(payout, priceWad, 1e18);
        uint256 loss = usdcIn * 1e12 > outUsd ? usdcIn * 1e12 - outUsd : 0;
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        if (loss > budget)
            vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.LossBudgetExceeded.selector, loss, budget));
        vm.prank(keeper);
        adapter.rebalance(IHedgeAdapter.RebalanceRequest(true, usdcIn, 0, block.timestamp, 0));
        (uint256 lossLeft, ) = adapter.budgetsAvailable();
        assertEq(lossLeft, loss > budget ? budget : budget - loss, "loss budget after the hedge");
    }

    // ------------------------------------------------------------------ checkUpkeep / performUpkeep

    /// @dev Applies each fault in `faults` (a bitmask of FAULT_*); code replacements last, after every read they break.
    function _applyFaults(uint256 faults, uint256 seed) internal {
        IHedgeAdapter.Params memory p = adapter.params();
        if (faults & FAULT_POOL_OFF_ORACLE != 0) {
            int24 offset = int24(int256(uint256(p.maxPoolDeviationBps) + 5 + ((seed >> 128) % 2_000)));
            TickPricing.placePool(pool, oraclePriceWad(), wethIsToken0, (seed >> 160) % 2 == 0 ? offset : -offset);
        }
        if (faults & FAULT_ETH_FEED_STALE != 0) {
            uint256 age = p.maxOracleAgeSec + 1 + (seed % 1 days);
            feed.updateRoundData(9, START_PRICE_E8, block.timestamp - age, block.timestamp - age);
        }
        if (faults & FAULT_USDC_DEPEGGED != 0) {
            int256 offE8 = int256((uint256(p.maxUsdcDepegBps) + 1) * 1e4 + ((seed >> 64) % 1e7));
            usdcFeed.updateAnswer((seed >> 96) % 2 == 0 ? 1e8 + offE8 : 1e8 - offE8);
        }
        if (faults & FAULT_USDC_FEED_STALE != 0) {
            uint256 age = p.maxUsdcOracleAgeSec + 1 + ((seed >> 32) % 1 days);
            usdcFeed.updateRoundData(9, 1e8, block.timestamp - age, block.timestamp - age);
        }
        if (faults & FAULT_OBSERVE_REVERTS != 0) pool.setObserveReverts(true);
        if (faults & FAULT_PAUSED != 0) {
            vm.prank(guardian);
            adapter.pause();
        }
        if (faults & FAULT_ETH_FEED_REVERTS != 0) vm.etch(address(feed), address(new RevertingAggregator()).code);
        if (faults & FAULT_USDC_FEED_REVERTS != 0) {
            vm.etch(address(usdcFeed), address(new RevertingAggregator()).code);
        }
        if (faults & FAULT_VAULT_REVERTS != 0) vm.etch(address(vault), address(new RevertingBookVault()).code);
    }

    /// @notice checkUpkeep never reverts, whatever combination of faults: stale or reverting ETH/USD and USDC/USD
    ///         feeds, a pool whose observe reverts, a vault whose netDeltaAtWad reverts, USDC off its peg, a pause,
    ///         or a pool off the oracle. With any fault it answers false with empty data; with none, a hedge is due.
    function testFuzz_checkUpkeep_neverRevertsAndRefusesUnderAnyFault(uint256 faultSeed, uint256 seed) public {
        uint256 faults = faultSeed % (1 << FAULT_COUNT);
        _applyFaults(faults, seed);
        (bool ok, bytes memory result) = address(adapter).staticcall(abi.encodeCall(adapter.checkUpkeep, ("")));
        assertTrue(ok, "checkUpkeep reverted");
        (bool needed, bytes memory performData) = abi.decode(result, (bool, bytes));
        assertEq(needed, faults == 0, "upkeepNeeded");
        if (!needed) assertEq(performData.length, 0, "performData without an upkeep");
    }

    /// @notice performUpkeep derives the trade on-chain: whatever direction, amount, minimum and deadline the hint
    ///         carries (with the current nonce), it trades exactly what checkUpkeep proposes.
    function testFuzz_performUpkeep_ignoresTheHintsAmount(
        bool hintBuys,
        uint256 hintAmount,
        uint256 hintMinOut,
        uint256 hintDeadline
    ) public {
        (bool needed, bytes memory performData) = adapter.checkUpkeep("");
        assertTrue(needed, "fixture: a hedge is due");
        IHedgeAdapter.RebalanceRequest memory derived = abi.decode(performData, (IHedgeAdapter.RebalanceRequest));
        uint256 payout = strictestMinOut(derived.buyWeth, derived.amountIn);
        (derived.buyWeth ? weth : usdc).mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        bytes memory hint = abi.encode(
            IHedgeAdapter.RebalanceRequest(hintBuys, hintAmount, hintMinOut, hintDeadline, adapter.hedgeNonce())
        );
        (TestERC20 tokenIn, TestERC20 tokenOut) = derived.buyWeth ? (usdc, weth) : (weth, usdc);
        uint256 inBefore = tokenIn.balanceOf(address(vault));
        uint256 outBefore = tokenOut.balanceOf(address(vault));
        vm.prank(keeper);
        adapter.performUpkeep(hint);
        assertEq(inBefore - tokenIn.balanceOf(address(vault)), derived.amountIn, "traded another amount");
        assertEq(tokenOut.balanceOf(address(vault)) - outBefore, payout, "received");
        assertEq(adapter.hedgeNonce(), 1);
    }

    /// @notice performUpkeep data that is not exactly one encoded RebalanceRequest is refused, naming its length.
    function testFuzz_performUpkeep_rejectsMalformedData(bytes calldata data) public {
        vm.assume(data.length != 160);
        vm.expectRevert(abi.encodeWithSelector(IHedgeAdapter.MalformedPerformData.selector, data.length));
        vm.prank(keeper);
        adapter.performUpkeep(data);
    }

    /// @notice Inside the band checkUpkeep answers false and performUpkeep, whatever its hint, is refused.
    function testFuzz_performUpkeep_refusesWhenNoHedgeIsDue(uint256 insideSeed, uint256 hintAmount) public {
        int256 delta = vault.netDeltaAtWad(oraclePriceWad());
        // Deposit enough WETH to put net delta anywhere in [-band, +band].
        uint256 band = adapter.params().deltaBandWad;
        weth.mint(address(vault), uint256(-delta) - band + _bound(insideSeed, 0, 2 * band));
        (bool needed, ) = adapter.checkUpkeep("");
        assertFalse(needed, "upkeep due inside the band");
        bytes memory hint = abi.encode(
            IHedgeAdapter.RebalanceRequest(false, hintAmount, 0, block.timestamp, adapter.hedgeNonce())
        );
        vm.expectRevert(IHedgeAdapter.NoUpkeepNeeded.selector);
        vm.prank(keeper);
        adapter.performUpkeep(hint);
    }

    // ------------------------------------------------------------------ regressions of bugs found by these suites

    /// @notice setParam(TwapWindowSec, 0) reverts with ParamOutOfBounds like every other out-of-bounds value (it
    ///         used to panic with a division by zero: the pool was probed over the new window before the bounds check).
    function test_setParam_zeroTwapWindowIsOutOfBounds() public {
        (uint256 min, uint256 max) = adapter.paramBounds(IHedgeAdapter.Param.TwapWindowSec);
        vm.expectRevert(
            abi.encodeWithSelector(
                IHedgeAdapter.ParamOutOfBounds.selector,
                IHedgeAdapter.Param.TwapWindowSec,
                0,
                min,
                max
            )
        );
        vm.prank(admin);
        adapter.setParam(IHedgeAdapter.Param.TwapWindowSec, 0);
    }

    /// @notice checkUpkeep never reverts: with the pool's spot pushed to the end of Uniswap's range (sqrtPriceX96 just
    ///         above MIN_SQRT_RATIO, where the raw price rounds to zero) while its TWAP still matches the oracle, it
    ///         answers false (it used to revert with PoolPriceOutOfRange(0)).
    function test_checkUpkeep_answersFalseWhenThePoolSpotIsPushedToTheEndOfItsRange() public {
        pool.setSlot0(4_295_128_740, -887_272);
        (bool ok, bytes memory result) = address(adapter).staticcall(abi.encodeCall(adapter.checkUpkeep, ("")));
        assertTrue(ok, "checkUpkeep reverted");
        (bool needed, ) = abi.decode(result, (bool, bytes));
        assertFalse(needed, "upkeep due against a pool pushed to the end of its range");
    }

    /// @notice Liveness: checkUpkeep's own proposal lands when the pool trades below the oracle by more than its fee
    ///         (allowed up to maxPoolDeviationBps). Sized at the oracle price, a buy of |delta| would fill past zero and
    ///         revert with Overshoot (a vault short ≈ 54.6 ETH, pool 2.5% under the oracle: ≈ +1.3 ETH against a 1 ETH
    ///         tolerance); sized at the lowest of the oracle, spot and block-start prices it stays short of zero.
    function test_performUpkeep_landsItsOwnProposalWhenThePoolTradesBelowTheOracle() public {
        _setParam(IHedgeAdapter.Param.MaxTradeWethWad, 100e18);
        uint256 held = weth.balanceOf(address(vault));
        vm.prank(admin);
        vault.withdraw(address(weth), held, admin);
        // 250 ticks ≈ 2.5% cheaper ETH (with USDC as token0, a higher tick is a lower ETH price).
        TickPricing.placePool(pool, oraclePriceWad(), wethIsToken0, wethIsToken0 ? int24(-250) : int24(250));
        assertLt(poolTwapWad(), (oraclePriceWad() * 9_760) / 10_000, "setup: pool 2.4%+ under the oracle");
        (bool needed, bytes memory performData) = adapter.checkUpkeep("");
        assertTrue(needed, "setup: a hedge is due and every guard passes");
        IHedgeAdapter.RebalanceRequest memory proposed = abi.decode(performData, (IHedgeAdapter.RebalanceRequest));
        // An honest fill at the pool's TWAP, less the 0.05% pool fee.
        uint256 payout = (OracleBound.fairOut(true, proposed.amountIn, poolTwapWad()) * 9_995) / 10_000;
        weth.mint(address(pool), payout);
        pool.script(payout, address(0), type(uint256).max);
        vm.prank(keeper);
        adapter.performUpkeep(performData);
        assertEq(adapter.hedgeNonce(), 1, "checkUpkeep's own proposal did not land");
    }
}
