// Load generator and committed-throughput measurement against one CometBFT RPC endpoint. The same code
// drives soad and CometBFT's kvstore so that the two figures are comparable.
//
// Txs go out in order as JSON-RPC batches over `concurrency` keep-alive connections, with at most
// `window` txs unanswered: since consecutive txs of one sender are `senders` positions apart and
// window < senders, a sender's sequence n+1 never reaches CheckTx before its sequence n.
// While the mempool holds `mempoolCap` txs or more the generator waits (no "mempool is full" churn).
import { readFileSync } from "node:fs";
import { type BlockMeta, blockMetas, broadcastBatchBody, type RpcClient, type RpcReply } from "./rpc.js";
import { sleep } from "@soa/chain/node/process";

export interface LoadOptions {
  rpc: RpcClient;
  txs: readonly Uint8Array[];
  method: "broadcast_tx_sync" | "broadcast_tx_async";
  /** Txs per JSON-RPC batch request. */
  batch: number;
  /** HTTP requests in flight. */
  concurrency: number;
  /** Max txs sent and not yet answered. */
  window: number;
  /** Pause sending while the node's mempool holds at least this many txs. */
  mempoolCap: number;
  /** Stop sending after this long (ms). */
  sendTimeoutMs: number;
  /** Stop waiting for the mempool to drain after this long (ms). */
  drainTimeoutMs: number;
  /** Pids whose CPU time is sampled over the run (name → pid). */
  cpuPids?: Record<string, number | undefined>;
  log?: (line: string) => void;
}

export interface LoadResult {
  sent: number;
  accepted: number;
  rejected: number;
  /** rejection log → count (first 5 kinds). */
  rejections: Record<string, number>;
  retries: number;
  /** Wall-clock time to hand every tx to the node (ms). */
  sendMs: number;
  /** Committed txs between startHeight (exclusive) and endHeight. */
  committed: number;
  startHeight: number;
  endHeight: number;
  /** From the first send to the block that committed the last tx (ms, node clock = our clock). */
  wallMs: number;
  wallTps: number;
  /** Steady window: blocks (first tx block, last tx block]; txs / header time difference. */
  steadyTps: number;
  steadyBlocks: number;
  steadyMs: number;
  blockIntervalMs: { mean: number; median: number; max: number };
  txsPerBlock: { mean: number; max: number };
  /**
   * CPU seconds used by each sampled process during the run (send + drain), and as a share of one core;
   * "other processes" is the rest of the machine's busy time (anything else running skews the figures).
   */
  cpu: Record<string, { seconds: number; coreShare: number }>;
  blocks: BlockMeta[];
  drained: boolean;
}

interface Status {
  sync_info: { latest_block_height: string };
}

export async function height(rpc: RpcClient): Promise<number> {
  return Number((await rpc.call<Status>("status")).sync_info.latest_block_height);
}

async function unconfirmed(rpc: RpcClient): Promise<number> {
  return Number((await rpc.call<{ total: string }>("num_unconfirmed_txs", { limit: "1" })).total);
}

const CLK_TCK = 100;

