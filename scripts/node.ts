/**
 * `npm run node`: a local Hardhat chain for the operator's walk-through, bound to 127.0.0.1 (Hardhat's own default in
 * a container is 0.0.0.0, and the node prints and unlocks the public dev keys, so anyone who can reach the port could
 * spend from them).
 *
 *   npm run node                           # automine: one block per transaction (Hardhat's default)
 *   npm run node -- --interval 2000        # also a block every 2 s, as on a real chain: idle time passes in blocks
 *   npm run node -- --interval 2000 --no-automine   # only interval blocks: transactions wait in the mempool
 *   npm run node -- --port 8546 --host 0.0.0.0      # another port; another interface only when asked, with a warning
 *
 * Stops on SIGINT/SIGTERM (Ctrl-C). Exit codes: 0 stopped, 1 the node failed, 2 bad options.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { startHardhatNode, type MiningMode } from "./lib/node/localNode.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function positiveInteger(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return value;
  };
}

const program = new Command()
  .name("node")
  .description("a local Hardhat chain on loopback, with automine and/or interval mining")
  .addOption(new Option("--port <n>", "TCP port").default(8545).argParser(positiveInteger("--port")))
  .addOption(new Option("--host <address>", "interface to bind").default("127.0.0.1"))
  .addOption(
    new Option("--interval <ms>", "also mine a block every <ms> milliseconds").argParser(positiveInteger("--interval")),
  )
  .option("--no-automine", "mine only on the interval (requires --interval)")
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const opts = program.opts<{ port: number; host: string; interval?: number; automine: boolean }>();
if (!opts.automine && opts.interval === undefined) {
  process.stderr.write("node: --no-automine needs --interval <ms>, or the chain never mines a block\n");
  process.exit(2);
}
if (!LOOPBACK.has(opts.host)) {
  process.stderr.write(
    `node: WARNING binding ${opts.host}: the dev accounts' keys are public, anyone who reaches this port can use them\n`,
  );
}
const mining: MiningMode = { automine: opts.automine, intervalMs: opts.interval ?? null };

try {
  const node = await startHardhatNode({
    port: opts.port,
    hostname: opts.host,
    mining,
    onOutput: (chunk) => process.stdout.write(chunk),
  });
  const how = [mining.automine ? "automine" : null, mining.intervalMs ? `a block every ${mining.intervalMs} ms` : null]
    .filter(Boolean)
    .join(" + ");
  process.stderr.write(`node: listening on ${node.url} (chain 31337), mining: ${how}; Ctrl-C stops it\n`);
  const stop = () => void node.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  node.process.once("exit", (code) => {
    process.stderr.write(`node: hardhat node exited with ${code}\n`);
    process.exit(code === 0 ? 0 : 1);
  });
} catch (error) {
  process.stderr.write(`node: ${(error as Error).message.split("\n")[0]}\n`);
  process.exit(1);
}
