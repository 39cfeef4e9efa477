import { expect } from "chai";
import { ChromiumNotFoundError, resolveChromium, type ResolveChromiumOptions } from "./chromium.js";

const PACKAGED = { executablePath: "/tmp/chromium", args: ["--headless='shell'", "--no-sandbox"] };
const packagedOk = async () => PACKAGED;
const packagedUnused = async (): Promise<typeof PACKAGED> => {
  throw new Error("the packaged Chromium must not be unpacked here");
};
const onlyExists =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

async function rejection(options: ResolveChromiumOptions): Promise<Error> {
  try {
    await resolveChromium(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error("resolveChromium resolved; expected it to throw");
}

describe("resolveChromium", function () {
  it("prefers HK_CHROMIUM_PATH over the packaged Chromium", async function () {
    const binary = await resolveChromium({
      env: { HK_CHROMIUM_PATH: "/opt/chrome/chrome" },
      platform: "linux",
      arch: "x64",
      exists: onlyExists("/opt/chrome/chrome"),
      packaged: packagedUnused,
    });
    expect(binary.source).to.equal("HK_CHROMIUM_PATH");
    expect(binary.executablePath).to.equal("/opt/chrome/chrome");
    expect(binary.args).to.include("--no-sandbox");
  });

  it("throws ChromiumNotFoundError naming HK_CHROMIUM_PATH when it points nowhere", async function () {
    const error = await rejection({
      env: { HK_CHROMIUM_PATH: "/nowhere/chrome" },
      platform: "linux",
      arch: "x64",
      exists: onlyExists(),
      packaged: packagedOk,
    });
    expect(error).to.be.instanceOf(ChromiumNotFoundError);
    expect(error.message).to.equal("HK_CHROMIUM_PATH=/nowhere/chrome does not exist");
  });

  it("uses @sparticuz/chromium with its own flags on linux-x64, even when a system Chromium exists", async function () {
    const binary = await resolveChromium({
      env: {},
      platform: "linux",
      arch: "x64",
      exists: onlyExists("/usr/bin/chromium"),
      packaged: packagedOk,
    });
    expect(binary.source).to.equal("@sparticuz/chromium");
    expect(binary.executablePath).to.equal("/tmp/chromium");
    expect(binary.args.slice(0, PACKAGED.args.length)).to.deep.equal(PACKAGED.args);
    expect(binary.args).to.include("--disable-background-networking");
  });

  it("throws ChromiumNotFoundError with the cause when @sparticuz/chromium fails on linux-x64", async function () {
    const cause = new Error("Cannot find package '@sparticuz/chromium'\nstack");
    const error = await rejection({
      env: {},
      platform: "linux",
      arch: "x64",
      exists: onlyExists(),
      packaged: async () => {
        throw cause;
      },
    });
    expect(error).to.be.instanceOf(ChromiumNotFoundError);
    expect(error.cause).to.equal(cause);
    expect(error.message).to.not.include("\n");
    expect(error.message).to.include("Cannot find package '@sparticuz/chromium'").and.include("HK_CHROMIUM_PATH");
  });

  it("falls back to a system Chrome on other platforms", async function () {
    const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    const binary = await resolveChromium({
      env: {},
      platform: "darwin",
      arch: "arm64",
      exists: onlyExists(chrome),
      packaged: packagedUnused,
    });
    expect(binary).to.deep.include({ source: "system", executablePath: chrome });
  });

  it("falls back to a system Chromium on linux-arm64", async function () {
    const binary = await resolveChromium({
      env: {},
      platform: "linux",
      arch: "arm64",
      exists: onlyExists("/usr/bin/chromium-browser"),
      packaged: packagedUnused,
    });
    expect(binary).to.deep.include({ source: "system", executablePath: "/usr/bin/chromium-browser" });
  });

  it("throws a one-line ChromiumNotFoundError saying what to set when nothing is found", async function () {
    const error = await rejection({
      env: {},
      platform: "linux",
      arch: "arm64",
      exists: onlyExists(),
      packaged: packagedUnused,
    });
    expect(error).to.be.instanceOf(ChromiumNotFoundError);
    expect(error.message).to.not.include("\n");
    expect(error.message).to.match(
      /^no Chromium for linux-arm64 \(looked in \/usr\/bin\/chromium, .*\): set HK_CHROMIUM_PATH to/,
    );
  });
});
