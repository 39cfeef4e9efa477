// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ReplicaUSDC
/// @notice A 6-decimal USD stablecoin for the local market replica (mainnet USDC stands in on a fork).
contract ReplicaUSDC is ERC20, Ownable {
    constructor(address owner_) ERC20("USD Coin (replica)", "USDC") Ownable(owner_) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Replica only: the deployer funds accounts the way a fork test would with network helpers.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
