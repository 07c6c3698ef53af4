import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { Reader, Writer, parseModule } from "./binary.js";
import { prepareCode } from "./instrument.js";
import { OPCODES, fcKey } from "./opcodes.js";
import { SUPPORTED_CAPABILITIES, WasmValidationError, validateModule } from "./validate.js";

const wabt = await wabtInit();
type Features = Parameters<typeof wabt.parseWat>[2];
const engine = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;

function wat(text: string, features: Features = {}): Uint8Array {
  const mod = wabt.parseWat("t.wat", text, features);
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

const BASE = {
  memory: `(memory (export "memory") 1)`,
  marker: `(func (export "interface_version_8"))`,
  alloc: `(func (export "allocate") (param i32) (result i32) i32.const 8)`,
  dealloc: `(func (export "deallocate") (param i32))`,
};
type Part = keyof typeof BASE;

/** A minimal contract with `body` added; `omit` drops required parts to test their rules. */
function contract(body = "", omit: Part[] = [], features: Features = {}): Uint8Array {
  const parts = (Object.keys(BASE) as Part[]).filter((k) => !omit.includes(k)).map((k) => BASE[k]);
  return wat(`(module ${body} ${parts.join("\n")})`, features);
}

function rejects(wasm: Uint8Array, message: string | RegExp): void {
  expect(() => validateModule(wasm)).toThrow(WasmValidationError);
  expect(() => validateModule(wasm)).toThrow(message);
}

describe("opcode table", () => {
  it("covers MVP numerics, sign extension and saturating truncation with the right classes", () => {
    expect(OPCODES.get(0x45)!.name).toBe("i32.eqz");
    expect(OPCODES.get(0xbf)!.name).toBe("f64.reinterpret_i64");
    expect(OPCODES.get(0xc4)!.name).toBe("i64.extend32_s");
    expect(OPCODES.get(fcKey(7))!.name).toBe("i64.trunc_sat_f64_u");
    expect(OPCODES.has(fcKey(8))).toBe(false);
    const nan = [...OPCODES.values()].filter((o) => o.nan).map((o) => o.name);
    expect(nan).toContain("f32.div");
    expect(nan).toContain("f64.promote_f32");
    expect(nan).not.toContain("f32.abs");
    expect(nan).not.toContain("f64.reinterpret_i64");
    expect(nan).toHaveLength(24);
    const accounting = [...OPCODES.values()].filter((o) => o.accounting).map((o) => o.name);
    expect(accounting.sort()).toEqual(["br", "br_if", "br_table", "call", "call_indirect", "else", "end", "if", "loop", "return", "unreachable"]);
  });

  it("gives every instruction a stack effect (fixed, or modelled by the stack-height analysis)", () => {
    const ops = [...OPCODES.values()];
    const special = ops.filter((o) => o.stack === "special").map((o) => o.name);
    expect(special.sort()).toEqual(["block", "br", "br_if", "br_table", "call", "call_indirect", "else", "end", "if", "loop", "return", "unreachable"]);
    const effect = (name: string) => {
      const o = ops.find((x) => x.name === name)!;
      return [o.pop, o.push];
    };
    // MVP numerics: 76 binary operators and comparisons, the rest unary; all push one value.
    const numeric = ops.filter((o) => /^[if](32|64)\./.test(o.name) && o.imm === "none");
    expect(numeric.every((o) => o.push === 1 && (o.pop === 1 || o.pop === 2))).toBe(true);
    expect(numeric.filter((o) => o.pop === 2)).toHaveLength(76);
    for (const name of ["i32.add", "i64.rem_u", "f32.copysign", "f64.min", "i32.lt_u", "f64.ge", "i64.rotr", "i32.shr_s"]) expect(effect(name), name).toEqual([2, 1]);
    for (const name of ["i32.eqz", "i64.clz", "f32.trunc", "f64.sqrt", "i32.trunc_f32_s", "i64.extend_i32_u", "f32.demote_f64", "i64.extend32_s", "i32.trunc_sat_f64_u", "f64.reinterpret_i64"]) {
      expect(effect(name), name).toEqual([1, 1]);
    }
    expect([effect("select"), effect("drop"), effect("local.tee"), effect("global.set"), effect("nop")]).toEqual([[3, 1], [1, 0], [1, 1], [1, 0], [0, 0]]);
    expect([effect("i64.load32_u"), effect("f64.store"), effect("memory.size"), effect("memory.grow"), effect("f32.const")]).toEqual([[1, 1], [2, 0], [0, 1], [1, 1], [0, 1]]);
  });
});

describe("binary reader", () => {
  it("decodes and rejects LEB128 edge cases", () => {
    expect(new Reader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f])).u32()).toBe(0xffffffff);
    expect(() => new Reader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x1f])).u32()).toThrow(WasmValidationError);
    expect(() => new Reader(new Uint8Array([0x80, 0x80])).u32()).toThrow("unexpected end of data");
    const ok = (b: number[], bits: 32 | 64) => () => new Reader(new Uint8Array(b)).skipSigned(bits);
    expect(ok([0xff, 0xff, 0xff, 0xff, 0x7f], 32)).not.toThrow(); // -1
    expect(ok([0x80, 0x80, 0x80, 0x80, 0x78], 32)).not.toThrow(); // i32 min
    expect(ok([0x80, 0x80, 0x80, 0x80, 0x70], 32)).toThrow("out of range");
    expect(ok([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], 64)).not.toThrow();
    expect(ok([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 64)).toThrow("out of range");
  });

  it("round-trips signed LEB128 through the writer", () => {
    for (const v of [0n, 1n, -1n, 63n, 64n, -64n, -65n, 1n << 62n, -(1n << 63n), (1n << 63n) - 1n]) {
      const b = new Writer().sleb(v).finish();
      expect(() => new Reader(b).skipSigned(64)).not.toThrow();
      expect(new Reader(b).end).toBe(b.length);
    }
    expect([...new Writer().sleb(-1n).finish()]).toEqual([0x7f]);
    expect([...new Writer().sleb(64n).finish()]).toEqual([0xc0, 0x00]);
    expect([...new Writer().u32(624485).finish()]).toEqual([0xe5, 0x8e, 0x26]);
  });

  it("rejects bad magic, bad version and truncation cleanly", () => {
    const good = contract();
    rejects(new Uint8Array([1, 2, 3]), "too short");
    rejects(Uint8Array.from([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), "bad magic");
    rejects(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), "version");
    for (let n = 8; n < good.length; n++) expect(() => validateModule(good.subarray(0, n))).toThrow(WasmValidationError);
  });
});

