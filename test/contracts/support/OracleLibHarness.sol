// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {OracleLib} from "../../../contracts/libraries/OracleLib.sol";

/// @notice External entry points for OracleLib's internal functions, so tests can `expectRevert` on them.
contract OracleLibHarness {
    function readPriceWad(AggregatorV3Interface feed, uint256 maxAgeSec) external view returns (uint256, uint256) {
        return OracleLib.readPriceWad(feed, maxAgeSec);
    }

    function tryReadPriceWad(AggregatorV3Interface feed, uint256 maxAgeSec) external view returns (bool, uint256) {
        return OracleLib.tryReadPriceWad(feed, maxAgeSec);
    }
}
