// abi-probe: one execute / query variant per host import, reporting what the host answered, so tests
// can prove every `env` import (WASM-VM.md §1.4) through a real contract. Execute answers with
// attributes (`action` = the variant, then one attribute per result field, text values); query answers
// with the same fields as a JSON object. Binary inputs and outputs are base64 (cosmwasm Binary).
// Message shapes are listed in contracts-as/README.md.
//
// Crypto variants take an optional `"times":N` (0..16, default 1): the import is called N times with
// the same inputs (the last answer is reported), so tests can price one call by difference.
import {
  addrCanonicalize,
  addrHumanize,
  addrValidate,
  ApiError,
  base64Decode,
  base64Encode,
  concatBytes,
  debug,
  doExecute,
  doInstantiate,
  doQuery,
  Env,
  Fields,
  fromUtf8,
  jsonString,
  JsonKind,
  JsonValue,
  JsonWriter,
  MessageInfo,
  panic,
  Response,
  Result,
  storage,
  utf8,
  variantOf,
} from "../../sdk";
import {
  bls12381AggregateG1,
  bls12381AggregateG2,
  bls12381HashToG1,
  bls12381HashToG2,
  bls12381PairingEquality,
  CryptoBytes,
  ed25519BatchVerify,
  ed25519Verify,
  HashFunction,
  secp256k1RecoverPubkey,
  secp256k1Verify,
  secp256r1RecoverPubkey,
  secp256r1Verify,
  Verification,
} from "../../sdk/crypto";
import { db_next, db_next_key, db_next_value, db_scan } from "../../sdk/imports";
import { borrowRegion, readRegion } from "../../sdk/memory";
export * from "../../sdk/exports";
export { requires_iterator } from "../../sdk/iter";

const MAX_TIMES: u64 = 16;
const MAX_SCAN_LIMIT: u64 = 100;

// ---------------------------------------------------------------------------------------------
// Outcome: ordered fields, each with its JSON form (query) and text form (attribute)

class Outcome {
  keys: string[] = [];
  json: string[] = [];
  text: string[] = [];

  add(key: string, json: string, text: string): Outcome {
    this.keys.push(key);
    this.json.push(json);
    this.text.push(text);
    return this;
  }
  bool(key: string, v: bool): Outcome {
    const s = v ? "true" : "false";
    return this.add(key, s, s);
  }
  u64(key: string, v: u64): Outcome {
    const s = v.toString();
    return this.add(key, s, s);
  }
  str(key: string, v: string): Outcome {
    return this.add(key, jsonString(v), v);
  }
  binary(key: string, v: Uint8Array): Outcome {
    return this.str(key, base64Encode(v));
  }
  /** A nested JSON value; its attribute text is the JSON itself. */
  raw(key: string, json: string): Outcome {
    return this.add(key, json, json);
  }

  toJson(): string {
    const w = new JsonWriter().beginObject();
    for (let i = 0; i < this.keys.length; i++) w.fieldRaw(this.keys[i], this.json[i]);
    return w.endObject().toString();
  }

  toResponse(action: string): Response {
    const r = new Response().addAttribute("action", action);
    for (let i = 0; i < this.keys.length; i++) r.addAttribute(this.keys[i], this.text[i]);
    return r;
  }
}

function reportVerification(out: Outcome, v: Verification): Outcome {
  out.u64("code", v.code);
  if (v.isError) out.str("error", v.message);
  else out.bool("valid", v.valid);
  return out;
}

function reportBytes(out: Outcome, name: string, b: CryptoBytes): Outcome {
  out.u64("code", b.code);
  const bytes = b.bytes;
  if (bytes !== null) out.binary(name, bytes);
  else out.str("error", b.message);
  return out;
}

/** A JSON array of base64 strings. */
function binaryList(f: Fields, key: string): Uint8Array[] {
  const items = f.array(key);
  const out: Uint8Array[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it.kind != JsonKind.String) {
      f.fail("invalid type: " + it.describe() + ", expected a base64 string (field `" + key + "`)");
      break;
    }
    const b = base64Decode(it.text);
    if (b === null) {
      f.fail("invalid base64: " + it.text + " (field `" + key + "`)");
      break;
    }
    out.push(b);
  }
  return out;
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  let out = new Uint8Array(0);
  for (let i = 0; i < parts.length; i++) out = concatBytes(out, parts[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Crypto: verify_secp256k1 | recover_secp256k1 | verify_secp256r1 | recover_secp256r1 |
// verify_ed25519 | verify_ed25519_batch | aggregate_g1 | aggregate_g2 | pairing_equality |
// hash_to_g1 | hash_to_g2

const CRYPTO_VARIANTS: string[] = [
  "verify_secp256k1",
  "recover_secp256k1",
  "verify_secp256r1",
  "recover_secp256r1",
  "verify_ed25519",
  "verify_ed25519_batch",
  "aggregate_g1",
  "aggregate_g2",
  "pairing_equality",
  "hash_to_g1",
  "hash_to_g2",
];

/** The typed name of a variant for error messages: verify_ed25519_batch → VerifyEd25519Batch. */
function typeName(prefix: string, variant: string): string {
  const parts = variant.split("_");
  let s = "";
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length > 0) s += p.charAt(0).toUpperCase() + p.substring(1);
  }
  return prefix + "::" + s;
}

