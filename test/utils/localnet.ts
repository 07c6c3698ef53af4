// E2E harness: a fresh N-validator network of real `soad start` processes (each supervising a real
// CometBFT) in a temp dir, on ports that do not clash with a developer's `make localnet` (26656+).
//
//   const net = await startLocalnet({ nodes: 4 });
//   await net.waitForHeight(10);
//   expect(await net.appHashAt(1, 8)).toBe(await net.appHashAt(0, 8));
//   await net.stop();
//
// Needs the built CLI (`make build`: chain/dist/cli/main.js) and .bin/cometbft (`make setup`).
// KEEP_LOCALNET=1 keeps the directory (homes, logs) after stop() for a post-mortem.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GenesisDoc } from "@soa/chain/node/genesisFile";
import type { DevAccount } from "@soa/chain/node/devAccounts";
import { isRunning, readPidFile } from "@soa/chain/node/process";
import {
  type ConsensusTimeouts,
  type GenesisAccountSpec,
  type TestnetNode,
  addTestnetNode,
  generateTestnet,
  nodePorts,
} from "@soa/chain/node/testnet";
import type { SlashingParamsJson } from "@soa/chain/modules/slashing/params";
import type { GovParamsJson } from "@soa/chain/modules/gov/params";

/** The built soad CLI. */
export const SOAD_MAIN = fileURLToPath(new URL("../../chain/dist/cli/main.js", import.meta.url));
/** First base port tried: far from the developer localnet's 26656 + 100 i. */
export const E2E_BASE_PORT = 36656;

