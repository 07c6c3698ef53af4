// The instructions an uploaded contract may use: MVP + sign-extension + saturating float-to-int
// (WASM-VM.md §1.1, §4.1). Everything else is rejected at upload, with the reason below when we know it.

/** Immediate operands following an opcode. */
export type Immediate =
  | "none"
  | "blocktype"
  | "label"
  | "br_table"
  | "func"
  | "call_indirect"
  | "local"
  | "global"
  | "memarg"
  | "memory" // memory.size / memory.grow: a reserved 0x00 byte
  | "i32"
  | "i64"
  | "f32"
  | "f64";

export interface OpInfo {
  name: string;
  imm: Immediate;
  /** CosmWasm "accounting" operator: ends a metering block and costs 1 610 instead of 115. */
  accounting: boolean;
  /** `call` / `call_indirect`: wrapped by the call-depth guard. */
  call: boolean;
  /** The result may be a NaN with a platform-dependent payload: canonicalise it. */
  nan: "f32" | "f64" | undefined;
  /** Block structure: opens a frame (block/loop/if), `else`, or closes one (`end`). */
  control: "open" | "else" | "end" | undefined;
  /** log2 of the natural alignment of a memory access (memarg ops only). */
  align: number;
  /**
   * Operand-stack effect: values popped, then values pushed. Fixed for every instruction except
   * those whose effect depends on an immediate or on the enclosing block (`stack: "special"`:
   * block/loop/if/else/end, br/br_if/br_table/return/unreachable, call/call_indirect); for those the
   * numbers here are 0 and the stack-height analysis (instrument.ts) handles them.
   */
  pop: number;
  push: number;
  stack: "fixed" | "special";
}

/** Key of an opcode: the byte, or 0xFC00 | sub-opcode for the 0xFC prefix. */
export const FC_PREFIX = 0xfc;
export const fcKey = (sub: number): number => 0xfc00 | sub;

const table = new Map<number, OpInfo>();

function op(code: number, name: string, imm: Immediate = "none", extra: Partial<OpInfo> = {}): void {
  table.set(code, { name, imm, accounting: false, call: false, nan: undefined, control: undefined, align: 0, pop: 0, push: 0, stack: "fixed", ...extra });
}

const ACCOUNTING = { accounting: true } as const;
const SPECIAL = { stack: "special" } as const;
/** Stack effect [pop, push] as an `extra`. */
const fx = (pop: number, push: number): Partial<OpInfo> => ({ pop, push });

// Control.
op(0x00, "unreachable", "none", { ...ACCOUNTING, ...SPECIAL });
op(0x01, "nop");
op(0x02, "block", "blocktype", { ...SPECIAL, control: "open" });
op(0x03, "loop", "blocktype", { ...ACCOUNTING, ...SPECIAL, control: "open" });
op(0x04, "if", "blocktype", { ...ACCOUNTING, ...SPECIAL, control: "open" });
op(0x05, "else", "none", { ...ACCOUNTING, ...SPECIAL, control: "else" });
op(0x0b, "end", "none", { ...ACCOUNTING, ...SPECIAL, control: "end" });
op(0x0c, "br", "label", { ...ACCOUNTING, ...SPECIAL });
op(0x0d, "br_if", "label", { ...ACCOUNTING, ...SPECIAL });
op(0x0e, "br_table", "br_table", { ...ACCOUNTING, ...SPECIAL });
op(0x0f, "return", "none", { ...ACCOUNTING, ...SPECIAL });
op(0x10, "call", "func", { ...ACCOUNTING, ...SPECIAL, call: true });
op(0x11, "call_indirect", "call_indirect", { ...ACCOUNTING, ...SPECIAL, call: true });

// Parametric and variables.
op(0x1a, "drop", "none", fx(1, 0));
op(0x1b, "select", "none", fx(3, 1));
op(0x20, "local.get", "local", fx(0, 1));
op(0x21, "local.set", "local", fx(1, 0));
op(0x22, "local.tee", "local", fx(1, 1));
op(0x23, "global.get", "global", fx(0, 1));
op(0x24, "global.set", "global", fx(1, 0));

// Memory: [opcode, name, log2 natural alignment].
const memOps: Array<[number, string, number]> = [
  [0x28, "i32.load", 2], [0x29, "i64.load", 3], [0x2a, "f32.load", 2], [0x2b, "f64.load", 3],
  [0x2c, "i32.load8_s", 0], [0x2d, "i32.load8_u", 0], [0x2e, "i32.load16_s", 1], [0x2f, "i32.load16_u", 1],
  [0x30, "i64.load8_s", 0], [0x31, "i64.load8_u", 0], [0x32, "i64.load16_s", 1], [0x33, "i64.load16_u", 1],
  [0x34, "i64.load32_s", 2], [0x35, "i64.load32_u", 2],
  [0x36, "i32.store", 2], [0x37, "i64.store", 3], [0x38, "f32.store", 2], [0x39, "f64.store", 3],
  [0x3a, "i32.store8", 0], [0x3b, "i32.store16", 1], [0x3c, "i64.store8", 0], [0x3d, "i64.store16", 1],
  [0x3e, "i64.store32", 2],
];
// Loads pop an address and push a value; stores pop an address and a value.
for (const [code, name, align] of memOps) op(code, name, "memarg", { align, ...(name.includes(".store") ? fx(2, 0) : fx(1, 1)) });
op(0x3f, "memory.size", "memory", fx(0, 1));
op(0x40, "memory.grow", "memory", fx(1, 1));

