import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { afterAll, describe, expect, it } from "vitest";
import { DEV_ADDRESS, DEV_MNEMONIC } from "../constants.js";
import { verifySecp256k1 } from "../crypto/secp256k1.js";
import { KeyringError, KeyringErrorCode } from "./errors.js";
import { deriveFromMnemonic } from "./hd.js";
import { DEFAULT_SCRYPT, MIN_SCRYPT_N, type ScryptParams } from "./keyFile.js";
import { Keyring, type KeyringOptions, secp256k1PubkeyJson, valoperAddress } from "./keyring.js";

const root = mkdtempSync(join(tmpdir(), "soa-keyring-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Cheap scrypt so the suite stays fast; production uses DEFAULT_SCRYPT. */
const FAST: ScryptParams = { n: MIN_SCRYPT_N, r: 8, p: 1 };
const PASSWORD = "correct horse battery";
let dirs = 0;
function open(opts: Partial<KeyringOptions> = {}): Keyring {
  return Keyring.open({ dir: join(root, `k${dirs++}`), backend: "file", password: PASSWORD, scrypt: FAST, ...opts });
}
function reopen(kr: Keyring, opts: Partial<KeyringOptions> = {}): Keyring {
  return Keyring.open({ dir: join(kr.path, ".."), backend: kr.backend, scrypt: FAST, ...opts });
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: KeyringErrorCode): Promise<KeyringError> {
  let caught: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(KeyringError);
  expect((caught as KeyringError).code).toBe(code);
  return caught as KeyringError;
}

async function cosmjsAddress(mnemonic: string, path: string): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "soa", hdPaths: [stringToPath(path)] });
  return (await wallet.getAccounts())[0]!.address;
}

function noTempFiles(kr: Keyring): void {
  if (!existsSync(kr.path)) return;
  expect(readdirSync(kr.path).filter((f) => f.startsWith(".") || f.endsWith(".tmp"))).toEqual([]);
}

