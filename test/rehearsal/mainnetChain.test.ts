import { expect } from "chai";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  parseAbi,
  type Address,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from "viem";
import { MAINNET, MAINNET_FORK_BLOCK } from "../../keeper/chain/addressBook.js";
import {
  REHEARSAL_MARKET,
  REHEARSAL_ROLES,
  startRehearsalChain,
  type RehearsalChain,
} from "../../scripts/lib/rehearsal/mainnetChain.js";

const FIAT_TOKEN = parseAbi([
  "function configureMinter(address minter, uint256 minterAllowedAmount) returns (bool)",
  "function removeMinter(address minter) returns (bool)",
  "function mint(address to, uint256 amount) returns (bool)",
  "function burn(uint256 amount)",
  "function blacklist(address account)",
  "function unBlacklist(address account)",
  "function pause()",
  "function unpause()",
  "function transfer(address to, uint256 value) returns (bool)",
  "function transferFrom(address from, address to, uint256 value) returns (bool)",
  "function approve(address spender, uint256 value) returns (bool)",
  "function masterMinter() view returns (address)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address account) view returns (uint256)",
  "function minterAllowance(address minter) view returns (uint256)",
]);
const FEED_PROXY = parseAbi([
  "function owner() view returns (address)",
  "function phaseId() view returns (uint16)",
  "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
  "function proposeAggregator(address aggregator)",
]);
const POOL = parseAbi([
  "function token0() view returns (address)",
  "function token1() view returns (address)",
  "function fee() view returns (uint24)",
  "function factory() view returns (address)",
  "function liquidity() view returns (uint128)",
]);
const FACTORY = parseAbi(["function feeAmountTickSpacing(uint24 fee) view returns (int24)"]);

/** The reason string a call reverts with (FiatToken reverts with strings, as Circle's does). */
async function revertReason(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError) return reverted.reason;
    throw error;
  }
  return undefined;
}

