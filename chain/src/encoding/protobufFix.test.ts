import { describe, expect, it } from "vitest";
import "./protobufFix.js";
import { Fee } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";

/** Reference protobuf varint of a uint64 (two's complement for negatives). */
function varint(v: bigint): string {
  let x = BigInt.asUintN(64, v);
  const out: number[] = [];
  while (x > 127n) {
    out.push(Number(x & 127n) | 128);
    x >>= 7n;
  }
  out.push(Number(x));
  return Buffer.from(out).toString("hex");
}

describe("cosmjs-types 64-bit varints", () => {
  it("encode and decode every range correctly, including [2^31, 2^32) and negatives", () => {
    for (const v of [0n, 1n, 127n, 128n, 2n ** 31n - 1n, 2n ** 31n, 3n * 2n ** 30n, 2n ** 32n - 1n, 2n ** 32n, 5_000_000_000n, 2n ** 53n - 1n, 2n ** 63n - 1n]) {
      const bytes = Fee.encode({ amount: [], gasLimit: v, payer: "", granter: "" }).finish();
      expect(Buffer.from(bytes).toString("hex"), `gas ${v}`).toBe(v === 0n ? "" : "10" + varint(v));
      expect(Fee.decode(bytes).gasLimit).toBe(v);
    }
    const neg = ConsensusParams.encode({ block: { maxBytes: 1n, maxGas: -1n } }).finish();
    expect(ConsensusParams.decode(neg).block!.maxGas).toBe(-1n);
    expect(Buffer.from(neg).toString("hex")).toBe("0a0d0801" + "10" + varint(-1n));
  });
});
