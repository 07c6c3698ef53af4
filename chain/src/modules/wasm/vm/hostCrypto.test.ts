import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import { expand_message_xmd } from "@noble/curves/abstract/hash-to-curve.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 as nobleK1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../../crypto/hash.js";
import { pubkeyFromPrivkey, signSecp256k1, verifySecp256k1 } from "../../../crypto/secp256k1.js";
import {
  bls12381AggregateG1,
  bls12381AggregateG1Gas,
  bls12381AggregateG2,
  bls12381AggregateG2Gas,
  bls12381HashToG1,
  bls12381HashToG2,
  bls12381PairingEquality,
  bls12381PairingEqualityGas,
  CryptoCode,
  ed25519BatchVerify,
  ed25519BatchVerifyGas,
  ed25519Verify,
  expandMessageXmdSha256,
  GAS_BLS12_381_AGGREGATE_G1,
  GAS_BLS12_381_AGGREGATE_G2,
  GAS_BLS12_381_HASH_TO_G1,
  GAS_BLS12_381_HASH_TO_G2,
  GAS_BLS12_381_PAIRING_EQUALITY,
  GAS_ED25519_BATCH_VERIFY,
  GAS_ED25519_BATCH_VERIFY_ONE_PUBKEY,
  GAS_ED25519_VERIFY,
  GAS_SECP256K1_RECOVER_PUBKEY,
  GAS_SECP256K1_VERIFY,
  GAS_SECP256R1_RECOVER_PUBKEY,
  GAS_SECP256R1_VERIFY,
  packRecoverResult,
  secp256k1RecoverPubkey,
  secp256k1Verify,
  secp256r1RecoverPubkey,
  secp256r1Verify,
} from "./hostCrypto.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/^0x/, ""), "hex"));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const u256 = (v: bigint): Uint8Array => hex(v.toString(16).padStart(64, "0"));
const readU256 = (b: Uint8Array, o: number): bigint => BigInt("0x" + toHex(b.subarray(o, o + 32)));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const R1_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The same signature with s replaced by n − s (malleated, high-S if the input was low-S). */
function malleate(sig: Uint8Array, n: bigint): Uint8Array {
  return cat(sig.subarray(0, 32), u256(n - readU256(sig, 32)));
}

describe("gas constants (cosmwasm-vm GasConfig::default)", () => {
  it("keep CosmWasm's prices for native secp256k1 and never undercut them for the JavaScript curves", () => {
    expect(GAS_SECP256K1_VERIFY).toBe(96_000_000n);
    expect(GAS_SECP256K1_RECOVER_PUBKEY).toBe(194_000_000n);
    const cosmwasm: [bigint, bigint][] = [
      [GAS_SECP256R1_VERIFY, 279_000_000n],
      [GAS_SECP256R1_RECOVER_PUBKEY, 592_000_000n],
      [GAS_ED25519_VERIFY, 35_000_000n],
      [GAS_ED25519_BATCH_VERIFY.perItem, 21_000_000n],
      [GAS_ED25519_BATCH_VERIFY_ONE_PUBKEY.perItem, 10_000_000n],
      [GAS_BLS12_381_AGGREGATE_G1.perItem, 12_000_000n],
      [GAS_BLS12_381_AGGREGATE_G2.perItem, 24_500_000n],
      [GAS_BLS12_381_HASH_TO_G1, 563_000_000n],
      [GAS_BLS12_381_HASH_TO_G2, 871_000_000n],
      [GAS_BLS12_381_PAIRING_EQUALITY.perItem, 163_000_000n],
    ];
    for (const [ours, theirs] of cosmwasm) expect(ours).toBeGreaterThanOrEqual(theirs);
  });

  it("linear helpers count items as CosmWasm does", () => {
    const lin = (c: { base: bigint; perItem: bigint }, n: bigint) => c.base + n * c.perItem;
    expect(ed25519BatchVerifyGas(3, 3)).toBe(lin(GAS_ED25519_BATCH_VERIFY, 3n));
    expect(ed25519BatchVerifyGas(1, 5)).toBe(lin(GAS_ED25519_BATCH_VERIFY_ONE_PUBKEY, 5n));
    expect(ed25519BatchVerifyGas(0, 0)).toBe(GAS_ED25519_BATCH_VERIFY.base);
    expect(bls12381AggregateG1Gas(2 * 48 + 7)).toBe(lin(GAS_BLS12_381_AGGREGATE_G1, 2n)); // floor(len / 48)
    expect(bls12381AggregateG2Gas(96)).toBe(lin(GAS_BLS12_381_AGGREGATE_G2, 1n));
    expect(bls12381PairingEqualityGas(0)).toBe(lin(GAS_BLS12_381_PAIRING_EQUALITY, 1n)); // n + 1 pairings
    expect(bls12381PairingEqualityGas(3 * 48)).toBe(lin(GAS_BLS12_381_PAIRING_EQUALITY, 4n));
  });

  it("packs recover results as the u64 of the import", () => {
    expect(packRecoverResult(0, 0x1234)).toBe(0x1234n);
    expect(packRecoverResult(6, 0)).toBe(6n << 32n);
    expect(packRecoverResult(10, 99)).toBe(10n << 32n);
  });
});

