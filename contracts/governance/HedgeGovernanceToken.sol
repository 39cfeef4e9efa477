// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title HedgeGovernanceToken
/// @notice The Hedgekeeper DAO's voting token: a fixed supply minted once at deployment, with ERC-2612 permits and
///         ERC-5805 vote checkpoints. Votes count only once delegated (to oneself or another holder).
/// @dev Trust model: no owner, no minter, no pauser, no admin role. The supply is minted once in the constructor and
///      can never grow, so no account can create votes; votes move only with tokens (and their delegation). Voting
///      power is read at past checkpoints (`getPastVotes`), which is what makes tokens borrowed for a few blocks
///      worthless at a proposal's snapshot (see HedgeGovernor).
///      Clock: block numbers (OpenZeppelin's default, `CLOCK_MODE() == "mode=blocknumber&from=default"`), so the
///      governor's voting delay and period are in blocks.
contract HedgeGovernanceToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice Thrown when the constructor's `holders` and `amounts` have different lengths.
    error HoldersLengthMismatch(uint256 holders, uint256 amounts);

    /// @param holders Initial holders; each receives the amount at the same index (wad, 18 decimals).
    /// @param amounts Initial balances, wad.
    constructor(
        address[] memory holders,
        uint256[] memory amounts
    ) ERC20("Hedgekeeper Governance", "HKG") ERC20Permit("Hedgekeeper Governance") {
        if (holders.length != amounts.length) revert HoldersLengthMismatch(holders.length, amounts.length);
        for (uint256 i; i < holders.length; ++i) {
            _mint(holders[i], amounts[i]);
        }
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev Moves votes with balances (ERC20Votes checkpoints).
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
