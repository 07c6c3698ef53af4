import { describe, expect, it } from "vitest";
import { Dec } from "./dec.js";

const d = (s: string) => (s.startsWith("-") ? Dec.ZERO.sub(Dec.parse(s.slice(1))) : Dec.parse(s));
const tiny = (n: bigint) => Dec.fromAtomics(n); // n × 10^-18

describe("Dec: LegacyDec arithmetic and formatting", () => {
  it("formats like LegacyDec.String (18 digits, sign) and as protobuf atomics", () => {
    expect(d("0.13").toString()).toBe("0.130000000000000000");
    expect(d("-1.5").toString()).toBe("-1.500000000000000000");
    expect(tiny(-2028983533n).toString()).toBe("-0.000000002028983533");
    expect(d("0.13").toAtomicsString()).toBe("130000000000000000");
    expect(Dec.ZERO.toAtomicsString()).toBe("0");
    expect(Dec.fromAtomicsString("200000000000000000").toString()).toBe("0.200000000000000000");
    expect(() => Dec.fromAtomicsString("0.2")).toThrow(/invalid decimal atomics/);
  });

  it("Mul rounds half to even at the 18th digit", () => {
    const half = d("0.5");
    expect(tiny(1n).mul(half).atomics).toBe(0n); // 0.5e-18 → 0 (even)
    expect(tiny(3n).mul(half).atomics).toBe(2n); // 1.5e-18 → 2 (even)
    expect(tiny(5n).mul(half).atomics).toBe(2n); // 2.5e-18 → 2 (even)
    expect(tiny(3n).mul(d("0.6")).atomics).toBe(2n); // 1.8e-18 → 2
    expect(tiny(3n).mul(d("0.4")).atomics).toBe(1n); // 1.2e-18 → 1
    expect(tiny(-3n).mul(half).atomics).toBe(-2n); // symmetric for negatives
    expect(d("1.5").mul(d("2")).toString()).toBe("3.000000000000000000");
  });

  it("Quo truncates at 36 digits, then rounds half to even at 18", () => {
    expect(tiny(1n).quo(d("2")).atomics).toBe(0n);
    expect(tiny(3n).quo(d("2")).atomics).toBe(2n);
    expect(d("1").quo(d("3")).toString()).toBe("0.333333333333333333");
    expect(d("2").quo(d("3")).toString()).toBe("0.666666666666666667");
    expect(d("-2").quo(d("3")).toString()).toBe("-0.666666666666666667");
    expect(d("0.5").quo(d("0.67")).toString()).toBe("0.746268656716417910");
    expect(() => d("1").quo(Dec.ZERO)).toThrow(/division by zero/);
  });

  it("MulInt is exact; QuoInt and TruncateInt truncate towards zero", () => {
    expect(d("0.13").mulInt(1_000_000_000_000n).toString()).toBe("130000000000.000000000000000000");
    expect(d("1").quoInt(3n).toString()).toBe("0.333333333333333333");
    expect(tiny(-5n).quoInt(2n).atomics).toBe(-2n);
    expect(d("4119.99").truncateInt()).toBe(4119n);
    expect(d("-1.9").truncateInt()).toBe(-1n);
  });
});
