/**
 * Private submission against a mempool-watching sandwicher, on a chain that mines on an interval (automine off).
 *
 * What it models: each block, in order, (1) a searcher reads the public mempool (the pending block) and sandwiches
 * any keeper hedge it finds: a front-run with a higher tip pushing the pool in the hedge's direction, and a back-run
 * with no tip; (2) a private relay (HK_SEND_RPC_URLS: Flashbots Protect, MEV Blocker) hands the block builder the raw
 * transactions it has held, which therefore never were in the public mempool; (3) the block is mined. The relay is a
 * viem transport in front of the same chain that answers eth_sendRawTransaction by holding the transaction and
 * forwards nothing else (the keeper never reads through it). The block producer runs on a timer, so the keeper's
 * send, receipt polling and the blocks interleave as on a live chain; the ordering within a block is what a builder
 * that honours the relay's privacy produces.
 */
import { custom, keccak256, type Hex, type Transaction } from "viem";
import type { CycleReport } from "../../../keeper/keeper.js";
import { fundAttacker, sandwichAttack, sandwichOrder, type Attacker } from "./executionScenarios.js";
import { hedgesBetween } from "./ledger.js";
import { BLOCK_TIME_SEC, describeOutcome, fmt, jumpTo, reducingSide } from "./steps.js";
import type { Scenario, ScenarioContext, ScenarioKeeper } from "./types.js";

/** wall-clock milliseconds between the producer's blocks */
const BLOCK_INTERVAL_MS = 150;
/** how far the searcher's front-run pushes the pool: a fill still inside the adapter's slippage bound */
const PUSH_BPS = 20;

interface PrivateRelay {
  transport: ReturnType<typeof custom>;
  /** submits the held transactions to the chain (for the next block); returns how many */
  release(): Promise<number>;
  /** every transaction the relay was sent */
  received: Hex[];
}

function createPrivateRelay(ctx: ScenarioContext): PrivateRelay {
  const held: Hex[] = [];
  const received: Hex[] = [];
  return {
    received,
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        if (method !== "eth_sendRawTransaction") throw new Error(`the relay serves only eth_sendRawTransaction`);
        const raw = (params as [Hex])[0];
        held.push(raw);
        received.push(raw);
        return keccak256(raw);
      },
    }),
    async release() {
      const batch = held.splice(0);
      for (const raw of batch) {
        await ctx.chain.request({ method: "eth_sendRawTransaction", params: [raw] } as never);
      }
      return batch.length;
    },
  };
}

/** The searcher: sandwiches each keeper hedge it sees in the public mempool, once. */
function createSandwicher(ctx: ScenarioContext, attacker: Attacker, adapter: string) {
  const seen = new Set<string>();
  let attacks = 0;
  return {
    attacks: () => attacks,
    async scan(side: "buyWeth" | "sellWeth") {
      const pending = (await ctx.chain.request({
        method: "eth_getBlockByNumber",
        params: ["pending", true],
      } as never)) as { transactions: Transaction[] } | null;
      for (const tx of pending?.transactions ?? []) {
        if (tx.to?.toLowerCase() !== adapter.toLowerCase() || seen.has(tx.hash)) continue;
        seen.add(tx.hash);
        attacks += 1;
        await sandwichAttack(ctx.world, attacker, side, PUSH_BPS, { mine: false })();
      }
    },
  };
}

