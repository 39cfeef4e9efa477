/**
 * Governance CLI: `npm run gov -- <command>`. Thin over scripts/lib/governance/.
 *
 *   delegate | propose | vote | queue | execute | status | simulate | advance (local dev chain only)
 *
 * Talks to a JSON-RPC node (--rpc) with ethers, about the contracts of a deployment file (--deployment). `status`
 * names the deployment's governance profile (production or development) and what the chain enforces.
 */
import { pathToFileURL } from "node:url";
import { runGov } from "./lib/governance/cli.js";
import type { GovIo } from "./lib/governance/cliChain.js";

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: GovIo = { out: (line) => console.log(line), err: (line) => console.error(line), env: process.env };
  process.exitCode = await runGov(process.argv.slice(2), io);
}
