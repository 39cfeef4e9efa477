/**
 * Counts what JSON-RPC over HTTP costs on the wire, for the scaling bench: HTTP posts and request/response body bytes.
 * viem's http transport looks up the global `fetch` on every request, so wrapping it meters any client in the process
 * (the keeper's own transport included) without touching its code. Bodies only: HTTP headers are not counted.
 */

export interface FetchMeter {
  posts: number;
  requestBytes: number;
  responseBytes: number;
  reset(): void;
  /** put the original `fetch` back */
  uninstall(): void;
}

function bodyBytes(body: unknown): number {
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/** Wraps `globalThis.fetch` until `uninstall()`; responses are read whole, counted and handed on unchanged. */
export function installFetchMeter(): FetchMeter {
  const original = globalThis.fetch;
  const meter: FetchMeter = {
    posts: 0,
    requestBytes: 0,
    responseBytes: 0,
    reset() {
      meter.posts = 0;
      meter.requestBytes = 0;
      meter.responseBytes = 0;
    },
    uninstall() {
      globalThis.fetch = original;
    },
  };
  globalThis.fetch = async (input, init) => {
    meter.posts += 1;
    meter.requestBytes += bodyBytes(init?.body);
    const response = await original(input, init);
    const body = await response.arrayBuffer();
    meter.responseBytes += body.byteLength;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return meter;
}
