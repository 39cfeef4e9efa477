import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/** solc ships as WASM in the npm `solc` package; Hardhat cannot download compilers on our machines. */
const solcPath = require.resolve("solc/soljson.js");

/** Fuzz/invariant depth: CI keeps it small, `HEDGEKEEPER_FUZZ_RUNS=10000 npm run test:sol` is the bench profile. */
const fuzzRuns = Number(process.env.HEDGEKEEPER_FUZZ_RUNS ?? (process.env.CI ? 256 : 512));

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
      fuzz: { runs: fuzzRuns, seed: "0x4845444745" },
      invariant: { runs: Math.max(16, Math.floor(fuzzRuns / 8)), depth: 32, failOnRevert: false },
    },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
