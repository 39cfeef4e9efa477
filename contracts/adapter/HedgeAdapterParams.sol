// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {IHedgeAdapter} from "../interfaces/IHedgeAdapter.sol";

/// @title HedgeAdapterParams
/// @notice The hedge adapter's governance parameters: their hard bounds, the DAO's `setParam`, the guardian's
///         `tightenParam`, and the packed storage every hedge reads in three SLOADs.
/// @dev Kept apart from the hedge flow (`HedgeAdapter`) so each reads as one concern; it declares no constructor so
///      the adapter's constructor keeps deciding the order of its checks, role grants and `ParamUpdated` events.
///      Storage: `_params` follows AccessControlEnumerable's slots and precedes `HedgeAdapter`'s `_state`, as it did
///      when both were declared in one contract.
abstract contract HedgeAdapterParams is IHedgeAdapter, AccessControlEnumerable {
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @dev `Params` as stored: every hedge reads all fifteen, so each field is only as wide as its hard upper
    ///      bound (`paramBounds`) needs and they fill three slots (128/96-bit fields took four). `_storeParam` checks
    ///      the bound before narrowing, so no cast can truncate; test/contracts/HedgeAdapter.params.test.ts sets
    ///      every parameter to its upper bound and reads it back.
    struct StoredParams {
        // slot 0
        uint80 deltaBandWad; // ≤ 1e21 < 2^80
        uint80 maxTradeWethWad; // ≤ 1e22 < 2^80
        uint72 minTradeWethWad; // ≤ 1e20 < 2^72
        uint24 cooldownSec; // ≤ 86,400 < 2^24
        // slot 1
        uint72 overshootToleranceWad; // ≤ 1e20 < 2^72
        uint88 lossBudgetUsdWad; // ≤ 1e25 < 2^88
        uint80 turnoverBudgetWethWad; // ≤ 1e24 < 2^80
        uint16 maxSlippageBps; // ≤ 500
        // slot 2
        uint24 maxOracleAgeSec; // ≤ 86,400
        uint16 maxPoolDeviationBps; // ≤ 1,000
        uint16 twapWindowSec; // ≤ 3,600
        uint24 budgetWindowSec; // ≤ 604,800 < 2^24
        uint16 maxUsdcDepegBps; // ≤ 1,000
        uint24 maxUsdcOracleAgeSec; // ≤ 259,200 < 2^24
        uint16 deltaBandBps; // ≤ 2,000
    }

    StoredParams internal _params;

    /// @notice Sets one parameter within its hard bounds (DAO timelock only).
    function setParam(Param param, uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParam(param, value);
    }

    /// @notice Guardian: make one parameter stricter (lower band/size/slippage/deviation/oracle age/budgets/tolerance,
    ///         longer cooldown, higher minimum trade, longer budget window).
    function tightenParam(Param param, uint256 value) external onlyRole(GUARDIAN_ROLE) {
        uint256 current = _get(_loadParams(), param);
        bool stricter;
        if (param == Param.CooldownSec || param == Param.MinTradeWethWad || param == Param.BudgetWindowSec) {
            stricter = value >= current;
        } else if (param == Param.TwapWindowSec) {
            stricter = value == current;
        } else {
            stricter = value <= current;
        }
        if (!stricter) revert GuardianCannotLoosen(param, current, value);
        _setParam(param, value);
    }

    /// @inheritdoc IHedgeAdapter
    function params() external view returns (Params memory) {
        return _loadParams();
    }

    /// @inheritdoc IHedgeAdapter
    function paramBounds(Param param) public pure returns (uint256 min, uint256 max) {
        if (param == Param.DeltaBandWad) return (0.01e18, 1_000e18);
        if (param == Param.MaxTradeWethWad) return (0.01e18, 10_000e18);
        if (param == Param.CooldownSec) return (0, 1 days);
        if (param == Param.MaxOracleAgeSec) return (60, 1 days);
        if (param == Param.MaxSlippageBps) return (1, 500);
        if (param == Param.MaxPoolDeviationBps) return (10, 1_000);
        if (param == Param.TwapWindowSec) return (60, 1 hours);
        if (param == Param.MinTradeWethWad) return (0.001e18, 100e18);
        if (param == Param.OvershootToleranceWad) return (0, 100e18);
        if (param == Param.LossBudgetUsdWad) return (1e18, 10_000_000e18);
        if (param == Param.TurnoverBudgetWethWad) return (0.01e18, 1_000_000e18);
        if (param == Param.BudgetWindowSec) return (1 hours, 7 days);
        if (param == Param.MaxUsdcDepegBps) return (10, 1_000);
        if (param == Param.MaxUsdcOracleAgeSec) return (1 hours, 3 days);
        return (0, 2_000); // DeltaBandBps: at most 20% of the book's gross notional
    }

    /// @dev Stores every field of `initial` in `Param` order, each checked against its bounds (the deployment path:
    ///      the TWAP window is not checked against the pool, whose history may still be too short).
    function _storeInitialParams(Params memory initial) internal {
        for (uint256 i; i <= uint256(type(Param).max); ++i) {
            _storeParam(Param(i), _get(initial, Param(i)));
        }
    }

    /// @dev Reverts with `TwapUnavailable` when the pool cannot observe `windowSec` of history.
    function _checkTwapObservable(uint32 windowSec) internal view virtual;

    function _setParam(Param param, uint256 value) internal {
        if (param == Param.TwapWindowSec) {
            // Bounds first (a zero window cannot be observed at all), then the pool: a window longer than its history
            // would make every hedge revert until enough time had passed.
            (uint256 min, uint256 max) = paramBounds(param);
            if (value < min || value > max) revert ParamOutOfBounds(param, value, min, max);
            _checkTwapObservable(uint32(value));
        }
        _storeParam(param, value);
    }

    function _storeParam(Param param, uint256 value) internal {
        (uint256 min, uint256 max) = paramBounds(param);
        if (value < min || value > max) revert ParamOutOfBounds(param, value, min, max);
        uint256 old = _get(_loadParams(), param);
        if (param == Param.DeltaBandWad) _params.deltaBandWad = uint80(value);
        else if (param == Param.MaxTradeWethWad) _params.maxTradeWethWad = uint80(value);
        else if (param == Param.CooldownSec) _params.cooldownSec = uint24(value);
        else if (param == Param.MaxOracleAgeSec) _params.maxOracleAgeSec = uint24(value);
        else if (param == Param.MaxSlippageBps) _params.maxSlippageBps = uint16(value);
        else if (param == Param.MaxPoolDeviationBps) _params.maxPoolDeviationBps = uint16(value);
        else if (param == Param.TwapWindowSec) _params.twapWindowSec = uint16(value);
        else if (param == Param.MinTradeWethWad) _params.minTradeWethWad = uint72(value);
        else if (param == Param.OvershootToleranceWad) _params.overshootToleranceWad = uint72(value);
        else if (param == Param.LossBudgetUsdWad) _params.lossBudgetUsdWad = uint88(value);
        else if (param == Param.TurnoverBudgetWethWad) _params.turnoverBudgetWethWad = uint80(value);
        else if (param == Param.BudgetWindowSec) _params.budgetWindowSec = uint24(value);
        else if (param == Param.MaxUsdcDepegBps) _params.maxUsdcDepegBps = uint16(value);
        else if (param == Param.MaxUsdcOracleAgeSec) _params.maxUsdcOracleAgeSec = uint24(value);
        else _params.deltaBandBps = uint16(value);
        emit ParamUpdated(param, old, value, msg.sender);
    }

    /// @dev The stored parameters widened to the `Params` the guards and the `params()` view use: one SLOAD per slot
    ///      (reading the fields one by one costs a warm SLOAD each, ~1,100 gas per hedge). The shifts follow
    ///      `StoredParams`' order, packed from the low bits as Solidity lays structs out; the round trip of every
    ///      parameter at both bounds through `params()` (HedgeAdapter.params.test.ts) checks them against the writes.
    function _loadParams() internal view returns (Params memory p) {
        uint256 w0;
        uint256 w1;
        uint256 w2;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let slot := _params.slot
            w0 := sload(slot)
            w1 := sload(add(slot, 1))
            w2 := sload(add(slot, 2))
        }
        p.deltaBandWad = uint80(w0);
        p.maxTradeWethWad = uint80(w0 >> 80);
        p.minTradeWethWad = uint72(w0 >> 160);
        p.cooldownSec = uint24(w0 >> 232);
        p.overshootToleranceWad = uint72(w1);
        p.lossBudgetUsdWad = uint88(w1 >> 72);
        p.turnoverBudgetWethWad = uint80(w1 >> 160);
        p.maxSlippageBps = uint16(w1 >> 240);
        p.maxOracleAgeSec = uint24(w2);
        p.maxPoolDeviationBps = uint16(w2 >> 24);
        p.twapWindowSec = uint16(w2 >> 40);
        p.budgetWindowSec = uint24(w2 >> 56);
        p.maxUsdcDepegBps = uint16(w2 >> 80);
        p.maxUsdcOracleAgeSec = uint24(w2 >> 96);
        p.deltaBandBps = uint16(w2 >> 120);
    }

    function _get(Params memory p, Param param) internal pure returns (uint256) {
        if (param == Param.DeltaBandWad) return p.deltaBandWad;
        if (param == Param.MaxTradeWethWad) return p.maxTradeWethWad;
        if (param == Param.CooldownSec) return p.cooldownSec;
        if (param == Param.MaxOracleAgeSec) return p.maxOracleAgeSec;
        if (param == Param.MaxSlippageBps) return p.maxSlippageBps;
        if (param == Param.MaxPoolDeviationBps) return p.maxPoolDeviationBps;
        if (param == Param.TwapWindowSec) return p.twapWindowSec;
        if (param == Param.MinTradeWethWad) return p.minTradeWethWad;
        if (param == Param.OvershootToleranceWad) return p.overshootToleranceWad;
        if (param == Param.LossBudgetUsdWad) return p.lossBudgetUsdWad;
        if (param == Param.TurnoverBudgetWethWad) return p.turnoverBudgetWethWad;
        if (param == Param.BudgetWindowSec) return p.budgetWindowSec;
        if (param == Param.MaxUsdcDepegBps) return p.maxUsdcDepegBps;
        if (param == Param.MaxUsdcOracleAgeSec) return p.maxUsdcOracleAgeSec;
        return p.deltaBandBps;
    }
}
