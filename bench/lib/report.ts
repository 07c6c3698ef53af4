// Markdown summary of a benchmark run (bench/results/latest.md), from the JSON results.
import type { PerfRow } from "../../chain/test/perf/app.perf.js";
import { formatRows } from "../../chain/test/perf/app.perf.js";
import type { MeteringCase, UploadResult, WasmAppResult } from "../../chain/test/perf/wasm.perf.js";
import type { ContractGasResult } from "./contracts.js";
import type { LoadInfo, MachineInfo } from "./results.js";
import type { WasmLocalnetResult } from "./wasmLocalnet.js";

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

/** The CPU columns of a load run: µs per committed tx (per process, `fmt`) and each one's share of a core. */
function cpuCells(cpu: ThroughputSide["cpu"], committed: number, fmt: (x: number) => string): { perTx: string; share: string } {
  const perTx = Object.entries(cpu)
    .filter(([k]) => k !== "other processes")
    .map(([k, v]) => `${k} ${fmt((v.seconds * 1e6) / Math.max(1, committed))}`)
    .join(", ");
  const share = Object.entries(cpu)
    .map(([k, v]) => `${k} ${Math.round(v.coreShare * 100)} %`)
    .join(", ");
  return { perTx, share };
}

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
    const { perTx, share } = cpuCells(s.cpu, s.committed, n0);
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

export interface WasmResult {
  machine: MachineInfo;
  load?: { before: LoadInfo; after: LoadInfo };
  notes: string[];
  totalSeconds?: number;
  app?: WasmAppResult;
  upload?: UploadResult;
  metering?: MeteringCase[];
  localnet?: WasmLocalnetResult;
}

const f1 = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 1 });
const f2 = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 2 });
const kib = (b: number): string => `${f1(b / 1024)} KiB`;

