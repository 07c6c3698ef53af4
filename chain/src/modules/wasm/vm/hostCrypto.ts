// The crypto imports of a CosmWasm contract (secp256k1, secp256r1, ed25519, bls12-381) as pure functions
// with CosmWasm's result codes (cosmwasm-crypto 3.0 `CryptoError::code()`, cosmwasm-vm `imports.rs`).
// Every function takes the bytes the runtime read from the contract's Regions and returns a code; none
// throws on bad input. Region size limits, gas charging and writing results back are the runtime's job:
// the `MAX_*` constants and `*_COST` / `*Gas()` helpers below give it CosmWasm's numbers.
//
// Libraries: secp256k1 through native libsecp256k1 (as chain/src/crypto/secp256k1.ts), the others
// through @noble/curves. Semantics chosen to match cosmwasm-crypto:
// - ECDSA (k1 and r1) accepts high-S signatures (cosmwasm normalises s before verifying);
//   r = 0, s = 0, r ≥ n, s ≥ n and pubkeys that are not curve points are GenericErr (10).
// - secp256k1 recovery ids 0 and 1 only; secp256r1 recovery ids 0..3 (`RecoveryId::from_byte`),
//   2 and 3 meaning x = r + n, which fails (10) unless r < p − n.
// - ed25519 uses ZIP-215 rules (ed25519-zebra): non-canonical point encodings accepted, S < ℓ required,
//   cofactored equation (OpenSSL answers first when it says "valid", which implies the ZIP-215 verdict). Batch verification = every item verifies individually (zebra's randomised
//   batch equation accepts exactly the batches whose items all verify under ZIP-215).
// - bls12-381 points are compressed zcash encodings, fully validated (on curve, in subgroup,
//   canonical flags and coordinates), as arkworks' `deserialize_compressed`. Hash-to-curve is RFC 9380
//   `BLS12381G1_XMD:SHA-256_SSWU_RO_` / `BLS12381G2_XMD:SHA-256_SSWU_RO_` with the caller's DST,
//   which may be empty or longer than 255 bytes (hashed with the H2C-OVERSIZE-DST- prefix), as arkworks.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { createRequire } from "node:module";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "../../../crypto/hash.js";

// ---------------------------------------------------------------------------------------------------
// Result codes

/** CosmWasm crypto result codes (`CryptoError::code()`, plus the success / "false" values of the imports). */
export const CryptoCode = {
  /** Verification succeeded / pairing equality holds / aggregation or hash-to-curve succeeded. */
  Ok: 0,
  /** Signature does not verify / pairing equality does not hold. */
  Invalid: 1,
  InvalidHashFormat: 3,
  InvalidSignatureFormat: 4,
  InvalidPubkeyFormat: 5,
  InvalidRecoveryParam: 6,
  /** ed25519 batch: mismatched numbers of messages / signatures / public keys. */
  BatchErr: 7,
  /** bls12-381: a point has the wrong length or does not decode to a valid subgroup point. */
  InvalidPoint: 8,
  UnknownHashFunction: 9,
  GenericErr: 10,
  /** Pairing equality: `ps` is not a multiple of 48 bytes. */
  PairingNotMultipleG1: 11,
  /** Pairing equality: `qs` is not a multiple of 96 bytes. */
  PairingNotMultipleG2: 12,
  /** Pairing equality: different numbers of points in `ps` and `qs`. */
  PairingUnequalPointAmount: 13,
  /** Aggregation of an empty list. */
  AggregationEmpty: 14,
  /** Aggregation input not a multiple of the point size. */
  AggregationNotMultiple: 15,
} as const;

export type CryptoCodeValue = (typeof CryptoCode)[keyof typeof CryptoCode];

/** Result of a recover / aggregate / hash-to-curve call: `bytes` is present iff `code` is 0. */
export interface CryptoBytesResult {
  code: number;
  bytes?: Uint8Array;
}

/**
 * The u64 a `*_recover_pubkey` import returns: high 32 bits the error code, low 32 bits the Region
 * pointer of the 65-byte pubkey (0 on error).
 */
export function packRecoverResult(code: number, regionPtr: number): bigint {
  return code === 0 ? BigInt(regionPtr >>> 0) : BigInt(code >>> 0) << 32n;
}

