/**
 * The scenario vocabulary: a scenario is written once against a `ScenarioContext` (the world deployed on the chain of
 * the selected profile, keepers, probes and chain controls) and records asserted outcomes as checks.
 */
import type { ServiceOptions } from "../../../keeper/service.js";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { EIP1193RequestFn } from "viem";
import type { CycleReport } from "../../../keeper/keeper.js";
import type { FaultPoint } from "../../../keeper/executor/index.js";
import type { KeeperService } from "../../../keeper/service.js";
import type { GovernanceProfileName } from "../governance/governance.js";
import type { AdapterParams } from "../market/stack.js";
import type { World, WorldOptions } from "../market/world.js";

export type ProfileName = "replica" | "fork";

/** What a chain profile can do beyond the common ground; a scenario that needs more is skipped, saying why. */
export type Capability = "own-liquidity";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface TradeSummary {
  /** Hedged events of the adapter during the scenario */
  hedges: number;
  /** Σ (value at the oracle price given − value received), USD: pool fees, price impact and pool-vs-oracle gap */
  feesAndSlippageUsd: number;
  /** gas of every transaction the keepers sent (reverted ones too), USD at the oracle price of its block */
  gasUsd: number;
  totalCostUsd: number;
  /** worst execution price vs the oracle, bps, positive = worse for the vault; null without hedges */
  worstVsOracleBps: number | null;
  keeperTxs: number;
}

export interface ScenarioResult {
  name: string;
  profile: ProfileName;
  seed: number;
  status: "pass" | "fail" | "skip";
  /** why the scenario did not run (skip) or stopped (an error or a failed precondition) */
  reason: string | null;
  checks: Check[];
  notes: string[];
  trades: TradeSummary | null;
  finalAbsDeltaEth: number | null;
  bandEth: number | null;
  durationMs: number;
}

/** How the scenario's world differs from the default one (12 series, default adapter params, no DAO). */
export interface ScenarioWorldOptions {
  series: number;
  params: Partial<AdapterParams>;
  /** deploy the DAO with this named profile and hand it the vault and adapter (false: the deployer stays admin) */
  governance: GovernanceProfileName | false;
  /** series opened after the realistic book, given the spot, the chain time and that book */
  extraSeries?: NonNullable<WorldOptions["extraSeries"]>;
}

export interface Scenario {
  name: string;
  /** one line: what happens → what must follow */
  summary: string;
  world?: Partial<ScenarioWorldOptions>;
  needs?: Capability[];
  run(ctx: ScenarioContext): Promise<void>;
}

export interface KeeperOptions {
  /** Hardhat dev account of the keeper's key (1 and 2 hold KEEPER_ROLE); default 1 */
  signerIndex?: number;
  /** HK_* variables on top of the scenario defaults (band policy) */
  env?: Record<string, string>;
  /** a SQLite journal file (default in memory) */
  journalPath?: string;
  faultHook?: (point: FaultPoint, intentId: string) => void | Promise<void>;
  /** where the keeper sends raw transactions instead of the chain (a private relay); reads stay on the chain */
  sendTransport?: ServiceOptions["sendTransport"];
}

/** One pino line the keeper wrote. */
export type LogLine = { level: string; msg: string; alert?: boolean } & Record<string, unknown>;

export interface ScenarioKeeper {
  service: KeeperService;
  address: string;
  logs: LogLine[];
  cycle(): Promise<CycleReport>;
  close(): Promise<void>;
}

export interface DeltaProbe {
  /** the vault's net delta at the feed's current answer (on-chain `netDeltaAtWad`, valid with a stale feed), ETH */
  netDeltaEth(): Promise<number>;
  bandEth(): Promise<number>;
  oraclePriceUsd(): Promise<number>;
  /** the options' delta at `priceUsd` with every vol × `volMultiplier`, by the keeper's risk model, ETH */
  optionsDeltaEth(priceUsd: number, volMultiplier?: number): Promise<number>;
  /** the price nearest the feed's at which the vault's net delta is `targetEth` (keeper's risk model, current WETH) */
  priceForNetDelta(targetEth: number): Promise<number>;
}

export interface ChainControl {
  request: EIP1193RequestFn;
  helpers: NetworkHelpers;
  blockNumber(): Promise<number>;
  timestamp(): Promise<number>;
  mine(blocks?: number): Promise<void>;
  /** moves the clock forward and mines a block there */
  increaseTime(seconds: number): Promise<void>;
  /** moves the clock forward for the next block, without mining one */
  elapse(seconds: number): Promise<void>;
  setAutomine(enabled: boolean): Promise<void>;
  /** mines a block whose base fee is `gwei` */
  mineWithBaseFee(gwei: number): Promise<void>;
}

export interface ScenarioContext {
  profile: ProfileName;
  seed: number;
  world: World;
  chain: ChainControl;
  probe: DeltaProbe;
  /** records an asserted outcome; a failed check fails the scenario, which still runs on to report every check */
  check(name: string, ok: boolean, detail?: string): boolean;
  /** a precondition: recorded, and the scenario stops when it does not hold */
  require(name: string, ok: boolean, detail?: string): void;
  note(text: string): void;
  startKeeper(options?: KeeperOptions): Promise<ScenarioKeeper>;
  /** cycles until the keeper holds, or a hedge did not go through, at most `maxCycles` */
  settle(keeper: ScenarioKeeper, maxCycles?: number): Promise<CycleReport[]>;
}
