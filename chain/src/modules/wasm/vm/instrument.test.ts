import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { parseModule } from "./binary.js";
import { GAS_PER_ACCOUNTING_OPERATION as ACC, GAS_PER_OPERATION as OP, MAX_CALL_DEPTH, TRAP_CALL_DEPTH, TRAP_OUT_OF_GAS, prepareCode, vmGlobals } from "./instrument.js";

const wabt = await wabtInit();

// @types/node 20 has no WebAssembly typings: the part the tests use.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  RuntimeError: new () => Error;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function wat(text: string): Uint8Array {
  const mod = wabt.parseWat("t.wat", text, {});
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** A contract module (memory, marker, allocate, deallocate) with `body` added. */
function contract(body: string): Uint8Array {
  return wat(`(module (memory (export "memory") 1)
    (func (export "interface_version_8"))
    (func (export "allocate") (param i32) (result i32) i32.const 8)
    (func (export "deallocate") (param i32))
    ${body})`);
}

type Fn = (...args: unknown[]) => unknown;

/** Instantiates prepared code with the given budgets; `call` runs an export and reports the outcome. */
function instantiate(wasm: Uint8Array, gas: bigint, depth = MAX_CALL_DEPTH) {
  const instance = new WA.Instance(new WA.Module(prepareCode(wasm).instrumented), {});
  const g = vmGlobals(instance.exports);
  g.gasLeft.value = gas;
  g.depthLeft.value = depth;
  const call = (name: string, ...args: unknown[]) => {
    const before = g.gasLeft.value;
    let result: unknown;
    let trapped = false;
    try {
      result = (instance.exports[name] as Fn)(...args);
    } catch (e) {
      if (!(e instanceof WA.RuntimeError)) throw e;
      trapped = true;
    }
    return { result, trapped, trap: g.trap.value, used: before - g.gasLeft.value, left: g.gasLeft.value };
  };
  return { exports: instance.exports, g, call };
}

