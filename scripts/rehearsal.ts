/**
 * The fork rehearsal: starts the mainnet-shaped chain (scripts/lib/rehearsal/mainnetChain.ts), points
 * MAINNET_RPC_URL and MAINNET_FORK_BLOCK at it, and runs the unchanged fork profile against it.
 *
 *   npm run test:fork-rehearsal            the fork suite (test/scenarios/fork.test.ts): settings, the 13 scenarios
 *   npm run test:fork-rehearsal -- --serve build the chain and keep serving it (prints the variables to export)
 *
 * Exit code: the test run's (0 all passed), 1 when the chain cannot be built.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FORK_BLOCK_VARIABLE, RPC_URL_VARIABLE } from "./lib/scenarios/forkConfig.js";
import { startRehearsalChain, type RehearsalChain } from "./lib/rehearsal/mainnetChain.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FORK_SUITE = "test/scenarios/fork.test.ts";

function runForkSuite(chain: RehearsalChain): Promise<number> {
  const env = {
    ...process.env,
    [RPC_URL_VARIABLE]: chain.url,
    [FORK_BLOCK_VARIABLE]: String(chain.forkBlock),
  };
  const child = spawn(process.execPath, ["node_modules/hardhat/dist/src/cli.js", "test", "mocha", FORK_SUITE], {
    cwd: ROOT,
    env,
    stdio: "inherit",
  });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const chain = await startRehearsalChain();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(
    `rehearsal chain: ${chain.url} (chain id ${chain.chainId}, head ${chain.head}, fork block ${chain.forkBlock}, built in ${seconds} s)`,
  );
  if (argv.includes("--serve")) {
    console.log(`export ${RPC_URL_VARIABLE}=${chain.url} ${FORK_BLOCK_VARIABLE}=${chain.forkBlock}`);
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    await chain.stop();
    return 0;
  }
  try {
    return await runForkSuite(chain);
  } finally {
    await chain.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fork rehearsal: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
