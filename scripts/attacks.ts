/**
 * `npm run test:attacks`: runs the attack suite (test/attacks) under `hardhat test mocha` against the real contracts on
 * the replica and prints the attack table: attack, role, trials, blocked, value lost (USD), bound (USD), rule. Exits
 * non-zero when a test failed, when no row was recorded, or when any row lost more than its bound.
 * `-- --markdown` prints the table as Markdown (for the README's threat model).
 */
import type { AttackRow } from "../test/attacks/harness.js";
import { formatTable, runTableSuite, type Column } from "./lib/testing/suiteTable.js";

const usd = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 });

const COLUMNS: Column<AttackRow>[] = [
  ["attack", (row) => row.attack],
  ["role", (row) => row.role],
  ["trials", (row) => row.trials],
  ["blocked", (row) => row.blocked],
  ["value lost (USD)", (row) => usd(row.lostUsd)],
  ["bound (USD)", (row) => usd(row.boundUsd)],
  ["bounded by", (row) => row.rule],
];

/** Rows that break the suite's promise: a loss above the stated bound. */
export function brokenRows(rows: AttackRow[]): AttackRow[] {
  return rows.filter((row) => row.lostUsd > row.boundUsd + 1e-6 || row.trials === 0);
}

async function main(): Promise<void> {
  const markdown = process.argv.includes("--markdown");
  const { exitCode, rows, seconds } = await runTableSuite<AttackRow>({
    suiteDir: "test/attacks",
    // Regression tests of governance and the vault that are attacks as well: they record their rows when run here.
    alsoFiles: [
      "test/governance/capture.test.ts",
      "test/governance/timelock.test.ts",
      "test/contracts/OptionsVault.test.ts",
    ],
    env: { HK_ATTACK_SUITE: "1" },
    reportVariable: "HK_ATTACK_REPORT",
  });
  const trials = rows.reduce((sum, row) => sum + row.trials, 0);
  process.stdout.write(`\nAttack table (${rows.length} attacks, ${trials} trials, ${seconds.toFixed(1)} s)\n\n`);
  process.stdout.write(formatTable(COLUMNS, rows, markdown) + "\n\n");
  if (exitCode !== 0) process.stdout.write(`BROKEN: hardhat test exited with code ${exitCode}\n`);
  const broken = brokenRows(rows);
  for (const row of broken)
    process.stdout.write(`BROKEN: ${row.attack} lost ${usd(row.lostUsd)} > ${usd(row.boundUsd)}\n`);
  if (rows.length === 0) process.stdout.write("BROKEN: the suite recorded no attack\n");
  process.exitCode = exitCode !== 0 || broken.length > 0 || rows.length === 0 ? 1 : 0;
}

await main();