export function wasmMarkdown(w: WasmResult): string {
  const out: string[] = [];
  if (w.app) {
    const a = w.app;
    out.push(
      `**Contract txs through the app** (in-process SoaApp on LMDB, no CometBFT): blocks of ${a.cases[0]?.blockSize ?? 0} signed txs ` +
        `from ${f1(a.senders)} accounts round-robin, the three kinds' blocks interleaved, CheckTx NEW first (warm signature cache, as on a node), then FinalizeBlock + Commit. ` +
        `Contract: counter.wasm (${kib(a.contract.bytes)}, instrumented ${kib(a.contract.instrumentedBytes)}); gas limit = gas used + 25 %. ` +
        `CPU µs/tx = median over blocks; tx/s = 1e6 / (FinalizeBlock + Commit CPU µs/tx) on one core.`,
      "",
      "| tx | blocks × txs | tx bytes | SDK gas used | CheckTx µs/tx | FinalizeBlock µs/tx | Commit µs/tx | **FinalizeBlock + Commit µs/tx** | **tx/s** | wall µs/tx | × bank send (CPU / wall) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const c of a.cases) {
      const ratio = a.ratioToBank[c.id];
      const ratioWall = a.ratioToBankWall?.[c.id];
      out.push(
        `| ${c.label} | ${c.blocks} × ${c.blockSize} | ${c.txBytes} | ${f1(c.gasUsed)} | ${f1(c.checkUsPerTx)} | ${f1(c.finalizeUsPerTx)} | ${f1(c.commitUsPerTx)} | **${f1(c.usPerTx)}** | **${f1(c.txPerSec)}** | ${f1(c.wallUsPerTx)} | ${ratio === undefined ? "1" : `${f2(ratio)} / ${ratioWall === undefined ? "—" : f2(ratioWall)}`} |`,
      );
    }
    if (a.instanceUs) {
      out.push(
        "",
        `A fresh \`new WebAssembly.Instance\` of the instrumented counter (WasmVm.call makes one per call): ` +
          `${f1(a.instanceUs.wall)} µs wall, ${f1(a.instanceUs.cpu)} µs CPU (incl. V8's GC threads) per instance.`,
      );
    }
  }
  if (w.localnet) {
    const l = w.localnet;
    const { perTx, share } = cpuCells(l.cpu, l.committed, f1);
    out.push(
      "",
      `**Localnet (1 node, soad + CometBFT)**: ${f1(l.txs)} pre-signed \`{"increment":{}}\` executions (${l.txBytes} B, gas limit ${f1(l.gasLimit)}, ` +
        `used ${f1(l.gasUsed)}) from ${f1(l.senders)} genesis-funded accounts, broadcast_tx_sync in batches of 10, timeout_commit ${l.timeoutCommit}; ` +
        `the same load generator as the bank-send throughput benchmark.`,
      "",
      "| committed tx/s (steady) | wall tx/s | committed | failed in blocks | rejected | txs/block avg (max) | block interval avg ms | app FinalizeBlock→Commit µs/tx | CPU µs per committed tx | CPU share of one core |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
      `| **${f1(l.steadyTps)}** | ${f1(l.wallTps)} | ${f1(l.committed)} | ${l.failedInBlocks} | ${l.rejected} | ${f1(l.txsPerBlock.mean)} (${l.txsPerBlock.max}) | ${f1(l.blockIntervalMs.mean)} | ${l.appBlockMs ? f1(l.appBlockMs.usPerTx) : "—"} | ${perTx} | ${share} |`,
    );
    if (l.finalCount !== undefined) out.push("", `Counter after the run: ${l.finalCount} (1 probe + committed increments).`);
    if (l.rejected > 0) out.push("", `Rejections: ${JSON.stringify(l.rejections)}`);
    if (!l.drained) out.push("", "WARNING: the mempool did not drain within the timeout.");
  }
  if (w.upload) {
    const u = w.upload;
    out.push(
      "",
      `**Upload of a large module**: generated deterministically (${u.shape.functions} functions of straight-line i64 arithmetic, ` +
        `one \`if\` each, calls in chains of 16; wabt), ${f1(u.bytes)} B = ${kib(u.bytes)} (gzip ${kib(u.gzipBytes)}), instrumented ${kib(u.instrumentedBytes)} ` +
        `(×${f2(u.instrumentedBytes / u.bytes)}). Medians of ${u.runs} runs (wall ms, after three warm-up runs).`,
      "",
      "| step | ms |",
      "|---|---:|",
      `| prepareCode() (validate + analyse + instrument + engine check of the output) | **${f2(u.prepareCodeMs)}** |`,
      `| of which validateModule() (parse, rules, opcode whitelist, engine validate of the input) | ${f2(u.validateModuleMs)} |`,
      `| WebAssembly.validate of the instrumented module (engineValidates) | ${f2(u.engineValidateMs)} |`,
      `| new WebAssembly.Module(instrumented) (WasmVm, once per checksum per process) | ${f2(u.compileMs)} |`,
      `| MsgStoreCode through the app: CheckTx (${kib(u.storeCode.txBytes)} tx) | ${f2(u.storeCode.checkTxMs)} |`,
      `| MsgStoreCode through the app: FinalizeBlock (gunzip + validate + instrument + store; ${f1(u.storeCode.gasUsed)} SDK gas) | **${f2(u.storeCode.finalizeMs)}** (CPU ${f2(u.storeCode.finalizeCpuMs)}) |`,
      `| MsgStoreCode through the app: Commit | ${f2(u.storeCode.commitMs)} |`,
    );
    if (u.counter.bytes > 0) {
      out.push(`| for scale: counter.wasm (${kib(u.counter.bytes)}) prepareCode() / compile | ${f2(u.counter.prepareCodeMs)} / ${f2(u.counter.compileMs)} |`);
    }
  }
  if (w.metering && w.metering.length > 0) {
    const it = w.metering[0]!;
    out.push(
      "",
      `**Metering overhead**: the same module run uninstrumented (plain WebAssembly.Instance) and instrumented (prepareCode output, ` +
        `soa_gas_left / soa_depth_left set as runtime.ts does), ${f1(it.iterations)} iterations per run, ${it.rounds} interleaved rounds after ` +
        `a warm-up, median of process CPU time (wall in brackets). V8 tier: *dynamic* = Node's default (Liftoff first, TurboFan for hot ` +
        `functions, as in soad), *turbofan* = \`--no-liftoff\`, *liftoff* = \`--liftoff-only\` (child processes). ` +
        `Gas/s = CosmWasm points consumed ÷ metered CPU time; SDK gas/s = that ÷ 140,000.`,
      "",
      "| module | V8 tier | plain ns/iter | metered ns/iter | **overhead** | gas points/iter | points/s | **SDK gas/s** | a 200M-SDK-gas block of this code |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const m of w.metering) {
      out.push(
        `| ${m.label} | ${m.tier} | ${f2(m.plainNsPerIter)} (${f2(m.plainWallNsPerIter)}) | ${f2(m.meteredNsPerIter)} (${f2(m.meteredWallNsPerIter)}) | **×${f2(m.overhead)}** | ${f1(m.gasPerIter)} | ${(m.gasPerSec / 1e12).toFixed(2)} T | **${f2(m.sdkGasPerSec / 1e6)} M** | ${f1(m.msPer200MSdkGas / 1000)} s |`,
      );
    }
  }
  for (const n of w.notes) out.push("", `Note: ${n}`);
  return out.join("\n");
}