describe("secp256k1", () => {
  // cosmwasm-vm imports.rs test vectors
  const cwHash = hex("5ae8317d34d1e595e3fa7247db80c0af4320cce1116de187f8f7e2e099c0d8d0");
  const cwSig = hex(
    "207082eb2c3dfa0b454e0906051270ba4074ac93760ba9e7110cd9471475111151eb0dbbc9920e72146fb564f99d039802bf6ef2561446eb126ef364d21ee9c4",
  );
  const cwPubkey = hex(
    "04051c1ee2190ecfb174bfe4f90763f2b4ff7517b70a2aec1876ebcfd644c4633fb03f3cfbd94b1f376e34592d9d41ccaf640bb751b00a1fadeb0c01157769eb73",
  );

  const priv = sha256(utf8("hostCrypto k1 key"));
  const pubC = pubkeyFromPrivkey(priv); // 33 bytes, native
  const pubU = nobleK1.Point.fromBytes(pubC).toBytes(false);
  const msg = utf8("hello cosmwasm");
  const hash = sha256(msg);
  const sig = signSecp256k1(msg, priv); // native: low-S over sha256(msg)

  it("verifies CosmWasm's vector, with uncompressed and compressed keys", () => {
    expect(secp256k1Verify(cwHash, cwSig, cwPubkey)).toBe(CryptoCode.Ok);
    const compressed = nobleK1.Point.fromBytes(cwPubkey).toBytes(true);
    expect(secp256k1Verify(cwHash, cwSig, compressed)).toBe(CryptoCode.Ok);
    expect(nobleK1.verify(cwSig, cwHash, cwPubkey, { prehash: false })).toBe(true);
  });

  it("verifies native signatures, agreeing with noble", () => {
    expect(secp256k1Verify(hash, sig, pubC)).toBe(CryptoCode.Ok);
    expect(secp256k1Verify(hash, sig, pubU)).toBe(CryptoCode.Ok);
    expect(nobleK1.verify(sig, hash, pubC, { prehash: false })).toBe(true);
    expect(secp256k1Verify(sha256(utf8("other")), sig, pubC)).toBe(CryptoCode.Invalid);
    const otherPub = pubkeyFromPrivkey(sha256(utf8("other key")));
    expect(secp256k1Verify(hash, sig, otherPub)).toBe(CryptoCode.Invalid);
    const flipped = Uint8Array.from(sig);
    flipped[5] ^= 1;
    expect(secp256k1Verify(hash, flipped, pubC)).toBe(CryptoCode.Invalid);
  });

  it("accepts a malleated high-S signature (CosmWasm normalises s), unlike the chain's tx verifier", () => {
    const high = malleate(sig, K1_N);
    expect(readU256(high, 32) > K1_N >> 1n).toBe(true);
    expect(secp256k1Verify(hash, high, pubC)).toBe(CryptoCode.Ok);
    expect(secp256k1Verify(hash, high, pubU)).toBe(CryptoCode.Ok);
    expect(nobleK1.verify(high, hash, pubC, { prehash: false, lowS: false })).toBe(true);
    expect(verifySecp256k1(msg, high, pubC)).toBe(false); // tx signatures stay low-S only
    // and the malleated twin of CosmWasm's vector
    expect(secp256k1Verify(cwHash, malleate(cwSig, K1_N), cwPubkey)).toBe(CryptoCode.Ok);
  });

  it("returns 3 / 4 / 5 for wrong lengths and shapes, checked in that order", () => {
    expect(secp256k1Verify(hash.subarray(0, 31), sig, pubC)).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256k1Verify(cat(hash, hex("00")), sig, pubC)).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256k1Verify(new Uint8Array(0), sig, pubC)).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256k1Verify(hash, sig.subarray(0, 63), pubC)).toBe(CryptoCode.InvalidSignatureFormat);
    expect(secp256k1Verify(hash, cat(sig, hex("00")), pubC)).toBe(CryptoCode.InvalidSignatureFormat);
    for (const bad of [
      new Uint8Array(0),
      pubC.subarray(0, 32),
      cat(pubC, hex("00")),
      pubU.subarray(0, 64),
      cat(hex("04"), pubC.subarray(1)), // 04 prefix, 33 bytes
      cat(hex("02"), pubU.subarray(1)), // 02 prefix, 65 bytes
      cat(hex("05"), pubC.subarray(1)),
      cat(hex("06"), pubU.subarray(1)), // hybrid encoding
      cat(hex("00"), pubC.subarray(1)),
    ]) {
      expect(secp256k1Verify(hash, sig, bad)).toBe(CryptoCode.InvalidPubkeyFormat);
    }
    expect(secp256k1Verify(hash.subarray(1), sig.subarray(1), new Uint8Array(0))).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256k1Verify(hash, sig.subarray(1), new Uint8Array(0))).toBe(CryptoCode.InvalidSignatureFormat);
  });

  it("returns 10 for out-of-range r or s and for pubkeys that are not curve points", () => {
    const r = sig.subarray(0, 32);
    const s = sig.subarray(32);
    expect(secp256k1Verify(hash, cat(new Uint8Array(32), s), pubC)).toBe(CryptoCode.GenericErr);
    expect(secp256k1Verify(hash, cat(r, new Uint8Array(32)), pubC)).toBe(CryptoCode.GenericErr);
    expect(secp256k1Verify(hash, cat(u256(K1_N), s), pubC)).toBe(CryptoCode.GenericErr);
    expect(secp256k1Verify(hash, cat(r, u256(K1_N)), pubC)).toBe(CryptoCode.GenericErr);
    expect(secp256k1Verify(hash, cat(r, u256(K1_N + 1n)), pubC)).toBe(CryptoCode.GenericErr);
    const offCurve = Uint8Array.from(pubU);
    offCurve[64] ^= 1;
    expect(secp256k1Verify(hash, sig, offCurve)).toBe(CryptoCode.GenericErr);
    // x = 5: 5³ + 7 = 132 is not a square mod p, so no point has this x
    expect(secp256k1Verify(hash, sig, cat(hex("02"), u256(5n)))).toBe(CryptoCode.GenericErr);
  });

  it("recovers CosmWasm's vector", () => {
    const h = hex("5ae8317d34d1e595e3fa7247db80c0af4320cce1116de187f8f7e2e099c0d8d0");
    const s = hex(
      "45c0b7f8c09a9e1f1cea0c25785594427b6bf8f9f878a8af0b1abbb48e16d0920d8becd0c220f67c51217eecfd7184ef0732481c843857e6bc7fc095c4f6b788",
    );
    const res = secp256k1RecoverPubkey(h, s, 1);
    expect(res.code).toBe(0);
    expect(toHex(res.bytes!)).toBe(
      "044a071e8a6e10aada2b8cf39fa3b5fb3400b04e99ea8ae64ceea1a977dbeaf5d5f8c8fbd10b71ab14cd561f7df8eb6da50f8a8d81ba564342244d26d1d4211595",
    );
  });

  it("recovers native signatures, high-S with the flipped id too, agreeing with noble", () => {
    const recid = nobleK1.Signature.fromBytes(sig).addRecoveryBit(0).recoverPublicKey(hash).equals(
      nobleK1.Point.fromBytes(pubC),
    )
      ? 0
      : 1;
    const ok = secp256k1RecoverPubkey(hash, sig, recid);
    expect(ok).toEqual({ code: 0, bytes: pubU });
    const other = secp256k1RecoverPubkey(hash, sig, 1 - recid);
    expect(other.code).toBe(0);
    expect(toHex(other.bytes!)).not.toBe(toHex(pubU));
    const high = malleate(sig, K1_N);
    expect(secp256k1RecoverPubkey(hash, high, 1 - recid)).toEqual({ code: 0, bytes: pubU });
    const nobleHigh = nobleK1.Signature.fromBytes(high).addRecoveryBit(1 - recid).recoverPublicKey(hash);
    expect(toHex(nobleHigh.toBytes(false))).toBe(toHex(pubU));
  });

  it("recovery codes: 3, 4, 6 (param 2, 3, 256, -1), 10", () => {
    expect(secp256k1RecoverPubkey(hash.subarray(1), sig, 0)).toEqual({ code: CryptoCode.InvalidHashFormat });
    expect(secp256k1RecoverPubkey(hash, sig.subarray(1), 0)).toEqual({ code: CryptoCode.InvalidSignatureFormat });
    for (const p of [2, 3, 4, 255, 256, -1, 0.5]) {
      expect(secp256k1RecoverPubkey(hash, sig, p)).toEqual({ code: CryptoCode.InvalidRecoveryParam });
    }
    // the VM's u32 → u8 conversion comes first; the 0/1 check comes after the format checks
    expect(secp256k1RecoverPubkey(hash.subarray(1), sig, 256).code).toBe(CryptoCode.InvalidRecoveryParam);
    expect(secp256k1RecoverPubkey(hash.subarray(1), sig, 2).code).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256k1RecoverPubkey(hash, cat(new Uint8Array(32), sig.subarray(32)), 0).code).toBe(CryptoCode.GenericErr);
    expect(secp256k1RecoverPubkey(hash, cat(sig.subarray(0, 32), u256(K1_N)), 0).code).toBe(CryptoCode.GenericErr);
    // r = 5: no point has x = 5
    expect(secp256k1RecoverPubkey(hash, cat(u256(5n), sig.subarray(32)), 0).code).toBe(CryptoCode.GenericErr);
  });
});

