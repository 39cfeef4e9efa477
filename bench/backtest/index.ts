/** Monte Carlo hedging backtester: seeded paths, a V3 depth model, costs, the engine driving `keeper/policy`. */
export { Rng, pathRng } from "./rng.js";
export {
  simulatePath,
  totalVarianceAnnual,
  mertonDiffusiveVol,
  type PathModel,
  type GbmModel,
  type MertonModel,
  type RegimeModel,
} from "./paths.js";
export {
  depthFromPosition,
  virtualWethReserve,
  priceImpactBps,
  maxTradeEthForImpact,
  maxTradeInRangeEth,
  type DepthModel,
} from "./depth.js";
export { gasCostUsd, legCostUsd, spotCostModel, type CostParams, type SpotCostModel } from "./costs.js";
export {
  simulateChunk,
  mergeResults,
  bookPremiumUsd,
  type BacktestSpec,
  type BacktestResult,
  type PolicyFamily,
  type PolicyPaths,
  type PolicySpec,
} from "./engine.js";
export { createBacktestPool, type BacktestPool } from "./parallel.js";
export {
  summarise,
  paretoFrontier,
  costAtError,
  compareFrontiers,
  logLogSlope,
  mean,
  median,
  std,
  type PolicySummary,
  type FrontierPoint,
  type FrontierComparison,
} from "./stats.js";
