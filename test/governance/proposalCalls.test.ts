import { expect } from "chai";
import { PARAM_NAMES, paramIndex, paramName } from "../../scripts/lib/governance/governance.js";
import {
  actionsFromFlags,
  buildProposalCalls,
  describeCall,
  outOfBounds,
  paramChangesOf,
  parseIntegerValue,
  ProposalInputError,
} from "../../scripts/lib/governance/proposalCalls.js";

const ADAPTER = "0x00000000000000000000000000000000000000Ad" as const;
const KEEPER = "0x1111111111111111111111111111111111111111";

function inputError(fn: () => unknown): ProposalInputError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ProposalInputError);
    return error as ProposalInputError;
  }
  expect.fail("expected a ProposalInputError");
}

describe("proposal calls from CLI flags", function () {
  it("maps IHedgeAdapter.Param indices to the Params field names, in order", function () {
    expect(PARAM_NAMES.map((name) => paramIndex(name))).to.deep.equal([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    expect(paramName(13)).to.equal("maxUsdcOracleAgeSec");
    expect(paramName(14)).to.equal("deltaBandBps");
    expect(paramName(4)).to.equal("maxSlippageBps");
    expect(paramIndex("slippage")).to.equal(undefined);
    expect(() => paramName(15)).to.throw(RangeError, "IHedgeAdapter.Param has no index 15");
  });

  it("parses integers and scientific notation that denotes an integer", function () {
    expect(parseIntegerValue("2e18", "--set x")).to.equal(2n * 10n ** 18n);
    expect(parseIntegerValue("1.5e18", "--set x")).to.equal(15n * 10n ** 17n);
    expect(parseIntegerValue("2000000000000000000", "--set x")).to.equal(2n * 10n ** 18n);
    expect(parseIntegerValue("30", "--set x")).to.equal(30n);
    expect(parseIntegerValue("1_000", "--set x")).to.equal(1000n);
    expect(parseIntegerValue("2.50E2", "--set x")).to.equal(250n);
  });

  it("rejects non-integers, units, signs and values above uint256, naming the flag", function () {
    for (const raw of ["1.5", "2 ether", "-1", "1e-3", "0x10", "", "abc", "1.05e1", "1e78"]) {
      const error = inputError(() => actionsFromFlags({ set: [`maxSlippageBps=${raw}`] }));
      expect(error.flag).to.equal(`--set maxSlippageBps=${raw}`);
      expect(error.message).to.match(/^--set maxSlippageBps=.*: "/);
    }
  });

  it("rejects an unknown parameter name, listing the known ones", function () {
    const error = inputError(() => actionsFromFlags({ set: ["slippageBps=30"] }));
    expect(error.message).to.equal(
      `--set slippageBps=30: unknown parameter "slippageBps"; known: ${PARAM_NAMES.join(", ")}`,
    );
  });

  it("rejects a parameter set twice, a flag without '=', a bad address and an empty proposal", function () {
    expect(inputError(() => actionsFromFlags({ set: ["cooldownSec=1", "cooldownSec=2"] })).message).to.equal(
      "--set cooldownSec=2: cooldownSec is set twice",
    );
    expect(inputError(() => actionsFromFlags({ set: ["cooldownSec"] })).flag).to.equal("--set cooldownSec");
    expect(inputError(() => actionsFromFlags({ grantKeeper: ["0x1234"] })).message).to.equal(
      '--grant-keeper 0x1234: "0x1234" is not a 20-byte hex address',
    );
    expect(inputError(() => actionsFromFlags({})).message).to.match(/nothing to propose/);
  });

  it("encodes setParam, role grants and revocations and unpause as calls to the adapter, and decodes them back", function () {
    const calls = buildProposalCalls(
      ADAPTER,
      actionsFromFlags({
        set: ["deltaBandWad=2e18", "maxSlippageBps=30"],
        grantKeeper: [KEEPER],
        revokeGuardian: [KEEPER],
        unpause: true,
      }),
    );
    expect(calls.targets).to.deep.equal([ADAPTER, ADAPTER, ADAPTER, ADAPTER, ADAPTER]);
    expect(calls.values).to.deep.equal([0n, 0n, 0n, 0n, 0n]);
    expect(calls.summary).to.deep.equal([
      "adapter.setParam(deltaBandWad, 2000000000000000000)",
      "adapter.setParam(maxSlippageBps, 30)",
      `adapter.grantRole(KEEPER_ROLE, ${KEEPER})`,
      `adapter.revokeRole(GUARDIAN_ROLE, ${KEEPER})`,
      "adapter.unpause()",
    ]);
    // setParam(uint8,uint256): selector, then the enum index and the value as 32-byte words.
    expect(calls.calldatas[1]!.slice(10)).to.equal(
      4n.toString(16).padStart(64, "0") + 30n.toString(16).padStart(64, "0"),
    );
    expect(paramChangesOf(ADAPTER, calls.targets, calls.calldatas)).to.deep.equal([
      { param: "deltaBandWad", value: 2n * 10n ** 18n },
      { param: "maxSlippageBps", value: 30n },
    ]);
    expect(describeCall(ADAPTER, KEEPER, calls.calldatas[0]!)).to.match(/^0x1111.*: 0x[0-9a-f]{8}… \(68 bytes\)$/);
  });

  it("lists the parameter values outside the adapter's hard bounds", function () {
    const bounds = Object.fromEntries(PARAM_NAMES.map((name) => [name, [1n, 100n] as const])) as Parameters<
      typeof outOfBounds
    >[1];
    const actions = actionsFromFlags({ set: ["maxSlippageBps=101", "cooldownSec=100", "twapWindowSec=0"] });
    expect(outOfBounds(actions, bounds)).to.deep.equal([
      "maxSlippageBps=101 is outside its bounds [1, 100]",
      "twapWindowSec=0 is outside its bounds [1, 100]",
    ]);
  });
});
