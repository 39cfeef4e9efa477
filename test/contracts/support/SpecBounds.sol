// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";

/// @notice The governance rules as specified (README / IHedgeAdapter), written out independently of HedgeAdapter so
///         that a change to the contract's bounds table or to its idea of "stricter" is caught by the tests.
library SpecBounds {
    uint256 internal constant PARAM_COUNT = 15;

    function bounds(IHedgeAdapter.Param param) internal pure returns (uint256 min, uint256 max) {
        if (param == IHedgeAdapter.Param.DeltaBandWad) return (0.01e18, 1_000e18);
        if (param == IHedgeAdapter.Param.MaxTradeWethWad) return (0.01e18, 10_000e18);
        if (param == IHedgeAdapter.Param.CooldownSec) return (0, 1 days);
        if (param == IHedgeAdapter.Param.MaxOracleAgeSec) return (60, 1 days);
        if (param == IHedgeAdapter.Param.MaxSlippageBps) return (1, 500);
        if (param == IHedgeAdapter.Param.MaxPoolDeviationBps) return (10, 1_000);
        if (param == IHedgeAdapter.Param.TwapWindowSec) return (60, 1 hours);
        if (param == IHedgeAdapter.Param.MinTradeWethWad) return (0.001e18, 100e18);
        if (param == IHedgeAdapter.Param.OvershootToleranceWad) return (0, 100e18);
        if (param == IHedgeAdapter.Param.LossBudgetUsdWad) return (1e18, 10_000_000e18);
        if (param == IHedgeAdapter.Param.TurnoverBudgetWethWad) return (0.01e18, 1_000_000e18);
        if (param == IHedgeAdapter.Param.BudgetWindowSec) return (1 hours, 7 days);
        if (param == IHedgeAdapter.Param.MaxUsdcDepegBps) return (10, 1_000);
        if (param == IHedgeAdapter.Param.MaxUsdcOracleAgeSec) return (1 hours, 3 days);
        return (0, 2_000); // DeltaBandBps
    }

    function inBounds(IHedgeAdapter.Param param, uint256 value) internal pure returns (bool) {
        (uint256 min, uint256 max) = bounds(param);
        return value >= min && value <= max;
    }

    function read(IHedgeAdapter.Params memory p, IHedgeAdapter.Param param) internal pure returns (uint256) {
        if (param == IHedgeAdapter.Param.DeltaBandWad) return p.deltaBandWad;
        if (param == IHedgeAdapter.Param.MaxTradeWethWad) return p.maxTradeWethWad;
        if (param == IHedgeAdapter.Param.CooldownSec) return p.cooldownSec;
        if (param == IHedgeAdapter.Param.MaxOracleAgeSec) return p.maxOracleAgeSec;
        if (param == IHedgeAdapter.Param.MaxSlippageBps) return p.maxSlippageBps;
        if (param == IHedgeAdapter.Param.MaxPoolDeviationBps) return p.maxPoolDeviationBps;
        if (param == IHedgeAdapter.Param.TwapWindowSec) return p.twapWindowSec;
        if (param == IHedgeAdapter.Param.MinTradeWethWad) return p.minTradeWethWad;
        if (param == IHedgeAdapter.Param.OvershootToleranceWad) return p.overshootToleranceWad;
        if (param == IHedgeAdapter.Param.LossBudgetUsdWad) return p.lossBudgetUsdWad;
        if (param == IHedgeAdapter.Param.TurnoverBudgetWethWad) return p.turnoverBudgetWethWad;
        if (param == IHedgeAdapter.Param.BudgetWindowSec) return p.budgetWindowSec;
        if (param == IHedgeAdapter.Param.MaxUsdcDepegBps) return p.maxUsdcDepegBps;
        if (param == IHedgeAdapter.Param.MaxUsdcOracleAgeSec) return p.maxUsdcOracleAgeSec;
        return p.deltaBandBps;
    }

    /// @notice Whether moving `param` from `current` to `proposed` is at least as strict. Upward is stricter for the
    ///         cooldown (longer wait), the minimum trade (no dust churn) and the budget window (slower recharge); the
    ///         TWAP window is neither (a longer one lags real moves, a shorter one is cheaper to push), so only its
    ///         current value counts; downward is stricter for everything else.
    function isStricterOrEqual(
        IHedgeAdapter.Param param,
        uint256 current,
        uint256 proposed
    ) internal pure returns (bool) {
        if (
            param == IHedgeAdapter.Param.CooldownSec ||
            param == IHedgeAdapter.Param.MinTradeWethWad ||
            param == IHedgeAdapter.Param.BudgetWindowSec
        ) return proposed >= current;
        if (param == IHedgeAdapter.Param.TwapWindowSec) return proposed == current;
        return proposed <= current;
    }

    /// @notice Whether `param` feeds the rolling budgets (a change starts a new accounting regime).
    function isBudgetParam(IHedgeAdapter.Param param) internal pure returns (bool) {
        return
            param == IHedgeAdapter.Param.LossBudgetUsdWad ||
            param == IHedgeAdapter.Param.TurnoverBudgetWethWad ||
            param == IHedgeAdapter.Param.BudgetWindowSec;
    }
}
