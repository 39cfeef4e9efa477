/** Scenarios about getting a hedge filled: a thin pool, a sandwich attacker, and a gas spike. */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseUnits } from "ethers";
import { parseGwei } from "viem";
import type { CycleReport } from "../../../keeper/keeper.js";
import { numberToPriceE8, priceE8ToSqrtPriceX96, WAD, wadToNumber } from "../../../keeper/units.js";
import { fundUsdc, fundWeth, POOL_FEE } from "../market/market.js";
import type { World } from "../market/world.js";
import { hedgesBetween } from "./ledger.js";
import {
  BLOCK_TIME_SEC,
  describeOutcome,
  directRebalanceRevert,
  failedHedges,
  fmt,
  jumpTo,
  reducingSide,
  succeeded,
} from "./steps.js";
import type { Scenario, ScenarioContext, ScenarioKeeper } from "./types.js";

/** Share of the replica's liquidity thin-liquidity withdraws. */
const WITHDRAWN_PERCENT = 88n;

/** Runs the keeper until it holds, with arbitrageurs bringing the pool back to the feed between its legs. */
async function hedgeWithArbitrage(ctx: ScenarioContext, keeper: ScenarioKeeper, maxCycles: number) {
  const reports: CycleReport[] = [];
  for (let i = 0; i < maxCycles; i++) {
    const report = await keeper.cycle();
    reports.push(report);
    if (report.decision.kind !== "hedge" || report.outcome?.kind !== "succeeded") break;
    await ctx.chain.elapse(BLOCK_TIME_SEC);
    await ctx.world.driver.movePool(await ctx.probe.oraclePriceUsd());
  }
  return reports;
}

export const thinLiquidity: Scenario = {
  name: "thin-liquidity",
  summary:
    "most of the pool's liquidity withdrawn → the keeper splits the hedge into legs or holds; no fill beyond the slippage bound",
  needs: ["own-liquidity"],
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const from = (await chain.blockNumber()) + 1;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const band = await probe.bandEth();

    const { positionManager } = world.market;
    const { deployer } = world.actors;
    const tokenId: bigint = await positionManager.getFunction("tokenOfOwnerByIndex")(deployer.address, 0);
    const liquidity = (await positionManager.getFunction("positions")(tokenId))[7] as bigint;
    const withdrawn = (liquidity * WITHDRAWN_PERCENT) / 100n;
    await (
      await positionManager.connect(deployer).getFunction("decreaseLiquidity")({
        tokenId,
        liquidity: withdrawn,
        amount0Min: 0n,
        amount1Min: 0n,
        deadline: BigInt((await chain.timestamp()) + 600),
      })
    ).wait();
    ctx.note(`withdrew ${WITHDRAWN_PERCENT}% of the pool's liquidity (position ${tokenId})`);

    await jumpTo(ctx, await probe.priceForNetDelta((await probe.netDeltaEth()) + 3 * band));
    const delta = await probe.netDeltaEth();
    const oneShot = await directRebalanceRevert(world, world.actors.keeper, reducingSide(delta), Math.abs(delta));
    ctx.check(
      `hedging all ${fmt(Math.abs(delta))} ETH in one trade would breach the bound: the adapter refuses it`,
      oneShot === "InsufficientOutput" || oneShot === "Too little received",
      `${oneShot}`,
    );

    const reports = await hedgeWithArbitrage(ctx, keeper, 12);
    const first = reports[0]!;
    const legs = first.decision.kind === "hedge" ? first.decision.legsEth : [];
    ctx.check(
      "the keeper splits the hedge into legs sized to the pool's depth, or holds",
      first.decision.kind === "hold" || legs.length >= 2,
      first.decision.kind === "hedge"
        ? `${legs.length} legs of ${fmt(legs[0] ?? 0)} ETH (depth allows ${fmt(first.assessment.maxLegEthByDepth)} ETH per leg)`
        : describeOutcome(first),
    );
    const failures = failedHedges(reports);
    ctx.check("no leg is refused or reverts", failures.length === 0, failures.map(describeOutcome).join("; "));
    const bound = world.params.maxSlippageBps;
    const hedges = await hedgesBetween(world, from);
    const worst = Math.max(0, ...hedges.map((h) => h.adverseBps));
    ctx.check(
      "no fill is worse than the slippage bound",
      worst <= bound,
      `worst ${fmt(worst, 1)} bps over ${hedges.length} fills, bound ${bound}`,
    );
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check(
      "the legs bring |net delta| back inside the band",
      first.decision.kind === "hold" || after <= band,
      `${fmt(after)} ETH after ${succeeded(reports).length} legs, band ${fmt(band)}`,
    );
  },
};

