// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @notice Test helper: an aggregator whose `latestRoundData` returns exactly what the test set, including the
///         `answeredInRound < roundId` (carried-over answer) case that Chainlink's MockV3Aggregator cannot produce.
///         `getRoundData` behaves as a Chainlink proxy's does: it returns the round as it was set, under any round id
///         (phase ids in the top bits included), and reverts with "No data present" for a round never set.
contract ScriptedAggregator is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
        uint80 answeredInRound;
    }

    uint8 public immutable decimals;
    uint80 internal latestRoundId;
    mapping(uint80 roundId => Round) internal rounds;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    /// @notice Records round `roundId` and makes it the latest.
    function setRoundData(
        uint80 roundId_,
        int256 answer_,
        uint256 startedAt_,
        uint256 updatedAt_,
        uint80 answeredInRound_
    ) external {
        latestRoundId = roundId_;
        rounds[roundId_] = Round(answer_, startedAt_, updatedAt_, answeredInRound_);
    }

    function description() external pure returns (string memory) {
        return "ScriptedAggregator";
    }

    function version() external pure returns (uint256) {
        return 0;
    }

    function getRoundData(uint80 roundId_) external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = rounds[roundId_];
        // Chainlink's OCR aggregators revert for a round they never had (the proxy passes the revert on).
        // solhint-disable-next-line gas-custom-errors
        require(r.updatedAt != 0 || r.answer != 0 || r.answeredInRound != 0, "No data present");
        return (roundId_, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = rounds[latestRoundId];
        return (latestRoundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }
}
