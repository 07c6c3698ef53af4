// Typed, serde-like access to a JSON object: read the fields you expect, then call `done()` which
// rejects unknown fields (like #[cw_serde]'s deny_unknown_fields) and returns the first error.
//
//   const f = new Fields(msg.get("reset"), "reset");
//   const count = f.u64("count");
//   const err = f.done();
//   if (err !== null) return Result.err<Response>(err);
import { JsonValue, JsonKind } from "./json";
import { parseU64, parseU64Digits, Uint128 } from "./math";
import { base64Decode } from "./encoding";
import { Coin } from "./types";

export class Fields {
  error: string | null = null;
  private seen: string[] = [];
  private obj: JsonValue = JsonValue.null();

  /**
   * `value` should be an object; `what` names it in messages. `strict` = deny unknown fields
   * (true for messages, false for host-made inputs such as Env, which grow over time).
   */
  constructor(
    value: JsonValue | null,
    private what: string,
    private strict: bool = true,
  ) {
    if (value === null) {
      this.fail("missing " + what);
    } else if (value.kind != JsonKind.Object) {
      this.fail("invalid type: " + value.describe() + ", expected struct " + what);
    } else {
      this.obj = value;
    }
  }

  get ok(): bool {
    return this.error === null;
  }

  fail(msg: string): void {
    if (this.error === null) this.error = msg;
  }

  /** The raw field value, or null if absent. JSON null counts as present (kind Null). */
  raw(key: string): JsonValue | null {
    this.seen.push(key);
    return this.obj.get(key);
  }

  /** Absent or null → null. */
  opt(key: string): JsonValue | null {
    const v = this.raw(key);
    if (v === null || v.kind == JsonKind.Null) return null;
    return v;
  }

  /** A required field of any type. */
  value(key: string): JsonValue {
    const v = this.raw(key);
    if (v === null) {
      this.fail("missing field `" + key + "`");
      return JsonValue.null();
    }
    return v;
  }

  private typeError(v: JsonValue, expected: string): void {
    this.fail("invalid type: " + v.describe() + ", expected " + expected);
  }

  private u64Of(v: JsonValue, key: string): u64 {
    if (v.kind != JsonKind.Number) {
      this.typeError(v, "u64");
      return 0;
    }
    const r = parseU64(v.text);
    if (!r.ok) {
      const c = v.text.charCodeAt(0);
      if (c == 0x2d) this.fail("invalid value: integer `" + v.text + "`, expected u64 (field `" + key + "`)");
      else if (v.text.includes(".") || v.text.includes("e") || v.text.includes("E"))
        this.fail("invalid type: floating point `" + v.text + "`, expected u64 (field `" + key + "`)");
      else this.fail("number out of range for u64 (field `" + key + "`)");
      return 0;
    }
    return r.value;
  }

  /** A JSON number that fits u64 exactly. */
  u64(key: string): u64 {
    const v = this.value(key);
    if (this.error !== null) return 0;
    return this.u64Of(v, key);
  }

  optU64(key: string, dflt: u64): u64 {
    const v = this.opt(key);
    if (v === null) return dflt;
    return this.u64Of(v, key);
  }

  u32(key: string): u32 {
    const n = this.u64(key);
    if (n > <u64>u32.MAX_VALUE) {
      this.fail("invalid value: integer `" + n.toString() + "`, expected u32");
      return 0;
    }
    return <u32>n;
  }

  /** A Uint64 / Timestamp: a decimal string. */
  u64String(key: string): u64 {
    const s = this.string(key);
    if (this.error !== null) return 0;
    const r = parseU64Digits(s);
    if (!r.ok) this.fail("invalid Uint64 '" + s + "' (field `" + key + "`)");
    return r.value;
  }

  /** A Uint128: a decimal string. */
  uint128(key: string): Uint128 {
    const s = this.string(key);
    if (this.error !== null) return Uint128.zero();
    const r = Uint128.parse(s);
    if (r === null) {
      this.fail("invalid Uint128 '" + s + "' (field `" + key + "`)");
      return Uint128.zero();
    }
    return r;
  }

  string(key: string): string {
    const v = this.value(key);
    if (this.error !== null) return "";
    if (v.kind != JsonKind.String) {
      this.typeError(v, "a string");
      return "";
    }
    return v.text;
  }

  optString(key: string): string | null {
    const v = this.opt(key);
    if (v === null) return null;
    if (v.kind != JsonKind.String) {
      this.typeError(v, "a string");
      return null;
    }
    return v.text;
  }

  bool(key: string): bool {
    const v = this.value(key);
    if (this.error !== null) return false;
    if (v.kind != JsonKind.Bool) {
      this.typeError(v, "a boolean");
      return false;
    }
    return v.text == "true";
  }

  /** A Binary (base64 string). */
  binary(key: string): Uint8Array {
    const s = this.string(key);
    if (this.error !== null) return new Uint8Array(0);
    const b = base64Decode(s);
    if (b === null) {
      this.fail("invalid base64: " + s);
      return new Uint8Array(0);
    }
    return b;
  }

  optBinary(key: string): Uint8Array | null {
    const s = this.optString(key);
    if (s === null) return null;
    const b = base64Decode(s);
    if (b === null) this.fail("invalid base64: " + s);
    return b;
  }

  object(key: string): JsonValue {
    const v = this.value(key);
    if (this.error === null && v.kind != JsonKind.Object) this.typeError(v, "a map");
    return v;
  }

  array(key: string): JsonValue[] {
    const v = this.value(key);
    if (this.error !== null) return [];
    if (v.kind != JsonKind.Array) {
      this.typeError(v, "a sequence");
      return [];
    }
    return v.items;
  }

  /** A Vec<Coin>: [{"denom":"…","amount":"…"}]. */
  coins(key: string): Coin[] {
    const items = this.array(key);
    const out: Coin[] = [];
    for (let i = 0; i < items.length && this.error === null; i++) {
      const c = Coin.fromJson(items[i]);
      if (c === null) this.fail("invalid coin in `" + key + "`");
      else out.push(c);
    }
    return out;
  }

  /** Absent or null → []. */
  optCoins(key: string): Coin[] {
    const v = this.opt(key);
    if (v === null) return [];
    return this.coins(key);
  }

  /** Whether the field is present and not null (does not mark it as read). */
  has(key: string): bool {
    const v = this.obj.get(key);
    return v !== null && v.kind != JsonKind.Null;
  }

  /** Finishes reading: rejects unknown and duplicate fields (strict mode). Returns the first error. */
  done(): string | null {
    if (this.error === null && this.strict) {
      const keys = this.obj.keys;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (!this.seen.includes(k)) {
          this.fail("unknown field `" + k + "`");
          break;
        }
        for (let j = 0; j < i; j++) {
          if (keys[j] == k) {
            this.fail("duplicate field `" + k + "`");
            break;
          }
        }
      }
    }
    const e = this.error;
    if (e === null) return null;
    return "Error parsing into type " + this.what + ": " + e;
  }
}

/**
 * The variant name of an externally tagged enum value: `{"name":{…}}` → "name"; a bare string
 * `"name"` (unit variant) → "name". Returns null if the value is neither.
 */
export function variantOf(v: JsonValue): string | null {
  if (v.kind == JsonKind.String) return v.text;
  if (v.kind == JsonKind.Object && v.keys.length == 1) return v.keys[0];
  return null;
}
