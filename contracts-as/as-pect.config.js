// as-pect unit tests of the SDK (sdk/__tests__/*.spec.ts). Run from the repository root with
//   npx asp --config contracts-as/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
// or from contracts-as/ with plain `npx asp`. as-pect compiles with its own settings (incremental
// runtime, RTRACE, debug), so these test SDK logic; the release artefacts are checked by build.mjs.
//
// The `env` imports the SDK needs are mocked here: a Map-backed db_read/db_write/db_remove.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const rel = (p) => path.relative(process.cwd(), path.join(here, p)) || ".";

export default {
  entries: [rel("sdk/__tests__/**/*.spec.ts")],
  include: [rel("sdk/__tests__/**/*.include.ts")],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    let instance;
    const store = new Map();
    const mem = () => instance.exports.memory.buffer;
    const readRegion = (ptr) => {
      const d = new DataView(mem());
      const off = d.getUint32(ptr, true);
      const len = d.getUint32(ptr + 8, true);
      return new Uint8Array(mem()).slice(off, off + len);
    };
    const hex = (b) => Buffer.from(b).toString("hex");
    const env = {
      memory,
      db_read(k) {
        const v = store.get(hex(readRegion(k)));
        if (v === undefined) return 0;
        const p = instance.exports.allocate(v.length);
        const d = new DataView(mem());
        new Uint8Array(mem()).set(v, d.getUint32(p, true));
        d.setUint32(p + 8, v.length, true);
        return p;
      },
      db_write(k, v) {
        store.set(hex(readRegion(k)), readRegion(v));
      },
      db_remove(k) {
        store.delete(hex(readRegion(k)));
      },
    };
    instance = instantiate(binary, createImports({ env }));
    instance = await instance;
    return instance;
  },
  outputBinary: false,
};
