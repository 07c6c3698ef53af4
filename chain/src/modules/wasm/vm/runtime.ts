// WasmVm: runs one entry point of an instrumented contract in a fresh instance, with the CosmWasm
// `env` imports (interface_version_8) and the gas bridge to the instrumentation globals
// (README "The contract between instrumentation and runtime"; WASM-VM.md §1.2–§1.4, §3.2, §4.1).
//
// Everything that can reach consensus (gas, error kinds and messages, iterator order) is derived from
// the module bytes and the store only. V8 exception texts never leave this file; host faults that are
// not the contract's doing (stack overflow, a throwing querier, bugs) become VmFatalError so the node
// halts instead of committing a machine-dependent result.
import { KV_GAS } from "../../../gas/meter.js";
import type { Key, Value } from "../../../store/types.js";
import * as crypto from "./hostCrypto.js";
import { TRAP_CALL_DEPTH, TRAP_OUT_OF_GAS, VM_GLOBALS } from "./instrument.js";
import { type EntryPoint, GAS_MULTIPLIER, type HostEnv, VmError, type VmErrorKind } from "./types.js";

// @types/node 20 does not declare the WebAssembly JS API (it lives in lib.dom); the part used here.
interface WasmGlobal {
  value: unknown;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
type ErrorClass = new (...args: never[]) => Error;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Global: new (...args: never[]) => WasmGlobal;
  Memory: new (...args: never[]) => WasmMemory;
  CompileError: ErrorClass;
  LinkError: ErrorClass;
  RuntimeError: ErrorClass;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Host-side gas in CosmWasm points (WASM-VM.md §3.2). */
export const HOST_GAS = {
  /** Every import call, before anything else. */
  hostCall: 18_000n,
  readRegionBase: 200_000n,
  readRegionPerByte: 115n,
  writeRegionBase: 230_000n,
  writeRegionPerByte: 570n,
  /** wasmd's GoAPI costs (api.go): 9 / 4 / 5 SDK gas. */
  addrValidate: 9n * GAS_MULTIPLIER,
  addrCanonicalize: 4n * GAS_MULTIPLIER,
  addrHumanize: 5n * GAS_MULTIPLIER,
} as const;

/** Input and output size limits of the imports (CosmWasm VM imports.rs). */
export const HOST_LIMITS = {
  dbKey: 64 * 1024,
  dbValue: 128 * 1024,
  humanAddress: 256,
  canonicalAddress: 64,
  queryRequest: 64 * 1024,
  message: 2 * 1024 * 1024,
  result: 64 * 1024 * 1024,
} as const;

const DEFAULT_CACHE_SIZE = 64;
const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffff;

/**
 * A failure of the node, not of the contract: must never become a tx result. Callers (the keeper,
 * the ABCI layer) let it propagate so the process halts.
 */
export class VmFatalError extends Error {
  readonly fatal = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VmFatalError";
  }
}

export interface VmMetrics {
  hits: number;
  misses: number;
  size: number;
}

export class WasmVm {
  private readonly modules = new Map<string, WasmModule>();
  private readonly cacheSize: number;
  private hits = 0;
  private misses = 0;

  constructor(opts: { cacheSize?: number } = {}) {
    const size = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
    if (!Number.isSafeInteger(size) || size < 1) throw new Error(`WasmVm: invalid cacheSize ${size}`);
    this.cacheSize = size;
  }

  get metrics(): VmMetrics {
    return { hits: this.hits, misses: this.misses, size: this.modules.size };
  }

  /**
   * Runs one entry point in a fresh instance of the (instrumented) module. Gas is taken from
   * `host.gas.left` (CosmWasm points) and written back, also on failure; returns the raw bytes of the
   * result Region (JSON, unparsed). Throws VmError for contract-caused failures and VmFatalError for
   * node faults.
   */
  call(checksum: Uint8Array, instrumented: Uint8Array, entry: EntryPoint, args: Uint8Array[], host: HostEnv): Uint8Array {
    const module = this.compiled(checksum, instrumented);
    const ctx = new CallContext(host);
    let instance: WasmInstance;
    try {
      instance = new WebAssembly.Instance(module, { env: ctx.imports() });
    } catch (e) {
      throw instantiationError(e);
    }
    ctx.bind(instance);
    ctx.setGas(host.gas.left);
    ctx.setDepth(host.depthLeft);
    try {
      const fn = instance.exports[entry];
      if (typeof fn !== "function") throw new VmError("missing_export", `missing export: ${entry}`);
      const ptrs = args.map((a) => ctx.writeArg(a));
      const resultPtr = (fn as (...a: number[]) => unknown)(...ptrs);
      const ptr = typeof resultPtr === "number" ? resultPtr >>> 0 : 0;
      const result = ctx.readRegion(ptr, HOST_LIMITS.result, "result", false);
      ctx.deallocate(ptr);
      return result;
    } catch (e) {
      throw ctx.classify(e);
    } finally {
      host.gas.left = ctx.gasLeft();
      ctx.close();
    }
  }