describe("module shape rules", () => {
  it("accepts a minimal contract and analyses it", () => {
    const v = validateModule(
      contract(`
        (func (export "instantiate") (param i32 i32 i32) (result i32) i32.const 0)
        (func (export "query") (param i32 i32) (result i32) i32.const 0)
        (func (export "migrate") (param i32 i32 i32) (result i32) i32.const 0)
        (func (export "requires_staking")) (func (export "requires_iterator"))`),
    );
    expect(v.entryPoints).toEqual(["instantiate", "migrate", "query"]);
    expect(v.capabilities).toEqual(["iterator", "staking"]);
    expect(v.migrateArity).toBe(3);
    expect(v.migrateVersion).toBeUndefined();
  });

  it("memory: exactly one, defined, exported as memory, ≤ 512 pages, no maximum", () => {
    rejects(contract("", ["memory"]), "exactly one memory, found 0");
    rejects(contract(`(memory 1)`, [], { multi_memory: true } as Features), /exactly one memory|memory/);
    rejects(wat(`(module (import "env" "mem" (memory 1)) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`), "import env.mem is a memory; only functions may be imported");
    rejects(wat(`(module (memory 1) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`), 'the memory must be exported as "memory"');
    rejects(wat(`(module (memory (export "memory") 513) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`), "memory initial size 513 pages exceeds 512 pages");
    rejects(wat(`(module (memory (export "memory") 1 2) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`), "memory maximum must be unset");
    rejects(wat(`(module (memory (export "memory") 1 2 shared) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`, { threads: true }), "shared memory (threads) is not allowed");
    expect(() => validateModule(wat(`(module (memory (export "memory") 512) ${BASE.marker} ${BASE.alloc} ${BASE.dealloc})`))).not.toThrow();
  });

  it("tables: at most one, with a maximum ≤ 2500", () => {
    expect(() => validateModule(contract(`(table 1 2500 funcref)`))).not.toThrow();
    rejects(contract(`(table 1 2501 funcref)`), "table maximum 2501 exceeds 2500 elements");
    rejects(contract(`(table 1 funcref)`), "the table must declare a maximum size");
    rejects(contract(`(table 1 1 funcref) (table 1 1 funcref)`), "module defines 2 tables (max 1)");
    rejects(contract(`(table 1 1 externref)`), "table element type externref is not allowed");
  });

  it("interface marker, allocate and deallocate", () => {
    rejects(contract("", ["marker"]), "missing the interface_version_8 export");
    rejects(contract(`(func (export "interface_version_7"))`, ["marker"]), "unsupported interface version export interface_version_7");
    rejects(contract(`(func (export "interface_version_9"))`), "more than one interface_version_* export: interface_version_8, interface_version_9");
    rejects(contract("", ["alloc"]), "missing the allocate export");
    rejects(contract("", ["dealloc"]), "missing the deallocate export");
    rejects(contract(`(func (export "allocate") (param i64) (result i32) i32.const 8)`, ["alloc"]), "export allocate has signature (i64) -> (i32), expected (i32) -> (i32)");
    rejects(contract(`(global (export "allocate") i32 (i32.const 0))`, ["alloc"]), "export allocate must be a function");
  });

  it("entry points must have the CosmWasm signatures", () => {
    rejects(contract(`(func (export "execute") (param i32 i32) (result i32) i32.const 0)`), "entry point execute has signature (i32, i32) -> (i32), expected (i32, i32, i32) -> (i32)");
    rejects(contract(`(func (export "migrate") (param i32) (result i32) i32.const 0)`), "expected (i32, i32) -> (i32) or (i32, i32, i32) -> (i32)");
    expect(validateModule(contract(`(func (export "migrate") (param i32 i32) (result i32) i32.const 0)`)).migrateArity).toBe(2);
  });

  it("imports: env only, supported names, exact signatures, ≤ 100", () => {
    expect(() => validateModule(contract(`(import "env" "db_read" (func (param i32) (result i32))) (import "env" "secp256k1_recover_pubkey" (func (param i32 i32 i32) (result i64)))`))).not.toThrow();
    rejects(contract(`(import "wasi" "fd_write" (func (param i32) (result i32)))`), 'import wasi.fd_write: only imports from module "env" are allowed');
    rejects(contract(`(import "env" "seed" (func (result i32)))`), "import env.seed is not supported by this chain");
    rejects(contract(`(import "env" "db_read" (func (param i32)))`), "import env.db_read has signature (i32) -> (), expected (i32) -> (i32)");
    rejects(contract(`(import "env" "g" (global i32))`), "import env.g is a global; only functions may be imported");
    rejects(contract(`(import "env" "t" (table 1 funcref))`), "import env.t is a table");
    const many = Array.from({ length: 101 }, () => `(import "env" "debug" (func (param i32)))`).join("");
    rejects(contract(many), "module has 101 imports (max 100)");
  });

  it("capabilities must be in the chain's set", () => {
    expect(SUPPORTED_CAPABILITIES).toContain("cosmwasm_2_2");
    rejects(contract(`(func (export "requires_ibc2")) (func (export "requires_cosmwasm_3_0")) (func (export "requires_staking"))`), "contract requires unavailable capabilities: cosmwasm_3_0, ibc2");
  });

  it("function limits", () => {
    const p = (n: number, t = "i32") => Array.from({ length: n }, () => t).join(" ");
    rejects(contract(`(func (param ${p(101)}))`), /type \d+ has 101 parameters \(max 100\)/);
    rejects(contract(`(func (result i32 i32) i32.const 0 i32.const 0)`), "results (max 1; multi-value is not allowed)");
    rejects(contract(`(func (local ${p(101)}))`), /function \d+ has 101 locals \(max 100\)/);
    const manyLocals = Array.from({ length: 101 }, () => `(func (local ${p(100)}))`).join("");
    rejects(contract(manyLocals), "functions have more than 10000 locals in total");
    const manyParams = Array.from({ length: 101 }, (_, i) => `(type (func (param ${p(99)}) (result ${i % 2 ? "i32" : "i64"}) ))`).join("");
    rejects(contract(manyParams), "parameters in total (max 10000)");
  });

  it("rejects start, data count, passive data, non-MVP element segments, reserved export names", () => {
    rejects(contract(`(func $s) (start $s)`), "a start function is not allowed");
    rejects(contract(`(data "x") (func memory.size drop)`), "passive data segments are not allowed");
    rejects(contract(`(data "x") (func i32.const 0 i32.const 0 i32.const 0 memory.init 0)`), /data count section is not allowed|bulk memory/);
    rejects(contract(`(table 1 1 funcref) (elem funcref (ref.func 0))`), /element segment 0/);
    rejects(contract(`(global (export "soa_trap") i32 (i32.const 0))`), "export name soa_trap is reserved for the VM");
    rejects(contract(`(global i32 (global.get 0))`), /initializer|not valid/);
  });

  it("reads cw_migrate_version", () => {
    const base = contract();
    const withSection = (payload: string) => new Writer().bytes(base).section(0, new Writer().name("cw_migrate_version").bytes(new TextEncoder().encode(payload)).finish()).finish();
    expect(validateModule(withSection("42")).migrateVersion).toBe(42n);
    expect(validateModule(withSection("18446744073709551615")).migrateVersion).toBe(18446744073709551615n);
    rejects(withSection("18446744073709551616"), "cw_migrate_version must be a decimal u64");
    rejects(withSection("v1"), "cw_migrate_version must be a decimal u64");
    rejects(withSection(""), "cw_migrate_version must be a decimal u64");
  });
});

