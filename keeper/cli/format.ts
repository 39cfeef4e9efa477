import type { Deployment, Snapshot } from "../chain/snapshot.js";
import type { Assessment } from "../cycle/assess.js";
import type { QueuedChange } from "../chain/governance.js";
import type { IntentRecord } from "../journal/index.js";
import type { EndpointState } from "../chain/endpoints.js";
import type { CycleReport } from "../keeper.js";
import { usdcToNumber, wadToNumber } from "../units.js";

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);

function bookSummary(snapshot: Snapshot) {
  let calls = 0;
  let puts = 0;
  let shortEth = 0;
  let longEth = 0;
  for (const s of snapshot.book) {
    if (s.isCall) calls += 1;
    else puts += 1;
    const size = wadToNumber(s.sizeWad);
    if (size < 0) shortEth += -size;
    else longEth += size;
  }
  return { series: snapshot.book.length, calls, puts, shortEth, longEth };
}

function paramsView(snapshot: Snapshot) {
  const p = snapshot.params;
  return {
    deltaBandEth: wadToNumber(snapshot.bandWad),
    deltaBandFloorEth: wadToNumber(p.deltaBandWad),
    deltaBandBps: p.deltaBandBps,
    grossNotionalEth: wadToNumber(snapshot.grossNotionalWad),
    maxTradeEth: wadToNumber(p.maxTradeWethWad),
    cooldownSec: p.cooldownSec,
    maxOracleAgeSec: p.maxOracleAgeSec,
    maxSlippageBps: p.maxSlippageBps,
    maxPoolDeviationBps: p.maxPoolDeviationBps,
    twapWindowSec: p.twapWindowSec,
    paused: snapshot.paused,
  };
}

function riskView(a: Assessment) {
  return {
    oraclePriceUsd: a.spotUsd,
    oracleAgeSec: a.oracleAgeSec,
    poolPriceUsd: a.poolPriceUsd,
    poolTwapPriceUsd: a.poolTwapPriceUsd,
    optionsDeltaEth: a.optionsDeltaEth,
    hedgeInventoryEth: a.hedgeInventoryEth,
    netDeltaEth: a.netDeltaEth,
    onChainNetDeltaEth: a.onChainNetDeltaEth,
    bandEth: a.bandEth,
    gates: a.gates,
  };
}

export function formatCycle(report: CycleReport, deployment: Deployment, asJson: boolean): string {
  const { snapshot, assessment, decision, request, outcome } = report;
  const view = {
    block: snapshot.blockNumber,
    adapter: deployment.adapter,
    roundTrips: snapshot.roundTrips,
    book: bookSummary(snapshot),
    collateral: { weth: wadToNumber(snapshot.collateral.wethWad), usdc: usdcToNumber(snapshot.collateral.usdc6) },
    params: paramsView(snapshot),
    risk: riskView(assessment),
    decision: { ...decision, nextState: undefined },
    transaction: request
      ? { to: deployment.adapter, function: "rebalance", args: request, sent: outcome !== null }
      : null,
    outcome,
  };
  if (asJson) return json(view);
  const lines = [
    `block ${snapshot.blockNumber} · ${view.book.series} series (${view.book.calls} calls, ${view.book.puts} puts) · ${snapshot.roundTrips} round trips`,
    `oracle $${assessment.spotUsd.toFixed(2)} (age ${assessment.oracleAgeSec}s) · pool $${assessment.poolPriceUsd.toFixed(2)}`,
    `net delta ${assessment.netDeltaEth.toFixed(4)} ETH (options ${assessment.optionsDeltaEth.toFixed(4)}, inventory ${assessment.hedgeInventoryEth.toFixed(4)}) · band ±${assessment.bandEth} ETH`,
    `on-chain netDelta ${assessment.onChainNetDeltaEth?.toFixed(4) ?? "unavailable"} ETH`,
    decision.kind === "hedge"
      ? `decision: HEDGE ${decision.side} ${decision.totalEth.toFixed(4)} ETH in ${decision.legsEth.length} leg(s) — ${decision.reason}`
      : `decision: hold (${decision.reason}) — ${decision.detail}`,
  ];
  if (request) {
    lines.push(
      `tx: ${deployment.adapter}.rebalance(buyWeth=${request.buyWeth}, amountIn=${request.amountIn}, minAmountOut=${request.minAmountOut}, deadline=${request.deadline}, expectedNonce=${request.expectedNonce})${outcome ? "" : " [not sent]"}`,
    );
  }
  if (outcome) lines.push(`outcome: ${json(outcome).replace(/\s+/g, " ")}`);
  return lines.join("\n");
}