  /** Compiled module by checksum; LRU (a Map iterates in insertion order, so re-insert on hit). */
  private compiled(checksum: Uint8Array, instrumented: Uint8Array): WasmModule {
    const key = Buffer.from(checksum.buffer, checksum.byteOffset, checksum.byteLength).toString("hex");
    const hit = this.modules.get(key);
    if (hit !== undefined) {
      this.hits++;
      this.modules.delete(key);
      this.modules.set(key, hit);
      return hit;
    }
    this.misses++;
    let module: WasmModule;
    try {
      module = new WebAssembly.Module(instrumented);
    } catch (e) {
      // prepareCode validated these bytes at upload; V8 rejecting them is deterministic for the same
      // bytes and Node version, so it fails the call rather than the node.
      if (e instanceof WebAssembly.CompileError) throw new VmError("trap", "module compilation failed");
      throw new VmFatalError("wasm compilation failed", { cause: e });
    }
    this.modules.set(key, module);
    while (this.modules.size > this.cacheSize) {
      const oldest = this.modules.keys().next().value as string;
      this.modules.delete(oldest);
    }
    return module;
  }
}

function instantiationError(e: unknown): Error {
  // LinkError (an import we do not provide) and RuntimeError (a data segment out of bounds) depend on
  // the module only; anything else (RangeError: memory allocation failed) depends on the machine.
  if (e instanceof WebAssembly.LinkError || e instanceof WebAssembly.RuntimeError) {
    return new VmError("trap", "module instantiation failed");
  }
  return new VmFatalError("wasm instantiation failed", { cause: e });
}

interface StoreIterator {
  next(): [Key, Value] | undefined;
  close(): void;
}

/** Streams the store's iterator (either order): entries are read only as the contract asks. */
function streamed(it: Iterator<[Key, Value]>): StoreIterator {
  let done = false;
  return {
    next() {
      if (done) return undefined;
      const r = it.next();
      if (r.done) {
        done = true;
        return undefined;
      }
      return r.value;
    },
    close() {
      if (!done) it.return?.();
      done = true;
    },
  };
}

/** `s1 ‖ len(s1) ‖ s2 ‖ len(s2) …` with big-endian u32 length suffixes (CosmWasm sections.rs). */
export function encodeSections(sections: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const s of sections) total += s.length + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let pos = 0;
  for (const s of sections) {
    out.set(s, pos);
    pos += s.length;
    dv.setUint32(pos, s.length, false);
    pos += 4;
  }
  return out;
}