describe("instruction whitelist", () => {
  const fn = (code: string) => contract(`(table 1 1 funcref) (func $f (param i32) (result i32) ${code})`);
  it("accepts floats, sign extension, saturating truncation and mutable globals", () => {
    expect(() =>
      validateModule(
        contract(`(global $g (mut i64) (i64.const 0))
          (func (param f32 f64) (result i32)
            local.get 0 f32.sqrt drop local.get 1 i64.trunc_sat_f64_s i64.extend32_s global.set $g
            local.get 0 i32.trunc_sat_f32_u i32.extend8_s)`),
      ),
    ).not.toThrow();
  });

  const cases: Array<[string, string, Features?]> = [
    ["i32.const 0 i32.const 0 i32.const 0 memory.copy local.get 0", "bulk memory operation memory.copy is not allowed (function 0)"],
    ["i32.const 0 i32.const 0 i32.const 0 memory.fill local.get 0", "bulk memory operation memory.fill is not allowed"],
    ["ref.null func ref.is_null", "reference-type operation ref.null is not allowed"],
    ["ref.func $f drop local.get 0", "reference-type operation ref.func is not allowed"],
    ["i32.const 0 table.get 0 drop local.get 0", "reference-type operation table.get is not allowed"],
    ["table.size 0", "reference-type operation table.size is not allowed"],
    ["unreachable i32.const 1 table.grow 0", "reference-type operation table.grow is not allowed"],
    ["local.get 0 local.get 0 local.get 0 select (result i32)", "reference-type operation select (typed) is not allowed"],
    ["v128.const i32x4 0 0 0 0 drop local.get 0", "SIMD operation (0xfd prefix) is not allowed", { simd: true }],
    ["i32.const 0 i32.const 1 i32.atomic.rmw.add", "threads/atomics operation (0xfe prefix) is not allowed", { threads: true }],
    ["local.get 0 return_call $f", "tail call operation return_call is not allowed", { tail_call: true }],
    ["local.get 0 block (param i32) (result i32) end", "multi-value block type in block is not allowed"],
  ];
  for (const [code, message, features] of cases) {
    it(`rejects: ${message}`, () => {
      rejects(contract(`(table 1 1 funcref) (func $f (param i32) (result i32) ${code})`, [], features ?? {}), message);
    });
  }

  it("rejects exception handling and unknown opcodes", () => {
    rejects(contract(`(tag $e) (func throw $e)`, [], { exceptions: true }), /exception handling/);
    const good = fn("local.get 0");
    // Patch the `local.get 0` of the last body into an unassigned opcode.
    const bytes = good.slice();
    const at = bytes.lastIndexOf(0x20);
    bytes[at] = 0x27;
    bytes[at + 1] = 0x01; // nop keeps the length
    rejects(bytes, /unknown opcode 0x27 \(function \d+\)/);
  });

  it("rejects modules the engine's type checker refuses", () => {
    rejects(contract(`(func (result i32) i32.const 0)`.replace("i32.const 0", "i64.const 0").replace("(result i32)", "(result i32)")), "module is not valid WebAssembly (type check failed)");
  });
});

