import { parseJson } from "../json";
import { Fields } from "../fields";
import { BlockInfo } from "../types";
import { Expiration, ExpirationError, Duration, optExpiration, optExpirationField, expirationField, durationField } from "../expiration";

function block(height: u64, time: u64): BlockInfo {
  const b = new BlockInfo();
  b.height = height;
  b.time = time;
  return b;
}

function parse(json: string): string {
  const p = parseJson(json);
  const err = new ExpirationError();
  const e = Expiration.fromJson(p.value!, err);
  return e === null ? "error: " + err.message : e.toJson();
}

function expectContains(actual: string, part: string): void {
  expect<bool>(actual.includes(part)).toBe(true, actual + " should contain " + part);
}

describe("Expiration JSON", () => {
  it("round-trips the three variants exactly", () => {
    expect<string>(parse('{"at_height":123}')).toBe('{"at_height":123}');
    expect<string>(parse('{"at_time":"1700000000000000001"}')).toBe('{"at_time":"1700000000000000001"}');
    expect<string>(parse('{"never":{}}')).toBe('{"never":{}}');
    expect<string>(parse('{"at_height":18446744073709551615}')).toBe('{"at_height":18446744073709551615}');
  });

  it("rejects malformed values", () => {
    expectContains(parse('{"at_height":"5"}'), "expected u64");
    expectContains(parse('{"at_height":-1}'), "expected u64");
    expectContains(parse('{"at_height":1.5}'), "expected u64");
    expectContains(parse('{"at_time":5}'), "expected a string");
    expectContains(parse('{"at_time":"x"}'), "invalid Uint64");
    expectContains(parse('{"never":null}'), "Expiration::Never");
    expectContains(parse('{"never":{"x":1}}'), "Expiration::Never");
    expectContains(parse('{"sometime":{}}'), "unknown variant `sometime`");
    expectContains(parse('{"at_height":1,"never":{}}'), "expected enum Expiration");
    expectContains(parse('"never"'), "expected enum Expiration");
  });

  it("Fields helpers: null/absent → never, errors reach done()", () => {
    const f = new Fields(parseJson('{"expires":null}').value, "M");
    expect<bool>(optExpiration(f, "expires").isNever).toBe(true);
    expect<bool>(f.done() === null).toBe(true);
    const g = new Fields(parseJson("{}").value, "M");
    expect<bool>(optExpirationField(g, "expires") === null).toBe(true);
    expect<bool>(g.done() === null).toBe(true);
    const h = new Fields(parseJson('{"expires":{"bad":1}}').value, "M");
    optExpiration(h, "expires");
    expectContains(h.done()!, "unknown variant `bad`");
    const r = new Fields(parseJson("{}").value, "M");
    expirationField(r, "expiry");
    expectContains(r.done()!, "missing field `expiry`");
  });
});

describe("Expiration semantics (cw-utils)", () => {
  it("at_height expires when height >= h", () => {
    const e = Expiration.atHeight(10);
    expect<bool>(e.isExpired(block(9, 0))).toBe(false);
    expect<bool>(e.isExpired(block(10, 0))).toBe(true);
    expect<bool>(e.isExpired(block(11, 0))).toBe(true);
  });
  it("at_time expires when time >= t", () => {
    const e = Expiration.atTime(1000);
    expect<bool>(e.isExpired(block(0, 999))).toBe(false);
    expect<bool>(e.isExpired(block(0, 1000))).toBe(true);
  });
  it("never never expires", () => {
    expect<bool>(Expiration.never().isExpired(block(u64.MAX_VALUE, u64.MAX_VALUE))).toBe(false);
  });
  it("Display", () => {
    expect<string>(Expiration.atHeight(5).toString()).toBe("expiration height: 5");
    expect<string>(Expiration.atTime(1000000002).toString()).toBe("expiration time: 1.000000002");
    expect<string>(Expiration.never().toString()).toBe("expiration: never");
  });
});

describe("Duration", () => {
  it("parses, prints and adds to a block", () => {
    const f = new Fields(parseJson('{"d":{"time":60},"h":{"height":7}}').value, "M");
    const d = durationField(f, "d");
    const h = durationField(f, "h");
    expect<bool>(f.done() === null).toBe(true);
    expect<string>(d.toJson()).toBe('{"time":60}');
    expect<string>(h.toJson()).toBe('{"height":7}');
    expect<string>(d.after(block(3, 1000))!.toJson()).toBe('{"at_time":"60000001000"}');
    expect<string>(h.after(block(3, 1000))!.toJson()).toBe('{"at_height":10}');
    expect<bool>(Duration.height(1).after(block(u64.MAX_VALUE, 0)) === null).toBe(true);
    expect<bool>(Duration.time(u64.MAX_VALUE).after(block(0, 0)) === null).toBe(true);
  });
  it("rejects bad durations", () => {
    const f = new Fields(parseJson('{"d":{"days":1}}').value, "M");
    durationField(f, "d");
    expectContains(f.done()!, "unknown variant `days`");
  });
});