export interface LocalnetOptions {
  /** Validators (default 1). */
  nodes?: number;
  /** Where the homes go (default: a new temp dir, removed by stop()). */
  dir?: string;
  /** p2p port of node 0 (default: a free block 36656 + 1000·k, k = 0..23, picked at random). */
  basePort?: number;
  chainId?: string;
  /** Extra genesis balances; the 5 dev accounts (DEV_MNEMONIC HD 0..4) are always funded unless devAccounts = 0. */
  accounts?: GenesisAccountSpec[];
  devAccounts?: number;
  minGasPrices?: string;
  timeouts?: Partial<ConsensusTimeouts>;
  /** soad log level (default "info"). */
  logLevel?: "error" | "warn" | "info" | "debug";
  /** How long start and restart may take per node (default 60 s). */
  startupTimeoutMs?: number;
  /** Extra environment for the soad processes. */
  env?: NodeJS.ProcessEnv;
  /** slashing.params overrides in genesis, e.g. { signed_blocks_window: "20", downtime_jail_duration: "10s" }. */
  slashing?: Partial<SlashingParamsJson>;
  /** gov.params overrides in genesis, e.g. { voting_period: "8s" } (default: testnet LOCALNET_GOV). */
  gov?: Partial<GovParamsJson>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Localnet {
  readonly chainId: string;
  readonly dir: string;
  /** p2p port of node 0; node i uses basePort + 100·i (p2p) and + 1 (rpc). */
  readonly basePort: number;
  readonly homes: readonly string[];
  readonly nodes: readonly TestnetNode[];
  /** Funded accounts of the public dev mnemonic (index 0 = DEV_ADDRESS). */
  readonly devAccounts: readonly DevAccount[];
  readonly genesis: GenesisDoc;
  rpcUrl(i?: number): string;
  /** `/status` result of node i. */
  status(i?: number): Promise<RpcStatus>;
  /** Latest committed height of node i. */
  height(i?: number): Promise<number>;
  /** Waits until node i (default: every running node) has height ≥ h. */
  waitForHeight(h: number, i?: number, timeoutMs?: number): Promise<void>;
  /**
   * The app hash after executing block h (upper-case hex): it is recorded in header h+1, so this waits
   * for height h+1 and reads `/block?height=h+1`.
   */
  appHashAt(i: number, h: number): Promise<string>;
  /** Same as appHashAt (the app hash "of" height h = the state after block h). */
  appHash(i: number, h: number): Promise<string>;
  /** The raw `app_hash` field of header h (= state after block h-1). */
  headerAppHash(i: number, h: number): Promise<string>;
  /** pids from the pid files (undefined when the process is not running). */
  pids(i: number): { soad: number | undefined; cometbft: number | undefined };
  /** Kills soad of node i (default SIGKILL); resolves once soad and its CometBFT are gone. */
  killApp(i: number, signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Kills the CometBFT child of node i (default SIGKILL); resolves once it and soad (which then stops) are gone. */
  killComet(i: number, signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Graceful stop of node i (SIGTERM; SIGKILL after 20 s). */
  stopNode(i: number): Promise<ProcessExit>;
  /** Resolves with how soad of node i exited (immediately if it is not running). */
  waitForExit(i: number, timeoutMs?: number): Promise<ProcessExit>;
  /** Starts `soad start` again on node i's home and waits until its RPC answers. */
  restart(i: number): Promise<void>;
  /**
   * Starts one more node (next index, peers = every node, same genesis) and waits for its RPC; with
   * `validatorKeyOf: i` it signs with a COPY of node i's validator key (a double signer). Returns its index.
   */
  addNode(o?: { validatorKeyOf?: number; timeouts?: Partial<ConsensusTimeouts> }): Promise<number>;
  /** Last `lines` lines of node i's soad.log (soad and CometBFT output). */
  logs(i: number, lines?: number): string;
  /** Stops every node and removes the directory (unless KEEP_LOCALNET=1 or it was given as `dir`). */
  stop(): Promise<void>;
}

export interface RpcStatus {
  node_info: { id: string; network: string; version: string; moniker: string };
  sync_info: {
    latest_block_hash: string;
    latest_app_hash: string;
    latest_block_height: string;
    latest_block_time: string;
    catching_up: boolean;
  };
  validator_info: { address: string; voting_power: string };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function rpc<T>(url: string, path: string, timeoutMs = 3_000): Promise<T> {
  const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message} ${body.error.data ?? ""}`.trim());
  if (body.result === undefined) throw new Error(`${path}: HTTP ${res.status} without result`);
  return body.result;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * A block of free ports for `nodes` nodes: 36656 + 1000·k for k = 0..23, tried in random order so that
 * parallel test files rarely pick the same block (a lost race still fails loudly: startup checks that
 * each RPC port is answered by its own node).
 */
async function findBasePort(nodes: number): Promise<number> {
  const blocks = Array.from({ length: 24 }, (_, k) => E2E_BASE_PORT + 1_000 * k).filter((b) => b + 100 * nodes < 65_000);
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [blocks[i], blocks[j]] = [blocks[j] as number, blocks[i] as number];
  }
  for (const base of blocks) {
    let free = true;
    for (let i = 0; i < nodes && free; i++) {
      const p = nodePorts(base, i);
      free = (await portFree(p.p2p)) && (await portFree(p.rpc));
    }
    if (free) return base;
  }
  throw new Error(`no free block of ports found in ${E2E_BASE_PORT}..${E2E_BASE_PORT + 23_000}`);
}

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return "(no log)";
  const size = statSync(path).size;
  const text = readFileSync(path, "utf8").slice(Math.max(0, size - 256 * 1024));
  return text.split("\n").slice(-lines - 1).join("\n");
}



async function waitGone(pid: number | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

interface NodeProc {
  child: ChildProcess;
  exit: Promise<ProcessExit>;
  exited: ProcessExit | undefined;
}

/** Every soad this module started, so that a crashing test run does not leave nodes behind. */
const allChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const c of allChildren) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  });
}

export async function startLocalnet(opts: LocalnetOptions = {}): Promise<Localnet> {
  if (!existsSync(SOAD_MAIN)) throw new Error(`${SOAD_MAIN} not found: run \`make build\` first`);
  const nodesWanted = opts.nodes ?? 1;
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "soa-e2e-"));
  const startupTimeoutMs = opts.startupTimeoutMs ?? 60_000;
  const basePort = opts.basePort ?? (await findBasePort(nodesWanted));
  // A given dir is reused only if it holds an earlier localnet (never wipe someone's unrelated files).
  if (!ownDir && existsSync(join(dir, "testnet.json"))) rmSync(dir, { recursive: true, force: true });
  const net = await generateTestnet({
    nodes: nodesWanted,
    outputDir: dir,
    basePort,
    ...(opts.chainId !== undefined ? { chainId: opts.chainId } : {}),
    ...(opts.accounts !== undefined ? { accounts: opts.accounts } : {}),
    ...(opts.devAccounts !== undefined ? { devAccounts: opts.devAccounts } : {}),
    ...(opts.minGasPrices !== undefined ? { minGasPrices: opts.minGasPrices } : {}),
    ...(opts.timeouts !== undefined ? { timeouts: opts.timeouts } : {}),
    ...(opts.slashing !== undefined ? { slashing: opts.slashing } : {}),
    ...(opts.gov !== undefined ? { gov: opts.gov } : {}),
  });
  installExitHook();

