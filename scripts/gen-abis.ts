/**
 * Writes keeper/chain/abis.generated.ts: the ABIs the keeper uses, as `as const` literals so viem types every call.
 * Sources: our compiled artifacts (run `npx hardhat build` first) and the published Uniswap V3 / Chainlink ABIs.
 * test/keeper/abis.test.ts fails when the file is out of date; regenerate with `npm run gen:abis`.
 */
import { writeFileSync } from "node:fs";
import { renderAbis } from "./lib/codegen/abis.js";

const target = new URL("../keeper/chain/abis.generated.ts", import.meta.url);
writeFileSync(target, renderAbis());
console.log(`wrote ${target.pathname}`);
