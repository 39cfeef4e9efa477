import { expect } from "chai";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, parseGwei } from "viem";
import { hedgeAdapterAbi } from "../../keeper/chain/abis.generated.js";
import type { Snapshot } from "../../keeper/chain/snapshot.js";
import {
  buildRebalanceRequest,
  bumpFees,
  classifyError,
  decodeRevertData,
  fairAmountOut,
  formatGuard,
  initialFees,
  MAX_CLOCK_LEAD_SEC,
} from "../../keeper/executor/index.js";
import { WAD } from "../../keeper/units.js";
import { snapshotFixture } from "./snapshotFixture.js";

const settings = { maxFeePerGasGwei: 100, maxPriorityFeePerGasGwei: 2, feeBumpPercent: 12.5 };

function snapshotAt(priceUsd: bigint, extra: Partial<Snapshot> = {}): Snapshot {
  return snapshotFixture(priceUsd, 1_700_000_000, { hedgeNonce: 7n, ...extra });
}

describe("executor.initialFees / bumpFees (EIP-1559)", function () {
  it("sets max fee = 2 × base fee + tip, capped at the ceiling", function () {
    expect(initialFees(parseGwei("10"), settings)).to.deep.equal({
      maxFeePerGas: parseGwei("22"),
      maxPriorityFeePerGas: parseGwei("2"),
    });
    expect(initialFees(parseGwei("60"), settings)!.maxFeePerGas).to.equal(parseGwei("100"));
  });

  it("returns null when base fee + tip exceeds the ceiling (the hedge is deferred, not sent to sit forever)", function () {
    expect(initialFees(parseGwei("99"), settings)).to.equal(null);
  });

  it("bumps both fees by at least 12.5% (rounded up), and stops at the ceiling", function () {
    const first = { maxFeePerGas: parseGwei("22"), maxPriorityFeePerGas: parseGwei("2") };
    const bumped = bumpFees(first, settings)!;
    expect(bumped.maxFeePerGas * 1000n).to.be.at.least(first.maxFeePerGas * 1125n);
    expect(bumped.maxPriorityFeePerGas * 1000n).to.be.at.least(first.maxPriorityFeePerGas * 1125n);
    expect(bumpFees({ maxFeePerGas: parseGwei("95"), maxPriorityFeePerGas: parseGwei("2") }, settings)).to.equal(null);
  });
});

describe("executor.buildRebalanceRequest", function () {
  it("prices a WETH buy at the oracle and bounds minAmountOut by the slippage, at the snapshot's nonce", function () {
    const request = buildRebalanceRequest({
      snapshot: snapshotAt(3000n),
      side: "buyWeth",
      legWad: 2n * WAD,
      slippageBps: 50,
      deadlineSec: 120,
      nowSec: 1_700_000_000,
    });
    expect(request.buyWeth).to.equal(true);
    expect(request.amountIn).to.equal(6000n * 10n ** 6n); // 2 ETH × $3000 in USDC (1e6)
    expect(request.minAmountOut).to.equal((2n * WAD * 9950n) / 10_000n);
    expect(request.deadline).to.equal(1_700_000_120n);
    expect(request.expectedNonce).to.equal(7n);
  });

  it("never uses a slippage looser than the on-chain maxSlippageBps", function () {
    const request = buildRebalanceRequest({
      snapshot: snapshotAt(3000n),
      side: "sellWeth",
      legWad: WAD,
      slippageBps: 400,
      deadlineSec: 60,
      nowSec: 1_700_000_000,
    });
    const fair = fairAmountOut(false, WAD, 3000n * WAD);
    expect(fair).to.equal(3000n * 10n ** 6n);
    expect(request.minAmountOut).to.equal((fair * 9950n) / 10_000n);
  });

  it("dates the deadline from the keeper's clock when the head lags it (an idle automine chain): not already expired", function () {
    const idleSec = 300; // the head was mined five minutes ago; the hedge lands in a block stamped now
    const request = buildRebalanceRequest({
      snapshot: snapshotAt(3000n),
      side: "buyWeth",
      legWad: WAD,
      slippageBps: 10,
      deadlineSec: 120,
      nowSec: 1_700_000_000 + idleSec,
    });
    expect(request.deadline).to.equal(BigInt(1_700_000_000 + idleSec + 120));
  });

  it("dates the deadline from the head when the keeper's clock is behind it (a chain whose clock was advanced)", function () {
    const request = buildRebalanceRequest({
      snapshot: snapshotAt(3000n),
      side: "buyWeth",
      legWad: WAD,
      slippageBps: 10,
      deadlineSec: 120,
      nowSec: 1_700_000_000 - 86_400,
    });
    expect(request.deadline).to.equal(1_700_000_120n);
  });

  it("ignores a clock more than MAX_CLOCK_LEAD_SEC ahead of the head (a fork at an old block), dating from the head", function () {
    const request = buildRebalanceRequest({
      snapshot: snapshotAt(3000n),
      side: "buyWeth",
      legWad: WAD,
      slippageBps: 10,
      deadlineSec: 120,
      nowSec: 1_700_000_000 + MAX_CLOCK_LEAD_SEC + 1,
    });
    expect(request.deadline).to.equal(1_700_000_120n);
  });

  it("refuses to price on a non-positive oracle answer", function () {
    const snapshot = snapshotAt(3000n);
    snapshot.oracle.priceWad = 0n;
    expect(() =>
      buildRebalanceRequest({
        snapshot,
        side: "buyWeth",
        legWad: WAD,
        slippageBps: 10,
        deadlineSec: 60,
        nowSec: 1_700_000_000,
      }),
    ).to.throw(/oracle price is not positive/);
  });
});

describe("executor.classifyError", function () {
  it("names an adapter guard revert with its arguments (fatal for this request)", function () {
    const data = encodeErrorResult({ abi: hedgeAdapterAbi, errorName: "CooldownActive", args: [1234n] });
    const error = new BaseError("call failed", {
      cause: new ContractFunctionRevertedError({ abi: hedgeAdapterAbi, data, functionName: "rebalance" }),
    });
    const classified = classifyError(error);
    expect(classified).to.include({ kind: "guard", name: "CooldownActive" });
    expect(formatGuard(classified as { name: string; args: readonly unknown[] })).to.equal("CooldownActive(1234)");
    expect(decodeRevertData(data)).to.deep.equal({ name: "CooldownActive", args: [1234n] });
  });

  it("treats timeouts, nonce races, underpriced replacements and transport failures as retryable", function () {
    expect(classifyError(new Error("The request timed out."))).to.include({ kind: "retryable", reason: "timeout" });
    expect(classifyError(new Error("nonce too low"))).to.include({ kind: "retryable", reason: "nonce" });
    expect(classifyError(new Error("replacement transaction underpriced"))).to.include({
      kind: "retryable",
      reason: "underpriced",
    });
    expect(classifyError(new Error("fetch failed: ECONNREFUSED"))).to.include({
      kind: "retryable",
      reason: "transport",
    });
    expect(classifyError(new Error("already known"))).to.include({ kind: "retryable", reason: "known" });
  });
});
