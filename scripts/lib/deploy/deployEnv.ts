/**
 * What `npm run deploy` prints after a local deployment: every variable the keeper and `gov` need to run against it,
 * and which Hardhat dev account holds which role (their keys are Hardhat's public test keys, never real funds).
 */
export interface DeployedEnvInput {
  rpcUrl: string;
  chainId: number;
  adapter: string;
  vault: string;
  quoter: string;
  /** null when deployed without the DAO */
  governor: string | null;
  deploymentPath: string;
  /** dev account index → [address, roles] */
  roles: { index: number; address: string; roles: string }[];
  keeperKey: string;
}

export function deployedEnvLines(input: DeployedEnvInput): string[] {
  return [
    "keeper environment (copy into .env; see README 'Running the keeper'):",
    `HK_RPC_URLS=${input.rpcUrl}`,
    `HK_CHAIN_ID=${input.chainId}`,
    `HK_ADAPTER_ADDRESS=${input.adapter}`,
    `HK_VAULT_ADDRESS=${input.vault}`,
    `HK_QUOTER_ADDRESS=${input.quoter}`,
    ...(input.governor === null ? [] : [`HK_GOVERNOR_ADDRESS=${input.governor}`]),
    `HK_PRIVATE_KEY=${input.keeperKey}`,
    "",
    "gov (needs no variable on this chain: it signs with dev account #0, which holds and delegates votes):",
    `npm run gov -- --rpc ${input.rpcUrl} --deployment ${input.deploymentPath} status`,
    "",
    "dev accounts (Hardhat's public test mnemonic):",
    ...input.roles.map((r) => `  #${r.index} ${r.address}  ${r.roles}`),
  ];
}
