// A tiny schema DSL: one definition of a contract's messages and query responses, from which
// generate.mjs writes cosmwasm-schema-style JSON Schemas (draft-07) and typed TypeScript clients.
//
//   const Approval = def("Approval", struct({ spender: string(), expires: Expiration }));
//   export default contract({
//     name: "model-nft", title: "ModelNft", contract: "crates.io:soa-model-nft", version: "0.1.0",
//     instantiate: msg(struct({ name: string(), minter: opt(string()) }), { examples: [...] }),
//     execute: { approve: variant(struct({...}), { doc: "…", examples: [{ approve: {...} }] }) },
//     query: { owner_of: variant(struct({...}), { returns: OwnerOfResponse, examples: [...] }) },
//   });
//
// Node kinds (plain objects, `k` = kind): string, bool, int (format uint32/uint64), array, struct
// (fields in declaration order; deny unknown fields unless `open`), enum (externally tagged variants:
// {"name":{…}} or a bare "name" for unit variants), tagged (internally tagged by a field, serde
// `#[serde(tag = "kind")]`), strEnum (string values), ref (a named definition), nullable (Option<T> at
// the root, e.g. a query answering `null`), anyOf. Field types wrapped in opt() are Option<T>: not
// required, and null is accepted.

/** @typedef {{k: string, [key: string]: any}} Node */

export const string = (description) => ({ k: "string", description });
export const bool = (description) => ({ k: "bool", description });
export const u32 = (description) => ({ k: "int", format: "uint32", description });
export const u64 = (description) => ({ k: "int", format: "uint64", description });
export const array = (items, description) => ({ k: "array", items, description });
/** Option<T> as a struct field: absent or null. */
export const opt = (type) => ({ k: "opt", type });
/** Option<T> as a whole value (a response that may be `null`). */
export const nullable = (type) => ({ k: "nullable", type });
export const anyOf = (items, description) => ({ k: "anyOf", items, description });
export const strEnum = (values, description) => ({ k: "strEnum", values, description });

/**
 * A struct: `fields` maps JSON keys to types (or `{ type, doc }`), in the order a client writes them.
 * `open: true` = no `additionalProperties: false` (std types such as Coin).
 */
export function struct(fields, { description, open = false } = {}) {
  const list = Object.entries(fields).map(([name, v]) => {
    const f = v && v.k === undefined && v.type ? v : { type: v };
    const optional = f.type.k === "opt";
    return { name, type: optional ? f.type.type : f.type, optional, doc: f.doc };
  });
  return { k: "struct", fields: list, description, open };
}

/** A named definition (emitted once under `definitions`, referenced with `$ref`). */
export function def(name, node, description) {
  return { k: "ref", name, node, description: description ?? node.description };
}

/**
 * An enum variant: `body` is a struct (`{"name":{…}}`), another node (newtype variant `{"name":<value>}`),
 * or null (unit variant, the bare string "name"). Options: doc, examples (whole messages), returns
 * (queries: the response type), funds (execute: the message takes coins), param (the client method's
 * parameter name for a newtype variant).
 */
export function variant(body, { doc, examples = [], returns, funds = false, param } = {}) {
  return { body, doc, examples, returns, funds, param };
}

/**
 * An example with run metadata for contracts-as/schemas.test.ts: `sender` (default: the contract's
 * defaultSender), `funds` (coins sent along), `fails` (the expected contract error when the message is
 * fine but the state refuses it), and contract-specific keys. Only `msg` goes into the JSON Schema.
 */
export function ex(msg, meta = {}) {
  return { ...meta, __example: true, msg };
}

/** The message of an example (plain or ex()). */
export const exampleMsg = (e) => (e && e.__example ? e.msg : e);

/** An externally tagged enum (serde's default, `#[cw_serde]`): `variants` maps names to variant(). */
export function enumOf(variants, description) {
  return { k: "enum", variants: Object.entries(variants).map(([name, v]) => ({ name, ...v })), description };
}

/** An internally tagged enum: `{"<tag>":"<name>", …fields}` (`variants` maps names to struct()). */
export function tagged(tag, variants, description) {
  return { k: "tagged", tag, variants: Object.entries(variants).map(([name, s]) => ({ name, struct: s })), description };
}

/** A root message that is a struct (instantiate, migrate). */
export function msg(node, { doc, examples = [] } = {}) {
  return { node, doc, examples };
}

/**
 * A contract: name (folder under contracts-as/), title (TypeScript prefix), contract/version (cw2),
 * instantiate, execute, query, optional sudo and migrate, and `extra` root schemas (e.g. hook messages)
 * as { file_name: { title, node, doc, examples } }.
 */
export function contract(spec) {
  return spec;
}

// ------------------------------------------------------------------------------------------------
// cosmwasm-std / cw-utils types, with cosmwasm-schema's descriptions

