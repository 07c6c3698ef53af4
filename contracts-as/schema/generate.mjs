#!/usr/bin/env node
// Writes, from contracts-as/<contract>/interface.mjs (the one source of truth of a contract's messages):
//   contracts-as/<contract>/schema/{instantiate_msg,execute_msg,query_msg[,migrate_msg][,sudo_msg][,…]}.json
//   contracts-as/<contract>/schema/responses/<query>.json     (one per query variant)
//   contracts-as/<contract>/schema/<contract>.json            (cosmwasm-schema's combined IDL, for ts-codegen)
//   client/src/contracts/<contract>.ts                        (types + <Title>QueryClient / <Title>Client)
//   client/src/contracts/index.ts
// in cosmwasm-schema's style (draft-07, enums as oneOf of single-key objects, additionalProperties:false,
// Uint128 as a string, sorted keys). Every variant carries `examples` (whole messages).
//
//   node contracts-as/schema/generate.mjs           # write (make schemas)
//   node contracts-as/schema/generate.mjs --check   # fail if anything on disk differs (make lint)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Coin, exampleMsg } from "./dsl.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CONTRACTS = ["model-nft", "licensing", "marketplace"];
const DRAFT = "http://json-schema.org/draft-07/schema#";

// ------------------------------------------------------------------------------------------------
// JSON Schema

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const withDesc = (schema, description) => (description ? { description, ...schema } : schema);

class SchemaWriter {
  definitions = new Map();

  /** A field's schema: a $ref with a doc comment becomes {description, allOf:[$ref]} (schemars). */
  field(type, optional, doc) {
    let s = this.node(type);
    if (optional) s = nullableOf(s);
    if (!doc) return s;
    if (s.$ref) return { description: doc, allOf: [s] };
    return { description: doc, ...s };
  }

  node(n) {
    switch (n.k) {
      case "string":
        return { type: "string" };
      case "bool":
        return { type: "boolean" };
      case "int":
        return { type: "integer", format: n.format, minimum: 0 };
      case "array":
        return { type: "array", items: this.node(n.items) };
      case "strEnum":
        return { type: "string", enum: n.values };
      case "ref":
        this.define(n);
        return { $ref: `#/definitions/${n.name}` };
      case "nullable":
        return nullableOf(this.node(n.type));
      case "anyOf":
        return { anyOf: n.items.map((i) => this.node(i)) };
      case "allOf":
        return { allOf: n.items.map((i) => this.node(i)) };
      case "struct":
        return this.struct(n);
      case "enum":
        return { oneOf: this.variants(n.variants) };
      case "tagged":
        return {
          oneOf: n.variants.map((v) => {
            const s = this.struct(v.struct);
            s.required = [...(s.required ?? []), n.tag].sort();
            s.properties = sortKeys({ ...s.properties, [n.tag]: { type: "string", enum: [v.name] } });
            return s;
          }),
        };
      default:
        throw new Error(`unknown node kind ${n.k}`);
    }
  }

  struct(n) {
    const s = { type: "object" };
    const required = n.fields.filter((f) => !f.optional).map((f) => f.name).sort();
    if (required.length) s.required = required;
    if (n.fields.length) s.properties = sortKeys(Object.fromEntries(n.fields.map((f) => [f.name, this.field(f.type, f.optional, f.doc)])));
    if (!n.open) s.additionalProperties = false;
    return s;
  }

  /** Externally tagged variants: unit ones as {"type":"string","enum":[…]}, others {"name":body}. */
  variants(variants) {
    return variants.map((v) => {
      let s;
      if (v.body === null) s = { type: "string", enum: [v.name] };
      else s = { type: "object", required: [v.name], properties: { [v.name]: this.node(v.body) }, additionalProperties: false };
      s = withDesc(s, v.doc);
      if (v.examples?.length) s.examples = v.examples.map(exampleMsg);
      return s;
    });
  }

  define(ref) {
    if (this.definitions.has(ref.name)) return;
    this.definitions.set(ref.name, null); // placeholder: no recursion
    this.definitions.set(ref.name, withDesc(this.node(ref.node), ref.description));
  }

  /** A root schema: {$schema, title, …, definitions}. */
  root(title, node, { doc, examples } = {}) {
    // A named root is inlined (cosmwasm-schema: the root is the type itself, its parts are definitions).
    const inner = node.k === "ref" ? node.node : node;
    const description = doc ?? (node.k === "ref" ? node.description : node.description);
    const body = this.node(inner);
    const s = { $schema: DRAFT, title, ...withDesc(body, description) };
    if (examples?.length) s.examples = examples.map(exampleMsg);
    if (this.definitions.size) s.definitions = sortKeys(Object.fromEntries(this.definitions));
    return s;
  }
}

