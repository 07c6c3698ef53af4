import { describe, expect, it } from "vitest";
import { AminoTypes } from "@cosmjs/stargate";
import { slashingAminoConverters } from "./amino.js";

describe("MsgUnjail amino JSON", () => {
  it("is the SDK's {type: cosmos-sdk/MsgUnjail, value: {address}} and round-trips", () => {
    const t = new AminoTypes(slashingAminoConverters());
    const amino = t.toAmino({ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: "soavaloper1xyz" } });
    expect(amino).toEqual({ type: "cosmos-sdk/MsgUnjail", value: { address: "soavaloper1xyz" } });
    expect(t.fromAmino(amino)).toEqual({ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: "soavaloper1xyz" } });
  });
});