export interface Attacker {
  signer: HardhatEthersSigner;
  /** its WETH and USDC valued at `priceUsd`, USD */
  valueUsd(priceUsd: number): Promise<number>;
}

export async function fundAttacker(world: World): Promise<Attacker> {
  const signer = (await world.ethers.getSigners())[8]!;
  const { market } = world;
  const router = await market.router.getAddress();
  await world.ethers.provider.send("hardhat_setBalance", [signer.address, "0x" + (20_000n * WAD).toString(16)]);
  await fundWeth(market, signer, 10_000n * WAD);
  await fundUsdc(market, signer.address, parseUnits("50000000", 6));
  await (await market.weth.connect(signer).getFunction("approve")(router, MaxUint256)).wait();
  await (await market.usdc.connect(signer).getFunction("approve")(router, MaxUint256)).wait();
  return {
    signer,
    async valueUsd(priceUsd) {
      const weth = (await market.weth.getFunction("balanceOf")(signer.address)) as bigint;
      const usdc = (await market.usdc.getFunction("balanceOf")(signer.address)) as bigint;
      return wadToNumber(weth) * priceUsd + Number(usdc) / 1e6;
    },
  };
}

/**
 * Once the keeper's hedge is in the mempool, the attacker sends a front-run that pushes the pool `pushBps` in the
 * hedge's direction (a higher tip, so it is mined first) and a back-run that sells what it bought (no tip, so it comes
 * after the hedge), and (unless `mine` is false: the caller mines) the block is mined: front-run, hedge, back-run.
 */
export function sandwichAttack(
  world: World,
  attacker: Attacker,
  side: "buyWeth" | "sellWeth",
  pushBps: number,
  { mine = true } = {},
) {
  const { market } = world;
  const router = market.router.connect(attacker.signer);
  return async () => {
    const buy = side === "buyWeth";
    const pool = await world.driver.poolPriceUsd();
    const target = pool * (1 + ((buy ? 1 : -1) * pushBps) / 10_000);
    const [tokenIn, tokenOut] = buy ? [market.book.usdc, market.book.weth] : [market.book.weth, market.book.usdc];
    const balance = (await (buy ? market.usdc : market.weth).getFunction("balanceOf")(
      attacker.signer.address,
    )) as bigint;
    const deadline = BigInt((await world.ethers.provider.getBlock("latest"))!.timestamp + 600);
    const front = {
      tokenIn,
      tokenOut,
      fee: POOL_FEE,
      recipient: attacker.signer.address,
      deadline,
      amountIn: balance,
      amountOutMinimum: 0n,
      sqrtPriceLimitX96: priceE8ToSqrtPriceX96(numberToPriceE8(target), market.wethIsToken0),
    };
    const bought = (await router.getFunction("exactInputSingle").staticCall(front)) as bigint;
    const back = { ...front, tokenIn: tokenOut, tokenOut: tokenIn, amountIn: bought, sqrtPriceLimitX96: 0n };
    const fees = (tipGwei: string) => ({
      gasLimit: 600_000n,
      maxPriorityFeePerGas: parseGwei(tipGwei),
      maxFeePerGas: parseGwei("500"),
    });
    await router.getFunction("exactInputSingle")(front, fees("50"));
    await router.getFunction("exactInputSingle")(back, fees("0"));
    if (mine) await world.ethers.provider.send("evm_mine", []);
  };
}

