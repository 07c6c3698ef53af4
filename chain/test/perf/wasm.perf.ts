// In-process wasm benchmarks (run by bench/wasm.ts; never asserts on time):
//
//   runWasmAppPerf   contract txs through the real app (CheckTx, then FinalizeBlock + Commit of blocks of
//                    signed txs from many accounts): counter `increment`, `storage_heavy` (n writes), and
//                    bank sends in the same run for the ratio.
//   runUploadPerf    a ~500 KB generated module: prepareCode() (validate + instrument + engine check) and a
//                    full gzipped MsgStoreCode through the app.
//   runMeteringPerf  the same compute loop uninstrumented (plain WebAssembly.Instance) and instrumented
//                    (prepareCode output, soa_* globals set as runtime.ts does), interleaved in one process:
//                    ns per iteration, overhead ratio, CosmWasm gas points and SDK gas per second.
//
// CPU figures are process CPU time (user + system, all threads); per-tx figures are medians over blocks.
import { gzipSync } from "node:zlib";
import { MsgExecuteContract, MsgInstantiateContract, MsgStoreCode } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { CheckTxType, type ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgRegistry } from "../../src/app/msgRegistry.js";
import { sha256 } from "../../src/crypto/hash.js";
import { engineValidates } from "../../src/modules/wasm/vm/binary.js";
import { CALL_STACK_BUDGET, prepareCode, vmGlobals } from "../../src/modules/wasm/vm/instrument.js";
import { GAS_MULTIPLIER } from "../../src/modules/wasm/vm/types.js";
import { validateModule } from "../../src/modules/wasm/vm/validate.js";
import { buildSignedTx } from "../../src/tx/build.js";
import { finalizeRequest } from "../utils/testNode.js";
import { BENCH_DENOM, benchKeys, BenchNode, type Sender, signSends, type Span, startSpan } from "./fixtures.js";
import { assemble, computeModuleWat, largeModuleWat, type LargeModuleShape } from "./wasm.modules.js";

const CHAIN_ID = "soa-bench-1";
/** The bench nodes' min gas price (usoa per gas), as in app.perf.ts: fee = ceil(gas × 0.0025). */
const MIN_GAS_PRICE = "0.0025usoa";
const feeFor = (gas: bigint): { denom: string; amount: string }[] => [{ denom: BENCH_DENOM, amount: ((gas * 25n + 9_999n) / 10_000n).toString() }];

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const msgAny = <T>(type: { typeUrl: string; encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({
  typeUrl: type.typeUrl,
  value: type.encode(m).finish(),
});
const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v), "utf8");

/** Signs one tx per sender round-robin (like signSends), each carrying `msg(sender)`. */
export function signContractTxs(
  senders: Sender[],
  count: number,
  msg: (s: Sender) => Any,
  opts: { chainId: string; registry: MsgRegistry; gasLimit: bigint },
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const s = senders[i % senders.length]!;
    out.push(
      buildSignedTx(
        { key: s.key, chainId: opts.chainId, accountNumber: s.accountNumber, sequence: s.sequence, messages: [msg(s)], fee: feeFor(opts.gasLimit), gasLimit: opts.gasLimit },
        opts.registry,
      ),
    );
    s.sequence++;
  }
  return out;
}

/** Message builders for the counter contract (contracts-as/counter). */
export const counterMsgs = {
  store: (sender: string, wasm: Uint8Array): Any => msgAny(MsgStoreCode, { sender, wasmByteCode: gzipSync(wasm), instantiatePermission: undefined }),
  instantiate: (sender: string, codeId: bigint, count = 0): Any =>
    msgAny(MsgInstantiateContract, { sender, admin: "", codeId, label: "bench counter", msg: json({ count }), funds: [] }),
  execute: (sender: string, contract: string, msg: unknown): Any => msgAny(MsgExecuteContract, { sender, contract, msg: json(msg), funds: [] }),
};

/** Gas limit for a tx that used `used`: +25 %, rounded up to 1,000. */
export const gasLimitFor = (used: bigint): bigint => (((used * 125n) / 100n + 999n) / 1000n) * 1000n;

/** The attribute `key` of the first event of `type` in a tx result. */
export function eventAttr(r: { events: { type: string; attributes: { key: string; value: string }[] }[] }, type: string, key: string): string | undefined {
  return r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}

interface BlockRun {
  results: ExecTxResult[];
  finalize: Span;
  commit: Span;
}

