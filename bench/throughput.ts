// Localnet throughput: pre-signed bank sends against a fresh 1-node soad network, then the same load
// (same tx count, same tx size, same client) against CometBFT's built-in kvstore app on a fresh home with
// the same config.toml, in the same run. Prints committed tx/s of both and the ratio; never asserts.
//
//   node bench/dist/bench/throughput.js [--txs 20000] [--senders 2000] [--timeout-commit 200ms] ...
//   (see `--help`; `npm run bench` at the repo root builds and runs everything)
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { benchKeys, benchRegistry, type Sender, signSends } from "../chain/test/perf/fixtures.js";
import { runLoad, type LoadResult } from "./lib/load.js";
import { type BenchNet, parseCommittedBlocks, startKvstoreNet, startSoadNet } from "./lib/nets.js";
import { addCleanup, findFreeBase, installCleanupHooks, runMain, stopAll } from "./lib/procs.js";
import { loadInfo, machineInfo, REPO_ROOT, writeResult } from "./lib/results.js";
import { accountNumbers } from "./lib/rpc.js";

const { values: args } = parseArgs({
  options: {
    txs: { type: "string", default: "20000" },
    senders: { type: "string", default: "2000" },
    "timeout-commit": { type: "string", default: "200ms" },
    method: { type: "string", default: "broadcast_tx_sync" },
    batch: { type: "string", default: "10" },
    concurrency: { type: "string", default: "192" },
    window: { type: "string", default: "1950" },
    "mempool-cap": { type: "string", default: "3000" },
    "mempool-size": { type: "string", default: "5000" },
    recheck: { type: "string", default: "true" },
    indexer: { type: "string", default: "kv" },
    "send-timeout": { type: "string", default: "120" },
    only: { type: "string" },
    soad: { type: "string", default: join(REPO_ROOT, "chain", "dist", "cli", "main.js") },
    cometbft: { type: "string", default: process.env["COMETBFT_BIN"] ?? join(REPO_ROOT, ".bin", "cometbft") },
    "cpu-prof": { type: "boolean", default: false },
    "log-level": { type: "string", default: "info" },
    keep: { type: "boolean", default: false },
    "result-name": { type: "string", default: "throughput" },
    help: { type: "boolean", default: false },
  },
});

if (args.help) {
  process.stdout.write(`usage: node bench/dist/bench/throughput.js [options]
  --txs N              bank sends to push (default 20000); kvstore gets the same count and size
  --senders K          funded bench accounts (default 2000); each signs txs/K sequences
  --timeout-commit D   CometBFT [consensus] timeout_commit for both networks (default 200ms)
  --method M           broadcast_tx_sync | broadcast_tx_async (default sync)
  --batch B            txs per JSON-RPC batch (default 10 = CometBFT's max_request_batch_size)
  --concurrency C      HTTP requests in flight (default 192; CometBFT runs a batch's calls one after another)
  --window W           max txs sent and unanswered, must be < senders (default 1950)
  --mempool-cap N      pause sending while the mempool holds >= N txs (default 3000; + window stays < mempool size)
  --mempool-size N     [mempool] size (default 5000, CometBFT's default)
  --recheck true|false [mempool] recheck (default true)
  --indexer kv|null    [tx_index] indexer (default kv, as the localnet)
  --send-timeout S     stop sending after S seconds (default 120)
  --only soad|kvstore  run one side only
  --soad PATH          soad CLI main.js (default chain/dist/cli/main.js; e.g. a prototype build)
  --cpu-prof           run soad under node --cpu-prof (profile in bench/results/profiles/)
  --keep               keep the node homes (printed) instead of deleting them
`);
  process.exit(0);
}