describe("prepareCode", () => {
  const minimal = contract(`(func (export "instantiate") (param i32 i32 i32) (result i32) local.get 0)`);

  it("passes a minimal contract; the output validates, instantiates and keeps every export", () => {
    const p = prepareCode(minimal);
    expect(p.analysis).toEqual({ capabilities: [], entryPoints: ["instantiate"], migrateArity: 0, migrateVersion: undefined });
    expect(WA.validate(p.instrumented)).toBe(true);
    const names = parseModule(p.instrumented).exports.map((e) => e.name);
    expect(names).toEqual(["memory", "interface_version_8", "allocate", "deallocate", "instantiate", "soa_gas_left", "soa_depth_left", "soa_trap"]);
    const { call } = instantiate(minimal, 1_000_000n);
    expect(call("instantiate", 7, 8, 9).result).toBe(7);
  });

  it("is deterministic: same bytes in, same bytes out", () => {
    const a = prepareCode(minimal).instrumented;
    const b = prepareCode(Uint8Array.from(minimal)).instrumented;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("keeps existing globals' indices and appends the VM globals", () => {
    const m = contract(`(global $a (export "a") (mut i32) (i32.const 3))
      (func (export "bump") (result i32) global.get $a i32.const 1 i32.add global.set $a global.get $a)`);
    const { call, exports } = instantiate(m, 1_000_000n);
    expect(call("bump").result).toBe(4);
    expect((exports.a as { value: number }).value).toBe(4);
    expect(parseModule(prepareCode(m).instrumented).globals.map((g) => g.type)).toEqual([0x7f, 0x7e, 0x7f, 0x7f]);
  });
});

describe("gas metering", () => {
  const m = contract(`
    (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)
    (func (export "straight") (result i32) i32.const 1 i32.const 2 i32.add)
    (func (export "locals") (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32
                                   i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32))
    (func (export "branchy") (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end)
    (func (export "calls") (result i32) i32.const 5 call $inc)
    (func (export "spin") loop br 0 end)`);

  it("a straight-line function uses exactly its operators' cost", () => {
    // i32.const, i32.const, i32.add, end
    const { call } = instantiate(m, 1_000_000n);
    const r = call("straight");
    expect(r.result).toBe(3);
    expect(r.used).toBe(3n * OP + ACC);
    expect(r.used).toBe(1955n);
  });

  it("charges 115 per local beyond 29 at entry", () => {
    expect(instantiate(m, 1_000_000n).call("locals").used).toBe(ACC + 6n * OP); // 35 locals, only `end`
  });

  it("charges each executed metering block once, whichever branch runs", () => {
    // [local.get if] [i32.const else] | [i32.const end], then the function's [end]
    const expected = 2n * (OP + ACC) + ACC;
    const { call } = instantiate(m, 1_000_000n);
    expect(call("branchy", 1)).toMatchObject({ result: 1, used: expected });
    expect(call("branchy", 0)).toMatchObject({ result: 2, used: expected });
    expect(expected).toBe(5060n);
    // [i32.const call] + $inc [local.get i32.const i32.add end] + [end]
    expect(call("calls")).toMatchObject({ result: 6, used: OP + ACC + (3n * OP + ACC) + ACC });
  });

  it("runs with exactly enough gas and traps one point short, leaving 0", () => {
    expect(instantiate(m, 1955n).call("straight")).toMatchObject({ trapped: false, left: 0n, trap: 0 });
    expect(instantiate(m, 1954n).call("straight")).toMatchObject({ trapped: true, left: 0n, trap: TRAP_OUT_OF_GAS });
    expect(instantiate(m, 0n).call("straight")).toMatchObject({ trapped: true, left: 0n, trap: TRAP_OUT_OF_GAS });
  });

  it("stops an infinite loop with soa_trap = 1 and soa_gas_left = 0, the same on every run", () => {
    for (let run = 0; run < 3; run++) {
      expect(instantiate(m, 10_000_000n).call("spin")).toEqual({ result: undefined, trapped: true, trap: TRAP_OUT_OF_GAS, used: 10_000_000n, left: 0n });
    }
    // Gas is an unsigned u64: a budget above 2^63 is not read as negative.
    const big = instantiate(m, (1n << 64n) - 1n).call("straight");
    expect(big.trapped).toBe(false);
    expect(BigInt.asUintN(64, big.left)).toBe((1n << 64n) - 1n - 1955n); // JS reads an i64 global as signed
  });
});

const HEAVY_PARAMS = 100;
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(" ");

/** Unbounded recursion of a function with 100 i64 params and 100 i64 locals, all live across the call. */
const heavyRecursion = contract(`
  (global $count (export "count") (mut i32) (i32.const 0))
  (func $heavy (param ${range(HEAVY_PARAMS, () => "i64")}) (result i64) (local ${range(100, () => "i64")})
    global.get $count i32.const 1 i32.add global.set $count
    ${range(100, (i) => `local.get ${i} i64.const ${i + 1} i64.add local.set ${HEAVY_PARAMS + i}`)}
    ${range(100, (i) => `local.get ${HEAVY_PARAMS + i}`)}
    call $heavy
    ${range(100, (i) => `local.get ${i} i64.add local.get ${HEAVY_PARAMS + i} i64.add`)})
  (func (export "run") ${range(HEAVY_PARAMS, (i) => `i64.const ${i}`)} call $heavy drop)`);

describe("call depth", () => {
  const simple = contract(`
    (global $count (export "count") (mut i32) (i32.const 0))
    (func $rec global.get $count i32.const 1 i32.add global.set $count call $rec)
    (func (export "run") call $rec)`);

  it("unbounded recursion traps with soa_trap = 2 at exactly the depth budget", () => {
    for (const budget of [0, 1, 5, MAX_CALL_DEPTH]) {
      const { call, exports, g } = instantiate(simple, 1n << 40n, budget);
      expect(call("run")).toMatchObject({ trapped: true, trap: TRAP_CALL_DEPTH });
      expect((exports.count as { value: number }).value).toBe(budget); // budget successful calls, the next one traps
      expect(g.depthLeft.value).toBe(0);
    }
  });

  it("restores the budget after calls return", () => {
    const { call, g } = instantiate(contract(`(func $f) (func (export "two") call $f call $f)`), 1_000_000n, 3);
    expect(call("two").trapped).toBe(false);
    expect(g.depthLeft.value).toBe(3);
  });

  // Worst-case frames (100 i64 params + 100 i64 locals, all live across the call) take ≈ 3.1 KB in
  // Liftoff and ≈ 1.6 KB in TurboFan (Node 20 / x64). V8's default main-thread stack (984 KB) holds only
  // ≈ 313 / 600 of them, so MAX_CALL_DEPTH = 512 needs a bigger stack: a worker_threads Worker with
  // resourceLimits.stackSizeMb = 4 (Node's default for workers) holds ≈ 1 260 / 2 400.
  describe("V8 tiers agree on the worst-case frame (child processes, 4 MiB worker stack)", () => {
    const dir = mkdtempSync(join(tmpdir(), "soa-wasm-depth-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(`--no-liftoff and --liftoff-only both trap at depth ${MAX_CALL_DEPTH} with the same gas left, below V8's stack limit`, () => {
      const wasmPath = join(dir, "heavy.wasm");
      writeFileSync(wasmPath, prepareCode(heavyRecursion).instrumented);
      const script = join(dir, "run.mjs");
      writeFileSync(
        script,
        `import { readFileSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
if (isMainThread) {
  const w = new Worker(new URL(import.meta.url), { workerData: process.argv.slice(2), resourceLimits: { stackSizeMb: 4 } });
  w.on("message", (m) => console.log(m));
} else {
  const [wasmPath, gas, depth] = workerData;
  const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
  e.soa_gas_left.value = BigInt(gas);
  e.soa_depth_left.value = Number(depth);
  let outcome = "returned";
  try { e.run(); } catch (err) { outcome = err instanceof WebAssembly.RuntimeError ? "trap" : String(err); }
  parentPort.postMessage(JSON.stringify({ outcome, trap: e.soa_trap.value, gasLeft: String(e.soa_gas_left.value), count: e.count.value }));
}
`,
      );
      const gas = 1n << 40n;
      const runs = ["--no-liftoff", "--liftoff-only"].map((flag) => {
        const p = spawnSync(process.execPath, [flag, script, wasmPath, String(gas), String(MAX_CALL_DEPTH)], { encoding: "utf8" });
        expect(p.status, p.stderr).toBe(0);
        return JSON.parse(p.stdout) as { outcome: string; trap: number; gasLeft: string; count: number };
      });
      expect(runs[0]).toEqual(runs[1]);
      expect(runs[0]).toMatchObject({ outcome: "trap", trap: TRAP_CALL_DEPTH, count: MAX_CALL_DEPTH });
      expect(BigInt(runs[0]!.gasLeft)).toBeLessThan(gas);
    });
  });
});

describe("NaN canonicalisation and memory cap", () => {
  const m = contract(`
    (func (export "div32") (param f32 f32) i32.const 0 local.get 0 local.get 1 f32.div f32.store)
    (func (export "sqrt64") (param f64) i32.const 8 local.get 0 f64.sqrt f64.store)
    (func (export "add32") (param i32) (result i32) local.get 0 f32.reinterpret_i32 f32.const 1 f32.add i32.reinterpret_f32)
    (func (export "promote") (param i32) (result i64) local.get 0 f32.reinterpret_i32 f64.promote_f32 i64.reinterpret_f64)
    (func (export "neg32") (param i32) (result i32) local.get 0 f32.reinterpret_i32 f32.neg i32.reinterpret_f32)
    (func (export "mul64") (param f64 f64) (result f64) (local f32) local.get 0 local.get 1 f64.mul)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "size") (result i32) memory.size)`);

  it("0/0 and sqrt(-1) store the canonical NaN bits", () => {
    const { call, exports } = instantiate(m, 1_000_000n);
    call("div32", 0, 0);
    call("sqrt64", -1);
    const view = new DataView((exports.memory as { buffer: ArrayBuffer }).buffer);
    expect(view.getUint32(0, true)).toBe(0x7fc00000);
    expect(view.getBigUint64(8, true)).toBe(0x7ff8000000000000n);
  });

  it("canonicalises NaNs with payloads from arithmetic and promote, but leaves bit operations alone", () => {
    const { call } = instantiate(m, 1_000_000n);
    expect((call("add32", 0x7fa00001).result as number) >>> 0).toBe(0x7fc00000);
    expect((call("add32", 0xffc00123 | 0).result as number) >>> 0).toBe(0x7fc00000);
    expect(BigInt.asUintN(64, call("promote", 0xff800001 | 0).result as bigint)).toBe(0x7ff8000000000000n);
    // neg is a sign-bit flip in the spec: deterministic, not rewritten.
    expect((call("neg32", 0x7fa00001).result as number) >>> 0).toBe(0xffa00001);
    expect(call("add32", 0x40000000).result).toBe(0x40400000); // 2 + 1 = 3: ordinary values unchanged
    expect(call("mul64", 1.5, 4).result).toBe(6);
  });

  it("caps memory at 512 pages: growing past it returns -1", () => {
    expect(parseModule(prepareCode(m).instrumented).memories[0]).toEqual({ min: 1, max: 512 });
    const { call } = instantiate(m, 1_000_000n);
    expect(call("grow", 512).result).toBe(-1);
    expect(call("grow", 511).result).toBe(1);
    expect(call("size").result).toBe(512);
    expect(call("grow", 1).result).toBe(-1);
  });
});