// Constants.
op(0x41, "i32.const", "i32", fx(0, 1));
op(0x42, "i64.const", "i64", fx(0, 1));
op(0x43, "f32.const", "f32", fx(0, 1));
op(0x44, "f64.const", "f64", fx(0, 1));

// Numeric operators 0x45..0xBF have no immediates. Names are listed for messages and tests.
const numeric = [
  "i32.eqz", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u",
  "i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u",
  "f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le", "f32.ge",
  "f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge",
  "i32.clz", "i32.ctz", "i32.popcnt", "i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u",
  "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s", "i32.shr_u", "i32.rotl", "i32.rotr",
  "i64.clz", "i64.ctz", "i64.popcnt", "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u",
  "i64.and", "i64.or", "i64.xor", "i64.shl", "i64.shr_s", "i64.shr_u", "i64.rotl", "i64.rotr",
  "f32.abs", "f32.neg", "f32.ceil", "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt",
  "f32.add", "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign",
  "f64.abs", "f64.neg", "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest", "f64.sqrt",
  "f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign",
  "i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
  "i64.extend_i32_s", "i64.extend_i32_u", "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
  "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u", "f32.demote_f64",
  "f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
  "i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64",
  // Sign extension (0xC0..0xC4).
  "i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s",
];

// Float results that may be a NaN whose payload is not fixed by the spec: arithmetic, sqrt, min/max,
// rounding, demote/promote. Not here: abs/neg/copysign (pure bit operations), reinterpret (bit copy),
// loads and consts (bits are given), comparisons (i32 result), int→float conversions (never NaN).
const NAN_PRODUCING = /^f(32|64)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64|promote_f32)$/;

// Binary operators and comparisons pop two values; every other numeric operator (eqz, unary
// arithmetic, conversions, reinterpretations, sign extension) pops one. All push one.
const BINARY = /\.(eq|ne|lt|gt|le|ge|lt_[su]|gt_[su]|le_[su]|ge_[su]|add|sub|mul|div|div_[su]|rem_[su]|and|or|xor|shl|shr_[su]|rotl|rotr|min|max|copysign)$/;

numeric.forEach((name, i) => {
  const m = NAN_PRODUCING.exec(name);
  op(0x45 + i, name, "none", { nan: m ? (m[1] === "32" ? "f32" : "f64") : undefined, ...fx(BINARY.test(name) ? 2 : 1, 1) });
});

// Saturating float-to-int (0xFC 0x00..0x07): never trap, never NaN.
["i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
  "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u", "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u"].forEach((name, i) => op(fcKey(i), name, "none", fx(1, 1)));

/** Accepted instructions by key (see `fcKey`). */
export const OPCODES: ReadonlyMap<number, OpInfo> = table;

/** Known instructions we reject, with the feature they belong to (for the error message). */
const REJECTED = new Map<number, string>([
  [0x06, "exception handling operation try"],
  [0x07, "exception handling operation catch"],
  [0x08, "exception handling operation throw"],
  [0x09, "exception handling operation rethrow"],
  [0x0a, "exception handling operation throw_ref"],
  [0x18, "exception handling operation delegate"],
  [0x19, "exception handling operation catch_all"],
  [0x1f, "exception handling operation try_table"],
  [0x12, "tail call operation return_call"],
  [0x13, "tail call operation return_call_indirect"],
  [0x14, "typed function reference operation call_ref"],
  [0x15, "tail call operation return_call_ref"],
  [0x1c, "reference-type operation select (typed)"],
  [0x25, "reference-type operation table.get"],
  [0x26, "reference-type operation table.set"],
  [0xd0, "reference-type operation ref.null"],
  [0xd1, "reference-type operation ref.is_null"],
  [0xd2, "reference-type operation ref.func"],
  [0xfb, "GC operation (0xfb prefix)"],
  [0xfd, "SIMD operation (0xfd prefix)"],
  [0xfe, "threads/atomics operation (0xfe prefix)"],
  [fcKey(0x08), "bulk memory operation memory.init"],
  [fcKey(0x09), "bulk memory operation data.drop"],
  [fcKey(0x0a), "bulk memory operation memory.copy"],
  [fcKey(0x0b), "bulk memory operation memory.fill"],
  [fcKey(0x0c), "bulk memory operation table.init"],
  [fcKey(0x0d), "bulk memory operation elem.drop"],
  [fcKey(0x0e), "bulk memory operation table.copy"],
  [fcKey(0x0f), "reference-type operation table.grow"],
  [fcKey(0x10), "reference-type operation table.size"],
  [fcKey(0x11), "reference-type operation table.fill"],
]);

/** Why an instruction key is not accepted: "<feature> operation <name> is not allowed" or unknown. */
export function rejectionReason(key: number): string {
  const known = REJECTED.get(key);
  if (known !== undefined) return `${known} is not allowed`;
  if (key > 0xff) return `unknown opcode 0xfc 0x${(key & 0xff).toString(16)}`;
  return `unknown opcode 0x${key.toString(16)}`;
}
