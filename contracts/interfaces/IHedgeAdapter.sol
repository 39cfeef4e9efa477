// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IHedgeAdapter
/// @notice The keeper's entry point: the only way the vault's hedge inventory moves.
interface IHedgeAdapter {
    /// @notice Governance parameters. Each has hard bounds in code (see `paramBounds`).
    enum Param {
        DeltaBandWad, // |net delta| (ETH, wad) the vault may carry; also the overshoot allowance
        MaxTradeWethWad, // largest single hedge, WETH-equivalent (wad)
        CooldownSec, // minimum seconds between hedges
        MaxOracleAgeSec, // oldest Chainlink answer a hedge may be priced on
        MaxSlippageBps, // worst execution vs the Chainlink price
        MaxPoolDeviationBps, // largest pool-TWAP vs Chainlink divergence at which trading is allowed
        TwapWindowSec // TWAP window used for the deviation check
    }

    struct Params {
        uint128 deltaBandWad;
        uint128 maxTradeWethWad;
        uint32 cooldownSec;
        uint32 maxOracleAgeSec;
        uint16 maxSlippageBps;
        uint16 maxPoolDeviationBps;
        uint32 twapWindowSec;
    }

    struct RebalanceRequest {
        bool buyWeth; // true: USDC -> WETH (vault short delta); false: WETH -> USDC
        uint256 amountIn; // USDC (1e6) when buying WETH, WETH (wad) when selling
        uint256 minAmountOut; // keeper's own bound; the adapter also applies the oracle bound and keeps the stricter
        uint256 deadline; // unix seconds
        uint64 expectedNonce; // `hedgeNonce()` the keeper decided on; a hedge that landed meanwhile makes this one revert
    }

    event Hedged(
        uint64 indexed nonce,
        address indexed keeper,
        bool buyWeth,
        uint256 amountIn,
        uint256 amountOut,
        int256 deltaBeforeWad,
        int256 deltaAfterWad,
        uint256 oraclePriceWad,
        uint256 poolPriceWad
    );
    event ParamUpdated(Param indexed param, uint256 oldValue, uint256 newValue, address indexed by);

    error DeadlineExpired(uint256 deadline, uint256 nowSec);
    error HedgeNonceMismatch(uint64 expected, uint64 actual);
    error CooldownActive(uint256 readyAt);
    error OneHedgePerBlock(uint256 blockNumber);
    error ZeroAmount();
    error TradeTooLarge(uint256 wethEquivalentWad, uint256 maxTradeWethWad);
    error PoolDeviationTooHigh(uint256 poolTwapWad, uint256 oraclePriceWad, uint256 deviationBps, uint256 maxBps);
    error NotReducing(int256 deltaBeforeWad, bool buyWeth);
    error Overshoot(int256 deltaAfterWad, uint256 deltaBandWad);
    error ParamOutOfBounds(Param param, uint256 value, uint256 min, uint256 max);
    error GuardianCannotLoosen(Param param, uint256 current, uint256 proposed);
    error InsufficientOutput(uint256 received, uint256 minAmountOut);
    error ZeroAddress();
    error TokenMismatch();

    function rebalance(RebalanceRequest calldata req) external returns (uint256 amountOut);
    function params() external view returns (Params memory);
    function hedgeNonce() external view returns (uint64);
    function lastHedgeTimestamp() external view returns (uint64);
    function lastHedgeBlock() external view returns (uint64);
    function vault() external view returns (address);
    function pool() external view returns (address);
    function paramBounds(Param param) external pure returns (uint256 min, uint256 max);
    /// @notice The Chainlink-derived minimum output for a trade of `amountIn` (the bound `rebalance` enforces).
    function oracleMinAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256);
}
