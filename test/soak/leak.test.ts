import { expect } from "chai";
import { leakFigures, slope, type ResourceSample } from "../../scripts/lib/soak/leak.js";

const MB = 1024 * 1024;

function samples(heapAt: (step: number) => number, blocks = 10_000): ResourceSample[] {
  return Array.from({ length: 41 }, (_, i) => {
    const step = (i * blocks) / 40;
    return { step, rssBytes: 400 * MB, heapUsedBytes: heapAt(step), handles: 10, journalRows: 5, journalStateRows: 2 };
  });
}

const heap = (figures: ReturnType<typeof leakFigures>) => figures.find((f) => f.metric === "heapUsedBytes")!;

describe("soak leak check", function () {
  it("slope is the least-squares growth per step", function () {
    expect(Math.abs(slope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x }))) - 2)).to.be.below(1e-9);
    expect(slope([{ x: 1, y: 3 }])).to.equal(0);
  });

  it("calls a heap that warms up and then stays put flat", function () {
    const figures = leakFigures(samples((step) => 50 * MB + Math.min(step, 2_000) * 10_000));
    expect(heap(figures).flat).to.equal(true);
    expect(figures.every((f) => f.flat)).to.equal(true);
  });

  it("calls a heap that grows by the same amount all run long a leak", function () {
    const figure = heap(leakFigures(samples((step) => 50 * MB + step * 5_000)));
    expect(figure.flat).to.equal(false);
    expect(Math.abs(figure.secondHalfPerKblock - 5_000_000)).to.be.below(1);
  });

  it("tolerates a few MB of noise over a short run", function () {
    const figure = heap(leakFigures(samples((step) => 50 * MB + (step % 100) * 20_000, 600)));
    expect(figure.flat).to.equal(true);
  });

  it("prints RSS but does not judge it (it holds the in-process chain)", function () {
    const growing = samples(() => 50 * MB).map((s) => ({ ...s, rssBytes: 400 * MB + s.step * 300_000 }));
    const rss = leakFigures(growing).find((f) => f.metric === "rssBytes")!;
    expect(rss).to.include({ judged: false, flat: true });
    expect(rss.secondHalfPerKblock).to.be.greaterThan(0);
  });
});