describe("secp256r1", () => {
  const cwHash = hex("b804cf88af0c2eff8bbbfb3660ebb3294138e9d3ebd458884e19818061dacff0");
  const cwSig = hex(
    "35fb60f5ca0f3ca08542fb3cc641c8263a2cab7a90ee6a5e1583fac2bb6f6bd1ee59d81bc9db1055cc0ed97b159d8784af04e98511d0a9a407b99bb292572e96",
  );
  const cwPubkey = hex(
    "0474ccd8a62fba0e667c50929a53f78c21b8ff0c3c737b0b40b1750b2302b0bde829074e21f3a0ef88b9efdf10d06aa4c295cc1671f758ca0e4cd108803d0f2614",
  );
  const priv = sha256(utf8("hostCrypto r1 key"));
  const pubC = p256.getPublicKey(priv, true);
  const pubU = p256.getPublicKey(priv, false);
  const hash = sha256(utf8("hello p256"));
  const sigRec = p256.sign(hash, priv, { prehash: false, format: "recovered" }); // recid ‖ r ‖ s, RFC 6979
  const recid = sigRec[0]!;
  const sig = sigRec.subarray(1);

  it("verifies CosmWasm's vector and generated signatures", () => {
    expect(secp256r1Verify(cwHash, cwSig, cwPubkey)).toBe(CryptoCode.Ok);
    expect(secp256r1Verify(cwHash, cwSig, p256.Point.fromBytes(cwPubkey).toBytes(true))).toBe(CryptoCode.Ok);
    expect(secp256r1Verify(hash, sig, pubC)).toBe(CryptoCode.Ok);
    expect(secp256r1Verify(hash, sig, pubU)).toBe(CryptoCode.Ok);
    expect(secp256r1Verify(sha256(utf8("x")), sig, pubC)).toBe(CryptoCode.Invalid);
    expect(secp256r1Verify(hash, sig, p256.getPublicKey(sha256(utf8("k2")), true))).toBe(CryptoCode.Invalid);
  });

  it("accepts high-S", () => {
    const high = malleate(sig, R1_N);
    expect(secp256r1Verify(hash, high, pubC)).toBe(CryptoCode.Ok);
    expect(secp256r1Verify(cwHash, malleate(cwSig, R1_N), cwPubkey)).toBe(CryptoCode.Ok);
  });

  it("returns 3 / 4 / 5 / 10", () => {
    expect(secp256r1Verify(hash.subarray(1), sig, pubC)).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256r1Verify(hash, cat(sig, hex("00")), pubC)).toBe(CryptoCode.InvalidSignatureFormat);
    expect(secp256r1Verify(hash, sig, pubC.subarray(0, 32))).toBe(CryptoCode.InvalidPubkeyFormat);
    expect(secp256r1Verify(hash, sig, cat(hex("04"), pubC.subarray(1)))).toBe(CryptoCode.InvalidPubkeyFormat);
    expect(secp256r1Verify(hash, sig, new Uint8Array(65))).toBe(CryptoCode.InvalidPubkeyFormat);
    expect(secp256r1Verify(hash, cat(u256(R1_N), sig.subarray(32)), pubC)).toBe(CryptoCode.GenericErr);
    expect(secp256r1Verify(hash, cat(sig.subarray(0, 32), new Uint8Array(32)), pubC)).toBe(CryptoCode.GenericErr);
    const offCurve = Uint8Array.from(pubU);
    offCurve[64] ^= 1;
    expect(secp256r1Verify(hash, sig, offCurve)).toBe(CryptoCode.GenericErr);
  });

  it("recovers CosmWasm's vector and generated signatures", () => {
    const res = secp256r1RecoverPubkey(
      hex("12135386c09e0bf6fd5c454a95bcfe9b3edb25c71e455c73a212405694b29002"),
      hex(
        "b53ce4da1aa7c0dc77a1896ab716b921499aed78df725b1504aba1597ba0c64bd7c246dc7ad0e67700c373edcfdd1c0a0495fc954549ad579df6ed1438840851",
      ),
      0,
    );
    expect(res.code).toBe(0);
    expect(toHex(res.bytes!)).toBe(
      "040a7dbb8bf50cb605eb2268b081f26d6b08e012f952c4b70a5a1e6e7d46af98bbf26dd7d799930062480849962ccf5004edcfd307c044f4e8f667c9baa834eeae",
    );
    expect(secp256r1RecoverPubkey(hash, sig, recid)).toEqual({ code: 0, bytes: pubU });
  });

  it("recovery codes: ids 2 and 3 are accepted ids (x = r + n) that fail here with 10; 4 and 256 are 6", () => {
    expect(secp256r1RecoverPubkey(hash, sig, 2).code).toBe(CryptoCode.GenericErr);
    expect(secp256r1RecoverPubkey(hash, sig, 3).code).toBe(CryptoCode.GenericErr);
    expect(secp256r1RecoverPubkey(hash, sig, 4)).toEqual({ code: CryptoCode.InvalidRecoveryParam });
    expect(secp256r1RecoverPubkey(hash, sig, 256)).toEqual({ code: CryptoCode.InvalidRecoveryParam });
    expect(secp256r1RecoverPubkey(hash.subarray(1), sig, 4).code).toBe(CryptoCode.InvalidHashFormat);
    expect(secp256r1RecoverPubkey(hash, sig.subarray(1), 0).code).toBe(CryptoCode.InvalidSignatureFormat);
    expect(secp256r1RecoverPubkey(hash, cat(new Uint8Array(32), sig.subarray(32)), 0).code).toBe(CryptoCode.GenericErr);
  });
});

