// prepareCode: validate an uploaded module, analyse it, and rewrite it for deterministic execution
// (README "The contract between instrumentation and runtime"). The output is persisted and executed by
// every node, so it must depend on the input bytes only: no Map/Set iteration over unordered data, no
// floats, no time.
import { EXTERNAL_KIND, SECTION, SECTION_ORDER, VALTYPE, WASM_HEADER, Writer, engineValidates } from "./binary.js";
import type { FuncType, ValType } from "./binary.js";
import type { CodeAnalysis, PreparedCode } from "./types.js";
import { LIMITS, validateModule } from "./validate.js";
import type { ValidatedFunction, ValidatedModule } from "./validate.js";

// ---- stack budget (README "Stack budget") ---------------------------------------------------------
//
// V8 frame sizes depend on the tier (Liftoff or TurboFan), so counting calls does not bound the native
// stack deterministically. Instead every function gets a static frame cost in "slots" (one slot ≈ one
// 8-byte stack slot) and every call charges the callee's cost against soa_depth_left:
//
//   cost(f) = FRAME_OVERHEAD_SLOTS + PARAM_SLOTS × params + declared locals (with the scratch locals
//             added here) + max operand-stack height of the body (upper bound, see maxStackHeight)
//             + INJECTED_STACK_SLOTS (the injected checks' own operands)
//
// Native stack per frame, measured on Node 20.20 (V8 11.3), x64, as the slope of the recursion depth
// reached before RangeError between --stack-size=2000 and 4000, instrumented code (bytes / cost = bytes
// per slot):
//
//   recursive function                                   cost   Liftoff          TurboFan
//   tiny (no params, no locals)                            13     47 B  3.6/slot    40 B  3.1/slot
//   100 i64 params + 100 i64 locals, all live              411   3145 B  7.7/slot  1641 B  4.0/slot
//   the same with f64                                     412   3145 B  7.6/slot  2389 B  5.8/slot
//   100 i64 params, no locals                              311   2345 B  7.5/slot   840 B  2.7/slot
//   100 i64 locals live across the call                    113    856 B  7.6/slot    40 B  0.4/slot
//   2000 i64 loads live across the call                   2012  16125 B  8.0/slot 16125 B  8.0/slot
//   2000 i64.const live across the call                   2012  16125 B  8.0/slot    40 B  0.0/slot
//
// Worst case 8.01 bytes/slot. CALL_STACK_BUDGET = 48 000 slots ≈ 385 KB: unbounded recursion of each
// case above traps with soa_trap = 2 under --stack-size=390 in both tiers, i.e. it uses at most ~40 % of
// V8's default 984 KiB stack. The rest is left to the node's JS frames below the contract, host
// functions running at the deepest point, and the keeper's frames between nested contract instances
// (queries), which share the one budget (runtime.ts hands soa_depth_left to the querier).
// Re-measure when the Node major version (hence V8) changes.

/** Native stack a contract call may use, in slots: what the runtime sets soa_depth_left to. */
export const CALL_STACK_BUDGET = 48_000;

/**
 * Version of the rewriting below. Stored with every prepared module; a node refuses to run code
 * prepared by another version (changing the instrumentation is a consensus change that must
 * migrate stored code at an upgrade height).
 */
export const INSTRUMENTATION_VERSION = 1;
/** Per-frame slots on top of params, locals and operands: return address, frame pointer, instance, spills. */
export const FRAME_OVERHEAD_SLOTS = 8;
/**
 * Charged for a call to an import: the wasm→JS transition. Host code that runs wasm again (allocate,
 * a nested contract through query_chain) is charged by that wasm's own guards.
 */
export const IMPORT_CALL_SLOTS = FRAME_OVERHEAD_SLOTS;
/**
 * Slots per parameter. Liftoff keeps two copies of each in the callee's frame or just below it (the
 * caller's outgoing argument area and its own spill slot) besides the caller's operand that produced it.
 */
