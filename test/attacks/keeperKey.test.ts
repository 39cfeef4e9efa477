import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { AbiCoder, parseUnits, type ContractTransactionResponse } from "ethers";
import { numberToPriceE8, priceE8ToSqrtPriceX96, sqrtPriceX96ToPriceUsd, wadToNumber } from "../../keeper/units.js";
import { fundUsdc, fundWeth, POOL_FEE, setFeedPrice, setUsdcPrice } from "../../scripts/lib/market/market.js";
import { createMarketDriver } from "../../scripts/lib/market/marketDriver.js";
import { createHedgeEnv, DAY, ETH, type FixtureOptions, type HedgeEnv } from "../fixtures.js";
import { describeAttacks, recordAttack, refused } from "./harness.js";

const GAS_LIMIT = 1_500_000n;

interface Request {
  buyWeth: boolean;
  amountIn: bigint;
  minAmountOut: bigint;
  deadline: bigint;
  expectedNonce: bigint;
}

async function oracleUsd(env: HedgeEnv): Promise<number> {
  const [, answer] = (await env.market.feed.getFunction("latestRoundData")()) as [bigint, bigint];
  return Number(answer) / 1e8;
}

/** A request for `wethEth` of WETH on `side` at the oracle price, with no keeper-side bound of its own. */
async function request(env: HedgeEnv, buyWeth: boolean, wethEth: number): Promise<Request> {
  const price = await oracleUsd(env);
  return {
    buyWeth,
    amountIn: buyWeth ? BigInt(Math.floor(wethEth * price * 1e6)) : ETH(wethEth),
    minAmountOut: 0n,
    deadline: BigInt((await env.helpers.time.latest()) + 600),
    expectedNonce: await env.adapter.hedgeNonce(),
  };
}

/** A fill's shortfall against `referenceUsd` (oracle or market) per ETH, USD; a better fill counts as 0. */
function lossUsd(req: Request, amountOut: bigint, referenceUsd: number): number {
  const [inUsd, outUsd] = req.buyWeth
    ? [Number(req.amountIn) / 1e6, wadToNumber(amountOut) * referenceUsd]
    : [wadToNumber(req.amountIn) * referenceUsd, Number(amountOut) / 1e6];
  return Math.max(0, inUsd - outUsd);
}

function notionalUsd(req: Request, priceUsd: number): number {
  return req.buyWeth ? Number(req.amountIn) / 1e6 : wadToNumber(req.amountIn) * priceUsd;
}

/** The attacker's capital: WETH and USDC approved to the router. */
async function fundAttacker(env: HedgeEnv, attacker: HardhatEthersSigner): Promise<void> {
  const router = await env.market.router.getAddress();
  await env.ethers.provider.send("hardhat_setBalance", [attacker.address, "0x" + (ETH(20_000) * 2n).toString(16)]);
  await fundWeth(env.market, attacker, ETH(10_000));
  await fundUsdc(env.market, attacker.address, 50_000_000n * 10n ** 6n);
  await (await env.market.weth.connect(attacker).getFunction("approve")(router, ETH(10_000_000))).wait();
  await (await env.market.usdc.connect(attacker).getFunction("approve")(router, 10n ** 30n)).wait();
}

/**
 * Front-run, the stolen key's hedge, back-run, in one block: the front-run pushes the pool `pushBps` against the
 * hedge (it buys what the hedge buys), the back-run unwinds it. Returns the hedge's amount out, or null when it reverted.
 */
