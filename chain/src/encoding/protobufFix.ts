// Works around two cosmjs-types 0.11.0 problems.
// 1. Correctness: BinaryWriter.int64/uint64 corrupt every value whose low
// 32 bits are >= 2^31 (e.g. 2^31 encodes as a zero byte, 2^32 as a malformed varint), because
// varint.int64FromString returns the low half as a signed int that writeVarint64/int64Length treat
// as unsigned. Such bytes would reach CometBFT (gas_wanted, heights) and state. We make the halves
// unsigned; the encoders then produce standard protobuf varints.
// 2. Speed: BinaryWriter.alloc builds a new 8 KiB pool on every call, so each finish() of a small
// message allocates and zeroes 8 KiB; exact-size arrays are several times cheaper.
// Imported for its side effect by every module that encodes protobuf; tested in protobufFix.test.ts.
import { createRequire } from "node:module";

interface Bits {
  lo: number;
  hi: number;
}

const require = createRequire(import.meta.url);
const varint: { int64FromString: (dec: string) => Bits; __soaUnsignedHalves?: true } = require("cosmjs-types/varint");

const binary: { BinaryWriter: { alloc: (size: number) => Uint8Array } } = require("cosmjs-types/binary");

if (!varint.__soaUnsignedHalves) {
  binary.BinaryWriter.alloc = (size: number) => new Uint8Array(size);
  const original = varint.int64FromString;
  varint.int64FromString = (dec: string): Bits => {
    const { lo, hi } = original(dec);
    return { lo: lo >>> 0, hi: hi >>> 0 };
  };
  varint.__soaUnsignedHalves = true;
}

export {};
