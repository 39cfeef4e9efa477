import type { Logger } from "pino";
import type { HedgeOutcome } from "../executor/index.js";
import type { KeeperMetrics } from "../telemetry/metrics.js";
import { deviationBps, executionPriceUsd, wadToNumber, weiToEthNumber } from "../units.js";

/** Counts and logs a hedge's outcome (metrics and one structured line); keeps no state. */
export function reportOutcome(metrics: KeeperMetrics, outcome: HedgeOutcome, log: Logger): void {
  switch (outcome.kind) {
    case "succeeded": {
      metrics.hedgesTotal.inc({ outcome: "success" });
      metrics.hedgeGasUsedTotal.inc(Number(outcome.gasUsed));
      metrics.hedgeGasCostEthTotal.inc(weiToEthNumber(outcome.gasUsed * outcome.effectiveGasPrice));
      const buy = outcome.deltaAfterWad > outcome.deltaBeforeWad;
      const price = buy
        ? executionPriceUsd(outcome.amountIn, outcome.amountOut)
        : executionPriceUsd(outcome.amountOut, outcome.amountIn);
      const oracle = wadToNumber(outcome.oraclePriceWad);
      const slippageBps = buy ? deviationBps(price, oracle) : -deviationBps(price, oracle);
      metrics.realisedSlippageBps.observe(slippageBps);
      log.info(
        {
          tx: outcome.txHash,
          block: outcome.blockNumber.toString(),
          deltaBeforeEth: wadToNumber(outcome.deltaBeforeWad),
          deltaAfterEth: wadToNumber(outcome.deltaAfterWad),
          executionPriceUsd: price,
          oraclePriceUsd: oracle,
          slippageBps,
          gasUsed: outcome.gasUsed.toString(),
        },
        "hedge succeeded",
      );
      return;
    }
    case "reverted":
      metrics.hedgesTotal.inc({ outcome: "reverted" });
      log.error({ alert: true, tx: outcome.txHash, error: outcome.error }, "hedge reverted on chain");
      return;
    case "rejected":
      metrics.hedgesTotal.inc({ outcome: "failed" });
      log.warn({ alert: true, error: outcome.error }, "adapter guard refused the hedge in simulation");
      return;
    case "dropped":
      metrics.hedgesTotal.inc({ outcome: "failed" });
      log.warn({ intent: outcome.intentId, reason: outcome.reason }, "hedge intent dropped");
      return;
    case "deferred":
      log.warn({ reason: outcome.reason }, "hedge deferred");
      return;
    case "pending":
      log.warn({ intent: outcome.intentId, tx: outcome.txHash }, "hedge still pending");
      return;
  }
}
