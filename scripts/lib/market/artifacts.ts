import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface Artifact {
  abi: readonly unknown[];
  bytecode: string;
}

/** The published, compiled Uniswap V3 / WETH9 artifacts: the same bytecode as on mainnet. */
export const externalArtifacts = {
  UniswapV3Factory:
    require("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json") as Artifact,
  UniswapV3Pool: require("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json") as Artifact,
  SwapRouter: require("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json") as Artifact,
  QuoterV2: require("@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json") as Artifact,
  NonfungiblePositionManager:
    require("@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json") as Artifact,
  WETH9: require("canonical-weth/build/contracts/WETH9.json") as Artifact,
};
