// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {TestERC20} from "./TestTokens.sol";

/// @notice 0.8 views of the Uniswap V3 (0.7.6) calls the replica needs.
interface IUniswapV3FactoryDeploy {
    function createPool(address tokenA, address tokenB, uint24 fee) external returns (address pool);
}

interface IUniswapV3PoolDeploy {
    function initialize(uint160 sqrtPriceX96) external;
    function increaseObservationCardinalityNext(uint16 observationCardinalityNext) external;
    function mint(
        address recipient,
        int24 tickLower,
        int24 tickUpper,
        uint128 amount,
        bytes calldata data
    ) external returns (uint256 amount0, uint256 amount1);
    function token0() external view returns (address);
    function token1() external view returns (address);
}

/// @notice Provides the replica pool's liquidity, paying what the pool asks for by minting the test tokens.
contract TestLiquidityProvider {
    function provide(IUniswapV3PoolDeploy pool, int24 tickLower, int24 tickUpper, uint128 liquidity) external {
        pool.mint(address(this), tickLower, tickUpper, liquidity, "");
    }

    function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
        IUniswapV3PoolDeploy pool = IUniswapV3PoolDeploy(msg.sender);
        if (amount0Owed > 0) TestERC20(pool.token0()).mint(msg.sender, amount0Owed);
        if (amount1Owed > 0) TestERC20(pool.token1()).mint(msg.sender, amount1Owed);
    }
}

/// @notice Deploys the published Uniswap V3 bytecode (UniswapV3Factory, its pool, SwapRouter) from the npm artifacts,
///         as scripts/lib/market/market.ts does for the mocha tests.
/// @dev Reading node_modules needs the Solidity test profile's `fsPermissions` to allow `node_modules/@uniswap`;
///      without it `deploy` returns ok = false and the caller skips.
library UniswapV3Replica {
    string internal constant FACTORY_ARTIFACT =
        "node_modules/@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json";
    string internal constant ROUTER_ARTIFACT =
        "node_modules/@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json";
    int24 internal constant TICK_SPACING_500 = 10;

    struct Market {
        address pool;
        address router;
    }

    /// @param tick The pool's starting tick (the price), rounded to the 0.05% tier's spacing for the liquidity range.
    /// @param sqrtPriceX96 The pool's starting price.
    /// @param halfRangeTicks Liquidity sits in [tick − halfRangeTicks, tick + halfRangeTicks].
    function deploy(
        Vm vm,
        address weth,
        address usdc,
        uint160 sqrtPriceX96,
        int24 tick,
        int24 halfRangeTicks,
        uint128 liquidity
    ) internal returns (bool ok, Market memory market) {
        bytes memory factoryCode;
        bytes memory routerCode;
        try vm.readFile(FACTORY_ARTIFACT) returns (string memory json) {
            factoryCode = vm.parseJsonBytes(json, ".bytecode");
            routerCode = vm.parseJsonBytes(vm.readFile(ROUTER_ARTIFACT), ".bytecode");
        } catch {
            return (false, market);
        }
        address factory = _create(factoryCode);
        market.pool = IUniswapV3FactoryDeploy(factory).createPool(weth, usdc, 500);
        market.router = _create(bytes.concat(routerCode, abi.encode(factory, weth)));

        IUniswapV3PoolDeploy pool = IUniswapV3PoolDeploy(market.pool);
        pool.initialize(sqrtPriceX96);
        // Room for one observation per swap, so that a TWAP window survives a burst of trades.
        pool.increaseObservationCardinalityNext(256);
        int24 centre = (tick / TICK_SPACING_500) * TICK_SPACING_500;
        new TestLiquidityProvider().provide(pool, centre - halfRangeTicks, centre + halfRangeTicks, liquidity);
        return (true, market);
    }

    function _create(bytes memory initCode) private returns (address deployed) {
        assembly {
            deployed := create(0, add(initCode, 0x20), mload(initCode))
        }
        require(deployed != address(0), "UniswapV3Replica: deployment failed");
    }
}
