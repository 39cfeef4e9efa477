import { expect } from "chai";
import { parseGwei, toHex, TransactionReceiptNotFoundError } from "viem";
import type { CycleReport } from "../../keeper/keeper.js";
import type { KeeperService } from "../../keeper/service.js";
import {
  allIntents,
  describeFaults,
  doubleHedges,
  faultWorld,
  journalDisagreements,
  journalPath,
  outsideBounds,
  recordFault,
  startKeeper,
  waitFor,
  type FaultWorld,
  type HedgeLog,
} from "./harness.js";
import { ETH } from "../fixtures.js";

const BAND_WAD = ETH(5);
const SLIPPAGE_BPS = 50n;
/** A tip far above the keeper's: the node orders this transaction before the hedge in the same block. */
const AHEAD = { maxPriorityFeePerGas: parseGwei("50"), maxFeePerGas: parseGwei("100") };
const MAX_TRADE_PARAM = 1; // IHedgeAdapter.Param.MaxTradeWethWad

/**
 * Transaction faults: the keeper against a node that does not mine its hedge, a guard that trips between simulation
 * and inclusion, a hedge split in legs where a later leg fails, and a reorg of the block holding the hedge. Automine
 * is switched off where the test must place transactions into the hedge's block.
 */
describeFaults("keeper under transaction faults", function () {
  this.timeout(120_000);
  let world: FaultWorld;
  let service: KeeperService | null = null;
  let pendingCycle: Promise<unknown> | null = null;

  before(async function () {
    world = await faultWorld();
  });

  beforeEach(async function () {
    await world.reset();
  });

  afterEach(async function () {
    await world.rpc("evm_setAutomine", [true]);
    await world.rpc("evm_mine");
    await pendingCycle?.catch(() => undefined); // a failed test may leave a cycle waiting for its receipt
    pendingCycle = null;
    await service?.close();
    service = null;
  });

  async function keeper(name: string, env: Record<string, string> = {}): Promise<KeeperService> {
    service = await startKeeper(world, { journal: journalPath(world, name), env });
    return service;
  }

  /** Starts a cycle with automine off and waits until its hedge transaction is in the node's pool. */
  async function cycleWithHedgeInPool(s: KeeperService): Promise<{ cycle: Promise<CycleReport>; intentId: string }> {
    await world.rpc("evm_setAutomine", [false]);
    const cycle = s.keeper.runCycle();
    pendingCycle = cycle;
    // A cycle that ends before its hedge is in the pool (a hold, a guard refusal, a throw) fails the test at once.
    const endedEarly = cycle.then((report) => {
      throw new Error(`the cycle ended without a hedge in the pool: ${describeCycle(report)}`);
    });
    const intent = await Promise.race([
      waitFor("the hedge to be sent", () => s.journal.openIntents().find((i) => i.status === "sent")),
      endedEarly,
    ]);
    return { cycle, intentId: intent.id };
  }

  function describeCycle(report: CycleReport): string {
    const { decision, outcome } = report;
    const why = decision.kind === "hold" ? `hold (${decision.reason})` : "hedge";
    return `decision ${why}, outcome ${outcome ? JSON.stringify(outcome, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) : "none"}`;
  }

  function audit(s: KeeperService, hedges: HedgeLog[], signer = world.actors.keeper.address) {
    return {
      outside: outsideBounds(hedges, SLIPPAGE_BPS, BAND_WAD).length,
      detail: journalDisagreements(s.journal, hedges, signer).detail,
    };
  }

  it("replaces a stuck hedge with the same nonce and a >= 12.5% higher fee; exactly one of the two is mined", async function () {
    const s = await keeper("stuck", {
      HK_REPLACE_AFTER_BLOCKS: "1",
      HK_FEE_BUMP_PERCENT: "12.5",
      HK_MAX_FEE_GWEI: "1000",
      HK_RECEIPT_TIMEOUT_MS: "30000",
    });
    const from = (await world.blockNumber()) + 1n;
    const baseFee = (await world.chain.getBlock()).baseFeePerGas!;
    const { cycle, intentId } = await cycleWithHedgeInPool(s);
    const [stuck] = s.journal.txsOf(intentId);
    // An empty block the hedge cannot pay for (base fee above its max fee): it stays stuck for one block.
    await world.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(stuck!.maxFeePerGas * 4n)]);
    await world.rpc("evm_mine");
    await waitFor("the replacement", () => s.journal.txsOf(intentId).length === 2);
    await world.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(baseFee)]);
    await world.rpc("evm_mine");
    const report = await cycle;

    const [first, second] = s.journal.txsOf(intentId);
    const minedTx = await world.chain.getTransactionReceipt({ hash: second!.hash as `0x${string}` });
    const firstReceipt = await world.chain
      .getTransactionReceipt({ hash: first!.hash as `0x${string}` })
      .catch((error: unknown) => (error instanceof TransactionReceiptNotFoundError ? null : Promise.reject(error)));
    const hedges = await world.hedgesSince(from);
    const { outside, detail } = audit(s, hedges);
    recordFault({
      fault: "tx: stuck hedge replaced (same nonce, bumped fee)",
      trials: 1,
      survived: report.outcome?.kind === "succeeded" ? 1 : 0,
      hedgesExpected: 1,
      hedgesFound: hedges.length,
      doubleHedges: doubleHedges([hedges.length]),
      outsideBounds: outside,
      dataLost: detail.length,
    });
    expect(first!.nonce).to.equal(second!.nonce);
    expect(Number(second!.maxFeePerGas) / Number(first!.maxFeePerGas)).to.be.at.least(1.125);
    expect(Number(second!.maxPriorityFeePerGas) / Number(first!.maxPriorityFeePerGas)).to.be.at.least(1.125);
    expect([first!.status, second!.status]).to.deep.equal(["replaced", "mined"]);
    expect(minedTx.status).to.equal("success");
    expect(firstReceipt, "the replaced transaction is never mined").to.equal(null);
    expect(report.outcome).to.deep.include({ kind: "succeeded", txHash: second!.hash });
    expect(hedges).to.have.length(1);
    expect(outside).to.equal(0);
    expect(detail).to.deep.equal([]);
  });

  it("a guard tripped in the hedge's block (guardian pause ahead of it): recorded as reverted with EnforcedPause, retried once unpaused", async function () {
    const s = await keeper("pause");
    const from = (await world.blockNumber()) + 1n;
    const { cycle, intentId } = await cycleWithHedgeInPool(s);
    await world.stack.adapter.connect(world.actors.guardian).pause({ ...AHEAD, gasLimit: 100_000n });
    await world.rpc("evm_mine");
    const reverted = await cycle;
    await world.rpc("evm_setAutomine", [true]);

    const whilePaused = await s.keeper.runCycle();
    await (await world.stack.adapter.connect(world.actors.deployer).unpause()).wait();
    const retried = await s.keeper.runCycle();
    const settled = await s.keeper.runCycle();
    const hedges = await world.hedgesSince(from);
    const intents = allIntents(s.journal);
    const { outside, detail } = audit(s, hedges);
    recordFault({
      fault: "tx: guard trips before inclusion (pause), retried",
      trials: 1,
      survived: reverted.outcome?.kind === "reverted" && retried.outcome?.kind === "succeeded" ? 1 : 0,
      hedgesExpected: 1,
      hedgesFound: hedges.length,
      doubleHedges: doubleHedges([hedges.length]),
      outsideBounds: outside,
      dataLost: detail.length,
    });
    expect(reverted.outcome?.kind).to.equal("reverted");
    expect(reverted.outcome)
      .to.have.property("error")
      .that.matches(/^EnforcedPause\(\) \(state changed within block/);
    expect(s.journal.getIntent(intentId)).to.deep.include({ status: "reverted" });
    expect(s.journal.getIntent(intentId)!.error).to.match(/^EnforcedPause\(\)/);
    expect(whilePaused.decision).to.deep.include({ kind: "hold", reason: "gate" });
    expect(whilePaused.outcome, "no retry while the guard holds").to.equal(null);
    expect(retried.outcome?.kind, "the decision still holds: retried").to.equal("succeeded");
    expect(retried.outcome?.kind === "succeeded" && retried.outcome.intentId).to.match(/:1$/); // attempt 2, same nonce
    expect(settled.decision.kind).to.equal("hold");
    expect(intents.map((i) => i.status)).to.deep.equal(["reverted", "succeeded"]);
    expect(hedges).to.have.length(1);
    expect(outside).to.equal(0);
    expect(detail).to.deep.equal([]);
  });

  it("a competing keeper's hedge lands first in the block: reverted with HedgeNonceMismatch, not retried (the decision no longer holds)", async function () {
    const s = await keeper("race-in-block");
    const from = (await world.blockNumber()) + 1n;
    const { cycle } = await cycleWithHedgeInPool(s);
    const [, performData] = await world.stack.adapter.checkUpkeep("0x", { blockTag: "latest" });
    // gasLimit given: an estimate on the pending block (our hedge first) would revert
    await world.stack.adapter
      .connect(world.actors.keeper2)
      .performUpkeep(performData, { ...AHEAD, gasLimit: 1_500_000n });
    await world.rpc("evm_mine");
    const reverted = await cycle;
    await world.rpc("evm_setAutomine", [true]);
    const next = await s.keeper.runCycle();
    const hedges = await world.hedgesSince(from);
    const { outside, detail } = audit(s, hedges);
    recordFault({
      fault: "tx: competing hedge first in the block, not retried",
      trials: 1,
      survived: reverted.outcome?.kind === "reverted" && next.outcome === null ? 1 : 0,
      hedgesExpected: 1,
      hedgesFound: hedges.length,
      doubleHedges: doubleHedges([hedges.length]),
      outsideBounds: outside,
      dataLost: detail.length,
    });
    expect(reverted.outcome)
      .to.have.property("error")
      .that.matches(/^HedgeNonceMismatch\(0, 1\)/);
    expect(next.decision.kind, "inside the band after the competitor's hedge").to.equal("hold");
    expect(next.outcome).to.equal(null);
    expect(allIntents(s.journal).map((i) => i.status)).to.deep.equal(["reverted"]);
    expect(hedges.map((h) => h.keeper)).to.deep.equal([world.actors.keeper2.address.toLowerCase()]);
    expect(outside).to.equal(0);
    expect(detail).to.deep.equal([]);
  });

  it("a split hedge whose second leg reverts (oracle stale in its block): re-reads and finishes from the real state", async function () {
    await (await world.stack.adapter.setParam(MAX_TRADE_PARAM, ETH(4))).wait();
    const s = await keeper("partial");
    const from = (await world.blockNumber()) + 1n;
    const firstLeg = await s.keeper.runCycle();
    expect(firstLeg.decision.kind === "hedge" && firstLeg.decision.legsEth.length).to.equal(3);
    expect(firstLeg.outcome?.kind).to.equal("succeeded");

    const deferred = await s.keeper.runCycle(); // the head is the first leg's block: one hedge per block
    await world.rpc("evm_mine");
    const { cycle } = await cycleWithHedgeInPool(s);
    const round = await world.market.feed.getFunction("latestRoundData")();
    const staleAt = BigInt((await world.chain.getBlock()).timestamp) - 7_200n;
    await world.market.feed.getFunction("updateRoundData")(round[0] + 1n, round[1], staleAt, staleAt, {
      ...AHEAD,
      gasLimit: 200_000n,
    });
    await world.rpc("evm_mine");
    const failedLeg = await cycle;
    await world.rpc("evm_setAutomine", [true]);
    const gated = await s.keeper.runCycle();
    await (await world.market.feed.getFunction("updateAnswer")(round[1])).wait();
    const rest: CycleReport[] = [];
    for (let i = 0; i < 6; i += 1) {
      await world.rpc("evm_mine"); // a live chain moves on between cycles (one hedge per block)
      const report = await s.keeper.runCycle();
      rest.push(report);
      if (report.decision.kind === "hold") break;
    }
    const hedges = await world.hedgesSince(from);
    const finalDeltaWad = await world.stack.vault.netDeltaWad();
    const { outside, detail } = audit(s, hedges);
    // Legs of at most 4 ETH until |delta| is inside the band: the adapter refuses any leg after that (InsideBand).
    const bandWad = Number((await world.stack.adapter.params()).deltaBandWad);
    const legsNeeded = Math.ceil((Number(-hedges[0]!.deltaBeforeWad) - bandWad) / 4e18);
    recordFault({
      fault: "tx: split hedge, a later leg reverts",
      trials: 1,
      survived: failedLeg.outcome?.kind === "reverted" && rest.at(-1)!.decision.kind === "hold" ? 1 : 0,
      hedgesExpected: legsNeeded,
      hedgesFound: hedges.length,
      doubleHedges: Math.max(0, hedges.length - legsNeeded),
      outsideBounds: outside,
      dataLost: detail.length,
    });
    expect(deferred.outcome).to.deep.include({ kind: "deferred" });
    expect(failedLeg.outcome)
      .to.have.property("error")
      .that.matches(/^OracleStale\(/);
    expect(gated.decision).to.deep.include({ kind: "hold", reason: "gate" });
    expect(gated.outcome).to.equal(null);
    expect(hedges).to.have.length(legsNeeded);
    for (let i = 1; i < hedges.length; i += 1) {
      // each leg starts where the previous one really left the vault (the option delta drifts only with time)
      const drift = hedges[i]!.deltaBeforeWad - hedges[i - 1]!.deltaAfterWad;
      expect(drift < 0n ? -drift : drift).to.be.at.most(ETH(0.001));
    }
    for (const leg of hedges) expect(leg.amountOut).to.be.at.most(ETH(4)); // bought WETH per leg <= max trade
    // inside the band: episode done (the adapter accepts no leg inside it)
    expect(finalDeltaWad < 0n ? -finalDeltaWad : finalDeltaWad).to.be.at.most(
      (await world.stack.adapter.params()).deltaBandWad,
    );
    expect(rest.at(-1)!.decision.kind).to.equal("hold");
    expect(outside).to.equal(0);
    expect(detail).to.deep.equal([]);
  });

  it("a reorg drops the block holding the hedge: the keeper notices, re-sends the same transaction, never hedges twice", async function () {
    const s = await keeper("reorg");
    const fork = (await world.rpc("evm_snapshot")) as string;
    const forkBlock = await world.blockNumber();
    const hedged = await s.keeper.runCycle();
    expect(hedged.outcome?.kind).to.equal("succeeded");
    const original = hedged.outcome!.kind === "succeeded" ? hedged.outcome : null;
    await world.rpc("evm_revert", [fork]);
    // The new canonical chain outgrows the old one, without the hedge.
    await world.rpc("hardhat_mine", [toHex(original!.blockNumber - forkBlock + 1n)]);
    const vanished = await world.hedgesSince(forkBlock + 1n);

    const noticed = await s.keeper.runCycle();
    const after = await s.keeper.runCycle();
    const hedges = await world.hedgesSince(forkBlock + 1n);
    const intent = s.journal.getIntent(original!.intentId)!;
    const { outside, detail } = audit(s, hedges);
    recordFault({
      fault: "tx: reorg drops the hedge's block",
      trials: 1,
      survived: hedges.length === 1 && after.decision.kind === "hold" ? 1 : 0,
      hedgesExpected: 1,
      hedgesFound: hedges.length,
      doubleHedges: doubleHedges([hedges.length]),
      outsideBounds: outside,
      dataLost: detail.length,
    });
    expect(vanished, "the reorg removed the hedge").to.have.length(0);
    // The snapshot read before the re-sent hedge landed still shows the trigger: the keeper must not act on it.
    expect(noticed.decision.kind).to.equal("hedge");
    expect(noticed.outcome).to.deep.include({ kind: "deferred" });
    expect(after.decision.kind).to.equal("hold");
    expect(hedges).to.have.length(1);
    expect(hedges[0]!.txHash, "the same signed transaction, re-included").to.equal(original!.txHash);
    expect(intent.status).to.equal("succeeded");
    expect(intent.minedBlock! > original!.blockNumber).to.equal(true);
    expect(s.journal.openIntents()).to.have.length(0);
    expect(outside).to.equal(0);
    expect(detail).to.deep.equal([]);
  });
});
