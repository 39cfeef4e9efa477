import { expect } from "chai";
import { MAINNET_FORK_BLOCK } from "../../keeper/chain/addressBook.js";
import { forkBlockNumber, forkSettings, forkUnavailableReason } from "../../scripts/lib/scenarios/forkConfig.js";
import {
  forkProfile,
  formatResultLine,
  formatTable,
  openSession,
  SCENARIOS,
  type ScenarioResult,
  type ScenarioSession,
} from "../../scripts/lib/scenarios/index.js";
import { expectScenarioPassed } from "./outcomes.js";

describe("Fork settings (MAINNET_RPC_URL, MAINNET_FORK_BLOCK)", function () {
  it("is unavailable, saying why, without an RPC URL", function () {
    expect(forkUnavailableReason({})).to.equal("MAINNET_RPC_URL is not set");
    expect(forkUnavailableReason({ MAINNET_RPC_URL: "  " })).to.equal("MAINNET_RPC_URL is not set");
    expect(forkSettings({})).to.equal(null);
  });

  it("pins the address book's block unless MAINNET_FORK_BLOCK overrides it", function () {
    const url = "https://rpc.example";
    expect(forkSettings({ MAINNET_RPC_URL: url })).to.deep.equal({ url, blockNumber: MAINNET_FORK_BLOCK });
    expect(forkBlockNumber({ MAINNET_FORK_BLOCK: "19_500_000" })).to.equal(19_500_000);
  });

  it("rejects a block that is not a positive integer", function () {
    for (const raw of ["latest", "-1", "0", "1.5"]) {
      expect(() => forkBlockNumber({ MAINNET_FORK_BLOCK: raw }), raw).to.throw(RangeError, /MAINNET_FORK_BLOCK/);
    }
  });
});

/**
 * The same scenarios on a mainnet fork (hardhat.config.ts `mainnetFork`, pinned at MAINNET_FORK_BLOCK) when
 * MAINNET_RPC_URL is set. Without it every test is skipped and says why; none passes silently.
 */
const unavailable = forkProfile.unavailableReason();
const suffix = unavailable === null ? "" : ` (skipped: ${unavailable})`;

describe(`Scenarios on a mainnet fork${suffix}`, function () {
  let session: ScenarioSession | undefined;
  const results: ScenarioResult[] = [];
  before(async function () {
    if (unavailable !== null) {
      console.log(`      fork scenarios skipped: ${unavailable} (see docs/fork-testing.md)`);
      this.skip();
    }
    this.timeout(600_000); // forking fetches state over the network
    session = await openSession(forkProfile);
  });
  after(async function () {
    await session?.close();
    if (results.length > 0) console.log(formatTable(results, forkProfile.title).join("\n"));
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${scenario.summary}${suffix}`, async function () {
      if (session === undefined) this.skip();
      this.timeout(600_000);
      const result = await session!.run(scenario, { seed: 1 });
      results.push(result);
      console.log(`      ${formatResultLine(result)}`);
      if (result.status === "skip") {
        // A capability the fork lacks (e.g. withdrawing the canonical pool's liquidity): reported, never a pass.
        console.log(`      skipped on the fork: ${result.reason}`);
        this.skip();
      }
      expectScenarioPassed(result);
    });
  }
});
