/**
 * The `ScenarioContext` a scenario runs against: its world, chain controls, probes, checks and the real keeper
 * service (same code as `keeper run`) started in-process over the chain's EIP-1193 provider.
 */
import { parseGwei } from "viem";
import type { CycleReport } from "../../../keeper/keeper.js";
import { createLogger } from "../../../keeper/telemetry/logger.js";
import { startInProcessKeeper } from "../testing/keeperHarness.js";
import type { World } from "../market/world.js";
import { journaledTxHashes } from "./ledger.js";
import { createDeltaProbe, PremiseError } from "./probe.js";
import type { OpenChain } from "./profile.js";
import type {
  ChainControl,
  Check,
  KeeperOptions,
  LogLine,
  ProfileName,
  ScenarioContext,
  ScenarioKeeper,
} from "./types.js";

export interface ContextHandle {
  ctx: ScenarioContext;
  checks: Check[];
  notes: string[];
  /** every transaction any keeper of the scenario journaled, collected as keepers close */
  keeperTxHashes: Set<string>;
  /** closes every keeper still open */
  close(): Promise<void>;
}

export function createChainControl(chain: OpenChain): ChainControl {
  const { helpers, request } = chain;
  return {
    request,
    helpers,
    blockNumber: () => helpers.time.latestBlock(),
    timestamp: () => helpers.time.latest(),
    mine: (blocks = 1) => helpers.mine(blocks),
    async increaseTime(seconds) {
      await helpers.time.increase(seconds);
    },
    async elapse(seconds) {
      await request({ method: "evm_increaseTime", params: [seconds] } as never);
    },
    async setAutomine(enabled) {
      await request({ method: "evm_setAutomine", params: [enabled] } as never);
    },
    async mineWithBaseFee(gwei) {
      await helpers.setNextBlockBaseFeePerGas(parseGwei(String(gwei)));
      await helpers.mine();
    },
  };
}

function captureLogs(): { logs: LogLine[]; destination: { write(line: string): void } } {
  const logs: LogLine[] = [];
  return {
    logs,
    destination: {
      write(line: string) {
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          logs.push({ level: "raw", msg: line });
        }
      },
    },
  };
}

export function createContext(args: {
  profile: ProfileName;
  seed: number;
  world: World;
  chain: OpenChain;
}): ContextHandle {
  const { world } = args;
  const checks: Check[] = [];
  const notes: string[] = [];
  const keepers: ScenarioKeeper[] = [];
  const keeperTxHashes = new Set<string>();
  const chain = createChainControl(args.chain);

  async function startKeeper(options: KeeperOptions = {}): Promise<ScenarioKeeper> {
    const signerIndex = options.signerIndex ?? 1;
    const { logs, destination } = captureLogs();
    const chainId = (await world.ethers.provider.getNetwork()).chainId;
    const service = await startInProcessKeeper({
      provider: { request: args.chain.request },
      adapter: await world.stack.adapter.getAddress(),
      quoter: world.market.book.quoterV2,
      signerIndex,
      journalPath: options.journalPath,
      // A scenario restores its chain from a snapshot and jumps its clock, so the head's timestamp says nothing about
      // the wall clock; head staleness (a node that stopped following the chain) is the fault suite's to test.
      env: { HK_CHAIN_ID: chainId.toString(), HK_POLICY: "band", HK_STALE_HEAD_SEC: "86400", ...options.env },
      logger: createLogger({ level: "info", destination }),
      service: { faultHook: options.faultHook, sendTransport: options.sendTransport },
    });
    let closed = false;
    const keeper: ScenarioKeeper = {
      service,
      address: (await world.ethers.getSigners())[signerIndex]!.address,
      logs,
      cycle: () => service.keeper.runCycle(),
      async close() {
        if (closed) return;
        closed = true;
        for (const hash of journaledTxHashes(keeper)) keeperTxHashes.add(hash);
        await service.close();
      },
    };
    keepers.push(keeper);
    return keeper;
  }

  const ctx: ScenarioContext = {
    profile: args.profile,
    seed: args.seed,
    world,
    chain,
    probe: createDeltaProbe(world),
    check(name, ok, detail = "") {
      checks.push({ name, ok, detail });
      return ok;
    },
    require(name, ok, detail = "") {
      checks.push({ name: `precondition: ${name}`, ok, detail });
      if (!ok) throw new PremiseError(`precondition failed: ${name}${detail ? ` (${detail})` : ""}`);
    },
    note(text) {
      notes.push(text);
    },
    startKeeper,
    async settle(keeper, maxCycles = 6) {
      const reports: CycleReport[] = [];
      for (let i = 0; i < maxCycles; i++) {
        const report = await keeper.cycle();
        reports.push(report);
        if (report.decision.kind !== "hedge" || report.outcome?.kind !== "succeeded") break;
      }
      return reports;
    },
  };

  return {
    ctx,
    checks,
    notes,
    keeperTxHashes,
    async close() {
      for (const keeper of keepers) await keeper.close();
    },
  };
}
