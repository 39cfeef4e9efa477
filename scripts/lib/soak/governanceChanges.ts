/**
 * Governance changes mid-run: the deployer, still the adapter's admin in the DAO-less world, sets one parameter at a
 * time to another production-plausible value, as a DAO proposal would once executed.
 */
import { Rng } from "../../../bench/backtest/rng.js";
import { WAD } from "../../../keeper/units.js";
import type { World } from "../market/world.js";

/** IHedgeAdapter.Param indices of the parameters the soak changes. */
const PARAM = {
  DeltaBandWad: 0,
  MaxTradeWethWad: 1,
  CooldownSec: 2,
  MaxSlippageBps: 4,
  MinTradeWethWad: 7,
  LossBudgetUsdWad: 9,
  TurnoverBudgetWethWad: 10,
} as const;

type ParamName = keyof typeof PARAM;

const eth = (x: number) => (BigInt(Math.round(x * 1000)) * WAD) / 1000n;

/** Values each changed parameter takes (all within the adapter's hard bounds). */
const CHOICES: Record<ParamName, readonly bigint[]> = {
  DeltaBandWad: [eth(3), eth(4), eth(5), eth(6), eth(8)],
  MaxTradeWethWad: [eth(20), eth(35), eth(50), eth(80)],
  CooldownSec: [12n, 600n, 1800n],
  MaxSlippageBps: [30n, 50n, 80n],
  MinTradeWethWad: [eth(0.05), eth(0.2)],
  LossBudgetUsdWad: [3_000n * WAD, 10_000n * WAD],
  TurnoverBudgetWethWad: [300n * WAD, 1_000n * WAD],
};

export interface GovernanceChange {
  step: number;
  param: ParamName;
  value: string;
}

export interface GovernanceSchedule {
  /** Applies the change due at `step`, if any. */
  maybeChange(step: number): Promise<GovernanceChange | null>;
  changes: GovernanceChange[];
}

export function createGovernanceSchedule(world: World, seed: number, meanEveryBlocks: number): GovernanceSchedule {
  const rng = new Rng(seed, 0x90e1);
  const names = Object.keys(PARAM) as ParamName[];
  const nextGap = () => Math.max(1, Math.round(meanEveryBlocks * (0.5 + rng.uniform())));
  let due = nextGap();
  const changes: GovernanceChange[] = [];

  return {
    changes,
    async maybeChange(step) {
      if (step < due) return null;
      due = step + nextGap();
      const param = names[Math.floor(rng.uniform() * names.length)]!;
      const choices = CHOICES[param];
      const value = choices[Math.floor(rng.uniform() * choices.length)]!;
      await (await world.stack.adapter.connect(world.actors.deployer).setParam(PARAM[param], value)).wait();
      const change = { step, param, value: value.toString() };
      changes.push(change);
      return change;
    },
  };
}
