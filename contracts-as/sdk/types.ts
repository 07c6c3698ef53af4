// CosmWasm std types with their JSON encodings (WASM-VM.md §2). Inputs (Env, MessageInfo, Reply …) are
// read leniently (unknown fields ignored: the host's types grow); outputs are written exactly as serde
// would, with externally tagged enums that never carry `null` sibling variants.
import { JsonValue, JsonKind, JsonWriter, jsonString } from "./json";
import { Fields } from "./fields";
import { base64Encode, utf8 } from "./encoding";
import { Uint128 } from "./math";

/** A contract result: a value or an error message (becomes `{"error":"…"}`). */
export class Result<T> {
  constructor(
    public value: T | null,
    public error: string | null,
  ) {}
  static ok<T>(value: T): Result<T> {
    return new Result<T>(value, null);
  }
  static err<T>(message: string): Result<T> {
    return new Result<T>(null, message);
  }
  get isOk(): bool {
    return this.error === null;
  }
}

export class Coin {
  constructor(
    public denom: string,
    /** Uint128 as a decimal string. */
    public amount: string,
  ) {}

  /** Reads {"denom":"…","amount":"<Uint128>"}; null if malformed. */
  static fromJson(v: JsonValue): Coin | null {
    const f = new Fields(v, "Coin");
    const denom = f.string("denom");
    const amount = f.uint128("amount");
    if (f.done() !== null) return null;
    return new Coin(denom, amount.toString());
  }

  toJson(): string {
    return '{"denom":' + jsonString(this.denom) + ',"amount":' + jsonString(this.amount) + "}";
  }
}

export function coinsToJson(coins: Coin[]): string {
  const parts: string[] = [];
  for (let i = 0; i < coins.length; i++) parts.push(coins[i].toJson());
  return "[" + parts.join(",") + "]";
}

export function coin(amount: u64, denom: string): Coin {
  return new Coin(denom, amount.toString());
}

export function coin128(amount: Uint128, denom: string): Coin {
  return new Coin(denom, amount.toString());
}

// ------------------------------------------------------------------------------------------------
// Inputs

export class BlockInfo {
  height: u64 = 0;
  /** Nanoseconds since the Unix epoch (JSON: string). */
  time: u64 = 0;
  chain_id: string = "";
}

export class TransactionInfo {
  index: u32 = 0;
  /** Since CosmWasm 3.0; empty when the host did not send it. */
  hash: Uint8Array = new Uint8Array(0);
}

export class Env {
  block: BlockInfo = new BlockInfo();
  /** null outside transactions (queries, genesis). */
  transaction: TransactionInfo | null = null;
  contract_address: string = "";

  /** Returns null and sets `error` on malformed input. Unknown fields are ignored. */
  static fromJson(v: JsonValue, out: ParseError): Env | null {
    const env = new Env();
    const f = new Fields(v, "cosmwasm_std::types::Env", false);
    const b = new Fields(f.object("block"), "BlockInfo", false);
    env.block.height = b.u64("height");
    env.block.time = b.u64String("time");
    env.block.chain_id = b.string("chain_id");
    let err = b.done();
    const tx = f.opt("transaction");
    if (err === null && tx !== null) {
      const t = new Fields(tx, "TransactionInfo", false);
      const info = new TransactionInfo();
      info.index = t.u32("index");
      const hash = t.optBinary("hash");
      if (hash !== null) info.hash = hash;
      err = t.done();
      env.transaction = info;
    }
    if (err === null) {
      const c = new Fields(f.object("contract"), "ContractInfo", false);
      env.contract_address = c.string("address");
      err = c.done();
    }
    if (err === null) err = f.done();
    if (err !== null) {
      out.message = err;
      return null;
    }
    return env;
  }
}

export class MessageInfo {
  sender: string = "";
  funds: Coin[] = [];

  static fromJson(v: JsonValue, out: ParseError): MessageInfo | null {
    const f = new Fields(v, "cosmwasm_std::types::MessageInfo", false);
    const info = new MessageInfo();
    info.sender = f.string("sender");
    info.funds = f.coins("funds");
    const err = f.done();
    if (err !== null) {
      out.message = err;
      return null;
    }
    return info;
  }
}

/** Third argument of `migrate` (cosmwasm_2_2). */
export class MigrateInfo {
  sender: string = "";
  /** null if the old code had no `cw_migrate_version` section. */
  old_migrate_version: string | null = null;

  static fromJson(v: JsonValue, out: ParseError): MigrateInfo | null {
    const f = new Fields(v, "cosmwasm_std::MigrateInfo", false);
    const info = new MigrateInfo();
    info.sender = f.string("sender");
    const ver = f.opt("old_migrate_version");
    if (ver !== null) {
      if (ver.kind == JsonKind.Number) info.old_migrate_version = ver.text;
      else f.fail("invalid type: " + ver.describe() + ", expected u64");
    }
    const err = f.done();
    if (err !== null) {
      out.message = err;
      return null;
    }
    return info;
  }
}

/** Carries a parse error out of the static readers (AssemblyScript has no multi-value returns). */
export class ParseError {
  message: string = "";
}

