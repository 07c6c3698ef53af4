// Small process helpers for pid files and supervision (Linux first; portable fallbacks).
import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** True if a process with this pid exists (EPERM: exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line of a live process, or undefined when it cannot be read (no /proc, gone). */
export function processCommandLine(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((s) => s !== "").join(" ");
  } catch {
    return undefined;
  }
}

/** A zombie (exited, not yet reaped) still answers kill(0); /proc tells the truth. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** Alive and not a zombie: the process still runs (an orphan may wait a while for init to reap it). */
export function isRunning(pid: number | undefined): boolean {
  return pid !== undefined && isProcessAlive(pid) && !isZombie(pid);
}

export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(path: string, pid: number): void {
  writeFileSync(path, `${pid}\n`);
}

/** Removes the pid file only if it still names `pid` (a newer run may have replaced it). */
export function removePidFile(path: string, pid: number): void {
  if (readPidFile(path) === pid) rmSync(path, { force: true });
}

/**
 * The pid recorded in `path` if that process is alive and its command line matches `pattern`
 * (guards against pid reuse after a crash). Undefined for a missing or stale pid file.
 */
export function livePidFromFile(path: string, pattern: RegExp): number | undefined {
  const pid = readPidFile(path);
  if (pid === undefined || pid === process.pid || !isRunning(pid)) return undefined;
  const cmd = processCommandLine(pid);
  if (cmd !== undefined && !pattern.test(cmd)) return undefined;
  return pid;
}

/** Command lines of a soad process (`soad start`, `node …/cli/main.js start`). */
export const SOAD_CMDLINE = /soad|main\.js|node/;
/** Command lines of a CometBFT process. */
export const COMETBFT_CMDLINE = /cometbft/;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until the process is gone (or a zombie); true if it went away within `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(50);
  }
  return !isRunning(pid);
}