/** FinalizeBlock + Commit of one block on a BenchNode, returning the tx results (BenchNode.deliver throws them away). */
function runBlock(node: BenchNode, txs: Uint8Array[]): BlockRun {
  const height = node.height + 1n;
  node.timeSeconds += 1n;
  let t = startSpan();
  const res = node.app.finalizeBlock(finalizeRequest(txs, height, node.timeSeconds));
  const finalize = t();
  t = startSpan();
  node.app.commit();
  const commit = t();
  node.height = height;
  return { results: res.txResults, finalize, commit };
}

function deliverOk(node: BenchNode, txs: Uint8Array[], what: string): BlockRun {
  const r = runBlock(node, txs);
  const bad = r.results.findIndex((x) => x.code !== 0);
  if (bad >= 0) throw new Error(`${what}: tx ${bad} failed (code ${r.results[bad]!.code}): ${r.results[bad]!.log}`);
  return r;
}

function checkOk(node: BenchNode, tx: Uint8Array): void {
  const r = node.app.checkTx({ tx, type: CheckTxType.NEW });
  if (r instanceof Promise) throw new Error("CheckTx went asynchronous");
  if (r.code !== 0) throw new Error(`CheckTx failed (code ${r.code}): ${r.log}`);
}

// ---- 1. contract txs through the app ----------------------------------------------------------------

export interface WasmTxCase {
  id: string;
  label: string;
  blockSize: number;
  blocks: number;
  txs: number;
  txBytes: number;
  gasLimit: number;
  /** SDK gas used per tx (median over the measured txs). */
  gasUsed: number;
  /** Median over blocks of CPU µs per tx: CheckTx NEW, FinalizeBlock, Commit, FinalizeBlock + Commit. */
  checkUsPerTx: number;
  finalizeUsPerTx: number;
  commitUsPerTx: number;
  usPerTx: number;
  /** 1e6 / usPerTx: FinalizeBlock + Commit throughput of one core. */
  txPerSec: number;
  /** Median over blocks of wall µs per tx (FinalizeBlock + Commit). */
  wallUsPerTx: number;
  blockMedianMs: number;
}

export interface WasmAppResult {
  senders: number;
  contract: { name: string; bytes: number; checksum: string; instrumentedBytes: number };
  cases: WasmTxCase[];
  /** usPerTx of each wasm case ÷ usPerTx of the bank send (how many bank sends one call costs); and in wall time. */
  ratioToBank: Record<string, number>;
  ratioToBankWall: Record<string, number>;
  /**
   * `new WebAssembly.Instance` of the instrumented counter (WasmVm makes one per call), µs per instance
   * (median of 10 chunks of 200; CPU includes V8's GC threads freeing the instances' memories).
   */
  instanceUs: { cpu: number; wall: number };
}

/** What a fresh instance per call costs (WasmVm.call): the instrumented counter with no-op imports. */
function instantiationUs(wasm: Uint8Array): { cpu: number; wall: number } {
  const module = new WA.Module(prepareCode(wasm).instrumented);
  const env: Record<string, unknown> = {};
  for (const i of (WA as unknown as { Module: { imports(m: object): { name: string }[] } }).Module.imports(module)) env[i.name] = () => 0;
  const spans: Span[] = [];
  for (let c = 0; c < 12; c++) {
    const t = startSpan();
    for (let i = 0; i < 200; i++) new WA.Instance(module, { env });
    if (c >= 2) spans.push(t());
  }
  return { cpu: round(median(spans.map((s) => (s.cpuMs * 1000) / 200))), wall: round(median(spans.map((s) => (s.wallMs * 1000) / 200))) };
}

export interface WasmAppOptions {
  counterWasm: Uint8Array;
  senders?: number;
  blockSize?: number;
  /** Measured blocks per case (after 2 warm-up blocks). */
  blocks?: number;
  heavyN?: number;
  heavyBlocks?: number;
  log?: (line: string) => void;
}

