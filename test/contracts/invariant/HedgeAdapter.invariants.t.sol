// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {HedgeAdapter} from "../../../contracts/HedgeAdapter.sol";
import {HedgeAdapterParams} from "../../../contracts/adapter/HedgeAdapterParams.sol";
import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";
import {IOptionsVault} from "../../../contracts/interfaces/IOptionsVault.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";
import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";
import {HedgeStack, OracleBound, FillBounds} from "../support/HedgeStack.sol";
import {HedgeTradeRecorder} from "../support/HedgeTradeRecorder.sol";
import {TestERC20} from "../support/TestTokens.sol";
import {SpecBounds} from "../support/SpecBounds.sol";
import {TickPricing} from "../support/TickPricing.sol";
import {UniswapV3PoolDouble} from "../support/UniswapV3Doubles.sol";

/// @notice Drives the hedge stack the way a market, a keeper fleet, strangers and governance would: Chainlink
///         price moves, pool TWAP drift, USDC peg moves, time, option writing, collateral moves, pause, role changes,
///         parameter changes, and hedges (via `rebalance` and `performUpkeep` with honest or forged hints) through a
///         pool that may pay anything and ask for anything in its swap callback.
///         Every outcome is checked against an independent model and recorded in ghost counters.
contract HedgeAdapterHandler is HedgeTradeRecorder, StdCheats, StdUtils {
    uint256 internal constant MIN_PRICE_E8 = 100e8;
    uint256 internal constant MAX_PRICE_E8 = 100_000e8;
    uint256 internal constant MAX_SERIES = 6;

    UniswapV3PoolDouble internal immutable pool;
    bytes32 internal immutable guardianRole;
    address internal immutable admin;
    address internal immutable guardian;
    address internal immutable writer;
    address internal immutable counterparty;

    /// @dev [0] keeps KEEPER_ROLE throughout; [1..3] gain and lose it (toggleKeeper); the rest never hold it.
    address[] internal actors;

    // ---- ghost violations (beyond the recorder's): every one must stay 0
    uint256 public ghostOutOfBoundsAccepted;
    uint256 public ghostInBoundsRejected;
    uint256 public ghostGuardianLoosened;
    uint256 public ghostUnauthorizedParamChanges;
    /// @dev A guardian call beyond pause/tighten (trade, setParam, unpause, role grant, collateral move) that succeeded.
    uint256 public ghostGuardianOverreach;
    /// @dev A guardian call after which the vault's WETH or USDC balance had changed.
    uint256 public ghostGuardianFundMoves;
    // ---- coverage: guardian attempts made
    uint256 public ghostGuardianAttempts;

    constructor(
        HedgeAdapter adapter_,
        address admin_,
        address guardian_,
        address writer_,
        address[] memory actors_
    ) HedgeTradeRecorder(adapter_) {
        pool = UniswapV3PoolDouble(adapter_.pool());
        guardianRole = adapter_.GUARDIAN_ROLE();
        admin = admin_;
        guardian = guardian_;
        writer = writer_;
        counterparty = makeAddr("counterparty");
        actors = actors_;
    }

    // ------------------------------------------------------------------ market and time

    /// @notice Chainlink publishes a new price up to ±10% away; the pool follows or is left behind.
    function movePrice(uint256 moveBpsSeed, bool up, bool poolFollows) external {
        uint256 answer = uint256(feed.latestAnswer());
        uint256 moveBps = _bound(moveBpsSeed, 0, 1_000);
        answer = up ? (answer * (10_000 + moveBps)) / 10_000 : (answer * (10_000 - moveBps)) / 10_000;
        answer = _bound(answer, MIN_PRICE_E8, MAX_PRICE_E8);
        feed.updateAnswer(int256(answer));
        if (poolFollows) TickPricing.placePool(pool, answer * 1e10, wethIsToken0, 0);
    }

    /// @notice The pool's TWAP settles a few ticks (≈ bps) from the oracle: mostly inside the deviation guard.
    function driftPool(int256 offsetSeed) external {
        int256 limit = (int256(uint256(adapter.params().maxPoolDeviationBps)) * 5) / 4 + 2;
        int24 offset = int24(_bound(offsetSeed, -limit, limit));
        TickPricing.placePool(pool, uint256(feed.latestAnswer()) * 1e10, wethIsToken0, offset);
    }

    /// @notice Time passes (new blocks); Chainlink may or may not have published since.
    function warp(uint256 secondsSeed, bool oracleHeartbeat) external {
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 3 hours));
        vm.roll(block.number + 1);
        if (oracleHeartbeat) {
            feed.updateAnswer(feed.latestAnswer());
            usdcFeed.updateAnswer(usdcFeed.latestAnswer());
        }
    }

    /// @notice Chainlink USDC/USD publishes: 3 in 4 at the peg, otherwise up to ±5% off it.
    function moveUsdcPeg(uint256 seed) external {
        int256 offE8 = seed % 4 == 0 ? int256(_bound(seed >> 2, 0, 5e6)) : int256(0);
        usdcFeed.updateAnswer((seed >> 1) % 2 == 0 ? 1e8 + offE8 : 1e8 - offE8);
    }

    // ------------------------------------------------------------------ book and collateral

    /// @notice The writer opens a series (up to MAX_SERIES) or resizes/closes a live one.
    function writeOptions(uint256 sizeSeed, uint256 strikeSeed, uint256 expirySeed, bool isCall) external {
        uint256 live = vault.activeSeriesCount();
        int256 size = _bound(int256(sizeSeed), -200e18, 200e18);
        vm.startPrank(writer);
        if (live < MAX_SERIES && (live == 0 || strikeSeed % 2 == 0)) {
            uint256 spotWad = uint256(feed.latestAnswer()) * 1e10;
            uint256 strikeWad = _bound(strikeSeed, spotWad / 2, (spotWad * 3) / 2);
            uint256 expiry = block.timestamp + _bound(expirySeed, 1 hours, 90 days);
            if (size != 0) vault.openSeries(strikeWad, expiry, isCall, 0.8e18, size, counterparty);
        } else if (live > 0) {
            IOptionsVault.SeriesView[] memory book = vault.getActiveSeries(expirySeed % live, 1);
            // 1 in 4: close the position exactly.
            int256 change = strikeSeed % 4 == 0 ? -book[0].sizeWad : size;
            if (change != 0 && book[0].expiry > block.timestamp) vault.adjustPosition(book[0].id, change);
        }
        vm.stopPrank();
    }

    /// @notice WETH collateral arrives (deposit) or leaves (admin withdrawal): the vault's delta moves with it.
    function moveCollateral(uint256 amountSeed, bool deposit) external {
        _moveCollateral(amountSeed, deposit, admin);
    }

    // ------------------------------------------------------------------ roles

    /// @notice The guardian pauses (1 in 5) or the admin unpauses.
    function pauseOrUnpause(uint256 seed) external {
        if (seed % 5 == 0 && !adapter.paused()) {
            vm.prank(guardian);
            adapter.pause();
        } else if (seed % 5 != 0 && adapter.paused()) {
            vm.prank(admin);
            adapter.unpause();
        }
    }

    /// @notice The admin grants or revokes KEEPER_ROLE for one of actors[1..3].
    function toggleKeeper(uint256 actorSeed) external {
        address who = actors[1 + (actorSeed % 3)];
        vm.startPrank(admin);
        if (adapter.hasRole(keeperRole, who)) adapter.revokeRole(keeperRole, who);
        else adapter.grantRole(keeperRole, who);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ governance

    /// @notice The admin (occasionally someone else) sets a parameter to an arbitrary, edge or in-bounds value.
    function setParam(uint256 paramSeed, uint256 value, uint256 mode, uint256 callerSeed) external {
        IHedgeAdapter.Param param = IHedgeAdapter.Param(paramSeed % SpecBounds.PARAM_COUNT);
        (uint256 min, uint256 max) = SpecBounds.bounds(param);
        if (mode % 4 == 1) value = _bound(value, min == 0 ? 0 : min - 1, max + 1);
        else if (mode % 4 > 1) value = _bound(value, min, max);
        address caller = callerSeed % 8 == 0 ? _actor(callerSeed >> 3) : admin;
        vm.prank(caller);
        try adapter.setParam(param, value) {
            if (caller != admin) ++ghostUnauthorizedParamChanges;
            if (value < min || value > max) ++ghostOutOfBoundsAccepted;
            if (SpecBounds.isBudgetParam(param)) _startBudgetRegime();
        } catch {
            if (caller == admin && value >= min && value <= max) ++ghostInBoundsRejected;
        }
    }

    /// @notice The guardian (occasionally someone else) tries to move a parameter, stricter or looser.
    function tightenParam(uint256 paramSeed, uint256 value, uint256 mode, uint256 callerSeed) external {
        IHedgeAdapter.Param param = IHedgeAdapter.Param(paramSeed % SpecBounds.PARAM_COUNT);
        (uint256 min, uint256 max) = SpecBounds.bounds(param);
        uint256 current = SpecBounds.read(adapter.params(), param);
        if (mode % 4 == 1) value = _bound(value, 0, current * 2 + 2);
        else if (mode % 4 == 2) value = _bound(value, min, current);
        else if (mode % 4 == 3) value = _bound(value, current, max);
        address caller = callerSeed % 8 == 0 ? _actor(callerSeed >> 3) : guardian;
        vm.prank(caller);
        try adapter.tightenParam(param, value) {
            if (!adapter.hasRole(guardianRole, caller)) ++ghostUnauthorizedParamChanges;
            uint256 afterValue = SpecBounds.read(adapter.params(), param);
            if (!SpecBounds.isStricterOrEqual(param, current, afterValue)) ++ghostGuardianLoosened;
            if (afterValue < min || afterValue > max) ++ghostOutOfBoundsAccepted;
            if (SpecBounds.isBudgetParam(param)) _startBudgetRegime();
        } catch {}
    }

    /// @notice The guardian tries, by `actionSeed` % 7, what it must never be able to do: 0 hedge via `rebalance`,
    ///         1 via `performUpkeep`, 2 `setParam` (any in-bounds value), 3 `unpause` (after pausing, which it may),
    ///         4 grant itself KEEPER_ROLE or DEFAULT_ADMIN_ROLE on the adapter or HEDGER_ROLE on the vault,
    ///         5 `vault.withdraw`, 6 `vault.transferForHedge`. Every one must fail and leave the vault's tokens in place.
    function guardianOverreach(uint256 actionSeed, uint256 valueSeed) external {
        uint256 action = actionSeed % 7;
        (address target, bytes memory data) = _guardianCall(action, valueSeed);
        if (action == 3 && !adapter.paused()) {
            vm.prank(guardian);
            adapter.pause();
        }
        uint256 wethBefore = weth.balanceOf(address(vault));
        uint256 usdcBefore = usdc.balanceOf(address(vault));
        ++ghostGuardianAttempts;
        vm.prank(guardian);
        (bool ok, ) = target.call(data);
        if (ok) ++ghostGuardianOverreach;
        if (weth.balanceOf(address(vault)) != wethBefore || usdc.balanceOf(address(vault)) != usdcBefore) {
            ++ghostGuardianFundMoves;
        }
    }

    function _guardianCall(uint256 action, uint256 valueSeed) internal returns (address, bytes memory) {
        if (action <= 1) {
            // A request a keeper could send right now, and a pool that would fill it at the fair price.
            uint256 priceWad = uint256(feed.latestAnswer()) * 1e10;
            int256 delta = vault.netDeltaAtWad(priceWad);
            uint256 wethSize = Math.min(SignedMath.abs(delta) / 2 + 1, adapter.params().maxTradeWethWad);
            IHedgeAdapter.RebalanceRequest memory req;
            req.buyWeth = delta < 0;
            req.amountIn = req.buyWeth ? Math.mulDiv(wethSize, priceWad, 1e30) + 1 : wethSize;
            req.deadline = block.timestamp + 60;
            req.expectedNonce = adapter.hedgeNonce();
            _scriptPool(req, 4 + (1 << 3) + (1 << 7));
            return
                action == 0
                    ? (address(adapter), abi.encodeCall(HedgeAdapter.rebalance, (req)))
                    : (address(adapter), abi.encodeCall(HedgeAdapter.performUpkeep, (abi.encode(req))));
        }
        if (action == 2) {
            IHedgeAdapter.Param param = IHedgeAdapter.Param(valueSeed % SpecBounds.PARAM_COUNT);
            (uint256 min, uint256 max) = SpecBounds.bounds(param);
            return (
                address(adapter),
                abi.encodeCall(HedgeAdapterParams.setParam, (param, _bound(valueSeed >> 8, min, max)))
            );
        }
        if (action == 3) return (address(adapter), abi.encodeCall(HedgeAdapter.unpause, ()));
        if (action == 4) {
            uint256 which = valueSeed % 3;
            if (which == 2) return (address(vault), abi.encodeCall(vault.grantRole, (vault.HEDGER_ROLE(), guardian)));
            bytes32 role = which == 0 ? keeperRole : adapter.DEFAULT_ADMIN_ROLE();
            return (address(adapter), abi.encodeCall(adapter.grantRole, (role, guardian)));
        }
        TestERC20 token = valueSeed % 2 == 0 ? weth : usdc;
        uint256 amount = 1 + ((valueSeed >> 1) % (token.balanceOf(address(vault)) + 1));
        if (action == 5) return (address(vault), abi.encodeCall(vault.withdraw, (address(token), amount, guardian)));
        return (address(vault), abi.encodeCall(vault.transferForHedge, (address(token), amount, guardian)));
    }

    // ------------------------------------------------------------------ hedging

    /// @notice A keeper, an ex-keeper or a stranger asks for a hedge of 1%–300% of |net delta| while the pool pays a
    ///         fuzzed amount. `variant` % 16 picks one flaw: 0 the wrong direction, 1 not capped at maxTradeWethWad,
    ///         2 an expired deadline, 3 a stale nonce, 4 the keeper's own minAmountOut (up to fair + 5%), 5 at least the
    ///         minimum trade even when |net delta| is small (a churn attempt inside the band), else none.
    function rebalance(
        uint256 actorSeed,
        uint256 sizeBpsSeed,
        uint256 payoutSeed,
        uint8 variant,
        bool waitUntilReady
    ) external {
        if (waitUntilReady) _waitUntilReady();
        IHedgeAdapter.Params memory p = adapter.params();
        uint256 priceWad = uint256(feed.latestAnswer()) * 1e10;
        int256 delta = vault.netDeltaAtWad(priceWad);
        uint256 flaw = variant % 16;
        IHedgeAdapter.RebalanceRequest memory req;
        req.buyWeth = flaw == 0 ? delta >= 0 : delta < 0;
        uint256 wethSize = Math.mulDiv(SignedMath.abs(delta), _bound(sizeBpsSeed, 100, 30_000), 10_000);
        if (flaw == 5) wethSize = Math.max(wethSize, Math.min(p.minTradeWethWad, p.deltaBandWad));
        if (flaw != 1) wethSize = Math.min(wethSize, p.maxTradeWethWad);
        req.amountIn = req.buyWeth ? Math.mulDiv(wethSize, priceWad, 1e30) : wethSize;
        req.deadline = flaw == 2 ? block.timestamp - 1 : block.timestamp + 60;
        req.expectedNonce = adapter.hedgeNonce() + (flaw == 3 ? 1 : 0);
        if (flaw == 4) {
            uint256 fair = OracleBound.fairOut(req.buyWeth, req.amountIn, priceWad);
            req.minAmountOut = _bound(sizeBpsSeed, 0, fair + fair / 20);
        }
        _scriptPool(req, payoutSeed);
        _trade(_actor(actorSeed), req, "");
    }

    /// @notice Chainlink Automation path, performed by a random caller: 1 in 2 with `checkUpkeep`'s own data, otherwise
    ///         with a forged hint (any direction, amount, minimum and deadline; the current nonce). Either way the
    ///         trade judged is the one the contract derives.
    function upkeep(uint256 actorSeed, uint256 payoutSeed, uint256 hintSeed, bool waitUntilReady) external {
        if (waitUntilReady) _waitUntilReady();
        (bool needed, bytes memory performData) = adapter.checkUpkeep("");
        if (!needed) return;
        IHedgeAdapter.RebalanceRequest memory req = abi.decode(performData, (IHedgeAdapter.RebalanceRequest));
        bytes memory hint = performData;
        if (hintSeed % 2 == 1) {
            uint256 r = uint256(keccak256(abi.encode(hintSeed)));
            hint = abi.encode(
                IHedgeAdapter.RebalanceRequest(
                    r % 3 == 0,
                    r >> 128,
                    r % 5 == 0 ? r >> 200 : 0,
                    r >> 224,
                    req.expectedNonce
                )
            );
        }
        _scriptPool(req, payoutSeed);
        _trade(_actor(actorSeed), req, hint);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The pool pays, from its own balance and never reverting, by `seed` % 8: 0–1 below the stricter of the
    ///      oracle and TWAP bounds, 2–3 within ±2 units of it, 4–6 an ordinary fill, 7 a generous one (up to 3× fair).
    ///      (seed >> 3) % 16 == 0 pays the adapter instead of the vault; (seed >> 7) % 4 == 0 reports a random amountOut.
    function _scriptPool(IHedgeAdapter.RebalanceRequest memory req, uint256 seed) internal {
        IHedgeAdapter.Params memory p = adapter.params();
        uint256 priceWad = uint256(feed.latestAnswer()) * 1e10;
        (, uint256 twapWad) = PoolPriceLib.tryTwapPriceWad(pool, wethIsToken0, p.twapWindowSec);
        uint256 fair = OracleBound.fairOut(req.buyWeth, req.amountIn, priceWad);
        uint256 minOk =
            twapWad == 0
                ? OracleBound.minOut(req.buyWeth, req.amountIn, priceWad, p.maxSlippageBps)
                : FillBounds.minOut(req.buyWeth, req.amountIn, priceWad, twapWad, p);
        uint256 amountSeed = uint256(keccak256(abi.encode(seed)));
        uint256 mode = seed % 8;
        uint256 payout;
        if (mode < 2) payout = minOk == 0 ? 0 : _bound(amountSeed, 0, minOk - 1);
        else if (mode < 4) payout = _bound(amountSeed, minOk < 2 ? 0 : minOk - 2, minOk + 2);
        else if (mode < 7) payout = _bound(amountSeed, minOk, Math.max(minOk, fair + fair / 100 + 1));
        else payout = _bound(amountSeed, Math.max(minOk, fair), Math.max(minOk, fair) * 3 + 1);
        address payTo = (seed >> 3) % 16 == 0 ? address(adapter) : address(0);
        uint256 claimed = (seed >> 7) % 4 == 0 ? amountSeed : type(uint256).max;
        (req.buyWeth ? weth : usdc).mint(address(pool), payout);
        pool.script(payout, payTo, claimed);
        _scriptCallback(req.amountIn, seed >> 9);
    }

    /// @dev The pool calls back, by `seed` % 16: 1 asking for more than the amount in, 2 for the token coming out, 3
    ///      twice, 4 never (a free fill), 5–6 for part of the amount in (a fill cut short by liquidity), otherwise
    ///      (0 and 7–15) for exactly the amount in.
    function _scriptCallback(uint256 amountIn, uint256 seed) internal {
        uint256 mode = seed % 16;
        uint256 owedSeed = uint256(keccak256(abi.encode(seed, amountIn)));
        UniswapV3PoolDouble.CallbackMode callbackMode = UniswapV3PoolDouble.CallbackMode.Honest;
        uint256 owed = type(uint256).max;
        if (mode == 1) owed = _bound(owedSeed, amountIn + 1, amountIn * 2 + 1);
        else if (mode == 2) callbackMode = UniswapV3PoolDouble.CallbackMode.WrongToken;
        else if (mode == 3) callbackMode = UniswapV3PoolDouble.CallbackMode.Twice;
        else if (mode == 4) callbackMode = UniswapV3PoolDouble.CallbackMode.None;
        else if ((mode == 5 || mode == 6) && amountIn > 0) owed = _bound(owedSeed, 1, amountIn);
        pool.scriptCallback(callbackMode, owed);
    }

    function _poolTakes(uint256 amountIn) internal view override returns (uint256) {
        if (pool.callbackMode() == UniswapV3PoolDouble.CallbackMode.None) return 0;
        uint256 owed = pool.owedOverride();
        return owed == type(uint256).max ? amountIn : owed;
    }

    /// @dev A keeper that picks its moment, with the pool's TWAP back at the oracle price.
    function _waitUntilReady() internal {
        _waitForHedgeWindow();
        TickPricing.placePool(pool, uint256(feed.latestAnswer()) * 1e10, wethIsToken0, 0);
    }

    /// @dev 3 in 4: a keeper or toggled keeper (actors[0..3]); otherwise admin, guardian, writer, stranger or a
    ///      random address.
    function _actor(uint256 seed) internal view returns (address) {
        if (seed % 4 != 0) return actors[(seed >> 2) % 4];
        if ((seed >> 2) % 5 == 0) return address(uint160(uint256(keccak256(abi.encode(seed)))));
        return actors[4 + ((seed >> 2) % (actors.length - 4))];
    }
}

/// @notice Drives the stack on the published Uniswap V3 bytecode: traders move the real pool (and its TWAP),
///         Chainlink moves or catches up with the pool, time passes, collateral moves, and the keeper hedges on the
///         real pool, whose fill the adapter measures at the vault against its bound.
contract RealUniswapHandler is HedgeTradeRecorder, StdUtils {
    /// @dev The market stays inside the replica's liquidity (±10% around $3000): past its edge the pool's price jumps
    ///      to the end of the tick range, where no hedge can land and the rest of the run would test nothing.
    uint256 internal constant MIN_MARKET_PRICE_WAD = 2_760e18;
    uint256 internal constant MAX_MARKET_PRICE_WAD = 3_240e18;

    ISwapRouterMinimal internal immutable router;
    IUniswapV3PoolMinimal internal immutable pool;
    address internal immutable keeper;
    address internal immutable admin;
    /// @dev USDC is token0: buying WETH lowers sqrtPriceX96 toward the $3,240 limit, selling raises it toward $2,760.
    uint160 internal immutable buyWethPriceLimitX96;
    uint160 internal immutable sellWethPriceLimitX96;

    constructor(HedgeAdapter adapter_, address keeper_, address admin_) HedgeTradeRecorder(adapter_) {
        router = adapter_.router();
        pool = IUniswapV3PoolMinimal(adapter_.pool());
        keeper = keeper_;
        admin = admin_;
        weth.approve(address(router), type(uint256).max);
        usdc.approve(address(router), type(uint256).max);
        buyWethPriceLimitX96 = TickPricing.sqrtPriceX96At(MAX_MARKET_PRICE_WAD, false);
        sellWethPriceLimitX96 = TickPricing.sqrtPriceX96At(MIN_MARKET_PRICE_WAD, false);
    }

    /// @notice A trader swaps up to ≈ 55% of the in-range liquidity of either token, stopping at the market's limits
    ///         (a swap that starts beyond them is refused by the pool and ignored).
    function swap(bool buyWeth, uint256 amountSeed) external {
        (TestERC20 tokenIn, TestERC20 tokenOut) = buyWeth ? (usdc, weth) : (weth, usdc);
        uint256 amountIn = buyWeth ? _bound(amountSeed, 1e6, 1_500_000e6) : _bound(amountSeed, 1e15, 500e18);
        tokenIn.mint(address(this), amountIn);
        ISwapRouterMinimal.ExactInputSingleParams memory p = ISwapRouterMinimal.ExactInputSingleParams(
            address(tokenIn),
            address(tokenOut),
            500,
            address(this),
            block.timestamp,
            amountIn,
            0,
            buyWeth ? buyWethPriceLimitX96 : sellWethPriceLimitX96
        );
        try router.exactInputSingle(p) {} catch {}
    }

    /// @notice Chainlink publishes a price up to ±3% away, within the market's limits.
    function movePrice(uint256 moveBpsSeed, bool up) external {
        uint256 answer = uint256(feed.latestAnswer());
        uint256 moveBps = _bound(moveBpsSeed, 0, 300);
        answer = up ? (answer * (10_000 + moveBps)) / 10_000 : (answer * (10_000 - moveBps)) / 10_000;
        feed.updateAnswer(int256(_bound(answer, MIN_MARKET_PRICE_WAD / 1e10, MAX_MARKET_PRICE_WAD / 1e10)));
    }

    /// @notice Chainlink catches up with the pool's spot price.
    function syncOracleToPool() external {
        feed.updateAnswer(int256(PoolPriceLib.spotPriceWad(pool, false) / 1e10));
    }

    function warp(uint256 secondsSeed, bool oracleHeartbeat) external {
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 15 minutes));
        vm.roll(block.number + 1);
        if (oracleHeartbeat) {
            feed.updateAnswer(feed.latestAnswer());
            usdcFeed.updateAnswer(usdcFeed.latestAnswer());
        }
    }

    function moveCollateral(uint256 amountSeed, bool deposit) external {
        _moveCollateral(amountSeed, deposit, admin);
    }

    /// @notice The keeper hedges 1%–150% of |net delta| (capped at maxTradeWethWad); 1 in 4 with its own
    ///         minAmountOut up to the fair value.
    function rebalance(uint256 sizeBpsSeed, uint256 minOutSeed, bool waitUntilReady) external {
        if (waitUntilReady) _waitForHedgeWindow();
        uint256 priceWad = uint256(feed.latestAnswer()) * 1e10;
        int256 delta = vault.netDeltaAtWad(priceWad);
        IHedgeAdapter.RebalanceRequest memory req;
        req.buyWeth = delta < 0;
        uint256 wethSize = Math.mulDiv(SignedMath.abs(delta), _bound(sizeBpsSeed, 100, 15_000), 10_000);
        wethSize = Math.min(wethSize, adapter.params().maxTradeWethWad);
        req.amountIn = req.buyWeth ? Math.mulDiv(wethSize, priceWad, 1e30) : wethSize;
        if (minOutSeed % 4 == 0)
            req.minAmountOut = _bound(minOutSeed, 0, OracleBound.fairOut(req.buyWeth, req.amountIn, priceWad));
        req.deadline = block.timestamp + 60;
        req.expectedNonce = adapter.hedgeNonce();
        _trade(keeper, req, "");
    }
}

