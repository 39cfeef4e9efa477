import { expect } from "chai";
import { HttpRequestError, type Hex } from "viem";
import { createBroadcaster, RelayUnavailableError } from "../../keeper/executor/index.js";
import { createLogger } from "../../keeper/telemetry/logger.js";

const RAW = "0x02f8aa" as Hex;

/** A sendRawTransaction double: records what it was sent, or fails with `failure`. */
function fakeClient(failure?: Error) {
  const sent: Hex[] = [];
  return {
    sent,
    async sendRawTransaction({ serializedTransaction }: { serializedTransaction: Hex }): Promise<Hex> {
      if (failure) throw failure;
      sent.push(serializedTransaction);
      return "0x01";
    },
  };
}

function capturingLogger() {
  const lines: { msg: string }[] = [];
  const logger = createLogger({
    level: "warn",
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) },
  });
  return { logger, lines };
}

const relayDown = () =>
  new HttpRequestError({ url: "https://relay.example/rpc", status: 503, details: "fetch failed" });

describe("executor.createBroadcaster", function () {
  it("without a relay sends to the read RPC and counts the nonce at the pending block", async function () {
    const publicClient = fakeClient();
    const { logger } = capturingLogger();
    const broadcaster = createBroadcaster({
      publicClient,
      relayClient: null,
      relayCount: 0,
      fallback: "public",
      logger,
    });
    expect(await broadcaster.broadcast(RAW)).to.equal("public");
    expect(publicClient.sent).to.deep.equal([RAW]);
    expect(broadcaster.nonceTag).to.equal("pending");
    expect(broadcaster.isPrivate).to.equal(false);
  });

  it("with a relay sends only to the relay and counts the nonce at the latest block (the relay's pending is private)", async function () {
    const publicClient = fakeClient();
    const relayClient = fakeClient();
    const { logger } = capturingLogger();
    const broadcaster = createBroadcaster({ publicClient, relayClient, relayCount: 1, fallback: "public", logger });
    expect(await broadcaster.broadcast(RAW)).to.equal("private");
    expect(relayClient.sent).to.deep.equal([RAW]);
    expect(publicClient.sent).to.deep.equal([]);
    expect(broadcaster.nonceTag).to.equal("latest");
  });

  it("treats a relay's 'already known' as sent (a rebroadcast after a restart), without falling back", async function () {
    const publicClient = fakeClient();
    const relayClient = fakeClient(new Error("already known"));
    const { logger } = capturingLogger();
    const broadcaster = createBroadcaster({ publicClient, relayClient, relayCount: 1, fallback: "public", logger });
    expect(await broadcaster.broadcast(RAW)).to.equal("private");
    expect(publicClient.sent).to.deep.equal([]);
  });

  it("HK_SEND_FALLBACK=public: a relay that is down sends the hedge through the read RPC and warns", async function () {
    const publicClient = fakeClient();
    const relayClient = fakeClient(relayDown());
    const { logger, lines } = capturingLogger();
    const broadcaster = createBroadcaster({ publicClient, relayClient, relayCount: 1, fallback: "public", logger });
    expect(await broadcaster.broadcast(RAW)).to.equal("public");
    expect(publicClient.sent).to.deep.equal([RAW]);
    expect(lines.map((l) => l.msg)).to.deep.equal([
      "private relay refused or unreachable; sending the hedge through the public RPC (HK_SEND_FALLBACK=public)",
    ]);
  });

  it("HK_SEND_FALLBACK=never: a relay that is down throws RelayUnavailableError and nothing reaches the public RPC", async function () {
    const publicClient = fakeClient();
    const relayClient = fakeClient(relayDown());
    const { logger } = capturingLogger();
    const broadcaster = createBroadcaster({ publicClient, relayClient, relayCount: 2, fallback: "never", logger });
    let thrown: unknown;
    try {
      await broadcaster.broadcast(RAW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(RelayUnavailableError);
    expect((thrown as RelayUnavailableError).shortMessage).to.equal(
      "no private relay accepted the hedge (2 URL(s)); HK_SEND_FALLBACK=never keeps it off the public mempool",
    );
    expect(publicClient.sent).to.deep.equal([]);
  });
});
