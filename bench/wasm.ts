// wasm benchmarks: contract txs through the app in-process (counter increment, storage_heavy, bank send
// for the ratio), upload + instrumentation of a ~500 KB module, metering overhead of the instrumented VM,
// and counter increments on a 1-node localnet. Prints a summary, writes bench/results/wasm.json.
//
//   node bench/dist/bench/wasm.js [--skip-app] [--skip-upload] [--skip-metering] [--skip-localnet]
//        [--senders 1000] [--block-size 200] [--blocks 15] [--heavy-n 50] [--iterations 20000000]
//        [--localnet-txs 5000] [--localnet-senders 1000] [--timeout-commit 200ms] [--cpu-prof (soad profile in
//        bench/results/profiles/)]
// The counter contract comes from contracts-as/build/counter.wasm (built by `node contracts-as/build.mjs`
// if missing; without it the contract cases are skipped with a note).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type MeteringCase, runMeteringPerf, runUploadPerf, runWasmAppPerf } from "../chain/test/perf/wasm.perf.js";
import { addCleanup, installCleanupHooks, runMain, stopAll } from "./lib/procs.js";
import { wasmMarkdown, type WasmResult } from "./lib/report.js";
import { loadInfo, machineInfo, REPO_ROOT, writeResult } from "./lib/results.js";
import { runWasmLocalnet } from "./lib/wasmLocalnet.js";

const { values: args } = parseArgs({
  options: {
    "skip-app": { type: "boolean", default: false },
    "skip-upload": { type: "boolean", default: false },
    "skip-metering": { type: "boolean", default: false },
    "skip-localnet": { type: "boolean", default: false },
    senders: { type: "string", default: "1000" },
    "block-size": { type: "string", default: "200" },
    blocks: { type: "string", default: "15" },
    "heavy-n": { type: "string", default: "50" },
    iterations: { type: "string", default: "20000000" },
    "localnet-txs": { type: "string", default: "5000" },
    "localnet-senders": { type: "string", default: "1000" },
    "timeout-commit": { type: "string", default: "200ms" },
    "cpu-prof": { type: "boolean", default: false },
    soad: { type: "string", default: join(REPO_ROOT, "chain", "dist", "cli", "main.js") },
    cometbft: { type: "string", default: process.env["COMETBFT_BIN"] ?? join(REPO_ROOT, ".bin", "cometbft") },
    "result-name": { type: "string", default: "wasm" },
    /** Internal: only the metering cases, JSON on stdout (spawned under --liftoff-only / --no-liftoff). */
    "metering-child": { type: "boolean", default: false },
  },
});

const log = (line: string): void => {
  process.stderr.write(`[wasm ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const num = (k: keyof typeof args): number => {
  const v = Number(args[k]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k} must be a positive number, got ${String(args[k])}`);
  return v;
};

function counterWasm(notes: string[]): Uint8Array | undefined {
  const path = join(REPO_ROOT, "contracts-as", "build", "counter.wasm");
  if (!existsSync(path)) {
    log("contracts-as/build/counter.wasm is missing: node contracts-as/build.mjs counter");
    const r = spawnSync(process.execPath, [join(REPO_ROOT, "contracts-as", "build.mjs"), "counter"], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !existsSync(path)) {
      notes.push("counter.wasm could not be built (node contracts-as/build.mjs counter failed): contract cases skipped");
      return undefined;
    }
  }
  return new Uint8Array(readFileSync(path));
}

/** The metering cases in a child process with a fixed V8 wasm tier (`--liftoff-only` or `--no-liftoff`). */
function meteringInTier(flag: string, notes: string[]): MeteringCase[] {
  const r = spawnSync(process.execPath, [flag, fileURLToPath(import.meta.url), "--metering-child", "--iterations", String(num("iterations"))], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 120_000,
  });
  if (r.status !== 0) {
    notes.push(`metering under ${flag} failed (exit ${r.status})`);
    return [];
  }
  return JSON.parse(r.stdout) as MeteringCase[];
}

async function main(): Promise<void> {
  if (args["metering-child"]) {
    process.stdout.write(JSON.stringify(await runMeteringPerf({ iterations: num("iterations"), log })));
    return;
  }
  installCleanupHooks();
  const machine = machineInfo();
  const loadBefore = loadInfo();
  const started = Date.now();
  const notes: string[] = [];
  const counter = counterWasm(notes);
  const result: WasmResult = { machine, notes };
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const r = await fn();
    log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return r;
  };

  if (!args["skip-metering"]) {
    result.metering = await phase("metering", async () => [
      ...(await runMeteringPerf({ iterations: num("iterations"), log })),
      ...meteringInTier("--no-liftoff", notes),
      ...meteringInTier("--liftoff-only", notes),
    ]);
  }
  if (!args["skip-upload"]) {
    result.upload = await phase("upload", () => runUploadPerf({ ...(counter ? { counterWasm: counter } : {}), log }));
  }
  if (!args["skip-app"] && counter) {
    result.app = await phase("in-process", () =>
      runWasmAppPerf({
        counterWasm: counter,
        senders: num("senders"),
        blockSize: num("block-size"),
        blocks: num("blocks"),
        heavyN: num("heavy-n"),
        log,
      }),
    );
  }
  if (!args["skip-localnet"] && counter) {
    const root = mkdtempSync(join(tmpdir(), "soa-bench-wasm-"));
    const dropCleanup = addCleanup(() => rmSync(root, { recursive: true, force: true }));
    try {
      result.localnet = await phase("localnet", () =>
        runWasmLocalnet({
          dir: root,
          counterWasm: counter,
          txs: num("localnet-txs"),
          senders: num("localnet-senders"),
          timeoutCommit: String(args["timeout-commit"]),
          soadMain: resolve(String(args.soad)),
          cometbftBin: String(args.cometbft),
          nodeArgs: args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${join(REPO_ROOT, "bench", "results", "profiles")}`] : [],
          log,
        }),
      );
    } finally {
      await stopAll();
      dropCleanup();
      rmSync(root, { recursive: true, force: true });
    }
  }
  result.load = { before: loadBefore, after: loadInfo() };
  result.totalSeconds = Math.round((Date.now() - started) / 1000);
  console.log(wasmMarkdown(result));
  writeResult(String(args["result-name"]), result);
}

runMain("wasm benchmark", main);
