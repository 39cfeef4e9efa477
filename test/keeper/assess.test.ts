import { expect } from "chai";
import { expectClose } from "../approx.js";
import type { Snapshot } from "../../keeper/chain/snapshot.js";
import { assess, type AssessOptions } from "../../keeper/cycle/assess.js";
import { WAD } from "../../keeper/units.js";
import { snapshotFixture } from "./snapshotFixture.js";

const NOW = 1_800_000_000;
const OPTIONS: AssessOptions = {
  gasUnitsPerHedge: 260_000,
  priorityFeeGwei: 1,
  poolFee: 500,
  deltaToleranceEth: 0.01,
  minTradeWethWad: WAD / 1000n,
};

/**
 * A snapshot at $3,000 with no options: the net delta is the vault's WETH, so `wethEth` sets both the exposure and
 * what the vault can sell. A short-call series adds negative delta without touching balances.
 */
function snapshot(wethEth: number, usdc: number, shortCallsEth = 0): Snapshot {
  const base = snapshotFixture(3000n, NOW, { baseFeePerGas: 1_000_000_000n });
  return {
    ...base,
    oracle: { ...base.oracle, updatedAt: BigInt(NOW - 60) },
    collateral: { wethWad: BigInt(Math.round(wethEth * 1e6)) * 10n ** 12n, usdc6: BigInt(Math.round(usdc * 1e6)) },
    book:
      shortCallsEth === 0
        ? []
        : [
            {
              id: 1n,
              strikeWad: 100n * WAD, // deep in the money: delta ≈ 1 per option
              expiry: BigInt(NOW + 30 * 86_400),
              isCall: true,
              sizeWad: -BigInt(Math.round(shortCallsEth * 1e6)) * 10n ** 12n,
              volWad: (6n * WAD) / 10n,
            },
          ],
  };
}

describe("assess: collateral", () => {
  it("caps a sell leg at the vault's WETH", () => {
    const a = assess(snapshot(8, 0), OPTIONS);
    expectClose(a.netDeltaEth, 8, 1e-9);
    expectClose(a.maxLegEthByCollateral, 8, 1e-9);
    expectClose(a.maxLegEth, 8, 1e-9);
    expect(a.gates).to.deep.equal([]);
  });

  it("caps a buy leg at what the vault's USDC pays at the worst accepted price (oracle + max slippage)", () => {
    const a = assess(snapshot(0, 30_150, 20), OPTIONS);
    expectClose(a.netDeltaEth, -20, 1e-6);
    // 30,150 USDC at 3,000 × 1.005 = 3,015 USD/ETH buys 10 ETH.
    expectClose(a.maxLegEthByCollateral, 10, 1e-9);
    expect(a.gates).to.deep.equal([]);
  });

  it("gates with insufficient-collateral when the side a hedge needs is empty", () => {
    const a = assess(snapshot(0, 0, 20), OPTIONS);
    expect(a.gates.map((g) => g.reason)).to.deep.equal(["insufficient-collateral"]);
    expect(a.gates[0]!.detail).to.match(/needs WETH bought, the vault holds 0\.00 USDC/);
  });

  it("does not gate an empty side while the net delta is inside the band", () => {
    const a = assess(snapshot(0, 0, 3), OPTIONS);
    expectClose(a.netDeltaEth, -3, 1e-6);
    expect(a.maxLegEth).to.equal(0);
    expect(a.gates).to.deep.equal([]);
  });
});
