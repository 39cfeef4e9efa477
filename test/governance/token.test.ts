import { expect } from "chai";
import { network } from "hardhat";
import type { HedgeGovernanceToken } from "../../types/ethers-contracts/index.js";
import { ETH } from "../fixtures.js";

describe("HedgeGovernanceToken", function () {
  let connection: Awaited<ReturnType<typeof network.create>>;
  before(async function () {
    connection = await network.create();
  });
  after(async function () {
    await connection.close();
  });

  it("reverts with HoldersLengthMismatch when holders and amounts differ in length", async function () {
    const { ethers } = connection;
    const [a, b] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("HedgeGovernanceToken");
    await expect(factory.deploy([a!.address, b!.address], [ETH(1)]))
      .to.be.revertedWithCustomError(factory, "HoldersLengthMismatch")
      .withArgs(2n, 1n);
    await expect(factory.deploy([a!.address], [ETH(1), ETH(2)]))
      .to.be.revertedWithCustomError(factory, "HoldersLengthMismatch")
      .withArgs(1n, 2n);
  });

  it("mints each holder its amount once; votes count only after delegation, at past blocks", async function () {
    const { ethers, networkHelpers } = connection;
    const [a, b] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("HedgeGovernanceToken");
    const token = (await factory.deploy([a!.address, b!.address], [ETH(3), ETH(7)])) as unknown as HedgeGovernanceToken;
    expect(await token.totalSupply()).to.equal(ETH(10));
    expect(await token.balanceOf(b!.address)).to.equal(ETH(7));
    expect(await token.getVotes(a!.address)).to.equal(0n);
    await (await token.connect(a!).delegate(a!.address)).wait();
    const delegatedAt = await ethers.provider.getBlockNumber();
    await networkHelpers.mine(1);
    expect(await token.getPastVotes(a!.address, delegatedAt - 1)).to.equal(0n);
    expect(await token.getPastVotes(a!.address, delegatedAt)).to.equal(ETH(3));
  });
});