  const procs: (NodeProc | undefined)[] = net.nodes.map(() => undefined);
  const homes = net.nodes.map((n) => n.home);
  const logPath = (i: number): string => join(homes[i] as string, "soad.log");
  const node = (i: number): TestnetNode => {
    const n = net.nodes[i];
    if (!n) throw new Error(`no node ${i} (the localnet has ${net.nodes.length})`);
    return n;
  };

  const spawnNode = (i: number): NodeProc => {
    const fd = openSync(logPath(i), "a");
    const args = [SOAD_MAIN, "start", "--home", node(i).home, "--stop-with-parent"];
    if (opts.logLevel) args.push("--log-level", opts.logLevel);
    const child = spawn(process.execPath, args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...opts.env } });
    closeSync(fd);
    allChildren.add(child);
    const proc: NodeProc = { child, exited: undefined, exit: Promise.resolve({ code: null, signal: null }) };
    proc.exit = new Promise<ProcessExit>((resolve) => {
      child.once("exit", (code, signal) => {
        allChildren.delete(child);
        proc.exited = { code, signal };
        resolve(proc.exited);
      });
    });
    procs[i] = proc;
    return proc;
  };

  const rpcUrl = (i = 0): string => node(i).rpcUrl;
  const status = (i = 0): Promise<RpcStatus> => rpc<RpcStatus>(rpcUrl(i), "/status");
  const height = async (i = 0): Promise<number> => Number((await status(i)).sync_info.latest_block_height);
  const running = (i: number): boolean => procs[i] !== undefined && procs[i]?.exited === undefined;

  const waitForHeight = async (h: number, i?: number, timeoutMs = 60_000): Promise<void> => {
    const targets = i !== undefined ? [i] : net.nodes.map((n) => n.index).filter(running);
    const deadline = Date.now() + timeoutMs;
    await Promise.all(
      targets.map(async (t) => {
        let last = "no answer yet";
        for (;;) {
          const proc = procs[t];
          if (proc?.exited) {
            throw new Error(`node${t}: soad exited (${JSON.stringify(proc.exited)}) while waiting for height ${h}\n${tail(logPath(t), 40)}`);
          }
          try {
            const got = await height(t);
            if (got >= h) return;
            last = `height ${got}`;
          } catch (err) {
            last = err instanceof Error ? err.message : String(err);
          }
          if (Date.now() > deadline) {
            throw new Error(`node${t}: height ${h} not reached within ${timeoutMs} ms (${last})\n${tail(logPath(t), 40)}`);
          }
          await sleep(100);
        }
      }),
    );
  };

  const headerAppHash = async (i: number, h: number): Promise<string> => {
    await waitForHeight(h, i);
    const res = await rpc<{ block: { header: { app_hash: string } } }>(rpcUrl(i), `/block?height=${h}`);
    return res.block.header.app_hash;
  };
  const appHashAt = (i: number, h: number): Promise<string> => headerAppHash(i, h + 1);

  const pidFiles = (i: number): { soad: string; cometbft: string } => ({
    soad: join(node(i).home, "soad.pid"),
    cometbft: join(node(i).home, "cometbft.pid"),
  });
  const pids = (i: number): { soad: number | undefined; cometbft: number | undefined } => {
    const f = pidFiles(i);
    const soad = readPidFile(f.soad);
    const cometbft = readPidFile(f.cometbft);
    return { soad: isRunning(soad) ? soad : undefined, cometbft: isRunning(cometbft) ? cometbft : undefined };
  };

  const waitForExit = async (i: number, timeoutMs = 30_000): Promise<ProcessExit> => {
    const proc = procs[i];
    if (!proc) return { code: null, signal: null };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        proc.exit,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`node${i}: soad did not exit within ${timeoutMs} ms\n${tail(logPath(i), 30)}`)), timeoutMs);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  /** After soad is gone its CometBFT stops by itself (lost ABCI connections); make sure of it. */
  const reapComet = async (i: number, timeoutMs = 15_000): Promise<void> => {
    const comet = readPidFile(pidFiles(i).cometbft);
    if (comet !== undefined && !(await waitGone(comet, timeoutMs))) {
      process.kill(comet, "SIGKILL");
      await waitGone(comet, 5_000);
      throw new Error(`node${i}: cometbft (pid ${comet}) outlived soad by ${timeoutMs} ms and had to be SIGKILLed`);
    }
  };

  const killApp = async (i: number, signal: NodeJS.Signals = "SIGKILL"): Promise<ProcessExit> => {
    const proc = procs[i];
    if (!proc || proc.exited) throw new Error(`node${i}: soad is not running`);
    proc.child.kill(signal);
    const exit = await waitForExit(i);
    await reapComet(i);
    return exit;
  };

  const killComet = async (i: number, signal: NodeJS.Signals = "SIGKILL"): Promise<ProcessExit> => {
    const comet = pids(i).cometbft;
    if (comet === undefined) throw new Error(`node${i}: cometbft is not running`);
    process.kill(comet, signal);
    await waitGone(comet, 30_000);
    return waitForExit(i);
  };

  const stopNode = async (i: number): Promise<ProcessExit> => {
    const proc = procs[i];
    if (!proc || proc.exited) return proc?.exited ?? { code: null, signal: null };
    proc.child.kill("SIGTERM");
    try {
      return await waitForExit(i, 20_000);
    } catch {
      proc.child.kill("SIGKILL");
      const exit = await proc.exit;
      await reapComet(i).catch(() => undefined);
      return exit;
    }
  };

  /** Waits for the height, then checks that the RPC port is served by this node, not by a stranger. */
  const waitForRpc = async (i: number, minHeight: number): Promise<void> => {
    await waitForHeight(minHeight, i, startupTimeoutMs);
    const { node_info } = await status(i);
    if (node_info.id !== node(i).nodeId || node_info.network !== net.chainId) {
      throw new Error(
        `node${i}: ${rpcUrl(i)} is answered by another node (id ${node_info.id}, network ${node_info.network}), ` +
          `not by ours (id ${node(i).nodeId}): port clash?\n${tail(logPath(i), 30)}`,
      );
    }
  };

  const restart = async (i: number): Promise<void> => {
    const proc = procs[i];
    if (proc && !proc.exited) throw new Error(`node${i}: soad is still running (pid ${proc.child.pid}); kill or stop it first`);
    await reapComet(i);
    spawnNode(i);
    await waitForRpc(i, 1);
  };

  const addNode = async (o: { validatorKeyOf?: number; timeouts?: Partial<ConsensusTimeouts> } = {}): Promise<number> => {
    // The first port slot after the nodes whose p2p and rpc ports are free (within this block of 1000).
    let slot = net.nodes.length;
    while (slot < 10 && !((await portFree(nodePorts(basePort, slot).p2p)) && (await portFree(nodePorts(basePort, slot).rpc)))) slot++;
    if (slot >= 10) throw new Error(`no free port slot for another node above base port ${basePort}`);
    const added = await addTestnetNode(net, { ...o, portIndex: slot, ...(opts.minGasPrices !== undefined ? { minGasPrices: opts.minGasPrices } : {}), ...(opts.logLevel ? { logLevel: opts.logLevel } : {}) });
    homes.push(added.home);
    procs.push(undefined);
    spawnNode(added.index);
    await waitForRpc(added.index, 1);
    return added.index;
  };

  const stop = async (): Promise<void> => {
    await Promise.all(net.nodes.map((n) => stopNode(n.index)));
    for (const n of net.nodes) await reapComet(n.index, 5_000).catch(() => undefined);
    if (process.env["KEEP_LOCALNET"] === "1") {
      process.stderr.write(`KEEP_LOCALNET=1: localnet kept in ${dir}\n`);
    } else if (ownDir) {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const localnet: Localnet = {
    chainId: net.chainId,
    dir,
    basePort,
    homes,
    nodes: net.nodes,
    devAccounts: net.devAccounts,
    genesis: net.genesis,
    rpcUrl,
    status,
    height,
    waitForHeight,
    appHashAt,
    appHash: appHashAt,
    headerAppHash,
    pids,
    killApp,
    killComet,
    stopNode,
    waitForExit,
    restart,
    addNode,
    logs: (i, lines = 100) => tail(logPath(i), lines),
    stop,
  };

  try {
    for (const n of net.nodes) spawnNode(n.index);
    await Promise.all(net.nodes.map((n) => waitForRpc(n.index, 2)));
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return localnet;
}
