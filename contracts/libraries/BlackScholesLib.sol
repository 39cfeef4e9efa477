// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";

/// @title BlackScholesLib
/// @notice Black–Scholes delta in wad (1e18) fixed point, interest rate r = 0.
/// @dev Precision: the normal CDF uses Abramowitz & Stegun 26.2.17 (|error| < 7.5e-8 absolute), which dominates.
///      ln and exp come from solady's FixedPointMathLib (`lnWad`, `expWad`: Remco Bloemen's rational approximations,
///      within about 1 wei of 60-digit references, both monotonically increasing, so the delta stays monotone in
///      spot); √T is solady's `sqrtWad`, rounded down (< 1 wei). The delta is therefore within 1e-7 of the exact value,
///      which test/contracts/BlackScholesLib.test.ts checks against a float64 reference. They replace PRB Math SD59x18
///      for gas: the vault prices every active series on every hedge (test/contracts/gas.test.ts prints the cost).
///      Domains: `lnWad` reverts with `LnWadUndefined()` unless spot · 1e18 / strike ≥ 1, i.e. spot ≥ strike / 1e18 (as
///      PRB's ln did below the same point); `expWad` is only called on -x²/2 for |x| < 8, i.e. on (-32, 0], away from
///      where it returns 0 (below -41.4) or reverts (above 135).
library BlackScholesLib {
    int256 internal constant WAD = 1e18;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @dev |x| beyond this many standard deviations: N(x) is 0 or 1 to better than 1e-15.
    int256 internal constant CDF_CUTOFF_WAD = 8e18;

    // Abramowitz & Stegun 26.2.17 coefficients, wad.
    int256 internal constant P = 231_641_900_000_000_000; // 0.2316419
    int256 internal constant B1 = 319_381_530_000_000_000; // 0.319381530
    int256 internal constant B2 = -356_563_782_000_000_000; // -0.356563782
    int256 internal constant B3 = 1_781_477_937_000_000_000; // 1.781477937
    int256 internal constant B4 = -1_821_255_978_000_000_000; // -1.821255978
    int256 internal constant B5 = 1_330_274_429_000_000_000; // 1.330274429
    int256 internal constant INV_SQRT_2PI = 398_942_280_401_432_678; // 1/sqrt(2π)

    /// @notice Standard normal CDF N(x), x and result in wad.
    function normCdfWad(int256 xWad) internal pure returns (int256) {
        if (xWad >= CDF_CUTOFF_WAD) return WAD;
        if (xWad <= -CDF_CUTOFF_WAD) return 0;
        int256 tail;
        // Unchecked: |x| < 8e18 here, so every product below is < 1e38 (far from 2^255) and every divisor is > 0.
        unchecked {
            int256 ax = xWad < 0 ? -xWad : xWad;
            int256 t = (WAD * WAD) / (WAD + (P * ax) / WAD);
            int256 poly = (t * (B4 + (t * B5) / WAD)) / WAD;
            poly = (t * (B3 + poly)) / WAD;
            poly = (t * (B2 + poly)) / WAD;
            poly = (t * (B1 + poly)) / WAD;
            // The exponent is in (-32e18, 0]: inside expWad's range (it returns 0 only below -41.4e18).
            int256 pdf = (FixedPointMathLib.expWad(-(ax * ax) / (2 * WAD)) * INV_SQRT_2PI) / WAD;
            tail = (pdf * poly) / WAD;
        }
        return xWad >= 0 ? WAD - tail : tail;
    }

    /// @dev Input bounds that make every product in `deltaWad` fit in int256 with a wide margin (so its arithmetic
    ///      can skip overflow checks): prices up to 1e18 USD per ETH, vol up to 10,000%, a uint64 time to expiry.
    ///      The vault's own bounds (strike ≤ 1e27, vol ≤ 5e18, uint64 expiry) are far inside them.
    uint256 internal constant MAX_PRICE_WAD = 1e36;
    uint256 internal constant MAX_VOL_WAD = 100e18;
    uint256 internal constant MAX_SECONDS_TO_EXPIRY = type(uint64).max;

    /// @notice Thrown when a price, the vol or the time to expiry is beyond the bounds the delta is computed within.
    error BlackScholesInputOutOfRange(uint256 spotWad, uint256 strikeWad, uint256 secondsToExpiry, uint256 volWad);

    /// @notice Delta of one option on one unit of the underlying, in wad.
    /// @dev Reverts with `BlackScholesInputOutOfRange` beyond MAX_PRICE_WAD, MAX_VOL_WAD or MAX_SECONDS_TO_EXPIRY.
    /// @param spotWad Underlying price (USD per ETH, wad).
    /// @param strikeWad Strike (USD per ETH, wad).
    /// @param secondsToExpiry Time left; 0 means at or past expiry (delta is the exercise indicator).
    /// @param volWad Annualised implied volatility, wad (0.8e18 = 80%).
    /// @param isCall Call (delta in [0, 1]) or put (delta in [-1, 0]).
    function deltaWad(
        uint256 spotWad,
        uint256 strikeWad,
        uint256 secondsToExpiry,
        uint256 volWad,
        bool isCall
    ) internal pure returns (int256) {
        if (
            spotWad > MAX_PRICE_WAD ||
            strikeWad > MAX_PRICE_WAD ||
            volWad > MAX_VOL_WAD ||
            secondsToExpiry > MAX_SECONDS_TO_EXPIRY
        ) revert BlackScholesInputOutOfRange(spotWad, strikeWad, secondsToExpiry, volWad);
        if (secondsToExpiry == 0 || volWad == 0) {
            // The exercise indicator, as settlement pays: a call iff S > K, a put iff S < K (at S == K, neither).
            if (isCall) return spotWad > strikeWad ? WAD : int256(0);
            return spotWad < strikeWad ? -WAD : int256(0);
        }
        // Unchecked: with the bounds above, T < 5.9e29 (years, wad), √T < 7.7e23, vol·√T < 7.7e43, vol²/2·T <
        // 3e33, spot·1e18 ≤ 1e54 and |ln moneyness| < 200e18, so no product below comes near 2^255; divisions by
        // zero still revert (strike == 0, or vol·√T rounding to 0), as Solidity checks them even unchecked.
        unchecked {
            uint256 tYearsWad = (secondsToExpiry * uint256(WAD)) / SECONDS_PER_YEAR;
            int256 vol = int256(volWad);
            int256 volSqrtT = (vol * int256(FixedPointMathLib.sqrtWad(tYearsWad))) / WAD;
            int256 lnMoneyness = FixedPointMathLib.lnWad((int256(spotWad) * WAD) / int256(strikeWad));
            int256 halfVarT = (((vol * vol) / WAD) * int256(tYearsWad)) / (2 * WAD);
            int256 d1 = ((lnMoneyness + halfVarT) * WAD) / volSqrtT;
            int256 callDelta = normCdfWad(d1);
            return isCall ? callDelta : callDelta - WAD; // callDelta ∈ [0, 1e18]
        }
    }
}
