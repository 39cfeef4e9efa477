// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {AutomationCompatibleInterface} from "@chainlink/contracts/src/v0.8/automation/interfaces/AutomationCompatibleInterface.sol";
import {IHedgeAdapter} from "./interfaces/IHedgeAdapter.sol";
import {IOptionsVault} from "./interfaces/IOptionsVault.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "./interfaces/IUniswapV3Minimal.sol";
import {OracleLib} from "./libraries/OracleLib.sol";
import {PoolPriceLib} from "./libraries/PoolPriceLib.sol";

/// @title HedgeAdapter
/// @notice Swaps the vault's WETH ⇄ USDC on a Uniswap V3 pool to bring its net delta toward zero, and enforces
///         on-chain what a keeper (or a stolen keeper key) may do: oracle-bounded execution price, deadline, trade
///         size, cooldown and one hedge per block, oracle freshness, pool-TWAP vs oracle deviation, and reduce-only
///         (|net delta| must shrink and may not overshoot past the band).
/// @dev Roles: DEFAULT_ADMIN_ROLE (the DAO timelock) sets parameters and grants roles; KEEPER_ROLE trades;
///      GUARDIAN_ROLE may pause and tighten, never loosen or unpause.
contract HedgeAdapter is IHedgeAdapter, AutomationCompatibleInterface, AccessControl, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant USDC_TO_WAD = 1e12;
    /// @dev How long performData from `checkUpkeep` stays executable: the check is simulated on one block and the
    ///      perform transaction lands in a later one, so a deadline of the check's own timestamp could never be met.
    uint256 internal constant UPKEEP_DEADLINE_SEC = 5 minutes;

    IOptionsVault internal immutable _vault;
    ISwapRouterMinimal public immutable router;
    IUniswapV3PoolMinimal internal immutable _pool;
    AggregatorV3Interface public immutable feed;
    IERC20 public immutable weth;
    IERC20 public immutable usdc;
    uint24 public immutable poolFee;
    bool internal immutable wethIsToken0;

    Params internal _params;
    uint64 public hedgeNonce;
    uint64 public lastHedgeTimestamp;
    uint64 public lastHedgeBlock;

    constructor(
        address admin,
        IOptionsVault vault_,
        ISwapRouterMinimal router_,
        IUniswapV3PoolMinimal pool_,
        Params memory initial
    ) {
        if (admin == address(0) || address(vault_) == address(0) || address(router_) == address(0))
            revert ZeroAddress();
        if (address(pool_) == address(0)) revert ZeroAddress();
        _vault = vault_;
        router = router_;
        _pool = pool_;
        weth = IERC20(vault_.weth());
        usdc = IERC20(vault_.usdc());
        feed = AggregatorV3Interface(vault_.priceFeed());
        OracleLib.checkDecimals(feed);
        address token0 = pool_.token0();
        address token1 = pool_.token1();
        wethIsToken0 = token0 == address(weth);
        bool matches = wethIsToken0 ? token1 == address(usdc) : (token0 == address(usdc) && token1 == address(weth));
        if (!matches) revert TokenMismatch();
        poolFee = pool_.fee();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        for (uint256 i; i <= uint256(Param.TwapWindowSec); ++i) {
            _setParam(Param(i), _get(initial, Param(i)));
        }
    }

    // ------------------------------------------------------------------ hedging

    /// @inheritdoc IHedgeAdapter
    function rebalance(RebalanceRequest calldata req) external onlyRole(KEEPER_ROLE) returns (uint256 amountOut) {
        return _rebalance(req);
    }

    /// @notice Chainlink Automation: a hedge is due when |net delta| exceeds the band and every guard would pass.
    /// @return upkeepNeeded Whether `performUpkeep` should be called.
    /// @return performData abi.encode(RebalanceRequest) sized to bring the delta to zero, capped at the max trade.
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory performData) {
        Params memory p = _params;
        // Cooldown and deadlines are rate limits in seconds (governed, up to 1 day); validator drift cannot matter.
        // solhint-disable-next-line not-rely-on-time
        if (paused() || block.timestamp < uint256(lastHedgeTimestamp) + p.cooldownSec) return (false, "");
        if (lastHedgeBlock == block.number) return (false, "");
        (bool fresh, uint256 oracleWad) = OracleLib.tryReadPriceWad(feed, p.maxOracleAgeSec);
        if (!fresh) return (false, "");
        int256 delta = _vault.netDeltaAtWad(oracleWad);
        uint256 absDelta = SignedMath.abs(delta);
        if (absDelta <= p.deltaBandWad) return (false, "");
        uint256 tradeWeth = Math.min(absDelta, p.maxTradeWethWad);
        bool buyWeth = delta < 0;
        // Buying with exactly |delta| worth of USDC at the oracle price lands short of zero once fees are paid,
        // so it never overshoots.
        uint256 amountIn = buyWeth ? Math.mulDiv(tradeWeth, oracleWad, WAD * USDC_TO_WAD) : tradeWeth;
        // Never propose more than the vault holds, nor a trade the deviation guard would refuse.
        amountIn = Math.min(amountIn, (buyWeth ? usdc : weth).balanceOf(address(_vault)));
        if (amountIn == 0 || _twapDeviationBps(oracleWad, p) > p.maxPoolDeviationBps) return (false, "");
        RebalanceRequest memory req = RebalanceRequest(
            buyWeth,
            amountIn,
            0,
            // solhint-disable-next-line not-rely-on-time
            block.timestamp + UPKEEP_DEADLINE_SEC, // deadline, see UPKEEP_DEADLINE_SEC
            hedgeNonce
        );
        return (true, abi.encode(req));
    }

    /// @notice Chainlink Automation fallback path; every guard of `rebalance` is re-validated.
    function performUpkeep(bytes calldata performData) external onlyRole(KEEPER_ROLE) {
        _rebalance(abi.decode(performData, (RebalanceRequest)));
    }

    function _rebalance(RebalanceRequest memory req) internal whenNotPaused nonReentrant returns (uint256 amountOut) {
        Params memory p = _params;
        // ---- checks
        uint256 oracleWad = _checkRequest(req, p);
        int256 deltaBefore = _vault.netDeltaAtWad(oracleWad);
        if (deltaBefore == 0 || (deltaBefore < 0) != req.buyWeth) revert NotReducing(deltaBefore, req.buyWeth);
        uint256 minOut = Math.max(req.minAmountOut, _oracleMinAmountOut(req.buyWeth, req.amountIn, oracleWad, p));

        // ---- effects
        uint64 nonce = hedgeNonce;
        hedgeNonce = nonce + 1;
        // Recorded for the cooldown (see checkUpkeep).
        // solhint-disable-next-line not-rely-on-time
        lastHedgeTimestamp = uint64(block.timestamp);
        lastHedgeBlock = uint64(block.number);

        // ---- interactions
        amountOut = _swap(req, minOut);

        // ---- reduce-only post-condition (options delta is unchanged at the same oracle price; only WETH moved)
        int256 deltaAfter = req.buyWeth ? deltaBefore + int256(amountOut) : deltaBefore - int256(req.amountIn);
        if (SignedMath.abs(deltaAfter) >= SignedMath.abs(deltaBefore)) revert NotReducing(deltaBefore, req.buyWeth);
        if ((deltaAfter < 0) != (deltaBefore < 0) && SignedMath.abs(deltaAfter) > p.deltaBandWad) {
            revert Overshoot(deltaAfter, p.deltaBandWad);
        }

        emit Hedged(
            nonce,
            msg.sender,
            req.buyWeth,
            req.amountIn,
            amountOut,
            deltaBefore,
            deltaAfter,
            oracleWad,
            PoolPriceLib.spotPriceWad(_pool, wethIsToken0)
        );
    }

    /// @dev Every pre-trade guard; returns the fresh oracle price (wad).
    function _checkRequest(RebalanceRequest memory req, Params memory p) internal view returns (uint256 oracleWad) {
        // Deadline and cooldown (see checkUpkeep).
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > req.deadline) revert DeadlineExpired(req.deadline, block.timestamp);
        if (req.expectedNonce != hedgeNonce) revert HedgeNonceMismatch(req.expectedNonce, hedgeNonce);
        if (lastHedgeBlock == block.number) revert OneHedgePerBlock(block.number);
        uint256 readyAt = uint256(lastHedgeTimestamp) + p.cooldownSec;
        // solhint-disable-next-line not-rely-on-time
        if (lastHedgeTimestamp != 0 && block.timestamp < readyAt) revert CooldownActive(readyAt);
        if (req.amountIn == 0) revert ZeroAmount();

        (oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        uint256 wethEquivalent = req.buyWeth ? Math.mulDiv(req.amountIn, WAD * USDC_TO_WAD, oracleWad) : req.amountIn;
        if (wethEquivalent > p.maxTradeWethWad) revert TradeTooLarge(wethEquivalent, p.maxTradeWethWad);

        uint256 deviationBps = _twapDeviationBps(oracleWad, p);
        if (deviationBps > p.maxPoolDeviationBps) {
            uint256 twapWad = PoolPriceLib.twapPriceWad(_pool, wethIsToken0, p.twapWindowSec);
            revert PoolDeviationTooHigh(twapWad, oracleWad, deviationBps, p.maxPoolDeviationBps);
        }
    }

    /// @dev |pool TWAP − oracle| / oracle, in bps.
    function _twapDeviationBps(uint256 oracleWad, Params memory p) internal view returns (uint256) {
        uint256 twapWad = PoolPriceLib.twapPriceWad(_pool, wethIsToken0, p.twapWindowSec);
        uint256 gap = twapWad > oracleWad ? twapWad - oracleWad : oracleWad - twapWad;
        return Math.mulDiv(gap, BPS, oracleWad);
    }

    /// @dev Pulls `amountIn` from the vault and swaps it on the pool, output straight to the vault.
    ///      The router enforces `minOut` ("Too little received"); the adapter does not take the router's word for it
    ///      and measures what the vault actually received.
    function _swap(RebalanceRequest memory req, uint256 minOut) internal returns (uint256 received) {
        (IERC20 tokenIn, IERC20 tokenOut) = req.buyWeth ? (usdc, weth) : (weth, usdc);
        uint256 balanceBefore = tokenOut.balanceOf(address(_vault));
        _vault.transferForHedge(address(tokenIn), req.amountIn, address(this));
        tokenIn.forceApprove(address(router), req.amountIn);
        router.exactInputSingle(
            ISwapRouterMinimal.ExactInputSingleParams({
                tokenIn: address(tokenIn),
                tokenOut: address(tokenOut),
                fee: poolFee,
                recipient: address(_vault),
                deadline: req.deadline,
                amountIn: req.amountIn,
                amountOutMinimum: minOut,
                sqrtPriceLimitX96: 0
            })
        );
        received = tokenOut.balanceOf(address(_vault)) - balanceBefore;
        if (received < minOut) revert InsufficientOutput(received, minOut);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Sets one parameter within its hard bounds (DAO timelock only).
    function setParam(Param param, uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParam(param, value);
    }

    /// @notice Guardian: make one parameter stricter (lower band/size/slippage/deviation/oracle age, longer cooldown).
    function tightenParam(Param param, uint256 value) external onlyRole(GUARDIAN_ROLE) {
        uint256 current = _get(_params, param);
        bool stricter;
        if (param == Param.CooldownSec) stricter = value >= current;
        else if (param == Param.TwapWindowSec) stricter = value == current;
        else stricter = value <= current;
        if (!stricter) revert GuardianCannotLoosen(param, current, value);
        _setParam(param, value);
    }

    /// @notice Guardian (or admin) stops all hedging.
    function pause() external {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        _pause();
    }

    /// @notice Only the DAO timelock resumes hedging.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    function params() external view returns (Params memory) {
        return _params;
    }

    function vault() external view returns (address) {
        return address(_vault);
    }

    function pool() external view returns (address) {
        return address(_pool);
    }

    /// @inheritdoc IHedgeAdapter
    function oracleMinAmountOut(bool buyWeth, uint256 amountIn) external view returns (uint256) {
        Params memory p = _params;
        (uint256 oracleWad, ) = OracleLib.readPriceWad(feed, p.maxOracleAgeSec);
        return _oracleMinAmountOut(buyWeth, amountIn, oracleWad, p);
    }

    /// @inheritdoc IHedgeAdapter
    function paramBounds(Param param) public pure returns (uint256 min, uint256 max) {
        if (param == Param.DeltaBandWad) return (0.01e18, 1_000e18);
        if (param == Param.MaxTradeWethWad) return (0.01e18, 10_000e18);
        if (param == Param.CooldownSec) return (0, 1 days);
        if (param == Param.MaxOracleAgeSec) return (60, 1 days);
        if (param == Param.MaxSlippageBps) return (1, 500);
        if (param == Param.MaxPoolDeviationBps) return (10, 1_000);
        return (60, 1 hours); // TwapWindowSec
    }

    // ------------------------------------------------------------------ internal

    function _oracleMinAmountOut(
        bool buyWeth,
        uint256 amountIn,
        uint256 oracleWad,
        Params memory p
    ) internal pure returns (uint256) {
        // One rounding step, up: flooring the fair value first let a fill land up to one unit below the bound.
        uint256 keepBps = BPS - p.maxSlippageBps;
        return
            buyWeth
                ? Math.mulDiv(amountIn, WAD * USDC_TO_WAD * keepBps, oracleWad * BPS, Math.Rounding.Ceil) // USDC -> WETH
                : Math.mulDiv(amountIn, oracleWad * keepBps, WAD * USDC_TO_WAD * BPS, Math.Rounding.Ceil); // WETH -> USDC
    }

    function _setParam(Param param, uint256 value) internal {
        (uint256 min, uint256 max) = paramBounds(param);
        if (value < min || value > max) revert ParamOutOfBounds(param, value, min, max);
        uint256 old = _get(_params, param);
        if (param == Param.DeltaBandWad) _params.deltaBandWad = uint128(value);
        else if (param == Param.MaxTradeWethWad) _params.maxTradeWethWad = uint128(value);
        else if (param == Param.CooldownSec) _params.cooldownSec = uint32(value);
        else if (param == Param.MaxOracleAgeSec) _params.maxOracleAgeSec = uint32(value);
        else if (param == Param.MaxSlippageBps) _params.maxSlippageBps = uint16(value);
        else if (param == Param.MaxPoolDeviationBps) _params.maxPoolDeviationBps = uint16(value);
        else _params.twapWindowSec = uint32(value);
        emit ParamUpdated(param, old, value, msg.sender);
    }

    function _get(Params memory p, Param param) internal pure returns (uint256) {
        if (param == Param.DeltaBandWad) return p.deltaBandWad;
        if (param == Param.MaxTradeWethWad) return p.maxTradeWethWad;
        if (param == Param.CooldownSec) return p.cooldownSec;
        if (param == Param.MaxOracleAgeSec) return p.maxOracleAgeSec;
        if (param == Param.MaxSlippageBps) return p.maxSlippageBps;
        if (param == Param.MaxPoolDeviationBps) return p.maxPoolDeviationBps;
        return p.twapWindowSec;
    }
}