// ---------------------------------------------------------------------------------------------------
// Limits (cosmwasm-vm imports.rs): the maximum Region lengths the runtime must enforce when reading the
// inputs; a longer Region is a VM error (RegionLengthTooBig), not a result code.

export const MESSAGE_HASH_MAX_LEN = 32;
export const ECDSA_SIGNATURE_LEN = 64;
export const ECDSA_PUBKEY_MAX_LEN = 65;
export const EDDSA_PUBKEY_LEN = 32;
export const MAX_LENGTH_ED25519_SIGNATURE = 64;
export const MAX_LENGTH_ED25519_MESSAGE = 128 * 1024;
export const MAX_COUNT_ED25519_BATCH = 256;
/** Region limits of `ed25519_batch_verify`'s three section-encoded arguments (each section + 4-byte length). */
export const MAX_LENGTH_ED25519_BATCH_MESSAGES = (MAX_LENGTH_ED25519_MESSAGE + 4) * MAX_COUNT_ED25519_BATCH;
export const MAX_LENGTH_ED25519_BATCH_SIGNATURES = (MAX_LENGTH_ED25519_SIGNATURE + 4) * MAX_COUNT_ED25519_BATCH;
export const MAX_LENGTH_ED25519_BATCH_PUBKEYS = (EDDSA_PUBKEY_LEN + 4) * MAX_COUNT_ED25519_BATCH;
export const BLS12_381_G1_POINT_LEN = 48;
export const BLS12_381_G2_POINT_LEN = 96;
/** Region limit of aggregate inputs and of the pairing's `ps` / `qs` (2 MiB). */
export const BLS12_381_MAX_AGGREGATE_SIZE = 2 * 1024 * 1024;
/** Region limit of a hash-to-curve message (5 MiB). */
export const BLS12_381_MAX_MESSAGE_SIZE = 5 * 1024 * 1024;
/** Region limit of a hash-to-curve DST (5 KiB). */
export const BLS12_381_MAX_DST_SIZE = 5 * 1024;
/** `hash_function` value of SHA-256, the only one defined. */
export const BLS12_381_HASH_FUNCTION_SHA256 = 0;

// ---------------------------------------------------------------------------------------------------
// Gas (CosmWasm gas points). CosmWasm prices these at 10^6 points per µs of its Rust implementations
// (environment.rs `GasConfig::default`). secp256k1 is native here too and keeps CosmWasm's price; the
// others run in JavaScript (@noble/curves) and are 8–40× slower than CosmWasm assumes, so they are
// priced by their measured time relative to native secp256k1 verify (2026-11-22, 2-CPU Xeon VM,
// Node 20: k1 verify 123 µs, r1 verify 7.1 ms, r1 recover 5.7 ms, ed25519 verify 289 µs, bls G1 point
// 3.4 ms, G2 point 6.8 ms, hash-to-G1 12.3 ms, hash-to-G2 41.8 ms, one pairing 22 ms). Pricing them
// at CosmWasm's numbers would let a block's gas buy minutes of CPU.

export interface LinearGasCost {
  /** Charged once per call. */
  readonly base: bigint;
  /** Charged per item. */
  readonly perItem: bigint;
}

export const GAS_SECP256K1_VERIFY = 96_000_000n;
export const GAS_SECP256K1_RECOVER_PUBKEY = 194_000_000n;
export const GAS_SECP256R1_VERIFY = 5_500_000_000n;
export const GAS_SECP256R1_RECOVER_PUBKEY = 5_500_000_000n;
export const GAS_ED25519_VERIFY = 225_000_000n;
/** Items are verified one by one (no batch speed-up), so one shared key saves nothing. */
export const GAS_ED25519_BATCH_VERIFY: LinearGasCost = { base: 24_000_000n, perItem: 225_000_000n };
export const GAS_ED25519_BATCH_VERIFY_ONE_PUBKEY: LinearGasCost = { base: 36_000_000n, perItem: 225_000_000n };
export const GAS_BLS12_381_AGGREGATE_G1: LinearGasCost = { base: 68_000_000n, perItem: 2_600_000_000n };
export const GAS_BLS12_381_AGGREGATE_G2: LinearGasCost = { base: 103_500_000n, perItem: 5_300_000_000n };
export const GAS_BLS12_381_HASH_TO_G1 = 9_600_000_000n;
export const GAS_BLS12_381_HASH_TO_G2 = 32_600_000_000n;
/** Per pair, n + 1 pairs for n points (the r, s pair included). */
export const GAS_BLS12_381_PAIRING_EQUALITY: LinearGasCost = { base: 2_112_000_000n, perItem: 17_400_000_000n };

