// Locating and running the pinned CometBFT binary (ARCHITECTURE.md D1). soad never links CometBFT:
// it runs the stock Go binary as a child process.
import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COMETBFT_VERSION } from "../constants.js";

/** The project root: this file is chain/{src,dist}/node/cometbft.{ts,js}. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The pinned version without the leading "v", as `cometbft version` prints it. */
export const COMETBFT_PINNED = COMETBFT_VERSION.replace(/^v/, "");

export class CometbftNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `cometbft binary not found (tried: ${tried.join(", ")}). ` +
        `Run \`make setup\` to install CometBFT ${COMETBFT_VERSION} into .bin/, ` +
        `or pass --cometbft <path> / set COMETBFT_BIN.`,
    );
    this.name = "CometbftNotFoundError";
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the CometBFT binary: an explicit path (the `--cometbft` flag), else `$COMETBFT_BIN`,
 * else `<repo>/.bin/cometbft`, else `cometbft` on `$PATH`. An explicit path or `$COMETBFT_BIN`
 * that does not exist is an error rather than a silent fallback.
 */
export function findCometbft(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const [source, value] of [
    ["--cometbft", explicit],
    ["COMETBFT_BIN", env["COMETBFT_BIN"]],
  ] as const) {
    if (value === undefined || value === "") continue;
    const path = isAbsolute(value) ? value : resolve(value);
    if (!isExecutableFile(path)) {
      throw new Error(`cometbft binary from ${source} is not an executable file: ${path}`);
    }
    return path;
  }
  const tried: string[] = [];
  const local = join(REPO_ROOT, ".bin", "cometbft");
  tried.push(local);
  if (isExecutableFile(local)) return local;
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, "cometbft");
    if (isExecutableFile(candidate)) return candidate;
  }
  tried.push("$PATH");
  throw new CometbftNotFoundError(tried);
}

export class CometbftCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`cometbft ${args.join(" ")} failed (exit ${String(code)}): ${stderr.trim() || "(no output)"}`);
    this.name = "CometbftCommandError";
  }
}

/** Runs a short cometbft command to completion and returns its stdout. */
export function runCometbft(bin: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(bin, [...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        reject(new CometbftCommandError(args, code, stderr || err.message));
        return;
      }
      resolvePromise(stdout);
    });
  });
}

/** `cometbft version`, e.g. "0.38.25". */
export async function cometbftVersion(bin: string): Promise<string> {
  return (await runCometbft(bin, ["version"])).trim();
}

/**
 * Checks that the binary is a CometBFT v0.38 release (CosmJS picks its RPC adaptor from the
 * "0.38." prefix, COSMJS-COMPAT.md §1.1). Returns a warning when it is not the pinned patch release.
 */
export async function checkCometbftVersion(bin: string): Promise<{ version: string; warning?: string }> {
  const version = await cometbftVersion(bin);
  if (!version.startsWith("0.38.")) {
    throw new Error(
      `${bin} is CometBFT ${version || "(unknown)"}, but soad needs ${COMETBFT_PINNED} (a 0.38.x release); run \`make setup\``,
    );
  }
  if (version !== COMETBFT_PINNED) {
    return { version, warning: `CometBFT ${version} differs from the pinned ${COMETBFT_PINNED}` };
  }
  return { version };
}

/** `cometbft show-node-id --home <home>`: the hex p2p id used in `persistent_peers`. */
export async function showNodeId(bin: string, home: string): Promise<string> {
  const id = (await runCometbft(bin, ["show-node-id", "--home", home])).trim();
  if (!/^[0-9a-f]{40}$/.test(id)) throw new Error(`unexpected node id from cometbft show-node-id: ${JSON.stringify(id)}`);
  return id;
}
