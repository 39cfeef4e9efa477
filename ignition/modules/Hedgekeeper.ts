/**
 * The production deployment of Hedgekeeper on a network with the canonical market (mainnet, or the mainnet-shaped
 * rehearsal chain): the options vault, the hedge adapter and the DAO (token, timelock, governor, production profile).
 * Within the same deployment the roles are wired and the deployer gives up every admin role:
 *
 *   vault:    HEDGER_ROLE → adapter; WRITER_ROLE → writer; VOL_SETTER_ROLE → volSetter; DEFAULT_ADMIN_ROLE → timelock
 *   adapter:  KEEPER_ROLE → keeper; GUARDIAN_ROLE → guardian; DEFAULT_ADMIN_ROLE → timelock
 *   timelock: PROPOSER_ROLE, CANCELLER_ROLE → governor; CANCELLER_ROLE → guardian (veto only); anyone executes;
 *             DEFAULT_ADMIN_ROLE stays with the timelock itself
 *   deployer: renounces DEFAULT_ADMIN_ROLE on vault, adapter and timelock, after every grant above
 *
 * `scripts/lib/deploy/deploymentCheck.ts` reads all of it back. Parameters (ignition/parameters/*.json): the market addresses
 * default to the mainnet address book; the role holders and the token's initial holders have no default.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { CallableContractFuture, StaticCallFuture } from "@nomicfoundation/ignition-core";
import { MAINNET } from "../../keeper/chain/addressBook.js";
import { DEFAULT_ADAPTER_PARAMS } from "../../scripts/lib/market/stack.js";
import { GOVERNANCE_PROFILES } from "../../scripts/lib/governance/governance.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
/** Production DAO timings: a deployment onto a real network never uses the development profile. */
const PROFILE = GOVERNANCE_PROFILES.production;
const MAX_ACTIVE_SERIES = 200;

export default buildModule("Hedgekeeper", (m) => {
  const deployer = m.getAccount(0);
  const weth = m.getParameter("weth", MAINNET.weth);
  const usdc = m.getParameter("usdc", MAINNET.usdc);
  const ethUsdFeed = m.getParameter("ethUsdFeed", MAINNET.ethUsdFeed);
  const usdcUsdFeed = m.getParameter("usdcUsdFeed", MAINNET.usdcUsdFeed);
  const swapRouter = m.getParameter("swapRouter", MAINNET.swapRouter);
  const pool = m.getParameter("pool", MAINNET.pool);
  const maxActiveSeries = m.getParameter("maxActiveSeries", MAX_ACTIVE_SERIES);
  const writer = m.getParameter<string>("writer");
  const volSetter = m.getParameter<string>("volSetter");
  const keeper = m.getParameter<string>("keeper");
  const guardian = m.getParameter<string>("guardian");
  const holders = m.getParameter<string[]>("tokenHolders");
  const amountsWad = m.getParameter<string[]>("tokenAmountsWad");
  const proposalThreshold = m.getParameter<string>("proposalThresholdWad");

  const vault = m.contract("OptionsVault", [deployer, weth, usdc, ethUsdFeed, maxActiveSeries]);
  const adapter = m.contract("HedgeAdapter", [
    deployer,
    vault,
    swapRouter,
    pool,
    usdcUsdFeed,
    { ...DEFAULT_ADAPTER_PARAMS },
  ]);
  const token = m.contract("HedgeGovernanceToken", [holders, amountsWad]);
  const timelock = m.contract("HedgeTimelock", [
    PROFILE.timelockDelaySec,
    PROFILE.sensitiveDelaySec,
    [],
    [ZERO_ADDRESS],
    deployer,
  ]);
  const governor = m.contract("HedgeGovernor", [
    token,
    timelock,
    PROFILE.votingDelay,
    PROFILE.votingPeriod,
    proposalThreshold,
    PROFILE.quorumPercent,
    PROFILE.lateQuorumVoteExtension,
  ]);

  const roles = new Map<string, StaticCallFuture<string, string>>();
  /** A role id read from the contract (one static call per contract and role). */
  const role = (contract: CallableContractFuture<string>, name: string) => {
    const id = `${name}_of_${contract.contractName}`;
    if (!roles.has(id)) roles.set(id, m.staticCall(contract, name, [], 0, { id }));
    return roles.get(id)!;
  };
  const grant = (
    contract: CallableContractFuture<string>,
    roleId: StaticCallFuture<string, string>,
    to: unknown,
    id: string,
  ) => m.call(contract, "grantRole", [roleId, to as string], { id: `grant_${id}` });
  const adminOf = (contract: CallableContractFuture<string>) => role(contract, "DEFAULT_ADMIN_ROLE");

  const grants = [
    grant(vault, role(vault, "HEDGER_ROLE"), adapter, "vault_hedger_adapter"),
    grant(vault, role(vault, "WRITER_ROLE"), writer, "vault_writer"),
    grant(vault, role(vault, "VOL_SETTER_ROLE"), volSetter, "vault_volSetter"),
    grant(adapter, role(adapter, "KEEPER_ROLE"), keeper, "adapter_keeper"),
    grant(adapter, role(adapter, "GUARDIAN_ROLE"), guardian, "adapter_guardian"),
    grant(vault, adminOf(vault), timelock, "vault_admin_timelock"),
    grant(adapter, adminOf(adapter), timelock, "adapter_admin_timelock"),
    grant(timelock, role(timelock, "PROPOSER_ROLE"), governor, "timelock_proposer_governor"),
    grant(timelock, role(timelock, "CANCELLER_ROLE"), governor, "timelock_canceller_governor"),
    grant(timelock, role(timelock, "CANCELLER_ROLE"), guardian, "timelock_canceller_guardian"),
  ];
  for (const contract of [vault, adapter, timelock]) {
    m.call(contract, "renounceRole", [adminOf(contract), deployer], {
      id: `renounce_admin_${contract.contractName}`,
      after: grants,
    });
  }
  return { vault, adapter, token, timelock, governor };
});
