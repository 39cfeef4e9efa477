/**
 * `npm run test:faults`: runs the fault suite (test/faults) under `hardhat test mocha` and prints the fault table:
 * fault, trials, survived, hedges expected vs found, double hedges, trades outside bounds, data lost. Exits non-zero
 * when a test failed or any row shows a double hedge, a trade outside bounds, lost data or a trial that did not
 * survive. `-- --markdown` prints the table as Markdown (for docs/reliability.md).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FaultRow } from "../test/faults/harness.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITE_DIR = "test/faults";

function runSuite(reportPath: string): Promise<number> {
  const files = readdirSync(join(ROOT, SUITE_DIR))
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => `${SUITE_DIR}/${name}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["node_modules/hardhat/dist/src/cli.js", "test", "mocha", ...files], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, HK_FAULT_SUITE: "1", HK_FAULT_REPORT: reportPath },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const COLUMNS: [string, (row: FaultRow) => string | number][] = [
  ["fault", (row) => row.fault],
  ["trials", (row) => row.trials],
  ["survived", (row) => row.survived],
  ["hedges expected", (row) => row.hedgesExpected],
  ["hedges found", (row) => row.hedgesFound],
  ["double hedges", (row) => row.doubleHedges],
  ["outside bounds", (row) => row.outsideBounds],
  ["data lost", (row) => row.dataLost],
];

export function formatTable(rows: FaultRow[], markdown: boolean): string {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => String(cell(row))));
  const headers = COLUMNS.map(([header]) => header);
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join(" | ");
  const rule = widths.map((width, i) => (i === 0 ? "-".repeat(width) : "-".repeat(width - 1) + ":")).join(" | ");
  const body = [line(headers), rule, ...cells.map(line)];
  return markdown ? body.map((row) => `| ${row} |`).join("\n") : body.join("\n");
}

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
  const dir = mkdtempSync(join(tmpdir(), "hk-fault-report-"));
  const reportPath = join(dir, "rows.jsonl");
  const started = performance.now();
  try {
    const exitCode = await runSuite(reportPath);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    let text = "";
    try {
      text = readFileSync(reportPath, "utf8");
    } catch {
      // no row written: every test failed before recording, reported below
    }
    const rows = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as FaultRow);
    const totals = rows.reduce(
      (sum, row) => ({
        trials: sum.trials + row.trials,
        doubleHedges: sum.doubleHedges + row.doubleHedges,
        outsideBounds: sum.outsideBounds + row.outsideBounds,
        dataLost: sum.dataLost + row.dataLost,
      }),
      { trials: 0, doubleHedges: 0, outsideBounds: 0, dataLost: 0 },
    );
    process.stdout.write(`\nFault table (${rows.length} faults, ${totals.trials} trials, ${seconds} s)\n\n`);
    process.stdout.write(formatTable(rows, markdown) + "\n\n");
    process.stdout.write(
      `double hedges: ${totals.doubleHedges}, trades outside bounds: ${totals.outsideBounds}, ` +
        `data lost: ${totals.dataLost}\n`,
    );
    if (exitCode !== 0) process.stdout.write(`BROKEN: hardhat test exited with code ${exitCode}\n`);
    const broken = brokenRows(rows);
    for (const row of broken) process.stdout.write(`BROKEN: ${row.fault}\n`);
    if (rows.length === 0) process.stdout.write("BROKEN: the suite recorded no fault\n");
    process.exitCode = exitCode !== 0 || broken.length > 0 || rows.length === 0 ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
