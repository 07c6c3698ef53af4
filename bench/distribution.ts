// FinalizeBlock cost of reward distribution and validator-set updates (chain/test/perf/distribution.perf.ts):
// 100 validators, 10,000 delegations, measured at increasing heights; prints a table, writes
// bench/results/distribution.json.
//   node bench/dist/bench/distribution.js [--validators 100] [--delegations 10000] [--checkpoints 10,1000,2000] [--blocks 20]
import { parseArgs } from "node:util";
import { formatDistributionRows, runDistributionPerf } from "../chain/test/perf/distribution.perf.js";
import { loadInfo, machineInfo, writeResult } from "./lib/results.js";

const { values } = parseArgs({
  options: {
    validators: { type: "string", default: "100" },
    delegations: { type: "string", default: "10000" },
    checkpoints: { type: "string", default: "10,1000,2000" },
    blocks: { type: "string", default: "20" },
  },
});
const machine = machineInfo();
const loadBefore = loadInfo();
const rows = await runDistributionPerf({
  validators: Number(values.validators),
  delegations: Number(values.delegations),
  checkpoints: String(values.checkpoints).split(",").map(Number),
  blocks: Number(values.blocks),
  log: (l) => process.stderr.write(`[distribution] ${l}\n`),
});
const loadAfter = loadInfo();
console.log(formatDistributionRows(rows));
console.log(`load before: ${loadBefore.summary}; after: ${loadAfter.summary}`);
writeResult("distribution", { machine, load: { before: loadBefore, after: loadAfter }, rows });
