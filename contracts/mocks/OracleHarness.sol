// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {OracleLib} from "../libraries/OracleLib.sol";

/// @notice Test helper: exposes OracleLib's internal functions against any feed.
contract OracleHarness {
    function checkDecimals(AggregatorV3Interface feed) external view {
        OracleLib.checkDecimals(feed);
    }

    function readPriceWad(
        AggregatorV3Interface feed,
        uint256 maxAgeSec
    ) external view returns (uint256 priceWad, uint256 updatedAt) {
        return OracleLib.readPriceWad(feed, maxAgeSec);
    }

    function tryReadPriceWad(AggregatorV3Interface feed, uint256 maxAgeSec) external view returns (bool ok, uint256) {
        return OracleLib.tryReadPriceWad(feed, maxAgeSec);
    }
}
