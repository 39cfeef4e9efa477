/**
 * What a demo run records: its steps, hedges and failures, and the recorder that turns each keeper cycle's report
 * into a step (inventory after the hedge, mark-to-market P&L, costs so far).
 */
import type { CycleReport } from "../../../keeper/keeper.js";
import { usdcToNumber, wadToNumber } from "../../../keeper/units.js";
import { bookRows, hedgeCosts, markToMarketUsd, valueBook, type HedgeCosts } from "./accounting.js";
import { type DemoOptions } from "./options.js";

export interface HedgeRecord extends HedgeCosts {
  step: number;
  block: number;
  txHash: string;
  side: "buyWeth" | "sellWeth";
  /** net delta before and after, ETH (off-chain Black–Scholes at the oracle, as the keeper sees it) */
  deltaBeforeEth: number;
  deltaAfterEth: number;
  /** pool spot after the swap (from the Hedged event) */
  poolPriceAfterUsd: number;
}

export interface StepRecord {
  step: number;
  /** block the keeper's snapshot was read at */
  block: number;
  timeSec: number;
  oracleUsd: number;
  /** pool spot the keeper saw (after the arbitrageur), and after the step's hedge if any */
  poolUsd: number;
  poolAfterUsd: number;
  bandEth: number;
  optionsDeltaEth: number;
  /** the book with its initial WETH frozen: what the vault's delta would be without the keeper */
  unhedgedDeltaEth: number;
  /** net delta the keeper assessed, and after this step's hedge */
  netDeltaBeforeEth: number;
  netDeltaEth: number;
  decision: "hedge" | "hold";
  /** policy reason ("inside-band", "cost-exceeds-benefit", …) or the gates that stopped any hedge ("pool-deviation") */
  reason: string;
  /** a market or chain condition stopped any hedge this block (the reason names it) */
  gated: boolean;
  detail: string;
  /** what happened to a hedge the keeper decided (succeeded, rejected, …); null on hold */
  outcome: string | null;
  /** index into DemoRun.hedges when this step hedged */
  hedgeIndex: number | null;
  wethEth: number;
  usdc: number;
  optionsValueUsd: number;
  /** vault mark-to-market P&L since step 0, hedged (the real vault) and unhedged (initial inventory frozen) */
  pnlHedgedUsd: number;
  pnlUnhedgedUsd: number;
  /** hedged P&L over this step before trading costs: what the residual delta and gamma/theta earned or lost */
  hedgeErrorUsd: number;
  /** cumulative costs so far, USD */
  poolFeeUsd: number;
  slippageUsd: number;
  gasUsd: number;
}

export interface StepFailure {
  step: number;
  error: string;
}

export interface DemoRun {
  options: DemoOptions;
  startedAt: string;
  /** requested steps were not all run (Ctrl-C) */
  interrupted: boolean;
  deploySec: number;
  durationSec: number;
  /** the path's oracle prices, S_0 … S_blocks (the steps run may be fewer) */
  path: number[];
  steps: StepRecord[];
  hedges: HedgeRecord[];
  failures: StepFailure[];
  /** why the run stopped early on its own (the chain or keeper kept failing); null when it did not */
  fatalError: string | null;
  /** Hedged events the adapter emitted during the run, counted from its logs */
  hedgesOnChain: number;
  /** the vault's own netDeltaWad() at the end, ETH (null if the call reverted) */
  finalOnChainNetDeltaEth: number | null;
  book: { series: number; calls: number; puts: number; shortEth: number; longEth: number };
  /** warn/error lines the keeper logged (gates, refused hedges), pino JSON */
  keeperLog: string[];
}

export interface DemoHooks {
  /** stops the loop between steps; the run returns what it has, marked interrupted */
  signal?: AbortSignal;
  /** a phase starts (deploying, running) */
  onPhase?: (message: string) => void;
  onStep?: (step: StepRecord, run: DemoRun) => void;
}

/** Consecutive failed cycles after which the run stops: the chain or the keeper is broken, not the market. */
/**
 * Turns each cycle report into a step record: the vault's inventory after the step's hedge, its mark-to-market
 * against the frozen (unhedged) inventory of the first step, and the costs so far.
 */
