/**
 * `npm run gen:config-docs`: writes the README's HK_* table (between the config markers) and .env.example from
 * keeper/config/variables.ts. `--check` writes nothing and exits 1 when either file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { configTable, envExample, withConfigTable } from "../keeper/config/docs.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The README and .env.example as the generator writes them. */
export async function generatedConfigDocs(): Promise<{ readme: string; envExample: string }> {
  const path = join(ROOT, "README.md");
  const options = (await resolveConfig(path)) ?? {};
  const readme = await format(withConfigTable(readFileSync(path, "utf8"), configTable()), {
    ...options,
    filepath: path,
  });
  return { readme, envExample: envExample() };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const generated = await generatedConfigDocs();
  const files = { "README.md": generated.readme, ".env.example": generated.envExample };
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [file, text] of Object.entries(files)) {
    const path = join(ROOT, file);
    if (readFileSync(path, "utf8") === text) continue;
    stale += 1;
    if (check) process.stderr.write(`${file} is stale: run npm run gen:config-docs\n`);
    else writeFileSync(path, text);
  }
  if (!check) process.stdout.write(`config docs: ${stale} file(s) updated\n`);
  process.exitCode = check && stale > 0 ? 1 : 0;
}
