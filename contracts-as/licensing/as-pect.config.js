// as-pect tests of the licensing contract (licensing/spec/*.spec.ts). From the repository root:
//   npx asp --config contracts-as/licensing/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
//
// The host is mocked in JavaScript: storage (db_read/db_write/db_remove and db_scan/db_next over a
// sorted Map), addr_validate, and query_chain answering cw721 owner_of / nft_info for one fake NFT
// contract whose tokens the spec sets through the `mock` imports (set_token, remove_token, reset).
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const rel = (p) => path.relative(process.cwd(), path.join(here, p)) || ".";

export const NFT_CONTRACT = "wasm1nftcontract";

export default {
  entries: [rel("spec/**/*.spec.ts")],
  include: [rel("spec/**/*.include.ts")],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    let instance;
    let store = new Map(); // hex key → Uint8Array
    let tokens = new Map(); // token_id → { owner, extension (JSON text) }
    const iterators = [];
    const mem = () => instance.exports.memory.buffer;
    const readRegion = (ptr) => {
      const d = new DataView(mem());
      const off = d.getUint32(ptr, true);
      const len = d.getUint32(ptr + 8, true);
      return new Uint8Array(mem()).slice(off, off + len);
    };
    const readString = (ptr) => Buffer.from(readRegion(ptr)).toString("utf8");
    const writeRegion = (bytes) => {
      const p = instance.exports.allocate(bytes.length);
      const d = new DataView(mem());
      new Uint8Array(mem()).set(bytes, d.getUint32(p, true));
      d.setUint32(p + 8, bytes.length, true);
      return p;
    };
    const hex = (b) => Buffer.from(b).toString("hex");
    const be32 = (n) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const answer = (v) => writeRegion(Buffer.from(JSON.stringify(v), "utf8"));
    const ok = (v) => answer({ ok: { ok: Buffer.from(JSON.stringify(v)).toString("base64") } });

    function smartNft(msg) {
      const variant = Object.keys(msg)[0];
      const tokenId = msg[variant]?.token_id;
      const t = tokens.get(tokenId);
      if (variant === "owner_of" || variant === "nft_info") {
        if (t === undefined) return answer({ ok: { error: "Token not found" } });
        if (variant === "owner_of") return ok({ owner: t.owner, approvals: [] });
        return ok({ token_uri: null, extension: JSON.parse(t.extension) });
      }
      return answer({ ok: { error: `unknown variant \`${variant}\`` } });
    }

    const env = {
      memory,
      db_read(k) {
        const v = store.get(hex(readRegion(k)));
        return v === undefined ? 0 : writeRegion(v);
      },
      db_write(k, v) {
        store.set(hex(readRegion(k)), readRegion(v));
      },
      db_remove(k) {
        store.delete(hex(readRegion(k)));
      },
      db_scan(start, end, order) {
        const s = start === 0 ? null : hex(readRegion(start));
        const e = end === 0 ? null : hex(readRegion(end));
        const keys = [...store.keys()].filter((k) => (s === null || k >= s) && (e === null || k < e)).sort();
        if (order === 2) keys.reverse();
        iterators.push({ keys, at: 0 });
        return iterators.length; // ids start at 1
      },
      db_next(id) {
        const it = iterators[id - 1];
        if (it.at >= it.keys.length) return writeRegion(Buffer.concat([be32(0), be32(0)]));
        const k = it.keys[it.at++];
        const key = Buffer.from(k, "hex");
        const value = Buffer.from(store.get(k));
        return writeRegion(Buffer.concat([key, be32(key.length), value, be32(value.length)]));
      },
      addr_validate(p) {
        const a = readString(p);
        if (/^[a-z]+1[a-z0-9]{4,}$/.test(a)) return 0;
        return writeRegion(Buffer.from(`invalid address: ${a}`, "utf8"));
      },
      query_chain(p) {
        const req = JSON.parse(readString(p));
        const smart = req.wasm?.smart;
        if (smart === undefined) return answer({ error: { unsupported_request: { kind: "test mock" } } });
        if (smart.contract_addr !== NFT_CONTRACT) return answer({ error: { no_such_contract: { addr: smart.contract_addr } } });
        return smartNft(JSON.parse(Buffer.from(smart.msg, "base64").toString("utf8")));
      },
      debug() {},
    };
    const mock = {
      set_token(id, owner, extension) {
        tokens.set(readString(id), { owner: readString(owner), extension: readString(extension) });
      },
      remove_token(id) {
        tokens.delete(readString(id));
      },
      reset() {
        store = new Map();
        tokens = new Map();
        iterators.length = 0;
      },
      storage_size() {
        return store.size;
      },
    };
    instance = instantiate(binary, createImports({ env, mock }));
    instance = await instance;
    return instance;
  },
  outputBinary: false,
};
