import { expect } from "chai";
import { createPublicClient, custom, type PublicClient } from "viem";
import { queuedParameterChanges } from "../../keeper/chain/governance.js";
import { buildProposalCalls } from "../../scripts/lib/governance/proposalCalls.js";
import { createGovEnv, passAndQueue, type GovEnv } from "./govFixture.js";

describe("keeper status: queued governance changes", function () {
  let load: () => Promise<GovEnv>;
  let client: PublicClient;
  before(async function () {
    const created = await createGovEnv("development");
    load = created.load;
    client = createPublicClient({ transport: custom(created.connection.provider as never) }) as PublicClient;
  });

  it("lists a queued proposal with the parameters it will change and its eta, and drops it once executed", async function () {
    const env = await load();
    const adapter = env.addresses.adapter as `0x${string}`;
    const governor = env.addresses.governor as `0x${string}`;
    expect(await queuedParameterChanges(client, governor, adapter)).to.deep.equal([]);

    const calls = buildProposalCalls(adapter, [{ kind: "setParam", param: "deltaBandWad", value: 2n * 10n ** 18n }]);
    const args = await passAndQueue(env, calls, "Tighter band");
    const queued = await queuedParameterChanges(client, governor, adapter);
    expect(queued).to.have.length(1);
    expect(queued[0]!.params).to.deep.equal([{ name: "deltaBandWad", value: 2n * 10n ** 18n }]);
    expect(queued[0]!.description).to.equal("Tighter band");
    expect(queued[0]!.etaSec).to.be.at.most(await env.helpers.time.latest()); // the delay has been waited out

    await (await env.governor.execute(...args)).wait();
    expect(await queuedParameterChanges(client, governor, adapter)).to.deep.equal([]);
    expect((await env.adapter.params()).deltaBandWad).to.equal(2n * 10n ** 18n);
  });
});
