// Entry-point wrappers: read the argument Regions, parse Env / MessageInfo / msg, call the handler and
// return a Region with `{"ok":…}` or `{"error":"…"}` (ContractResult). A contract exports e.g.
//
//   export function execute(env: u32, info: u32, msg: u32): u32 {
//     return doExecute(env, info, msg, handleExecute);
//   }
//
// Argument Regions are owned by the contract; with the stub allocator they are simply left alone.
import { JsonValue, parseJsonAt, jsonString } from "./json";
import { regionFromString, regionOffset, regionLength } from "./memory";
import { base64Encode, utf8 } from "./encoding";
import { Env, MessageInfo, MigrateInfo, ParseError, Reply, Response, Result } from "./types";

export type InstantiateFn = (env: Env, info: MessageInfo, msg: JsonValue) => Result<Response>;
export type ExecuteFn = (env: Env, info: MessageInfo, msg: JsonValue) => Result<Response>;
/** Returns the JSON text of the answer; the wrapper base64-encodes it (ContractResult<Binary>). */
export type QueryFn = (env: Env, msg: JsonValue) => Result<string>;
export type MigrateFn = (env: Env, msg: JsonValue) => Result<Response>;
export type MigrateWithInfoFn = (env: Env, msg: JsonValue, info: MigrateInfo) => Result<Response>;
export type SudoFn = (env: Env, msg: JsonValue) => Result<Response>;
export type ReplyFn = (env: Env, reply: Reply) => Result<Response>;

/** `{"error":"…"}` as a result Region. */
export function errorResult(message: string): u32 {
  return <u32>regionFromString('{"error":' + jsonString(message) + "}");
}

function responseResult(r: Result<Response>): u32 {
  if (!r.isOk) return errorResult(r.error!);
  return <u32>regionFromString('{"ok":' + r.value!.toJson() + "}");
}

/** Parses the JSON in a Region; on failure fills `err` (serde-like wording) and returns null. */
export function parseRegion(region: u32, typeName: string, err: ParseError): JsonValue | null {
  const p = parseJsonAt(regionOffset(<usize>region), regionLength(<usize>region));
  if (p.value === null) {
    err.message = "Error parsing into type " + typeName + ": " + p.error!;
    return null;
  }
  return p.value;
}

function readEnv(region: u32, err: ParseError): Env | null {
  const v = parseRegion(region, "cosmwasm_std::types::Env", err);
  return v === null ? null : Env.fromJson(v, err);
}

function readInfo(region: u32, err: ParseError): MessageInfo | null {
  const v = parseRegion(region, "cosmwasm_std::types::MessageInfo", err);
  return v === null ? null : MessageInfo.fromJson(v, err);
}

function envInfoMsg(
  envP: u32,
  infoP: u32,
  msgP: u32,
  typeName: string,
  handler: ExecuteFn,
): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const info = readInfo(infoP, err);
  if (info === null) return errorResult(err.message);
  const msg = parseRegion(msgP, typeName, err);
  if (msg === null) return errorResult(err.message);
  return responseResult(handler(env, info, msg));
}

export function doInstantiate(envP: u32, infoP: u32, msgP: u32, handler: InstantiateFn): u32 {
  return envInfoMsg(envP, infoP, msgP, "InstantiateMsg", handler);
}

export function doExecute(envP: u32, infoP: u32, msgP: u32, handler: ExecuteFn): u32 {
  return envInfoMsg(envP, infoP, msgP, "ExecuteMsg", handler);
}

export function doQuery(envP: u32, msgP: u32, handler: QueryFn): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const msg = parseRegion(msgP, "QueryMsg", err);
  if (msg === null) return errorResult(err.message);
  const r = handler(env, msg);
  if (!r.isOk) return errorResult(r.error!);
  return <u32>regionFromString('{"ok":"' + base64Encode(utf8(r.value!)) + '"}');
}

export function doMigrate(envP: u32, msgP: u32, handler: MigrateFn): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const msg = parseRegion(msgP, "MigrateMsg", err);
  if (msg === null) return errorResult(err.message);
  return responseResult(handler(env, msg));
}

export function doMigrateWithInfo(envP: u32, msgP: u32, infoP: u32, handler: MigrateWithInfoFn): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const msg = parseRegion(msgP, "MigrateMsg", err);
  if (msg === null) return errorResult(err.message);
  const iv = parseRegion(infoP, "cosmwasm_std::MigrateInfo", err);
  if (iv === null) return errorResult(err.message);
  const info = MigrateInfo.fromJson(iv, err);
  if (info === null) return errorResult(err.message);
  return responseResult(handler(env, msg, info));
}

export function doSudo(envP: u32, msgP: u32, handler: SudoFn): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const msg = parseRegion(msgP, "SudoMsg", err);
  if (msg === null) return errorResult(err.message);
  return responseResult(handler(env, msg));
}

export function doReply(envP: u32, replyP: u32, handler: ReplyFn): u32 {
  const err = new ParseError();
  const env = readEnv(envP, err);
  if (env === null) return errorResult(err.message);
  const rv = parseRegion(replyP, "cosmwasm_std::Reply", err);
  if (rv === null) return errorResult(err.message);
  const reply = Reply.fromJson(rv, err);
  if (reply === null) return errorResult(err.message);
  return responseResult(handler(env, reply));
}
