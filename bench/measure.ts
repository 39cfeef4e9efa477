/** Small statistics and helpers shared by the chain-facing bench sections (gas, scaling, latency). */
import { network } from "hardhat";

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Ordinary least squares y ≈ intercept + slope·x over at least two distinct x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  if (xs.length !== ys.length || new Set(xs).size < 2)
    throw new RangeError(
      `linearFit needs paired values at two or more distinct x, got ${xs.length} x / ${ys.length} y`,
    );
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const slope = num / den;
  return { intercept: my - slope * mx, slope };
}

/** Runs `fn` `runs` times after `warmup` untimed runs; returns each run's wall time in ms. */
export async function timeRuns(runs: number, warmup: number, fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times;
}

/** An in-process Hardhat network (EDR) for one section: created, handed to `use`, closed however `use` ends. */
export async function withInProcessNetwork<T>(
  progress: (message: string) => void,
  use: (connection: Awaited<ReturnType<typeof network.create>>) => Promise<T>,
): Promise<T> {
  const creating = performance.now();
  const connection = await network.create();
  progress(`in-process Hardhat network created in ${((performance.now() - creating) / 1000).toFixed(1)} s`);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
