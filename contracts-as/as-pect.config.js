// as-pect unit tests of the SDK (sdk/__tests__/*.spec.ts) and of the contracts
// (<contract>/__tests__/*.spec.ts or <contract>/assembly/__tests__/*.spec.ts). Run from the repository
// root with
//   npx asp --config contracts-as/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
// or from contracts-as/ with plain `npx asp`. as-pect compiles with its own settings (incremental
// runtime, RTRACE, debug), so these test logic; the release artefacts are checked by build.mjs and run
// through the real chain in contracts-as/*.test.ts.
//
// The `env` imports are mocked here:
//   db_read / db_write / db_remove   a Map-backed store (one per test file)
//   db_scan / db_next / db_next_key / db_next_value
//                                    iterators over the store in key byte order, [start, end), order 1|2;
//                                    the end is an empty key (db_next) or 0 (db_next_key/_value)
//   addr_validate                    accepts lowercase bech32-looking addresses "<hrp>1<data>" with
//                                    ≥ 6 data chars from the bech32 alphabet; otherwise returns an error
//   addr_canonicalize / addr_humanize  identity on the UTF-8 bytes (mock only)
//   query_chain                      always {"error":{"unsupported_request":{"kind":"mock"}}}
//   debug                            ignored; abort → throws (the test fails)
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const rel = (p) => path.relative(process.cwd(), path.join(here, p)) || ".";

const BECH32 = /^[a-z][a-z0-9]*1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,}$/;

export default {
  entries: [
    rel("sdk/__tests__/**/*.spec.ts"),
    rel("*/__tests__/**/*.spec.ts"),
    rel("*/assembly/__tests__/**/*.spec.ts"),
  ],
  include: [rel("sdk/__tests__/**/*.include.ts")],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    let instance;
    const store = new Map(); // hex key → Uint8Array
    const iterators = [];
    const mem = () => instance.exports.memory.buffer;
    const readRegion = (ptr) => {
      const d = new DataView(mem());
      const off = d.getUint32(ptr, true);
      const len = d.getUint32(ptr + 8, true);
      return new Uint8Array(mem()).slice(off, off + len);
    };
    const writeNew = (bytes) => {
      const p = instance.exports.allocate(bytes.length);
      const d = new DataView(mem());
      new Uint8Array(mem()).set(bytes, d.getUint32(p, true));
      d.setUint32(p + 8, bytes.length, true);
      return p;
    };
    const hex = (b) => Buffer.from(b).toString("hex");
    const utf8 = (s) => new Uint8Array(Buffer.from(s, "utf8"));
    const sections = (parts) => {
      const chunks = [];
      for (const p of parts) {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(p.length);
        chunks.push(Buffer.from(p), len);
      }
      return new Uint8Array(Buffer.concat(chunks));
    };
    const nextEntry = (id) => {
      const it = iterators[id - 1];
      if (id === 0 || it === undefined) throw new Error("iterator does not exist");
      if (it.pos >= it.keys.length) return undefined;
      const k = it.keys[it.pos++];
      const v = store.get(k);
      return [Buffer.from(k, "hex"), v];
    };
    const env = {
      memory,
      db_read(k) {
        const v = store.get(hex(readRegion(k)));
        return v === undefined ? 0 : writeNew(v);
      },
      db_write(k, v) {
        const value = readRegion(v);
        if (value.length === 0) throw new Error("empty value not allowed");
        store.set(hex(readRegion(k)), value);
      },
      db_remove(k) {
        store.delete(hex(readRegion(k)));
      },
      db_scan(s, e, order) {
        if (order !== 1 && order !== 2) throw new Error("invalid iteration order");
        const start = s === 0 ? "" : hex(readRegion(s));
        const end = e === 0 ? undefined : hex(readRegion(e));
        // Lowercase hex of equal-width bytes sorts like the bytes (a prefix sorts first).
        let keys = [...store.keys()].filter((k) => k >= start && (end === undefined || k < end)).sort();
        if (order === 2) keys = keys.reverse();
        iterators.push({ keys, pos: 0 });
        return iterators.length;
      },
      db_next(id) {
        const e = nextEntry(id);
        return writeNew(sections(e === undefined ? [new Uint8Array(0), new Uint8Array(0)] : e));
      },
      db_next_key(id) {
        const e = nextEntry(id);
        return e === undefined ? 0 : writeNew(e[0]);
      },
      db_next_value(id) {
        const e = nextEntry(id);
        return e === undefined ? 0 : writeNew(e[1]);
      },
      addr_validate(h) {
        const s = Buffer.from(readRegion(h)).toString("utf8");
        if (s.length === 0) return writeNew(utf8("Input is empty"));
        if (!BECH32.test(s)) return writeNew(utf8(`Invalid address: ${s}`));
        return 0;
      },
      addr_canonicalize(h, dest) {
        const b = readRegion(h);
        const d = new DataView(mem());
        new Uint8Array(mem()).set(b, d.getUint32(dest, true));
        d.setUint32(dest + 8, b.length, true);
        return 0;
      },
      addr_humanize(c, dest) {
        return env.addr_canonicalize(c, dest);
      },
      query_chain() {
        return writeNew(utf8('{"error":{"unsupported_request":{"kind":"mock"}}}'));
      },
      debug() {},
    };
    instance = instantiate(binary, createImports({ env }));
    instance = await instance;
    return instance;
  },
  outputBinary: false,
};
