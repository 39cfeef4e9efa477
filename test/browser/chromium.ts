import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Which Chromium the browser tests drive through playwright-core, and with which flags. Playwright cannot download
 * browsers on our machines, and `npm install` must be enough, so the browser comes from the npm registry where it can.
 * Resolution order:
 * 1. `HK_CHROMIUM_PATH`, when set (it must exist);
 * 2. on linux-x64, the headless Chromium shipped inside the `@sparticuz/chromium` package (unpacked to the temp dir);
 * 3. a system Chrome or Chromium on the platform's usual paths;
 * 4. otherwise a {@link ChromiumNotFoundError} naming what to set.
 */

export type ChromiumSource = "HK_CHROMIUM_PATH" | "@sparticuz/chromium" | "system";

export interface ChromiumBinary {
  executablePath: string;
  /** Launch flags for this binary; pass them as playwright's `args` with `headless: true`. */
  args: string[];
  source: ChromiumSource;
}

export const CHROMIUM_PATH_VARIABLE = "HK_CHROMIUM_PATH";

/** Thrown when no Chromium can be found; its message is one line saying what to set. */
export class ChromiumNotFoundError extends Error {
  override name = "ChromiumNotFoundError";
}

/** A test run must stay offline and leave no state behind, whichever binary runs. */
const QUIET_FLAGS = [
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** A desktop Chrome/Chromium run as root in a container needs no sandbox and no GPU. */
const SYSTEM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", ...QUIET_FLAGS];

/** Where Chrome and Chromium install themselves, per platform, in order of preference. */
export function systemChromiumPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  switch (platform) {
    case "linux":
      return [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/snap/bin/chromium",
      ];
    case "darwin":
      return [
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
      ];
    case "win32":
      return [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA]
        .filter((dir): dir is string => dir !== undefined)
        .map((dir) => join(dir, "Google", "Chrome", "Application", "chrome.exe"));
    default:
      return [];
  }
}

/** The packaged Chromium: its binary (unpacked on first use) and the flags it was built to run with. */
async function packagedChromium(): Promise<{ executablePath: string; args: string[] }> {
  const { default: packaged } = await import("@sparticuz/chromium");
  return { executablePath: await packaged.executablePath(), args: packaged.args };
}

export interface ResolveChromiumOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  exists?: (path: string) => boolean;
  packaged?: () => Promise<{ executablePath: string; args: string[] }>;
}

export async function resolveChromium(options: ResolveChromiumOptions = {}): Promise<ChromiumBinary> {
  const {
    env = process.env,
    platform = process.platform,
    arch = process.arch,
    exists = existsSync,
    packaged = packagedChromium,
  } = options;

  const explicitPath = env[CHROMIUM_PATH_VARIABLE];
  if (explicitPath) {
    if (!exists(explicitPath)) {
      throw new ChromiumNotFoundError(`${CHROMIUM_PATH_VARIABLE}=${explicitPath} does not exist`);
    }
    return { executablePath: explicitPath, args: SYSTEM_FLAGS, source: "HK_CHROMIUM_PATH" };
  }

  if (platform === "linux" && arch === "x64") {
    let binary: { executablePath: string; args: string[] };
    try {
      binary = await packaged();
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
      throw new ChromiumNotFoundError(
        `@sparticuz/chromium could not provide Chromium (${reason}): run npm install, or set ${CHROMIUM_PATH_VARIABLE}`,
        { cause },
      );
    }
    return { ...binary, args: [...binary.args, ...QUIET_FLAGS], source: "@sparticuz/chromium" };
  }

  const candidates = systemChromiumPaths(platform, env);
  const systemPath = candidates.find((path) => exists(path));
  if (systemPath !== undefined) return { executablePath: systemPath, args: SYSTEM_FLAGS, source: "system" };

  const looked = candidates.length > 0 ? `looked in ${candidates.join(", ")}` : `no known paths on ${platform}`;
  throw new ChromiumNotFoundError(
    `no Chromium for ${platform}-${arch} (${looked}): set ${CHROMIUM_PATH_VARIABLE} to a Chrome or Chromium executable`,
  );
}
