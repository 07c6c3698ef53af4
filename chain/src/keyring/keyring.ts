// The on-disk keyring: `<dir>/keyring-<backend>/<name>.json`, one file per key (keyFile.ts).
// Used by `soad keys` and by anything that signs with an operator key (e.g. `soad genesis gentx`):
//
//   const kr = Keyring.open({ dir: home, backend: "file", password: () => askSomehow() });
//   const signer = await kr.signer("validator");   // { address, pubkey, sign(signBytes) }
//
// Writes are all-or-nothing: a key is written to a temporary file in the same directory, fsynced and
// then hard-linked to its final name (which fails if the name was taken meanwhile), so a crash or a
// failure never leaves a half-written key and never replaces one.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { BECH32_PREFIX_VALOPER } from "../constants.js";
import { signSecp256k1 } from "../crypto/secp256k1.js";
import { formatAddress, parseAddress } from "../types/address.js";
import { KeyringError, KeyringErrorCode } from "./errors.js";
import { type HdOptions, deriveFromMnemonic, generateMnemonic, normalizeMnemonic } from "./hd.js";
import {
  KEYRING_BACKENDS,
  type KeyPublic,
  type KeyringBackend,
  MIN_PASSWORD_LENGTH,
  type ParsedKeyFile,
  type ScryptParams,
  openKeyFile,
  parseKeyFile,
  passwordMatches,
  publicFromPrivkey,
  sealKeyFile,
  validateScryptParams,
} from "./keyFile.js";

/** Key names: lowercase letters, digits, `_` and `-`, 1..64 characters (they are also file names). */
export const KEY_NAME_RE = /^[a-z0-9_-]{1,64}$/;

export interface PasswordRequest {
  /** True when the keyring holds no key yet: the password being asked for will protect it from now on. */
  newKeyring: boolean;
  /** The keyring directory, for the prompt. */
  keyringDir: string;
}

/** Gives the keyring password; called at most once per Keyring, and only when a secret is touched. */
export type PasswordProvider = (req: PasswordRequest) => string | Promise<string>;

export interface KeyringOptions {
  /** Parent directory of `keyring-<backend>/`: normally the node home. */
  dir: string;
  /** `file` (default, encrypted) or `test` (clear text, localnets and CI only). */
  backend?: KeyringBackend;
  /** Password of a `file` keyring, or a function that asks for it. Unused by `test`. */
  password?: string | PasswordProvider;
  /** scrypt cost for keys written from now on; default DEFAULT_SCRYPT. Tests pass MIN_SCRYPT_N. */
  scrypt?: ScryptParams;
}

/** A key as `list`/`show` present it. */
export interface KeyInfo extends KeyPublic {
  name: string;
  /** Always "local" (the secret is in this keyring); the SDK also has ledger/offline/multi. */
  type: "local";
}

/** What a signer needs: address, pubkey and a signing function over Cosmos sign bytes. */
export interface KeySigner {
  name: string;
  /** soa1… */
  address: string;
  /** soavaloper1… of the same 20 bytes (the operator address when this key creates a validator). */
  valoperAddress: string;
  /** 33-byte compressed secp256k1 public key. */
  pubkey: Uint8Array;
  /** 32-byte private key: keep it in memory only. */
  privkey: Uint8Array;
  /** 64-byte r||s (low-S) signature over sha256(signBytes), as SIGN_MODE_DIRECT and amino JSON expect. */
  sign(signBytes: Uint8Array): Uint8Array;
}

export interface ExportedKey {
  key: KeyInfo;
  /** Absent for keys imported as a raw private key. */
  mnemonic?: string;
  privkey: Uint8Array;
}

export function validateKeyName(name: string): void {
  if (!KEY_NAME_RE.test(name)) {
    throw new KeyringError(KeyringErrorCode.INVALID_NAME, `invalid key name ${JSON.stringify(name)}: use 1 to 64 characters from a-z, 0-9, _ and -`);
  }
}

export function isKeyringBackend(s: string): s is KeyringBackend {
  return (KEYRING_BACKENDS as readonly string[]).includes(s);
}

/** The soavaloper1… address of the same bytes as a soa1… address. */
export function valoperAddress(address: string): string {
  return formatAddress(parseAddress(address), BECH32_PREFIX_VALOPER);
}

/** The SDK's JSON form of a secp256k1 public key (`keys list`/`show`, gentx files). */
export function secp256k1PubkeyJson(pubkey: Uint8Array): { "@type": "/cosmos.crypto.secp256k1.PubKey"; key: string } {
  return { "@type": "/cosmos.crypto.secp256k1.PubKey", key: Buffer.from(pubkey).toString("base64") };
}

