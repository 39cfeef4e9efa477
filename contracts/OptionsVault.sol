// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IOptionsVault} from "./interfaces/IOptionsVault.sol";
import {BlackScholesLib} from "./libraries/BlackScholesLib.sol";
import {OracleLib} from "./libraries/OracleLib.sol";

/// @title OptionsVault
/// @notice Reference options vault: holds WETH and USDC collateral and a book of cash-settled ETH/USD option
///         series. The writer role opens and adjusts positions; anyone settles an expired series at the Chainlink
///         price; only the hedge adapter moves collateral for hedges; the admin (the DAO timelock) sets limits.
contract OptionsVault is IOptionsVault, AccessControl, ReentrancyGuard {
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
    uint256 internal constant USDC_TO_WAD = 1e12;

    struct Series {
        uint128 strikeWad;
        uint64 expiry;
        bool isCall;
        int128 sizeWad;
        uint128 volWad;
        address counterparty;
    }

    error ZeroAddress();
    error UnknownSeries(uint256 id);
    error SeriesAlreadyExpired(uint256 id, uint256 expiry);
    error SeriesNotExpired(uint256 id, uint256 expiry);
    error ExpiryInPast(uint256 expiry);
    error StrikeOutOfBounds(uint256 strikeWad);
    error VolOutOfBounds(uint256 volWad, uint256 min, uint256 max);
    error ZeroSize();
    error SizeOverflow(int256 sizeWad);
    error TooManyActiveSeries(uint256 max);
    error UnsupportedToken(address token);
    error ZeroAmount();
    error ParamOutOfBounds(uint256 value, uint256 min, uint256 max);
    error SettlementPriceBeforeExpiry(uint256 updatedAt, uint256 expiry);

    address public immutable override weth;
    address public immutable override usdc;
    AggregatorV3Interface internal immutable feed;

    uint256 public maxActiveSeries;
    uint256 public settlementOracleAgeSec;
    uint256 public nextSeriesId = 1;

    mapping(uint256 id => Series) internal series;
    /// @dev Ids as uint64, four to a slot: the book walk in `optionsDeltaAtWad` reads one id slot per four series.
    uint64[] internal activeIds;
    mapping(uint256 id => uint256) internal activeIndexPlusOne;
    /// @notice USDC (1e6) owed to the vault by counterparties whose settlement pull failed.
    mapping(address counterparty => uint256) public receivableUsdc;

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
    }

    // ------------------------------------------------------------------ writer

    /// @notice Opens a new series with the vault's initial position in it.
    /// @param sizeWad Signed position in ETH (negative = the vault wrote / is short the option).
    /// @param counterparty Receives (vault short) or pays (vault long) the USDC payoff at settlement.
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

    /// @notice Sets a series' implied volatility (the keeper and `netDeltaWad` both price with it).
    function setVol(uint256 id, uint256 volWad) external onlyRole(VOL_SETTER_ROLE) {
        Series storage s = _activeSeries(id);
        _checkVol(volWad);
        uint256 old = s.volWad;
        s.volWad = uint128(volWad);
        emit VolUpdated(id, old, volWad);
    }

    // ------------------------------------------------------------------ settlement

    /// @notice Cash-settles an expired series at the Chainlink price and removes it from the book.
    /// @dev The answer must be published at or after expiry and be no older than `settlementOracleAgeSec`.
    function settle(uint256 id) external nonReentrant returns (uint256 payoffUsdc) {
        Series memory s = _activeSeries(id);
        // Expiry check (see openSeries).
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp < s.expiry) revert SeriesNotExpired(id, s.expiry);
        (uint256 priceWad, uint256 updatedAt) = OracleLib.readPriceWad(feed, settlementOracleAgeSec);
        if (updatedAt < s.expiry) revert SettlementPriceBeforeExpiry(updatedAt, s.expiry);

        uint256 intrinsicWad;
        if (s.isCall && priceWad > s.strikeWad) intrinsicWad = priceWad - s.strikeWad;
        if (!s.isCall && priceWad < s.strikeWad) intrinsicWad = s.strikeWad - priceWad;
        uint256 absSize = s.sizeWad < 0 ? uint256(-int256(s.sizeWad)) : uint256(int256(s.sizeWad));
        payoffUsdc = Math.mulDiv(intrinsicWad, absSize, 1e18 * USDC_TO_WAD);
        bool vaultPays = s.sizeWad < 0;

        _removeActive(id);
        delete series[id];
        emit SeriesSettled(id, priceWad, s.sizeWad, payoffUsdc, vaultPays);

        if (payoffUsdc > 0) {
            if (vaultPays) {
                IERC20(usdc).safeTransfer(s.counterparty, payoffUsdc);
            } else if (!IERC20(usdc).trySafeTransferFrom(s.counterparty, address(this), payoffUsdc)) {
                // A counterparty that does not pay cannot keep an expired series (and its delta) in the book:
                // the series settles and the debt is recorded.
                receivableUsdc[s.counterparty] += payoffUsdc;
                emit SettlementReceivable(id, s.counterparty, payoffUsdc);
            }
        }
    }

    // ------------------------------------------------------------------ collateral

    /// @notice Anyone may add WETH or USDC collateral.
    function deposit(address token, uint256 amount) external nonReentrant {
        _checkToken(token);
        if (amount == 0) revert ZeroAmount();
        emit CollateralDeposited(token, msg.sender, amount);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Admin (DAO timelock) withdrawal of collateral.
    function withdraw(address token, uint256 amount, address to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        _checkToken(token);
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        emit CollateralWithdrawn(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IOptionsVault
    function transferForHedge(address token, uint256 amount, address to) external onlyRole(HEDGER_ROLE) nonReentrant {
        _checkToken(token);
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
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

    // ------------------------------------------------------------------ views

    function priceFeed() external view returns (address) {
        return address(feed);
    }

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

    function collateral() public view returns (uint256 wethWad, uint256 usdc6) {
        return (IERC20(weth).balanceOf(address(this)), IERC20(usdc).balanceOf(address(this)));
    }

    /// @inheritdoc IOptionsVault
    function optionsDeltaAtWad(uint256 spotWad) public view returns (int256 deltaWad) {
        // Black–Scholes needs the time to expiry; seconds of drift are noise at option horizons.
        // solhint-disable-next-line not-rely-on-time
        uint256 nowSec = block.timestamp;
        uint256 n = activeIds.length;
        for (uint256 i; i < n; ++i) {
            Series storage s = series[activeIds[i]];
            // One read per field: the pricing fields sit in two slots (strike, expiry, isCall | size, vol).
            uint256 expiry = s.expiry;
            int256 sizeWad = s.sizeWad;
            int256 d = BlackScholesLib.deltaWad(
                spotWad,
                s.strikeWad,
                expiry > nowSec ? expiry - nowSec : 0,
                s.volWad,
                s.isCall
            );
            deltaWad += (d * sizeWad) / 1e18;
        }
    }

    /// @inheritdoc IOptionsVault
    function netDeltaAtWad(uint256 spotWad) public view returns (int256) {
        return optionsDeltaAtWad(spotWad) + int256(IERC20(weth).balanceOf(address(this)));
    }

    /// @inheritdoc IOptionsVault
    /// @dev Settlement pays at `settle` or reverts, so nothing is ever owed beyond the USDC held.
    function settlementShortfallUsdc() external pure returns (uint256) {
        return 0;
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

    function _checkVol(uint256 volWad) internal pure {
        if (volWad < MIN_VOL_WAD || volWad > MAX_VOL_WAD) revert VolOutOfBounds(volWad, MIN_VOL_WAD, MAX_VOL_WAD);
    }

    function _checkSize(int256 sizeWad) internal pure {
        if (sizeWad > type(int128).max || sizeWad < -type(int128).max) revert SizeOverflow(sizeWad);
    }

    function _checkToken(address token) internal view {
        if (token != weth && token != usdc) revert UnsupportedToken(token);
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
}
