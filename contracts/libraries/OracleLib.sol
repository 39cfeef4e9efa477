// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @title OracleLib
/// @notice Reads a Chainlink ETH/USD feed and refuses any answer a hedge must not be priced on.
/// @dev The only place where a Chainlink answer (feed decimals, 1e8 for ETH/USD) becomes a wad price.
library OracleLib {
    /// @notice The feed answered zero or a negative price.
    error OracleAnswerNotPositive(int256 answer);
    /// @notice The answer is older than the allowed age.
    error OracleStale(uint256 updatedAt, uint256 maxAgeSec, uint256 nowSec);
    /// @notice The round was not completed (updatedAt == 0 or answeredInRound < roundId).
    error OracleRoundIncomplete(uint80 roundId, uint80 answeredInRound);
    /// @notice The answer claims to come from the future.
    error OracleTimestampInFuture(uint256 updatedAt, uint256 nowSec);
    /// @notice The feed's decimals differ from the decimals this contract was built for.
    error OracleDecimalsMismatch(uint8 actual, uint8 expected);

    uint8 internal constant FEED_DECIMALS = 8;
    uint256 internal constant ANSWER_TO_WAD = 1e10;

    /// @notice Reverts unless `feed` reports 8 decimals (Chainlink ETH/USD).
    function checkDecimals(AggregatorV3Interface feed) internal view {
        uint8 decimals = feed.decimals();
        if (decimals != FEED_DECIMALS) revert OracleDecimalsMismatch(decimals, FEED_DECIMALS);
    }

    // Oracle freshness is measured against block.timestamp by design: a Chainlink answer's age in seconds is what
    // makes it stale, and validator drift of a few seconds is negligible against ages of minutes to hours.
    // solhint-disable not-rely-on-time

    /// @notice Latest price in wad, reverting with a named error if it is not positive, stale, incomplete or from the future.
    function readPriceWad(
        AggregatorV3Interface feed,
        uint256 maxAgeSec
    ) internal view returns (uint256 priceWad, uint256 updatedAt) {
        (uint80 roundId, int256 answer, , uint256 updated, uint80 answeredInRound) = feed.latestRoundData();
        if (answer <= 0) revert OracleAnswerNotPositive(answer);
        if (updated == 0 || answeredInRound < roundId) revert OracleRoundIncomplete(roundId, answeredInRound);
        if (updated > block.timestamp) revert OracleTimestampInFuture(updated, block.timestamp);
        if (block.timestamp - updated > maxAgeSec) revert OracleStale(updated, maxAgeSec, block.timestamp);
        return (uint256(answer) * ANSWER_TO_WAD, updated);
    }

    /// @notice Same checks as `readPriceWad`, as a flag instead of a revert (for `checkUpkeep`, which must never
    ///         revert): a feed whose `latestRoundData` reverts reads as not ok.
    function tryReadPriceWad(
        AggregatorV3Interface feed,
        uint256 maxAgeSec
    ) internal view returns (bool ok, uint256 priceWad) {
        try feed.latestRoundData() returns (
            uint80 roundId,
            int256 answer,
            uint256,
            uint256 updated,
            uint80 answeredInRound
        ) {
            ok =
                answer > 0 &&
                updated != 0 &&
                answeredInRound >= roundId &&
                updated <= block.timestamp &&
                block.timestamp - updated <= maxAgeSec;
            priceWad = ok ? uint256(answer) * ANSWER_TO_WAD : 0;
        } catch {
            return (false, 0);
        }
    }
    // solhint-enable not-rely-on-time
}