// ------------------------------------------------------------------------------------------------
// Outputs

export class Attribute {
  constructor(
    public key: string,
    public value: string,
  ) {}
  toJson(): string {
    return '{"key":' + jsonString(this.key) + ',"value":' + jsonString(this.value) + "}";
  }
}

function attributesToJson(attrs: Attribute[]): string {
  const parts: string[] = [];
  for (let i = 0; i < attrs.length; i++) parts.push(attrs[i].toJson());
  return "[" + parts.join(",") + "]";
}

export class Event {
  attributes: Attribute[] = [];
  constructor(public type: string) {}
  add(key: string, value: string): Event {
    this.attributes.push(new Attribute(key, value));
    return this;
  }
  toJson(): string {
    return '{"type":' + jsonString(this.type) + ',"attributes":' + attributesToJson(this.attributes) + "}";
  }
}

/** A CosmosMsg, kept as its JSON encoding. Build one with BankMsg / WasmMsg. */
export class CosmosMsg {
  constructor(public json: string) {}
}

export namespace BankMsg {
  export function send(toAddress: string, amount: Coin[]): CosmosMsg {
    return new CosmosMsg(
      '{"bank":{"send":{"to_address":' + jsonString(toAddress) + ',"amount":' + coinsToJson(amount) + "}}}",
    );
  }
  export function burn(amount: Coin[]): CosmosMsg {
    return new CosmosMsg('{"bank":{"burn":{"amount":' + coinsToJson(amount) + "}}}");
  }
}

export namespace WasmMsg {
  /** `msg` is the JSON text of the message; it is sent base64-encoded. */
  export function execute(contractAddr: string, msg: string, funds: Coin[] = []): CosmosMsg {
    return executeBinary(contractAddr, utf8(msg), funds);
  }
  export function executeBinary(contractAddr: string, msg: Uint8Array, funds: Coin[] = []): CosmosMsg {
    return new CosmosMsg(
      '{"wasm":{"execute":{"contract_addr":' +
        jsonString(contractAddr) +
        ',"msg":"' +
        base64Encode(msg) +
        '","funds":' +
        coinsToJson(funds) +
        "}}}",
    );
  }
  export function instantiate(
    admin: string | null,
    codeId: u64,
    msg: string,
    funds: Coin[],
    label: string,
  ): CosmosMsg {
    return new CosmosMsg(
      '{"wasm":{"instantiate":{"admin":' +
        (admin === null ? "null" : jsonString(admin)) +
        ',"code_id":' +
        codeId.toString() +
        ',"msg":"' +
        base64Encode(utf8(msg)) +
        '","funds":' +
        coinsToJson(funds) +
        ',"label":' +
        jsonString(label) +
        "}}}",
    );
  }
  export function instantiate2(
    admin: string | null,
    codeId: u64,
    label: string,
    msg: string,
    funds: Coin[],
    salt: Uint8Array,
  ): CosmosMsg {
    return new CosmosMsg(
      '{"wasm":{"instantiate2":{"admin":' +
        (admin === null ? "null" : jsonString(admin)) +
        ',"code_id":' +
        codeId.toString() +
        ',"label":' +
        jsonString(label) +
        ',"msg":"' +
        base64Encode(utf8(msg)) +
        '","funds":' +
        coinsToJson(funds) +
        ',"salt":"' +
        base64Encode(salt) +
        '"}}}',
    );
  }
  export function migrate(contractAddr: string, newCodeId: u64, msg: string): CosmosMsg {
    return new CosmosMsg(
      '{"wasm":{"migrate":{"contract_addr":' +
        jsonString(contractAddr) +
        ',"new_code_id":' +
        newCodeId.toString() +
        ',"msg":"' +
        base64Encode(utf8(msg)) +
        '"}}}',
    );
  }
  export function updateAdmin(contractAddr: string, admin: string): CosmosMsg {
    return new CosmosMsg(
      '{"wasm":{"update_admin":{"contract_addr":' + jsonString(contractAddr) + ',"admin":' + jsonString(admin) + "}}}",
    );
  }
  export function clearAdmin(contractAddr: string): CosmosMsg {
    return new CosmosMsg('{"wasm":{"clear_admin":{"contract_addr":' + jsonString(contractAddr) + "}}}");
  }
}

export const enum ReplyOn {
  Never = 0,
  Success = 1,
  Error = 2,
  Always = 3,
}

export function replyOnName(r: ReplyOn): string {
  switch (r) {
    case ReplyOn.Success:
      return "success";
    case ReplyOn.Error:
      return "error";
    case ReplyOn.Always:
      return "always";
    default:
      return "never";
  }
}

/** "always" | "success" | "error" | "never" → ReplyOn, or -1. */
export function parseReplyOn(s: string): i32 {
  if (s == "always") return ReplyOn.Always;
  if (s == "success") return ReplyOn.Success;
  if (s == "error") return ReplyOn.Error;
  if (s == "never") return ReplyOn.Never;
  return -1;
}

export class SubMsg {
  id: u64 = 0;
  payload: Uint8Array = new Uint8Array(0);
  gasLimit: u64 = 0;
  hasGasLimit: bool = false;
  replyOn: ReplyOn = ReplyOn.Never;