const FILE_RE = /^([a-z0-9_-]{1,64})\.json$/;

export class Keyring {
  /** Directory holding the key files: `<dir>/keyring-<backend>`. */
  readonly path: string;
  readonly backend: KeyringBackend;
  private readonly passwordSource: string | PasswordProvider | undefined;
  private readonly scryptParams: ScryptParams | undefined;
  private cachedPassword: string | undefined;

  private constructor(opts: KeyringOptions) {
    const backend = opts.backend ?? "file";
    if (!isKeyringBackend(backend)) throw new Error(`unknown keyring backend ${JSON.stringify(backend)}: expected one of ${KEYRING_BACKENDS.join(", ")}`);
    if (opts.scrypt) validateScryptParams(opts.scrypt);
    this.backend = backend;
    this.path = join(opts.dir, `keyring-${backend}`);
    this.passwordSource = opts.password;
    this.scryptParams = opts.scrypt;
  }

  /** Opens (does not create) the keyring; the directory is created with mode 0700 on the first write. */
  static open(opts: KeyringOptions): Keyring {
    return new Keyring(opts);
  }

  private fileOf(name: string): string {
    return join(this.path, `${name}.json`);
  }

  private names(): string[] {
    if (!existsSync(this.path)) return [];
    return readdirSync(this.path)
      .map((f) => FILE_RE.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort();
  }

  private read(name: string): ParsedKeyFile {
    validateKeyName(name);
    const file = this.fileOf(name);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        throw new KeyringError(KeyringErrorCode.KEY_NOT_FOUND, `key ${JSON.stringify(name)} not found in ${this.path}`);
      }
      throw e;
    }
    const parsed = parseKeyFile(text, file);
    if (parsed.backend !== this.backend) {
      throw new KeyringError(
        KeyringErrorCode.WRONG_BACKEND,
        `key file ${file} belongs to keyring backend "${parsed.backend}", not "${this.backend}" (was it copied between keyring directories?)`,
      );
    }
    return parsed;
  }

  private info(name: string, parsed: ParsedKeyFile): KeyInfo {
    return { name, type: "local", ...parsed.public };
  }

  has(name: string): boolean {
    validateKeyName(name);
    return existsSync(this.fileOf(name));
  }

  get(name: string): KeyInfo {
    return this.info(name, this.read(name));
  }

  /** Every key, sorted by name. A damaged key file makes this throw (naming the file). */
  list(): KeyInfo[] {
    return this.names().map((n) => this.get(n));
  }

  /** The key holding `address` (soa1…), if any. */
  findByAddress(address: string): KeyInfo | undefined {
    return this.list().find((k) => k.address === address);
  }

  private async password(newKeyring: boolean): Promise<string> {
    if (this.cachedPassword !== undefined) return this.cachedPassword;
    const src = this.passwordSource;
    if (src === undefined) {
      throw new KeyringError(KeyringErrorCode.PASSWORD_REQUIRED, `keyring ${this.path} is encrypted: a password is required`);
    }
    const pw = typeof src === "string" ? src : await src({ newKeyring, keyringDir: this.path });
    if (pw === "") throw new KeyringError(KeyringErrorCode.PASSWORD_REQUIRED, "the keyring password must not be empty");
    this.cachedPassword = pw;
    return pw;
  }

  /** Password for writing a new key: long enough for a new keyring, the existing one otherwise. */
  private async passwordForWrite(): Promise<string> {
    const existing = this.names();
    const pw = await this.password(existing.length === 0);
    if (existing.length === 0) {
      if ([...pw].length < MIN_PASSWORD_LENGTH) {
        throw new KeyringError(KeyringErrorCode.PASSWORD_REQUIRED, `a new keyring password must have at least ${MIN_PASSWORD_LENGTH} characters`);
      }
    } else {
      const first = existing[0]!;
      if (!(await passwordMatches(this.read(first), pw))) {
        throw new KeyringError(KeyringErrorCode.WRONG_PASSWORD, `wrong keyring password: it does not unlock the existing key ${JSON.stringify(first)} in ${this.path}`);
      }
    }
    return pw;
  }

  private async add(name: string, privkey: Uint8Array, hdPath: string | null, mnemonic: string | undefined): Promise<KeyInfo> {
    validateKeyName(name);
    if (this.has(name)) throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(name)} already exists in ${this.path} (delete or rename it first)`);
    const pub = publicFromPrivkey(privkey, hdPath);
    const holder = this.findByAddress(pub.address);
    if (holder) {
      throw new KeyringError(KeyringErrorCode.ADDRESS_EXISTS, `address ${pub.address} is already in this keyring as key ${JSON.stringify(holder.name)}`);
    }
    const secret = mnemonic === undefined ? { privkey } : { privkey, mnemonic };
    const text =
      this.backend === "test"
        ? await sealKeyFile(pub, secret, { backend: "test" })
        : await sealKeyFile(pub, secret, { backend: "file", password: await this.passwordForWrite(), ...(this.scryptParams ? { scrypt: this.scryptParams } : {}) });
    this.writeNew(name, text);
    return { name, type: "local", ...pub };
  }

  private writeNew(name: string, text: string): void {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const final = this.fileOf(name);
    const tmp = join(this.path, `.${name}.json.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    const fd = openSync(tmp, "wx", 0o600);
    try {
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.linkNoClobber(tmp, final, name);
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone (rename fallback)
      }
    }
    syncDir(this.path);
  }

  /** link(2) fails with EEXIST if `to` appeared meanwhile; filesystems without hard links fall back to rename. */
  private linkNoClobber(from: string, to: string, name: string): void {
    try {
      linkSync(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(name)} already exists in ${this.path}`);
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw e;
      if (existsSync(to)) throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(name)} already exists in ${this.path}`);
      renameSync(from, to);
    }
  }

  /** Creates a key from a new 24-word mnemonic; the caller shows the mnemonic to the user once. */
  async create(name: string, hd: HdOptions = {}): Promise<{ key: KeyInfo; mnemonic: string }> {
    const mnemonic = generateMnemonic();
    return { key: await this.recover(name, mnemonic, hd), mnemonic };
  }

  /** Adds the key of an existing mnemonic (validated, checksum included) at m/44'/118'/account'/0/index. */
  async recover(name: string, mnemonic: string, hd: HdOptions = {}): Promise<KeyInfo> {
    validateKeyName(name);
    const normalized = normalizeMnemonic(mnemonic);
    const d = await deriveFromMnemonic(normalized, hd);
    return this.add(name, d.privkey, d.hdPath, normalized);
  }

  /** Adds a raw 32-byte secp256k1 private key (no mnemonic, no HD path). */
  async importPrivkey(name: string, privkey: Uint8Array): Promise<KeyInfo> {
    validateKeyName(name);
    if (privkey.length !== 32) throw new KeyringError(KeyringErrorCode.INVALID_PRIVKEY, `a secp256k1 private key is 32 bytes, got ${privkey.length}`);
    try {
      publicFromPrivkey(privkey, null);
    } catch {
      throw new KeyringError(KeyringErrorCode.INVALID_PRIVKEY, "not a valid secp256k1 private key (zero or not below the group order)");
    }
    return this.add(name, Uint8Array.from(privkey), null, undefined);
  }

  /** Decrypts a key (asks for the password of a `file` keyring). */
  async exportKey(name: string): Promise<ExportedKey> {
    const parsed = this.read(name);
    const secret = await openKeyFile(parsed, parsed.backend === "file" ? await this.password(false) : undefined, this.fileOf(name));
    const out: ExportedKey = { key: this.info(name, parsed), privkey: secret.privkey };
    if (secret.mnemonic !== undefined) out.mnemonic = secret.mnemonic;
    return out;
  }

  /** A signer for a key: what `gentx` and other signing tools use. */
  async signer(name: string): Promise<KeySigner> {
    const { key, privkey } = await this.exportKey(name);
    return {
      name,
      address: key.address,
      valoperAddress: valoperAddress(key.address),
      pubkey: key.pubkey,
      privkey,
      sign: (signBytes: Uint8Array) => signSecp256k1(signBytes, privkey),
    };
  }

  /** Removes a key file (no password needed; the CLI asks for confirmation). */
  delete(name: string): void {
    validateKeyName(name);
    try {
      unlinkSync(this.fileOf(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        throw new KeyringError(KeyringErrorCode.KEY_NOT_FOUND, `key ${JSON.stringify(name)} not found in ${this.path}`);
      }
      throw e;
    }
    syncDir(this.path);
  }

  /** Renames a key (the name is only the file name, so no password is needed). */
  rename(from: string, to: string): KeyInfo {
    validateKeyName(to);
    const parsed = this.read(from);
    if (this.has(to)) throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(to)} already exists in ${this.path}`);
    this.linkNoClobber(this.fileOf(from), this.fileOf(to), to);
    if (existsSync(this.fileOf(from))) unlinkSync(this.fileOf(from));
    syncDir(this.path);
    return this.info(to, parsed);
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported everywhere (e.g. some network filesystems); the file itself was fsynced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