export function formatStatus(
  input: {
    snapshot: Snapshot;
    assessment: Assessment;
    hedges: IntentRecord[];
    /** null when no governor is configured (HK_GOVERNOR_ADDRESS) */
    queued: QueuedChange[] | null;
    deployment: Deployment;
    /** each RPC URL's state as probed at start-up */
    endpoints: EndpointState[];
  },
  asJson: boolean,
): string {
  const { snapshot, assessment, hedges, queued } = input;
  const view = {
    block: snapshot.blockNumber,
    book: bookSummary(snapshot),
    params: paramsView(snapshot),
    risk: riskView(assessment),
    lastHedges: hedges.map((h) => ({
      id: h.id,
      status: h.status,
      side: h.side,
      legEth: h.legEth,
      tx: h.txHash,
      error: h.error,
      block: h.minedBlock,
    })),
    queuedProposals: queued,
    rpcEndpoints: input.endpoints,
  };
  if (asJson) return json(view);
  const inside = Math.abs(assessment.netDeltaEth) <= assessment.bandEth;
  const lines = [
    `block ${snapshot.blockNumber} · adapter ${input.deployment.adapter}`,
    `book: ${view.book.series} series (${view.book.calls} calls, ${view.book.puts} puts), short ${view.book.shortEth.toFixed(2)} ETH, long ${view.book.longEth.toFixed(2)} ETH`,
    `net delta ${assessment.netDeltaEth.toFixed(4)} ETH vs band ±${assessment.bandEth} ETH: ${inside ? "inside" : "OUTSIDE"}`,
    `params: ${Object.entries(view.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" ")}`,
    assessment.gates.length
      ? `gates: ${assessment.gates.map((g) => `${g.reason} (${g.detail})`).join("; ")}`
      : "gates: none",
    queued === null
      ? "queued proposals: unknown (set HK_GOVERNOR_ADDRESS)"
      : `queued proposals: ${queued.length === 0 ? "none" : ""}`,
    ...(queued ?? []).map(
      (q) =>
        `  #${q.proposalId} eta ${new Date(q.etaSec * 1000).toISOString()} ` +
        `${q.params.map((p) => `${p.name} ${String(snapshot.params[p.name])} → ${p.value}`).join(", ")}` +
        `${q.other ? ` (+${q.other} other call(s))` : ""} — ${q.description.split("\n")[0]}`,
    ),
    `rpc: ${input.endpoints.map(endpointText).join("; ")}`,
    `last hedges (${hedges.length}):`,
    ...view.lastHedges.map(
      (h) => `  ${h.id} ${h.status} ${h.side} ${h.legEth.toFixed(4)} ETH ${h.tx ?? ""} ${h.error ?? ""}`,
    ),
  ];
  return lines.join("\n");
}

/** `http://127.0.0.1:8545 up (3 ms, block 212)`, `http://127.0.0.1:1 DOWN (ECONNREFUSED …)` */
function endpointText(e: EndpointState): string {
  if (e.up === null) return `${e.url} (not probed)`;
  return e.up ? `${e.url} up (${e.latencyMs} ms, block ${e.blockNumber})` : `${e.url} DOWN (${e.error})`;
}
