// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "../support/ForgeTest.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {OracleLib} from "../../../contracts/libraries/OracleLib.sol";
import {OracleHarness} from "../../../contracts/mocks/OracleHarness.sol";

/// @notice OracleLib refuses every answer a hedge must not be priced on, and converts the others exactly.
contract OracleLibFuzzTest is ForgeTest {
    uint256 internal constant NOW = 1_700_000_000;
    MockV3Aggregator internal feed;
    OracleHarness internal oracle;

    function setUp() public {
        vm.warp(NOW);
        feed = new MockV3Aggregator(8, 3000e8);
        oracle = new OracleHarness();
    }

    function _publish(int256 answer, uint256 updatedAt) internal {
        feed.updateRoundData(7, answer, updatedAt, updatedAt);
    }

    function _assertTryReadFails(uint256 maxAgeSec) internal view {
        (bool ok, uint256 priceWad) = oracle.tryReadPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertFalse(ok, "tryReadPriceWad accepted");
        assertEq(priceWad, 0);
    }

    function testFuzz_readPriceWad_rejectsNonPositiveAnswer(int256 answer, uint256 ageSec, uint256 maxAgeSec) public {
        answer = _bound(answer, type(int256).min, 0);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        _publish(answer, NOW - _bound(ageSec, 0, maxAgeSec));
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleAnswerNotPositive.selector, answer));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        _assertTryReadFails(maxAgeSec);
    }

    function testFuzz_readPriceWad_rejectsStaleAnswer(int256 answer, uint256 maxAgeSec, uint256 extraAgeSec) public {
        answer = _bound(answer, 1, 1e40);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        uint256 updatedAt = NOW - maxAgeSec - _bound(extraAgeSec, 1, 365 days);
        _publish(answer, updatedAt);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleStale.selector, updatedAt, maxAgeSec, NOW));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        _assertTryReadFails(maxAgeSec);
    }

    function testFuzz_readPriceWad_rejectsFutureAndIncompleteRounds(int256 answer, uint256 aheadSec) public {
        answer = _bound(answer, 1, 1e40);
        uint256 updatedAt = NOW + _bound(aheadSec, 1, 365 days);
        _publish(answer, updatedAt);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleTimestampInFuture.selector, updatedAt, NOW));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), 1 days);
        _assertTryReadFails(1 days);

        _publish(answer, 0);
        vm.expectRevert(abi.encodeWithSelector(OracleLib.OracleRoundIncomplete.selector, uint80(7), uint80(7)));
        oracle.readPriceWad(AggregatorV3Interface(address(feed)), type(uint256).max);
        _assertTryReadFails(type(uint256).max);
    }

    function testFuzz_readPriceWad_acceptsFreshPositiveAnswer(int256 answer, uint256 ageSec, uint256 maxAgeSec) public {
        answer = _bound(answer, 1, 1e40);
        maxAgeSec = _bound(maxAgeSec, 0, 30 days);
        uint256 updatedAt = NOW - _bound(ageSec, 0, maxAgeSec);
        _publish(answer, updatedAt);
        (uint256 priceWad, uint256 readAt) = oracle.readPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertEq(priceWad, uint256(answer) * 1e10, "1e8 answer -> wad");
        assertEq(readAt, updatedAt);
        (bool ok, uint256 tryPriceWad) = oracle.tryReadPriceWad(AggregatorV3Interface(address(feed)), maxAgeSec);
        assertTrue(ok, "tryReadPriceWad refused a fresh answer");
        assertEq(tryPriceWad, priceWad);
    }
}