async function sandwiched(
  env: HedgeEnv,
  attacker: HardhatEthersSigner,
  keeper: HardhatEthersSigner,
  req: Request,
  pushBps: number,
): Promise<bigint | null> {
  const { market } = env;
  const router = market.router.connect(attacker);
  const slot0 = await market.pool.getFunction("slot0")();
  const poolUsd = sqrtPriceX96ToPriceUsd(slot0[0] as bigint, market.wethIsToken0);
  const target = poolUsd * (1 + ((req.buyWeth ? 1 : -1) * pushBps) / 10_000);
  const [tokenIn, tokenOut] = req.buyWeth ? [market.book.usdc, market.book.weth] : [market.book.weth, market.book.usdc];
  const deadline = req.deadline;
  const front = {
    tokenIn,
    tokenOut,
    fee: POOL_FEE,
    recipient: attacker.address,
    deadline,
    amountIn: req.buyWeth ? 40_000_000n * 10n ** 6n : ETH(9_000),
    amountOutMinimum: 0n,
    sqrtPriceLimitX96: priceE8ToSqrtPriceX96(numberToPriceE8(target), market.wethIsToken0),
  };
  const bought = (await router.getFunction("exactInputSingle").staticCall(front)) as bigint;
  const back = { ...front, tokenIn: tokenOut, tokenOut: tokenIn, amountIn: bought, sqrtPriceLimitX96: 0n };
  const fees = (tipGwei: string) => ({
    gasLimit: GAS_LIMIT,
    maxPriorityFeePerGas: parseUnits(tipGwei, "gwei"),
    maxFeePerGas: parseUnits("500", "gwei"),
  });
  const vaultToken = req.buyWeth ? market.weth : market.usdc;
  const vault = await env.vault.getAddress();
  const before = (await vaultToken.getFunction("balanceOf")(vault)) as bigint;
  await env.ethers.provider.send("evm_setAutomine", [false]);
  let hedge: ContractTransactionResponse;
  try {
    await router.getFunction("exactInputSingle")(front, fees("50"));
    hedge = await env.adapter.connect(keeper).rebalance(req, fees("20"));
    await router.getFunction("exactInputSingle")(back, fees("0"));
    await env.helpers.mine(1);
  } finally {
    await env.ethers.provider.send("evm_setAutomine", [true]);
  }
  const receipt = await env.ethers.provider.getTransactionReceipt(hedge.hash);
  if (receipt!.status !== 1) return null;
  return ((await vaultToken.getFunction("balanceOf")(vault)) as bigint) - before;
}

