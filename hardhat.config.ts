import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import {
  configuredForkBlock,
  FORK_NETWORK,
  forkUnavailableReason,
  RPC_URL_VARIABLE,
} from "./scripts/lib/scenarios/forkConfig.js";

const require = createRequire(import.meta.url);

/** solc ships as WASM in the npm `solc` package; Hardhat cannot download compilers on our machines. */
const solcPath = require.resolve("solc/soljson.js");

/**
 * Fuzz/invariant depth: CI keeps it small, `HEDGEKEEPER_FUZZ_RUNS=10000 npm run test:sol` is the bench profile.
 * Each fuzz test runs `fuzzRuns` cases; each invariant runs max(64, fuzzRuns / 8) sequences of 32 handler calls
 * (CI: 2,048 calls; bench: 40,000).
 */
const fuzzRunsVariable = process.env.HEDGEKEEPER_FUZZ_RUNS;
const fuzzRuns = fuzzRunsVariable === undefined ? (process.env.CI ? 256 : 512) : Number(fuzzRunsVariable);
if (!Number.isSafeInteger(fuzzRuns) || fuzzRuns < 1) {
  throw new Error(`HEDGEKEEPER_FUZZ_RUNS must be a positive integer, got "${fuzzRunsVariable}"`);
}

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: "0.8.28",
    path: solcPath,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
    },
    npmFilesToBuild: ["@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol"],
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      // The real-Uniswap invariant suite deploys the published V3 bytecode from these npm artifacts (read-only).
      fsPermissions: {
        readFile: [
          "node_modules/@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json",
          "node_modules/@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
        ],
      },
      fuzz: { runs: fuzzRuns, seed: "0x4845444745" },
      // failOnRevert: the handlers catch every refusal they provoke, so any other revert is a handler bug that would
      // otherwise end the sequence early and quietly test less.
      invariant: { runs: Math.max(64, Math.ceil(fuzzRuns / 8)), depth: 32, failOnRevert: true },
    },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    /**
     * Ethereum mainnet, for the production deployment (ignition/modules/Hedgekeeper.ts). Both values are configuration
     * variables, read only when this network is used; the key comes from the environment or `hardhat keystore`.
     */
    mainnet: {
      type: "http",
      chainType: "l1",
      url: configVariable(RPC_URL_VARIABLE),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    /**
     * Mainnet fork at a pinned block, for `npm run scenario` and test/scenarios/fork.test.ts. The URL is a
     * configuration variable (resolved only when the network is used); without MAINNET_RPC_URL forking stays off and
     * the scenario code skips the fork profile and says why. Chain id stays 31337: the fork is a local chain. A
     * MAINNET_FORK_BLOCK that does not parse leaves forking off here instead of failing the config load; the fork
     * profile checks every fork input before it connects (scripts/lib/scenarios/forkPreflight.ts).
     */
    [FORK_NETWORK]: {
      type: "edr-simulated",
      chainType: "l1",
      forking: {
        enabled: forkUnavailableReason() === null && configuredForkBlock() !== undefined,
        url: configVariable(RPC_URL_VARIABLE),
        blockNumber: configuredForkBlock(),
      },
    },
  },
});
