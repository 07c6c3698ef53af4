// nft-receiver: a minimal cw721 receiver for tests. It accepts `receive_nft` (Cw721ReceiveMsg), records
// what it got (and who owns the token while the hook runs, through a smart query of the sending
// collection), refuses when the inner msg is {"reject":{}}, and can hand a token back.
//
//   execute {"receive_nft":{"sender","token_id","msg":"<b64>"}}  → stores last_received
//   execute {"give":{"collection","token_id","recipient"}}      → WasmMsg transfer_nft on the collection
//   query   {"last_received":{}}                                  → {"collection","sender","token_id","msg","owner_at_hook"} | null
import {
  base64Decode,
  doExecute,
  doInstantiate,
  doQuery,
  Env,
  Fields,
  fromUtf8,
  Item,
  jsonString,
  JsonValue,
  JsonWriter,
  MessageInfo,
  parseJsonBytes,
  querySmart,
  Response,
  Result,
  variantOf,
  WasmMsg,
} from "../../sdk";
export * from "../../sdk/exports";

const LAST = new Item("last_received");

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const err = new Fields(msg, "InstantiateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v == "receive_nft") {
    const f = new Fields(msg.get("receive_nft"), "Cw721ReceiveMsg");
    const sender = f.string("sender");
    const tokenId = f.string("token_id");
    const inner = f.binary("msg");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const p = parseJsonBytes(inner);
    if (p.value !== null && variantOf(p.value!) == "reject") return Result.err<Response>("receiver rejected the token");
    const owner = querySmart(info.sender, '{"owner_of":{"token_id":' + jsonString(tokenId) + "}}");
    if (!owner.isOk) return Result.err<Response>(owner.error!);
    LAST.saveJson(
      new JsonWriter()
        .beginObject()
        .fieldString("collection", info.sender)
        .fieldString("sender", sender)
        .fieldString("token_id", tokenId)
        .fieldString("msg", fromUtf8(inner))
        .fieldString("owner_at_hook", owner.value!.get("owner")!.text)
        .endObject()
        .toString(),
    );
    return Result.ok<Response>(
      new Response().addAttribute("action", "receive_nft").addAttribute("sender", sender).addAttribute("token_id", tokenId),
    );
  }
  if (v == "give") {
    const f = new Fields(msg.get("give"), "ExecuteMsg::Give");
    const collection = f.string("collection");
    const tokenId = f.string("token_id");
    const recipient = f.string("recipient");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const transfer = '{"transfer_nft":{"recipient":' + jsonString(recipient) + ',"token_id":' + jsonString(tokenId) + "}}";
    return Result.ok<Response>(new Response().addMessage(WasmMsg.execute(collection, transfer)).addAttribute("action", "give"));
  }
  return Result.err<Response>("Error parsing into type ExecuteMsg: unknown variant, expected `receive_nft` or `give`");
}

function handleQuery(env: Env, msg: JsonValue): Result<string> {
  if (variantOf(msg) != "last_received") return Result.err<string>("Error parsing into type QueryMsg: unknown variant");
  const err = new Fields(msg.get("last_received"), "QueryMsg::LastReceived").done();
  if (err !== null) return Result.err<string>(err);
  const text = LAST.loadJsonText();
  return Result.ok<string>(text === null ? "null" : text);
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}
export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}
export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}
