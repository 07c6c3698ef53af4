import { createHash } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import wabtInit from "wabt";
import { beforeAll, describe, expect, it } from "vitest";
import { bumpAllocatorWat } from "../../../../test/utils/wat.js";
import { KV_GAS } from "../../../gas/meter.js";
import { BranchStore } from "../../../store/branch.js";
import type { KVReader } from "../../../store/types.js";
import { GAS_ED25519_BATCH_VERIFY, GAS_ED25519_VERIFY, GAS_SECP256K1_RECOVER_PUBKEY, GAS_SECP256K1_VERIFY } from "./hostCrypto.js";
import { CALL_STACK_BUDGET, IMPORT_CALL_SLOTS, prepareCode, stackCosts } from "./instrument.js";
import { VmFatalError, WasmVm, encodeSections } from "./runtime.js";
import { type AddressApi, type EntryPoint, GAS_MULTIPLIER, type HostEnv, type Querier, VmError } from "./types.js";

// Hand-written modules stand in for instrumented contracts: they declare the three soa_* globals
// themselves and contain no metering, so only host functions consume gas and every expectation below
// is exact.

let wabt: Awaited<ReturnType<typeof wabtInit>>;
beforeAll(async () => {
  wabt = await wabtInit();
});

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);
const text = (b: Uint8Array) => dec.decode(b);

/** The prelude's `$emit` needs query_chain under this name. */
const IMPORTS_EMIT = `(import "env" "query_chain" (func $query_chain (param i32) (result i32)))`;

const IMPORTS = `
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "db_write" (func $db_write (param i32 i32)))
  (import "env" "db_remove" (func $db_remove (param i32)))
  (import "env" "db_scan" (func $db_scan (param i32 i32 i32) (result i32)))
  (import "env" "db_next" (func $db_next (param i32) (result i32)))
  (import "env" "db_next_key" (func $db_next_key (param i32) (result i32)))
  (import "env" "db_next_value" (func $db_next_value (param i32) (result i32)))
  (import "env" "addr_validate" (func $addr_validate (param i32) (result i32)))
  (import "env" "addr_canonicalize" (func $addr_canonicalize (param i32 i32) (result i32)))
  (import "env" "addr_humanize" (func $addr_humanize (param i32 i32) (result i32)))
  (import "env" "secp256k1_verify" (func $secp256k1_verify (param i32 i32 i32) (result i32)))
  (import "env" "secp256k1_recover_pubkey" (func $secp256k1_recover_pubkey (param i32 i32 i32) (result i64)))
  (import "env" "ed25519_verify" (func $ed25519_verify (param i32 i32 i32) (result i32)))
  (import "env" "ed25519_batch_verify" (func $ed25519_batch_verify (param i32 i32 i32) (result i32)))
  (import "env" "bls12_381_hash_to_g1" (func $bls12_381_hash_to_g1 (param i32 i32 i32 i32) (result i32)))
  (import "env" "debug" (func $debug (param i32)))
  (import "env" "abort" (func $abort (param i32)))
  (import "env" "query_chain" (func $query_chain (param i32) (result i32)))`;

/**
 * A contract module. `body` holds the entry points; literals made with `Wat.lit` live in a data
 * segment from 1024; the heap (a bump allocator that grows memory on demand) starts at 65536.
 */
class Wat {
  private data: string[] = [];
  private next = 1024;

  /** A fresh Region (from `allocate`) over a literal's bytes. */
  lit(value: string | Uint8Array): string {
    const b = typeof value === "string" ? bytes(value) : value;
    const off = this.next;
    this.data.push(`(data (i32.const ${off}) "${[...b].map((x) => "\\" + x.toString(16).padStart(2, "0")).join("")}")`);
    this.next += b.length + 8;
    if (this.next > 65536) throw new Error("literals too large");
    return `(call $region (i32.const ${off}) (i32.const ${b.length}))`;
  }

