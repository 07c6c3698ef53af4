// prepareCode: validate an uploaded module, analyse it, and rewrite it for deterministic execution
// (README "The contract between instrumentation and runtime"). The output is persisted and executed by
// every node, so it must depend on the input bytes only: no Map/Set iteration over unordered data, no
// floats, no time.
import { EXTERNAL_KIND, SECTION, VALTYPE, WASM_HEADER, Writer, engineValidates } from "./binary.js";
import type { ValType } from "./binary.js";
import type { CodeAnalysis, PreparedCode } from "./types.js";
import { LIMITS, validateModule } from "./validate.js";
import type { ValidatedFunction, ValidatedModule } from "./validate.js";

/** Calls a contract instance may nest (wasm→wasm and wasm→host); the runtime sets soa_depth_left to it. */
export const MAX_CALL_DEPTH = 512;

/** CosmWasm's cost function (cosmwasm-vm wasm_backend/engine.rs). */
export const GAS_PER_OPERATION = 115n;
export const GAS_PER_ACCOUNTING_OPERATION = 115n * 14n;
/** Locals beyond this many are charged GAS_PER_OPERATION each at function entry. */
export const FREE_LOCALS = 29;

/** Names of the exported globals the instrumentation adds. */
export const VM_GLOBALS = { gasLeft: "soa_gas_left", depthLeft: "soa_depth_left", trap: "soa_trap" } as const;
/** Values of soa_trap set right before the injected `unreachable`. */
export const TRAP_OUT_OF_GAS = 1;
export const TRAP_CALL_DEPTH = 2;

const CANONICAL_NAN_F32 = new Uint8Array([0x00, 0x00, 0xc0, 0x7f]); // 0x7fc00000, little-endian
const CANONICAL_NAN_F64 = new Uint8Array([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]); // 0x7ff8000000000000

// Opcodes used by the injected code.
const OP = {
  unreachable: 0x00,
  if: 0x04,
  end: 0x0b,
  select: 0x1b,
  localGet: 0x20,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Const: 0x41,
  i64Const: 0x42,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i64LtU: 0x54,
  f32Eq: 0x5b,
  f64Eq: 0x61,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i64Sub: 0x7d,
  blockEmpty: 0x40,
} as const;

/** Validates, analyses and instruments uploaded wasm. Throws WasmValidationError on any upload rule. */
export function prepareCode(wasm: Uint8Array): PreparedCode {
  const v = validateModule(wasm);
  const analysis: CodeAnalysis = {
    capabilities: v.capabilities,
    entryPoints: v.entryPoints,
    migrateArity: v.migrateArity,
    migrateVersion: v.migrateVersion,
  };
  const instrumented = instrument(v);
  // Guards our own rewriting: a valid input (checked by validateModule) must give a valid output.
  if (!engineValidates(instrumented)) throw new Error("wasm instrumentation produced an invalid module");
  return { instrumented, analysis };
}

interface Globals {
  gas: number;
  depth: number;
  trap: number;
}

function instrument(v: ValidatedModule): Uint8Array {
  const m = v.module;
  // Appended after the module's globals, so existing global.get/set indices are unchanged.
  const g: Globals = { gas: m.globals.length, depth: m.globals.length + 1, trap: m.globals.length + 2 };

  const out = new Writer().bytes(WASM_HEADER);
  let globalsWritten = false;
  const writeGlobals = (): void => {
    const s = new Writer().u32(m.globals.length + 3);
    for (const gl of m.globals) s.bytes(gl.raw);
    s.u8(VALTYPE.i64).u8(1).u8(OP.i64Const).u8(0).u8(OP.end);
    s.u8(VALTYPE.i32).u8(1).u8(OP.i32Const).u8(0).u8(OP.end);
    s.u8(VALTYPE.i32).u8(1).u8(OP.i32Const).u8(0).u8(OP.end);
    out.section(SECTION.global, s.finish());
    globalsWritten = true;
  };

  for (const section of m.sections) {
    switch (section.id) {
      case SECTION.memory: {
        // Exactly one memory without maximum (validated): cap it so memory.grow fails with -1 beyond.
        const mem = m.memories[0]!;
        out.section(SECTION.memory, new Writer().u32(1).u8(0x01).u32(mem.min).u32(LIMITS.memoryPages).finish());
        break;
      }
      case SECTION.global:
        writeGlobals();
        break;
      case SECTION.export: {
        if (!globalsWritten) writeGlobals(); // the global section precedes the export section
        const s = new Writer().u32(m.exports.length + 3);
        for (const e of m.exports) s.name(e.name).u8(e.kind).u32(e.index);
        s.name(VM_GLOBALS.gasLeft).u8(EXTERNAL_KIND.global).u32(g.gas);
        s.name(VM_GLOBALS.depthLeft).u8(EXTERNAL_KIND.global).u32(g.depth);
        s.name(VM_GLOBALS.trap).u8(EXTERNAL_KIND.global).u32(g.trap);
        out.section(SECTION.export, s.finish());
        break;
      }
      case SECTION.code: {
        const s = new Writer().u32(v.functions.length);
        for (const f of v.functions) {
          const body = instrumentFunction(f, g);
          s.u32(body.length).bytes(body);
        }
        out.section(SECTION.code, s.finish());
        break;
      }
      default:
        out.section(section.id, section.payload);
    }
  }
  return out.finish();
}