const num = (k: keyof typeof args): number => {
  const v = Number(args[k]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k} must be a positive number, got ${String(args[k])}`);
  return v;
};
const TXS = num("txs");
const SENDERS = num("senders");
const WINDOW = num("window");
if (WINDOW >= SENDERS) throw new Error(`--window (${WINDOW}) must be below --senders (${SENDERS}) to keep each sender's txs in order`);
const CHAIN_ID = "soa-bench-1";
const log = (line: string): void => {
  process.stderr.write(`[throughput ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const timeouts = { timeoutCommit: String(args["timeout-commit"]), skipTimeoutCommit: false, createEmptyBlocks: true };
const configPatch = {
  mempool: { size: num("mempool-size"), recheck: args.recheck === "true" },
  tx_index: { indexer: String(args.indexer) },
};

function kvstoreTxs(count: number, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const key = `bench${i.toString().padStart(7, "0")}=`;
    const value = randomBytes(Math.ceil(size / 2)).toString("hex").slice(0, Math.max(1, size - key.length));
    out.push(Buffer.from(key + value, "latin1"));
  }
  return out;
}

interface SideResult extends Omit<LoadResult, "blocks"> {
  name: string;
  txBytes: number;
  /** soad only: FinalizeBlock→Commit ms per block (from the "committed block" log line) over the loaded blocks. */
  appBlockMs?: { blocks: number; totalMs: number; usPerTx: number; medianMs: number; maxMs: number };
  blocks: { height: number; numTxs: number; intervalMs: number; appMs?: number }[];
}

async function measure(net: BenchNet, txs: Uint8Array[]): Promise<LoadResult> {
  return runLoad({
    rpc: net.rpc,
    txs,
    method: args.method === "broadcast_tx_async" ? "broadcast_tx_async" : "broadcast_tx_sync",
    batch: num("batch"),
    concurrency: num("concurrency"),
    window: WINDOW,
    mempoolCap: num("mempool-cap"),
    sendTimeoutMs: num("send-timeout") * 1000,
    drainTimeoutMs: 60_000,
    cpuPids: net.pids(),
    log: (l) => log(`${net.name}: ${l}`),
  });
}

function side(name: string, r: LoadResult, txBytes: number, appBlocks?: Map<number, { ms: number; txs: number }>): SideResult {
  const blocks = r.blocks.map((b, i) => ({
    height: b.height,
    numTxs: b.numTxs,
    intervalMs: i > 0 ? Math.round(b.timeMs - r.blocks[i - 1]!.timeMs) : 0,
    ...(appBlocks?.get(b.height) ? { appMs: appBlocks.get(b.height)!.ms } : {}),
  }));
  const out: SideResult = { ...r, name, txBytes, blocks };
  if (appBlocks) {
    const loaded = r.blocks.filter((b) => b.numTxs > 0).map((b) => appBlocks.get(b.height)).filter((x) => x !== undefined);
    const ms = loaded.map((x) => x.ms).sort((a, b) => a - b);
    const total = ms.reduce((a, b) => a + b, 0);
    const txs = loaded.reduce((a, x) => a + x.txs, 0);
    out.appBlockMs = {
      blocks: ms.length,
      totalMs: total,
      usPerTx: txs > 0 ? Math.round((total * 1000) / txs) : 0,
      medianMs: ms[Math.floor(ms.length / 2)] ?? 0,
      maxMs: ms[ms.length - 1] ?? 0,
    };
  }
  return out;
}

function printSide(s: SideResult): void {
  const cpu = Object.entries(s.cpu)
    .map(([k, v]) => `${k} ${v.seconds}s = ${Math.round(v.coreShare * 100)}% of a core${s.committed > 0 && k !== "other processes" ? ` = ${Math.round((v.seconds * 1e6) / s.committed)} µs/tx` : ""}`)
    .join("; ");
  console.log(
    [
      `${s.name}: ${s.committed} txs committed (${s.accepted} accepted, ${s.rejected} rejected, ${s.retries} retries), ${s.txBytes} B/tx`,
      `  steady ${s.steadyTps.toFixed(0)} tx/s over ${s.steadyBlocks} blocks / ${(s.steadyMs / 1000).toFixed(1)} s; wall ${s.wallTps.toFixed(0)} tx/s (${(s.wallMs / 1000).toFixed(1)} s from first send to last commit)`,
      `  blocks: ${s.txsPerBlock.mean} tx/block avg (max ${s.txsPerBlock.max}), interval ${s.blockIntervalMs.mean} ms avg / ${s.blockIntervalMs.median} median / ${s.blockIntervalMs.max} max`,
      `  cpu: ${cpu}`,
      ...(s.appBlockMs
        ? [`  app FinalizeBlock→Commit: ${s.appBlockMs.usPerTx} µs/tx, ${s.appBlockMs.medianMs} ms median / ${s.appBlockMs.maxMs} ms max per block`]
        : []),
      ...(Object.keys(s.rejections).length > 0 ? [`  rejections: ${JSON.stringify(s.rejections)}`] : []),
      ...(s.drained ? [] : ["  WARNING: the mempool did not drain within the timeout"]),
    ].join("\n"),
  );
}

async function main(): Promise<void> {
  installCleanupHooks();
  const machine = machineInfo();
  const loadBefore = loadInfo();
  const root = mkdtempSync(join(tmpdir(), "soa-bench-"));
  const removeRoot = (): void => {
    if (args.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  const dropCleanup = addCleanup(removeRoot);
  const only = args.only;
  const results: SideResult[] = [];
  const profileDir = join(REPO_ROOT, "bench", "results", "profiles");
  let soadTxBytes = 0;
  log(`machine: ${machine.cpuModel}, ${machine.nproc} CPUs, ${machine.ramGiB} GiB; work dir ${root}`);
  try {
    if (only === undefined || only === "soad") {
      const keys = benchKeys(SENDERS);
      const base = await findFreeBase(46656);
      if (args["cpu-prof"]) mkdirSync(profileDir, { recursive: true });
      log(`soad: 1-node network on 127.0.0.1:${base + 1}, ${SENDERS} funded bench accounts, timeout_commit ${timeouts.timeoutCommit}`);
      const net = await startSoadNet({
        dir: join(root, "soad"),
        basePort: base,
        chainId: CHAIN_ID,
        accounts: keys.map((k) => ({ address: k.address, coins: "1000000000000usoa" })),
        timeouts,
        configPatch,
        soadMain: resolve(String(args.soad)),
        cometbftBin: String(args.cometbft),
        nodeArgs: args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
        logLevel: (args["log-level"] as "info") ?? "info",
        startupTimeoutMs: 90_000,
      });
      try {
        const numbers = await accountNumbers(net.rpc, keys.map((k) => k.address));
        const senders: Sender[] = keys.map((key, i) => ({ key, accountNumber: numbers[i]!, sequence: 0n }));
        const t = Date.now();
        const txs = signSends(senders, TXS, { chainId: CHAIN_ID, registry: benchRegistry() });
        soadTxBytes = Math.round(txs.reduce((a, tx) => a + tx.length, 0) / txs.length);
        log(`soad: signed ${TXS} bank sends (${soadTxBytes} B avg) in ${Date.now() - t} ms; pushing`);
        const r = await measure(net, txs);
        const sideResult = side("soad", r, soadTxBytes, parseCommittedBlocks(net.proc.logPath));
        results.push(sideResult);
        printSide(sideResult);
      } finally {
        await net.stop();
      }
    }
    if (only === undefined || only === "kvstore") {
      const size = soadTxBytes || 305;
      const base = await findFreeBase(47656);
      // kvstore mirrors soad's config.toml/genesis block limits; generate a throwaway soad home for them if needed.
      let templateHome = join(root, "soad", "node0");
      if (only === "kvstore") {
        const { generateTestnet } = await import("@soa/chain/node/testnet");
        const { patchTomlFile } = await import("@soa/chain/node/config");
        const net = await generateTestnet({ nodes: 1, outputDir: join(root, "template"), basePort: base, chainId: CHAIN_ID, timeouts, cometbftBin: String(args.cometbft) });
        templateHome = net.nodes[0]!.home;
        patchTomlFile(join(templateHome, "config", "config.toml"), configPatch);
      }
      log(`kvstore: 1-node CometBFT kvstore on 127.0.0.1:${base + 1}, ${TXS} txs of ${size} B`);
      const net = await startKvstoreNet({
        home: join(root, "kvstore"),
        basePort: base,
        templateConfig: join(templateHome, "config", "config.toml"),
        templateGenesis: join(templateHome, "config", "genesis.json"),
        cometbftBin: String(args.cometbft),
        startupTimeoutMs: 60_000,
      });
      try {
        const r = await measure(net, kvstoreTxs(TXS, size));
        const sideResult = side("kvstore", r, size);
        results.push(sideResult);
        printSide(sideResult);
      } finally {
        await net.stop();
      }
    }
  } finally {
    await stopAll();
    dropCleanup();
    removeRoot();
  }

  const soad = results.find((r) => r.name === "soad");
  const kv = results.find((r) => r.name === "kvstore");
  const ratio = soad && kv && kv.steadyTps > 0 ? soad.steadyTps / kv.steadyTps : undefined;
  if (ratio !== undefined) {
    console.log(`ratio soad/kvstore (steady committed tx/s): ${(ratio * 100).toFixed(1)} %  (${soad!.steadyTps.toFixed(0)} / ${kv!.steadyTps.toFixed(0)})`);
  }
  writeResult(String(args["result-name"]), {
    machine,
    load: { before: loadBefore, after: loadInfo() },
    params: {
      txs: TXS,
      senders: SENDERS,
      method: args.method,
      batch: num("batch"),
      concurrency: num("concurrency"),
      window: WINDOW,
      mempoolCap: num("mempool-cap"),
      timeouts,
      configPatch,
      soad: args.soad,
      cpuProf: args["cpu-prof"],
    },
    ratio,
    results,
  });
}

runMain("throughput benchmark", main);