  constructor(public msg: CosmosMsg) {}

  static new(msg: CosmosMsg): SubMsg {
    return new SubMsg(msg);
  }
  static reply(msg: CosmosMsg, id: u64, replyOn: ReplyOn): SubMsg {
    const s = new SubMsg(msg);
    s.id = id;
    s.replyOn = replyOn;
    return s;
  }
  withGasLimit(limit: u64): SubMsg {
    this.gasLimit = limit;
    this.hasGasLimit = true;
    return this;
  }
  withPayload(payload: Uint8Array): SubMsg {
    this.payload = payload;
    return this;
  }

  toJson(): string {
    return (
      '{"id":' +
      this.id.toString() +
      ',"payload":"' +
      base64Encode(this.payload) +
      '","msg":' +
      this.msg.json +
      ',"gas_limit":' +
      (this.hasGasLimit ? this.gasLimit.toString() : "null") +
      ',"reply_on":"' +
      replyOnName(this.replyOn) +
      '"}'
    );
  }
}

export class Response {
  messages: SubMsg[] = [];
  attributes: Attribute[] = [];
  events: Event[] = [];
  data: Uint8Array | null = null;

  addAttribute(key: string, value: string): Response {
    this.attributes.push(new Attribute(key, value));
    return this;
  }
  addEvent(e: Event): Response {
    this.events.push(e);
    return this;
  }
  /** A message without reply (reply_on = never). */
  addMessage(msg: CosmosMsg): Response {
    this.messages.push(SubMsg.new(msg));
    return this;
  }
  addSubMessage(sub: SubMsg): Response {
    this.messages.push(sub);
    return this;
  }
  setData(data: Uint8Array): Response {
    this.data = data;
    return this;
  }

  toJson(): string {
    const w = new JsonWriter();
    w.beginObject();
    w.key("messages").beginArray();
    for (let i = 0; i < this.messages.length; i++) w.elem().raw(this.messages[i].toJson());
    w.endArray();
    w.key("attributes").raw(attributesToJson(this.attributes));
    w.key("events").beginArray();
    for (let i = 0; i < this.events.length; i++) w.elem().raw(this.events[i].toJson());
    w.endArray();
    const data = this.data;
    if (data === null) w.fieldNull("data");
    else w.key("data").raw('"' + base64Encode(data) + '"');
    w.endObject();
    return w.toString();
  }
}

// ------------------------------------------------------------------------------------------------
// Reply

export class MsgResponse {
  constructor(
    public type_url: string,
    public value: Uint8Array,
  ) {}
}

/** Input of the `reply` entry point. */
export class Reply {
  id: u64 = 0;
  payload: Uint8Array = new Uint8Array(0);
  gas_used: u64 = 0;
  /** null = the sub-message succeeded. */
  error: string | null = null;
  /** On success: the events the sub-message emitted. */
  events: Event[] = [];
  /** On success: the (deprecated) data field, or null. */
  data: Uint8Array | null = null;
  msg_responses: MsgResponse[] = [];

  get isOk(): bool {
    return this.error === null;
  }

  static fromJson(v: JsonValue, out: ParseError): Reply | null {
    const r = new Reply();
    const f = new Fields(v, "cosmwasm_std::Reply", false);
    r.id = f.u64("id");
    const payload = f.optBinary("payload");
    if (payload !== null) r.payload = payload;
    r.gas_used = f.optU64("gas_used", 0);
    const result = f.object("result");
    let err = f.done();
    if (err === null) {
      const errV = result.get("error");
      const okV = result.get("ok");
      if (errV !== null && errV.kind == JsonKind.String && result.keys.length == 1) {
        r.error = errV.text;
      } else if (okV !== null && result.keys.length == 1) {
        const o = new Fields(okV, "SubMsgResponse", false);
        const events = o.array("events");
        for (let i = 0; i < events.length && o.ok; i++) {
          const ef = new Fields(events[i], "Event", false);
          const ev = new Event(ef.string("type"));
          const attrs = ef.array("attributes");
          for (let j = 0; j < attrs.length && ef.ok; j++) {
            const af = new Fields(attrs[j], "Attribute", false);
            ev.add(af.string("key"), af.string("value"));
            const ae = af.done();
            if (ae !== null) ef.fail(ae);
          }
          const ee = ef.done();
          if (ee !== null) o.fail(ee);
          r.events.push(ev);
        }
        r.data = o.optBinary("data");
        const mr = o.opt("msg_responses");
        if (mr !== null && mr.kind == JsonKind.Array) {
          for (let i = 0; i < mr.items.length && o.ok; i++) {
            const m = new Fields(mr.items[i], "MsgResponse", false);
            const typeUrl = m.string("type_url");
            const value = m.binary("value");
            const me = m.done();
            if (me !== null) o.fail(me);
            r.msg_responses.push(new MsgResponse(typeUrl, value));
          }
        }
        err = o.done();
      } else {
        err = "Error parsing into type cosmwasm_std::Reply: invalid SubMsgResult";
      }
    }
    if (err !== null) {
      out.message = err;
      return null;
    }
    return r;
  }
}
