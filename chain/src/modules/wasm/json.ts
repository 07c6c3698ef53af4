// JSON at the contract boundary. Contract output is parsed without ever turning a number into a
// float (u64 ids and gas limits must survive); what we send to contracts is built as text so the
// bytes are exactly wasmd's shapes (WASM-VM.md §2).
import { parse } from "lossless-json";
import type { Coin } from "../../types/coins.js";
import { ErrInvalidMsg } from "./errors.js";

export type Json = null | boolean | bigint | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseInteger(text: string): bigint {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) throw new Error(`number ${text} is not an integer`);
  return BigInt(text);
}

/** serde_json's recursion limit: deeper nesting is refused before any recursive code sees it. */
export const MAX_JSON_DEPTH = 128;

/**
 * Nesting depth of JSON text (arrays and objects, outside strings), stopping early past `max`.
 * Parsers and serialisers (ours, CosmJS's amino sorting) recurse per level; without this bound a
 * contract or a tx could make the JS stack overflow at a depth that differs between nodes.
 */
export function jsonDepthExceeds(bytes: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses contract-produced JSON; integers become bigint, any other number is an error. Throws Error. */
export function parseJson(bytes: Uint8Array): Json {
  if (jsonDepthExceeds(bytes)) throw new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return parse(utf8.decode(bytes), null, parseInteger) as Json;
}

/** True if the bytes are one valid JSON value (wasmd's RawContractMessage rule) nested at most MAX_JSON_DEPTH deep. */
export function isValidJson(bytes: Uint8Array): boolean {
  if (jsonDepthExceeds(bytes)) return false;
  try {
    JSON.parse(utf8.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** JSON string literal; JSON.stringify of a string is deterministic. */
export const str = (s: string): string => JSON.stringify(s);

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");

export function coinsJson(coins: readonly Coin[]): string {
  return `[${coins.map((c) => `{"denom":${str(c.denom)},"amount":"${c.amount}"}`).join(",")}]`;
}

// ---- reading contract output -----------------------------------------------------------------

function fail(path: string, what: string): never {
  throw ErrInvalidMsg.wrap(`${path}: ${what}`);
}

export function obj(v: Json | undefined, path: string): JsonObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(path, "expected an object");
  return v as JsonObject;
}

export function arr(v: Json | undefined, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, "expected an array");
  return v;
}

export function text(v: Json | undefined, path: string): string {
  if (typeof v !== "string") fail(path, "expected a string");
  return v;
}

export function u64(v: Json | undefined, path: string): bigint {
  if (typeof v !== "bigint" || v < 0n || v > 0xffff_ffff_ffff_ffffn) fail(path, "expected an unsigned 64-bit integer");
  return v;
}

/** Uint64/Uint128 are decimal strings in CosmWasm JSON. */
export function uintString(v: Json | undefined, path: string): bigint {
  const s = text(v, path);
  if (!/^(0|[1-9][0-9]*)$/.test(s) || s.length > 39) fail(path, "expected a decimal unsigned integer string");
  return BigInt(s);
}

/** Binary: standard base64, padding optional (CosmWasm accepts both). */
export function binary(v: Json | undefined, path: string): Uint8Array {
  const s = text(v, path);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) fail(path, "expected base64");
  return Buffer.from(s, "base64");
}

export function optional<T>(v: Json | undefined, read: (v: Json, path: string) => T, path: string): T | undefined {
  return v === undefined || v === null ? undefined : read(v, path);
}

/** An externally tagged enum value: exactly one key. */
export function variant(v: Json | undefined, path: string): [string, Json] {
  if (typeof v === "string") return [v, {}]; // unit variant
  const o = obj(v, path);
  const keys = Object.keys(o);
  if (keys.length !== 1) fail(path, `expected exactly one variant, got ${keys.length}`);
  return [keys[0]!, o[keys[0]!]!];
}

export function coins(v: Json | undefined, path: string): Coin[] {
  return arr(v, path).map((c, i) => {
    const o = obj(c, `${path}[${i}]`);
    return { denom: text(o.denom, `${path}[${i}].denom`), amount: uintString(o.amount, `${path}[${i}].amount`) };
  });
}

// ---- contract results ------------------------------------------------------------------------

export type ReplyOn = "always" | "error" | "success" | "never";

export interface SubMsg {
  id: bigint;
  payload: Uint8Array;
  msg: Json;
  gasLimit: bigint | undefined;
  replyOn: ReplyOn;
}

export interface Attribute {
  key: string;
  value: string;
}

export interface ContractResponse {
  messages: SubMsg[];
  attributes: Attribute[];
  events: { type: string; attributes: Attribute[] }[];
  data: Uint8Array | undefined;
}

/** `{"ok": X}` → X, `{"error": "..."}` → the message. */
export function contractResult(v: Json): { ok: Json } | { error: string } {
  const [k, inner] = variant(v, "result");
  if (k === "ok") return { ok: inner };
  if (k === "error") return { error: text(inner, "result.error") };
  return fail("result", `unknown variant ${JSON.stringify(k)}`);
}

function attributes(v: Json | undefined, path: string): Attribute[] {
  if (v === undefined) return [];
  return arr(v, path).map((a, i) => {
    const o = obj(a, `${path}[${i}]`);
    return { key: text(o.key, `${path}[${i}].key`), value: text(o.value, `${path}[${i}].value`) };
  });
}

const REPLY_ON = new Set(["always", "error", "success", "never"]);

export function contractResponse(v: Json): ContractResponse {
  const o = obj(v, "response");
  const messages = (o.messages === undefined ? [] : arr(o.messages, "response.messages")).map((m, i): SubMsg => {
    const p = `response.messages[${i}]`;
    const s = obj(m, p);
    const replyOn = s.reply_on === undefined ? "never" : text(s.reply_on, `${p}.reply_on`);
    if (!REPLY_ON.has(replyOn)) fail(`${p}.reply_on`, `unknown value ${JSON.stringify(replyOn)}`);
    return {
      id: s.id === undefined ? 0n : u64(s.id, `${p}.id`),
      payload: s.payload === undefined ? new Uint8Array() : binary(s.payload, `${p}.payload`),
      msg: s.msg === undefined ? fail(`${p}.msg`, "missing") : s.msg,
      gasLimit: optional(s.gas_limit, u64, `${p}.gas_limit`),
      replyOn: replyOn as ReplyOn,
    };
  });
  const events = (o.events === undefined ? [] : arr(o.events, "response.events")).map((e, i) => {
    const eo = obj(e, `response.events[${i}]`);
    return { type: text(eo.type, `response.events[${i}].type`), attributes: attributes(eo.attributes, `response.events[${i}].attributes`) };
  });
  return {
    messages,
    attributes: attributes(o.attributes, "response.attributes"),
    events,
    data: optional(o.data, binary, "response.data"),
  };
}
