import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort, rpcCall } from "../../scripts/lib/node/localNode.js";
import { runNpmScript } from "../cli/child.js";
import {
  describeFaults,
  doubleHedges,
  faultWorld,
  journalPath,
  keeperEnv,
  recordFault,
  type FaultWorld,
} from "./harness.js";

interface JsonRpcRequest {
  id: number | string;
  method: string;
  params?: unknown[];
}

/**
 * A stand-in for a private relay (HK_SEND_RPC_URLS): a loopback JSON-RPC server that accepts eth_sendRawTransaction
 * only, records it and hands it to the node. It models the relay's interface, not its privacy (the scenario
 * `private-send` models that against a searcher).
 */
async function startRelay(nodeUrl: string): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      void (async () => {
        const parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
        const answer = async (request: JsonRpcRequest) => {
          if (request.method !== "eth_sendRawTransaction") {
            return { jsonrpc: "2.0", id: request.id, error: { code: -32601, message: "relay: method not served" } };
          }
          received.push(String(request.params?.[0]));
          try {
            return { jsonrpc: "2.0", id: request.id, result: await rpcCall(nodeUrl, request.method, request.params) };
          } catch (error) {
            return { jsonrpc: "2.0", id: request.id, error: { code: -32000, message: (error as Error).message } };
          }
        };
        const reply = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `keeper once --json` as a child process; its cycle report (or the exit and stderr when it failed). */
async function keeperOnce(env: Record<string, string>) {
  const result = await runNpmScript("keeper", ["once", "--json"], env, 90_000);
  const report =
    result.code === 0 ? (JSON.parse(result.stdout) as { outcome: { kind: string; txHash?: string } | null }) : null;
  return { ...result, report };
}

/** One trial of one trigger: survived when exactly one hedge landed (each test asserts its own details first). */
function recordSendFault(fault: string, hedgesFound: number): void {
  recordFault({
    fault,
    trials: 1,
    survived: hedgesFound === 1 ? 1 : 0,
    hedgesExpected: 1,
    hedgesFound,
    doubleHedges: doubleHedges([hedgesFound]),
    outsideBounds: 0,
    dataLost: 0,
  });
}

describeFaults("keeper sends through a private relay (HK_SEND_RPC_URLS)", function () {
  this.timeout(300_000);
  let world: FaultWorld;
  let relay: Awaited<ReturnType<typeof startRelay>>;

  before(async function () {
    world = await faultWorld();
    relay = await startRelay(world.node.url);
  });
  beforeEach(async function () {
    await world.reset();
    relay.received.length = 0;
  });
  after(async function () {
    await relay?.close();
  });

  it("keeper once sends the hedge to the relay, not to HK_RPC_URLS, and follows it to its receipt there", async function () {
    const from = (await world.blockNumber()) + 1n;
    const env = keeperEnv(world, { journal: journalPath(world, "send-private"), env: { HK_SEND_RPC_URLS: relay.url } });
    const run = await keeperOnce(env);
    expect(run.code, run.stderr.slice(-800)).to.equal(0);
    const hedges = await world.hedgesSince(from);
    expect(run.report!.outcome?.kind).to.equal("succeeded");
    expect(relay.received).to.have.length(1);
    expect(hedges.map((h) => h.txHash)).to.deep.equal([run.report!.outcome!.txHash]);
    recordSendFault("send: hedge through a private relay (HK_SEND_RPC_URLS)", hedges.length);
  });

  it("relay down, HK_SEND_FALLBACK=public: the hedge goes through HK_RPC_URLS", async function () {
    const from = (await world.blockNumber()) + 1n;
    const down = `http://127.0.0.1:${await freePort()}`;
    const env = keeperEnv(world, {
      journal: journalPath(world, "send-fallback-public"),
      env: { HK_SEND_RPC_URLS: down, HK_SEND_FALLBACK: "public" },
    });
    const run = await keeperOnce(env);
    expect(run.code, run.stderr.slice(-800)).to.equal(0);
    expect(run.report!.outcome?.kind).to.equal("succeeded");
    const hedges = await world.hedgesSince(from);
    expect(hedges).to.have.length(1);
    recordSendFault("send: relay down, HK_SEND_FALLBACK=public (sent publicly)", hedges.length);
  });

  it("relay down, HK_SEND_FALLBACK=never: nothing is sent publicly, one error line; the next run sends through the relay once it is back", async function () {
    const from = (await world.blockNumber()) + 1n;
    const journal = journalPath(world, "send-fallback-never");
    const down = `http://127.0.0.1:${await freePort()}`;
    const refused = await keeperOnce(
      keeperEnv(world, { journal, env: { HK_SEND_RPC_URLS: down, HK_SEND_FALLBACK: "never" } }),
    );
    expect(refused.code).to.equal(1);
    expect(refused.stderr.trim().split("\n").at(-1)).to.match(
      /^keeper failed: no private relay accepted the hedge \(1 URL\(s\)\); HK_SEND_FALLBACK=never keeps it off the public mempool/,
    );
    expect(await world.hedgesSince(from)).to.have.length(0);
    // The relay is back: the journaled, signed hedge is rebroadcast through it on restart, and lands once.
    const retried = await keeperOnce(
      keeperEnv(world, { journal, env: { HK_SEND_RPC_URLS: relay.url, HK_SEND_FALLBACK: "never" } }),
    );
    expect(retried.code, retried.stderr.slice(-800)).to.equal(0);
    const hedges = await world.hedgesSince(from);
    expect(hedges).to.have.length(1);
    expect(relay.received.length).to.be.at.least(1);
    recordSendFault("send: relay down, HK_SEND_FALLBACK=never (held, then via the relay)", hedges.length);
  });
});
