// Localnet throughput of contract calls: a fresh 1-node soad network (as bench/throughput.ts), the counter
// contract uploaded and instantiated with real txs (broadcast_tx_commit), then pre-signed
// `{"increment":{}}` executions from many genesis-funded accounts pushed with the same load generator.
import { join } from "node:path";
import { benchKeys, benchRegistry, type Sender } from "../../chain/test/perf/fixtures.js";
import { counterMsgs, gasLimitFor, signContractTxs } from "../../chain/test/perf/wasm.perf.js";
import { runLoad, type LoadResult } from "./load.js";
import { parseCommittedBlocks, startSoadNet } from "./nets.js";
import { findFreeBase } from "./procs.js";
import { accountNumbers, type RpcClient } from "./rpc.js";
import type { ThroughputSide } from "./report.js";

export interface WasmLocalnetOptions {
  dir: string;
  counterWasm: Uint8Array;
  txs: number;
  senders: number;
  timeoutCommit: string;
  soadMain: string;
  cometbftBin: string;
  /** Extra node flags for soad, e.g. --cpu-prof. */
  nodeArgs?: string[];
  log: (line: string) => void;
}

/** The load figures of a throughput side (no name), plus the contract run's own. */
export interface WasmLocalnetResult extends Omit<ThroughputSide, "name"> {
  txs: number;
  senders: number;
  timeoutCommit: string;
  gasLimit: number;
  gasUsed: number;
  /** Committed txs whose result code was not 0 (from soad's "committed block" log lines). */
  failedInBlocks: number;
  finalCount?: number;
  drained: boolean;
}

const CHAIN_ID = "soa-bench-1";

interface CommitReply {
  check_tx: { code: number; log: string };
  tx_result: { code: number; log: string; gas_used: string; events: { type: string; attributes: { key: string; value: string }[] }[] };
}

async function commitTx(rpc: RpcClient, tx: Uint8Array, what: string): Promise<CommitReply["tx_result"]> {
  const r = await rpc.call<CommitReply>("broadcast_tx_commit", { tx: Buffer.from(tx).toString("base64") }, 60_000);
  if (r.check_tx.code !== 0) throw new Error(`${what}: CheckTx code ${r.check_tx.code}: ${r.check_tx.log}`);
  if (r.tx_result.code !== 0) throw new Error(`${what}: code ${r.tx_result.code}: ${r.tx_result.log}`);
  return r.tx_result;
}

const attr = (r: CommitReply["tx_result"], type: string, key: string): string | undefined =>
  r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;

async function smartQuery(rpc: RpcClient, contract: string, msg: unknown): Promise<unknown> {
  const { QuerySmartContractStateRequest, QuerySmartContractStateResponse } = await import("cosmjs-types/cosmwasm/wasm/v1/query");
  const data = Buffer.from(QuerySmartContractStateRequest.encode({ address: contract, queryData: Buffer.from(JSON.stringify(msg)) }).finish()).toString("hex");
  const r = await rpc.call<{ response: { code: number; log: string; value: string } }>("abci_query", { path: "/cosmwasm.wasm.v1.Query/SmartContractState", data });
  if (r.response.code !== 0) throw new Error(`smart query: ${r.response.log}`);
  return JSON.parse(Buffer.from(QuerySmartContractStateResponse.decode(Buffer.from(r.response.value, "base64")).data).toString("utf8"));
}

