import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "keeper/chain/abis.generated.ts",
      "node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "reports/",
      "bench/results/",
      "coverage/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // Published reference coefficients (Cody's erfc, textbook values) are quoted with all their digits.
    files: ["keeper/risk/**/*.ts", "test/**/*.ts"],
    rules: { "no-loss-of-precision": "off" },
  },
  {
    files: ["keeper/**/*.ts"],
    ignores: ["keeper/cli/**"],
    rules: { "no-console": "error" },
  },
);
