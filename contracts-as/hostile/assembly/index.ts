// hostile: misbehaves on purpose so the VM's defences (gas, call depth, memory cap, NaN
// canonicalisation, abort, result validation, read-only queries) can be tested. The only contract
// allowed to contain float instructions (build.mjs FLOAT_ALLOWED). Message shapes: contracts-as/README.md.
import {
  doExecute,
  doInstantiate,
  doQuery,
  Env,
  Fields,
  Item,
  JsonValue,
  MessageInfo,
  panic,
  ParseError,
  parseRegion,
  regionFromString,
  Response,
  Result,
  storage,
  utf8,
  variantOf,
} from "../../sdk";
export * from "../../sdk/exports";

const NAN_BITS = new Item("nan_bits");

/** Touched in loops so the optimiser cannot drop them. */
let sink: u64 = 0;

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const err = new Fields(msg, "InstantiateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

/** N-deep recursion, not a tail call (work after the call); depth 0 = unbounded (wraps to 2^32 - 1). */
function recurse(left: u32): u64 {
  if (left == 1) return sink;
  sink += <u64>left;
  return recurse(left - 1) + 1;
}

function xorshift(n: u64): u64 {
  let x: u64 = 0x9e3779b97f4a7c15;
  for (let i: u64 = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  const body = v !== null ? msg.get(v!) : null;
  const f = new Fields(body, v !== null ? "ExecuteMsg::" + v! : "ExecuteMsg");
  if (v == "loop") {
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    while (true) sink++;
  }
  if (v == "heavy") {
    const n = f.u64("n");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    return Result.ok<Response>(
      new Response().addAttribute("action", "heavy").addAttribute("result", xorshift(n).toString()),
    );
  }
  if (v == "recurse") {
    const depth = f.u64("depth");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    if (depth > <u64>u32.MAX_VALUE) return Result.err<Response>("depth too large");
    const r = recurse(<u32>depth);
    return Result.ok<Response>(new Response().addAttribute("action", "recurse").addAttribute("result", r.toString()));
  }
  if (v == "grow") {
    const pages = f.u64("pages");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const before = memory.grow(<i32>pages); // -1 when refused
    return Result.ok<Response>(
      new Response().addAttribute("action", "grow").addAttribute("result", before.toString()),
    );
  }
  if (v == "nan") {
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    // A zero the optimiser cannot see through (a load), so 0.0 / 0.0 happens at run time.
    const zeroes = new Uint8Array(1);
    const z64 = <f64>zeroes[0];
    const z32 = <f32>zeroes[0];
    const bits64 = reinterpret<u64>(z64 / z64);
    const bits32 = reinterpret<u32>(z32 / z32);
    NAN_BITS.saveString(bits64.toString());
    return Result.ok<Response>(
      new Response()
        .addAttribute("action", "nan")
        .addAttribute("bits", bits64.toString())
        .addAttribute("bits32", bits32.toString()),
    );
  }
  if (v == "panic") {
    panic("hostile panic");
  }
  return Result.err<Response>(
    "Error parsing into type ExecuteMsg: unknown variant, expected one of `loop`, `heavy`, `recurse`, `grow`, `nan`, `panic`, `bad_json`",
  );
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  // {"bad_json":{}} answers with a result Region that is not JSON at all.
  const parsed = parseRegion(msg, "ExecuteMsg", new ParseError());
  if (parsed !== null && variantOf(parsed) == "bad_json") return <u32>regionFromString('{"ok":{"messages":[');
  return doExecute(env, info, msg, handleExecute);
}

// query {"write_in_query":{}}: calls db_write in a read-only call (the host must fail it);
// {"nan_bits":{}} → {"bits":"<u64 decimal>"|null}
function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v == "write_in_query") {
    storage.set(utf8("written_in_query"), utf8("1"));
    return Result.ok<string>('{"written":true}');
  }
  if (v == "nan_bits") {
    const bits = NAN_BITS.loadString();
    return Result.ok<string>(bits === null ? '{"bits":null}' : '{"bits":"' + bits + '"}');
  }
  return Result.err<string>("Error parsing into type QueryMsg: unknown variant, expected `write_in_query` or `nan_bits`");
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}
