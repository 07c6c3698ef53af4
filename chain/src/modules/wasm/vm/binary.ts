// Reading and writing the wasm binary format: LEB128, sections, the module-level structure we accept.
// Consensus code: every malformed input must end in a WasmValidationError (never a RangeError or a
// TypeError), and nothing here may depend on floats, time or randomness.

/** Why an uploaded module is rejected. Messages are deterministic and meant for humans. */
export class WasmValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WasmValidationError";
  }
}

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** Position of each known section id in the mandated section order (spec §5.5.2). */
export const SECTION_ORDER: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
export type ValType = 0x7f | 0x7e | 0x7d | 0x7c;

const VALTYPE_NAMES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

export function valTypeName(t: number): string {
  return VALTYPE_NAMES[t] ?? `0x${t.toString(16)}`;
}

export const EXTERNAL_KIND = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

// @types/node 20 has no WebAssembly typings and the tsconfig has no "dom" lib: type the one call we make.
const engine = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** The engine's full validation (type checking included). */
export function engineValidates(bytes: Uint8Array): boolean {
  return engine.validate(bytes);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A bounded cursor over a byte array. All reads check the bound. */
export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    end = bytes.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  fail(message: string): never {
    throw new WasmValidationError(`${message} (at byte ${this.pos})`);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos]!;
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(): number {
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      if (i === 4) {
        if (b & 0xf0) this.fail("LEB128 u32 out of range or too long");
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return result >>> 0;
    }
    return this.fail("LEB128 u32 too long"); // unreachable: the loop returns or fails
  }

  /** Signed LEB128 of `bits` ≤ 64 bits; only checks the encoding (we copy immediates verbatim). */
  skipSigned(bits: 32 | 64): void {
    const maxBytes = bits === 32 ? 5 : 10;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      if ((b & 0x80) === 0) {
        if (i === maxBytes - 1) {
          // The last byte holds the sign bit: the unused high bits must all equal it.
          const used = bits - 7 * i; // 4 for i32, 1 for i64
          const rest = b >> (used - 1); // sign bit and the bits above it
          const all = 0x7f >> (used - 1);
          if (rest !== 0 && rest !== all) this.fail(`LEB128 i${bits} out of range`);
        }
        return;
      }
    }
    this.fail(`LEB128 i${bits} too long`);
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail("unexpected end of data");
    this.pos += n;
  }

  take(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const raw = this.take(this.u32());
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail("name is not valid UTF-8");
    }
  }
}

