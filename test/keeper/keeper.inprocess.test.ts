import { expect } from "chai";
import { startInProcessKeeper } from "../../scripts/lib/testing/keeperHarness.js";
import { setFeedPrice } from "../../scripts/lib/market/market.js";
import { createHedgeEnv, ETH, type HedgeEnv } from "../fixtures.js";
import type { KeeperService } from "../../keeper/service.js";

describe("keeper cycle (in-process chain)", function () {
  let load: () => Promise<HedgeEnv>;
  let provider: Parameters<typeof startInProcessKeeper>[0]["provider"];
  const services: KeeperService[] = [];
  before(async function () {
    const created = await createHedgeEnv();
    load = created.load;
    provider = created.connection.provider as never;
  });
  afterEach(async function () {
    while (services.length) await services.pop()!.close();
  });

  async function keeperFor(env: HedgeEnv, extra: Record<string, string> = {}) {
    const service = await startInProcessKeeper({
      provider,
      adapter: await env.adapter.getAddress(),
      quoter: env.market.book.quoterV2,
      env: { HK_POLICY: "band", ...extra },
    });
    services.push(service);
    return service;
  }

  it("hedges a vault outside the band back inside it, and the adapter's Hedged event agrees", async function () {
    const env = await load();
    const { keeper } = await keeperFor(env);
    const report = await keeper.runCycle();
    expect(report.decision.kind).to.equal("hedge");
    expect(report.outcome?.kind).to.equal("succeeded");
    const after = await env.vault.netDeltaWad();
    expect(after < 0n ? -after : after).to.be.lessThan(ETH(0.5));
    expect(await env.adapter.hedgeNonce()).to.equal(1n);
    expect(report.assessment.deltaMismatchEth).to.be.lessThan(0.001);
  });

  it("holds without sending a transaction when the price moves inside the band", async function () {
    const env = await load();
    const { keeper } = await keeperFor(env);
    await keeper.runCycle(); // hedge to ~0
    await setFeedPrice(env.market, 3030); // +1%: delta moves by ~0.3 ETH, far inside the 5 ETH band
    const nonceBefore = await env.adapter.hedgeNonce();
    const report = await keeper.runCycle();
    expect(report.decision.kind).to.equal("hold");
    expect(report.outcome).to.equal(null);
    expect(await env.adapter.hedgeNonce()).to.equal(nonceBefore);
  });

  it("reads a snapshot in a constant number of round trips", async function () {
    const env = await load();
    const { keeper } = await keeperFor(env, { HK_DRY_RUN: "true" });
    const report = await keeper.runCycle();
    // In-process there is no batching: each request is a trip. The HTTP test shows the batched count.
    expect(report.snapshot.requests).to.be.greaterThan(5);
    expect(report.request).to.not.equal(null);
    expect(await env.adapter.hedgeNonce()).to.equal(0n); // dry run sends nothing
  });
});
