// Upload rules for contract code (WASM-VM.md §1.1, §1.4, §4.1). A module either passes every rule or
// the upload fails with a WasmValidationError whose message says which rule; the decision depends only
// on the bytes, so every node reaches the same one.
import { EXTERNAL_KIND, Reader, VALTYPE, WasmValidationError, engineValidates, parseModule, valTypeName } from "./binary.js";
import type { FuncType, FunctionBody, ValType, WasmModule } from "./binary.js";
import { FC_PREFIX, OPCODES, fcKey, rejectionReason } from "./opcodes.js";
import type { OpInfo } from "./opcodes.js";
import type { EntryPoint } from "./types.js";

export { WasmValidationError } from "./binary.js";

/** Capabilities this chain offers to `requires_<cap>` exports. */
export const SUPPORTED_CAPABILITIES: readonly string[] = [
  "iterator",
  "staking",
  "stargate",
  "cosmwasm_1_1",
  "cosmwasm_1_2",
  "cosmwasm_1_3",
  "cosmwasm_1_4",
  "cosmwasm_2_0",
  "cosmwasm_2_1",
  "cosmwasm_2_2",
];

export const LIMITS = {
  /** 32 MiB, wasmd's contractMemoryLimit. */
  memoryPages: 512,
  tableElements: 2500,
  imports: 100,
  functions: 20_000,
  paramsPerFunction: 100,
  totalParams: 10_000,
  resultsPerFunction: 1,
  localsPerFunction: 100,
  totalLocals: 10_000,
} as const;

const { i32, i64 } = VALTYPE;
const sig = (params: ValType[], results: ValType[] = []): FuncType => ({ params, results });

/** The `env` imports a contract may use, with their exact signatures (WASM-VM.md §1.4). */
export const SUPPORTED_IMPORTS: ReadonlyMap<string, FuncType> = new Map([
  ["db_read", sig([i32], [i32])],
  ["db_write", sig([i32, i32])],
  ["db_remove", sig([i32])],
  ["db_scan", sig([i32, i32, i32], [i32])],
  ["db_next", sig([i32], [i32])],
  ["db_next_key", sig([i32], [i32])],
  ["db_next_value", sig([i32], [i32])],
  ["addr_validate", sig([i32], [i32])],
  ["addr_canonicalize", sig([i32, i32], [i32])],
  ["addr_humanize", sig([i32, i32], [i32])],
  ["secp256k1_verify", sig([i32, i32, i32], [i32])],
  ["secp256k1_recover_pubkey", sig([i32, i32, i32], [i64])],
  ["secp256r1_verify", sig([i32, i32, i32], [i32])],
  ["secp256r1_recover_pubkey", sig([i32, i32, i32], [i64])],
  ["ed25519_verify", sig([i32, i32, i32], [i32])],
  ["ed25519_batch_verify", sig([i32, i32, i32], [i32])],
  ["bls12_381_aggregate_g1", sig([i32, i32], [i32])],
  ["bls12_381_aggregate_g2", sig([i32, i32], [i32])],
  ["bls12_381_pairing_equality", sig([i32, i32, i32, i32], [i32])],
  ["bls12_381_hash_to_g1", sig([i32, i32, i32, i32], [i32])],
  ["bls12_381_hash_to_g2", sig([i32, i32, i32, i32], [i32])],
  ["debug", sig([i32])],
  ["abort", sig([i32])],
  ["query_chain", sig([i32], [i32])],
]);

/** Argument counts of the entry points (all Region pointers, i32 → i32). */
const ENTRY_POINT_ARITY: Record<EntryPoint, number[]> = {
  instantiate: [3],
  execute: [3],
  query: [2],
  migrate: [2, 3],
  reply: [2],
  sudo: [2],
};

/** Export names the instrumentation adds (README "The contract between instrumentation and runtime"). */
export const RESERVED_EXPORTS: readonly string[] = ["soa_gas_left", "soa_depth_left", "soa_trap"];

/** One decoded instruction: its bytes are `body.code[start, end)`. */
export interface Instr {
  start: number;
  end: number;
  info: OpInfo;
  /**
   * The immediate the stack-height analysis needs: the function index of `call`, the type index of
   * `call_indirect`, the result count (0 or 1) of `block`/`loop`/`if`, the label of `br`/`br_if`;
   * 0 for every other instruction.
   */
  arg: number;
}

