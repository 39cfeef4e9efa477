import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/node/localNode.js";
import { plainLines, runKeeperCli, startCliChain, type CliChain } from "./keeperCli.js";

/** The keeper CLI's output contract: data on stdout, logs on stderr, one-line errors, documented exit codes. */
describe("keeper CLI output and exit codes (child process)", function () {
  this.timeout(240_000);
  let chain: CliChain;
  let dir: string;
  let journal = 0;
  const env = (extra: Record<string, string> = {}) => ({
    ...chain.env,
    HK_JOURNAL_PATH: join(dir, `journal-${++journal}.db`),
    ...extra,
  });

  before(async function () {
    chain = await startCliChain();
    dir = mkdtempSync(join(tmpdir(), "hk-cli-"));
  });

  after(async function () {
    await chain?.node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("once --dry-run --json writes exactly one JSON document to stdout and its logs to stderr", async function () {
    const run = await runKeeperCli(["once", "--dry-run", "--json"], env({ HK_LOG_LEVEL: "info" }), dir);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as { decision: { kind: string }; transaction: { sent: boolean } | null };
    expect(report.decision.kind).to.equal("hedge");
    expect(report.transaction?.sent).to.equal(false);
    expect(run.stderr).to.match(/"msg":"starting keeper"/);
  });

  it("warns about an unknown HK_* variable with the nearest known name, and still runs", async function () {
    const run = await runKeeperCli(["once", "--dry-run", "--json"], env({ HK_SLIPAGE_BPS: "30" }), dir);
    expect(run.code, run.stderr).to.equal(0);
    const warning = run.stderr
      .split("\n")
      .find((line) => line.includes("HK_SLIPAGE_BPS is not a keeper variable and is ignored"));
    expect(warning, run.stderr).to.contain('"level":"warn"');
    expect(warning).to.contain("did you mean HK_SLIPPAGE_BPS?");
    JSON.parse(run.stdout);
  });

  it("exits 2 with one line naming the variable for a malformed value", async function () {
    const run = await runKeeperCli(["once", "--dry-run"], env({ HK_CHAIN_ID: "abc" }), dir);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(plainLines(run.stderr)).to.deep.equal(['config error: HK_CHAIN_ID: must be an integer >= 1 (got "abc")']);
  });

  it("explains an RPC URL without a scheme", async function () {
    const run = await runKeeperCli(["once", "--dry-run"], env({ HK_RPC_URLS: "localhost:8545" }), dir);
    expect(run.code).to.equal(2);
    expect(plainLines(run.stderr)).to.have.length(1);
    expect(run.stderr).to.contain("HK_RPC_URLS: entry 1 has no scheme: write http://localhost:8545");
  });

  it("names the URL and the errno when nothing answers at the RPC URL", async function () {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const run = await runKeeperCli(["once", "--dry-run"], env({ HK_RPC_URLS: dead }), dir);
    expect(run.code).to.equal(2);
    const lines = plainLines(run.stderr);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.equal(
      `start-up error: HK_RPC_URLS: cannot reach the RPC: ${dead}: ECONNREFUSED (connection refused: nothing listens there)`,
    );
  });

  it("says in one line that an address with other code is not a HedgeAdapter, without viem's call dump", async function () {
    const vault = chain.stack.vault.target as string;
    const run = await runKeeperCli(["once", "--dry-run"], env({ HK_ADAPTER_ADDRESS: vault }), dir);
    expect(run.code).to.equal(2);
    const lines = plainLines(run.stderr);
    expect(lines, run.stderr).to.have.length(1);
    expect(lines[0]).to.match(
      /^start-up error: HK_ADAPTER_ADDRESS: address 0x[0-9a-fA-F]{40} does not answer as a HedgeAdapter: /,
    );
    expect(run.stderr).not.to.contain("Contract Call");
    expect(run.stderr).not.to.contain("Docs:");
  });

  it("refuses to start when the metrics port is in use (exit 2)", async function () {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    try {
      const run = await runKeeperCli(["run"], env({ HK_METRICS_PORT: String(port), HK_DRY_RUN: "true" }), dir);
      expect(run.code).to.equal(2);
      expect(plainLines(run.stderr)).to.deep.equal([
        `start-up error: HK_METRICS_HOST/HK_METRICS_PORT: telemetry server could not listen on 127.0.0.1:${port}: ` +
          "EADDRINUSE (the port is in use: stop the other process, or pick another port)",
      ]);
    } finally {
      squatter.close();
    }
  });

  it("once exits 3 when the hedge it wanted was rejected", async function () {
    // A keeper-side slippage bound far tighter than the pool fee: the simulation reverts with InsufficientOutput.
    const run = await runKeeperCli(["once", "--json"], env({ HK_SLIPPAGE_BPS: "0.01" }), dir);
    const report = JSON.parse(run.stdout) as { outcome: { kind: string } | null };
    expect(report.outcome?.kind, run.stderr).to.equal("rejected");
    expect(run.code).to.equal(3);
  });
});
