// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHedgeAdapter} from "../interfaces/IHedgeAdapter.sol";

/// @notice Test helper: a keeper contract that tries two hedges in one transaction (one block),
///         to show that the adapter's one-hedge-per-block rule rejects the second even with a fresh nonce.
contract DoubleHedger {
    function hedgeTwice(IHedgeAdapter adapter, IHedgeAdapter.RebalanceRequest calldata first) external {
        adapter.rebalance(first);
        IHedgeAdapter.RebalanceRequest memory second = first;
        second.expectedNonce = first.expectedNonce + 1;
        adapter.rebalance(second);
    }
}