/** Inverse of encodeSections; malformed input is the contract's error. */
export function decodeSections(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let end = data.length;
  while (end > 0) {
    if (end < 4) throw new VmError("host", "invalid section encoding");
    const len = dv.getUint32(end - 4, false);
    if (len > end - 4) throw new VmError("host", "invalid section encoding");
    out.push(data.subarray(end - 4 - len, end - 4));
    end -= 4 + len;
  }
  return out.reverse();
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function kvGas(sdkGas: bigint): bigint {
  return sdkGas * GAS_MULTIPLIER;
}

function readCost(len: number): bigint {
  return HOST_GAS.readRegionBase + HOST_GAS.readRegionPerByte * BigInt(len);
}

function writeCost(len: number): bigint {
  return HOST_GAS.writeRegionBase + HOST_GAS.writeRegionPerByte * BigInt(len);
}

interface Region {
  offset: number;
  capacity: number;
  length: number;
}

type ImportFn = (...args: number[]) => number | bigint | void;

/** The state of one call: the instance's exports, its iterators, and every import. */
class CallContext {
  private memory!: WasmMemory;
  private gasGlobal!: WasmGlobal;
  private depthGlobal!: WasmGlobal;
  private trapGlobal!: WasmGlobal;
  private allocateFn!: (size: number) => unknown;
  private deallocateFn!: (ptr: number) => unknown;
  private bound = false;
  private view = new Uint8Array(0);
  /** Iterator id n is iterators[n - 1]; ids are per call and start at 1. */
  private readonly iterators: StoreIterator[] = [];

  constructor(private readonly host: HostEnv) {}

  bind(instance: WasmInstance): void {
    const ex = instance.exports;
    const global = (name: string): WasmGlobal => {
      const g = ex[name];
      // prepareCode always adds these; their absence means unprepared code reached the VM.
      if (!(g instanceof WebAssembly.Global)) throw new VmFatalError(`wasm module is not instrumented: no ${name}`);
      return g;
    };
    this.gasGlobal = global(VM_GLOBALS.gasLeft);
    this.depthGlobal = global(VM_GLOBALS.depthLeft);
    this.trapGlobal = global(VM_GLOBALS.trap);
    const memory = ex["memory"];
    const allocate = ex["allocate"];
    const deallocate = ex["deallocate"];
    // Checked at upload too; a deterministic error keeps a bad module from halting the node.
    if (!(memory instanceof WebAssembly.Memory)) throw new VmError("missing_export", "missing export: memory");
    if (typeof allocate !== "function") throw new VmError("missing_export", "missing export: allocate");
    if (typeof deallocate !== "function") throw new VmError("missing_export", "missing export: deallocate");
    this.memory = memory;
    this.allocateFn = allocate as (size: number) => unknown;
    this.deallocateFn = deallocate as (ptr: number) => unknown;
    this.bound = true;
  }

  // ---- gas bridge ------------------------------------------------------------------------------

  /** The instance's gas global read as u64 (JS reads an i64 global as a signed BigInt). */
  gasLeft(): bigint {
    if (!this.bound) return this.host.gas.left;
    return BigInt.asUintN(64, this.gasGlobal.value as bigint);
  }

  setGas(left: bigint): void {
    const clamped = left < 0n ? 0n : left > U64_MAX ? U64_MAX : left;
    this.gasGlobal.value = BigInt.asIntN(64, clamped);
  }

  setDepth(depth: number): void {
    this.depthGlobal.value = Math.max(0, Math.min(depth, 0x7fff_ffff)) | 0;
  }

  /** Takes `cost` from the instance's gas; on shortage leaves 0 and fails the call. */
  charge(cost: bigint): void {
    const left = this.gasLeft();
    if (cost > left) {
      this.setGas(0n);
      throw new VmError("out_of_gas", "out of gas");
    }
    this.setGas(left - cost);
  }

  /** Maps anything thrown during the call to VmError (contract's fault) or VmFatalError (node's). */
  classify(e: unknown): Error {
    if (e instanceof VmError || e instanceof VmFatalError) return e;
    if (e instanceof WebAssembly.RuntimeError) {
      const trap = this.bound ? (this.trapGlobal.value as number) : 0;
      if (trap === TRAP_OUT_OF_GAS) return new VmError("out_of_gas", "out of gas");
      if (trap === TRAP_CALL_DEPTH) return new VmError("call_depth", "call depth exceeded");
      return new VmError("trap", "wasm trap");
    }
    // RangeError (V8 stack overflow or allocation failure) depends on the machine; anything else a
    // host function threw that is not a VmError is a bug or a keeper fault.
    return new VmFatalError("host fault during wasm call", { cause: e });
  }

  close(): void {
    for (const it of this.iterators) it.close();
  }

  // ---- memory and Regions ----------------------------------------------------------------------

  /** Memory bytes; re-created when the guest grew memory (the old ArrayBuffer is detached). */
  private mem(): Uint8Array {
    const buf = this.memory.buffer;
    if (this.view.buffer !== buf) this.view = new Uint8Array(buf);
    return this.view;
  }

  private region(ptr: number, kind: VmErrorKind): Region {
    const m = this.mem();
    if (ptr + 12 > m.length) throw new VmError(kind, "region pointer out of bounds");
    const u32 = (p: number) => (m[p]! | (m[p + 1]! << 8) | (m[p + 2]! << 16) | (m[p + 3]! << 24)) >>> 0;
    const r = { offset: u32(ptr), capacity: u32(ptr + 4), length: u32(ptr + 8) };
    if (r.offset === 0) throw new VmError(kind, "region has zero offset");
    if (r.length > r.capacity) throw new VmError(kind, "region length exceeds capacity");
    if (r.capacity > U32_MAX - r.offset) throw new VmError(kind, "region capacity overflows");
    return r;
  }

  /** A copy of the Region's data; charges read_region gas when `charged`. */
  readRegion(ptr: number, maxLength: number, kind: VmErrorKind = "host", charged = true): Uint8Array {
    const r = this.region(ptr, kind);
    if (r.length > maxLength) throw new VmError(kind, "region length too big");
    if (r.offset + r.length > this.mem().length) throw new VmError(kind, "region out of bounds");
    if (charged) this.charge(readCost(r.length));
    return this.mem().slice(r.offset, r.offset + r.length);
  }

  /** Writes into a guest-prepared Region and sets its length. */
  writeRegion(ptr: number, data: Uint8Array, charged = true): void {
    const r = this.region(ptr, "host");
    if (data.length > r.capacity) throw new VmError("host", "region too small");
    if (r.offset + data.length > this.mem().length) throw new VmError("host", "region out of bounds");
    if (charged) this.charge(writeCost(data.length));
    const m = this.mem();
    m.set(data, r.offset);
    new DataView(m.buffer).setUint32(ptr + 8, data.length, true);
  }

  /** A new Region from the guest's `allocate`, filled with `data`; the guest owns it. */
  writeNew(data: Uint8Array, charged = true): number {
    const ptr = this.allocate(data.length);
    this.writeRegion(ptr, data, charged);
    return ptr;
  }

  /** Entry-point arguments: not charged (CosmWasm call_raw), the keeper's setup cost covers them. */
  writeArg(data: Uint8Array): number {
    return this.writeNew(data, false);
  }

  private allocate(size: number): number {
    // Runs metered guest code in this instance (its gas and depth globals); may grow memory.
    const ptr = this.allocateFn(size);
    const p = typeof ptr === "number" ? ptr >>> 0 : 0;
    if (p === 0) throw new VmError("host", "allocate returned zero address");
    return p;
  }

  deallocate(ptr: number): void {
    this.deallocateFn(ptr);
  }

  // ---- imports ---------------------------------------------------------------------------------

  imports(): Record<string, ImportFn> {
    // Every import charges host_call_cost first; i32 arguments arrive signed, so `>>> 0` them.
    const wrap =
      (f: (...a: number[]) => number | bigint | void): ImportFn =>
      (...a: number[]) => {
        this.charge(HOST_GAS.hostCall);
        return f(...a.map((x) => x >>> 0));
      };
    return {
      db_read: wrap((k) => this.dbRead(k!)),
      db_write: wrap((k, v) => this.dbWrite(k!, v!)),
      db_remove: wrap((k) => this.dbRemove(k!)),
      db_scan: wrap((s, e, o) => this.dbScan(s!, e!, o! | 0)),
      db_next: wrap((id) => this.dbNext(id!)),
      db_next_key: wrap((id) => this.dbNextPart(id!, 0)),
      db_next_value: wrap((id) => this.dbNextPart(id!, 1)),
      addr_validate: wrap((h) => this.addrValidate(h!)),
      addr_canonicalize: wrap((h, d) => this.addrCanonicalize(h!, d!)),
      addr_humanize: wrap((c, d) => this.addrHumanize(c!, d!)),
      secp256k1_verify: wrap((h, sg, pk) => this.ecdsaVerify(h!, sg!, pk!, crypto.GAS_SECP256K1_VERIFY, crypto.secp256k1Verify)),
      secp256k1_recover_pubkey: wrap((h, sg, rp) =>
        this.ecdsaRecover(h!, sg!, rp!, crypto.GAS_SECP256K1_RECOVER_PUBKEY, crypto.secp256k1RecoverPubkey),
      ),
      secp256r1_verify: wrap((h, sg, pk) => this.ecdsaVerify(h!, sg!, pk!, crypto.GAS_SECP256R1_VERIFY, crypto.secp256r1Verify)),
      secp256r1_recover_pubkey: wrap((h, sg, rp) =>
        this.ecdsaRecover(h!, sg!, rp!, crypto.GAS_SECP256R1_RECOVER_PUBKEY, crypto.secp256r1RecoverPubkey),
      ),
      ed25519_verify: wrap((m, sg, pk) => this.ed25519Verify(m!, sg!, pk!)),
      ed25519_batch_verify: wrap((m, sg, pk) => this.ed25519BatchVerify(m!, sg!, pk!)),
      bls12_381_aggregate_g1: wrap((ps, out) =>
        this.blsAggregate(ps!, out!, crypto.bls12381AggregateG1Gas, crypto.bls12381AggregateG1),
      ),
      bls12_381_aggregate_g2: wrap((qs, out) =>
        this.blsAggregate(qs!, out!, crypto.bls12381AggregateG2Gas, crypto.bls12381AggregateG2),
      ),
      bls12_381_pairing_equality: wrap((ps, qs, r, sp) => this.blsPairingEquality(ps!, qs!, r!, sp!)),
      bls12_381_hash_to_g1: wrap((hf, m, dst, out) =>
        this.blsHashToCurve(hf!, m!, dst!, out!, crypto.GAS_BLS12_381_HASH_TO_G1, crypto.bls12381HashToG1),
      ),
      bls12_381_hash_to_g2: wrap((hf, m, dst, out) =>
        this.blsHashToCurve(hf!, m!, dst!, out!, crypto.GAS_BLS12_381_HASH_TO_G2, crypto.bls12381HashToG2),
      ),
      debug: wrap((m) => this.debug(m!)),
      abort: wrap((m) => this.abort(m!)),
      query_chain: wrap((r) => this.queryChain(r!)),
    };
  }

  private dbRead(keyPtr: number): number {
    const key = this.readRegion(keyPtr, HOST_LIMITS.dbKey);
    this.charge(kvGas(KV_GAS.readCostFlat));
    const value = this.host.store.get(key);
    this.charge(kvGas(KV_GAS.readCostPerByte * BigInt(key.length + (value?.length ?? 0))));
    return value === undefined ? 0 : this.writeNew(value);
  }

  private writable(): void {
    if (this.host.readonly) throw new VmError("host", "write access denied");
  }

  private dbWrite(keyPtr: number, valuePtr: number): void {
    this.writable();
    const key = this.readRegion(keyPtr, HOST_LIMITS.dbKey);
    const value = this.readRegion(valuePtr, HOST_LIMITS.dbValue);
    // An empty value cannot be told apart from an absent one (cosmwasm-std refuses to write it).
    if (value.length === 0) throw new VmError("host", "empty value not allowed");
    this.charge(kvGas(KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * BigInt(key.length + value.length)));
    this.host.store.set(key, value);
  }

  private dbRemove(keyPtr: number): void {
    this.writable();
    const key = this.readRegion(keyPtr, HOST_LIMITS.dbKey);
    this.charge(kvGas(KV_GAS.deleteCost));
    this.host.store.delete(key);
  }

  private dbScan(startPtr: number, endPtr: number, order: number): number {
    if (order !== 1 && order !== 2) throw new VmError("host", "invalid iteration order");
    const start = startPtr === 0 ? new Uint8Array(0) : this.readRegion(startPtr, HOST_LIMITS.dbKey);
    const end = endPtr === 0 ? undefined : this.readRegion(endPtr, HOST_LIMITS.dbKey);
    const store = this.host.store;
    const entries = order === 1 ? store.iterate(start, end) : store.iterateReverse(start, end);
    const it = streamed(entries[Symbol.iterator]());
    this.iterators.push(it);
    return this.iterators.length;
  }

  /** The next entry of an iterator, charged as the SDK's gas KV iterator does. */
  private advance(id: number): [Key, Value] | undefined {
    const it = this.iterators[id - 1];
    if (id === 0 || it === undefined) throw new VmError("host", "iterator does not exist");
    const item = it.next();
    const bytes = item === undefined ? 0 : item[0].length + item[1].length;
    this.charge(kvGas(KV_GAS.iterNextCostFlat + KV_GAS.readCostPerByte * BigInt(bytes)));
    return item;
  }

  private dbNext(id: number): number {
    const item = this.advance(id);
    // The end is an empty key (never 0) in this older import.
    const [key, value] = item ?? [new Uint8Array(0), new Uint8Array(0)];
    return this.writeNew(encodeSections([key, value]));
  }

  private dbNextPart(id: number, part: 0 | 1): number {
    const item = this.advance(id);
    return item === undefined ? 0 : this.writeNew(item[part]);
  }

  /** Reads an address string; returns the error text CosmWasm gives the contract, or the string. */
  private readAddress(ptr: number): { human: string } | { error: string } {
    const bytes = this.readRegion(ptr, HOST_LIMITS.humanAddress);
    if (bytes.length === 0) return { error: "Input is empty" };
    try {
      return { human: utf8Strict.decode(bytes) };
    } catch {
      return { error: "Input is not valid UTF-8" };
    }
  }

  private errorRegion(message: string): number {
    return this.writeNew(utf8Encoder.encode(message));
  }

  private addrValidate(humanPtr: number): number {
    const input = this.readAddress(humanPtr);
    if ("error" in input) return this.errorRegion(input.error);
    this.charge(HOST_GAS.addrValidate);
    const err = this.host.api.validate(input.human);
    return err === undefined ? 0 : this.errorRegion(err);
  }

  private addrCanonicalize(humanPtr: number, destPtr: number): number {
    const input = this.readAddress(humanPtr);
    if ("error" in input) return this.errorRegion(input.error);
    this.charge(HOST_GAS.addrCanonicalize);
    const out = this.host.api.canonicalize(input.human);
    if (typeof out === "string") return this.errorRegion(out);
    this.writeRegion(destPtr, out);
    return 0;
  }

  private addrHumanize(canonicalPtr: number, destPtr: number): number {
    const canonical = this.readRegion(canonicalPtr, HOST_LIMITS.canonicalAddress);
    this.charge(HOST_GAS.addrHumanize);
    const out = this.host.api.humanize(canonical);
    if (typeof out !== "string") return this.errorRegion(out.error);
    this.writeRegion(destPtr, utf8Encoder.encode(out));
    return 0;
  }

  // ---- crypto (hostCrypto.ts computes; here: Region limits, gas, writing results) ----------------

  private ecdsaVerify(
    hashPtr: number,
    sigPtr: number,
    pubkeyPtr: number,
    gas: bigint,
    verify: (hash: Uint8Array, sig: Uint8Array, pubkey: Uint8Array) => number,
  ): number {
    const hash = this.readRegion(hashPtr, crypto.MESSAGE_HASH_MAX_LEN);
    const sig = this.readRegion(sigPtr, crypto.ECDSA_SIGNATURE_LEN);
    const pubkey = this.readRegion(pubkeyPtr, crypto.ECDSA_PUBKEY_MAX_LEN);
    this.charge(gas);
    return verify(hash, sig, pubkey);
  }

  /** Returns an i64 (a BigInt in JS): error code in the high 32 bits, pubkey Region in the low 32. */
  private ecdsaRecover(
    hashPtr: number,
    sigPtr: number,
    recoveryParam: number,
    gas: bigint,
    recover: (hash: Uint8Array, sig: Uint8Array, recoveryParam: number) => crypto.CryptoBytesResult,
  ): bigint {
    const hash = this.readRegion(hashPtr, crypto.MESSAGE_HASH_MAX_LEN);
    const sig = this.readRegion(sigPtr, crypto.ECDSA_SIGNATURE_LEN);
    // CosmWasm converts the u32 to u8 before charging the crypto cost.
    if (recoveryParam > 0xff) return crypto.packRecoverResult(crypto.CryptoCode.InvalidRecoveryParam, 0);
    this.charge(gas);
    const r = recover(hash, sig, recoveryParam);
    if (r.code !== crypto.CryptoCode.Ok || r.bytes === undefined) return crypto.packRecoverResult(r.code, 0);
    return crypto.packRecoverResult(crypto.CryptoCode.Ok, this.writeNew(r.bytes));
  }

  private ed25519Verify(msgPtr: number, sigPtr: number, pubkeyPtr: number): number {
    const msg = this.readRegion(msgPtr, crypto.MAX_LENGTH_ED25519_MESSAGE);
    const sig = this.readRegion(sigPtr, crypto.MAX_LENGTH_ED25519_SIGNATURE);
    const pubkey = this.readRegion(pubkeyPtr, crypto.EDDSA_PUBKEY_LEN);
    this.charge(crypto.GAS_ED25519_VERIFY);
    return crypto.ed25519Verify(msg, sig, pubkey);
  }

  private ed25519BatchVerify(msgsPtr: number, sigsPtr: number, pubkeysPtr: number): number {
    const msgs = decodeSections(this.readRegion(msgsPtr, crypto.MAX_LENGTH_ED25519_BATCH_MESSAGES));
    const sigs = decodeSections(this.readRegion(sigsPtr, crypto.MAX_LENGTH_ED25519_BATCH_SIGNATURES));
    const pubkeys = decodeSections(this.readRegion(pubkeysPtr, crypto.MAX_LENGTH_ED25519_BATCH_PUBKEYS));
    this.charge(crypto.ed25519BatchVerifyGas(pubkeys.length, sigs.length));
    return crypto.ed25519BatchVerify(msgs, sigs, pubkeys);
  }

  /** Aggregation into the caller's `out` Region: 0, or a code (then `out` is untouched). */
  private blsAggregate(
    pointsPtr: number,
    outPtr: number,
    gas: (inputLength: number) => bigint,
    aggregate: (points: Uint8Array) => crypto.CryptoBytesResult,
  ): number {
    const points = this.readRegion(pointsPtr, crypto.BLS12_381_MAX_AGGREGATE_SIZE);
    this.charge(gas(points.length));
    return this.writeCryptoResult(aggregate(points), outPtr);
  }

  private blsPairingEquality(psPtr: number, qsPtr: number, rPtr: number, sPtr: number): number {
    const ps = this.readRegion(psPtr, crypto.BLS12_381_MAX_AGGREGATE_SIZE);
    const qs = this.readRegion(qsPtr, crypto.BLS12_381_MAX_AGGREGATE_SIZE);
    const r = this.readRegion(rPtr, crypto.BLS12_381_G1_POINT_LEN);
    const s = this.readRegion(sPtr, crypto.BLS12_381_G2_POINT_LEN);
    this.charge(crypto.bls12381PairingEqualityGas(ps.length));
    return crypto.bls12381PairingEquality(ps, qs, r, s);
  }

  private blsHashToCurve(
    hashFunction: number,
    msgPtr: number,
    dstPtr: number,
    outPtr: number,
    gas: bigint,
    hash: (hashFunction: number, msg: Uint8Array, dst: Uint8Array) => crypto.CryptoBytesResult,
  ): number {
    const msg = this.readRegion(msgPtr, crypto.BLS12_381_MAX_MESSAGE_SIZE);
    const dst = this.readRegion(dstPtr, crypto.BLS12_381_MAX_DST_SIZE);
    this.charge(gas);
    return this.writeCryptoResult(hash(hashFunction, msg, dst), outPtr);
  }

  private writeCryptoResult(r: crypto.CryptoBytesResult, outPtr: number): number {
    if (r.code !== crypto.CryptoCode.Ok || r.bytes === undefined) return r.code;
    this.writeRegion(outPtr, r.bytes);
    return crypto.CryptoCode.Ok;
  }

  private debug(msgPtr: number): void {
    // Read even without a listener, so Region errors do not depend on node configuration.
    const msg = this.readRegion(msgPtr, HOST_LIMITS.message, "host", false);
    this.host.debug?.(utf8Lossy.decode(msg));
  }

  private abort(msgPtr: number): never {
    const msg = this.readRegion(msgPtr, HOST_LIMITS.message, "host", false);
    throw new VmError("aborted", `Aborted: ${utf8Lossy.decode(msg)}`);
  }

  private queryChain(requestPtr: number): number {
    const request = this.readRegion(requestPtr, HOST_LIMITS.queryRequest);
    // The querier may run another contract on the same gas object: hand it our gas, take back the rest.
    this.host.gas.left = this.gasLeft();
    let response: Uint8Array;
    try {
      response = this.host.querier(request, this.host.gas, this.depthGlobal.value as number);
    } finally {
      this.setGas(this.host.gas.left);
    }
    return this.writeNew(response);
  }
}
