// Child processes of a benchmark run: spawned with their output in a log file, tracked so that every one of
// them is stopped at the end, on error, on Ctrl-C and on process exit (SIGKILL as the last resort).
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { isRunning, sleep } from "@soa/chain/node/process";

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Extra pids to SIGKILL if they outlive the process (e.g. soad's CometBFT child, from its pid file). */
  extraPids: () => number[];
  isRunning(): boolean;
}

const procs = new Set<Proc>();
const cleanups = new Set<() => void>();

/** A synchronous cleanup (e.g. removing a temp dir) run on exit and on SIGINT/SIGTERM after the processes stop. */
export function addCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function runCleanups(): void {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
  cleanups.clear();
}

export function spawnLogged(
  name: string,
  cmd: string,
  args: string[],
  logPath: string,
  env: NodeJS.ProcessEnv = process.env,
  extraPids: () => number[] = () => [],
): Proc {
  const fd = openSync(logPath, "a");
  const child = spawn(cmd, args, { stdio: ["ignore", fd, fd], env });
  closeSync(fd);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once("error", () => {
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  const p: Proc = { name, child, logPath, exited, extraPids, isRunning: () => running };
  procs.add(p);
  return p;
}


/** SIGTERM, then SIGKILL after `graceMs`; then SIGKILL any extra pids still alive. */
export async function stopProc(p: Proc, graceMs = 15_000): Promise<void> {
  const extras = p.extraPids();
  if (p.isRunning()) {
    p.child.kill("SIGTERM");
    const done = await Promise.race([p.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
  }
  for (const pid of extras) {
    for (let i = 0; i < 50 && isRunning(pid); i++) await sleep(100);
    if (isRunning(pid)) process.kill(pid, "SIGKILL");
  }
  procs.delete(p);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...procs].map((p) => stopProc(p).catch(() => undefined)));
}

/** Runs a bench script's main: exit 0 when it resolves; else print the error, stop every child, exit 1. */
export function runMain(what: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    async (err: unknown) => {
      process.stderr.write(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await stopAll();
      process.exit(1);
    },
  );
}

/** Synchronous last resort (process 'exit'): SIGKILL whatever is left. */
function killAllNow(): void {
  for (const p of procs) {
    const extras = p.extraPids();
    if (p.isRunning()) p.child.kill("SIGKILL");
    for (const pid of extras) if (isRunning(pid)) process.kill(pid, "SIGKILL");
  }
}

let hooked = false;
/** Stops every child on exit and on SIGINT/SIGTERM (then exits 130/143). */
export function installCleanupHooks(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    killAllNow();
    runCleanups();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping benchmark processes\n`);
      void stopAll()
        .catch(() => undefined)
        .finally(() => {
          runCleanups();
          process.exit(sig === "SIGINT" ? 130 : 143);
        });
    });
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** First base port (from `start`, steps of 1000) whose p2p/rpc/abci ports (+0,+1,+2) are free. */
export async function findFreeBase(start: number): Promise<number> {
  for (let base = start; base < 64_000; base += 1_000) {
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2))) return base;
  }
  throw new Error(`no free ports from ${start}`);
}

export function tailFile(path: string, lines = 30): string {
  if (!existsSync(path)) return "(no log)";
  const text = readFileSync(path, "utf8");
  return text.split("\n").slice(-lines - 1).join("\n");
}
