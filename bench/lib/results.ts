// Machine description and result files for benchmarks (bench/results/*.json).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ in the source tree (this file runs from bench/dist/bench/lib/). */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const REPO_ROOT = join(BENCH_DIR, "..");
export const RESULTS_DIR = join(BENCH_DIR, "results");

export interface MachineInfo {
  date: string;
  cpuModel: string;
  nproc: number;
  ramGiB: number;
  node: string;
  kernel: string;
  gitCommit: string;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function machineInfo(): MachineInfo {
  const lscpu = sh("lscpu", []);
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  return {
    date: new Date().toISOString(),
    cpuModel: model,
    nproc: Number(sh("nproc", [])) || cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: sh("uname", ["-sr"]),
    // BENCH_GIT_COMMIT describes a tree that is not a git checkout (e.g. a `git archive` export).
    gitCommit: process.env["BENCH_GIT_COMMIT"] ?? sh("git", ["-C", REPO_ROOT, "rev-parse", "--short", "HEAD"]),
  };
}

/** Writes bench/results/<name>.json and merges it into bench/results/latest.json. */
export function writeResult(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(data, null, 2) + "\n");
  const latestPath = join(RESULTS_DIR, "latest.json");
  let latest: Record<string, unknown> = {};
  try {
    latest = JSON.parse(readFileSync(latestPath, "utf8")) as Record<string, unknown>;
  } catch {
    latest = {};
  }
  latest[name] = data;
  writeFileSync(latestPath, JSON.stringify(latest, null, 2) + "\n");
}

export interface LoadInfo {
  loadavg: number[];
  /** /proc/pressure/cpu "some avg10" (% of time at least one task waited for a CPU), if available. */
  cpuPressureAvg10?: number;
  summary: string;
}

/** How busy the machine is (other processes skew every figure on a shared 2-core box). */
export function loadInfo(): LoadInfo {
  const loadavg = loadavgNow();
  let cpuPressureAvg10: number | undefined;
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    if (m) cpuPressureAvg10 = Number(m[1]);
  } catch {
    cpuPressureAvg10 = undefined;
  }
  const summary = `loadavg ${loadavg.map((x) => x.toFixed(2)).join(" ")}${cpuPressureAvg10 !== undefined ? `, cpu pressure ${cpuPressureAvg10}%` : ""}`;
  return { loadavg, ...(cpuPressureAvg10 !== undefined ? { cpuPressureAvg10 } : {}), summary };
}

function loadavgNow(): number[] {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
  } catch {
    return [];
  }
}