/// @notice The invariants every hedging handler is judged by.
abstract contract HedgeTradeInvariants is HedgeStack {
    function recorder() internal view virtual returns (HedgeTradeRecorder);

    /// @notice No accepted hedge pays the vault less than fair value at the Chainlink price × (1 − maxSlippageBps),
    ///         nor less than fair value at the pool's TWAP × (1 − maxPoolDeviationBps), nor less than the keeper's own
    ///         minAmountOut; and `rebalance` returns what the vault really received.
    function invariant_fillMeetsOracleAndTwapBounds() public view {
        assertEq(recorder().ghostFillsBelowOracleBound(), 0, "fill below oracle bound accepted");
        assertEq(recorder().ghostFillsBelowTwapBound(), 0, "fill below TWAP bound accepted");
        assertEq(recorder().ghostFillsBelowKeeperMin(), 0, "fill below keeper minAmountOut accepted");
        assertEq(recorder().ghostMisreportedAmountOut(), 0, "amountOut differs from the vault's receipt");
    }

    /// @notice Every accepted hedge strictly shrinks |net delta|, and crosses zero by at most
    ///         min(overshootToleranceWad, deltaBandWad / 2).
    function invariant_reduceOnlyWithinOvershootTolerance() public view {
        assertEq(recorder().ghostReduceOnlyViolations(), 0, "hedge did not shrink |delta|");
        assertEq(recorder().ghostOvershoots(), 0, "hedge crossed zero past the overshoot tolerance");
    }

    /// @notice No hedge ever lands while |net delta| before it, at the oracle price, is within the band.
    function invariant_noHedgeInsideBand() public view {
        assertEq(recorder().ghostHedgesInsideBand(), 0, "hedge landed inside the band");
    }

    /// @notice Execution loss and turnover spent over any window [t_i, t_j] of accepted hedges never exceed
    ///         budget × (1 + (t_j − t_i) / budgetWindowSec).
    function invariant_budgetsNeverExceededInAnyWindow() public view {
        assertEq(recorder().ghostLossBudgetOverspends(), 0, "loss budget exceeded");
        assertEq(recorder().ghostTurnoverBudgetOverspends(), 0, "turnover budget exceeded");
    }

    /// @notice No hedge lands before `cooldownEndsAt` or twice in a block; a hedge that ends inside the band starts
    ///         the cooldown and one that ends outside does not; none lands with USDC off its peg, the pool's spot off
    ///         its TWAP or its TWAP off the oracle; an upkeep trades what the contract derives, never the hint.
    function invariant_rateLimitsAndPriceGuardsHold() public view {
        assertEq(recorder().ghostRateLimitBypasses(), 0, "hedge during cooldown or twice in a block");
        assertEq(recorder().ghostCooldownMisstarted(), 0, "cooldownEndsAt not set by where the hedge ended");
        assertEq(recorder().ghostPriceGuardBypasses(), 0, "hedge landed past a price guard");
        assertEq(recorder().ghostUpkeepTradeNotDerived(), 0, "upkeep traded another amount than the derived one");
        assertEq(recorder().ghostPaidAboveAmountIn(), 0, "the vault paid the pool more than the amount in");
    }

    /// @notice Only KEEPER_ROLE holders trade, never while paused, and hedgeNonce counts exactly their trades.
    function invariant_onlyKeepersTrade() public view {
        assertEq(recorder().ghostNonKeeperTrades(), 0, "non-keeper hedged");
        assertEq(recorder().ghostTradesWhilePaused(), 0, "hedge while paused");
        assertEq(adapter.hedgeNonce(), recorder().ghostKeeperTrades(), "hedgeNonce != keeper trades");
    }

    /// @notice The adapter never keeps tokens: everything pulled from the vault goes to the router, and a fill paid
    ///         to the adapter instead of the vault is refused (the vault measured nothing).
    function invariant_adapterHoldsNoTokens() public view {
        assertEq(weth.balanceOf(address(adapter)), 0, "adapter holds WETH");
        assertEq(usdc.balanceOf(address(adapter)), 0, "adapter holds USDC");
    }

    /// @notice All invariants at once, for the handler-reachability tests.
    function assertAllTradeInvariants() internal view {
        invariant_fillMeetsOracleAndTwapBounds();
        invariant_reduceOnlyWithinOvershootTolerance();
        invariant_noHedgeInsideBand();
        invariant_budgetsNeverExceededInAnyWindow();
        invariant_rateLimitsAndPriceGuardsHold();
        invariant_onlyKeepersTrade();
    }
}