/** Gas a function pays at entry for its declared locals beyond FREE_LOCALS. */
export function localsCost(declaredLocals: number): bigint {
  return declaredLocals > FREE_LOCALS ? GAS_PER_OPERATION * BigInt(declaredLocals - FREE_LOCALS) : 0n;
}

function instrumentFunction(f: ValidatedFunction, g: Globals): Uint8Array {
  const { body, instrs } = f;
  const usesF32 = instrs.some((i) => i.info.nan === "f32");
  const usesF64 = instrs.some((i) => i.info.nan === "f64");
  // Scratch locals for NaN canonicalisation, after the original ones (indices of existing locals kept).
  const firstScratch = f.type.params.length + body.localCount;
  const tmpF32 = firstScratch;
  const tmpF64 = firstScratch + (usesF32 ? 1 : 0);

  const w = new Writer();
  const groups: Array<[number, ValType]> = [...body.locals];
  if (usesF32) groups.push([1, VALTYPE.f32]);
  if (usesF64) groups.push([1, VALTYPE.f64]);
  w.u32(groups.length);
  for (const [n, t] of groups) w.u32(n).u8(t);

  // Metering blocks: maximal runs ending with an accounting operator (the last instruction is the
  // function's `end`, so every run ends with one). Every branch target and every call return lands right
  // after an accounting operator, so a check at the start of each run charges each executed run once.
  let entryCost = localsCost(body.localCount);
  let i = 0;
  while (i < instrs.length) {
    let j = i;
    let cost = entryCost;
    entryCost = 0n;
    for (;;) {
      const info = instrs[j]!.info;
      cost += info.accounting ? GAS_PER_ACCOUNTING_OPERATION : GAS_PER_OPERATION;
      if (info.accounting || j === instrs.length - 1) break;
      j++;
    }
    emitGasCheck(w, g, cost);
    for (let k = i; k <= j; k++) {
      const ins = instrs[k]!;
      const bytes = body.code.subarray(ins.start, ins.end);
      if (ins.info.call) emitGuardedCall(w, g, bytes);
      else w.bytes(bytes);
      if (ins.info.nan === "f32") emitCanonicalNan(w, tmpF32, OP.f32Const, CANONICAL_NAN_F32, OP.f32Eq);
      else if (ins.info.nan === "f64") emitCanonicalNan(w, tmpF64, OP.f64Const, CANONICAL_NAN_F64, OP.f64Eq);
    }
    i = j + 1;
  }
  return w.finish();
}

/** if (gas_left <u cost) { gas_left = 0; trap = 1; unreachable } gas_left -= cost */
function emitGasCheck(w: Writer, g: Globals, cost: bigint): void {
  w.u8(OP.globalGet).u32(g.gas).u8(OP.i64Const).sleb(cost).u8(OP.i64LtU);
  w.u8(OP.if).u8(OP.blockEmpty);
  w.u8(OP.i64Const).u8(0).u8(OP.globalSet).u32(g.gas);
  w.u8(OP.i32Const).u8(1).u8(OP.globalSet).u32(g.trap).u8(OP.unreachable);
  w.u8(OP.end);
  w.u8(OP.globalGet).u32(g.gas).u8(OP.i64Const).sleb(cost).u8(OP.i64Sub).u8(OP.globalSet).u32(g.gas);
}

/** if (depth_left == 0) { trap = 2; unreachable } depth_left--; <call>; depth_left++ */
function emitGuardedCall(w: Writer, g: Globals, call: Uint8Array): void {
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Eqz);
  w.u8(OP.if).u8(OP.blockEmpty);
  w.u8(OP.i32Const).u8(2).u8(OP.globalSet).u32(g.trap).u8(OP.unreachable);
  w.u8(OP.end);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).u8(1).u8(OP.i32Sub).u8(OP.globalSet).u32(g.depth);
  w.bytes(call);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).u8(1).u8(OP.i32Add).u8(OP.globalSet).u32(g.depth);
}

/** x → select(x, canonical NaN, x == x): branch-free, replaces any NaN by the canonical one. */
function emitCanonicalNan(w: Writer, tmp: number, constOp: number, nan: Uint8Array, eqOp: number): void {
  w.u8(OP.localTee).u32(tmp).u8(constOp).bytes(nan).u8(OP.localGet).u32(tmp).u8(OP.localGet).u32(tmp).u8(eqOp).u8(OP.select);
}

export interface VmGlobal<T> {
  value: T;
}

/** The VM globals among an instance's exports (a `WebAssembly.Instance`'s `exports`). */
export function vmGlobals(exports: Record<string, unknown>): { gasLeft: VmGlobal<bigint>; depthLeft: VmGlobal<number>; trap: VmGlobal<number> } {
  return {
    gasLeft: exports[VM_GLOBALS.gasLeft] as VmGlobal<bigint>,
    depthLeft: exports[VM_GLOBALS.depthLeft] as VmGlobal<number>,
    trap: exports[VM_GLOBALS.trap] as VmGlobal<number>,
  };
}