export async function runWasmLocalnet(o: WasmLocalnetOptions): Promise<WasmLocalnetResult> {
  const keys = benchKeys(o.senders);
  const base = await findFreeBase(48656);
  const timeouts = { timeoutCommit: o.timeoutCommit, skipTimeoutCommit: false, createEmptyBlocks: true };
  o.log(`soad: 1-node network on 127.0.0.1:${base + 1}, ${o.senders} funded bench accounts, timeout_commit ${o.timeoutCommit}`);
  const net = await startSoadNet({
    dir: join(o.dir, "soad-wasm"),
    basePort: base,
    chainId: CHAIN_ID,
    accounts: keys.map((k) => ({ address: k.address, coins: "1000000000000usoa" })),
    timeouts,
    configPatch: { mempool: { size: 5000, recheck: true }, tx_index: { indexer: "kv" } },
    soadMain: o.soadMain,
    cometbftBin: o.cometbftBin,
    nodeArgs: o.nodeArgs ?? [],
    logLevel: "info",
    startupTimeoutMs: 90_000,
  });
  try {
    const numbers = await accountNumbers(net.rpc, keys.map((k) => k.address));
    const senders: Sender[] = keys.map((key, i) => ({ key, accountNumber: numbers[i]!, sequence: 0n }));
    const admin = senders[0]!;
    // Direct-mode signing does not need the wasm messages in the registry (only amino sign bytes do).
    const registry = benchRegistry();
    const sign1 = (msg: ReturnType<typeof counterMsgs.store>, gasLimit: bigint): Uint8Array =>
      signContractTxs([admin], 1, () => msg, { chainId: CHAIN_ID, registry, gasLimit })[0]!;
    const stored = await commitTx(net.rpc, sign1(counterMsgs.store(admin.key.address, o.counterWasm), 5_000_000n), "store counter");
    const codeId = BigInt(attr(stored, "store_code", "code_id")!);
    const inst = await commitTx(net.rpc, sign1(counterMsgs.instantiate(admin.key.address, codeId), 1_000_000n), "instantiate counter");
    const contract = attr(inst, "instantiate", "_contract_address")!;
    const probe = await commitTx(net.rpc, sign1(counterMsgs.execute(admin.key.address, contract, { increment: {} }), 1_000_000n), "probe increment");
    const gasUsed = Number(probe.gas_used);
    const gasLimit = gasLimitFor(BigInt(gasUsed));
    o.log(`counter code ${codeId} at ${contract}; increment used ${gasUsed} gas, limit ${gasLimit}`);

    const t = Date.now();
    const txs = signContractTxs(senders, o.txs, (s) => counterMsgs.execute(s.key.address, contract, { increment: {} }), { chainId: CHAIN_ID, registry, gasLimit });
    const txBytes = Math.round(txs.reduce((a, x) => a + x.length, 0) / txs.length);
    o.log(`signed ${o.txs} increments (${txBytes} B avg) in ${Date.now() - t} ms; pushing`);
    const r: LoadResult = await runLoad({
      rpc: net.rpc,
      txs,
      method: "broadcast_tx_sync",
      batch: 10,
      concurrency: 192,
      window: Math.min(1950, o.senders - 50),
      mempoolCap: 3000,
      sendTimeoutMs: 120_000,
      drainTimeoutMs: 60_000,
      cpuPids: net.pids(),
      log: (l) => o.log(`soad: ${l}`),
    });
    const appBlocks = parseCommittedBlocks(net.proc.logPath);
    const loaded = r.blocks.filter((b) => b.numTxs > 0).map((b) => appBlocks.get(b.height)).filter((x) => x !== undefined);
    const ms = loaded.map((x) => x.ms).sort((a, b) => a - b);
    const totalMs = ms.reduce((a, b) => a + b, 0);
    const blockTxs = loaded.reduce((a, x) => a + x.txs, 0);
    let finalCount: number | undefined;
    try {
      finalCount = ((await smartQuery(net.rpc, contract, { get_count: {} })) as { count: number }).count;
    } catch (e) {
      o.log(`get_count failed: ${(e as Error).message}`);
    }
    return {
      txs: o.txs,
      senders: o.senders,
      timeoutCommit: o.timeoutCommit,
      gasLimit: Number(gasLimit),
      gasUsed,
      txBytes,
      committed: r.committed,
      failedInBlocks: loaded.reduce((a, x) => a + x.failed, 0),
      accepted: r.accepted,
      rejected: r.rejected,
      rejections: r.rejections,
      steadyTps: Math.round(r.steadyTps),
      steadyBlocks: r.steadyBlocks,
      steadyMs: r.steadyMs,
      wallTps: Math.round(r.wallTps),
      txsPerBlock: r.txsPerBlock,
      blockIntervalMs: r.blockIntervalMs,
      cpu: r.cpu,
      ...(ms.length > 0
        ? { appBlockMs: { usPerTx: blockTxs > 0 ? Math.round((totalMs * 1000) / blockTxs) : 0, medianMs: ms[Math.floor(ms.length / 2)]!, maxMs: ms[ms.length - 1]! } }
        : {}),
      ...(finalCount !== undefined ? { finalCount } : {}),
      drained: r.drained,
    };
  } finally {
    await net.stop();
  }
}
