/**
 * The post-deploy check of a production deployment (ignition/modules/Hedgekeeper.ts): reads back every address,
 * parameter and role the deployment was meant to set, and every admin role the deployer was meant to give up. One row
 * per fact, so a failed check says which fact and what the chain holds instead.
 */
import { getAddress, ZeroAddress, type Provider } from "ethers";
import {
  HedgeAdapter__factory,
  HedgeGovernor__factory,
  HedgeTimelock__factory,
  OptionsVault__factory,
} from "../../../types/ethers-contracts/index.js";
import type { AddressBook } from "../../../keeper/chain/addressBook.js";
import type { GovernanceProfile } from "../governance/governance.js";
import type { AdapterParams } from "../market/stack.js";

export interface DeployedAddresses {
  vault: string;
  adapter: string;
  token: string;
  timelock: string;
  governor: string;
}

export interface DeploymentExpectation {
  book: AddressBook;
  deployer: string;
  writer: string;
  volSetter: string;
  keeper: string;
  guardian: string;
  params: AdapterParams;
  profile: GovernanceProfile;
  proposalThresholdWad: bigint;
}

export interface CheckRow {
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const show = (value: unknown) =>
  typeof value === "string" && value.startsWith("0x") ? getAddress(value) : String(value);

/** Reads the deployment back. @returns one row per fact; the deployment is right when every row is ok */
export async function checkDeployment(
  provider: Provider,
  at: DeployedAddresses,
  expected: DeploymentExpectation,
): Promise<CheckRow[]> {
  const vault = OptionsVault__factory.connect(at.vault, provider);
  const adapter = HedgeAdapter__factory.connect(at.adapter, provider);
  const timelock = HedgeTimelock__factory.connect(at.timelock, provider);
  const governor = HedgeGovernor__factory.connect(at.governor, provider);
  const rows: CheckRow[] = [];
  const equal = (what: string, actual: unknown, want: unknown) =>
    rows.push({ what, expected: show(want), actual: show(actual), ok: show(actual) === show(want) });
  const hasRole = async (
    name: string,
    contract: typeof vault | typeof adapter | typeof timelock,
    role: string,
    account: string,
    want: boolean,
  ) =>
    equal(
      `${name}: ${account === expected.deployer ? "deployer" : account} holds ${role}`,
      await contract.hasRole((await contract.getFunction(role).staticCall()) as string, account),
      want,
    );

  equal("vault.weth", await vault.weth(), expected.book.weth);
  equal("vault.usdc", await vault.usdc(), expected.book.usdc);
  equal("adapter.vault", await adapter.vault(), at.vault);
  equal("adapter.pool", await adapter.pool(), expected.book.pool);
  equal("adapter.router", await adapter.router(), expected.book.swapRouter);
  equal("adapter.feed", await adapter.feed(), expected.book.ethUsdFeed);
  equal("adapter.usdcFeed", await adapter.usdcFeed(), expected.book.usdcUsdFeed);
  const params = (await adapter.params()) as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(expected.params)) equal(`adapter.params.${name}`, params[name], value);
  equal("governor.token", await governor.token(), at.token);
  equal("governor.timelock", await governor.timelock(), at.timelock);
  equal("governor.votingDelay", await governor.votingDelay(), expected.profile.votingDelay);
  equal("governor.votingPeriod", await governor.votingPeriod(), expected.profile.votingPeriod);
  equal("governor.proposalThreshold", await governor.proposalThreshold(), expected.proposalThresholdWad);
  equal("timelock.getMinDelay", await timelock.getMinDelay(), expected.profile.timelockDelaySec);
  equal("timelock.sensitiveDelay", await timelock.sensitiveDelay(), expected.profile.sensitiveDelaySec);

  await hasRole("vault", vault, "HEDGER_ROLE", at.adapter, true);
  await hasRole("vault", vault, "WRITER_ROLE", expected.writer, true);
  await hasRole("vault", vault, "VOL_SETTER_ROLE", expected.volSetter, true);
  await hasRole("adapter", adapter, "KEEPER_ROLE", expected.keeper, true);
  await hasRole("adapter", adapter, "GUARDIAN_ROLE", expected.guardian, true);
  await hasRole("timelock", timelock, "PROPOSER_ROLE", at.governor, true);
  await hasRole("timelock", timelock, "CANCELLER_ROLE", at.governor, true);
  await hasRole("timelock", timelock, "CANCELLER_ROLE", expected.guardian, true);
  await hasRole("timelock", timelock, "EXECUTOR_ROLE", ZeroAddress, true);
  for (const [name, contract] of [
    ["vault", vault],
    ["adapter", adapter],
    ["timelock", timelock],
  ] as const) {
    await hasRole(name, contract, "DEFAULT_ADMIN_ROLE", at.timelock, true);
    await hasRole(name, contract, "DEFAULT_ADMIN_ROLE", expected.deployer, false);
  }
  return rows;
}
