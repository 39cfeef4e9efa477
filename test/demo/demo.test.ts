import { expect } from "chai";
import { expectClose } from "../approx.js";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DemoSummary } from "../../scripts/lib/demo/summary.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The demo as a child process: `npm --silent start -- <args>` exactly as a user runs it (build, then the demo), or
 * `tsx scripts/demo.ts <args>` directly when the test signals it (npm would stand between the signal and the demo).
 * `interruptWhen` sends SIGINT once stderr matches it.
 */
function demo(args: string[], interruptWhen?: RegExp): Promise<Exit> {
  const [command, argv] = interruptWhen
    ? [process.execPath, ["--import", "tsx", "scripts/demo.ts", ...args]]
    : ["npm", ["--silent", "start", "--", ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (interruptWhen && !interrupted && interruptWhen.test(stderr)) {
        interrupted = true;
        // A moment into the loop, so some blocks are recorded before the stop.
        setTimeout(() => child.kill("SIGINT"), 1_500);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function readSummary(dir: string): Promise<DemoSummary> {
  return JSON.parse(await readFile(join(dir, "summary.json"), "utf8")) as DemoSummary;
}

describe("npm start (scripts/demo.ts)", function () {
  this.timeout(240_000);
  let dir: string;
  let completed: Exit;
  let stopped: Exit;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), "hk-demo-"));
    // Both runs at once: each spends most of its time starting up.
    [completed, stopped] = await Promise.all([
      demo(["--blocks", "30", "--seed", "3", "--vol", "1.5", "--out", join(dir, "full"), "--json"]),
      demo(["--blocks", "5000", "--seed", "3", "--out", join(dir, "stopped")], /running 5000 blocks/),
    ]);
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  describe("a completed run", function () {
    it("exits 0 and writes report.html and summary.json", async function () {
      expect(completed.code, completed.stderr).to.equal(0);
      expect(existsSync(join(dir, "full", "report.html"))).to.equal(true);
      const summary = await readSummary(join(dir, "full"));
      expect(summary.blocks).to.equal(30);
      expect(summary.interrupted).to.equal(false);
      expect(summary.failures).to.deep.equal([]);
    });

    it("prints the same summary as JSON on stdout with --json", async function () {
      const printed = JSON.parse(completed.stdout) as DemoSummary & { files: { report: string } };
      expect(printed.files.report).to.match(/report\.html$/);
      const { files: _files, ...rest } = printed;
      expect(rest).to.deep.equal(await readSummary(join(dir, "full")));
    });

    it("counts as many hedges as the adapter emitted Hedged events", async function () {
      const summary = await readSummary(join(dir, "full"));
      expect(summary.hedges).to.be.greaterThan(0, "the test's path is meant to make the keeper hedge");
      expect(summary.hedges).to.equal(summary.hedgesOnChain);
    });

    it("ends inside the band, or says why not", async function () {
      const summary = await readSummary(join(dir, "full"));
      expect(summary.bandEth).to.be.greaterThan(0);
      if (summary.finalWithinBand) expect(summary.finalAbsNetDeltaEth!).to.be.at.most(summary.bandEth!);
      else expect(summary.finalReason, "a final net delta outside the band needs a recorded reason").to.be.a("string");
      // The keeper's off-chain net delta agrees with the vault's own on-chain figure.
      expect(Math.abs(summary.finalNetDeltaEth! - summary.finalOnChainNetDeltaEth!)).to.be.lessThan(0.01);
    });

    it("adds the costs up by kind", async function () {
      const { costsUsd, worstSlippageBps } = await readSummary(join(dir, "full"));
      expect(costsUsd.poolFee).to.be.greaterThan(0);
      expect(costsUsd.gas).to.be.greaterThan(0);
      expectClose(costsUsd.total, costsUsd.poolFee + costsUsd.slippage + costsUsd.gas, 1e-6);
      // The adapter bounds every fill to maxSlippageBps (50) against the oracle.
      expect(worstSlippageBps!).to.be.within(0, 50);
    });
  });

  describe("Ctrl-C", function () {
    it("stops after the current block, exits 130 and still writes what it has", async function () {
      expect(stopped.code, stopped.stderr).to.equal(130);
      expect(stopped.stderr).to.include("interrupted");
      const summary = await readSummary(join(dir, "stopped"));
      expect(summary.interrupted).to.equal(true);
      expect(summary.blocks).to.be.greaterThan(0).and.lessThan(5000);
      expect(summary.hedges).to.equal(summary.hedgesOnChain);
      expect(existsSync(join(dir, "stopped", "report.html"))).to.equal(true);
    });
  });
});
