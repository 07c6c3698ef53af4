import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prng } from "../../test/utils/random.js";
import { BranchStore } from "./branch.js";
import { CommitStore } from "./commitStore.js";
import type { Key, KVReader, Value } from "./types.js";

const hex = (entries: Iterable<[Key, Value]>) => [...entries].map(([k, v]) => `${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);

describe("iteration in both directions over committed state and branches", () => {
  const dir = mkdtempSync(join(tmpdir(), "soa-branch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("iterateReverse is exactly iterate reversed, for random ranges over random writes and deletes", async () => {
    const rng = prng(42);
    const chance = () => rng.int(2) === 0;
    // Never the one-byte key 00: no state key is (see CommitStore.iterateReverse).
    const key = () => Buffer.concat([Buffer.from([1 + rng.int(255)]), rng.bytes(rng.int(3))]);
    const bound = () => Buffer.from(rng.bytes(rng.int(4)));
    const store = CommitStore.open({ path: dir });
    const base = new BranchStore(store);
    for (let i = 0; i < 200; i++) base.set(key(), Buffer.from([i & 0xff]));
    store.commit(1n, store.prepare(base.changes()));
    const branch = new BranchStore(store);
    for (let i = 0; i < 100; i++) {
      if (chance()) branch.set(key(), Buffer.from([0xee, i & 0xff]));
      else branch.delete(key());
    }
    const nested = new BranchStore(branch);
    for (let i = 0; i < 30; i++) nested.set(key(), Buffer.from([0xdd]));
    for (const s of [store, branch, nested] as KVReader[]) {
      for (let i = 0; i < 200; i++) {
        const a = bound();
        const b = rng.int(5) === 0 ? undefined : bound();
        expect(hex(s.iterateReverse(a, b))).toEqual(hex(s.iterate(a, b)).reverse());
      }
    }
    await store.close();
  });

  it("an empty or inverted range is empty in both directions (LMDB would read an empty end as unbounded)", async () => {
    const store = CommitStore.open({ path: join(dir, "empty") });
    const b = new BranchStore(store);
    for (const k of ["a", "b", "c"]) b.set(Buffer.from(k), Buffer.from("v"));
    store.commit(1n, store.prepare(b.changes()));
    for (const [lo, hi] of [["c", ""], ["c", "a"], ["b", "b"]]) {
      expect([...store.iterate(Buffer.from(lo!), Buffer.from(hi!))]).toEqual([]);
      expect([...store.iterateReverse(Buffer.from(lo!), Buffer.from(hi!))]).toEqual([]);
    }
    await store.close();
  });
});