function runCrypto(v: string, body: JsonValue | null, prefix: string): Result<Outcome> {
  const f = new Fields(body, typeName(prefix, v));
  const times = f.optU64("times", 1);
  const out = new Outcome();
  if (v == "verify_secp256k1" || v == "verify_secp256r1") {
    const hash = f.binary("hash");
    const sig = f.binary("sig");
    const pubkey = f.binary("pubkey");
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    const k1 = v == "verify_secp256k1";
    let r = new Verification(0);
    for (let i: u64 = 0; i < times; i++) r = k1 ? secp256k1Verify(hash, sig, pubkey) : secp256r1Verify(hash, sig, pubkey);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportVerification(out, r));
  }
  if (v == "recover_secp256k1" || v == "recover_secp256r1") {
    const hash = f.binary("hash");
    const sig = f.binary("sig");
    const param = f.u32("recovery_param");
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    const k1 = v == "recover_secp256k1";
    let r = new CryptoBytes(0, null);
    for (let i: u64 = 0; i < times; i++) r = k1 ? secp256k1RecoverPubkey(hash, sig, param) : secp256r1RecoverPubkey(hash, sig, param);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportBytes(out, "pubkey", r));
  }
  if (v == "verify_ed25519") {
    const msg = f.binary("msg");
    const sig = f.binary("sig");
    const pubkey = f.binary("pubkey");
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    let r = new Verification(0);
    for (let i: u64 = 0; i < times; i++) r = ed25519Verify(msg, sig, pubkey);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportVerification(out, r));
  }
  if (v == "verify_ed25519_batch") {
    const msgs = binaryList(f, "msgs");
    const sigs = binaryList(f, "sigs");
    const pubkeys = binaryList(f, "pubkeys");
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    let r = new Verification(0);
    for (let i: u64 = 0; i < times; i++) r = ed25519BatchVerify(msgs, sigs, pubkeys);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportVerification(out, r));
  }
  if (v == "aggregate_g1" || v == "aggregate_g2") {
    const points = concatAll(binaryList(f, "points"));
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    const g1 = v == "aggregate_g1";
    let r = new CryptoBytes(0, null);
    for (let i: u64 = 0; i < times; i++) r = g1 ? bls12381AggregateG1(points) : bls12381AggregateG2(points);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportBytes(out, "point", r));
  }
  if (v == "pairing_equality") {
    const ps = concatAll(binaryList(f, "ps"));
    const qs = concatAll(binaryList(f, "qs"));
    const r1 = f.binary("r");
    const s1 = f.binary("s");
    const err = checkTimes(f, times);
    if (err !== null) return Result.err<Outcome>(err);
    let r = new Verification(0);
    for (let i: u64 = 0; i < times; i++) r = bls12381PairingEquality(ps, qs, r1, s1);
    out.u64("calls", times);
    return Result.ok<Outcome>(times == 0 ? out : reportVerification(out, r));
  }
  if (v != "hash_to_g1" && v != "hash_to_g2") return Result.err<Outcome>("not a crypto variant: " + v);
  const msg = f.binary("msg");
  const dst = f.binary("dst");
  const hashFunction = f.optU64("hash_function", <u64>HashFunction.Sha256);
  if (f.ok && hashFunction > <u64>u32.MAX_VALUE) f.fail("hash_function must fit in u32");
  const err = checkTimes(f, times);
  if (err !== null) return Result.err<Outcome>(err);
  const g1 = v == "hash_to_g1";
  let r = new CryptoBytes(0, null);
  for (let i: u64 = 0; i < times; i++) r = g1 ? bls12381HashToG1(<u32>hashFunction, msg, dst) : bls12381HashToG2(<u32>hashFunction, msg, dst);
  out.u64("calls", times);
  return Result.ok<Outcome>(times == 0 ? out : reportBytes(out, "point", r));
}

/** Finishes the field checks of a crypto variant and bounds `times`. */
function checkTimes(f: Fields, times: u64): string | null {
  if (f.ok && times > MAX_TIMES) f.fail("times must be at most " + MAX_TIMES.toString());
  return f.done();
}

