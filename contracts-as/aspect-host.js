// The mocked `env` host of the as-pect suites, shared by contracts-as/as-pect.config.js and each contract's
// own config (licensing/, marketplace/), which extend it with their own answers (query_chain, `mock`
// imports). as-pect compiles with its own settings (incremental runtime, RTRACE, debug), so these suites
// test logic; the release artefacts run through the real chain in contracts-as/*.test.ts.
//
//   db_read / db_write / db_remove   a Map-backed store (one per test file); empty values are refused
//   db_scan / db_next / db_next_key / db_next_value
//                                    iterators over the store in key byte order, [start, end), order 1|2;
//                                    the end is an empty key (db_next) or 0 (db_next_key/_value)
//   addr_validate                    "Input is empty" for "", `invalid(address)` unless it matches `valid`
//                                    (default: lowercase bech32-looking "<hrp>1<data>", ≥ 6 data chars from
//                                    the bech32 alphabet, "Invalid address: <address>")
//   addr_canonicalize / addr_humanize  identity on the UTF-8 bytes (mock only)
//   query_chain                      {"error":{"unsupported_request":{"kind":"mock"}}} unless overridden
//   debug                            ignored; abort → throws (the test fails)
import path from "node:path";

export const BECH32 = /^[a-z][a-z0-9]*1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,}$/;

/** `p` (relative to `dir`, the config's folder) relative to the working directory, as as-pect wants it. */
export const relativeTo = (dir) => (p) => path.relative(process.cwd(), path.join(dir, p)) || ".";

/** The host's state and region helpers, for the configs' own answers. */
export class MockHost {
  constructor() {
    this.instance = undefined;
    this.store = new Map(); // hex key → Uint8Array
    this.iterators = [];
  }

  mem() {
    return this.instance.exports.memory.buffer;
  }

  readRegion(ptr) {
    const d = new DataView(this.mem());
    const off = d.getUint32(ptr, true);
    const len = d.getUint32(ptr + 8, true);
    return new Uint8Array(this.mem()).slice(off, off + len);
  }

  readString(ptr) {
    return Buffer.from(this.readRegion(ptr)).toString("utf8");
  }

  /** A new region (the contract's allocate) holding `bytes`. */
  writeRegion(bytes) {
    const p = this.instance.exports.allocate(bytes.length);
    const d = new DataView(this.mem());
    new Uint8Array(this.mem()).set(bytes, d.getUint32(p, true));
    d.setUint32(p + 8, bytes.length, true);
    return p;
  }

  /** A new region holding `v` as JSON. */
  writeJson(v) {
    return this.writeRegion(Buffer.from(JSON.stringify(v), "utf8"));
  }

  /** Empties the store and drops the iterators. */
  reset() {
    this.store.clear();
    this.iterators.length = 0;
  }

  nextEntry(id) {
    const it = this.iterators[id - 1];
    if (id === 0 || it === undefined) throw new Error("iterator does not exist");
    if (it.pos >= it.keys.length) return undefined;
    const k = it.keys[it.pos++];
    return [Buffer.from(k, "hex"), this.store.get(k)];
  }

  env(memory, addresses) {
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
    const valid = addresses?.valid ?? BECH32;
    const invalid = addresses?.invalid ?? ((a) => `Invalid address: ${a}`);
    const env = {
      memory,
      db_read: (k) => {
        const v = this.store.get(hex(this.readRegion(k)));
        return v === undefined ? 0 : this.writeRegion(v);
      },
      db_write: (k, v) => {
        const value = this.readRegion(v);
        if (value.length === 0) throw new Error("empty value not allowed");
        this.store.set(hex(this.readRegion(k)), value);
      },
      db_remove: (k) => {
        this.store.delete(hex(this.readRegion(k)));
      },
      db_scan: (s, e, order) => {
        if (order !== 1 && order !== 2) throw new Error("invalid iteration order");
        const start = s === 0 ? "" : hex(this.readRegion(s));
        const end = e === 0 ? undefined : hex(this.readRegion(e));
        // Lowercase hex of equal-width bytes sorts like the bytes (a prefix sorts first).
        let keys = [...this.store.keys()].filter((k) => k >= start && (end === undefined || k < end)).sort();
        if (order === 2) keys = keys.reverse();
        this.iterators.push({ keys, pos: 0 });
        return this.iterators.length; // ids start at 1
      },
      db_next: (id) => {
        const e = this.nextEntry(id);
        return this.writeRegion(sections(e === undefined ? [new Uint8Array(0), new Uint8Array(0)] : e));
      },
      db_next_key: (id) => {
        const e = this.nextEntry(id);
        return e === undefined ? 0 : this.writeRegion(e[0]);
      },
      db_next_value: (id) => {
        const e = this.nextEntry(id);
        return e === undefined ? 0 : this.writeRegion(e[1]);
      },
      addr_validate: (h) => {
        const s = this.readString(h);
        if (s.length === 0) return this.writeRegion(utf8("Input is empty"));
        if (!valid.test(s)) return this.writeRegion(utf8(invalid(s)));
        return 0;
      },
      addr_canonicalize: (h, dest) => {
        const b = this.readRegion(h);
        const d = new DataView(this.mem());
        new Uint8Array(this.mem()).set(b, d.getUint32(dest, true));
        d.setUint32(dest + 8, b.length, true);
        return 0;
      },
      addr_humanize: (c, dest) => env.addr_canonicalize(c, dest),
      query_chain: () => this.writeJson({ error: { unsupported_request: { kind: "mock" } } }),
      debug() {},
    };
    return env;
  }
}

/**
 * An as-pect config on the mocked host. `extend(host)` (optional) gives the config's own answers:
 * `env` (imports that replace the host's, e.g. query_chain) and `mock` (the spec's `mock` imports).
 * `addresses` ({ valid: RegExp, invalid: (address) => message }) replaces the address rules.
 */
export function aspectConfig({ entries, include, addresses, extend }) {
  return {
    entries,
    include,
    disclude: [/node_modules/],
    async instantiate(memory, createImports, instantiate, binary) {
      const host = new MockHost();
      const own = extend?.(host) ?? {};
      const imports = { env: { ...host.env(memory, addresses), ...own.env } };
      if (own.mock !== undefined) imports.mock = own.mock;
      host.instance = await instantiate(binary, createImports(imports));
      return host.instance;
    },
    outputBinary: false,
  };
}