export function createRecorder(run: DemoRun, poolFee: number) {
  let baseline: { valueUsd: number; wethEth: number; usdc: number } | null = null;
  let previous: StepRecord | null = null;
  const costs = { poolFeeUsd: 0, slippageUsd: 0, gasUsd: 0 };

  return function record(step: number, report: CycleReport): StepRecord {
    const { snapshot, assessment: a, decision, outcome } = report;
    let wethEth = wadToNumber(snapshot.collateral.wethWad);
    let usdc = usdcToNumber(snapshot.collateral.usdc6);
    const book = valueBook(bookRows(snapshot.book), a.spotUsd, snapshot.blockTimestamp);
    // P&L counts from the first recorded step, before its hedge (if any).
    baseline ??= { valueUsd: markToMarketUsd(book.valueUsd, wethEth, usdc, a.spotUsd), wethEth, usdc };

    let hedgeIndex: number | null = null;
    let poolAfterUsd = a.poolPriceUsd;
    let tradeLossUsd = 0;
    if (decision.kind === "hedge" && outcome?.kind === "succeeded") {
      const buyWeth = decision.side === "buyWeth";
      const fill = hedgeCosts({ ...outcome, buyWeth }, poolFee);
      wethEth += buyWeth ? fill.wethEth : -fill.wethEth;
      usdc += buyWeth ? -fill.usdc : fill.usdc;
      costs.poolFeeUsd += fill.poolFeeUsd;
      costs.slippageUsd += fill.slippageUsd;
      costs.gasUsd += fill.gasUsd;
      tradeLossUsd = fill.poolFeeUsd + fill.slippageUsd;
      poolAfterUsd = wadToNumber(outcome.poolPriceWad);
      hedgeIndex = run.hedges.length;
      run.hedges.push({
        ...fill,
        step,
        block: Number(outcome.blockNumber),
        txHash: outcome.txHash,
        side: decision.side,
        deltaBeforeEth: a.netDeltaEth,
        deltaAfterEth: book.deltaEth + wethEth,
        poolPriceAfterUsd: poolAfterUsd,
      });
    } else if (outcome?.kind === "reverted") {
      // A reverted hedge moves nothing but still burns the keeper's gas.
      costs.gasUsd += wadToNumber(outcome.gasUsed * outcome.effectiveGasPrice) * a.spotUsd;
    }

    const pnlHedgedUsd = markToMarketUsd(book.valueUsd, wethEth, usdc, a.spotUsd) - baseline.valueUsd;
    const unhedgedValueUsd = markToMarketUsd(book.valueUsd, baseline.wethEth, baseline.usdc, a.spotUsd);
    const current: StepRecord = {
      step,
      block: Number(snapshot.blockNumber),
      timeSec: snapshot.blockTimestamp,
      oracleUsd: a.spotUsd,
      poolUsd: a.poolPriceUsd,
      poolAfterUsd,
      bandEth: a.bandEth,
      optionsDeltaEth: book.deltaEth,
      unhedgedDeltaEth: book.deltaEth + baseline.wethEth,
      netDeltaBeforeEth: a.netDeltaEth,
      netDeltaEth: book.deltaEth + wethEth,
      decision: decision.kind,
      reason: holdReason(decision),
      gated: decision.kind === "hold" && decision.reason === "gate",
      detail: stepDetail(report),
      outcome: outcome?.kind ?? null,
      hedgeIndex,
      wethEth,
      usdc,
      optionsValueUsd: book.valueUsd,
      pnlHedgedUsd,
      pnlUnhedgedUsd: unhedgedValueUsd - baseline.valueUsd,
      hedgeErrorUsd: pnlHedgedUsd - (previous?.pnlHedgedUsd ?? 0) + tradeLossUsd,
      ...costs,
    };
    run.steps.push(current);
    previous = current;
    return current;
  };
}

function holdReason(decision: CycleReport["decision"]): string {
  if (decision.kind === "hedge") return "hedge";
  return decision.reason === "gate" ? decision.gates.map((g) => g.reason).join("+") : decision.reason;
}

/** The policy's words for the decision, or what became of a hedge that did not go through. */
function stepDetail({ decision, outcome }: CycleReport): string {
  if (outcome && outcome.kind !== "succeeded") return `${outcome.kind}: ${describeOutcome(outcome)}`;
  return decision.kind === "hold" ? decision.detail : decision.reason;
}

function describeOutcome(outcome: NonNullable<CycleReport["outcome"]>): string {
  switch (outcome.kind) {
    case "reverted":
    case "rejected":
      return outcome.error;
    case "deferred":
    case "dropped":
      return outcome.reason;
    case "pending":
      return `tx ${outcome.txHash} not mined yet`;
    case "succeeded":
      return `tx ${outcome.txHash}`;
  }
}
