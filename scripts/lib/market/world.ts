import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256 } from "ethers";
import { numberToWad, priceE8ToNumber, WAD } from "../../../keeper/units.js";
import { bookFromRows, evaluateBook } from "../../../keeper/risk/index.js";
import { openBook, realisticBook, type SeriesSpec } from "./book.js";
import {
  deployGovernance,
  handOverToTimelock,
  type Governance,
  type GovernanceProfileName,
} from "../governance/governance.js";
import { deployReplicaMarket, fundUsdc, setFeedPrice, type Market, type ReplicaOptions } from "./market.js";
import { createMarketDriver, type MarketDriver } from "./marketDriver.js";
import { DEFAULT_ADAPTER_PARAMS, deployStack, type AdapterParams, type Stack } from "./stack.js";

/** Who is who on a local chain (Hardhat dev accounts by index; the keeper harness signs with index 1). */
export interface WorldActors {
  deployer: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  keeper2: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  writer: HardhatEthersSigner;
  counterparty: HardhatEthersSigner;
  arbitrageur: HardhatEthersSigner;
  voter: HardhatEthersSigner;
}

export interface WorldOptions {
  /** the market to deploy on (e.g. a mainnet fork's canonical contracts); null = a fresh replica built from `replica` */
  market: Market | null;
  replica: Partial<ReplicaOptions>;
  params: Partial<AdapterParams>;
  series: number;
  seed: number;
  vaultUsdc: number;
  /**
   * deploy Governor + timelock with this named profile (`GOVERNANCE_PROFILES`) and hand the vault and adapter over to
   * the timelock; false = no DAO, the deployer stays admin
   */
  governance: GovernanceProfileName | false;
  maxActiveSeries: number;
  /** fraction of the book's short delta held as WETH at the start (1 = start hedged, 0 = start naked) */
  initialHedgeRatio: number;
  /** series opened after the realistic book, given the spot, the chain time and that book */
  extraSeries: ((spotUsd: number, nowSec: number, book: readonly SeriesSpec[]) => SeriesSpec[]) | null;
}

export interface World {
  ethers: HardhatEthers;
  market: Market;
  stack: Stack;
  governance: Governance | null;
  driver: MarketDriver;
  actors: WorldActors;
  book: SeriesSpec[];
  params: AdapterParams;
}

export const DEFAULT_WORLD: WorldOptions = {
  market: null,
  replica: {},
  params: {},
  series: 30,
  seed: 1,
  vaultUsdc: 20_000_000,
  governance: false,
  maxActiveSeries: 256,
  initialHedgeRatio: 1,
  extraSeries: null,
};

/**
 * Deploys everything a local run needs on the connected chain: the market replica, the vault and adapter, a realistic
 * book, collateral, an arbitrageur that keeps the pool on the feed, and (when `governance` names a profile) the DAO
 * owning the parameters, with the guardian as the timelock's vetoer.
 */
export async function deployWorld(ethers: HardhatEthers, options: Partial<WorldOptions> = {}): Promise<World> {
  const opts = { ...DEFAULT_WORLD, ...options };
  const signers = await ethers.getSigners();
  const names = [
    "deployer",
    "keeper",
    "keeper2",
    "guardian",
    "writer",
    "counterparty",
    "arbitrageur",
    "voter",
  ] as const;
  const actors = Object.fromEntries(names.map((n, i) => [n, signers[i]!])) as unknown as WorldActors;
  const { deployer, writer, counterparty } = actors;

  const market = opts.market ?? (await deployReplicaMarket(ethers, deployer, opts.replica));
  const params = { ...DEFAULT_ADAPTER_PARAMS, ...opts.params };
  const stack = await deployStack(ethers, deployer, market.book, {
    admin: deployer.address,
    writer: writer.address,
    volSetter: writer.address,
    keepers: [actors.keeper.address, actors.keeper2.address],
    guardian: actors.guardian.address,
    params,
    maxActiveSeries: opts.maxActiveSeries,
  });
  const vaultAddress = await stack.vault.getAddress();
  await fundUsdc(market, vaultAddress, BigInt(opts.vaultUsdc) * 10n ** 6n);
  // The counterparty pays the vault's long positions at settlement.
  await fundUsdc(market, counterparty.address, 50_000_000n * 10n ** 6n);
  await (await market.usdc.connect(counterparty).getFunction("approve")(vaultAddress, MaxUint256)).wait();

  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const [, answerE8] = (await market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
  const spotUsd = priceE8ToNumber(answerE8);
  const realistic = realisticBook({ spotUsd, nowSec: now, count: opts.series, seed: opts.seed });
  const book = [...realistic, ...(opts.extraSeries?.(spotUsd, now, realistic) ?? [])];
  await openBook(stack.vault, writer, book, counterparty.address);

  // Start hedged: hold the WETH the book's short delta calls for (a long-delta book starts unhedged: the vault
  // cannot short ETH, and the keeper reports that as insufficient collateral).
  const risk = evaluateBook(
    bookFromRows(
      book.map((s) => ({
        strikeUsd: s.strikeUsd,
        expirySec: s.expirySec,
        isCall: s.isCall,
        sizeEth: s.sizeEth,
        vol: s.vol,
      })),
    ),
    spotUsd,
    now,
  );
  const startWeth = numberToWad(Math.max(0, -risk.netOptionDeltaEth * opts.initialHedgeRatio));
  if (startWeth > 0n) {
    await ethers.provider.send("hardhat_setBalance", [deployer.address, "0x" + (startWeth + 1000n * WAD).toString(16)]);
    await (await market.weth.connect(deployer).getFunction("deposit")({ value: startWeth })).wait();
    await (await market.weth.connect(deployer).getFunction("transfer")(vaultAddress, startWeth)).wait();
  }

  const driver = await createMarketDriver(ethers, market, actors.arbitrageur);
  await driver.movePool(spotUsd); // a fork's pool sits a few bps off its feed; a no-op on a fresh replica
  // Let the pool's TWAP window fill, then refresh the feed.
  await ethers.provider.send("evm_increaseTime", [params.twapWindowSec + 1]);
  await setFeedPrice(market, spotUsd);

  let governance: Governance | null = null;
  if (opts.governance !== false) {
    governance = await deployGovernance(ethers, deployer, {
      profile: opts.governance,
      guardians: [actors.guardian.address],
      initialHolders: [
        { address: deployer.address, amountWad: 1_000_000n * WAD },
        { address: actors.voter.address, amountWad: 500_000n * WAD },
      ],
    });
    await (await governance.token.connect(deployer).getFunction("delegate")(deployer.address)).wait();
    await (await governance.token.connect(actors.voter).getFunction("delegate")(actors.voter.address)).wait();
    await handOverToTimelock(stack, await governance.timelock.getAddress());
  }
  return { ethers, market, stack, governance, driver, actors, book, params };
}
