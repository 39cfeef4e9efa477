/**
 * Puts a contract at a canonical address on the rehearsal chain: deploy it normally (constructor and all), then move
 * its runtime code and storage to the address mainnet has it at with `anvil_setCode` / `anvil_setStorageAt`.
 *
 * Storage comes from anvil's own state dump, so every slot the constructor wrote moves (WETH9's name strings,
 * SwapRouter's cached amount, the factory's owner and fee tiers, the Chainlink proxy's owner and phases), with no
 * per-contract list of slots to keep up to date. Immutables that hold the contract's own address (Uniswap's
 * `NoDelegateCall.original`) are rewritten from the temporary address to the canonical one; without that the
 * factory's `createPool` would revert at the canonical address.
 */
import { gunzipSync } from "node:zlib";
import {
  getAddress,
  pad,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from "viem";

export interface RehearsalClients {
  publicClient: PublicClient;
  walletClient: WalletClient;
  testClient: TestClient;
}

interface DumpedAccount {
  code: Hex;
  storage: Record<string, Hex>;
}

/** The code and storage of `address` in anvil's current state. */
async function dumpedAccount(testClient: TestClient, address: Address): Promise<DumpedAccount> {
  const dump = await testClient.dumpState();
  const state = JSON.parse(gunzipSync(Buffer.from(dump.slice(2), "hex")).toString("utf8")) as {
    accounts: Record<string, DumpedAccount>;
  };
  const entry = Object.entries(state.accounts).find(([key]) => key.toLowerCase() === address.toLowerCase());
  if (!entry) throw new Error(`rehearsal: anvil's state dump has no account ${address}`);
  return entry[1];
}

export interface Deployment {
  abi: Abi;
  bytecode: Hex;
  args?: readonly unknown[];
  /** who sends the deployment (the constructor's msg.sender); an unlocked or impersonated account */
  from: Address;
}

/**
 * Deploys `deployment`, moves it to `target`, and clears the temporary address.
 * @throws Error when the deployment reverts or the code at `target` does not read back
 */
export async function deployAtCanonicalAddress(
  { publicClient, walletClient, testClient }: RehearsalClients,
  target: Address,
  deployment: Deployment,
): Promise<void> {
  const hash = await walletClient.deployContract({
    abi: deployment.abi,
    bytecode: deployment.bytecode,
    args: deployment.args ?? [],
    account: deployment.from,
    chain: null,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`rehearsal: deploying the contract for ${target} failed (tx ${hash})`);
  }
  const temporary = getAddress(receipt.contractAddress);
  const account = await dumpedAccount(testClient, temporary);
  const code = account.code.toLowerCase().replaceAll(temporary.slice(2).toLowerCase(), target.slice(2).toLowerCase());
  await testClient.setCode({ address: target, bytecode: code as Hex });
  for (const [slot, value] of Object.entries(account.storage)) {
    await testClient.setStorageAt({ address: target, index: pad(slot as Hex), value: pad(value) });
  }
  await testClient.setCode({ address: temporary, bytecode: "0x" });
  const placed = await publicClient.getCode({ address: target });
  if (placed?.toLowerCase() !== code.toLowerCase()) throw new Error(`rehearsal: the code at ${target} did not take`);
}
