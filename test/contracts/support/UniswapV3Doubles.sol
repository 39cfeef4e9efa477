// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {
    IUniswapV3PoolMinimal,
    ISwapRouterMinimal,
    IUniswapV3SwapCallbackMinimal
} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";

/// @notice Test double for a Uniswap V3 pool: what HedgeAdapter and PoolPriceLib read (tokens, fee, slot0, observe),
///         with the TWAP set as a mean tick over any window or as raw tick cumulatives, and a scripted `swap`.
/// @dev The real pool is 0.7.6 bytecode; this double lets fuzz tests steer the TWAP tick directly and play an
///      adversarial pool: `swap` pays whatever the test scripted, from its own balance, to the recipient or elsewhere,
///      never checks what it was paid, reports an amount out that need not match, and asks the caller's
///      `uniswapV3SwapCallback` for the amount in, a scripted amount, the wrong token, twice or not at all.
contract UniswapV3PoolDouble is IUniswapV3PoolMinimal {
    using SafeERC20 for IERC20;

    /// @notice How the scripted swap calls back its caller.
    enum CallbackMode {
        Honest, // once, for the amount in (or `owedOverride`) of the token going in
        WrongToken, // once, for the amount of the token coming out
        Twice, // twice, as Honest
        None // never
    }

    address public immutable token0;
    address public immutable token1;
    uint24 public immutable fee;

    uint160 public sqrtPriceX96;
    int24 public spotTick;

    /// @dev When `useRawCumulatives`, observe returns these two values verbatim (for [window, 0] queries).
    bool public useRawCumulatives;
    int56 public rawCumulativeOld;
    int56 public rawCumulativeNow;
    int24 public meanTick;
    /// @dev A pool whose `observe` reverts (Uniswap's `OLD`, or any pool misbehaving).
    bool public observeReverts;

    // ---- the scripted swap
    uint256 public nextPayout;
    /// @dev Where the payout goes: the requested recipient, or (adversarial) somewhere else.
    address public payoutOverride;
    /// @dev What the pool reports it paid; type(uint256).max means "report exactly the payout".
    uint256 public claimedAmountOut = type(uint256).max;
    /// @dev What the callback asks for; type(uint256).max means "the amount in" (a full exact-input fill).
    uint256 public owedOverride = type(uint256).max;
    CallbackMode public callbackMode;
    uint256 public swapCount;

    constructor(address tokenA, address tokenB, uint24 fee_) {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        fee = fee_;
    }

    function setSlot0(uint160 sqrtPriceX96_, int24 tick) external {
        sqrtPriceX96 = sqrtPriceX96_;
        spotTick = tick;
    }

    /// @notice Every window's time-weighted mean tick becomes `tick`.
    function setMeanTick(int24 tick) external {
        meanTick = tick;
        useRawCumulatives = false;
    }

    /// @notice observe([w, 0]) returns exactly (cumulativeOld, cumulativeNow).
    function setRawCumulatives(int56 cumulativeOld, int56 cumulativeNow) external {
        rawCumulativeOld = cumulativeOld;
        rawCumulativeNow = cumulativeNow;
        useRawCumulatives = true;
    }

    function setObserveReverts(bool reverts) external {
        observeReverts = reverts;
    }

    /// @notice The next swaps pay `payout` of the output token to `payTo` (0: the recipient) and report `claimed`.
    function script(uint256 payout, address payTo, uint256 claimed) external {
        nextPayout = payout;
        payoutOverride = payTo;
        claimedAmountOut = claimed;
    }

    /// @notice The next swaps call back in `mode`, asking for `owed` (type(uint256).max: the amount in).
    function scriptCallback(CallbackMode mode, uint256 owed) external {
        callbackMode = mode;
        owedOverride = owed;
    }

    function slot0() external view returns (uint160, int24, uint16, uint16, uint16, uint8, bool) {
        return (sqrtPriceX96, spotTick, 0, 1, 1, 0, true);
    }

    function observe(
        uint32[] calldata secondsAgos
    ) external view returns (int56[] memory tickCumulatives, uint160[] memory secondsPerLiquidityCumulativeX128s) {
        require(!observeReverts, "OLD");
        tickCumulatives = new int56[](secondsAgos.length);
        secondsPerLiquidityCumulativeX128s = new uint160[](secondsAgos.length);
        for (uint256 i; i < secondsAgos.length; ++i) {
            if (useRawCumulatives) {
                tickCumulatives[i] = secondsAgos[i] == 0 ? rawCumulativeNow : rawCumulativeOld;
            } else {
                // A pool that has sat at `meanTick` since time zero: cumulative = tick × elapsed seconds.
                int56 elapsed = int56(uint56(block.timestamp)) - int56(uint56(secondsAgos[i]));
                tickCumulatives[i] = int56(meanTick) * elapsed;
            }
        }
    }

    /// @notice Exact input only (amountSpecified > 0), as the adapter swaps; the price limit is ignored.
    function swap(
        address recipient,
        bool zeroForOne,
        int256 amountSpecified,
        uint160,
        bytes calldata data
    ) external returns (int256 amount0, int256 amount1) {
        require(amountSpecified > 0, "exact input only");
        ++swapCount;
        address tokenOut = zeroForOne ? token1 : token0;
        address to = payoutOverride == address(0) ? recipient : payoutOverride;
        if (nextPayout > 0) IERC20(tokenOut).safeTransfer(to, nextPayout);
        uint256 claimed = claimedAmountOut == type(uint256).max ? nextPayout : claimedAmountOut;
        int256 outDelta = -int256(claimed % (2 ** 255));
        int256 owed = owedOverride == type(uint256).max ? amountSpecified : int256(owedOverride % (2 ** 255));
        // Exact input: the token going in is owed (> 0), the token coming out was paid (< 0).
        (amount0, amount1) = zeroForOne ? (owed, outDelta) : (outDelta, owed);
        CallbackMode mode = callbackMode;
        if (mode == CallbackMode.None) return (amount0, amount1);
        if (mode == CallbackMode.WrongToken) {
            (int256 wrong0, int256 wrong1) = zeroForOne ? (outDelta, owed) : (owed, outDelta);
            IUniswapV3SwapCallbackMinimal(msg.sender).uniswapV3SwapCallback(wrong0, wrong1, data);
            return (amount0, amount1);
        }
        IUniswapV3SwapCallbackMinimal(msg.sender).uniswapV3SwapCallback(amount0, amount1, data);
        if (mode == CallbackMode.Twice) {
            IUniswapV3SwapCallbackMinimal(msg.sender).uniswapV3SwapCallback(amount0, amount1, data);
        }
    }
}

/// @notice Test double for the SwapRouter as the adapter uses it since it swaps on the pool directly: a factory that
///         vouches for the one registered pool. It never swaps.
contract SwapRouterDouble is ISwapRouterMinimal {
    /// @dev The router doubles as its own factory: `getPool` answers with the one registered pool.
    address public pool;

    function setPool(address pool_) external {
        pool = pool_;
    }

    function factory() external view returns (address) {
        return address(this);
    }

    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address) {
        if (pool == address(0)) return address(0);
        IUniswapV3PoolMinimal p = IUniswapV3PoolMinimal(pool);
        bool sameTokens =
            (tokenA == p.token0() && tokenB == p.token1()) || (tokenA == p.token1() && tokenB == p.token0());
        return sameTokens && fee == p.fee() ? pool : address(0);
    }

    function exactInputSingle(ExactInputSingleParams calldata) external payable returns (uint256) {
        revert("SwapRouterDouble: the adapter swaps on the pool");
    }
}
