// The committed state on LMDB plus the Merkle structure whose root is the app hash.
// See store/README.md for the construction. FinalizeBlock calls `prepare` (pure, in memory);
// Commit calls `commit`, which writes state, hash index, bucket hashes, height and app hash in
// one synchronous LMDB transaction, so a crash leaves either the old block or the new one.
import { open, type Database, type RootDatabase } from "lmdb";
import { sha256 } from "../crypto/hash.js";
import { type Change, type Key, type KVReader, prefixEnd, type Value } from "./types.js";

const BUCKET_BITS = 16;
const NUM_BUCKETS = 1 << BUCKET_BITS;
const ZERO = Buffer.alloc(32);
const LEAF = Buffer.from([0]);
const BUCKET = Buffer.from([1]);
const INNER = Buffer.from([2]);

const META_HEIGHT = "height";
const META_APP_HASH = "app_hash";
/** Undo records kept per height: enough to roll back this many blocks (pairs with `cometbft rollback`). */
export const UNDO_HEIGHTS = 2n;
const ABSENT = Buffer.from([0]);
const PRESENT = Buffer.from([1]);

export interface PreparedCommit {
  readonly changes: readonly Change[];
  readonly appHash: Buffer;
  readonly index: readonly [Buffer, Buffer | undefined][];
  readonly buckets: readonly [number, Buffer][];
  readonly nodes: ReadonlyMap<number, Buffer>;
}

export interface CommitStoreOptions {
  path: string;
  /** Extra LMDB map size headroom; LMDB grows the map as needed on Linux. */
  mapSize?: number;
}

export class CommitStore implements KVReader {
  private readonly root: RootDatabase;
  private readonly state: Database<Uint8Array, Key>;
  private readonly index: Database<Buffer, Key>;
  private readonly bucketDb: Database<Buffer, Key>;
  private readonly meta: Database<Buffer, string>;
  /** height(8 B BE) | key → 0x00 (key was absent) or 0x01 | previous value. */
  private readonly undo: Database<Buffer, Key>;
  /** Complete binary tree over the bucket hashes: node i at [32i, 32i+32); leaves at NUM_BUCKETS.. */
  private readonly tree = Buffer.alloc(2 * NUM_BUCKETS * 32);
  private height = 0n;

  private constructor(opts: CommitStoreOptions) {
    this.root = open({ path: opts.path, overlappingSync: false, noSync: false, mapSize: opts.mapSize, maxDbs: 8 });
    const bin = { keyEncoding: "binary", encoding: "binary" } as const;
    this.state = this.root.openDB({ name: "state", ...bin });
    this.index = this.root.openDB({ name: "hash_index", ...bin });
    this.bucketDb = this.root.openDB({ name: "buckets", ...bin });
    this.meta = this.root.openDB({ name: "meta", keyEncoding: "ordered-binary", encoding: "binary" });
    this.undo = this.root.openDB({ name: "undo", ...bin });
  }

  /** Opens (or creates) the store and rebuilds the in-memory tree; checks it against the saved app hash. */
  static open(opts: CommitStoreOptions): CommitStore {
    const s = new CommitStore(opts);
    s.load();
    return s;
  }

  private load(): void {
    for (const { key, value } of this.bucketDb.getRange({})) {
      const b = Buffer.from(key).readUInt16BE(0);
      value.copy(this.tree, (NUM_BUCKETS + b) * 32);
    }
    for (let i = NUM_BUCKETS - 1; i >= 1; i--) this.hashInner(i, (j) => this.node(j)).copy(this.tree, i * 32);
    const h = this.meta.get(META_HEIGHT);
    this.height = h ? h.readBigUInt64BE(0) : 0n;
    const saved = this.meta.get(META_APP_HASH);
    if (this.height > 0n && (!saved || !saved.equals(this.node(1)))) {
      throw new Error(
        `state store is corrupt: recomputed app hash ${this.node(1).toString("hex")} != saved ${saved?.toString("hex")} at height ${this.height}`,
      );
    }
  }

  private node(i: number): Buffer {
    return this.tree.subarray(i * 32, i * 32 + 32);
  }

  private hashInner(i: number, nodeAt: (j: number) => Buffer): Buffer {
    const l = nodeAt(2 * i);
    const r = nodeAt(2 * i + 1);
    if (l.equals(ZERO) && r.equals(ZERO)) return ZERO;
    return sha256(INNER, l, r);
  }

  get lastHeight(): bigint {
    return this.height;
  }

  /** The app hash of the committed state (all zeros for an empty store). */
  get lastAppHash(): Buffer {
    return Buffer.from(this.node(1));
  }

  get(key: Key): Value | undefined {
    return this.state.get(key);
  }

