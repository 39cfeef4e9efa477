/**
 * The gov CLI's commands (delegate, propose, vote, queue, execute, status, simulate, advance) over a connection from
 * cliChain.ts; `runGov` parses argv and maps failures to one line and an exit code.
 */
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { formatEther } from "ethers";
import { defaultPolicyConfig, type PolicyKind } from "../../../keeper/policy/index.js";
import { DEFAULT_DEPLOYMENT_PATH, readDeployment } from "../deploy/deployment.js";
import {
  findProposal,
  listProposals,
  PARAM_NAMES,
  paramName,
  proposalStatus,
  readGovernanceSettings,
  VOTE_TYPES,
  type ProposalRecord,
} from "./governance.js";
import { comparisonTable, formatDuration, formatEta, formatParam, governanceSummary } from "./govFormat.js";
import { parsePriceHistory } from "./policyReplay.js";
import {
  actionsFromFlags,
  buildProposalCalls,
  describeCall,
  outOfBounds,
  type ProposalFlags,
} from "./proposalCalls.js";
import { readAdapterParams, readParamBounds } from "./chainReads.js";
import { simulateProposal, type Calls } from "./proposalSimulation.js";
import { connectMarket, refreshFeeds } from "../market/market.js";
import { startHardhatFork } from "../node/rpc.js";
import type { AdapterParams } from "../market/stack.js";

import {
  GovCliError,
  HARDHAT_CHAIN_ID,
  send,
  withChain,
  type Chain,
  type GlobalOptions,
  type GovIo,
} from "./cliChain.js";

function parseProposalId(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    throw new GovCliError(`"${text}" is not a proposal id (a decimal or 0x-hex uint256)`);
  }
}

function addProposalFlags(command: Command): Command {
  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  return command
    .option("--set <name=value>", `parameter change, repeatable; names: ${PARAM_NAMES.join(", ")}`, collect)
    .option("--grant-keeper <address>", "grant KEEPER_ROLE, repeatable", collect)
    .option("--revoke-keeper <address>", "revoke KEEPER_ROLE, repeatable", collect)
    .option("--guardian <address>", "appoint a guardian (grant GUARDIAN_ROLE), repeatable", collect)
    .option("--revoke-guardian <address>", "revoke GUARDIAN_ROLE, repeatable", collect)
    .option("--unpause", "resume hedging after a guardian pause");
}

function printProposal(io: GovIo, chain: Chain, record: ProposalRecord): void {
  io.out(`  description: ${record.description}`);
  io.out("  calls:");
  record.targets.forEach((target, i) =>
    io.out(`    ${describeCall(chain.deployment.stack.adapter, target, record.calldatas[i]!)}`),
  );
}

/** A numeric option (>= 0), or undefined when not given. */
function numberOption(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new GovCliError(`${flag} ${raw}: not a number >= 0`);
  }
  return value;
}

async function simulateAndPrint(
  io: GovIo,
  chain: Chain,
  calls: Calls,
  opts: Record<string, string | undefined>,
  where: string,
) {
  const history = opts.history
    ? parsePriceHistory(JSON.parse(await readFile(opts.history, "utf8")) as unknown, opts.history)
    : undefined;
  const kind = (opts.policy ?? "band") as PolicyKind;
  const result = await simulateProposal(chain.provider, { ...chain.deployment.stack }, calls, {
    path: history,
    seed: numberOption("--seed", opts.seed),
    days: numberOption("--days", opts.days),
    stepSec: numberOption("--step-sec", opts.stepSec),
    volAnnual: numberOption("--vol", opts.vol),
    config: defaultPolicyConfig(kind),
  }).catch((error: unknown) => {
    throw new GovCliError(`simulation failed: ${(error as Error).message}`);
  });
  io.out(`Executed as the timelock on a snapshot of ${where} (reverted afterwards):`);
  for (const line of result.calls) io.out(`  ${line}`);
  const source = history ? `${opts.history}` : `seeded GBM (seed ${opts.seed ?? 1})`;
  io.out(`Policy "${kind}" replayed over ${result.pathPoints} prices (${source}):`);
  for (const line of comparisonTable(result)) io.out(`  ${line}`);
}

