// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "../support/ForgeTest.sol";
import {BlackScholesLib} from "../../../contracts/libraries/BlackScholesLib.sol";

/// @notice BlackScholesLib.deltaWad over the inputs the vault accepts (vol 1%–500%, strike up to 1e9 USD, up to
///         5 years) at spots from $1 to $1M.
contract BlackScholesLibFuzzTest is ForgeTest {
    function _inputs(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad
    ) internal pure returns (uint256, uint256, uint256, uint256) {
        return (
            _bound(spotWad, 1e18, 1e24),
            _bound(strikeWad, 1e18, 1e27),
            _bound(secondsToExpiry, 0, 5 * 365 days),
            _bound(volWad, 0.01e18, 5e18)
        );
    }

    function testFuzz_deltaWad_callInZeroOnePutInMinusOneZero(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad
    ) public pure {
        (spotWad, strikeWad, secondsToExpiry, volWad) = _inputs(spotWad, strikeWad, secondsToExpiry, volWad);
        int256 callDelta = BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, true);
        int256 putDelta = BlackScholesLib.deltaWad(spotWad, strikeWad, secondsToExpiry, volWad, false);
        assertGe(callDelta, 0, "call delta < 0");
        assertLe(callDelta, 1e18, "call delta > 1");
        assertGe(putDelta, -1e18, "put delta < -1");
        assertLe(putDelta, 0, "put delta > 0");
        // At expiry and exactly at the money neither option is exercised (settlement pays neither): both deltas are 0.
        bool expiredAtTheMoney = secondsToExpiry == 0 && spotWad == strikeWad;
        assertEq(
            callDelta - putDelta,
            expiredAtTheMoney ? int256(0) : int256(1e18),
            "call - put delta (parity, r = 0)"
        );
    }

    function testFuzz_deltaWad_monotoneInSpot(
        uint256 spotA,
        uint256 spotB,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad,
        bool isCall
    ) public pure {
        (spotA, strikeWad, secondsToExpiry, volWad) = _inputs(spotA, strikeWad, secondsToExpiry, volWad);
        spotB = _bound(spotB, 1e18, 1e24);
        (uint256 lo, uint256 hi) = spotA < spotB ? (spotA, spotB) : (spotB, spotA);
        int256 deltaLo = BlackScholesLib.deltaWad(lo, strikeWad, secondsToExpiry, volWad, isCall);
        int256 deltaHi = BlackScholesLib.deltaWad(hi, strikeWad, secondsToExpiry, volWad, isCall);
        assertLe(deltaLo, deltaHi, "delta decreased as spot rose");
    }

    /// @notice At expiry the delta is what settlement pays on: a call iff S > K, a put iff S < K, neither at S == K
    ///         (`atTheMoney` forces that edge, which a uniform draw almost never hits).
    function testFuzz_deltaWad_atExpiryIsTheExerciseIndicator(
        uint256 spotWad,
        uint256 strikeWad,
        bool isCall,
        bool atTheMoney
    ) public pure {
        spotWad = _bound(spotWad, 1e18, 1e24);
        strikeWad = atTheMoney ? spotWad : _bound(strikeWad, 1e18, 1e27);
        int256 expected;
        if (isCall && spotWad > strikeWad) expected = 1e18;
        if (!isCall && spotWad < strikeWad) expected = -1e18;
        assertEq(BlackScholesLib.deltaWad(spotWad, strikeWad, 0, 0.8e18, isCall), expected);
    }
}
