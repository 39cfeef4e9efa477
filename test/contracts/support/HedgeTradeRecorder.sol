// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {HedgeAdapter} from "../../../contracts/HedgeAdapter.sol";
import {OptionsVault} from "../../../contracts/OptionsVault.sol";
import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";
import {IUniswapV3PoolMinimal} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";
import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";
import {FillBounds} from "./HedgeStack.sol";
import {TestERC20} from "./TestTokens.sol";

/// @notice Base of the invariant handlers: sends a hedge as a given caller and judges the outcome against an
///         independent model, recording every violation in a ghost counter that an invariant asserts is zero.
abstract contract HedgeTradeRecorder is CommonBase {
    HedgeAdapter internal immutable adapter;
    OptionsVault internal immutable vault;
    MockV3Aggregator internal immutable feed;
    MockV3Aggregator internal immutable usdcFeed;
    IUniswapV3PoolMinimal internal immutable hedgePool;
    TestERC20 internal immutable weth;
    TestERC20 internal immutable usdc;
    bytes32 internal immutable keeperRole;
    bool internal immutable wethIsToken0;

    // ---- ghost violations: every one must stay 0
    uint256 public ghostFillsBelowOracleBound;
    uint256 public ghostFillsBelowTwapBound;
    uint256 public ghostFillsBelowKeeperMin;
    uint256 public ghostMisreportedAmountOut;
    /// @dev A hedge after which |net delta| was not strictly smaller.
    uint256 public ghostReduceOnlyViolations;
    /// @dev A hedge that crossed zero by more than min(overshootToleranceWad, deltaBandWad / 2).
    uint256 public ghostOvershoots;
    /// @dev A hedge that landed while |net delta| before it was within the band.
    uint256 public ghostHedgesInsideBand;
    /// @dev A hedge that landed before `cooldownEndsAt`, or in the block of the previous one.
    uint256 public ghostRateLimitBypasses;
    /// @dev A hedge after which `cooldownEndsAt` is not now + cooldown (ended inside the band) or now (outside).
    uint256 public ghostCooldownMisstarted;
    /// @dev A hedge that landed with USDC off its peg, the pool's spot off its TWAP, or its TWAP off the oracle.
    uint256 public ghostPriceGuardBypasses;
    /// @dev An upkeep that traded another amount or direction than the one the contract derives (not the hint's).
    uint256 public ghostUpkeepTradeNotDerived;
    /// @dev A hedge after which the vault had paid more of the token going in than the request's amount in.
    uint256 public ghostPaidAboveAmountIn;
    /// @dev A window [t_i, t_j] whose spend exceeded budget × (1 + (t_j − t_i) / window).
    uint256 public ghostLossBudgetOverspends;
    uint256 public ghostTurnoverBudgetOverspends;
    uint256 public ghostNonKeeperTrades;
    uint256 public ghostTradesWhilePaused;
    // ---- ghost model: successful hedges by KEEPER_ROLE holders
    uint256 public ghostKeeperTrades;
    /// @dev Largest spend-to-bound ratio seen (bps) across budget windows: shows the budgets were actually exercised.
    uint256 public ghostMaxBudgetUseBps;
    // ---- coverage: refused hedges by revert selector (Error(string) = 0x08c379a0 for the router's messages)
    mapping(bytes4 selector => uint256) public ghostRejections;

    /// @dev One accepted hedge's charge to the rolling budgets.
    struct Spend {
        uint256 timestamp;
        uint256 lossUsdWad;
        uint256 turnoverWethWad;
    }

    /// @dev Accepted hedges since the budget parameters last changed (a change starts a new accounting regime).
    Spend[] internal spends;

    /// @dev Pre-trade state (a struct keeps the stack shallow).
    struct Pre {
        bool isKeeper;
        bool paused;
        uint256 priceWad;
        uint256 twapWad; // 0 when the pool cannot answer the window
        uint256 blockStartWad; // the pool's one-second TWAP: its price when the block began; 0 when unavailable
        uint256 spotWad;
        uint256 usdcWad;
        int256 deltaBefore;
        uint256 outBefore;
        uint256 inBefore;
        uint64 cooldownEndsAt;
        uint64 lastHedgeBlock;
        IHedgeAdapter.Params params;
    }

    constructor(HedgeAdapter adapter_) {
        adapter = adapter_;
        vault = OptionsVault(adapter_.vault());
        feed = MockV3Aggregator(vault.priceFeed());
        usdcFeed = MockV3Aggregator(address(adapter_.usdcFeed()));
        hedgePool = IUniswapV3PoolMinimal(adapter_.pool());
        weth = TestERC20(vault.weth());
        usdc = TestERC20(vault.usdc());
        keeperRole = adapter_.KEEPER_ROLE();
        wethIsToken0 = hedgePool.token0() == address(weth);
    }

    function spendCount() external view returns (uint256) {
        return spends.length;
    }

    /// @dev A keeper that picks its moment: next block, past the cooldown, on fresh Chainlink answers.
    function _waitForHedgeWindow() internal {
        uint256 readyAt = adapter.cooldownEndsAt();
        if (block.timestamp < readyAt) vm.warp(readyAt);
        vm.roll(block.number + 1);
        feed.updateAnswer(feed.latestAnswer());
        usdcFeed.updateAnswer(usdcFeed.latestAnswer());
    }

    /// @dev WETH collateral arrives (a deposit) or leaves (an admin withdrawal): the vault's delta moves with it.
    function _moveCollateral(uint256 amountSeed, bool deposit, address admin) internal {
        if (deposit) {
            weth.mint(address(vault), 0.01e18 + (amountSeed % 300e18));
        } else {
            uint256 held = weth.balanceOf(address(vault));
            if (held == 0) return;
            vm.prank(admin);
            vault.withdraw(address(weth), 1 + (amountSeed % held), admin);
        }
    }

    /// @dev The budget parameters changed: windows that straddle the change are judged by no single budget.
    function _startBudgetRegime() internal {
        delete spends;
    }

    /// @dev Sends `req` as `actor` through `rebalance`, or, when `hint` is non-empty, through `performUpkeep(hint)`,
    ///         in which case `req` is the trade the contract derives (checkUpkeep's) and the one judged.
    function _trade(address actor, IHedgeAdapter.RebalanceRequest memory req, bytes memory hint) internal {
        Pre memory pre = _readPre(actor, req.buyWeth);
        bool viaUpkeep = hint.length > 0;
        bool ok;
        uint256 amountOut;
        bytes memory err;
        vm.prank(actor);
        if (viaUpkeep) {
            try adapter.performUpkeep(hint) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            try adapter.rebalance(req) returns (uint256 out) {
                (ok, amountOut) = (true, out);
            } catch (bytes memory e) {
                err = e;
            }
        }
        if (!ok) {
            ++ghostRejections[bytes4(err)];
            return;
        }
        (TestERC20 tokenIn, TestERC20 tokenOut) = req.buyWeth ? (usdc, weth) : (weth, usdc);
        uint256 received = tokenOut.balanceOf(address(vault)) - pre.outBefore;
        uint256 paid = pre.inBefore - tokenIn.balanceOf(address(vault));
        if (paid > req.amountIn) ++ghostPaidAboveAmountIn;
        // The vault's tokenIn also fell by exactly the derived amount, or what the pool took of it.
        if (viaUpkeep && paid != _poolTakes(req.amountIn)) ++ghostUpkeepTradeNotDerived;
        _judge(pre, req, received, paid);
        if (!viaUpkeep && amountOut != received) ++ghostMisreportedAmountOut;
    }

    function _readPre(address actor, bool buyWeth) private view returns (Pre memory pre) {
        pre.isKeeper = adapter.hasRole(keeperRole, actor);
        pre.paused = adapter.paused();
        pre.params = adapter.params();
        pre.priceWad = uint256(feed.latestAnswer()) * 1e10;
        pre.usdcWad = uint256(usdcFeed.latestAnswer()) * 1e10;
        (, pre.twapWad) = PoolPriceLib.tryTwapPriceWad(hedgePool, wethIsToken0, pre.params.twapWindowSec);
        (, pre.blockStartWad) = PoolPriceLib.tryTwapPriceWad(hedgePool, wethIsToken0, 1);
        try this.spotPriceWad() returns (uint256 spot) {
            pre.spotWad = spot;
        } catch {}
        pre.deltaBefore = vault.netDeltaAtWad(pre.priceWad);
        (TestERC20 tokenIn, TestERC20 tokenOut) = buyWeth ? (usdc, weth) : (weth, usdc);
        pre.outBefore = tokenOut.balanceOf(address(vault));
        pre.inBefore = tokenIn.balanceOf(address(vault));
        pre.cooldownEndsAt = adapter.cooldownEndsAt();
        pre.lastHedgeBlock = adapter.lastHedgeBlock();
    }

    /// @dev External so that a pool pushed out of the representable range reads as 0 instead of reverting the judge.
    function spotPriceWad() external view returns (uint256) {
        return PoolPriceLib.spotPriceWad(hedgePool, wethIsToken0);
    }

    /// @dev What the pool asks the vault for when a swap of `amountIn` goes in: all of it, unless the pool's fill stops
    ///      short (a handler whose pool is scripted says so).
    function _poolTakes(uint256 amountIn) internal view virtual returns (uint256) {
        return amountIn;
    }

    /// @dev The fill bounds are judged on the request's whole amount in (a fill cut short must still meet them); the
    ///      budgets on what the vault actually paid.
    function _judge(Pre memory pre, IHedgeAdapter.RebalanceRequest memory req, uint256 received, uint256 paid) private {
        if (pre.isKeeper) ++ghostKeeperTrades;
        else ++ghostNonKeeperTrades;
        if (pre.paused) ++ghostTradesWhilePaused;
        // Fill: at least fair value × (1 − maxSlippageBps) at the Chainlink price and at the pool's price when the
        // block began, in exact arithmetic; a hedge without that price counts as below its bound.
        (bool oracleOk, bool poolOk) = FillBounds.holds(
            req.buyWeth,
            req.amountIn,
            received,
            pre.priceWad,
            pre.blockStartWad,
            pre.params
        );
        if (!oracleOk) ++ghostFillsBelowOracleBound;
        if (!poolOk || pre.blockStartWad == 0) ++ghostFillsBelowTwapBound;
        if (received < req.minAmountOut) ++ghostFillsBelowKeeperMin;
        _judgeGuards(pre);
        _judgeDelta(pre);
        _recordSpend(pre, req.buyWeth, paid, received);
    }

    /// @dev Every pre-trade refusal the spec names, checked on the state the hedge actually saw.
    function _judgeGuards(Pre memory pre) private {
        if (SignedMath.abs(pre.deltaBefore) <= pre.params.deltaBandWad) ++ghostHedgesInsideBand;
        if (block.timestamp < pre.cooldownEndsAt || pre.lastHedgeBlock == block.number) ++ghostRateLimitBypasses;
        uint256 dev = pre.params.maxPoolDeviationBps;
        bool guardsHeld =
            _gapBps(pre.usdcWad, 1e18) <= pre.params.maxUsdcDepegBps &&
                pre.twapWad != 0 &&
                pre.spotWad != 0 &&
                _gapBps(pre.twapWad, pre.priceWad) <= dev &&
                _gapBps(pre.spotWad, pre.twapWad) <= dev;
        if (!guardsHeld) ++ghostPriceGuardBypasses;
    }

    /// @dev Reduce-only and overshoot, measured on the vault itself (same block, same oracle price), and the cooldown
    ///      the hedge started.
    function _judgeDelta(Pre memory pre) private {
        int256 deltaAfter = vault.netDeltaAtWad(pre.priceWad);
        uint256 absBefore = SignedMath.abs(pre.deltaBefore);
        uint256 absAfter = SignedMath.abs(deltaAfter);
        bool flipped = (pre.deltaBefore < 0 && deltaAfter > 0) || (pre.deltaBefore > 0 && deltaAfter < 0);
        uint256 tolerance = Math.min(pre.params.overshootToleranceWad, pre.params.deltaBandWad / 2);
        if (absAfter >= absBefore) ++ghostReduceOnlyViolations;
        if (flipped && absAfter > tolerance) ++ghostOvershoots;
        uint256 expectedEnd = block.timestamp + (absAfter <= pre.params.deltaBandWad ? pre.params.cooldownSec : 0);
        if (adapter.cooldownEndsAt() != expectedEnd) ++ghostCooldownMisstarted;
    }

    /// @dev Adds the hedge's charge (turnover: WETH equivalent at the oracle; loss: oracle value in − oracle value out,
    ///      floored at 0) and checks every window that ends with it against budget × (1 + elapsed / window).
    function _recordSpend(Pre memory pre, bool buyWeth, uint256 paid, uint256 received) private {
        uint256 price = pre.priceWad;
        (uint256 inUsd, uint256 outUsd) = buyWeth
            ? (paid * 1e12, Math.mulDiv(received, price, 1e18))
            : (Math.mulDiv(paid, price, 1e18), received * 1e12);
        uint256 turnover = buyWeth ? Math.mulDiv(paid, 1e30, price) : paid;
        spends.push(Spend(block.timestamp, inUsd > outUsd ? inUsd - outUsd : 0, turnover));

        IHedgeAdapter.Params memory p = pre.params;
        uint256 window = p.budgetWindowSec;
        uint256 lossSum;
        uint256 turnoverSum;
        for (uint256 i = spends.length; i > 0; --i) {
            Spend memory s = spends[i - 1];
            lossSum += s.lossUsdWad;
            turnoverSum += s.turnoverWethWad;
            // sum ≤ budget × (window + elapsed) / window, compared exactly.
            uint256 span = window + block.timestamp - s.timestamp;
            if (lossSum * window > p.lossBudgetUsdWad * span) ++ghostLossBudgetOverspends;
            if (turnoverSum * window > p.turnoverBudgetWethWad * span) ++ghostTurnoverBudgetOverspends;
            uint256 useBps = Math.max(
                Math.mulDiv(lossSum * window, 10_000, p.lossBudgetUsdWad * span),
                Math.mulDiv(turnoverSum * window, 10_000, p.turnoverBudgetWethWad * span)
            );
            if (useBps > ghostMaxBudgetUseBps) ghostMaxBudgetUseBps = useBps;
        }
    }

    function _gapBps(uint256 a, uint256 b) private pure returns (uint256) {
        return Math.mulDiv(a > b ? a - b : b - a, 10_000, b);
    }
}
