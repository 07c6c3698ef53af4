// The generated JSON Schemas (contracts-as/<contract>/schema/, `make schemas`) against the contracts and
// the typed clients:
//  * every example in a schema validates against it (ajv, draft-07), and fails once it has an extra field;
//  * the examples are the interface's (the generated files are current);
//  * the generated clients (client/src/contracts/) send exactly the example messages;
//  * through the real app in-process, each contract accepts every example instantiate / execute / query /
//    sudo / migrate message (run in order, with the sender and funds the interface gives; a few are
//    expected to hit a named contract error, never a parse error), every query answer validates against
//    its response schema, and each message with an extra field is refused with `unknown field`.
// Needs contracts-as/build/{model-nft,licensing,marketplace}.wasm (`make contracts`).
import { readFileSync, readdirSync } from "node:fs";
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { makeCosmoshubPath } from "@cosmjs/amino";
import Ajv from "ajv";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_MNEMONIC } from "../chain/src/constants.js";
import { pubkeyFromPrivkey, secp256k1Address } from "../chain/src/crypto/secp256k1.js";
import { formatAddress } from "../chain/src/types/address.js";
import type { TestKey } from "../chain/src/tx/build.js";
import { type Coin, contractAddressOf, codeIdOf, contractWasm, executeMsg, instantiateMsg, json, migrateMsg, nativeContext, Signer, smartQuery } from "../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis } from "../chain/test/utils/testNode.js";
import { LicensingClient, MarketplaceClient, ModelNftClient } from "../client/src/index.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Example {
  msg: Json;
  sender?: string;
  funds?: Coin[];
  fails?: string;
}

const CONTRACTS = ["model-nft", "licensing", "marketplace"] as const;
type ContractName = (typeof CONTRACTS)[number];
const ROOT_FILES = ["instantiate_msg", "execute_msg", "query_msg", "migrate_msg", "sudo_msg", "receive_msg"];
const EXTRA = "extra_field";

const here = (p: string) => new URL(p, import.meta.url);
const readJson = (p: string): Json => JSON.parse(readFileSync(here(p), "utf8"));
const schemaDir = (c: ContractName) => `./${c}/schema/`;
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const variantOf = (m: Json): string => (typeof m === "string" ? m : Object.keys(m)[0]!);

// ------------------------------------------------------------------------------------------------
// The interfaces (plain JS modules; imported by URL so they stay untyped here)

interface Variant {
  name: string;
  body: { k: string; fields?: { name: string }[] } | null;
  examples: (Json | { __example: true } & Example)[];
  funds?: boolean;
}
interface Spec {
  name: ContractName;
  defaultSender: string;
  instantiate: { examples: Json[] };
  migrate?: { examples: Json[] };
  execute: Record<string, Variant>;
  query: Record<string, Variant>;
  sudo?: Record<string, Variant>;
  extra?: Record<string, { node: { variants: Variant[] } }>;
  /** Messages to other contracts run before the examples. */
  setup?: { contract: ContractName; example: Json }[];
}
const loadSpec = async (c: ContractName): Promise<Spec> => (await import(here(`./${c}/interface.mjs`).href)).default as Spec;
const addrs: Record<string, string> = await import(here("./schema/examples.mjs").href);

const example = (spec: Spec, e: Json): Example & { sender: string } => {
  const x: Example = e && e.__example ? e : { msg: e };
  return { ...x, sender: x.sender ?? spec.defaultSender };
};
const variants = (m: Record<string, Variant> | undefined): Variant[] => Object.entries(m ?? {}).map(([name, v]) => ({ ...v, name }));
const isStruct = (v: Variant) => v.body !== null && v.body.k === "struct";

/** The message with an extra field in the variant's body (struct variants only). */
function withExtra(msg: Json): Json {
  const v = variantOf(msg);
  return { [v]: { ...msg[v], [EXTRA]: 1 } };
}

// ------------------------------------------------------------------------------------------------
// Schemas

