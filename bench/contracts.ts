// Gas used per operation of the product contracts (model-nft, licensing, marketplace: mint, transfer, list,
// buy, publish, buy licences, credits, charge_usage, sudo settle_usage, check_access) and the size of each
// .wasm (raw, gzipped, instrumented), in-process through the real app (bench/lib/contracts.ts). Prints a
// table, writes bench/results/contracts.json. Deterministic: no timing, the same figures on every machine.
//
//   node bench/dist/bench/contracts.js
// The contracts come from contracts-as/build/ (built with `node contracts-as/build.mjs <name>` if missing).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PRODUCT_CONTRACTS, type ProductContract, runContractGas } from "./lib/contracts.js";
import { type ContractsResult, contractsMarkdown } from "./lib/report.js";
import { runMain } from "./lib/procs.js";
import { machineInfo, REPO_ROOT, writeResult } from "./lib/results.js";

const { values: args } = parseArgs({ options: { "result-name": { type: "string", default: "contracts" } } });
const log = (line: string): void => {
  process.stderr.write(`[contracts] ${line}\n`);
};

function contractWasm(name: ProductContract): Uint8Array {
  const path = join(REPO_ROOT, "contracts-as", "build", `${name}.wasm`);
  if (!existsSync(path)) {
    log(`contracts-as/build/${name}.wasm is missing: node contracts-as/build.mjs ${name}`);
    const r = spawnSync(process.execPath, [join(REPO_ROOT, "contracts-as", "build.mjs"), name], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !existsSync(path)) throw new Error(`${name}.wasm could not be built (node contracts-as/build.mjs ${name} failed)`);
  }
  return new Uint8Array(readFileSync(path));
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const started = Date.now();
  const wasm = Object.fromEntries(PRODUCT_CONTRACTS.map((n) => [n, contractWasm(n)])) as Record<ProductContract, Uint8Array>;
  const gas = await runContractGas(wasm, log);
  const result: ContractsResult = { machine, ...gas, totalSeconds: Math.round((Date.now() - started) / 1000) };
  console.log(contractsMarkdown(result));
  writeResult(String(args["result-name"]), result);
  if (!gas.deterministic) throw new Error(`gas differed between two runs: ${gas.differences.join("; ")}`);
}

runMain("contracts benchmark", main);
