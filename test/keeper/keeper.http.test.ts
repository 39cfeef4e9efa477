import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { createClients, chainFor, createRpcCounter, httpTransport } from "../../keeper/chain/client.js";
import { discoverDeployment, readSnapshot } from "../../keeper/chain/snapshot.js";
import { loadConfig } from "../../keeper/config/index.js";
import { startKeeperService, type KeeperService, type ServiceOptions } from "../../keeper/service.js";
import { createLogger } from "../../keeper/telemetry/logger.js";
import { devPrivateKey } from "../../scripts/lib/testing/keeperHarness.js";
import type { LocalNode } from "../../scripts/lib/node/localNode.js";
import { startCliChain } from "../cli/keeperCli.js";
import { setFeedPrice, type Market } from "../../scripts/lib/market/market.js";
import { liftSeriesCap } from "../../scripts/lib/market/seriesCap.js";
import type { Stack } from "../../scripts/lib/market/stack.js";
import { ETH } from "../fixtures.js";

/** The keeper over HTTP against a `hardhat node` started by the test, as an operator runs it. */
describe("keeper over HTTP (hardhat node on loopback)", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let ethers: HardhatEthers;
  let market: Market;
  let stack: Stack;
  let dir: string;
  const services: KeeperService[] = [];

  before(async function () {
    ({ node, ethers, market, stack } = await startCliChain());
    dir = mkdtempSync(join(tmpdir(), "hk-http-"));
  });

  after(async function () {
    for (const s of services) await s.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function config(extra: Record<string, string> = {}) {
    return loadConfig(
      {
        HK_RPC_URLS: node.url,
        HK_CHAIN_ID: "31337",
        HK_ADAPTER_ADDRESS: stack.adapter.target as string,
        HK_QUOTER_ADDRESS: market.book.quoterV2,
        HK_PRIVATE_KEY: devPrivateKey(1),
        HK_JOURNAL_PATH: join(dir, "journal.db"),
        HK_METRICS_PORT: "0",
        HK_POLICY: "band",
        HK_LOG_LEVEL: "warn",
        ...extra,
      },
      { dotenvPath: null },
    );
  }

  async function start(extra: Record<string, string> = {}, faultHook?: ServiceOptions["faultHook"]) {
    // One keeper per journal (the journal lock refuses a second): stop the previous test's keeper first.
    for (const running of services.splice(0)) await running.close();
    const service = await startKeeperService(config(extra), {
      telemetry: true,
      logger: createLogger({ level: "error" }),
      faultHook,
      pollMs: 50,
    });
    services.push(service);
    return service;
  }

  it("hedges when the price leaves the band, then holds inside it; /health and /metrics answer", async function () {
    const service = await start();
    const first = await service.keeper.runCycle();
    expect(first.outcome?.kind).to.equal("succeeded");
    const afterHedge = await stack.vault.netDeltaWad();
    expect(Number(afterHedge < 0n ? -afterHedge : afterHedge) / 1e18).to.be.lessThan(0.5);

    await setFeedPrice(market, 3020);
    const inside = await service.keeper.runCycle();
    expect(inside.decision.kind).to.equal("hold");
    expect(inside.outcome).to.equal(null);
    expect(first.snapshot.roundTrips).to.be.at.most(3);

    const port = service.telemetry!.port;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).to.equal(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/hedgekeeper_hedges_total\{outcome="success"\} 1/);
    await setFeedPrice(market, 3000);
  });

  it("killed between send and receipt, a restarted keeper reconciles and the vault gets exactly one hedge", async function () {
    // Write 20 more ATM calls: the vault's delta drops by ~11 ETH, well outside the 5 ETH band.
    const [, , , , writer, counterparty] = await ethers.getSigners();
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    await (
      await stack.vault
        .connect(writer!)
        .openSeries(ETH(3000), now + 30 * 86400, true, ETH(0.8), -ETH(20), counterparty!.address)
    ).wait();
    // The first test's hedge ended inside the band and started the adapter's cooldown: wait it out.
    await ethers.provider.send("evm_increaseTime", [Number((await stack.adapter.params()).cooldownSec)]);
    await setFeedPrice(market, 3000);
    const nonceBefore = await stack.adapter.hedgeNonce();
    const crashing = await start({}, (point) => {
      if (point === "after-send") throw new Error("simulated crash after send");
    });
    const crash = await crashing.keeper.runCycle().then(
      () => null,
      (error: Error) => error,
    );
    expect(crash?.message).to.equal("simulated crash after send");
    await crashing.close();
    services.splice(services.indexOf(crashing), 1);
    expect(await stack.adapter.hedgeNonce()).to.equal(nonceBefore + 1n); // the tx went out and was mined

    const restarted = await start();
    const report = await restarted.keeper.runCycle();
    expect(report.decision.kind).to.equal("hold"); // reconciled: the hedge is already in
    expect(await stack.adapter.hedgeNonce()).to.equal(nonceBefore + 1n);
    const intents = restarted.journal.recentIntents(10);
    expect(intents.filter((i) => i.status === "succeeded").length).to.be.at.least(1);
    expect(intents.filter((i) => i.adapterNonce === nonceBefore)).to.have.length(1);
    expect(restarted.journal.openIntents()).to.have.length(0);
  });

  it("follows a governance parameter change from the next cycle", async function () {
    const service = await start();
    const before = await service.keeper.runCycle();
    expect(before.assessment.bandEth).to.equal(5);
    await (await stack.adapter.setParam(0, ETH(2))).wait(); // DeltaBandWad (the timelock's call in production)
    const after = await service.keeper.runCycle();
    expect(after.assessment.bandEth).to.equal(2);
    await (await stack.adapter.setParam(0, ETH(5))).wait();
  });

  it("reads the book in a constant number of round trips: 10, 500 (the vault cap) and 1,000 series", async function () {
    const [, , , , , counterparty] = await ethers.getSigners();
    const counter = createRpcCounter();
    // Past the cap the vault's netDeltaWad() burns the node's whole call gas limit, which the simulated node takes
    // ~10 s to execute: a longer timeout keeps viem from retrying the batch, so what is counted is the read structure.
    const { publicClient } = createClients(
      httpTransport([node.url], counter, { timeoutMs: 120_000 }),
      chainFor(31337, node.url),
      null,
      counter,
    );
    const deployment = await discoverDeployment(
      publicClient,
      stack.adapter.target as `0x${string}`,
      market.book.quoterV2,
    );
    const trips: Record<number, number> = {};
    const seeder = await ethers.deployContract("BookSeeder");
    await (await stack.vault.grantRole(await stack.vault.WRITER_ROLE(), await seeder.getAddress())).wait();
    for (const target of [10, 500, 1000]) {
      // Past the cap only on this local chain (scripts/lib/market/seriesCap.ts): the read path must not care.
      if (target > Number(await stack.vault.maxActiveSeries())) await liftSeriesCap(ethers, stack.vault, target);
      const now = (await ethers.provider.getBlock("latest"))!.timestamp;
      let count = Number(await stack.vault.activeSeriesCount());
      while (count < target) {
        const n = Math.min(50, target - count);
        await (
          await seeder.getFunction("seed")(
            stack.vault.target,
            n,
            ETH(2000 + count),
            now + 7 * 86400 + count * 60,
            counterparty!.address,
          )
        ).wait();
        count += n;
      }
      const snapshot = await readSnapshot(publicClient, deployment, counter, { pageSize: 500 });
      expect(snapshot.book).to.have.length(target);
      trips[target] = snapshot.roundTrips;
    }
    console.log(`      round trips per snapshot: 10 series=${trips[10]}, 500=${trips[500]}, 1,000=${trips[1000]}`);
    expect(trips[10]).to.equal(3);
    expect(trips[500]).to.equal(3);
    expect(trips[1000]).to.equal(3);
  });
});