describe("Rehearsal chain (mainnet-shaped, served by anvil)", function () {
  this.timeout(120_000);
  let chain: RehearsalChain;
  let publicClient: PublicClient;
  let walletClient: WalletClient;
  let testClient: TestClient;
  let holder: Address;
  let other: Address;
  const at = { blockNumber: BigInt(MAINNET_FORK_BLOCK) };

  before(async function () {
    chain = await startRehearsalChain();
    const transport = http(chain.url);
    publicClient = createPublicClient({ transport });
    walletClient = createWalletClient({ transport });
    testClient = createTestClient({ mode: "anvil", transport });
    [holder, other] = (await walletClient.getAddresses()) as [Address, Address];
  });
  after(async function () {
    await chain?.stop();
  });

  it("serves chain id 1 with the address book's fork block at or below its head", async function () {
    expect(await publicClient.getChainId()).to.equal(1);
    expect(chain.forkBlock).to.equal(MAINNET_FORK_BLOCK);
    expect(chain.head).to.be.at.least(chain.forkBlock);
  });

  it("holds code at every address of the address book at the fork block", async function () {
    for (const [name, address] of Object.entries(MAINNET)) {
      if (name === "chainId") continue;
      const code = await publicClient.getCode({ address: address as Address, ...at });
      expect(code ?? "0x", name).to.not.equal("0x");
    }
  });

  it("has the WETH/USDC 0.05% pool at the book's CREATE2 address, USDC token0 and WETH token1, with liquidity", async function () {
    const read = (functionName: "token0" | "token1" | "fee" | "factory" | "liquidity") =>
      publicClient.readContract({ address: MAINNET.pool, abi: POOL, functionName, ...at });
    expect(getAddress((await read("token0")) as Address)).to.equal(MAINNET.usdc);
    expect(getAddress((await read("token1")) as Address)).to.equal(MAINNET.weth);
    expect(await read("fee")).to.equal(500);
    expect(getAddress((await read("factory")) as Address)).to.equal(MAINNET.factory);
    expect(await read("liquidity")).to.be.greaterThan(0n);
    const spacing = await publicClient.readContract({
      address: MAINNET.factory,
      abi: FACTORY,
      functionName: "feeAmountTickSpacing",
      args: [500],
    });
    expect(spacing).to.equal(10);
  });

  it("serves both feeds through an EACAggregatorProxy in phase 2, owned by the feed owner, with a round at the fork block", async function () {
    const block = await publicClient.getBlock(at);
    for (const [feed, answerE8] of [
      [MAINNET.ethUsdFeed, BigInt(REHEARSAL_MARKET.ethUsd) * 10n ** 8n],
      [MAINNET.usdcUsdFeed, BigInt(REHEARSAL_MARKET.usdcUsd) * 10n ** 8n],
    ] as const) {
      expect(await publicClient.readContract({ address: feed, abi: FEED_PROXY, functionName: "owner" })).to.equal(
        REHEARSAL_ROLES.feedOwner,
      );
      expect(await publicClient.readContract({ address: feed, abi: FEED_PROXY, functionName: "phaseId" })).to.equal(2);
      const [roundId, answer, , updatedAt] = await publicClient.readContract({
        address: feed,
        abi: FEED_PROXY,
        functionName: "latestRoundData",
        ...at,
      });
      expect(roundId >> 64n, "phase in the round id").to.equal(2n);
      expect(answer).to.equal(answerE8);
      expect(Number(block.timestamp - updatedAt)).to.be.lessThan(60);
    }
    const reason = await revertReason(
      publicClient.simulateContract({
        address: MAINNET.ethUsdFeed,
        abi: FEED_PROXY,
        functionName: "proposeAggregator",
        args: [other],
        account: holder,
      }),
    );
    expect(reason).to.equal("Only callable by owner");
  });

  describe("FiatTokenStandIn at the USDC address", function () {
    let snapshot: `0x${string}`;
    beforeEach(async function () {
      snapshot = await testClient.snapshot();
    });
    afterEach(async function () {
      await testClient.revert({ id: snapshot });
    });

    type Call = { functionName: string; args: readonly unknown[]; account: Address };
    const simulate = (call: Call) =>
      publicClient.simulateContract({ address: MAINNET.usdc, abi: FIAT_TOKEN, ...call } as never);
    const send = async (call: Call) => {
      const hash = await walletClient.writeContract({
        address: MAINNET.usdc,
        abi: FIAT_TOKEN,
        chain: null,
        ...call,
      } as never);
      await publicClient.waitForTransactionReceipt({ hash });
    };
    const balance = (account: Address) =>
      publicClient.readContract({ address: MAINNET.usdc, abi: FIAT_TOKEN, functionName: "balanceOf", args: [account] });
    const masterMinter = REHEARSAL_ROLES.usdcMasterMinter;

    it("mints through the master minter's configureMinter, within the minter's allowance, with 6 decimals", async function () {
      expect(
        await publicClient.readContract({ address: MAINNET.usdc, abi: FIAT_TOKEN, functionName: "decimals" }),
      ).to.equal(6);
      expect(
        await publicClient.readContract({ address: MAINNET.usdc, abi: FIAT_TOKEN, functionName: "masterMinter" }),
      ).to.equal(masterMinter);
      await send({ functionName: "configureMinter", args: [holder, 1_000n], account: masterMinter });
      await send({ functionName: "mint", args: [other, 400n], account: holder });
      expect(await balance(other)).to.equal(400n);
      expect(
        await publicClient.readContract({
          address: MAINNET.usdc,
          abi: FIAT_TOKEN,
          functionName: "minterAllowance",
          args: [holder],
        }),
      ).to.equal(600n);
    });

    it("reverts each refused call with FiatToken's reason string", async function () {
      await send({ functionName: "configureMinter", args: [holder, 1_000n], account: masterMinter });
      await send({ functionName: "mint", args: [holder, 500n], account: holder });
      const cases: [string, Call][] = [
        [
          "FiatToken: caller is not the masterMinter",
          { functionName: "configureMinter", args: [other, 1n], account: holder },
        ],
        [
          "FiatToken: caller is not the masterMinter",
          { functionName: "removeMinter", args: [holder], account: holder },
        ],
        ["FiatToken: caller is not a minter", { functionName: "mint", args: [other, 1n], account: other }],
        [
          "FiatToken: mint amount exceeds minterAllowance",
          { functionName: "mint", args: [other, 501n], account: holder },
        ],
        [
          "FiatToken: mint to the zero address",
          { functionName: "mint", args: ["0x0000000000000000000000000000000000000000", 1n], account: holder },
        ],
        ["FiatToken: mint amount not greater than 0", { functionName: "mint", args: [other, 0n], account: holder }],
        ["FiatToken: burn amount not greater than 0", { functionName: "burn", args: [0n], account: holder }],
        ["FiatToken: burn amount exceeds balance", { functionName: "burn", args: [501n], account: holder }],
        ["FiatToken: caller is not a minter", { functionName: "burn", args: [1n], account: other }],
        ["Blacklistable: caller is not the blacklister", { functionName: "blacklist", args: [other], account: holder }],
        [
          "Blacklistable: caller is not the blacklister",
          { functionName: "unBlacklist", args: [other], account: holder },
        ],
        ["Pausable: caller is not the pauser", { functionName: "pause", args: [], account: holder }],
        ["Pausable: caller is not the pauser", { functionName: "unpause", args: [], account: holder }],
        ["ERC20: transfer amount exceeds balance", { functionName: "transfer", args: [other, 501n], account: holder }],
        [
          "ERC20: transfer to the zero address",
          { functionName: "transfer", args: ["0x0000000000000000000000000000000000000000", 1n], account: holder },
        ],
        [
          "ERC20: transfer amount exceeds allowance",
          { functionName: "transferFrom", args: [holder, other, 1n], account: other },
        ],
        [
          "ERC20: approve to the zero address",
          { functionName: "approve", args: ["0x0000000000000000000000000000000000000000", 1n], account: holder },
        ],
      ];
      for (const [reason, call] of cases) {
        expect(await revertReason(simulate(call)), `${call.functionName} by ${call.account}`).to.equal(reason);
      }
    });

    it("refuses transfers, approvals and mints from or to a blacklisted account until it is unblacklisted", async function () {
      await send({ functionName: "configureMinter", args: [holder, 1_000n], account: masterMinter });
      await send({ functionName: "mint", args: [holder, 500n], account: holder });
      await send({ functionName: "blacklist", args: [other], account: REHEARSAL_ROLES.usdcBlacklister });
      const blocked = "Blacklistable: account is blacklisted";
      expect(await revertReason(simulate({ functionName: "transfer", args: [other, 1n], account: holder }))).to.equal(
        blocked,
      );
      expect(await revertReason(simulate({ functionName: "approve", args: [other, 1n], account: holder }))).to.equal(
        blocked,
      );
      expect(await revertReason(simulate({ functionName: "mint", args: [other, 1n], account: holder }))).to.equal(
        blocked,
      );
      expect(
        await revertReason(simulate({ functionName: "transferFrom", args: [holder, holder, 0n], account: other })),
      ).to.equal(blocked);
      await send({ functionName: "unBlacklist", args: [other], account: REHEARSAL_ROLES.usdcBlacklister });
      await send({ functionName: "transfer", args: [other, 1n], account: holder });
      expect(await balance(other)).to.equal(1n);
    });

    it("refuses transfers, approvals, mints and minter configuration while paused", async function () {
      await send({ functionName: "configureMinter", args: [holder, 1_000n], account: masterMinter });
      await send({ functionName: "mint", args: [holder, 500n], account: holder });
      await send({ functionName: "pause", args: [], account: REHEARSAL_ROLES.usdcPauser });
      const paused = "Pausable: paused";
      for (const call of [
        { functionName: "transfer", args: [other, 1n], account: holder },
        { functionName: "approve", args: [other, 1n], account: holder },
        { functionName: "mint", args: [other, 1n], account: holder },
        { functionName: "burn", args: [1n], account: holder },
        { functionName: "configureMinter", args: [other, 1n], account: masterMinter },
      ] satisfies Call[]) {
        expect(await revertReason(simulate(call)), call.functionName).to.equal(paused);
      }
      await send({ functionName: "unpause", args: [], account: REHEARSAL_ROLES.usdcPauser });
      await send({ functionName: "transfer", args: [other, 1n], account: holder });
      expect(await balance(other)).to.equal(1n);
    });
  });
});
