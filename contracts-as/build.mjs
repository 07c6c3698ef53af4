#!/usr/bin/env node
// Builds the AssemblyScript contracts into chain-ready CosmWasm modules (WASM-VM.md §4.3) and checks
// every artefact before it is written:
//
//   asc <name>/assembly/index.ts --runtime stub -O3 --noAssert --disable bulk-memory,nontrapping-f2i
//       --use abort=sdk/abort/cwAbort --exportStart _cw_start
//   binaryen post-step: drop the `_cw_start` export and prepend `call _cw_start` to every exported function
//   checks: no start section, no float instructions (except FLOAT_ALLOWED), MVP + sign-ext + mutable
//       globals only (no bulk-memory, SIMD, sat-trunc, reference types …), imports only from the
//       WASM-VM.md §1.4 list with the right signatures, interface_version_8/allocate/deallocate exported,
//       one memory without maximum, the §1.1 limits
//   build/<name>.wasm, then sha256 compared with checksums.txt
//
// Usage: node contracts-as/build.mjs [--update-checksums] [--smoke] [--wat] [--force] [name ...]
//   --update-checksums  rewrite checksums.txt instead of failing on a difference
//   --force             recompile even if build/.inputs.json says the sources are unchanged
//   --smoke             afterwards run each built contract in a tiny in-process host (smoke.mjs)
//   --wat               also write build/<name>.wat (binaryen text; for reading, not checked in)
// Tests (as-pect) are not run here: npx asp --config contracts-as/as-pect.config.js
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = path.join(ROOT, "build");
const CHECKSUMS = path.join(ROOT, "checksums.txt");

/** Contracts allowed to contain float instructions (hostile tests NaN canonicalisation on purpose). */
const FLOAT_ALLOWED = new Set(["hostile"]);

/** Optional `cw_migrate_version` custom section per contract (MigrateInfo.old_migrate_version). */
const MIGRATE_VERSION = { counter: "1" };

const ASC_FLAGS = [
  "--runtime", "stub",
  "-O3",
  "--noAssert",
  "--disable", "bulk-memory,nontrapping-f2i",
  "--use", "abort=sdk/abort/cwAbort",
  "--exportStart", "_cw_start",
];

const START_EXPORT = "_cw_start";

// WASM-VM.md §1.4: every import the host provides, with its signature (params → results).
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;
const ALLOWED_IMPORTS = {
  db_read: [[I32], [I32]],
  db_write: [[I32, I32], []],
  db_remove: [[I32], []],
  db_scan: [[I32, I32, I32], [I32]],
  db_next: [[I32], [I32]],
  db_next_key: [[I32], [I32]],
  db_next_value: [[I32], [I32]],
  addr_validate: [[I32], [I32]],
  addr_canonicalize: [[I32, I32], [I32]],
  addr_humanize: [[I32, I32], [I32]],
  secp256k1_verify: [[I32, I32, I32], [I32]],
  secp256k1_recover_pubkey: [[I32, I32, I32], [I64]],
  secp256r1_verify: [[I32, I32, I32], [I32]],
  secp256r1_recover_pubkey: [[I32, I32, I32], [I64]],
  ed25519_verify: [[I32, I32, I32], [I32]],
  ed25519_batch_verify: [[I32, I32, I32], [I32]],
  bls12_381_aggregate_g1: [[I32, I32], [I32]],
  bls12_381_aggregate_g2: [[I32, I32], [I32]],
  bls12_381_pairing_equality: [[I32, I32, I32, I32], [I32]],
  bls12_381_hash_to_g1: [[I32, I32, I32, I32], [I32]],
  bls12_381_hash_to_g2: [[I32, I32, I32, I32], [I32]],
  debug: [[I32], []],
  abort: [[I32], []],
  query_chain: [[I32], [I32]],
};

