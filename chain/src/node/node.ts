// `soad start`: the app, its ABCI socket server and a supervised CometBFT child (ARCHITECTURE.md D2).
//
// Start order: open the app (LMDB) → listen on <home>/app.sock → spawn `cometbft start` (which opens
// its four ABCI connections). If either half dies, both stop:
//   - CometBFT exits on its own             → stop the server and the app, exit 1
//   - the ABCI server reports a fatal error → stop CometBFT, the server and the app, exit 1
//   - soad is SIGKILLed                     → the kernel closes the ABCI sockets and CometBFT kills
//     itself ("connection terminated", ABCI.md §2.2); its stdout pipe breaks as well
//   - SIGINT/SIGTERM                        → graceful: CometBFT SIGTERM (SIGKILL after 10 s),
//     close the server, close the app, exit 0; a second signal forces the exit.
// CometBFT runs in its own process group so that a terminal's Ctrl-C reaches soad only and the
// shutdown order above is kept.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import type { AbciApplication } from "../abci/application.js";
import { AbciServer } from "../abci/server.js";
import { SoaApp } from "../app/app.js";
import { type LogLevel, type Logger, createLogger } from "../logger/logger.js";
import { checkCometbftVersion, findCometbft, runCometbft } from "./cometbft.js";
import { DEFAULT_APP_CONFIG, type AppConfig, homePaths, readAppToml, readTomlFile } from "./config.js";
import { COMETBFT_CMDLINE, SOAD_CMDLINE, livePidFromFile, removePidFile, sleep, writePidFile } from "./process.js";

export interface ClosableApp extends AbciApplication {
  close(): Promise<void>;
}

/** What the supervisor needs from the ABCI socket server. */
export interface AbciServerHandle {
  listen(address: string): unknown;
  close(): unknown;
  on(event: "fatal", listener: (err: unknown) => void): unknown;
}

/** Injected so the supervisor can be tested without the real app. */
export interface NodeModules {
  openApp(opts: { dataDir: string; minGasPrices?: string; logger?: Logger }): Promise<ClosableApp>;
  createAbciServer(opts: { app: AbciApplication; logger: Logger }): AbciServerHandle;
}

export const defaultNodeModules: NodeModules = {
  openApp: (opts) => SoaApp.open(opts),
  createAbciServer: (opts) => new AbciServer(opts),
};

export interface StartOptions {
  home: string;
  /** Overrides app.toml's log-level. */
  logLevel?: LogLevel;
  /** CometBFT binary (default: findCometbft()). */
  cometbftBin?: string;
  /** Stop when the parent process goes away (test harnesses: no orphans if the runner dies). */
  stopWithParent?: boolean;
  /** How long CometBFT gets to stop after SIGTERM before SIGKILL (default 10 s). */
  cometbftStopTimeoutMs?: number;
  /** Where log lines go (default stderr). */
  write?: (line: string) => void;
}

export interface RunningNode {
  readonly home: string;
  readonly cometbftPid: number | undefined;
  /** Resolves with the exit code once everything has stopped. */
  readonly done: Promise<number>;
  /** Graceful stop (idempotent); resolves with the exit code. */
  stop(code?: number, reason?: string): Promise<number>;
  /** Immediate SIGKILL of CometBFT, for a forced exit. */
  killCometbft(): void;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Starts a node on `home` and returns once CometBFT has been spawned. The caller decides what to do
 * with signals (see the `start` command) and awaits `done`.
 */
/** How many of the last heights are re-indexed after an unclean stop. */
const REINDEX_DEPTH = 10n;

/**
 * CometBFT indexes a block's txs after committing it, asynchronously, and never catches up on a block
 * whose indexing a crash interrupted: `tx_search` (CosmJS getTx, searchTx) would then miss committed
 * txs. After an unclean stop, re-index the last heights offline, before CometBFT starts.
 */
async function reindexRecentEvents(app: ClosableApp, cometbftBin: string, home: string, log: Logger): Promise<void> {
  let from = 1n;
  try {
    const { lastBlockHeight } = await app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "2.0.0" });
    if (lastBlockHeight === 0n) return;
    from = lastBlockHeight > REINDEX_DEPTH ? lastBlockHeight - REINDEX_DEPTH : 1n;
    const out = await runCometbft(cometbftBin, ["reindex-event", "--home", home, "--start-height", from.toString()]);
    if (/failed/i.test(out)) log.warn("re-indexing recent blocks after an unclean stop failed", { from, output: out.trim().slice(-300) });
    else log.info("re-indexed recent blocks after an unclean stop", { from });
  } catch (err) {
    log.warn("re-indexing recent blocks after an unclean stop failed", { from }, err);
  }
}

