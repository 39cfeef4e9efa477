import { expect } from "chai";
import { CHECK_NAMES, seedChecks } from "../../scripts/lib/soak/checks.js";
import { planSeed } from "../../scripts/lib/soak/plan.js";
import { heldBy, runSoakSeed } from "../../scripts/lib/soak/run.js";

describe("soak runSoakSeed", function () {
  this.timeout(120_000);

  it("drives the keeper service through a short seed with faults and passes the soak's checks", async function () {
    const plan = { ...planSeed(3, 50), rpcFaultRate: 0.05, txFaultRate: 0.3, governanceEveryBlocks: 15 };
    const result = await runSoakSeed(plan);
    expect(result.harnessError).to.equal(null);
    expect(result.cycles).to.equal(50);
    expect(result.faultsInjected).to.be.greaterThan(0);
    expect(result.governanceChanges.length).to.be.greaterThan(0);
    expect(result.resources.samples.length).to.be.greaterThan(10);
    const failed = seedChecks(result).filter(
      (c) => !c.ok && c.name !== CHECK_NAMES.flat && c.name !== CHECK_NAMES.hedged,
    );
    expect(failed, JSON.stringify(failed)).to.deep.equal([]);
  });

  it("names no reason for a hold inside the band and names gates, limits and failed sends", function () {
    const base = { cycleId: 1, request: null, roundTrips: 0, durationMs: 0 } as const;
    const hold = (decision: object, outcome: object | null = null) =>
      heldBy({ ...base, decision, outcome } as unknown as Parameters<typeof heldBy>[0]);
    expect(hold({ kind: "hold", reason: "inside-band", limit: null })).to.deep.equal([]);
    expect(hold({ kind: "hold", reason: "gate", gates: [{ reason: "oracle-stale", detail: "" }] })).to.deep.equal([
      "oracle-stale",
    ]);
    expect(
      hold({ kind: "hold", reason: "insufficient-collateral", limit: { reason: "insufficient-collateral" } }),
    ).to.deep.equal(["insufficient-collateral"]);
    expect(hold({ kind: "hold", reason: "cost-exceeds-benefit", limit: null })).to.deep.equal([
      "policy:cost-exceeds-benefit",
    ]);
    expect(hold({ kind: "hedge", limit: null }, { kind: "rejected" })).to.deep.equal(["tx-rejected"]);
  });
});