// ------------------------------------------------------------------------------------------------
// Command line

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const names = args.filter((a) => !a.startsWith("--"));
for (const f of flags) {
  if (!["--update-checksums", "--smoke", "--wat", "--force"].includes(f)) die(`unknown option ${f}`);
}

function die(msg) {
  console.error(`contracts-as: ${msg}`);
  process.exit(1);
}

function discoverContracts() {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(ROOT, d.name, "assembly", "index.ts")))
    .map((d) => d.name)
    .sort();
}

// ------------------------------------------------------------------------------------------------
// Compile

async function compile(asc, name) {
  let binary;
  const stderr = asc.createMemoryStream();
  const stdout = asc.createMemoryStream();
  const result = await asc.main(
    [`${name}/assembly/index.ts`, "--baseDir", ROOT, "--outFile", `${name}.wasm`, ...ASC_FLAGS],
    {
      stdout,
      stderr,
      writeFile: (file, contents) => {
        if (file === `${name}.wasm`) binary = contents;
      },
    },
  );
  if (result.error || !binary) {
    throw new Error(`asc failed for ${name}:\n${stderr.toString()}${result.error ? result.error.message : ""}`);
  }
  return binary;
}

/** Removes the exported start function and calls it first in every exported function. */
function rewriteStart(binaryen, name, wasm) {
  const mod = binaryen.readBinary(wasm);
  try {
    mod.setFeatures(binaryen.Features.MutableGlobals | binaryen.Features.SignExt);
    let startFn;
    const exportedFns = [];
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      if (info.kind !== binaryen.ExternalFunction) continue;
      if (info.name === START_EXPORT) startFn = info.value;
      else exportedFns.push(info.value);
    }
    if (mod.getStart()) throw new Error(`${name}: module has a start section despite --exportStart`);
    if (startFn === undefined) throw new Error(`${name}: asc did not export ${START_EXPORT}`);
    mod.removeExport(START_EXPORT);
    for (const fnName of [...new Set(exportedFns)]) {
      if (fnName === startFn) throw new Error(`${name}: the start function is exported under another name`);
      const fn = mod.getFunction(fnName);
      const info = binaryen.getFunctionInfo(fn);
      const body = mod.block(null, [mod.call(startFn, [], binaryen.none), info.body], info.results);
      binaryen.Function.setBody(fn, body);
    }
    const version = MIGRATE_VERSION[name];
    if (version !== undefined) mod.addCustomSection("cw_migrate_version", new TextEncoder().encode(version));
    if (!mod.validate()) throw new Error(`${name}: binaryen validation failed after the start rewrite`);
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

// ------------------------------------------------------------------------------------------------
// Checks: a small decoder of our own (independent of asc/binaryen) for the whitelisted opcode set.

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.b = bytes;
    this.pos = pos;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error("unexpected end of section");
    return this.b[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }
  /** Signed LEB of any width: only skipped, value not needed beyond the block type. */
  sleb() {
    let result = 0n, shift = 0n, byte;
    do {
      byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (byte & 0x40) result -= 1n << shift;
    return result;
  }
  bytes(n) {
    if (this.pos + n > this.end) throw new Error("unexpected end of section");
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name() {
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes(this.u32()));
  }
  limits() {
    const flag = this.byte();
    if (flag === 0) return { min: this.u32(), max: undefined };
    if (flag === 1) return { min: this.u32(), max: this.u32() };
    throw new Error(`unsupported limits flag 0x${flag.toString(16)} (shared memory / memory64?)`);
  }
}

const FLOAT_OPCODES = new Set([
  0x2a, 0x2b, 0x38, 0x39, 0x43, 0x44,
  ...range(0x5b, 0x66), // f32/f64 comparisons
  ...range(0x8b, 0xa6), // f32/f64 arithmetic
  ...range(0xa8, 0xab), // i32.trunc_f*
  ...range(0xae, 0xbf), // i64.trunc_f*, conversions, demote/promote, reinterpret
]);

function range(a, b) {
  const out = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

function opName(op) {
  return `0x${op.toString(16).padStart(2, "0")}`;
}

/** Decodes one function body; returns { floats, instructions }. Throws on anything off the whitelist. */
function checkBody(r, where) {
  let floats = 0, count = 0, depth = 1;
  while (depth > 0) {
    const op = r.byte();
    count++;
    if (FLOAT_OPCODES.has(op)) floats++;
    switch (true) {
      case op === 0x00 || op === 0x01 || op === 0x0f || op === 0x1a || op === 0x1b:
        break; // unreachable nop return drop select
      case op === 0x02 || op === 0x03 || op === 0x04: {
        const bt = r.sleb(); // 0x40 empty, a value type, or (multi-value) a type index
        if (bt >= 0n) throw new Error(`${where}: multi-value block type`);
        const t = Number(bt & 0x7fn);
        if (t === 0x7b || t === 0x70 || t === 0x6f) throw new Error(`${where}: block of type ${opName(t)}`);
        if (t === F32 || t === F64) floats++;
        depth++;
        break;
      }
      case op === 0x05:
        break; // else
      case op === 0x0b:
        depth--;
        break;
      case op === 0x0c || op === 0x0d:
        r.u32();
        break;
      case op === 0x0e: {
        const n = r.u32();
        for (let i = 0; i <= n; i++) r.u32();
        break;
      }
      case op === 0x10:
        r.u32();
        break;
      case op === 0x11: {
        r.u32();
        const table = r.u32();
        if (table !== 0) throw new Error(`${where}: call_indirect on table ${table}`);
        break;
      }
      case op >= 0x20 && op <= 0x24:
        r.u32();
        break;
      case op >= 0x28 && op <= 0x3e:
        r.u32();
        r.u32();
        break; // memarg
      case op === 0x3f || op === 0x40:
        if (r.byte() !== 0) throw new Error(`${where}: memory index != 0`);
        break;
      case op === 0x41 || op === 0x42:
        r.sleb();
        break;
      case op === 0x43:
        r.bytes(4);
        break;
      case op === 0x44:
        r.bytes(8);
        break;
      case op >= 0x45 && op <= 0xbf:
        break; // numeric
      case op >= 0xc0 && op <= 0xc4:
        break; // sign-extension
      case op === 0xfc: {
        const sub = r.u32();
        const what = sub <= 7 ? "saturating float-to-int (nontrapping-f2i)" : "bulk-memory / table";
        throw new Error(`${where}: forbidden instruction 0xfc ${sub} (${what})`);
      }
      case op === 0xfd:
        throw new Error(`${where}: forbidden SIMD instruction`);
      case op === 0xfe:
        throw new Error(`${where}: forbidden atomics instruction`);
      default:
        throw new Error(`${where}: instruction ${opName(op)} is not in the MVP + sign-ext whitelist`);
    }
  }
  return { floats, count };
}

function checkModule(name, wasm) {
  const problems = [];
  const floatAllowed = FLOAT_ALLOWED.has(name);
  const r = new Reader(wasm);
  if (r.bytes(8).some((b, i) => b !== [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0][i])) {
    throw new Error(`${name}: not a wasm v1 module`);
  }
  const types = [];
  const funcTypes = []; // type index per function (imports first)
  let importedFuncs = 0;
  let memories = 0, memoryMax, memoryMin = 0, tables = 0;
  const exports = new Map();
  let floatOps = 0, floatTypes = 0, functions = 0, instructions = 0, maxLocals = 0;
  const stats = {};
  let lastId = 0;
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u32();
    const s = new Reader(wasm, r.pos, r.pos + size);
    r.pos += size;
    if (id !== 0) {
      if (id <= lastId && !(id === 12 && lastId < 10)) problems.push(`section ${id} out of order`);
      lastId = id;
    }
    switch (id) {
      case 0: {
        const n = s.name();
        stats.custom = [...(stats.custom ?? []), n];
        break;
      }
      case 1: // type
        for (let i = 0, n = s.u32(); i < n; i++) {
          if (s.byte() !== 0x60) throw new Error(`${name}: unsupported type form`);
          const params = [...s.bytes(s.u32())];
          const results = [...s.bytes(s.u32())];
          if (results.length > 1) problems.push(`type ${i} has ${results.length} results (max 1)`);
          if (params.length > 100) problems.push(`type ${i} has ${params.length} params (max 100)`);
          for (const t of [...params, ...results]) {
            if (t === F32 || t === F64) floatTypes++;
            else if (t !== I32 && t !== I64) problems.push(`type ${i} uses value type ${opName(t)}`);
          }
          types.push({ params, results });
        }
        break;
      case 2: // import
        for (let i = 0, n = s.u32(); i < n; i++) {
          const mod = s.name(), field = s.name(), kind = s.byte();
          if (kind !== 0) {
            problems.push(`import ${mod}.${field} is not a function (kind ${kind})`);
            break;
          }
          const t = types[s.u32()];
          importedFuncs++;
          funcTypes.push(t);
          const want = ALLOWED_IMPORTS[field];
          if (mod !== "env" || !want) {
            problems.push(`import ${mod}.${field} is not provided by the chain (WASM-VM.md §1.4)`);
          } else if (String(want[0]) !== String(t.params) || String(want[1]) !== String(t.results)) {
            problems.push(`import env.${field} has the wrong signature`);
          }
        }
        break;
      case 3:
        for (let i = 0, n = s.u32(); i < n; i++) funcTypes.push(types[s.u32()]);
        break;
      case 4:
        for (let i = 0, n = s.u32(); i < n; i++) {
          tables++;
          const t = s.byte();
          const lim = s.limits();
          if (t !== 0x70) problems.push("table is not a funcref table");
          if (lim.max === undefined || lim.max > 2500) problems.push(`table max ${lim.max} (must be set, <= 2500)`);
        }
        break;
      case 5:
        for (let i = 0, n = s.u32(); i < n; i++) {
          memories++;
          const lim = s.limits();
          memoryMin = lim.min;
          memoryMax = lim.max;
        }
        break;
      case 6:
        for (let i = 0, n = s.u32(); i < n; i++) {
          const t = s.byte();
          s.byte(); // mutability
          if (t === F32 || t === F64) floatTypes++;
          checkBody(s, `${name}: global ${i} initialiser`);
        }
        break;
      case 7:
        for (let i = 0, n = s.u32(); i < n; i++) {
          const field = s.name(), kind = s.byte(), index = s.u32();
          exports.set(field, { kind, index });
        }
        break;
      case 8:
        problems.push("module has a start section (fatal on wasmd, rejected by our chain)");
        break;
      case 9:
        for (let i = 0, n = s.u32(); i < n; i++) {
          const flag = s.u32();
          if (flag !== 0) {
            problems.push(`element segment with flags ${flag} (reference-types / bulk-memory)`);
            break;
          }
          checkBody(s, `${name}: element offset`);
          for (let j = 0, m = s.u32(); j < m; j++) s.u32();
        }
        break;
      case 10:
        for (let i = 0, n = s.u32(); i < n; i++) {
          const size = s.u32();
          const body = new Reader(wasm, s.pos, s.pos + size);
          s.pos += size;
          let locals = 0;
          for (let j = 0, m = body.u32(); j < m; j++) {
            const c = body.u32();
            const t = body.byte();
            locals += c;
            if (t === F32 || t === F64) floatTypes++;
            else if (t !== I32 && t !== I64) problems.push(`function ${i} has a local of type ${opName(t)}`);
          }
          if (locals > 100) problems.push(`function ${i} has ${locals} locals (max 100)`);
          maxLocals = Math.max(maxLocals, locals);
          const res = checkBody(body, `${name}: function ${importedFuncs + i}`);
          if (body.pos !== body.end) problems.push(`function ${i}: trailing bytes after end`);
          floatOps += res.floats;
          instructions += res.count;
          functions++;
        }
        break;
      case 11:
        for (let i = 0, n = s.u32(); i < n; i++) {
          const flag = s.u32();
          if (flag !== 0) {
            problems.push(`data segment with flags ${flag} (passive segments are bulk-memory)`);
            break;
          }
          checkBody(s, `${name}: data offset`);
          s.bytes(s.u32());
        }
        break;
      case 12:
        problems.push("data count section (bulk-memory)");
        break;
      default:
        problems.push(`unknown section id ${id}`);
    }
  }

  if (memories !== 1) problems.push(`${memories} memories (exactly one is required)`);
  if (memoryMax !== undefined) problems.push(`memory has a maximum (${memoryMax}); the host sets it`);
  if (memoryMin > 512) problems.push(`memory initial ${memoryMin} pages > 512`);
  if (tables > 1) problems.push(`${tables} tables (max 1)`);
  if (functions + importedFuncs > 20000) problems.push("more than 20000 functions");
  if (importedFuncs > 100) problems.push("more than 100 imports");
  if (exports.get("memory")?.kind !== 2) problems.push('memory is not exported as "memory"');
  for (const req of ["interface_version_8", "allocate", "deallocate"]) {
    if (exports.get(req)?.kind !== 0) problems.push(`missing exported function ${req}`);
  }
  for (const [field, e] of exports) {
    if (field.startsWith("interface_version_") && field !== "interface_version_8") problems.push(`extra marker ${field}`);
    if (field === START_EXPORT || field === "_start") problems.push(`start function still exported as ${field}`);
    if (field.startsWith("__")) problems.push(`runtime helper exported: ${field} (optional params on an export?)`);
    if (e.kind === 0 && field.startsWith("requires_")) {
      const t = funcTypes[e.index];
      if (t.params.length || t.results.length) problems.push(`${field} must have no params/results`);
    }
  }
  const allocT = funcTypes[exports.get("allocate")?.index];
  if (allocT && (String(allocT.params) !== String([I32]) || String(allocT.results) !== String([I32]))) {
    problems.push("allocate must be (i32) -> i32");
  }
  if (floatOps > 0 && !floatAllowed) problems.push(`${floatOps} float instructions (only ${[...FLOAT_ALLOWED]} may have them)`);
  if (floatTypes > 0 && !floatAllowed) problems.push(`${floatTypes} float-typed params/locals/globals`);
  if (problems.length) throw new Error(`${name}.wasm fails the chain checks:\n  - ${problems.join("\n  - ")}`);
  return {
    functions,
    imports: importedFuncs,
    instructions,
    floatOps,
    maxLocals,
    exports: [...exports.keys()].filter((e) => e !== "memory"),
  };
}

// ------------------------------------------------------------------------------------------------
// Input hashing: a contract is recompiled only when its sources, the SDK, this script or the
// toolchain changed (build/.inputs.json). The output is still checked and its checksum compared.

const INPUTS_FILE = path.join(BUILD_DIR, ".inputs.json");

function listTs(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "__tests__" && e.name !== "node_modules") out.push(...listTs(p));
    } else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

