// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "./ForgeTest.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {HedgeAdapter} from "../../../contracts/HedgeAdapter.sol";
import {OptionsVault} from "../../../contracts/OptionsVault.sol";
import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";
import {TestERC20} from "./TestTokens.sol";
import {UniswapV3PoolDouble, SwapRouterDouble} from "./UniswapV3Doubles.sol";
import {TickPricing} from "./TickPricing.sol";
import {UniswapV3Replica} from "./UniswapV3Replica.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "../../../contracts/interfaces/IUniswapV3Minimal.sol";
import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";

/// @notice Shared fixture for the Solidity HedgeAdapter tests: WETH (18) / USDC (6) test tokens, Chainlink's
///         MockV3Aggregator at $3000, an OptionsVault short 100 ATM 30-day calls, and a HedgeAdapter wired either to
///         Uniswap V3 pool/router doubles (fuzzable TWAP and fills) or to the published Uniswap V3 bytecode.
abstract contract HedgeStack is ForgeTest {
    uint256 internal constant START_TIME = 1_700_000_000;
    int256 internal constant START_PRICE_E8 = 3000e8;
    uint24 internal constant POOL_FEE = 500;

    address internal admin = makeAddr("admin");
    address internal guardian = makeAddr("guardian");
    address internal writer = makeAddr("writer");
    address internal keeper = makeAddr("keeper");
    address internal keeper2 = makeAddr("keeper2");
    address internal counterparty = makeAddr("counterparty");
    address internal stranger = makeAddr("stranger");

    TestERC20 internal weth;
    TestERC20 internal usdc;
    MockV3Aggregator internal feed;
    MockV3Aggregator internal usdcFeed;
    OptionsVault internal vault;
    UniswapV3PoolDouble internal pool;
    SwapRouterDouble internal router;
    HedgeAdapter internal adapter;
    bool internal wethIsToken0;

    function defaultParams() internal pure returns (IHedgeAdapter.Params memory) {
        return
            IHedgeAdapter.Params({
                deltaBandWad: 5e18,
                maxTradeWethWad: 50e18,
                cooldownSec: 0,
                maxOracleAgeSec: 3600,
                maxSlippageBps: 50,
                maxPoolDeviationBps: 300,
                twapWindowSec: 60,
                minTradeWethWad: 0.01e18,
                overshootToleranceWad: 1e18,
                lossBudgetUsdWad: 1_000_000e18,
                turnoverBudgetWethWad: 1_000_000e18,
                budgetWindowSec: 1 days,
                maxUsdcDepegBps: 200,
                maxUsdcOracleAgeSec: 1 days,
                deltaBandBps: 0
            });
    }

    /// @notice Tokens, feed, vault (short 100 ATM calls, 20 WETH, 1e9 USDC) and an adapter on pool/router doubles.
    /// @param wethFirst Whether WETH sorts before USDC (pool token0); mainnet has USDC first.
    function deployStack(bool wethFirst) internal {
        _deployVault(wethFirst);
        pool = new UniswapV3PoolDouble(address(weth), address(usdc), POOL_FEE);
        router = new SwapRouterDouble();
        router.setPool(address(pool));
        TickPricing.placePool(pool, uint256(START_PRICE_E8) * 1e10, wethFirst, 0);
        _deployAdapter(router, pool);
    }

    /// @notice The same stack on the published Uniswap V3 bytecode, USDC as token0 (mainnet orientation), with
    ///         liquidity of ≈ 890 WETH and 2.7M USDC within ±10% of $3000 and a 60 s price history for the TWAP.
    /// @return ok False when the Uniswap artifacts cannot be read (see UniswapV3Replica).
    function deployRealUniswapStack() internal returns (bool ok, UniswapV3Replica.Market memory market) {
        _deployVault(false);
        uint256 priceWad = uint256(START_PRICE_E8) * 1e10;
        (ok, market) = UniswapV3Replica.deploy(
            vm,
            address(weth),
            address(usdc),
            TickPricing.sqrtPriceX96At(priceWad, false),
            TickPricing.tickAt(priceWad, false),
            1_000,
            1e18
        );
        if (!ok) return (false, market);
        _deployAdapter(ISwapRouterMinimal(market.router), IUniswapV3PoolMinimal(market.pool));
        vm.warp(block.timestamp + 60);
        vm.roll(block.number + 5);
        feed.updateAnswer(START_PRICE_E8);
        usdcFeed.updateAnswer(1e8);
    }

    function _deployVault(bool wethFirst) private {
        vm.warp(START_TIME);
        vm.roll(1_000);
        weth = new TestERC20("Wrapped Ether", "WETH", 18);
        usdc = new TestERC20("USD Coin", "USDC", 6);
        // Addresses come from the deployer nonce: redeploy USDC until the pair sorts the requested way.
        while ((address(weth) < address(usdc)) != wethFirst) usdc = new TestERC20("USD Coin", "USDC", 6);
        wethIsToken0 = wethFirst;
        feed = new MockV3Aggregator(8, START_PRICE_E8);
        usdcFeed = new MockV3Aggregator(8, 1e8);
        vault = new OptionsVault(admin, address(weth), address(usdc), address(feed), 20);
        weth.mint(address(vault), 20e18);
        usdc.mint(address(vault), 1e9 * 1e6);
        bytes32 writerRole = vault.WRITER_ROLE();
        vm.prank(admin);
        vault.grantRole(writerRole, writer);
        vm.prank(writer);
        vault.openSeries(3000e18, block.timestamp + 30 days, true, 0.8e18, -100e18, counterparty);
    }

    function _deployAdapter(ISwapRouterMinimal router_, IUniswapV3PoolMinimal pool_) private {
        adapter = new HedgeAdapter(admin, vault, router_, pool_, usdcFeed, defaultParams());
        vm.startPrank(admin);
        vault.grantRole(vault.HEDGER_ROLE(), address(adapter));
        adapter.grantRole(adapter.KEEPER_ROLE(), keeper);
        adapter.grantRole(adapter.KEEPER_ROLE(), keeper2);
        adapter.grantRole(adapter.GUARDIAN_ROLE(), guardian);
        vm.stopPrank();
    }

    function oraclePriceWad() internal view returns (uint256) {
        (, int256 answer, , , ) = feed.latestRoundData();
        return uint256(answer) * 1e10;
    }

    /// @notice The pool's TWAP over the adapter's window (PoolPriceLib is checked against a reference elsewhere).
    function poolTwapWad() internal view returns (uint256) {
        IUniswapV3PoolMinimal pool_ = IUniswapV3PoolMinimal(adapter.pool());
        return PoolPriceLib.twapPriceWad(pool_, wethIsToken0, adapter.params().twapWindowSec);
    }

    /// @notice The pool's price when this block began: its TWAP over the last second.
    function poolBlockStartWad() internal view returns (uint256) {
        return PoolPriceLib.twapPriceWad(IUniswapV3PoolMinimal(adapter.pool()), wethIsToken0, 1);
    }

    /// @notice The smallest fill that meets both the oracle bound and the block-start bound at today's prices.
    function strictestMinOut(bool buyWeth, uint256 amountIn) internal view returns (uint256) {
        return FillBounds.minOut(buyWeth, amountIn, oraclePriceWad(), poolBlockStartWad(), adapter.params());
    }
}

