// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";

/// @title HedgeTimelock
/// @notice OpenZeppelin's TimelockController with a second, longer delay for operations that move funds or grant
///         power. It holds DEFAULT_ADMIN_ROLE of the vault and the hedge adapter, so every parameter change, role grant
///         and withdrawal the DAO votes waits here before it runs, and a guardian can veto it while it waits.
/// @dev Trust model (roles of this contract, what each can do at worst, and the rule that bounds it):
///      - PROPOSER_ROLE (the governor only): schedules what a vote passed. Ordinary operations wait `getMinDelay()`;
///        an operation with any sensitive call (see `isSensitiveCall`: vault withdrawals, ERC-20 transfers and
///        approvals, any call sending ETH, role grants and renunciations anywhere, role revocations on this timelock,
///        changes of this timelock's delay, of the governor's timelock, voting delay, period, threshold, quorum or
///        late-quorum extension, default-admin transfers) waits `sensitiveDelay`, whatever delay the proposer asked
///        for. Worst case: a captured vote takes the vault's funds `sensitiveDelay` after it is queued, unless
///        cancelled first.
///      - CANCELLER_ROLE (the governor and the guardian): cancels a pending operation. Worst case for the guardian:
///        it vetoes every operation, which stalls governance but can never loosen a parameter, unpause, grant a role
///        or move funds, because a canceller cannot schedule or execute (those need PROPOSER_ROLE / EXECUTOR_ROLE).
///        Bound: it cannot cancel an operation that only revokes CANCELLER_ROLE on this timelock
///        (`CancellerRemovalNotCancellable`), so the DAO can always remove a guardian that abuses the veto, one vote
///        plus `sensitiveDelay` later.
///      - EXECUTOR_ROLE (`address(0)`: anyone): runs an operation once ready; it chooses only when, never what.
///      - DEFAULT_ADMIN_ROLE: held by this contract itself once the deployer renounced the bootstrap admin; every
///        role change is then an operation of its own, and a sensitive one.
///      Delays are bounded in code: `getMinDelay() <= sensitiveDelay <= MAX_SENSITIVE_DELAY` (30 days), at
///      construction and whenever an `updateDelay` is scheduled.
contract HedgeTimelock is TimelockController {
    /// @notice Longest `sensitiveDelay` a deployment may choose (a longer one would freeze the treasury in practice).
    uint256 public constant MAX_SENSITIVE_DELAY = 30 days;

    /// @notice Seconds a sensitive operation waits between scheduling and execution (>= `getMinDelay()`).
    uint256 public immutable sensitiveDelay;

    bytes4 internal constant VAULT_WITHDRAW_SELECTOR = bytes4(keccak256("withdraw(address,uint256,address)"));

    /// @dev Operations that consist only of `revokeRole(CANCELLER_ROLE, …)` calls on this timelock: a canceller
    ///      without PROPOSER_ROLE cannot cancel them, so a guardian cannot veto its own removal.
    mapping(bytes32 id => bool) internal _cancellerRemovals;

    /// @notice Thrown when `sensitiveDelay_` at construction is below `minDelay` or above `MAX_SENSITIVE_DELAY`.
    error SensitiveDelayOutOfBounds(uint256 sensitiveDelay, uint256 minDelay, uint256 maxSensitiveDelay);

    /// @notice Thrown when a sensitive operation is executed before it is ready; `readyAt` is the unix second from
    ///         which it can run (its scheduling time plus `sensitiveDelay`).
    error SensitiveOperationNotReady(bytes32 id, uint256 readyAt, uint256 sensitiveDelay);

    /// @notice Thrown when scheduling an `updateDelay` that would raise the minimum delay above `sensitiveDelay`.
    error MinDelayAboveSensitiveDelay(uint256 newDelay, uint256 sensitiveDelay);

    /// @notice Thrown when a canceller that is not a proposer (the guardian) tries to cancel an operation that only
    ///         revokes CANCELLER_ROLE on this timelock.
    error CancellerRemovalNotCancellable(bytes32 id);

    /// @notice Emitted when an operation with a sensitive call is scheduled; `readyAt` is when it can run.
    event SensitiveOperationScheduled(bytes32 indexed id, uint256 requestedDelay, uint256 readyAt);

    /// @param minDelay Seconds between scheduling and execution of an ordinary operation.
    /// @param sensitiveDelay_ Seconds between scheduling and execution of an operation with a sensitive call;
    ///        `minDelay <= sensitiveDelay_ <= MAX_SENSITIVE_DELAY`.
    /// @param proposers Accounts given PROPOSER_ROLE and CANCELLER_ROLE (the governor).
    /// @param executors Accounts given EXECUTOR_ROLE; `address(0)` lets anyone execute a ready operation.
    /// @param admin Optional bootstrap admin (`address(0)` for none); it grants the guardian CANCELLER_ROLE, then
    ///        renounces.
    constructor(
        uint256 minDelay,
        uint256 sensitiveDelay_,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {
        if (sensitiveDelay_ < minDelay || sensitiveDelay_ > MAX_SENSITIVE_DELAY) {
            revert SensitiveDelayOutOfBounds(sensitiveDelay_, minDelay, MAX_SENSITIVE_DELAY);
        }
        sensitiveDelay = sensitiveDelay_;
    }

    // ------------------------------------------------------------------ classification

    /// @notice Whether a call moves funds or grants power, so that an operation containing it waits `sensitiveDelay`.
    /// @dev A denylist of selectors, matched on any target: vault `withdraw(address,uint256,address)`, ERC-20
    ///      `transfer`, `transferFrom` and `approve`, any call with ETH value, `grantRole` and `renounceRole` anywhere
    ///      (renouncing DEFAULT_ADMIN_ROLE on the adapter or vault is irreversible), `revokeRole` on this timelock
    ///      (it could strip the guardian's veto), `updateDelay`, the governor's `updateTimelock`, `setVotingDelay`,
    ///      `setVotingPeriod`, `setProposalThreshold`, `updateQuorumNumerator` and `setLateQuorumVoteExtension` (each
    ///      can make the next capture cheaper), and `beginDefaultAdminTransfer`. Roles that move funds by themselves
    ///      (the vault's HEDGER_ROLE, the adapter's KEEPER_ROLE) are reached only through `grantRole`, which is listed.
    /// @param target The call's target.
    /// @param value The call's ETH value.
    /// @param data The call's calldata.
    /// @return True when the call is sensitive.
    function isSensitiveCall(address target, uint256 value, bytes calldata data) public view returns (bool) {
        if (value != 0) return true;
        if (data.length < 4) return false;
        bytes4 selector = bytes4(data[:4]);
        if (selector == IAccessControl.revokeRole.selector) return target == address(this);
        return
            selector == VAULT_WITHDRAW_SELECTOR ||
            selector == IERC20.transfer.selector ||
            selector == IERC20.transferFrom.selector ||
            selector == IERC20.approve.selector ||
            selector == IAccessControl.grantRole.selector ||
            selector == IAccessControl.renounceRole.selector ||
            selector == TimelockController.updateDelay.selector ||
            selector == GovernorTimelockControl.updateTimelock.selector ||
            selector == GovernorSettings.setVotingDelay.selector ||
            selector == GovernorSettings.setVotingPeriod.selector ||
            selector == GovernorSettings.setProposalThreshold.selector ||
            selector == GovernorVotesQuorumFraction.updateQuorumNumerator.selector ||
            selector == GovernorPreventLateQuorum.setLateQuorumVoteExtension.selector ||
            selector == IAccessControlDefaultAdminRules.beginDefaultAdminTransfer.selector;
    }

    /// @notice Whether any call of a batch is sensitive (see `isSensitiveCall`).
    /// @param targets The batch's targets.
    /// @param values The batch's ETH values.
    /// @param payloads The batch's calldatas.
    /// @return True when at least one call is sensitive.
    function isSensitiveBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads
    ) public view returns (bool) {
        uint256 length = targets.length;
        if (values.length != length || payloads.length != length) {
            revert TimelockInvalidOperationLength(length, payloads.length, values.length);
        }
        for (uint256 i; i < length; ++i) {
            if (isSensitiveCall(targets[i], values[i], payloads[i])) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ schedule

    /// @inheritdoc TimelockController
    /// @dev A sensitive call waits at least `sensitiveDelay`, whatever `delay` the proposer asked for.
    function schedule(
        address target,
        uint256 value,
        bytes calldata data,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        bytes32 id = hashOperation(target, value, data, predecessor, salt);
        _checkDelayUpdate(target, data);
        if (isSensitiveCall(target, value, data)) delay = _sensitive(id, delay);
        if (_isCancellerRemoval(target, value, data)) _cancellerRemovals[id] = true;
        super.schedule(target, value, data, predecessor, salt, delay);
    }

    /// @inheritdoc TimelockController
    /// @dev A batch with any sensitive call waits at least `sensitiveDelay`, whatever `delay` the proposer asked for.
    function scheduleBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        bytes32 id = hashOperationBatch(targets, values, payloads, predecessor, salt);
        bool sensitive = isSensitiveBatch(targets, values, payloads);
        bool onlyCancellerRemovals = targets.length != 0;
        for (uint256 i; i < targets.length; ++i) {
            _checkDelayUpdate(targets[i], payloads[i]);
            if (!_isCancellerRemoval(targets[i], values[i], payloads[i])) onlyCancellerRemovals = false;
        }
        if (sensitive) delay = _sensitive(id, delay);
        if (onlyCancellerRemovals) _cancellerRemovals[id] = true;
        super.scheduleBatch(targets, values, payloads, predecessor, salt, delay);
    }

    // ------------------------------------------------------------------ cancel

    /// @inheritdoc TimelockController
    /// @dev A canceller without PROPOSER_ROLE (the guardian) cannot cancel an operation that only removes cancellers.
    function cancel(bytes32 id) public override {
        if (_cancellerRemovals[id] && !hasRole(PROPOSER_ROLE, msg.sender)) revert CancellerRemovalNotCancellable(id);
        super.cancel(id);
    }

    // ------------------------------------------------------------------ execute

    /// @inheritdoc TimelockController
    /// @dev Reverts with `SensitiveOperationNotReady` (carrying the ready time) for a sensitive call that waits.
    function execute(
        address target,
        uint256 value,
        bytes calldata payload,
        bytes32 predecessor,
        bytes32 salt
    ) public payable override {
        if (isSensitiveCall(target, value, payload)) {
            _requireSensitiveReady(hashOperation(target, value, payload, predecessor, salt));
        }
        super.execute(target, value, payload, predecessor, salt);
    }

    /// @inheritdoc TimelockController
    /// @dev Reverts with `SensitiveOperationNotReady` (carrying the ready time) for a sensitive batch that waits.
    function executeBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt
    ) public payable override {
        if (isSensitiveBatch(targets, values, payloads)) {
            _requireSensitiveReady(hashOperationBatch(targets, values, payloads, predecessor, salt));
        }
        super.executeBatch(targets, values, payloads, predecessor, salt);
    }

    // ------------------------------------------------------------------ internals

    function _sensitive(bytes32 id, uint256 requestedDelay) private returns (uint256 delay) {
        delay = requestedDelay > sensitiveDelay ? requestedDelay : sensitiveDelay;
        // solhint-disable-next-line not-rely-on-time
        emit SensitiveOperationScheduled(id, requestedDelay, block.timestamp + delay);
    }

    function _requireSensitiveReady(bytes32 id) private view {
        uint256 readyAt = getTimestamp(id);
        // Unset (0) and done (1) operations fall through to the parent's TimelockUnexpectedOperationState.
        // solhint-disable-next-line not-rely-on-time
        if (readyAt > _DONE_TIMESTAMP && block.timestamp < readyAt) {
            revert SensitiveOperationNotReady(id, readyAt, sensitiveDelay);
        }
    }

    function _isCancellerRemoval(address target, uint256 value, bytes calldata data) private view returns (bool) {
        return
            target == address(this) &&
            value == 0 &&
            data.length >= 36 &&
            bytes4(data[:4]) == IAccessControl.revokeRole.selector &&
            bytes32(data[4:36]) == CANCELLER_ROLE;
    }

    /// @dev Keeps `getMinDelay() <= sensitiveDelay`: `updateDelay` runs only as an operation of this timelock, so a
    ///      scheduled call to it is checked here (the parent's `_minDelay` has no internal setter to bound instead).
    function _checkDelayUpdate(address target, bytes calldata data) private view {
        if (target != address(this) || data.length < 36) return;
        if (bytes4(data[:4]) != TimelockController.updateDelay.selector) return;
        uint256 newDelay = uint256(bytes32(data[4:36]));
        if (newDelay > sensitiveDelay) revert MinDelayAboveSensitiveDelay(newDelay, sensitiveDelay);
    }
}
