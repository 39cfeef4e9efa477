/**
 * Reads of the stack's state in the off-chain units the policy and the CLI use. Works with any ethers runner
 * (a JsonRpcProvider, a Hardhat provider or signer).
 */
import { bookFromRows, type Book, type BookRow } from "../../../keeper/risk/index.js";
import { adapterParamsFromChain } from "../../../keeper/chain/snapshot.js";
import { wadToNumber } from "../../../keeper/units.js";
import type { HedgeAdapter, OptionsVault } from "../../../types/ethers-contracts/index.js";
import { PARAM_NAMES, type ParamName } from "./governance.js";
import type { AdapterParams } from "../market/stack.js";

/** The adapter's current parameters (`params()`), on-chain units. */
export async function readAdapterParams(adapter: HedgeAdapter): Promise<AdapterParams> {
  return adapterParamsFromChain(await adapter.params());
}

/** The vault's active book (paged) and WETH held, in the risk stage's human units. */
export async function readVaultBook(vault: OptionsVault, pageSize = 200): Promise<{ book: Book; wethEth: number }> {
  const count = Number(await vault.activeSeriesCount());
  const rows: BookRow[] = [];
  for (let offset = 0; offset < count; offset += pageSize) {
    for (const s of await vault.getActiveSeries(offset, pageSize)) {
      rows.push({
        strikeUsd: wadToNumber(s.strikeWad),
        expirySec: Number(s.expiry),
        isCall: s.isCall,
        sizeEth: wadToNumber(s.sizeWad),
        vol: wadToNumber(s.volWad),
      });
    }
  }
  const [wethWad] = await vault.collateral();
  return { book: bookFromRows(rows), wethEth: wadToNumber(wethWad) };
}

/** The adapter's hard bounds `[min, max]` of every parameter (`paramBounds`), by field name. */
export async function readParamBounds(adapter: HedgeAdapter): Promise<Record<ParamName, readonly [bigint, bigint]>> {
  const bounds = {} as Record<ParamName, readonly [bigint, bigint]>;
  await Promise.all(
    PARAM_NAMES.map(async (name, index) => {
      const [min, max] = await adapter.paramBounds(index);
      bounds[name] = [min, max];
    }),
  );
  return bounds;
}
