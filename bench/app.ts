// In-process per-tx costs of SoaApp (chain/test/perf/app.perf.ts): prints a table, writes bench/results/app.json.
//   node bench/dist/bench/app.js [--senders 1000] [--txs 5000] [--sizes 1,100,1000] [--min-txs 5000] [--no-socket]
import { parseArgs } from "node:util";
import { formatRows, runAppPerf } from "../chain/test/perf/app.perf.js";
import { loadInfo, machineInfo, writeResult } from "./lib/results.js";

const { values } = parseArgs({
  options: {
    senders: { type: "string", default: "1000" },
    txs: { type: "string", default: "5000" },
    sizes: { type: "string", default: "1,100,1000" },
    "min-txs": { type: "string", default: "5000" },
    "no-socket": { type: "boolean", default: false },
    "result-name": { type: "string", default: "app" },
  },
});
const machine = machineInfo();
const loadBefore = loadInfo();
const rows = await runAppPerf({
  senders: Number(values.senders),
  txs: Number(values.txs),
  blockSizes: String(values.sizes).split(",").map(Number),
  minTxsPerSize: Number(values["min-txs"]),
  noSocket: values["no-socket"],
  log: (l) => process.stderr.write(`[app] ${l}\n`),
});
const loadAfter = loadInfo();
console.log(formatRows(rows));
console.log(`load before: ${loadBefore.summary}; after: ${loadAfter.summary}`);
writeResult(String(values["result-name"]), { machine, load: { before: loadBefore, after: loadAfter }, rows });
