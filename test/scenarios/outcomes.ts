/**
 * What each scenario must have shown, beyond "every check passed": the checks that carry its outcome. A scenario that
 * stopped making one of these assertions fails here instead of passing on what is left.
 */
import { expect } from "chai";
import { formatChecks, formatResultLine, type ScenarioResult } from "../../scripts/lib/scenarios/index.js";

export const KEY_OUTCOMES: Readonly<Record<string, readonly RegExp[]>> = {
  crash: [
    /\|net delta\| is back inside the band after every move settles/,
    /hedges follow the move/,
    /sell WETH as the price falls/,
    /every fill is within the slippage bound/,
  ],
  rally: [/\|net delta\| is back inside the band after every move settles/, /buy WETH as the price rises/],
  chop: [
    /^inside the band: no trades/,
    /^crossing the band: the keeper hedges/,
    /^a keeper band tighter than the DAO.s trades no more than the DAO.s band/,
  ],
  "vol-spike": [/the price did not move/, /the keeper re-hedges at once/, /\|net delta\| back inside the band/],
  "stale-oracle": [
    /holds on the oracle-stale gate/,
    /nothing is sent while the feed is stale/,
    /reports itself unhealthy/,
    /rejects a direct rebalance with OracleStale/,
    /once the feed is fresh the keeper hedges/,
    /healthy again/,
  ],
  "oracle-dex-divergence": [
    /holds on the pool-deviation gate/,
    /raises an alert/,
    /rejects a direct rebalance with PoolDeviationTooHigh/,
    /no loss/,
  ],
  "thin-liquidity": [
    /would breach the bound: the adapter refuses it/,
    /splits the hedge into legs .* or holds/,
    /no fill is worse than the slippage bound/,
  ],
  sandwich: [
    /^front-run pushing 150 bps: one block ran the attacker's front-run, the keeper's hedge, the attacker's back-run/,
    /^front-run pushing 150 bps: the hedge fills within the bound .* or reverts/,
    /^front-run pushing 150 bps: the attacker's profit is bounded by the slippage parameter/,
    /^front-run pushing 20 bps: the hedge fills within the bound .* or reverts/,
    /^front-run pushing 20 bps: the attacker's profit is bounded by the slippage parameter/,
  ],
  "private-send": [
    /^public mempool: the searcher saw the hedge and its block ran front-run, hedge, back-run/,
    /^public mempool: the sandwiched fill stays within the adapter's bound/,
    /^private relay: the relay carried the hedge and the searcher never saw it/,
    /^private relay: the searcher made nothing/,
  ],
  "gas-spike": [
    /is held: the adapter refuses hedges inside the band/,
    /hedged even at the spike/,
    /paid the spiked fee/,
  ],
  "keeper-restart": [
    /^precondition: after-send: the keeper dies mid-hedge/,
    /^after-send: exactly one hedge/,
    /^precondition: after-journal: the keeper dies mid-hedge/,
    /^after-journal: exactly one hedge/,
  ],
  "two-keepers": [
    /^trigger 1 .*: exactly one hedge/,
    /^trigger 2 .*: exactly one hedge/,
    /^trigger 3 .*: exactly one hedge/,
    /nonce \/ one-per-block rule stopped the other/,
  ],
  expiry: [/leave the book/, /no longer has the settled series/, /unwinds the hedge/, /settlement moves no delta/],
  "governance-change": [
    /^before execution: .* → hold/,
    /the proposal executed/,
    /reads the new band from the execution block/,
    /hedges the exposure the new band no longer allows/,
  ],
};

/** Asserts that `result` passed, made each of its key assertions (and they held), and ended inside the band. */
export function expectScenarioPassed(result: ScenarioResult): void {
  const report = ["", formatResultLine(result), ...formatChecks(result, "        ")].join("\n");
  expect(result.status, report).to.equal("pass");
  const keys = KEY_OUTCOMES[result.name];
  expect(keys, `no key outcomes listed for ${result.name}`).to.not.equal(undefined);
  for (const pattern of keys!) {
    const matching = result.checks.filter((c) => pattern.test(c.name));
    expect(matching.length, `${result.name} asserts ${pattern}${report}`).to.be.greaterThan(0);
    expect(
      matching.every((c) => c.ok),
      `${result.name}: ${pattern}${report}`,
    ).to.equal(true);
  }
  expect(result.finalAbsDeltaEth, `final |net delta| is measured${report}`).to.be.a("number");
  expect(result.finalAbsDeltaEth!, `final |net delta| inside the band${report}`).to.be.at.most(result.bandEth!);
}