/** Who sent each transaction of the block the keeper's hedge landed in ("attacker", "keeper" or the address). */
export async function sandwichOrder(world: World, report: CycleReport, attacker: string): Promise<string[]> {
  const outcome = report.outcome;
  if (outcome === null || (outcome.kind !== "succeeded" && outcome.kind !== "reverted")) return [];
  const { provider } = world.ethers;
  const block = await provider.getBlock(Number(outcome.blockNumber));
  const senders = await Promise.all(
    (block?.transactions ?? []).map(async (hash) => (await provider.getTransaction(hash))?.from ?? "unknown"),
  );
  return senders.map((from, i) =>
    from === attacker ? "attacker" : block!.transactions[i] === outcome.txHash ? "keeper" : from,
  );
}

export const sandwich: Scenario = {
  name: "sandwich",
  summary:
    "an attacker trades before and after the keeper's hedge in its block → the hedge fills within the bound or reverts; attacker profit ≤ bound",
  async run(ctx) {
    const { world, probe, chain } = ctx;
    let attack: (() => Promise<void>) | null = null;
    const keeper = await ctx.startKeeper({
      faultHook: async (point) => {
        if (point !== "after-send" || attack === null) return;
        const strike = attack;
        attack = null;
        await strike();
      },
    });
    await ctx.settle(keeper);
    const band = await probe.bandEth();
    const bound = world.params.maxSlippageBps;
    const attacker = await fundAttacker(world);
    await jumpTo(ctx, await probe.priceForNetDelta((await probe.netDeltaEth()) + 3 * band));
    const side = reducingSide(await probe.netDeltaEth());

    for (const pushBps of [150, 20]) {
      const oracle = await probe.oraclePriceUsd();
      const before = await attacker.valueUsd(oracle);
      const from = (await chain.blockNumber()) + 1;
      attack = sandwichAttack(world, attacker, side, pushBps);
      await chain.setAutomine(false);
      let report: CycleReport;
      try {
        report = await keeper.cycle();
      } finally {
        await chain.setAutomine(true);
      }
      const profitUsd = (await attacker.valueUsd(oracle)) - before;
      const notionalUsd = (report.decision.kind === "hedge" ? report.decision.legsEth[0]! : 0) * oracle;
      const hedges = await hedgesBetween(world, from);
      const label = `front-run pushing ${pushBps} bps`;
      const order = await sandwichOrder(world, report, attacker.signer.address);
      ctx.check(
        `${label}: one block ran the attacker's front-run, the keeper's hedge, the attacker's back-run, in that order`,
        attack === null && order.join(",") === "attacker,keeper,attacker",
        `${describeOutcome(report)}; block: ${order.join(", ") || "no hedge sent"}`,
      );
      const filledWithin = hedges.length === 1 && hedges[0]!.adverseBps <= bound && hedges[0]!.txIndex === 1;
      ctx.check(
        `${label}: the hedge fills within the bound between the attacker's trades, or reverts`,
        report.outcome?.kind === "reverted" ? hedges.length === 0 : filledWithin,
        report.outcome?.kind === "reverted"
          ? `reverted: ${report.outcome.error}`
          : `${hedges.length} fill(s), ${hedges.map((h) => `${fmt(h.adverseBps, 1)} bps at index ${h.txIndex}`).join(", ")}`,
      );
      ctx.check(
        `${label}: the attacker's profit is bounded by the slippage parameter`,
        profitUsd <= (bound / 10_000) * notionalUsd,
        `profit ${fmt(profitUsd)} USD on a ${fmt(notionalUsd)} USD hedge (bound ${bound} bps = ${fmt((bound / 10_000) * notionalUsd)} USD)`,
      );
      ctx.note(`${label}: keeper ${report.outcome?.kind ?? "none"}, attacker P&L ${fmt(profitUsd)} USD`);
      await world.driver.movePool(oracle);
    }
    await ctx.settle(keeper);
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check(
      "after the attacks the keeper hedges back inside the band",
      after <= band,
      `${fmt(after)} ETH, band ${fmt(band)}`,
    );
  },
};

