import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { parseModule } from "./binary.js";
import {
  GAS_PER_ACCOUNTING_OPERATION as ACC,
  CALL_STACK_BUDGET,
  FRAME_OVERHEAD_SLOTS,
  IMPORT_CALL_SLOTS,
  INJECTED_STACK_SLOTS,
  GAS_PER_OPERATION as OP,
  PARAM_SLOTS,
  TRAP_CALL_DEPTH,
  TRAP_OUT_OF_GAS,
  prepareCode,
  stackCosts,
  vmGlobals,
} from "./instrument.js";

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
function instantiate(wasm: Uint8Array, gas: bigint, depth = CALL_STACK_BUDGET, imports: object = {}) {
  const instance = new WA.Instance(new WA.Module(prepareCode(wasm).instrumented), imports);
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

/** The frame cost of a function with `p` params, `l` declared locals and operand-stack height `h`. */
const frame = (p: number, l: number, h: number) => FRAME_OVERHEAD_SLOTS + PARAM_SLOTS * p + l + h + INJECTED_STACK_SLOTS;
/** What the host's call of an export charges: the trampoline (params forwarded) plus the function. */
const entry = (p: number, cost: number) => FRAME_OVERHEAD_SLOTS + (PARAM_SLOTS + 1) * p + INJECTED_STACK_SLOTS + cost;

describe("frame costs", () => {
  // Functions 0..2 are the prelude's interface_version_8, allocate and deallocate.
  const BASE_FUNCS = 3;

  it("counts params twice, declared locals, the operand-stack peak and the injected operands", () => {
    const m = contract(`
      (func $empty (param i32 i64) (local f32 f64 i32))
      (func $nested (param i32) (result i32)
        i32.const 1                ;; 1
        block (result i32)         ;; base 1
          i32.const 2              ;; 2
          i32.const 3              ;; 3
          local.get 0              ;; 4
          if (result i32)          ;; 3, base 3
            i32.const 4            ;; 4
            i32.const 5            ;; 5: the peak
            i32.add                ;; 4
          else                     ;; 3
            i32.const 6            ;; 4
          end                      ;; 4 (3 + the if's result)
          i32.add
          i32.add                  ;; 2
        end                        ;; 2 (1 + the block's result)
        i32.add)
      (func $deep (result i64) ${range(50, (i) => `i64.const ${i}`)} ${range(49, () => "i64.add")})
      (func $mem (result i32) i32.const 0 i32.const 0 i64.load i64.store i32.const 1 memory.grow memory.size i32.const 7 select)
      (func $nan (param f32) (result f32) local.get 0 local.get 0 f32.add)
      (func $nan2 (param f64) (result f64) (local i32) local.get 0 f64.sqrt f32.const 1 f32.const 2 f32.div drop)
      (func $three (param i32 i64 f64) (result i64) local.get 1)
      (func $caller (result i64) i32.const 0 i64.const 1 f64.const 2 call $three)
      (func $dead (result i32)
        block (result i32) i32.const 1 br 0 i32.const 2 i32.const 3 i32.const 4 i32.add i32.add end
        return i32.const 5 i32.const 6 i32.const 7 i32.const 8 drop drop drop)
      (func $loop (param i32) loop (result i32) local.get 0 local.get 0 br_if 0 end drop)`);
    const c = stackCosts(m);
    expect(c.functions.slice(BASE_FUNCS)).toEqual([
      frame(2, 3, 0), // $empty
      frame(1, 0, 5), // $nested
      frame(0, 0, 50), // $deep
      frame(0, 0, 3), // $mem: address and value for the store → 2; grow, size, 7 → 3 for select
      frame(1, 1, 2), // $nan: the f32 scratch local for NaN canonicalisation counts
      frame(1, 1 + 2, 3), // $nan2: i32 local + f32 and f64 scratch locals; sqrt's result under f32.div's operands
      frame(3, 0, 1), // $three
      frame(0, 0, 3), // $caller: three arguments, then the result
      frame(0, 0, 4), // $dead: after `br`/`return` the dead code's pushes still count, from the block's base
      frame(1, 0, 2), // $loop
    ]);
    expect(c.functions.slice(0, BASE_FUNCS)).toEqual([frame(0, 0, 0), frame(1, 0, 1), frame(1, 0, 0)]);
    expect(c.exports).toEqual({
      interface_version_8: entry(0, frame(0, 0, 0)),
      allocate: entry(1, frame(1, 0, 1)),
      deallocate: entry(1, frame(1, 0, 0)),
    });
  });

  it("charges imports a fixed cost and call_indirect the largest table function of its type", () => {
    const m = wat(`(module
      (import "env" "debug" (func $debug (param i32)))
      (type $t (func (param i32) (result i32)))
      (memory (export "memory") 1)
      (table 3 3 funcref)
      (elem (i32.const 0) $small $big $other)
      (func (export "interface_version_8"))
      (func (export "allocate") (param i32) (result i32) i32.const 8)
      (func (export "deallocate") (param i32))
      (func $small (param i32) (result i32) local.get 0)
      (func $big (param i32) (result i32) ${range(20, () => "local.get 0")} ${range(19, () => "drop")})
      (func $other (param i64) (result i64) ${range(40, () => "local.get 0")} ${range(39, () => "drop")})
      (func $unlisted (param i32) (result i32) ${range(60, () => "local.get 0")} ${range(59, () => "drop")})
      (func (export "run") (param i32) (result i32) (call_indirect (type $t) (local.get 0) (local.get 0)))
      (func (export "log") (call $debug (i32.const 0))))`);
    const c = stackCosts(m);
    expect(c.functions[0]).toBe(IMPORT_CALL_SLOTS);
    const [small, big, other, unlisted] = c.functions.slice(4, 8);
    expect([small, big, other, unlisted]).toEqual([frame(1, 0, 1), frame(1, 0, 20), frame(1, 0, 40), frame(1, 0, 60)]);
    // $unlisted is not in the table and $other has another type: (i32) -> (i32) charges $big's cost.
    const types = parseModule(m).types;
    expect(c.indirect[types.findIndex((t) => t.params.join() === "127" && t.results.join() === "127")]).toBe(big);
    expect(c.indirect[types.findIndex((t) => t.params.join() === "126" && t.results.join() === "126")]).toBe(other);
    expect(c.indirect[types.findIndex((t) => t.params.length === 0 && t.results.length === 0)]).toBe(FRAME_OVERHEAD_SLOTS); // none in the table

    // The guards charge exactly those costs: with the budget one slot short, the call traps.
    const env = { env: { debug: () => undefined } };
    const run = c.exports.run!;
    expect(instantiate(m, 1n << 40n, run + big, env).call("run", 1)).toMatchObject({ trapped: false, result: 1, trap: 0 });
    expect(instantiate(m, 1n << 40n, run + big - 1, env).call("run", 1)).toMatchObject({ trapped: true, trap: TRAP_CALL_DEPTH });
    const log = c.exports.log! + IMPORT_CALL_SLOTS;
    const ok = instantiate(m, 1n << 40n, log, env);
    expect(ok.call("log")).toMatchObject({ trapped: false, trap: 0 });
    expect(ok.g.depthLeft.value).toBe(log);
    expect(instantiate(m, 1n << 40n, log - 1, env).call("log")).toMatchObject({ trapped: true, trap: TRAP_CALL_DEPTH });
  });

  it("guards host calls of exports that are imports, in a module without function or code section", () => {
    const m = wat(`(module
      (import "env" "debug" (func $debug (param i32)))
      (import "env" "db_read" (func $db_read (param i32) (result i32)))
      (import "env" "db_remove" (func $db_remove (param i32)))
      (memory (export "memory") 1)
      (export "interface_version_8" (func $debug))
      (export "allocate" (func $db_read))
      (export "deallocate" (func $db_remove)))`);
    expect(parseModule(m).bodies).toHaveLength(0);
    const out = parseModule(prepareCode(m).instrumented);
    expect(out.functions).toHaveLength(3);
    expect(out.exports.filter((e) => e.kind === 0).map((e) => e.index)).toEqual([3, 4, 5]);
    expect(stackCosts(m).exports.allocate).toBe(FRAME_OVERHEAD_SLOTS + (PARAM_SLOTS + 1) + INJECTED_STACK_SLOTS + IMPORT_CALL_SLOTS);
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

/** Unbounded recursion with 2000 i64 values (loaded from memory: no tier can rematerialise them) live across the call. */
const deepRecursion = contract(`
  (global $count (export "count") (mut i32) (i32.const 0))
  (func $deep (result i64)
    global.get $count i32.const 1 i32.add global.set $count
    ${range(2000, (i) => `i32.const ${i * 8} i64.load`)}
    call $deep
    ${range(2000, () => "i64.add")})
  (func (export "run") call $deep drop)`);

const tinyRecursion = contract(`
  (global $count (export "count") (mut i32) (i32.const 0))
  (func $rec global.get $count i32.const 1 i32.add global.set $count call $rec)
  (func (export "run") call $rec)`);

describe("call stack budget", () => {
  it("unbounded recursion traps with soa_trap = 2 once the budget cannot pay the next frame", () => {
    const c = stackCosts(tinyRecursion);
    const rec = c.functions[3]!;
    const run = c.exports.run!;
    expect(rec).toBe(frame(0, 0, 2));
    for (const budget of [0, 1, run - 1, run, run + rec - 1, run + 5 * rec, run + 5 * rec + rec - 1, CALL_STACK_BUDGET]) {
      const { call, exports, g } = instantiate(tinyRecursion, 1n << 40n, budget);
      expect(call("run"), String(budget)).toMatchObject({ trapped: true, trap: TRAP_CALL_DEPTH });
      // The host's call of `run` is paid first, then each call of $rec; the next one traps.
      const calls = budget < run ? 0 : Math.floor((budget - run) / rec);
      expect((exports.count as { value: number }).value, String(budget)).toBe(calls);
      expect(g.depthLeft.value, String(budget)).toBe(budget < run ? budget : (budget - run) % rec);
    }
  });

  it("restores the budget after calls return", () => {
    const { call, g } = instantiate(contract(`(func $f) (func (export "two") call $f call $f)`), 1_000_000n, 1000);
    expect(call("two").trapped).toBe(false);
    expect(g.depthLeft.value).toBe(1000);
  });

  // Unbounded recursion of each worst case, in child processes on the main thread with V8's default
  // stack (984 KiB): Liftoff (--liftoff-only) and TurboFan (--no-liftoff) must both stop with the
  // injected trap, never a RangeError, after the same number of calls and with the same gas left.
  describe("V8 tiers agree and stay within the default stack (child processes)", () => {
    const dir = mkdtempSync(join(tmpdir(), "soa-wasm-depth-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, "run.mjs");
    writeFileSync(
      script,
      `import { readFileSync } from "node:fs";
const [wasmPath, gas, budget] = process.argv.slice(2);
const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
e.soa_gas_left.value = BigInt(gas);
e.soa_depth_left.value = Number(budget);
let outcome = "returned";
try { e.run(); } catch (err) { outcome = err instanceof WebAssembly.RuntimeError ? "trap" : String(err); }
console.log(JSON.stringify({ outcome, trap: e.soa_trap.value, gasLeft: String(e.soa_gas_left.value), count: e.count.value }));
`,
    );

    const cases: Array<[string, Uint8Array, number]> = [
      ["a tiny function", tinyRecursion, 3],
      ["a 100-param/100-local function", heavyRecursion, 3],
      ["a function holding 2000 live i64 values", deepRecursion, 3],
    ];
    for (const [what, wasm, index] of cases) {
      it(`${what}: both tiers trap with soa_trap = 2 at the same depth and gas`, () => {
        const c = stackCosts(wasm);
        const wasmPath = join(dir, `${what.replace(/[^a-z0-9]+/g, "-")}.wasm`);
        writeFileSync(wasmPath, prepareCode(wasm).instrumented);
        const gas = 1n << 40n;
        const runs = ["--liftoff-only", "--no-liftoff"].map((flag) => {
          const p = spawnSync(process.execPath, [flag, script, wasmPath, String(gas), String(CALL_STACK_BUDGET)], { encoding: "utf8" });
          expect(p.status, p.stderr).toBe(0);
          return JSON.parse(p.stdout) as { outcome: string; trap: number; gasLeft: string; count: number };
        });
        expect(runs[0]).toEqual(runs[1]);
        const calls = Math.floor((CALL_STACK_BUDGET - c.exports.run!) / c.functions[index]!);
        expect(runs[0]).toMatchObject({ outcome: "trap", trap: TRAP_CALL_DEPTH, count: calls });
        expect(calls).toBeGreaterThan(10);
        expect(BigInt(runs[0]!.gasLeft)).toBeLessThan(gas);
      });
    }
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
