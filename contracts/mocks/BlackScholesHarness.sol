// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlackScholesLib} from "../libraries/BlackScholesLib.sol";

/// @notice Test helper: exposes BlackScholesLib's internal functions so tests can compare them with a reference.
contract BlackScholesHarness {
    function deltaWad(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad,
        bool isCall
    ) external pure returns (int256) {
        return BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, isCall);
    }

    function normCdfWad(int256 xWad) external pure returns (int256) {
        return BlackScholesLib.normCdfWad(xWad);
    }
}
