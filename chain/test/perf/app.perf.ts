// In-process per-tx costs of SoaApp (no CometBFT): tx decode, signature verification, CheckTx (NEW and
// RECHECK), FinalizeBlock for blocks of 1/100/1000 bank sends with the signature cache warm (CheckTx ran
// first, as on a real node) and cold, Commit per block, and the ABCI socket path (AbciServer +
// AbciSocketClient over a unix socket) for pipelined CheckTx and for FinalizeBlock + Commit.
//
// Benchmarks never assert on time: runAppPerf() measures and returns rows; bench/app.ts prints them and
// writes bench/results/. Each case gets a fresh app (temp LMDB dir, removed afterwards).
//
// Figures are per tx, from process CPU time (user + system, all threads) as well as wall time, and each
// is the MEDIAN over chunks (per-tx cases) or blocks (block cases): on a shared machine other processes
// inflate single measurements, and CPU-time medians are far more stable than wall-time totals.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckTxType, Request, Response } from "cosmjs-types/tendermint/abci/types";
import { AbciSocketClient } from "../../src/abci/client.js";
import { AbciServer } from "../../src/abci/server.js";
import { verifySecp256k1 } from "../../src/crypto/secp256k1.js";
import { decodeTx } from "../../src/tx/decode.js";
import { signBytesFor } from "../../src/tx/signBytes.js";
import { benchKeys, benchRegistry, BenchNode, type Sender, signSends, type Span, startSpan } from "./fixtures.js";

export interface PerfRow {
  /** Stable id, e.g. "finalizeBlock.warm.n1000". */
  id: string;
  label: string;
  /** Transactions measured in total. */
  txs: number;
  /** Median CPU µs per tx over the samples (chunks or blocks), and the tx/s that is on one core. */
  usPerTx: number;
  txPerSec: number;
  /** Median wall-clock µs per tx. */
  wallUsPerTx: number;
  /** Sum of wall / CPU time over all samples (ms). */
  totalMs: number;
  cpuMs: number;
  samples: number;
  extra?: Record<string, number | string>;
}

