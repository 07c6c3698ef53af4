// One key = one JSON file, `<keyring dir>/<name>.json` (versioned format, see README.md here).
// The public part (address, pubkey, HD path) is clear text so that `list`/`show` need no password;
// the secret (mnemonic and private key) is either AES-256-GCM encrypted under a scrypt-derived key
// (backend `file`) or stored in clear (backend `test`). The public part is the GCM associated data,
// so it cannot be swapped under a ciphertext unnoticed.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { BECH32_PREFIX } from "../constants.js";
import { sha256 } from "../crypto/hash.js";
import { pubkeyFromPrivkey, secp256k1Address } from "../crypto/secp256k1.js";
import { formatAddress } from "../types/address.js";
import { KeyringError, KeyringErrorCode } from "./errors.js";

const scrypt = promisify(scryptCb) as (password: Uint8Array, salt: Uint8Array, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const KEY_FILE_FORMAT = "soad-keyring-key";
export const KEY_FILE_VERSION = 1;

export type KeyringBackend = "file" | "test";
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ["file", "test"];

/** scrypt cost: N (CPU/memory, a power of two), r (block size), p (parallelism). Memory ≈ 128·N·r·p bytes. */
export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/**
 * Production default: N = 2^17, r = 8, p = 1 → 128 MiB and ~0.7 s per unlock on one 2020s core.
 * Stronger than geth's "light" (2^12) and between the Cosmos SDK file backend's bcrypt cost 12 and
 * geth's "standard" (2^18). Every key file records its own parameters, so raising this later keeps
 * old files readable.
 */
export const DEFAULT_SCRYPT: ScryptParams = { n: 2 ** 17, r: 8, p: 1 };
/** Lowest parameters accepted when writing or reading (tests use these to stay fast). */
export const MIN_SCRYPT_N = 2 ** 10;
/** Upper bounds on what a key file may ask for, so a crafted file cannot make us allocate gigabytes. */
const MAX_SCRYPT_N = 2 ** 20;
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

const SALT_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** New keyrings need at least this many characters of password (the SDK's file backend asks for 8 too). */
export const MIN_PASSWORD_LENGTH = 8;

export function validateScryptParams(s: ScryptParams, where = "scrypt parameters"): void {
  const pow2 = Number.isInteger(s.n) && s.n >= 2 && (s.n & (s.n - 1)) === 0;
  if (!pow2 || s.n < MIN_SCRYPT_N || s.n > MAX_SCRYPT_N) throw new Error(`${where}: N must be a power of two in [2^10, 2^20], got ${s.n}`);
  if (!Number.isInteger(s.r) || s.r < 1 || s.r > 32) throw new Error(`${where}: r must be an integer in [1, 32], got ${s.r}`);
  if (!Number.isInteger(s.p) || s.p < 1 || s.p > 16) throw new Error(`${where}: p must be an integer in [1, 16], got ${s.p}`);
  if (128 * s.n * s.r * s.p > MAX_SCRYPT_MEMORY) throw new Error(`${where}: needs more than 1 GiB of memory (128·N·r·p)`);
}

/** What anybody may read: the public half of a key. */
export interface KeyPublic {
  algo: "secp256k1";
  /** Account address, soa1… */
  address: string;
  /** 33-byte compressed secp256k1 public key. */
  pubkey: Uint8Array;
  /** Derivation path, or null for a key imported as a raw private key. */
  hdPath: string | null;
}

export interface KeySecret {
  /** BIP-39 mnemonic, absent for a key imported as a raw private key. */
  mnemonic?: string;
  /** 32-byte secp256k1 private key. */
  privkey: Uint8Array;
}

interface PlainCrypto {
  cipher: "none";
  plaintext: { mnemonic?: string; privkey: string };
}

interface AesGcmCrypto {
  cipher: "aes-256-gcm";
  kdf: "scrypt";
  kdfparams: { n: number; r: number; p: number; salt: string };
  nonce: string;
  ciphertext: string;
  tag: string;
  /** base64 sha256 of the second half of the 64-byte scrypt output: tells a wrong password from a damaged file. */
  check: string;
}

/** Version 1 of the key file (JSON). Field names are snake_case like the rest of the node's files. */
export interface KeyFileV1 {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  algo: "secp256k1";
  address: string;
  /** base64 of the 33-byte compressed public key */
  pubkey: string;
  hd_path: string | null;
  crypto: PlainCrypto | AesGcmCrypto;
}

/** A key file that parsed and whose public part is consistent; the secret is still sealed. */
export interface ParsedKeyFile {
  public: KeyPublic;
  backend: KeyringBackend;
  file: KeyFileV1;
}

export function publicFromPrivkey(privkey: Uint8Array, hdPath: string | null): KeyPublic {
  const pubkey = pubkeyFromPrivkey(privkey);
  return { algo: "secp256k1", address: formatAddress(secp256k1Address(pubkey), BECH32_PREFIX), pubkey, hdPath };
}

function associatedData(f: Pick<KeyFileV1, "algo" | "address" | "pubkey" | "hd_path">): Buffer {
  return Buffer.from(`${KEY_FILE_FORMAT}/${KEY_FILE_VERSION}\n${f.algo}\n${f.address}\n${f.pubkey}\n${f.hd_path ?? ""}`, "utf8");
}

function encodeSecret(secret: KeySecret): string {
  const o: { mnemonic?: string; privkey: string } = { privkey: Buffer.from(secret.privkey).toString("hex") };
  if (secret.mnemonic !== undefined) o.mnemonic = secret.mnemonic;
  return JSON.stringify(o);
}

async function deriveKeys(password: string, salt: Uint8Array, s: ScryptParams): Promise<{ key: Buffer; check: Buffer }> {
  const dk = await scrypt(Buffer.from(password.normalize("NFC"), "utf8"), salt, 64, {
    N: s.n,
    r: s.r,
    p: s.p,
    maxmem: 128 * s.n * s.r * s.p + 16 * 1024 * 1024,
  });
  return { key: dk.subarray(0, 32), check: sha256(dk.subarray(32, 64)) };
}

export type SealOptions = { backend: "test" } | { backend: "file"; password: string; scrypt?: ScryptParams };

/** Serialises a key; with backend `file` the secret is encrypted with a fresh salt and nonce. */
export async function sealKeyFile(pub: KeyPublic, secret: KeySecret, opts: SealOptions): Promise<string> {
  const head = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    algo: pub.algo,
    address: pub.address,
    pubkey: Buffer.from(pub.pubkey).toString("base64"),
    hd_path: pub.hdPath,
  } as const;
  let crypto: PlainCrypto | AesGcmCrypto;
  if (opts.backend === "test") {
    crypto = { cipher: "none", plaintext: JSON.parse(encodeSecret(secret)) as PlainCrypto["plaintext"] };
  } else {
    const s = opts.scrypt ?? DEFAULT_SCRYPT;
    validateScryptParams(s);
    const salt = randomBytes(SALT_BYTES);
    const nonce = randomBytes(NONCE_BYTES);
    const { key, check } = await deriveKeys(opts.password, salt, s);
    const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(head));
    const ciphertext = Buffer.concat([cipher.update(encodeSecret(secret), "utf8"), cipher.final()]);
    key.fill(0);
    crypto = {
      cipher: "aes-256-gcm",
      kdf: "scrypt",
      kdfparams: { n: s.n, r: s.r, p: s.p, salt: salt.toString("base64") },
      nonce: nonce.toString("base64"),
      ciphertext: ciphertext.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      check: check.toString("base64"),
    };
  }
  const file: KeyFileV1 = { ...head, crypto };
  return JSON.stringify(file, null, 2) + "\n";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function b64(v: unknown, field: string, where: string, len?: number): Buffer {
  if (typeof v !== "string" || v.length % 4 !== 0 || !B64_RE.test(v)) throw corrupted(where, `${field} is not base64`);
  const b = Buffer.from(v, "base64");
  if (len !== undefined && b.length !== len) throw corrupted(where, `${field} must be ${len} bytes, got ${b.length}`);
  return b;
}

function corrupted(where: string, why: string): KeyringError {
  return new KeyringError(KeyringErrorCode.CORRUPTED, `key file ${where} is corrupted: ${why}`);
}

const HD_PATH_RE = /^m(\/[0-9]+'?)+$/;

/** Parses and checks a key file (structure, version, address = pubkey's address). `where` names it in errors. */
export function parseKeyFile(text: string, where: string): ParsedKeyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupted(where, "not valid JSON");
  }
  if (!isRecord(raw) || raw["format"] !== KEY_FILE_FORMAT) throw corrupted(where, `not a ${KEY_FILE_FORMAT} file`);
  if (raw["version"] !== KEY_FILE_VERSION) {
    throw new KeyringError(
      KeyringErrorCode.UNSUPPORTED_VERSION,
      `key file ${where} has format version ${JSON.stringify(raw["version"])}; this soad reads version ${KEY_FILE_VERSION} (upgrade soad)`,
    );
  }
  if (raw["algo"] !== "secp256k1") throw corrupted(where, `unsupported algo ${JSON.stringify(raw["algo"])}`);
  const pubkey = b64(raw["pubkey"], "pubkey", where, 33);
  if (pubkey[0] !== 2 && pubkey[0] !== 3) throw corrupted(where, "pubkey is not a compressed secp256k1 key");
  const hdPath = raw["hd_path"];
  if (hdPath !== null && (typeof hdPath !== "string" || !HD_PATH_RE.test(hdPath))) throw corrupted(where, "bad hd_path");
  const address = formatAddress(secp256k1Address(pubkey), BECH32_PREFIX);
  if (raw["address"] !== address) throw corrupted(where, "address does not belong to pubkey");
  const c = raw["crypto"];
  if (!isRecord(c)) throw corrupted(where, "missing crypto section");
  let backend: KeyringBackend;
  if (c["cipher"] === "none") {
    const pt = c["plaintext"];
    if (!isRecord(pt) || typeof pt["privkey"] !== "string" || (pt["mnemonic"] !== undefined && typeof pt["mnemonic"] !== "string")) {
      throw corrupted(where, "bad plaintext secret");
    }
    backend = "test";
  } else if (c["cipher"] === "aes-256-gcm") {
    if (c["kdf"] !== "scrypt" || !isRecord(c["kdfparams"])) throw corrupted(where, "unsupported kdf");
    const kp = c["kdfparams"];
    try {
      validateScryptParams({ n: kp["n"] as number, r: kp["r"] as number, p: kp["p"] as number }, "kdfparams");
    } catch (e) {
      throw corrupted(where, (e as Error).message);
    }
    b64(kp["salt"], "kdfparams.salt", where, SALT_BYTES);
    b64(c["nonce"], "nonce", where, NONCE_BYTES);
    b64(c["tag"], "tag", where, TAG_BYTES);
    b64(c["check"], "check", where, 32);
    if (b64(c["ciphertext"], "ciphertext", where).length === 0) throw corrupted(where, "empty ciphertext");
    backend = "file";
  } else {
    throw corrupted(where, `unsupported cipher ${JSON.stringify(c["cipher"])}`);
  }
  return {
    public: { algo: "secp256k1", address, pubkey, hdPath: hdPath as string | null },
    backend,
    file: raw as unknown as KeyFileV1,
  };
}

