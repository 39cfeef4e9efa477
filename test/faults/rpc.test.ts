import { expect } from "chai";
import { httpTransport } from "../../keeper/chain/client.js";
import type { KeeperService } from "../../keeper/service.js";
import { startFaultProxy, type Fault, type FaultProxy } from "../../scripts/lib/testing/faultProxy.js";
import {
  describeFaults,
  doubleHedges,
  faultWorld,
  healthOf,
  journalDisagreements,
  journalPath,
  outsideBounds,
  recordFault,
  runInBackground,
  sleep,
  startKeeper,
  waitFor,
  type FaultWorld,
  type HedgeLog,
  type RunningKeeper,
} from "./harness.js";

const BAND_WAD = 5n * 10n ** 18n;
const SLIPPAGE_BPS = 50n;
/** how long a test watches for a second hedge of the same trigger after the first one */
const SETTLE_MS = 1_000;

/**
 * The keeper's run loop behind the fault proxy, on a chain that mines a block every second (a live chain). Every fault
 * is held while a trigger is pending on the node; the keeper must keep running, say it is unhealthy, not hedge, and
 * hedge that trigger exactly once when the fault ends.
 */
describeFaults("keeper run loop under RPC faults (fault proxy between the keeper and the node)", function () {
  this.timeout(120_000);
  let world: FaultWorld;

  before(async function () {
    world = await faultWorld();
    await world.reset();
    await world.rpc("evm_setIntervalMining", [1_000]);
  });

  after(async function () {
    await world?.rpc("evm_setIntervalMining", [0]);
  });

  async function hedgedOnce(service: KeeperService, fromBlock: bigint): Promise<HedgeLog[]> {
    await waitFor(
      "the trigger to be hedged and the journal settled",
      async () => (await world.hedgesSince(fromBlock)).length > 0 && service.journal.openIntents().length === 0,
      30_000,
    );
    await sleep(SETTLE_MS);
    return world.hedgesSince(fromBlock);
  }

  /** Bounds of the trigger's hedges; journal vs every hedge since the keeper's journal started (`sinceBlock`). */
  async function audit(service: KeeperService, hedges: HedgeLog[], sinceBlock: bigint) {
    const disagreements = journalDisagreements(
      service.journal,
      await world.hedgesSince(sinceBlock),
      world.actors.keeper.address,
    );
    return {
      outside: outsideBounds(hedges, SLIPPAGE_BPS, BAND_WAD).length,
      lost: disagreements.lost,
      detail: disagreements.detail,
    };
  }

  describe("one keeper through every transport fault and a stale head", function () {
    let proxy: FaultProxy;
    let service: KeeperService;
    let running: RunningKeeper;
    let startBlock: bigint;
    const journal = () => journalPath(world, "rpc");
    let path: string;

    async function startBehindProxy(): Promise<void> {
      service = await startKeeper(world, {
        journal: path,
        env: { HK_STALE_HEAD_SEC: "3", HK_RECEIPT_TIMEOUT_MS: "3000" },
        service: {
          telemetry: true,
          // The service's own transport (batching, counting) with a timeout the delay fault can exceed quickly.
          transport: (counter) => httpTransport([proxy.url], counter, { timeoutMs: 400, retryCount: 1 }),
        },
      });
      running = runInBackground(service);
    }

    before(async function () {
      path = journal();
      proxy = await startFaultProxy(world.node.url, { seed: 7 });
      startBlock = await world.blockNumber();
      await startBehindProxy();
      // The deployed state has one pending trigger: hedged before any fault.
      await hedgedOnce(service, startBlock);
      await waitFor("a healthy keeper", async () => (await healthOf(service)).status === 200);
    });

    after(async function () {
      await running?.stop();
      await service?.close();
      await proxy?.close();
    });

    /** Holds `fault` while a trigger is pending; returns what the keeper did during and after it. */
    async function episode(label: string, inject: () => void, expectReason: RegExp, holdFaultedRequests = 4) {
      const from = (await world.blockNumber()) + 1n;
      const faultedBefore = proxy.faultedTotal();
      const staleBefore = proxy.stats.staleAnswers;
      inject();
      await world.trigger();
      const unhealthy = await waitFor("/health 503", async () => {
        const health = await healthOf(service);
        return health.status === 503 ? health : null;
      });
      await waitFor(
        "the fault to hit more requests",
        () => proxy.faultedTotal() - faultedBefore + (proxy.stats.staleAnswers - staleBefore) >= holdFaultedRequests,
      );
      const duringFault = await world.hedgesSince(from);
      const stillRunning = !running.finished();
      proxy.clear();

      const hedges = await hedgedOnce(service, from);
      const recovered = await waitFor("/health 200 after the fault", async () => {
        return (await healthOf(service)).status === 200;
      });
      const { outside, lost, detail } = await audit(service, hedges, startBlock);
      recordFault({
        fault: label,
        trials: 1,
        survived: stillRunning && recovered && duringFault.length === 0 ? 1 : 0,
        hedgesExpected: 1,
        hedgesFound: hedges.length,
        doubleHedges: doubleHedges([hedges.length]),
        outsideBounds: outside,
        dataLost: lost,
      });
      expect(unhealthy.body.reasons!.join("; ")).to.match(expectReason);
      expect(duringFault, "no hedge while the fault holds").to.have.length(0);
      expect(stillRunning, "the run loop keeps running").to.equal(true);
      expect(hedges, "exactly one hedge for the trigger").to.have.length(1);
      expect(outside).to.equal(0);
      expect(detail).to.deep.equal([]);
    }

    const TRANSPORT_FAULTS: [string, Fault][] = [
      ["RPC: connection dropped before the node", { kind: "drop" }],
      ["RPC: connection dropped after the node acted", { kind: "drop-response" }],
      ["RPC: answer delayed past the timeout", { kind: "delay", ms: 1_500 }],
      ["RPC: JSON-RPC error -32603", { kind: "rpc-error" }],
      ["RPC: HTTP 500", { kind: "http-error" }],
      ["RPC: garbage (HTML) body", { kind: "garbage" }],
      ["RPC: truncated JSON", { kind: "truncated" }],
    ];
    for (const [label, fault] of TRANSPORT_FAULTS) {
      it(`${label}: keeps running, /health 503, no hedge; recovers and hedges the trigger once`, async function () {
        await episode(label, () => proxy.inject({ fault }), /consecutive failed cycles/);
      });
    }

    it("stale head frozen at the current block: /health 503, no cycle acts on it; recovers", async function () {
      const head = await world.blockNumber();
      const cyclesBefore = running.cycles.length;
      await episode(
        "RPC: stale head (node stuck at the current block)",
        () => proxy.freezeHead(head),
        /has not advanced/,
      );
      const onFrozen = running.cycles.slice(cyclesBefore).filter((c) => c.snapshot.blockNumber === head);
      expect(
        onFrozen.filter((c) => c.outcome !== null),
        "no hedge attempted on the frozen head",
      ).to.have.length(0);
    });

    it("lagging head behind blocks already seen: refuses to hedge on it, /health 503; recovers", async function () {
      // The block before the last hedge: there the previous trigger is still unhedged, so a keeper trusting this
      // head would hedge it a second time.
      const last = (await world.hedgesSince(startBlock)).at(-1)!;
      const lagging = last.blockNumber - 1n;
      const cyclesBefore = running.cycles.length;
      const intentsBefore = service.journal.recentIntents(1000).length;
      await episode(
        "RPC: lagging head (behind blocks already seen)",
        () => proxy.freezeHead(lagging),
        /is behind block/,
      );
      const onLagging = running.cycles.slice(cyclesBefore).filter((c) => c.snapshot.blockNumber === lagging);
      expect(onLagging.length, "the keeper read the lagging head").to.be.greaterThan(0);
      for (const cycle of onLagging) {
        expect(cycle.decision.kind).to.equal("hedge"); // the stale state does call for a hedge...
        expect(cycle.outcome).to.deep.include({ kind: "deferred" }); // ...which the keeper refuses
      }
      expect(service.journal.recentIntents(1000).length, "one new intent: the recovery hedge").to.equal(
        intentsBefore + 1,
      );
    });

    it("restarted against a lagging node: the journal's receipts mark the head stale; no hedge on it", async function () {
      await running.stop();
      await service.close();
      const last = (await world.hedgesSince(startBlock)).at(-1)!;
      proxy.freezeHead(last.blockNumber - 1n);
      const from = (await world.blockNumber()) + 1n;
      await startBehindProxy();
      const first = await waitFor("a cycle on the lagging head", () => running.cycles[0]);
      const health = await healthOf(service);
      await sleep(SETTLE_MS);
      const during = await world.hedgesSince(from);
      const stillRunning = !running.finished();
      proxy.clear();
      await waitFor("/health 200 after the fault", async () => (await healthOf(service)).status === 200);
      const openAfter = service.journal.openIntents().length;
      recordFault({
        fault: "RPC: restart against a lagging node",
        trials: 1,
        survived: stillRunning && during.length === 0 ? 1 : 0,
        hedgesExpected: 0,
        hedgesFound: during.length,
        doubleHedges: during.length,
        outsideBounds: 0,
        dataLost: openAfter,
      });
      expect(first.decision.kind).to.equal("hedge");
      expect(first.outcome).to.deep.include({ kind: "deferred" });
      expect(health.status).to.equal(503);
      expect(health.body.reasons!.join("; ")).to.match(/is behind block/);
      expect(during).to.have.length(0);
      expect(openAfter).to.equal(0);
    });
  });

  describe("failover over two RPC URLs (HK_RPC_URLS, viem fallback with ranking)", function () {
    it("works through the second URL while the first fails, and back through the first", async function () {
      const first = await startFaultProxy(world.node.url);
      const second = await startFaultProxy(world.node.url);
      const service = await startKeeper(world, {
        journal: journalPath(world, "failover"),
        rpcUrls: `${first.url},${second.url}`,
        service: { telemetry: true },
      });
      const running = runInBackground(service);
      try {
        const startBlock = await world.blockNumber();
        const hedges: HedgeLog[] = [];
        let healthyThroughout = true;
        for (const [down, up] of [
          [first, second],
          [second, first],
        ] as const) {
          down.inject({ fault: { kind: "http-error" } });
          const sendsBefore = up.stats.byMethod.eth_sendRawTransaction ?? 0;
          const from = (await world.blockNumber()) + 1n;
          await world.trigger();
          const found = await hedgedOnce(service, from);
          hedges.push(...found);
          healthyThroughout &&= (await healthOf(service)).status === 200;
          expect(found, "one hedge per trigger").to.have.length(1);
          // The URLs are tried in order: the first one's failures show; the second one is not needed while the first works.
          if (down === first)
            expect(down.stats.faulted["http-error"], "the failing URL was tried").to.be.greaterThan(0);
          expect((up.stats.byMethod.eth_sendRawTransaction ?? 0) - sendsBefore, "sent through the other URL").to.equal(
            1,
          );
          down.clear();
        }
        const { outside, lost, detail } = await audit(service, hedges, startBlock);
        recordFault({
          fault: "RPC: failover, one of two URLs down",
          trials: 2,
          survived: healthyThroughout && !running.finished() ? 2 : 0,
          hedgesExpected: 2,
          hedgesFound: hedges.length,
          doubleHedges: 0,
          outsideBounds: outside,
          dataLost: lost,
        });
        expect(healthyThroughout, "failover hides the fault: /health stays 200").to.equal(true);
        expect(outside).to.equal(0);
        expect(detail).to.deep.equal([]);
      } finally {
        await running.stop();
        await service.close();
        await first.close();
        await second.close();
      }
    });
  });

  describe("a flaky RPC: one request in five fails, in every way the proxy knows", function () {
    it("hedges each of 4 triggers exactly once and loses nothing", async function () {
      const proxy = await startFaultProxy(world.node.url, { seed: 42 });
      const startBlock = await world.blockNumber();
      // Start-up is not retried by design (a keeper that cannot read its deployment stops): faults start after it.
      const service = await startKeeper(world, {
        journal: journalPath(world, "flaky"),
        env: { HK_RECEIPT_TIMEOUT_MS: "3000" },
        service: { transport: (counter) => httpTransport([proxy.url], counter, { timeoutMs: 400, retryCount: 1 }) },
      });
      const faults: Fault[] = [
        { kind: "drop" },
        { kind: "drop-response" },
        { kind: "delay", ms: 800 },
        { kind: "rpc-error" },
        { kind: "http-error" },
        { kind: "garbage" },
        { kind: "truncated" },
      ];
      // Rules are tried in order: rule k fires with each / (1 - k·each), so that each fault hits 1/35 of the requests.
      const each = 0.2 / faults.length;
      faults.forEach((fault, k) => proxy.inject({ fault, probability: each / (1 - k * each) }));
      const running = runInBackground(service);
      const perTrigger: number[] = [];
      const all: HedgeLog[] = [];
      try {
        for (let i = 0; i < 4; i += 1) {
          const from = (await world.blockNumber()) + 1n;
          await world.trigger();
          await waitFor(
            `trigger ${i + 1} hedged through the flaky RPC`,
            async () => (await world.hedgesSince(from)).length > 0 && service.journal.openIntents().length === 0,
            40_000,
          );
          await sleep(SETTLE_MS);
          const found = await world.hedgesSince(from);
          perTrigger.push(found.length);
          all.push(...found);
        }
      } finally {
        proxy.clear();
        await sleep(500);
        await running.stop();
      }
      const { outside, lost, detail } = await audit(service, all, startBlock);
      await service.close();
      await proxy.close();
      recordFault({
        fault: `RPC: flaky mix (${proxy.faultedTotal()} of ${proxy.stats.requests} requests faulted)`,
        trials: perTrigger.length,
        survived: perTrigger.filter((n) => n === 1).length,
        hedgesExpected: 4,
        hedgesFound: all.length,
        doubleHedges: doubleHedges(perTrigger),
        outsideBounds: outside,
        dataLost: lost,
      });
      expect(proxy.faultedTotal(), "faults were injected").to.be.greaterThan(10);
      expect(perTrigger).to.deep.equal([1, 1, 1, 1]);
      expect(outside).to.equal(0);
      expect(detail).to.deep.equal([]);
    });
  });
});
