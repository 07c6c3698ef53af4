// Typed wrappers over the crypto imports (WASM-VM.md §1.4; cosmwasm-std `Api`): secp256k1 / secp256r1
// ECDSA verify and public-key recovery, ed25519 (single and batch) and bls12-381 (aggregation, pairing
// equality, hash-to-curve). Every call returns the host's result code, CosmWasm's numbering:
//
//   const v = secp256k1Verify(hash, sig, pubkey);
//   if (v.isError) return Result.err<Response>(v.message);   // malformed input (codes ≥ 2)
//   if (!v.valid) return Result.err<Response>("bad signature");
//
//   const r = secp256k1RecoverPubkey(hash, sig, 1);           // r.bytes: 65-byte uncompressed key
//   const h = bls12381HashToG2(HashFunction.Sha256, msg, dst); // h.bytes: 96-byte compressed point
//
// Inputs longer than the host's Region limits (hash > 32, ECDSA signature > 64, pubkey > 65 bytes,
// ed25519 signature > 64 / pubkey > 32 / message > 128 KiB, …) are not result codes: the host fails the
// whole call (VM error), as in CosmWasm. Shorter-than-expected inputs give the codes below.
// Gas is charged by the host per call (chain/src/modules/wasm/vm/hostCrypto.ts lists the prices).
// Address conversion lives in api.ts (addrValidate / addrCanonicalize / addrHumanize).
import {
  secp256k1_verify,
  secp256k1_recover_pubkey,
  secp256r1_verify,
  secp256r1_recover_pubkey,
  ed25519_verify,
  ed25519_batch_verify,
  bls12_381_aggregate_g1,
  bls12_381_aggregate_g2,
  bls12_381_pairing_equality,
  bls12_381_hash_to_g1,
  bls12_381_hash_to_g2,
} from "./imports";
import { borrowRegion, outputRegion, readRegion } from "./memory";

/** Result codes of the crypto imports (cosmwasm-crypto `CryptoError::code()`). */
export namespace CryptoCode {
  /** Verifies / holds / succeeded. */
  export const Ok: u32 = 0;
  /** Does not verify / pairing equality does not hold. */
  export const Invalid: u32 = 1;
  export const InvalidHashFormat: u32 = 3;
  export const InvalidSignatureFormat: u32 = 4;
  export const InvalidPubkeyFormat: u32 = 5;
  export const InvalidRecoveryParam: u32 = 6;
  /** ed25519 batch: the numbers of messages, signatures and public keys do not fit together. */
  export const BatchErr: u32 = 7;
  /** bls12-381: a point has the wrong length or is not a valid (subgroup) point. */
  export const InvalidPoint: u32 = 8;
  export const UnknownHashFunction: u32 = 9;
  export const GenericErr: u32 = 10;
  export const PairingNotMultipleG1: u32 = 11;
  export const PairingNotMultipleG2: u32 = 12;
  export const PairingUnequalPointAmount: u32 = 13;
  export const AggregationEmpty: u32 = 14;
  export const AggregationNotMultiple: u32 = 15;
}

/** A result code in words, after cosmwasm-std 2.x's `VerificationError` / `RecoverPubkeyError` Display. */
export function cryptoErrorMessage(code: u32): string {
  if (code == CryptoCode.Ok) return "Ok";
  if (code == CryptoCode.Invalid) return "Verification failed";
  if (code == CryptoCode.InvalidHashFormat) return "Invalid hash format";
  if (code == CryptoCode.InvalidSignatureFormat) return "Invalid signature format";
  if (code == CryptoCode.InvalidPubkeyFormat) return "Invalid public key format";
  if (code == CryptoCode.InvalidRecoveryParam) return "Invalid recovery parameter. Supported values: 0 and 1.";
  if (code == CryptoCode.BatchErr) return "Batch error";
  if (code == CryptoCode.InvalidPoint) return "Invalid point";
  if (code == CryptoCode.UnknownHashFunction) return "Unknown hash function";
  if (code == CryptoCode.GenericErr) return "Generic error";
  if (code == CryptoCode.PairingNotMultipleG1) return "Pairing equality error: List is not a multiple of 48";
  if (code == CryptoCode.PairingNotMultipleG2) return "Pairing equality error: List is not a multiple of 96";
  if (code == CryptoCode.PairingUnequalPointAmount) return "Pairing equality error: Not the same amount of points passed";
  if (code == CryptoCode.AggregationEmpty) return "Aggregation error: List of points is empty";
  if (code == CryptoCode.AggregationNotMultiple) return "Aggregation error: List is not an expected multiple";
  return "Unknown error: " + code.toString();
}