export const PARAM_SLOTS = 2;
/** Operand-stack height the injected gas, call and NaN code adds above the instruction it guards. */
export const INJECTED_STACK_SLOTS = 3;
/** Costs saturate here (soa_depth_left is an i32 the host keeps within [0, 2^31 - 1]). */
const MAX_COST = 0x7fff_ffff;

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
  i32LtU: 0x49,
  i64LtU: 0x54,
  f32Eq: 0x5b,
  f64Eq: 0x61,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i64Sub: 0x7d,
  call: 0x10,
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

/** Static stack costs of a module, in slots (README "Stack budget"). */
export interface StackCosts {
  /** Frame cost per function index (imports first: IMPORT_CALL_SLOTS each). */
  functions: number[];
  /** What `call_indirect` with each type index charges: the largest cost of a table function of that type. */
  indirect: number[];
  /** What calling each exported function from the host charges (the entry trampoline's frame included). */
  exports: Record<string, number>;
}

const saturate = (n: number): number => (n > MAX_COST ? MAX_COST : n);
const typeKey = (t: FuncType): string => `${t.params.join(",")}:${t.results.join(",")}`;

/** The stack costs prepareCode charges for `wasm` (validated first); for tests and diagnostics. */
export function stackCosts(wasm: Uint8Array): StackCosts {
  const v = validateModule(wasm);
  const c = computeCosts(v);
  const funcs = v.module.exports.filter((e) => e.kind === EXTERNAL_KIND.func);
  const exports = Object.fromEntries(funcs.map((e) => [e.name, entryCost(c, typeOfFunc(v, e.index), e.index)]));
  return { functions: c.functions, indirect: c.indirect, exports };
}

function typeOfFunc(v: ValidatedModule, index: number): FuncType {
  const m = v.module;
  return index < m.imports.length ? m.types[m.imports[index]!.typeIndex]! : v.functions[index - m.imports.length]!.type;
}

/** Scratch locals instrumentFunction adds for NaN canonicalisation (one f32, one f64, when used). */
function scratchLocals(f: ValidatedFunction): { f32: boolean; f64: boolean } {
  return { f32: f.instrs.some((i) => i.info.nan === "f32"), f64: f.instrs.some((i) => i.info.nan === "f64") };
}

/**
 * Upper bound of the operand-stack height of a validated body, by abstract interpretation of the
 * stack effects in opcode order. After br/br_table/return/unreachable the rest of the block is
 * unreachable and its stack polymorphic: the height drops to the block's base, pops stop there, pushes
 * still count (an over-estimate: engines compile no code there).
 */
export function maxStackHeight(f: ValidatedFunction, funcType: (index: number) => FuncType, types: readonly FuncType[]): number {
  // Each open block: operand height at its start (after an `if`'s condition) and its result count.
  const bases: number[] = [0];
  const results: number[] = [f.type.results.length];
  let h = 0;
  let max = 0;
  for (const ins of f.instrs) {
    const base = bases[bases.length - 1] ?? 0;
    const pop = (n: number): void => {
      h = h - n < base ? base : h - n;
    };
    const push = (n: number): void => {
      h += n;
      if (h > max) max = h;
    };
    const info = ins.info;
    if (info.stack === "fixed") {
      pop(info.pop);
      push(info.push);
      continue;
    }
    switch (info.name) {
      case "block":
      case "loop":
        bases.push(h);
        results.push(ins.arg);
        break;
      case "if":
        pop(1);
        bases.push(h);
        results.push(ins.arg);
        break;
      case "else":
        h = base;
        break;
      case "end":
        h = base;
        bases.pop();
        push(results.pop() ?? 0);
        break;
      case "br_if":
        pop(1);
        break;
      case "br":
      case "br_table":
      case "return":
      case "unreachable":
        h = base;
        break;
      case "call": {
        const t = funcType(ins.arg);
        pop(t.params.length);
        push(t.results.length);
        break;
      }
      case "call_indirect": {
        const t = types[ins.arg]!;
        pop(1 + t.params.length);
        push(t.results.length);
        break;
      }
      default:
        throw new Error(`stack effect of ${info.name} is not modelled`);
    }
  }
  return max;
}

