#!/usr/bin/env node
/**
 * `npm run keeper -- <run|once|status>`: the operator's entry point. Configuration comes from HK_* variables
 * (and .env); see README "Running the keeper". Logs go to stderr; stdout carries the data (one JSON document with
 * --json). Exit codes: keeper/cli/exitCodes.ts.
 */
import { Command } from "commander";
import { ConfigError, describeUnknown, loadConfig, unknownVariables, type KeeperConfig } from "../config/index.js";
import { assess } from "../cycle/assess.js";
import { assessOptions } from "../keeper.js";
import { readSnapshot } from "../chain/snapshot.js";
import { queuedParameterChanges } from "../chain/governance.js";
import {
  settingsFromConfig,
  startKeeperService,
  firstLine,
  StartupError,
  type KeeperService,
  type ServiceOptions,
} from "../service.js";
import { formatCycle, formatStatus } from "./format.js";
import { EXIT, onceExitCode } from "./exitCodes.js";
import { addJournalCommand } from "./journalCommand.js";

function configOrExit(overrides: Record<string, string> = {}): KeeperConfig {
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(EXIT.config);
    }
    throw error;
  }
}

/**
 * Test-only crash injection, honoured only with HK_FAULT_INJECTION=1: HK_CRASH_AT=<point>[,<point>…] (after-intent,
 * after-journal, after-send, after-receipt) makes the process SIGKILL itself at that executor point of the first hedge
 * it sends itself (not of one it reconciles from an earlier run), like a kill -9 or a power cut there.
 */
function crashHookFromEnv(): ServiceOptions["faultHook"] {
  if (process.env.HK_FAULT_INJECTION !== "1" || !process.env.HK_CRASH_AT) return undefined;
  const points = new Set(process.env.HK_CRASH_AT.split(",").map((p) => p.trim()));
  const ownIntents = new Set<string>();
  return (point, intentId) => {
    if (point === "after-intent") ownIntents.add(intentId);
    if (points.has(point) && ownIntents.has(intentId)) process.kill(process.pid, "SIGKILL");
  };
}

async function serviceOrExit(config: KeeperConfig, telemetry: boolean, exclusive = true): Promise<KeeperService> {
  try {
    const configWarnings = unknownVariables().map(describeUnknown);
    return await startKeeperService(config, { telemetry, exclusive, configWarnings, faultHook: crashHookFromEnv() });
  } catch (error) {
    // Whatever stops start-up (not only the named checks) is something to fix before running: exit 2, one line.
    const kind = error instanceof StartupError || error instanceof ConfigError ? "" : `${(error as Error).name}: `;
    process.stderr.write(`start-up error: ${kind}${firstLine(error)}\n`);
    process.exit(EXIT.config);
  }
}

const program = new Command()
  .name("keeper")
  .description("Hedgekeeper: keeps an options vault delta-neutral through its hedge adapter");

program
  .command("run")
  .description("watch new blocks and run one cycle per block until SIGINT/SIGTERM")
  .action(async () => {
    const service = await serviceOrExit(configOrExit(), true);
    const controller = new AbortController();
    const stop = (signal: string) => {
      service.logger.info({ signal }, "shutting down after the current cycle");
      controller.abort();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
    await service.keeper.run(controller.signal, (report) => {
      service.logger.info(
        {
          cycle: report.cycleId,
          block: report.snapshot.blockNumber.toString(),
          netDeltaEth: report.assessment.netDeltaEth,
          bandEth: report.assessment.bandEth,
          decision: report.decision.kind,
          reason: report.decision.kind === "hold" ? report.decision.reason : "hedge",
          roundTrips: report.snapshot.roundTrips,
        },
        "cycle",
      );
    });
    await service.close();
  });

program
  .command("once")
  .description("run a single cycle: print the snapshot, net delta, decision and the transaction")
  .option("--dry-run", "decide and show the transaction, send nothing (no signer needed)")
  .option("--json", "machine-readable output")
  .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
    const config = configOrExit(opts.dryRun ? { HK_DRY_RUN: "true" } : {});
    const service = await serviceOrExit(config, false);
    try {
      const report = await service.keeper.runCycle();
      process.stdout.write(formatCycle(report, service.deployment, Boolean(opts.json)) + "\n");
      process.exitCode = onceExitCode(report.outcome);
    } finally {
      await service.close();
    }
  });

program
  .command("status")
  .description("position book summary, net delta vs band, governance parameters and the last hedges")
  .option("--json", "machine-readable output")
  .option("--last <n>", "hedges to show", "10")
  .action(async (opts: { json?: boolean; last: string }) => {
    const config = configOrExit({ HK_DRY_RUN: "true" });
    const service = await serviceOrExit(config, false, false); // reads beside a running keeper: no journal lock
    try {
      const settings = settingsFromConfig(config);
      const snapshot = await readSnapshot(service.clients.publicClient, service.deployment, service.clients.counter, {
        pageSize: settings.pageSize,
      });
      const assessment = assess(snapshot, assessOptions(settings, service.deployment.poolFee));
      const hedges = service.journal.recentIntents(Number(opts.last));
      const queued = config.governorAddress
        ? await queuedParameterChanges(service.clients.publicClient, config.governorAddress, service.deployment.adapter)
        : null;
      process.stdout.write(
        formatStatus(
          {
            snapshot,
            assessment,
            hedges,
            queued,
            deployment: service.deployment,
            endpoints: service.endpoints.states(),
          },
          Boolean(opts.json),
        ) + "\n",
      );
    } finally {
      await service.close();
    }
  });

addJournalCommand(program);

program
  .parseAsync(process.argv)
  // Exit once the command is done: idle keep-alive sockets and viem's ranking timer would otherwise hold a finished
  // `once` or `status` for seconds.
  .then(() => process.exit(process.exitCode ?? EXIT.ok))
  .catch((error: unknown) => {
    process.stderr.write(`keeper failed: ${firstLine(error)}\n`);
    process.exit(EXIT.runtime);
  });
