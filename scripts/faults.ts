/**
 * `npm run test:faults`: runs the fault suite (test/faults) under `hardhat test mocha` and prints the fault table:
 * fault, trials, survived, hedges expected vs found, double hedges, trades outside bounds, data lost. Exits non-zero
 * when a test failed or any row shows a double hedge, a trade outside bounds, lost data or a trial that did not
 * survive. `-- --markdown` prints the table as Markdown (for docs/reliability.md).
 */
import type { FaultRow } from "../test/faults/harness.js";
import { formatTable, runTableSuite, type Column } from "./lib/testing/suiteTable.js";

const COLUMNS: Column<FaultRow>[] = [
  ["fault", (row) => row.fault],
  ["trials", (row) => row.trials],
  ["survived", (row) => row.survived],
  ["hedges expected", (row) => row.hedgesExpected],
  ["hedges found", (row) => row.hedgesFound],
  ["double hedges", (row) => row.doubleHedges],
  ["outside bounds", (row) => row.outsideBounds],
  ["data lost", (row) => row.dataLost],
];

/** Rows that break a promise of the suite. */
export function brokenRows(rows: FaultRow[]): FaultRow[] {
  return rows.filter(
    (row) =>
      row.survived !== row.trials ||
      row.hedgesFound !== row.hedgesExpected ||
      row.doubleHedges > 0 ||
      row.outsideBounds > 0 ||
      row.dataLost > 0,
  );
}

async function main(): Promise<void> {
  const markdown = process.argv.includes("--markdown");
  const { exitCode, rows, seconds } = await runTableSuite<FaultRow>({
    suiteDir: "test/faults",
    env: { HK_FAULT_SUITE: "1" },
    reportVariable: "HK_FAULT_REPORT",
  });
  const totals = rows.reduce(
    (sum, row) => ({
      trials: sum.trials + row.trials,
      doubleHedges: sum.doubleHedges + row.doubleHedges,
      outsideBounds: sum.outsideBounds + row.outsideBounds,
      dataLost: sum.dataLost + row.dataLost,
    }),
    { trials: 0, doubleHedges: 0, outsideBounds: 0, dataLost: 0 },
  );
  process.stdout.write(
    `\nFault table (${rows.length} faults, ${totals.trials} trials, ${seconds.toFixed(1)} s)\n\n` +
      formatTable(COLUMNS, rows, markdown) +
      "\n\n" +
      `double hedges: ${totals.doubleHedges}, trades outside bounds: ${totals.outsideBounds}, ` +
      `data lost: ${totals.dataLost}\n`,
  );
  if (exitCode !== 0) process.stdout.write(`BROKEN: hardhat test exited with code ${exitCode}\n`);
  const broken = brokenRows(rows);
  for (const row of broken) process.stdout.write(`BROKEN: ${row.fault}\n`);
  if (rows.length === 0) process.stdout.write("BROKEN: the suite recorded no fault\n");
  process.exitCode = exitCode !== 0 || broken.length > 0 || rows.length === 0 ? 1 : 0;
}

await main();
