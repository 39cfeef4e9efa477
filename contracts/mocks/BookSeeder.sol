// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OptionsVault} from "../OptionsVault.sol";

/// @notice Test/bench helper holding WRITER_ROLE: opens many small series in one transaction so books of thousands
///         of series can be built quickly (strikes and expiries spread deterministically).
contract BookSeeder {
    function seed(
        OptionsVault vault,
        uint256 count,
        uint256 firstStrikeWad,
        uint256 firstExpiry,
        address counterparty
    ) external {
        for (uint256 i; i < count; ++i) {
            vault.openSeries(
                firstStrikeWad + i * 1e18,
                firstExpiry + i * 60,
                i % 2 == 0,
                0.7e18,
                i % 3 == 0 ? -0.01e18 : int256(0.01e18),
                counterparty
            );
        }
    }
}