export async function runWasmAppPerf(o: WasmAppOptions): Promise<WasmAppResult> {
  const senderCount = o.senders ?? 1000;
  const blockSize = o.blockSize ?? 200;
  const blocks = o.blocks ?? 15;
  const heavyN = o.heavyN ?? 50;
  const log = o.log ?? (() => {});
  const keys = benchKeys(senderCount);
  const node = await BenchNode.create(keys, { chainId: CHAIN_ID, minGasPrices: MIN_GAS_PRICE });
  try {
    const registry = node.app.msgs;
    const senders: Sender[] = keys.map((key, i) => ({ key, accountNumber: BigInt(i), sequence: 0n }));
    const admin = senders[0]!;
    const one = (msg: Any, gasLimit: bigint): Uint8Array => signContractTxs([admin], 1, () => msg, { chainId: CHAIN_ID, registry, gasLimit })[0]!;

    log(`uploading counter.wasm (${o.counterWasm.length} B) and instantiating it`);
    const stored = deliverOk(node, [one(counterMsgs.store(admin.key.address, o.counterWasm), 5_000_000n)], "store counter").results[0]!;
    const codeId = BigInt(eventAttr(stored, "store_code", "code_id")!);
    const inst = deliverOk(node, [one(counterMsgs.instantiate(admin.key.address, codeId), 1_000_000n)], "instantiate counter").results[0]!;
    const contract = eventAttr(inst, "instantiate", "_contract_address")!;

    // Probe the gas each kind uses, so that limits (and fees) are realistic: used + 25 %.
    const incrementMsg = (s: Sender): Any => counterMsgs.execute(s.key.address, contract, { increment: {} });
    const heavyMsg = (s: Sender): Any => counterMsgs.execute(s.key.address, contract, { storage_heavy: { n: heavyN } });
    const probe = deliverOk(node, [one(incrementMsg(admin), 10_000_000n), one(heavyMsg(admin), 10_000_000n)], "gas probe").results;
    const incrementGas = gasLimitFor(probe[0]!.gasUsed);
    const heavyGas = gasLimitFor(probe[1]!.gasUsed);
    log(`gas used: increment ${probe[0]!.gasUsed}, storage_heavy n=${heavyN} ${probe[1]!.gasUsed}; limits ${incrementGas} / ${heavyGas}`);

    const kinds: { id: string; label: string; blocks: number; sign: (n: number) => Uint8Array[]; gasLimit: bigint }[] = [
      {
        id: "bank.send",
        label: "bank send (MsgSend, for comparison)",
        blocks,
        gasLimit: 100_000n,
        sign: (n) => signSends(senders, n, { chainId: CHAIN_ID, registry }),
      },
      {
        id: "counter.increment",
        label: 'counter `{"increment":{}}` (1 read + 1 write, event)',
        blocks,
        gasLimit: incrementGas,
        sign: (n) => signContractTxs(senders, n, incrementMsg, { chainId: CHAIN_ID, registry, gasLimit: incrementGas }),
      },
      {
        id: `counter.storage_heavy.n${heavyN}`,
        label: `counter \`{"storage_heavy":{"n":${heavyN}}}\` (${heavyN} writes)`,
        blocks: o.heavyBlocks ?? Math.max(5, Math.ceil(blocks / 2)),
        gasLimit: heavyGas,
        sign: (n) => signContractTxs(senders, n, heavyMsg, { chainId: CHAIN_ID, registry, gasLimit: heavyGas }),
      },
    ];
    // Blocks of the three kinds are interleaved (bank, increment, heavy, bank, …), so that drift on a shared
    // machine hits all kinds alike; txs are signed up front in that order (each sender's sequences follow).
    const warmup = 2;
    const plan: { k: (typeof kinds)[number]; b: number; txs: Uint8Array[] }[] = [];
    const rounds = Math.max(...kinds.map((k) => k.blocks)) + warmup;
    log(`signing ${kinds.map((k) => `${(k.blocks + warmup) * blockSize} ${k.id}`).join(", ")}`);
    for (let b = 0; b < rounds; b++) {
      for (const k of kinds) if (b < k.blocks + warmup) plan.push({ k, b, txs: k.sign(blockSize) });
    }
    const acc = new Map(kinds.map((k) => [k.id, { chk: [] as number[], fin: [] as number[], com: [] as number[], both: [] as number[], wall: [] as number[], gas: [] as number[], bytes: 0, n: 0 }]));
    log(`${plan.length} blocks × ${blockSize} txs, kinds interleaved (${warmup} warm-up blocks each)`);
    for (const { k, b, txs } of plan) {
      const c = startSpan();
      for (const tx of txs) checkOk(node, tx); // warms the signature cache, as on a node
      const check = c();
      const r = deliverOk(node, txs, k.id);
      if (b < warmup) continue;
      const a = acc.get(k.id)!;
      a.chk.push(check.cpuMs);
      a.fin.push(r.finalize.cpuMs);
      a.com.push(r.commit.cpuMs);
      a.both.push(r.finalize.cpuMs + r.commit.cpuMs);
      a.wall.push(r.finalize.wallMs + r.commit.wallMs);
      for (const x of r.results) a.gas.push(Number(x.gasUsed));
      for (const tx of txs) a.bytes += tx.length;
      a.n += txs.length;
    }
    const perTx = (ms: number[]): number => round((median(ms) * 1000) / blockSize);
    const cases: WasmTxCase[] = kinds.map((k) => {
      const a = acc.get(k.id)!;
      const usPerTx = perTx(a.both);
      log(`${k.id}: ${usPerTx} CPU µs/tx (FinalizeBlock + Commit), ${Math.round(1e6 / usPerTx)} tx/s`);
      return {
        id: k.id,
        label: k.label,
        blockSize,
        blocks: k.blocks,
        txs: k.blocks * blockSize,
        txBytes: Math.round(a.bytes / Math.max(1, a.n)),
        gasLimit: Number(k.gasLimit),
        gasUsed: median(a.gas),
        checkUsPerTx: perTx(a.chk),
        finalizeUsPerTx: perTx(a.fin),
        commitUsPerTx: perTx(a.com),
        usPerTx,
        txPerSec: usPerTx > 0 ? Math.round(1e6 / usPerTx) : 0,
        wallUsPerTx: perTx(a.wall),
        blockMedianMs: round(median(a.wall), 2),
      };
    });
    const bank = cases.find((c) => c.id === "bank.send")!;
    const ratioToBank = Object.fromEntries(cases.filter((c) => c !== bank).map((c) => [c.id, round(c.usPerTx / bank.usPerTx, 2)]));
    const ratioToBankWall = Object.fromEntries(cases.filter((c) => c !== bank).map((c) => [c.id, round(c.wallUsPerTx / bank.wallUsPerTx, 2)]));
    const instanceUs = instantiationUs(o.counterWasm);
    return {
      senders: senderCount,
      contract: {
        name: "counter",
        bytes: o.counterWasm.length,
        checksum: Buffer.from(sha256(o.counterWasm)).toString("hex"),
        instrumentedBytes: prepareCode(o.counterWasm).instrumented.length,
      },
      cases,
      ratioToBank,
      ratioToBankWall,
      instanceUs,
    };
  } finally {
    await node.close();
  }
}

