/**
 * Zakamouline's utility-based hedging band, a baseline family for the efficiency bench (not a keeper policy).
 *
 * Source: V. I. Zakamouline, "Efficient analytic approximation of the optimal hedging strategy for a European call
 * option with transaction costs", Quantitative Finance 6(5), 2006 (the approximation fitted to the exact
 * Hodges–Neuberger utility-based strategy under exponential utility). With k the proportional cost rate, γ the
 * absolute risk aversion (1/USD), τ the time to expiry (years), σ the vol, S spot and Γ the gamma of the position:
 *
 *   centre   Δ_BS(σ_m): the Black–Scholes delta at the cost-adjusted vol σ_m² = σ²·(1 − K) for a short-gamma position
 *            (σ²·(1 + K) for a long one), K = −4.76 · k^0.78 / τ^0.02 · (e^{−rτ}/σ)^0.25 · (γ·S²·|Γ|)^0.15 (< 0),
 *            so the writer hedges at a higher vol (a flatter delta), as in Leland's adjustment;
 *   half-width  H = H_0 + H_1, with H_0 = k / (γ·S·σ²·τ), which does not depend on Γ, and
 *            H_1 = 1.12 · k^0.31 · τ^0.05 · (e^{−rτ}/σ)^0.25 · (|Γ|/γ)^0.5;
 *   outside the band [centre − H, centre + H] the hedge trades to the nearer edge, inside it holds.
 *
 * Against Whalley–Wilmott's (k·S·Γ²/γ)^(1/3) the band is centred off the frictionless delta, is wider near expiry
 * (H_0 grows as 1/τ) and grows as |Γ|^0.5 rather than |Γ|^(2/3). r is the backtest's rate (default 0).
 *
 * A book is not one option: the position's Γ is the book's net gamma, τ the |gamma|-weighted mean time to expiry of
 * its live series, σ their |size|-weighted vol (as `evaluateBook`), and each series' delta is taken at its own vol
 * scaled by the same factor √(1 ∓ K). Like WW, the band has no term for the fixed (gas) cost of a trade.
 */
import { proportionalCost } from "../../keeper/policy/economics.js";
import { planLegs } from "../../keeper/policy/legs.js";
import type { CostModel, GovernanceParams, HedgeSide, PolicyConfig } from "../../keeper/policy/index.js";
import { normCdf } from "../../keeper/risk/blackScholes.js";
import type { Book, BookRisk } from "../../keeper/risk/index.js";
import { ethToWadFloor, secondsToYears, wadToNumber, type Wad } from "../../keeper/units.js";

/** Smallest variance factor 1 ± K the long-gamma adjustment may reach: the fit is not meant for K near −1. */
const MIN_VARIANCE_FACTOR = 0.01;

export interface ZakamoulineBand {
  /** cost-adjusted vol factor √(1 ∓ K) applied to each series' vol */
  volFactor: number;
  /** band half-width H_0 + H_1, ETH; Infinity when the book has no time left */
  halfWidthEth: number;
  /** H_0, ETH */
  h0Eth: number;
  /** H_1, ETH */
  h1Eth: number;
}

/**
 * The band's parameters for a position of net gamma `netGammaPerUsd` (ETH per USD), at spot `spotUsd`, with `tYears`
 * to expiry and vol `volAnnual`; `k` the proportional cost (fraction), `riskAversionPerUsd` γ.
 */
export function zakamoulineBand(args: {
  spotUsd: number;
  netGammaPerUsd: number;
  tYears: number;
  volAnnual: number;
  k: number;
  riskAversionPerUsd: number;
  rateAnnual?: number;
}): ZakamoulineBand {
  const { spotUsd, tYears, volAnnual, k, riskAversionPerUsd: gamma } = args;
  const discount = Math.exp(-(args.rateAnnual ?? 0) * Math.max(tYears, 0));
  const absGamma = Math.abs(args.netGammaPerUsd);
  if (!(tYears > 0) || !(volAnnual > 0)) return { volFactor: 1, halfWidthEth: Infinity, h0Eth: Infinity, h1Eth: 0 };
  const volTerm = (discount / volAnnual) ** 0.25;
  const bigK = (-4.76 * k ** 0.78 * volTerm * (gamma * spotUsd ** 2 * absGamma) ** 0.15) / tYears ** 0.02;
  const varianceFactor = args.netGammaPerUsd < 0 ? 1 - bigK : Math.max(MIN_VARIANCE_FACTOR, 1 + bigK);
  const h0Eth = k / (gamma * spotUsd * volAnnual ** 2 * tYears);
  const h1Eth = 1.12 * k ** 0.31 * tYears ** 0.05 * volTerm * Math.sqrt(absGamma / gamma);
  return { volFactor: Math.sqrt(varianceFactor), halfWidthEth: h0Eth + h1Eth, h0Eth, h1Eth };
}

