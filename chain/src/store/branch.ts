// A copy-on-write branch over a parent store (the SDK's CacheKV). Writes stay in memory until
// `writeTo(parent)`; `changes()` lists them sorted by key, so nothing downstream depends on
// insertion order.
import { type Change, compareBytes, type Key, type KVReader, type KVStore, type Value } from "./types.js";

const DELETED = null;

function mapKey(key: Key): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
}

function keyBytes(k: string): Buffer {
  return Buffer.from(k, "latin1");
}

export class BranchStore implements KVStore {
  private readonly cache = new Map<string, Value | typeof DELETED>();

  constructor(private readonly parent: KVReader) {}

  get(key: Key): Value | undefined {
    const hit = this.cache.get(mapKey(key));
    if (hit === DELETED) return undefined;
    return hit ?? this.parent.get(key);
  }

  set(key: Key, value: Value): void {
    this.cache.set(mapKey(key), value);
  }

  delete(key: Key): void {
    this.cache.set(mapKey(key), DELETED);
  }

  /** Merges the parent's range with this branch's writes; deleted keys are skipped. */
  *iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    const lo = mapKey(start);
    const hi = end === undefined ? undefined : mapKey(end);
    const mine = [...this.cache.keys()].filter((k) => k >= lo && (hi === undefined || k < hi)).sort();
    let i = 0;
    for (const [pk, pv] of this.parent.iterate(start, end)) {
      const pks = mapKey(pk);
      while (i < mine.length && mine[i]! < pks) {
        const v = this.cache.get(mine[i]!);
        if (v) yield [keyBytes(mine[i]!), v];
        i++;
      }
      if (i < mine.length && mine[i] === pks) {
        const v = this.cache.get(mine[i]!);
        if (v) yield [pk, v];
        i++;
        continue;
      }
      yield [pk, pv];
    }
    for (; i < mine.length; i++) {
      const v = this.cache.get(mine[i]!);
      if (v) yield [keyBytes(mine[i]!), v];
    }
  }

  /** This branch's writes, sorted by key. */
  changes(): Change[] {
    const out: Change[] = [];
    for (const [k, v] of this.cache) out.push([keyBytes(k), v ?? undefined]);
    return out.sort((a, b) => compareBytes(a[0], b[0]));
  }

  get size(): number {
    return this.cache.size;
  }

  /** Applies this branch's writes to `target` (normally the parent) in key order. */
  writeTo(target: KVStore): void {
    for (const [k, v] of this.changes()) {
      if (v === undefined) target.delete(k);
      else target.set(k, v);
    }
  }
}