/** Mines a block every BLOCK_INTERVAL_MS: searcher, then relay, then the block. */
function startBlockProducer(ctx: ScenarioContext, step: () => Promise<void>) {
  let running = true;
  let failure: unknown = null;
  const loop = (async () => {
    while (running) {
      try {
        await step();
        await ctx.chain.request({ method: "evm_mine", params: [] } as never);
      } catch (error) {
        failure = error;
        running = false;
      }
      await new Promise((resolve) => setTimeout(resolve, BLOCK_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (failure) throw failure;
    },
  };
}

async function hedgeOnIntervalChain(
  ctx: ScenarioContext,
  keeper: ScenarioKeeper,
  step: () => Promise<void>,
): Promise<CycleReport> {
  await ctx.chain.setAutomine(false);
  const producer = startBlockProducer(ctx, step);
  try {
    return await keeper.cycle();
  } finally {
    await producer.stop();
    await ctx.chain.setAutomine(true);
  }
}

export const privateSend: Scenario = {
  name: "private-send",
  summary:
    "interval mining, a mempool-watching sandwicher: a public hedge is sandwiched (loss ≤ bound); through HK_SEND_RPC_URLS it is not",
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const adapter = await world.stack.adapter.getAddress();
    const bound = world.params.maxSlippageBps;
    const attacker = await fundAttacker(world);
    const relay = createPrivateRelay(ctx);
    const paths = [
      // Opposite triggers, so each hedge spends a different collateral (the vault holds WETH for one sale, not two).
      {
        label: "public mempool",
        trigger: 3,
        keeper: await ctx.startKeeper({ env: { HK_RECEIPT_TIMEOUT_MS: "30000" } }),
      },
      {
        label: "private relay",
        trigger: -3,
        keeper: await ctx.startKeeper({
          signerIndex: 2,
          env: { HK_RECEIPT_TIMEOUT_MS: "30000", HK_SEND_FALLBACK: "never" },
          sendTransport: () => relay.transport,
        }),
      },
    ];
    await ctx.settle(paths[0]!.keeper);
    const band = await probe.bandEth();

    for (const { label, keeper, trigger } of paths) {
      await jumpTo(ctx, await probe.priceForNetDelta((await probe.netDeltaEth()) + trigger * band));
      const side = reducingSide(await probe.netDeltaEth());
      const sandwicher = createSandwicher(ctx, attacker, adapter);
      const oracle = await probe.oraclePriceUsd();
      const before = await attacker.valueUsd(oracle);
      const from = (await chain.blockNumber()) + 1;
      const report = await hedgeOnIntervalChain(ctx, keeper, async () => {
        await sandwicher.scan(side);
        await relay.release();
      });
      const profitUsd = (await attacker.valueUsd(oracle)) - before;
      const notionalUsd = (report.decision.kind === "hedge" ? report.decision.legsEth[0]! : 0) * oracle;
      const hedges = await hedgesBetween(world, from);
      const order = await sandwichOrder(world, report, attacker.signer.address);
      ctx.require(`${label}: the keeper hedged`, report.outcome?.kind === "succeeded", describeOutcome(report));
      if (label === "public mempool") {
        ctx.check(
          `${label}: the searcher saw the hedge and its block ran front-run, hedge, back-run`,
          sandwicher.attacks() === 1 && order.join(",") === "attacker,keeper,attacker",
          `${sandwicher.attacks()} attack(s); block: ${order.join(", ")}`,
        );
        ctx.check(
          `${label}: the sandwiched fill stays within the adapter's bound and the searcher's profit within bound × notional`,
          hedges.length === 1 && hedges[0]!.adverseBps <= bound && profitUsd <= (bound / 10_000) * notionalUsd,
          `fill ${fmt(hedges[0]?.adverseBps ?? NaN, 1)} bps (bound ${bound}), searcher P&L ${fmt(profitUsd)} USD on ${fmt(notionalUsd)} USD`,
        );
        // On the replica's shallow pool the sandwich pays; on a deep pool (the fork's) two pool fees can make it a
        // loss, which is still a sandwich: what the public path must show is the attack, asserted above.
        ctx.check(
          `${label}: the searcher profited${ctx.profile === "replica" ? "" : " (asserted on the replica's pool only)"}`,
          profitUsd > 0 || ctx.profile !== "replica",
          `${fmt(profitUsd)} USD`,
        );
      } else {
        ctx.check(
          `${label}: the relay carried the hedge and the searcher never saw it`,
          relay.received.length === 1 && sandwicher.attacks() === 0 && !order.includes("attacker"),
          `${relay.received.length} tx(s) through the relay, ${sandwicher.attacks()} attack(s); block: ${order.join(", ")}`,
        );
        ctx.check(
          `${label}: the searcher made nothing`,
          Math.abs(profitUsd) < 0.01,
          `searcher P&L ${fmt(profitUsd)} USD`,
        );
      }
      ctx.note(`${label}: ${describeOutcome(report)}, searcher P&L ${fmt(profitUsd)} USD`);
      await world.driver.movePool(oracle);
    }
    // The pool was just traded back to the feed: its TWAP needs a window to agree before the keeper may hedge.
    await chain.increaseTime(world.params.twapWindowSec + BLOCK_TIME_SEC);
    await ctx.settle(paths[1]!.keeper);
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("the private keeper hedges back inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
  },
};