interface Costs {
  functions: number[];
  indirect: number[];
}

function computeCosts(v: ValidatedModule): Costs {
  const m = v.module;
  const funcType = (i: number): FuncType => typeOfFunc(v, i);
  const functions: number[] = m.imports.map(() => IMPORT_CALL_SLOTS);
  for (const f of v.functions) {
    const scratch = scratchLocals(f);
    const locals = f.body.localCount + (scratch.f32 ? 1 : 0) + (scratch.f64 ? 1 : 0);
    const height = maxStackHeight(f, funcType, m.types);
    functions.push(saturate(FRAME_OVERHEAD_SLOTS + PARAM_SLOTS * f.type.params.length + locals + height + INJECTED_STACK_SLOTS));
  }
  // The table holds exactly the element segments' functions (no table.set/grow, no imported or
  // host-modified table), and call_indirect traps unless the entry's type equals the immediate.
  const byType = new Map<string, number>();
  for (const i of m.elementFuncs) {
    const k = typeKey(funcType(i));
    byType.set(k, Math.max(byType.get(k) ?? 0, functions[i]!));
  }
  const indirect = m.types.map((t) => Math.max(FRAME_OVERHEAD_SLOTS, byType.get(typeKey(t)) ?? 0));
  return { functions, indirect };
}

/**
 * Exported functions are replaced by trampolines (same type, not metered) that charge their own frame
 * plus the target's: the host's calls into the instance (entry points, allocate, deallocate) are then
 * guarded like wasm calls, and no frame runs uncharged.
 */
function trampolineCost(t: FuncType): number {
  // Its operand stack holds the params it forwards: height = params.
  return FRAME_OVERHEAD_SLOTS + (PARAM_SLOTS + 1) * t.params.length + INJECTED_STACK_SLOTS;
}

function entryCost(c: Costs, t: FuncType, target: number): number {
  return saturate(trampolineCost(t) + c.functions[target]!);
}