/** Machine-wide busy CPU seconds (all cores) from /proc/stat. */
function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / CLK_TCK;
  } catch {
    return undefined;
  }
}
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is state (field 3); utime = field 14, stime = field 15
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => {});
  const { rpc, txs } = o;
  // Pre-encode every request body before the clock starts.
  const bodies: { from: number; to: number; body: string }[] = [];
  for (let i = 0; i < txs.length; i += o.batch) {
    const to = Math.min(txs.length, i + o.batch);
    bodies.push({ from: i, to, body: broadcastBatchBody(o.method, txs, i, to) });
  }
  const startHeight = await height(rpc);

  let mempool = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        mempool = await unconfirmed(rpc);
      } catch {
        /* transient; keep the last value */
      }
      await sleep(20);
    }
  })();

  const rejections: Record<string, number> = {};
  let accepted = 0;
  let rejected = 0;
  let retries = 0;
  let inFlight = 0;
  let next = 0;
  const cpu0 = Object.fromEntries(Object.entries(o.cpuPids ?? {}).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const selfCpu0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  const t0 = Date.now();
  const deadline = t0 + o.sendTimeoutMs;
  let lastProgress = t0;

  const sendBatch = async (b: { from: number; to: number; body: string }): Promise<void> => {
    let body = b.body;
    for (let attempt = 0; ; attempt++) {
      let replies: RpcReply<{ code: number; log: string }>[];
      try {
        const reply = await rpc.post<RpcReply<{ code: number; log: string }>[] | RpcReply<unknown>>(body);
        if (Array.isArray(reply)) {
          replies = reply;
        } else if (reply.id !== undefined && (reply.result !== undefined || body.startsWith(`[{"jsonrpc":"2.0","id":${reply.id},`))) {
          // CometBFT answers a one-element batch with a bare object.
          replies = [reply as RpcReply<{ code: number; log: string }>];
        } else {
          // The whole batch was refused (e.g. an overloaded RPC server): retry it as a unit.
          const e = reply.error;
          throw new Error(`batch refused: ${e ? `${e.message} ${e.data ?? ""}` : JSON.stringify(reply).slice(0, 200)}`);
        }
      } catch (err) {
        if (attempt < 20 && Date.now() < deadline) {
          retries++;
          if (retries <= 3) log(`retrying a batch: ${err instanceof Error ? err.message : String(err)}`);
          await sleep(100);
          continue;
        }
        throw err;
      }
      const again: number[] = [];
      for (const r of replies) {
        if (r.error) {
          const msg = `${r.error.message} ${r.error.data ?? ""}`;
          if (/mempool is full/i.test(msg) && Date.now() < deadline) {
            again.push(r.id);
            continue;
          }
          rejected++;
          const k = msg.slice(0, 120);
          rejections[k] = (rejections[k] ?? 0) + 1;
        } else if (r.result && r.result.code !== 0) {
          rejected++;
          const k = `code ${r.result.code}: ${r.result.log}`.replace(/expected \d+, got \d+/, "expected N, got M").slice(0, 120);
          rejections[k] = (rejections[k] ?? 0) + 1;
        } else {
          accepted++;
        }
      }
      if (again.length === 0) return;
      retries += again.length;
      await sleep(50);
      body = `[${again.map((i) => broadcastBatchBody(o.method, txs, i, i + 1).slice(1, -1)).join(",")}]`;
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (next >= bodies.length || Date.now() > deadline) return;
      const b = bodies[next]!;
      const n = b.to - b.from;
      if (inFlight + n > o.window || mempool >= o.mempoolCap) {
        await sleep(2);
        continue;
      }
      next++;
      inFlight += n;
      try {
        await sendBatch(b);
      } finally {
        inFlight -= n;
      }
      if (Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        log(`sent ${b.to}/${txs.length}, accepted ${accepted}, rejected ${rejected}, mempool ${mempool}`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, () => worker()));
  const sendMs = Date.now() - t0;
  const sent = Math.min(txs.length, bodies[next - 1]?.to ?? 0);
  log(`handed ${sent} txs to the node in ${sendMs} ms (accepted ${accepted}, rejected ${rejected}); waiting for the mempool to drain`);

  // Drain: mempool empty and every accepted tx in a block.
  const drainDeadline = Date.now() + o.drainTimeoutMs;
  let drained = false;
  while (Date.now() < drainDeadline) {
    if (mempool === 0) {
      await sleep(50);
      if ((await unconfirmed(rpc)) === 0) {
        drained = true;
        break;
      }
    }
    await sleep(50);
  }
  sampling = false;
  await sampler;
  const cpu1 = Object.fromEntries(Object.entries(o.cpuPids ?? {}).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const self = process.cpuUsage(selfCpu0);
  const machine1 = machineBusySeconds();
  const elapsedS = (Date.now() - t0) / 1000;
  // The block that includes the last tx is committed once height moves past it.
  let endHeight = await height(rpc);
  const metas = await blockMetas(rpc, startHeight + 1, endHeight);
  const withTxs = metas.filter((m) => m.numTxs > 0);
  const committed = withTxs.reduce((a, m) => a + m.numTxs, 0);
  const first = withTxs[0];
  const last = withTxs[withTxs.length - 1];
  let steadyTps = 0;
  let steadyMs = 0;
  let steadyBlocks = 0;
  if (first && last && last.height > first.height) {
    const inWindow = metas.filter((m) => m.height > first.height && m.height <= last.height);
    steadyBlocks = inWindow.length;
    steadyMs = last.timeMs - first.timeMs;
    steadyTps = (inWindow.reduce((a, m) => a + m.numTxs, 0) * 1000) / steadyMs;
  }
  // Commit time of the last tx block ≈ header time of the next block.
  const after = metas.find((m) => last !== undefined && m.height === last.height + 1);
  const endMs = after?.timeMs ?? last?.timeMs ?? Date.now();
  const wallMs = endMs - t0;
  const span = first && last ? metas.filter((m) => m.height >= first.height && m.height <= last.height + 1) : [];
  const intervals = span.slice(1).map((m, i) => m.timeMs - span[i]!.timeMs).sort((a, b) => a - b);
  endHeight = metas[metas.length - 1]?.height ?? endHeight;
  const cpu: LoadResult["cpu"] = {};
  for (const [k, v0] of Object.entries(cpu0)) {
    const v1 = cpu1[k];
    if (v0 !== undefined && v1 !== undefined) cpu[k] = { seconds: round(v1 - v0), coreShare: round((v1 - v0) / elapsedS) };
  }
  const selfS = (self.user + self.system) / 1e6;
  cpu["loadgen"] = { seconds: round(selfS), coreShare: round(selfS / elapsedS) };
  if (machine0 !== undefined && machine1 !== undefined) {
    const ours = Object.values(cpu).reduce((a, v) => a + v.seconds, 0);
    const others = Math.max(0, machine1 - machine0 - ours);
    cpu["other processes"] = { seconds: round(others), coreShare: round(others / elapsedS) };
  }
  return {
    sent,
    accepted,
    rejected,
    rejections,
    retries,
    sendMs,
    committed,
    startHeight,
    endHeight,
    wallMs,
    wallTps: wallMs > 0 ? (committed * 1000) / wallMs : 0,
    steadyTps,
    steadyBlocks,
    steadyMs,
    blockIntervalMs: {
      mean: round(intervals.reduce((a, b) => a + b, 0) / Math.max(1, intervals.length)),
      median: round(intervals[Math.floor(intervals.length / 2)] ?? 0),
      max: round(intervals[intervals.length - 1] ?? 0),
    },
    txsPerBlock: {
      mean: round(committed / Math.max(1, withTxs.length)),
      max: withTxs.reduce((a, m) => Math.max(a, m.numTxs), 0),
    },
    cpu,
    blocks: metas,
    drained,
  };
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
