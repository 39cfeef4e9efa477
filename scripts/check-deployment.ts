/**
 * The post-deploy check of an Ignition deployment of ignition/modules/Hedgekeeper.ts: reads back every address,
 * parameter and role (scripts/lib/deploy/deploymentCheck.ts) and prints one row per fact.
 *
 *   HK_DEPLOYER_ADDRESS=0x… HK_DEPLOY_PARAMETERS=ignition/parameters/mainnet.json \
 *     npx hardhat run scripts/check-deployment.ts --network mainnet
 *
 * HK_DEPLOYMENT_ID names the deployment folder under ignition/deployments (default chain-1). No key is needed: the
 * check only reads. Exit code: 0 every fact as expected, 1 a fact differs, 2 a missing or unreadable input.
 */
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { MAINNET, parseAddress } from "../keeper/chain/addressBook.js";
import { checkDeployment } from "./lib/deploy/deploymentCheck.js";
import { GOVERNANCE_PROFILES } from "./lib/governance/governance.js";
import { DEFAULT_ADAPTER_PARAMS } from "./lib/market/stack.js";

function readJson(path: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    console.error(`${what}: cannot read ${path} (${(error as Error).message})`);
    process.exit(2);
  }
}

const deployer = process.env.HK_DEPLOYER_ADDRESS;
if (!deployer) {
  console.error("HK_DEPLOYER_ADDRESS is not set: set it to the address that ran the deployment");
  process.exit(2);
}
const deploymentId = process.env.HK_DEPLOYMENT_ID ?? "chain-1";
const parametersPath = process.env.HK_DEPLOY_PARAMETERS ?? "ignition/parameters/mainnet.json";
const parameters = readJson(parametersPath, "HK_DEPLOY_PARAMETERS").Hedgekeeper as Record<string, string>;
const deployed = readJson(`ignition/deployments/${deploymentId}/deployed_addresses.json`, "HK_DEPLOYMENT_ID");
const address = (name: string) => parseAddress(String(deployed[`Hedgekeeper#${name}`]), `deployed ${name}`);

const connection = await network.create();
const rows = await checkDeployment(
  connection.ethers.provider,
  {
    vault: address("OptionsVault"),
    adapter: address("HedgeAdapter"),
    token: address("HedgeGovernanceToken"),
    timelock: address("HedgeTimelock"),
    governor: address("HedgeGovernor"),
  },
  {
    book: MAINNET,
    deployer: parseAddress(deployer, "HK_DEPLOYER_ADDRESS"),
    writer: parseAddress(parameters.writer!, "writer"),
    volSetter: parseAddress(parameters.volSetter!, "volSetter"),
    keeper: parseAddress(parameters.keeper!, "keeper"),
    guardian: parseAddress(parameters.guardian!, "guardian"),
    params: DEFAULT_ADAPTER_PARAMS,
    profile: GOVERNANCE_PROFILES.production,
    proposalThresholdWad: BigInt(parameters.proposalThresholdWad!),
  },
);
await connection.close();
for (const row of rows)
  console.log(`${row.ok ? "ok  " : "FAIL"}  ${row.what}: ${row.actual}${row.ok ? "" : ` (expected ${row.expected})`}`);
const failed = rows.filter((row) => !row.ok).length;
console.log(`${rows.length - failed} of ${rows.length} facts as expected`);
process.exit(failed === 0 ? 0 : 1);
