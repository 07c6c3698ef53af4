// caller: sends a SubMsg WasmMsg::Execute with a chosen reply_on, records replies, and does smart
// queries of other contracts through query_chain. Message shapes are listed in contracts-as/README.md.
import {
  base64Decode,
  doExecute,
  doInstantiate,
  doMigrateWithInfo,
  doQuery,
  doReply,
  Env,
  Fields,
  Item,
  JsonKind,
  JsonValue,
  JsonWriter,
  MessageInfo,
  MigrateInfo,
  parseJsonBytes,
  parseReplyOn,
  querySmartRaw,
  Reply,
  ReplyOn,
  Response,
  Result,
  SubMsg,
  utf8,
  variantOf,
  WasmMsg,
  fromUtf8,
} from "../../sdk";
import { query_chain } from "../../sdk/imports";
import { borrowRegion, readRegion } from "../../sdk/memory";
export * from "../../sdk/exports";

const LAST_REPLY = new Item("last_reply");
const LAST_ANSWER = new Item("last_answer");
const MIGRATE_INFO = new Item("migrate_info");

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const err = new Fields(msg, "InstantiateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

/** A message given either as a JSON value or as a base64 string of JSON bytes. */
function messageBytes(v: JsonValue): Uint8Array | null {
  if (v.kind == JsonKind.String) return base64Decode(v.text);
  return utf8(v.toString());
}

// execute {"call":{"contract","msg","reply_on","id","funds"?,"gas_limit"?}}
//       | {"query_other":{"contract","msg"}}
//       | {"query_chain":{"request":<QueryRequest JSON>}} (stores the raw SystemResult as last_answer)
function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v == "call") {
    const f = new Fields(msg.get("call"), "ExecuteMsg::Call");
    const contract = f.string("contract");
    const m = f.value("msg");
    const replyOnText = f.string("reply_on");
    const id = f.u64("id");
    const funds = f.optCoins("funds");
    const hasGasLimit = f.has("gas_limit");
    const gasLimit = f.optU64("gas_limit", 0);
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const replyOn = parseReplyOn(replyOnText);
    if (replyOn < 0) return Result.err<Response>("unknown reply_on `" + replyOnText + "`");
    const bytes = messageBytes(m);
    if (bytes === null) return Result.err<Response>("msg is neither JSON nor valid base64");
    const sub = SubMsg.reply(WasmMsg.executeBinary(contract, bytes, funds), id, <ReplyOn>replyOn);
    if (hasGasLimit) sub.withGasLimit(gasLimit);
    return Result.ok<Response>(
      new Response()
        .addSubMessage(sub)
        .addAttribute("action", "call")
        .addAttribute("contract", contract)
        .addAttribute("reply_on", replyOnText)
        .addAttribute("id", id.toString()),
    );
  }
  if (v == "query_other") {
    const f = new Fields(msg.get("query_other"), "ExecuteMsg::QueryOther");
    const contract = f.string("contract");
    const m = f.value("msg");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const bytes = messageBytes(m);
    if (bytes === null) return Result.err<Response>("msg is neither JSON nor valid base64");
    const r = querySmartRaw(contract, fromUtf8(bytes));
    if (!r.isOk) return Result.err<Response>(r.error!);
    const answer = r.value!;
    if (parseJsonBytes(answer).value === null) return Result.err<Response>("query answer is not JSON");
    LAST_ANSWER.saveBytes(answer);
    return Result.ok<Response>(
      new Response().addAttribute("action", "query_other").addAttribute("answer", fromUtf8(answer)),
    );
  }
  if (v == "query_chain") {
    const f = new Fields(msg.get("query_chain"), "ExecuteMsg::QueryChain");
    const request = f.value("request");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    // The envelope itself (SystemResult<ContractResult<Binary>>), unwrapped by nobody: lets tests see it.
    const answer = readRegion(<usize>query_chain(<u32>borrowRegion(utf8(request.toString()))));
    if (parseJsonBytes(answer).value === null) return Result.err<Response>("query_chain answer is not JSON");
    LAST_ANSWER.saveBytes(answer);
    return Result.ok<Response>(new Response().addAttribute("action", "query_chain"));
  }
  return Result.err<Response>(
    "Error parsing into type ExecuteMsg: unknown variant, expected one of `call`, `query_other`, `query_chain`",
  );
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

// reply: records {"id":N,"ok":bool,"error":string|null} and adds attributes
function handleReply(env: Env, reply: Reply): Result<Response> {
  const w = new JsonWriter().beginObject();
  w.fieldU64("id", reply.id);
  w.fieldBool("ok", reply.isOk);
  w.fieldStringOrNull("error", reply.error);
  LAST_REPLY.saveJson(w.endObject().toString());
  const res = new Response()
    .addAttribute("action", "reply")
    .addAttribute("reply_id", reply.id.toString())
    .addAttribute("reply_ok", reply.isOk ? "true" : "false")
    .addAttribute("reply_events", reply.events.length.toString());
  const e = reply.error;
  if (e !== null) res.addAttribute("reply_error", e);
  return Result.ok<Response>(res);
}

export function reply(env: u32, reply: u32): u32 {
  return doReply(env, reply, handleReply);
}

// query {"last_reply":{}} → {"id","ok","error"} or null; {"last_answer":{}} → {"answer":<json>|null};
// {"migrate_info":{}} → {"sender","old_migrate_version"} or null
function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v == "last_reply" || v == "last_answer" || v == "migrate_info") {
    const err = new Fields(msg.get(v!), "QueryMsg").done();
    if (err !== null) return Result.err<string>(err);
  }
  if (v == "last_reply") {
    const t = LAST_REPLY.loadJsonText();
    return Result.ok<string>(t !== null ? t : "null");
  }
  if (v == "last_answer") {
    const t = LAST_ANSWER.loadJsonText();
    return Result.ok<string>('{"answer":' + (t !== null ? t : "null") + "}");
  }
  if (v == "migrate_info") {
    const t = MIGRATE_INFO.loadJsonText();
    return Result.ok<string>(t !== null ? t : "null");
  }
  return Result.err<string>(
    "Error parsing into type QueryMsg: unknown variant, expected one of `last_reply`, `last_answer`, `migrate_info`",
  );
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}

// migrate (3-argument form, cosmwasm_2_2): {} → stores MigrateInfo
function handleMigrate(env: Env, msg: JsonValue, info: MigrateInfo): Result<Response> {
  const err = new Fields(msg, "MigrateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  const w = new JsonWriter().beginObject();
  w.fieldString("sender", info.sender);
  const ver = info.old_migrate_version;
  if (ver === null) w.fieldNull("old_migrate_version");
  else w.fieldRaw("old_migrate_version", ver);
  MIGRATE_INFO.saveJson(w.endObject().toString());
  return Result.ok<Response>(new Response().addAttribute("action", "migrate"));
}

export function migrate(env: u32, msg: u32, info: u32): u32 {
  return doMigrateWithInfo(env, msg, info, handleMigrate);
}
