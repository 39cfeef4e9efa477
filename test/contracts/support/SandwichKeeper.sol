// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";
import {ISwapRouterMinimal} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";

/// @notice A stolen keeper key run as a contract: moves the pool with its own funds, then hedges, in one transaction
///         (the front half of a self-sandwich, in the hedge's own block). Holds KEEPER_ROLE in the tests that use it.
contract SandwichKeeper {
    /// @notice Swaps `pushIn` of `tokenIn` on the pool (exact input, no bound), then sends `req` to the adapter.
    function pushThenHedge(
        ISwapRouterMinimal router,
        address tokenIn,
        address tokenOut,
        uint24 fee,
        uint256 pushIn,
        IHedgeAdapter adapter,
        IHedgeAdapter.RebalanceRequest calldata req
    ) external returns (uint256 hedgeOut) {
        IERC20(tokenIn).approve(address(router), pushIn);
        router.exactInputSingle(
            ISwapRouterMinimal.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: fee,
                recipient: address(this),
                deadline: block.timestamp, // solhint-disable-line not-rely-on-time
                amountIn: pushIn,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: 0
            })
        );
        return adapter.rebalance(req);
    }
}
