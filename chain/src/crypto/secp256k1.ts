// secp256k1 through native libsecp256k1 (ARCHITECTURE.md D6). We load the native binding directly:
// the package silently falls back to a pure-JS implementation ~30x slower, which we refuse.
import { createRequire } from "node:module";
import { ripemd160, sha256 } from "./hash.js";

interface NativeSecp256k1 {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  ecdsaSign(msg32: Uint8Array, privkey: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(privkey: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyVerify(pubkey: Uint8Array): boolean;
}

const require = createRequire(import.meta.url);
const native: NativeSecp256k1 = require("secp256k1/bindings");

/** n/2 of the secp256k1 group order: signatures with s above it are rejected (malleability). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export function isLowS(sig: Uint8Array): boolean {
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(sig[i]!);
  return s <= HALF_ORDER;
}

/** Verifies a 64-byte r||s low-S signature over sha256(signBytes) with a 33-byte compressed key. */
export function verifySecp256k1(signBytes: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): boolean {
  if (sig.length !== 64 || pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return false;
  if (!isLowS(sig)) return false;
  try {
    return native.ecdsaVerify(sig, sha256(signBytes), pubkey);
  } catch {
    return false; // malformed point or signature
  }
}

/** Signs sha256(signBytes); libsecp256k1 always produces low-S. For tests, tools and benchmarks. */
export function signSecp256k1(signBytes: Uint8Array, privkey: Uint8Array): Uint8Array {
  return native.ecdsaSign(sha256(signBytes), privkey).signature;
}

export function pubkeyFromPrivkey(privkey: Uint8Array): Uint8Array {
  return native.publicKeyCreate(privkey, true);
}

const addressCache = new Map<string, Uint8Array>();

/** Cosmos account address bytes: ripemd160(sha256(compressed pubkey)); memoised (bounded), do not mutate. */
export function secp256k1Address(pubkey: Uint8Array): Uint8Array {
  const k = Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString("latin1");
  let addr = addressCache.get(k);
  if (!addr) {
    if (addressCache.size >= 50_000) addressCache.clear();
    addr = ripemd160(sha256(pubkey));
    addressCache.set(k, addr);
  }
  return addr;
}