export function linearGas(cost: LinearGasCost, items: number | bigint): bigint {
  return cost.base + cost.perItem * BigInt(items);
}

/** Gas of `ed25519_batch_verify`, from the decoded section counts (one-pubkey rate iff exactly one pubkey). */
export function ed25519BatchVerifyGas(pubkeyCount: number, signatureCount: number): bigint {
  return linearGas(pubkeyCount === 1 ? GAS_ED25519_BATCH_VERIFY_ONE_PUBKEY : GAS_ED25519_BATCH_VERIFY, signatureCount);
}

/** Gas of `bls12_381_aggregate_g1`, from the input length in bytes (points estimated by floor division). */
export function bls12381AggregateG1Gas(inputLength: number): bigint {
  return linearGas(GAS_BLS12_381_AGGREGATE_G1, BigInt(inputLength) / BigInt(BLS12_381_G1_POINT_LEN));
}

/** Gas of `bls12_381_aggregate_g2`, from the input length in bytes. */
export function bls12381AggregateG2Gas(inputLength: number): bigint {
  return linearGas(GAS_BLS12_381_AGGREGATE_G2, BigInt(inputLength) / BigInt(BLS12_381_G2_POINT_LEN));
}

/** Gas of `bls12_381_pairing_equality`, from the length of `ps` in bytes: n + 1 pairings. */
export function bls12381PairingEqualityGas(psLength: number): bigint {
  return linearGas(GAS_BLS12_381_PAIRING_EQUALITY, BigInt(psLength) / BigInt(BLS12_381_G1_POINT_LEN) + 1n);
}

// ---------------------------------------------------------------------------------------------------
// Helpers

interface NativeSecp256k1 {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyVerify(pubkey: Uint8Array): boolean;
}

// The native binding directly: the package's default entry silently falls back to pure JS.
const require = createRequire(import.meta.url);
const nativeK1: NativeSecp256k1 = require("secp256k1/bindings");

