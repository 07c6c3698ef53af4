import { JsonKind, JsonWriter, jsonString, parseJson } from "../json";
import { Fields } from "../fields";
import { Uint128, parseU64 } from "../math";
import { Env, ParseError, Response, BankMsg, WasmMsg, SubMsg, ReplyOn, coin, Event } from "../types";

function u64Field(json: string): string {
  const p = parseJson(json);
  if (p.value === null) return "parse error: " + p.error!;
  const f = new Fields(p.value, "Msg");
  const n = f.u64("n");
  const err = f.done();
  return err !== null ? err : n.toString();
}

function expectContains(actual: string, part: string): void {
  expect<bool>(actual.includes(part)).toBe(true, actual + " should contain " + part);
}

describe("JSON u64 fidelity", () => {
  it("accepts 0 and 2^64 - 1 exactly", () => {
    expect<string>(u64Field('{"n":0}')).toBe("0");
    expect<string>(u64Field('{"n":9007199254740993}')).toBe("9007199254740993"); // 2^53 + 1
    expect<string>(u64Field('{"n":18446744073709551615}')).toBe("18446744073709551615");
  });

  it("rejects what serde rejects for u64", () => {
    expectContains(u64Field('{"n":18446744073709551616}'), "out of range");
    expectContains(u64Field('{"n":99999999999999999999999}'), "out of range");
    expectContains(u64Field('{"n":-1}'), "expected u64");
    expectContains(u64Field('{"n":1.0}'), "floating point");
    expectContains(u64Field('{"n":1e3}'), "floating point");
    expectContains(u64Field('{"n":"5"}'), "invalid type: string");
    expectContains(u64Field('{"n":01}'), "parse error");
    expectContains(u64Field("{}"), "missing field `n`");
    expectContains(u64Field('{"n":1,"x":2}'), "unknown field `x`");
    expectContains(u64Field('{"n":1,"n":2}'), "duplicate field `n`");
  });

  it("parseU64 is exact at the boundary", () => {
    expect<u64>(parseU64("18446744073709551615").value).toBe(u64.MAX_VALUE);
    expect<bool>(parseU64("18446744073709551616").ok).toBe(false);
    expect<bool>(parseU64("18446744073709551620").ok).toBe(false);
    expect<bool>(parseU64("").ok).toBe(false);
  });

  it("writes u64 without precision loss", () => {
    const w = new JsonWriter().beginObject().fieldU64("max", u64.MAX_VALUE).fieldU64("zero", 0).endObject();
    expect<string>(w.toString()).toBe('{"max":18446744073709551615,"zero":0}');
  });
});

describe("Uint128", () => {
  it("parses and prints 2^128 - 1", () => {
    const max = Uint128.parse("340282366920938463463374607431768211455");
    expect<bool>(max !== null).toBe(true);
    expect<string>(max!.toString()).toBe("340282366920938463463374607431768211455");
    expect<bool>(Uint128.parse("340282366920938463463374607431768211456") === null).toBe(true);
    expect<string>(Uint128.parse("18446744073709551616")!.toString()).toBe("18446744073709551616");
    expect<string>(Uint128.parse("0")!.toString()).toBe("0");
    expect<string>(Uint128.parse("1000000000000000000000000000")!.toString()).toBe("1000000000000000000000000000");
    expect<bool>(Uint128.parse("-1") === null).toBe(true);
    expect<bool>(Uint128.parse("1.5") === null).toBe(true);
  });

  it("checked arithmetic", () => {
    const a = Uint128.fromU64(u64.MAX_VALUE);
    const b = a.checkedAdd(Uint128.fromU64(1))!;
    expect<string>(b.toString()).toBe("18446744073709551616");
    expect<string>(b.checkedSub(Uint128.fromU64(1))!.toString()).toBe("18446744073709551615");
    expect<bool>(Uint128.fromU64(1).checkedSub(Uint128.fromU64(2)) === null).toBe(true);
    expect<bool>(Uint128.parse("340282366920938463463374607431768211455")!.checkedAdd(Uint128.fromU64(1)) === null).toBe(true);
  });
});

