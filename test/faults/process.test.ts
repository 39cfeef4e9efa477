import { expect } from "chai";
import { existsSync } from "node:fs";
import type { FaultPoint } from "../../keeper/executor/index.js";
import { seededRandom } from "../../scripts/lib/testing/random.js";
import {
  allIntents,
  describeFaults,
  doubleHedges,
  faultWorld,
  journalDisagreements,
  journalPath,
  keeperEnv,
  outsideBounds,
  readJournal,
  recordFault,
  waitFor,
  type FaultWorld,
} from "./harness.js";
import { npmScript, runNpmScript, startNode, type ChildResult } from "../cli/child.js";
import { ETH } from "../fixtures.js";

const BAND_WAD = ETH(5);
const SLIPPAGE_BPS = 50n;
const CRASH_POINTS: FaultPoint[] = ["after-intent", "after-journal", "after-send", "after-receipt"];
/** kill -9 iterations: every point five times, in a seeded random order */
const ITERATIONS = 20;
/** what a crash at each point leaves on chain (automine: a sent hedge is mined when sent) */
const HEDGES_LEFT_BY_CRASH: Record<FaultPoint, number> = {
  "after-intent": 0, // intent row written, no transaction row: nothing signed
  "after-journal": 0, // signed and journaled, never broadcast
  "after-send": 1, // broadcast and mined, outcome unknown to the journal
  "after-receipt": 1, // outcome journaled, the process dies before it returns
};

/** `npm run keeper -- <args>` in a child process, as an operator (or its supervisor) runs it. */
function runKeeperCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ChildResult> {
  return runNpmScript("keeper", args, env, timeoutMs);
}

/** Every point `ITERATIONS / points` times, shuffled with a seeded generator (Fisher–Yates). */
function crashSchedule(seed: number): FaultPoint[] {
  const schedule = Array.from({ length: ITERATIONS }, (_, i) => CRASH_POINTS[i % CRASH_POINTS.length]!);
  const random = seededRandom(seed);
  for (let i = schedule.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
  }
  return schedule;
}

/**
 * Process faults: the real CLI (`keeper once`) killed with SIGKILL at executor points, then restarted on the same
 * journal as a new `keeper run` process (what an operator's supervisor does), stopped with SIGTERM once it settled; and two keeper processes with two signers racing for the same trigger.
 */
