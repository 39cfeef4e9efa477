/**
 * Policy configurations under test, by family: the keeper's `defaultPolicyConfig` with one knob swept, under the
 * replica's governance thresholds (`scripts/lib/market/stack.ts` DEFAULT_ADAPTER_PARAMS: band 5 ETH, max trade 50 ETH,
 * cooldown 0, max slippage 50 bp) unless a family needs its own band.
 */
import { defaultPolicyConfig, type GovernanceParams, type PolicyConfig } from "../../keeper/policy/index.js";
import type { PolicyFamily, PolicySpec } from "./engine.js";

export const REPLICA_GOVERNANCE: GovernanceParams = {
  deltaBandEth: 5,
  maxSlippageBps: 50,
  maxTradeEth: 50,
  cooldownSec: 0,
};

function spec(
  family: PolicyFamily,
  id: string,
  label: string,
  config: Partial<PolicyConfig>,
  params: Partial<GovernanceParams>,
  governance: GovernanceParams,
): PolicySpec {
  return {
    id,
    family,
    label,
    // The Zakamouline baseline is not a keeper kind: it reads the WW config's λ (as γ), min notional and max legs.
    config: { ...defaultPolicyConfig(family === "zakamouline" ? "whalley-wilmott" : family), ...config },
    params: { ...governance, ...params },
    onChainBandEth: family === "band" || family === "cost-aware" ? (params.deltaBandEth ?? governance.deltaBandEth) : 0,
  };
}

function formatDuration(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} d`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** "time": hedge to zero every interval. */
export function timePolicies(intervalsSec: readonly number[], governance = REPLICA_GOVERNANCE): PolicySpec[] {
  return intervalsSec.map((sec) =>
    spec("time", `time-${sec}s`, `every ${formatDuration(sec)}`, { timeIntervalSec: sec }, {}, governance),
  );
}

/** "band": hedge to zero when |Δ| leaves the governance band (keeper default hysteresis). */
export function bandPolicies(bandsEth: readonly number[], governance = REPLICA_GOVERNANCE): PolicySpec[] {
  return bandsEth.map((band) =>
    spec("band", `band-${band}`, `band ${band} ETH`, {}, { deltaBandEth: band }, governance),
  );
}

/**
 * "cost-aware" swept over risk aversion λ: a narrow governance band (`bandEth`) and a deferral limit wide enough
 * (`maxDeferralBandMultiple`) that the policy's own cost-vs-benefit gate, not the band, decides when to hedge.
 */
export function costAwarePolicies(
  riskAversionsPerUsd: readonly number[],
  { bandEth, maxDeferralBandMultiple }: { bandEth: number; maxDeferralBandMultiple: number },
  governance = REPLICA_GOVERNANCE,
): PolicySpec[] {
  return riskAversionsPerUsd.map((lambda) =>
    spec(
      "cost-aware",
      `cost-aware-${lambda}`,
      `λ ${lambda}/USD`,
      { riskAversionPerUsd: lambda, maxDeferralBandMultiple },
      { deltaBandEth: bandEth },
      governance,
    ),
  );
}

/** "cost-aware" exactly as the keeper ships it (defaults) under the replica's governance band. */
export function costAwareKeeperDefault(governance = REPLICA_GOVERNANCE): PolicySpec {
  const defaults = defaultPolicyConfig("cost-aware");
  return spec(
    "cost-aware",
    "cost-aware-default",
    `keeper defaults (band ${governance.deltaBandEth} ETH, λ ${defaults.riskAversionPerUsd}/USD)`,
    {},
    {},
    governance,
  );
}

/** "whalley-wilmott" swept over λ, with a governance band too wide to bind, so the WW band is the one in force. */
export function whalleyWilmottPolicies(
  riskAversionsPerUsd: readonly number[],
  governance = REPLICA_GOVERNANCE,
): PolicySpec[] {
  return riskAversionsPerUsd.map((lambda) =>
    spec(
      "whalley-wilmott",
      `ww-${lambda}`,
      `λ ${lambda}/USD`,
      { riskAversionPerUsd: lambda },
      { deltaBandEth: 1e6 },
      governance,
    ),
  );
}

/**
 * "zakamouline" (bench/backtest/zakamouline.ts) swept over risk aversion γ, with a governance band too wide to bind,
 * as for Whalley–Wilmott: the paper's band is the one in force.
 */
export function zakamoulinePolicies(
  riskAversionsPerUsd: readonly number[],
  governance = REPLICA_GOVERNANCE,
): PolicySpec[] {
  return riskAversionsPerUsd.map((gamma) =>
    spec(
      "zakamouline",
      `zakamouline-${gamma}`,
      `γ ${gamma}/USD`,
      { riskAversionPerUsd: gamma },
      { deltaBandEth: 1e6 },
      governance,
    ),
  );
}

/**
 * "cost-aware" under a band fitted to the book (keeper/policy/band.ts): the governance band is max(floor, bps × gross
 * notional), on chain and in the policy, swept over bps.
 */
export function costAwareRelativePolicies(
  bandsBps: readonly number[],
  floorEth: number,
  governance = REPLICA_GOVERNANCE,
): PolicySpec[] {
  return bandsBps.map((bps) => ({
    ...spec("cost-aware", `cost-aware-rel-${bps}bps`, `band ${bps / 100}% of notional`, {}, {}, governance),
    relativeBand: { floorEth, bps },
  }));
}