describeAttacks("Attacks by a stolen keeper key (the adapter's on-chain bounds)", function () {
  this.timeout(600_000);

  async function env(options: FixtureOptions = {}) {
    const { load } = await createHedgeEnv(options);
    return load();
  }

  it("trades while |delta| is inside the band: every size and side is refused (InsideBand)", async function () {
    const e = await env();
    const { keeper } = e.actors;
    // Hedge the vault honestly to ~0 first (short 20 ATM calls: ≈ -10.9 ETH).
    const delta = wadToNumber(await e.vault.netDeltaWad());
    await (await e.adapter.connect(keeper).rebalance(await request(e, true, -delta))).wait();
    await e.helpers.time.increase(e.params.cooldownSec + 1);
    const sizes = [0.05, 0.5, 2, 4.9, 20];
    let blocked = 0;
    for (const size of sizes) {
      for (const buy of [true, false]) {
        if (await refused(async () => e.adapter.connect(keeper).rebalance.staticCall(await request(e, buy, size)))) {
          blocked++;
        }
      }
    }
    expect(blocked).to.equal(sizes.length * 2);
    recordAttack({
      attack: "trade while inside the band",
      role: "keeper key",
      trials: sizes.length * 2,
      blocked,
      lostUsd: 0,
      boundUsd: 0,
      rule: "InsideBand: |Δ| must exceed the band",
    });
  });

  it("hops across zero (−Δ → +Δ): refused beyond the overshoot tolerance (Overshoot)", async function () {
    const e = await env();
    const absDelta = -wadToNumber(await e.vault.netDeltaWad()); // ≈ 10.9 ETH short
    const tolerance = Math.min(wadToNumber(e.params.overshootToleranceWad), wadToNumber(e.params.deltaBandWad) / 2);
    const tries = [2 * absDelta, absDelta + 4.9, absDelta + tolerance + 0.5];
    let blocked = 0;
    for (const size of tries) {
      const req = await request(e, true, size);
      // A buy at the oracle lands short of its size by the fee; the staticCall shows the verdict without mining.
      if (await refused(() => e.adapter.connect(e.actors.keeper).rebalance.staticCall(req))) blocked++;
    }
    expect(blocked).to.equal(tries.length);
    recordAttack({
      attack: "hop across zero (−Δ → +Δ)",
      role: "keeper key",
      trials: tries.length,
      blocked,
      lostUsd: 0,
      boundUsd: 0,
      rule: `Overshoot: past zero by ≤ min(tolerance, band/2) = ${tolerance} ETH`,
    });
  });

  it("rogue keeper: a $1 hedge is refused; a minimum-size one does not hold the honest hedge back", async function () {
    const e = await env();
    const { keeper, keeper2: rogue } = e.actors;
    const dollar = { ...(await request(e, true, 1 / 3000)) };
    const dollarRefused = await refused(() => e.adapter.connect(rogue).rebalance.staticCall(dollar));
    const honest = await request(e, true, 5);
    const minTradeEth = wadToNumber(e.params.minTradeWethWad) * 1.001;
    const griefReq = await request(e, true, minTradeEth);
    const price = await oracleUsd(e);
    await (await e.adapter.connect(rogue).rebalance(griefReq)).wait();
    const griefLoss = lossUsd(
      griefReq,
      (await e.adapter.queryFilter(e.adapter.filters.Hedged()))[0]!.args.amountOut,
      price,
    );
    // The honest request was built on the old nonce: refused; rebuilt on the next block it goes through (the rogue's
    // hedge left the vault outside the band, so no cooldown started).
    const stale = await refused(() => e.adapter.connect(keeper).rebalance.staticCall(honest));
    await (await e.adapter.connect(keeper).rebalance(await request(e, true, 5))).wait();
    expect(dollarRefused).to.equal(true);
    expect(stale).to.equal(true);
    expect(await e.adapter.hedgeNonce()).to.equal(2n);
    recordAttack({
      attack: "rogue keeper grief ($1 hedge, then a minimum one)",
      role: "keeper key",
      trials: 2,
      blocked: 1,
      lostUsd: griefLoss,
      boundUsd: notionalUsd(griefReq, price) * (Number(e.params.maxSlippageBps) / 10_000),
      rule: "TradeTooSmall; no cooldown while outside the band",
    });
  });

  it("self-sandwich in the hedge's block: fills within the slippage bound of the oracle or revert", async function () {
    const pushes = [20, 45, 80, 150, 400];
    let blocked = 0;
    let lost = 0;
    let bound = 0;
    for (const push of pushes) {
      const e = await env();
      const attacker = e.actors.trader;
      await fundAttacker(e, attacker);
      const price = await oracleUsd(e);
      const req = await request(e, true, 8);
      const out = await sandwiched(e, attacker, e.actors.keeper, req, push);
      bound += notionalUsd(req, price) * (Number(e.params.maxSlippageBps) / 10_000);
      if (out === null) blocked++;
      else lost += lossUsd(req, out, price);
    }
    expect(blocked).to.be.greaterThan(0);
    expect(lost).to.be.at.most(bound);
    recordAttack({
      attack: "self-sandwich to the bound",
      role: "keeper key",
      trials: pushes.length,
      blocked,
      lostUsd: lost,
      boundUsd: bound,
      rule: "fill ≥ oracle and block-start price − maxSlippageBps",
    });
  });

  it("oracle lags the market inside the deviation gate: a same-block self-sandwich cannot fill below the market", async function () {
    // Vault long ≈ +19 ETH: 30 WETH against 20 short calls; the hedge sells WETH.
    const e = await env({ vaultWeth: 30 });
    const attacker = e.actors.trader;
    await fundAttacker(e, attacker);
    const driver = await createMarketDriver(e.ethers, e.market, e.actors.stranger);
    const marketUsd = 3080; // 2.7% above the feed's 3000: inside the 3% TWAP-vs-oracle gate
    await driver.movePool(marketUsd);
    await e.helpers.time.increase(Number(e.params.twapWindowSec) * 2);
    await setFeedPrice(e.market, 3000); // fresh, but lagging
    const pushes = [100, 250, 280];
    let blocked = 0;
    let lostVsMarket = 0;
    let bound = 0;
    const snapshot = await e.helpers.takeSnapshot();
    for (const push of pushes) {
      await snapshot.restore();
      const req = await request(e, false, 8);
      const out = await sandwiched(e, attacker, e.actors.keeper, req, push);
      bound += notionalUsd(req, marketUsd) * (Number(e.params.maxSlippageBps) / 10_000);
      if (out === null) blocked++;
      else lostVsMarket += lossUsd(req, out, marketUsd);
    }
    // The honest hedge at the market still goes through.
    await snapshot.restore();
    await (await e.adapter.connect(e.actors.keeper).rebalance(await request(e, false, 8))).wait();
    expect(lostVsMarket).to.be.at.most(bound);
    recordAttack({
      attack: "oracle lag + self-sandwich (market 2.7% over the feed)",
      role: "keeper key",
      trials: pushes.length,
      blocked,
      lostUsd: lostVsMarket,
      boundUsd: bound,
      rule: "block-start price bound (a front-run cannot move it)",
    });
  });

  it("forged performUpkeep data: the amount and side are re-derived on-chain", async function () {
    const e = await env();
    const { keeper } = e.actors;
    const [due, performData] = await e.adapter.checkUpkeep("0x");
    expect(due).to.equal(true);
    const coder = AbiCoder.defaultAbiCoder();
    const type = ["tuple(bool,uint256,uint256,uint256,uint64)"];
    const [decoded] = coder.decode(type, performData) as unknown as [[boolean, bigint, bigint, bigint, bigint]];
    const forged = coder.encode(type, [[!decoded[0], decoded[1] * 10n, 0n, decoded[3] + BigInt(DAY), decoded[4]]]);
    const price = await oracleUsd(e);
    const tx = await e.adapter.connect(keeper).performUpkeep(forged, { gasLimit: GAS_LIMIT });
    const receipt = await tx.wait();
    const event = receipt!.logs.map((l) => e.adapter.interface.parseLog(l)).find((x) => x?.name === "Hedged")!;
    expect(event.args.buyWeth).to.equal(decoded[0]);
    // The check and the perform are a block apart: time decay moves the due amount by a hair, never to the forgery.
    const drift = Number(
      event.args.amountIn > decoded[1] ? event.args.amountIn - decoded[1] : decoded[1] - event.args.amountIn,
    );
    expect(drift <= Number(decoded[1]) * 1e-4, `executed ${event.args.amountIn} vs checked ${decoded[1]}`).to.equal(
      true,
    );
    const req: Request = {
      buyWeth: decoded[0],
      amountIn: event.args.amountIn,
      minAmountOut: 0n,
      deadline: 0n,
      expectedNonce: 0n,
    };
    recordAttack({
      attack: "forged performUpkeep data",
      role: "keeper key",
      trials: 1,
      blocked: 1,
      lostUsd: lossUsd(req, event.args.amountOut, price),
      boundUsd: notionalUsd(req, price) * (Number(e.params.maxSlippageBps) / 10_000),
      rule: "performUpkeep re-derives the trade; data is a nonce hint",
    });
  });

  it("USDC depegs or its feed goes stale: no hedge prices USDC at $1 (UsdcDepegged, OracleStale)", async function () {
    const e = await env();
    const req = await request(e, true, 5);
    await setUsdcPrice(e.market, 0.95);
    const depeg = await refused(() => e.adapter.connect(e.actors.keeper).rebalance.staticCall(req));
    await setUsdcPrice(e.market, 1);
    await e.helpers.time.increase(Number(e.params.maxUsdcOracleAgeSec) + 1);
    await (await e.market.feed.getFunction("updateAnswer")(3000n * 10n ** 8n)).wait(); // ETH/USD fresh, USDC stale
    const stale = await refused(async () =>
      e.adapter.connect(e.actors.keeper).rebalance.staticCall(await request(e, true, 5)),
    );
    expect([depeg, stale]).to.deep.equal([true, true]);
    recordAttack({
      attack: "USDC depeg / stale USDC feed",
      role: "outsider",
      trials: 2,
      blocked: 2,
      lostUsd: 0,
      boundUsd: 0,
      rule: "UsdcDepegged (maxUsdcDepegBps), OracleStale",
    });
  });

  it("churns at every chance for a simulated day: loss and turnover stay within 2 × their rolling budgets", async function () {
    const lossBudgetUsd = 2_000;
    const turnoverBudgetEth = 150;
    const e = await env({
      shortCallEth: 200,
      vaultUsdc: 20_000_000,
      vaultWeth: 120,
      params: { lossBudgetUsdWad: ETH(lossBudgetUsd), turnoverBudgetWethWad: ETH(turnoverBudgetEth) },
    });
    const attacker = e.actors.trader;
    await fundAttacker(e, attacker);
    const driver = await createMarketDriver(e.ethers, e.market, e.actors.stranger);
    const band = wadToNumber(e.params.deltaBandWad);
    const tolerance = Math.min(wadToNumber(e.params.overshootToleranceWad), band / 2);
    const maxTrade = wadToNumber(e.params.maxTradeWethWad);
    const start = await e.helpers.time.latest();
    const steps = 48; // every 30 minutes for a day
    let trials = 0;
    let blocked = 0;
    let lost = 0;
    let turnover = 0;
    for (let i = 0; i < steps; i++) {
      await driver.setPrice(3000 * (i % 2 === 0 ? 1.025 : 0.975));
      await e.helpers.time.increase(Number(e.params.twapWindowSec) + 12);
      await setFeedPrice(e.market, 3000 * (i % 2 === 0 ? 1.025 : 0.975));
      const delta = wadToNumber(await e.vault.netDeltaWad());
      if (Math.abs(delta) > band) {
        // The most the rules allow: to the far side of zero by the tolerance, capped at the largest trade.
        const size = Math.min(Math.abs(delta) + tolerance * 0.9, maxTrade);
        const req = await request(e, delta < 0, size);
        const price = await oracleUsd(e);
        trials++;
        // Pushed as far as still fills: the pool fee and the push together just inside the 50 bps bound.
        const out = await sandwiched(e, attacker, e.actors.keeper, req, 30);
        if (out === null) blocked++;
        else {
          lost += lossUsd(req, out, price);
          turnover += size;
        }
      }
      await e.helpers.time.increase(1800 - Number(e.params.twapWindowSec) - 12);
    }
    const elapsedDays = ((await e.helpers.time.latest()) - start) / DAY;
    const window = Number(e.params.budgetWindowSec) / DAY;
    const lossBound = lossBudgetUsd * (1 + elapsedDays / window);
    expect(trials).to.be.at.least(steps / 2);
    expect(lost).to.be.at.most(lossBound);
    expect(turnover).to.be.at.most(turnoverBudgetEth * (1 + elapsedDays / window) + 1e-9);
    expect(blocked).to.be.greaterThan(0); // the budgets did bind
    recordAttack({
      attack: `churn every 30 min for ${elapsedDays.toFixed(2)} days (turnover ${turnover.toFixed(0)} ETH)`,
      role: "keeper key",
      trials,
      blocked,
      lostUsd: lost,
      boundUsd: lossBound,
      rule: "rolling loss budget (recharges linearly over a day)",
    });
  });
});
