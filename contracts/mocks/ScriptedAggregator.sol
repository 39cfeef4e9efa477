// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @notice Test helper: an aggregator whose `latestRoundData` returns exactly what the test set, including the
///         `answeredInRound < roundId` (carried-over answer) case that Chainlink's MockV3Aggregator cannot produce.
contract ScriptedAggregator is AggregatorV3Interface {
    uint8 public immutable decimals;
    uint80 internal roundId;
    int256 internal answer;
    uint256 internal startedAt;
    uint256 internal updatedAt;
    uint80 internal answeredInRound;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function setRoundData(
        uint80 roundId_,
        int256 answer_,
        uint256 startedAt_,
        uint256 updatedAt_,
        uint80 answeredInRound_
    ) external {
        (roundId, answer, startedAt, updatedAt, answeredInRound) = (
            roundId_,
            answer_,
            startedAt_,
            updatedAt_,
            answeredInRound_
        );
    }

    function description() external pure returns (string memory) {
        return "ScriptedAggregator";
    }

    function version() external pure returns (uint256) {
        return 0;
    }

    function getRoundData(uint80) external view returns (uint80, int256, uint256, uint256, uint80) {
        return (roundId, answer, startedAt, updatedAt, answeredInRound);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (roundId, answer, startedAt, updatedAt, answeredInRound);
    }
}
