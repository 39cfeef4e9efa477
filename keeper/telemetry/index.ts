/** Telemetry stage: structured logs, Prometheus metrics, health. */
export { createLogger, withCycle, scrubLine, maskUrls, type LoggerOptions } from "./logger.js";
export {
  createMetrics,
  type CycleOutcome,
  type HedgeOutcome,
  type KeeperMetrics,
  type MetricsOptions,
} from "./metrics.js";
export {
  evaluateHealth,
  startTelemetryServer,
  type HealthInput,
  type HealthStatus,
  type TelemetryServer,
  type TelemetryServerOptions,
} from "./health.js";
