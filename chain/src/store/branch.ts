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

  /**
   * Merges the parent's range with this branch's writes; deleted keys are skipped. Lazy: the writes
   * are looked at on the first `next`, so writes made before then are seen.
   */
  *iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    yield* this.merge(this.parent.iterate(start, end), this.writesIn(start, end), 1);
  }

  *iterateReverse(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    yield* this.merge(this.parent.iterateReverse(start, end), this.writesIn(start, end).reverse(), -1);
  }

  /** This branch's written keys in [start, end), ascending. */
  private writesIn(start: Key, end: Key | undefined): string[] {
    const lo = mapKey(start);
    const hi = end === undefined ? undefined : mapKey(end);
    return [...this.cache.keys()].filter((k) => k >= lo && (hi === undefined || k < hi)).sort();
  }

  /** Merges two sequences ordered the same way (`dir` 1 ascending, -1 descending); ours win ties. */
  private *merge(parent: Iterable<[Key, Value]>, mine: string[], dir: 1 | -1): Iterable<[Key, Value]> {
    const before = (a: string, b: string) => (dir === 1 ? a < b : a > b);
    let i = 0;
    for (const [pk, pv] of parent) {
      const pks = mapKey(pk);
      while (i < mine.length && before(mine[i]!, pks)) {
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
