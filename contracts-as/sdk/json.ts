// A small strict JSON reader and writer for the CosmWasm ABI shapes.
//
// Why not json-as: with 0.28.20 and the §4.3 flags it is float-free, but it silently accepts numbers
// serde rejects (2^64 parses as 0, -1 and 1.5 as garbage), aborts (a VM error) on malformed input where
// a contract error is wanted, and adds ~35 KB and ~3.5 s of compile time per contract.
//
// Numbers are kept as their source text and converted on demand with exact integer arithmetic: a u64 or
// Uint128 never passes through f64. Parse errors are returned, never thrown, so entry points can answer
// `{"error":"..."}`.

export const enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** serde_json's default recursion limit. */
const MAX_DEPTH: i32 = 128;

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  /** Bool: "true"/"false"; Number: the literal text; String: the decoded value. */
  text: string = "";
  /** Array items, or object values (parallel to `keys`). */
  items: JsonValue[] = [];
  /** Object keys in document order. */
  keys: string[] = [];

  static null(): JsonValue {
    return new JsonValue();
  }

  get isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  get isObject(): bool {
    return this.kind == JsonKind.Object;
  }
  get isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  get isString(): bool {
    return this.kind == JsonKind.String;
  }
  get isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  get isBool(): bool {
    return this.kind == JsonKind.Bool;
  }

  /** The value of `key` in an object, or null if absent or not an object. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] == key) return this.items[i];
    }
    return null;
  }

  /** Re-serialises this value (compact, keys in document order). */
  toString(): string {
    const w = new JsonWriter();
    writeValue(w, this);
    return w.toString();
  }

  /** A short description for error messages, like serde's "invalid type: string \"x\"". */
  describe(): string {
    switch (this.kind) {
      case JsonKind.Null:
        return "null";
      case JsonKind.Bool:
        return "boolean `" + this.text + "`";
      case JsonKind.Number:
        return "number " + this.text;
      case JsonKind.String:
        return 'string "' + this.text + '"';
      case JsonKind.Array:
        return "sequence";
      default:
        return "map";
    }
  }
}

function writeValue(w: JsonWriter, v: JsonValue): void {
  switch (v.kind) {
    case JsonKind.Null:
      w.raw("null");
      break;
    case JsonKind.Bool:
    case JsonKind.Number:
      w.raw(v.text);
      break;
    case JsonKind.String:
      w.string(v.text);
      break;
    case JsonKind.Array:
      w.raw("[");
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) w.raw(",");
        writeValue(w, v.items[i]);
      }
      w.raw("]");
      break;
    default:
      w.raw("{");
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) w.raw(",");
        w.string(v.keys[i]);
        w.raw(":");
        writeValue(w, v.items[i]);
      }
      w.raw("}");
  }
}

/** The outcome of a parse: `value` on success, otherwise `error` (with the byte offset). */
export class JsonParse {
  value: JsonValue | null = null;
  error: string | null = null;
}

/** Parses UTF-8 JSON from memory. Whitespace around the value is allowed, trailing data is not. */
export function parseJsonAt(ptr: usize, len: usize): JsonParse {
  const p = new Parser(ptr, len);
  const out = new JsonParse();
  p.skipWs();
  const v = p.value(0);
  if (p.error === null) {
    p.skipWs();
    if (p.pos < p.end) p.fail("trailing characters");
  }
  if (p.error !== null) {
    out.error = p.error! + " at byte " + (p.pos - ptr).toString();
  } else {
    out.value = v;
  }
  return out;
}

export function parseJsonBytes(bytes: Uint8Array): JsonParse {
  return parseJsonAt(bytes.dataStart, <usize>bytes.length);
}

export function parseJson(s: string): JsonParse {
  const buf = String.UTF8.encode(s);
  return parseJsonAt(changetype<usize>(buf), <usize>buf.byteLength);
}

class Parser {
  pos: usize;
  end: usize;
  error: string | null = null;

  constructor(ptr: usize, len: usize) {
    this.pos = ptr;
    this.end = ptr + len;
  }

  fail(msg: string): void {
    if (this.error === null) this.error = msg;
  }

  @inline peek(): i32 {
    return this.pos < this.end ? <i32>load<u8>(this.pos) : -1;
  }

