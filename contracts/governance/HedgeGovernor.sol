// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title HedgeGovernor
/// @notice The Hedgekeeper DAO: token-weighted voting (for / against / abstain) on proposals that the timelock
///         executes after its delay. The timelock, not this contract, holds the admin role of the vault and the
///         adapter. Standard OpenZeppelin Governor only, so any Governor front end (Tally, etc.) works with it.
/// @dev Trust model (who can do what at worst, and the rule that bounds it):
///      - A token holder with at least `proposalThreshold()` votes at the previous block proposes. Worst case: spam
///        proposals, each of which still needs a vote. Bound: the threshold (production: 0.1% of the supply).
///      - Voters: votes count as delegated at the proposal's snapshot, `votingDelay()` blocks after it was proposed, so
///        tokens borrowed for a few blocks around the proposal carry no weight; borrowed around the snapshot, they
///        are public for the whole `votingPeriod()`, and a quorum reached late extends the vote by
///        `lateQuorumVoteExtension()` blocks (GovernorPreventLateQuorum), so holders always have time to vote
///        against. Worst case of a captured vote: a queued operation in the timelock, which waits `getMinDelay()`, or
///        `sensitiveDelay` when it moves funds or grants power, and which the guardian can cancel meanwhile.
///      - This contract itself holds no funds and no role outside the timelock (PROPOSER_ROLE and CANCELLER_ROLE
///        there); its own settings change only through a proposal, and such a proposal is sensitive in the timelock.
///      Voting delay, period and extension are in blocks (the token's clock). Quorum is a percentage of the total
///      supply at the proposal's snapshot block; for + abstain votes count toward it.
contract HedgeGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorPreventLateQuorum,
    GovernorTimelockControl
{
    /// @param token_ The ERC-5805 voting token.
    /// @param timelock_ The timelock that executes passed proposals (this governor must be its proposer).
    /// @param votingDelay_ Blocks between proposing and the start of voting.
    /// @param votingPeriod_ Blocks the vote stays open.
    /// @param proposalThreshold_ Votes (wad) an account needs to propose.
    /// @param quorumPercent Quorum as a percentage (0-100) of the total supply.
    /// @param lateQuorumVoteExtension_ Blocks a vote stays open at least after quorum is reached.
    constructor(
        IVotes token_,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent,
        uint48 lateQuorumVoteExtension_
    )
        Governor("HedgeGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(token_)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorPreventLateQuorum(lateQuorumVoteExtension_)
        GovernorTimelockControl(timelock_)
    {}

    /// @inheritdoc Governor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc Governor
    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorPreventLateQuorum) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
        // The eta is the timelock's own ready time: a HedgeTimelock holds a sensitive operation longer than the
        // minimum delay the parent assumes. The salt is GovernorTimelockControl's (private there).
        bytes32 salt = bytes20(address(this)) ^ descriptionHash;
        TimelockController timelock_ = TimelockController(payable(timelock()));
        bytes32 operationId = timelock_.hashOperationBatch(targets, values, calldatas, 0, salt);
        return SafeCast.toUint48(timelock_.getTimestamp(operationId));
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
