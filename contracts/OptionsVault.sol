// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IOptionsVault} from "./interfaces/IOptionsVault.sol";
import {BlackScholesLib} from "./libraries/BlackScholesLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";

/// @title OptionsVault
/// @notice Reference options vault: holds WETH and USDC collateral and a book of cash-settled ETH/USD option
///         series. The writer role opens and adjusts positions; the settlement price of each expiry is fixed once,
///         by anyone, from the Chainlink round that straddles it; anyone then settles a series at that price; what
///         the vault owes is recorded as a claim its counterparty pulls; only the hedge adapter moves collateral for
///         hedges; the admin (the DAO timelock) sets bounded limits.
/// @dev Trust model. Each role, what it can do at worst, and the on-chain rule that bounds it:
///      - Admin (DEFAULT_ADMIN_ROLE, the DAO timelock): grants and revokes every role; withdraws WETH and USDC to any
///        address, except USDC reserved for settlement claims (`UsdcReservedForClaims`); sets `maxActiveSeries`
///        within [1, MAX_ACTIVE_SERIES_CAP], `settlementOracleAgeSec` within [60 s, 1 day] and the vol-delta limits
///        within their MIN_/MAX_ constants. It cannot set or change an expiry price, settle at another price, or
///        touch a claim. Warning: at worst it takes all collateral not reserved for claims; only the timelock's
///        delay and governance bound that. Renouncing the role freezes the limits and withdrawals, not settlement.
///      - Writer (WRITER_ROLE): opens and resizes series (size within ±int128, at most `maxActiveSeries` live, any
///        counterparty, any expiry after now). Warning: the vault collects no premium on-chain, so a rogue writer can
///        write a deep in-the-money option to itself, settle it after expiry and claim the vault's USDC: the writer
///        is trusted for solvency; no rule in this contract bounds it beyond the size and book limits. It also sets
///        the gross notional the hedge adapter sizes its band to (`netDeltaAndNotionalAtWad`), so large offsetting
///        positions widen the band — up to the adapter's `DeltaBandBps` share (≤ 20%) — and delay hedging.
///      - Vol setter (VOL_SETTER_ROLE): changes a live series' implied vol within [MIN_VOL_WAD, MAX_VOL_WAD]. Each
///        update is charged |size × Δ Black–Scholes delta| at the oracle price (ETH) against a budget that recharges
///        linearly over its window (`VolDeltaBudgetExceeded`), with a per-update cap (`VolDeltaChangeTooLarge`).
///        Worst case in any 24 h: budget × (1 + 1 day / window) of delta moved — 40 ETH at the defaults (20 ETH per
///        1-day window, 5 ETH per update), 500 ETH at the widest governance setting (250 ETH, 1-day window). The
///        delta is measured at the update's oracle price: a later price move changes what that vol does to delta.
///      - Hedger (HEDGER_ROLE, the hedge adapter): `transferForHedge` moves any amount of WETH, and of USDC not
///        reserved for claims, to any address. Warning: this contract does not bound the amount; the adapter's own
///        rules (band, budgets, oracle and TWAP bounds) do, and only the adapter should hold the role.
///      - Counterparty: pulls its own claim (`claim`) to an address it chooses; may refuse to pay what it owes at
///        settlement (the series settles anyway and the debt is recorded in `receivableUsdc`). It cannot block
///        settlement: nothing is pushed to it.
///      - Anyone: deposits collateral; fixes an expiry's price from the unique Chainlink round that straddles it
///        (`setExpiryPrice`, immutable once set, so nobody can wait for a better price); settles expired series.
///      Expired series leave the hedged delta at expiry (their payoff is then fixed in USDC), settled or not.
contract OptionsVault is IOptionsVault, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant WRITER_ROLE = keccak256("WRITER_ROLE");
    bytes32 public constant VOL_SETTER_ROLE = keccak256("VOL_SETTER_ROLE");
    bytes32 public constant HEDGER_ROLE = keccak256("HEDGER_ROLE");

    /// @notice Hard cap on `maxActiveSeries`. `netDeltaWad` costs ≈10k gas per active series (test/contracts/gas.test.ts)
    ///         and every `rebalance` pays it: 500 series ≈ 5M gas keeps a hedge well under EIP-7825's 16.7M
    ///         per-transaction gas cap with room for the swap.
    uint256 public constant MAX_ACTIVE_SERIES_CAP = 500;
    uint256 public constant MIN_VOL_WAD = 0.01e18;
    uint256 public constant MAX_VOL_WAD = 5e18;
    uint256 public constant MAX_STRIKE_WAD = 1e9 * 1e18;
    uint256 public constant MIN_SETTLEMENT_ORACLE_AGE = 60;
    uint256 public constant MAX_SETTLEMENT_ORACLE_AGE = 1 days;
    /// @notice Bounds of the vol setter's delta budget (ETH, wad, per window) and of its window: with a window of at
    ///         least a day, the vol setter moves at most 2 × MAX_VOL_DELTA_BUDGET_WAD of delta in any 24 hours.
    uint256 public constant MIN_VOL_DELTA_BUDGET_WAD = 1e18;
    uint256 public constant MAX_VOL_DELTA_BUDGET_WAD = 250e18;
    uint256 public constant MIN_VOL_DELTA_WINDOW_SEC = 1 days;
    uint256 public constant MAX_VOL_DELTA_WINDOW_SEC = 7 days;
    /// @notice Lower bound of the per-update cap (its upper bound is the budget).
    uint256 public constant MIN_VOL_DELTA_PER_UPDATE_WAD = 0.01e18;
    uint256 internal constant USDC_TO_WAD = 1e12;
    /// @dev Chainlink proxy round ids are `phaseId << 64 | aggregatorRoundId`.
    uint256 internal constant PHASE_OFFSET = 64;

    struct Series {
        uint128 strikeWad;
        uint64 expiry;
        bool isCall;
        int128 sizeWad;
        uint128 volWad;
        address counterparty;
    }

    /// @notice Thrown when a constructor address, a counterparty or a recipient is zero.
    error ZeroAddress();
    /// @notice Thrown when `id` is not in the active book.
    error UnknownSeries(uint256 id);
    /// @notice Thrown when a position or vol change targets a series at or past its expiry.
    error SeriesAlreadyExpired(uint256 id, uint256 expiry);
    /// @notice Thrown when a series is settled before its expiry.
    error SeriesNotExpired(uint256 id, uint256 expiry);
    /// @notice Thrown when a new series' expiry is not in the future (or does not fit 64 bits).
    error ExpiryInPast(uint256 expiry);
    /// @notice Thrown when a new series' strike is zero or above the maximum strike.
    error StrikeOutOfBounds(uint256 strikeWad);
    /// @notice Thrown when a vol is outside [min, max].
    error VolOutOfBounds(uint256 volWad, uint256 min, uint256 max);
    /// @notice Thrown when a new series or a position change has size zero.
    error ZeroSize();
    /// @notice Thrown when a series' size would not fit a signed 128-bit value.
    error SizeOverflow(int256 sizeWad);
    /// @notice Thrown when a new series would exceed the cap on active series.
    error TooManyActiveSeries(uint256 max);
    /// @notice Thrown when a collateral token is neither the vault's WETH nor its USDC.
    error UnsupportedToken(address token);
    /// @notice Thrown when a deposit, withdrawal or hedge transfer moves nothing.
    error ZeroAmount();
    /// @notice Thrown when an admin setting is outside [min, max].
    error ParamOutOfBounds(uint256 value, uint256 min, uint256 max);
    /// @notice Thrown when the round offered as an expiry's price was published before that expiry.
    error SettlementPriceBeforeExpiry(uint80 roundId, uint256 updatedAt, uint256 expiry);
    /// @notice Thrown when the feed has no data for the round offered as an expiry's price.
    error SettlementRoundMissing(uint80 roundId);
    /// @notice Thrown when the round before the offered one is missing or not before expiry (the offered round is
    ///         then not the first at or after expiry).
    error SettlementRoundNotFirstAfterExpiry(uint80 previousRoundId, uint256 previousUpdatedAt, uint256 expiry);
    /// @notice Thrown by `setExpiryPrice` for the first round of a Chainlink phase: prove it with
    ///         `setExpiryPriceAcrossPhase` and the last round of the previous phase.
    error SettlementRoundFirstOfPhase(uint80 roundId);
    /// @notice Thrown when `previousRoundId` is not the last round of the phase before `roundId`'s.
    error SettlementRoundNotPhasePredecessor(uint80 roundId, uint80 previousRoundId);
    /// @notice Thrown when an expiry's price is set a second time.
    error ExpiryPriceAlreadySet(uint256 expiry, uint256 priceWad);
    /// @notice Thrown when a series is settled before its expiry's price has been set.
    error ExpiryPriceNotSet(uint256 id, uint256 expiry);
    /// @notice Thrown when `claim` is called by an account with nothing to claim.
    error NothingToClaim(address account);
    /// @notice Thrown when `claim` finds no USDC at all in the vault (the claim stays recorded).
    error ClaimUnfunded(uint256 owedUsdc, uint256 balanceUsdc);
    /// @notice Thrown when a withdrawal or hedge transfer would take USDC reserved for settlement claims.
    error UsdcReservedForClaims(uint256 amountUsdc, uint256 freeUsdc);
    /// @notice Thrown when one vol update moves its series' delta by more than `maxVolDeltaPerUpdateWad`.
    error VolDeltaChangeTooLarge(uint256 id, uint256 deltaChangeWad, uint256 maxWad);
    /// @notice Thrown when a vol update's delta change exceeds what is left of the rolling budget.
    error VolDeltaBudgetExceeded(uint256 id, uint256 deltaChangeWad, uint256 availableWad);

    address public immutable override weth;
    address public immutable override usdc;
    AggregatorV3Interface internal immutable feed;

    uint256 public maxActiveSeries;
    /// @notice Maximum age of the Chainlink answer `netDeltaWad` and `setVol` price with (settlement uses the
    ///         expiry price instead).
    uint256 public settlementOracleAgeSec;
    uint256 public nextSeriesId = 1;

    mapping(uint256 id => Series) internal series;
    /// @dev Ids as uint64, four to a slot: the book walk in `optionsDeltaAtWad` reads one id slot per four series.
    uint64[] internal activeIds;
    mapping(uint256 id => uint256) internal activeIndexPlusOne;
    /// @notice USDC (1e6) owed to the vault by counterparties whose settlement pull failed.
    mapping(address counterparty => uint256) public receivableUsdc;

    /// @notice Settlement price (USD per ETH, wad) of each expiry, fixed once by `setExpiryPrice`; 0 = not set.
    mapping(uint256 expiry => uint256 priceWad) public expiryPriceWad;
    /// @notice USDC (1e6) the vault owes each counterparty from settlements, pulled with `claim`.
    mapping(address counterparty => uint256) public claimableUsdc;
    /// @notice Σ `claimableUsdc`: USDC that `withdraw` and `transferForHedge` may not take.
    uint256 public totalClaimableUsdc;

    /// @notice The vol setter's delta budget: ETH (wad) of |Δ delta| per `volDeltaWindowSec`, recharging linearly.
    uint256 public volDeltaBudgetWad;
    uint256 public volDeltaWindowSec;
    /// @notice Cap on the |Δ delta| (ETH, wad) of one `setVol`.
    uint256 public maxVolDeltaPerUpdateWad;
    /// @notice Budget used as of `volDeltaUsedAt`; it drains at volDeltaBudgetWad / volDeltaWindowSec per second.
    uint256 public volDeltaUsedWad;
    uint256 public volDeltaUsedAt;

    constructor(address admin, address weth_, address usdc_, address feed_, uint256 maxActiveSeries_) {
        if (admin == address(0) || weth_ == address(0) || usdc_ == address(0) || feed_ == address(0)) {
            revert ZeroAddress();
        }
        weth = weth_;
        usdc = usdc_;
        feed = AggregatorV3Interface(feed_);
        OracleLib.checkDecimals(feed);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setMaxActiveSeries(maxActiveSeries_);
        _setSettlementOracleAge(3600);
        _setVolDeltaLimits(20e18, 1 days, 5e18);
    }

    // ------------------------------------------------------------------ writer

    /// @notice Opens a new series with the vault's initial position in it.
    /// @param sizeWad Signed position in ETH (negative = the vault wrote / is short the option).
    /// @param counterparty Claims (vault short) or pays (vault long) the USDC payoff at settlement.
    function openSeries(
        uint256 strikeWad,
        uint256 expiry,
        bool isCall,
        uint256 volWad,
        int256 sizeWad,
        address counterparty
    ) external onlyRole(WRITER_ROLE) returns (uint256 id) {
        if (strikeWad == 0 || strikeWad > MAX_STRIKE_WAD) revert StrikeOutOfBounds(strikeWad);
        // Option expiry is a point in time by definition; seconds of validator drift do not matter at option horizons.
        // solhint-disable-next-line not-rely-on-time
        if (expiry <= block.timestamp || expiry > type(uint64).max) revert ExpiryInPast(expiry);
        _checkVol(volWad);
        if (sizeWad == 0) revert ZeroSize();
        _checkSize(sizeWad);
        if (counterparty == address(0)) revert ZeroAddress();
        if (activeIds.length >= maxActiveSeries) revert TooManyActiveSeries(maxActiveSeries);

        id = nextSeriesId++;
        series[id] = Series({
            strikeWad: uint128(strikeWad),
            expiry: uint64(expiry),
            isCall: isCall,
            sizeWad: int128(sizeWad),
            volWad: uint128(volWad),
            counterparty: counterparty
        });
        activeIds.push(SafeCast.toUint64(id)); // 2^64 openings cannot happen; the cast still refuses to wrap
        activeIndexPlusOne[id] = activeIds.length;
        emit SeriesOpened(id, strikeWad, expiry, isCall, sizeWad, volWad, counterparty);
    }

    /// @notice Adds `sizeDeltaWad` to a live series' position; a position that reaches zero is closed.
    function adjustPosition(uint256 id, int256 sizeDeltaWad) external onlyRole(WRITER_ROLE) {
        Series storage s = _activeSeries(id);
        // Expiry check (see openSeries).
        // solhint-disable-next-line not-rely-on-time
        if (s.expiry <= block.timestamp) revert SeriesAlreadyExpired(id, s.expiry);
        if (sizeDeltaWad == 0) revert ZeroSize();
        int256 newSize = int256(s.sizeWad) + sizeDeltaWad;
        _checkSize(newSize);
        s.sizeWad = int128(newSize);
        emit PositionAdjusted(id, sizeDeltaWad, newSize);
        if (newSize == 0) {
            _removeActive(id);
            emit SeriesClosed(id);
        }
    }

    /// @notice Sets a live series' implied volatility (the keeper and `netDeltaWad` both price with it).
    /// @dev The change it makes to the series' delta at the oracle price, |size × (Δ(new vol) − Δ(old vol))| rounded
    ///      up, is charged against the rolling vol-delta budget; reverts with `VolDeltaChangeTooLarge` or
    ///      `VolDeltaBudgetExceeded` when it does not fit, and with the oracle's errors on a stale or invalid answer.
    function setVol(uint256 id, uint256 volWad) external onlyRole(VOL_SETTER_ROLE) {
        Series storage s = _activeSeries(id);
        uint256 expiry = s.expiry;
        // Expiry check (see openSeries): an expired series has no delta left to price.
        // solhint-disable-next-line not-rely-on-time
        if (expiry <= block.timestamp) revert SeriesAlreadyExpired(id, expiry);
        _checkVol(volWad);
        uint256 oldVolWad = s.volWad;
        (uint256 spotWad, ) = OracleLib.readPriceWad(feed, settlementOracleAgeSec);
        // solhint-disable-next-line not-rely-on-time
        uint256 secondsToExpiry = expiry - block.timestamp;
        uint256 strikeWad = s.strikeWad;
        bool isCall = s.isCall;
        int256 deltaStepWad =
            BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, isCall) -
                BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, oldVolWad, isCall);
        uint256 changeWad = Math.mulDiv(_abs(deltaStepWad), _abs(s.sizeWad), 1e18, Math.Rounding.Ceil);
        _chargeVolDelta(id, changeWad);
        s.volWad = uint128(volWad);
        emit VolUpdated(id, oldVolWad, volWad);
    }

    // ------------------------------------------------------------------ settlement

    /// @notice Fixes `expiry`'s settlement price from round `roundId`, the first Chainlink round at or after expiry,
    ///         proven by the round before it (`roundId − 1`, published before expiry). Anyone may call it, once.
    /// @dev Within a phase, round timestamps increase, so exactly one round straddles an expiry: nobody can choose
    ///      a later, more favourable answer. The first round of a phase has no `roundId − 1`; use
    ///      `setExpiryPriceAcrossPhase`. A feed outage across expiry makes the price the first answer after it.
    function setExpiryPrice(uint64 expiry, uint80 roundId) external {
        if (uint64(roundId) <= 1) revert SettlementRoundFirstOfPhase(roundId);
        _setExpiryPrice(expiry, roundId, roundId - 1);
    }

    /// @notice `setExpiryPrice` for a round that is the first of its Chainlink phase: the proof is
    ///         `previousRoundId`, the last round of the previous phase, published before expiry.
    /// @dev The previous phase's aggregator must have no round after `previousRoundId` (checked on the proxy); if
    ///      the old aggregator kept publishing after the phase switch, no proof exists and this reverts.
    function setExpiryPriceAcrossPhase(uint64 expiry, uint80 roundId, uint80 previousRoundId) external {
        uint256 phase = roundId >> PHASE_OFFSET;
        if (uint64(roundId) != 1 || phase == 0 || previousRoundId >> PHASE_OFFSET != phase - 1) {
            revert SettlementRoundNotPhasePredecessor(roundId, previousRoundId);
        }
        (bool nextExists, , uint256 nextUpdatedAt, ) = _tryRound(previousRoundId + 1);
        if (nextExists && nextUpdatedAt != 0) revert SettlementRoundNotPhasePredecessor(roundId, previousRoundId);
        _setExpiryPrice(expiry, roundId, previousRoundId);
    }

    /// @notice Cash-settles an expired series at its expiry's fixed price and removes it from the book. What the
    ///         vault owes becomes a claim of the counterparty (`claim`); what the counterparty owes is pulled, or
    ///         recorded as a receivable when the pull fails. Never reverts for lack of USDC or a blocked recipient.
    function settle(uint256 id) external nonReentrant returns (uint256 payoffUsdc) {
        Series memory s = _activeSeries(id);
        // Expiry check (see openSeries).
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp < s.expiry) revert SeriesNotExpired(id, s.expiry);
        uint256 priceWad = expiryPriceWad[s.expiry];
        if (priceWad == 0) revert ExpiryPriceNotSet(id, s.expiry);

        uint256 intrinsicWad;
        if (s.isCall && priceWad > s.strikeWad) intrinsicWad = priceWad - s.strikeWad;
        if (!s.isCall && priceWad < s.strikeWad) intrinsicWad = s.strikeWad - priceWad;
        payoffUsdc = Math.mulDiv(intrinsicWad, _abs(s.sizeWad), 1e18 * USDC_TO_WAD);
        bool vaultPays = s.sizeWad < 0;

        _removeActive(id);
        delete series[id];
        emit SeriesSettled(id, priceWad, s.sizeWad, payoffUsdc, vaultPays);

        if (payoffUsdc == 0) return 0;
        if (vaultPays) {
            claimableUsdc[s.counterparty] += payoffUsdc;
            totalClaimableUsdc += payoffUsdc;
            emit SettlementClaimRecorded(id, s.counterparty, payoffUsdc);
        } else if (!IERC20(usdc).trySafeTransferFrom(s.counterparty, address(this), payoffUsdc)) {
            // A counterparty that does not pay cannot keep an expired series in the book: the debt is recorded.
            receivableUsdc[s.counterparty] += payoffUsdc;
            emit SettlementReceivable(id, s.counterparty, payoffUsdc);
        }
    }

    /// @notice Pays the caller's settlement claim to `to`: all of it when the vault holds enough USDC, otherwise all
    ///         the USDC it holds (partial), the rest staying claimable. Reverts with `ClaimUnfunded` when it holds none.
    /// @dev Partial rather than all-or-nothing: a counterparty is never worse off for claiming early, and the
    ///      remainder keeps its place in `settlementShortfallUsdc`, which the hedge adapter may raise.
    function claim(address to) external nonReentrant returns (uint256 paidUsdc) {
        if (to == address(0)) revert ZeroAddress();
        uint256 owedUsdc = claimableUsdc[msg.sender];
        if (owedUsdc == 0) revert NothingToClaim(msg.sender);
        uint256 balanceUsdc = IERC20(usdc).balanceOf(address(this));
        if (balanceUsdc == 0) revert ClaimUnfunded(owedUsdc, 0);
        paidUsdc = Math.min(owedUsdc, balanceUsdc);
        claimableUsdc[msg.sender] = owedUsdc - paidUsdc;
        totalClaimableUsdc -= paidUsdc;
        emit SettlementClaimed(msg.sender, to, paidUsdc, owedUsdc - paidUsdc);
        IERC20(usdc).safeTransfer(to, paidUsdc);
    }

    // ------------------------------------------------------------------ collateral

    /// @notice Anyone may add WETH or USDC collateral.
    function deposit(address token, uint256 amount) external nonReentrant {
        _checkToken(token);
        if (amount == 0) revert ZeroAmount();
        emit CollateralDeposited(token, msg.sender, amount);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Admin (DAO timelock) withdrawal of collateral; USDC reserved for claims stays.
    function withdraw(address token, uint256 amount, address to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        _checkOutflow(token, amount, to);
        emit CollateralWithdrawn(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IOptionsVault
    function transferForHedge(address token, uint256 amount, address to) external onlyRole(HEDGER_ROLE) nonReentrant {
        _checkOutflow(token, amount, to);
        emit HedgeTransfer(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    // ------------------------------------------------------------------ admin

    function setMaxActiveSeries(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxActiveSeries(value);
    }

    function setSettlementOracleAge(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSettlementOracleAge(value);
    }

    /// @notice Sets the vol setter's rolling delta budget (ETH wad per window), its window and the per-update cap,
    ///         each within its MIN_/MAX_ constants (the cap within [MIN_VOL_DELTA_PER_UPDATE_WAD, budget]). Usage so
    ///         far is kept, accrued to now; a lower budget can leave none available until it drains.
    function setVolDeltaLimits(
        uint256 budgetWad,
        uint256 windowSec,
        uint256 maxPerUpdateWad
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVolDeltaLimits(budgetWad, windowSec, maxPerUpdateWad);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOptionsVault
    function priceFeed() external view returns (address) {
        return address(feed);
    }

    /// @inheritdoc IOptionsVault
    function activeSeriesCount() external view returns (uint256) {
        return activeIds.length;
    }

    /// @inheritdoc IOptionsVault
    function getActiveSeries(uint256 offset, uint256 limit) external view returns (SeriesView[] memory page) {
        uint256 total = activeIds.length;
        uint256 end = offset >= total ? offset : offset + Math.min(total - offset, limit); // no overflow for any limit
        page = new SeriesView[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            uint256 id = activeIds[i];
            Series storage s = series[id];
            page[i - offset] = SeriesView(id, s.strikeWad, s.expiry, s.isCall, s.sizeWad, s.volWad);
        }
    }

    function getSeries(uint256 id) external view returns (Series memory) {
        return series[id];
    }

    /// @inheritdoc IOptionsVault
    function collateral() public view returns (uint256 wethWad, uint256 usdc6) {
        return (IERC20(weth).balanceOf(address(this)), IERC20(usdc).balanceOf(address(this)));
    }

    /// @inheritdoc IOptionsVault
    function settlementShortfallUsdc() external view returns (uint256) {
        uint256 balanceUsdc = IERC20(usdc).balanceOf(address(this));
        return totalClaimableUsdc > balanceUsdc ? totalClaimableUsdc - balanceUsdc : 0;
    }

    /// @notice Vol-delta budget (ETH, wad) used as of now, after the linear recharge since `volDeltaUsedAt`.
    function volDeltaUsedNowWad() public view returns (uint256) {
        // The recharge is linear in seconds; validator drift of seconds is negligible against a window of days.
        // solhint-disable-next-line not-rely-on-time
        uint256 rechargedWad = Math.mulDiv(volDeltaBudgetWad, block.timestamp - volDeltaUsedAt, volDeltaWindowSec);
        return volDeltaUsedWad > rechargedWad ? volDeltaUsedWad - rechargedWad : 0;
    }

    /// @inheritdoc IOptionsVault
    /// @dev Series at or past expiry count 0: their payoff is fixed in USDC, there is no delta left to hedge.
    function optionsDeltaAtWad(uint256 spotWad) public view returns (int256 deltaWad) {
        (deltaWad, ) = _walk(spotWad);
    }

    /// @inheritdoc IOptionsVault
    function netDeltaAndNotionalAtWad(
        uint256 spotWad
    ) external view returns (int256 netDelta, uint256 grossNotionalWad) {
        (netDelta, grossNotionalWad) = _walk(spotWad);
        netDelta += int256(IERC20(weth).balanceOf(address(this)));
    }

    /// @dev The book walk: Σ size × delta and Σ |size| over the series not yet expired.
    function _walk(uint256 spotWad) internal view returns (int256 deltaWad, uint256 grossNotionalWad) {
        // Black–Scholes needs the time to expiry; seconds of drift are noise at option horizons.
        // solhint-disable-next-line not-rely-on-time
        uint256 nowSec = block.timestamp;
        uint256 n = activeIds.length;
        // Unchecked: i < n; expiry > nowSec where subtracted; |d| ≤ 1e18 and |size| < 2^127, so each term is below
        // 2^127 and the sum of at most MAX_ACTIVE_SERIES_CAP of them cannot overflow int256.
        unchecked {
            for (uint256 i; i < n; ++i) {
                Series storage s = series[activeIds[i]];
                // One SLOAD per slot (field reads would re-read each slot per field): the pricing fields sit in the
                // struct's first two slots, packed from the low bits as Solidity lays them out —
                // strikeWad (128) | expiry (64) | isCall (8), then sizeWad (int128) | volWad (128).
                uint256 word0;
                uint256 word1;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    word0 := sload(s.slot)
                }
                uint256 expiry = uint64(word0 >> 128);
                if (expiry <= nowSec) continue;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    word1 := sload(add(s.slot, 1))
                }
                bool isCall = uint8(word0 >> 192) != 0;
                int256 d = BlackScholesLib.deltaWad(spotWad, uint128(word0), expiry - nowSec, word1 >> 128, isCall);
                int256 size = int128(uint128(word1)); // int128(uint128(·)) sign-extends the stored size
                deltaWad += (d * size) / 1e18;
                grossNotionalWad += uint256(size < 0 ? -size : size); // |size| < 2^127; at most the cap of them
            }
        }
    }

    /// @inheritdoc IOptionsVault
    function netDeltaAtWad(uint256 spotWad) public view returns (int256) {
        return optionsDeltaAtWad(spotWad) + int256(IERC20(weth).balanceOf(address(this)));
    }

    /// @inheritdoc IOptionsVault
    function netDeltaWad() external view returns (int256) {
        (uint256 priceWad, ) = OracleLib.readPriceWad(feed, settlementOracleAgeSec);
        return netDeltaAtWad(priceWad);
    }

    // ------------------------------------------------------------------ internal

    function _activeSeries(uint256 id) internal view returns (Series storage s) {
        if (activeIndexPlusOne[id] == 0) revert UnknownSeries(id);
        return series[id];
    }

    function _removeActive(uint256 id) internal {
        uint256 index = activeIndexPlusOne[id] - 1;
        uint64 lastId = activeIds[activeIds.length - 1];
        activeIds[index] = lastId;
        activeIndexPlusOne[lastId] = index + 1;
        activeIds.pop();
        delete activeIndexPlusOne[id];
    }

    /// @dev Stores `expiry`'s price from `roundId` after checking that it is the first round at or after expiry:
    ///      a valid answer published at or after expiry, with `previousRoundId` published (0 < t) before expiry.
    function _setExpiryPrice(uint64 expiry, uint80 roundId, uint80 previousRoundId) internal {
        uint256 setWad = expiryPriceWad[expiry];
        if (setWad != 0) revert ExpiryPriceAlreadySet(expiry, setWad);

        (bool exists, int256 answer, uint256 updatedAt, uint80 answeredInRound) = _tryRound(roundId);
        if (!exists || updatedAt == 0) revert SettlementRoundMissing(roundId);
        if (answer <= 0) revert OracleLib.OracleAnswerNotPositive(answer);
        if (answeredInRound < roundId) revert OracleLib.OracleRoundIncomplete(roundId, answeredInRound);
        // An answer stamped after this block was not published yet: refused as every oracle read refuses it.
        // solhint-disable-next-line not-rely-on-time
        if (updatedAt > block.timestamp) revert OracleLib.OracleTimestampInFuture(updatedAt, block.timestamp);
        if (updatedAt < expiry) revert SettlementPriceBeforeExpiry(roundId, updatedAt, expiry);

        (bool previousExists, , uint256 previousUpdatedAt, ) = _tryRound(previousRoundId);
        if (!previousExists || previousUpdatedAt == 0 || previousUpdatedAt >= expiry) {
            revert SettlementRoundNotFirstAfterExpiry(previousRoundId, previousExists ? previousUpdatedAt : 0, expiry);
        }

        uint256 priceWad = uint256(answer) * OracleLib.ANSWER_TO_WAD;
        expiryPriceWad[expiry] = priceWad;
        emit ExpiryPriceSet(expiry, roundId, priceWad, updatedAt);
    }

    /// @dev `getRoundData` that reports a missing round instead of reverting (Chainlink's aggregators revert with
    ///      "No data present"; older ones and MockV3Aggregator return zeros).
    function _tryRound(
        uint80 roundId
    ) internal view returns (bool exists, int256 answer, uint256 updatedAt, uint80 answeredInRound) {
        try feed.getRoundData(roundId) returns (uint80, int256 answer_, uint256, uint256 updatedAt_, uint80 answered_) {
            return (true, answer_, updatedAt_, answered_);
        } catch {
            return (false, 0, 0, 0);
        }
    }

    function _chargeVolDelta(uint256 id, uint256 changeWad) internal {
        if (changeWad > maxVolDeltaPerUpdateWad) {
            revert VolDeltaChangeTooLarge(id, changeWad, maxVolDeltaPerUpdateWad);
        }
        uint256 usedWad = volDeltaUsedNowWad();
        uint256 availableWad = volDeltaBudgetWad > usedWad ? volDeltaBudgetWad - usedWad : 0;
        if (changeWad > availableWad) revert VolDeltaBudgetExceeded(id, changeWad, availableWad);
        usedWad += changeWad;
        volDeltaUsedWad = usedWad;
        // solhint-disable-next-line not-rely-on-time
        volDeltaUsedAt = block.timestamp;
        emit VolDeltaCharged(id, changeWad, usedWad);
    }

    function _checkOutflow(address token, uint256 amount, address to) internal view {
        _checkToken(token);
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        if (token == usdc) {
            uint256 balanceUsdc = IERC20(usdc).balanceOf(address(this));
            uint256 freeUsdc = balanceUsdc > totalClaimableUsdc ? balanceUsdc - totalClaimableUsdc : 0;
            if (amount > freeUsdc) revert UsdcReservedForClaims(amount, freeUsdc);
        }
    }

    function _checkVol(uint256 volWad) internal pure {
        if (volWad < MIN_VOL_WAD || volWad > MAX_VOL_WAD) revert VolOutOfBounds(volWad, MIN_VOL_WAD, MAX_VOL_WAD);
    }

    function _checkSize(int256 sizeWad) internal pure {
        if (sizeWad > type(int128).max || sizeWad < -type(int128).max) revert SizeOverflow(sizeWad);
    }

    function _checkToken(address token) internal view {
        if (token != weth && token != usdc) revert UnsupportedToken(token);
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x < 0 ? uint256(-x) : uint256(x);
    }

    function _setMaxActiveSeries(uint256 value) internal {
        if (value == 0 || value > MAX_ACTIVE_SERIES_CAP) revert ParamOutOfBounds(value, 1, MAX_ACTIVE_SERIES_CAP);
        emit MaxActiveSeriesUpdated(maxActiveSeries, value);
        maxActiveSeries = value;
    }

    function _setSettlementOracleAge(uint256 value) internal {
        if (value < MIN_SETTLEMENT_ORACLE_AGE || value > MAX_SETTLEMENT_ORACLE_AGE) {
            revert ParamOutOfBounds(value, MIN_SETTLEMENT_ORACLE_AGE, MAX_SETTLEMENT_ORACLE_AGE);
        }
        emit SettlementOracleAgeUpdated(settlementOracleAgeSec, value);
        settlementOracleAgeSec = value;
    }

    function _setVolDeltaLimits(uint256 budgetWad, uint256 windowSec, uint256 maxPerUpdateWad) internal {
        if (budgetWad < MIN_VOL_DELTA_BUDGET_WAD || budgetWad > MAX_VOL_DELTA_BUDGET_WAD) {
            revert ParamOutOfBounds(budgetWad, MIN_VOL_DELTA_BUDGET_WAD, MAX_VOL_DELTA_BUDGET_WAD);
        }
        if (windowSec < MIN_VOL_DELTA_WINDOW_SEC || windowSec > MAX_VOL_DELTA_WINDOW_SEC) {
            revert ParamOutOfBounds(windowSec, MIN_VOL_DELTA_WINDOW_SEC, MAX_VOL_DELTA_WINDOW_SEC);
        }
        if (maxPerUpdateWad < MIN_VOL_DELTA_PER_UPDATE_WAD || maxPerUpdateWad > budgetWad) {
            revert ParamOutOfBounds(maxPerUpdateWad, MIN_VOL_DELTA_PER_UPDATE_WAD, budgetWad);
        }
        // Accrue usage under the old rate before the new one applies (0 / 0 never happens: the window is set here
        // first, in the constructor, before any usage exists).
        if (volDeltaWindowSec != 0) volDeltaUsedWad = volDeltaUsedNowWad();
        // solhint-disable-next-line not-rely-on-time
        volDeltaUsedAt = block.timestamp;
        volDeltaBudgetWad = budgetWad;
        volDeltaWindowSec = windowSec;
        maxVolDeltaPerUpdateWad = maxPerUpdateWad;
        emit VolDeltaLimitsUpdated(budgetWad, windowSec, maxPerUpdateWad);
    }
}
