// cw-utils Expiration and Duration with their serde JSON encodings:
//   Expiration: {"at_height":123} | {"at_time":"1700000000000000000"} (nanoseconds, a string) | {"never":{}}
//   Duration:   {"height":10} | {"time":3600} (seconds, a number)
//
//   const f = new Fields(msg.get("approve"), "ExecuteMsg::Approve");
//   const expires = optExpiration(f, "expires");        // null/absent → never
//   if (f.done() !== null) …
//   if (expires.isExpired(env.block)) return Result.err<Response>("Cannot set approval that is already expired");
import { JsonValue, JsonKind } from "./json";
import { Fields } from "./fields";
import { parseU64, parseU64Digits } from "./math";
import { BlockInfo } from "./types";

export const enum ExpirationKind {
  AtHeight = 0,
  AtTime = 1,
  Never = 2,
}

const NANOS_PER_SECOND: u64 = 1_000_000_000;

export class Expiration {
  constructor(
    public kind: ExpirationKind,
    /** Height (AtHeight) or nanoseconds since the epoch (AtTime); 0 for Never. */
    public value: u64 = 0,
  ) {}

  static never(): Expiration {
    return new Expiration(ExpirationKind.Never, 0);
  }
  static atHeight(height: u64): Expiration {
    return new Expiration(ExpirationKind.AtHeight, height);
  }
  static atTime(nanos: u64): Expiration {
    return new Expiration(ExpirationKind.AtTime, nanos);
  }

  get isNever(): bool {
    return this.kind == ExpirationKind.Never;
  }

  /** cw-utils `is_expired`: at_height h → height ≥ h; at_time t → time ≥ t; never → false. */
  isExpired(block: BlockInfo): bool {
    if (this.kind == ExpirationKind.AtHeight) return block.height >= this.value;
    if (this.kind == ExpirationKind.AtTime) return block.time >= this.value;
    return false;
  }

  toJson(): string {
    if (this.kind == ExpirationKind.AtHeight) return '{"at_height":' + this.value.toString() + "}";
    if (this.kind == ExpirationKind.AtTime) return '{"at_time":"' + this.value.toString() + '"}';
    return '{"never":{}}';
  }

  equals(o: Expiration): bool {
    return this.kind == o.kind && this.value == o.value;
  }

  /** cw-utils Display: "expiration height: 5", "expiration time: 1.000000002", "expiration: never". */
  toString(): string {
    if (this.kind == ExpirationKind.AtHeight) return "expiration height: " + this.value.toString();
    if (this.kind == ExpirationKind.AtTime) {
      const secs = this.value / NANOS_PER_SECOND;
      const frac = this.value % NANOS_PER_SECOND;
      return "expiration time: " + secs.toString() + "." + frac.toString().padStart(9, "0");
    }
    return "expiration: never";
  }

  /**
   * Reads an Expiration; on malformed input returns null and sets `err.message` (serde-like wording).
   * Rejects unknown fields inside `never` and extra keys, like a #[cw_serde] enum.
   */
  static fromJson(v: JsonValue, err: ExpirationError): Expiration | null {
    if (v.kind != JsonKind.Object || v.keys.length != 1) {
      err.message = "invalid type: " + v.describe() + ", expected enum Expiration";
      return null;
    }
    const tag = v.keys[0];
    const inner = v.items[0];
    if (tag == "at_height") {
      if (inner.kind != JsonKind.Number) {
        err.message = "invalid type: " + inner.describe() + ", expected u64";
        return null;
      }
      const r = parseU64(inner.text);
      if (!r.ok) {
        err.message = "invalid value: " + inner.text + ", expected u64";
        return null;
      }
      return Expiration.atHeight(r.value);
    }
    if (tag == "at_time") {
      if (inner.kind != JsonKind.String) {
        err.message = "invalid type: " + inner.describe() + ", expected a string (Timestamp nanos)";
        return null;
      }
      const r = parseU64Digits(inner.text);
      if (!r.ok) {
        err.message = "invalid Uint64 '" + inner.text + "'";
        return null;
      }
      return Expiration.atTime(r.value);
    }
    if (tag == "never") {
      if (inner.kind != JsonKind.Object || inner.keys.length != 0) {
        err.message = "invalid type: " + inner.describe() + ", expected struct variant Expiration::Never";
        return null;
      }
      return Expiration.never();
    }
    err.message = "unknown variant `" + tag + "`, expected one of `at_height`, `at_time`, `never`";
    return null;
  }
}

