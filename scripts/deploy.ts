/**
 * Deploys the whole local stack to the network Hardhat was given and writes deployments/<network>.json:
 *   npx hardhat node                                   # terminal 1
 *   npm run deploy -- --network localhost              # terminal 2
 * Options through env: HK_DEPLOY_SERIES (book size, default 30), HK_DEPLOY_SEED, HK_DEPLOY_GOVERNANCE: the governance
 * profile (`development`, the profile of this local-replica script: short votes and delays; `production`: mature-DAO
 * periods, days long) or `false` for no DAO; HK_DEPLOY_RPC_URL: the node's URL when it is not localhost's
 * 127.0.0.1:8545 (a node on another port); HK_DEPLOY_FILE: where to write the deployment file. The profile is written into the deployment file; `gov status` shows it.
 * Prints the HK_* variables that point the keeper at what was deployed.
 */
import { network } from "hardhat";
import { writeDeployment } from "./lib/deploy/deployment.js";
import { parseGovernanceProfile, type GovernanceProfileName } from "./lib/governance/governance.js";
import { deployedEnvLines } from "./lib/deploy/deployEnv.js";
import { devPrivateKey } from "./lib/testing/keeperHarness.js";
import { deployWorld } from "./lib/market/world.js";

const rpcUrl = process.env.HK_DEPLOY_RPC_URL;
const { ethers, networkName } = rpcUrl
  ? await network.create({ network: "localhost", override: { url: rpcUrl } })
  : await network.create();
const chainId = Number((await ethers.provider.getNetwork()).chainId);
if (chainId !== 31337) {
  throw new Error(`deploy.ts deploys the local market replica; chain ${chainId} is not a local Hardhat chain`);
}
/** This script deploys a local replica, so its DAO uses the named development profile unless told otherwise. */
const LOCAL_GOVERNANCE_PROFILE: GovernanceProfileName = "development";
const governanceEnv = process.env.HK_DEPLOY_GOVERNANCE ?? LOCAL_GOVERNANCE_PROFILE;
const world = await deployWorld(ethers, {
  series: Number(process.env.HK_DEPLOY_SERIES ?? 30),
  seed: Number(process.env.HK_DEPLOY_SEED ?? 1),
  governance: governanceEnv === "false" ? false : parseGovernanceProfile(governanceEnv),
});
const path = process.env.HK_DEPLOY_FILE ?? `deployments/${networkName}.json`;
await writeDeployment(path, {
  chainId,
  market: world.market.book,
  stack: {
    vault: (await world.stack.vault.getAddress()) as `0x${string}`,
    adapter: (await world.stack.adapter.getAddress()) as `0x${string}`,
    ...(world.governance
      ? {
          governor: (await world.governance.governor.getAddress()) as `0x${string}`,
          timelock: (await world.governance.timelock.getAddress()) as `0x${string}`,
          token: (await world.governance.token.getAddress()) as `0x${string}`,
        }
      : {}),
  },
  ...(world.governance ? { governanceProfile: world.governance.profile } : {}),
});
console.log(
  `deployed ${world.book.length} series${world.governance ? ` and the DAO (governance profile ${world.governance.profile})` : ""}; wrote ${path}`,
);
const dao = world.governance !== null;
const { actors } = world;
const lines = deployedEnvLines({
  rpcUrl: rpcUrl ?? (networkName === "localhost" ? "http://127.0.0.1:8545" : "<the RPC URL of this network>"),
  chainId,
  adapter: await world.stack.adapter.getAddress(),
  vault: await world.stack.vault.getAddress(),
  quoter: world.market.book.quoterV2,
  governor: world.governance ? await world.governance.governor.getAddress() : null,
  deploymentPath: path,
  keeperKey: devPrivateKey(1),
  roles: (
    [
      [
        actors.deployer,
        dao
          ? "deployer; 1,000,000 votes (delegated to itself); admin handed to the timelock"
          : "deployer; DEFAULT_ADMIN_ROLE",
      ],
      [actors.keeper, "KEEPER_ROLE (the keeper's HK_PRIVATE_KEY above)"],
      [actors.keeper2, "KEEPER_ROLE (a second keeper)"],
      [
        actors.guardian,
        dao ? "GUARDIAN_ROLE (pause, tighten) and the timelock's canceller (veto)" : "GUARDIAN_ROLE (pause, tighten)",
      ],
      [actors.writer, "WRITER_ROLE and VOL_SETTER_ROLE on the vault"],
      [actors.counterparty, "counterparty of the book's series"],
      [actors.arbitrageur, "moves the pool in the demo and scenarios"],
      ...(dao ? [[actors.voter, "500,000 votes (delegated to itself)"] as const] : []),
    ] as [{ address: string }, string][]
  ).map(([signer, roles], index) => ({ index, address: signer.address, roles })),
});
for (const line of lines) console.log(line);