export const Uint128 = def("Uint128", {
  k: "string",
  tsDoc: 'A u128 as a decimal string (cosmwasm_std::Uint128): "1000000".',
  description:
    'A thin wrapper around u128 that is using strings for JSON encoding/decoding, such that the full u128 range can be used for clients that convert JSON numbers to floats, like JavaScript and jq.\n\n# Examples\n\nUse `from` to create instances of this and `u128` to get the value out:\n\n``` # use cosmwasm_std::Uint128; let a = Uint128::from(123u128); assert_eq!(a.u128(), 123);\n\nlet b = Uint128::from(42u64); assert_eq!(b.u128(), 42);\n\nlet c = Uint128::from(70_000_000_000_000_000u128); assert_eq!(c.u128(), 70_000_000_000_000_000); ```',
  tsType: "string",
});

export const Uint64 = def("Uint64", {
  k: "string",
  tsDoc: "A u64 as a decimal string (cosmwasm_std::Uint64).",
  description:
    "A thin wrapper around u64 that is using strings for JSON encoding/decoding, such that the full u64 range can be used for clients that convert JSON numbers to floats, like JavaScript and jq.",
  tsType: "string",
});

export const Timestamp = def("Timestamp", {
  k: "allOf",
  tsDoc: "Block time in nanoseconds since the Unix epoch, a decimal string (cosmwasm_std::Timestamp).",
  items: [Uint64],
  description:
    "A point in time in nanosecond precision.\n\nThis type can represent times from 1970-01-01T00:00:00Z to 2554-07-21T23:34:33Z.\n\n## Examples\n\n``` # use cosmwasm_std::Timestamp; let ts = Timestamp::from_nanos(1_000_000_202); assert_eq!(ts.nanos(), 1000000202); assert_eq!(ts.seconds(), 1); assert_eq!(ts.subsec_nanos(), 202);\n\nlet ts = ts.plus_seconds(2); assert_eq!(ts.nanos(), 3000000202); assert_eq!(ts.seconds(), 3); assert_eq!(ts.subsec_nanos(), 202); ```",
});

export const Binary = def("Binary", {
  k: "string",
  tsDoc: "Base64-encoded bytes (cosmwasm_std::Binary).",
  description:
    "Binary is a wrapper around Vec<u8> to add base64 de/serialization with serde. It also adds some helper methods to help encode inline.\n\nThis is only needed as serde-json-{core,wasm} has a horrible encoding for Vec<u8>. See also <https://github.com/CosmWasm/cosmwasm/blob/main/docs/MESSAGE_TYPES.md>.",
  tsType: "string",
});

export const Decimal = def("Decimal", {
  k: "string",
  tsDoc: 'A fixed-point decimal string with up to 18 fractional digits (cosmwasm_std::Decimal): "0.01".',
  description:
    "A fixed-point decimal value with 18 fractional digits, i.e. Decimal(1_000_000_000_000_000_000) == 1.0\n\nThe greatest possible value that can be represented is 340282366920938463463.374607431768211455 (which is (2^128 - 1) / 10^18)",
  tsType: "string",
});

export const Addr = def("Addr", {
  k: "string",
  tsDoc: "A bech32 address (soa1…) validated by the contract (cosmwasm_std::Addr).",
  description:
    "A human readable address.\n\nIn Cosmos, this is typically bech32 encoded. But for multi-chain smart contracts no assumptions should be made other than being UTF-8 encoded and of reasonable length.\n\nThis type represents a validated address. It can be created in the following ways 1. Use `Addr::unchecked(input)` 2. Use `let checked: Addr = deps.api.addr_validate(input)?` 3. Use `let checked: Addr = deps.api.addr_humanize(canonical_addr)?` 4. Deserialize from JSON. This must only be done from JSON that was validated before such as a contract's state. `Addr` must not be used in messages sent by the user because this would result in unvalidated instances.\n\nThis type is immutable. If you really need to mutate it (Really, why would you?), please use `Addr::unchecked(other_addr)`, which gives you a copy with the same bytes.",
  tsType: "string",
});

export const Coin = def("Coin", struct({ denom: string(), amount: Uint128 }, { open: true }));

export const Expiration = def(
  "Expiration",
  enumOf({
    at_height: variant(u64(), { doc: "AtHeight will expire when `env.block.height` >= height" }),
    at_time: variant(Timestamp, { doc: "AtTime will expire when `env.block.time` >= time" }),
    never: variant(struct({}), { doc: "Never will never expire. Used to express the empty variant" }),
  }),
  "Expiration represents a point in time when some event happens. It can compare with a BlockInfo and will return is_expired() == true once the condition is hit (and for every block in the future)",
);

export const ContractVersion = def(
  "ContractVersion",
  struct({
    contract: { type: string(), doc: "contract is the crate name of the implementing contract, eg. `crate:cw20-base` we will use other prefixes for other languages, and their standard libraries" },
    version: { type: string(), doc: "version is any string that this implementation knows. It may be simple counter \"1\", or semver \"1.2.3\", or some custom scheme" },
  }),
);

/** cw-utils style paging: `start_after` (exclusive) and `limit` (default 10, max 100). */
export const paging = (startAfterDoc) => ({
  start_after: { type: opt(string()), doc: startAfterDoc },
  limit: { type: opt(u32()), doc: "At most this many entries (default 10, max 100)" },
});
