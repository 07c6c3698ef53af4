// The schedule against values computed by hand with the SDK's LegacyDec rules (x/mint/types/minter.go:
// Quo/Mul round half to even, QuoInt/TruncateInt truncate), for our blocks_per_year (31557600) and
// the SDK's default (6311520), and the SDK's own BlockProvision vectors (minter_test.go).
import { describe, expect, it } from "vitest";
import { Dec } from "../../types/dec.js";
import { blockProvision, nextAnnualProvisions, nextInflationRate, splitProvision } from "./minter.js";
import { defaultMintParams, type MintParams } from "./params.js";

const d = Dec.parse;
const params = (blocksPerYear: bigint): MintParams => ({ ...defaultMintParams(), blocksPerYear });

describe("nextInflationRate (inflation + (1 − bonded/goal) × rate_change / blocks_per_year, clamped)", () => {
  // [blocks per year, bonded ratio, current inflation, expected next inflation]
  const cases: [bigint, string, string, string][] = [
    // 0 % bonded: +0.13 / year = +0.13 / 31557600 per block (4.1194514158…e-9 rounds up)
    [31_557_600n, "0", "0.13", "0.130000004119451416"],
    // 50 % bonded: (1 − 0.5/0.67) = 0.253731343283582090 → × 0.13 → / 31557600
    [31_557_600n, "0.5", "0.10", "0.100000001045233941"],
    // at the goal: no change
    [31_557_600n, "0.67", "0.15", "0.150000000000000000"],
    // half the goal: exactly half the full increase
    [31_557_600n, "0.335", "0.13", "0.130000002059725708"],
    // 100 % bonded: (1 − 1/0.67) × 0.13 / 31557600 = −2.028983533e-9
    [31_557_600n, "1", "0.20", "0.199999997971016467"],
    // clamped at inflation_min (7 %) and inflation_max (20 %)
    [31_557_600n, "1", "0.07", "0.070000000000000000"],
    [31_557_600n, "1", "0.070000001", "0.070000000000000000"],
    [31_557_600n, "0", "0.20", "0.200000000000000000"],
    [31_557_600n, "0", "0.1999999999", "0.200000000000000000"],
    // the SDK's default blocks_per_year
    [6_311_520n, "0", "0.13", "0.130000020597257079"],
    [6_311_520n, "0.5", "0.10", "0.100000005226169707"],
    [6_311_520n, "1", "0.20", "0.199999989855082334"],
    [6_311_520n, "0.335", "0.13", "0.130000010298628540"],
  ];
  for (const [bpy, bonded, current, want] of cases) {
    it(`bpy ${bpy}, bonded ${bonded}, inflation ${current} → ${want}`, () => {
      const next = nextInflationRate({ inflation: d(current), annualProvisions: Dec.ZERO }, params(bpy), d(bonded));
      expect(next.toString()).toBe(want);
    });
  }
});

describe("annual and block provisions", () => {
  it("annual provisions = inflation × supply, exact", () => {
    const m = { inflation: d("0.130000004119451416"), annualProvisions: Dec.ZERO };
    expect(nextAnnualProvisions(m, 1_000_000_000_000n).toString()).toBe("130000004119.451416000000000000");
    expect(nextAnnualProvisions(m, 0n).toString()).toBe("0.000000000000000000");
  });

  it("block provision = annual / blocks_per_year, truncated (SDK minter_test.go vectors, 6311520 blocks)", () => {
    const p = params(6_311_520n);
    const at = (annual: bigint) => blockProvision({ inflation: Dec.ZERO, annualProvisions: Dec.fromInt(annual) }, p);
    expect(at(6_311_520n)).toBe(1n);
    expect(at(6_311_521n)).toBe(1n);
    expect(at(12_623_040n)).toBe(2n);
    expect(at(3_155_760n)).toBe(0n);
  });

  it("our localnet: 1e12 usoa at 13 % → 4119 usoa per block (130000000000 / 31557600 = 4119.45…)", () => {
    const p = params(31_557_600n);
    const m = { inflation: d("0.13"), annualProvisions: nextAnnualProvisions({ inflation: d("0.13"), annualProvisions: Dec.ZERO }, 1_000_000_000_000n) };
    expect(blockProvision(m, p)).toBe(4119n);
    // a fractional annual provision is truncated as well: 8641975.23 / 6311520 = 1.369…
    const small = { inflation: d("0.07"), annualProvisions: nextAnnualProvisions({ inflation: d("0.07"), annualProvisions: Dec.ZERO }, 123_456_789n) };
    expect(small.annualProvisions.toString()).toBe("8641975.230000000000000000");
    expect(blockProvision(small, params(6_311_520n))).toBe(1n);
  });
});

describe("splitProvision (PoS share rounded down, the work pool gets the rest)", () => {
  it.each([
    [4119n, "0.35", 1441n, 2678n], // 1441.65
    [31688n, "0.35", 11090n, 20598n], // 11090.8
    [20n, "0.35", 7n, 13n], // exactly 7
    [1n, "0.35", 0n, 1n],
    [0n, "0.35", 0n, 0n],
    [4119n, "0", 0n, 4119n],
    [4119n, "1", 4119n, 0n],
  ])("%i × %s → fee collector %i, work pool %i", (amount, share, pos, work) => {
    expect(splitProvision(amount, d(share))).toEqual({ pos, work });
  });
});