const DAY = 86_400;
const NORMAL_BASE_FEE_GWEI = 20;
const SPIKE = 50;

export const gasSpike: Scenario = {
  name: "gas-spike",
  summary:
    "base fee ×50 → inside the DAO's band nothing trades (the adapter refuses), outside it the hedge goes through",
  // What is under test is the gas price, not the seed's book: a block of at-the-money short calls gives every book the
  // gamma to reach both exposures as the price rises (buys: the vault's USDC pays, whatever WETH the book left it).
  world: {
    extraSeries: (spotUsd, nowSec) => [
      { strikeUsd: Math.round(spotUsd / 50) * 50, expirySec: nowSec + 91 * DAY, isCall: true, vol: 0.65, sizeEth: -40 },
    ],
  },
  async run(ctx) {
    const { probe, chain } = ctx;
    const keeper = await ctx.startKeeper({
      env: { HK_POLICY: "cost-aware", HK_RISK_AVERSION_PER_USD: "0.01", HK_MAX_FEE_GWEI: "5000" },
    });
    await chain.mineWithBaseFee(NORMAL_BASE_FEE_GWEI);
    await ctx.settle(keeper);
    const band = await probe.bandEth();
    // Short exposures (the price rises into the short calls): the hedges buy WETH with the vault's ample USDC.
    const exposure = async (bandMultiple: number, baseFeeGwei: number) => {
      await jumpTo(ctx, await probe.priceForNetDelta(-bandMultiple * band));
      await chain.mineWithBaseFee(baseFeeGwei);
      return keeper.cycle();
    };
    const spikeGwei = NORMAL_BASE_FEE_GWEI * SPIKE;
    // Inside the DAO's band the gamma-scaled trigger (λ 0.01) would fire, but the adapter accepts hedges only outside
    // the band, so the keeper holds whatever gas costs; outside it nothing defers (HK_MAX_DEFERRAL_BAND_MULTIPLE 1).
    const normal = await exposure(0.8, NORMAL_BASE_FEE_GWEI);
    ctx.check(
      `at a ${NORMAL_BASE_FEE_GWEI} gwei base fee a 0.8 × band exposure is held: the adapter refuses hedges inside the band`,
      normal.decision.kind === "hold" && normal.outcome === null,
      `${describeOutcome(normal)}: ${normal.decision.kind === "hold" ? normal.decision.detail : ""}`,
    );
    const small = await exposure(0.8, spikeGwei);
    ctx.check(
      `at ${spikeGwei} gwei (×${SPIKE}) the same exposure is deferred: cost exceeds benefit`,
      small.decision.kind === "hold" && small.decision.reason === "cost-exceeds-benefit",
      `${describeOutcome(small)}: ${small.decision.kind === "hold" ? small.decision.detail : ""}`,
    );
    ctx.check(
      "the deferral comes from the gas price the keeper read",
      small.assessment.cost.gasCostUsd >= (SPIKE / 2) * normal.assessment.cost.gasCostUsd,
      `gas per hedge ${fmt(normal.assessment.cost.gasCostUsd)} → ${fmt(small.assessment.cost.gasCostUsd)} USD`,
    );
    const large = await exposure(1.3, spikeGwei);
    ctx.check(
      "a 1.3 × band exposure is hedged even at the spike (outside the band nothing defers)",
      large.outcome?.kind === "succeeded",
      describeOutcome(large),
    );
    if (large.outcome?.kind === "succeeded") {
      const paidGwei = Number(large.outcome.effectiveGasPrice) / 1e9;
      ctx.check("that hedge paid the spiked fee", paidGwei >= spikeGwei / 2, `${fmt(paidGwei, 0)} gwei`);
    }
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| back inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
  },
};
