import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { network } from "hardhat";
import { runGov } from "../../scripts/lib/governance/cli.js";
import { writeDeployment } from "../../scripts/lib/deploy/deployment.js";
import { deployGovernance, handOverToTimelock } from "../../scripts/lib/governance/governance.js";
import { deployReplicaMarket, fundUsdc } from "../../scripts/lib/market/market.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack } from "../../scripts/lib/market/stack.js";
import { DAY, ETH, FIXED_BAND, USDC } from "../fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Server = Awaited<ReturnType<typeof network.createServer>>;

/** Runs the CLI in this process against the node; returns its exit code and what it printed. */
async function gov(globals: string[], ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGov([...globals, ...argv], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("gov CLI against a local JSON-RPC node", function () {
  let server: Server;
  let connection: Awaited<ReturnType<typeof network.create>>;
  let dir: string;
  let globals: string[];

  before(async function () {
    // A Hardhat node in this process, on a free loopback port: the CLI reaches it over HTTP like any node.
    server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const url = `http://${address}:${port}`;
    connection = await network.create({ network: "localhost", override: { url } });
    const { ethers, networkHelpers } = connection;
    const [deployer, keeper, guardian, writer, counterparty] = await ethers.getSigners();
    const market = await deployReplicaMarket(ethers, deployer!);
    const stack = await deployStack(ethers, deployer!, market.book, {
      admin: deployer!.address,
      writer: writer!.address,
      volSetter: writer!.address,
      keepers: [keeper!.address],
      guardian: guardian!.address,
      params: { ...DEFAULT_ADAPTER_PARAMS, ...FIXED_BAND }, // a fixed 5 ETH band: the expectations read in ETH
      maxActiveSeries: 16,
    });
    await fundUsdc(market, await stack.vault.getAddress(), USDC(1_000_000));
    const now = await networkHelpers.time.latest();
    await (
      await stack.vault
        .connect(writer!)
        .openSeries(ETH(3000), now + 30 * DAY, true, ETH(0.8), -ETH(20), counterparty!.address)
    ).wait();
    const governance = await deployGovernance(ethers, deployer!, {
      profile: "development",
      guardians: [guardian!.address],
      initialHolders: [{ address: deployer!.address, amountWad: ETH(1_000_000) }],
    });
    await handOverToTimelock(stack, governance.timelock);

    dir = await mkdtemp(join(tmpdir(), "hk-gov-cli-"));
    const deploymentPath = join(dir, "localhost.json");
    await writeDeployment(deploymentPath, {
      chainId: market.book.chainId,
      market: market.book,
      stack: {
        vault: (await stack.vault.getAddress()) as `0x${string}`,
        adapter: (await stack.adapter.getAddress()) as `0x${string}`,
        governor: (await governance.governor.getAddress()) as `0x${string}`,
        timelock: (await governance.timelock.getAddress()) as `0x${string}`,
        token: (await governance.token.getAddress()) as `0x${string}`,
      },
      governanceProfile: governance.profile,
    });
    globals = ["--rpc", url, "--deployment", deploymentPath];
  });

  after(async function () {
    await connection?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs the lifecycle: delegate, propose, vote, queue, execute, status", async function () {
    expect((await gov(globals, "delegate")).out).to.match(/delegated to 0x[0-9a-fA-F]{40}; votes of .*: 1000000\.0/);

    const proposed = await gov(
      globals,
      "propose",
      "--set",
      "deltaBandWad=3e18",
      "--set",
      "maxSlippageBps=30",
      "--description",
      "Narrow the band",
    );
    expect(proposed.code, proposed.err).to.equal(0);
    const proposalId = /^proposal (\d+)$/m.exec(proposed.out)![1]!;
    expect(proposed.out).to.contain("adapter.setParam(deltaBandWad, 3000000000000000000)");

    const early = await gov(globals, "vote", proposalId);
    expect(early.code).to.equal(1);
    expect(early.err).to.match(/proposal is Pending; votes are accepted from block \d+ to \d+/);

    await gov(globals, "advance", "--blocks", "2");
    const voted = await gov(globals, "vote", proposalId, "--support", "for", "--reason", "tighter execution");
    expect(voted.out).to.equal("voted for; for 1000000.0, against 0.0, abstain 0.0");

    await gov(globals, "advance", "--blocks", "50");
    expect((await gov(globals, "status", proposalId)).out).to.match(/state: +Succeeded/);
    expect((await gov(globals, "queue", proposalId)).out).to.match(/^queued; executable from \d{4}-/);

    const tooEarly = await gov(globals, "execute", proposalId);
    expect(tooEarly.code).to.equal(1);
    expect(tooEarly.err).to.contain("execute reverted with TimelockUnexpectedOperationState");

    await gov(globals, "advance", "--seconds", String(DAY));
    const executed = await gov(globals, "execute", proposalId);
    expect(executed.code, executed.err).to.equal(0);
    expect(executed.out).to.contain("deltaBandWad: 5000000000000000000 -> 3000000000000000000");
    expect(executed.out).to.contain("maxSlippageBps: 50 -> 30");

    const again = await gov(globals, "execute", proposalId);
    expect(again.code).to.equal(1);
    expect(again.err).to.contain(
      `GovernorUnexpectedProposalState(proposal ${proposalId} is Executed, expected Succeeded|Queued)`,
    );

    const status = await gov(globals, "status");
    expect(status.out).to.match(
      /^governance profile: development \(short periods for local runs; not for real funds\)$/m,
    );
    expect(status.out).to.match(/voting period +50 blocks/);
    expect(status.out).to.match(/sensitive delay +2\.0 days/);
    expect(status.out).to.not.contain("differs from the development profile");
    expect(status.out).to.match(/deltaBandWad +3\.0 \(3000000000000000000 wad\)/);
    expect(status.out).to.match(new RegExp(`${proposalId}  Executed`));
  });

  /** The "hedges" row of the simulate table: [current, proposed]. */
  function hedgeCounts(output: string): [number, number] {
    const row = /hedges +(\d+) +(\d+)/.exec(output);
    expect(row, output).to.not.equal(null);
    return [Number(row![1]), Number(row![2])];
  }

  it("simulates --set flags on a snapshot and prints current vs proposed hedge counts", async function () {
    const result = await gov(globals, "simulate", "--set", "deltaBandWad=200e18", "--days", "2");
    expect(result.code, result.err).to.equal(0);
    expect(result.out).to.contain(`Executed as the timelock on a snapshot of ${globals[1]}`);
    const [current, proposed] = hedgeCounts(result.out);
    expect(current).to.be.greaterThan(0);
    expect(proposed).to.equal(0);
  });

  it("simulates on an in-process Hardhat fork of the node with --fork-url", async function () {
    const result = await gov(
      globals,
      "simulate",
      "--set",
      "deltaBandWad=200e18",
      "--days",
      "1",
      "--fork-url",
      globals[1]!,
    );
    expect(result.code, result.err).to.equal(0);
    expect(result.out).to.contain(`Executed as the timelock on a snapshot of a fork of ${globals[1]}`);
    const [current, proposed] = hedgeCounts(result.out);
    expect(current).to.be.greaterThan(0);
    expect(proposed).to.equal(0);
  });

  it("refuses an out-of-bounds value, an unknown parameter and a non-integer before sending anything", async function () {
    const outside = await gov(globals, "propose", "--set", "deltaBandWad=2000e18");
    expect(outside.code).to.equal(1);
    expect(outside.err).to.contain("deltaBandWad=2000000000000000000000 is outside its bounds");
    const unknown = await gov(globals, "propose", "--set", "band=1");
    expect(unknown.err).to.contain('--set band=1: unknown parameter "band"');
    const fraction = await gov(globals, "simulate", "--set", "maxSlippageBps=2.5");
    expect(fraction.err).to.contain('--set maxSlippageBps=2.5: "2.5" is not an integer');
    const days = await gov(globals, "simulate", "--set", "maxSlippageBps=20", "--days", "a week");
    expect(days.err).to.contain("--days a week: not a number >= 0");
  });

  it("runs as `npm run gov` does (tsx entry point), and says when the node is unreachable", async function () {
    const run = promisify(execFile);
    const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const { stdout } = await run(process.execPath, [tsx, "scripts/gov.ts", ...globals, "status"], { cwd: ROOT });
    expect(stdout).to.contain("adapter parameters:");
    const down = await gov(["--rpc", "http://127.0.0.1:1", "--deployment", globals[3]!], "status");
    expect(down.code).to.equal(1);
    expect(down.err).to.contain("cannot reach the JSON-RPC node at http://127.0.0.1:1");
  });
});
