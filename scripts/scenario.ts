/**
 * Runs the keeper through market scenarios on a chain profile and asserts what must follow.
 *
 *   npm run scenario -- <name> [--seed N] [--json]     one scenario: its line and its checks
 *   npm run scenario -- all [--seed N] [--json]        every scenario: the table
 *   npm run scenario -- list                           the catalogue
 *
 * The profile is the mainnet fork when MAINNET_RPC_URL is set (pinned at MAINNET_FORK_BLOCK), the local market
 * replica otherwise; `--profile replica|fork` forces one. Exit code: 0 all passed, 1 a scenario failed, 2 bad usage
 * or a profile that cannot run here.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import {
  defaultProfile,
  findScenario,
  formatChecks,
  formatResultLine,
  formatTable,
  openSession,
  PROFILES,
  SCENARIOS,
  type ChainProfile,
  type Scenario,
  type ScenarioResult,
} from "./lib/scenarios/index.js";
import { FORK_INPUT_EXIT_CODE, ForkInputError } from "./lib/scenarios/forkPreflight.js";

function parseSeed(raw: string): number {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError("a non-negative integer");
  return seed;
}

interface Options {
  seed: number;
  json: boolean;
  profile: "auto" | "replica" | "fork";
}

async function runScenarios(profile: ChainProfile, scenarios: readonly Scenario[], seed: number, json: boolean) {
  const results: ScenarioResult[] = [];
  const session = await openSession(profile);
  try {
    for (const scenario of scenarios) {
      const result = await session.run(scenario, { seed });
      results.push(result);
      if (!json && scenarios.length > 1) console.log(formatResultLine(result));
    }
  } finally {
    await session.close();
  }
  return results;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command("scenario")
    .description("Run the keeper through market scenarios and assert their outcomes")
    .argument("<name>", `a scenario (${SCENARIOS.map((s) => s.name).join(", ")}), "all" or "list"`)
    .option("--seed <n>", "seed of the option book", parseSeed, 1)
    .option("--json", "print the results as JSON", false)
    .addOption(
      new Option("--profile <profile>", "chain profile (auto: the fork when MAINNET_RPC_URL is set)")
        .choices(["auto", "replica", "fork"])
        .default("auto"),
    )
    .exitOverride();
  let name: string;
  let opts: Options;
  try {
    program.parse(argv, { from: "user" });
    name = program.args[0]!;
    opts = program.opts<Options>();
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }

  if (name === "list") {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(24)}${s.summary}`);
    return 0;
  }
  const scenarios = name === "all" ? SCENARIOS : [findScenario(name)].filter((s) => s !== undefined);
  if (scenarios.length === 0) {
    console.error(`unknown scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(", ")}, all, list`);
    return 2;
  }
  const profile = opts.profile === "auto" ? defaultProfile() : PROFILES[opts.profile];
  const unavailable = profile.unavailableReason();
  if (unavailable !== null) {
    console.error(`${profile.name} profile: skipped: ${unavailable}`);
    return 2;
  }
  const forkReason = PROFILES.fork.unavailableReason();
  if (!opts.json) {
    console.log(`profile: ${profile.title}, seed ${opts.seed}`);
    if (profile.name !== "fork" && forkReason !== null) console.log(`fork profile: skipped: ${forkReason}`);
  }

  const results = await runScenarios(profile, scenarios, opts.seed, opts.json);
  if (opts.json) {
    const fork = { ran: profile.name === "fork", skipped: forkReason };
    console.log(
      JSON.stringify({ profile: profile.name, title: profile.title, seed: opts.seed, fork, results }, null, 2),
    );
  } else if (results.length > 1) {
    console.log("");
    for (const line of formatTable(results, `scenarios on the ${profile.title}`)) console.log(line);
  } else {
    console.log(formatResultLine(results[0]!));
    for (const line of formatChecks(results[0]!)) console.log(line);
  }
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ForkInputError) {
      console.error(`fork profile: ${error.message}`);
      process.exit(FORK_INPUT_EXIT_CODE);
    }
    console.error(error);
    process.exit(1);
  },
);
