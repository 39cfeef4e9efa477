import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/lib/node/localNode.js";
import { runKeeperCli, startCliChain, type CliChain } from "./keeperCli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** /health and the RPC URLs' state tell the truth (child process). */
describe("keeper health and RPC failover (child process)", function () {
  this.timeout(240_000);
  let chain: CliChain;
  let dir: string;
  let dead: string;

  before(async function () {
    chain = await startCliChain();
    dir = mkdtempSync(join(tmpdir(), "hk-health-"));
    dead = `http://127.0.0.1:${await freePort()}`;
  });

  after(async function () {
    await chain?.node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("once with a dead first RPC URL finds it within a second, says so once, and shows it in status", async function () {
    const env = { ...chain.env, HK_RPC_URLS: `${dead},${chain.node.url}`, HK_JOURNAL_PATH: join(dir, "failover.db") };
    const fast = await runKeeperCli(["once", "--dry-run", "--json"], { ...env, HK_LOG_LEVEL: "info" }, dir);
    expect(fast.code, fast.stderr).to.equal(0);
    const mentions = fast.stderr.split("\n").filter((line) => line.includes(`RPC URL ${dead} is down`));
    expect(mentions, fast.stderr).to.have.length(1);
    expect(mentions[0]).to.contain("ECONNREFUSED");
    // process start-up (tsx) included; a dead URL tried first cost 12–13 s before
    const live = await runKeeperCli(["once", "--dry-run", "--json"], { ...env, HK_RPC_URLS: chain.node.url }, dir);
    expect(fast.ms - live.ms).to.be.lessThan(2_000);

    const status = await runKeeperCli(["status", "--json"], env, dir);
    expect(status.code, status.stderr).to.equal(0);
    const view = JSON.parse(status.stdout) as { rpcEndpoints: { url: string; up: boolean; error: string | null }[] };
    expect(view.rpcEndpoints.map((e) => [e.url, e.up])).to.deep.equal([
      [dead, false],
      [chain.node.url, true],
    ]);
    const text = await runKeeperCli(["status"], env, dir);
    expect(text.stdout).to.match(
      new RegExp(`^rpc: ${dead} DOWN \\(ECONNREFUSED .*\\); ${chain.node.url} up \\(\\d+ ms, block \\d+\\)$`, "m"),
    );
  });

  it("run: /metrics shows each URL's state, and /health turns 503 on an oracle stale by chain time", async function () {
    const port = await freePort();
    const env = {
      ...chain.env,
      HK_RPC_URLS: `${dead},${chain.node.url}`,
      HK_JOURNAL_PATH: join(dir, "run.db"),
      HK_DRY_RUN: "true",
      HK_METRICS_PORT: String(port),
      HK_POLL_INTERVAL_MS: "100",
    };
    const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const running = spawn(process.execPath, [tsx, join(ROOT, "keeper/cli/main.ts"), "run"], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      const metrics = await waitFor("/metrics", async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes("hedgekeeper_rpc_endpoint_up") ? text : null;
      });
      expect(metrics).to.contain(`hedgekeeper_rpc_endpoint_up{url="${dead}"} 0`);
      expect(metrics).to.contain(`hedgekeeper_rpc_endpoint_up{url="${chain.node.url}"} 1`);
      await waitFor("a healthy keeper", async () => ((await fetch(`${base}/health`)).status === 200 ? true : null));

      // Two hours pass on the chain, none on the wall clock: the feed's answer is now too old for the adapter.
      await chain.send("evm_increaseTime", [7_200]);
      await chain.send("evm_mine", []);
      const body = await waitFor("/health 503", async () => {
        const response = await fetch(`${base}/health`);
        return response.status === 503 ? ((await response.json()) as { reasons: string[] }) : null;
      });
      expect(body.reasons.join("; ")).to.match(/oracle answer is \d+s old at the head block \(max \d+s\)/);
    } finally {
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await exited;
    }
  });
});