function nullableOf(s) {
  if (typeof s.type === "string" && !s.$ref) return { ...s, type: [s.type, "null"] };
  return { anyOf: [s, { type: "null" }] };
}

function rootSchema(title, node, opts) {
  return new SchemaWriter().root(title, node, opts);
}

/** The title of a response type: its definition name, or Nullable_<Name> / an explicit title. */
function responseTitle(node) {
  if (node.k === "ref") return node.name;
  if (node.k === "nullable" && node.type.k === "ref") return `Nullable_${node.type.name}`;
  if (node.title) return node.title;
  throw new Error("a query's `returns` must be a def(), nullable(def()) or carry a title");
}

// ------------------------------------------------------------------------------------------------
// TypeScript

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());
const isIdent = (s) => /^[A-Za-z_$][\w$]*$/.test(s);
const key = (s) => (isIdent(s) ? s : JSON.stringify(s));

function jsdoc(text, indent = "") {
  if (!text) return "";
  const lines = text.split("\n");
  if (lines.length === 1) return `${indent}/** ${text.replace(/\*\//g, "*\\/")} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? " " + l.replace(/\*\//g, "*\\/") : ""}`).join("\n")}\n${indent} */\n`;
}

class TsWriter {
  /** name → declaration text, in first-use order. */
  decls = new Map();

  type(n, indent = "") {
    switch (n.k) {
      case "string":
        return "string";
      case "bool":
        return "boolean";
      case "int":
        return "number";
      case "array": {
        const t = this.type(n.items, indent);
        return /[|&]/.test(t) ? `(${t})[]` : `${t}[]`;
      }
      case "strEnum":
        return n.values.map((v) => JSON.stringify(v)).join(" | ");
      case "ref":
        this.declare(n);
        return n.name;
      case "nullable":
        return `${this.type(n.type, indent)} | null`;
      case "anyOf":
        return n.items.map((i) => this.type(i, indent)).join(" | ");
      case "allOf":
        return this.type(n.items[0], indent);
      case "struct":
        return this.structBody(n, indent);
      case "enum":
        return n.variants.map((v) => (v.body === null ? JSON.stringify(v.name) : `{ ${key(v.name)}: ${this.type(v.body, indent)} }`)).join(" | ");
      case "tagged":
        return n.variants
          .map((v) => {
            const fields = [`${key(n.tag)}: ${JSON.stringify(v.name)}`, ...v.struct.fields.map((f) => this.fieldLine(f, indent))];
            return `{ ${fields.join("; ")} }`;
          })
          .join(" | ");
      default:
        throw new Error(`unknown node kind ${n.k}`);
    }
  }

  fieldLine(f, indent) {
    return f.optional ? `${key(f.name)}?: ${this.type(f.type, indent)} | null` : `${key(f.name)}: ${this.type(f.type, indent)}`;
  }

  structBody(n, indent) {
    if (!n.fields.length) return "Record<string, never>";
    const inner = indent + "  ";
    const lines = n.fields.map((f) => `${jsdoc(f.doc, inner)}${inner}${this.fieldLine(f, inner)};`);
    return `{\n${lines.join("\n")}\n${indent}}`;
  }

  declare(ref) {
    if (this.decls.has(ref.name)) return;
    this.decls.set(ref.name, "");
    this.decls.set(ref.name, this.declaration(ref.name, ref.node, ref.description));
  }

  declaration(name, node, description) {
    const doc = jsdoc(node.tsDoc ?? description);
    if (node.tsType) return `${doc}export type ${name} = ${node.tsType};\n`;
    if (node.k === "struct" && node.fields.length) return `${doc}export interface ${name} ${this.structBody(node, "")}\n`;
    if (node.k === "enum" || node.k === "tagged" || node.k === "strEnum" || node.k === "anyOf") {
      const parts = this.type(node, "").split(" | ");
      // One variant per line when long.
      const text = parts.join(" | ");
      if (text.length <= 100) return `${doc}export type ${name} = ${text};\n`;
      const docs = node.k === "enum" ? node.variants.map((v) => jsdoc(v.doc, "  ")) : [];
      return `${doc}export type ${name} =\n${splitUnion(node, this).map((p, i) => `${docs[i] ?? ""}  | ${p}`).join("\n")};\n`;
    }
    return `${doc}export type ${name} = ${this.type(node, "")};\n`;
  }

  /** Root message types (declared under their own names, with docs per variant). */
  rootDecl(name, node, description) {
    this.decls.set(name, this.declaration(name, node, description));
  }
}

/** Union members of an enum/tagged node, rendered separately (so `|` inside members is kept). */
function splitUnion(node, ts) {
  if (node.k === "enum") {
    return node.variants.map((v) => {
      if (v.body === null) return JSON.stringify(v.name);
      if (v.body.k === "struct" && v.body.fields.length) return `{\n      ${key(v.name)}: ${ts.type(v.body, "      ")};\n    }`;
      return `{ ${key(v.name)}: ${ts.type(v.body, "    ")} }`;
    });
  }
  if (node.k === "tagged") {
    return node.variants.map((v) => {
      const fields = [`${key(node.tag)}: ${JSON.stringify(v.name)}`, ...v.struct.fields.map((f) => ts.fieldLine(f, "  "))];
      return `{ ${fields.join("; ")} }`;
    });
  }
  if (node.k === "strEnum") return node.values.map((v) => JSON.stringify(v));
  return node.items.map((i) => ts.type(i, "  "));
}

/** A client method: params, the JS expression of the message, and docs. */
function method(ts, v, indent) {
  const name = camel(v.name);
  let params = "";
  let sig = "";
  let body;
  const b = v.body;
  if (b === null) {
    body = JSON.stringify(v.name);
  } else if (b.k === "struct") {
    if (b.fields.length === 0) {
      body = `{ ${key(v.name)}: {} }`;
    } else {
      const names = b.fields.map((f) => camel(f.name));
      const types = b.fields.map((f) => `${camel(f.name)}${f.optional ? "?" : ""}: ${ts.type(f.type, indent + "  ")}${f.optional ? " | null" : ""}`);
      const allOptional = b.fields.every((f) => f.optional);
      sig = `{ ${names.join(", ")} }: { ${types.join("; ")} }`;
      params = sig + (allOptional ? " = {}" : "");
      if (allOptional) sig = sig.replace(/^(\{[^}]*\}): /, "$1?: ");
      const entries = b.fields.map((f) => (f.name === camel(f.name) ? key(f.name) : `${key(f.name)}: ${camel(f.name)}`));
      body = `{ ${key(v.name)}: { ${entries.join(", ")} } }`;
    }
  } else {
    const p = v.param ?? "value";
    params = sig = `${p}: ${ts.type(b, indent)}`;
    body = `{ ${key(v.name)}: ${p} }`;
  }
  return { name, params, sig, body };
}

function variantDoc(v, extra) {
  const parts = [v.doc, extra].filter(Boolean);
  return parts.join("\n\n");
}

function clientFile(spec) {
  const ts = new TsWriter();
  const T = spec.title;

  // Root messages.
  ts.rootDecl("InstantiateMsg", spec.instantiate.node, spec.instantiate.doc);
  ts.rootDecl("ExecuteMsg", { k: "enum", variants: variantsOf(spec.execute) }, "The messages of `execute`.");
  ts.rootDecl("QueryMsg", { k: "enum", variants: variantsOf(spec.query) }, "The messages of `query`.");
  if (spec.migrate) ts.rootDecl("MigrateMsg", spec.migrate.node, spec.migrate.doc);
  if (spec.sudo) ts.rootDecl("SudoMsg", { k: "enum", variants: variantsOf(spec.sudo) }, "The messages of `sudo` (chain modules only).");
  for (const extra of Object.values(spec.extra ?? {})) ts.rootDecl(extra.title, extra.node, extra.doc);

  // Query client.
  const q = variantsOf(spec.query);
  const readOnly = [];
  const queryImpl = [];
  for (const v of q) {
    const m = method(ts, v, "  ");
    const ret = ts.type(v.returns, "  ");
    readOnly.push(`${jsdoc(variantDoc(v), "  ")}  ${m.name}: (${m.sig}) => Promise<${ret}>;`);
    queryImpl.push(
      `${jsdoc(variantDoc(v), "  ")}  ${m.name} = async (${m.params}): Promise<${ret}> => {\n` +
        `    return this.client.queryContractSmart(this.contractAddress, ${m.body});\n  };`,
    );
  }

  // Signing client.
  const x = variantsOf(spec.execute);
  const iface = [];
  const execImpl = [];
  for (const v of x) {
    const m = method(ts, v, "  ");
    const extra = [m.sig, `fee_?: StdFee | "auto" | number`, "memo_?: string"];
    const impl = [m.params, `fee_: StdFee | "auto" | number = "auto"`, "memo_?: string"];
    if (v.funds) {
      extra.push("funds_?: readonly Coin[]");
      impl.push("funds_?: readonly Coin[]");
    }
    const args = extra.filter(Boolean).join(", ");
    const implArgs = impl.filter(Boolean).join(", ");
    const doc = variantDoc(v, v.funds ? "Takes funds (`funds_`)." : "");
    iface.push(`${jsdoc(doc, "  ")}  ${m.name}: (${args}) => Promise<ExecuteResult>;`);
    execImpl.push(
      `${jsdoc(doc, "  ")}  ${m.name} = async (${implArgs}): Promise<ExecuteResult> => {\n` +
        `    return this.client.execute(this.sender, this.contractAddress, ${m.body}, fee_, memo_${v.funds ? ", funds_" : ""});\n  };`,
    );
  }

  const usesCoin = x.some((v) => v.funds);
  if (usesCoin) ts.declare(spec.coinRef);

  const out = [];
  out.push(`// Generated by contracts-as/schema/generate.mjs from contracts-as/${spec.name}/interface.mjs: do not edit.`);
  out.push("// Run `make schemas` after changing the interface. Message and query docs: contracts-as/" + spec.name + "/README.md.");
  out.push('import type { StdFee } from "@cosmjs/amino";');
  out.push('import type { CosmWasmClient, ExecuteResult, SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";');
  out.push("");
  out.push(`/** cw2 name and version of the contract these types describe. */`);
  out.push(`export const CONTRACT_NAME = ${JSON.stringify(spec.contract)};`);
  out.push(`export const CONTRACT_VERSION = ${JSON.stringify(spec.version)};`);
  out.push("");
  for (const d of ts.decls.values()) out.push(d);
  out.push(`export interface ${T}ReadOnlyInterface {\n  contractAddress: string;\n${readOnly.join("\n")}\n}\n`);
  out.push(
    `/** Typed queries of a ${spec.name} contract (wraps CosmWasmClient.queryContractSmart). */\n` +
      `export class ${T}QueryClient implements ${T}ReadOnlyInterface {\n` +
      `  readonly client: CosmWasmClient;\n  readonly contractAddress: string;\n\n` +
      `  constructor(client: CosmWasmClient, contractAddress: string) {\n    this.client = client;\n    this.contractAddress = contractAddress;\n  }\n\n` +
      `${queryImpl.join("\n\n")}\n}\n`,
  );
  out.push(`export interface ${T}Interface extends ${T}ReadOnlyInterface {\n  contractAddress: string;\n  sender: string;\n${iface.join("\n")}\n}\n`);
  out.push(
    `/** Typed executes (and queries) of a ${spec.name} contract, signed by \`sender\` (wraps SigningCosmWasmClient.execute). */\n` +
      `export class ${T}Client extends ${T}QueryClient implements ${T}Interface {\n` +
      `  override readonly client: SigningCosmWasmClient;\n  readonly sender: string;\n\n` +
      `  constructor(client: SigningCosmWasmClient, sender: string, contractAddress: string) {\n    super(client, contractAddress);\n    this.client = client;\n    this.sender = sender;\n  }\n\n` +
      `${execImpl.join("\n\n")}\n}\n`,
  );
  return out.join("\n");
}

