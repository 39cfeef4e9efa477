import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** killed by the caller after `timeoutMs` */
  timedOut: boolean;
}

/**
 * The node arguments that run `npm run <name> -- <args>` in one process, read from package.json's script: `tsx X`
 * becomes `node --import tsx X` and `hardhat …` Hardhat's CLI, so a kill reaches the program itself, not an npm or
 * shell parent that would leave it running. Any other script shape is refused, so the tests cannot drift from it.
 */
export function npmScript(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json has no script "${name}"`);
  const words = script.split(" ");
  if (words[0] === "tsx" && words.length === 2) return ["--import", "tsx", words[1]!];
  if (words[0] === "hardhat") return ["node_modules/hardhat/dist/src/cli.js", ...words.slice(1)];
  throw new Error(`npm script "${name}" (${script}) is neither "tsx <file>" nor "hardhat …"`);
}

/** A long-running child (`keeper run`): `stop` sends a signal, as a supervisor does, and resolves when it has exited. */
export interface RunningChild {
  pid: number;
  /** stdout and stderr so far */
  output(): string;
  /** resolves when the process exits by itself or after stop() */
  exited: Promise<ChildResult>;
  /** sends `signal` (SIGTERM by default); SIGKILL after `graceMs` if it is still running */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ChildResult>;
}

/** Starts `node <args>` from the repository root with `env` (no inherited HK_* variables); kills it after `timeoutMs`. */
export function startNode(args: string[], env: Record<string, string>, timeoutMs = 120_000): RunningChild {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("HK_")));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...inherited, FORCE_COLOR: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const exited = new Promise<ChildResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return {
    pid: child.pid!,
    output: () => stdout + stderr,
    exited,
    stop(signal = "SIGTERM", graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
        void exited.finally(() => clearTimeout(force));
      }
      return exited;
    },
  };
}

/** Runs `node <args>` from the repository root with `env` (no inherited HK_* variables); resolves when it exits. */
export function runNode(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ChildResult> {
  return startNode(args, env, timeoutMs).exited;
}

/** `npm run <name> -- <args>`, as one node process (see npmScript). */
export function runNpmScript(
  name: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs?: number,
): Promise<ChildResult> {
  return runNode([...npmScript(name), ...args], env, timeoutMs);
}