describe("keyring", () => {
  it("production scrypt defaults are strong", () => {
    expect(DEFAULT_SCRYPT).toEqual({ n: 2 ** 17, r: 8, p: 1 });
  });

  for (const backend of ["file", "test"] as const) {
    it(`${backend}: create, list, export and sign round trip; a new Keyring reads the same keys`, async () => {
      const kr = open({ backend });
      expect(kr.list()).toEqual([]);
      const { key, mnemonic } = await kr.create("alice");
      expect(mnemonic.split(" ")).toHaveLength(24);
      expect(key.address).toBe(await cosmjsAddress(mnemonic, "m/44'/118'/0'/0/0"));
      expect(key.hdPath).toBe("m/44'/118'/0'/0/0");
      const dev = await kr.recover("dev", `  ${DEV_MNEMONIC.toUpperCase()}\n`);
      expect(dev.address).toBe(DEV_ADDRESS);

      const again = reopen(kr, { password: PASSWORD });
      expect(again.list().map((k) => [k.name, k.address])).toEqual([
        ["alice", key.address],
        ["dev", DEV_ADDRESS],
      ]);
      expect(again.findByAddress(DEV_ADDRESS)?.name).toBe("dev");
      const ex = await again.exportKey("alice");
      expect(ex.mnemonic).toBe(mnemonic);
      const signer = await again.signer("dev");
      expect(signer.address).toBe(DEV_ADDRESS);
      expect(signer.valoperAddress).toBe(valoperAddress(DEV_ADDRESS));
      expect(signer.valoperAddress).toMatch(/^soavaloper1/);
      const msg = new TextEncoder().encode("sign bytes");
      expect(verifySecp256k1(msg, signer.sign(msg), signer.pubkey)).toBe(true);
      expect(secp256k1PubkeyJson(signer.pubkey)).toEqual({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: "Awx/3BcHoLZK5UwouNwP9fuuKfivED8xVWM/A3Z3iolt" });
      noTempFiles(kr);
    });
  }

  it("derives the same address as CosmJS DirectSecp256k1HdWallet for other accounts and indexes", async () => {
    const kr = open({ backend: "test" });
    const cases: Array<[number, number]> = [
      [0, 1],
      [0, 4],
      [1, 0],
      [7, 42],
      [2 ** 31 - 1, 2 ** 31 - 1],
    ];
    for (const [account, index] of cases) {
      const k = await kr.recover(`a${account}-${index}`, DEV_MNEMONIC, { account, index });
      const path = `m/44'/118'/${account}'/0/${index}`;
      expect(k.hdPath, path).toBe(path);
      expect(k.address, path).toBe(await cosmjsAddress(DEV_MNEMONIC, path));
    }
    // the client's own helper agrees for account 0
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "soa", hdPaths: [makeCosmoshubPath(4)] });
    expect(kr.get("a0-4").address).toBe((await wallet.getAccounts())[0]!.address);
    await expectCode(kr.recover("bad", DEV_MNEMONIC, { index: 2 ** 31 }), KeyringErrorCode.INVALID_HD_PATH);
    await expectCode(kr.recover("bad", DEV_MNEMONIC, { account: -1 }), KeyringErrorCode.INVALID_HD_PATH);
  });

  it("file backend hides the mnemonic and the private key; test backend does not", async () => {
    const enc = open();
    const plain = open({ backend: "test" });
    await enc.recover("dev", DEV_MNEMONIC);
    await plain.recover("dev", DEV_MNEMONIC);
    const privHex = Buffer.from((await enc.exportKey("dev")).privkey).toString("hex");
    const encText = readFileSync(join(enc.path, "dev.json"), "utf8");
    for (const word of new Set(DEV_MNEMONIC.split(" "))) expect(encText, word).not.toContain(word);
    expect(encText).not.toContain(privHex);
    expect(encText).not.toContain(PASSWORD);
    expect(encText).toContain(DEV_ADDRESS); // the public part stays readable
    const file = JSON.parse(encText) as { format: string; version: number; crypto: Record<string, unknown> };
    expect(file.format).toBe("soad-keyring-key");
    expect(file.version).toBe(1);
    expect(file.crypto["cipher"]).toBe("aes-256-gcm");
    expect(file.crypto["kdfparams"]).toMatchObject({ n: MIN_SCRYPT_N, r: 8, p: 1 });
    const plainText = readFileSync(join(plain.path, "dev.json"), "utf8");
    expect(plainText).toContain(DEV_MNEMONIC);
    expect(plainText).toContain(privHex);
    // two encryptions of the same key differ (random salt and nonce)
    const enc2 = open();
    await enc2.recover("dev", DEV_MNEMONIC);
    const other = JSON.parse(readFileSync(join(enc2.path, "dev.json"), "utf8")) as typeof file;
    expect((other.crypto["kdfparams"] as { salt: string }).salt).not.toBe((file.crypto["kdfparams"] as { salt: string }).salt);
    expect(other.crypto["nonce"]).not.toBe(file.crypto["nonce"]);
    expect(other.crypto["ciphertext"]).not.toBe(file.crypto["ciphertext"]);
  });

  it("wrong password is a clear error, for reading and for adding to an existing keyring", async () => {
    const kr = open();
    await kr.recover("dev", DEV_MNEMONIC);
    const wrong = reopen(kr, { password: "not the password" });
    const e = await expectCode(wrong.exportKey("dev"), KeyringErrorCode.WRONG_PASSWORD);
    expect(e.message).toMatch(/wrong keyring password/);
    await expectCode(wrong.signer("dev"), KeyringErrorCode.WRONG_PASSWORD);
    await expectCode(wrong.create("second"), KeyringErrorCode.WRONG_PASSWORD);
    expect(kr.list().map((k) => k.name)).toEqual(["dev"]);
    // list and show need no password
    expect(reopen(kr).get("dev").address).toBe(DEV_ADDRESS);
    await expectCode(reopen(kr).exportKey("dev"), KeyringErrorCode.PASSWORD_REQUIRED);
    noTempFiles(kr);
  });

  it("asks the password provider at most once, and only when a secret is touched", async () => {
    const calls: boolean[] = [];
    const kr = open({
      password: (req) => {
        calls.push(req.newKeyring);
        return PASSWORD;
      },
    });
    await kr.create("a");
    await kr.create("b");
    kr.list();
    await kr.exportKey("a");
    expect(calls).toEqual([true]);
    const reader = reopen(kr, { password: () => (calls.push(false), PASSWORD) });
    reader.list();
    reader.get("b");
    expect(calls).toEqual([true]);
    await reader.signer("b");
    expect(calls).toEqual([true, false]);
  });

  it("a new keyring refuses a short or empty password", async () => {
    await expectCode(open({ password: "short" }).create("a"), KeyringErrorCode.PASSWORD_REQUIRED);
    await expectCode(open({ password: "" }).create("a"), KeyringErrorCode.PASSWORD_REQUIRED);
    const none = open({ password: undefined });
    await expectCode(none.create("a"), KeyringErrorCode.PASSWORD_REQUIRED);
    expect(existsSync(join(none.path, "a.json"))).toBe(false);
  });

  it("detects corrupted and tampered key files", async () => {
    const kr = open();
    await kr.recover("dev", DEV_MNEMONIC);
    const file = join(kr.path, "dev.json");
    const good = readFileSync(file, "utf8");
    const edit = (f: (j: Record<string, any>) => void): void => {
      const j = JSON.parse(good) as Record<string, any>;
      f(j);
      writeFileSync(file, JSON.stringify(j));
    };

    // ciphertext flipped: right password, authentication fails
    edit((j) => {
      const ct = Buffer.from(j["crypto"]["ciphertext"] as string, "base64");
      ct[3]! ^= 1;
      j["crypto"]["ciphertext"] = ct.toString("base64");
    });
    expect((await expectCode(kr.exportKey("dev"), KeyringErrorCode.CORRUPTED)).message).toMatch(/dev\.json is corrupted: authentication failed/);
    // public part is bound to the ciphertext (associated data)
    edit((j) => (j["hd_path"] = "m/44'/118'/0'/0/1"));
    await expectCode(kr.exportKey("dev"), KeyringErrorCode.CORRUPTED);
    // address not matching pubkey: rejected even by list
    edit((j) => (j["address"] = "soa1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a"));
    await expectCode(() => kr.list(), KeyringErrorCode.CORRUPTED);
    // truncated file, not JSON
    writeFileSync(file, good.slice(0, good.length / 2));
    expect((await expectCode(() => kr.get("dev"), KeyringErrorCode.CORRUPTED)).message).toMatch(/not valid JSON/);
    // crafted KDF cost (would allocate gigabytes)
    edit((j) => (j["crypto"]["kdfparams"]["n"] = 2 ** 30));
    await expectCode(() => kr.get("dev"), KeyringErrorCode.CORRUPTED);
    edit((j) => delete j["crypto"]["tag"]);
    await expectCode(() => kr.get("dev"), KeyringErrorCode.CORRUPTED);
    // a newer format
    edit((j) => (j["version"] = 2));
    expect((await expectCode(() => kr.get("dev"), KeyringErrorCode.UNSUPPORTED_VERSION)).message).toMatch(/upgrade soad/);
    // an unencrypted key dropped into the encrypted keyring
    const plain = open({ backend: "test" });
    await plain.recover("dev", DEV_MNEMONIC);
    writeFileSync(file, readFileSync(join(plain.path, "dev.json")));
    await expectCode(() => kr.get("dev"), KeyringErrorCode.WRONG_BACKEND);
    // restored: works again
    writeFileSync(file, good);
    expect((await kr.exportKey("dev")).mnemonic).toBe(DEV_MNEMONIC);
  });

  it("names and addresses are unique; nothing is written on failure", async () => {
    const kr = open({ backend: "test" });
    await kr.recover("dev", DEV_MNEMONIC);
    const before = readFileSync(join(kr.path, "dev.json"), "utf8");
    expect((await expectCode(kr.create("dev"), KeyringErrorCode.KEY_EXISTS)).message).toMatch(/already exists/);
    expect(readFileSync(join(kr.path, "dev.json"), "utf8")).toBe(before);
    const dup = await expectCode(kr.recover("dev2", DEV_MNEMONIC), KeyringErrorCode.ADDRESS_EXISTS);
    expect(dup.message).toContain(DEV_ADDRESS);
    expect(dup.message).toContain('"dev"');
    await expect(kr.recover("dev2", DEV_MNEMONIC, { index: 1 })).resolves.toBeDefined();
    for (const bad of ["", "Alice", "a b", "../x", "a.json", "x".repeat(65), "ключ"]) {
      await expectCode(kr.create(bad), KeyringErrorCode.INVALID_NAME);
    }
    expect(readdirSync(kr.path).sort()).toEqual(["dev.json", "dev2.json"]);
  });

  it("validates mnemonics (word count, word list, checksum) without echoing them", async () => {
    const kr = open({ backend: "test" });
    const words = DEV_MNEMONIC.split(" ");
    const wrongChecksum = [...words.slice(0, 23), words[0]].join(" ");
    expect((await expectCode(kr.recover("x", wrongChecksum), KeyringErrorCode.INVALID_MNEMONIC)).message).toMatch(/checksum/);
    const e = await expectCode(kr.recover("x", [...words.slice(0, 5), "notaword", ...words.slice(6)].join(" ")), KeyringErrorCode.INVALID_MNEMONIC);
    expect(e.message).toMatch(/word 6 is not in the BIP-39 English word list/);
    expect(e.message).not.toContain(words[0]);
    await expectCode(kr.recover("x", words.slice(0, 23).join(" ")), KeyringErrorCode.INVALID_MNEMONIC);
    await expectCode(kr.recover("x", ""), KeyringErrorCode.INVALID_MNEMONIC);
    expect(existsSync(kr.path)).toBe(false);
  });

  it("imports raw private keys, renames and deletes", async () => {
    const kr = open();
    const devPriv = (await deriveFromMnemonic(DEV_MNEMONIC)).privkey;
    const k = await kr.importPrivkey("imported", devPriv);
    expect(k.address).toBe(DEV_ADDRESS);
    expect(k.hdPath).toBeNull();
    const ex = await kr.exportKey("imported");
    expect(ex.mnemonic).toBeUndefined();
    expect(Buffer.from(ex.privkey).equals(Buffer.from(devPriv))).toBe(true);
    await expectCode(kr.importPrivkey("zero", new Uint8Array(32)), KeyringErrorCode.INVALID_PRIVKEY);
    await expectCode(kr.importPrivkey("short", new Uint8Array(31).fill(1)), KeyringErrorCode.INVALID_PRIVKEY);
    await expectCode(kr.importPrivkey("order", new Uint8Array(32).fill(0xff)), KeyringErrorCode.INVALID_PRIVKEY);

    await kr.create("other");
    expect(kr.rename("imported", "validator").address).toBe(DEV_ADDRESS);
    expect(kr.list().map((x) => x.name)).toEqual(["other", "validator"]);
    expect((await kr.signer("validator")).address).toBe(DEV_ADDRESS);
    await expectCode(() => kr.rename("validator", "other"), KeyringErrorCode.KEY_EXISTS);
    await expectCode(() => kr.rename("nope", "x"), KeyringErrorCode.KEY_NOT_FOUND);
    await expectCode(() => kr.rename("other", "Bad Name"), KeyringErrorCode.INVALID_NAME);
    kr.delete("validator");
    await expectCode(() => kr.delete("validator"), KeyringErrorCode.KEY_NOT_FOUND);
    await expectCode(() => kr.get("validator"), KeyringErrorCode.KEY_NOT_FOUND);
    expect(kr.list().map((x) => x.name)).toEqual(["other"]);
    noTempFiles(kr);
  });

  it("rejects weak or absurd scrypt parameters for new keys", () => {
    expect(() => open({ scrypt: { n: 512, r: 8, p: 1 } })).toThrow(/power of two/);
    expect(() => open({ scrypt: { n: 3000, r: 8, p: 1 } })).toThrow(/power of two/);
    expect(() => open({ scrypt: { n: 2 ** 20, r: 32, p: 1 } })).toThrow(/1 GiB/);
    expect(() => Keyring.open({ dir: root, backend: "os" as "file" })).toThrow(/unknown keyring backend/);
  });
});