  /** `raw`: without the soa_* globals, as uploaded (for prepareCode). */
  module(body: string, opts: { imports?: string; deallocate?: string; pages?: number; raw?: boolean } = {}): Uint8Array {
    const vmGlobals = `
      (global $gas (export "soa_gas_left") (mut i64) (i64.const 0))
      (global $depth (export "soa_depth_left") (mut i32) (i32.const 0))
      (global $trap (export "soa_trap") (mut i32) (i32.const 0))`;
    const src = `(module
      ${opts.imports ?? IMPORTS}
      (memory (export "memory") ${opts.pages ?? 2})
      ${opts.raw ? "" : vmGlobals}
      ${bumpAllocatorWat(65536)}
      (func (export "deallocate") (param $p i32) ${opts.deallocate ?? ""})
      (func $region (param $off i32) (param $len i32) (result i32)
        (local $r i32)
        (local.set $r (call $allocate (i32.const 0)))
        (i32.store (local.get $r) (local.get $off))
        (i32.store offset=4 (local.get $r) (local.get $len))
        (i32.store offset=8 (local.get $r) (local.get $len))
        (local.get $r))
      (func $raw (param $off i32) (param $cap i32) (param $len i32) (result i32)
        (local $r i32)
        (local.set $r (call $allocate (i32.const 0)))
        (i32.store (local.get $r) (local.get $off))
        (i32.store offset=4 (local.get $r) (local.get $cap))
        (i32.store offset=8 (local.get $r) (local.get $len))
        (local.get $r))
      ;; hands a Region's bytes to the test through query_chain (see harness)
      (func $emit (param $p i32) (drop (call $query_chain (local.get $p))))
      ${this.data.join("\n")}
      ${body}
    )`;
    const parsed = wabt.parseWat("test.wat", src);
    try {
      return new Uint8Array(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  }
}

/** `(func (export "execute") …)` returning the Region built by `result`, after running `stmts`. */
function execute(stmts: string, result: string, locals = ""): string {
  return `(func (export "execute") (param $env i32) (param $info i32) (param $msg i32) (result i32) ${locals}
    ${stmts}
    ${result})`;
}

const emptyReader: KVReader = {
  get: () => undefined,
  iterate: () => [],
  iterateReverse: () => [],
};

const api: AddressApi = {
  validate: (h) => (h.startsWith("soa1") ? undefined : "invalid address"),
  canonicalize: (h) => (h.startsWith("soa1") ? bytes(h.slice(4)) : "invalid address"),
  humanize: (c) => (c.length === 0 ? { error: "empty canonical address" } : `soa1${text(c)}`),
};

interface Harness {
  host: HostEnv;
  store: BranchStore;
  /** Bytes the contract passed to `query_chain` (its `$emit` side channel), in order. */
  emitted: Uint8Array[];
  debug: string[];
}

function harness(opts: { gas?: bigint; readonly?: boolean; querier?: Querier; depthLeft?: number } = {}): Harness {
  const store = new BranchStore(emptyReader);
  const emitted: Uint8Array[] = [];
  const debug: string[] = [];
  const querier: Querier =
    opts.querier ??
    ((req) => {
      emitted.push(req);
      return new Uint8Array(0);
    });
  const host: HostEnv = {
    store,
    readonly: opts.readonly ?? false,
    api,
    querier,
    gas: { left: opts.gas ?? 10n ** 15n },
    depthLeft: opts.depthLeft ?? 100,
    debug: (m) => debug.push(m),
  };
  return { host, store, emitted, debug };
}

const checksumOf = (wasm: Uint8Array) => createHash("sha256").update(wasm).digest();

function run(vm: WasmVm, wasm: Uint8Array, host: HostEnv, entry: EntryPoint = "execute", args?: Uint8Array[]): Uint8Array {
  return vm.call(checksumOf(wasm), wasm, entry, args ?? [bytes("{}"), bytes("{}"), bytes("{}")], host);
}

function vmError(f: () => unknown): VmError {
  try {
    f();
  } catch (e) {
    if (e instanceof VmError) return e;
    throw e;
  }
  throw new Error("expected a VmError");
}

// Gas formulas of §3.2, written out independently of runtime.ts.
const read = (n: number) => 200_000n + 115n * BigInt(n);
const write = (n: number) => 230_000n + 570n * BigInt(n);
const sdk = (n: bigint) => n * 140_000n;
const CALL = 18_000n;

describe("WasmVm regions and entry points", () => {
  it("passes arguments as Regions and returns the result Region's bytes", () => {
    const w = new Wat();
    const wasm = w.module(execute("", "(local.get $msg)"));
    const h = harness();
    const out = run(new WasmVm(), wasm, h.host, "execute", [bytes('{"e":1}'), bytes('{"i":2}'), bytes('{"msg":"héllo"}')]);
    expect(text(out)).toBe('{"msg":"héllo"}');
    expect(h.host.gas.left).toBe(10n ** 15n); // arguments and result are not charged
  });

  it("calls deallocate on the result Region", () => {
    const w = new Wat();
    const wasm = w.module(execute("", w.lit('{"ok":{}}')), { deallocate: "(call $debug (local.get $p))" });
    const h = harness();
    expect(text(run(new WasmVm(), wasm, h.host))).toBe('{"ok":{}}');
    expect(h.debug).toEqual(['{"ok":{}}']);
  });

  it("runs query with two arguments and migrate with three", () => {
    const w = new Wat();
    const wasm = w.module(`
      (func (export "query") (param i32 i32) (result i32) (local.get 1))
      (func (export "migrate") (param i32 i32 i32) (result i32) (local.get 2))`);
    const vm = new WasmVm();
    expect(text(run(vm, wasm, harness().host, "query", [bytes("env"), bytes("q")]))).toBe("q");
    expect(text(run(vm, wasm, harness().host, "migrate", [bytes("env"), bytes("m"), bytes("info")]))).toBe("info");
  });

  it("fails with missing_export for an entry point the module lacks", () => {
    const wasm = new Wat().module(execute("", "(local.get $msg)"));
    const e = vmError(() => run(new WasmVm(), wasm, harness().host, "sudo", [bytes("{}"), bytes("{}")]));
    expect(e.kind).toBe("missing_export");
    expect(e.message).toBe("missing export: sudo");
  });

  it("rejects an invalid result Region with kind result", () => {
    const w = new Wat();
    const vm = new WasmVm();
    for (const [result, message] of [
      ["(call $raw (i32.const 0) (i32.const 4) (i32.const 4))", "region has zero offset"],
      ["(call $raw (i32.const 1024) (i32.const 4) (i32.const 5))", "region length exceeds capacity"],
      ["(call $raw (i32.const 16) (i32.const -1) (i32.const 4))", "region capacity overflows"],
      ["(call $raw (i32.const 131000) (i32.const 1000) (i32.const 1000))", "region out of bounds"],
      ["(i32.const 131070)", "region pointer out of bounds"],
    ] as const) {
      const e = vmError(() => run(vm, w.module(execute("", result)), harness().host));
      expect(e.kind, result).toBe("result");
      expect(e.message, result).toBe(message);
    }
  });

  it("rejects invalid import Regions with kind host", () => {
    const w = new Wat();
    const vm = new WasmVm();
    for (const [arg, message] of [
      ["(call $raw (i32.const 0) (i32.const 4) (i32.const 4))", "region has zero offset"],
      ["(call $raw (i32.const 1024) (i32.const 4) (i32.const 5))", "region length exceeds capacity"],
      ["(call $raw (i32.const 131000) (i32.const 1000) (i32.const 1000))", "region out of bounds"],
      ["(call $raw (i32.const 1024) (i32.const 65537) (i32.const 65537))", "region length too big"],
    ] as const) {
      const e = vmError(() => run(vm, w.module(execute(`(drop (call $db_read ${arg}))`, "(local.get $msg)")), harness().host));
      expect(e.kind, arg).toBe("host");
      expect(e.message, arg).toBe(message);
    }
  });

  it("re-creates memory views after the guest grows memory", () => {
    const w = new Wat();
    // execute grows memory itself before the host writes again; db_read's result needs more growth.
    const wasm = w.module(
      execute(`(drop (memory.grow (i32.const 3)))`, `(call $db_read ${w.lit("big")})`),
      { pages: 1 },
    );
    const h = harness();
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    h.store.set(bytes("big"), big);
    const bigArg = new Uint8Array(200_000).fill(9);
    const out = run(new WasmVm(), wasm, h.host, "execute", [bytes("{}"), bigArg, bytes("{}")]);
    expect(Buffer.from(out).equals(Buffer.from(big))).toBe(true);
  });
});

describe("WasmVm storage imports", () => {
  it("db_write, db_read and db_remove round trip, charging exactly", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const writer = w.module(execute(`(call $db_write ${w.lit("key")} ${w.lit("value!")})`, w.lit("{}")));
    const h = harness();
    run(vm, writer, h.host);
    expect(text(h.store.get(bytes("key"))!)).toBe("value!");
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(3) + read(6) + sdk(2000n + 30n * 9n));

    const reader = w.module(execute("", `(call $db_read ${w.lit("key")})`));
    const before = h.host.gas.left;
    expect(text(run(vm, reader, h.host))).toBe("value!");
    expect(before - h.host.gas.left).toBe(CALL + read(3) + sdk(1000n + 3n * 9n) + write(6));

    const remover = w.module(execute(`(call $db_remove ${w.lit("key")})`, w.lit("{}")));
    const before2 = h.host.gas.left;
    run(vm, remover, h.host);
    expect(h.store.get(bytes("key"))).toBeUndefined();
    expect(before2 - h.host.gas.left).toBe(CALL + read(3) + sdk(1000n));
  });

  it("db_read returns 0 for an absent key", () => {
    const w = new Wat();
    const wasm = w.module(
      execute(`(if (call $db_read ${w.lit("nope")}) (then unreachable))`, w.lit("absent")),
    );
    const h = harness();
    expect(text(run(new WasmVm(), wasm, h.host))).toBe("absent");
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(4) + sdk(1000n + 3n * 4n));
  });