/** A growable byte buffer with the wasm encodings we emit. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  get length(): number {
    return this.len;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  u32(v: number): this {
    let x = v >>> 0;
    for (;;) {
      const b = x & 0x7f;
      x >>>= 7;
      if (x === 0) return this.u8(b);
      this.u8(b | 0x80);
    }
  }

  /** Signed LEB128 of any integer (i32 and i64 immediates). */
  sleb(v: bigint): this {
    let x = v;
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      const signBit = (b & 0x40) !== 0;
      if ((x === 0n && !signBit) || (x === -1n && signBit)) return this.u8(b);
      this.u8(b | 0x80);
    }
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** Appends a section: id, payload size, payload. */
  section(id: number, payload: Uint8Array): this {
    return this.u8(id).u32(payload.length).bytes(payload);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface FuncImport {
  module: string;
  name: string;
  typeIndex: number;
}

export interface Limits {
  min: number;
  max: number | undefined;
}

export interface Global {
  type: ValType;
  mutable: boolean;
  /** Raw encoding (type, mutability, init expression with its `end`), re-emitted verbatim. */
  raw: Uint8Array;
}

export interface Export {
  name: string;
  kind: number;
  index: number;
}

export interface FunctionBody {
  /** Local declarations as (count, type) groups, params excluded. */
  locals: Array<[number, ValType]>;
  /** Total declared locals (may be huge in a hostile module: compare before summing further). */
  localCount: number;
  /** The instruction bytes, from after the local declarations up to and including the final `end`. */
  code: Uint8Array;
}

export interface RawSection {
  id: number;
  payload: Uint8Array;
}

/** The module structure, decoded. Instructions are decoded separately (validate.ts). */
export interface WasmModule {
  sections: RawSection[];
  types: FuncType[];
  imports: FuncImport[];
  /** Type index of each defined function. */
  functions: number[];
  tables: Limits[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  /** Function indices referenced by element segments (for index checks). */
  elementFuncs: number[];
  bodies: FunctionBody[];
  customs: Array<{ name: string; payload: Uint8Array }>;
}

function valType(r: Reader, what: string): ValType {
  const t = r.u8();
  if (t === 0x7f || t === 0x7e || t === 0x7d || t === 0x7c) return t;
  if (t === 0x7b) r.fail(`SIMD type v128 is not allowed in ${what}`);
  if (t === 0x70 || t === 0x6f) r.fail(`reference type ${valTypeName(t)} is not allowed in ${what}`);
  return r.fail(`unknown value type 0x${t.toString(16)} in ${what}`);
}

function limits(r: Reader, what: string): Limits {
  const flag = r.u8();
  if (flag === 0) return { min: r.u32(), max: undefined };
  if (flag === 1) {
    const min = r.u32();
    const max = r.u32();
    return { min, max };
  }
  if (flag === 2 || flag === 3) return r.fail(`shared ${what} (threads) is not allowed`);
  return r.fail(`${what} limits flag 0x${flag.toString(16)} is not supported (memory64?)`);
}

/** A constant expression of the form `<t>.const x end` (the only form valid without imported globals). */
function constExpr(r: Reader, type: ValType, what: string): void {
  const op = r.u8();
  const expected = { 0x7f: 0x41, 0x7e: 0x42, 0x7d: 0x43, 0x7c: 0x44 }[type];
  if (op !== expected) r.fail(`${what}: initializer must be ${valTypeName(type)}.const`);
  if (op === 0x41) r.skipSigned(32);
  else if (op === 0x42) r.skipSigned(64);
  else r.skip(op === 0x43 ? 4 : 8);
  if (r.u8() !== 0x0b) r.fail(`${what}: initializer must be a single constant`);
}

function vec(r: Reader, each: (i: number) => void): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) each(i);
}