/// @notice The spec's two fill bounds together, both maxSlippageBps wide: fair value at the oracle, and fair value at
///         the pool's price when the block began (its one-second TWAP); a fill must meet both.
library FillBounds {
    function minOut(
        bool buyWeth,
        uint256 amountIn,
        uint256 oracleWad,
        uint256 blockStartWad,
        IHedgeAdapter.Params memory p
    ) internal pure returns (uint256) {
        uint256 oracleMin = OracleBound.minOut(buyWeth, amountIn, oracleWad, p.maxSlippageBps);
        uint256 poolMin = OracleBound.minOut(buyWeth, amountIn, blockStartWad, p.maxSlippageBps);
        return oracleMin > poolMin ? oracleMin : poolMin;
    }

    function holds(
        bool buyWeth,
        uint256 amountIn,
        uint256 received,
        uint256 oracleWad,
        uint256 blockStartWad,
        IHedgeAdapter.Params memory p
    ) internal pure returns (bool oracleOk, bool poolOk) {
        oracleOk = OracleBound.holds(buyWeth, amountIn, received, oracleWad, p.maxSlippageBps);
        poolOk = OracleBound.holds(buyWeth, amountIn, received, blockStartWad, p.maxSlippageBps);
    }
}

/// @notice The oracle bound of property 1 (and, at the TWAP price, the TWAP bound), computed independently of the adapter, in exact rational arithmetic.
library OracleBound {
    /// @notice True when `received` >= fair value of `amountIn` at `priceWad` × (1 − slippageBps / 10_000), exactly.
    /// @dev buy (USDC in, WETH out): fair = amountIn × 1e30 / price; sell (WETH in, USDC out): fair = amountIn × price / 1e30.
    function holds(
        bool buyWeth,
        uint256 amountIn,
        uint256 received,
        uint256 priceWad,
        uint256 slippageBps
    ) internal pure returns (bool) {
        uint256 keepBps = 10_000 - slippageBps;
        return
            buyWeth
                ? received * priceWad * 10_000 >= amountIn * 1e30 * keepBps
                : received * 1e30 * 10_000 >= amountIn * priceWad * keepBps;
    }

    /// @notice Fair output at `priceWad`, rounded down.
    function fairOut(bool buyWeth, uint256 amountIn, uint256 priceWad) internal pure returns (uint256) {
        return buyWeth ? (amountIn * 1e30) / priceWad : (amountIn * priceWad) / 1e30;
    }

    /// @notice The smallest integer output that satisfies `holds`.
    function minOut(
        bool buyWeth,
        uint256 amountIn,
        uint256 priceWad,
        uint256 slippageBps
    ) internal pure returns (uint256) {
        uint256 keepBps = 10_000 - slippageBps;
        return
            buyWeth
                ? _divCeil(amountIn * 1e30 * keepBps, priceWad * 10_000)
                : _divCeil(amountIn * priceWad * keepBps, 1e30 * 10_000);
    }

    function _divCeil(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
