/** Human formatting of the governance CLI's output. */
import { formatEther } from "ethers";
import { PARAM_NAMES, type ParamName } from "./governance.js";
import type { ReplayStats } from "./policyReplay.js";
import type { SimulationResult } from "./proposalSimulation.js";

/** `10.0 (10000000000000000000 wad)`, `60 s`, `30 bps`: the unit is the suffix of the name. */
export function formatParam(name: ParamName, value: bigint | number): string {
  if (name.endsWith("Wad")) return `${formatEther(BigInt(value))} (${value} wad)`;
  if (name.endsWith("Sec")) return `${value} s`;
  return `${value} bps`;
}

/** ISO time and unix seconds of an eta, or a dash. */
export function formatEta(etaSec: bigint | null): string {
  return etaSec === null ? "—" : `${new Date(Number(etaSec) * 1000).toISOString()} (${etaSec})`;
}

/** Left-aligned columns, three spaces apart. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join("   ")
      .trimEnd(),
  );
}

/** `gov simulate`'s side-by-side table: parameters (changed ones starred), then the replay statistics. */
export function comparisonTable(result: SimulationResult): string[] {
  const rows: string[][] = [["", "current", "proposed"]];
  for (const name of PARAM_NAMES) {
    const marker = result.current[name] === result.proposed[name] ? "" : " *";
    rows.push([name, formatParam(name, result.current[name]), formatParam(name, result.proposed[name]) + marker]);
  }
  const stat = (label: string, pick: (s: ReplayStats) => number, digits = 0) =>
    rows.push([label, pick(result.currentStats).toFixed(digits), pick(result.proposedStats).toFixed(digits)]);
  rows.push(["", "", ""]);
  stat("hedges", (s) => s.hedgeCount);
  stat("swaps (legs)", (s) => s.legCount);
  stat("traded ETH", (s) => s.tradedEth, 2);
  stat("total cost USD", (s) => s.totalCostUsd, 2);
  stat("mean |delta error| ETH", (s) => s.meanAbsDeltaEth, 3);
  stat("max |delta error| ETH", (s) => s.maxAbsDeltaEth, 3);
  return table(rows);
}
