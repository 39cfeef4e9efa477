import { expect } from "chai";
import { formatCustomError, proposalStatesOfBitmap } from "../../keeper/chain/errorArgs.js";

describe("formatCustomError", function () {
  it("names the parameter of ParamOutOfBounds and shows its allowed range", function () {
    expect(formatCustomError("ParamOutOfBounds", [4, 20_000n, 1n, 1_000n])).to.equal(
      "ParamOutOfBounds(maxSlippageBps = 20000, allowed [1, 1000])",
    );
  });

  it("names the current and expected states of GovernorUnexpectedProposalState", function () {
    const expected = `0x${((1n << 4n) | (1n << 5n)).toString(16).padStart(64, "0")}`;
    expect(formatCustomError("GovernorUnexpectedProposalState", [7n, 1, expected])).to.equal(
      "GovernorUnexpectedProposalState(proposal 7 is Active, expected Succeeded|Queued)",
    );
  });

  it("keeps an enum index it does not know visible rather than guessing a name", function () {
    expect(formatCustomError("ParamOutOfBounds", [99, 1n, 2n, 3n])).to.equal(
      "ParamOutOfBounds(param#99 = 1, allowed [2, 3])",
    );
    expect(proposalStatesOfBitmap(0n)).to.equal("none");
  });

  it("leaves other errors as name(args)", function () {
    expect(formatCustomError("TradeTooLarge", [5n, 3n])).to.equal("TradeTooLarge(5, 3)");
  });
});