  it("refuses writes in read-only calls", () => {
    const w = new Wat();
    const vm = new WasmVm();
    for (const stmt of [`(call $db_write ${w.lit("k")} ${w.lit("v")})`, `(call $db_remove ${w.lit("k")})`]) {
      const h = harness({ readonly: true });
      const e = vmError(() => run(vm, w.module(execute(stmt, w.lit("{}"))), h.host));
      expect(e.kind).toBe("host");
      expect(e.message).toBe("write access denied");
      expect(h.store.size).toBe(0);
    }
  });

  it("rejects an empty value and oversized keys and values", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const cases = [
      [`(call $db_write ${w.lit("k")} (call $raw (i32.const 1024) (i32.const 0) (i32.const 0)))`, "empty value not allowed"],
      [`(call $db_write (call $raw (i32.const 1024) (i32.const 65537) (i32.const 65537)) ${w.lit("v")})`, "region length too big"],
      [`(call $db_write ${w.lit("k")} (call $raw (i32.const 1024) (i32.const 131073) (i32.const 131073)))`, "region length too big"],
    ] as const;
    for (const [stmt, message] of cases) {
      const h = harness();
      const e = vmError(() => run(vm, w.module(execute(stmt, w.lit("{}")), { pages: 4 }), h.host));
      expect(e.message, stmt).toBe(message);
      expect(h.store.size).toBe(0);
    }
    // The limits themselves are fine.
    const h = harness();
    run(vm, w.module(execute(`(call $db_write (call $raw (i32.const 1024) (i32.const 65536) (i32.const 65536)) (call $raw (i32.const 1024) (i32.const 131072) (i32.const 131072)))`, w.lit("{}")), { pages: 4 }), h.host);
    expect(h.store.size).toBe(1);
  });

  function seed(h: Harness): void {
    for (const k of ["a", "b", "c", "d"]) h.store.set(bytes(k), bytes(k.toUpperCase() + k));
  }

  it("db_scan + db_next iterate ascending and descending with an empty key at the end", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const nexts = (it: string, n: number) => Array(n).fill(`(call $emit (call $db_next ${it}))`).join("\n");
    const wasm = w.module(
      execute(
        `(local.set $i (call $db_scan (i32.const 0) (i32.const 0) (i32.const 1)))
         (if (i32.ne (local.get $i) (i32.const 1)) (then unreachable))
         ${nexts("(local.get $i)", 5)}
         (local.set $j (call $db_scan ${w.lit("b")} ${w.lit("d")} (i32.const 2)))
         (if (i32.ne (local.get $j) (i32.const 2)) (then unreachable))
         ${nexts("(local.get $j)", 4)}`,
        w.lit("{}"),
        "(local $i i32) (local $j i32)",
      ),
    );
    const h = harness();
    seed(h);
    run(vm, wasm, h.host);
    const kv = (k: string, v: string) => encodeSections([bytes(k), bytes(v)]);
    const end = encodeSections([new Uint8Array(0), new Uint8Array(0)]);
    expect(h.emitted).toEqual([kv("a", "Aa"), kv("b", "Bb"), kv("c", "Cc"), kv("d", "Dd"), end, kv("c", "Cc"), kv("b", "Bb"), end, end]);
    expect([...end]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...kv("a", "Aa")]).toEqual([0x61, 0, 0, 0, 1, 0x41, 0x61, 0, 0, 0, 2]);
  });

  it("db_next_key and db_next_value return 0 at the end", () => {
    const w = new Wat();
    const step = (f: string) => `(local.set $p (call ${f} (local.get $i)))
      (if (local.get $p) (then (call $emit (local.get $p))) (else (call $emit ${w.lit("END")})))`;
    const wasm = w.module(
      execute(
        `(local.set $i (call $db_scan ${w.lit("b")} (i32.const 0) (i32.const 1)))
         ${step("$db_next_key")} ${step("$db_next_value")} ${step("$db_next_key")} ${step("$db_next_key")}
         (local.set $i (call $db_scan (i32.const 0) ${w.lit("c")} (i32.const 2)))
         ${step("$db_next_value")} ${step("$db_next_key")} ${step("$db_next_value")}`,
        w.lit("{}"),
        "(local $i i32) (local $p i32)",
      ),
    );
    const h = harness();
    seed(h);
    run(new WasmVm(), wasm, h.host);
    expect(h.emitted.map(text)).toEqual(["b", "Cc", "d", "END", "Bb", "a", "END"]);
  });

  it("charges db_scan and db_next exactly", () => {
    const w = new Wat();
    const wasm = w.module(
      execute(
        `(local.set $i (call $db_scan ${w.lit("a")} (i32.const 0) (i32.const 1)))
         (drop (call $db_next (local.get $i)))`,
        w.lit("{}"),
        "(local $i i32)",
      ),
    );
    const h = harness();
    h.store.set(bytes("a"), bytes("xyz"));
    run(new WasmVm(), wasm, h.host);
    const scan = CALL + read(1);
    const next = CALL + sdk(KV_GAS.iterNextCostFlat + 3n * 4n) + write(1 + 4 + 3 + 4);
    expect(10n ** 15n - h.host.gas.left).toBe(scan + next);
  });

  it("sees writes made after db_scan in a descending iterator, and iterators end cleanly", () => {
    const w = new Wat();
    const wasm = w.module(
      execute(
        `(local.set $i (call $db_scan (i32.const 0) (i32.const 0) (i32.const 2)))
         (call $db_write ${w.lit("z")} ${w.lit("Zz")})
         (call $emit (call $db_next_key (local.get $i)))`,
        w.lit("{}"),
        "(local $i i32)",
      ),
    );
    const h = harness();
    seed(h);
    run(new WasmVm(), wasm, h.host);
    expect(h.emitted.map(text)).toEqual(["z"]);
  });

  it("rejects a bad order and an unknown iterator id", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const bad = vmError(() => run(vm, w.module(execute(`(drop (call $db_scan (i32.const 0) (i32.const 0) (i32.const 3)))`, w.lit("{}"))), harness().host));
    expect([bad.kind, bad.message]).toEqual(["host", "invalid iteration order"]);
    for (const id of [0, 1, 7]) {
      const e = vmError(() => run(vm, w.module(execute(`(drop (call $db_next (i32.const ${id})))`, w.lit("{}"))), harness().host));
      expect([e.kind, e.message]).toEqual(["host", "iterator does not exist"]);
    }
  });
});

