// The committed state on LMDB plus the Merkle structure whose root is the app hash.
// See store/README.md for the construction. FinalizeBlock calls `prepare` (pure, in memory);
// Commit calls `commit`, which writes state, bucket contents, bucket hashes, undo records, height
// and app hash in one synchronous LMDB transaction, so a crash leaves either the old block or the
// new one.
import { open, type Database, type RootDatabase } from "lmdb";
import { sha256 } from "../crypto/hash.js";
import { BranchStore } from "./branch.js";
import { type Change, type Key, type KVReader, prefixEnd, type Value } from "./types.js";

/** 65,536 buckets (the first 16 bits of sha256(key)) under a 16-ary tree of depth 4. */
const ARITY = 16;
const DEPTH = 4;
const NUM_BUCKETS = ARITY ** DEPTH;
const ZERO = Buffer.alloc(32);
const ZERO_CHILDREN = Buffer.alloc(32 * ARITY);
const LEAF = Buffer.from([0]);
const BUCKET = Buffer.from([1]);
const INNER = Buffer.from([2]);
/** A bucket's content: (sha256(key) 32 B || leaf hash 32 B)*, ascending by sha256(key). */
const ENTRY = 64;

const META_HEIGHT = "height";
const META_APP_HASH = "app_hash";
/** Undo records kept per height: enough to roll back this many blocks (pairs with `cometbft rollback`). */
export const UNDO_HEIGHTS = 2n;
const ABSENT = Buffer.from([0]);
const PRESENT = Buffer.from([1]);

export interface PreparedCommit {
  readonly changes: readonly Change[];
  readonly appHash: Buffer;
  /** New content and hash of every touched bucket (empty content = empty bucket). */
  readonly buckets: readonly { bucket: number; content: Buffer; hash: Buffer }[];
  /** New inner node hashes by level (1..DEPTH-1) and index; level 0 is the root. */
  readonly nodes: readonly Map<number, Buffer>[];
}

export interface CommitStoreOptions {
  path: string;
  mapSize?: number;
}

function bucketKey(b: number): Buffer {
  return Buffer.from([b >> 8, b & 0xff]);
}

function heightKey(height: bigint): Buffer {
  const h = Buffer.alloc(8);
  h.writeBigUInt64BE(height);
  return h;
}

export class CommitStore implements KVReader {
  private readonly root: RootDatabase;
  private readonly state: Database<Uint8Array, Key>;
  private readonly bucketContent: Database<Buffer, Key>;
  private readonly bucketHash: Database<Buffer, Key>;
  private readonly meta: Database<Buffer, string>;
  /** height(8 B BE) → previous app hash; height | key → 0x00 (absent) or 0x01 | previous value. */
  private readonly undo: Database<Buffer, Key>;
  /** levels[d] holds the ARITY^d node hashes of depth d, 32 bytes each; levels[DEPTH] = bucket hashes. */
  private readonly levels: Buffer[] = Array.from({ length: DEPTH + 1 }, (_, d) => Buffer.alloc(ARITY ** d * 32));
  private height = 0n;

  private constructor(opts: CommitStoreOptions) {
    this.root = open({ path: opts.path, overlappingSync: false, noSync: false, mapSize: opts.mapSize, maxDbs: 8 });
    const bin = { keyEncoding: "binary", encoding: "binary" } as const;
    this.state = this.root.openDB({ name: "state", ...bin });
    this.bucketContent = this.root.openDB({ name: "bucket_content", ...bin });
    this.bucketHash = this.root.openDB({ name: "bucket_hash", ...bin });
    this.meta = this.root.openDB({ name: "meta", keyEncoding: "ordered-binary", encoding: "binary" });
    this.undo = this.root.openDB({ name: "undo", ...bin });
  }

  /** Opens (or creates) the store and rebuilds the tree; checks it against the saved app hash. */
  static open(opts: CommitStoreOptions): CommitStore {
    const s = new CommitStore(opts);
    s.load();
    return s;
  }

  private load(): void {
    for (const { key, value } of this.bucketHash.getRange({})) {
      Buffer.from(value).copy(this.levels[DEPTH]!, Buffer.from(key).readUInt16BE(0) * 32);
    }
    for (let d = DEPTH - 1; d >= 0; d--) {
      for (let i = 0; i < ARITY ** d; i++) this.hashInner(d, i).copy(this.levels[d]!, i * 32);
    }
    const h = this.meta.get(META_HEIGHT);
    this.height = h ? Buffer.from(h).readBigUInt64BE(0) : 0n;
    const saved = this.meta.get(META_APP_HASH);
    if (this.height > 0n && (!saved || !Buffer.from(saved).equals(this.node(0, 0)))) {
      throw new Error(
        `state store is corrupt: recomputed app hash ${this.node(0, 0).toString("hex")} != saved ${saved ? Buffer.from(saved).toString("hex") : "none"} at height ${this.height}`,
      );
    }
  }

