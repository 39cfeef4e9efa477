import { expect } from "chai";
import { toHex } from "viem";
import type { CycleReport } from "../../keeper/keeper.js";
import { StartupError } from "../../keeper/service.js";
import {
  describeFaults,
  faultWorld,
  journalPath,
  recordFault,
  startKeeper,
  type FaultWorld,
  type KeeperEnvOptions,
} from "./harness.js";

/** MockV3Aggregator keeps `decimals` in storage slot 0 (its `version` is a constant). */
const FEED_DECIMALS_SLOT = "0x0";

/**
 * Bad input the keeper meets at start-up or on chain: each stops start-up with one StartupError naming what to fix,
 * or gates the cycle with one named reason and no hedge. (Bad HK_* values are covered in test/keeper/config.test.ts.)
 */
describeFaults("keeper against bad chain input", function () {
  this.timeout(60_000);
  let world: FaultWorld;
  const rows = { trials: 0, survived: 0 };

  before(async function () {
    world = await faultWorld();
  });

  beforeEach(async function () {
    await world.reset();
  });

  after(function () {
    recordFault({
      fault: "input: wrong chain, no keeper role, bad oracle",
      trials: rows.trials,
      survived: rows.survived,
      hedgesExpected: 0,
      hedgesFound: 0,
      doubleHedges: 0,
      outsideBounds: 0,
      dataLost: 0,
    });
  });

  async function startupError(name: string, options: Omit<KeeperEnvOptions, "journal">): Promise<string> {
    rows.trials += 1;
    try {
      const service = await startKeeper(world, { ...options, journal: journalPath(world, name) });
      await service.close();
    } catch (error) {
      expect(error).to.be.instanceOf(StartupError);
      rows.survived += 1;
      return (error as Error).message;
    }
    return expect.fail("start-up succeeded");
  }

  /** One cycle with the oracle as the test left it: must hold on a gate, send nothing. */
  async function gatedCycle(name: string): Promise<{ report: CycleReport; hedges: number }> {
    rows.trials += 1;
    const from = (await world.blockNumber()) + 1n;
    const service = await startKeeper(world, { journal: journalPath(world, name) });
    try {
      const report = await service.keeper.runCycle();
      const hedges = (await world.hedgesSince(from)).length;
      if (report.decision.kind === "hold" && report.outcome === null && hedges === 0) rows.survived += 1;
      return { report, hedges };
    } finally {
      await service.close();
    }
  }

  function gateDetail(report: CycleReport): string {
    expect(report.decision.kind).to.equal("hold");
    return report.decision.kind === "hold" && report.decision.reason === "gate" ? report.decision.detail : "";
  }

  it("HK_CHAIN_ID of another chain: StartupError naming both chain ids", async function () {
    const message = await startupError("wrong-chain", { env: { HK_CHAIN_ID: "1" } });
    expect(message).to.equal("wrong chain: HK_CHAIN_ID is 1 but the RPC serves chain 31337");
  });

  it("a signer without KEEPER_ROLE: StartupError naming the signer and the adapter", async function () {
    const message = await startupError("no-role", { signerIndex: 3 });
    expect(message).to.equal(`signer ${world.actors.guardian.address} lacks KEEPER_ROLE on adapter ${world.adapter}`);
  });

  it("HK_ADAPTER_ADDRESS of an account without code: StartupError naming the variable", async function () {
    const message = await startupError("no-code", { env: { HK_ADAPTER_ADDRESS: world.actors.writer.address } });
    expect(message).to.match(/^HK_ADAPTER_ADDRESS: /);
  });

  it("an oracle reporting 18 decimals: StartupError naming the feed and both decimals", async function () {
    await world.rpc("hardhat_setStorageAt", [world.market.feed.target, FEED_DECIMALS_SLOT, toHex(18, { size: 32 })]);
    const message = await startupError("decimals", {});
    expect(message).to.match(/^HK_ADAPTER_ADDRESS: oracle 0x[0-9a-fA-F]{40} reports 18 decimals, expected 8$/);
  });

  for (const answer of [0n, -1n]) {
    it(`an oracle answer of ${answer}: holds on the oracle-invalid gate, no hedge`, async function () {
      await (await world.market.feed.getFunction("updateAnswer")(answer)).wait();
      const { report, hedges } = await gatedCycle(`answer-${answer}`);
      expect(gateDetail(report)).to.have.string(`oracle-invalid: answer ${answer} is not positive`);
      expect(hedges).to.equal(0);
    });
  }

  it("an incomplete oracle round (updatedAt 0): holds on a gate naming the round, no hedge", async function () {
    const round = await world.market.feed.getFunction("latestRoundData")();
    await (await world.market.feed.getFunction("updateRoundData")(round[0] + 1n, round[1], 0n, 0n)).wait();
    const { report, hedges } = await gatedCycle("incomplete");
    expect(gateDetail(report)).to.match(new RegExp(`round ${round[0] + 1n} incomplete \\(answeredInRound`));
    expect(hedges).to.equal(0);
  });
});