describe("WasmVm address imports", () => {
  it("addr_validate returns 0 or an error Region, charging 9 SDK gas", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const ok = w.module(execute(`(if (call $addr_validate ${w.lit("soa1abc")}) (then unreachable))`, w.lit("ok")));
    const h = harness();
    expect(text(run(vm, ok, h.host))).toBe("ok");
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(7) + 9n * GAS_MULTIPLIER);

    const errs: [string | Uint8Array, string][] = [
      ["cosmos1abc", "invalid address"],
      ["", "Input is empty"],
      [new Uint8Array([0x73, 0xff, 0x61]), "Input is not valid UTF-8"],
    ];
    for (const [input, message] of errs) {
      const bad = w.module(execute("", `(call $addr_validate ${w.lit(input)})`));
      expect(text(run(vm, bad, harness().host))).toBe(message);
    }
  });

  it("addr_canonicalize and addr_humanize write into the caller's Region", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const canon = w.module(
      execute(
        `(local.set $d (call $allocate (i32.const 64)))
         (if (call $addr_canonicalize ${w.lit("soa1xyz")} (local.get $d)) (then unreachable))`,
        "(local.get $d)",
        "(local $d i32)",
      ),
    );
    const h = harness();
    expect(text(run(vm, canon, h.host))).toBe("xyz");
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(7) + 4n * GAS_MULTIPLIER + write(3));

    const human = w.module(
      execute(
        `(local.set $d (call $allocate (i32.const 90)))
         (if (call $addr_humanize ${w.lit("xyz")} (local.get $d)) (then unreachable))`,
        "(local.get $d)",
        "(local $d i32)",
      ),
    );
    const h2 = harness();
    expect(text(run(vm, human, h2.host))).toBe("soa1xyz");
    expect(10n ** 15n - h2.host.gas.left).toBe(CALL + read(3) + 5n * GAS_MULTIPLIER + write(7));

    const humanErr = w.module(execute("", `(call $addr_humanize ${w.lit("")} (call $allocate (i32.const 90)))`));
    expect(text(run(vm, humanErr, harness().host))).toBe("empty canonical address");
    const canonErr = w.module(execute("", `(call $addr_canonicalize ${w.lit("x")} (call $allocate (i32.const 64)))`));
    expect(text(run(vm, canonErr, harness().host))).toBe("invalid address");

    const small = w.module(execute(`(drop (call $addr_humanize ${w.lit("xyz")} (call $allocate (i32.const 2))))`, w.lit("{}")));
    expect(vmError(() => run(vm, small, harness().host)).message).toBe("region too small");
  });
});