describe("ed25519", () => {
  // RFC 8032 test 1 (CosmWasm's vector): empty message
  const rfcPub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const rfcSig = hex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  );
  const keys = [0, 1, 2].map((i) => sha256(utf8(`ed key ${i}`)));
  const pubs = keys.map((k) => ed25519.getPublicKey(k));
  const msgs = [0, 1, 2].map((i) => utf8(`message ${i}`));
  const sigs = keys.map((k, i) => ed25519.sign(msgs[i]!, k));
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;

  it("verifies RFC 8032 and generated signatures", () => {
    expect(ed25519Verify(new Uint8Array(0), rfcSig, rfcPub)).toBe(CryptoCode.Ok);
    expect(ed25519Verify(utf8("x"), rfcSig, rfcPub)).toBe(CryptoCode.Invalid);
    expect(ed25519Verify(msgs[0]!, sigs[0]!, pubs[0]!)).toBe(CryptoCode.Ok);
    expect(ed25519Verify(msgs[1]!, sigs[0]!, pubs[0]!)).toBe(CryptoCode.Invalid);
    expect(ed25519Verify(msgs[0]!, sigs[0]!, pubs[1]!)).toBe(CryptoCode.Invalid);
  });

  it("returns 4 / 5 for wrong lengths (signature first), 1 for a pubkey that is not a point", () => {
    expect(ed25519Verify(msgs[0]!, sigs[0]!.subarray(1), pubs[0]!)).toBe(CryptoCode.InvalidSignatureFormat);
    expect(ed25519Verify(msgs[0]!, cat(sigs[0]!, hex("00")), pubs[0]!)).toBe(CryptoCode.InvalidSignatureFormat);
    expect(ed25519Verify(msgs[0]!, sigs[0]!, pubs[0]!.subarray(1))).toBe(CryptoCode.InvalidPubkeyFormat);
    expect(ed25519Verify(msgs[0]!, sigs[0]!, new Uint8Array(0))).toBe(CryptoCode.InvalidPubkeyFormat);
    expect(ed25519Verify(msgs[0]!, sigs[0]!.subarray(1), new Uint8Array(0))).toBe(CryptoCode.InvalidSignatureFormat);
    // y = 2 is not the y of any ed25519 point
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    expect(ed25519.utils.isValidPublicKey?.(notAPoint, true) ?? false).toBe(false);
    expect(ed25519Verify(msgs[0]!, sigs[0]!, notAPoint)).toBe(CryptoCode.Invalid);
  });

  it("rejects a non-canonical S (S + ℓ) and accepts ZIP-215 edge cases (small order, non-canonical y)", () => {
    const s = BigInt("0x" + toHex(Uint8Array.from(sigs[0]!.subarray(32)).reverse()));
    const sPlusL = hex((s + L).toString(16).padStart(64, "0")).reverse();
    expect(ed25519Verify(msgs[0]!, cat(sigs[0]!.subarray(0, 32), sPlusL), pubs[0]!)).toBe(CryptoCode.Invalid);
    // A = R = identity (y = 1), S = 0: [8]S·B = [8]R + [8]k·A holds for every message under ZIP-215
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const zeroS = new Uint8Array(32);
    expect(ed25519Verify(utf8("anything"), cat(identity, zeroS), identity)).toBe(CryptoCode.Ok);
    expect(ed25519.verify(cat(identity, zeroS), utf8("anything"), identity, { zip215: false })).toBe(false);
    // identity encoded non-canonically: y = p + 1 = 2^255 − 18 (little-endian)
    const p1 = hex((2n ** 255n - 18n).toString(16).padStart(64, "0")).reverse();
    expect(ed25519Verify(utf8("m"), cat(p1, zeroS), p1)).toBe(CryptoCode.Ok);
  });

  it("accepts a key with a torsion component when only the cofactored equation holds (ZIP-215, not OpenSSL)", () => {
    const P = ed25519.Point;
    const T = P.fromBytes(hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")); // order 8
    expect(T.multiplyUnsafe(8n).is0() && !T.multiplyUnsafe(4n).is0()).toBe(true);
    const leToBig = (b: Uint8Array): bigint => BigInt("0x" + toHex(Uint8Array.from(b).reverse()));
    const a = 0x1234567n;
    const A = P.BASE.multiply(a).add(T).toBytes();
    const m = utf8("torsion");
    for (let r = 5n; ; r++) {
      const R = P.BASE.multiply(r).toBytes();
      const k = leToBig(createHash("sha512").update(cat(R, A, m)).digest()) % L;
      if (k % 8n === 0n) continue; // then even the cofactorless equation would hold
      const S = hex(((r + k * a) % L).toString(16).padStart(64, "0")).reverse();
      const sig = cat(R, S);
      // OpenSSL checks the cofactorless equation and refuses it; the fast path must fall back
      const spki = createPublicKey({ key: Buffer.from(cat(hex("302a300506032b6570032100"), A)), format: "der", type: "spki" });
      expect(nodeVerify(null, m, spki, sig)).toBe(false);
      expect(ed25519Verify(m, sig, A)).toBe(CryptoCode.Ok);
      expect(ed25519BatchVerify([m], [sig, sigs[0]!], [A, pubs[0]!])).toBe(CryptoCode.Invalid); // msg 0 ≠ "torsion"
      expect(ed25519BatchVerify([m, msgs[0]!], [sig, sigs[0]!], [A, pubs[0]!])).toBe(CryptoCode.Ok);
      break;
    }
  });

  it("batch: n/n/n, one message, one pubkey, empty", () => {
    expect(ed25519BatchVerify(msgs, sigs, pubs)).toBe(CryptoCode.Ok);
    expect(ed25519BatchVerify([], [], [])).toBe(CryptoCode.Ok);
    expect(ed25519BatchVerify([msgs[0]!], [], [])).toBe(CryptoCode.Ok);
    expect(ed25519BatchVerify([], [], [pubs[0]!])).toBe(CryptoCode.Ok);
    const shared = utf8("multisig payload");
    const multi = keys.map((k) => ed25519.sign(shared, k));
    expect(ed25519BatchVerify([shared], multi, pubs)).toBe(CryptoCode.Ok);
    const oneKey = msgs.map((m) => ed25519.sign(m, keys[0]!));
    expect(ed25519BatchVerify(msgs, oneKey, [pubs[0]!])).toBe(CryptoCode.Ok);
    expect(ed25519BatchVerify([rfcSig.subarray(0, 0)], [rfcSig], [rfcPub])).toBe(CryptoCode.Ok);
  });

  it("batch: one bad item among valid ones makes the batch invalid", () => {
    const mixed = [sigs[0]!, sigs[2]!, sigs[2]!];
    expect(ed25519BatchVerify(msgs, mixed, pubs)).toBe(CryptoCode.Invalid);
    expect(ed25519BatchVerify([msgs[0]!, msgs[1]!, utf8("tampered")], sigs, pubs)).toBe(CryptoCode.Invalid);
    expect(ed25519BatchVerify(msgs, sigs, [pubs[0]!])).toBe(CryptoCode.Invalid);
  });

  it("batch codes: 7 for mismatched counts, first bad format gives 4 or 5", () => {
    expect(ed25519BatchVerify(msgs.slice(0, 2), sigs, pubs)).toBe(CryptoCode.BatchErr);
    expect(ed25519BatchVerify(msgs, sigs.slice(0, 2), pubs)).toBe(CryptoCode.BatchErr);
    expect(ed25519BatchVerify(msgs, sigs, pubs.slice(0, 2))).toBe(CryptoCode.BatchErr);
    expect(ed25519BatchVerify([], [sigs[0]!], [])).toBe(CryptoCode.BatchErr);
    expect(ed25519BatchVerify(msgs, [sigs[0]!, sigs[1]!.subarray(1), sigs[2]!], pubs)).toBe(
      CryptoCode.InvalidSignatureFormat,
    );
    // item 0 has a bad pubkey, item 1 a bad signature: item 0 decides
    expect(ed25519BatchVerify(msgs, [sigs[0]!, sigs[1]!.subarray(1), sigs[2]!], [pubs[0]!.subarray(1), pubs[1]!, pubs[2]!])).toBe(
      CryptoCode.InvalidPubkeyFormat,
    );
    expect(ed25519BatchVerify(msgs, sigs, [new Uint8Array(33)])).toBe(CryptoCode.InvalidPubkeyFormat);
  });

  it("batch: more than 256 well-formed items is refused (7) before any verification", () => {
    const n = 257;
    expect(ed25519BatchVerify([msgs[0]!], Array(n).fill(sigs[0]!), Array(n).fill(pubs[0]!))).toBe(CryptoCode.BatchErr);
  });
});

