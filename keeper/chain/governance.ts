import { decodeFunctionData, getAddress, type Address, type PublicClient } from "viem";
import { governorAbi, hedgeAdapterAbi } from "./abis.generated.js";

/** IHedgeAdapter.Param, by enum index. */
export const PARAM_FIELDS = [
  "deltaBandWad",
  "maxTradeWethWad",
  "cooldownSec",
  "maxOracleAgeSec",
  "maxSlippageBps",
  "maxPoolDeviationBps",
  "twapWindowSec",
  "minTradeWethWad",
  "overshootToleranceWad",
  "lossBudgetUsdWad",
  "turnoverBudgetWethWad",
  "budgetWindowSec",
  "maxUsdcDepegBps",
  "maxUsdcOracleAgeSec",
  "deltaBandBps",
] as const;

export interface QueuedChange {
  proposalId: bigint;
  description: string;
  /** unix seconds after which the timelock can execute it */
  etaSec: number;
  /** parameter changes the proposal makes on the adapter (other calls are listed as `other`) */
  params: { name: (typeof PARAM_FIELDS)[number]; value: bigint }[];
  other: number;
}

const QUEUED = 5; // IGovernor.ProposalState.Queued

/**
 * Proposals that are queued in the timelock (voted and waiting for their eta), with the adapter parameters they will
 * change. Reads ProposalCreated/ProposalQueued logs from `fromBlock` and confirms each with `state()`.
 */
export async function queuedParameterChanges(
  client: PublicClient,
  governor: Address,
  adapter: Address,
  fromBlock = 0n,
): Promise<QueuedChange[]> {
  const [created, queued] = await Promise.all([
    client.getContractEvents({ address: governor, abi: governorAbi, eventName: "ProposalCreated", fromBlock }),
    client.getContractEvents({ address: governor, abi: governorAbi, eventName: "ProposalQueued", fromBlock }),
  ]);
  const etaById = new Map(queued.map((log) => [log.args.proposalId!, Number(log.args.etaSeconds!)]));
  const changes: QueuedChange[] = [];
  for (const log of created) {
    const id = log.args.proposalId!;
    const eta = etaById.get(id);
    if (eta === undefined) continue;
    const state = await client.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [id] });
    if (state !== QUEUED) continue;
    const params: QueuedChange["params"] = [];
    let other = 0;
    (log.args.targets ?? []).forEach((target, i) => {
      const data = log.args.calldatas?.[i];
      if (getAddress(target) !== getAddress(adapter) || !data) return void other++;
      try {
        const call = decodeFunctionData({ abi: hedgeAdapterAbi, data });
        if (call.functionName === "setParam") {
          const [index, value] = call.args as readonly [number, bigint];
          params.push({ name: PARAM_FIELDS[index]!, value });
          return;
        }
      } catch {
        // not an adapter call we know
      }
      other++;
    });
    changes.push({ proposalId: id, description: log.args.description ?? "", etaSec: eta, params, other });
  }
  return changes;
}