export interface ContractsResult extends ContractGasResult {
  machine: MachineInfo;
  totalSeconds?: number;
}

/** Gas per product-contract operation and the contracts' code sizes (bench/contracts.ts). */
export function contractsMarkdown(c: ContractsResult): string {
  const n = (x: number): string => x.toLocaleString("en-US");
  const out: string[] = [
    "Through the real app in-process (InitChain, FinalizeBlock + Commit per block, one signed tx per block, " +
      "fee 10,000usoa); **tx gas** = the tx's gas_used (ante handler + message + contract, what a wallet pays for; " +
      "the bank send shows the ante handler's share). sudo and query: the native call alone on a branch of the " +
      "committed state. Collection with open minting and a 1 SOA mint fee; licences on a fine-tune with one parent " +
      `(10 %) and a 2.5 % protocol fee; marketplace fee 2 %. Run twice on fresh nodes: ${c.deterministic ? "**identical gas**" : `**DIFFERENT gas**: ${c.differences.join("; ")}`}.`,
    "",
    "| contract | operation | gas | tx bytes |",
    "|---|---|---:|---:|",
  ];
  for (const o of c.ops) out.push(`| ${o.contract} | ${o.op} | **${n(o.gas)}** | ${o.txBytes === undefined ? `— (${o.kind})` : n(o.txBytes)} |`);
  out.push(
    "",
    "| contract | .wasm bytes | gzip | instrumented (×) | upload gas (gzipped MsgStoreCode) | instantiate gas | sha256 |",
    "|---|---:|---:|---:|---:|---:|---|",
  );
  for (const s of c.sizes) {
    out.push(
      `| ${s.name} | ${n(s.bytes)} | ${n(s.gzipBytes)} | ${n(s.instrumentedBytes)} (×${(s.instrumentedBytes / s.bytes).toFixed(2)}) | ${n(s.storeGas)} | ${n(s.instantiateGas)} | \`${s.sha256.slice(0, 12)}…\` |`,
    );
  }
  return out.join("\n");
}

export function fullMarkdown(opts: { command: string; app?: AppResult; throughput?: ThroughputResult; wasm?: WasmResult; contracts?: ContractsResult }): string {
  const m = opts.throughput?.machine ?? opts.app?.machine ?? opts.wasm?.machine ?? opts.contracts?.machine;
  const out: string[] = ["# Benchmark run", ""];
  if (m) out.push(`- Date: ${m.date}`, `- Machine: ${machineLine(m)}`);
  out.push(`- Command: \`${opts.command}\``);
  const loads = [opts.app?.load, opts.throughput?.load, opts.wasm?.load].filter((x) => x !== undefined);
  if (loads.length > 0) out.push(`- Machine load: ${loads.map((l) => `${l.before.summary} → ${l.after.summary}`).join("; ")}`);
  if (opts.throughput) out.push("", "## Localnet throughput (1 node)", "", throughputMarkdown(opts.throughput));
  if (opts.app) out.push("", "## In-process per-tx costs", "", appMarkdown(opts.app));
  if (opts.wasm) out.push("", "## wasm", "", wasmMarkdown(opts.wasm));
  if (opts.contracts) out.push("", "## Contract gas (model-nft, licensing, marketplace)", "", contractsMarkdown(opts.contracts));
  return out.join("\n") + "\n";
}
