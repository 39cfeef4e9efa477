// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IHedgeAdapter
/// @notice The keeper's entry point: the only way the vault's hedge inventory moves.
/// @dev Units: wad (1e18) for ETH amounts, deltas and USD prices/values; USDC amounts in 1e6; Chainlink answers 1e8
///      are converted in OracleLib only; bps = 1e-4.
interface IHedgeAdapter {
    /// @notice Governance parameters. Each has hard bounds in code (see `paramBounds`).
    enum Param {
        DeltaBandWad, // the band's floor (ETH, wad): a hedge is accepted only while |net delta| is above the band
        MaxTradeWethWad, // largest single hedge, WETH-equivalent (wad)
        CooldownSec, // seconds after a hedge that ended inside the band before the next one
        MaxOracleAgeSec, // oldest Chainlink ETH/USD answer a hedge may be priced on
        MaxSlippageBps, // worst execution vs the Chainlink price
        MaxPoolDeviationBps, // largest pool-TWAP vs oracle and pool-spot vs TWAP gap; also the fill's TWAP bound
        TwapWindowSec, // TWAP window; must be observable on the pool when set
        MinTradeWethWad, // smallest hedge, WETH-equivalent (wad); effective value min(this, band)
        OvershootToleranceWad, // how far past zero a hedge may land (wad); effective value min(this, band / 2)
        LossBudgetUsdWad, // execution loss vs the oracle (USD, wad) the keepers may spend per budget window
        TurnoverBudgetWethWad, // WETH-equivalent (wad) the keepers may trade per budget window
        BudgetWindowSec, // both budgets recharge linearly over this window
        MaxUsdcDepegBps, // largest |USDC/USD − 1| at which hedging is allowed
        MaxUsdcOracleAgeSec, // oldest USDC/USD answer accepted (the mainnet feed's heartbeat is 24 h)
        DeltaBandBps // the band as a share of the book's gross notional: band = max(DeltaBandWad, gross × this)
    }

    struct Params {
        uint128 deltaBandWad;
        uint128 maxTradeWethWad;
        uint32 cooldownSec;
        uint32 maxOracleAgeSec;
        uint16 maxSlippageBps;
        uint16 maxPoolDeviationBps;
        uint32 twapWindowSec;
        uint96 minTradeWethWad;
        uint96 overshootToleranceWad;
        uint96 lossBudgetUsdWad;
        uint96 turnoverBudgetWethWad;
        uint32 budgetWindowSec;
        uint16 maxUsdcDepegBps;
        uint32 maxUsdcOracleAgeSec;
        uint16 deltaBandBps;
    }

    struct RebalanceRequest {
        bool buyWeth; // true: USDC -> WETH (vault short delta); false: WETH -> USDC
        uint256 amountIn; // USDC (1e6) when buying WETH, WETH (wad) when selling
        uint256 minAmountOut; // keeper's own bound; the adapter also applies the oracle and TWAP bounds, keeps the strictest
        uint256 deadline; // unix seconds
        uint64 expectedNonce; // `hedgeNonce()` the keeper decided on; a hedge that landed meanwhile makes this one revert
    }

    /// @notice Emitted when a hedge (or a settlement raise) swapped. `lossUsdWad` is the fill's shortfall against the
    ///         oracle value of what went in (0 when it filled at or above it), charged to the loss budget.
    event Hedged(
        uint64 indexed nonce,
        address indexed keeper,
        bool buyWeth,
        uint256 amountIn,
        uint256 amountOut,
        int256 deltaBeforeWad,
        int256 deltaAfterWad,
        uint256 oraclePriceWad,
        uint256 poolPriceWad,
        uint256 lossUsdWad
    );
    /// @notice Emitted when a parameter changes (DAO or guardian).
    event ParamUpdated(Param indexed param, uint256 oldValue, uint256 newValue, address indexed by);
    /// @notice Emitted when WETH was sold to pay settlement claims (outside reduce-only, within the shortfall).
    event SettlementRaised(uint256 wethInWad, uint256 usdcOut6, uint256 shortfallBeforeUsdc6);
    /// @notice Emitted when tokens stranded in the adapter were returned to the vault.
    event Swept(address indexed token, uint256 amount);
    /// @notice Emitted when hedging is paused by `account` (the guardian or the admin).
    event Paused(address account);
    /// @notice Emitted when the admin resumes hedging.
    event Unpaused(address account);

