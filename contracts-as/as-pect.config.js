// as-pect unit tests of the SDK (sdk/__tests__/*.spec.ts) and of the contracts
// (<contract>/__tests__/*.spec.ts or <contract>/assembly/__tests__/*.spec.ts). Run from the repository
// root with
//   npx asp --config contracts-as/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
// or from contracts-as/ with plain `npx asp`. as-pect compiles with its own settings (incremental
// runtime, RTRACE, debug), so these test logic; the release artefacts are checked by build.mjs and run
// through the real chain in contracts-as/*.test.ts.
//
// The `env` imports are the common mocked host of aspect-host.js (storage, iterators, bech32-looking
// addresses, a query_chain that answers nothing).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aspectConfig, relativeTo } from "./aspect-host.js";

const rel = relativeTo(path.dirname(fileURLToPath(import.meta.url)));

export default aspectConfig({
  entries: [rel("sdk/__tests__/**/*.spec.ts"), rel("*/__tests__/**/*.spec.ts"), rel("*/assembly/__tests__/**/*.spec.ts")],
  include: [rel("sdk/__tests__/**/*.include.ts")],
});
