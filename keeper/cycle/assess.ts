import type { OracleRound, Snapshot } from "../chain/snapshot.js";
import { allocateGreekArrays, bookFromRows, evaluateBook, type Book, type BookRisk } from "../risk/index.js";
import type { CostModel, GovernanceParams, TradeLimits } from "../policy/index.js";
import {
  deviationBps,
  ethToWadFloor,
  maxBigint,
  usdc6ToWethWadFloor,
  usdcToNumber,
  wadToNumber,
  wethWadForOneUsdc6,
  WEI_PER_ETH,
} from "../units.js";

/** Why the keeper holds before the policy is even asked (market or chain conditions). */
export type GateReason =
  | "paused"
  | "oracle-invalid"
  | "oracle-stale"
  | "usdc-oracle-invalid"
  | "usdc-oracle-stale"
  | "usdc-depeg"
  | "twap-unavailable"
  | "pool-deviation"
  | "pool-spot-off-twap"
  | "pool-price-invalid"
  | "book-mismatch"
  | "book-invalid"
  | "params-invalid"
  | "insufficient-collateral"
  | "turnover-budget"
  | "loss-budget";

export interface Assessment {
  spotUsd: number;
  oracleAgeSec: number;
  optionsDeltaEth: number;
  hedgeInventoryEth: number;
  netDeltaEth: number;
  risk: BookRisk;
  params: GovernanceParams;
  /** governance band, optionally tightened by the keeper's own override */
  bandEth: number;
  poolPriceUsd: number;
  poolTwapPriceUsd: number | null;
  poolVsOracleBps: number;
  twapVsOracleBps: number | null;
  onChainNetDeltaEth: number | null;
  deltaMismatchEth: number | null;
  cost: CostModel;
  /** largest leg the pool absorbs within the slippage bound, by the linear impact model; Infinity without a quote */
  maxLegEthByDepth: number;
  /**
   * largest leg the vault can pay for on the side it would trade: its WETH when selling, its USDC at the worst price
   * the adapter accepts (oracle + maxSlippageBps) when buying
   */
  maxLegEthByCollateral: number;
  /** the leg cap by depth and collateral: min(depth, collateral); Infinity when neither binds */
  maxLegEth: number;
  /** the same limits in integer units, exactly as the adapter will check them: what the policy plans within */
  limits: TradeLimits;
  /** conditions that stop any hedge this cycle, with detail */
  gates: { reason: GateReason; detail: string }[];
}

export interface AssessOptions {
  gasUnitsPerHedge: number;
  priorityFeeGwei: number;
  poolFee: number;
  bandOverrideEth?: number;
  deltaToleranceEth: number;
  /** smallest leg worth sending, WETH wad (the adapter's minimum trade; one USDC unit is added as a floor here) */
  minTradeWethWad: bigint;
}

/** Greeks of a book that could not be priced: zeros (the cycle is gated, so nothing trades on them). */
function unpricedRisk(seriesCount: number): BookRisk {
  return {
    ...allocateGreekArrays(seriesCount),
    netOptionDeltaEth: 0,
    netGammaPerUsd: 0,
    netVegaUsd: 0,
    premiumUsd: 0,
    weightedVol: 0,
  };
}

/**
 * Pure: snapshot (on-chain units) → risk, governance params and cost model in human units, the integer trade limits,
 * and the gates. Total: every number it returns is finite or a documented Infinity (no depth or collateral limit), and
 * a market it cannot price (a pool at the end of its range, a bad oracle) is a named gate, not a NaN.
 */