    /// @notice Thrown when the block's timestamp is past the request's deadline.
    error DeadlineExpired(uint256 deadline, uint256 nowSec);
    /// @notice Thrown when a hedge, a settlement raise or `pause` meets a paused adapter (the name OpenZeppelin's
    ///         Pausable gave it, which the keeper and its journal already decode).
    error EnforcedPause();
    /// @notice Thrown when `unpause` meets a running adapter.
    error ExpectedPause();
    /// @notice Thrown when another hedge landed since the keeper read `hedgeNonce`.
    error HedgeNonceMismatch(uint64 expected, uint64 actual);
    /// @notice Thrown when the last hedge ended inside the band less than `cooldownSec` ago.
    error CooldownActive(uint256 readyAt);
    /// @notice Thrown on a second hedge in one block.
    error OneHedgePerBlock(uint256 blockNumber);
    /// @notice Thrown when the amount in is zero.
    error ZeroAmount();
    /// @notice Thrown when the trade's WETH equivalent exceeds `maxTradeWethWad`.
    error TradeTooLarge(uint256 wethEquivalentWad, uint256 maxTradeWethWad);
    /// @notice Thrown when the trade's WETH equivalent is below the effective minimum trade.
    error TradeTooSmall(uint256 wethEquivalentWad, uint256 minTradeWethWad);
    /// @notice Thrown when the pool's TWAP is further from the oracle than `maxPoolDeviationBps`.
    error PoolDeviationTooHigh(uint256 poolTwapWad, uint256 oraclePriceWad, uint256 deviationBps, uint256 maxBps);
    /// @notice Thrown when the pool's spot price in the hedge's block is further from its TWAP than allowed.
    error PoolSpotOffTwap(uint256 poolSpotWad, uint256 poolTwapWad, uint256 deviationBps, uint256 maxBps);
    /// @notice Thrown when the pool cannot answer `observe` for the TWAP window (history too short).
    error TwapUnavailable(uint32 windowSec);
    /// @notice Thrown when |net delta| is within the band: no hedge is due.
    error InsideBand(int256 deltaBeforeWad, uint256 deltaBandWad);
    /// @notice Thrown when the trade's direction or size does not shrink |net delta|.
    error NotReducing(int256 deltaBeforeWad, bool buyWeth);
    /// @notice Thrown when the hedge lands past zero by more than the effective overshoot tolerance.
    error Overshoot(int256 deltaAfterWad, uint256 toleranceWad);
    /// @notice Thrown when the trade would spend more execution loss than the rolling budget has left.
    error LossBudgetExceeded(uint256 lossUsdWad, uint256 availableUsdWad);
    /// @notice Thrown when the trade would spend more turnover than the rolling budget has left.
    error TurnoverBudgetExceeded(uint256 wethEquivalentWad, uint256 availableWethWad);
    /// @notice Thrown when USDC/USD is further from $1 than `maxUsdcDepegBps`.
    error UsdcDepegged(uint256 usdcPriceWad, uint256 maxDepegBps);
    /// @notice Thrown when a value is outside the parameter's hard bounds.
    error ParamOutOfBounds(Param param, uint256 value, uint256 min, uint256 max);
    /// @notice Thrown when the guardian tries to make a parameter less strict.
    error GuardianCannotLoosen(Param param, uint256 current, uint256 proposed);
    /// @notice Thrown when the vault received less than the strictest bound.
    error InsufficientOutput(uint256 received, uint256 minAmountOut);
    /// @notice Thrown when a constructor address is zero.
    error ZeroAddress();
    /// @notice Thrown when the pool does not trade exactly the vault's WETH and USDC.
    error TokenMismatch();
    /// @notice Thrown when the pool is not the router factory's pool for the two tokens and its fee.
    error PoolNotFromFactory(address pool, address factoryPool);
    /// @notice Thrown when `performUpkeep` data is not an encoded RebalanceRequest.
    error MalformedPerformData(uint256 length);
    /// @notice Thrown when `checkUpkeep`'s rules find no hedge due at `performUpkeep` time.
    error NoUpkeepNeeded();
    /// @notice Thrown when a settlement raise is requested but the vault owes nothing beyond its USDC.
    error NoSettlementShortfall();
    /// @notice Thrown when a settlement raise sells more WETH than the shortfall needs at the oracle price.
    error RaiseExceedsShortfall(uint256 wethInWad, uint256 maxWethInWad);
    /// @notice Thrown when the last DEFAULT_ADMIN_ROLE holder would give it up (the adapter could never be unpaused).
    error LastAdminCannotLeave();
    /// @notice Thrown when `uniswapV3SwapCallback` is called by anything but the pool, or outside the adapter's swap.
    error SwapCallbackUnauthorized(address caller);
    /// @notice Thrown when the pool asks for nothing, or for more than the trade's amount in, of the token going in.
    error SwapCallbackAmountInvalid(int256 owedAmount, uint256 maxAmountIn);