function checkSecret(parsed: ParsedKeyFile, plain: unknown, where: string): KeySecret {
  if (!isRecord(plain) || typeof plain["privkey"] !== "string" || !/^[0-9a-f]{64}$/.test(plain["privkey"])) {
    throw corrupted(where, "bad secret");
  }
  const privkey = Uint8Array.from(Buffer.from(plain["privkey"], "hex"));
  let pub: Uint8Array;
  try {
    pub = pubkeyFromPrivkey(privkey);
  } catch {
    throw corrupted(where, "private key is not a valid secp256k1 key");
  }
  if (!Buffer.from(pub).equals(Buffer.from(parsed.public.pubkey))) throw corrupted(where, "private key does not match pubkey");
  const mnemonic = plain["mnemonic"];
  if (mnemonic !== undefined && typeof mnemonic !== "string") throw corrupted(where, "bad mnemonic");
  return mnemonic === undefined ? { privkey } : { privkey, mnemonic };
}

/** Whether `password` unlocks this (encrypted) key: one scrypt, no decryption. */
export async function passwordMatches(parsed: ParsedKeyFile, password: string): Promise<boolean> {
  const c = parsed.file.crypto;
  if (c.cipher !== "aes-256-gcm") return true;
  const { key, check } = await deriveKeys(password, Buffer.from(c.kdfparams.salt, "base64"), c.kdfparams);
  key.fill(0);
  return timingSafeEqual(check, Buffer.from(c.check, "base64"));
}

