// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";

/// @notice The governance rules as specified (README / IHedgeAdapter), written out independently of HedgeAdapter so
///         that a change to the contract's bounds table or to its idea of "stricter" is caught by the tests.
library SpecBounds {
    uint256 internal constant PARAM_COUNT = 7;

    function bounds(IHedgeAdapter.Param param) internal pure returns (uint256 min, uint256 max) {
        if (param == IHedgeAdapter.Param.DeltaBandWad) return (0.01e18, 1_000e18);
        if (param == IHedgeAdapter.Param.MaxTradeWethWad) return (0.01e18, 10_000e18);
        if (param == IHedgeAdapter.Param.CooldownSec) return (0, 1 days);
        if (param == IHedgeAdapter.Param.MaxOracleAgeSec) return (60, 1 days);
        if (param == IHedgeAdapter.Param.MaxSlippageBps) return (1, 500);
        if (param == IHedgeAdapter.Param.MaxPoolDeviationBps) return (10, 1_000);
        return (60, 1 hours);
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
        return p.twapWindowSec;
    }

    /// @notice Whether moving `param` from `current` to `proposed` is at least as strict: a longer cooldown, the same
    ///         TWAP window (neither direction is safer), a lower value for everything else.
    function isStricterOrEqual(
        IHedgeAdapter.Param param,
        uint256 current,
        uint256 proposed
    ) internal pure returns (bool) {
        if (param == IHedgeAdapter.Param.CooldownSec) return proposed >= current;
        if (param == IHedgeAdapter.Param.TwapWindowSec) return proposed == current;
        return proposed <= current;
    }
}
