import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  fallback,
  http,
  type Account,
  type Chain,
  type EIP1193RequestFn,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";

/** Counts what a cycle costs in RPC: logical JSON-RPC requests and network round trips (HTTP posts). */
export interface RpcCounter {
  requests: number;
  roundTrips: number;
  errors: number;
}

export function createRpcCounter(): RpcCounter {
  return { requests: 0, roundTrips: 0, errors: 0 };
}

export function resetRpcCounter(counter: RpcCounter): void {
  counter.requests = 0;
  counter.roundTrips = 0;
  counter.errors = 0;
}

export interface HttpTransportOptions {
  timeoutMs?: number;
  retryCount?: number;
  /** Re-rank the URLs by latency/stability every `rankIntervalMs` (viem fallback ranking); off when undefined. */
  rankIntervalMs?: number;
  /**
   * Ends the ranking. viem's ranking loop has no stop and keeps a timer pending forever, which keeps a process that
   * is done (`keeper once`, a test) alive: once aborted, the ranking ping never settles and the loop stays parked.
   */
  rankingSignal?: AbortSignal;
}

/** Ping of the ranking: a head read; after `signal` aborts, a promise that never settles (see `rankingSignal`). */
function rankingPing(signal: AbortSignal | undefined) {
  return ({ transport }: { transport: ReturnType<Transport> }): Promise<unknown> =>
    signal?.aborted ? new Promise(() => undefined) : transport.request({ method: "eth_blockNumber" });
}

/**
 * HTTP transport over one or more RPC URLs: requests issued in the same tick go out as one JSON-RPC batch (one round
 * trip), and several URLs fail over through viem's `fallback` transport (optionally ranked).
 */
export function httpTransport(urls: string[], counter: RpcCounter, options: HttpTransportOptions = {}): Transport {
  const one = (url: string) =>
    http(url, {
      batch: { batchSize: 10_000, wait: 0 },
      timeout: options.timeoutMs ?? 10_000,
      retryCount: urls.length > 1 ? 0 : (options.retryCount ?? 2),
      onFetchRequest: () => {
        counter.roundTrips += 1;
      },
      onFetchResponse: (response) => {
        if (!response.ok) counter.errors += 1;
      },
    });
  const base =
    urls.length === 1
      ? one(urls[0]!)
      : fallback(urls.map(one), {
          rank: options.rankIntervalMs
            ? { interval: options.rankIntervalMs, ping: rankingPing(options.rankingSignal) }
            : false,
          retryCount: options.retryCount ?? 2,
        });
  return countRequests(base, counter);
}

/** Transport over an in-process EIP-1193 provider (Hardhat's simulated network): one round trip per request. */
export function eip1193Transport(provider: { request: EIP1193RequestFn }, counter: RpcCounter): Transport {
  return countRequests(
    custom({
      request: async (args) => {
        counter.roundTrips += 1;
        return provider.request(args as never);
      },
    }),
    counter,
  );
}

function countRequests(base: Transport, counter: RpcCounter): Transport {
  return (params) => {
    const transport = base(params);
    const request = (async (args: Parameters<EIP1193RequestFn>[0]) => {
      counter.requests += 1;
      try {
        return await transport.request(args as never);
      } catch (error) {
        counter.errors += 1;
        throw error;
      }
    }) as EIP1193RequestFn;
    return { ...transport, request };
  };
}

export function chainFor(chainId: number, rpcUrl = "http://127.0.0.1:8545"): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 1 ? "Ethereum" : chainId === 31337 ? "Hardhat" : `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export interface Clients {
  publicClient: PublicClient;
  walletClient: WalletClient | null;
  counter: RpcCounter;
}

export function createClients(
  transport: Transport,
  chain: Chain,
  account: Account | null,
  counter: RpcCounter,
): Clients {
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient;
  const walletClient = account ? createWalletClient({ chain, transport, account }) : null;
  return { publicClient, walletClient, counter };
}