/** The answer of a verification (or pairing-equality) import. */
export class Verification {
  constructor(public readonly code: u32) {}
  /** The signature verifies (the pairing equality holds). */
  get valid(): bool {
    return this.code == CryptoCode.Ok;
  }
  /** The input was malformed (anything but "valid" or "invalid"). */
  get isError(): bool {
    return this.code > CryptoCode.Invalid;
  }
  get message(): string {
    return cryptoErrorMessage(this.code);
  }
}

/** The answer of an import that produces bytes: `bytes` is non-null iff `code` is 0. */
export class CryptoBytes {
  constructor(
    public readonly code: u32,
    public readonly bytes: Uint8Array | null,
  ) {}
  get ok(): bool {
    return this.code == CryptoCode.Ok;
  }
  get message(): string {
    return cryptoErrorMessage(this.code);
  }
}

/** `hash_function` of the bls12-381 hash-to-curve imports; SHA-256 is the only one defined. */
export namespace HashFunction {
  export const Sha256: u32 = 0;
}

export const BLS12_381_G1_POINT_LEN: i32 = 48;
export const BLS12_381_G2_POINT_LEN: i32 = 96;
/** Uncompressed SEC1 public key, as the recover imports return it. */
export const ECDSA_UNCOMPRESSED_PUBKEY_LEN: i32 = 65;

@inline function arg(b: Uint8Array): u32 {
  return <u32>borrowRegion(b);
}

/** Splits a recover import's u64: code in the high 32 bits, the pubkey Region in the low 32. */
function unpackRecover(packed: u64): CryptoBytes {
  const code = <u32>(packed >> 32);
  if (code != CryptoCode.Ok) return new CryptoBytes(code, null);
  return new CryptoBytes(code, readRegion(<usize>(<u32>(packed & 0xffffffff))));
}

/** The answer of an import that wrote into the caller-prepared Region `out` (only on code 0). */
function fromOutput(code: u32, out: usize): CryptoBytes {
  if (code != CryptoCode.Ok) return new CryptoBytes(code, null);
  return new CryptoBytes(code, readRegion(out));
}

// ---- ECDSA --------------------------------------------------------------------------------------

/**
 * secp256k1 ECDSA over a 32-byte message hash; `signature` = r ‖ s (64 bytes, high S accepted),
 * `pubkey` SEC1 compressed (33) or uncompressed (65). Codes 0 / 1 / 3 / 4 / 5 / 10.
 */
export function secp256k1Verify(messageHash: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): Verification {
  return new Verification(secp256k1_verify(arg(messageHash), arg(signature), arg(pubkey)));
}

/** The 65-byte uncompressed key that made `signature`; recoveryParam 0 or 1. Codes 0 / 3 / 4 / 6 / 10. */
export function secp256k1RecoverPubkey(messageHash: Uint8Array, signature: Uint8Array, recoveryParam: u32): CryptoBytes {
  return unpackRecover(secp256k1_recover_pubkey(arg(messageHash), arg(signature), recoveryParam));
}

/** secp256r1 (NIST P-256) ECDSA; as {@link secp256k1Verify}. */
export function secp256r1Verify(messageHash: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): Verification {
  return new Verification(secp256r1_verify(arg(messageHash), arg(signature), arg(pubkey)));
}

/** secp256r1 recovery; recoveryParam 0..3 (2 and 3: x = r + n). Codes 0 / 3 / 4 / 6 / 10. */
export function secp256r1RecoverPubkey(messageHash: Uint8Array, signature: Uint8Array, recoveryParam: u32): CryptoBytes {
  return unpackRecover(secp256r1_recover_pubkey(arg(messageHash), arg(signature), recoveryParam));
}