describe("bls12-381", () => {
  const G1 = bls12_381.G1.Point;
  const G2 = bls12_381.G2.Point;
  const g1Inf = hex("c0" + "00".repeat(47));
  const g2Inf = hex("c0" + "00".repeat(95));

  // cosmwasm-crypto testdata/bls-tests/deserialization_G1 and _G2 (48- and 96-byte cases)
  const g1Cases: [string, boolean][] = [
    ["800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", false],
    ["c01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", false],
    ["8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0", false],
    ["e00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", false],
    ["c123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", false],
    ["9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaac", false],
    ["a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c0618f6e5a7f79a", true],
    ["c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", true],
  ];
  const z48 = "00".repeat(48);
  const g2Cases: [string, boolean][] = [
    ["80" + "00".repeat(95), false],
    ["c010" + "00".repeat(94), false],
    ["8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0", false],
    ["e0" + "00".repeat(95), false],
    ["c123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false],
    ["9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab" + z48, false],
    ["9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaac" + z48, false],
    ["80" + "00".repeat(47) + "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", false],
    ["80" + "00".repeat(47) + "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaac", false],
    ["b2cc74bc9f089ed9764bbceac5edba416bef5e73701288977b9cac1ccb6964269d4ebf78b4e8aa7792ba09d3e49c8e6a1351bdf582971f796bbaf6320e81251c9d28f674d720cca07ed14596b96697cf18238e0e03ebd7fc1353d885a39407e0", true],
    ["c0" + "00".repeat(95), true],
  ];

  it("decodes points as the zcash/arkworks compressed format (deserialization vectors)", () => {
    for (const [h, ok] of g1Cases) {
      const res = bls12381AggregateG1(hex(h));
      expect(res.code, h).toBe(ok ? 0 : CryptoCode.InvalidPoint);
      if (ok) expect(toHex(res.bytes!)).toBe(h);
    }
    for (const [h, ok] of g2Cases) {
      const res = bls12381AggregateG2(hex(h));
      expect(res.code, h).toBe(ok ? 0 : CryptoCode.InvalidPoint);
      if (ok) expect(toHex(res.bytes!)).toBe(h);
    }
    // uncompressed encodings are not accepted even at the right total length
    expect(bls12381AggregateG1(G1.BASE.toBytes(false)).code).toBe(CryptoCode.InvalidPoint);
    // wrong-length r / s in a pairing: InvalidPoint
    expect(bls12381PairingEquality(new Uint8Array(0), new Uint8Array(0), g1Inf.subarray(1), g2Inf)).toBe(CryptoCode.InvalidPoint);
    expect(bls12381PairingEquality(new Uint8Array(0), new Uint8Array(0), g1Inf, cat(g2Inf, hex("00")))).toBe(
      CryptoCode.InvalidPoint,
    );
  });

  it("aggregates G2 signatures (cosmwasm-crypto aggregate vectors)", () => {
    const input = [
      "b6ed936746e01f8ecf281f020953fbf1f01debd5657c4a383940b020b26507f6076334f91e2366c96e9ab279fb5158090352ea1c5b0c9274504f4f0e7053af24802e51e4568d164fe986834f41e55c8e850ce1f98458c0cfc9ab380b55285a55",
      "b23c46be3a001c63ca711f87a005c200cc550b9429d5f4eb38d74322144f1b63926da3388979e5321012fb1a0526bcd100b5ef5fe72628ce4cd5e904aeaa3279527843fae5ca9ca675f4f51ed8f83bbf7155da9ecc9663100a885d5dc6df96d9",
      "948a7cb99f76d616c2c564ce9bf4a519f1bea6b0a624a02276443c245854219fabb8d4ce061d255af5330b078d5380681751aa7053da2c98bae898edc218c75f07e24d8802a17cd1f6833b71e58f5eb5b94208b4d0bb3848cecb075ea21be115",
    ];
    const res = bls12381AggregateG2(hex(input.join("")));
    expect(res.code).toBe(0);
    expect(toHex(res.bytes!)).toBe(
      "9683b3e6701f9a4b706709577963110043af78a5b41991b998475a3d3fd62abf35ce03b33908418efc95a058494a8ae504354b9f626231f6b3f3c849dfdeaf5017c4780e2aee1850ceaf4b4d9ce70971a3d2cfcd97b7e5ecf6759f8da5f76d31",
    );
    expect(bls12381AggregateG2(hex(input[0]!))).toEqual({ code: 0, bytes: hex(input[0]!) });
    expect(bls12381AggregateG2(g2Inf)).toEqual({ code: 0, bytes: g2Inf });
  });

  it("aggregate codes: 14 empty, 15 not a multiple, 8 invalid point", () => {
    expect(bls12381AggregateG1(new Uint8Array(0))).toEqual({ code: CryptoCode.AggregationEmpty });
    expect(bls12381AggregateG2(new Uint8Array(0))).toEqual({ code: CryptoCode.AggregationEmpty });
    expect(bls12381AggregateG1(new Uint8Array(47))).toEqual({ code: CryptoCode.AggregationNotMultiple });
    expect(bls12381AggregateG1(cat(g1Inf, hex("00")))).toEqual({ code: CryptoCode.AggregationNotMultiple });
    expect(bls12381AggregateG2(g1Inf)).toEqual({ code: CryptoCode.AggregationNotMultiple });
    expect(bls12381AggregateG1(cat(G1.BASE.toBytes(true), new Uint8Array(48)))).toEqual({ code: CryptoCode.InvalidPoint });
    // P + (−P) = identity
    const p = G1.BASE.multiply(7n);
    expect(bls12381AggregateG1(cat(p.toBytes(true), p.negate().toBytes(true)))).toEqual({ code: 0, bytes: g1Inf });
    const q = G2.BASE.multiply(7n);
    expect(bls12381AggregateG2(cat(q.toBytes(true), q.negate().toBytes(true)))).toEqual({ code: 0, bytes: g2Inf });
    expect(bls12381AggregateG1(cat(g1Inf, p.toBytes(true), g1Inf))).toEqual({ code: 0, bytes: p.toBytes(true) });
  });

  it("aggregates two public keys and checks the aggregated signature with one pairing equality", () => {
    const dst = utf8("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_");
    const msg = utf8("drand round 42");
    const sk = [0x1234567890abcdefn, 0xfedcba0987654321n];
    const pks = sk.map((k) => G1.BASE.multiply(k).toBytes(true));
    const h = bls12381HashToG2(0, msg, dst);
    expect(h.code).toBe(0);
    const H = G2.fromBytes(h.bytes!);
    const sigs = sk.map((k) => H.multiply(k).toBytes(true));

    const aggPk = bls12381AggregateG1(cat(...pks));
    const aggSig = bls12381AggregateG2(cat(...sigs));
    expect(aggPk.code).toBe(0);
    expect(aggSig.code).toBe(0);
    expect(toHex(aggPk.bytes!)).toBe(toHex(G1.BASE.multiply(sk[0]! + sk[1]!).toBytes(true)));

    const g1 = G1.BASE.toBytes(true);
    // e(aggPk, H(m)) == e(G1, aggSig)
    expect(bls12381PairingEquality(aggPk.bytes!, h.bytes!, g1, aggSig.bytes!)).toBe(CryptoCode.Ok);
    // e(pk1, H(m)) · e(pk2, H(m)) == e(G1, aggSig)
    expect(bls12381PairingEquality(cat(...pks), cat(h.bytes!, h.bytes!), g1, aggSig.bytes!)).toBe(CryptoCode.Ok);
    // another message, or one signature only: not equal
    const h2 = bls12381HashToG2(0, utf8("drand round 43"), dst).bytes!;
    expect(bls12381PairingEquality(aggPk.bytes!, h2, g1, aggSig.bytes!)).toBe(CryptoCode.Invalid);
    expect(bls12381PairingEquality(aggPk.bytes!, h.bytes!, g1, sigs[0]!)).toBe(CryptoCode.Invalid);
    // noble's own BLS verification agrees (long signatures: pubkeys in G1, signatures in G2)
    const ls = bls12_381.longSignatures;
    expect(ls.verify(G2.fromBytes(aggSig.bytes!), H, G1.fromBytes(aggPk.bytes!))).toBe(true);
  });

  it("pairing equality with identity points and n = 0", () => {
    const g1 = G1.BASE.toBytes(true);
    const g2 = G2.BASE.toBytes(true);
    expect(bls12381PairingEquality(new Uint8Array(0), new Uint8Array(0), g1Inf, g2)).toBe(CryptoCode.Ok);
    expect(bls12381PairingEquality(new Uint8Array(0), new Uint8Array(0), g1, g2Inf)).toBe(CryptoCode.Ok);
    expect(bls12381PairingEquality(new Uint8Array(0), new Uint8Array(0), g1, g2)).toBe(CryptoCode.Invalid);
    expect(bls12381PairingEquality(g1Inf, g2, g1Inf, g2Inf)).toBe(CryptoCode.Ok);
    expect(bls12381PairingEquality(g1, g2, g1, g2)).toBe(CryptoCode.Ok);
    // e(2·G1, G2) == e(G1, 2·G2)
    expect(bls12381PairingEquality(G1.BASE.double().toBytes(true), g2, g1, G2.BASE.double().toBytes(true))).toBe(
      CryptoCode.Ok,
    );
  });

  it("pairing codes: 11, 12, 13, 8", () => {
    const g1 = G1.BASE.toBytes(true);
    const g2 = G2.BASE.toBytes(true);
    expect(bls12381PairingEquality(g1.subarray(1), g2, g1, g2)).toBe(CryptoCode.PairingNotMultipleG1);
    expect(bls12381PairingEquality(g1, g2.subarray(1), g1, g2)).toBe(CryptoCode.PairingNotMultipleG2);
    expect(bls12381PairingEquality(g1.subarray(1), g2.subarray(1), g1, g2)).toBe(CryptoCode.PairingNotMultipleG1);
    expect(bls12381PairingEquality(cat(g1, g1), g2, g1, g2)).toBe(CryptoCode.PairingUnequalPointAmount);
    expect(bls12381PairingEquality(new Uint8Array(0), g2, g1, g2)).toBe(CryptoCode.PairingUnequalPointAmount);
    expect(bls12381PairingEquality(new Uint8Array(48), g2, g1, g2)).toBe(CryptoCode.InvalidPoint);
    expect(bls12381PairingEquality(g1, new Uint8Array(96), g1, g2)).toBe(CryptoCode.InvalidPoint);
    expect(bls12381PairingEquality(g1, g2, new Uint8Array(48), g2)).toBe(CryptoCode.InvalidPoint);
    expect(bls12381PairingEquality(g1, g2, g1, new Uint8Array(96))).toBe(CryptoCode.InvalidPoint);
  });

  it("hash to G1 / G2: RFC 9380 J.9.1 / J.10.1 'abc' (cosmwasm-crypto's known answers)", () => {
    const g1 = bls12381HashToG1(0, utf8("abc"), utf8("QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"));
    const e1 = hex("03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903");
    e1[0]! |= 0x80;
    expect(g1.code).toBe(0);
    expect(toHex(g1.bytes!)).toBe(toHex(e1));
    const g2 = bls12381HashToG2(0, utf8("abc"), utf8("QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_"));
    const e2 = hex(
      "139cddbccdc5e91b9623efd38c49f81a6f83f175e80b06fc374de9eb4b41dfe4ca3a230ed250fbe3a2acf73a41177fd802c2d18e033b960562aae3cab37a27ce00d80ccd5ba4b7fe0e7a210245129dbec7780ccc7954725f4168aff2787776e6",
    );
    e2[0]! |= 0x80;
    expect(g2.code).toBe(0);
    expect(toHex(g2.bytes!)).toBe(toHex(e2));
  });

  it("hash to G1 / G2 agrees with noble's hashToCurve, long DSTs included", () => {
    const dsts = [utf8("A"), utf8("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_"), new Uint8Array(255).fill(7), new Uint8Array(300).fill(9)];
    const ms = [new Uint8Array(0), utf8("abc"), new Uint8Array(1000).fill(0x61)];
    for (const dst of dsts) {
      for (const m of ms) {
        expect(toHex(bls12381HashToG1(0, m, dst).bytes!)).toBe(toHex(bls12_381.G1.hashToCurve(m, { DST: dst }).toBytes(true)));
        expect(toHex(bls12381HashToG2(0, m, dst).bytes!)).toBe(toHex(bls12_381.G2.hashToCurve(m, { DST: dst }).toBytes(true)));
      }
    }
  });

  it("hash to curve with an empty DST (allowed by arkworks, refused by noble) gives a valid point", () => {
    const a = bls12381HashToG1(0, utf8("m"), new Uint8Array(0));
    const b = bls12381HashToG2(0, utf8("m"), new Uint8Array(0));
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(bls12381AggregateG1(a.bytes!)).toEqual({ code: 0, bytes: a.bytes });
    expect(bls12381AggregateG2(b.bytes!)).toEqual({ code: 0, bytes: b.bytes });
    expect(toHex(bls12381HashToG1(0, utf8("m"), new Uint8Array(0)).bytes!)).toBe(toHex(a.bytes!));
  });

  it("expand_message_xmd matches noble's (non-empty DSTs), RFC 9380 K.1 vector included", () => {
    // RFC 9380 K.1, DST "QUUX-V01-CS02-with-expander-SHA256-128", msg "", len 0x20
    expect(toHex(expandMessageXmdSha256(new Uint8Array(0), utf8("QUUX-V01-CS02-with-expander-SHA256-128"), 0x20))).toBe(
      "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235",
    );
    for (const dst of [utf8("D"), new Uint8Array(256).fill(1)]) {
      for (const len of [1, 32, 33, 128, 256]) {
        expect(toHex(expandMessageXmdSha256(utf8("msg"), dst, len))).toBe(toHex(expand_message_xmd(utf8("msg"), dst, len, bls12_381.G1.defaults.hash)));
      }
    }
  });

  it("hash to curve codes: 9 for an unknown hash function", () => {
    expect(bls12381HashToG1(1, utf8("abc"), utf8("dst"))).toEqual({ code: CryptoCode.UnknownHashFunction });
    expect(bls12381HashToG2(1, utf8("abc"), utf8("dst"))).toEqual({ code: CryptoCode.UnknownHashFunction });
    expect(bls12381HashToG1(0xffffffff, utf8("abc"), utf8("dst")).code).toBe(CryptoCode.UnknownHashFunction);
  });
});

describe("never throws", () => {
  it("on garbage of every length", () => {
    for (let len = 0; len <= 100; len += 3) {
      const b = new Uint8Array(len).fill(0xff);
      expect(() => {
        secp256k1Verify(b, b, b);
        secp256r1Verify(b, b, b);
        secp256k1RecoverPubkey(b, b, 0);
        secp256r1RecoverPubkey(b, b, 0);
        ed25519Verify(b, b, b);
        ed25519BatchVerify([b], [b], [b]);
        bls12381AggregateG1(b);
        bls12381AggregateG2(b);
        bls12381PairingEquality(b, b, b, b);
        bls12381HashToG1(0, b, b);
      }).not.toThrow();
    }
    const ff64 = new Uint8Array(64).fill(0xff);
    const ff32 = new Uint8Array(32).fill(0xff);
    expect(secp256k1Verify(ff32, ff64, cat(hex("02"), ff32))).toBe(CryptoCode.GenericErr);
    expect(secp256k1RecoverPubkey(ff32, ff64, 0).code).toBe(CryptoCode.GenericErr);
    expect(secp256r1RecoverPubkey(ff32, ff64, 0).code).toBe(CryptoCode.GenericErr);
    expect(ed25519Verify(ff32, ff64, ff32)).toBe(CryptoCode.Invalid);
  });
});