// ---- 3. upload + instrument of a large module ---------------------------------------------------------

/** ~500 KB (519,991 bytes): 600 functions × 25 groups of 10 i64 instructions (the bench reports the measured size). */
export const LARGE_SHAPE: LargeModuleShape = { functions: 600, opsPerFunction: 200 };

export interface UploadResult {
  shape: LargeModuleShape;
  bytes: number;
  gzipBytes: number;
  instrumentedBytes: number;
  generateMs: number;
  runs: number;
  /** Medians over `runs` (ms, wall; the process is single-threaded here, CPU ≈ wall). */
  prepareCodeMs: number;
  validateModuleMs: number;
  engineValidateMs: number;
  /** V8 compiling the instrumented module (WasmVm does this once per checksum, on first use). */
  compileMs: number;
  /** The same for the counter contract, for scale. */
  counter: { bytes: number; prepareCodeMs: number; compileMs: number };
  storeCode: {
    runs: number;
    txBytes: number;
    gasUsed: number;
    checkTxMs: number;
    finalizeMs: number;
    commitMs: number;
    /** FinalizeBlock CPU ms (median). */
    finalizeCpuMs: number;
  };
}

function timeMs(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

interface WasmModuleCtor {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmModuleCtor }).WebAssembly;

export async function runUploadPerf(o: { counterWasm?: Uint8Array; runs?: number; storeRuns?: number; log?: (l: string) => void }): Promise<UploadResult> {
  const log = o.log ?? (() => {});
  const runs = o.runs ?? 5;
  const storeRuns = o.storeRuns ?? 3;
  let t = performance.now();
  const wasm = await assemble("large.wat", largeModuleWat(1, LARGE_SHAPE));
  const generateMs = performance.now() - t;
  const gz = gzipSync(wasm);
  log(`large module: ${wasm.length} B (gzip ${gz.length} B), generated in ${Math.round(generateMs)} ms`);

  let instrumented: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < 3; i++) prepareCode(wasm); // warm-up (JIT of the validator and instrumenter)
  const prep: number[] = [];
  const val: number[] = [];
  const eng: number[] = [];
  const comp: number[] = [];
  for (let i = 0; i < runs; i++) {
    prep.push(timeMs(() => (instrumented = prepareCode(wasm).instrumented)));
    val.push(timeMs(() => validateModule(wasm)));
    eng.push(timeMs(() => engineValidates(instrumented)));
    comp.push(timeMs(() => new WA.Module(instrumented)));
  }
  let counter = { bytes: 0, prepareCodeMs: 0, compileMs: 0 };
  if (o.counterWasm) {
    const cw = o.counterWasm;
    const ci = prepareCode(cw).instrumented;
    counter = {
      bytes: cw.length,
      prepareCodeMs: round(median(Array.from({ length: runs }, () => timeMs(() => prepareCode(cw)))), 2),
      compileMs: round(median(Array.from({ length: runs }, () => timeMs(() => new WA.Module(ci)))), 2),
    };
  }

  // Full MsgStoreCode (gzipped, as CosmJS sends it) through the app: a new seed each run, so that every
  // upload is new code (the keeper skips prepareCode for a checksum it already has).
  log(`MsgStoreCode × ${storeRuns} through the app`);
  const keys = benchKeys(1, "wasm-upload");
  const node = await BenchNode.create(keys, { chainId: CHAIN_ID, minGasPrices: MIN_GAS_PRICE });
  const store = { check: [] as number[], fin: [] as number[], finCpu: [] as number[], com: [] as number[], gas: [] as number[], bytes: 0 };
  try {
    const sender: Sender = { key: keys[0]!, accountNumber: 0n, sequence: 0n };
    for (let i = 0; i < storeRuns; i++) {
      const code = i === 0 ? wasm : await assemble("large.wat", largeModuleWat(100 + i, LARGE_SHAPE));
      const tx = signContractTxs([sender], 1, (s) => counterMsgs.store(s.key.address, code), { chainId: CHAIN_ID, registry: node.app.msgs, gasLimit: 20_000_000n })[0]!;
      store.bytes = tx.length;
      t = performance.now();
      checkOk(node, tx);
      store.check.push(performance.now() - t);
      const r = deliverOk(node, [tx], "MsgStoreCode");
      store.fin.push(r.finalize.wallMs);
      store.finCpu.push(r.finalize.cpuMs);
      store.com.push(r.commit.wallMs);
      store.gas.push(Number(r.results[0]!.gasUsed));
    }
  } finally {
    await node.close();
  }
  return {
    shape: LARGE_SHAPE,
    bytes: wasm.length,
    gzipBytes: gz.length,
    instrumentedBytes: instrumented.length,
    generateMs: Math.round(generateMs),
    runs,
    prepareCodeMs: round(median(prep), 2),
    validateModuleMs: round(median(val), 2),
    engineValidateMs: round(median(eng), 2),
    compileMs: round(median(comp), 2),
    counter,
    storeCode: {
      runs: storeRuns,
      txBytes: store.bytes,
      gasUsed: median(store.gas),
      checkTxMs: round(median(store.check), 2),
      finalizeMs: round(median(store.fin), 2),
      finalizeCpuMs: round(median(store.finCpu), 2),
      commitMs: round(median(store.com), 2),
    },
  };
}

