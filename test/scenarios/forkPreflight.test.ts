import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { MAINNET } from "../../keeper/chain/addressBook.js";
import { startAnvil } from "../../scripts/lib/rehearsal/anvilNode.js";
import { startRehearsalChain, type RehearsalChain } from "../../scripts/lib/rehearsal/mainnetChain.js";
import { freePort, type LocalNode } from "../../scripts/lib/node/localNode.js";
import { checkForkInputs, ForkInputError, redactUrl } from "../../scripts/lib/scenarios/forkPreflight.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The one-line message `checkForkInputs` refuses `env` with. */
async function refusal(env: Record<string, string>): Promise<string> {
  try {
    await checkForkInputs(MAINNET, env);
  } catch (error) {
    expect(error).to.be.instanceOf(ForkInputError);
    const message = (error as Error).message;
    expect(message, "one line").to.not.include("\n");
    return message;
  }
  throw new Error(`checkForkInputs accepted ${JSON.stringify(env)}`);
}

describe("checkForkInputs (the fork profile's preflight)", function () {
  this.timeout(120_000);
  let chain: RehearsalChain;
  let otherChain: LocalNode;
  let fullNode: LocalNode;

  before(async function () {
    const now = Math.floor(Date.now() / 1000);
    chain = await startRehearsalChain();
    otherChain = await startAnvil({ chainId: 31337, genesisNumber: 0, genesisTimestamp: now, hardfork: "cancun" });
    // A chain-id-1 node past the fork block that keeps only its head's state, as a non-archive node does.
    fullNode = await startAnvil({
      chainId: 1,
      genesisNumber: chain.forkBlock - 10,
      genesisTimestamp: now,
      hardfork: "cancun",
      archive: false,
    });
    await fetch(fullNode.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_mine", params: ["0x20"] }),
    });
  });
  after(async function () {
    await Promise.all([chain?.stop(), otherChain?.stop(), fullNode?.stop()]);
  });

  it("accepts the rehearsal chain at its fork block", async function () {
    const settings = await checkForkInputs(MAINNET, { MAINNET_RPC_URL: chain.url });
    expect(settings).to.deep.equal({ url: chain.url, blockNumber: chain.forkBlock });
  });

  it("names MAINNET_FORK_BLOCK when it is not a block number", async function () {
    expect(await refusal({ MAINNET_RPC_URL: chain.url, MAINNET_FORK_BLOCK: "abc" })).to.equal(
      'MAINNET_FORK_BLOCK="abc" is not a block number: set a positive integer or unset it to use the address book\'s block',
    );
  });

  it("names MAINNET_RPC_URL when it is not an http(s) URL", async function () {
    expect(await refusal({ MAINNET_RPC_URL: "localhost:8545" })).to.equal(
      'MAINNET_RPC_URL is not an http(s) URL (got 14 characters starting "localhos"): set it to a mainnet archive node\'s JSON-RPC URL',
    );
  });

  it("names MAINNET_RPC_URL when nothing answers there, without printing its path (API keys live there)", async function () {
    const port = await freePort();
    const message = await refusal({ MAINNET_RPC_URL: `http://127.0.0.1:${port}/v2/secret-key` });
    expect(message).to.equal(
      `MAINNET_RPC_URL=http://127.0.0.1:${port}/… does not answer JSON-RPC (ECONNREFUSED): check the URL and that the node is reachable`,
    );
    expect(message).to.not.include("secret-key");
  });

  it("names the chain id when the RPC is not mainnet", async function () {
    expect(await refusal({ MAINNET_RPC_URL: otherChain.url })).to.equal(
      `MAINNET_RPC_URL=${otherChain.url} serves chain id 31337, not 1 (Ethereum mainnet): point MAINNET_RPC_URL at a mainnet RPC`,
    );
  });

  it("names MAINNET_FORK_BLOCK when it is above the RPC's head", async function () {
    const above = chain.head + 1;
    expect(await refusal({ MAINNET_RPC_URL: chain.url, MAINNET_FORK_BLOCK: String(above) })).to.equal(
      `MAINNET_FORK_BLOCK=${above} is above the head of MAINNET_RPC_URL=${chain.url} (block ${chain.head}): set MAINNET_FORK_BLOCK to a block at or below ${chain.head}`,
    );
  });

  it("names an RPC without archive state at the pinned block", async function () {
    const message = await refusal({ MAINNET_RPC_URL: fullNode.url });
    expect(message).to.match(
      new RegExp(
        `^MAINNET_RPC_URL=${fullNode.url} has no state at MAINNET_FORK_BLOCK=${chain.forkBlock} \\(.+\\): it is not an archive node;`,
      ),
    );
  });

  it("names the first address-book contract missing at a block before the market existed", async function () {
    const early = chain.forkBlock - 100; // the rehearsal chain's genesis block, before any deployment
    expect(await refusal({ MAINNET_RPC_URL: chain.url, MAINNET_FORK_BLOCK: String(early) })).to.equal(
      `MAINNET_FORK_BLOCK=${early}: no contract at weth ${MAINNET.weth} on MAINNET_RPC_URL=${chain.url}: pin a block after the address book's contracts were deployed`,
    );
  });

  it("redacts credentials, path and query of a URL", function () {
    expect(redactUrl("https://user:pw@rpc.example:8545/v2/key?x=1")).to.equal("https://rpc.example:8545/…");
    expect(redactUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
  });

  it("ends `npm run scenario` with that one line and exit code 2, no stack trace", async function () {
    const port = await freePort();
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/scenario.ts", "crash", "--profile", "fork"], {
      cwd: ROOT,
      env: { ...process.env, MAINNET_RPC_URL: `http://127.0.0.1:${port}`, MAINNET_FORK_BLOCK: "" },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).to.equal(2);
    expect(run.stderr.trim()).to.equal(
      `fork profile: MAINNET_RPC_URL=http://127.0.0.1:${port} does not answer JSON-RPC (ECONNREFUSED): check the URL and that the node is reachable`,
    );
  });

  it("loads the Hardhat config whatever MAINNET_FORK_BLOCK holds, so commands that do not fork keep working", function () {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "-e", 'await import("./hardhat.config.ts"); console.log("loaded")'],
      {
        cwd: ROOT,
        env: { ...process.env, MAINNET_RPC_URL: "http://127.0.0.1:1", MAINNET_FORK_BLOCK: "abc" },
        encoding: "utf8",
      },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout.trim()).to.equal("loaded");
  });
});