// ---------------------------------------------------------------------------------------------
// Addresses: {"addr":{"human"}} → validate, canonicalize, humanize the canonical form back;
// {"humanize":{"canonical":b64}}

function runAddr(body: JsonValue | null, prefix: string): Result<Outcome> {
  const f = new Fields(body, prefix + "::Addr");
  const human = f.string("human");
  const err = f.done();
  if (err !== null) return Result.err<Outcome>(err);
  const out = new Outcome();
  const invalid = addrValidate(human);
  out.bool("valid", invalid === null);
  if (invalid !== null) out.str("validate_error", invalid);
  const e = new ApiError();
  const canonical = addrCanonicalize(human, e);
  if (canonical === null) {
    out.str("canonicalize_error", e.message);
    return Result.ok<Outcome>(out);
  }
  out.binary("canonical", canonical);
  const back = addrHumanize(canonical, e);
  if (back === null) {
    out.str("humanize_error", e.message);
    return Result.ok<Outcome>(out);
  }
  out.str("humanized", back);
  out.bool("round_trip", back == human);
  return Result.ok<Outcome>(out);
}

function runHumanize(body: JsonValue | null, prefix: string): Result<Outcome> {
  const f = new Fields(body, prefix + "::Humanize");
  const canonical = f.binary("canonical");
  const err = f.done();
  if (err !== null) return Result.err<Outcome>(err);
  const e = new ApiError();
  const human = addrHumanize(canonical, e);
  const out = new Outcome();
  if (human === null) out.str("error", e.message);
  else out.str("human", human);
  return Result.ok<Outcome>(out);
}

// ---------------------------------------------------------------------------------------------
// Iteration: {"scan":{"start"?,"end"?,"order","limit"?,"via"?}} over raw keys (UTF-8 strings).
// order: "ascending" | "descending" | a number passed to db_scan unchanged (the host must refuse
// anything but 1 and 2). via: "next" (db_next, default) | "next_key" | "next_value".
// Result: {"entries":[[k,v]…] | [k…] | [v…], "end":bool, "end_again":bool?}: `end` = the end marker
// came within `limit` calls (empty key for db_next, Region 0 for the others); `end_again` = one more
// call after it still answered the end.

function runScan(body: JsonValue | null, prefix: string): Result<Outcome> {
  const f = new Fields(body, prefix + "::Scan");
  const start = f.optString("start");
  const end = f.optString("end");
  const orderValue = f.value("order");
  const limit = f.optU64("limit", MAX_SCAN_LIMIT);
  const via = f.optString("via");
  let order: i32 = 0;
  if (f.ok) {
    if (orderValue.kind == JsonKind.String && orderValue.text == "ascending") order = 1;
    else if (orderValue.kind == JsonKind.String && orderValue.text == "descending") order = 2;
    else if (orderValue.kind == JsonKind.Number) {
      const n = f.u32("order");
      order = <i32>n;
    } else f.fail("unknown order " + orderValue.toString() + ", expected `ascending` or `descending`");
  }
  const mode = via === null ? "next" : via;
  if (f.ok && mode != "next" && mode != "next_key" && mode != "next_value") f.fail("unknown via `" + mode + "`");
  if (f.ok && limit > MAX_SCAN_LIMIT) f.fail("limit must be at most " + MAX_SCAN_LIMIT.toString());
  const err = f.done();
  if (err !== null) return Result.err<Outcome>(err);

  const s: u32 = start === null ? 0 : <u32>borrowRegion(utf8(start));
  const e: u32 = end === null ? 0 : <u32>borrowRegion(utf8(end));
  const id = db_scan(s, e, order);
  const w = new JsonWriter().beginArray();
  let ended = false;
  for (let i: u64 = 0; i < limit && !ended; i++) {
    ended = !advance(id, mode, w);
  }
  w.endArray();
  const out = new Outcome().raw("entries", w.toString()).bool("end", ended);
  if (ended) out.bool("end_again", !advance(id, mode, new JsonWriter().beginArray()));
  return Result.ok<Outcome>(out);
}

/** One step of iterator `id`; writes the entry into `w` and returns true, or false at the end. */
function advance(id: u32, mode: string, w: JsonWriter): bool {
  if (mode == "next") {
    const kv = splitKV(readRegion(<usize>db_next(id)));
    if (kv[0].length == 0) return false;
    w.elem().beginArray().elem().string(fromUtf8(kv[0])).elem().string(fromUtf8(kv[1])).endArray();
    return true;
  }
  const r = mode == "next_key" ? db_next_key(id) : db_next_value(id);
  if (r == 0) return false;
  w.elem().string(fromUtf8(readRegion(<usize>r)));
  return true;
}