  skipWs(): void {
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) this.pos++;
      else break;
    }
  }

  literal(word: string, kind: JsonKind): JsonValue {
    const n = <usize>word.length;
    if (this.pos + n > this.end) {
      this.fail("EOF while parsing a value");
      return JsonValue.null();
    }
    for (let i: usize = 0; i < n; i++) {
      if (<i32>load<u8>(this.pos + i) != word.charCodeAt(<i32>i)) {
        this.fail("expected value");
        return JsonValue.null();
      }
    }
    this.pos += n;
    const v = new JsonValue();
    v.kind = kind;
    if (kind == JsonKind.Bool) v.text = word;
    return v;
  }

  value(depth: i32): JsonValue {
    if (depth > MAX_DEPTH) {
      this.fail("recursion limit exceeded");
      return JsonValue.null();
    }
    const c = this.peek();
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const v = new JsonValue();
      v.kind = JsonKind.String;
      v.text = this.string();
      return v;
    }
    if (c == 0x74) return this.literal("true", JsonKind.Bool);
    if (c == 0x66) return this.literal("false", JsonKind.Bool);
    if (c == 0x6e) return this.literal("null", JsonKind.Null);
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c < 0) this.fail("EOF while parsing a value");
    else this.fail("expected value");
    return JsonValue.null();
  }

  digits(): usize {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos - start;
  }

  number(): JsonValue {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    const first = this.peek();
    if (first == 0x30) {
      this.pos++;
      const next = this.peek();
      if (next >= 0x30 && next <= 0x39) {
        this.fail("invalid number");
        return JsonValue.null();
      }
    } else if (this.digits() == 0) {
      this.fail("invalid number");
      return JsonValue.null();
    }
    if (this.peek() == 0x2e) {
      this.pos++;
      if (this.digits() == 0) {
        this.fail("invalid number");
        return JsonValue.null();
      }
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign == 0x2b || sign == 0x2d) this.pos++;
      if (this.digits() == 0) {
        this.fail("invalid number");
        return JsonValue.null();
      }
    }
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.text = String.UTF8.decodeUnsafe(start, this.pos - start);
    return v;
  }

  /** Reads a 4-hex-digit \u escape value, or -1. */
  hex4(): i32 {
    if (this.pos + 4 > this.end) return -1;
    let v: i32 = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>load<u8>(this.pos + <usize>i);
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      else return -1;
      v = (v << 4) | d;
    }
    this.pos += 4;
    return v;
  }

  /** Validates one UTF-8 sequence starting at pos (lead byte >= 0x80) and steps over it. */
  utf8(): bool {
    const b0 = <u32>load<u8>(this.pos);
    let n: usize;
    let min: u32;
    let cp: u32;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      n = 1;
      min = 0x80;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      n = 2;
      min = 0x800;
      cp = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      n = 3;
      min = 0x10000;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (this.pos + n >= this.end) return false;
    for (let i: usize = 1; i <= n; i++) {
      const b = <u32>load<u8>(this.pos + i);
      if ((b & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    this.pos += n + 1;
    return true;
  }

  /** Parses a string token (pos at the opening quote) and returns its decoded value. */
  string(): string {
    this.pos++; // opening quote
    let segStart = this.pos;
    let parts: string[] | null = null;
    while (true) {
      if (this.pos >= this.end) {
        this.fail("EOF while parsing a string");
        return "";
      }
      const c = load<u8>(this.pos);
      if (c == 0x22) {
        const tail = String.UTF8.decodeUnsafe(segStart, this.pos - segStart);
        this.pos++;
        if (parts === null) return tail;
        parts.push(tail);
        return parts.join("");
      }
      if (c < 0x20) {
        this.fail("control character (\\u0000-\\u001F) found while parsing a string");
        return "";
      }
      if (c >= 0x80) {
        if (!this.utf8()) {
          this.fail("invalid UTF-8");
          return "";
        }
        continue;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      // Escape sequence.
      if (parts === null) parts = [];
      parts.push(String.UTF8.decodeUnsafe(segStart, this.pos - segStart));
      this.pos++;
      if (this.pos >= this.end) {
        this.fail("EOF while parsing a string");
        return "";
      }
      const e = load<u8>(this.pos);
      this.pos++;
      if (e == 0x22) parts.push('"');
      else if (e == 0x5c) parts.push("\\");
      else if (e == 0x2f) parts.push("/");
      else if (e == 0x62) parts.push("\b");
      else if (e == 0x66) parts.push("\f");
      else if (e == 0x6e) parts.push("\n");
      else if (e == 0x72) parts.push("\r");
      else if (e == 0x74) parts.push("\t");
      else if (e == 0x75) {
        const hi = this.hex4();
        if (hi < 0) {
          this.fail("invalid escape");
          return "";
        }
        if (hi >= 0xd800 && hi <= 0xdbff) {
          // Needs a trailing surrogate.
          if (this.pos + 2 > this.end || load<u8>(this.pos) != 0x5c || load<u8>(this.pos + 1) != 0x75) {
            this.fail("lone leading surrogate in hex escape");
            return "";
          }
          this.pos += 2;
          const lo = this.hex4();
          if (lo < 0xdc00 || lo > 0xdfff) {
            this.fail("lone leading surrogate in hex escape");
            return "";
          }
          parts.push(String.fromCharCodes([hi, lo]));
        } else if (hi >= 0xdc00 && hi <= 0xdfff) {
          this.fail("lone leading surrogate in hex escape");
          return "";
        } else {
          parts.push(String.fromCharCode(hi));
        }
      } else {
        this.fail("invalid escape");
        return "";
      }
      segStart = this.pos;
    }
  }

  array(depth: i32): JsonValue {
    this.pos++; // [
    const v = new JsonValue();
    v.kind = JsonKind.Array;
    this.skipWs();
    if (this.peek() == 0x5d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipWs();
      v.items.push(this.value(depth + 1));
      if (this.error !== null) return v;
      this.skipWs();
      const c = this.peek();
      if (c == 0x2c) {
        this.pos++;
        continue;
      }
      if (c == 0x5d) {
        this.pos++;
        return v;
      }
      this.fail(c < 0 ? "EOF while parsing a list" : "expected `,` or `]`");
      return v;
    }
  }

  object(depth: i32): JsonValue {
    this.pos++; // {
    const v = new JsonValue();
    v.kind = JsonKind.Object;
    this.skipWs();
    if (this.peek() == 0x7d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipWs();
      if (this.peek() != 0x22) {
        this.fail(this.peek() < 0 ? "EOF while parsing an object" : "key must be a string");
        return v;
      }
      const key = this.string();
      if (this.error !== null) return v;
      this.skipWs();
      if (this.peek() != 0x3a) {
        this.fail(this.peek() < 0 ? "EOF while parsing an object" : "expected `:`");
        return v;
      }
      this.pos++;
      this.skipWs();
      const item = this.value(depth + 1);
      if (this.error !== null) return v;
      v.keys.push(key);
      v.items.push(item);
      this.skipWs();
      const c = this.peek();
      if (c == 0x2c) {
        this.pos++;
        continue;
      }
      if (c == 0x7d) {
        this.pos++;
        return v;
      }
      this.fail(c < 0 ? "EOF while parsing an object" : "expected `,` or `}`");
      return v;
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Writer

const HEX = "0123456789abcdef";

/** JSON string literal for `s`, escaped the way serde_json does it. */
export function jsonString(s: string): string {
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c == 0x22 || c == 0x5c) {
      clean = false;
      break;
    }
  }
  if (clean) return '"' + s + '"';
  const parts: string[] = ['"'];
  let segStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    if (i > segStart) parts.push(s.substring(segStart, i));
    segStart = i + 1;
    if (c == 0x22) parts.push('\\"');
    else if (c == 0x5c) parts.push("\\\\");
    else if (c == 0x08) parts.push("\\b");
    else if (c == 0x0c) parts.push("\\f");
    else if (c == 0x0a) parts.push("\\n");
    else if (c == 0x0d) parts.push("\\r");
    else if (c == 0x09) parts.push("\\t");
    else parts.push("\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
  }
  if (segStart < s.length) parts.push(s.substring(segStart));
  parts.push('"');
  return parts.join("");
}

/**
 * Builds JSON text from parts (one allocation at the end instead of quadratic concatenation).
 * Commas are inserted automatically between members/elements.
 */
export class JsonWriter {
  private parts: string[] = [];
  /** Per nesting level: whether the next member needs a leading comma. */
  private needComma: bool[] = [false];

  raw(s: string): JsonWriter {
    this.parts.push(s);
    return this;
  }

  string(s: string): JsonWriter {
    this.parts.push(jsonString(s));
    return this;
  }

  private sep(): void {
    const top = this.needComma.length - 1;
    if (this.needComma[top]) this.parts.push(",");
    this.needComma[top] = true;
  }

  beginObject(): JsonWriter {
    this.parts.push("{");
    this.needComma.push(false);
    return this;
  }
  endObject(): JsonWriter {
    this.parts.push("}");
    this.needComma.pop();
    return this;
  }
  beginArray(): JsonWriter {
    this.parts.push("[");
    this.needComma.push(false);
    return this;
  }
  endArray(): JsonWriter {
    this.parts.push("]");
    this.needComma.pop();
    return this;
  }

  /** Starts an object member: writes `,"key":` (the value follows). */
  key(k: string): JsonWriter {
    this.sep();
    this.parts.push(jsonString(k));
    this.parts.push(":");
    return this;
  }
  /** Starts an array element (adds the comma if needed); the value follows. */
  elem(): JsonWriter {
    this.sep();
    return this;
  }

  // Member shortcuts.
  fieldRaw(k: string, json: string): JsonWriter {
    return this.key(k).raw(json);
  }
  fieldString(k: string, v: string): JsonWriter {
    return this.key(k).string(v);
  }
  fieldU64(k: string, v: u64): JsonWriter {
    return this.key(k).raw(v.toString());
  }
  fieldI64(k: string, v: i64): JsonWriter {
    return this.key(k).raw(v.toString());
  }
  fieldBool(k: string, v: bool): JsonWriter {
    return this.key(k).raw(v ? "true" : "false");
  }
  fieldNull(k: string): JsonWriter {
    return this.key(k).raw("null");
  }
  fieldStringOrNull(k: string, v: string | null): JsonWriter {
    return v === null ? this.fieldNull(k) : this.fieldString(k, v);
  }

  toString(): string {
    return this.parts.join("");
  }
}
