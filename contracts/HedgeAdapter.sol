// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {AutomationCompatibleInterface} from "@chainlink/contracts/src/v0.8/automation/interfaces/AutomationCompatibleInterface.sol";
import {IHedgeAdapter} from "./interfaces/IHedgeAdapter.sol";
import {IOptionsVault} from "./interfaces/IOptionsVault.sol";
import {
    IUniswapV3PoolMinimal,
    ISwapRouterMinimal,
    IUniswapV3FactoryMinimal,
    IUniswapV3SwapCallbackMinimal
} from "./interfaces/IUniswapV3Minimal.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {PoolPriceLib} from "./libraries/PoolPriceLib.sol";
import {HedgeAdapterParams} from "./adapter/HedgeAdapterParams.sol";

/// @title HedgeAdapter
/// @notice Swaps the vault's WETH ⇄ USDC on one Uniswap V3 pool to bring its net delta toward zero, and enforces
///         on-chain what a keeper (or a stolen keeper key) may do.
/// @dev Trust model — each role, its worst case, and the rule that bounds it:
///      - KEEPER_ROLE (hot key): may trade only when |net delta| at the oracle price is outside the band, only toward
///        zero, crossing it by at most min(overshootTolerance, band / 2); each trade between the minimum and maximum
///        trade size, one per block, after the cooldown that follows a hedge ending inside the band. Every fill must
///        beat the oracle bound (maxSlippageBps) and the pool-TWAP bound (maxPoolDeviationBps), with the pool's spot
///        near its TWAP and its TWAP near the oracle, fresh ETH/USD and USDC/USD answers, and USDC near $1.
///        Warning: a stolen keeper key can still lose, per rolling budget window W, at most
///        lossBudget × (1 + elapsed / W) in execution loss against the oracle — 2 × lossBudgetUsdWad over any
///        period of length W — and trade at most 2 × turnoverBudgetWethWad in that period. It cannot withdraw.
///      - GUARDIAN_ROLE: may pause and tighten a parameter; never loosen, unpause, trade or move funds.
///      - DEFAULT_ADMIN_ROLE (the DAO timelock): sets parameters within hard bounds (`paramBounds`), grants roles,
///        unpauses. The last admin cannot renounce or be revoked (the adapter could never be unpaused again).
///      - The pool (the router factory's WETH/USDC pool, checked at deployment): swaps on the adapter's call and is
///        paid in `uniswapV3SwapCallback`, straight from the vault, at most the trade's amount in and only in the
///        token going in, only while the adapter's own swap is pending (any other caller or time reverts). What the
///        vault received is measured at the vault, so a pool that pays less or elsewhere fails the fill bound.
///      - Anyone: `checkUpkeep` (a view that never reverts) and `sweep` (returns tokens sent to the adapter to the
///        vault; hedges leave none there: the vault pays the pool and the pool pays the vault).
///      Parameters, their bounds and their governance live in `HedgeAdapterParams`; this contract is the hedge flow.
contract HedgeAdapter is
    HedgeAdapterParams,
    IUniswapV3SwapCallbackMinimal,
    AutomationCompatibleInterface,
    ReentrancyGuardTransient
{
    using SafeERC20 for IERC20;
    using TransientSlot for *;

    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant USDC_TO_WAD = 1e12;
    /// @dev abi.encode(RebalanceRequest): five static words.
    uint256 internal constant PERFORM_DATA_LENGTH = 160;
    /// @dev A one-second TWAP ending now is the pool's price at the end of the previous block: Uniswap writes the
    ///      block's observation with the tick from before its first swap, so nothing traded in this block (a
    ///      front-run of the hedge included) moves it, while arbitrage in earlier blocks (a real move) has.
    uint32 internal constant BLOCK_START_WINDOW_SEC = 1;
    /// @dev Uniswap V3 TickMath's price range, less one: exact input runs to the end of the pool's liquidity, as the
    ///      router's `sqrtPriceLimitX96 = 0` does; the fill bounds, not a price limit, decide what is accepted.
    uint160 internal constant MIN_SQRT_PRICE_LIMIT = 4_295_128_740;
    uint160 internal constant MAX_SQRT_PRICE_LIMIT = 1_461_446_703_485_210_103_287_273_052_203_988_822_378_723_970_341;
    /// @dev Transient: `amountIn << 1 | zeroForOne` while the adapter's swap waits for its callback, else 0.
    bytes32 internal constant SWAP_PENDING_SLOT = keccak256("hedgekeeper.HedgeAdapter.swapPending");
    /// @dev Transient: what the callback had the vault pay the pool in the current swap.
    bytes32 internal constant SWAP_PAID_SLOT = keccak256("hedgekeeper.HedgeAdapter.swapPaid");

    /// @dev The prices one hedge is checked against, read once.
    struct Prices {
        uint256 oracleWad;
        uint256 twapWad;
        /// @dev The pool's price when this block began (see BLOCK_START_WINDOW_SEC).
        uint256 blockStartWad;
    }

    /// @dev One hedge's outcome, gathered for its event.
    struct HedgeRecord {
        uint64 nonce;
        bool buyWeth;
        uint256 amountIn;
        uint256 amountOut;
        int256 deltaBeforeWad;
        int256 deltaAfterWad;
        uint256 oraclePriceWad;
        uint256 lossUsdWad;
    }

    /// @dev Rolling budgets: what has been spent, decayed linearly by `budget / window` per second since `updatedAt`.
    struct Budgets {
        uint96 lossUsedUsdWad;
        uint96 turnoverUsedWethWad;
        uint64 updatedAt;
    }

    /// @dev What a hedge reads and writes besides the parameters, in two slots (three before: nonce and timestamps,
    ///      budgets, and OpenZeppelin Pausable's flag each in their own). The budgets' `updatedAt` is written by every
    ///      hedge and only by hedges, so it is also the last hedge's timestamp once there has been one. The
    ///      constructor makes both slots non-zero (`cooldownEndsAt`, `budgetsUpdatedAt`), so that no hedge, the
    ///      first included, pays for a zero-to-non-zero store.
    struct HedgeState {
        // slot 0
        uint64 nonce;
        uint64 lastHedgeBlock;
        uint64 cooldownEndsAt;
        bool paused;
        // slot 1
        uint96 lossUsedUsdWad;
        uint96 turnoverUsedWethWad;
        uint64 budgetsUpdatedAt;
    }

    IOptionsVault internal immutable _vault;
    /// @notice The SwapRouter whose factory vouches for the pool at deployment; hedges swap on the pool directly.
    ISwapRouterMinimal public immutable router;
    IUniswapV3PoolMinimal internal immutable _pool;
    AggregatorV3Interface public immutable feed;
    AggregatorV3Interface public immutable usdcFeed;
    IERC20 public immutable weth;
    IERC20 public immutable usdc;
    uint24 public immutable poolFee;
    bool internal immutable wethIsToken0;

    HedgeState internal _state;

    /// @param usdcFeed_ Chainlink USDC/USD (8 decimals) for the depeg guard.
    constructor(
        address admin,
        IOptionsVault vault_,
        ISwapRouterMinimal router_,
        IUniswapV3PoolMinimal pool_,
        AggregatorV3Interface usdcFeed_,
        Params memory initial
    ) {
        if (admin == address(0) || address(vault_) == address(0) || address(router_) == address(0))
            revert ZeroAddress();
        if (address(pool_) == address(0) || address(usdcFeed_) == address(0)) revert ZeroAddress();
        _vault = vault_;
        router = router_;
        _pool = pool_;
        weth = IERC20(vault_.weth());
        usdc = IERC20(vault_.usdc());
        feed = AggregatorV3Interface(vault_.priceFeed());
        usdcFeed = usdcFeed_;
        OracleLib.checkDecimals(feed);
        OracleLib.checkDecimals(usdcFeed_);
        address token0 = pool_.token0();
        address token1 = pool_.token1();
        wethIsToken0 = token0 == address(weth);
        bool matches = wethIsToken0 ? token1 == address(usdc) : (token0 == address(usdc) && token1 == address(weth));
        if (!matches) revert TokenMismatch();
        poolFee = pool_.fee();
        // A pool the router's factory does not know could price and settle however its deployer likes.
        address factoryPool = IUniswapV3FactoryMinimal(router_.factory()).getPool(token0, token1, poolFee);
        if (factoryPool != address(pool_)) revert PoolNotFromFactory(address(pool_), factoryPool);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // The TWAP window's observability is checked when governance changes it; a pool deployed with the adapter
        // may not have the history yet, and hedges say so with TwapUnavailable until it has.
        _storeInitialParams(initial);
        // Both state slots start non-zero (see HedgeState).
        // solhint-disable-next-line not-rely-on-time
        _state.budgetsUpdatedAt = uint64(block.timestamp);
        // solhint-disable-next-line not-rely-on-time
        _state.cooldownEndsAt = uint64(block.timestamp);
    }

    modifier whenNotPaused() {
        if (_state.paused) revert EnforcedPause();
        _;
    }

    // ------------------------------------------------------------------ hedging

    /// @inheritdoc IHedgeAdapter
    function rebalance(RebalanceRequest calldata req) external onlyRole(KEEPER_ROLE) returns (uint256 amountOut) {
        return _rebalance(req, _loadParams());
    }

    /// @notice Chainlink Automation: a hedge is due when |net delta| exceeds the band and every guard would pass.
    /// @dev Never reverts: a stale feed, a pool without TWAP history or a failing vault read all answer false.
    /// @return upkeepNeeded Whether `performUpkeep` should be called.
    /// @return performData abi.encode(RebalanceRequest): the trade the contract itself derives (see `performUpkeep`).
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory performData) {
        (bool due, RebalanceRequest memory req) = _upkeepRequest(_loadParams());
        return due ? (true, abi.encode(req)) : (false, bytes(""));
    }

    /// @notice Chainlink Automation path. The trade is re-derived on-chain from the vault's state; `performData` is
    ///         only a hint whose nonce must still be current, so a stale or forged hint cannot pick the amount.
    function performUpkeep(bytes calldata performData) external onlyRole(KEEPER_ROLE) {
        if (performData.length != PERFORM_DATA_LENGTH) revert MalformedPerformData(performData.length);
        RebalanceRequest memory hint = abi.decode(performData, (RebalanceRequest));
        Params memory p = _loadParams();
        (bool due, RebalanceRequest memory req) = _upkeepRequest(p);
        if (!due) revert NoUpkeepNeeded();
        req.expectedNonce = hint.expectedNonce;
        _rebalance(req, p);
    }

    /// @inheritdoc IHedgeAdapter
    function raiseSettlementUsdc(
        uint256 wethInWad,
        uint256 minUsdcOut6,
        uint256 deadline,
        uint64 expectedNonce
    ) external onlyRole(KEEPER_ROLE) whenNotPaused nonReentrant returns (uint256 usdcOut6) {
        Params memory p = _loadParams();
        RebalanceRequest memory req = RebalanceRequest(false, wethInWad, minUsdcOut6, deadline, expectedNonce);
        Prices memory px = _checkRequest(req, p);
        uint256 shortfallUsdc6 = _vault.settlementShortfallUsdc();
        if (shortfallUsdc6 == 0) revert NoSettlementShortfall();
        // The most WETH whose worst accepted fill still does not exceed the shortfall.
        uint256 maxWethIn = Math.mulDiv(
            shortfallUsdc6 * USDC_TO_WAD,
            WAD * BPS,
            px.oracleWad * (BPS - p.maxSlippageBps),
            Math.Rounding.Ceil
        );
        if (wethInWad > maxWethIn) revert RaiseExceedsShortfall(wethInWad, maxWethIn);
        _checkTradeSize(wethInWad, Math.min(_minTradeWad(p), maxWethIn), p);
        (int256 deltaBefore, uint256 grossNotionalWad) = _vault.netDeltaAndNotionalAtWad(px.oracleWad);
        usdcOut6 = _execute(req, p, px, deltaBefore, _bandWad(p, grossNotionalWad), true);
        emit SettlementRaised(wethInWad, usdcOut6, shortfallUsdc6);
    }

    /// @inheritdoc IHedgeAdapter
    function sweep() external nonReentrant {
        _sweepToVault(weth);
        _sweepToVault(usdc);
    }

    function _rebalance(
        RebalanceRequest memory req,
        Params memory p
    ) internal whenNotPaused nonReentrant returns (uint256 amountOut) {
        Prices memory px = _checkRequest(req, p);
        _checkTradeSize(_wethEquivalent(req, px.oracleWad), _minTradeWad(p), p);
        (int256 deltaBefore, uint256 grossNotionalWad) = _vault.netDeltaAndNotionalAtWad(px.oracleWad);
        uint256 bandWad = _bandWad(p, grossNotionalWad);
        if (SignedMath.abs(deltaBefore) <= bandWad) revert InsideBand(deltaBefore, bandWad);
        if ((deltaBefore < 0) != req.buyWeth) revert NotReducing(deltaBefore, req.buyWeth);
        amountOut = _execute(req, p, px, deltaBefore, bandWad, false);
    }

    /// @dev Effects, the swap, the budgets and the post-conditions shared by hedges and settlement raises.
    function _execute(
        RebalanceRequest memory req,
        Params memory p,
        Prices memory px,
        int256 deltaBefore,
        uint256 bandWad,
        bool settlementRaise
    ) internal returns (uint256 amountOut) {
        uint256 minOut = Math.max(req.minAmountOut, _minAmountOut(req.buyWeth, req.amountIn, px, p));
        Budgets memory spent = _spendTurnover(_wethEquivalent(req, px.oracleWad), p);

        // ---- effects
        uint64 nonce = _state.nonce;
        _state.nonce = nonce + 1;
        _state.lastHedgeBlock = uint64(block.number);

        // ---- interactions
        uint256 paid;
        (paid, amountOut) = _swap(req, minOut);

        // ---- budgets and post-conditions (reverting here undoes the swap; the lock forbids re-entry meanwhile)
        HedgeRecord memory r;
        r.lossUsdWad = _spendLoss(spent, _lossUsdWad(req.buyWeth, paid, amountOut, px.oracleWad), p);
        // Options delta is unchanged at the same oracle price; only the vault's WETH moved.
        r.deltaAfterWad = req.buyWeth ? deltaBefore + int256(amountOut) : deltaBefore - int256(paid);
        _startCooldown(deltaBefore, r.deltaAfterWad, req.buyWeth, p, bandWad, settlementRaise);
        (r.nonce, r.buyWeth, r.amountIn, r.amountOut) = (nonce, req.buyWeth, paid, amountOut);
        (r.deltaBeforeWad, r.oraclePriceWad) = (deltaBefore, px.oracleWad);
        _emitHedged(r);
    }

    function _emitHedged(HedgeRecord memory r) internal {
        emit Hedged(
            r.nonce,
            msg.sender,
            r.buyWeth,
            r.amountIn,
            r.amountOut,
            r.deltaBeforeWad,
            r.deltaAfterWad,
            r.oraclePriceWad,
            PoolPriceLib.spotPriceWad(_pool, wethIsToken0),
            r.lossUsdWad
        );
    }

    /// @dev The budgets as of now with `wethEquivalent` added to turnover; reverts when turnover is spent.
    function _spendTurnover(uint256 wethEquivalent, Params memory p) internal view returns (Budgets memory spent) {
        (uint256 lossUsed, uint256 turnoverUsed) = _budgetsUsed(p);
        uint256 turnoverLeft = _left(turnoverUsed, p.turnoverBudgetWethWad);
        if (wethEquivalent > turnoverLeft) revert TurnoverBudgetExceeded(wethEquivalent, turnoverLeft);
        // Each stays below its budget's hard bound, far below 2^96.
        // solhint-disable-next-line not-rely-on-time
        return Budgets(uint96(lossUsed), uint96(turnoverUsed + wethEquivalent), uint64(block.timestamp));
    }

    /// @dev Adds the fill's loss to the loss budget and stores both budgets; reverts when the loss budget is spent.
    function _spendLoss(Budgets memory spent, uint256 lossUsd, Params memory p) internal returns (uint256) {
        uint256 lossLeft = _left(spent.lossUsedUsdWad, p.lossBudgetUsdWad);
        if (lossUsd > lossLeft) revert LossBudgetExceeded(lossUsd, lossLeft);
        spent.lossUsedUsdWad += uint96(lossUsd);
        (_state.lossUsedUsdWad, _state.turnoverUsedWethWad) = (spent.lossUsedUsdWad, spent.turnoverUsedWethWad);
        _state.budgetsUpdatedAt = spent.updatedAt;
        return lossUsd;
    }

    /// @dev Reduce-only for hedges; then the cooldown: a hedge that leaves the vault outside the band may be continued
    ///      next block (depth-limited legs, or a rival keeper's small hedge, do not hold the rest back); one that lands
    ///      inside starts it. A settlement raise is outside reduce-only by design (paying what the vault owes comes
    ///      first) and starts no cooldown.
    function _startCooldown(
        int256 deltaBefore,
        int256 deltaAfter,
        bool buyWeth,
        Params memory p,
        uint256 bandWad,
        bool settlementRaise
    ) internal {
        bool inside;
        if (!settlementRaise) {
            _checkReduced(deltaBefore, deltaAfter, buyWeth, p, bandWad);
            inside = SignedMath.abs(deltaAfter) <= bandWad;
        }
        // solhint-disable-next-line not-rely-on-time
        _state.cooldownEndsAt = uint64(block.timestamp + (inside ? p.cooldownSec : 0));
    }

    /// @dev |Δ| must shrink, and may cross zero only by the effective overshoot tolerance.
    function _checkReduced(
        int256 deltaBefore,
        int256 deltaAfter,
        bool buyWeth,
        Params memory p,
        uint256 bandWad
    ) internal pure {
        if (SignedMath.abs(deltaAfter) >= SignedMath.abs(deltaBefore)) revert NotReducing(deltaBefore, buyWeth);
        uint256 tolerance = Math.min(p.overshootToleranceWad, bandWad / 2);
        if ((deltaAfter < 0) != (deltaBefore < 0) && SignedMath.abs(deltaAfter) > tolerance) {
            revert Overshoot(deltaAfter, tolerance);
        }
    }

    /// @dev Every pre-trade guard that does not depend on the book; returns the prices the trade is bounded by.
    function _checkRequest(RebalanceRequest memory req, Params memory p) internal view returns (Prices memory px) {
        // Deadline and cooldown are rate limits in seconds; validator drift cannot matter.
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > req.deadline) revert DeadlineExpired(req.deadline, block.timestamp);
        uint64 nonce = _state.nonce;
        if (req.expectedNonce != nonce) revert HedgeNonceMismatch(req.expectedNonce, nonce);
        if (_state.lastHedgeBlock == block.number) revert OneHedgePerBlock(block.number);
        uint256 cooldownEnd = _state.cooldownEndsAt;
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp < cooldownEnd) revert CooldownActive(cooldownEnd);
        if (req.amountIn == 0) revert ZeroAmount();

        (px.oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        _checkUsdcPeg(p);
        (px.twapWad, px.blockStartWad) = _checkPool(px.oracleWad, p);
    }

    /// @dev TWAP near the oracle, spot near the TWAP (a pool pushed inside this block cannot be traded against).
    function _checkPool(
        uint256 oracleWad,
        Params memory p
    ) internal view returns (uint256 twapWad, uint256 blockStartWad) {
        (twapWad, blockStartWad) = _readTwaps(p);
        uint256 deviationBps = _gapBps(twapWad, oracleWad);
        if (deviationBps > p.maxPoolDeviationBps) {
            revert PoolDeviationTooHigh(twapWad, oracleWad, deviationBps, p.maxPoolDeviationBps);
        }
        uint256 spotWad = PoolPriceLib.spotPriceWad(_pool, wethIsToken0);
        uint256 spotGapBps = _gapBps(spotWad, twapWad);
        if (spotGapBps > p.maxPoolDeviationBps)
            revert PoolSpotOffTwap(spotWad, twapWad, spotGapBps, p.maxPoolDeviationBps);
    }

    /// @dev The window TWAP and the block-start price from one `observe([window, 1, 0])`.
    function _readTwaps(Params memory p) internal view returns (uint256 twapWad, uint256 blockStartWad) {
        bool twapOk;
        bool blockStartOk;
        (twapOk, twapWad, blockStartOk, blockStartWad) = PoolPriceLib.tryTwapAndRecentPriceWad(
            _pool,
            wethIsToken0,
            p.twapWindowSec,
            BLOCK_START_WINDOW_SEC
        );
        if (!twapOk) revert TwapUnavailable(p.twapWindowSec);
        if (!blockStartOk) revert TwapUnavailable(BLOCK_START_WINDOW_SEC);
    }

    function _checkUsdcPeg(Params memory p) internal view {
        (uint256 usdcWad, ) = OracleLib.readPriceWad(usdcFeed, p.maxUsdcOracleAgeSec);
        if (_gapBps(usdcWad, WAD) > p.maxUsdcDepegBps) revert UsdcDepegged(usdcWad, p.maxUsdcDepegBps);
    }

    function _checkTradeSize(uint256 wethEquivalent, uint256 minTradeWad, Params memory p) internal pure {
        if (wethEquivalent > p.maxTradeWethWad) revert TradeTooLarge(wethEquivalent, p.maxTradeWethWad);
        if (wethEquivalent < minTradeWad) revert TradeTooSmall(wethEquivalent, minTradeWad);
    }

    /// @dev The trade `checkUpkeep` proposes and `performUpkeep` executes: toward zero, capped by the maximum trade,
    ///      the vault's balance and the turnover budget; none when any guard would refuse it.
    function _upkeepRequest(Params memory p) internal view returns (bool due, RebalanceRequest memory req) {
        // solhint-disable-next-line not-rely-on-time
        HedgeState memory st = _state;
        // solhint-disable-next-line not-rely-on-time
        if (st.paused || block.timestamp < st.cooldownEndsAt || st.lastHedgeBlock == block.number) return (false, req);
        (bool marketOk, uint256 oracleWad, uint256 buyPriceWad) = _upkeepMarket(p);
        if (!marketOk) return (false, req);
        int256 delta;
        uint256 bandWad;
        try _vault.netDeltaAndNotionalAtWad(oracleWad) returns (int256 d, uint256 grossNotionalWad) {
            (delta, bandWad) = (d, _bandWad(p, grossNotionalWad));
        } catch {
            return (false, req);
        }
        if (SignedMath.abs(delta) <= bandWad) return (false, req);
        (, uint256 turnoverUsed) = _budgetsUsed(p);
        uint256 tradeWeth = Math.min(
            Math.min(SignedMath.abs(delta), p.maxTradeWethWad),
            _left(turnoverUsed, p.turnoverBudgetWethWad)
        );
        req.buyWeth = delta < 0;
        // Buying |delta| worth of USDC at the lowest of the oracle, the pool's spot and its block-start price lands
        // short of zero: a fill is no cheaper than the pool's price, so it never overshoots (at the oracle alone it
        // would when the pool trades below it by more than the fee); rounding down keeps it within the caps.
        req.amountIn = req.buyWeth ? Math.mulDiv(tradeWeth, buyPriceWad, WAD * USDC_TO_WAD) : tradeWeth;
        req.amountIn = Math.min(req.amountIn, (req.buyWeth ? usdc : weth).balanceOf(address(_vault)));
        if (req.amountIn == 0 || _wethEquivalent(req, oracleWad) < _minTradeWad(p)) return (false, req);
        req.deadline = block.timestamp; // solhint-disable-line not-rely-on-time
        req.expectedNonce = st.nonce;
        return (true, req);
    }

    /// @dev `_checkRequest`'s feed and pool guards as a flag, never reverting; the oracle price, and the lowest of the
    ///      oracle, pool spot and block-start prices (what `_upkeepRequest` sizes a buy at).
    function _upkeepMarket(Params memory p) internal view returns (bool ok, uint256 oracleWad, uint256 buyPriceWad) {
        bool fresh;
        (fresh, oracleWad) = OracleLib.tryReadPriceWad(feed, p.maxOracleAgeSec);
        (bool usdcFresh, uint256 usdcWad) = OracleLib.tryReadPriceWad(usdcFeed, p.maxUsdcOracleAgeSec);
        if (!fresh || !usdcFresh || _gapBps(usdcWad, WAD) > p.maxUsdcDepegBps) return (false, 0, 0);
        (bool twapOk, uint256 twapWad, bool blockStartOk, uint256 blockStartWad) = PoolPriceLib
            .tryTwapAndRecentPriceWad(_pool, wethIsToken0, p.twapWindowSec, BLOCK_START_WINDOW_SEC);
        if (!twapOk || _gapBps(twapWad, oracleWad) > p.maxPoolDeviationBps) return (false, 0, 0);
        (bool spotOk, uint256 spotWad) = PoolPriceLib.trySpotPriceWad(_pool, wethIsToken0);
        ok = blockStartOk && spotOk && _gapBps(spotWad, twapWad) <= p.maxPoolDeviationBps;
        buyPriceWad = Math.min(oracleWad, Math.min(spotWad, blockStartWad));
    }

    /// @inheritdoc IUniswapV3SwapCallbackMinimal
    /// @dev Pays the pool from the vault: only the one pool, only during the adapter's own swap, once, in the token
    ///      going in and at most the trade's amount in. Reverts with `SwapCallbackUnauthorized` otherwise, and with
    ///      `SwapCallbackAmountInvalid` when the pool asks for nothing or for more than the amount in.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        uint256 pending = SWAP_PENDING_SLOT.asUint256().tload();
        if (msg.sender != address(_pool) || pending == 0) revert SwapCallbackUnauthorized(msg.sender);
        SWAP_PENDING_SLOT.asUint256().tstore(0);
        bool zeroForOne = pending & 1 == 1;
        uint256 maxAmountIn = pending >> 1;
        int256 owed = zeroForOne ? amount0Delta : amount1Delta;
        if (owed <= 0 || uint256(owed) > maxAmountIn) revert SwapCallbackAmountInvalid(owed, maxAmountIn);
        SWAP_PAID_SLOT.asUint256().tstore(uint256(owed));
        // token0 goes in when zeroForOne.
        IERC20 tokenIn = zeroForOne == wethIsToken0 ? weth : usdc;
        _vault.transferForHedge(address(tokenIn), uint256(owed), msg.sender);
    }

    /// @dev Swaps `amountIn` on the pool, output straight to the vault, input paid by the vault in the callback.
    ///      The adapter does not take the pool's word for the fill: it measures what the vault received and reverts
    ///      below `minOut`. A swap that runs out of liquidity takes less than `amountIn`; the vault pays only that.
    /// @return paid What the vault paid the pool (≤ amountIn).
    /// @return received What the vault received.
    function _swap(RebalanceRequest memory req, uint256 minOut) internal returns (uint256 paid, uint256 received) {
        IERC20 tokenOut = req.buyWeth ? weth : usdc;
        bool zeroForOne = req.buyWeth != wethIsToken0;
        uint256 balanceBefore = tokenOut.balanceOf(address(_vault));
        SWAP_PENDING_SLOT.asUint256().tstore((req.amountIn << 1) | (zeroForOne ? 1 : 0));
        _pool.swap(
            address(_vault),
            zeroForOne,
            SafeCast.toInt256(req.amountIn),
            zeroForOne ? MIN_SQRT_PRICE_LIMIT : MAX_SQRT_PRICE_LIMIT,
            ""
        );
        paid = SWAP_PAID_SLOT.asUint256().tload();
        SWAP_PENDING_SLOT.asUint256().tstore(0);
        SWAP_PAID_SLOT.asUint256().tstore(0);
        received = tokenOut.balanceOf(address(_vault)) - balanceBefore;
        if (received < minOut) revert InsufficientOutput(received, minOut);
    }

    function _sweepToVault(IERC20 token) internal {
        uint256 amount = token.balanceOf(address(this));
        if (amount == 0) return;
        emit Swept(address(token), amount);
        token.safeTransfer(address(_vault), amount);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Guardian (or admin) stops all hedging.
    function pause() external {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        if (_state.paused) revert EnforcedPause();
        _state.paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Only the DAO timelock resumes hedging.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_state.paused) revert ExpectedPause();
        _state.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev The last admin may not leave: nobody could unpause, set parameters or replace keepers again.
    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (role == DEFAULT_ADMIN_ROLE && hasRole(role, account) && getRoleMemberCount(role) == 1) {
            revert LastAdminCannotLeave();
        }
        return super._revokeRole(role, account);
    }

    // ------------------------------------------------------------------ views

    /// @notice Whether hedging is paused (by the guardian or the admin; only the admin resumes it).
    function paused() external view returns (bool) {
        return _state.paused;
    }

    /// @inheritdoc IHedgeAdapter
    function hedgeNonce() external view returns (uint64) {
        return _state.nonce;
    }

    /// @inheritdoc IHedgeAdapter
    function lastHedgeTimestamp() external view returns (uint64) {
        // Before the first hedge, `budgetsUpdatedAt` holds the deployment time, not a hedge's.
        return _state.nonce == 0 ? 0 : _state.budgetsUpdatedAt;
    }

    /// @inheritdoc IHedgeAdapter
    function lastHedgeBlock() external view returns (uint64) {
        return _state.lastHedgeBlock;
    }

    /// @inheritdoc IHedgeAdapter
    function cooldownEndsAt() external view returns (uint64) {
        return _state.cooldownEndsAt;
    }

    /// @inheritdoc IHedgeAdapter
    function vault() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc IHedgeAdapter
    function pool() external view returns (address) {
        return address(_pool);
    }

    /// @inheritdoc IHedgeAdapter
    function budgetsAvailable() external view returns (uint256 lossUsdWad, uint256 turnoverWethWad) {
        Params memory p = _loadParams();
        (uint256 lossUsed, uint256 turnoverUsed) = _budgetsUsed(p);
        return (_left(lossUsed, p.lossBudgetUsdWad), _left(turnoverUsed, p.turnoverBudgetWethWad));
    }

    /// @inheritdoc IHedgeAdapter
    function oracleMinAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256) {
        Params memory p = _loadParams();
        (uint256 oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        return _boundAt(buyWeth, amountIn, oracleWad, p.maxSlippageBps);
    }

    /// @inheritdoc IHedgeAdapter
    function minAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256) {
        Params memory p = _loadParams();
        Prices memory px;
        (px.oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        (px.twapWad, px.blockStartWad) = _readTwaps(p);
        return _minAmountOut(buyWeth, amountIn, px, p);
    }

    /// @inheritdoc IHedgeAdapter
    function bandWad() external view returns (uint256 band, uint256 grossNotionalWad) {
        Params memory p = _loadParams();
        (uint256 oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        (, grossNotionalWad) = _vault.netDeltaAndNotionalAtWad(oracleWad);
        band = _bandWad(p, grossNotionalWad);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The stricter of two bounds, both maxSlippageBps wide:
    ///      - the oracle bound (off Chainlink);
    ///      - the pool-TWAP bound over the last second, i.e. off the pool's price when this block began: when the
    ///        oracle lags the market, a keeper that front-runs its own hedge in the same block still cannot fill below
    ///        the market the block opened at; after a real move, arbitrage in earlier blocks has already brought it
    ///        there, so an honest hedge is not held back (a bound on the window TWAP would hold it until the TWAP
    ///        caught up: the crash scenario measured hedges refused for the whole fall). A pool pushed over several
    ///        blocks is held by the spot-vs-TWAP and TWAP-vs-oracle gates, and the oracle bound still applies.
    function _minAmountOut(
        bool buyWeth,
        uint256 amountIn,
        Prices memory px,
        Params memory p
    ) internal pure returns (uint256) {
        return
            Math.max(
                _boundAt(buyWeth, amountIn, px.oracleWad, p.maxSlippageBps),
                _boundAt(buyWeth, amountIn, px.blockStartWad, p.maxSlippageBps)
            );
    }

    /// @dev What `amountIn` is worth at `priceWad`, less `toleranceBps`, in the output token's units, rounded up.
    function _boundAt(
        bool buyWeth,
        uint256 amountIn,
        uint256 priceWad,
        uint256 toleranceBps
    ) internal pure returns (uint256) {
        uint256 keepBps = BPS - toleranceBps;
        return
            buyWeth
                ? Math.mulDiv(amountIn, WAD * USDC_TO_WAD * keepBps, priceWad * BPS, Math.Rounding.Ceil) // USDC -> WETH
                : Math.mulDiv(amountIn, priceWad * keepBps, WAD * USDC_TO_WAD * BPS, Math.Rounding.Ceil); // WETH -> USDC
    }

    /// @dev The trade's size in WETH (wad); USDC in is valued at the oracle price.
    function _wethEquivalent(RebalanceRequest memory req, uint256 oracleWad) internal pure returns (uint256) {
        return req.buyWeth ? Math.mulDiv(req.amountIn, WAD * USDC_TO_WAD, oracleWad) : req.amountIn;
    }

    /// @dev Oracle value in minus oracle value out, USD wad; a fill better than the oracle costs nothing.
    function _lossUsdWad(
        bool buyWeth,
        uint256 amountIn,
        uint256 amountOut,
        uint256 oracleWad
    ) internal pure returns (uint256) {
        (uint256 inUsd, uint256 outUsd) = buyWeth
            ? (amountIn * USDC_TO_WAD, Math.mulDiv(amountOut, oracleWad, WAD))
            : (Math.mulDiv(amountIn, oracleWad, WAD), amountOut * USDC_TO_WAD);
        return inUsd > outUsd ? inUsd - outUsd : 0;
    }

    /// @dev The band in force for a book of `grossNotionalWad`: max(floor, gross × bps). Both factors are bounded
    ///      (bps ≤ 2,000; the notional is a sum of at most the vault's cap of int128 sizes), so it cannot overflow.
    function _bandWad(Params memory p, uint256 grossNotionalWad) internal pure returns (uint256) {
        return Math.max(p.deltaBandWad, (grossNotionalWad * p.deltaBandBps) / BPS);
    }

    function _minTradeWad(Params memory p) internal pure returns (uint256) {
        return Math.min(p.minTradeWethWad, p.deltaBandWad);
    }

    /// @dev Budget spent as of now: what was recorded, less a linear recharge of `budget / window` per second.
    function _budgetsUsed(Params memory p) internal view returns (uint256 lossUsed, uint256 turnoverUsed) {
        // solhint-disable-next-line not-rely-on-time
        uint256 elapsed = block.timestamp - _state.budgetsUpdatedAt;
        lossUsed = _recharged(_state.lossUsedUsdWad, p.lossBudgetUsdWad, elapsed, p.budgetWindowSec);
        turnoverUsed = _recharged(_state.turnoverUsedWethWad, p.turnoverBudgetWethWad, elapsed, p.budgetWindowSec);
    }

    function _recharged(uint256 used, uint256 budget, uint256 elapsed, uint256 window) internal pure returns (uint256) {
        uint256 recharge = elapsed >= window ? budget : Math.mulDiv(budget, elapsed, window);
        return used > recharge ? used - recharge : 0;
    }

    function _left(uint256 used, uint256 budget) internal pure returns (uint256) {
        return budget > used ? budget - used : 0;
    }

    /// @dev |a − b| / b in bps.
    function _gapBps(uint256 a, uint256 b) internal pure returns (uint256) {
        return Math.mulDiv(a > b ? a - b : b - a, BPS, b);
    }

    /// @inheritdoc HedgeAdapterParams
    function _checkTwapObservable(uint32 windowSec) internal view override {
        (bool ok, ) = PoolPriceLib.tryTwapPriceWad(_pool, wethIsToken0, windowSec);
        if (!ok) revert TwapUnavailable(windowSec);
    }
}