export function assess(snapshot: Snapshot, options: AssessOptions): Assessment {
  const spotUsd = wadToNumber(snapshot.oracle.priceWad);
  const gates: Assessment["gates"] = [];
  const oracleAgeSec = snapshot.blockTimestamp - Number(snapshot.oracle.updatedAt);
  const ethGate = oracleGate(snapshot.oracle, snapshot.blockTimestamp, snapshot.params.maxOracleAgeSec, "");
  if (ethGate) gates.push(ethGate);
  const usdcGate = oracleGate(
    snapshot.usdcOracle,
    snapshot.blockTimestamp,
    snapshot.params.maxUsdcOracleAgeSec,
    "usdc-",
  );
  if (usdcGate) gates.push(usdcGate);
  else {
    const pegGapBps = Math.abs(deviationBps(wadToNumber(snapshot.usdcOracle.priceWad), 1));
    if (pegGapBps > snapshot.params.maxUsdcDepegBps) {
      gates.push({
        reason: "usdc-depeg",
        detail: `USDC/USD ${wadToNumber(snapshot.usdcOracle.priceWad).toFixed(4)} is ${pegGapBps.toFixed(0)} bps off $1, max ${snapshot.params.maxUsdcDepegBps}`,
      });
    }
  }
  const poolPriceValid = Number.isFinite(snapshot.poolPriceUsd) && snapshot.poolPriceUsd > 0;
  if (!poolPriceValid) {
    gates.push({
      reason: "pool-price-invalid",
      detail: `pool spot ${snapshot.poolPriceUsd} USD/ETH (sqrtPriceX96 ${snapshot.poolSqrtPriceX96}) cannot be traded against`,
    });
  }
  if (snapshot.paused) gates.push({ reason: "paused", detail: "the adapter is paused by the guardian or the DAO" });

  // Risk needs a price even while gated (for reports): the oracle, else a tradeable pool. Without either, or with a
  // series the risk stage rejects, the book is not priced (zero greeks) and a gate says why.
  const priceForRisk = spotUsd > 0 ? spotUsd : poolPriceValid ? snapshot.poolPriceUsd : 0;
  let risk: BookRisk = unpricedRisk(snapshot.book.length);
  let book: Book | null = null;
  try {
    book = bookFromRows(
      snapshot.book.map((s) => ({
        strikeUsd: wadToNumber(s.strikeWad),
        expirySec: Number(s.expiry),
        isCall: s.isCall,
        sizeEth: wadToNumber(s.sizeWad),
        vol: wadToNumber(s.volWad),
      })),
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    gates.push({ reason: "book-invalid", detail: error.message });
  }
  if (book !== null && priceForRisk > 0) risk = evaluateBook(book, priceForRisk, snapshot.blockTimestamp);
  const hedgeInventoryEth = wadToNumber(snapshot.collateral.wethWad);
  const netDeltaEth = risk.netOptionDeltaEth + hedgeInventoryEth;

  const onChainNetDeltaEth = snapshot.onChainNetDeltaWad === null ? null : wadToNumber(snapshot.onChainNetDeltaWad);
  const deltaMismatchEth = onChainNetDeltaEth === null ? null : Math.abs(onChainNetDeltaEth - netDeltaEth);
  if (deltaMismatchEth !== null && deltaMismatchEth > options.deltaToleranceEth) {
    gates.push({
      reason: "book-mismatch",
      detail: `off-chain net delta ${netDeltaEth.toFixed(6)} vs on-chain ${onChainNetDeltaEth!.toFixed(6)} ETH`,
    });
  }

  const p = snapshot.params;
  const params: GovernanceParams = {
    // The band in force for this book (the adapter's max(floor, gross notional × bps)), not the floor alone.
    deltaBandEth: wadToNumber(snapshot.bandWad),
    maxSlippageBps: p.maxSlippageBps,
    maxTradeEth: wadToNumber(p.maxTradeWethWad),
    cooldownSec: p.cooldownSec,
  };
  if (p.deltaBandWad <= 0n || p.maxTradeWethWad <= 0n) {
    gates.push({
      reason: "params-invalid",
      detail: `adapter deltaBand ${p.deltaBandWad} wad and maxTradeWeth ${p.maxTradeWethWad} wad must both be positive`,
    });
  }
  const bandEth = options.bandOverrideEth
    ? Math.min(options.bandOverrideEth, params.deltaBandEth)
    : params.deltaBandEth;

  const twap = snapshot.poolTwapPriceUsd;
  const twapVsOracleBps = twap === null || !(spotUsd > 0) ? null : deviationBps(twap, spotUsd);
  if (twap === null || !Number.isFinite(twap) || twap <= 0) {
    gates.push({
      reason: "twap-unavailable",
      detail: `the pool cannot answer a ${p.twapWindowSec}s TWAP (observation history too short)`,
    });
  } else {
    if (twapVsOracleBps !== null && !(Math.abs(twapVsOracleBps) <= p.maxPoolDeviationBps)) {
      gates.push({
        reason: "pool-deviation",
        detail: `pool TWAP ${twap.toFixed(2)} is ${twapVsOracleBps.toFixed(0)} bps from the oracle ${spotUsd.toFixed(2)}`,
      });
    }
    const spotVsTwapBps = poolPriceValid ? deviationBps(snapshot.poolPriceUsd, twap) : 0;
    if (Math.abs(spotVsTwapBps) > p.maxPoolDeviationBps) {
      gates.push({
        reason: "pool-spot-off-twap",
        detail: `pool spot ${snapshot.poolPriceUsd.toFixed(2)} is ${spotVsTwapBps.toFixed(0)} bps from its TWAP ${twap.toFixed(2)}`,
      });
    }
  }

  const poolFeeBps = options.poolFee / 100;
  const buying = netDeltaEth < 0;
  const poolVsOracleBps = poolPriceValid && spotUsd > 0 ? deviationBps(snapshot.poolPriceUsd, spotUsd) : 0;
  // Impact of the probe size beyond the fee, against the pool's mid price, on the side we would trade.
  let impactRefBps = 0;
  let refEth = 0;
  if (snapshot.depth && snapshot.depth.refEthWad > 0n && poolPriceValid) {
    refEth = wadToNumber(snapshot.depth.refEthWad);
    const exec = buying
      ? usdcToNumber(snapshot.depth.buyUsdcIn6) / refEth
      : usdcToNumber(snapshot.depth.sellUsdcOut6) / refEth;
    const worseBps = buying ? deviationBps(exec, snapshot.poolPriceUsd) : -deviationBps(exec, snapshot.poolPriceUsd);
    impactRefBps = Number.isFinite(worseBps) ? Math.max(0, worseBps - poolFeeBps) : 0;
  }
  // Where the pool sits vs the oracle eats into the slippage budget (buying above / selling below the oracle).
  const adverseBps = Math.max(0, buying ? poolVsOracleBps : -poolVsOracleBps);
  const budgetBps = p.maxSlippageBps - poolFeeBps - adverseBps;
  // 0 when the budget is used up (the pool already as far off the oracle as the slippage bound allows).
  const maxLegEthByDepth = impactRefBps === 0 ? Infinity : Math.max(0, (budgetBps / impactRefBps) * refEth);
  // The vault pays for a hedge from its own balances: cap legs by them, and gate when a needed side is empty.
  const usdcAvailable = usdcToNumber(snapshot.collateral.usdc6);
  const worstBuyPriceUsd = priceForRisk * (1 + p.maxSlippageBps / 10_000);
  const maxLegEthByCollateral = buying ? usdcAvailable / worstBuyPriceUsd : Math.max(0, hedgeInventoryEth);
  if (Math.abs(netDeltaEth) > bandEth && maxLegEthByCollateral <= 0) {
    gates.push({
      reason: "insufficient-collateral",
      detail: buying
        ? `net delta ${netDeltaEth.toFixed(4)} ETH needs WETH bought, the vault holds ${usdcAvailable.toFixed(2)} USDC`
        : `net delta ${netDeltaEth.toFixed(4)} ETH needs WETH sold, the vault holds ${hedgeInventoryEth.toFixed(6)} WETH`,
    });
  }
  if (Math.abs(netDeltaEth) > bandEth && snapshot.budgets.turnoverWethWad < onChainMinTradeWad(p)) {
    gates.push({
      reason: "turnover-budget",
      detail: `the adapter's turnover budget has ${wadToNumber(snapshot.budgets.turnoverWethWad).toFixed(4)} ETH left, below its minimum trade ${wadToNumber(onChainMinTradeWad(p))} ETH`,
    });
  }
  const maxLegEth = Math.min(maxLegEthByDepth, maxLegEthByCollateral);
  const oneUsdc6Wad = wethWadForOneUsdc6(snapshot.oracle.priceWad);
  const limits: TradeLimits = {
    payableWad: buying
      ? usdc6ToWethWadFloor(snapshot.collateral.usdc6, snapshot.oracle.priceWad, BigInt(p.maxSlippageBps))
      : maxBigint(snapshot.collateral.wethWad, 0n),
    depthWad: Number.isFinite(maxLegEthByDepth) ? ethToWadFloor(maxLegEthByDepth) : null,
    // The turnover budget left caps a trade like the max trade does.
    maxTradeWad:
      snapshot.budgets.turnoverWethWad < p.maxTradeWethWad ? snapshot.budgets.turnoverWethWad : p.maxTradeWethWad,
    // The adapter's minimum trade (min(minTradeWethWad, band)) plus one USDC unit of margin, since a buy's USDC amount
    // is rounded down before the adapter values it; never below the keeper's own minimum.
    minTradeWad: maxBigint(options.minTradeWethWad, onChainMinTradeWad(p) + oneUsdc6Wad),
  };
  const gasPriceWei = Number(snapshot.baseFeePerGas) + options.priorityFeeGwei * 1e9;
  const cost: CostModel = {
    gasCostUsd: (options.gasUnitsPerHedge * gasPriceWei * priceForRisk) / WEI_PER_ETH,
    poolFeeBps,
    slippageBps: (tradeEth: number) => (refEth > 0 ? (impactRefBps * tradeEth) / refEth : 0) + adverseBps,
  };

  return {
    spotUsd,
    oracleAgeSec,
    optionsDeltaEth: risk.netOptionDeltaEth,
    hedgeInventoryEth,
    netDeltaEth,
    risk,
    params,
    bandEth,
    poolPriceUsd: snapshot.poolPriceUsd,
    poolTwapPriceUsd: snapshot.poolTwapPriceUsd,
    poolVsOracleBps,
    twapVsOracleBps,
    onChainNetDeltaEth,
    deltaMismatchEth,
    cost,
    maxLegEthByDepth,
    maxLegEthByCollateral,
    maxLegEth,
    limits,
    gates,
  };
}

/** The adapter's OracleLib checks on one Chainlink round, as a gate (`prefix` names the feed: "" or "usdc-"). */
function oracleGate(
  o: OracleRound,
  nowSec: number,
  maxAgeSec: number,
  prefix: "" | "usdc-",
): { reason: GateReason; detail: string } | null {
  const invalid = `${prefix}oracle-invalid` as const;
  const ageSec = nowSec - Number(o.updatedAt);
  if (o.answer <= 0n) return { reason: invalid, detail: `answer ${o.answer} is not positive` };
  if (o.updatedAt === 0n || o.answeredInRound < o.roundId) {
    return { reason: invalid, detail: `round ${o.roundId} incomplete (answeredInRound ${o.answeredInRound})` };
  }
  if (ageSec < 0) return { reason: invalid, detail: `updatedAt ${o.updatedAt} is in the future` };
  if (ageSec > maxAgeSec) {
    return { reason: `${prefix}oracle-stale` as const, detail: `answer is ${ageSec}s old, max ${maxAgeSec}s` };
  }
  return null;
}

/** The adapter's effective minimum trade, wad: min(minTradeWethWad, the band's floor) — the check it runs before its walk. */
function onChainMinTradeWad(p: Snapshot["params"]): bigint {
  return p.minTradeWethWad < p.deltaBandWad ? p.minTradeWethWad : p.deltaBandWad;
}
