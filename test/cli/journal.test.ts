import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { plainLines, runKeeperCli, startCliChain, type CliChain } from "./keeperCli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The journal knows its chain: a reset chain is named as such, `keeper journal` inspects and resets, one keeper each. */
describe("keeper journal bound to its chain (child process)", function () {
  this.timeout(300_000);
  let first: CliChain;
  let dir: string;

  before(async function () {
    first = await startCliChain();
    dir = mkdtempSync(join(tmpdir(), "hk-journal-"));
  });

  after(async function () {
    await first?.node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a journal written on a chain that was since reset, and starts afresh after `keeper journal reset`", async function () {
    const journal = join(dir, "reset.db");
    const hedged = await runKeeperCli(["once", "--json"], { ...first.env, HK_JOURNAL_PATH: journal }, dir);
    expect(hedged.code, hedged.stderr).to.equal(0);
    expect((JSON.parse(hedged.stdout) as { outcome: { kind: string } }).outcome.kind).to.equal("succeeded");

    // The same deployment replayed on a new node: same addresses, lower block numbers, another genesis.
    const second = await startCliChain();
    try {
      expect(second.env.HK_ADAPTER_ADDRESS).to.equal(first.env.HK_ADAPTER_ADDRESS);
      const env = { ...second.env, HK_JOURNAL_PATH: journal };
      const refused = await runKeeperCli(["once", "--dry-run"], env, dir);
      expect(refused.code).to.equal(2);
      const lines = plainLines(refused.stderr);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^start-up error: HK_JOURNAL_PATH: journal .*reset\.db was written for chain 31337 \(genesis 0x[0-9a-f]{8}…\), adapter 0x[0-9a-f]{40}, but the RPC serves chain 31337 \(genesis 0x[0-9a-f]{8}…\), adapter 0x[0-9a-f]{40} \(a reset chain\?\); inspect it with `keeper journal show`, start afresh with `keeper journal reset`/,
      );

      const shown = await runKeeperCli(["journal", "show", "--json"], env, dir);
      expect(shown.code, shown.stderr).to.equal(0);
      const view = JSON.parse(shown.stdout) as { binding: { chainId: number }; intents: { succeeded: number } };
      expect(view.binding.chainId).to.equal(31337);
      expect(view.intents.succeeded).to.equal(1);

      const reset = await runKeeperCli(["journal", "reset"], env, dir);
      expect(reset.code, reset.stderr).to.equal(0);
      expect(reset.stdout).to.match(/^journal .*reset\.db moved to .*reset\.db\..*\.bak\n$/);
      expect(readdirSync(dir).some((f) => f.startsWith("reset.db.") && f.endsWith(".bak"))).to.equal(true);

      const fresh = await runKeeperCli(["once", "--dry-run", "--json"], env, dir);
      expect(fresh.code, fresh.stderr).to.equal(0);
    } finally {
      await second.node.stop();
    }
  });

  it("refuses a second keeper on a journal a running keeper holds, and frees it when that keeper stops", async function () {
    const journal = join(dir, "shared.db");
    const env = { ...first.env, HK_JOURNAL_PATH: journal, HK_DRY_RUN: "true" };
    const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const running = spawn(process.execPath, [tsx, join(ROOT, "keeper/cli/main.ts"), "run"], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = "";
        running.stderr!.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes("telemetry server listening")) resolve();
        });
        running.once("exit", (code) => reject(new Error(`keeper run exited with ${code}: ${seen}`)));
      });
      const second = await runKeeperCli(["once", "--dry-run"], env, dir);
      expect(second.code).to.equal(2);
      const lines = plainLines(second.stderr);
      expect(lines).to.have.length(1);
      // tsx runs the keeper in a child of the process spawned here, so the pid is matched, not compared
      expect(lines[0]).to.match(
        new RegExp(`^start-up error: HK_JOURNAL_PATH: journal ${journal} is in use by the keeper with pid \\d+ on `),
      );
      expect(second.stderr).to.contain("two keepers on one journal could send the same hedge twice");
      const status = await runKeeperCli(["status", "--json"], env, dir);
      expect(status.code, status.stderr).to.equal(0); // status only reads: it may run beside the keeper
    } finally {
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await exited;
    }
    expect(existsSync(`${journal}.lock`)).to.equal(false);
    const after = await runKeeperCli(["once", "--dry-run"], env, dir);
    expect(after.code, after.stderr).to.equal(0);
  });
});
