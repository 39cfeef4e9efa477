import { expect } from "chai";
import {
  formatResultLine,
  openSession,
  replicaProfile,
  SCENARIOS,
  type ScenarioSession,
} from "../../scripts/lib/scenarios/index.js";
import { expectScenarioPassed, KEY_OUTCOMES } from "./outcomes.js";

/**
 * Every scenario of `npm run scenario` on the market replica, with the default seed: the same code the fork test runs.
 * One chain for the file; each scenario starts from the snapshot taken after the market was deployed.
 */
describe("Scenarios on the market replica", function () {
  let session: ScenarioSession;
  before(async function () {
    session = await openSession(replicaProfile);
  });
  after(async function () {
    await session?.close();
  });

  it("lists the key outcomes of every scenario in the catalogue", function () {
    expect(Object.keys(KEY_OUTCOMES).sort()).to.deep.equal(SCENARIOS.map((s) => s.name).sort());
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${scenario.summary}`, async function () {
      const result = await session.run(scenario, { seed: 1 });
      console.log(`      ${formatResultLine(result)}`);
      // The replica has every capability: no scenario may skip here.
      expectScenarioPassed(result);
    });
  }
});