export interface ValidatedFunction {
  /** Index in the function index space (imports first), as in error messages and name sections. */
  index: number;
  type: FuncType;
  body: FunctionBody;
  instrs: Instr[];
}

export interface ValidatedModule {
  module: WasmModule;
  functions: ValidatedFunction[];
  /** Capabilities from `requires_*` exports, sorted, all supported. */
  capabilities: string[];
  /** Entry points exported, sorted. */
  entryPoints: EntryPoint[];
  /** 2 or 3 if `migrate` is exported, else 0. */
  migrateArity: number;
  migrateVersion: bigint | undefined;
}

function fail(message: string): never {
  throw new WasmValidationError(message);
}

const typeString = (t: FuncType): string => `(${t.params.map(valTypeName).join(", ")}) -> (${t.results.map(valTypeName).join(", ")})`;
const sameType = (a: FuncType, b: FuncType): boolean => typeString(a) === typeString(b);
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Checks every upload rule; returns the decoded module for analysis and instrumentation. */
export function validateModule(wasm: Uint8Array): ValidatedModule {
  const m = parseModule(wasm);

  // Types: CosmWasm applies the parameter/result limits to the type section.
  let totalParams = 0;
  m.types.forEach((t, i) => {
    if (t.params.length > LIMITS.paramsPerFunction) fail(`type ${i} has ${t.params.length} parameters (max ${LIMITS.paramsPerFunction})`);
    if (t.results.length > LIMITS.resultsPerFunction) fail(`type ${i} has ${t.results.length} results (max ${LIMITS.resultsPerFunction}; multi-value is not allowed)`);
    totalParams += t.params.length;
  });
  if (totalParams > LIMITS.totalParams) fail(`function types have ${totalParams} parameters in total (max ${LIMITS.totalParams})`);
  const typeOf = (typeIndex: number, what: string): FuncType => m.types[typeIndex] ?? fail(`${what}: type index ${typeIndex} out of range`);

  // Imports.
  if (m.imports.length > LIMITS.imports) fail(`module has ${m.imports.length} imports (max ${LIMITS.imports})`);
  const funcTypes: FuncType[] = [];
  for (const imp of m.imports) {
    if (imp.module !== "env") fail(`import ${imp.module}.${imp.name}: only imports from module "env" are allowed`);
    const expected = SUPPORTED_IMPORTS.get(imp.name) ?? fail(`import env.${imp.name} is not supported by this chain`);
    const actual = typeOf(imp.typeIndex, `import env.${imp.name}`);
    if (!sameType(actual, expected)) fail(`import env.${imp.name} has signature ${typeString(actual)}, expected ${typeString(expected)}`);
    funcTypes.push(actual);
  }

  // Functions.
  if (m.functions.length > LIMITS.functions) fail(`module defines ${m.functions.length} functions (max ${LIMITS.functions})`);
  m.functions.forEach((t, i) => funcTypes.push(typeOf(t, `function ${m.imports.length + i}`)));

  // Table and memory.
  if (m.tables.length > 1) fail(`module defines ${m.tables.length} tables (max 1)`);
  const table = m.tables[0];
  if (table !== undefined) {
    if (table.max === undefined) fail(`the table must declare a maximum size (at most ${LIMITS.tableElements})`);
    if (table.max > LIMITS.tableElements) fail(`table maximum ${table.max} exceeds ${LIMITS.tableElements} elements`);
    if (table.min > table.max) fail(`table minimum ${table.min} exceeds its maximum ${table.max}`);
  }
  if (m.memories.length !== 1) fail(`module must define exactly one memory, found ${m.memories.length}`);
  const memory = m.memories[0]!;
  if (memory.max !== undefined) fail("memory maximum must be unset (the chain sets it)");
  if (memory.min > LIMITS.memoryPages) fail(`memory initial size ${memory.min} pages exceeds ${LIMITS.memoryPages} pages`);

  for (const f of m.elementFuncs) if (f >= funcTypes.length) fail(`element segment: function index ${f} out of range`);
  if (m.elementFuncs.length > 0 && table === undefined) fail("element segment without a table");

  // Exports.
  const exported = new Map<string, { kind: number; index: number }>();
  const counts = [funcTypes.length, m.tables.length, m.memories.length, m.globals.length];
  for (const e of m.exports) {
    if (exported.has(e.name)) fail(`duplicate export ${e.name}`);
    if (e.index >= counts[e.kind]!) fail(`export ${e.name}: index ${e.index} out of range`);
    if (RESERVED_EXPORTS.includes(e.name)) fail(`export name ${e.name} is reserved for the VM`);
    exported.set(e.name, e);
  }
  const exportedFunc = (name: string): FuncType | undefined => {
    const e = exported.get(name);
    if (e === undefined) return undefined;
    if (e.kind !== EXTERNAL_KIND.func) fail(`export ${name} must be a function`);
    return funcTypes[e.index];
  };
  if (exported.get("memory")?.kind !== EXTERNAL_KIND.memory) fail('the memory must be exported as "memory"');

  const funcExports = m.exports.filter((e) => e.kind === EXTERNAL_KIND.func).map((e) => e.name);
  const markers = funcExports.filter((n) => n.startsWith("interface_version_"));
  if (markers.length === 0) fail("missing the interface_version_8 export");
  if (markers.length > 1) fail(`more than one interface_version_* export: ${markers.sort(byCodeUnits).join(", ")}`);
  if (markers[0] !== "interface_version_8") fail(`unsupported interface version export ${markers[0]} (this chain supports interface_version_8)`);

  const allocate = exportedFunc("allocate") ?? fail("missing the allocate export");
  if (!sameType(allocate, sig([i32], [i32]))) fail(`export allocate has signature ${typeString(allocate)}, expected (i32) -> (i32)`);
  const deallocate = exportedFunc("deallocate") ?? fail("missing the deallocate export");
  if (!sameType(deallocate, sig([i32]))) fail(`export deallocate has signature ${typeString(deallocate)}, expected (i32) -> ()`);

  const entryPoints: EntryPoint[] = [];
  let migrateArity = 0;
  for (const [name, arities] of Object.entries(ENTRY_POINT_ARITY) as Array<[EntryPoint, number[]]>) {
    const t = exportedFunc(name);
    if (t === undefined) continue;
    const ok = arities.includes(t.params.length) && t.params.every((p) => p === i32) && t.results.length === 1 && t.results[0] === i32;
    if (!ok) fail(`entry point ${name} has signature ${typeString(t)}, expected ${arities.map((n) => typeString(sig(new Array<ValType>(n).fill(i32), [i32]))).join(" or ")}`);
    entryPoints.push(name);
    if (name === "migrate") migrateArity = t.params.length;
  }
  entryPoints.sort(byCodeUnits);

  const capabilities = funcExports.filter((n) => n.startsWith("requires_")).map((n) => n.slice("requires_".length));
  capabilities.sort(byCodeUnits);
  const missing = capabilities.filter((c) => !SUPPORTED_CAPABILITIES.includes(c));
  if (missing.length > 0) fail(`contract requires unavailable capabilities: ${missing.join(", ")}`);

  // cw_migrate_version custom section.
  let migrateVersion: bigint | undefined;
  for (const c of m.customs) {
    if (c.name !== "cw_migrate_version") continue;
    if (migrateVersion !== undefined) fail("duplicate cw_migrate_version custom section");
    const text = String.fromCharCode(...c.payload.subarray(0, 21));
    if (c.payload.length === 0 || c.payload.length > 20 || !/^[0-9]+$/.test(text)) fail("cw_migrate_version must be a decimal u64");
    migrateVersion = BigInt(text);
    if (migrateVersion > 0xffff_ffff_ffff_ffffn) fail("cw_migrate_version must be a decimal u64");
  }

  // Function bodies.
  let totalLocals = 0;
  const functions: ValidatedFunction[] = m.bodies.map((body, i) => {
    const index = m.imports.length + i;
    if (body.localCount > LIMITS.localsPerFunction) fail(`function ${index} has ${body.localCount} locals (max ${LIMITS.localsPerFunction})`);
    totalLocals += body.localCount;
    if (totalLocals > LIMITS.totalLocals) fail(`functions have more than ${LIMITS.totalLocals} locals in total`);
    const type = funcTypes[index]!;
    const ctx: BodyContext = { index, numLocals: type.params.length + body.localCount, numFuncs: funcTypes.length, m };
    return { index, type, body, instrs: decodeBody(body.code, ctx) };
  });

  // Type checking (operand stack, block signatures, mutability of global.set…) is left to the engine's
  // validator: on the MVP subset accepted above, every conforming engine agrees on validity.
  if (!engineValidates(wasm)) fail("module is not valid WebAssembly (type check failed)");

  return { module: m, functions, capabilities, entryPoints, migrateArity, migrateVersion };
}

