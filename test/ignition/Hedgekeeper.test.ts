import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { Wallet } from "ethers";
import { network } from "hardhat";
import HedgekeeperModule from "../../ignition/modules/Hedgekeeper.js";
import { MAINNET } from "../../keeper/chain/addressBook.js";
import {
  checkDeployment,
  type DeployedAddresses,
  type DeploymentExpectation,
} from "../../scripts/lib/deploy/deploymentCheck.js";
import { GOVERNANCE_PROFILES, proposalThresholdWad } from "../../scripts/lib/governance/governance.js";
import { devPrivateKey } from "../../scripts/lib/testing/keeperHarness.js";
import { startRehearsalChain, type RehearsalChain } from "../../scripts/lib/rehearsal/mainnetChain.js";
import { DEFAULT_ADAPTER_PARAMS } from "../../scripts/lib/market/stack.js";

const DEPLOYMENT_ID = `rehearsal-${process.pid}`;
const DEPLOYMENT_DIR = fileURLToPath(new URL(`../../ignition/deployments/${DEPLOYMENT_ID}`, import.meta.url));

describe("Ignition module Hedgekeeper, rehearsed on the mainnet-shaped chain", function () {
  this.timeout(300_000);
  let chain: RehearsalChain;
  let connection: Awaited<ReturnType<typeof network.create>>;
  let at: DeployedAddresses;
  let expected: DeploymentExpectation;
  let parameters: { Hedgekeeper: Record<string, string | string[]> };

  before(async function () {
    chain = await startRehearsalChain();
    // The `mainnet` network of hardhat.config.ts with the rehearsal chain's URL and a dev key: the rest is unchanged.
    connection = await network.create({
      network: "mainnet",
      override: { url: chain.url, accounts: [devPrivateKey(0)] },
    });
    // Role holders: the next dev accounts (only the deployer's key is given to the network).
    const [deployer, writer, volSetter, keeper, guardian, holder] = [0, 1, 2, 3, 4, 5].map(
      (index) => new Wallet(devPrivateKey(index)).address,
    );
    const supplyWad = 1_000_000n * 10n ** 18n;
    const profile = GOVERNANCE_PROFILES.production;
    expected = {
      book: MAINNET,
      deployer: deployer!,
      writer: writer!,
      volSetter: volSetter!,
      keeper: keeper!,
      guardian: guardian!,
      params: DEFAULT_ADAPTER_PARAMS,
      profile,
      proposalThresholdWad: proposalThresholdWad(profile, supplyWad),
    };
    parameters = {
      Hedgekeeper: {
        writer: writer!,
        volSetter: volSetter!,
        keeper: keeper!,
        guardian: guardian!,
        tokenHolders: [holder!],
        tokenAmountsWad: [supplyWad.toString()],
        proposalThresholdWad: expected.proposalThresholdWad.toString(),
      },
    };
    const deployed = await connection.ignition.deploy(HedgekeeperModule, {
      deploymentId: DEPLOYMENT_ID,
      config: { requiredConfirmations: 1 },
      parameters,
    });
    at = {
      vault: await deployed.vault.getAddress(),
      adapter: await deployed.adapter.getAddress(),
      token: await deployed.token.getAddress(),
      timelock: await deployed.timelock.getAddress(),
      governor: await deployed.governor.getAddress(),
    };
  });
  after(async function () {
    await connection?.close();
    await chain?.stop();
    rmSync(DEPLOYMENT_DIR, { recursive: true, force: true });
  });

  it("deploys onto chain id 1 against the canonical market, every address, parameter and role reading back", async function () {
    expect(Number((await connection.ethers.provider.getNetwork()).chainId)).to.equal(1);
    const rows = await checkDeployment(connection.ethers.provider, at, expected);
    const failed = rows.filter((row) => !row.ok).map((r) => `${r.what}: expected ${r.expected}, got ${r.actual}`);
    expect(failed).to.deep.equal([]);
    expect(rows.length).to.be.greaterThan(40);
  });

  it("leaves the deployer no admin role, and the check says so when it is wrong", async function () {
    const wrong = await checkDeployment(connection.ethers.provider, at, { ...expected, keeper: expected.writer });
    expect(wrong.filter((row) => !row.ok).map((row) => row.what)).to.deep.equal([
      `adapter: ${expected.writer} holds KEEPER_ROLE`,
    ]);
    const deployerAdmin = (await checkDeployment(connection.ethers.provider, at, expected)).filter((row) =>
      row.what.includes("deployer holds DEFAULT_ADMIN_ROLE"),
    );
    expect(deployerAdmin.map((row) => `${row.what}=${row.actual}`)).to.deep.equal([
      "vault: deployer holds DEFAULT_ADMIN_ROLE=false",
      "adapter: deployer holds DEFAULT_ADMIN_ROLE=false",
      "timelock: deployer holds DEFAULT_ADMIN_ROLE=false",
    ]);
  });

  it("prints every fact from scripts/check-deployment.ts on the mainnet network, exit code 0", function () {
    const parametersPath = join(tmpdir(), `${DEPLOYMENT_ID}-parameters.json`);
    writeFileSync(parametersPath, JSON.stringify(parameters));
    const run = spawnSync(
      process.execPath,
      ["node_modules/hardhat/dist/src/cli.js", "run", "scripts/check-deployment.ts", "--network", "mainnet"],
      {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        encoding: "utf8",
        env: {
          ...process.env,
          MAINNET_RPC_URL: chain.url,
          DEPLOYER_PRIVATE_KEY: devPrivateKey(0),
          HK_DEPLOYER_ADDRESS: expected.deployer,
          HK_DEPLOYMENT_ID: DEPLOYMENT_ID,
          HK_DEPLOY_PARAMETERS: parametersPath,
        },
      },
    );
    rmSync(parametersPath, { force: true });
    expect(run.status, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.filter((line) => line.startsWith("FAIL"))).to.deep.equal([]);
    expect(lines.at(-1)).to.match(/^(\d+) of \1 facts as expected$/);
  });
});
