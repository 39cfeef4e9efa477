// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOptionsVault
/// @notice What the hedge adapter and the keeper need from an options vault. Units: wad (1e18) for
///         prices (USD per ETH), sizes (ETH, signed: negative = the vault is short), vols and deltas; USDC in 1e6.
interface IOptionsVault {
    struct SeriesView {
        uint256 id;
        uint256 strikeWad;
        uint256 expiry;
        bool isCall;
        int256 sizeWad;
        uint256 volWad;
    }

    /// @notice Emitted when the writer opens a series: `sizeWad` < 0 when the vault is short, `counterparty` its other side.
    event SeriesOpened(
        uint256 indexed id,
        uint256 strikeWad,
        uint256 expiry,
        bool isCall,
        int256 sizeWad,
        uint256 volWad,
        address counterparty
    );
    /// @notice Emitted when the writer changes a series' size by `sizeDeltaWad`, to `newSizeWad`.
    event PositionAdjusted(uint256 indexed id, int256 sizeDeltaWad, int256 newSizeWad);
    /// @notice Emitted when a position change brings a series' size to zero and it leaves the active book.
    event SeriesClosed(uint256 indexed id);
    /// @notice Emitted when the vol setter changes a series' implied vol.
    event VolUpdated(uint256 indexed id, uint256 oldVolWad, uint256 newVolWad);
    /// @notice Emitted when an expired series is settled at its expiry's price; `vaultPays` says which side owes.
    event SeriesSettled(
        uint256 indexed id,
        uint256 settlementPriceWad,
        int256 sizeWad,
        uint256 payoffUsdc,
        bool vaultPays
    );
    /// @notice Emitted when a counterparty does not pay the settlement it owes and the debt is recorded instead.
    event SettlementReceivable(uint256 indexed id, address indexed counterparty, uint256 amountUsdc);
    /// @notice Emitted once per expiry when its settlement price is fixed from Chainlink round `roundId`.
    event ExpiryPriceSet(uint256 indexed expiry, uint80 roundId, uint256 priceWad, uint256 updatedAt);
    /// @notice Emitted when a settlement the vault pays is recorded as the counterparty's claim.
    event SettlementClaimRecorded(uint256 indexed id, address indexed counterparty, uint256 amountUsdc);
    /// @notice Emitted when a counterparty pulls (all or part of) its claim to `to`.
    event SettlementClaimed(
        address indexed counterparty,
        address indexed to,
        uint256 amountUsdc,
        uint256 remainingUsdc
    );
    /// @notice Emitted when a vol update's delta change is charged against the vol setter's rolling budget.
    event VolDeltaCharged(uint256 indexed id, uint256 deltaChangeWad, uint256 usedWad);
    /// @notice Emitted when the admin sets the vol setter's delta budget, its window and the per-update cap.
    event VolDeltaLimitsUpdated(uint256 budgetWad, uint256 windowSec, uint256 maxPerUpdateWad);
    /// @notice Emitted when `from` deposits WETH or USDC as collateral.
    event CollateralDeposited(address indexed token, address indexed from, uint256 amount);
    /// @notice Emitted when the admin withdraws collateral to `to`.
    event CollateralWithdrawn(address indexed token, address indexed to, uint256 amount);
    /// @notice Emitted when the hedge adapter moves collateral out to pay its swap.
    event HedgeTransfer(address indexed token, address indexed to, uint256 amount);
    /// @notice Emitted when the admin changes the cap on active series.
    event MaxActiveSeriesUpdated(uint256 oldValue, uint256 newValue);
    /// @notice Emitted when the admin changes the oldest Chainlink answer settlement accepts.
    event SettlementOracleAgeUpdated(uint256 oldValue, uint256 newValue);

    /// @notice The WETH token the vault holds as collateral and hedge inventory.
    function weth() external view returns (address);
    /// @notice The USDC token (6 decimals) the vault holds and settles in.
    function usdc() external view returns (address);
    /// @notice The Chainlink ETH/USD feed (8 decimals) the vault prices deltas and settlements on.
    function priceFeed() external view returns (address);

    /// @notice How many series are in the active book.
    function activeSeriesCount() external view returns (uint256);
    /// @notice Active series from `offset`, at most `limit` of them (a keeper pages through the book at one block).
    function getActiveSeries(uint256 offset, uint256 limit) external view returns (SeriesView[] memory);
    /// @notice Collateral held: WETH (wad) — which is also the hedge inventory — and USDC (1e6).
    function collateral() external view returns (uint256 wethWad, uint256 usdc6);

    /// @notice Σ size × Black–Scholes delta over the active book at `spotWad`, in ETH (wad). Series at or past
    ///         expiry count 0 (their payoff is fixed in USDC), settled or not.
    function optionsDeltaAtWad(uint256 spotWad) external view returns (int256);
    /// @notice Options delta plus the WETH held (delta 1 per WETH) at `spotWad`, in ETH (wad).
    function netDeltaAtWad(uint256 spotWad) external view returns (int256);
    /// @notice `netDeltaAtWad` and, from the same walk, the book's gross notional: Σ |size| over the series that count
    ///         in it (not yet expired), in ETH (wad). The hedge adapter sizes its band to it.
    function netDeltaAndNotionalAtWad(
        uint256 spotWad
    ) external view returns (int256 netDelta, uint256 grossNotionalWad);
    /// @notice `netDeltaAtWad` at the Chainlink price (reverts on a stale/invalid answer).
    function netDeltaWad() external view returns (int256);

    /// @notice USDC (1e6) the vault owes in settlement claims beyond the USDC it holds: what the hedge adapter may
    ///         raise by selling WETH outside reduce-only, so that an in-the-money expiry can always be paid.
    function settlementShortfallUsdc() external view returns (uint256);

    /// @notice Moves collateral out for a hedge swap; only the hedge adapter may call it.
    function transferForHedge(address token, uint256 amount, address to) external;
}