    /// @notice Keeper: swap to bring |net delta| from outside the band toward zero, under every on-chain guard.
    function rebalance(RebalanceRequest calldata req) external returns (uint256 amountOut);
    /// @notice Keeper: sell WETH for USDC up to what the vault owes in settlement claims beyond its USDC.
    function raiseSettlementUsdc(
        uint256 wethInWad,
        uint256 minUsdcOut6,
        uint256 deadline,
        uint64 expectedNonce
    ) external returns (uint256 usdcOut6);
    /// @notice Anyone: return WETH or USDC left in the adapter (e.g. after a partial fill) to the vault.
    function sweep() external;

    /// @notice The band in force now: max(`DeltaBandWad`, the book's gross notional × `DeltaBandBps`), with the gross
    ///         notional (Σ |size| of the unexpired series, ETH wad) it was sized to. Reverts when the oracle is stale.
    function bandWad() external view returns (uint256 band, uint256 grossNotionalWad);

    /// @notice The current parameters.
    function params() external view returns (Params memory);
    /// @notice Count of hedges so far; a request names the nonce it was decided on.
    function hedgeNonce() external view returns (uint64);
    /// @notice Timestamp of the last hedge (0 before the first).
    function lastHedgeTimestamp() external view returns (uint64);
    /// @notice Block of the last hedge (0 before the first).
    function lastHedgeBlock() external view returns (uint64);
    /// @notice Earliest timestamp of the next hedge (a hedge that ended outside the band starts no cooldown).
    function cooldownEndsAt() external view returns (uint64);
    /// @notice The options vault whose inventory this adapter hedges.
    function vault() external view returns (address);
    /// @notice The WETH/USDC Uniswap V3 pool (checked against the router's factory at deployment).
    function pool() external view returns (address);
    /// @notice Hard bounds of a parameter, inclusive.
    function paramBounds(Param param) external pure returns (uint256 min, uint256 max);
    /// @notice Execution loss (USD, wad) and turnover (WETH-equivalent, wad) the keepers may still spend now.
    function budgetsAvailable() external view returns (uint256 lossUsdWad, uint256 turnoverWethWad);
    /// @notice The Chainlink-derived minimum output for a trade of `amountIn` (one of the bounds `rebalance` enforces).
    function oracleMinAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256);
    /// @notice The strictest minimum output `rebalance` enforces now: the oracle bound, the pool's block-start price
    ///         bound and the window-TWAP bound.
    function minAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256);
}
