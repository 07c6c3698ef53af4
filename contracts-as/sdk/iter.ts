// Range iteration over the contract's storage (db_scan / db_next), with cw-storage-plus prefixes.
//
//   // every entry of Map "tokens" after "t5", at most 10, ascending, keys without the Map prefix:
//   const page = TOKENS.rangeAfter(utf8("t5"), 10);            // KV[] (Map methods in storage.ts)
//   const ids = TOKENS.keysAfterString(null, 10);               // string[]
//   // a composite-key Map<(owner, token_id), …>: the sub-map of one owner
//   const owned = OWNED.prefix([utf8(owner)]).keysAfter(null, 10);
//   // any raw range [start, end):
//   const kvs = storage.range(start, end, true, 10);            // or scan(...) from here
//
// A contract that iterates must declare the `iterator` capability (WASM-VM.md §1.1) by re-exporting
//   export { requires_iterator } from "../../sdk/iter";
// next to `export * from "../../sdk/exports";`.
//
// Every db_next result is copied into a fresh Uint8Array (the stub runtime never frees): keep pages small
// (limit ≤ 100 in queries), never iterate an unbounded range in execute.
import { db_scan, db_next } from "./imports";
import { borrowRegion, readRegion } from "./memory";
import { panic } from "./abort";

/** Capability marker (`iterator`): the host checks the export's name only. */
export function requires_iterator(): void {}

/** One storage entry. */
export class KV {
  constructor(
    public key: Uint8Array,
    public value: Uint8Array,
  ) {}
}

export const enum Order {
  Ascending = 1,
  Descending = 2,
}

/** The smallest key strictly greater than every key that starts with `prefix`; null if none (all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] == 0xff) i--;
  if (i < 0) return null;
  const out = prefix.slice(0, i + 1);
  out[i] = out[i] + 1;
  return out;
}

/** The smallest key strictly greater than `key` (key ‖ 0x00): makes an inclusive start exclusive. */
export function keySuccessor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key, 0);
  return out;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function be32At(b: Uint8Array, at: i32): i32 {
  return (<i32>b[at] << 24) | (<i32>b[at + 1] << 16) | (<i32>b[at + 2] << 8) | <i32>b[at + 3];
}

/** Splits db_next's `encode_sections([key, value])` (each section followed by its BE32 length). */
function decodeKV(b: Uint8Array): KV {
  let end = b.length;
  if (end < 8) panic("db_next: malformed sections");
  const vlen = be32At(b, end - 4);
  end -= 4;
  if (vlen < 0 || vlen > end - 4) panic("db_next: malformed sections");
  const value = b.slice(end - vlen, end);
  end -= vlen;
  const klen = be32At(b, end - 4);
  end -= 4;
  if (klen != end) panic("db_next: malformed sections");
  return new KV(b.slice(0, klen), value);
}

/** A raw iterator over [start, end) (null = unbounded) in the given order. */
export class Iter {
  readonly id: u32;
  done: bool = false;
  constructor(start: Uint8Array | null, end: Uint8Array | null, order: Order) {
    const s: u32 = start === null ? 0 : <u32>borrowRegion(start);
    const e: u32 = end === null ? 0 : <u32>borrowRegion(end);
    this.id = db_scan(s, e, <i32>order);
  }
  /** The next entry, or null at the end (the host marks the end with an empty key). */
  next(): KV | null {
    if (this.done) return null;
    const kv = decodeKV(readRegion(<usize>db_next(this.id)));
    if (kv.key.length == 0) {
      this.done = true;
      return null;
    }
    return kv;
  }
}

/**
 * Entries with start ≤ key < end (null = unbounded), full keys, at most `limit` of them (limit < 0 =
 * all: only for ranges known to be small). Also available as `storage.range`.
 */
export function scan(start: Uint8Array | null, end: Uint8Array | null, ascending: bool, limit: i32 = -1): KV[] {
  const out: KV[] = [];
  if (limit == 0) return out;
  const it = new Iter(start, end, ascending ? Order.Ascending : Order.Descending);
  while (limit < 0 || out.length < limit) {
    const kv = it.next();
    if (kv === null) break;
    out.push(kv);
  }
  return out;
}

/**
 * The entries under `prefix` (keys returned without it), paginated like cw-storage-plus
 * `range(Some(Bound::exclusive(start_after)), None, order)`: ascending = keys > start_after, descending =
 * keys < start_after. `limit` < 0 = no limit.
 */
export function prefixRange(prefix: Uint8Array, startAfter: Uint8Array | null, limit: i32, ascending: bool = true): KV[] {
  let start: Uint8Array = prefix;
  let end: Uint8Array | null = prefixEnd(prefix);
  if (startAfter !== null) {
    const full = concatBytes(prefix, startAfter);
    if (ascending) start = keySuccessor(full);
    else end = full;
  }
  const kvs = scan(start, end, ascending, limit);
  const n = prefix.length;
  for (let i = 0; i < kvs.length; i++) kvs[i].key = kvs[i].key.slice(n);
  return kvs;
}

/** Like prefixRange, keys only. */
export function prefixKeys(prefix: Uint8Array, startAfter: Uint8Array | null, limit: i32, ascending: bool = true): Uint8Array[] {
  const kvs = prefixRange(prefix, startAfter, limit, ascending);
  const out = new Array<Uint8Array>(kvs.length);
  for (let i = 0; i < kvs.length; i++) out[i] = kvs[i].key;
  return out;
}

/** Whether any key starts with `prefix`. */
export function prefixIsEmpty(prefix: Uint8Array): bool {
  return prefixRange(prefix, null, 1).length == 0;
}

/**
 * Splits a key returned by a prefix range over a composite-key Map into its parts: every part but the
 * last is BE16-length-prefixed (cw-storage-plus). `parts` = how many parts the key has.
 */
export function splitKey(key: Uint8Array, parts: i32): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; i < parts - 1; i++) {
    if (at + 2 > key.length) panic("splitKey: key too short");
    const n = (<i32>key[at] << 8) | <i32>key[at + 1];
    at += 2;
    if (at + n > key.length) panic("splitKey: key too short");
    out.push(key.slice(at, at + n));
    at += n;
  }
  out.push(key.slice(at));
  return out;
}

/** cw-storage-plus paging limits: `limit` null → dflt, capped at max. */
export function pageLimit(limit: u64, hasLimit: bool, dflt: i32 = 10, max: i32 = 100): i32 {
  if (!hasLimit) return dflt;
  return limit > <u64>max ? max : <i32>limit;
}
