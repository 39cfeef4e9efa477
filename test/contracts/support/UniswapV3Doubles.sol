// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";

/// @notice Test double for a Uniswap V3 pool: only what HedgeAdapter and PoolPriceLib read (tokens, fee, slot0,
///         observe). The TWAP is set as a mean tick over any window, or as raw tick cumulatives.
/// @dev The real pool is 0.7.6 bytecode; this double lets fuzz tests steer the TWAP tick directly.
contract UniswapV3PoolDouble is IUniswapV3PoolMinimal {
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
}

/// @notice Test double for SwapRouter.exactInputSingle: pulls `amountIn` from the caller and pays whatever the
///         test scripted, from its own balance, ignoring `amountOutMinimum` (an adversarial or buggy router), and
///         reports a scripted `amountOut` that need not match what it paid.
contract SwapRouterDouble is ISwapRouterMinimal {
    using SafeERC20 for IERC20;

    uint256 public nextPayout;
    /// @dev Where the payout goes: the requested recipient, or (adversarial) somewhere else.
    address public payoutOverride;
    /// @dev What the router claims it paid; type(uint256).max means "claim exactly amountOutMinimum".
    uint256 public claimedAmountOut = type(uint256).max;

    uint256 public swapCount;
    uint256 public lastAmountOutMinimum;

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

    function script(uint256 payout, address payTo, uint256 claimed) external {
        nextPayout = payout;
        payoutOverride = payTo;
        claimedAmountOut = claimed;
    }

    function exactInputSingle(ExactInputSingleParams calldata p) external payable returns (uint256 amountOut) {
        IERC20(p.tokenIn).safeTransferFrom(msg.sender, address(this), p.amountIn);
        address to = payoutOverride == address(0) ? p.recipient : payoutOverride;
        if (nextPayout > 0) IERC20(p.tokenOut).safeTransfer(to, nextPayout);
        ++swapCount;
        lastAmountOutMinimum = p.amountOutMinimum;
        return claimedAmountOut == type(uint256).max ? p.amountOutMinimum : claimedAmountOut;
    }
}
