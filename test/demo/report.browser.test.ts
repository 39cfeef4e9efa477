import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { DEFAULT_DEMO_OPTIONS } from "../../scripts/lib/demo/options.js";
import { writeReport } from "../../scripts/lib/demo/report.js";
import { runDemo } from "../../scripts/lib/demo/run.js";
import { summarize } from "../../scripts/lib/demo/summary.js";
import { resolveChromium } from "../browser/chromium.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUTPUT = join(ROOT, "test-output", "demo-report");
const CHART_IDS = ["chart-price", "chart-delta", "chart-cost", "chart-error", "chart-pnl"];

describe("demo report (report.html in Chromium)", function () {
  this.timeout(180_000);
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const remoteRequests: string[] = [];

  before(async function () {
    // Never a silent skip: `npm install` provides Chromium on linux-x64, so a missing one throws and says what to set.
    const browser = await resolveChromium();
    const run = await runDemo({ ...DEFAULT_DEMO_OPTIONS, blocks: 40, seed: 3, vol: 1.5 });
    await mkdir(OUTPUT, { recursive: true });
    await writeReport(OUTPUT, run, summarize(run));

    profile = await mkdtemp(join(tmpdir(), "hk-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
      viewport: { width: 1360, height: 900 },
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    // The page must work offline: anything but the file itself is recorded and refused.
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      remoteRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(OUTPUT, "report.html")).href);
    await page.waitForSelector("body[data-charts-rendered]", { timeout: 30_000 });
  });
  after(async function () {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("draws every chart on a non-empty canvas", async function () {
    const painted = await page.evaluate((ids) => {
      return ids.map((id) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`#${id} canvas`);
        if (!canvas) return { id, width: 0, height: 0, paintedShare: 0 };
        const { width, height } = canvas;
        const pixels = canvas.getContext("2d")!.getImageData(0, 0, width, height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return { id, width, height, paintedShare: painted / (width * height) };
      });
    }, CHART_IDS);
    for (const chart of painted) {
      expect(chart.width, chart.id).to.be.greaterThan(200);
      expect(chart.height, chart.id).to.be.greaterThan(100);
      expect(chart.paintedShare, `${chart.id}: share of painted pixels`).to.be.greaterThan(0.01);
    }
  });

  it("shows the run's numbers and its hedges", async function () {
    const summary = JSON.parse(await readFile(join(OUTPUT, "summary.json"), "utf8")) as { hedges: number };
    expect(summary.hedges).to.be.greaterThan(0);
    expect(await page.locator("table tbody tr").count()).to.equal(summary.hedges);
    expect(await page.locator(".card").count()).to.be.greaterThan(4);
  });

  it("opens offline with no console error", async function () {
    expect(remoteRequests).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
  });

  it("saves a screenshot", async function () {
    const path = join(ROOT, "test-output", "demo-report.png");
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).to.equal(true);
  });
});
