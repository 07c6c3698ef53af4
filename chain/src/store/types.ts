export type Key = Uint8Array;
export type Value = Uint8Array;

export interface KVReader {
  get(key: Key): Value | undefined;
  /** Ascending iteration over [start, end); `end` undefined means to the end of the keyspace. */
  iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]>;
  /** The same range, descending (lazily: a long range costs only what is read of it). */
  iterateReverse(start: Key, end: Key | undefined): Iterable<[Key, Value]>;
}

export interface KVStore extends KVReader {
  set(key: Key, value: Value): void;
  delete(key: Key): void;
}

/** One change of a block: value undefined means the key is deleted. Lists are sorted by key. */
export type Change = [Key, Value | undefined];

/** The exclusive upper bound of every key starting with `prefix` (undefined: no bound). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