describe("WasmVm failures", () => {
  it("charges host_call_cost per import and runs out of gas inside a host call", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const wasm = w.module(execute(`(call $debug ${w.lit("hello")}) (call $debug ${w.lit("world")})`, w.lit("{}")));
    const h = harness({ gas: 100_000n });
    run(vm, wasm, h.host);
    expect(h.debug).toEqual(["hello", "world"]);
    expect(h.host.gas.left).toBe(100_000n - 2n * CALL);

    const writer = w.module(execute(`(call $db_write ${w.lit("k")} ${w.lit("v")})`, w.lit("{}")));
    const short = harness({ gas: CALL + read(1) + read(1) + sdk(2000n + 60n) - 1n });
    const e = vmError(() => run(vm, writer, short.host));
    expect([e.kind, e.message]).toEqual(["out_of_gas", "out of gas"]);
    expect(short.host.gas.left).toBe(0n);
    expect(short.store.size).toBe(0);

    const exact = harness({ gas: CALL + read(1) + read(1) + sdk(2000n + 60n) });
    run(vm, writer, exact.host);
    expect(exact.host.gas.left).toBe(0n);
    expect(exact.store.size).toBe(1);

    const none = harness({ gas: CALL - 1n });
    expect(vmError(() => run(vm, wasm, none.host)).kind).toBe("out_of_gas");
    expect(none.debug).toEqual([]);
  });

  it("maps env.abort to aborted with the contract's message", () => {
    const w = new Wat();
    const wasm = w.module(execute(`(call $abort ${w.lit("panicked at 'boom' ✗")})`, w.lit("{}")));
    const e = vmError(() => run(new WasmVm(), wasm, harness().host));
    expect(e.kind).toBe("aborted");
    expect(e.message).toBe("Aborted: panicked at 'boom' ✗");
  });

  it("maps traps to fixed messages and the instrumentation's trap codes to out_of_gas / call_depth", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const cases = [
      ["unreachable", "trap", "wasm trap"],
      ["(drop (i32.load (i32.const -4)))", "trap", "wasm trap"],
      ["(drop (i32.div_u (i32.const 1) (i32.const 0)))", "trap", "wasm trap"],
      ["(global.set $trap (i32.const 1)) unreachable", "out_of_gas", "out of gas"],
      ["(global.set $trap (i32.const 2)) unreachable", "call_depth", "call depth exceeded"],
    ] as const;
    for (const [stmt, kind, message] of cases) {
      const h = harness({ gas: 777n });
      const e = vmError(() => run(vm, w.module(execute(stmt, w.lit("{}"))), h.host));
      expect([e.kind, e.message], stmt).toEqual([kind, message]);
      expect(h.host.gas.left).toBe(777n);
    }
  });

  it("sets soa_gas_left and soa_depth_left before the call and reads gas back after", () => {
    const w = new Wat();
    // Gas above i63 is handed over as u64: the i64 global then reads as a negative number.
    const wasm = w.module(
      execute(
        `(if (i32.ne (global.get $depth) (i32.const 42)) (then unreachable))
         (if (i64.ne (global.get $gas) (i64.const -2)) (then unreachable))
         (global.set $gas (i64.const -3))`,
        w.lit("{}"),
      ),
    );
    const h = harness({ gas: (1n << 64n) - 2n, depthLeft: 42 });
    run(new WasmVm(), wasm, h.host);
    expect(h.host.gas.left).toBe((1n << 64n) - 3n);
    // More than u64 is clamped.
    const h2 = harness({ gas: 1n << 70n, depthLeft: 42 });
    const e = vmError(() => run(new WasmVm(), wasm, h2.host));
    expect(e.kind).toBe("trap");
    expect(h2.host.gas.left).toBe((1n << 64n) - 1n);
  });

  it("treats a stack overflow and a throwing querier as fatal, not as a tx result", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const recurse = w.module(`
      (func $f (param i32) (result i32) (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
      ${execute("(drop (call $f (i32.const 0)))", w.lit("{}"))}`);
    expect(() => run(vm, recurse, harness().host)).toThrow(VmFatalError);

    const querying = w.module(execute(`(drop (call $query_chain ${w.lit("{}")}))`, w.lit("{}")));
    const h = harness({
      querier: () => {
        throw new TypeError("keeper bug");
      },
    });
    let caught: unknown;
    try {
      run(vm, querying, h.host);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(VmFatalError);
    expect((caught as VmFatalError).fatal).toBe(true);
    expect((caught as VmFatalError).cause).toBeInstanceOf(TypeError);
  });
});