describeFaults("keeper processes killed and racing", function () {
  this.timeout(420_000); // 20 crashes and 20 process restarts on a shared 2-core machine
  let world: FaultWorld;

  before(async function () {
    world = await faultWorld();
    await world.reset();
  });

  it(`kill -9 at a seeded random executor point, ${ITERATIONS} times: after each restart one hedge per trigger, the journal agrees`, async function () {
    const path = journalPath(world, "kill9");
    const env = keeperEnv(world, { journal: path, env: { HK_FAULT_INJECTION: "1" } });
    const schedule = crashSchedule(9);
    const startBlock = (await world.blockNumber()) + 1n;
    const perPoint = new Map<FaultPoint, { trials: number; survived: number; found: number; lost: number }>();
    const perTrigger: number[] = [];
    const failures: string[] = [];

    for (const [i, point] of schedule.entries()) {
      // The deployed state has one trigger pending; every later iteration adds one.
      if (i > 0) await world.trigger();
      const from = (await world.blockNumber()) + 1n;
      const crashed = await runKeeperCli(["once"], { ...env, HK_CRASH_AT: point });
      const afterCrash = await world.hedgesSince(from);

      // Restart as a supervisor does: a new `keeper run` process on the same journal (no crash point set), stopped
      // with SIGTERM once it has finished a cycle and the journal holds one succeeded intent per trigger so far and
      // nothing open. Its info log says when a cycle ends.
      const restarted = startNode(
        [...npmScript("keeper"), "run"],
        { ...env, HK_CRASH_AT: "", HK_LOG_LEVEL: "info" },
        90_000,
      );
      let exitedEarly = false;
      void restarted.exited.then(() => (exitedEarly = true));
      const settled = await waitFor(
        "the restarted keeper to settle the trigger",
        () => exitedEarly || (restarted.output().includes('"msg":"cycle"') && journalSettled(path, i + 1)),
        60_000,
      ).then(
        () => !exitedEarly,
        () => false,
      );
      const stopped = await restarted.stop("SIGTERM");
      const hedges = await world.hedgesSince(from);
      const onChain = await world.hedgesSince(startBlock);
      const lost = readJournal(
        path,
        (journal) => journalDisagreements(journal, onChain, world.actors.keeper.address).detail,
      );
      if (!settled) lost.push(`keeper run did not settle the trigger: ${stopped.stderr.slice(-300)}`);
      if (stopped.code !== 0) lost.push(`keeper run exited ${stopped.code ?? stopped.signal} on SIGTERM`);
      perTrigger.push(hedges.length);
      const ok =
        crashed.signal === "SIGKILL" &&
        afterCrash.length === HEDGES_LEFT_BY_CRASH[point] &&
        hedges.length === 1 &&
        lost.length === 0;
      if (!ok) {
        failures.push(
          `#${i} ${point}: exit ${crashed.signal ?? crashed.code}, ${afterCrash.length} hedge(s) after the crash, ` +
            `${hedges.length} after the restart, journal: ${lost.join("; ") || "agrees"}; ${crashed.stderr.slice(-300)}`,
        );
      }
      const row = perPoint.get(point) ?? { trials: 0, survived: 0, found: 0, lost: 0 };
      perPoint.set(point, {
        trials: row.trials + 1,
        survived: row.survived + (ok ? 1 : 0),
        found: row.found + hedges.length,
        lost: row.lost + lost.length,
      });
    }

    const all = await world.hedgesSince(startBlock);
    const outside = outsideBounds(all, SLIPPAGE_BPS, BAND_WAD).length;
    for (const point of CRASH_POINTS) {
      const row = perPoint.get(point)!;
      recordFault({
        fault: `process: kill -9 ${point}`,
        trials: row.trials,
        survived: row.survived,
        hedgesExpected: row.trials,
        hedgesFound: row.found,
        doubleHedges: 0, // counted once, below, over every trigger
        outsideBounds: 0,
        dataLost: row.lost,
      });
    }
    recordFault({
      fault: `process: kill -9, all ${ITERATIONS} iterations`,
      trials: ITERATIONS,
      survived: ITERATIONS - failures.length,
      hedgesExpected: ITERATIONS,
      hedgesFound: all.length,
      doubleHedges: doubleHedges(perTrigger),
      outsideBounds: outside,
      dataLost: [...perPoint.values()].reduce((sum, row) => sum + row.lost, 0),
    });
    expect(failures).to.deep.equal([]);
    expect(all).to.have.length(ITERATIONS);
    expect(outside).to.equal(0);
    const statuses = readJournal(path, (journal) => allIntents(journal).map((intent) => intent.status));
    // One succeeded intent per trigger; a crash before anything was broadcast leaves one dropped intent.
    expect(statuses.filter((s) => s === "succeeded")).to.have.length(ITERATIONS);
    expect(statuses.filter((s) => s === "dropped")).to.have.length(schedule.filter((p) => p === "after-intent").length);
  });

  it("two keeper processes with two signers race for the same trigger: one hedge per trigger, the adapter refuses the other", async function () {
    const TRIALS = 3;
    const paths = [journalPath(world, "race-a"), journalPath(world, "race-b")];
    const envs = paths.map((journal, k) =>
      keeperEnv(world, { journal, signerIndex: k + 1, env: { HK_RECEIPT_TIMEOUT_MS: "60000" } }),
    );
    const signers = [world.actors.keeper.address, world.actors.keeper2.address];
    const startBlock = (await world.blockNumber()) + 1n;
    const perTrigger: number[] = [];
    /** per trial: the loser's journaled refusal, and where the adapter refused it */
    const refusals: { where: "on chain" | "at gas estimation"; error: string }[] = [];
    const failures: string[] = [];
    try {
      for (let trial = 0; trial < TRIALS; trial += 1) {
        await world.trigger();
        const from = (await world.blockNumber()) + 1n;
        // Both decide on the same head; nothing is mined until each keeper has sent its hedge or given up.
        await world.rpc("evm_setAutomine", [false]);
        const exited = [false, false];
        const runs = envs.map((env, k) =>
          runKeeperCli(["once", "--json"], env).finally(() => {
            exited[k] = true;
          }),
        );
        await waitFor(
          "a hedge in the pool and the other keeper's hedge sent or refused",
          () => paths.some((path) => sentIntent(path)) && paths.every((path, k) => sentIntent(path) || exited[k]),
          30_000,
        );
        await world.rpc("evm_mine");
        const results = await Promise.all(runs);
        await world.rpc("evm_setAutomine", [true]);
        const hedges = await world.hedgesSince(from);
        perTrigger.push(hedges.length);
        const last = paths.map((path) => readJournal(path, (journal) => allIntents(journal).at(-1)));
        const winners = last.filter((intent) => intent?.status === "succeeded");
        const losers = last.filter((intent) => intent?.status === "reverted" || intent?.status === "rejected");
        for (const loser of losers) {
          refusals.push({
            where: loser!.status === "reverted" ? "on chain" : "at gas estimation",
            error: loser!.error!,
          });
        }
        // `once` exits 0 for the hedge that went through and 3 (hedge not done) for the one the adapter refused.
        const codes = results.map((r) => r.code).sort();
        if (codes.join(",") !== "0,3" || winners.length !== 1 || losers.length !== 1) {
          failures.push(
            `trial ${trial}: exits ${results.map((r) => r.code).join(",")}, journals ${last.map((i) => i?.status).join(",")}`,
          );
        }
      }
    } finally {
      await world.rpc("evm_setAutomine", [true]);
    }
    const all = await world.hedgesSince(startBlock);
    const lost = paths
      .map((path, k) => readJournal(path, (journal) => journalDisagreements(journal, all, signers[k]!).lost))
      .reduce((a, b) => a + b, 0);
    const outside = outsideBounds(all, SLIPPAGE_BPS, BAND_WAD).length;
    const onChain = refusals.filter((r) => r.where === "on chain").length;
    recordFault({
      fault: `process: two keepers race (loser refused: ${onChain} on chain, ${refusals.length - onChain} at estimation)`,
      trials: TRIALS,
      survived: TRIALS - failures.length,
      hedgesExpected: TRIALS,
      hedgesFound: all.length,
      doubleHedges: doubleHedges(perTrigger),
      outsideBounds: outside,
      dataLost: lost,
    });
    expect(failures).to.deep.equal([]);
    expect(perTrigger).to.deep.equal(Array(TRIALS).fill(1));
    // The adapter's expectedNonce refuses the loser: in the same block (reverted on chain), or already in the node's
    // gas estimate on the pending block holding the winner's hedge (refused before signing).
    for (const refusal of refusals) expect(refusal.error).to.match(/^(HedgeNonceMismatch|OneHedgePerBlock)\(/);
    expect(lost).to.equal(0);
    expect(outside).to.equal(0);
  });
});

/** Whether the journal at `path` holds `succeeded` succeeded intents and no open one (the restart's work is done). */
function journalSettled(path: string, succeeded: number): boolean {
  return readJournal(
    path,
    (journal) =>
      journal.openIntents().length === 0 &&
      allIntents(journal).filter((intent) => intent.status === "succeeded").length >= succeeded,
  );
}

/** Whether the keeper writing the journal at `path` has broadcast a hedge it has no outcome for yet. */
function sentIntent(path: string): boolean {
  if (!existsSync(path)) return false;
  return readJournal(path, (journal) => journal.openIntents().some((intent) => intent.status === "sent"));
}
