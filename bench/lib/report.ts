// Markdown summary of a benchmark run (bench/results/latest.md), from the JSON results.
import type { PerfRow } from "../../chain/test/perf/app.perf.js";
import { formatRows } from "../../chain/test/perf/app.perf.js";
import type { LoadInfo, MachineInfo } from "./results.js";

export interface ThroughputSide {
  name: string;
  txBytes: number;
  committed: number;
  accepted: number;
  rejected: number;
  steadyTps: number;
  steadyBlocks: number;
  steadyMs: number;
  wallTps: number;
  txsPerBlock: { mean: number; max: number };
  blockIntervalMs: { mean: number; median: number; max: number };
  cpu: Record<string, { seconds: number; coreShare: number }>;
  appBlockMs?: { usPerTx: number; medianMs: number; maxMs: number };
  rejections: Record<string, number>;
}

export interface ThroughputResult {
  machine: MachineInfo;
  load?: { before: LoadInfo; after: LoadInfo };
  params: Record<string, unknown>;
  ratio?: number;
  results: ThroughputSide[];
}

export interface AppResult {
  machine: MachineInfo;
  load?: { before: LoadInfo; after: LoadInfo };
  rows: PerfRow[];
}

const n0 = (x: number): string => Math.round(x).toLocaleString("en-US");

export function machineLine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.nproc} CPUs (nproc), ${m.ramGiB} GiB RAM, ${m.kernel}, Node ${m.node}, commit ${m.gitCommit}`;
}

export function throughputMarkdown(t: ThroughputResult): string {
  const lines: string[] = [];
  const p = t.params as { txs: number; senders: number; method: string; batch: number; concurrency: number; timeouts: { timeoutCommit: string } };
  lines.push(
    `Load: ${n0(p.txs)} pre-signed txs per app (soad: MsgSend from ${n0(p.senders)} genesis-funded accounts; kvstore: ` +
      `random \`key=value\` of the same size), ${p.method} in JSON-RPC batches of ${p.batch}, ${p.concurrency} HTTP requests in flight, ` +
      `timeout_commit ${p.timeouts.timeoutCommit}, CometBFT defaults otherwise (mempool 5000 txs, recheck on, kv indexer). ` +
      `CPU: per process over the load (send + drain); "other processes" = the rest of the machine (should be ~0).`,
    "",
    "| app | committed tx/s (steady) | wall tx/s | txs/block avg (max) | block interval avg ms | CPU µs per committed tx | CPU share of one core |",
    "|---|---:|---:|---:|---:|---|---|",
  );
  for (const s of t.results) {
    const perTx = Object.entries(s.cpu)
      .filter(([k]) => k !== "other processes")
      .map(([k, v]) => `${k} ${n0((v.seconds * 1e6) / Math.max(1, s.committed))}`)
      .join(", ");
    const share = Object.entries(s.cpu)
      .map(([k, v]) => `${k} ${Math.round(v.coreShare * 100)} %`)
      .join(", ");
    lines.push(
      `| ${s.name} | **${n0(s.steadyTps)}** | ${n0(s.wallTps)} | ${n0(s.txsPerBlock.mean)} (${n0(s.txsPerBlock.max)}) | ${n0(s.blockIntervalMs.mean)} | ${perTx} | ${share} |`,
    );
  }
  if (t.ratio !== undefined) lines.push("", `Ratio soad / kvstore (steady committed tx/s): **${(t.ratio * 100).toFixed(1)} %**`);
  const soad = t.results.find((r) => r.name === "soad");
  if (soad?.appBlockMs) {
    lines.push(
      "",
      `soad "committed block" log: ${soad.appBlockMs.usPerTx} µs per tx from FinalizeBlock start to Commit end ` +
        `(includes CheckTx requests served in between), ${soad.appBlockMs.medianMs} ms median / ${soad.appBlockMs.maxMs} ms max per block.`,
    );
  }
  for (const s of t.results) {
    if (s.rejected > 0) lines.push("", `${s.name}: ${s.rejected} txs rejected: ${JSON.stringify(s.rejections)}`);
  }
  return lines.join("\n");
}

export function appMarkdown(a: AppResult): string {
  return [
    "CPU µs/tx = median over 10 chunks (per-tx cases) or over the blocks (block cases) of process CPU time per tx; " +
      "tx/s per core = 1e6 / that. Wall µs/tx is the same median in wall time.",
    "",
    formatRows(a.rows),
  ].join("\n");
}

export function fullMarkdown(opts: { command: string; app?: AppResult; throughput?: ThroughputResult }): string {
  const m = opts.throughput?.machine ?? opts.app?.machine;
  const out: string[] = ["# Benchmark run", ""];
  if (m) out.push(`- Date: ${m.date}`, `- Machine: ${machineLine(m)}`);
  out.push(`- Command: \`${opts.command}\``);
  const loads = [opts.app?.load, opts.throughput?.load].filter((x) => x !== undefined);
  if (loads.length > 0) out.push(`- Machine load: ${loads.map((l) => `${l.before.summary} → ${l.after.summary}`).join("; ")}`);
  if (opts.throughput) out.push("", "## Localnet throughput (1 node)", "", throughputMarkdown(opts.throughput));
  if (opts.app) out.push("", "## In-process per-tx costs", "", appMarkdown(opts.app));
  return out.join("\n") + "\n";
}