describe("WasmVm module cache", () => {
  it("counts hits and misses and evicts the least recently used module", () => {
    const w = new Wat();
    const mods = ["a", "b", "c"].map((s) => w.module(execute("", w.lit(s))));
    const vm = new WasmVm({ cacheSize: 2 });
    const go = (i: number) => text(run(vm, mods[i]!, harness().host));
    expect(go(0)).toBe("a");
    expect(go(1)).toBe("b");
    expect(go(0)).toBe("a"); // hit; b is now the oldest
    expect(vm.metrics).toEqual({ hits: 1, misses: 2, size: 2 });
    expect(go(2)).toBe("c"); // evicts b
    expect(vm.metrics).toEqual({ hits: 1, misses: 3, size: 2 });
    expect(go(0)).toBe("a");
    expect(vm.metrics).toEqual({ hits: 2, misses: 3, size: 2 });
    expect(go(1)).toBe("b");
    expect(vm.metrics).toEqual({ hits: 2, misses: 4, size: 2 });
  });

  it("gives every call a fresh instance", () => {
    const w = new Wat();
    const wasm = w.module(`
      (global $n (mut i32) (i32.const 0))
      ${execute("(global.set $n (i32.add (global.get $n) (i32.const 1))) (if (i32.ne (global.get $n) (i32.const 1)) (then unreachable))", w.lit("{}"))}`);
    const vm = new WasmVm();
    run(vm, wasm, harness().host);
    run(vm, wasm, harness().host);
    expect(vm.metrics.hits).toBe(1);
  });
});

describe("WasmVm query_chain", () => {
  it("runs a nested contract through the querier on the shared gas object", () => {
    const vm = new WasmVm();
    const wi = new Wat();
    const inner = wi.module(`(func (export "query") (param $env i32) (param $msg i32) (result i32)
      (call $debug (local.get $msg))
      (call $db_read ${wi.lit("n")}))`);
    const innerStore = new BranchStore(emptyReader);
    innerStore.set(bytes("n"), bytes('{"ok":"NDI="}'));

    const wo = new Wat();
    const outer = wo.module(execute("", `(call $query_chain ${wo.lit('{"wasm":{"smart":{}}}')})`));
    const seen: { depth: number; gasAtQuery: bigint }[] = [];
    const debug: string[] = [];
    const h = harness({
      depthLeft: 9,
      querier: (req, gas, depthLeft) => {
        seen.push({ depth: depthLeft, gasAtQuery: gas.left });
        const nested: HostEnv = { store: innerStore, readonly: true, api, querier: () => new Uint8Array(0), gas, depthLeft: depthLeft - 1, debug: (m) => debug.push(m) };
        return vm.call(checksumOf(inner), inner, "query", [bytes("{}"), req], nested);
      },
    });
    const start = h.host.gas.left;
    const out = run(vm, outer, h.host);
    expect(text(out)).toBe('{"ok":"NDI="}');
    expect(debug).toEqual(['{"wasm":{"smart":{}}}']);
    expect(seen).toEqual([{ depth: 9, gasAtQuery: start - CALL - read(21) }]);
    const innerCost = CALL + CALL + read(1) + sdk(1000n + 3n * 14n) + write(13);
    expect(start - h.host.gas.left).toBe(CALL + read(21) + innerCost + write(13));
  });

  it("propagates a nested contract's VmError and leaves the shared gas consistent", () => {
    const vm = new WasmVm();
    const wi = new Wat();
    const inner = wi.module(`(func (export "query") (param i32 i32) (result i32)
      (call $db_write ${wi.lit("k")} ${wi.lit("v")}) ${wi.lit("{}")})`);
    const wo = new Wat();
    const outer = wo.module(execute("", `(call $query_chain ${wo.lit("{}")})`));
    const h = harness({
      querier: (req, gas, depthLeft) =>
        vm.call(checksumOf(inner), inner, "query", [bytes("{}"), req], { ...harness().host, readonly: true, gas, depthLeft }),
    });
    const start = h.host.gas.left;
    const e = vmError(() => run(vm, outer, h.host));
    expect([e.kind, e.message]).toEqual(["host", "write access denied"]);
    expect(start - h.host.gas.left).toBe(CALL + read(2) + CALL);
  });
});