function variantsOf(map) {
  return Object.entries(map).map(([name, v]) => ({ name, ...v }));
}

function indexFile(specs) {
  const lines = [
    "// Generated by contracts-as/schema/generate.mjs: do not edit (run `make schemas`).",
    "// Each contract's types are a namespace (ModelNft.Manifest, Licensing.Offer, …); its clients are also",
    "// exported by name.",
  ];
  for (const s of specs) {
    lines.push(`export * as ${s.title} from "./${s.name}.js";`);
    lines.push(`export { ${s.title}Client, ${s.title}QueryClient } from "./${s.name}.js";`);
  }
  return lines.join("\n") + "\n";
}

// ------------------------------------------------------------------------------------------------
// Files

const json = (v) => JSON.stringify(v, null, 2) + "\n";

export async function loadSpecs() {
  const specs = [];
  for (const name of CONTRACTS) {
    const mod = await import(new URL(`../${name}/interface.mjs`, import.meta.url).href);
    specs.push({ ...mod.default, coinRef: Coin });
  }
  return specs;
}

/** path (relative to the repository root) → content. */
export function render(specs) {
  const files = new Map();
  for (const spec of specs) {
    const dir = `contracts-as/${spec.name}/schema`;
    const execute = { k: "enum", variants: variantsOf(spec.execute) };
    const query = { k: "enum", variants: variantsOf(spec.query) };
    const sudo = spec.sudo ? { k: "enum", variants: variantsOf(spec.sudo) } : null;
    const roots = {
      instantiate: rootSchema("InstantiateMsg", spec.instantiate.node, spec.instantiate),
      execute: rootSchema("ExecuteMsg", execute, { doc: spec.executeDoc }),
      query: rootSchema("QueryMsg", query, { doc: spec.queryDoc }),
      migrate: spec.migrate ? rootSchema("MigrateMsg", spec.migrate.node, spec.migrate) : null,
      sudo: sudo ? rootSchema("SudoMsg", sudo, { doc: spec.sudoDoc }) : null,
    };
    files.set(`${dir}/instantiate_msg.json`, json(roots.instantiate));
    files.set(`${dir}/execute_msg.json`, json(roots.execute));
    files.set(`${dir}/query_msg.json`, json(roots.query));
    if (roots.migrate) files.set(`${dir}/migrate_msg.json`, json(roots.migrate));
    if (roots.sudo) files.set(`${dir}/sudo_msg.json`, json(roots.sudo));
    for (const [file, extra] of Object.entries(spec.extra ?? {})) {
      files.set(`${dir}/${file}.json`, json(rootSchema(extra.title, extra.node, extra)));
    }
    const responses = {};
    for (const v of query.variants) {
      if (!v.returns) throw new Error(`${spec.name}: query ${v.name} has no \`returns\``);
      const r = rootSchema(responseTitle(v.returns), v.returns, {});
      responses[v.name] = r;
      files.set(`${dir}/responses/${v.name}.json`, json(r));
    }
    files.set(
      `${dir}/${spec.name}.json`,
      json({
        contract_name: spec.name,
        contract_version: spec.version,
        idl_version: "1.0.0",
        instantiate: roots.instantiate,
        execute: roots.execute,
        query: roots.query,
        migrate: roots.migrate,
        sudo: roots.sudo,
        responses: sortKeys(responses),
      }),
    );
    files.set(`client/src/contracts/${spec.name}.ts`, clientFile(spec));
  }
  files.set("client/src/contracts/index.ts", indexFile(specs));
  return files;
}