function toolVersion(pkg) {
  const require = createRequire(import.meta.url);
  return require(`${pkg}/package.json`).version;
}

function inputHash(name) {
  const h = createHash("sha256");
  h.update(`asc ${toolVersion("assemblyscript")} binaryen ${toolVersion("binaryen")} node-independent\n`);
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  const files = [...listTs(path.join(ROOT, "sdk")), ...listTs(path.join(ROOT, name))].sort();
  for (const f of files) {
    h.update(`\0${path.relative(ROOT, f)}\0`);
    h.update(readFileSync(f));
  }
  return h.digest("hex");
}

function readInputs() {
  try {
    return JSON.parse(readFileSync(INPUTS_FILE, "utf8"));
  } catch {
    return {};
  }
}

// ------------------------------------------------------------------------------------------------
// Checksums

function readChecksums() {
  const map = new Map();
  if (!existsSync(CHECKSUMS)) return map;
  for (const line of readFileSync(CHECKSUMS, "utf8").split("\n")) {
    const m = line.match(/^([0-9a-f]{64})\s+\*?(\S+)$/);
    if (m) map.set(m[2], m[1]);
  }
  return map;
}

function writeChecksums(map) {
  const lines = [...map.keys()].sort().map((file) => `${map.get(file)}  ${file}`);
  writeFileSync(CHECKSUMS, lines.join("\n") + "\n");
}