/**
 * Opens the secret. `password` is required for backend `file`. A wrong password is WRONG_PASSWORD;
 * a right password over damaged ciphertext is CORRUPTED (GCM authentication failed).
 */
export async function openKeyFile(parsed: ParsedKeyFile, password: string | undefined, where: string): Promise<KeySecret> {
  const c = parsed.file.crypto;
  if (c.cipher === "none") return checkSecret(parsed, c.plaintext, where);
  if (password === undefined) throw new KeyringError(KeyringErrorCode.PASSWORD_REQUIRED, `key file ${where} is encrypted and no password was given`);
  const { key, check } = await deriveKeys(password, Buffer.from(c.kdfparams.salt, "base64"), c.kdfparams);
  try {
    if (!timingSafeEqual(check, Buffer.from(c.check, "base64"))) {
      throw new KeyringError(KeyringErrorCode.WRONG_PASSWORD, `wrong keyring password: it does not unlock ${where}`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(c.nonce, "base64"), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(parsed.file));
    decipher.setAuthTag(Buffer.from(c.tag, "base64"));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(Buffer.from(c.ciphertext, "base64")), decipher.final()]);
    } catch {
      throw corrupted(where, "authentication failed (the file was modified)");
    }
    let obj: unknown;
    try {
      obj = JSON.parse(plain.toString("utf8"));
    } catch {
      throw corrupted(where, "decrypted secret is not JSON");
    } finally {
      plain.fill(0);
    }
    return checkSecret(parsed, obj, where);
  } finally {
    key.fill(0);
  }
}