/** Black–Scholes delta of one option on 1 ETH at rate r; the step function at or past expiry or at zero vol. */
function delta(spotUsd: number, strikeUsd: number, tYears: number, sigma: number, isCall: boolean, r: number): number {
  const k = tYears > 0 ? strikeUsd * Math.exp(-r * tYears) : strikeUsd;
  if (tYears <= 0 || sigma <= 0) return isCall ? (spotUsd > k ? 1 : 0) : spotUsd < k ? -1 : 0;
  const volSqrtT = sigma * Math.sqrt(tYears);
  const d1 = Math.log(spotUsd / k) / volSqrtT + 0.5 * volSqrtT;
  return isCall ? normCdf(d1) : -normCdf(-d1);
}

export interface ZakamoulineTrade {
  side: HedgeSide;
  legsEth: number[];
  totalEth: number;
}

/**
 * One decision of the Zakamouline baseline: the book's options delta at the cost-adjusted vol plus the spot hedge,
 * against the band; a trade to the nearer band edge in legs as the keeper plans them (`planLegs`: max trade, pool
 * depth, min notional, max legs), or null to hold. `risk` is `evaluateBook` of `book` at (spot, now).
 */
export function decideZakamouline(args: {
  book: Book;
  risk: BookRisk;
  spotUsd: number;
  nowSec: number;
  hedgeEth: number;
  config: PolicyConfig;
  params: GovernanceParams;
  cost: CostModel;
  depthWad: Wad | null;
  rateAnnual?: number;
}): ZakamoulineTrade | null {
  const rateAnnual = args.rateAnnual ?? 0;
  const { book, risk, spotUsd, nowSec, config, params } = args;
  let gammaWeight = 0;
  let tWeighted = 0;
  for (let i = 0; i < book.length; i++) {
    const weight = Math.abs(book.sizeEth[i]! * risk.gamma[i]!);
    gammaWeight += weight;
    tWeighted += weight * secondsToYears(book.expirySec[i]! - nowSec);
  }
  const k = proportionalCost(args.cost, Math.min(params.deltaBandEth, params.maxTradeEth));
  const band = zakamoulineBand({
    spotUsd,
    netGammaPerUsd: risk.netGammaPerUsd,
    tYears: gammaWeight > 0 ? tWeighted / gammaWeight : 0,
    volAnnual: risk.weightedVol,
    k,
    riskAversionPerUsd: config.riskAversionPerUsd,
    rateAnnual,
  });
  let optionDeltaEth = 0;
  for (let i = 0; i < book.length; i++) {
    const size = book.sizeEth[i]!;
    if (size === 0) continue;
    const tYears = secondsToYears(book.expirySec[i]! - nowSec);
    optionDeltaEth +=
      size *
      delta(spotUsd, book.strikeUsd[i]!, tYears, book.vol[i]! * band.volFactor, book.isCall[i] === 1, rateAnnual);
  }
  const shiftedDeltaEth = optionDeltaEth + args.hedgeEth;
  const excessEth = Math.abs(shiftedDeltaEth) - band.halfWidthEth;
  if (!(excessEth > 0)) return null;
  const plan = planLegs({
    wantedWad: ethToWadFloor(excessEth),
    payableWad: null,
    depthWad: args.depthWad,
    maxTradeWad: ethToWadFloor(params.maxTradeEth),
    minLegWad: ethToWadFloor(config.minNotionalUsd / spotUsd),
    maxLegs: config.maxLegsPerHedge,
  });
  if (plan.kind === "none") return null;
  const legsEth = plan.legsWad.map(wadToNumber);
  return { side: shiftedDeltaEth < 0 ? "buyWeth" : "sellWeth", legsEth, totalEth: wadToNumber(plan.totalWad) };
}