interface BodyContext {
  index: number;
  numLocals: number;
  numFuncs: number;
  m: WasmModule;
}

/** Decodes a function body against the opcode whitelist. */
function decodeBody(code: Uint8Array, ctx: BodyContext): Instr[] {
  const r = new Reader(code);
  const bad = (message: string): never => fail(`${message} (function ${ctx.index})`);
  const instrs: Instr[] = [];
  // Open frames; true for an `if` that has not seen its `else`. The function itself is the outer frame.
  const frames: boolean[] = [false];
  try {
    while (frames.length > 0) {
      if (r.atEnd()) bad("function body ends before its final end");
      const start = r.pos;
      let key = r.u8();
      if (key === FC_PREFIX) {
        const sub = r.u32();
        key = sub <= 0xff ? fcKey(sub) : -1;
        if (key < 0) bad(`unknown opcode 0xfc ${sub}`);
      }
      const info = OPCODES.get(key) ?? bad(rejectionReason(key));
      let arg = 0;
      switch (info.imm) {
        case "none":
          break;
        case "blocktype": {
          const b = r.peek();
          if (b === 0x40 || b === VALTYPE.i32 || b === VALTYPE.i64 || b === VALTYPE.f32 || b === VALTYPE.f64) arg = r.u8() === 0x40 ? 0 : 1;
          else if (b === 0x7b) bad(`SIMD block type in ${info.name} is not allowed`);
          else if (b === 0x70 || b === 0x6f) bad(`reference-type block type in ${info.name} is not allowed`);
          else bad(`multi-value block type in ${info.name} is not allowed`);
          break;
        }
        case "label": {
          const l = r.u32();
          if (l >= frames.length) bad(`${info.name}: label ${l} out of range`);
          arg = l;
          break;
        }
        case "br_table": {
          const n = r.u32();
          for (let i = 0; i <= n; i++) if (r.u32() >= frames.length) bad("br_table: label out of range");
          break;
        }
        case "func":
          arg = r.u32();
          if (arg >= ctx.numFuncs) bad("call: function index out of range");
          break;
        case "call_indirect":
          arg = r.u32();
          if (arg >= ctx.m.types.length) bad("call_indirect: type index out of range");
          if (r.u32() !== 0 || ctx.m.tables.length === 0) bad("call_indirect: table index out of range");
          break;
        case "local":
          if (r.u32() >= ctx.numLocals) bad(`${info.name}: local index out of range`);
          break;
        case "global":
          if (r.u32() >= ctx.m.globals.length) bad(`${info.name}: global index out of range`);
          break;
        case "memarg":
          if (r.u32() > info.align) bad(`${info.name}: alignment larger than natural`);
          r.u32();
          break;
        case "memory":
          if (r.u8() !== 0) bad(`${info.name}: memory index must be 0`);
          break;
        case "i32":
          r.skipSigned(32);
          break;
        case "i64":
          r.skipSigned(64);
          break;
        case "f32":
          r.skip(4);
          break;
        case "f64":
          r.skip(8);
          break;
      }
      if (info.control === "open") frames.push(info.name === "if");
      else if (info.control === "end") frames.pop();
      else if (info.control === "else") {
        if (frames.length < 2 || !frames[frames.length - 1]) bad("else without a matching if");
        frames[frames.length - 1] = false;
      }
      instrs.push({ start, end: r.pos, info, arg });
    }
    if (!r.atEnd()) bad("bytes after the final end");
  } catch (e) {
    if (e instanceof WasmValidationError && !e.message.endsWith(`(function ${ctx.index})`)) bad(e.message);
    throw e;
  }
  return instrs;
}
