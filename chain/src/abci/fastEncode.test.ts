import { describe, expect, it } from "vitest";
import { Response, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BinaryWriter } from "cosmjs-types/binary";
import "../encoding/protobufFix.js";
import { frameFinalizeBlock } from "./fastEncode.js";
import { encodeUvarint } from "./framing.js";

function reference(res: ResponseFinalizeBlock): Buffer {
  const body = Response.encode({ finalizeBlock: res }, BinaryWriter.create()).finish();
  return Buffer.concat([encodeUvarint(body.length), body]);
}

describe("frameFinalizeBlock", () => {
  it("is byte-identical to cosmjs-types for results with every field, unicode, empty and large values", () => {
    const res: ResponseFinalizeBlock = {
      events: [{ type: "block", attributes: [{ key: "k", value: "", index: false }] }],
      txResults: [
        { code: 0, data: Uint8Array.from([1, 2, 3]), log: "", info: "", gasWanted: 200_000n, gasUsed: 61_234n, codespace: "", events: [{ type: "transfer", attributes: [{ key: "recipient", value: "soa1xyz", index: true }, { key: "memo", value: "ünïcødé 🚀 &<>", index: true }] }] },
        { code: 5, data: new Uint8Array(), log: "spendable balance 1usoa is smaller than 2usoa: insufficient funds", info: "i", gasWanted: 3_000_000_000n, gasUsed: 0n, codespace: "sdk", events: [] },
        { code: 2, data: new Uint8Array(), log: "x".repeat(300), info: "", gasWanted: 0n, gasUsed: 0n, codespace: "sdk", events: [{ type: "", attributes: [] }] },
      ],
      validatorUpdates: [],
      consensusParamUpdates: undefined,
      appHash: Buffer.alloc(32, 0xab),
    };
    expect(Buffer.from(frameFinalizeBlock(res)!).toString("hex")).toBe(reference(res).toString("hex"));
    const empty: ResponseFinalizeBlock = { events: [], txResults: [], validatorUpdates: [], consensusParamUpdates: undefined, appHash: new Uint8Array() };
    expect(Buffer.from(frameFinalizeBlock(empty)!).toString("hex")).toBe(reference(empty).toString("hex"));
  });

  it("leaves responses with validator or consensus-param updates to cosmjs-types", () => {
    expect(frameFinalizeBlock({ events: [], txResults: [], validatorUpdates: [{ pubKey: { ed25519: new Uint8Array(32) }, power: 1n }], consensusParamUpdates: undefined, appHash: new Uint8Array() })).toBeUndefined();
  });
});