function be32At(b: Uint8Array, at: i32): i32 {
  return (<i32>b[at] << 24) | (<i32>b[at + 1] << 16) | (<i32>b[at + 2] << 8) | <i32>b[at + 3];
}

/** db_next's `key ‖ BE32(len key) ‖ value ‖ BE32(len value)`; aborts on anything else. */
function splitKV(b: Uint8Array): Uint8Array[] {
  const n = b.length;
  if (n < 8) panic("db_next: malformed sections");
  const vlen = be32At(b, n - 4);
  if (vlen < 0 || vlen > n - 8) panic("db_next: malformed sections");
  const klen = be32At(b, n - 8 - vlen);
  if (klen != n - 8 - vlen) panic("db_next: malformed sections");
  return [b.slice(0, klen), b.slice(klen + 4, klen + 4 + vlen)];
}

// ---------------------------------------------------------------------------------------------
// instantiate {}: writes nothing (scans see only what `put` wrote)

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const err = new Fields(msg, "InstantiateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

// ---------------------------------------------------------------------------------------------
// execute: the crypto variants, addr, humanize, get, scan, next_raw, debug, put, remove

function variantList(read: bool): string {
  const names = CRYPTO_VARIANTS.concat(["addr", "humanize", "get", "scan", "next_raw", "debug"]);
  if (!read) {
    names.push("put");
    names.push("remove");
  }
  return "`" + names.join("`, `") + "`";
}

function runShared(v: string, body: JsonValue | null, prefix: string): Result<Outcome> | null {
  if (CRYPTO_VARIANTS.includes(v)) return runCrypto(v, body, prefix);
  if (v == "addr") return runAddr(body, prefix);
  if (v == "humanize") return runHumanize(body, prefix);
  if (v == "scan") return runScan(body, prefix);
  if (v == "get") {
    const f = new Fields(body, prefix + "::Get");
    const key = f.string("key");
    const err = f.done();
    if (err !== null) return Result.err<Outcome>(err);
    const value = storage.get(utf8(key));
    const out = new Outcome().bool("found", value !== null);
    if (value !== null) out.str("value", fromUtf8(value));
    return Result.ok<Outcome>(out);
  }
  if (v == "next_raw") {
    // db_next on an iterator id the contract never opened: the host must fail the call.
    const f = new Fields(body, prefix + "::NextRaw");
    const id = f.u32("id");
    const err = f.done();
    if (err !== null) return Result.err<Outcome>(err);
    const r = readRegion(<usize>db_next(id));
    return Result.ok<Outcome>(new Outcome().u64("length", <u64>r.length));
  }
  if (v == "debug") {
    const f = new Fields(body, prefix + "::Debug");
    const message = f.string("msg");
    const err = f.done();
    if (err !== null) return Result.err<Outcome>(err);
    debug(message);
    return Result.ok<Outcome>(new Outcome());
  }
  return null;
}

function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v === null) return Result.err<Response>("Error parsing into type ExecuteMsg: expected an externally tagged variant");
  const body = msg.get(v);
  const shared = runShared(v, body, "ExecuteMsg");
  if (shared !== null) {
    if (!shared.isOk) return Result.err<Response>(shared.error!);
    return Result.ok<Response>(shared.value!.toResponse(v));
  }
  if (v == "put") {
    const f = new Fields(body, "ExecuteMsg::Put");
    const key = f.string("key");
    const value = f.string("value");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    storage.set(utf8(key), utf8(value));
    return Result.ok<Response>(new Response().addAttribute("action", "put").addAttribute("key", key));
  }
  if (v == "remove") {
    const f = new Fields(body, "ExecuteMsg::Remove");
    const key = f.string("key");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    storage.remove(utf8(key));
    return Result.ok<Response>(new Response().addAttribute("action", "remove").addAttribute("key", key));
  }
  return Result.err<Response>("Error parsing into type ExecuteMsg: unknown variant `" + v + "`, expected one of " + variantList(false));
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

// ---------------------------------------------------------------------------------------------
// query: the same read-only variants, answered as JSON

function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v === null) return Result.err<string>("Error parsing into type QueryMsg: expected an externally tagged variant");
  const shared = runShared(v, msg.get(v), "QueryMsg");
  if (shared === null) {
    return Result.err<string>("Error parsing into type QueryMsg: unknown variant `" + v + "`, expected one of " + variantList(true));
  }
  if (!shared.isOk) return Result.err<string>(shared.error!);
  return Result.ok<string>(shared.value!.toJson());
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}
