/**
 * fast-check generators over the input domain of the keeper's pure stages, shared by the property suites. Ranges are
 * wide on purpose (dust to whale sizes, cents to millions of dollars); where a property needs a narrower domain, the
 * suite says which and why.
 */
import fc from "fast-check";
import {
  defaultPolicyConfig,
  type CostModel,
  type PolicyConfig,
  type PolicyInput,
  type PolicyKind,
  type TradeLimits,
} from "../../../keeper/policy/index.js";
import { ethToWadFloor, WAD } from "../../../keeper/units.js";

/** Runs per property: enough to find the counterexamples, few enough that `npm test` stays quick. */
export const RUNS = 300;

export const POLICY_KINDS: readonly PolicyKind[] = ["band", "cost-aware", "whalley-wilmott", "time"];

/** A finite double in [min, max], biased by fast-check toward the bounds and small values. */
export const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A double spread evenly over [min, max] (fc.double favours special values: 0, the bounds, tiny numbers). */
export const uniform = (min: number, max: number) =>
  fc.integer({ min: 0, max: 1_000_000 }).map((i) => min + ((max - min) * i) / 1_000_000);

/** A wad amount from 0 through 10 million ETH, with dust (1 wei … 1 gwei) as likely as whole ETH. */
export const wadAmount = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 9n }),
  fc.bigInt({ min: 0n, max: WAD }),
  fc.bigInt({ min: 0n, max: 10n ** 7n * WAD }),
);

export const costModel: fc.Arbitrary<CostModel> = fc
  .record({
    gasCostUsd: real(0, 1_000),
    poolFeeBps: real(0, 100),
    impactBpsPerEth: real(0, 1_000),
    adverseBps: real(0, 500),
  })
  .map(({ gasCostUsd, poolFeeBps, impactBpsPerEth, adverseBps }) => ({
    gasCostUsd,
    poolFeeBps,
    slippageBps: (tradeEth: number) => impactBpsPerEth * tradeEth + adverseBps,
  }));

export const policyConfig: fc.Arbitrary<PolicyConfig> = fc.record({
  kind: fc.constantFrom(...POLICY_KINDS),
  hysteresisInnerRatio: real(1e-6, 1),
  minNotionalUsd: fc.oneof(fc.constant(0), real(0, 200), real(0, 10_000)),
  riskAversionPerUsd: real(1e-9, 1),
  horizonSec: real(1, 1e7),
  maxDeferralBandMultiple: real(1, 10),
  timeIntervalSec: real(1, 1e6),
  maxLegsPerHedge: fc.integer({ min: 1, max: 256 }),
});

/** Limits as the keeper builds them: a min trade of at least one USDC unit at spot, a max trade in whole wei. */
export function tradeLimits(spotUsd: number, maxTradeEth: number): fc.Arbitrary<TradeLimits> {
  const oneUsdc6Wad = ethToWadFloor(1e-6 / spotUsd) + 1n;
  return fc.record({
    payableWad: fc.option(wadAmount, { nil: null, freq: 5 }),
    depthWad: fc.option(wadAmount, { nil: null }),
    maxTradeWad: fc.oneof(fc.constant(ethToWadFloor(maxTradeEth) || 1n), fc.bigInt({ min: 1n, max: 10n ** 7n * WAD })),
    minTradeWad: fc.bigInt({ min: oneUsdc6Wad, max: oneUsdc6Wad + 10n ** 17n }),
  });
}

/**
 * A policy input near the keeper's defaults (mainnet-like spot, gamma, band and pool impact, default policy settings),
 * where most inputs trade: the wide domain below reaches a trade for a few percent of its inputs only.
 */
export const defaultsPolicyInput: fc.Arbitrary<PolicyInput> = fc
  .record({
    kind: fc.constantFrom(...POLICY_KINDS),
    deltaInBands: fc.integer({ min: -8000, max: 8000 }).map((milli) => milli / 1000),
    netGammaPerUsd: uniform(-0.2, 0.2),
    spotUsd: uniform(500, 10_000),
    volAnnual: uniform(0.1, 2),
    deltaBandEth: uniform(0.5, 20),
    maxTradeEth: uniform(1, 100),
    gasCostUsd: uniform(0, 20),
    impactBpsPerEth: uniform(0, 20),
    payableEth: uniform(0, 200),
    minNotionalUsd: fc.constantFrom(0, 100),
  })
  .map((f) => ({
    netDeltaEth: f.deltaInBands * f.deltaBandEth,
    netGammaPerUsd: f.netGammaPerUsd,
    spotUsd: f.spotUsd,
    volAnnual: f.volAnnual,
    nowSec: 1_800_000_000,
    params: { deltaBandEth: f.deltaBandEth, maxSlippageBps: 50, maxTradeEth: f.maxTradeEth, cooldownSec: 0 },
    config: { ...defaultPolicyConfig(f.kind), minNotionalUsd: f.minNotionalUsd },
    cost: { gasCostUsd: f.gasCostUsd, poolFeeBps: 5, slippageBps: (eth: number) => f.impactBpsPerEth * eth },
    state: { armed: true, lastHedgeSec: null },
    limits: {
      payableWad: ethToWadFloor(f.payableEth),
      depthWad: null,
      maxTradeWad: ethToWadFloor(f.maxTradeEth),
      minTradeWad: WAD / 1000n,
    },
  }));

/** A policy input `validatePolicyInput` accepts, anywhere in its domain. */
export const policyInput: fc.Arbitrary<PolicyInput> = fc
  .record({
    netDeltaEth: fc.oneof(real(-1e5, 1e5), real(-1, 1)),
    netGammaPerUsd: real(-10, 10),
    spotUsd: fc.oneof(real(0.01, 1e6), real(100, 10_000)),
    volAnnual: real(0, 10),
    nowSec: real(0, 4e9),
    params: fc.record({
      deltaBandEth: fc.oneof(real(1e-6, 1e4), real(0.1, 20)),
      maxSlippageBps: real(0, 10_000),
      maxTradeEth: fc.oneof(real(1e-6, 1e6), real(0.1, 100)),
      cooldownSec: real(0, 1e5),
    }),
    config: policyConfig,
    cost: costModel,
    state: fc.record({ armed: fc.boolean(), lastHedgeSec: fc.option(real(0, 4e9), { nil: null }) }),
    withLimits: fc.boolean(),
    /** when set, |Δ| is this many bands: most inputs then sit near or outside the band, where policies trade */
    deltaInBands: fc.option(
      fc.integer({ min: -20_000, max: 20_000 }).map((milli) => milli / 1000),
      { nil: null, freq: 3 },
    ),
  })
  .map(({ deltaInBands, ...input }) =>
    deltaInBands === null ? input : { ...input, netDeltaEth: deltaInBands * input.params.deltaBandEth },
  )
  .chain(({ withLimits, ...input }) =>
    withLimits
      ? tradeLimits(input.spotUsd, input.params.maxTradeEth).map((limits) => ({ ...input, limits }))
      : fc.constant(input),
  );
