// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title HedgeTimelock
/// @notice OpenZeppelin's TimelockController, unchanged: it holds DEFAULT_ADMIN_ROLE of the vault and the hedge
///         adapter, so every parameter change, keeper grant and guardian appointment waits `getMinDelay()` after a
///         successful vote. Derived only so that the build emits an artifact for it.
contract HedgeTimelock is TimelockController {
    /// @param minDelay Seconds between queueing and execution.
    /// @param proposers Accounts given PROPOSER_ROLE and CANCELLER_ROLE (the governor).
    /// @param executors Accounts given EXECUTOR_ROLE; `address(0)` lets anyone execute a ready operation.
    /// @param admin Optional bootstrap admin (`address(0)` for none); it should renounce once the roles are wired.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
