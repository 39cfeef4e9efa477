import { getAddress, isAddress, type Address } from "viem";

/** Every external contract the stack talks to, for one chain. */
export interface AddressBook {
  chainId: number;
  weth: Address;
  usdc: Address;
  /** Uniswap V3 WETH/USDC 0.05% pool. */
  pool: Address;
  swapRouter: Address;
  quoterV2: Address;
  factory: Address;
  positionManager: Address;
  /** Chainlink ETH/USD (8 decimals). */
  ethUsdFeed: Address;
  /** Chainlink USDC/USD (8 decimals): the adapter's depeg guard. */
  usdcUsdFeed: Address;
}

/** Our deployment on top of a market. */
export interface StackAddresses {
  vault: Address;
  adapter: Address;
  governor?: Address;
  timelock?: Address;
  token?: Address;
}

/**
 * Ethereum mainnet canonical addresses, used by the fork profile. The fork is pinned to
 * `MAINNET_FORK_BLOCK` (override with the env variable of the same name) so runs are reproducible.
 */
export const MAINNET: AddressBook = {
  chainId: 1,
  weth: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
  usdc: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
  pool: "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
  swapRouter: "0xE592427A0AEce92De3Edee1F18E0157C05861564",
  quoterV2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
  factory: "0x1F98431c8aD98523631AE4a59f267346ea31F984",
  positionManager: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
  ethUsdFeed: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
  usdcUsdFeed: "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6",
};

export const MAINNET_FORK_BLOCK = 21_000_000;

/** Parses a user-supplied address: a clear error for a malformed one, checksummed on success. */
export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new Error(`${what}: "${value}" is not a 20-byte hex address`);
  }
  return getAddress(value);
}
