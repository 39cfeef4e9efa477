/**
 * The deployment file (`deployments/<network>.json`): which market a stack was deployed on and where the stack lives.
 * Written by the deploy script, read by the governance CLI and the keeper. Every address is validated and checksummed
 * on read, so a typo fails at start-up with the field's name rather than as a call to an empty account.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { parseAddress, type AddressBook, type StackAddresses } from "../../../keeper/chain/addressBook.js";
import { GOVERNANCE_PROFILE_NAMES, type GovernanceProfileName } from "../governance/governance.js";

export interface Deployment {
  chainId: number;
  market: AddressBook;
  stack: StackAddresses;
  /** the `GOVERNANCE_PROFILES` entry the DAO was deployed with; present whenever the governance contracts are */
  governanceProfile?: GovernanceProfileName;
}

/** A deployment whose governance contracts and profile are known. */
export interface GovernedDeployment extends Deployment {
  stack: Required<StackAddresses>;
  governanceProfile: GovernanceProfileName;
}

export const DEFAULT_DEPLOYMENT_PATH = "deployments/localhost.json";

/** Thrown when a deployment file is missing, is not JSON, or fails validation. */
export class DeploymentFileError extends Error {
  constructor(
    readonly path: string,
    readonly shortMessage: string,
  ) {
    super(`deployment file ${path}: ${shortMessage}`);
    this.name = "DeploymentFileError";
  }
}

const address = z.string().transform((value, ctx) => {
  try {
    return parseAddress(value, "address");
  } catch {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a 20-byte hex address` });
    return z.NEVER;
  }
});

const chainId = z.number().int().positive();

const deploymentSchema = z.object({
  chainId,
  market: z.object({
    chainId,
    weth: address,
    usdc: address,
    pool: address,
    swapRouter: address,
    quoterV2: address,
    factory: address,
    positionManager: address,
    ethUsdFeed: address,
    usdcUsdFeed: address,
  }),
  stack: z.object({
    vault: address,
    adapter: address,
    governor: address.optional(),
    timelock: address.optional(),
    token: address.optional(),
  }),
  governanceProfile: z.enum(GOVERNANCE_PROFILE_NAMES as [GovernanceProfileName, ...GovernanceProfileName[]]).optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}

/**
 * Validates a parsed deployment JSON value.
 * @throws DeploymentFileError naming each invalid field, or a chainId that differs between the file and its market
 */
export function parseDeployment(value: unknown, path = "(inline)"): Deployment {
  const result = deploymentSchema.safeParse(value);
  if (!result.success) throw new DeploymentFileError(path, describeIssues(result.error));
  const deployment = result.data as Deployment;
  if (deployment.market.chainId !== deployment.chainId) {
    throw new DeploymentFileError(
      path,
      `chainId ${deployment.chainId} differs from market.chainId ${deployment.market.chainId}`,
    );
  }
  return deployment;
}

/** Reads and validates a deployment file. */
export async function readDeployment(path: string): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DeploymentFileError(
      path,
      code === "ENOENT" ? "not found (deploy first: npm run deploy -- --network localhost)" : String(error),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DeploymentFileError(path, `not valid JSON (${(error as Error).message})`);
  }
  return parseDeployment(json, path);
}

/** Validates and writes a deployment file (creating its directory), two-space indented. */
export async function writeDeployment(path: string, deployment: Deployment): Promise<void> {
  const valid = parseDeployment(JSON.parse(JSON.stringify(deployment)), path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(valid, null, 2)}\n`);
}

/**
 * Narrows a deployment to one with governor, timelock and token addresses and the profile they were deployed with.
 * @throws DeploymentFileError naming the missing fields
 */
export function requireGovernance(deployment: Deployment, path = "(inline)"): GovernedDeployment {
  const missing = (["governor", "timelock", "token"] as const).filter((key) => deployment.stack[key] === undefined);
  if (missing.length > 0) {
    throw new DeploymentFileError(path, `stack has no ${missing.join(", ")} (was governance deployed?)`);
  }
  if (deployment.governanceProfile === undefined) {
    throw new DeploymentFileError(
      path,
      `governanceProfile is missing (one of ${GOVERNANCE_PROFILE_NAMES.join(", ")}; redeploy, or add the profile the DAO was deployed with)`,
    );
  }
  return deployment as GovernedDeployment;
}
