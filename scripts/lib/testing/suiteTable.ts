/**
 * What the table-printing suites (`npm run test:faults`, `npm run test:attacks`) share: running a folder of mocha
 * tests under `hardhat test` with extra environment, collecting the JSON-lines rows they write, and printing a table.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** A column: header and how a row renders in it. The first column is left-aligned, the rest right-aligned. */
export type Column<Row> = [string, (row: Row) => string | number];

/** Runs every `*.test.ts` in `suiteDir`, then `alsoFiles`, under `hardhat test mocha`; resolves with its exit code. */
function runSuite(suiteDir: string, alsoFiles: readonly string[], env: Record<string, string>): Promise<number> {
  const files = readdirSync(join(ROOT, suiteDir))
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => `${suiteDir}/${name}`)
    .concat(alsoFiles);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["node_modules/hardhat/dist/src/cli.js", "test", "mocha", ...files], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs the suite with `reportVariable` pointing at a fresh JSON-lines file and returns the exit code and the rows the
 * tests appended to it.
 */
export async function runTableSuite<Row>(args: {
  suiteDir: string;
  /** test files elsewhere that record rows too (e.g. regression tests that are also attacks) */
  alsoFiles?: readonly string[];
  env: Record<string, string>;
  reportVariable: string;
}): Promise<{ exitCode: number; rows: Row[]; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "hk-suite-report-"));
  const reportPath = join(dir, "rows.jsonl");
  const started = performance.now();
  try {
    const exitCode = await runSuite(args.suiteDir, args.alsoFiles ?? [], {
      ...args.env,
      [args.reportVariable]: reportPath,
    });
    let text = "";
    try {
      text = readFileSync(reportPath, "utf8");
    } catch {
      // no row written: every test failed before recording; the caller reports an empty table
    }
    const rows = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Row);
    return { exitCode, rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain-text (or Markdown) table of `rows`. */
export function formatTable<Row>(columns: Column<Row>[], rows: Row[], markdown: boolean): string {
  const cells = rows.map((row) => columns.map(([, cell]) => String(cell(row))));
  const headers = columns.map(([header]) => header);
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join(" | ");
  const rule = widths.map((width, i) => (i === 0 ? "-".repeat(width) : "-".repeat(width - 1) + ":")).join(" | ");
  const body = [line(headers), rule, ...cells.map(line)];
  return markdown ? body.map((row) => `| ${row} |`).join("\n") : body.join("\n");
}