/// @notice HedgeAdapter on pool/router doubles: fuzzed TWAP, fuzzed (adversarial) fills, every role, every parameter.
abstract contract HedgeAdapterInvariants is HedgeTradeInvariants {
    HedgeAdapterHandler internal handler;

    function wethFirst() internal pure virtual returns (bool);

    function recorder() internal view override returns (HedgeTradeRecorder) {
        return handler;
    }

    function setUp() public {
        deployStack(wethFirst());
        address[] memory actors = new address[](8);
        (actors[0], actors[1]) = (keeper, keeper2);
        (actors[2], actors[3]) = (makeAddr("keeperCandidateA"), makeAddr("keeperCandidateB"));
        (actors[4], actors[5], actors[6], actors[7]) = (admin, guardian, writer, stranger);
        handler = new HedgeAdapterHandler(adapter, admin, guardian, writer, actors);
        // Budgets a few full-size hedges spend (50 ETH ≈ $150k at the fixture price), so the runs reach them.
        vm.startPrank(admin);
        adapter.setParam(IHedgeAdapter.Param.TurnoverBudgetWethWad, 200e18);
        adapter.setParam(IHedgeAdapter.Param.LossBudgetUsdWad, 2_000e18);
        vm.stopPrank();

        bytes4[] memory selectors = new bytes4[](13);
        selectors[0] = HedgeAdapterHandler.movePrice.selector;
        selectors[1] = HedgeAdapterHandler.driftPool.selector;
        selectors[2] = HedgeAdapterHandler.warp.selector;
        selectors[3] = HedgeAdapterHandler.writeOptions.selector;
        selectors[4] = HedgeAdapterHandler.moveCollateral.selector;
        selectors[5] = HedgeAdapterHandler.pauseOrUnpause.selector;
        selectors[6] = HedgeAdapterHandler.toggleKeeper.selector;
        selectors[7] = HedgeAdapterHandler.setParam.selector;
        selectors[8] = HedgeAdapterHandler.tightenParam.selector;
        selectors[9] = HedgeAdapterHandler.rebalance.selector;
        selectors[10] = HedgeAdapterHandler.upkeep.selector;
        selectors[11] = HedgeAdapterHandler.guardianOverreach.selector;
        selectors[12] = HedgeAdapterHandler.moveUsdcPeg.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice Property 3: every parameter stays within its coded bounds whatever sequence of setParam/tightenParam
    ///         calls (by anyone) came before; in-bounds admin values are accepted and nobody else changes a parameter.
    function invariant_paramsWithinBounds() public view {
        IHedgeAdapter.Params memory p = adapter.params();
        for (uint256 i; i < SpecBounds.PARAM_COUNT; ++i) {
            IHedgeAdapter.Param param = IHedgeAdapter.Param(i);
            (uint256 min, uint256 max) = SpecBounds.bounds(param);
            uint256 value = SpecBounds.read(p, param);
            assertGe(value, min, "param below its bound");
            assertLe(value, max, "param above its bound");
        }
        assertEq(handler.ghostOutOfBoundsAccepted(), 0, "out-of-bounds value accepted");
        assertEq(handler.ghostInBoundsRejected(), 0, "in-bounds admin value rejected");
        assertEq(handler.ghostUnauthorizedParamChanges(), 0, "parameter changed by an unauthorised caller");
    }

    /// @notice Property 5: the guardian only ever tightens or pauses. No accepted tightenParam loosened a parameter,
    ///         no guardian call beyond that succeeded, and no guardian call moved the vault's tokens or paid the guardian.
    function invariant_guardianNeverLoosensNorMovesFunds() public view {
        assertEq(handler.ghostGuardianLoosened(), 0, "guardian loosened a parameter");
        assertEq(handler.ghostGuardianOverreach(), 0, "guardian call beyond pause/tighten succeeded");
        assertEq(handler.ghostGuardianFundMoves(), 0, "guardian call moved vault collateral");
        assertEq(weth.balanceOf(guardian), 0, "guardian holds WETH");
        assertEq(usdc.balanceOf(guardian), 0, "guardian holds USDC");
    }
}

/// @notice Mainnet orientation: USDC is token0.
contract HedgeAdapterInvariantsUsdcToken0Test is HedgeAdapterInvariants {
    function wethFirst() internal pure override returns (bool) {
        return false;
    }

    /// @notice The handler reaches what the invariants judge: from the fixture a keeper's hedge lands and is counted,
    ///         a fill below the strictest bound is refused with InsufficientOutput, a stranger is refused, an upkeep
    ///         with a forged hint lands the derived trade, and a churn attempt inside the band is refused.
    function test_handlerReachesTheOutcomesTheInvariantsJudge() public {
        uint256 keeperSeed = 1; // actors[0]
        uint256 strangerSeed = 12; // actors[7]
        uint256 ordinaryFill = 4 + (1 << 3) + (1 << 7); // mode 4, pays the vault, reports honestly
        uint256 belowBound = 0 + (1 << 3) + (1 << 7); // mode 0
        uint8 noFlaw = 7;
        uint8 churnFlaw = 5;
        handler.rebalance(keeperSeed, 5_000, ordinaryFill, noFlaw, true);
        assertEq(handler.ghostKeeperTrades(), 1, "keeper hedge did not land");
        handler.rebalance(keeperSeed, 5_000, belowBound, noFlaw, true);
        assertEq(handler.ghostRejections(IHedgeAdapter.InsufficientOutput.selector), 1, "below-bound fill not refused");
        handler.rebalance(strangerSeed, 5_000, ordinaryFill, noFlaw, true);
        assertEq(handler.ghostRejections(IAccessControl.AccessControlUnauthorizedAccount.selector), 1);
        uint256 forgedHint = 1;
        handler.upkeep(keeperSeed, ordinaryFill, forgedHint, true);
        assertEq(handler.ghostKeeperTrades(), 2, "upkeep with a forged hint did not land the derived trade");
        assertLe(SignedMath.abs(vault.netDeltaAtWad(oraclePriceWad())), adapter.params().deltaBandWad, "not inside");
        handler.rebalance(keeperSeed, 5_000, ordinaryFill, churnFlaw, true);
        assertEq(handler.ghostRejections(IHedgeAdapter.InsideBand.selector), 1, "churn inside the band not refused");
        assertEq(handler.spendCount(), 2, "budget history");
        assertAllTradeInvariants();
    }

    /// @notice The handler reaches the budgets: back-to-back full-size hedges are refused once one budget is spent.
    function test_handlerReachesTheBudgets() public {
        uint256 ordinaryFill = 4 + (1 << 3) + (1 << 7);
        for (uint256 i; i < 6; ++i) {
            // The admin withdraws all the vault's WETH: it is short ~55 ETH again, a full-size hedge is due.
            uint256 held = weth.balanceOf(address(vault));
            if (held > 0) handler.moveCollateral(held - 1, false);
            handler.rebalance(1, 10_000, ordinaryFill, 7, true);
        }
        uint256 refused =
            handler.ghostRejections(IHedgeAdapter.TurnoverBudgetExceeded.selector) +
                handler.ghostRejections(IHedgeAdapter.LossBudgetExceeded.selector);
        assertGt(refused, 0, "no budget ever bound");
        assertGe(handler.spendCount(), 3, "hedges before the budget bound");
        assertAllTradeInvariants();
    }

    /// @notice The contract's bounds table is the specified one, for every parameter.
    function test_paramBoundsMatchSpec() public view {
        for (uint256 i; i < SpecBounds.PARAM_COUNT; ++i) {
            (uint256 min, uint256 max) = adapter.paramBounds(IHedgeAdapter.Param(i));
            (uint256 specMin, uint256 specMax) = SpecBounds.bounds(IHedgeAdapter.Param(i));
            assertEq(min, specMin);
            assertEq(max, specMax);
        }
    }
}

/// @notice Replica orientation when WETH sorts first: WETH is token0.
contract HedgeAdapterInvariantsWethToken0Test is HedgeAdapterInvariants {
    function wethFirst() internal pure override returns (bool) {
        return true;
    }
}

/// @notice HedgeAdapter on the published Uniswap V3 bytecode (factory, pool, SwapRouter from the npm artifacts).
/// @dev Real pool, real price impact and the adapter's InsufficientOutput on the vault's measured fill. Reads the artifacts through
///      `test.solidity.fsPermissions.readFile` in hardhat.config.ts; setUp fails if it cannot.
contract HedgeAdapterRealUniswapInvariantsTest is HedgeTradeInvariants {
    RealUniswapHandler internal handler;

    function recorder() internal view override returns (HedgeTradeRecorder) {
        return handler;
    }

    function setUp() public {
        (bool deployed, ) = deployRealUniswapStack();
        // The config grants read access to the artifacts, so failing to read them is a broken setup, not a skip.
        assertTrue(deployed, "cannot read the Uniswap V3 artifacts (test.solidity.fsPermissions in hardhat.config.ts)");
        handler = new RealUniswapHandler(adapter, keeper, admin);
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = RealUniswapHandler.swap.selector;
        selectors[1] = RealUniswapHandler.movePrice.selector;
        selectors[2] = RealUniswapHandler.syncOracleToPool.selector;
        selectors[3] = RealUniswapHandler.warp.selector;
        selectors[4] = RealUniswapHandler.moveCollateral.selector;
        selectors[5] = RealUniswapHandler.rebalance.selector;
        selectors[6] = RealUniswapHandler.rebalance.selector; // hedging twice as likely as each market move
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice From the fixture a keeper's hedge lands on the real pool, inside both bounds; after a trader pushes the
    ///         pool ≈ 1.5% above the oracle (inside the spot-vs-TWAP guard), the same hedge swaps on the real pool and
    ///         is refused on what the vault received (InsufficientOutput); pushed further (> maxPoolDeviationBps off its TWAP in the
    ///         hedge's block), it is refused by the adapter before any swap (PoolSpotOffTwap).
    function test_realPoolHedgeLandsThenFrontRunIsRefused() public {
        handler.rebalance(5_000, 1, true);
        assertEq(handler.ghostKeeperTrades(), 1, "keeper hedge did not land on the real pool");
        assertAllTradeInvariants();
        handler.swap(true, 400_000e6);
        handler.rebalance(5_000, 1, true);
        assertEq(
            handler.ghostRejections(IHedgeAdapter.InsufficientOutput.selector),
            1,
            "the fill bound did not refuse the front-run fill"
        );
        handler.swap(true, 600_000e6);
        handler.rebalance(5_000, 1, true);
        assertEq(handler.ghostRejections(IHedgeAdapter.PoolSpotOffTwap.selector), 1, "spot-vs-TWAP guard did not fire");
        assertEq(handler.ghostKeeperTrades(), 1, "a front-run hedge landed");
    }
}
