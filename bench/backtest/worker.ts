/** Worker-thread entry of the backtest pool (`parallel.ts`): runs one chunk of paths per message. */
import { parentPort } from "node:worker_threads";
import { simulateChunk, type BacktestSpec } from "./engine.js";

export interface ChunkTask {
  taskId: number;
  spec: BacktestSpec;
  firstPath: number;
  count: number;
}

if (parentPort === null) throw new Error("bench/backtest/worker.ts must run as a worker thread");
const port = parentPort;
port.on("message", (task: ChunkTask) => {
  try {
    const result = simulateChunk(task.spec, task.firstPath, task.count);
    // The arrays are fresh Float64Arrays (plain ArrayBuffers), moved rather than copied.
    const buffers = result.policies.flatMap((p) =>
      [p.pnlUsd, p.costUsd, p.trades, p.tradedEth].map((a) => a.buffer as ArrayBuffer),
    );
    port.postMessage({ taskId: task.taskId, result }, buffers);
  } catch (error) {
    port.postMessage({
      taskId: task.taskId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