/** Generated files on disk that are no longer generated (a removed query, say). */
function strays(specs, files) {
  const out = [];
  for (const spec of specs) {
    for (const sub of ["schema", "schema/responses"]) {
      const d = join(ROOT, "contracts-as", spec.name, sub);
      if (!existsSync(d)) continue;
      for (const f of readdirSync(d)) {
        const p = `contracts-as/${spec.name}/${sub}/${f}`;
        if (f.endsWith(".json") && !files.has(p)) out.push(p);
      }
    }
  }
  const cdir = join(ROOT, "client/src/contracts");
  if (existsSync(cdir)) {
    for (const f of readdirSync(cdir)) {
      const p = `client/src/contracts/${f}`;
      if (f.endsWith(".ts") && !f.endsWith(".test.ts") && !files.has(p)) out.push(p);
    }
  }
  return out;
}

async function main() {
  const check = process.argv.includes("--check");
  const specs = await loadSpecs();
  const files = render(specs);
  const stale = [];
  for (const [path, content] of files) {
    const abs = join(ROOT, path);
    const old = existsSync(abs) ? readFileSync(abs, "utf8") : null;
    if (old === content) continue;
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  const extra = strays(specs, files);
  if (!check) for (const p of extra) rmSync(join(ROOT, p));
  if (check) {
    if (stale.length || extra.length) {
      for (const p of stale) console.error(`check-schemas: out of date: ${p}`);
      for (const p of extra) console.error(`check-schemas: no longer generated: ${p}`);
      console.error("run `make schemas` and commit the result together with the interface change.");
      process.exit(1);
    }
    console.log(`check-schemas: ok (${files.size} files match contracts-as/*/interface.mjs)`);
    return;
  }
  console.log(`schemas: ${files.size} files, ${stale.length} written, ${extra.length} removed`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