describe("WasmVm with prepareCode", () => {
  /** Uploaded bytes → instrumented bytes, as MsgStoreCode does. */
  function prepared(w: Wat, body: string): Uint8Array {
    return prepareCode(w.module(body, { raw: true })).instrumented;
  }

  it("runs an instrumented contract, charging wasm execution on top of host costs, deterministically", () => {
    const w = new Wat();
    const wasm = prepared(w, execute(`(call $db_write ${w.lit("key")} (local.get $msg))`, `(call $db_read ${w.lit("key")})`));
    const vm = new WasmVm();
    const used: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const h = harness({ depthLeft: CALL_STACK_BUDGET });
      expect(text(run(vm, wasm, h.host, "execute", [bytes("{}"), bytes("{}"), bytes('{"v":1}')]))).toBe('{"v":1}');
      used.push(10n ** 15n - h.host.gas.left);
    }
    const host = CALL + read(3) + read(7) + sdk(2000n + 300n) + CALL + read(3) + sdk(1000n + 30n) + write(7);
    expect(used[0]! > host).toBe(true);
    expect(new Set(used).size).toBe(1);
  });

  it("fails with out_of_gas at exactly one point less than the gas used, wherever it runs out", () => {
    const w = new Wat();
    const wasm = prepared(w, execute(`(call $db_write ${w.lit("key")} (local.get $msg))`, `(call $db_read ${w.lit("key")})`));
    const vm = new WasmVm();
    const args = [bytes("{}"), bytes("{}"), bytes('{"v":1}')];
    const full = harness({ depthLeft: CALL_STACK_BUDGET });
    run(vm, wasm, full.host, "execute", args);
    const used = 10n ** 15n - full.host.gas.left;

    const exact = harness({ gas: used, depthLeft: CALL_STACK_BUDGET });
    expect(text(run(vm, wasm, exact.host, "execute", args))).toBe('{"v":1}');
    expect(exact.host.gas.left).toBe(0n);

    // Budgets that run out in wasm, in allocate called by the host, and in a host function.
    for (const gas of [used - 1n, used / 2n, 20_000n, 1n, 0n]) {
      const h = harness({ gas, depthLeft: CALL_STACK_BUDGET });
      const e = vmError(() => run(vm, wasm, h.host, "execute", args));
      expect(e.kind, String(gas)).toBe("out_of_gas");
      expect(h.host.gas.left, String(gas)).toBe(0n);
    }
  });

  it("stops unbounded recursion with call_depth before V8's stack runs out", () => {
    const w = new Wat();
    const wasm = prepared(
      w,
      `(func $f (param i32) (result i32) (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
       ${execute("(drop (call $f (i32.const 0)))", w.lit("{}"))}`,
    );
    const h = harness({ depthLeft: CALL_STACK_BUDGET });
    const e = vmError(() => run(new WasmVm(), wasm, h.host));
    expect([e.kind, e.message]).toEqual(["call_depth", "call depth exceeded"]);
    expect(h.host.gas.left > 0n).toBe(true);
  });

  it("passes the remaining depth to the querier and shares gas with a nested instrumented contract", () => {
    const vm = new WasmVm();
    const wi = new Wat();
    const inner = prepared(wi, `(func (export "query") (param $env i32) (param $msg i32) (result i32) (local.get $msg))`);
    const wo = new Wat();
    const outerBody = execute("", `(call $query_chain ${wo.lit('{"x":1}')})`);
    const outer = prepared(wo, outerBody);
    const depths: number[] = [];
    let innerUsed = 0n;
    const h = harness({
      depthLeft: CALL_STACK_BUDGET,
      querier: (req, gas, depthLeft) => {
        depths.push(depthLeft);
        const before = gas.left;
        const out = vm.call(checksumOf(inner), inner, "query", [bytes("{}"), req], { ...harness().host, readonly: true, gas, depthLeft });
        innerUsed = before - gas.left;
        return out;
      },
    });
    expect(text(run(vm, outer, h.host))).toBe('{"x":1}');
    // The host's call of execute and the guarded call of query_chain itself are charged when the
    // querier runs; $region's call to allocate has returned (and given its slots back).
    const entry = stackCosts(wo.module(outerBody, { raw: true })).exports["execute"]!;
    expect(depths).toEqual([CALL_STACK_BUDGET - entry - IMPORT_CALL_SLOTS]);
    expect(innerUsed > 0n).toBe(true);

    // Inner gas is part of the outer call's gas: the same call without the nested work costs less by it.
    const h2 = harness({ depthLeft: CALL_STACK_BUDGET, querier: () => bytes('{"x":1}') });
    run(vm, outer, h2.host);
    expect(h2.host.gas.left - h.host.gas.left).toBe(innerUsed);
  });
});

