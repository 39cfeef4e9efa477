// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolPriceLib} from "../../../contracts/libraries/PoolPriceLib.sol";

/// @notice External entry points for PoolPriceLib's pure conversions, so tests can `expectRevert` on them.
contract PoolPriceLibHarness {
    function tickToEthPriceWad(int256 tick, bool wethIsToken0) external pure returns (uint256) {
        return PoolPriceLib.tickToEthPriceWad(tick, wethIsToken0);
    }

    function rawToEthPriceWad(uint256 rawWad, bool wethIsToken0) external pure returns (uint256) {
        return PoolPriceLib.rawToEthPriceWad(rawWad, wethIsToken0);
    }
}