  private node(depth: number, i: number): Buffer {
    return this.levels[depth]!.subarray(i * 32, i * 32 + 32);
  }

  /**
   * Hash of inner node i at `depth` from its ARITY children at depth+1 (contiguous in the level
   * below), with `overlay` holding children changed by the block being prepared; all-zero
   * children give ZERO.
   */
  private hashInner(depth: number, i: number, overlay?: Map<number, Buffer>): Buffer {
    const first = i * ARITY;
    let children = this.levels[depth + 1]!.subarray(first * 32, (first + ARITY) * 32);
    if (overlay && overlay.size > 0) {
      children = Buffer.from(children);
      for (let k = 0; k < ARITY; k++) {
        const changed = overlay.get(first + k);
        if (changed) changed.copy(children, k * 32);
      }
    }
    if (children.equals(ZERO_CHILDREN)) return ZERO;
    return sha256(INNER, children);
  }

  get lastHeight(): bigint {
    return this.height;
  }

  /** The app hash of the committed state (all zeros for an empty store). */
  get lastAppHash(): Buffer {
    return Buffer.from(this.node(0, 0));
  }

  get(key: Key): Value | undefined {
    return this.state.get(key);
  }

  *iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    if (end !== undefined && Buffer.compare(start, end) >= 0) return; // LMDB reads an empty `end` as "no end"
    const range = end === undefined ? { start: Buffer.from(start) } : { start: Buffer.from(start), end: Buffer.from(end) };
    for (const { key, value } of this.state.getRange(range)) yield [key as Buffer, value];
  }

  *iterateReverse(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    if (end !== undefined && Buffer.compare(start, end) >= 0) return;
    // LMDB's reverse range includes its start key: begin at `end` and skip it if present. Its default
    // lower bound excludes the one-byte key 00, which no state key is (every App key is longer).
    const lo = Buffer.from(start);
    const range = end === undefined ? { reverse: true } : { start: Buffer.from(end), reverse: true };
    for (const { key, value } of this.state.getRange(range)) {
      const k = key as Buffer;
      if (end !== undefined && Buffer.compare(k, end) >= 0) continue;
      if (Buffer.compare(k, lo) < 0) return;
      yield [k, value];
    }
  }

  /**
   * Read-only state as it was after block `height`, for the latest height and the UNDO_HEIGHTS − 1...
   * previous ones: the undo records of the later blocks say what their changed keys held before.
   * Undefined when `height` is older (or newer) than that.
   */
  viewAt(height: bigint): KVReader | undefined {
    if (height === this.height) return this;
    if (height < 1n || height > this.height || this.height - height >= UNDO_HEIGHTS + 1n) return undefined;
    const view = new BranchStore(this);
    for (let h = this.height; h > height; h--) {
      const prefix = heightKey(h);
      if (!this.undo.get(prefix)) return undefined; // pruned or never recorded
      // Newer blocks first: an older block's record of the same key overwrites it (the value at `height`).
      for (const { key, value } of this.undo.getRange({ start: Buffer.concat([prefix, Buffer.from([0])]), end: prefixEnd(prefix) })) {
        const k = Buffer.from(key).subarray(8);
        if (value[0] === 1) view.set(k, Buffer.from(value.subarray(1)));
        else view.delete(k);
      }
    }
    return view;
  }

  /** Computes the app hash that `changes` (sorted, unique keys) would give; writes nothing. */
  prepare(changes: readonly Change[]): PreparedCommit {
    const perBucket = new Map<number, { hk: Buffer; leaf: Buffer | undefined }[]>();
    for (const [key, value] of changes) {
      const hk = sha256(key);
      const leaf = value === undefined ? undefined : sha256(LEAF, hk, value);
      const b = hk.readUInt16BE(0);
      let list = perBucket.get(b);
      if (!list) perBucket.set(b, (list = []));
      list.push({ hk, leaf });
    }
    const buckets: { bucket: number; content: Buffer; hash: Buffer }[] = [];
    const nodes: Map<number, Buffer>[] = Array.from({ length: DEPTH + 1 }, () => new Map());
    for (const b of [...perBucket.keys()].sort((x, y) => x - y)) {
      const updates = perBucket.get(b)!.sort((x, y) => Buffer.compare(x.hk, y.hk));
      const content = mergeBucket(this.bucketContent.get(bucketKey(b)), updates);
      const hash = content.length === 0 ? ZERO : sha256(BUCKET, ...leavesOf(content));
      buckets.push({ bucket: b, content, hash });
      nodes[DEPTH]!.set(b, hash);
    }
    let dirty = buckets.map((x) => x.bucket);
    for (let d = DEPTH - 1; d >= 0; d--) {
      const parents = [...new Set(dirty.map((i) => Math.floor(i / ARITY)))];
      for (const p of parents) nodes[d]!.set(p, this.hashInner(d, p, nodes[d + 1]));
      dirty = parents;
    }
    return { changes, appHash: Buffer.from(nodes[0]!.get(0) ?? this.node(0, 0)), buckets, nodes };
  }

  /** Persists a prepared block atomically and durably, then advances the in-memory tree. */
  commit(height: bigint, prepared: PreparedCommit): void {
    const h = heightKey(height);
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
    this.applyNodes(prepared);
    this.height = height;
  }

  /** Writes state and bucket contents and hashes; call inside a transaction. */
  private applyPrepared(prepared: PreparedCommit): void {
    for (const [k, v] of prepared.changes) {
      if (v === undefined) this.state.removeSync(k);
      else this.state.putSync(k, v);
    }
    for (const { bucket, content, hash } of prepared.buckets) {
      const key = bucketKey(bucket);
      if (content.length === 0) {
        this.bucketContent.removeSync(key);
        this.bucketHash.removeSync(key);
      } else {
        this.bucketContent.putSync(key, content);
        this.bucketHash.putSync(key, hash);
      }
    }
  }

  private applyNodes(prepared: PreparedCommit): void {
    prepared.nodes.forEach((m, d) => {
      for (const [i, hash] of m) hash.copy(this.levels[d]!, i * 32);
    });
  }

  private pruneUndo(height: bigint): void {
    const start = heightKey(height);
    for (const key of this.undo.getKeys({ start, end: prefixEnd(start) })) this.undo.removeSync(key);
  }

  /**
   * Undoes the last committed block: state, buckets, height and app hash go back one height in one
   * transaction (run with `cometbft rollback` after a bad block or an app-hash split).
   */
  rollback(): { height: bigint; appHash: Buffer } {
    const height = this.height;
    if (height === 0n) throw new Error("nothing to roll back: no block has been committed");
    const prefix = heightKey(height);
    const expected = this.undo.get(prefix);
    if (!expected) throw new Error(`no undo record for height ${height}: only the last ${UNDO_HEIGHTS} blocks can be rolled back`);
    const changes: Change[] = [];
    for (const { key, value } of this.undo.getRange({ start: Buffer.concat([prefix, Buffer.from([0])]), end: prefixEnd(prefix) })) {
      changes.push([Buffer.from(key).subarray(8), value[0] === 1 ? Buffer.from(value.subarray(1)) : undefined]);
    }
    const prepared = this.prepare(changes);
    if (height > 1n && !prepared.appHash.equals(Buffer.from(expected))) {
      throw new Error(`rollback would give app hash ${prepared.appHash.toString("hex")}, expected ${Buffer.from(expected).toString("hex")}`);
    }
    this.root.transactionSync(() => {
      this.applyPrepared(prepared);
      this.pruneUndo(height);
      this.meta.putSync(META_HEIGHT, heightKey(height - 1n));
      this.meta.putSync(META_APP_HASH, prepared.appHash);
    });
    this.applyNodes(prepared);
    this.height = height - 1n;
    return { height: this.height, appHash: prepared.appHash };
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

/** Merges sorted updates into a bucket's sorted content; an update without a leaf deletes. */
function mergeBucket(current: Buffer | undefined, updates: readonly { hk: Buffer; leaf: Buffer | undefined }[]): Buffer {
  const cur = current ? Buffer.from(current) : Buffer.alloc(0);
  const out: Buffer[] = [];
  let i = 0;
  let u = 0;
  while (i < cur.length || u < updates.length) {
    const existing = i < cur.length ? cur.subarray(i, i + 32) : undefined;
    const upd = updates[u];
    const cmp = existing === undefined ? 1 : upd === undefined ? -1 : Buffer.compare(existing, upd.hk);
    if (cmp < 0) {
      out.push(cur.subarray(i, i + ENTRY));
      i += ENTRY;
    } else {
      if (upd!.leaf) out.push(upd!.hk, upd!.leaf);
      if (cmp === 0) i += ENTRY;
      u++;
    }
  }
  return Buffer.concat(out);
}

function leavesOf(content: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < content.length; i += ENTRY) out.push(content.subarray(i + 32, i + ENTRY));
  return out;
}
