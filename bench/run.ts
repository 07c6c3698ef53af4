// `npm run bench`: in-process per-tx costs (app.js), then localnet throughput against soad and kvstore
// (throughput.js), then the wasm benchmarks (wasm.js), then the gas per product-contract operation
// (contracts.js), each in its own process; writes bench/results/{app,throughput,wasm,contracts}.json,
// latest.json and latest.md (a markdown summary to paste into bench/RESULTS.md).
//
//   node bench/dist/bench/run.js [--skip-app] [--skip-throughput] [--skip-wasm] [--skip-contracts] [--skip-distribution]
//        [any throughput.js option, e.g. --txs 5000]
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppResult, type ContractsResult, fullMarkdown, type ThroughputResult, type WasmResult } from "./lib/report.js";
import { RESULTS_DIR } from "./lib/results.js";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const skipApp = argv.includes("--skip-app");
const skipThroughput = argv.includes("--skip-throughput");
const skipWasm = argv.includes("--skip-wasm");
const skipContracts = argv.includes("--skip-contracts");
const skipDistribution = argv.includes("--skip-distribution");
const forwarded = argv.filter((a) => a !== "--skip-app" && a !== "--skip-throughput" && a !== "--skip-wasm" && a !== "--skip-contracts" && a !== "--skip-distribution");

function run(script: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, script), ...args], { stdio: "inherit" });
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readJson<T>(name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), "utf8")) as T;
  } catch {
    return undefined;
  }
}

let failed = false;
if (!skipApp) {
  console.log("## in-process per-tx costs (bench/dist/bench/app.js)");
  failed ||= (await run("app.js", [])) !== 0;
}
if (!skipThroughput) {
  console.log("\n## localnet throughput: soad vs kvstore (bench/dist/bench/throughput.js)");
  failed ||= (await run("throughput.js", forwarded)) !== 0;
}
if (!skipWasm) {
  console.log("\n## wasm: contract txs, upload, metering, localnet increments (bench/dist/bench/wasm.js)");
  failed ||= (await run("wasm.js", [])) !== 0;
}
if (!skipContracts) {
  console.log("\n## contract gas: model-nft, licensing, marketplace per operation (bench/dist/bench/contracts.js)");
  failed ||= (await run("contracts.js", [])) !== 0;
}
if (!skipDistribution) {
  console.log("\n## distribution: FinalizeBlock with 100 validators and 10,000 delegations at growing heights (bench/dist/bench/distribution.js)");
  failed ||= (await run("distribution.js", [])) !== 0;
}
const md = fullMarkdown({
  command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`,
  ...(skipApp ? {} : { app: readJson<AppResult>("app") }),
  ...(skipThroughput ? {} : { throughput: readJson<ThroughputResult>("throughput") }),
  ...(skipWasm ? {} : { wasm: readJson<WasmResult>("wasm") }),
  ...(skipContracts ? {} : { contracts: readJson<ContractsResult>("contracts") }),
});
writeFileSync(join(RESULTS_DIR, "latest.md"), md);
console.log(`\n${md}\nwritten: ${join(RESULTS_DIR, "latest.md")} and latest.json`);
process.exit(failed ? 1 : 0);