/** Builds the CLI; `io` receives every line it prints (tests pass their own). */
export function buildProgram(io: GovIo): Command {
  const program = new Command("gov")
    .description("Hedgekeeper DAO: propose, vote on, queue, execute and simulate changes to the hedging thresholds")
    .option("--rpc <url>", "JSON-RPC node", "http://127.0.0.1:8545")
    .option("--deployment <path>", "deployment file (chainId, market, stack)", DEFAULT_DEPLOYMENT_PATH)
    .option(
      "--private-key <hex>",
      "transaction signer (or env HK_GOV_PRIVATE_KEY); on chain 31337 only, defaults to Hardhat's first dev account",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command("delegate")
    .description("delegate the signer's votes (to itself by default); votes count only once delegated")
    .option("--to <address>", "delegatee")
    .action(async (opts: { to?: string }, command: Command) =>
      withChain(command, io, async (chain) => {
        const signer = chain.signer();
        const to = opts.to ?? signer.address;
        await send("delegate", () => chain.token.connect(signer).delegate(to));
        io.out(`${signer.address} delegated to ${to}; votes of ${to}: ${formatEther(await chain.token.getVotes(to))}`);
      }),
    );

  addProposalFlags(program.command("propose"))
    .description("create a proposal from human flags and print its id")
    .option("--description <text>", "proposal description (default: its calls)")
    .option("--force", "propose even if a value is outside the adapter's hard bounds (it will fail at execution)")
    .action(async (opts: ProposalFlags & { description?: string; force?: boolean }, command: Command) =>
      withChain(command, io, async (chain) => {
        const actions = actionsFromFlags(opts);
        const violations = outOfBounds(actions, await readParamBounds(chain.adapter));
        if (violations.length > 0 && opts.force !== true) {
          throw new GovCliError(
            `${violations.join("; ")} (it would revert with ParamOutOfBounds; --force to propose anyway)`,
          );
        }
        const calls = buildProposalCalls(chain.deployment.stack.adapter, actions);
        const description = opts.description ?? `Hedgekeeper: ${calls.summary.join("; ")}`;
        const governor = chain.governor.connect(chain.signer());
        const receipt = await send("propose", () =>
          governor.propose(calls.targets, calls.values, calls.calldatas, description),
        );
        const created = receipt.logs
          .map((log) => chain.governor.interface.parseLog(log))
          .find((event) => event?.name === "ProposalCreated");
        io.out(`proposal ${String(created!.args.proposalId)}`);
        for (const line of calls.summary) io.out(`  ${line}`);
        io.out(`  voting opens after block ${created!.args.voteStart} and closes at block ${created!.args.voteEnd}`);
      }),
    );

  program
    .command("vote <proposalId>")
    .description("cast the signer's vote")
    .addOption(new Option("--support <choice>", "vote").choices(VOTE_TYPES).default("for"))
    .option("--reason <text>", "reason recorded with the vote")
    .action(async (id: string, opts: { support: (typeof VOTE_TYPES)[number]; reason?: string }, command: Command) =>
      withChain(command, io, async (chain) => {
        const proposalId = parseProposalId(id);
        const status = await proposalStatus(chain.governor, proposalId);
        if (status.state !== "Active") {
          throw new GovCliError(
            `proposal is ${status.state}; votes are accepted from block ${status.snapshotBlock + 1n} to ${status.deadlineBlock} (now ${await chain.provider.getBlockNumber()})`,
          );
        }
        const governor = chain.governor.connect(chain.signer());
        const support = VOTE_TYPES.indexOf(opts.support);
        await send("vote", () => governor.castVoteWithReason(proposalId, support, opts.reason ?? ""));
        const after = await proposalStatus(chain.governor, proposalId);
        io.out(
          `voted ${opts.support}; for ${formatEther(after.forVotes)}, against ${formatEther(after.againstVotes)}, abstain ${formatEther(after.abstainVotes)}`,
        );
      }),
    );

  for (const step of ["queue", "execute"] as const) {
    program
      .command(`${step} <proposalId>`)
      .description(step === "queue" ? "queue a succeeded proposal in the timelock" : "execute a queued proposal")
      .action(async (id: string, _opts: unknown, command: Command) =>
        withChain(command, io, async (chain) => {
          const record = await findProposal(chain.governor, parseProposalId(id));
          const governor = chain.governor.connect(chain.signer());
          const args = [record.targets, record.values, record.calldatas, record.descriptionHash] as const;
          const receipt = await send(step, () =>
            step === "queue" ? governor.queue(...args) : governor.execute(...args),
          );
          if (step === "queue") {
            const eta = formatEta(await chain.governor.proposalEta(record.proposalId));
            const sensitive = await chain.timelock.isSensitiveBatch(record.targets, record.values, record.calldatas);
            const wait = sensitive
              ? ` (sensitive: moves funds or grants power, waits the ${formatDuration(Number(await chain.timelock.sensitiveDelay()))} sensitive delay; a guardian can cancel it until then)`
              : "";
            io.out(`queued; executable from ${eta}${wait}`);
            return;
          }
          io.out("executed");
          const adapterAddress = chain.deployment.stack.adapter.toLowerCase();
          for (const log of receipt.logs) {
            if (log.address.toLowerCase() !== adapterAddress) continue;
            const event = chain.adapter.interface.parseLog(log);
            if (event?.name === "ParamUpdated") {
              const name = paramName(event.args.param as bigint);
              io.out(`  ${name}: ${String(event.args.oldValue)} -> ${String(event.args.newValue)}`);
            }
          }
        }),
      );
  }

  program
    .command("status [proposalId]")
    .description(
      "the governance profile and settings, then a proposal's state, votes and eta; without an id, the adapter's parameters and every proposal",
    )
    .action(async (id: string | undefined, _opts: unknown, command: Command) =>
      withChain(command, io, async (chain) => {
        const settings = await readGovernanceSettings(chain.governor, chain.timelock, chain.token);
        for (const line of governanceSummary(chain.deployment.governanceProfile, settings)) io.out(line);
        if (id === undefined) {
          const params: AdapterParams = await readAdapterParams(chain.adapter);
          io.out("adapter parameters:");
          for (const name of PARAM_NAMES) io.out(`  ${name.padEnd(20)} ${formatParam(name, params[name])}`);
          const proposals = await listProposals(chain.governor);
          io.out(proposals.length === 0 ? "no proposals" : "proposals:");
          for (const record of proposals) {
            const status = await proposalStatus(chain.governor, record.proposalId);
            io.out(`  ${record.proposalId}  ${status.state}  eta ${formatEta(status.etaSec)}`);
            io.out(`    ${record.description}`);
          }
          return;
        }
        const record = await findProposal(chain.governor, parseProposalId(id));
        const status = await proposalStatus(chain.governor, record.proposalId);
        io.out(`proposal ${record.proposalId}`);
        io.out(`  state:   ${status.state}`);
        io.out(
          `  votes:   for ${formatEther(status.forVotes)}, against ${formatEther(status.againstVotes)}, abstain ${formatEther(status.abstainVotes)} (quorum ${formatEther(status.quorum)})`,
        );
        io.out(
          `  voting:  blocks ${status.snapshotBlock + 1n}..${status.deadlineBlock} (now ${await chain.provider.getBlockNumber()})`,
        );
        io.out(`  eta:     ${formatEta(status.etaSec)}`);
        printProposal(io, chain, record);
      }),
    );

  addProposalFlags(program.command("simulate [proposalId]"))
    .description(
      "execute a proposal (or --set … flags) as the timelock on a snapshot of the chain, then replay the keeper policy with the current and the proposed parameters",
    )
    .option("--history <file.json>", "price history: [{ timeSec, priceUsd }, …] (default: a seeded GBM path)")
    .option("--seed <n>", "GBM seed", "1")
    .option("--days <n>", "GBM horizon, days", "7")
    .option("--step-sec <n>", "GBM step, seconds", "300")
    .option("--vol <x>", "GBM annual vol (default: the book's vol)")
    .addOption(
      new Option("--policy <kind>", "keeper policy")
        .choices(["band", "cost-aware", "whalley-wilmott", "time"])
        .default("band"),
    )
    .option(
      "--fork-url <url>",
      "simulate on an in-process Hardhat network forking this RPC instead of snapshotting --rpc",
    )
    .action(
      async (id: string | undefined, opts: ProposalFlags & Record<string, string | undefined>, command: Command) => {
        const run = async (chain: Chain) => {
          let calls: Calls;
          if (id !== undefined) {
            const flags = [opts.set, opts.grantKeeper, opts.revokeKeeper, opts.guardian, opts.revokeGuardian];
            if (flags.some((values) => values !== undefined) || opts.unpause === true) {
              throw new GovCliError("simulate takes a proposal id or proposal flags (--set …), not both");
            }
            calls = await findProposal(chain.governor, parseProposalId(id));
          } else {
            calls = buildProposalCalls(chain.deployment.stack.adapter, actionsFromFlags(opts));
          }
          const globals = command.optsWithGlobals<GlobalOptions>();
          const where = opts.forkUrl === undefined ? globals.rpc : `a fork of ${opts.forkUrl}`;
          await simulateAndPrint(io, chain, calls, opts, where);
        };
        if (opts.forkUrl === undefined) return withChain(command, io, run);
        const { chainId } = await readDeployment(command.optsWithGlobals<GlobalOptions>().deployment);
        const fork = await startHardhatFork(opts.forkUrl, chainId);
        try {
          await withChain(command, io, run, fork.rpc);
        } finally {
          await fork.close();
        }
      },
    );

  program
    .command("advance")
    .description("local dev chain (31337) only: move time forward and mine blocks (to end a vote or a timelock delay)")
    .option("--blocks <n>", "blocks to mine", "1")
    .option("--seconds <n>", "seconds to add to the clock first", "0")
    .option("--no-refresh-feeds", "leave the replica's price feeds as old as the jump (the keeper then holds: stale)")
    .action(async (opts: { blocks: string; seconds: string; refreshFeeds: boolean }, command: Command) =>
      withChain(command, io, async (chain) => {
        if (chain.chainId !== HARDHAT_CHAIN_ID)
          throw new GovCliError(`advance only works on a local dev chain (31337)`);
        const seconds = Number(opts.seconds);
        const blocks = Number(opts.blocks);
        if (!Number.isInteger(seconds) || seconds < 0 || !Number.isInteger(blocks) || blocks < 1) {
          throw new GovCliError("--seconds must be an integer >= 0 and --blocks an integer >= 1");
        }
        if (seconds > 0) await chain.provider.send("evm_increaseTime", [seconds]);
        await chain.provider.send("hardhat_mine", [`0x${blocks.toString(16)}`]);
        if (seconds > 0 && opts.refreshFeeds) {
          // A clock jump ages the feeds' answers by as much; on the local replica re-publish them, as their
          // heartbeat would on mainnet, so the keeper is not left holding on OracleStale.
          await refreshFeeds(await connectMarket(chain.deployment.market, chain.signer()));
        }
        const block = await chain.provider.getBlock("latest");
        io.out(`now block ${block!.number}, time ${new Date(block!.timestamp * 1000).toISOString()}`);
        if (seconds > 0) {
          io.out(
            opts.refreshFeeds
              ? "re-published the ETH/USD and USDC/USD feeds at their answers (fresh at the new time)"
              : `the feeds' answers are now ${seconds} s older: \`npm run market -- refresh\` re-publishes them`,
          );
        }
      }),
    );

  return program;
}

/** Runs the CLI on `argv` (user arguments only); resolves to the exit code. */
export async function runGov(argv: readonly string[], io: GovIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`gov: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
