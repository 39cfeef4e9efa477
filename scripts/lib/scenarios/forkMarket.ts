/**
 * The market on a mainnet fork: the canonical contracts of the address book, made drivable.
 *
 * - Feed takeover: the Chainlink ETH/USD proxy (an EACAggregatorProxy) is pointed at a `MockV3Aggregator` seeded with
 *   the live answer, through the proxy's own upgrade path: its owner (impersonated) calls `proposeAggregator(mock)` and
 *   `confirmAggregator(mock)`. Every reader (vault, adapter, keeper) keeps reading the canonical proxy address, and
 *   the proxy keeps its own code, phase ids and checks; only the answers now come from the scenario.
 * - USDC: the token's master minter (impersonated) makes the deployer a minter with `configureMinter`; the deployer
 *   then funds accounts with USDC's own `mint`, the same call the replica's USDC exposes.
 * - WETH: `hardhat_setBalance` + `WETH9.deposit`, as on the replica.
 * - The clock: the first local block is mined at the wall clock (or later), so deadlines, oracle ages and the keeper's
 *   health judge the same time on the fork as on the replica.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { Contract, getAddress } from "ethers";
import type { AddressBook } from "../../../keeper/chain/addressBook.js";
import { externalArtifacts } from "../market/artifacts.js";
import type { Market } from "../market/market.js";

const AGGREGATOR_PROXY_ABI = [
  "function owner() view returns (address)",
  "function aggregator() view returns (address)",
  "function decimals() view returns (uint8)",
  "function proposeAggregator(address aggregator)",
  "function confirmAggregator(address aggregator)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
] as const;

/** The FiatTokenV2 (USDC) functions the scenarios use: ERC-20 plus the minter administration. */
const FIAT_TOKEN_ABI = [
  "function masterMinter() view returns (address)",
  "function configureMinter(address minter, uint256 minterAllowedAmount) returns (bool)",
  "function mint(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function balanceOf(address account) view returns (uint256)",
  "function decimals() view returns (uint8)",
] as const;

/** What the deployer may mint over a whole scenario session (USDC, 1e6): far above any scenario's needs. */
const MINTER_ALLOWANCE_USDC6 = 10n ** 13n * 10n ** 6n;
const GAS_MONEY_WEI = 10n ** 20n;

/** Runs `action` as `address` (impersonated, funded for gas), then stops impersonating. */
async function asAccount<T>(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  address: string,
  action: (signer: HardhatEthersSigner) => Promise<T>,
): Promise<T> {
  await helpers.impersonateAccount(address);
  await helpers.setBalance(address, GAS_MONEY_WEI);
  try {
    return await action(await ethers.getSigner(address));
  } finally {
    await helpers.stopImpersonatingAccount(address);
  }
}

/**
 * Points the canonical ETH/USD proxy at a fresh MockV3Aggregator holding the live answer, through the proxy owner's
 * propose/confirm. @returns the mock (connected to `deployer`, who pushes the scenario's answers) and the live price
 * @throws Error when the proxy does not read back the mock's answer afterwards
 */
export async function takeOverFeed(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  deployer: HardhatEthersSigner,
  proxyAddress: string,
): Promise<{ mock: Contract; livePriceE8: bigint }> {
  const proxy = new Contract(proxyAddress, AGGREGATOR_PROXY_ABI, ethers.provider);
  const [, liveAnswer] = (await proxy.getFunction("latestRoundData")()) as [bigint, bigint];
  const decimals = Number(await proxy.getFunction("decimals")());
  if (decimals !== 8) throw new Error(`feed ${proxyAddress} reports ${decimals} decimals, expected 8 (ETH/USD)`);
  const mock = (await (
    await ethers.getContractFactory("MockV3Aggregator", deployer)
  ).deploy(8, liveAnswer)) as unknown as Contract;
  await mock.waitForDeployment();
  const mockAddress = await mock.getAddress();
  const owner: string = await proxy.getFunction("owner")();
  await asAccount(ethers, helpers, owner, async (signer) => {
    await (await proxy.connect(signer).getFunction("proposeAggregator")(mockAddress)).wait();
    await (await proxy.connect(signer).getFunction("confirmAggregator")(mockAddress)).wait();
  });
  const [, answer] = (await proxy.getFunction("latestRoundData")()) as [bigint, bigint];
  if (getAddress(await proxy.getFunction("aggregator")()) !== getAddress(mockAddress) || answer !== liveAnswer) {
    throw new Error(`feed takeover of ${proxyAddress} did not take: the proxy does not read the mock's answer`);
  }
  return { mock, livePriceE8: liveAnswer };
}

/** Makes `minter` a USDC minter through the token's master minter. @returns USDC connected to `minter` */
export async function becomeUsdcMinter(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  minter: HardhatEthersSigner,
  usdcAddress: string,
): Promise<Contract> {
  const usdc = new Contract(usdcAddress, FIAT_TOKEN_ABI, minter);
  const masterMinter: string = await usdc.getFunction("masterMinter")();
  await asAccount(ethers, helpers, masterMinter, async (signer) => {
    await (await usdc.connect(signer).getFunction("configureMinter")(minter.address, MINTER_ALLOWANCE_USDC6)).wait();
  });
  return usdc;
}

/**
 * The mainnet market of `book` on the connected fork, with the feed taken over and the deployer a USDC minter, in the
 * same `Market` shape the replica has (so the world, the driver and every scenario run unchanged). The fork profile
 * checked beforehand that every address of `book` has code at the pinned block (forkPreflight.ts).
 */
export async function attachForkMarket(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  deployer: HardhatEthersSigner,
  book: AddressBook,
): Promise<Market> {
  const latest = await helpers.time.latest();
  const wallClock = Math.floor(Date.now() / 1000);
  if (wallClock > latest) await helpers.time.setNextBlockTimestamp(wallClock);
  await helpers.mine();

  const { mock } = await takeOverFeed(ethers, helpers, deployer, book.ethUsdFeed);
  const { mock: usdcFeed } = await takeOverFeed(ethers, helpers, deployer, book.usdcUsdFeed);
  const usdc = await becomeUsdcMinter(ethers, helpers, deployer, book.usdc);
  const at = (address: string, abi: readonly unknown[]) => new Contract(address, abi as never, deployer);
  return {
    book: { ...book, chainId: Number((await ethers.provider.getNetwork()).chainId) },
    weth: at(book.weth, externalArtifacts.WETH9.abi),
    usdc,
    pool: at(book.pool, externalArtifacts.UniswapV3Pool.abi),
    router: at(book.swapRouter, externalArtifacts.SwapRouter.abi),
    quoter: at(book.quoterV2, externalArtifacts.QuoterV2.abi),
    positionManager: at(book.positionManager, externalArtifacts.NonfungiblePositionManager.abi),
    feed: mock,
    usdcFeed,
    wethIsToken0: BigInt(book.weth) < BigInt(book.usdc),
  };
}