const K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const R1_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function readU256(b: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let i = offset; i < offset + 32; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

function writeU256(out: Uint8Array, offset: number, v: bigint): void {
  for (let i = offset + 31; i >= offset; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** SEC1 shape check of cosmwasm-crypto: 33 bytes with prefix 02/03, or 65 bytes with prefix 04. */
function isSec1PubkeyShape(pubkey: Uint8Array): boolean {
  const p = pubkey[0];
  if (p === 0x02 || p === 0x03) return pubkey.length === 33;
  if (p === 0x04) return pubkey.length === 65;
  return false;
}

/** r and s of a 64-byte r‖s signature if both are in [1, n−1], else undefined (k256/p256 `Signature::from_bytes`). */
function parseRS(sig: Uint8Array, n: bigint): { r: bigint; s: bigint } | undefined {
  const r = readU256(sig, 0);
  const s = readU256(sig, 32);
  if (r === 0n || r >= n || s === 0n || s >= n) return undefined;
  return { r, s };
}

/** A copy of `sig` with s replaced by n − s when s > n/2 (low-S form); `sig` itself otherwise. */
function normalizeS(sig: Uint8Array, s: bigint, n: bigint): Uint8Array {
  if (s <= n >> 1n) return sig;
  const out = Uint8Array.from(sig);
  writeU256(out, 32, n - s);
  return out;
}

/** A recovery parameter the VM passes on: a u32 converted to u8 (else InvalidRecoveryParam before any other check). */
function isU8(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 255;
}

// ---------------------------------------------------------------------------------------------------
// secp256k1

/** `secp256k1_verify`: 0 valid, 1 invalid, 3 hash not 32 bytes, 4 sig not 64 bytes, 5 bad pubkey shape, 10 other. */
export function secp256k1Verify(hash: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): number {
  if (hash.length !== 32) return CryptoCode.InvalidHashFormat;
  if (sig.length !== 64) return CryptoCode.InvalidSignatureFormat;
  if (!isSec1PubkeyShape(pubkey)) return CryptoCode.InvalidPubkeyFormat;
  const rs = parseRS(sig, K1_N);
  if (!rs) return CryptoCode.GenericErr;
  try {
    if (!nativeK1.publicKeyVerify(pubkey)) return CryptoCode.GenericErr;
    // libsecp256k1 rejects high-S; cosmwasm accepts it, so verify the low-S twin.
    return nativeK1.ecdsaVerify(normalizeS(sig, rs.s, K1_N), hash, pubkey) ? CryptoCode.Ok : CryptoCode.Invalid;
  } catch {
    return CryptoCode.GenericErr;
  }
}

/**
 * `secp256k1_recover_pubkey`: the 65-byte uncompressed pubkey, or code 3 / 4 / 6 (param not 0 or 1) / 10.
 * High-S signatures are accepted (same key as their low-S twin with the other recovery id).
 */
export function secp256k1RecoverPubkey(hash: Uint8Array, sig: Uint8Array, recoveryParam: number): CryptoBytesResult {
  if (!isU8(recoveryParam)) return { code: CryptoCode.InvalidRecoveryParam };
  if (hash.length !== 32) return { code: CryptoCode.InvalidHashFormat };
  if (sig.length !== 64) return { code: CryptoCode.InvalidSignatureFormat };
  if (recoveryParam !== 0 && recoveryParam !== 1) return { code: CryptoCode.InvalidRecoveryParam };
  if (!parseRS(sig, K1_N)) return { code: CryptoCode.GenericErr };
  try {
    return { code: CryptoCode.Ok, bytes: Uint8Array.from(nativeK1.ecdsaRecover(sig, recoveryParam, hash, false)) };
  } catch {
    return { code: CryptoCode.GenericErr };
  }
}

// ---------------------------------------------------------------------------------------------------
// secp256r1 (P-256)

/** `secp256r1_verify`: codes as {@link secp256k1Verify}. */
export function secp256r1Verify(hash: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): number {
  if (hash.length !== 32) return CryptoCode.InvalidHashFormat;
  if (sig.length !== 64) return CryptoCode.InvalidSignatureFormat;
  if (!isSec1PubkeyShape(pubkey)) return CryptoCode.InvalidPubkeyFormat;
  const rs = parseRS(sig, R1_N);
  if (!rs) return CryptoCode.GenericErr;
  try {
    p256.Point.fromBytes(pubkey); // on-curve check: throws
  } catch {
    return CryptoCode.GenericErr;
  }
  try {
    const ok = p256.verify(normalizeS(sig, rs.s, R1_N), hash, pubkey, { prehash: false, lowS: false, format: "compact" });
    return ok ? CryptoCode.Ok : CryptoCode.Invalid;
  } catch {
    return CryptoCode.GenericErr;
  }
}

/** `secp256r1_recover_pubkey`: recovery ids 0..3 as cosmwasm (`RecoveryId::from_byte`); codes 3 / 4 / 6 / 10. */
export function secp256r1RecoverPubkey(hash: Uint8Array, sig: Uint8Array, recoveryParam: number): CryptoBytesResult {
  if (!isU8(recoveryParam)) return { code: CryptoCode.InvalidRecoveryParam };
  if (hash.length !== 32) return { code: CryptoCode.InvalidHashFormat };
  if (sig.length !== 64) return { code: CryptoCode.InvalidSignatureFormat };
  if (recoveryParam > 3) return { code: CryptoCode.InvalidRecoveryParam };
  const rs = parseRS(sig, R1_N);
  if (!rs) return { code: CryptoCode.GenericErr };
  try {
    const signature = new p256.Signature(rs.r, rs.s, recoveryParam);
    return { code: CryptoCode.Ok, bytes: Uint8Array.from(signature.recoverPublicKey(hash).toBytes(false)) };
  } catch {
    return { code: CryptoCode.GenericErr };
  }
}

// ---------------------------------------------------------------------------------------------------
// ed25519

/** ℓ, the order of the ed25519 base point. */
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

function ed25519VerifyOne(msg: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): boolean {
  // S must be canonical (S < ℓ), as in zebra and RFC 8032.
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  if (s >= ED25519_L) return false;
  // Fast path, OpenSSL (~10x faster than noble): its RFC 8032 check (canonical encodings, R = [S]B − [k]A
  // exactly) implies ZIP-215's cofactored [8]R = [8]([S]B − [k]A) with the same k, so "valid" is final.
  // Anything else (invalid, or encodings OpenSSL refuses) gets the ZIP-215 verdict from noble.
  try {
    const x = Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString("base64url");
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }); // JWK: 15x cheaper than DER
    if (nodeVerify(null, msg, key, sig)) return true;
  } catch {
    // fall through
  }
  try {
    return ed25519.verify(sig, msg, pubkey, { zip215: true });
  } catch {
    return false;
  }
}

/** `ed25519_verify`: 0 valid, 1 invalid (including pubkeys that are not points), 4 sig not 64 bytes, 5 pubkey not 32 bytes. */
export function ed25519Verify(msg: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): number {
  if (sig.length !== 64) return CryptoCode.InvalidSignatureFormat;
  if (pubkey.length !== 32) return CryptoCode.InvalidPubkeyFormat;
  return ed25519VerifyOne(msg, sig, pubkey) ? CryptoCode.Ok : CryptoCode.Invalid;
}

/**
 * `ed25519_batch_verify` on the decoded sections. Shapes: n messages, n signatures, n pubkeys; or one
 * message shared by n (signature, pubkey) pairs; or one pubkey shared by n (message, signature) pairs;
 * anything else is 7. Empty lists verify (0). Formats are checked item by item, signature before
 * pubkey, the first bad one giving 4 or 5. More than 256 items (impossible when the runtime enforces
 * the Region limits) gives 7.
 */
export function ed25519BatchVerify(
  msgs: readonly Uint8Array[],
  sigs: readonly Uint8Array[],
  pubkeys: readonly Uint8Array[],
): number {
  const n = sigs.length;
  let msgAt: (i: number) => Uint8Array;
  let keyAt: (i: number) => Uint8Array;
  if (msgs.length === n && pubkeys.length === n) {
    msgAt = (i) => msgs[i]!;
    keyAt = (i) => pubkeys[i]!;
  } else if (msgs.length === 1 && pubkeys.length === n) {
    msgAt = () => msgs[0]!;
    keyAt = (i) => pubkeys[i]!;
  } else if (pubkeys.length === 1 && msgs.length === n) {
    msgAt = (i) => msgs[i]!;
    keyAt = () => pubkeys[0]!;
  } else {
    return CryptoCode.BatchErr;
  }
  for (let i = 0; i < n; i++) {
    if (sigs[i]!.length !== 64) return CryptoCode.InvalidSignatureFormat;
    if (keyAt(i).length !== 32) return CryptoCode.InvalidPubkeyFormat;
  }
  if (n > MAX_COUNT_ED25519_BATCH) return CryptoCode.BatchErr;
  for (let i = 0; i < n; i++) {
    if (!ed25519VerifyOne(msgAt(i), sigs[i]!, keyAt(i))) return CryptoCode.Invalid;
  }
  return CryptoCode.Ok;
}

// ---------------------------------------------------------------------------------------------------
// bls12-381

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

/** Decodes a compressed G1 point (exactly 48 bytes; noble would also take 96-byte uncompressed ones). */
function g1Decode(b: Uint8Array): G1Point | undefined {
  if (b.length !== BLS12_381_G1_POINT_LEN) return undefined;
  try {
    return G1.fromBytes(b);
  } catch {
    return undefined;
  }
}

function g2Decode(b: Uint8Array): G2Point | undefined {
  if (b.length !== BLS12_381_G2_POINT_LEN) return undefined;
  try {
    return G2.fromBytes(b);
  } catch {
    return undefined;
  }
}

const G1_INFINITY = Uint8Array.of(0xc0, ...new Uint8Array(BLS12_381_G1_POINT_LEN - 1));
const G2_INFINITY = Uint8Array.of(0xc0, ...new Uint8Array(BLS12_381_G2_POINT_LEN - 1));

/** Compressed encoding; the identity as 0xc0 00… (noble's toBytes refuses some representations of it). */
function g1Encode(p: G1Point): Uint8Array {
  return p.is0() ? Uint8Array.from(G1_INFINITY) : p.toBytes(true);
}

function g2Encode(p: G2Point): Uint8Array {
  return p.is0() ? Uint8Array.from(G2_INFINITY) : p.toBytes(true);
}

/** `bls12_381_aggregate_g1`: sum of concatenated 48-byte compressed points → 48 bytes; codes 14 / 15 / 8. */
export function bls12381AggregateG1(points: Uint8Array): CryptoBytesResult {
  if (points.length === 0) return { code: CryptoCode.AggregationEmpty };
  if (points.length % BLS12_381_G1_POINT_LEN !== 0) return { code: CryptoCode.AggregationNotMultiple };
  let sum = G1.ZERO;
  for (let o = 0; o < points.length; o += BLS12_381_G1_POINT_LEN) {
    const p = g1Decode(points.subarray(o, o + BLS12_381_G1_POINT_LEN));
    if (!p) return { code: CryptoCode.InvalidPoint };
    sum = sum.add(p);
  }
  return { code: CryptoCode.Ok, bytes: g1Encode(sum) };
}

/** `bls12_381_aggregate_g2`: sum of concatenated 96-byte compressed points → 96 bytes; codes 14 / 15 / 8. */
export function bls12381AggregateG2(points: Uint8Array): CryptoBytesResult {
  if (points.length === 0) return { code: CryptoCode.AggregationEmpty };
  if (points.length % BLS12_381_G2_POINT_LEN !== 0) return { code: CryptoCode.AggregationNotMultiple };
  let sum = G2.ZERO;
  for (let o = 0; o < points.length; o += BLS12_381_G2_POINT_LEN) {
    const p = g2Decode(points.subarray(o, o + BLS12_381_G2_POINT_LEN));
    if (!p) return { code: CryptoCode.InvalidPoint };
    sum = sum.add(p);
  }
  return { code: CryptoCode.Ok, bytes: g2Encode(sum) };
}

/**
 * `bls12_381_pairing_equality`: 0 if e(p1, q1)·…·e(pn, qn) = e(r, s), 1 if not (n = 0 allowed: then
 * it tests e(r, s) = 1). Codes 11 (ps not a multiple of 48), 12 (qs not a multiple of 96), 13 (counts
 * differ), 8 (any point, r or s invalid or of the wrong length).
 */
export function bls12381PairingEquality(ps: Uint8Array, qs: Uint8Array, r: Uint8Array, s: Uint8Array): number {
  if (ps.length % BLS12_381_G1_POINT_LEN !== 0) return CryptoCode.PairingNotMultipleG1;
  if (qs.length % BLS12_381_G2_POINT_LEN !== 0) return CryptoCode.PairingNotMultipleG2;
  const n = ps.length / BLS12_381_G1_POINT_LEN;
  if (qs.length / BLS12_381_G2_POINT_LEN !== n) return CryptoCode.PairingUnequalPointAmount;
  const pairs: { g1: G1Point; g2: G2Point }[] = [];
  const push = (g1: G1Point, g2: G2Point): void => {
    // e(O, Q) = e(P, O) = 1: neutral factors (noble refuses them, so leave them out).
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  };
  for (let i = 0; i < n; i++) {
    const p = g1Decode(ps.subarray(i * BLS12_381_G1_POINT_LEN, (i + 1) * BLS12_381_G1_POINT_LEN));
    const q = g2Decode(qs.subarray(i * BLS12_381_G2_POINT_LEN, (i + 1) * BLS12_381_G2_POINT_LEN));
    if (!p || !q) return CryptoCode.InvalidPoint;
    push(p, q);
  }
  const rp = g1Decode(r);
  const sp = g2Decode(s);
  if (!rp || !sp) return CryptoCode.InvalidPoint;
  push(rp.negate(), sp);
  try {
    const gt = bls12_381.pairingBatch(pairs);
    return bls12_381.fields.Fp12.eql(gt, bls12_381.fields.Fp12.ONE) ? CryptoCode.Ok : CryptoCode.Invalid;
  } catch {
    return CryptoCode.GenericErr; // unreachable: every point was validated
  }
}

const H2C_OVERSIZE_DST_PREFIX = new TextEncoder().encode("H2C-OVERSIZE-DST-");

/** RFC 9380 §5.3.1 expand_message_xmd with SHA-256; any DST length (empty allowed, > 255 hashed). */
export function expandMessageXmdSha256(msg: Uint8Array, dst: Uint8Array, lenInBytes: number): Uint8Array {
  const ell = (lenInBytes + 31) >> 5;
  if (lenInBytes < 1 || ell > 255 || lenInBytes > 65535) throw new RangeError("expand_message_xmd: bad length");
  const dstShort = dst.length > 255 ? sha256(H2C_OVERSIZE_DST_PREFIX, dst) : dst;
  const dstPrime = new Uint8Array(dstShort.length + 1);
  dstPrime.set(dstShort);
  dstPrime[dstShort.length] = dstShort.length;
  const zPad = new Uint8Array(64);
  const libStr = Uint8Array.of(lenInBytes >> 8, lenInBytes & 0xff);
  const b0 = sha256(zPad, msg, libStr, Uint8Array.of(0), dstPrime);
  const out = new Uint8Array(ell * 32);
  let prev: Uint8Array = sha256(b0, Uint8Array.of(1), dstPrime);
  out.set(prev, 0);
  for (let i = 2; i <= ell; i++) {
    const x = new Uint8Array(32);
    for (let j = 0; j < 32; j++) x[j] = b0[j]! ^ prev[j]!;
    prev = sha256(x, Uint8Array.of(i), dstPrime);
    out.set(prev, (i - 1) * 32);
  }
  return out.subarray(0, lenInBytes);
}

const FP_ORDER = bls12_381.fields.Fp.ORDER;
/** L = ceil((ceil(log2 p) + k) / 8) = ceil((381 + 128) / 8). */
const H2F_L = 64;

// noble's hasher `mapToCurve` maps one hash_to_field element to a point and clears the cofactor; its
// declared type (`(bigint[]) => AffinePoint`) does not match what it does at runtime (G1 takes one
// bigint, G2 an [c0, c1] pair; both return a projective point), hence these casts. The RFC 9380
// known-answer tests in hostCrypto.test.ts pin this behaviour.
const mapToG1 = bls12_381.G1.mapToCurve as unknown as (u: bigint) => G1Point;
const mapToG2 = bls12_381.G2.mapToCurve as unknown as (u: bigint[]) => G2Point;

function os2ipModP(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v % FP_ORDER;
}

/** `bls12_381_hash_to_g1`: 48-byte compressed point; code 9 if `hashFunction` is not 0 (SHA-256). */
export function bls12381HashToG1(hashFunction: number, msg: Uint8Array, dst: Uint8Array): CryptoBytesResult {
  if (hashFunction !== BLS12_381_HASH_FUNCTION_SHA256) return { code: CryptoCode.UnknownHashFunction };
  try {
    const u = expandMessageXmdSha256(msg, dst, 2 * H2F_L);
    const u0 = os2ipModP(u.subarray(0, H2F_L));
    const u1 = os2ipModP(u.subarray(H2F_L, 2 * H2F_L));
    // clear_cofactor is a homomorphism: clear(map(u0)) + clear(map(u1)) = clear(map(u0) + map(u1)).
    const p = mapToG1(u0).add(mapToG1(u1));
    return { code: CryptoCode.Ok, bytes: g1Encode(p) };
  } catch {
    return { code: CryptoCode.GenericErr }; // unreachable for inputs within the Region limits
  }
}

/** `bls12_381_hash_to_g2`: 96-byte compressed point; code 9 if `hashFunction` is not 0 (SHA-256). */
export function bls12381HashToG2(hashFunction: number, msg: Uint8Array, dst: Uint8Array): CryptoBytesResult {
  if (hashFunction !== BLS12_381_HASH_FUNCTION_SHA256) return { code: CryptoCode.UnknownHashFunction };
  try {
    const u = expandMessageXmdSha256(msg, dst, 4 * H2F_L);
    const e = (k: number): bigint => os2ipModP(u.subarray(k * H2F_L, (k + 1) * H2F_L));
    const p = mapToG2([e(0), e(1)]).add(mapToG2([e(2), e(3)]));
    return { code: CryptoCode.Ok, bytes: g2Encode(p) };
  } catch {
    return { code: CryptoCode.GenericErr };
  }
}
