import { expect } from "chai";
import { bookFromRows } from "../../keeper/risk/index.js";
import { defaultPolicyConfig } from "../../keeper/policy/index.js";
import { readAdapterParams } from "../../scripts/lib/governance/chainReads.js";
import { findProposal } from "../../scripts/lib/governance/governance.js";
import {
  DEFAULT_REPLAY_COST,
  gbmPath,
  parsePriceHistory,
  replayPolicy,
  type ReplayInput,
} from "../../scripts/lib/governance/policyReplay.js";
import { actionsFromFlags, buildProposalCalls } from "../../scripts/lib/governance/proposalCalls.js";
import { SimulatedCallRevertedError, simulateProposal } from "../../scripts/lib/governance/proposalSimulation.js";
import { ETH } from "../fixtures.js";
import { createGovEnv, propose, type GovEnv } from "./govFixture.js";

describe("gov simulate: a proposal on a snapshot, then the policy replayed with current vs proposed parameters", function () {
  let load: () => Promise<GovEnv>;
  before(async function () {
    ({ load } = await createGovEnv("development"));
  });

  const callsFor = (env: GovEnv, set: string[]) =>
    buildProposalCalls(env.addresses.adapter as `0x${string}`, actionsFromFlags({ set }));

  it("reports a different hedge count for a band much wider than the current one", async function () {
    const env = await load();
    const result = await simulateProposal(env.ethers.provider, env.addresses, callsFor(env, ["deltaBandWad=100e18"]), {
      seed: 7,
      days: 3,
    });
    expect(result.current.deltaBandWad).to.equal(ETH(5));
    expect(result.proposed.deltaBandWad).to.equal(ETH(100));
    // Short 20 ATM calls (|delta| ≈ 11 ETH at the start): outside a 5 ETH band at once, never outside 100 ETH.
    expect(result.currentStats.hedgeCount).to.be.greaterThan(0);
    expect(result.proposedStats.hedgeCount).to.equal(0);
    expect(result.proposedStats.totalCostUsd).to.equal(0);
    expect(result.proposedStats.maxAbsDeltaEth).to.be.greaterThan(result.currentStats.maxAbsDeltaEth);
    expect(result.calls).to.deep.equal(["adapter.setParam(deltaBandWad, 100000000000000000000)"]);
  });

  it("leaves the chain as it was: parameters, block number and the timelock's balance", async function () {
    const env = await load();
    const before = {
      params: await readAdapterParams(env.adapter),
      block: await env.ethers.provider.getBlockNumber(),
      balance: await env.ethers.provider.getBalance(env.addresses.timelock),
    };
    await simulateProposal(env.ethers.provider, env.addresses, callsFor(env, ["maxSlippageBps=10"]), { days: 1 });
    expect(await readAdapterParams(env.adapter)).to.deep.equal(before.params);
    expect(await env.ethers.provider.getBlockNumber()).to.equal(before.block);
    expect(await env.ethers.provider.getBalance(env.addresses.timelock)).to.equal(before.balance);
  });

  it("names the error of a call that would revert at execution, and leaves the chain unchanged", async function () {
    const env = await load();
    const error = await simulateProposal(
      env.ethers.provider,
      env.addresses,
      callsFor(env, ["maxSlippageBps=20", "deltaBandWad=0"]),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SimulatedCallRevertedError);
    expect((error as Error).message).to.equal(
      "call 2 (adapter.setParam(deltaBandWad, 0)) reverted with ParamOutOfBounds(deltaBandWad = 0, allowed [10000000000000000, 1000000000000000000000])",
    );
    expect((await env.adapter.params()).maxSlippageBps).to.equal(50n);
  });

  it("simulates an existing proposal from its ProposalCreated event", async function () {
    const env = await load();
    const proposalId = await propose(env, callsFor(env, ["deltaBandWad=1e18", "cooldownSec=600"]), "Tight band");
    const record = await findProposal(env.governor, proposalId);
    const result = await simulateProposal(env.ethers.provider, env.addresses, record, { seed: 3, days: 2 });
    expect(result.proposed.deltaBandWad).to.equal(ETH(1));
    expect(result.proposed.cooldownSec).to.equal(600);
  });
});

describe("replayPolicy and price paths", function () {
  const NOW = 1_750_000_000;
  const book = bookFromRows([{ strikeUsd: 3000, expirySec: NOW + 30 * 86400, isCall: true, sizeEth: -20, vol: 0.8 }]);
  const path = gbmPath({ seed: 11, startPriceUsd: 3000, startSec: NOW, volAnnual: 0.8, stepSec: 300, steps: 2016 });
  const input = (deltaBandEth: number): ReplayInput => ({
    path,
    book,
    initialHedgeEth: 0,
    params: { deltaBandEth, maxTradeEth: 50, cooldownSec: 0, maxSlippageBps: 50 },
    config: defaultPolicyConfig("band"),
    cost: DEFAULT_REPLAY_COST,
  });

  it("generates the same GBM path for the same seed, and a different one for another seed", function () {
    const again = gbmPath({ seed: 11, startPriceUsd: 3000, startSec: NOW, volAnnual: 0.8, stepSec: 300, steps: 2016 });
    const other = gbmPath({ seed: 12, startPriceUsd: 3000, startSec: NOW, volAnnual: 0.8, stepSec: 300, steps: 2016 });
    expect(again).to.deep.equal(path);
    expect(other[2016]!.priceUsd).to.not.equal(path[2016]!.priceUsd);
    expect(path).to.have.length(2017);
    expect(path[2016]!.timeSec).to.equal(NOW + 2016 * 300);
  });

  it("hedges less often, for less, and carries more delta as the band widens", function () {
    const runs = [0.5, 1, 2, 4, 12].map((band) => replayPolicy(input(band)));
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.hedgeCount).to.be.at.most(runs[i - 1]!.hedgeCount);
      expect(runs[i]!.meanAbsDeltaEth).to.be.at.least(runs[i - 1]!.meanAbsDeltaEth);
    }
    const [narrowest, widest] = [runs[0]!, runs[runs.length - 1]!];
    expect(narrowest.hedgeCount).to.be.greaterThan(2);
    expect(widest.hedgeCount).to.equal(0); // |delta| of 20 short ATM calls stays below 12 ETH on this path
    expect(narrowest.totalCostUsd).to.be.greaterThan(widest.totalCostUsd);
  });

  it("splits a hedge into legs of at most maxTradeEth", function () {
    const stats = replayPolicy({ ...input(5), params: { ...input(5).params, maxTradeEth: 2 }, path: path.slice(0, 1) });
    expect(stats.hedgeCount).to.equal(1);
    expect(stats.legCount).to.equal(Math.ceil(stats.tradedEth / 2));
    expect(Math.abs(stats.finalDeltaEth)).to.be.lessThan(1e-9);
  });

  it("rejects an unordered history, naming the source and the entry", function () {
    expect(() =>
      parsePriceHistory(
        [
          { timeSec: 2, priceUsd: 3000 },
          { timeSec: 1, priceUsd: 3001 },
        ],
        "prices.json",
      ),
    ).to.throw(RangeError, "prices.json: path[1].timeSec must be finite and after path[0]");
    expect(() => parsePriceHistory([{ t: 1, p: 2 }], "prices.json")).to.throw(
      RangeError,
      "prices.json: entry 0 must have numeric timeSec and priceUsd",
    );
  });
});
