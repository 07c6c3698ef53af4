import { describe, expect, it } from "vitest";
import { contractResponse, isValidJson, jsonDepthExceeds, MAX_JSON_DEPTH, parseJson } from "./json.js";

const deep = (n: number) => Buffer.from(`${"[".repeat(n)}${"]".repeat(n)}`);

describe("contract JSON", () => {
  it("keeps u64 values exact and refuses non-integer numbers", () => {
    expect(parseJson(Buffer.from('{"id":18446744073709551615}'))).toEqual({ id: 18446744073709551615n });
    expect(() => parseJson(Buffer.from('{"id":1.5}'))).toThrow(/not an integer/);
    expect(() => parseJson(Buffer.from('{"a":1,"a":2}'))).toThrow();
    expect(() => parseJson(Buffer.from([0xff, 0xfe]))).toThrow();
  });

  it("refuses nesting past 128 levels before any recursive parser sees it (100k levels too)", () => {
    expect(jsonDepthExceeds(deep(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(deep(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`["${"[".repeat(500)}"]`))).toBe(false); // brackets inside a string
    expect(jsonDepthExceeds(Buffer.from(`["\\"${"[".repeat(500)}"]`))).toBe(false); // escaped quote
    expect(() => parseJson(deep(100_000))).toThrow(/deeper than 128/);
    expect(isValidJson(deep(100_000))).toBe(false);
    expect(isValidJson(deep(10))).toBe(true);
  });

  it("reads a Response with wasmd's defaults and rejects wrong shapes with the field's path", () => {
    const r = contractResponse(parseJson(Buffer.from('{"messages":[{"id":3,"msg":{"bank":{}},"reply_on":"error","gas_limit":null}],"attributes":[{"key":"k","value":"v"}],"data":"aGk="}')));
    expect(r.messages[0]).toMatchObject({ id: 3n, replyOn: "error", gasLimit: undefined });
    expect(Buffer.from(r.data!).toString()).toBe("hi");
    expect(() => contractResponse(parseJson(Buffer.from('{"attributes":[{"key":1,"value":"v"}]}')))).toThrow(/response.attributes\[0\].key/);
    expect(() => contractResponse(parseJson(Buffer.from('{"messages":[{"id":-1,"msg":{}}]}')))).toThrow(/unsigned 64-bit/);
  });
});
