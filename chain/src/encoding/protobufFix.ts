// Works around a cosmjs-types 0.11.0 bug: BinaryWriter.int64/uint64 corrupt every value whose low
// 32 bits are >= 2^31 (e.g. 2^31 encodes as a zero byte, 2^32 as a malformed varint), because
// varint.int64FromString returns the low half as a signed int that writeVarint64/int64Length treat
// as unsigned. Such bytes would reach CometBFT (gas_wanted, heights) and state. We make the halves
// unsigned; the encoders then produce standard protobuf varints. Imported for its side effect by
// every module that encodes protobuf. Tested in protobufFix.test.ts against hand-computed varints.
import { createRequire } from "node:module";

interface Bits {
  lo: number;
  hi: number;
}

const require = createRequire(import.meta.url);
const varint: { int64FromString: (dec: string) => Bits; __soaUnsignedHalves?: true } = require("cosmjs-types/varint");

if (!varint.__soaUnsignedHalves) {
  const original = varint.int64FromString;
  varint.int64FromString = (dec: string): Bits => {
    const { lo, hi } = original(dec);
    return { lo: lo >>> 0, hi: hi >>> 0 };
  };
  varint.__soaUnsignedHalves = true;
}

export {};