// ---- 4. metering overhead -------------------------------------------------------------------------------

export interface MeteringCase {
  id: string;
  label: string;
  iterations: number;
  rounds: number;
  /** Median over rounds of CPU ns per iteration (wall: the same in wall time). */
  plainNsPerIter: number;
  meteredNsPerIter: number;
  plainWallNsPerIter: number;
  meteredWallNsPerIter: number;
  /** V8 wasm tiering of this process: "dynamic" (default: Liftoff, then TurboFan for hot code), "turbofan", "liftoff". */
  tier: string;
  /** metered ÷ plain. */
  overhead: number;
  /** CosmWasm gas points per iteration (exact, deterministic). */
  gasPerIter: number;
  /** Points consumed ÷ metered wall time, and the same in SDK gas (÷ 140,000). */
  gasPerSec: number;
  sdkGasPerSec: number;
  /** Wall time a block's worth of this code (200M SDK gas) takes. */
  msPer200MSdkGas: number;
  plainBytes: number;
  meteredBytes: number;
}

type RunFn = (n: number) => bigint;

function tierOf(): string {
  if (process.execArgv.includes("--liftoff-only")) return "liftoff";
  if (process.execArgv.includes("--no-liftoff")) return "turbofan";
  return "dynamic";
}

export async function runMeteringPerf(o: { iterations?: number; rounds?: number; log?: (l: string) => void } = {}): Promise<MeteringCase[]> {
  const log = o.log ?? (() => {});
  const n = o.iterations ?? 20_000_000;
  const rounds = o.rounds ?? 7;
  const out: MeteringCase[] = [];
  for (const calls of [false, true]) {
    const plainBytes = await assemble("compute.wat", computeModuleWat(calls));
    const meteredBytes = prepareCode(plainBytes).instrumented;
    const plain = new WA.Instance(new WA.Module(plainBytes), {});
    const metered = new WA.Instance(new WA.Module(meteredBytes), {});
    const g = vmGlobals(metered.exports);
    const runPlain = plain.exports["run"] as RunFn;
    const runMetered = metered.exports["run"] as RunFn;
    const START = 1n << 62n;
    const meteredRun = (iters: number): { span: Span; gas: bigint; acc: bigint } => {
      g.gasLeft.value = START;
      g.depthLeft.value = CALL_STACK_BUDGET;
      g.trap.value = 0;
      const t = startSpan();
      const acc = runMetered(iters);
      const span = t();
      return { span, gas: START - BigInt.asUintN(64, g.gasLeft.value), acc };
    };
    const plainRun = (iters: number): { span: Span; acc: bigint } => {
      const t = startSpan();
      const acc = runPlain(iters);
      return { span: t(), acc };
    };
    // Warm-up: V8 starts wasm in Liftoff and tiers hot functions up to TurboFan (in the background; there
    // is no OSR, so optimised code is used from the next call on). Many short calls, then long ones.
    for (let i = 0; i < 50; i++) {
      plainRun(20_000);
      meteredRun(20_000);
    }
    for (let i = 0; i < 2; i++) {
      plainRun(n);
      meteredRun(n);
    }
    const p: Span[] = [];
    const m: Span[] = [];
    let gas = 0n;
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so drift on a shared machine hits both sides alike.
      const first = r % 2 === 0;
      let a: { span: Span; acc: bigint } | undefined;
      if (first) a = plainRun(n);
      const b = meteredRun(n);
      if (!first) a = plainRun(n);
      p.push(a!.span);
      m.push(b.span);
      gas = b.gas;
      if (a!.acc !== b.acc) throw new Error("metered and plain runs disagree");
    }
    // CPU time (this process) rather than wall: the machine may be shared; both are recorded.
    const plainMs = median(p.map((x) => x.cpuMs));
    const meteredMs = median(m.map((x) => x.cpuMs));
    const gasPerSec = Number(gas) / (meteredMs / 1000);
    const sdkGasPerSec = gasPerSec / Number(GAS_MULTIPLIER);
    const c: MeteringCase = {
      id: calls ? "loop.calls" : "loop.inline",
      label: calls ? "loop, body in a called function (i64 LCG + load/store)" : "loop, inline body (i64 LCG + 8-byte load/store)",
      iterations: n,
      rounds,
      plainNsPerIter: round((plainMs * 1e6) / n, 2),
      meteredNsPerIter: round((meteredMs * 1e6) / n, 2),
      plainWallNsPerIter: round((median(p.map((x) => x.wallMs)) * 1e6) / n, 2),
      meteredWallNsPerIter: round((median(m.map((x) => x.wallMs)) * 1e6) / n, 2),
      tier: tierOf(),
      overhead: round(meteredMs / plainMs, 2),
      gasPerIter: Number(gas / BigInt(n)),
      gasPerSec: Math.round(gasPerSec),
      sdkGasPerSec: Math.round(sdkGasPerSec),
      msPer200MSdkGas: Math.round((200e6 / sdkGasPerSec) * 1000),
      plainBytes: plainBytes.length,
      meteredBytes: meteredBytes.length,
    };
    log(`${c.id}: plain ${c.plainNsPerIter} ns/iter, metered ${c.meteredNsPerIter} ns/iter (×${c.overhead}), ${c.gasPerIter} gas/iter, ${(c.sdkGasPerSec / 1e6).toFixed(2)} M SDK gas/s`);
    out.push(c);
  }
  return out;
}