// ------------------------------------------------------------------------------------------------

async function main() {
  const all = discoverContracts();
  const selected = names.length ? names : all;
  for (const n of selected) if (!all.includes(n)) die(`no contract ${n} (have: ${all.join(", ")})`);

  const started = performance.now();
  mkdirSync(BUILD_DIR, { recursive: true });
  const inputs = readInputs();
  let tools;
  const loadTools = async () => {
    tools ??= {
      asc: (await import("assemblyscript/asc")).default,
      binaryen: (await import("binaryen")).default,
    };
    return tools;
  };

  const expected = readChecksums();
  const actual = new Map(expected);
  const mismatches = [];
  for (const name of selected) {
    const t0 = performance.now();
    const file = `${name}.wasm`;
    const outPath = path.join(BUILD_DIR, file);
    const hash = inputHash(name);
    let wasm;
    let cached = false;
    if (!flags.has("--force") && inputs[name] === hash && existsSync(outPath)) {
      wasm = readFileSync(outPath);
      cached = true;
    } else {
      const { asc, binaryen } = await loadTools();
      wasm = rewriteStart(binaryen, name, await compile(asc, name));
      delete inputs[name];
    }
    const info = checkModule(name, wasm);
    if (!cached) {
      writeFileSync(outPath, wasm);
      inputs[name] = hash;
      writeFileSync(INPUTS_FILE, JSON.stringify(inputs, null, 2) + "\n");
    }
    if (flags.has("--wat")) {
      const { binaryen } = await loadTools();
      const mod = binaryen.readBinary(wasm);
      writeFileSync(path.join(BUILD_DIR, `${name}.wat`), mod.emitText());
      mod.dispose();
    }
    const sha = createHash("sha256").update(wasm).digest("hex");
    actual.set(file, sha);
    const want = expected.get(file);
    const status = want === sha ? "checksum ok" : want === undefined ? "NEW" : "CHANGED";
    if (want !== sha) mismatches.push({ file, want, sha });
    console.log(
      `${file.padEnd(18)} ${String(wasm.length).padStart(7)} B  ${String(info.functions).padStart(4)} fns  ` +
        `${info.floatOps ? `${info.floatOps} float ops (allowed)  ` : ""}${sha.slice(0, 16)}…  ${status}  ` +
        `${cached ? "unchanged" : `${Math.round(performance.now() - t0)} ms`}`,
    );
  }

  if (flags.has("--update-checksums")) {
    writeChecksums(actual);
    console.log(`wrote ${path.relative(process.cwd(), CHECKSUMS)}`);
  } else if (mismatches.length) {
    for (const m of mismatches) {
      console.error(
        m.want === undefined
          ? `contracts-as: ${m.file} has no entry in checksums.txt (got ${m.sha})`
          : `contracts-as: checksum of ${m.file} differs from checksums.txt\n    expected ${m.want}\n    got      ${m.sha}`,
      );
    }
    die(
      "the build is not what checksums.txt records. If the change is intended (contract, SDK or toolchain " +
        "change), run `node contracts-as/build.mjs --update-checksums` and commit checksums.txt.",
    );
  }
  console.log(`built ${selected.length} contract(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  if (flags.has("--smoke")) {
    const { runSmoke } = await import("./smoke.mjs");
    await runSmoke(BUILD_DIR, selected);
  }
}

main().catch((e) => die(e.message));