function instrument(v: ValidatedModule): Uint8Array {
  const m = v.module;
  const costs = computeCosts(v);
  // Appended after the module's globals, so existing global.get/set indices are unchanged.
  const g: Globals = { gas: m.globals.length, depth: m.globals.length + 1, trap: m.globals.length + 2 };

  // One trampoline per exported function index, in export order (deterministic), appended after the
  // defined functions so existing function indices are unchanged.
  const numFuncs = m.imports.length + m.functions.length;
  const trampolineOf = new Map<number, number>();
  const trampolines: Array<{ target: number; typeIndex: number }> = [];
  for (const e of m.exports) {
    if (e.kind !== EXTERNAL_KIND.func || trampolineOf.has(e.index)) continue;
    trampolineOf.set(e.index, numFuncs + trampolines.length);
    const typeIndex = e.index < m.imports.length ? m.imports[e.index]!.typeIndex : m.functions[e.index - m.imports.length]!;
    trampolines.push({ target: e.index, typeIndex });
  }

  const functionSection = (): Uint8Array => {
    const s = new Writer().u32(m.functions.length + trampolines.length);
    for (const t of m.functions) s.u32(t);
    for (const t of trampolines) s.u32(t.typeIndex);
    return s.finish();
  };
  const globalSection = (): Uint8Array => {
    const s = new Writer().u32(m.globals.length + 3);
    for (const gl of m.globals) s.bytes(gl.raw);
    s.u8(VALTYPE.i64).u8(1).u8(OP.i64Const).u8(0).u8(OP.end);
    s.u8(VALTYPE.i32).u8(1).u8(OP.i32Const).u8(0).u8(OP.end);
    s.u8(VALTYPE.i32).u8(1).u8(OP.i32Const).u8(0).u8(OP.end);
    return s.finish();
  };
  const exportSection = (): Uint8Array => {
    const s = new Writer().u32(m.exports.length + 3);
    for (const e of m.exports) s.name(e.name).u8(e.kind).u32(e.kind === EXTERNAL_KIND.func ? trampolineOf.get(e.index)! : e.index);
    s.name(VM_GLOBALS.gasLeft).u8(EXTERNAL_KIND.global).u32(g.gas);
    s.name(VM_GLOBALS.depthLeft).u8(EXTERNAL_KIND.global).u32(g.depth);
    s.name(VM_GLOBALS.trap).u8(EXTERNAL_KIND.global).u32(g.trap);
    return s.finish();
  };
  const codeSection = (): Uint8Array => {
    const s = new Writer().u32(v.functions.length + trampolines.length);
    for (const f of v.functions) {
      const body = instrumentFunction(f, g, costs);
      s.u32(body.length).bytes(body);
    }
    for (const t of trampolines) {
      const type = m.types[t.typeIndex]!;
      const w = new Writer().u32(0); // no locals
      for (let i = 0; i < type.params.length; i++) w.u8(OP.localGet).u32(i);
      emitGuardedCall(w, g, new Writer().u8(OP.call).u32(t.target).finish(), entryCost(costs, type, t.target));
      w.u8(OP.end);
      const body = w.finish();
      s.u32(body.length).bytes(body);
    }
    return s.finish();
  };
  // Sections we write, replacing the module's own or added where it has none (a module whose exports
  // are all imports has no function or code section; every module has an export section).
  const written: Array<[number, () => Uint8Array]> = [
    [SECTION.function, functionSection],
    [SECTION.global, globalSection],
    [SECTION.export, exportSection],
    [SECTION.code, codeSection],
  ];
  const done = new Set<number>();
  const out = new Writer().bytes(WASM_HEADER);
  const flushBefore = (rank: number): void => {
    for (const [id, make] of written) {
      if (SECTION_ORDER[id]! < rank && !done.has(id)) {
        out.section(id, make());
        done.add(id);
      }
    }
  };

  for (const section of m.sections) {
    const own = written.find(([id]) => id === section.id);
    if (section.id !== SECTION.custom) flushBefore(SECTION_ORDER[section.id]!);
    if (own !== undefined) {
      out.section(section.id, own[1]());
      done.add(section.id);
      continue;
    }
    if (section.id === SECTION.memory) {
      // Exactly one memory without maximum (validated): cap it so memory.grow fails with -1 beyond.
      const mem = m.memories[0]!;
      out.section(SECTION.memory, new Writer().u32(1).u8(0x01).u32(mem.min).u32(LIMITS.memoryPages).finish());
    } else {
      out.section(section.id, section.payload);
    }
  }
  flushBefore(Number.MAX_SAFE_INTEGER);
  return out.finish();
}

/** Gas a function pays at entry for its declared locals beyond FREE_LOCALS. */
export function localsCost(declaredLocals: number): bigint {
  return declaredLocals > FREE_LOCALS ? GAS_PER_OPERATION * BigInt(declaredLocals - FREE_LOCALS) : 0n;
}

function instrumentFunction(f: ValidatedFunction, g: Globals, costs: Costs): Uint8Array {
  const { body, instrs } = f;
  const { f32: usesF32, f64: usesF64 } = scratchLocals(f);
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
      if (ins.info.call) emitGuardedCall(w, g, bytes, ins.info.name === "call" ? costs.functions[ins.arg]! : costs.indirect[ins.arg]!);
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

/** if (depth_left <u cost) { trap = 2; unreachable } depth_left -= cost; <call>; depth_left += cost */
function emitGuardedCall(w: Writer, g: Globals, call: Uint8Array, cost: number): void {
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).sleb(BigInt(cost)).u8(OP.i32LtU);
  w.u8(OP.if).u8(OP.blockEmpty);
  w.u8(OP.i32Const).u8(2).u8(OP.globalSet).u32(g.trap).u8(OP.unreachable);
  w.u8(OP.end);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).sleb(BigInt(cost)).u8(OP.i32Sub).u8(OP.globalSet).u32(g.depth);
  w.bytes(call);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).sleb(BigInt(cost)).u8(OP.i32Add).u8(OP.globalSet).u32(g.depth);
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
