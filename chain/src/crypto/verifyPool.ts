// Verifies secp256k1 signatures on worker threads, so that CheckTx's most expensive step runs in
// parallel with the main thread (ARCHITECTURE.md D6). Results are booleans from the same native
// libsecp256k1 the main thread uses; callers only ever use them to skip a check they would
// otherwise repeat, never to accept what the main thread would reject.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);

// Plain CommonJS evaluated in the worker, so it runs the same from TypeScript sources (tests) and
// from the compiled build. Batches arrive as packed byte arrays: 32-byte digests, 64-byte
// signatures, 33-byte keys.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const native = require(workerData.bindingPath);
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
function lowS(sig, off) {
  let s = 0n;
  for (let i = off + 32; i < off + 64; i++) s = (s << 8n) | BigInt(sig[i]);
  return s <= HALF_ORDER;
}
parentPort.on("message", ({ id, n, digests, sigs, keys }) => {
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const sig = sigs.subarray(i * 64, i * 64 + 64);
    try {
      ok[i] = lowS(sigs, i * 64) && native.ecdsaVerify(sig, digests.subarray(i * 32, i * 32 + 32), keys.subarray(i * 33, i * 33 + 33)) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id, ok }, [ok.buffer]);
});
`;

export interface VerifyJob {
  digest: Uint8Array; // sha256 of the sign bytes
  signature: Uint8Array; // 64 bytes r||s
  pubkey: Uint8Array; // 33 bytes compressed
}

interface Pending {
  jobs: VerifyJob[];
  resolve: (ok: boolean[]) => void;
}

export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly inflight = new Map<number, Pending>();
  private queued: { job: VerifyJob; resolve: (ok: boolean) => void }[] = [];
  private nextId = 1;
  private next = 0;
  private flushScheduled = false;
  private closed = false;
  /** Signatures verified by the workers so far (metrics, tests). */
  verified = 0;

  constructor(size: number) {
    const bindingPath = require.resolve("secp256k1/bindings");
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } });
      w.unref(); // never keeps the process alive
      w.on("message", ({ id, ok }: { id: number; ok: Uint8Array }) => {
        const p = this.inflight.get(id);
        if (!p) return;
        this.inflight.delete(id);
        this.verified += ok.length;
        p.resolve(Array.from(ok, (x) => x === 1));
      });
      // A dead worker must not hang CheckTx: the pool stops taking jobs, pending ones resolve false
      // and are verified on the main thread instead.
      const stop = () => {
        this.closed = true;
        this.failAll();
      };
      w.on("error", stop);
      w.on("exit", stop);
      this.workers.push(w);
    }
  }

  /** Resolves true iff the signature is valid and low-S; false also when the pool cannot answer. */
  verify(job: VerifyJob): Promise<boolean> {
    if (this.closed || this.workers.length === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.queued.push({ job, resolve });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything queued during the current read of the ABCI socket goes out as one batch.
        queueMicrotask(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const n = batch.length;
    const digests = new Uint8Array(n * 32);
    const sigs = new Uint8Array(n * 64);
    const keys = new Uint8Array(n * 33);
    batch.forEach(({ job }, i) => {
      digests.set(job.digest, i * 32);
      sigs.set(job.signature, i * 64);
      keys.set(job.pubkey, i * 33);
    });
    const id = this.nextId++;
    this.inflight.set(id, { jobs: batch.map((b) => b.job), resolve: (ok) => batch.forEach((b, i) => b.resolve(ok[i] ?? false)) });
    const worker = this.workers[this.next++ % this.workers.length]!;
    worker.postMessage({ id, n, digests, sigs, keys }, [digests.buffer, sigs.buffer, keys.buffer]);
  }

  private failAll(): void {
    for (const p of this.inflight.values()) p.resolve(p.jobs.map(() => false));
    this.inflight.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
