/**
 * Human input → governor proposal calls, and back. Pure: no RPC.
 *
 *   --set deltaBandWad=2e18 --set maxSlippageBps=30   → adapter.setParam(Param, value)
 *   --grant-keeper 0x…  --revoke-keeper 0x…           → adapter.grantRole / revokeRole(KEEPER_ROLE, account)
 *   --guardian 0x…      --revoke-guardian 0x…         → adapter.grantRole / revokeRole(GUARDIAN_ROLE, account)
 *   --unpause                                         → adapter.unpause()
 *
 * Values are in the parameter's on-chain unit (the suffix of its name: Wad, Sec, Bps), written as an integer or in
 * scientific notation that denotes an integer (2e18, 1.5e18).
 */
import { hexlify, id, type BytesLike } from "ethers";
import type { Address } from "viem";
import { parseAddress } from "../../../keeper/chain/addressBook.js";
import { HedgeAdapter__factory } from "../../../types/ethers-contracts/index.js";
import { PARAM_NAMES, paramIndex, paramName, type ParamName } from "./governance.js";

export const KEEPER_ROLE = id("KEEPER_ROLE");
export const GUARDIAN_ROLE = id("GUARDIAN_ROLE");

export type RoleAction = "grantKeeper" | "revokeKeeper" | "grantGuardian" | "revokeGuardian";

export type ProposalAction =
  { kind: "setParam"; param: ParamName; value: bigint } | { kind: RoleAction; account: Address } | { kind: "unpause" };

/** The calls of a proposal, as `Governor.propose` takes them, with one human line per call. */
export interface ProposalCalls {
  targets: Address[];
  values: bigint[];
  calldatas: string[];
  summary: string[];
}

/** Thrown for a flag a user got wrong; `flag` names it as typed, e.g. `--set deltaBandWad=1.5`. */
export class ProposalInputError extends Error {
  constructor(
    readonly flag: string,
    readonly shortMessage: string,
  ) {
    super(`${flag}: ${shortMessage}`);
    this.name = "ProposalInputError";
  }
}

const INTEGER_OR_SCIENTIFIC = /^(\d+)(?:\.(\d+))?(?:[eE]\+?(\d+))?$/;
const UINT256_MAX = 2n ** 256n - 1n;

/**
 * Parses a non-negative integer written as digits or in scientific notation ("2e18", "1.5e18", "30").
 * @throws ProposalInputError naming `flag` for anything else (units, signs, fractions, negative exponents, > uint256)
 */