export class ExpirationError {
  message: string = "";
}

/** A required Expiration field. On error `f` fails (its `done()` reports it) and `never` is returned. */
export function expirationField(f: Fields, key: string): Expiration {
  const v = f.value(key);
  if (!f.ok) return Expiration.never();
  const err = new ExpirationError();
  const e = Expiration.fromJson(v, err);
  if (e === null) {
    f.fail(err.message + " (field `" + key + "`)");
    return Expiration.never();
  }
  return e;
}

/** An Option<Expiration> field; absent or null → null. */
export function optExpirationField(f: Fields, key: string): Expiration | null {
  const v = f.opt(key);
  if (v === null) return null;
  const err = new ExpirationError();
  const e = Expiration.fromJson(v, err);
  if (e === null) f.fail(err.message + " (field `" + key + "`)");
  return e;
}

/** An Option<Expiration> field where absent/null means never (cw721 approvals). */
export function optExpiration(f: Fields, key: string): Expiration {
  const e = optExpirationField(f, key);
  return e === null ? Expiration.never() : e;
}

/** JSON of an optional Expiration: `null` or the Expiration. */
export function optExpirationToJson(e: Expiration | null): string {
  return e === null ? "null" : e.toJson();
}

// ------------------------------------------------------------------------------------------------
// Duration

export const enum DurationKind {
  Height = 0,
  Time = 1,
}

export class Duration {
  constructor(
    public kind: DurationKind,
    /** Blocks (Height) or seconds (Time). */
    public value: u64,
  ) {}

  static height(blocks: u64): Duration {
    return new Duration(DurationKind.Height, blocks);
  }
  static time(seconds: u64): Duration {
    return new Duration(DurationKind.Time, seconds);
  }

  toJson(): string {
    return (this.kind == DurationKind.Height ? '{"height":' : '{"time":') + this.value.toString() + "}";
  }

  /**
   * cw-utils `Duration::after(block)`: the Expiration this long after `block`. Null on u64 overflow
   * (cw-utils would panic).
   */
  after(block: BlockInfo): Expiration | null {
    if (this.kind == DurationKind.Height) {
      const h = block.height + this.value;
      if (h < block.height) return null;
      return Expiration.atHeight(h);
    }
    if (this.value > (u64.MAX_VALUE - block.time) / NANOS_PER_SECOND) return null;
    return Expiration.atTime(block.time + this.value * NANOS_PER_SECOND);
  }

  static fromJson(v: JsonValue, err: ExpirationError): Duration | null {
    if (v.kind != JsonKind.Object || v.keys.length != 1) {
      err.message = "invalid type: " + v.describe() + ", expected enum Duration";
      return null;
    }
    const tag = v.keys[0];
    const inner = v.items[0];
    if (tag != "height" && tag != "time") {
      err.message = "unknown variant `" + tag + "`, expected `height` or `time`";
      return null;
    }
    if (inner.kind != JsonKind.Number) {
      err.message = "invalid type: " + inner.describe() + ", expected u64";
      return null;
    }
    const r = parseU64(inner.text);
    if (!r.ok) {
      err.message = "invalid value: " + inner.text + ", expected u64";
      return null;
    }
    return tag == "height" ? Duration.height(r.value) : Duration.time(r.value);
  }
}

/** A required Duration field (fails `f` on error). */
export function durationField(f: Fields, key: string): Duration {
  const v = f.value(key);
  if (!f.ok) return Duration.height(0);
  const err = new ExpirationError();
  const d = Duration.fromJson(v, err);
  if (d === null) {
    f.fail(err.message + " (field `" + key + "`)");
    return Duration.height(0);
  }
  return d;
}