  *iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    const range = end === undefined ? { start: Buffer.from(start) } : { start: Buffer.from(start), end: Buffer.from(end) };
    for (const { key, value } of this.state.getRange(range)) yield [key as Buffer, value];
  }

  /** Computes the app hash that `changes` (sorted, unique keys) would give; writes nothing. */
  prepare(changes: readonly Change[]): PreparedCommit {
    const perBucket = new Map<number, [Buffer, Buffer | undefined][]>();
    for (const [key, value] of changes) {
      const hk = sha256(key);
      const leaf = value === undefined ? undefined : sha256(LEAF, hk, value);
      const b = hk.readUInt16BE(0);
      let list = perBucket.get(b);
      if (!list) perBucket.set(b, (list = []));
      list.push([hk, leaf]);
    }
    const index: [Buffer, Buffer | undefined][] = [];
    const buckets: [number, Buffer][] = [];
    const nodes = new Map<number, Buffer>();
    for (const b of [...perBucket.keys()].sort((x, y) => x - y)) {
      const start = Buffer.alloc(2);
      start.writeUInt16BE(b);
      const end = b + 1 < NUM_BUCKETS ? Buffer.from([(b + 1) >> 8, (b + 1) & 0xff]) : undefined;
      const leaves = new Map<string, Buffer>();
      for (const { key, value } of this.index.getRange(end ? { start, end } : { start })) {
        leaves.set(Buffer.from(key).toString("latin1"), Buffer.from(value));
      }
      for (const [hk, leaf] of perBucket.get(b)!) {
        const k = hk.toString("latin1");
        if (leaf) leaves.set(k, leaf);
        else leaves.delete(k);
        index.push([hk, leaf]);
      }
      const hash = leaves.size === 0 ? ZERO : sha256(BUCKET, ...[...leaves.keys()].sort().map((k) => leaves.get(k)!));
      buckets.push([b, hash]);
      nodes.set(NUM_BUCKETS + b, hash);
    }
    const nodeAt = (j: number) => nodes.get(j) ?? this.node(j);
    let level = buckets.map(([b]) => NUM_BUCKETS + b);
    while (level.length > 0 && level[0]! > 1) {
      const parents: number[] = [];
      for (const i of level) {
        const p = i >> 1;
        if (parents[parents.length - 1] !== p) parents.push(p);
      }
      for (const p of parents) nodes.set(p, this.hashInner(p, nodeAt));
      level = parents;
    }
    return { changes, appHash: Buffer.from(nodeAt(1)), index, buckets, nodes };
  }

  /** Persists a prepared block atomically and durably, then advances the in-memory tree. */
  commit(height: bigint, prepared: PreparedCommit): void {
    const h = this.undoPrefix(height);
    const previousHash = this.lastAppHash;
    this.root.transactionSync(() => {
      for (const [k] of prepared.changes) {
        const old = this.state.get(k);
        this.undo.putSync(Buffer.concat([h, k]), old === undefined ? ABSENT : Buffer.concat([PRESENT, old]));
      }
      this.undo.putSync(h, previousHash);
      if (height > UNDO_HEIGHTS) this.pruneUndo(height - UNDO_HEIGHTS);
      this.applyPrepared(prepared);
      this.meta.putSync(META_HEIGHT, h);
      this.meta.putSync(META_APP_HASH, prepared.appHash);
    });
    for (const [i, hash] of prepared.nodes) hash.copy(this.tree, i * 32);
    this.height = height;
  }

  /** Writes state, hash index and bucket hashes; call inside a transaction. */
  private applyPrepared(prepared: PreparedCommit): void {
    for (const [k, v] of prepared.changes) {
      if (v === undefined) this.state.removeSync(k);
      else this.state.putSync(k, v);
    }
    for (const [hk, leaf] of prepared.index) {
      if (leaf === undefined) this.index.removeSync(hk);
      else this.index.putSync(hk, leaf);
    }
    for (const [b, hash] of prepared.buckets) {
      const key = Buffer.from([b >> 8, b & 0xff]);
      if (hash.equals(ZERO)) this.bucketDb.removeSync(key);
      else this.bucketDb.putSync(key, hash);
    }
  }

  private undoPrefix(height: bigint): Buffer {
    const h = Buffer.alloc(8);
    h.writeBigUInt64BE(height);
    return h;
  }

  private pruneUndo(height: bigint): void {
    const start = this.undoPrefix(height);
    for (const key of this.undo.getKeys({ start, end: prefixEnd(start) })) this.undo.removeSync(key);
  }

  /**
   * Undoes the last committed block: state, hash index, height and app hash go back one height in
   * one transaction (run with `cometbft rollback` after a bad block or an app-hash split).
   * Returns the new height and app hash.
   */
  rollback(): { height: bigint; appHash: Buffer } {
    const height = this.height;
    if (height === 0n) throw new Error("nothing to roll back: no block has been committed");
    const prefix = this.undoPrefix(height);
    const expected = this.undo.get(prefix);
    if (!expected) throw new Error(`no undo record for height ${height}: only the last ${UNDO_HEIGHTS} blocks can be rolled back`);
    const changes: Change[] = [];
    for (const { key, value } of this.undo.getRange({ start: Buffer.concat([prefix, Buffer.from([0])]), end: prefixEnd(prefix) })) {
      const k = Buffer.from(key).subarray(8);
      changes.push([k, value[0] === 1 ? Buffer.from(value.subarray(1)) : undefined]);
    }
    const prepared = this.prepare(changes);
    if (height > 1n && !prepared.appHash.equals(expected)) {
      throw new Error(`rollback would give app hash ${prepared.appHash.toString("hex")}, expected ${expected.toString("hex")}`);
    }
    const h = this.undoPrefix(height - 1n);
    this.root.transactionSync(() => {
      this.applyPrepared(prepared);
      this.pruneUndo(height);
      this.meta.putSync(META_HEIGHT, h);
      this.meta.putSync(META_APP_HASH, prepared.appHash);
    });
    for (const [i, hash] of prepared.nodes) hash.copy(this.tree, i * 32);
    this.height = height - 1n;
    return { height: this.height, appHash: prepared.appHash };
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