export async function startNode(opts: StartOptions, modules: NodeModules = defaultNodeModules): Promise<RunningNode> {
  const home = resolve(opts.home);
  const paths = homePaths(home);
  for (const f of [paths.configToml, paths.genesis]) {
    if (!existsSync(f)) throw new Error(`${f} not found: initialise the home first with \`soad init <moniker> --home ${home}\``);
  }
  const appConfig: AppConfig = existsSync(paths.appToml) ? readAppToml(paths.appToml) : DEFAULT_APP_CONFIG;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const logger = createLogger({ level: opts.logLevel ?? appConfig.logLevel, write });
  const log = logger.child("node");

  const running = livePidFromFile(paths.soadPid, SOAD_CMDLINE);
  if (running !== undefined) throw new Error(`soad is already running on ${home} (pid ${running}, ${paths.soadPid})`);
  const orphan = livePidFromFile(paths.cometbftPid, COMETBFT_CMDLINE);
  if (orphan !== undefined) {
    throw new Error(`a cometbft process (pid ${orphan}) from an earlier run still uses ${home}; stop it first (kill ${orphan})`);
  }

  const cometbftBin = findCometbft(opts.cometbftBin); // validates an explicit path too
  const { version, warning } = await checkCometbftVersion(cometbftBin);
  if (warning) log.warn(warning);
  const config = readTomlFile(paths.configToml);
  const rpcLaddr = (config["rpc"] as Record<string, unknown> | undefined)?.["laddr"];

  // Pid files are removed on a clean stop: finding one means the last run was killed.
  const uncleanStop = existsSync(paths.soadPid) || existsSync(paths.cometbftPid);
  writePidFile(paths.soadPid, process.pid);
  rmSync(paths.socket, { force: true }); // a stale socket of a killed run; no live soad owns it (checked above)

  let app: ClosableApp | undefined;
  let server: AbciServerHandle | undefined;
  let child: ChildProcess | undefined;
  let childExited: Promise<void> = Promise.resolve();
  let childAlive = false;
  let stopping: Promise<number> | undefined;
  let parentWatch: NodeJS.Timeout | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const stopTimeout = opts.cometbftStopTimeoutMs ?? 10_000;

  const stop = (code = 0, reason = "stop requested"): Promise<number> => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (code === 0) log.info("shutting down", { reason });
      else log.error("shutting down", { reason, exitCode: code });
      if (parentWatch) clearInterval(parentWatch);
      let exitCode = code;
      if (child && childAlive) {
        child.kill("SIGTERM");
        const exited = await Promise.race([childExited.then(() => true), sleep(stopTimeout).then(() => false)]);
        if (!exited) {
          log.warn("cometbft did not stop in time, sending SIGKILL", { pid: child.pid, timeoutMs: stopTimeout });
          child.kill("SIGKILL");
          await childExited;
        }
      }
      if (server) {
        try {
          await withTimeout(Promise.resolve(server.close()), 5_000, "ABCI server close");
        } catch (err) {
          log.error("closing the ABCI server failed", {}, err);
          exitCode ||= 1;
        }
      }
      if (app) {
        try {
          await app.close();
        } catch (err) {
          log.error("closing the app failed", {}, err);
          exitCode ||= 1;
        }
      }
      rmSync(paths.socket, { force: true });
      if (child?.pid !== undefined) removePidFile(paths.cometbftPid, child.pid);
      removePidFile(paths.soadPid, process.pid);
      log.info("stopped", { exitCode });
      resolveDone(exitCode);
      return exitCode;
    })();
    return stopping;
  };

  try {
    log.info("opening app", { home, dataDir: paths.appDataDir, minGasPrices: appConfig.minimumGasPrices });
    app = await modules.openApp({
      dataDir: paths.appDataDir,
      minGasPrices: appConfig.minimumGasPrices,
      logger: logger.child("app"),
    });
    if (uncleanStop) await reindexRecentEvents(app, cometbftBin, home, log);
    server = modules.createAbciServer({ app, logger: logger.child("abci") });
    server.on("fatal", (err: unknown) => void stop(1, `ABCI server fatal error: ${errMessage(err)}`));
    await server.listen(`unix://${paths.socket}`);

    child = spawn(
      cometbftBin,
      ["start", "--home", home, "--proxy_app", `unix://${paths.socket}`, "--abci", "socket"],
      { detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    childAlive = true;
    const proc = child;
    childExited = new Promise<void>((r) => {
      proc.once("exit", (code, signal) => {
        childAlive = false;
        if (!stopping) {
          void stop(1, `cometbft exited unexpectedly (code ${String(code)}, signal ${String(signal)})`);
        } else {
          log.info("cometbft exited", { code, signal });
        }
        r();
      });
    });
    proc.once("error", (err) => {
      // spawn failure (ENOENT, EACCES): there will be no "exit" event
      if (proc.pid === undefined) {
        childAlive = false;
        void stop(1, `cannot start cometbft (${cometbftBin}): ${err.message}`);
      } else log.error("cometbft process error", {}, err);
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => write(`[cometbft] ${line}`));
    }
    if (proc.pid !== undefined) {
      writePidFile(paths.cometbftPid, proc.pid);
      log.info("cometbft started", { pid: proc.pid, version, rpc: typeof rpcLaddr === "string" ? rpcLaddr : undefined });
    }
  } catch (err) {
    await stop(1, `startup failed: ${errMessage(err)}`);
    throw err;
  }

  if (opts.stopWithParent) {
    const parent = process.ppid;
    parentWatch = setInterval(() => {
      if (process.ppid !== parent) void stop(1, `parent process ${parent} exited`);
    }, 1_000);
    parentWatch.unref();
  }

  return {
    home,
    get cometbftPid() {
      return childAlive ? child?.pid : undefined;
    },
    done,
    stop,
    killCometbft: () => {
      if (child && childAlive) child.kill("SIGKILL");
    },
  };
}