const AjvClass = ((Ajv as unknown as { default?: unknown }).default ?? Ajv) as new (o: object) => {
  compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
};
const ajv = new AjvClass({
  strict: true,
  allErrors: true,
  formats: {
    uint32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff },
    uint64: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER },
  },
});
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validator(path: string) {
  let v = validators.get(path);
  if (!v) {
    v = ajv.compile(readJson(path));
    validators.set(path, v);
  }
  return v;
}
function expectValid(path: string, value: unknown) {
  const v = validator(path);
  expect(v(value), `${path}: ${JSON.stringify(value)}\n${JSON.stringify(v.errors, null, 1)}`).toBe(true);
}

/** Every `examples` list of a root schema: the root's and its oneOf variants'. */
function schemaExamples(schema: Json): Json[] {
  return [...(schema.examples ?? []), ...(schema.oneOf ?? []).flatMap((s: Json) => s.examples ?? [])];
}

describe("JSON Schemas", () => {
  for (const c of CONTRACTS) {
    it(`${c}: every example validates; with an extra field it does not; the examples are the interface's`, async () => {
      const spec = await loadSpec(c);
      const files = readdirSync(here(schemaDir(c))).filter((f) => f.endsWith(".json"));
      let count = 0;
      for (const base of ROOT_FILES) {
        if (!files.includes(`${base}.json`)) continue;
        const path = `${schemaDir(c)}${base}.json`;
        const schema = readJson(path);
        expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
        for (const ex of schemaExamples(schema)) {
          expectValid(path, ex);
          count++;
          if (typeof ex === "object" && ex !== null && base !== "instantiate_msg" && base !== "migrate_msg") {
            const inner = ex[variantOf(ex)];
            if (inner && typeof inner === "object" && !("transfer_ownership" in inner)) expect(validator(path)(withExtra(ex))).toBe(false);
          } else if (typeof ex === "object") {
            expect(validator(path)({ ...ex, [EXTRA]: 1 })).toBe(false);
          }
        }
      }
      // The committed schemas hold exactly the interface's examples.
      const fromSpec = [
        ...spec.instantiate.examples,
        ...(spec.migrate?.examples ?? []),
        ...[spec.execute, spec.query, spec.sudo].flatMap((m) => variants(m).flatMap((v) => v.examples)),
        ...Object.values(spec.extra ?? {}).flatMap((x) => x.node.variants.flatMap((v) => v.examples)),
      ].map((e) => example(spec, e).msg);
      expect(count).toBe(fromSpec.length);
      const fromSchemas = ROOT_FILES.filter((b) => files.includes(`${b}.json`)).flatMap((b) => schemaExamples(readJson(`${schemaDir(c)}${b}.json`)));
      expect(new Set(fromSchemas.map((e) => JSON.stringify(e)))).toEqual(new Set(fromSpec.map((e) => JSON.stringify(e))));
      // One response schema per query, and the combined IDL agrees with the files.
      const idl = readJson(`${schemaDir(c)}${c}.json`);
      expect(Object.keys(idl.responses).sort()).toEqual(Object.keys(spec.query).sort());
      for (const q of Object.keys(spec.query)) expect(readJson(`${schemaDir(c)}responses/${q}.json`)).toEqual(idl.responses[q]);
      expect(idl.execute).toEqual(readJson(`${schemaDir(c)}execute_msg.json`));
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Typed clients: each method sends exactly the example message

describe("typed clients send the schemas' example messages", () => {
  const classes = { "model-nft": ModelNftClient, licensing: LicensingClient, marketplace: MarketplaceClient } as const;
  for (const c of CONTRACTS) {
    it(c, async () => {
      const spec = await loadSpec(c);
      const sent: { kind: string; msg: Json; funds?: readonly Coin[] }[] = [];
      const fake = {
        queryContractSmart: async (_addr: string, msg: Json) => (sent.push({ kind: "query", msg }), {}),
        execute: async (_sender: string, _addr: string, msg: Json, _fee: unknown, _memo?: string, funds?: readonly Coin[]) => (sent.push({ kind: "execute", msg, funds }), {}),
      };
      const client = new classes[c](fake as never, "soa1sender", "soa1contract") as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      for (const [kind, map] of [["execute", spec.execute], ["query", spec.query]] as const) {
        for (const v of variants(map)) {
          for (const e of v.examples) {
            const ex = example(spec, e);
            const body = typeof ex.msg === "string" ? ex.msg : ex.msg[v.name];
            let arg: unknown = body;
            if (isStruct(v)) arg = Object.fromEntries(Object.entries(body as object).map(([k, val]) => [camel(k), val]));
            const method = client[camel(v.name)]!;
            const args = kind === "execute" ? [arg, "auto", undefined, ...(v.funds ? [ex.funds] : [])] : v.body && isStruct(v) && v.body.fields!.length === 0 ? [] : [arg];
            sent.length = 0;
            await method(...args);
            expect(sent).toHaveLength(1);
            expect(sent[0]!.kind).toBe(kind);
            expect(JSON.parse(JSON.stringify(sent[0]!.msg))).toEqual(ex.msg);
            if (v.funds) expect(sent[0]!.funds).toEqual(ex.funds);
          }
        }
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------
// The contracts accept the examples (in-process chain)

/** The localnet dev accounts (HD indexes 0..n-1 of the public dev mnemonic) as signing keys. */
async function devKeys(n: number): Promise<TestKey[]> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(DEV_MNEMONIC));
  return Array.from({ length: n }, (_, i) => {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(i));
    const pubkey = pubkeyFromPrivkey(privkey);
    return { privkey, pubkey, address: formatAddress(secp256k1Address(pubkey)) };
  });
}

class Chain {
  node!: TestNode;
  keys: TestKey[] = [];
  private signer!: Signer;
  codes: Record<string, bigint> = {};
  readonly gas: Record<string, bigint> = {};

  async start(): Promise<void> {
    this.keys = await devKeys(5);
    expect(this.keys.map((k) => k.address)).toEqual(addrs.DEV);
    this.node = await TestNode.create({ genesis: fundedGenesis(this.keys) });
    this.signer = new Signer(this.node, this.keys, { gasLimit: 5_000_000n });
  }

  key(address: string): TestKey {
    const k = this.keys.find((x) => x.address === address);
    if (!k) throw new Error(`no dev key for ${address}`);
    return k;
  }

  tx(sender: string, msg: Any, gasLimit?: bigint): ExecTxResult {
    return this.signer.tx(this.key(sender), [msg], gasLimit);
  }

  store(name: string): void {
    const r = this.signer.store(this.key(addrs.DEPLOYER!), contractWasm(name), 40_000_000n);
    expect(r.code, r.log).toBe(0);
    this.codes[name] = codeIdOf(r);
  }

  instantiate(name: string, sender: string, msg: Json): ExecTxResult {
    return this.tx(sender, instantiateMsg(sender, this.codes[name]!, msg, { admin: addrs.DEPLOYER!, label: `schema-${name}` }));
  }

  instantiated(r: ExecTxResult): string {
    expect(r.code, r.log).toBe(0);
    return contractAddressOf(r);
  }

  execute(sender: string, contract: string, msg: Json, funds: Coin[] = []): ExecTxResult {
    return this.tx(sender, executeMsg(sender, contract, msg, funds));
  }

  migrate(sender: string, contract: string, name: string, msg: Json): ExecTxResult {
    return this.tx(sender, migrateMsg(sender, contract, this.codes[name]!, msg));
  }

  query(contract: string, msg: Json): { code: number; log: string; answer?: Json } {
    const r = smartQuery(this.node, contract, msg);
    if (r.code !== 0) return { code: r.code, log: r.log };
    return { code: 0, log: "", answer: r.value };
  }

  sudo(contract: string, msg: Json): void {
    this.node.app.wasm.sudo(nativeContext(this.node, 10_000_000n), contract, json(msg));
  }
}

/** Expects success, or the example's `fails` error (a contract error, code 5). */
function expectOutcome(r: ExecTxResult, ex: Example, what: string) {
  if (ex.fails) {
    expect([r.code, r.codespace], `${what}: ${r.log}`).toEqual([5, "wasm"]);
    expect(r.log).toContain(ex.fails);
  } else {
    expect(r.code, `${what}: ${r.log}`).toBe(0);
  }
  expect(r.log).not.toContain("Error parsing into type");
}

function expectUnknownField(r: ExecTxResult, what: string) {
  expect(r.code, `${what} with an extra field was accepted`).not.toBe(0);
  expect(r.log, what).toContain(`unknown field \`${EXTRA}\``);
}

/**
 * Deploys the three contracts from their first instantiate examples, then the nft-receiver test contract
 * (a cw721 receiver for send_nft), at the examples' addresses.
 */
async function deploy(chain: Chain, specs: Record<ContractName, Spec>): Promise<Record<ContractName, string>> {
  for (const c of CONTRACTS) chain.store(c);
  chain.store("nft-receiver");
  const out = {} as Record<ContractName, string>;
  for (const c of CONTRACTS) {
    const ex = example(specs[c], specs[c].instantiate.examples[0]);
    out[c] = chain.instantiated(chain.instantiate(c, ex.sender, ex.msg));
  }
  const receiver = chain.instantiated(chain.instantiate("nft-receiver", addrs.DEPLOYER!, {}));
  expect({ ...out, receiver }).toEqual({ "model-nft": addrs.MODEL_NFT, licensing: addrs.LICENSING, marketplace: addrs.MARKETPLACE, receiver: addrs.RECEIVER });
  return out;
}

describe.each(CONTRACTS)("%s accepts its schema's example messages (in-process chain)", (c) => {
  const chain = new Chain();
  const specs = {} as Record<ContractName, Spec>;
  let spec: Spec;
  let addr: Record<ContractName, string>;

  beforeAll(async () => {
    for (const n of CONTRACTS) specs[n] = await loadSpec(n);
    spec = specs[c];
    await chain.start();
    addr = await deploy(chain, specs);
  });
  afterAll(async () => {
    await chain.node?.close();
  });

  it("instantiate: every example; an extra field is refused", () => {
    for (const e of spec.instantiate.examples) {
      const ex = example(spec, e);
      expectUnknownField(chain.instantiate(c, ex.sender, { ...ex.msg, [EXTRA]: 1 }), "instantiate");
      chain.instantiated(chain.instantiate(c, ex.sender, ex.msg));
    }
  });

  const runExecutes = (name: ContractName, map: Record<string, Variant>) => {
    const s = specs[name];
    for (const v of variants(map)) {
      v.examples.forEach((e, i) => {
        const ex = example(s, e);
        if (i === 0 && isStruct(v)) expectUnknownField(chain.execute(ex.sender, addr[name], withExtra(ex.msg), ex.funds), `${name} ${v.name}`);
        expectOutcome(chain.execute(ex.sender, addr[name], ex.msg, ex.funds), ex, `${name} ${v.name} #${i}`);
      });
    }
  };

  it("execute: every example in order (the sender and funds of the interface); an extra field is refused", () => {
    for (const step of spec.setup ?? []) {
      const ex = example(specs[step.contract], step.example);
      expectOutcome(chain.execute(ex.sender, addr[step.contract], ex.msg, ex.funds), ex, `setup ${step.contract} ${variantOf(ex.msg)}`);
    }
    runExecutes(c, spec.execute);
  });

  it("sudo and migrate: every example; an extra field is refused", () => {
    for (const v of variants(spec.sudo)) {
      for (const e of v.examples) {
        const ex = example(spec, e);
        expect(() => chain.sudo(addr[c], withExtra(ex.msg))).toThrow(`unknown field \`${EXTRA}\``);
        chain.sudo(addr[c], ex.msg);
      }
    }
    for (const e of spec.migrate?.examples ?? []) {
      const ex = example(spec, e);
      expectUnknownField(chain.migrate(ex.sender, addr[c], c, { ...ex.msg, [EXTRA]: 1 }), "migrate");
      const r = chain.migrate(ex.sender, addr[c], c, ex.msg);
      expect(r.code, r.log).toBe(0);
    }
  });

  it("query: every example answers, and the answer validates against responses/<query>.json; an extra field is refused", () => {
    for (const v of variants(spec.query)) {
      v.examples.forEach((e, i) => {
        const ex = example(spec, e);
        const r = chain.query(addr[c], ex.msg);
        expect(r.code, `${v.name} #${i}: ${r.log}`).toBe(0);
        expectValid(`${schemaDir(c)}responses/${v.name}.json`, r.answer);
        if (i === 0 && isStruct(v)) {
          const bad = chain.query(addr[c], withExtra(ex.msg));
          expect(bad.code).not.toBe(0);
          expect(bad.log).toContain(`unknown field \`${EXTRA}\``);
        }
      });
    }
  });
});
