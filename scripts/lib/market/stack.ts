import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HedgeAdapter, OptionsVault } from "../../../types/ethers-contracts/index.js";
import type { AddressBook } from "../../../keeper/chain/addressBook.js";
import type { AdapterParamsRaw } from "../../../keeper/chain/snapshot.js";

/** Adapter parameters in on-chain units (see IHedgeAdapter.Params): the keeper's own type of them. */
export type AdapterParams = AdapterParamsRaw;

/**
 * Production defaults for a book of about 100 ETH gross delta at ≈ $3,000. A stolen keeper key can lose at most
 * 2 × lossBudgetUsdWad ($20,000) and trade at most 2 × turnoverBudgetWethWad (2,000 ETH) in any day (the budgets
 * recharge linearly over one day); see the adapter's header and test/attacks.
 */
export const DEFAULT_ADAPTER_PARAMS: AdapterParams = {
  // The band fits the book: max(0.5 ETH, 2% of the gross option notional) — 2 ETH on a 100-ETH book, 200 ETH on a
  // 10,000-ETH one (bench/defaults.ts measures this default against the efficient frontier on books of every size).
  deltaBandWad: 5n * 10n ** 17n,
  maxTradeWethWad: 50n * 10n ** 18n,
  cooldownSec: 12, // one mainnet block after a hedge that ended inside the band; the band rule and budgets do the rest
  maxOracleAgeSec: 3600,
  maxSlippageBps: 50,
  maxPoolDeviationBps: 300,
  twapWindowSec: 60,
  minTradeWethWad: 5n * 10n ** 16n, // 0.05 ETH
  overshootToleranceWad: 10n ** 18n, // 1 ETH (never more than half the band)
  lossBudgetUsdWad: 10_000n * 10n ** 18n,
  turnoverBudgetWethWad: 1_000n * 10n ** 18n,
  budgetWindowSec: 24 * 3600,
  maxUsdcDepegBps: 200,
  maxUsdcOracleAgeSec: 25 * 3600, // mainnet USDC/USD heartbeat is 24 h
  deltaBandBps: 200,
};

export interface StackOptions {
  admin: string;
  writer: string;
  volSetter: string;
  keepers: string[];
  guardian?: string;
  params: AdapterParams;
  maxActiveSeries: number;
}

export interface Stack {
  vault: OptionsVault;
  adapter: HedgeAdapter;
}

/**
 * Deploys the options vault and the hedge adapter on top of a market (replica or mainnet fork) and wires the roles:
 * the adapter is the vault's only hedger; `admin` keeps DEFAULT_ADMIN_ROLE until governance takes it over.
 */
export async function deployStack(
  ethers: HardhatEthers,
  deployer: HardhatEthersSigner,
  book: AddressBook,
  options: StackOptions,
): Promise<Stack> {
  const vault = (await (
    await ethers.getContractFactory("OptionsVault", deployer)
  ).deploy(
    deployer.address,
    book.weth,
    book.usdc,
    book.ethUsdFeed,
    options.maxActiveSeries,
  )) as unknown as OptionsVault;
  await vault.waitForDeployment();
  const adapter = (await (
    await ethers.getContractFactory("HedgeAdapter", deployer)
  ).deploy(
    deployer.address,
    await vault.getAddress(),
    book.swapRouter,
    book.pool,
    book.usdcUsdFeed,
    options.params,
  )) as unknown as HedgeAdapter;
  await adapter.waitForDeployment();

  await (await vault.grantRole(await vault.HEDGER_ROLE(), await adapter.getAddress())).wait();
  await (await vault.grantRole(await vault.WRITER_ROLE(), options.writer)).wait();
  await (await vault.grantRole(await vault.VOL_SETTER_ROLE(), options.volSetter)).wait();
  for (const keeper of options.keepers) {
    await (await adapter.grantRole(await adapter.KEEPER_ROLE(), keeper)).wait();
  }
  if (options.guardian) await (await adapter.grantRole(await adapter.GUARDIAN_ROLE(), options.guardian)).wait();
  if (options.admin.toLowerCase() !== deployer.address.toLowerCase()) {
    for (const contract of [vault, adapter]) {
      const adminRole = await contract.DEFAULT_ADMIN_ROLE();
      await (await contract.grantRole(adminRole, options.admin)).wait();
      await (await contract.renounceRole(adminRole, deployer.address)).wait();
    }
  }
  return { vault, adapter };
}
