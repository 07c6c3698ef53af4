import { describe, expect, it } from "vitest";
import { addCoins, coinsFromProto, formatCoins, parseCoins } from "./coins.js";
import { Dec, parseDecCoins } from "./dec.js";

describe("coins", () => {
  it("parses, sorts and formats", () => {
    expect(formatCoins(parseCoins("5stake,10usoa"))).toBe("5stake,10usoa");
    expect(addCoins(parseCoins("1usoa"), parseCoins("2usoa,3stake"))).toEqual([{ denom: "stake", amount: 3n }, { denom: "usoa", amount: 3n }]);
  });
  it("rejects invalid coins", () => {
    for (const bad of [[{ denom: "usoa", amount: "0" }], [{ denom: "u", amount: "1" }], [{ denom: "usoa", amount: "1.5" }], [{ denom: "usoa", amount: "-1" }], [{ denom: "usoa", amount: "1" }, { denom: "usoa", amount: "2" }], [{ denom: "zzz", amount: "1" }, { denom: "aaa", amount: "1" }]]) {
      expect(() => coinsFromProto(bad), JSON.stringify(bad)).toThrow(/invalid coins/);
    }
  });
  it("computes fees with 18-decimal fixed point, rounding up", () => {
    expect(Dec.parse("0.0025").mulIntCeil(200_000n)).toBe(500n);
    expect(Dec.parse("0.0025").mulIntCeil(200_001n)).toBe(501n);
    expect(parseDecCoins("0.025usoa")[0]!.amount.toString()).toBe("0.025000000000000000");
    expect(() => Dec.parse("1e5")).toThrow();
  });
});
