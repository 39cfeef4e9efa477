import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { CONFIG_VARIABLES, describeUnknown, unknownVariables } from "../../keeper/config/index.js";
import { configTable, envExample, withConfigTable } from "../../keeper/config/docs.js";
import { generatedConfigDocs } from "../../scripts/gen-config-docs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("config docs generated from the variable declarations", function () {
  it("README's variable table and .env.example are what `npm run gen:config-docs` writes", async function () {
    const generated = await generatedConfigDocs();
    expect(
      readFileSync(join(ROOT, "README.md"), "utf8") === generated.readme,
      "README.md is stale: run npm run gen:config-docs",
    ).to.equal(true);
    expect(readFileSync(join(ROOT, ".env.example"), "utf8")).to.equal(generated.envExample);
  });

  it("documents every variable the schema reads, in both places", function () {
    const table = configTable();
    const example = envExample();
    for (const name of CONFIG_VARIABLES) {
      expect(table, name).to.contain(`\`${name}\``);
      expect(example, name).to.match(new RegExp(`^(# )?${name}=`, "m"));
    }
    expect(example).to.match(/^HK_QUOTER_ADDRESS=$/m);
  });

  it("refuses a README without the config markers", function () {
    expect(() => withConfigTable("# no markers here\n", "| x |")).to.throw(/markers .* are missing/);
  });
});

describe("unknownVariables", function () {
  it("names the nearest known variable of a typo", function () {
    const unknown = unknownVariables({ HK_SLIPAGE_BPS: "30", HK_CHAIN_ID: "1" }, { dotenvPath: null });
    expect(unknown).to.deep.equal([{ variable: "HK_SLIPAGE_BPS", nearest: "HK_SLIPPAGE_BPS" }]);
    expect(describeUnknown(unknown[0]!)).to.equal(
      "HK_SLIPAGE_BPS is not a keeper variable and is ignored; did you mean HK_SLIPPAGE_BPS?",
    );
  });

  it("suggests nothing for a name far from every known one, and knows the test harness's variables", function () {
    const unknown = unknownVariables(
      { HK_SOMETHING_ELSE_ENTIRELY: "1", HK_FAULT_INJECTION: "1", HK_CRASH_AT: "after-send", OTHER: "x" },
      { dotenvPath: null },
    );
    expect(unknown).to.deep.equal([{ variable: "HK_SOMETHING_ELSE_ENTIRELY", nearest: null }]);
  });
});
