// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {HedgeAdapter} from "../../../contracts/HedgeAdapter.sol";
import {OptionsVault} from "../../../contracts/OptionsVault.sol";
import {IHedgeAdapter} from "../../../contracts/interfaces/IHedgeAdapter.sol";
import {OracleBound} from "./HedgeStack.sol";
import {TestERC20} from "./TestTokens.sol";

/// @notice Base of the invariant handlers: sends a hedge as a given caller and judges the outcome against an
///         independent model, recording every violation in a ghost counter that an invariant asserts is zero.
abstract contract HedgeTradeRecorder is CommonBase {
    HedgeAdapter internal immutable adapter;
    OptionsVault internal immutable vault;
    MockV3Aggregator internal immutable feed;
    TestERC20 internal immutable weth;
    TestERC20 internal immutable usdc;
    bytes32 internal immutable keeperRole;

    // ---- ghost violations: every one must stay 0
    uint256 public ghostFillsBelowOracleBound;
    uint256 public ghostFillsBelowKeeperMin;
    uint256 public ghostMisreportedAmountOut;
    uint256 public ghostReduceOnlyViolations;
    uint256 public ghostNonKeeperTrades;
    uint256 public ghostTradesWhilePaused;
    // ---- ghost model: successful hedges by KEEPER_ROLE holders
    uint256 public ghostKeeperTrades;
    // ---- coverage: refused hedges by revert selector (Error(string) = 0x08c379a0 for the router's messages)
    mapping(bytes4 selector => uint256) public ghostRejections;

    /// @dev Pre-trade state (a struct keeps the stack shallow).
    struct Pre {
        bool isKeeper;
        bool paused;
        uint256 priceWad;
        int256 deltaBefore;
        uint256 outBefore;
        IHedgeAdapter.Params params;
    }

    constructor(HedgeAdapter adapter_) {
        adapter = adapter_;
        vault = OptionsVault(adapter_.vault());
        feed = MockV3Aggregator(vault.priceFeed());
        weth = TestERC20(vault.weth());
        usdc = TestERC20(vault.usdc());
        keeperRole = adapter_.KEEPER_ROLE();
    }

    /// @dev A keeper that picks its moment: next block, past the cooldown, on a fresh Chainlink answer.
    function _waitForHedgeWindow() internal {
        uint256 readyAt = uint256(adapter.lastHedgeTimestamp()) + adapter.params().cooldownSec;
        if (block.timestamp < readyAt) vm.warp(readyAt);
        vm.roll(block.number + 1);
        feed.updateAnswer(feed.latestAnswer());
    }

    /// @dev WETH collateral arrives (a deposit) or leaves (an admin withdrawal): the vault's delta moves with it.
    function _moveCollateral(uint256 amountSeed, bool deposit, address admin) internal {
        if (deposit) {
            weth.mint(address(vault), 0.01e18 + (amountSeed % 300e18));
        } else {
            uint256 held = weth.balanceOf(address(vault));
            if (held == 0) return;
            vm.prank(admin);
            vault.withdraw(address(weth), 1 + (amountSeed % held), admin);
        }
    }

    /// @dev Sends `req` as `actor` through `rebalance` or `performUpkeep` and judges the outcome.
    function _trade(address actor, IHedgeAdapter.RebalanceRequest memory req, bool viaUpkeep) internal {
        Pre memory pre;
        pre.isKeeper = adapter.hasRole(keeperRole, actor);
        pre.paused = adapter.paused();
        pre.params = adapter.params();
        pre.priceWad = uint256(feed.latestAnswer()) * 1e10;
        pre.deltaBefore = vault.netDeltaAtWad(pre.priceWad);
        TestERC20 tokenOut = req.buyWeth ? weth : usdc;
        pre.outBefore = tokenOut.balanceOf(address(vault));

        bool ok;
        uint256 amountOut;
        bytes memory err;
        vm.prank(actor);
        if (viaUpkeep) {
            try adapter.performUpkeep(abi.encode(req)) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            try adapter.rebalance(req) returns (uint256 out) {
                (ok, amountOut) = (true, out);
            } catch (bytes memory e) {
                err = e;
            }
        }
        if (!ok) {
            ++ghostRejections[bytes4(err)];
            return;
        }
        uint256 received = tokenOut.balanceOf(address(vault)) - pre.outBefore;
        _judge(pre, req, received);
        if (!viaUpkeep && amountOut != received) ++ghostMisreportedAmountOut;
    }

    function _judge(Pre memory pre, IHedgeAdapter.RebalanceRequest memory req, uint256 received) private {
        if (pre.isKeeper) ++ghostKeeperTrades;
        else ++ghostNonKeeperTrades;
        if (pre.paused) ++ghostTradesWhilePaused;
        // Property 1: fill >= fair value at the Chainlink price × (1 − maxSlippageBps), in exact arithmetic.
        if (!OracleBound.holds(req.buyWeth, req.amountIn, received, pre.priceWad, pre.params.maxSlippageBps)) {
            ++ghostFillsBelowOracleBound;
        }
        if (received < req.minAmountOut) ++ghostFillsBelowKeeperMin;
        // Property 2: reduce-only, measured on the vault itself (same block, same oracle price).
        int256 deltaAfter = vault.netDeltaAtWad(pre.priceWad);
        uint256 absBefore = SignedMath.abs(pre.deltaBefore);
        uint256 absAfter = SignedMath.abs(deltaAfter);
        bool flipped = (pre.deltaBefore < 0 && deltaAfter > 0) || (pre.deltaBefore > 0 && deltaAfter < 0);
        if (absAfter >= absBefore || (flipped && absAfter > pre.params.deltaBandWad)) ++ghostReduceOnlyViolations;
    }
}
