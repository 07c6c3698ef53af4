import { Item, Map, mapKey, keys } from "../storage";
import { hexEncode, utf8 } from "../encoding";
export { allocate } from "../exports"; // the mock db_read in as-pect.config.js allocates through it

describe("cw-storage-plus key layout", () => {
  it("Item key is the namespace", () => {
    expect<string>(hexEncode(new Item("config").key)).toBe(hexEncode(utf8("config")));
  });

  it("Map key is BE16(len(ns)) ‖ ns ‖ key", () => {
    const k = new Map("balances").at("wasm1abc").key;
    expect<string>(hexEncode(k)).toBe("0008" + hexEncode(utf8("balances")) + hexEncode(utf8("wasm1abc")));
  });

  it("u64 keys are big-endian", () => {
    expect<string>(hexEncode(keys.u64be(0x0102030405060708))).toBe("0102030405060708");
    expect<string>(hexEncode(new Map("heavy").atU64(3).key)).toBe("0005" + hexEncode(utf8("heavy")) + "0000000000000003");
  });

  it("composite keys length-prefix every part but the last", () => {
    const k = mapKey(utf8("allowances"), [utf8("owner"), utf8("spender")]);
    expect<string>(hexEncode(k)).toBe(
      "000a" + hexEncode(utf8("allowances")) + "0005" + hexEncode(utf8("owner")) + hexEncode(utf8("spender")),
    );
  });
});

describe("Item / Map through db_read/db_write (mocked)", () => {
  it("stores JSON values", () => {
    const count = new Item("count");
    expect<u64>(count.loadU64(7)).toBe(7);
    count.saveU64(u64.MAX_VALUE);
    expect<u64>(count.loadU64(0)).toBe(u64.MAX_VALUE);
    expect<string | null>(count.loadJsonText()).toBe("18446744073709551615");
    const names = new Map("names");
    names.at("a").saveString('quote " and \\ backslash');
    expect<string | null>(names.at("a").loadString()).toBe('quote " and \\ backslash');
    expect<string | null>(names.at("a").loadJsonText()).toBe('"quote \\" and \\\\ backslash"');
    expect<bool>(names.at("b").exists()).toBe(false);
    names.at("a").remove();
    expect<bool>(names.at("a").exists()).toBe(false);
  });
});