describe("malformed input fuzzing", () => {
  // xorshift32 with a fixed seed: the same mutations on every run.
  function rng(seed: number): () => number {
    let x = seed >>> 0;
    return () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x;
    };
  }

  const sample = contract(`
    (type $t (func (param i32) (result i32)))
    (import "env" "db_read" (func $db_read (param i32) (result i32)))
    (table 2 2 funcref) (elem (i32.const 0) $sq $db_read)
    (global $g (mut i32) (i32.const 7))
    (data (i32.const 16) "hello")
    (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
    (func (export "execute") (param i32 i32 i32) (result i32) (local f64 f32 i64)
      block $out
        loop $l
          local.get 0 i32.const 1 i32.sub local.tee 0 i32.eqz br_if $out
          local.get 1 f64.convert_i32_s f64.sqrt local.set 3
          local.get 0 i32.const 0 call_indirect (type $t) global.set $g
          br $l
        end
      end
      local.get 3 f32.demote_f64 f32.const 1.5 f32.div i32.trunc_sat_f32_s call $sq)`);

  it("2000 random mutations throw only WasmValidationError; accepted ones instrument to valid modules", () => {
    expect(engine.validate(prepareCode(sample).instrumented)).toBe(true);
    const next = rng(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Array.from(sample);
      const edits = 1 + (next() % 4);
      for (let e = 0; e < edits; e++) {
        const at = next() % bytes.length;
        const kind = next() % 4;
        if (kind === 0) bytes[at] = next() & 0xff;
        else if (kind === 1) bytes[at] = bytes[at]! ^ (1 << next() % 8);
        else if (kind === 2) bytes.splice(at, 1);
        else bytes.splice(at, 0, next() & 0xff);
      }
      const mutated = Uint8Array.from(bytes);
      try {
        const out = prepareCode(mutated);
        accepted++;
        expect(engine.validate(out.instrumented)).toBe(true);
      } catch (e) {
        if (!(e instanceof WasmValidationError)) throw new Error(`mutation ${i} threw ${String(e)}`);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it("2000 random rewrites of function-body bytes: same guarantee, more of them accepted", () => {
    const code = parseModule(sample).sections.find((s) => s.id === 10)!.payload;
    const from = code.byteOffset - sample.byteOffset;
    const next = rng(0xc0de);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = sample.slice();
      for (let e = 1 + (next() % 2); e > 0; e--) bytes[from + (next() % code.length)] = next() & 0xff;
      try {
        expect(engine.validate(prepareCode(bytes).instrumented)).toBe(true);
        accepted++;
      } catch (e) {
        if (!(e instanceof WasmValidationError)) throw new Error(`mutation ${i} threw ${String(e)}`);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("parses every prefix of a valid module without a raw exception", () => {
    for (let n = 0; n < sample.length; n++) {
      try {
        parseModule(sample.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(WasmValidationError);
      }
    }
  });
});