/** Decodes the module structure. Rejects what no accepted module can contain (post-MVP encodings). */
export function parseModule(bytes: Uint8Array): WasmModule {
  const r = new Reader(bytes);
  if (bytes.length < 8) r.fail("not a wasm module: too short");
  for (let i = 0; i < 4; i++) if (bytes[i] !== WASM_HEADER[i]) r.fail("not a wasm module: bad magic number");
  for (let i = 4; i < 8; i++) if (bytes[i] !== WASM_HEADER[i]) r.fail("unsupported wasm binary version");
  r.pos = 8;

  const m: WasmModule = {
    sections: [],
    types: [],
    imports: [],
    functions: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elementFuncs: [],
    bodies: [],
    customs: [],
  };
  let lastOrder = 0;

  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail(`section ${id} is truncated`);
    const payload = bytes.subarray(r.pos, r.pos + size);
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    m.sections.push({ id, payload });

    if (id !== SECTION.custom) {
      const order = SECTION_ORDER[id];
      if (order === undefined) s.fail(`unknown section id ${id}`);
      if (order <= lastOrder) s.fail(`section ${id} is duplicated or out of order`);
      lastOrder = order;
    }

    switch (id) {
      case SECTION.custom: {
        const name = s.name();
        m.customs.push({ name, payload: bytes.subarray(s.pos, s.end) });
        s.pos = s.end;
        break;
      }
      case SECTION.type:
        vec(s, () => {
          const form = s.u8();
          if (form !== 0x60) s.fail(`type form 0x${form.toString(16)} is not a function type (GC types are not allowed)`);
          const params: ValType[] = [];
          const results: ValType[] = [];
          vec(s, () => params.push(valType(s, "function parameters")));
          vec(s, () => results.push(valType(s, "function results")));
          m.types.push({ params, results });
        });
        break;
      case SECTION.import:
        vec(s, () => {
          const module = s.name();
          const name = s.name();
          const kind = s.u8();
          if (kind !== EXTERNAL_KIND.func) {
            const what = ["function", "table", "memory", "global", "tag"][kind] ?? `kind ${kind}`;
            s.fail(`import ${module}.${name} is a ${what}; only functions may be imported`);
          }
          m.imports.push({ module, name, typeIndex: s.u32() });
        });
        break;
      case SECTION.function:
        vec(s, () => m.functions.push(s.u32()));
        break;
      case SECTION.table:
        vec(s, () => {
          const elem = s.u8();
          if (elem !== 0x70) s.fail(`table element type ${valTypeName(elem)} is not allowed (only funcref)`);
          m.tables.push(limits(s, "table"));
        });
        break;
      case SECTION.memory:
        vec(s, () => m.memories.push(limits(s, "memory")));
        break;
      case SECTION.tag:
        s.fail("exception handling (tag section) is not allowed");
        break;
      case SECTION.global:
        vec(s, (i) => {
          const start = s.pos;
          const type = valType(s, "globals");
          const mut = s.u8();
          if (mut > 1) s.fail(`global ${i}: bad mutability flag`);
          constExpr(s, type, `global ${i}`);
          m.globals.push({ type, mutable: mut === 1, raw: bytes.subarray(start, s.pos) });
        });
        break;
      case SECTION.export:
        vec(s, () => {
          const name = s.name();
          const kind = s.u8();
          if (kind > EXTERNAL_KIND.global) s.fail(`export ${name}: unknown export kind ${kind}`);
          m.exports.push({ name, kind, index: s.u32() });
        });
        break;
      case SECTION.start:
        s.fail("a start function is not allowed");
        break;
      case SECTION.element:
        vec(s, (i) => {
          const flag = s.u32();
          if (flag !== 0) s.fail(`element segment ${i}: only active segments of function indices for table 0 are allowed (bulk memory / reference types)`);
          constExpr(s, VALTYPE.i32, `element segment ${i}`);
          vec(s, () => m.elementFuncs.push(s.u32()));
        });
        break;
      case SECTION.dataCount:
        s.fail("a data count section is not allowed (bulk memory)");
        break;
      case SECTION.code:
        vec(s, (i) => {
          const size = s.u32();
          if (size > s.end - s.pos) s.fail(`function body ${i} is truncated`);
          const b = new Reader(bytes, s.pos, s.pos + size);
          s.pos += size;
          const locals: Array<[number, ValType]> = [];
          let localCount = 0;
          vec(b, () => {
            const n = b.u32();
            localCount += n; // at most 2^32 per group × groups bounded by the body size: no overflow issue
            locals.push([n, valType(b, "locals")]);
          });
          m.bodies.push({ locals, localCount, code: bytes.subarray(b.pos, b.end) });
        });
        break;
      case SECTION.data:
        vec(s, (i) => {
          const flag = s.u32();
          if (flag === 1) s.fail(`data segment ${i}: passive data segments are not allowed (bulk memory)`);
          if (flag !== 0) s.fail(`data segment ${i}: only active segments for memory 0 are allowed`);
          constExpr(s, VALTYPE.i32, `data segment ${i}`);
          s.take(s.u32());
        });
        break;
    }
    if (id !== SECTION.custom && !s.atEnd()) s.fail(`section ${id} has trailing bytes`);
  }

  if (m.functions.length !== m.bodies.length) {
    r.fail(`function and code sections disagree (${m.functions.length} declared, ${m.bodies.length} bodies)`);
  }
  return m;
}
