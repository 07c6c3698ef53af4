import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BranchStore } from "./branch.js";
import { CommitStore } from "./commitStore.js";
import type { Change } from "./types.js";

const dirs: string[] = [];
function fresh(): { store: CommitStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "soa-store-"));
  dirs.push(dir);
  return { store: CommitStore.open({ path: dir }), dir };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const b = (s: string) => Buffer.from(s);
const hex = (x: Uint8Array) => Buffer.from(x).toString("hex");

function writeAll(store: CommitStore, height: bigint, entries: [string, string | undefined][]): Buffer {
  const branch = new BranchStore(store);
  for (const [k, v] of entries) (v === undefined ? branch.delete(b(k)) : branch.set(b(k), b(v)));
  const p = store.prepare(branch.changes());
  store.commit(height, p);
  return p.appHash;
}

describe("CommitStore", () => {
  it("gives the same root for the same state however it was reached", async () => {
    const a = fresh().store;
    const c = fresh().store;
    const entries = Array.from({ length: 300 }, (_, i) => [`key-${i}`, `value-${i}`] as [string, string]);
    writeAll(a, 1n, entries);
    // c: in three blocks, in reverse order, with a key written and deleted on the way
    writeAll(c, 1n, entries.slice(150).reverse());
    writeAll(c, 2n, [["temporary", "x"], ...entries.slice(0, 100)]);
    writeAll(c, 3n, [["temporary", undefined], ...entries.slice(100, 150)]);
    expect(hex(a.lastAppHash)).toBe(hex(c.lastAppHash));
    expect(c.get(b("temporary"))).toBeUndefined();
    await a.close();
    await c.close();
  });

  it("changes the root on any value change, and returns to it when reverted", async () => {
    const { store } = fresh();
    const h1 = writeAll(store, 1n, [["a", "1"], ["b", "2"]]);
    const h2 = writeAll(store, 2n, [["b", "3"]]);
    expect(hex(h2)).not.toBe(hex(h1));
    const h3 = writeAll(store, 3n, [["b", "2"]]);
    expect(hex(h3)).toBe(hex(h1));
    const empty = writeAll(store, 4n, [["a", undefined], ["b", undefined]]);
    expect(hex(empty)).toBe("00".repeat(32));
    await store.close();
  });

  it("prepare writes nothing; commit persists state, height and app hash together", async () => {
    const { store, dir } = fresh();
    const h1 = writeAll(store, 1n, [["x", "1"]]);
    const branch = new BranchStore(store);
    branch.set(b("y"), b("2"));
    const prepared = store.prepare(branch.changes());
    expect(hex(prepared.appHash)).not.toBe(hex(h1));
    expect(store.get(b("y"))).toBeUndefined();
    expect(hex(store.lastAppHash)).toBe(hex(h1));
    await store.close();
    const reopened = CommitStore.open({ path: dir });
    expect(reopened.lastHeight).toBe(1n);
    expect(hex(reopened.lastAppHash)).toBe(hex(h1));
    expect(Buffer.from(reopened.get(b("x"))!).toString()).toBe("1");
    await reopened.close();
  });

  it("iterates committed and branched keys in order, skipping deletions", async () => {
    const { store } = fresh();
    writeAll(store, 1n, [["p/1", "a"], ["p/3", "c"], ["p/5", "e"], ["q/1", "z"]]);
    const br = new BranchStore(store);
    br.set(b("p/2"), b("b"));
    br.delete(b("p/3"));
    br.set(b("p/6"), b("f"));
    const seen = [...br.iterate(b("p/"), b("p0"))].map(([k, v]) => `${Buffer.from(k)}=${Buffer.from(v)}`);
    expect(seen).toEqual(["p/1=a", "p/2=b", "p/5=e", "p/6=f"]);
    const changes: Change[] = br.changes();
    expect(changes.map(([k]) => Buffer.from(k).toString())).toEqual(["p/2", "p/3", "p/6"]);
    await store.close();
  });
});

describe("CommitStore.rollback", () => {
  it("returns state, height and app hash to the previous block, durably, for the last two blocks", async () => {
    const { store, dir } = fresh();
    const h1 = writeAll(store, 1n, [["a", "1"], ["b", "2"]]);
    const h2 = writeAll(store, 2n, [["a", "10"], ["c", "3"]]);
    writeAll(store, 3n, [["b", undefined], ["d", "4"]]);
    expect(store.rollback()).toEqual({ height: 2n, appHash: h2 });
    expect(store.get(b("d"))).toBeUndefined();
    expect(Buffer.from(store.get(b("b"))!).toString()).toBe("2");
    expect(store.rollback()).toEqual({ height: 1n, appHash: h1 });
    expect(Buffer.from(store.get(b("a"))!).toString()).toBe("1");
    expect(store.get(b("c"))).toBeUndefined();
    expect(() => store.rollback()).toThrow(/no undo record for height 1/);
    await store.close();
    const reopened = CommitStore.open({ path: dir }); // the tree rebuilt from disk agrees
    expect(reopened.lastHeight).toBe(1n);
    expect(hex(reopened.lastAppHash)).toBe(hex(h1));
    // and the chain can go on from there
    const again = writeAll(reopened, 2n, [["a", "10"], ["c", "3"]]);
    expect(hex(again)).toBe(hex(h2));
    await reopened.close();
  });
});

describe("CommitStore.viewAt", () => {
  it("reads the state of the latest height and the two before it, keys and ranges, from the undo records", async () => {
    const { store } = fresh();
    writeAll(store, 1n, [["a", "1"], ["b", "1"], ["c", "1"]]);
    writeAll(store, 2n, [["a", "2"], ["b", undefined], ["d", "2"]]);
    writeAll(store, 3n, [["a", "3"], ["b", "3"], ["e", "3"]]);
    writeAll(store, 4n, [["c", undefined], ["a", "4"]]);
    const dump = (h: bigint) => {
      const v = store.viewAt(h);
      if (!v) return undefined;
      return [...v.iterate(b(""), undefined)].map(([k, x]) => `${Buffer.from(k)}=${Buffer.from(x)}`).join(" ");
    };
    expect(dump(4n)).toBe("a=4 b=3 d=2 e=3");
    expect(dump(3n)).toBe("a=3 b=3 c=1 d=2 e=3");
    expect(dump(2n)).toBe("a=2 c=1 d=2");
    expect(store.viewAt(2n)!.get(b("b"))).toBeUndefined();
    expect([...store.viewAt(2n)!.iterateReverse(b("a"), b("d"))].map(([k]) => Buffer.from(k).toString())).toEqual(["c", "a"]);
    expect(dump(1n)).toBeUndefined(); // older than the undo records reach
    expect(dump(5n)).toBeUndefined(); // not yet committed
    expect(dump(0n)).toBeUndefined();
    await store.close();
  });
});
