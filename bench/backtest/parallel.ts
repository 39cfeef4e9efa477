/**
 * Runs backtests across worker threads: a spec's paths are cut into chunks, chunks go to idle workers, and the
 * results are merged in path order. Paths are seeded by index (`rng.ts`), so the numbers do not depend on the
 * number of workers; with one worker (or zero) everything runs inline in this thread.
 */
import { Worker } from "node:worker_threads";
import { mergeResults, simulateChunk, type BacktestResult, type BacktestSpec } from "./engine.js";
import type { ChunkTask } from "./worker.js";

type ChunkReply = { taskId: number; result: BacktestResult } | { taskId: number; error: string };

export interface BacktestPool {
  /** threads the pool runs on (1 = inline) */
  readonly size: number;
  run(spec: BacktestSpec): Promise<BacktestResult>;
  /** stop the workers; the pool cannot run afterwards */
  close(): Promise<void>;
}

/** Chunks per worker: enough to even out uneven chunk times, few enough to keep messaging negligible. */
const CHUNKS_PER_WORKER = 4;

function inlinePool(): BacktestPool {
  return {
    size: 1,
    run: (spec) => Promise.resolve(simulateChunk(spec)),
    close: () => Promise.resolve(),
  };
}

interface Pending {
  task: ChunkTask;
  resolve: (result: BacktestResult) => void;
  reject: (error: Error) => void;
}

/** A pool of `threads` workers (inline when threads <= 1). Close it when done, or the process stays alive. */
export function createBacktestPool(threads: number): BacktestPool {
  if (threads <= 1) return inlinePool();
  const workers = Array.from({ length: threads }, () => new Worker(new URL("./worker.ts", import.meta.url)));
  const idle = [...workers];
  const queue: Pending[] = [];
  const inFlight = new Map<number, Pending>();
  let nextTaskId = 0;
  let closed = false;

  function dispatch(): void {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const pending = queue.shift()!;
      inFlight.set(pending.task.taskId, pending);
      worker.postMessage(pending.task);
    }
  }

  for (const worker of workers) {
    worker.on("message", (reply: ChunkReply) => {
      const pending = inFlight.get(reply.taskId);
      inFlight.delete(reply.taskId);
      idle.push(worker);
      if (pending !== undefined) {
        if ("error" in reply)
          pending.reject(new Error(`backtest chunk from path ${pending.task.firstPath} failed: ${reply.error}`));
        else pending.resolve(reply.result);
      }
      dispatch();
    });
    worker.on("error", (error) => {
      // A worker that dies takes its chunk with it: fail everything in flight rather than hang.
      for (const pending of inFlight.values()) pending.reject(new Error(`backtest worker died: ${error.message}`));
      inFlight.clear();
    });
  }

  function runChunk(spec: BacktestSpec, firstPath: number, count: number): Promise<BacktestResult> {
    return new Promise((resolve, reject) => {
      queue.push({ task: { taskId: nextTaskId++, spec, firstPath, count }, resolve, reject });
      dispatch();
    });
  }

  return {
    size: threads,
    async run(spec: BacktestSpec): Promise<BacktestResult> {
      if (closed) throw new Error("backtest pool is closed");
      const chunkCount = Math.min(spec.paths, threads * CHUNKS_PER_WORKER);
      const chunks: Promise<BacktestResult>[] = [];
      for (let c = 0; c < chunkCount; c++) {
        const first = Math.floor((c * spec.paths) / chunkCount);
        const end = Math.floor(((c + 1) * spec.paths) / chunkCount);
        chunks.push(runChunk(spec, first, end - first));
      }
      return mergeResults(await Promise.all(chunks));
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