// ---- ed25519 ------------------------------------------------------------------------------------

/** ed25519 (ZIP-215 rules) over the raw message; 64-byte signature, 32-byte key. Codes 0 / 1 / 4 / 5. */
export function ed25519Verify(message: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): Verification {
  return new Verification(ed25519_verify(arg(message), arg(signature), arg(pubkey)));
}

/**
 * All n (message, signature, pubkey) triples verify. Shapes: n messages, n signatures, n keys; one
 * message shared by all; or one key shared by all. At most 256 items. Codes 0 / 1 / 4 / 5 / 7.
 */
export function ed25519BatchVerify(messages: Uint8Array[], signatures: Uint8Array[], pubkeys: Uint8Array[]): Verification {
  return new Verification(
    ed25519_batch_verify(arg(encodeSections(messages)), arg(encodeSections(signatures)), arg(encodeSections(pubkeys))),
  );
}

// ---- bls12-381 ----------------------------------------------------------------------------------

/** Sum of concatenated 48-byte compressed G1 points → 48 bytes. Codes 0 / 8 / 14 / 15. */
export function bls12381AggregateG1(points: Uint8Array): CryptoBytes {
  const out = outputRegion(<usize>BLS12_381_G1_POINT_LEN);
  return fromOutput(bls12_381_aggregate_g1(arg(points), <u32>out), out);
}

/** Sum of concatenated 96-byte compressed G2 points → 96 bytes. Codes 0 / 8 / 14 / 15. */
export function bls12381AggregateG2(points: Uint8Array): CryptoBytes {
  const out = outputRegion(<usize>BLS12_381_G2_POINT_LEN);
  return fromOutput(bls12_381_aggregate_g2(arg(points), <u32>out), out);
}

/**
 * e(p1, q1) · … · e(pn, qn) = e(r, s)? `ps` = n concatenated compressed G1 points, `qs` = n G2 points
 * (n = 0 allowed). `valid` = the equality holds. Codes 0 / 1 / 8 / 11 / 12 / 13.
 */
export function bls12381PairingEquality(ps: Uint8Array, qs: Uint8Array, r: Uint8Array, s: Uint8Array): Verification {
  return new Verification(bls12_381_pairing_equality(arg(ps), arg(qs), arg(r), arg(s)));
}

/** RFC 9380 hash-to-curve `BLS12381G1_XMD:SHA-256_SSWU_RO_` with the caller's DST → 48 bytes. Codes 0 / 9. */
export function bls12381HashToG1(hashFunction: u32, message: Uint8Array, dst: Uint8Array): CryptoBytes {
  const out = outputRegion(<usize>BLS12_381_G1_POINT_LEN);
  return fromOutput(bls12_381_hash_to_g1(hashFunction, arg(message), arg(dst), <u32>out), out);
}

/** RFC 9380 hash-to-curve `BLS12381G2_XMD:SHA-256_SSWU_RO_` → 96 bytes. Codes 0 / 9. */
export function bls12381HashToG2(hashFunction: u32, message: Uint8Array, dst: Uint8Array): CryptoBytes {
  const out = outputRegion(<usize>BLS12_381_G2_POINT_LEN);
  return fromOutput(bls12_381_hash_to_g2(hashFunction, arg(message), arg(dst), <u32>out), out);
}

// ---- sections -----------------------------------------------------------------------------------

/** `s1 ‖ BE32(len s1) ‖ s2 ‖ BE32(len s2) …` (CosmWasm sections.rs), the batch imports' list encoding. */
export function encodeSections(sections: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < sections.length; i++) total += sections[i].length + 4;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    out.set(s, at);
    at += s.length;
    const n = <u32>s.length;
    out[at] = <u8>(n >> 24);
    out[at + 1] = <u8>(n >> 16);
    out[at + 2] = <u8>(n >> 8);
    out[at + 3] = <u8>n;
    at += 4;
  }
  return out;
}
