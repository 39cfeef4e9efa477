/**
 * A custom error as a person reads it: enum arguments by name. `ParamOutOfBounds(0, …)` says which parameter only to
 * someone holding the enum; `ParamOutOfBounds(deltaBandWad: 2000 > max 1000 …)` says it to anyone. One formatter for
 * the keeper, the governance CLI and the scenario reports, so they all name the same thing the same way.
 */
import { PARAM_FIELDS } from "./governance.js";

/** OpenZeppelin IGovernor.ProposalState, by enum index. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

const named = (names: readonly string[], index: unknown, what: string): string =>
  names[Number(index)] ?? `${what}#${String(index)}`;

/** The states set in an OpenZeppelin `expectedStates` bitmap (bit i = ProposalState i), e.g. `Succeeded|Queued`. */
export function proposalStatesOfBitmap(bitmap: bigint | string): string {
  const bits = BigInt(bitmap);
  const states = PROPOSAL_STATES.filter((_, i) => (bits >> BigInt(i)) & 1n);
  return states.length === 0 ? "none" : states.join("|");
}

/** `Name(arg, …)` with the enum arguments of the errors we know decoded to their names. */
export function formatCustomError(name: string, args: readonly unknown[]): string {
  const a = args.map((arg) => String(arg));
  switch (name) {
    case "ParamOutOfBounds":
      return `ParamOutOfBounds(${named(PARAM_FIELDS, args[0], "param")} = ${a[1]}, allowed [${a[2]}, ${a[3]}])`;
    case "GuardianCannotLoosen":
      return `GuardianCannotLoosen(${named(PARAM_FIELDS, args[0], "param")}: current ${a[1]}, proposed ${a[2]})`;
    case "GovernorUnexpectedProposalState":
      return (
        `GovernorUnexpectedProposalState(proposal ${a[0]} is ${named(PROPOSAL_STATES, args[1], "state")}, ` +
        `expected ${proposalStatesOfBitmap(a[2]!)})`
      );
    default:
      return `${name}(${a.join(", ")})`;
  }
}
