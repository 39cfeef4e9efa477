/**
 * Chainlink's EACAggregatorProxy, the contract behind mainnet's ETH/USD and USDC/USD feed addresses, compiled from the
 * source Chainlink published in `@chainlink/contracts@0.8.0` (installed as `chainlink-contracts-v0.6`) with the
 * compiler its pragma pins, solc 0.6.6 (installed as `solc-v0.6.6`). No 0.8 port: the proxy's owner, phase and
 * round-id logic is Chainlink's own code. The optimizer setting may differ from the mainnet build, which changes gas
 * and bytecode but not behaviour.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Abi, Hex } from "viem";

const require = createRequire(import.meta.url);

const SOURCE_ROOT = join(dirname(require.resolve("chainlink-contracts-v0.6/package.json")), "src", "v0.6");
const ENTRY = "EACAggregatorProxy.sol";

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

let compiled: { abi: Abi; bytecode: Hex } | undefined;

/** Compiles EACAggregatorProxy once per process. @throws Error with solc's messages when it does not compile */
export function eacAggregatorProxyArtifact(): { abi: Abi; bytecode: Hex } {
  if (compiled) return compiled;
  const solc = require("solc-v0.6.6") as { compile(input: string, callbacks: object): string };
  const input = {
    language: "Solidity",
    sources: { [ENTRY]: { content: readFileSync(join(SOURCE_ROOT, ENTRY), "utf8") } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode"] } } },
  };
  // Imports in the 0.6 sources are relative ("./AggregatorProxy.sol"), so every path resolves under SOURCE_ROOT.
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(join(SOURCE_ROOT, path), "utf8") };
    } catch (error) {
      return { error: `cannot read ${path}: ${(error as Error).message}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc 0.6.6: ${errors.map((e) => e.formattedMessage).join("\n")}`);
  const contract = output.contracts[ENTRY]!.EACAggregatorProxy!;
  compiled = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  return compiled;
}