describe("WasmVm crypto imports", () => {
  const secret = new Uint8Array(32).fill(7);
  const hash = createHash("sha256").update("message").digest();
  const recovered = secp256k1.sign(hash, secret, { prehash: false, format: "recovered" });
  const sig = recovered.slice(1);
  const recid = recovered[0]!;
  const pubkey = secp256k1.getPublicKey(secret, false);

  it("secp256k1_recover_pubkey returns an i64: Region pointer low, error code high", () => {
    const w = new Wat();
    const wasm = w.module(
      execute(
        `(local.set $r (call $secp256k1_recover_pubkey ${w.lit(hash)} ${w.lit(sig)} (i32.const ${recid})))
         (if (i64.ne (i64.shr_u (local.get $r) (i64.const 32)) (i64.const 0)) (then unreachable))`,
        "(i32.wrap_i64 (local.get $r))",
        "(local $r i64)",
      ),
    );
    const h = harness();
    const out = run(new WasmVm(), wasm, h.host);
    expect(Buffer.from(out).equals(Buffer.from(pubkey))).toBe(true);
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(32) + read(64) + GAS_SECP256K1_RECOVER_PUBKEY + write(65));

    // Errors: code 6 in the high half and no Region. A param beyond u8 costs no crypto gas.
    for (const [param, cost] of [
      [2, GAS_SECP256K1_RECOVER_PUBKEY],
      [256, 0n],
    ] as const) {
      const bad = w.module(
        execute(
          `(if (i64.ne (call $secp256k1_recover_pubkey ${w.lit(hash)} ${w.lit(sig)} (i32.const ${param})) (i64.const 0x600000000))
             (then unreachable))`,
          w.lit("{}"),
        ),
      );
      const hb = harness();
      run(new WasmVm(), bad, hb.host);
      expect(10n ** 15n - hb.host.gas.left, String(param)).toBe(CALL + read(32) + read(64) + cost);
    }
  });

  it("secp256k1_verify returns 0 / 1 / format codes and charges the verify cost", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const bad = Uint8Array.from(sig);
    bad[5]! ^= 1;
    for (const [s, pk, code] of [
      [sig, pubkey, 0],
      [bad, pubkey, 1],
      [sig.subarray(0, 63), pubkey, 4],
      [sig, pubkey.subarray(1, 34), 5],
    ] as const) {
      const wasm = w.module(
        execute(`(if (i32.ne (call $secp256k1_verify ${w.lit(hash)} ${w.lit(s)} ${w.lit(pk)}) (i32.const ${code})) (then unreachable))`, w.lit("{}")),
      );
      const h = harness();
      run(vm, wasm, h.host);
      expect(10n ** 15n - h.host.gas.left, String(code)).toBe(CALL + read(32) + read(s.length) + read(pk.length) + GAS_SECP256K1_VERIFY);
    }
    // Inputs beyond the Region limits are VM errors, not codes.
    const long = w.module(execute(`(drop (call $secp256k1_verify ${w.lit(new Uint8Array(33))} ${w.lit(sig)} ${w.lit(pubkey)}))`, w.lit("{}")));
    expect(vmError(() => run(vm, long, harness().host)).message).toBe("region length too big");
  });

  it("ed25519_verify and ed25519_batch_verify (sections) give CosmWasm's codes", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const sk = new Uint8Array(32).fill(3);
    const pk = ed25519.getPublicKey(sk);
    const msgs = [bytes("one"), bytes("two")];
    const sigs = msgs.map((m) => ed25519.sign(m, sk));
    const single = w.module(
      execute(`(if (call $ed25519_verify ${w.lit(msgs[0]!)} ${w.lit(sigs[0]!)} ${w.lit(pk)}) (then unreachable))`, w.lit("{}")),
    );
    const h = harness();
    run(vm, single, h.host);
    expect(10n ** 15n - h.host.gas.left).toBe(CALL + read(3) + read(64) + read(32) + GAS_ED25519_VERIFY);

    const m = encodeSections(msgs);
    const sg = encodeSections(sigs);
    const pks = encodeSections([pk, pk]);
    const batch = (ms: Uint8Array, code: number) =>
      w.module(execute(`(if (i32.ne (call $ed25519_batch_verify ${w.lit(ms)} ${w.lit(sg)} ${w.lit(pks)}) (i32.const ${code})) (then unreachable))`, w.lit("{}")));
    const hb = harness();
    run(vm, batch(m, 0), hb.host);
    expect(10n ** 15n - hb.host.gas.left).toBe(CALL + read(m.length) + read(sg.length) + read(pks.length) + GAS_ED25519_BATCH_VERIFY.base + 2n * GAS_ED25519_BATCH_VERIFY.perItem);
    run(vm, batch(encodeSections([msgs[1]!, msgs[0]!]), 1), harness().host);
    const e = vmError(() => run(vm, batch(m.subarray(0, m.length - 1), 0), harness().host));
    expect([e.kind, e.message]).toEqual(["host", "invalid section encoding"]);
  });

  it("bls12_381_hash_to_g1 writes the point into the caller's Region, or returns a code", () => {
    const w = new Wat();
    const vm = new WasmVm();
    const wasm = w.module(
      execute(
        `(local.set $out (call $allocate (i32.const 48)))
         (if (call $bls12_381_hash_to_g1 (i32.const 0) ${w.lit("abc")} ${w.lit("QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_")} (local.get $out))
           (then unreachable))`,
        "(local.get $out)",
        "(local $out i32)",
      ),
    );
    const out = run(vm, wasm, harness().host);
    expect(out.length).toBe(48);
    const unknown = w.module(
      execute(`(if (i32.ne (call $bls12_381_hash_to_g1 (i32.const 1) ${w.lit("abc")} ${w.lit("d")} (call $allocate (i32.const 48))) (i32.const 9)) (then unreachable))`, w.lit("{}")),
    );
    run(vm, unknown, harness().host);
  });

  it("provides every import validate.ts accepts", async () => {
    const { SUPPORTED_IMPORTS } = await import("./validate.js");
    const w = new Wat();
    const imports = [...SUPPORTED_IMPORTS].map(([name, t], i) => {
      const params = t.params.length ? `(param ${t.params.map((p) => (p === 0x7e ? "i64" : "i32")).join(" ")})` : "";
      const results = t.results.length ? `(result ${t.results.map((r) => (r === 0x7e ? "i64" : "i32")).join(" ")})` : "";
      return `(import "env" "${name}" (func $imp${i} ${params} ${results}))`;
    });
    const wasm = w.module(execute("", w.lit("{}")), { imports: `${IMPORTS_EMIT}\n${imports.join("\n")}` });
    expect(text(run(new WasmVm(), wasm, harness().host))).toBe("{}");
  });
});
