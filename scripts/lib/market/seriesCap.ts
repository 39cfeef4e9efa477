import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { Stack } from "./stack.js";

/** Storage slots searched for `maxActiveSeries` (OptionsVault's own state sits in the first few dozen). */
const STORAGE_SLOTS_SEARCHED = 64;

/**
 * Test and bench only, on a local chain: lets the vault hold `size` series, past MAX_ACTIVE_SERIES_CAP, by writing its
 * `maxActiveSeries` storage slot (the setter refuses values above the cap, as it must on a real chain). The slot is
 * found by value among the first slots and confirmed through the public getter; nothing else about the deployment
 * changes, and every series is still opened by `openSeries`. The vault's own `netDeltaWad()` cannot walk such a book
 * within a block's gas, which readers see as a failed call.
 */
export async function liftSeriesCap(ethers: HardhatEthers, vault: Stack["vault"], size: number): Promise<void> {
  const address = await vault.getAddress();
  const current = await vault.maxActiveSeries();
  const word = (v: bigint) => "0x" + v.toString(16).padStart(64, "0");
  for (let slot = 0; slot < STORAGE_SLOTS_SEARCHED; slot++) {
    const slotHex = "0x" + slot.toString(16);
    const before = (await ethers.provider.send("eth_getStorageAt", [address, slotHex, "latest"])) as string;
    if (BigInt(before) !== current) continue;
    await ethers.provider.send("hardhat_setStorageAt", [address, slotHex, word(BigInt(size))]);
    if ((await vault.maxActiveSeries()) === BigInt(size)) return;
    await ethers.provider.send("hardhat_setStorageAt", [address, slotHex, before]); // another variable; put it back
  }
  throw new Error(`no storage slot below ${STORAGE_SLOTS_SEARCHED} holds OptionsVault.maxActiveSeries (${current})`);
}
