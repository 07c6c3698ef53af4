import { Uint128 } from "../math";
import { MessageInfo, Coin } from "../types";
import { mustPay, mayPay, nonpayable, mustPayExactly, mulDivFloor, bpsOf, checkedMul, add, sub, minU128 } from "../funds";

function info(coins: Coin[]): MessageInfo {
  const i = new MessageInfo();
  i.sender = "soa1sender";
  i.funds = coins;
  return i;
}

function u(s: string): Uint128 {
  return Uint128.parse(s)!;
}

const MAX = "340282366920938463463374607431768211455"; // 2^128 - 1

function mdf(a: string, b: string, c: string): string {
  const r = mulDivFloor(u(a), u(b), u(c));
  return r === null ? "null" : r.toString();
}

describe("mustPay / mayPay / nonpayable (cw-utils texts)", () => {
  it("mustPay", () => {
    expect<string>(mustPay(info([new Coin("usoa", "5")]), "usoa").value!.toString()).toBe("5");
    expect<string | null>(mustPay(info([]), "usoa").error).toBe("No funds sent");
    expect<string | null>(mustPay(info([new Coin("usoa", "0")]), "usoa").error).toBe("No funds sent");
    expect<string | null>(mustPay(info([new Coin("uatom", "5")]), "usoa").error).toBe("Must send reserve token 'usoa'");
    expect<string | null>(mustPay(info([new Coin("usoa", "5"), new Coin("uatom", "1")]), "usoa").error).toBe("Sent more than one denomination");
  });
  it("mayPay", () => {
    expect<string>(mayPay(info([]), "usoa").value!.toString()).toBe("0");
    expect<string>(mayPay(info([new Coin("usoa", "7")]), "usoa").value!.toString()).toBe("7");
    expect<string | null>(mayPay(info([new Coin("uatom", "7")]), "usoa").error).toBe("Received unsupported denom 'uatom'");
  });
  it("nonpayable", () => {
    expect<string | null>(nonpayable(info([]))).toBe(null);
    expect<string | null>(nonpayable(info([new Coin("usoa", "1")]))).toBe("This message does no accept funds");
  });
  it("mustPayExactly", () => {
    expect<string | null>(mustPayExactly(info([new Coin("usoa", "100")]), "usoa", u("100"))).toBe(null);
    expect<string | null>(mustPayExactly(info([new Coin("usoa", "90")]), "usoa", u("100"))).toBe("Wrong funds: expected 100usoa, got 90usoa");
    expect<string | null>(mustPayExactly(info([]), "usoa", u("100"))).toBe("Wrong funds: expected 100usoa, got nothing");
    expect<string | null>(mustPayExactly(info([]), "usoa", u("0"))).toBe(null);
    expect<string | null>(mustPayExactly(info([new Coin("usoa", "1")]), "usoa", u("0"))).toBe("Wrong funds: expected nothing, got 1usoa");
    expect<string | null>(mustPayExactly(info([new Coin("usoa", "100"), new Coin("x", "1")]), "usoa", u("100"))).toBe("Wrong funds: expected 100usoa, got 100usoa,1x");
  });
});

describe("exact Uint128 arithmetic", () => {
  it("mulDivFloor small values", () => {
    expect<string>(mdf("10", "3", "4")).toBe("7");
    expect<string>(mdf("0", "3", "4")).toBe("0");
    expect<string>(mdf("1", "1", "1")).toBe("1");
    expect<string>(mdf("5", "5", "0")).toBe("null");
  });
  it("mulDivFloor with a 256-bit intermediate", () => {
    expect<string>(mdf(MAX, MAX, MAX)).toBe(MAX);
    expect<string>(mdf(MAX, "2500", "10000")).toBe("85070591730234615865843651857942052863"); // floor(MAX/4)
    expect<string>(mdf(MAX, "3", "7")).toBe("145835300108973627198589117470757804909");
    expect<string>(mdf("340282366920938463463374607431768211456".substring(0, 38), "10", "1")).toBe("340282366920938463463374607431768211450");
    expect<string>(mdf(MAX, "2", "1")).toBe("null"); // quotient needs 129 bits
    expect<string>(mdf(MAX, MAX, "1")).toBe("null");
    expect<string>(mdf("18446744073709551616", "18446744073709551616", "18446744073709551617")).toBe("18446744073709551615");
  });
  it("bpsOf rounds down", () => {
    expect<string>(bpsOf(u("1000"), 250).toString()).toBe("25");
    expect<string>(bpsOf(u("999"), 2500).toString()).toBe("249");
    expect<string>(bpsOf(u("1"), 9999).toString()).toBe("0");
    expect<string>(bpsOf(u(MAX), 10000).toString()).toBe(MAX);
    expect<string>(bpsOf(u("12345"), 0).toString()).toBe("0");
  });
  it("checkedMul / add / sub / min", () => {
    expect<string>(checkedMul(u("18446744073709551616"), u("18446744073709551615"))!.toString()).toBe("340282366920938463444927863358058659840");
    expect<bool>(checkedMul(u("18446744073709551616"), u("18446744073709551616")) === null).toBe(true);
    expect<string>(add(u("18446744073709551615"), u("1")).toString()).toBe("18446744073709551616");
    expect<string>(sub(u("18446744073709551616"), u("1")).toString()).toBe("18446744073709551615");
    expect<string>(minU128(u("3"), u("2")).toString()).toBe("2");
  });
});
