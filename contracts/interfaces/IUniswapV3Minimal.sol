// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The parts of Uniswap V3 (deployed from the official 0.7.6 artifacts) that our 0.8 contracts call.
interface IUniswapV3PoolMinimal {
    function slot0()
        external
        view
        returns (
            uint160 sqrtPriceX96,
            int24 tick,
            uint16 observationIndex,
            uint16 observationCardinality,
            uint16 observationCardinalityNext,
            uint8 feeProtocol,
            bool unlocked
        );

    function observe(
        uint32[] calldata secondsAgos
    ) external view returns (int56[] memory tickCumulatives, uint160[] memory secondsPerLiquidityCumulativeX128s);

    function token0() external view returns (address);
    function token1() external view returns (address);
    function fee() external view returns (uint24);

    /// @notice Swaps exact input (amountSpecified > 0) up to `sqrtPriceLimitX96`, pays `recipient` first, then calls
    ///         `uniswapV3SwapCallback` on the caller for what it owes, and checks that it was paid.
    function swap(
        address recipient,
        bool zeroForOne,
        int256 amountSpecified,
        uint160 sqrtPriceLimitX96,
        bytes calldata data
    ) external returns (int256 amount0, int256 amount1);
}

/// @notice Called by a Uniswap V3 pool on the account that called `swap`, for it to pay what the swap owes.
interface IUniswapV3SwapCallbackMinimal {
    /// @param amount0Delta Token0 the pool received (> 0: owed to it) or sent (< 0) in the swap.
    /// @param amount1Delta Token1, likewise.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;
}

/// @notice Uniswap V3 SwapRouter (v3-periphery 1.x), exactInputSingle only.
interface ISwapRouterMinimal {
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    function factory() external view returns (address);

    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);
}

/// @notice Uniswap V3 factory, pool lookup only.
interface IUniswapV3FactoryMinimal {
    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address pool);
}
