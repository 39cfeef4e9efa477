import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, rpcCall } from "../../scripts/lib/node/localNode.js";
import { npmScript, ROOT, runNpmScript, type ChildResult } from "./child.js";

/** The price the walk-through moves the market to: far enough from the deployed $3000 to push |Δ| past the band. */
const TRIGGER_PRICE_USD = 2700;

function ok(result: ChildResult, what: string): string {
  expect(result.code, `${what} exited ${result.code ?? result.signal}:\n${result.stderr.slice(-1500)}`).to.equal(0);
  return result.stdout;
}

/**
 * README "Walk-through: from an empty machine to a hedging keeper": the same commands, each a child process of the
 * real entry point (`npm run node`, `deploy`, `keeper`, `market`, `gov`), against a node this test starts on a free
 * loopback port (so the commands carry `--rpc`/`HK_DEPLOY_RPC_URL` where the README relies on the 8545 default).
 */
describe("README walk-through: from an empty machine to a hedging keeper and a governance change", function () {
  this.timeout(600_000);
  let node: ChildProcess;
  let url: string;
  let dir: string;
  let deploymentFile: string;
  let keeperEnv: Record<string, string>;

  before(async function () {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dir = await mkdtemp(join(tmpdir(), "hk-walkthrough-"));
    deploymentFile = join(dir, "localhost.json");
    node = spawn(process.execPath, [...npmScript("node"), "--port", String(port)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      node.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("node: listening on")) resolve();
      });
      node.stdout!.resume();
      node.once("exit", (code) => reject(new Error(`npm run node exited with ${code}: ${stderr}`)));
    });
    expect(stderr).to.contain(`listening on ${url} (chain 31337), mining: automine`);
  });

  after(async function () {
    if (node && node.exitCode === null) {
      const exited = new Promise((resolve) => node.once("exit", resolve));
      node.kill("SIGTERM");
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("npm run node serves JSON-RPC on loopback only", async function () {
    expect(await rpcCall(url, "eth_chainId")).to.equal("0x7a69");
  });

  it("npm run deploy prints the keeper's HK_* environment and writes the deployment file", async function () {
    const out = ok(
      await runNpmScript("deploy", ["--network", "localhost"], {
        HK_DEPLOY_RPC_URL: url,
        HK_DEPLOY_FILE: deploymentFile,
      }),
      "deploy",
    );
    expect(out).to.contain(`wrote ${deploymentFile}`);
    const printed = Object.fromEntries([...out.matchAll(/^(HK_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(printed).to.include.keys("HK_RPC_URLS", "HK_CHAIN_ID", "HK_ADAPTER_ADDRESS", "HK_PRIVATE_KEY");
    expect(printed.HK_RPC_URLS).to.equal(url);
    keeperEnv = { ...printed, HK_JOURNAL_PATH: join(dir, "journal.db"), HK_LOG_LEVEL: "warn" };
  });

  it("keeper once --dry-run decides without sending", async function () {
    const out = ok(await runNpmScript("keeper", ["once", "--dry-run", "--json"], keeperEnv), "keeper once --dry-run");
    const cycle = JSON.parse(out) as { outcome: unknown; decision: { kind: string } };
    expect(cycle.outcome).to.equal(null);
    expect(["hold", "hedge"]).to.include(cycle.decision.kind);
  });

  it("market set-price moves feed and pool and waits out the TWAP window; the next keeper once hedges", async function () {
    // Hedge whatever the deployment left first, so the trigger below is the price move's.
    ok(await runNpmScript("keeper", ["once", "--json"], keeperEnv), "keeper once");
    const moved = ok(
      await runNpmScript("market", [
        "--rpc",
        url,
        "--deployment",
        deploymentFile,
        "set-price",
        String(TRIGGER_PRICE_USD),
      ]),
      "market set-price",
    );
    expect(moved).to.match(/^feed \$2700, pool \$2\d{3}\.\d\d; chain clock moved 61 s past the adapter's 60 s TWAP/);
    const cycle = JSON.parse(ok(await runNpmScript("keeper", ["once", "--json"], keeperEnv), "keeper once")) as {
      decision: { kind: string };
      outcome: { kind: string; error?: string } | null;
    };
    expect(cycle.decision.kind).to.equal("hedge");
    expect(cycle.outcome?.kind, cycle.outcome?.error).to.equal("succeeded");
  });

  it("a governance change end to end; gov advance re-publishes the feeds so the keeper is not left on a stale oracle", async function () {
    const gov = (...args: string[]) =>
      runNpmScript("gov", ["--rpc", url, "--deployment", deploymentFile, ...args]).then((r) => ok(r, `gov ${args[0]}`));
    const proposed = await gov("propose", "--set", "deltaBandWad=10e18", "--description", "Band floor 10 ETH");
    const id = /^proposal (\d+)$/m.exec(proposed)![1]!;
    await gov("advance", "--blocks", "2");
    await gov("vote", id, "--support", "for");
    await gov("advance", "--blocks", "50");
    await gov("queue", id);
    const advanced = await gov("advance", "--seconds", "86400");
    expect(advanced).to.contain("re-published the ETH/USD and USDC/USD feeds");
    expect(await gov("execute", id)).to.contain("deltaBandWad: 500000000000000000 -> 10000000000000000000");
    const cycle = JSON.parse(
      ok(await runNpmScript("keeper", ["once", "--dry-run", "--json"], keeperEnv), "keeper once"),
    ) as { params: { deltaBandEth: number }; decision: { kind: string; reason?: string } };
    // The band in force is max(the new 10 ETH floor, 2% of the book's gross notional, ≈ 6.6 ETH here).
    expect(cycle.params.deltaBandEth).to.equal(10);
    expect(cycle.decision.reason ?? "").to.not.match(/stale/i);
  });

  it("market status and refresh report the feed's age; refresh makes it fresh", async function () {
    const market = (...args: string[]) =>
      runNpmScript("market", ["--rpc", url, "--deployment", deploymentFile, ...args]).then((r) => ok(r, args[0]!));
    await rpcCall(url, "evm_increaseTime", [600]);
    await rpcCall(url, "evm_mine");
    expect(await market("status")).to.match(/^feed \$2700 \(6\d\d s old\), pool \$2\d{3}\.\d\d$/m);
    expect(await market("refresh")).to.match(/^feeds re-published: ETH\/USD \$2700 \(was 6\d\d s old\)/);
    expect(await market("status")).to.match(/^feed \$2700 \([0-2] s old\)/m);
  });

  it("market refuses a bad price with one line and exit 1", async function () {
    const result = await runNpmScript("market", ["--rpc", url, "--deployment", deploymentFile, "set-price", "abc"]);
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.equal('market: price must be a positive number of USD up to 1,000,000, got "abc"');
  });
});
