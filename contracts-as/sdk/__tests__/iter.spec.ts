import { storage, Map, mapPrefix, Prefix } from "../storage";
import { KV, prefixEnd, keySuccessor, splitKey, pageLimit, prefixKeys } from "../iter";
import { hexEncode, utf8, fromUtf8 } from "../encoding";
export { allocate } from "../exports"; // the mock db_read/db_next in as-pect.config.js allocate through it

function keysOf(kvs: KV[]): string {
  const parts: string[] = [];
  for (let i = 0; i < kvs.length; i++) parts.push(fromUtf8(kvs[i].key) + "=" + fromUtf8(kvs[i].value));
  return parts.join(",");
}

function strs(a: string[]): string {
  return a.join(",");
}

describe("prefix helpers", () => {
  it("prefixEnd increments the last non-0xff byte and drops the rest", () => {
    expect<string>(hexEncode(prefixEnd(utf8("ab"))!)).toBe("6163");
    const p = new Uint8Array(3);
    p[0] = 1;
    p[1] = 0xff;
    p[2] = 0xff;
    expect<string>(hexEncode(prefixEnd(p)!)).toBe("02");
    const all = new Uint8Array(2);
    all.fill(0xff);
    expect<bool>(prefixEnd(all) === null).toBe(true);
  });

  it("keySuccessor appends a zero byte", () => {
    expect<string>(hexEncode(keySuccessor(utf8("a")))).toBe("6100");
  });

  it("mapPrefix length-prefixes the namespace and every prefix part", () => {
    expect<string>(hexEncode(mapPrefix(utf8("owned"), [utf8("bob")]))).toBe("0005" + hexEncode(utf8("owned")) + "0003" + hexEncode(utf8("bob")));
    expect<string>(hexEncode(mapPrefix(utf8("t"), []))).toBe("0001" + hexEncode(utf8("t")));
  });

  it("splitKey splits a composite key", () => {
    const m = new Map("x");
    const full = m.atParts([utf8("owner"), utf8("tok")]).key;
    const rest = full.slice(mapPrefix(utf8("x"), []).length);
    const parts = splitKey(rest, 2);
    expect<string>(fromUtf8(parts[0])).toBe("owner");
    expect<string>(fromUtf8(parts[1])).toBe("tok");
  });

  it("pageLimit: default 10, capped at 100", () => {
    expect<i32>(pageLimit(0, false)).toBe(10);
    expect<i32>(pageLimit(5, true)).toBe(5);
    expect<i32>(pageLimit(1000, true)).toBe(100);
    expect<i32>(pageLimit(u64.MAX_VALUE, true)).toBe(100);
  });
});

describe("storage.range over db_scan/db_next (mocked)", () => {
  beforeAll(() => {
    storage.set(utf8("a"), utf8("1"));
    storage.set(utf8("b"), utf8("2"));
    storage.set(utf8("ba"), utf8("3"));
    storage.set(utf8("c"), utf8("4"));
  });

  it("ascending, unbounded", () => {
    expect<string>(keysOf(storage.range(null, null, true))).toBe("a=1,b=2,ba=3,c=4");
  });

  it("descending, unbounded", () => {
    expect<string>(keysOf(storage.range(null, null, false))).toBe("c=4,ba=3,b=2,a=1");
  });

  it("[start, end) and limit", () => {
    expect<string>(keysOf(storage.range(utf8("b"), utf8("c"), true))).toBe("b=2,ba=3");
    expect<string>(keysOf(storage.range(utf8("b"), utf8("c"), false))).toBe("ba=3,b=2");
    expect<string>(keysOf(storage.range(utf8("a"), null, true, 2))).toBe("a=1,b=2");
    expect<i32>(storage.range(null, null, true, 0).length).toBe(0);
    expect<i32>(storage.range(utf8("d"), null, true).length).toBe(0);
  });
});

const tokens = new Map("tokens");
const owned = new Map("owned");
const other = new Map("tokensx"); // a namespace that starts with "tokens" must not leak in

describe("Map iteration (cw-storage-plus layout)", () => {
  beforeAll(() => {
    const ids = ["t1", "t10", "t2", "t3", "u"];
    for (let i = 0; i < ids.length; i++) tokens.at(ids[i]).saveString(ids[i]);
    other.at("zzz").saveString("no");
    owned.atParts([utf8("alice"), utf8("t1")]).saveString("1");
    owned.atParts([utf8("alice"), utf8("t2")]).saveString("1");
    owned.atParts([utf8("bob"), utf8("t3")]).saveString("1");
    owned.atParts([utf8("alicex"), utf8("t9")]).saveString("1");
  });

  it("keysAfterString pages in byte order with an exclusive start_after", () => {
    expect<string>(strs(tokens.keysAfterString(null, 10))).toBe("t1,t10,t2,t3,u");
    expect<string>(strs(tokens.keysAfterString(null, 2))).toBe("t1,t10");
    expect<string>(strs(tokens.keysAfterString("t10", 2))).toBe("t2,t3");
    expect<string>(strs(tokens.keysAfterString("t", 10))).toBe("t1,t10,t2,t3,u");
    expect<string>(strs(tokens.keysAfterString("u", 10))).toBe("");
    expect<string>(strs(tokens.keysAfterString("zz", 10))).toBe("");
  });

  it("descending pages go below start_after", () => {
    expect<string>(strs(tokens.keysAfterString(null, 10, false))).toBe("u,t3,t2,t10,t1");
    expect<string>(strs(tokens.keysAfterString("t2", 10, false))).toBe("t10,t1");
  });

  it("rangeAfter returns values and raw keys without the Map prefix", () => {
    const kvs = tokens.rangeAfter(utf8("t2"), 10);
    expect<i32>(kvs.length).toBe(2);
    expect<string>(fromUtf8(kvs[0].key)).toBe("t3");
    expect<string>(fromUtf8(kvs[0].value)).toBe('"t3"');
    expect<i32>(tokens.keysAfter(null, 100).length).toBe(5);
  });

  it("prefix() iterates one owner of a composite-key Map", () => {
    expect<string>(strs(owned.prefix([utf8("alice")]).keysAfterString(null, 10))).toBe("t1,t2");
    expect<string>(strs(owned.prefix([utf8("alice")]).keysAfterString("t1", 10))).toBe("t2");
    expect<string>(strs(owned.prefix([utf8("bob")]).keysAfterString(null, 10))).toBe("t3");
    expect<bool>(owned.prefix([utf8("carol")]).isEmpty()).toBe(true);
    expect<bool>(owned.prefix([utf8("bob")]).isEmpty()).toBe(false);
  });

  it("the whole composite Map splits back into (owner, token), in cw-storage-plus order", () => {
    // The first part is length-prefixed, so shorter owners sort first: bob, alice, alicex.
    const ks = owned.keysAfter(null, 10);
    expect<i32>(ks.length).toBe(4);
    const parts: string[] = [];
    for (let i = 0; i < ks.length; i++) {
      const p = splitKey(ks[i], 2);
      parts.push(fromUtf8(p[0]) + "/" + fromUtf8(p[1]));
    }
    expect<string>(parts.join(",")).toBe("bob/t3,alice/t1,alice/t2,alicex/t9");
  });

  it("prefixKeys on a raw prefix", () => {
    const p = new Prefix(mapPrefix(utf8("owned"), [utf8("alicex")]));
    expect<i32>(p.keysAfter(null, 10).length).toBe(1);
    expect<i32>(prefixKeys(p.bytes, null, -1).length).toBe(1);
  });
});
