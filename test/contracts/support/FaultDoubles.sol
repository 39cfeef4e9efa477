// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Code to `vm.etch` over a Chainlink feed: every read reverts (a deprecated or broken aggregator).
contract RevertingAggregator {
    error FeedDown();

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        revert FeedDown();
    }
}

/// @notice Code to `vm.etch` over the options vault for read-path tests: pricing the book reverts (e.g. a series
///         the Black–Scholes domain refuses). Only for views; it holds no storage of the vault it replaces.
contract RevertingBookVault {
    error BookUnpriceable();

    function netDeltaAtWad(uint256) external pure returns (int256) {
        revert BookUnpriceable();
    }
}
