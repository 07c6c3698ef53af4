// counter: the reference test contract (instantiate / execute / query / migrate / sudo, storage,
// attributes and a custom event). Message shapes are listed in contracts-as/README.md.
import {
  doExecute,
  doInstantiate,
  doMigrate,
  doQuery,
  doSudo,
  Env,
  Event,
  Fields,
  Item,
  JsonValue,
  JsonWriter,
  Map,
  MessageInfo,
  Response,
  Result,
  variantOf,
} from "../../sdk";
export * from "../../sdk/exports";

const COUNT = new Item("count");
const OWNER = new Item("owner");
const MIGRATED = new Item("migrated");
const SUDO_CALLS = new Item("sudo_calls");
const HEAVY = new Map("heavy");

function countEvent(action: string, count: u64): Event {
  return new Event("counter").add("action", action).add("count", count.toString());
}

// ---------------------------------------------------------------------------------------------
// instantiate {"count":N} | {}

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = new Fields(msg, "InstantiateMsg");
  const count = f.optU64("count", 0);
  const err = f.done();
  if (err !== null) return Result.err<Response>(err);
  COUNT.saveU64(count);
  OWNER.saveString(info.sender);
  const res = new Response()
    .addAttribute("action", "instantiate")
    .addAttribute("owner", info.sender)
    .addAttribute("count", count.toString());
  return Result.ok<Response>(res);
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

// ---------------------------------------------------------------------------------------------
// execute {"increment":{}} | {"reset":{"count":N}} | {"storage_heavy":{"n":N}}

function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v == "increment") {
    const f = new Fields(msg.get("increment"), "ExecuteMsg::Increment");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const count = COUNT.loadU64(0) + 1;
    COUNT.saveU64(count);
    return Result.ok<Response>(
      new Response()
        .addAttribute("action", "increment")
        .addAttribute("count", count.toString())
        .addEvent(countEvent("increment", count)),
    );
  }
  if (v == "reset") {
    const f = new Fields(msg.get("reset"), "ExecuteMsg::Reset");
    const count = f.u64("count");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const owner = OWNER.loadString();
    if (owner === null || owner != info.sender) return Result.err<Response>("Unauthorized");
    COUNT.saveU64(count);
    return Result.ok<Response>(
      new Response()
        .addAttribute("action", "reset")
        .addAttribute("count", count.toString())
        .addEvent(countEvent("reset", count)),
    );
  }
  if (v == "storage_heavy") {
    const f = new Fields(msg.get("storage_heavy"), "ExecuteMsg::StorageHeavy");
    const n = f.u64("n");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    for (let i: u64 = 0; i < n; i++) HEAVY.atU64(i).saveU64(i);
    return Result.ok<Response>(
      new Response().addAttribute("action", "storage_heavy").addAttribute("n", n.toString()),
    );
  }
  return Result.err<Response>(
    "Error parsing into type ExecuteMsg: unknown variant, expected one of `increment`, `reset`, `storage_heavy`",
  );
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

// ---------------------------------------------------------------------------------------------
// query {"get_count":{}} → {"count":N}; {"state":{}} → {"count","owner","migrated","sudo_calls"}

function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v == "get_count") {
    const err = new Fields(msg.get("get_count"), "QueryMsg::GetCount").done();
    if (err !== null) return Result.err<string>(err);
    return Result.ok<string>('{"count":' + COUNT.loadU64(0).toString() + "}");
  }
  if (v == "state") {
    const err = new Fields(msg.get("state"), "QueryMsg::State").done();
    if (err !== null) return Result.err<string>(err);
    const w = new JsonWriter().beginObject();
    w.fieldU64("count", COUNT.loadU64(0));
    w.fieldStringOrNull("owner", OWNER.loadString());
    w.fieldStringOrNull("migrated", MIGRATED.loadString());
    w.fieldU64("sudo_calls", SUDO_CALLS.loadU64(0));
    return Result.ok<string>(w.endObject().toString());
  }
  return Result.err<string>("Error parsing into type QueryMsg: unknown variant, expected one of `get_count`, `state`");
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}

// ---------------------------------------------------------------------------------------------
// migrate {} | {"marker":"…"}: stores the marker (default "migrated")

function handleMigrate(env: Env, msg: JsonValue): Result<Response> {
  const f = new Fields(msg, "MigrateMsg");
  const marker = f.optString("marker");
  const err = f.done();
  if (err !== null) return Result.err<Response>(err);
  const m = marker !== null ? marker : "migrated";
  MIGRATED.saveString(m);
  return Result.ok<Response>(new Response().addAttribute("action", "migrate").addAttribute("marker", m));
}

export function migrate(env: u32, msg: u32): u32 {
  return doMigrate(env, msg, handleMigrate);
}

// ---------------------------------------------------------------------------------------------
// sudo {"set_count":{"count":N}}: privileged, no owner check

function handleSudo(env: Env, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v != "set_count") return Result.err<Response>("Error parsing into type SudoMsg: unknown variant, expected `set_count`");
  const f = new Fields(msg.get("set_count"), "SudoMsg::SetCount");
  const count = f.u64("count");
  const err = f.done();
  if (err !== null) return Result.err<Response>(err);
  COUNT.saveU64(count);
  SUDO_CALLS.saveU64(SUDO_CALLS.loadU64(0) + 1);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "sudo")
      .addAttribute("count", count.toString())
      .addEvent(countEvent("sudo", count)),
  );
}

export function sudo(env: u32, msg: u32): u32 {
  return doSudo(env, msg, handleSudo);
}
