/** Scenarios about running the keeper: a crash and restart, two keepers racing, expiries, and a DAO decision. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { id as hashDescription } from "ethers";
import type { CycleReport } from "../../../keeper/keeper.js";
import { numberToWad, wadToNumber } from "../../../keeper/units.js";
import { PROPOSAL_STATES } from "../governance/governance.js";
import { actionsFromFlags, buildProposalCalls } from "../governance/proposalCalls.js";
import { settleExpired, vaultFeed } from "../market/settlement.js";
import { hedgesBetween } from "./ledger.js";
import { describeOutcome, fmt, jumpTo, reducingSide } from "./steps.js";
import type { Scenario, ScenarioKeeper } from "./types.js";

const HOUR = 3600;

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const keeperRestart: Scenario = {
  name: "keeper-restart",
  summary:
    "the keeper dies after sending (and, again, after journaling) → a restart on the same journal reconciles: exactly one hedge",
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const { adapter } = world.stack;
    const band = await probe.bandEth();
    const dir = mkdtempSync(join(tmpdir(), "hk-scenario-"));
    const journalPath = join(dir, "journal.db");
    try {
      for (const [round, point] of (["after-send", "after-journal"] as const).entries()) {
        let armed = true;
        const doomed = await ctx.startKeeper({
          journalPath,
          faultHook: (at) => {
            if (at !== point || !armed) return;
            armed = false;
            throw new Error(`keeper killed at ${point}`);
          },
        });
        await jumpTo(ctx, await probe.priceForNetDelta((round === 0 ? 2 : -2) * band));
        const from = (await chain.blockNumber()) + 1;
        const nonceBefore = await adapter.hedgeNonce();
        const died = await doomed.cycle().then(
          (report) => `survived: ${describeOutcome(report)}`,
          (error: unknown) => (error as Error).message,
        );
        ctx.require(`${point}: the keeper dies mid-hedge`, died === `keeper killed at ${point}`, died);
        await doomed.close();

        const restarted = await ctx.startKeeper({ journalPath });
        const reports: CycleReport[] = [];
        for (let i = 0; i < 3; i++) {
          reports.push(await restarted.cycle());
          await chain.mine();
        }
        const hedges = await hedgesBetween(world, from);
        const nonceAfter = await adapter.hedgeNonce();
        ctx.check(
          `${point}: exactly one hedge`,
          hedges.length === 1 && nonceAfter === nonceBefore + 1n,
          `${hedges.length} Hedged events, adapter nonce ${nonceBefore} → ${nonceAfter}`,
        );
        ctx.check(
          `${point}: after reconciling, the restarted keeper sends nothing more`,
          reports.every((r) => r.request === null),
          reports.map(describeOutcome).join("; "),
        );
        const counts = restarted.service.journal.countByStatus();
        ctx.check(
          `${point}: the journal closes the intent as succeeded, nothing left open`,
          counts.succeeded === round + 1 && counts.pending === 0 && counts.sent === 0,
          JSON.stringify(counts),
        );
        const after = Math.abs(await probe.netDeltaEth());
        ctx.check(`${point}: |net delta| inside the band`, after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
        await restarted.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const RACE_TRIGGERS = [2, -2, 2];

export const twoKeepers: Scenario = {
  name: "two-keepers",
  summary:
    "two keeper services with different keys race on each trigger, both send in one block → at most one hedge per trigger",
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const band = await probe.bandEth();
    let racing = false;
    let sent = 0;
    const faultHook = (point: string) => {
      if (racing && point === "after-send") sent += 1;
    };
    const keepers: ScenarioKeeper[] = [
      await ctx.startKeeper({ signerIndex: 1, faultHook }),
      await ctx.startKeeper({ signerIndex: 2, faultHook }),
    ];
    for (const [i, multiple] of RACE_TRIGGERS.entries()) {
      const current = await probe.netDeltaEth();
      await jumpTo(ctx, await probe.priceForNetDelta(current + multiple * band));
      const from = (await chain.blockNumber()) + 1;
      sent = 0;
      racing = true;
      await chain.setAutomine(false);
      const outcomes: (CycleReport | Error)[] = [];
      try {
        let finished = 0;
        const cycles = keepers.map((k) =>
          k
            .cycle()
            .then(
              (r) => r,
              (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
            )
            .finally(() => {
              finished += 1;
            }),
        );
        // Both keepers decide on the same block; mine once both sent (or one stood down without sending).
        await waitFor(() => sent + finished >= keepers.length, 30_000, "both keepers to send or stand down");
        await chain.mine();
        outcomes.push(...(await Promise.all(cycles)));
      } finally {
        racing = false;
        await chain.setAutomine(true);
      }
      const label = `trigger ${i + 1} (${multiple > 0 ? "+" : ""}${multiple} × band)`;
      const hedges = await hedgesBetween(world, from);
      const described = outcomes.map(
        (o, k) => `keeper ${k + 1}: ${o instanceof Error ? `error: ${o.message.split("\n")[0]}` : describeOutcome(o)}`,
      );
      ctx.check(`${label}: exactly one hedge`, hedges.length === 1, `${hedges.length} hedges; ${described.join("; ")}`);
      const losers = outcomes.filter((o) => !(o instanceof Error) && o.outcome?.kind !== "succeeded");
      const guarded = losers.every(
        (o) =>
          o instanceof Error ||
          o.outcome === null ||
          o.outcome.kind !== "reverted" ||
          /HedgeNonceMismatch|OneHedgePerBlock/.test(o.outcome.error),
      );
      ctx.check(`${label}: the adapter's nonce / one-per-block rule stopped the other`, guarded, described.join("; "));
      ctx.note(`${label}: ${sent} sent; ${described.join("; ")}`);
      const next = await Promise.all(keepers.map((k) => k.cycle()));
      ctx.check(
        `${label}: afterwards both keepers hold`,
        next.every((r) => r.request === null),
        next.map(describeOutcome).join("; "),
      );
    }
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
  },
};

const EXPIRY_SEC = 6 * HOUR;

export const expiry: Scenario = {
  name: "expiry",
  summary:
    "series expire mid-run → their delta leaves the hedged book at expiry and the keeper unwinds; settlement then moves none",
  world: {
    extraSeries: (spotUsd, nowSec) => [
      // A deep in-the-money short call (delta ≈ −12 ETH, hedged by ≈ 12 WETH) and an out-of-the-money one.
      {
        strikeUsd: Math.round((spotUsd * 0.85) / 50) * 50,
        expirySec: nowSec + EXPIRY_SEC,
        isCall: true,
        vol: 0.65,
        sizeEth: -12,
      },
      {
        strikeUsd: Math.round((spotUsd * 1.15) / 50) * 50,
        expirySec: nowSec + EXPIRY_SEC,
        isCall: true,
        vol: 0.65,
        sizeEth: -10,
      },
    ],
  },
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const { vault } = world.stack;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const band = await probe.bandEth();
    const now = await chain.timestamp();
    const expiring = (await vault.getActiveSeries(0, 1000)).filter((s) => Number(s.expiry) <= now + EXPIRY_SEC);
    ctx.require("the book has series expiring within the run", expiring.length === 2, `${expiring.length} series`);
    const lastExpiry = Math.max(...expiring.map((s) => Number(s.expiry)));

    await chain.increaseTime(lastExpiry - now + 60);
    await jumpTo(ctx, await probe.oraclePriceUsd()); // a fresh answer published after expiry
    const price = await probe.oraclePriceUsd();
    const leaving = expiring.reduce((sum, s) => {
      const itm = s.isCall ? price > wadToNumber(s.strikeWad) : price < wadToNumber(s.strikeWad);
      return sum + (itm ? (s.isCall ? 1 : -1) : 0) * wadToNumber(s.sizeWad);
    }, 0);

    // Expired series leave the hedged delta at expiry (their payoff is fixed in USDC), before anyone settles them.
    const wethBefore = (await vault.collateral())[0];
    const atExpiry = await ctx.settle(keeper);
    const first = atExpiry[0]!;
    const side = reducingSide(-leaving);
    ctx.check(
      `at expiry, before settlement, the keeper unwinds the hedge of the ${fmt(Math.abs(leaving))} ETH of delta that left (${side === "sellWeth" ? "sells" : "buys"} WETH)`,
      first.decision.kind === "hedge" && first.decision.side === side && first.outcome?.kind === "succeeded",
      `${describeOutcome(first)}; ${atExpiry.length} cycle(s)`,
    );
    const traded = Math.abs(wadToNumber((await vault.collateral())[0] - wethBefore));
    ctx.check(
      "the WETH unwound matches the delta that left, within the band",
      Math.abs(traded - Math.abs(leaving)) <= band,
      `${fmt(traded)} ETH of WETH traded for ${fmt(Math.abs(leaving))} ETH of delta`,
    );

    const countBefore = await vault.activeSeriesCount();
    const netBefore = await probe.netDeltaEth();
    const { counterparty, voter } = world.actors;
    const owedBefore = await vault.claimableUsdc(counterparty.address);
    await settleExpired(vault, vaultFeed(world.market), expiring, voter);
    ctx.check(
      "anyone fixes the expiry price from the round that straddles expiry and settles the series; they leave the book",
      (await vault.activeSeriesCount()) === countBefore - BigInt(expiring.length),
      `${countBefore} → ${await vault.activeSeriesCount()} active series`,
    );
    const owed = (await vault.claimableUsdc(counterparty.address)) - owedBefore;
    ctx.check(
      "what the vault owes is the counterparty's claim, paid when it claims",
      owed > 0n && (await vault.connect(counterparty).claim.staticCall(counterparty.address)) === owed + owedBefore,
      `${fmt(Number(owed) / 1e6)} USDC claimable`,
    );
    await (await vault.connect(counterparty).claim(counterparty.address)).wait();
    const netAfter = await probe.netDeltaEth();
    ctx.check(
      "settlement moves no delta (only the seconds it takes move the live series' delta)",
      Math.abs(netAfter - netBefore) < 0.01,
      `${fmt(netBefore, 4)} → ${fmt(netAfter, 4)} ETH`,
    );

    const reports = await ctx.settle(keeper);
    const settledIds = new Set(expiring.map((s) => s.id));
    ctx.check(
      "the keeper's book no longer has the settled series",
      reports[0]!.snapshot.book.every((s) => !settledIds.has(s.id)),
      `${reports[0]!.snapshot.book.length} series in the keeper's snapshot`,
    );
    ctx.check(
      "after settlement the keeper has nothing to unwind",
      reports.every((r) => r.decision.kind !== "hedge"),
      reports.map(describeOutcome).join(", "),
    );
    const after = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| inside the band", after <= band, `${fmt(after)} ETH, band ${fmt(band)}`);
  },
};

const NEW_BAND_ETH = 2;

export const governanceChange: Scenario = {
  name: "governance-change",
  summary: "the DAO tightens the band mid-run (propose, vote, queue, execute) → the keeper follows from the next block",
  world: { governance: "development" },
  async run(ctx) {
    const { world, probe, chain } = ctx;
    const gov = world.governance!;
    const { deployer, voter } = world.actors;
    const keeper = await ctx.startKeeper();
    await ctx.settle(keeper);
    const oldBand = await probe.bandEth();
    ctx.require("the new band is tighter", NEW_BAND_ETH < oldBand * 0.7, `${NEW_BAND_ETH} vs ${oldBand} ETH`);

    const adapterAddress = (await world.stack.adapter.getAddress()) as `0x${string}`;
    const calls = buildProposalCalls(
      adapterAddress,
      actionsFromFlags({ set: [`deltaBandWad=${numberToWad(NEW_BAND_ETH)}`] }),
    );
    const description = `Tighten the delta band to ${NEW_BAND_ETH} ETH`;
    const governor = gov.governor.connect(deployer);
    const args = [calls.targets, calls.values, calls.calldatas] as const;
    const proposalId = await governor.propose.staticCall(...args, description);
    await (await governor.propose(...args, description)).wait();
    await chain.mine(Number(await gov.governor.votingDelay()) + 1);
    for (const who of [deployer, voter]) await (await gov.governor.connect(who).castVote(proposalId, 1)).wait();
    await chain.mine(Number(await gov.governor.votingPeriod()));
    await (await governor.queue(...args, hashDescription(description))).wait();
    await chain.increaseTime(Number(await gov.timelock.getMinDelay()) + 1);

    // A day went by: a fresh answer, the keeper catches up under the old band, then an exposure between the bands.
    await jumpTo(ctx, await probe.oraclePriceUsd());
    await ctx.settle(keeper);
    await jumpTo(ctx, await probe.priceForNetDelta(0.7 * oldBand));
    const before = await keeper.cycle();
    ctx.check(
      `before execution: |Δ| ${fmt(Math.abs(before.assessment.netDeltaEth))} ETH is inside the old ${fmt(oldBand)} ETH band → hold`,
      before.decision.kind === "hold" && before.assessment.bandEth === oldBand,
      `${describeOutcome(before)}, band ${before.assessment.bandEth}`,
    );

    const executed = await (await governor.execute(...args, hashDescription(description))).wait();
    const state = PROPOSAL_STATES[Number(await gov.governor.state(proposalId))];
    ctx.check("the proposal executed", state === "Executed", `${state}`);
    const after = await keeper.cycle();
    ctx.check(
      "the keeper's next cycle reads the new band from the execution block",
      after.assessment.bandEth === NEW_BAND_ETH && after.snapshot.blockNumber === BigInt(executed!.blockNumber),
      `band ${after.assessment.bandEth} ETH at block ${after.snapshot.blockNumber} (executed in ${executed!.blockNumber})`,
    );
    ctx.check(
      "and hedges the exposure the new band no longer allows",
      after.decision.kind === "hedge" && after.outcome?.kind === "succeeded",
      describeOutcome(after),
    );
    const final = Math.abs(await probe.netDeltaEth());
    ctx.check("|net delta| inside the new band", final <= NEW_BAND_ETH, `${fmt(final)} ETH, band ${NEW_BAND_ETH}`);
  },
};
