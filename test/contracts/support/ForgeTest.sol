// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice forge-std's `Test` without StdChains, StdJson, StdToml and the console libraries, which these tests do not
///         use. The full `forge-std/Test.sol` graph, compiled in one solcjs (WASM) job together with
///         contracts/governance, crashes solc with "memory access out of bounds" (HHE908) on a clean build.
abstract contract ForgeTest is CommonBase, StdAssertions, StdCheats, StdInvariant, StdUtils {}