export function parseIntegerValue(raw: string, flag: string): bigint {
  const text = raw.trim().replaceAll("_", "");
  const match = INTEGER_OR_SCIENTIFIC.exec(text);
  if (match === null) {
    throw new ProposalInputError(
      flag,
      `"${raw}" is not an integer; write the on-chain value as digits or in scientific notation (e.g. 2e18)`,
    );
  }
  const [, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  const significantFraction = fraction.replace(/0+$/, "");
  if (significantFraction.length > exponent) {
    throw new ProposalInputError(flag, `"${raw}" is not an integer (on-chain values have no fractional part)`);
  }
  if (exponent > 96) throw new ProposalInputError(flag, `"${raw}" does not fit in a uint256`);
  const value = BigInt(whole + significantFraction) * 10n ** BigInt(exponent - significantFraction.length);
  if (value > UINT256_MAX) throw new ProposalInputError(flag, `"${raw}" does not fit in a uint256`);
  return value;
}

/** Parses one `--set name=value`. @throws ProposalInputError for an unknown name or a bad value */
export function parseSetFlag(raw: string): ProposalAction {
  const flag = `--set ${raw}`;
  const eq = raw.indexOf("=");
  if (eq === -1) throw new ProposalInputError(flag, "expected name=value, e.g. deltaBandWad=2e18");
  const name = raw.slice(0, eq).trim();
  if (paramIndex(name) === undefined) {
    throw new ProposalInputError(flag, `unknown parameter "${name}"; known: ${PARAM_NAMES.join(", ")}`);
  }
  return { kind: "setParam", param: name as ParamName, value: parseIntegerValue(raw.slice(eq + 1), flag) };
}

/** The governance flags of `gov propose` / `gov simulate`, as commander collects them. */
export interface ProposalFlags {
  set?: string[];
  grantKeeper?: string[];
  revokeKeeper?: string[];
  guardian?: string[];
  revokeGuardian?: string[];
  unpause?: boolean;
}

const ROLE_FLAGS: readonly [keyof ProposalFlags, string, RoleAction][] = [
  ["grantKeeper", "--grant-keeper", "grantKeeper"],
  ["revokeKeeper", "--revoke-keeper", "revokeKeeper"],
  ["guardian", "--guardian", "grantGuardian"],
  ["revokeGuardian", "--revoke-guardian", "revokeGuardian"],
];

/**
 * Every action the flags ask for, parameters first, in the order given.
 * @throws ProposalInputError for a bad flag, a parameter set twice, or no action at all
 */
export function actionsFromFlags(flags: ProposalFlags): ProposalAction[] {
  const actions: ProposalAction[] = [];
  const seen = new Set<string>();
  for (const raw of flags.set ?? []) {
    const action = parseSetFlag(raw);
    if (action.kind === "setParam") {
      if (seen.has(action.param)) throw new ProposalInputError(`--set ${raw}`, `${action.param} is set twice`);
      seen.add(action.param);
    }
    actions.push(action);
  }
  for (const [key, flag, kind] of ROLE_FLAGS) {
    for (const raw of (flags[key] as string[] | undefined) ?? []) {
      let account: Address;
      try {
        account = parseAddress(raw, flag);
      } catch (error) {
        throw new ProposalInputError(`${flag} ${raw}`, (error as Error).message.replace(`${flag}: `, ""));
      }
      actions.push({ kind, account });
    }
  }
  if (flags.unpause === true) actions.push({ kind: "unpause" });
  if (actions.length === 0) {
    throw new ProposalInputError(
      "(no flags)",
      "nothing to propose: give --set name=value, --grant-keeper, --revoke-keeper, --guardian, --revoke-guardian or --unpause",
    );
  }
  return actions;
}

const adapterInterface = HedgeAdapter__factory.createInterface();

function roleOf(kind: RoleAction): { role: string; grant: boolean } {
  const keeper = kind === "grantKeeper" || kind === "revokeKeeper";
  return { role: keeper ? KEEPER_ROLE : GUARDIAN_ROLE, grant: kind.startsWith("grant") };
}

/** Encodes the actions as calls to the adapter (every governed setting lives there). */
export function buildProposalCalls(adapter: Address, actions: readonly ProposalAction[]): ProposalCalls {
  const calls: ProposalCalls = { targets: [], values: [], calldatas: [], summary: [] };
  for (const action of actions) {
    let data: string;
    if (action.kind === "setParam") {
      data = adapterInterface.encodeFunctionData("setParam", [paramIndex(action.param)!, action.value]);
    } else if (action.kind === "unpause") {
      data = adapterInterface.encodeFunctionData("unpause");
    } else {
      const { role, grant } = roleOf(action.kind);
      data = grant
        ? adapterInterface.encodeFunctionData("grantRole", [role, action.account])
        : adapterInterface.encodeFunctionData("revokeRole", [role, action.account]);
    }
    calls.targets.push(adapter);
    calls.values.push(0n);
    calls.calldatas.push(data);
    calls.summary.push(describeCall(adapter, adapter, data));
  }
  return calls;
}

/**
 * One human line for a call: `adapter.setParam(deltaBandWad, 2000000000000000000)`,
 * `adapter.grantRole(KEEPER_ROLE, 0x…)`, or the raw target and selector for anything else.
 */
export function describeCall(adapter: string, target: string, data: BytesLike): string {
  const hex = hexlify(data);
  const raw = `${target}: ${hex.slice(0, 10)}… (${(hex.length - 2) / 2} bytes)`;
  if (target.toLowerCase() !== adapter.toLowerCase()) return raw;
  const parsed = adapterInterface.parseTransaction({ data: hex });
  if (parsed === null) return raw;
  if (parsed.name === "setParam") {
    return `adapter.setParam(${paramName(parsed.args[0] as bigint)}, ${String(parsed.args[1])})`;
  }
  if (parsed.name === "grantRole" || parsed.name === "revokeRole") {
    const role = parsed.args[0] as string;
    const roleName = role === KEEPER_ROLE ? "KEEPER_ROLE" : role === GUARDIAN_ROLE ? "GUARDIAN_ROLE" : role;
    return `adapter.${parsed.name}(${roleName}, ${String(parsed.args[1])})`;
  }
  return `adapter.${parsed.signature.replace(/\(.*\)$/, "")}(${parsed.args.map(String).join(", ")})`;
}

/** The parameter changes among a proposal's calls (the keeper shows these for a queued proposal). */
export function paramChangesOf(
  adapter: string,
  targets: readonly string[],
  calldatas: readonly BytesLike[],
): { param: ParamName; value: bigint }[] {
  const changes: { param: ParamName; value: bigint }[] = [];
  targets.forEach((target, i) => {
    if (target.toLowerCase() !== adapter.toLowerCase()) return;
    const parsed = adapterInterface.parseTransaction({ data: hexlify(calldatas[i]!) });
    if (parsed?.name === "setParam") {
      changes.push({ param: paramName(parsed.args[0] as bigint), value: parsed.args[1] as bigint });
    }
  });
  return changes;
}

/**
 * The `setParam` actions outside the adapter's hard bounds (`bounds` from `adapter.paramBounds`), one message each;
 * such a proposal would revert at execution with ParamOutOfBounds.
 */
export function outOfBounds(
  actions: readonly ProposalAction[],
  bounds: Readonly<Record<ParamName, readonly [bigint, bigint]>>,
): string[] {
  const messages: string[] = [];
  for (const action of actions) {
    if (action.kind !== "setParam") continue;
    const [min, max] = bounds[action.param];
    if (action.value < min || action.value > max) {
      messages.push(`${action.param}=${action.value} is outside its bounds [${min}, ${max}]`);
    }
  }
  return messages;
}