export interface AppPerfOptions {
  /** Funded bench accounts (senders), default 1000. */
  senders?: number;
  /** Txs for the per-tx cases (decode, verify, CheckTx, socket CheckTx), default 5000. */
  txs?: number;
  /** Block sizes, default [1, 100, 1000]. */
  blockSizes?: number[];
  /** Minimum txs executed per block size (more blocks for small sizes), default 5000. */
  minTxsPerSize?: number;
  /** Skip the ABCI socket cases. */
  noSocket?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

const CHAIN_ID = "soa-bench-1";
const CHUNKS = 10;

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function row(id: string, label: string, spans: Span[], txsPerSpan: number, extra?: PerfRow["extra"]): PerfRow {
  const n = Math.max(1, txsPerSpan);
  const usPerTx = median(spans.map((s) => (s.cpuMs * 1000) / n));
  return {
    id,
    label,
    txs: spans.length * txsPerSpan,
    usPerTx: round(usPerTx, 1),
    txPerSec: usPerTx > 0 ? Math.round(1e6 / usPerTx) : 0,
    wallUsPerTx: round(median(spans.map((s) => (s.wallMs * 1000) / n)), 1),
    totalMs: round(spans.reduce((a, s) => a + s.wallMs, 0)),
    cpuMs: round(spans.reduce((a, s) => a + s.cpuMs, 0)),
    samples: spans.length,
    ...(extra ? { extra } : {}),
  };
}

/** Runs fn over `items` in CHUNKS chunks and times each chunk. */
function chunked<T>(items: readonly T[], fn: (x: T) => void): { spans: Span[]; perChunk: number } {
  const perChunk = Math.max(1, Math.floor(items.length / CHUNKS));
  const spans: Span[] = [];
  for (let c = 0; c + perChunk <= items.length; c += perChunk) {
    const t = startSpan();
    for (let i = c; i < c + perChunk; i++) fn(items[i]!);
    spans.push(t());
  }
  return { spans, perChunk };
}

interface Fixture {
  node: BenchNode;
  senders: Sender[];
}

async function fixture(senderCount: number, verifyWorkers = 0): Promise<Fixture> {
  const keys = benchKeys(senderCount);
  const node = await BenchNode.create(keys, { chainId: CHAIN_ID, minGasPrices: "0.0025usoa", verifyWorkers });
  return { node, senders: keys.map((key, i) => ({ key, accountNumber: BigInt(i), sequence: 0n })) };
}

function checkOne(node: BenchNode, tx: Uint8Array, type = CheckTxType.NEW): void {
  const r = node.app.checkTx({ tx, type });
  if (r instanceof Promise) throw new Error("CheckTx went asynchronous without precheckTx");
  if (r.code !== 0) throw new Error(`CheckTx failed (code ${r.code}): ${r.log}`);
}

/**
 * CheckTx of a chunk the way the ABCI server drives it with signature workers: precheckTx for every
 * request on arrival (the worker starts verifying), then CheckTx in order, awaiting where needed.
 */
async function checkChunkPrechecked(node: BenchNode, txs: readonly Uint8Array[]): Promise<void> {
  for (const tx of txs) node.app.precheckTx(tx);
  for (const tx of txs) {
    const r = await node.app.checkTx({ tx, type: CheckTxType.NEW });
    if (r.code !== 0) throw new Error(`CheckTx failed (code ${r.code}): ${r.log}`);
  }
}

/** Runs every in-process case; returns one row per case. */
export async function runAppPerf(opts: AppPerfOptions = {}): Promise<PerfRow[]> {
  const senderCount = opts.senders ?? 1000;
  const count = opts.txs ?? 5000;
  const sizes = opts.blockSizes ?? [1, 100, 1000];
  const minTxs = opts.minTxsPerSize ?? 5000;
  const log = opts.log ?? (() => {});
  const registry = benchRegistry();
  const rows: PerfRow[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const open = async (verifyWorkers = 0): Promise<Fixture> => {
    const f = await fixture(senderCount, verifyWorkers);
    cleanups.push(() => f.node.close());
    return f;
  };

  try {
    // ---- per-tx micro costs ------------------------------------------------------------------
    log(`signing ${count} bank sends from ${senderCount} senders`);
    const base = await open();
    const txs: Uint8Array[] = [];
    const perSign = Math.max(1, Math.floor(count / CHUNKS));
    const signSpans: Span[] = [];
    while (txs.length < count) {
      const t = startSpan();
      txs.push(...signSends(base.senders, Math.min(perSign, count - txs.length), { chainId: CHAIN_ID, registry }));
      signSpans.push(t());
    }
    rows.push(row("sign", "sign a bank send (client side, native secp256k1)", signSpans, perSign, { txBytes: txs[0]!.length }));

    const decoded = txs.map((tx) => decodeTx(tx, base.node.app.msgs)); // warm up the decoder
    const dec = chunked(txs, (tx) => decodeTx(tx, base.node.app.msgs));
    rows.push(row("decodeTx", "decodeTx (protobuf + validateBasic + sha256 tx hash)", dec.spans, dec.perChunk));

    const accountNumber = new Map(base.senders.map((s) => [s.key.address, s.accountNumber]));
    const ver = chunked(decoded, (d) => {
      if (!verifySecp256k1(signBytesFor(d, CHAIN_ID, accountNumber.get(d.signer)!), d.signature, d.pubkey!)) {
        throw new Error("signature does not verify");
      }
    });
    rows.push(row("verify", "sign bytes + secp256k1 verify (native)", ver.spans, ver.perChunk));

    // ---- CheckTx ---------------------------------------------------------------------------
    log(`CheckTx NEW/RECHECK × ${count}`);
    const chkNew = chunked(txs, (tx) => checkOne(base.node, tx));
    rows.push(row("checkTx.new", "CheckTx NEW (signature verified)", chkNew.spans, chkNew.perChunk));
    base.node.deliver([]); // Commit resets the check state: the same txs are valid again
    const chkRe = chunked(txs, (tx) => checkOne(base.node, tx, CheckTxType.RECHECK));
    rows.push(row("checkTx.recheck", "CheckTx RECHECK (no signature check)", chkRe.spans, chkRe.perChunk));

    // With a signature worker (soad's default on a multi-core machine): CPU is main thread + worker;
    // main-thread busy time (event-loop utilisation) is what limits the app's single thread.
    log(`CheckTx NEW with precheckTx + 1 signature worker × ${count}`);
    const wf = await open(1);
    const wtxs = signSends(wf.senders, count, { chainId: CHAIN_ID, registry });
    await checkChunkPrechecked(wf.node, wtxs.slice(0, Math.min(200, count))); // warm up the worker
    wf.node.deliver([]);
    const wspans: Span[] = [];
    const mainMs: number[] = [];
    const perW = Math.max(1, Math.floor(count / CHUNKS));
    for (let c = 0; c + perW <= wtxs.length; c += perW) {
      const elu0 = performance.eventLoopUtilization();
      const t = startSpan();
      await checkChunkPrechecked(wf.node, wtxs.slice(c, c + perW));
      wspans.push(t());
      mainMs.push(performance.eventLoopUtilization(elu0).active);
    }
    rows.push(
      row("checkTx.new.worker", "CheckTx NEW, precheckTx → 1 signature worker (CPU = main + worker)", wspans, perW, {
        mainThreadUsPerTx: round((median(mainMs) * 1000) / perW, 1),
      }),
    );

    // ---- FinalizeBlock + Commit ----------------------------------------------------------------
    for (const n of sizes) {
      const blocks = Math.max(10, Math.ceil(minTxs / n));
      for (const mode of ["warm", "cold"] as const) {
        log(`FinalizeBlock ${mode}: ${blocks} blocks × ${n} txs`);
        const f = await open();
        const warmup = 2;
        const all = signSends(f.senders, (blocks + warmup) * n, { chainId: CHAIN_ID, registry });
        const fin: Span[] = [];
        const com: Span[] = [];
        const pipe: Span[] = [];
        for (let b = 0; b < blocks + warmup; b++) {
          const block = all.slice(b * n, (b + 1) * n);
          let check: Span = { wallMs: 0, cpuMs: 0 };
          if (mode === "warm") {
            const c = startSpan();
            for (const tx of block) checkOne(f.node, tx);
            check = c();
          }
          const r = f.node.deliver(block);
          if (b < warmup) continue;
          fin.push(r.finalize);
          com.push(r.commit);
          pipe.push({
            wallMs: check.wallMs + r.finalize.wallMs + r.commit.wallMs,
            cpuMs: check.cpuMs + r.finalize.cpuMs + r.commit.cpuMs,
          });
        }
        const perBlock = (xs: Span[]) => ({
          blocks,
          blockMedianMs: round(median(xs.map((x) => x.wallMs))),
          blockMaxMs: round(Math.max(...xs.map((x) => x.wallMs))),
        });
        rows.push(row(`finalizeBlock.${mode}.n${n}`, `FinalizeBlock, ${n} tx/block, sig cache ${mode}`, fin, n, perBlock(fin)));
        rows.push(row(`commit.${mode}.n${n}`, `Commit after a ${n}-tx block (${mode})`, com, n, perBlock(com)));
        if (mode === "warm") {
          rows.push(row(`pipeline.n${n}`, `CheckTx + FinalizeBlock + Commit, ${n} tx/block`, pipe, n, { blocks }));
        }
      }
    }

    // ---- through the ABCI socket ---------------------------------------------------------------
    // The socket server calls precheckTx on arrival: give this app the worker soad has by default.
    if (!opts.noSocket) rows.push(...(await socketCases(await open(1), count, Math.min(1000, Math.max(...sizes)), registry, log)));
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
  return rows;
}

async function socketCases(
  f: Fixture,
  count: number,
  blockSize: number,
  registry: ReturnType<typeof benchRegistry>,
  log: (line: string) => void,
): Promise<PerfRow[]> {
  const rows: PerfRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "soa-perf-sock-"));
  const address = `unix://${join(dir, "app.sock")}`;
  const server = new AbciServer({ app: f.node.app });
  let fatal: Error | undefined;
  server.on("fatal", (err) => (fatal = err));
  await server.listen(address);
  // CometBFT opens separate mempool and consensus connections; so do we.
  const mempool = await AbciSocketClient.connect(address);
  const consensus = await AbciSocketClient.connect(address);
  try {
    log(`socket: pipelined CheckTx × ${count}`);
    const txs = signSends(f.senders, count, { chainId: CHAIN_ID, registry });
    // Pipelined like CometBFT's mempool connection: requests back to back, at most `window` unanswered.
    const window = Math.max(1, Math.floor(count / CHUNKS));
    const spans: Span[] = [];
    for (let i = 0; i + window <= txs.length; i += window) {
      const t = startSpan();
      const batch = txs.slice(i, i + window).map((tx) => mempool.request({ checkTx: { tx, type: CheckTxType.NEW } } as Request));
      await mempool.flush();
      const res = await Promise.all(batch);
      spans.push(t());
      const bad = res.find((r) => r.checkTx?.code !== 0);
      if (bad) throw new Error(`socket CheckTx failed: ${bad.checkTx?.log}`);
    }
    rows.push(row("socket.checkTx", `CheckTx NEW via ABCI socket, 1 signature worker (pipelined ×${window}; CPU incl. the client)`, spans, window));

    // The txs above are in the check state with warm signatures: execute them in blocks over the socket.
    log(`socket: FinalizeBlock+Commit, ${blockSize} tx/block`);
    const fin: Span[] = [];
    const com: Span[] = [];
    let reqBytes = 0;
    let resBytes = 0;
    let height = f.node.height;
    for (let i = 0; i + blockSize <= txs.length; i += blockSize) {
      height += 1n;
      f.node.timeSeconds += 1n;
      const req = {
        finalizeBlock: {
          txs: txs.slice(i, i + blockSize),
          decidedLastCommit: { round: 0, votes: [] },
          misbehavior: [],
          hash: new Uint8Array(32),
          height,
          time: { seconds: f.node.timeSeconds, nanos: 0 },
          nextValidatorsHash: new Uint8Array(32),
          proposerAddress: new Uint8Array(20),
        },
      } as Request;
      let span = startSpan();
      const res = await consensus.request(req);
      fin.push(span());
      span = startSpan();
      await consensus.request({ commit: {} } as Request);
      com.push(span());
      const failed = res.finalizeBlock?.txResults.filter((r) => r.code !== 0).length ?? blockSize;
      if (failed > 0) throw new Error(`socket FinalizeBlock: ${failed} txs failed`);
      reqBytes = Request.encode(req).finish().length;
      resBytes = Response.encode(res).finish().length;
    }
    f.node.height = height;
    rows.push(
      row(`socket.finalizeBlock.n${blockSize}`, `FinalizeBlock via ABCI socket, ${blockSize} tx/block (warm; CPU incl. the client)`, fin, blockSize, {
        blocks: fin.length,
        requestBytes: reqBytes,
        responseBytes: resBytes,
      }),
    );
    rows.push(row(`socket.commit.n${blockSize}`, `Commit via ABCI socket after a ${blockSize}-tx block`, com, blockSize, { blocks: com.length }));
    if (fatal) throw fatal;
  } finally {
    await mempool.close().catch(() => undefined);
    await consensus.close().catch(() => undefined);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Markdown table of rows for the console and RESULTS.md. */
export function formatRows(rows: PerfRow[]): string {
  const lines = ["| case | txs | CPU µs/tx | tx/s per core | wall µs/tx | notes |", "|---|---:|---:|---:|---:|---|"];
  for (const r of rows) {
    const notes = r.extra ? Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join(" ") : "";
    lines.push(`| ${r.label} | ${r.txs} | ${r.usPerTx.toFixed(1)} | ${r.txPerSec.toLocaleString("en-US")} | ${r.wallUsPerTx.toFixed(1)} | ${notes} |`);
  }
  return lines.join("\n");
}
