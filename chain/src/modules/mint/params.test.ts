import { describe, expect, it } from "vitest";
import { Dec } from "../../types/dec.js";
import { defaultMintGenesis, defaultMintParams, paramsFromProto, paramsToProto, parseMintGenesis } from "./params.js";

describe("mint genesis: parse, defaults and validation", () => {
  it("defaults: the SDK's schedule with 31557600 blocks per year and pos_share 0.35, in the SDK's JSON style", () => {
    expect(defaultMintGenesis()).toEqual({
      minter: { inflation: "0.130000000000000000", annual_provisions: "0.000000000000000000" },
      params: {
        mint_denom: "usoa",
        inflation_rate_change: "0.130000000000000000",
        inflation_max: "0.200000000000000000",
        inflation_min: "0.070000000000000000",
        goal_bonded: "0.670000000000000000",
        blocks_per_year: "31557600",
        pos_share: "0.350000000000000000",
      },
    });
    expect(parseMintGenesis(undefined)).toEqual(parseMintGenesis(defaultMintGenesis()));
    expect(parseMintGenesis({}).params).toEqual(defaultMintParams());
  });

  it("round-trips params through protobuf (atomics strings)", () => {
    const p = defaultMintParams();
    const proto = paramsToProto(p);
    expect(proto.posShare).toBe("350000000000000000");
    expect(proto.inflationMax).toBe("200000000000000000");
    expect(paramsFromProto(proto)).toEqual(p);
  });

  const withParams = (patch: Record<string, unknown>) => {
    const g = defaultMintGenesis();
    return { ...g, params: { ...g.params, ...patch } };
  };

  it.each([
    [{ pos_share: "1.5" }, /mint\.params\.pos_share must be at most 1, got 1\.5/],
    [{ pos_share: "-0.1" }, /mint\.params\.pos_share must be a non-negative decimal/],
    [{ pos_share: undefined }, /mint\.params\.pos_share is required/],
    [{ inflation_min: "0.3" }, /inflation_max \(0\.20+\) must not be less than inflation_min \(0\.30+\)/],
    [{ goal_bonded: "0" }, /goal_bonded must be positive/],
    [{ blocks_per_year: "0" }, /blocks_per_year must be a positive 64-bit integer/],
    [{ blocks_per_year: 100 }, /blocks_per_year must be an integer string/],
    [{ blocks_per_year: "9223372036854775808" }, /blocks_per_year must be a positive 64-bit integer/],
    [{ inflation_max: "0.1234567890123456789" }, /at most 18 decimals/],
    [{ inflation_rate_change: "2" }, /inflation_rate_change must be at most 1/],
    [{ mint_denom: "x" }, /mint_denom "x" is not a valid denom/],
  ])("rejects %j", (patch, msg) => {
    expect(() => parseMintGenesis(withParams(patch))).toThrow(msg);
  });

  it("accepts boundary values and validates the minter", () => {
    const p = parseMintGenesis(withParams({ pos_share: "1", inflation_min: "0.2", inflation_max: "0.2" })).params;
    expect(p.posShare.toString()).toBe("1.000000000000000000");
    expect(parseMintGenesis(withParams({ pos_share: "0" })).params.posShare).toEqual(Dec.ZERO);
    expect(() => parseMintGenesis({ minter: { inflation: "0.1" } })).toThrow(/mint\.minter\.annual_provisions is required/);
    expect(() => parseMintGenesis({ minter: [] })).toThrow(/mint\.minter must be an object/);
    expect(() => parseMintGenesis("x")).toThrow(/mint must be an object/);
  });
});