describe("JSON reader", () => {
  it("decodes string escapes and UTF-8", () => {
    const p = parseJson('["a\\"b\\\\c\\/\\n\\t", "\\u00e9\\u20ac", "\\ud83d\\ude00", "é€😀"]');
    expect<bool>(p.value !== null).toBe(true);
    const items = p.value!.items;
    expect<string>(items[0].text).toBe('a"b\\c/\n\t');
    expect<string>(items[1].text).toBe("é€");
    expect<string>(items[2].text).toBe("😀");
    expect<string>(items[3].text).toBe("é€😀");
  });

  it("rejects malformed documents with a message instead of aborting", () => {
    expect<bool>(parseJson("{").error !== null).toBe(true);
    expect<bool>(parseJson('{"a":1,}').error !== null).toBe(true);
    expect<bool>(parseJson("[1] x").error!.includes("trailing")).toBe(true);
    expect<bool>(parseJson('"\\ud800"').error!.includes("surrogate")).toBe(true);
    expect<bool>(parseJson('"a\nb"').error!.includes("control character")).toBe(true);
    expect<bool>(parseJson("nul").error !== null).toBe(true);
    expect<bool>(parseJson("").error !== null).toBe(true);
    expect<bool>(parseJson("[".repeat(200) + "]".repeat(200)).error!.includes("recursion")).toBe(true);
  });

  it("keeps number text and re-serialises compactly", () => {
    const p = parseJson(' { "a" : [ 1 , -2.5e10 , true , null ] , "b" : { } } ');
    expect<string>(p.value!.toString()).toBe('{"a":[1,-2.5e10,true,null],"b":{}}');
    expect<i32>(p.value!.get("a")!.items[1].kind).toBe(JsonKind.Number);
  });

  it("escapes like serde_json", () => {
    expect<string>(jsonString('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\u0001é"');
  });
});

describe("ABI types", () => {
  it("reads a wasmd Env, ignoring unknown fields, with and without transaction", () => {
    const e1 = parseJson(
      '{"block":{"height":18446744073709551615,"time":"1571797419879305533","chain_id":"c","new":1},' +
        '"transaction":{"index":3,"hash":"5UadrOwXzviiYP03Z17Yfn+2orWtlRk8UTCABsfklLM="},' +
        '"contract":{"address":"wasm1x"},"future":{}}',
    );
    const err = new ParseError();
    const env = Env.fromJson(e1.value!, err)!;
    expect<u64>(env.block.height).toBe(u64.MAX_VALUE);
    expect<u64>(env.block.time).toBe(1571797419879305533);
    expect<u32>(env.transaction!.index).toBe(3);
    expect<i32>(env.transaction!.hash.length).toBe(32);
    expect<string>(env.contract_address).toBe("wasm1x");
    const e2 = parseJson('{"block":{"height":1,"time":"2","chain_id":"c"},"transaction":null,"contract":{"address":"a"}}');
    expect<bool>(Env.fromJson(e2.value!, err)!.transaction === null).toBe(true);
    const e3 = parseJson('{"block":{"height":1,"time":"2","chain_id":"c"},"contract":{"address":"a"}}');
    expect<bool>(Env.fromJson(e3.value!, err)!.transaction === null).toBe(true);
  });

  it("writes Response / SubMsg / CosmosMsg as serde does", () => {
    const res = new Response()
      .addAttribute("action", "x")
      .addEvent(new Event("e").add("k", "v"))
      .addMessage(BankMsg.send("wasm1to", [coin(5, "ustake")]))
      .addSubMessage(SubMsg.reply(WasmMsg.execute("wasm1c", '{"increment":{}}'), 7, ReplyOn.Success).withGasLimit(u64.MAX_VALUE));
    expect<string>(res.toJson()).toBe(
      '{"messages":[' +
        '{"id":0,"payload":"","msg":{"bank":{"send":{"to_address":"wasm1to","amount":[{"denom":"ustake","amount":"5"}]}}},"gas_limit":null,"reply_on":"never"},' +
        '{"id":7,"payload":"","msg":{"wasm":{"execute":{"contract_addr":"wasm1c","msg":"eyJpbmNyZW1lbnQiOnt9fQ==","funds":[]}}},"gas_limit":18446744073709551615,"reply_on":"success"}' +
        '],"attributes":[{"key":"action","value":"x"}],"events":[{"type":"e","attributes":[{"key":"k","value":"v"}]}],"data":null}',
    );
  });
});
