// `soad keys` through the real CLI entry (runCli), stdin replaced through keysIo.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { stringToPath } from "@cosmjs/crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEV_ADDRESS, DEV_MNEMONIC } from "../constants.js";
import { deriveFromMnemonic } from "../keyring/hd.js";
import { PASSWORD_ENV, SCRYPT_N_ENV } from "./keys.js";
import { keysIo } from "./keysIo.js";
import { runCli } from "./main.js";

const root = mkdtempSync(join(tmpdir(), "soa-keys-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let out = "";
let err = "";
let stdin = "";
beforeEach(() => {
  out = "";
  err = "";
  stdin = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  vi.spyOn(keysIo, "stdinIsTTY").mockReturnValue(false);
  vi.spyOn(keysIo, "readStdin").mockImplementation(() => Promise.resolve(stdin));
  vi.spyOn(keysIo, "promptHidden").mockRejectedValue(new Error("no terminal in tests"));
  vi.stubEnv(SCRYPT_N_ENV, "1024"); // fast scrypt; production default is 2^17
  vi.stubEnv(PASSWORD_ENV, undefined);
  vi.stubEnv("SOAD_KEYRING_BACKEND", undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

let homes = 0;
const newHome = (): string => join(root, `h${homes++}`);

async function cli(args: string[], input = ""): Promise<number> {
  out = "";
  err = "";
  stdin = input;
  return runCli(args);
}

interface KeyOut {
  name: string;
  type: string;
  address: string;
  pubkey: string;
  mnemonic?: string;
}

describe("soad keys", () => {
  it("test backend: add, list, show, export, rename, delete", async () => {
    const home = newHome();
    const kb = ["--home", home, "--keyring-backend", "test"];
    expect(await cli(["keys", "list", ...kb])).toBe(0);
    expect(out).toBe("No records were found in keyring\n");
    expect(await cli(["keys", "list", ...kb, "-o", "json"])).toBe(0);
    expect(JSON.parse(out)).toEqual([]);

    expect(await cli(["keys", "add", "alice", ...kb, "--output", "json"])).toBe(0);
    expect(err).toMatch(/WARNING: keyring backend "test" stores keys UNENCRYPTED/);
    const alice = JSON.parse(out) as KeyOut;
    expect(alice.mnemonic?.split(" ")).toHaveLength(24);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic!, { prefix: "soa" });
    expect(alice.address).toBe((await wallet.getAccounts())[0]!.address);
    expect(JSON.parse(alice.pubkey)).toEqual({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: expect.stringMatching(/^A[A-Za-z0-9+/]{43}$/) });

    // text mode: key on stdout, mnemonic once on stderr with the warning
    expect(await cli(["keys", "add", "bob", ...kb])).toBe(0);
    expect(out).toMatch(/^address: soa1[0-9a-z]{38}\nname: bob\npubkey: '\{"@type":"\/cosmos.crypto.secp256k1.PubKey","key":"[^"]+"\}'\ntype: local\n$/);
    expect(err).toMatch(/\*\*Important\*\* write this mnemonic phrase in a safe place\.[\s\S]*\n([a-z]+ ){23}[a-z]+\n$/);
    expect(await cli(["keys", "add", "carol", ...kb, "--no-backup"])).toBe(0);
    expect(err).not.toMatch(/Important/);

    expect(await cli(["keys", "add", "dev", ...kb, "--recover"], `${DEV_MNEMONIC}\n`)).toBe(0);
    expect(out).toContain(`address: ${DEV_ADDRESS}`);

    expect(await cli(["keys", "list", ...kb, "-o", "json"])).toBe(0);
    const list = JSON.parse(out) as KeyOut[];
    expect(list.map((k) => k.name)).toEqual(["alice", "bob", "carol", "dev"]);
    expect(list.every((k) => k.type === "local" && k.mnemonic === undefined)).toBe(true);
    expect(await cli(["keys", "list", ...kb])).toBe(0);
    expect(out.match(/^- address: /gm)).toHaveLength(4);

    expect(await cli(["keys", "show", "dev", ...kb, "-a"])).toBe(0);
    expect(out).toBe(`${DEV_ADDRESS}\n`);
    expect(await cli(["keys", "show", "dev", ...kb, "--address", "--bech", "val"])).toBe(0);
    expect(out).toBe("soavaloper1d9333yl27khn0vneyda3xpgzr0p8d5tfttzj7s\n");
    expect(await cli(["keys", "show", "dev", ...kb, "--pubkey"])).toBe(0);
    expect(JSON.parse(out)).toEqual({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: "Awx/3BcHoLZK5UwouNwP9fuuKfivED8xVWM/A3Z3iolt" });
    expect(await cli(["keys", "show", "dev", ...kb, "-o", "json"])).toBe(0);
    expect(JSON.parse(out)).toEqual(list[3]);
    expect(await cli(["keys", "show", "dev", ...kb, "-a", "-p"])).toBe(1);
    expect(err).toMatch(/cannot be used together/);
    expect(await cli(["keys", "show", "dev", ...kb, "--bech", "cons"])).toBe(1);
    expect(await cli(["keys", "show", "nobody", ...kb])).toBe(1);
    expect(err).toMatch(/key "nobody" not found/);

    expect(await cli(["keys", "export", "dev", ...kb])).toBe(1);
    expect(err).toMatch(/--unsafe/);
    expect(out).toBe("");
    expect(await cli(["keys", "export", "dev", ...kb, "--unsafe"])).toBe(0);
    expect(out).toBe(`${DEV_MNEMONIC}\n`);
    expect(await cli(["keys", "export", "dev", ...kb, "--unsafe", "--unarmored-hex"])).toBe(0);
    expect(out).toBe(Buffer.from((await deriveFromMnemonic(DEV_MNEMONIC)).privkey).toString("hex") + "\n");

    expect(await cli(["keys", "rename", "dev", "validator", ...kb])).toBe(0);
    expect(await cli(["keys", "show", "validator", ...kb, "-a"])).toBe(0);
    expect(out).toBe(`${DEV_ADDRESS}\n`);
    expect(await cli(["keys", "rename", "validator", "alice", ...kb])).toBe(1);
    expect(err).toMatch(/already exists/);

    expect(await cli(["keys", "delete", "validator", ...kb])).toBe(1);
    expect(err).toMatch(/without confirmation: pass --yes/);
    expect(await cli(["keys", "delete", "validator", ...kb, "--yes"])).toBe(0);
    expect(out).toContain("deleted");
    expect(await cli(["keys", "delete", "validator", ...kb, "--yes"])).toBe(1);
    expect(err).toMatch(/not found/);
    expect(readdirSync(join(home, "keyring-test")).sort()).toEqual(["alice.json", "bob.json", "carol.json"]);
  });

  it("file backend (default): password from env or file, wrong password, no password", async () => {
    const home = newHome();
    const pwFile = join(root, "pw.txt");
    writeFileSync(pwFile, "a long enough password\n");
    expect(await cli(["keys", "add", "dev", "--home", home, "--recover"], DEV_MNEMONIC)).toBe(1);
    expect(err).toMatch(/needs a password: pass --keyring-password-file <file>, set SOAD_KEYRING_PASSWORD, or run in a terminal/);
    expect(existsSync(join(home, "keyring-file", "dev.json"))).toBe(false);

    expect(await cli(["keys", "add", "dev", "--home", home, "--recover", "--keyring-password-file", pwFile], DEV_MNEMONIC)).toBe(0);
    expect(err).toMatch(/SOAD_KEYRING_SCRYPT_N=1024 weakens/);
    const text = readFileSync(join(home, "keyring-file", "dev.json"), "utf8");
    expect(text).not.toContain("north");
    expect(text).not.toContain("comic");

    // the env var works too; list/show need no password
    vi.stubEnv(PASSWORD_ENV, "a long enough password");
    expect(await cli(["keys", "export", "dev", "--home", home, "--unsafe"])).toBe(0);
    expect(out).toBe(`${DEV_MNEMONIC}\n`);
    vi.stubEnv(PASSWORD_ENV, "");
    expect(await cli(["keys", "list", "--home", home])).toBe(0);
    expect(out).toContain(DEV_ADDRESS);

    vi.stubEnv(PASSWORD_ENV, "wrong password!");
    expect(await cli(["keys", "export", "dev", "--home", home, "--unsafe"])).toBe(1);
    expect(err).toMatch(/wrong keyring password/);
    expect(out).toBe("");
    expect(await cli(["keys", "add", "second", "--home", home])).toBe(1);
    expect(err).toMatch(/wrong keyring password: it does not unlock the existing key "dev"/);
    expect(existsSync(join(home, "keyring-file", "second.json"))).toBe(false);

    // a file password wins over the env var
    expect(await cli(["keys", "add", "second", "--home", home, "--keyring-password-file", pwFile, "--index", "3", "-o", "json"])).toBe(0);
    expect(await cli(["keys", "list", "--home", home, "-o", "json"])).toBe(0);
    expect((JSON.parse(out) as KeyOut[]).map((k) => k.name)).toEqual(["dev", "second"]);

    expect(await cli(["keys", "list", "--home", home, "--keyring-password-file", join(root, "nope.txt")])).toBe(0); // not read by list
    expect(await cli(["keys", "export", "dev", "--home", home, "--unsafe", "--keyring-password-file", join(root, "nope.txt")])).toBe(1);
    expect(err).toMatch(/cannot read --keyring-password-file/);

    // the test keyring of the same home is a different keyring
    expect(await cli(["keys", "list", "--home", home, "--keyring-backend", "test"])).toBe(0);
    expect(out).toContain("No records");
    // --keyring-dir replaces --home as the parent of keyring-<backend>/
    expect(await cli(["keys", "list", "--home", join(root, "elsewhere"), "--keyring-dir", home, "-o", "json"])).toBe(0);
    expect(JSON.parse(out)).toHaveLength(2);
  });

  it("recover with --account/--index matches CosmJS; bad mnemonics, names and duplicates fail cleanly", async () => {
    const home = newHome();
    const kb = ["--home", home, "--keyring-backend", "test"];
    expect(await cli(["keys", "add", "v", ...kb, "--recover", "--account", "3", "--index", "9", "-o", "json"], `\n${DEV_MNEMONIC}\n`)).toBe(0);
    const w = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "soa", hdPaths: [stringToPath("m/44'/118'/3'/0/9")] });
    expect((JSON.parse(out) as KeyOut).address).toBe((await w.getAccounts())[0]!.address);

    const words = DEV_MNEMONIC.split(" ");
    expect(await cli(["keys", "add", "x", ...kb, "--recover"], [...words.slice(1), words[0]].join(" "))).toBe(1);
    expect(err).toMatch(/invalid mnemonic: checksum mismatch/);
    expect(await cli(["keys", "add", "x", ...kb, "--recover"], "")).toBe(1);
    expect(err).toMatch(/expected 12, 15, 18, 21 or 24 words, got 0/);
    expect(await cli(["keys", "add", "v", ...kb])).toBe(1);
    expect(err).toMatch(/key "v" already exists/);
    expect(await cli(["keys", "add", "w", ...kb, "--recover", "--account", "3", "--index", "9"], DEV_MNEMONIC)).toBe(1);
    expect(err).toMatch(/already in this keyring as key "v"/);
    expect(await cli(["keys", "add", "Bad.Name", ...kb])).toBe(1);
    expect(err).toMatch(/invalid key name/);
    expect(await cli(["keys", "add", "y", ...kb, "--index", "-1"])).toBe(1);
    expect(await cli(["keys", "add", "y", ...kb, "--account", String(2 ** 31)])).toBe(1);
    expect(err).toMatch(/--account must be between 0 and 2147483647/);
    expect(await cli(["keys", "add", "y", "--home", home, "--keyring-backend", "os"])).toBe(1);
    expect(err).toMatch(/Allowed choices are file, test/);
    expect(readdirSync(join(home, "keyring-test"))).toEqual(["v.json"]);
  });

  it("import-hex reads the private key from stdin", async () => {
    const home = newHome();
    const kb = ["--home", home, "--keyring-backend", "test"];
    const hex = Buffer.from((await deriveFromMnemonic(DEV_MNEMONIC)).privkey).toString("hex");
    expect(await cli(["keys", "import-hex", "imp", ...kb], `0x${hex}\n`)).toBe(0);
    expect(out).toContain(`address: ${DEV_ADDRESS}`);
    expect(await cli(["keys", "export", "imp", ...kb, "--unsafe"])).toBe(1);
    expect(err).toMatch(/has no mnemonic; use --unarmored-hex/);
    expect(await cli(["keys", "export", "imp", ...kb, "--unsafe", "--unarmored-hex", "-o", "json"])).toBe(0);
    expect(JSON.parse(out)).toEqual({ name: "imp", address: DEV_ADDRESS, privkey_hex: hex });
    expect(await cli(["keys", "import-hex", "imp2", ...kb], "abc")).toBe(1);
    expect(err).toMatch(/64 hex characters/);
  });

  it("a corrupted key file is reported, not crashed on", async () => {
    const home = newHome();
    vi.stubEnv(PASSWORD_ENV, "a long enough password");
    expect(await cli(["keys", "add", "k", "--home", home, "--recover"], DEV_MNEMONIC)).toBe(0);
    const f = join(home, "keyring-file", "k.json");
    const j = JSON.parse(readFileSync(f, "utf8")) as { crypto: { tag: string } };
    const tag = Buffer.from(j.crypto.tag, "base64");
    tag[0]! ^= 0xff;
    j.crypto.tag = tag.toString("base64");
    writeFileSync(f, JSON.stringify(j));
    expect(await cli(["keys", "export", "k", "--home", home, "--unsafe"])).toBe(1);
    expect(err).toMatch(/k\.json is corrupted: authentication failed/);
    writeFileSync(f, "garbage");
    expect(await cli(["keys", "list", "--home", home])).toBe(1);
    expect(err).toMatch(/k\.json is corrupted: not valid JSON/);
    expect(await cli(["keys", "delete", "k", "--home", home, "--yes"])).toBe(1); // shows what it deletes, so it must read it
    expect(existsSync(f)).toBe(true);
  });

  it("every keys command has --help", async () => {
    for (const sub of ["add", "list", "show", "export", "import-hex", "delete", "rename"]) {
      expect(await cli(["keys", sub, "--help"]), sub).toBe(0);
      expect(out, sub).toMatch(/--keyring-backend/);
    }
    expect(await cli(["keys", "--help"])).toBe(0);
    expect(out).toMatch(/scrypt \+ AES-256-GCM/);
  });
});
