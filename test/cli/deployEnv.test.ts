import { expect } from "chai";
import { VARIABLES } from "../../keeper/config/variables.js";
import { deployedEnvLines } from "../../scripts/lib/deploy/deployEnv.js";

describe("deployedEnvLines (what `npm run deploy` prints)", function () {
  const input = {
    rpcUrl: "http://127.0.0.1:8545",
    chainId: 31337,
    adapter: "0x" + "1".repeat(40),
    vault: "0x" + "2".repeat(40),
    quoter: "0x" + "3".repeat(40),
    governor: "0x" + "4".repeat(40),
    deploymentPath: "deployments/localhost.json",
    keeperKey: "0x" + "a".repeat(64),
    roles: [{ index: 1, address: "0x" + "5".repeat(40), roles: "KEEPER_ROLE" }],
  };

  it("sets every variable the keeper requires, and the governor `keeper status` reads", function () {
    const lines = deployedEnvLines(input);
    for (const [name, declared] of Object.entries(VARIABLES)) {
      if (declared.required)
        expect(
          lines.some((l) => l.startsWith(`${name}=`) && l.length > name.length + 1),
          name,
        ).to.equal(true);
    }
    expect(lines).to.include(`HK_GOVERNOR_ADDRESS=${input.governor}`);
    expect(lines).to.include(`HK_PRIVATE_KEY=${input.keeperKey}`);
    expect(lines).to.include(`npm run gov -- --rpc ${input.rpcUrl} --deployment ${input.deploymentPath} status`);
  });

  it("names the role of each dev account, and leaves the governor out without a DAO", function () {
    const lines = deployedEnvLines({ ...input, governor: null });
    expect(lines).to.include(`  #1 ${"0x" + "5".repeat(40)}  KEEPER_ROLE`);
    expect(lines.some((l) => l.startsWith("HK_GOVERNOR_ADDRESS="))).to.equal(false);
  });
});
