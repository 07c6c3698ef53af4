// Contract storage with cw-storage-plus key layout, so raw queries and tooling see the same keys as for
// Rust contracts:
//   Item:            key = namespace bytes
//   Map (1 key):     key = BE16(len(ns)) ‖ ns ‖ key
//   Map (composite): every element but the last is prefixed with its BE16 length (namespaces_with_key)
// Values are JSON, as cw-storage-plus stores them.
import { db_read, db_write, db_remove } from "./imports";
import { borrowRegion, readRegion } from "./memory";
import { JsonValue, parseJsonBytes, jsonString } from "./json";
import { utf8, fromUtf8 } from "./encoding";
import { parseU64 } from "./math";
import { panic } from "./abort";
import { KV, scan, prefixRange } from "./iter";

export namespace storage {
  /** The raw value at `key`, or null if absent. */
  export function get(key: Uint8Array): Uint8Array | null {
    const r = db_read(<u32>borrowRegion(key));
    if (r == 0) return null;
    return readRegion(<usize>r);
  }
  /** Writes `value` at `key`. An empty value cannot be told apart from "absent": it aborts, like cosmwasm-std. */
  export function set(key: Uint8Array, value: Uint8Array): void {
    if (value.length == 0) panic("TL;DR: Value must not be empty in Storage::set but in most cases you can use Storage::remove instead. Long story: Getting empty values from storage is not well supported at the moment. Some of our internal interfaces cannot differentiate between a non-existent key and an empty value. Right now, you cannot rely on the behaviour of empty values. To protect you from trouble later on, we stop here. Sorry for the inconvenience! We highly welcome you to contribute to CosmWasm, making this more solid one way or the other.");
    db_write(<u32>borrowRegion(key), <u32>borrowRegion(value));
  }
  export function remove(key: Uint8Array): void {
    db_remove(<u32>borrowRegion(key));
  }
  /**
   * Entries with start ≤ key < end (null = unbounded), at most `limit` (< 0 = all), in key order or
   * reversed. Uses db_scan: the contract must re-export `requires_iterator` from sdk/iter.
   */
  export function range(start: Uint8Array | null, end: Uint8Array | null, ascending: bool, limit: i32 = -1): KV[] {
    return scan(start, end, ascending, limit);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

function be16(n: i32): Uint8Array {
  if (n > 0xffff) panic("storage key element longer than 65535 bytes");
  const b = new Uint8Array(2);
  b[0] = <u8>(n >> 8);
  b[1] = <u8>n;
  return b;
}

/** cw-storage-plus `nested_namespaces_with_key`: every part length-prefixed (the prefix of a sub-map). */
export function mapPrefix(namespace: Uint8Array, prefixParts: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [be16(namespace.length), namespace];
  for (let i = 0; i < prefixParts.length; i++) {
    parts.push(be16(prefixParts[i].length));
    parts.push(prefixParts[i]);
  }
  return concat(parts);
}

/** cw-storage-plus `namespaces_with_key(&[ns], key_parts)`: all but the last part length-prefixed. */
export function mapKey(namespace: Uint8Array, keyParts: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [be16(namespace.length), namespace];
  for (let i = 0; i < keyParts.length; i++) {
    if (i < keyParts.length - 1) parts.push(be16(keyParts[i].length));
    parts.push(keyParts[i]);
  }
  return concat(parts);
}

/** Key encodings of cw-storage-plus PrimaryKey impls. */
export namespace keys {
  export function str(s: string): Uint8Array {
    return utf8(s);
  }
  /** u64 keys are big-endian (sorts numerically). */
  export function u64be(n: u64): Uint8Array {
    const b = new Uint8Array(8);
    for (let i = 0; i < 8; i++) b[i] = <u8>(n >> (<u64>(56 - 8 * i)));
    return b;
  }
  export function u32be(n: u32): Uint8Array {
    const b = new Uint8Array(4);
    for (let i = 0; i < 4; i++) b[i] = <u8>(n >> (<u32>(24 - 8 * i)));
    return b;
  }
}

/** Typed accessors on top of a raw key: values are JSON. */
export class Slot {
  constructor(public key: Uint8Array) {}

  exists(): bool {
    return storage.get(this.key) !== null;
  }
  loadBytes(): Uint8Array | null {
    return storage.get(this.key);
  }
  saveBytes(v: Uint8Array): void {
    storage.set(this.key, v);
  }
  /** The stored JSON text, or null. */
  loadJsonText(): string | null {
    const b = storage.get(this.key);
    return b === null ? null : fromUtf8(b);
  }
  /** Parses the stored JSON; aborts if the stored bytes are not JSON (a contract bug). */
  loadJson(): JsonValue | null {
    const b = storage.get(this.key);
    if (b === null) return null;
    const p = parseJsonBytes(b);
    if (p.value === null) panic("corrupt JSON in storage: " + p.error!);
    return p.value;
  }
  saveJson(json: string): void {
    storage.set(this.key, utf8(json));
  }
  /** A u64 stored as a JSON number (cw-storage-plus Item<u64>). */
  loadU64(dflt: u64): u64 {
    const b = storage.get(this.key);
    if (b === null) return dflt;
    const r = parseU64(fromUtf8(b));
    if (!r.ok) panic("corrupt u64 in storage");
    return r.value;
  }
  saveU64(v: u64): void {
    storage.set(this.key, utf8(v.toString()));
  }
  /** A string stored as a JSON string. */
  loadString(): string | null {
    const v = this.loadJson();
    if (v === null) return null;
    if (!v.isString) panic("stored value is not a string");
    return v.text;
  }
  saveString(s: string): void {
    storage.set(this.key, utf8(jsonString(s)));
  }
  remove(): void {
    storage.remove(this.key);
  }
}

/** cw-storage-plus Item: the key is the namespace itself. */
export class Item extends Slot {
  constructor(namespace: string) {
    super(utf8(namespace));
  }
}

/** cw-storage-plus Map. `at(key)` gives the Slot of one entry. */
export class Map {
  ns: Uint8Array;
  constructor(namespace: string) {
    this.ns = utf8(namespace);
  }
  /** Entry for a string key. */
  at(key: string): Slot {
    return new Slot(mapKey(this.ns, [utf8(key)]));
  }
  /** Entry for a raw (already encoded) key. */
  atBytes(key: Uint8Array): Slot {
    return new Slot(mapKey(this.ns, [key]));
  }
  /** Entry for a u64 key (big-endian). */
  atU64(key: u64): Slot {
    return new Slot(mapKey(this.ns, [keys.u64be(key)]));
  }
  /** Entry for a composite key (tuple): every part but the last is length-prefixed. */
  atParts(parts: Uint8Array[]): Slot {
    return new Slot(mapKey(this.ns, parts));
  }

  // Iteration (db_scan; the contract must re-export `requires_iterator` from sdk/iter). Keys come back
  // without the Map's prefix, exactly as cw-storage-plus `keys()` / `range()` return them (for a
  // composite-key Map that is the encoded tuple: split it with `splitKey` from sdk/iter).

  /** The sub-map of a composite-key Map whose first key parts are `parts` (cw-storage-plus `prefix`). */
  prefix(parts: Uint8Array[]): Prefix {
    return new Prefix(mapPrefix(this.ns, parts));
  }
  /** Entries with key > startAfter (null = from the first), at most `limit`, in key byte order. */
  rangeAfter(startAfter: Uint8Array | null, limit: i32, ascending: bool = true): KV[] {
    return prefixRange(mapPrefix(this.ns, []), startAfter, limit, ascending);
  }
  keysAfter(startAfter: Uint8Array | null, limit: i32, ascending: bool = true): Uint8Array[] {
    return new Prefix(mapPrefix(this.ns, [])).keysAfter(startAfter, limit, ascending);
  }
  /** keysAfter for a Map with string keys. */
  keysAfterString(startAfter: string | null, limit: i32, ascending: bool = true): string[] {
    return new Prefix(mapPrefix(this.ns, [])).keysAfterString(startAfter, limit, ascending);
  }
}

/** A key prefix inside a Map (cw-storage-plus Prefix): iterate the entries below it. */
export class Prefix {
  constructor(public bytes: Uint8Array) {}
  /** Entries with (remaining) key > startAfter; keys returned without the prefix. */
  rangeAfter(startAfter: Uint8Array | null, limit: i32, ascending: bool = true): KV[] {
    return prefixRange(this.bytes, startAfter, limit, ascending);
  }
  keysAfter(startAfter: Uint8Array | null, limit: i32, ascending: bool = true): Uint8Array[] {
    const kvs = prefixRange(this.bytes, startAfter, limit, ascending);
    const out = new Array<Uint8Array>(kvs.length);
    for (let i = 0; i < kvs.length; i++) out[i] = kvs[i].key;
    return out;
  }
  keysAfterString(startAfter: string | null, limit: i32, ascending: bool = true): string[] {
    const kvs = prefixRange(this.bytes, startAfter === null ? null : utf8(startAfter), limit, ascending);
    const out = new Array<string>(kvs.length);
    for (let i = 0; i < kvs.length; i++) out[i] = fromUtf8(kvs[i].key);
    return out;
  }
  isEmpty(): bool {
    return prefixRange(this.bytes, null, 1).length == 0;
  }
}
