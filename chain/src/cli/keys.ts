// `soad keys`: the operator keyring (chain/src/keyring), with the Cosmos SDK's subcommands and
// output shapes so that `keys add/list/show/export/delete/rename` feel the same as with any
// SDK chain. Secrets are read from stdin or a no-echo prompt, never from argv.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_SCRYPT,
  type KeyInfo,
  Keyring,
  type KeyringBackend,
  KeyringError,
  KeyringErrorCode,
  KEYRING_BACKENDS,
  MIN_SCRYPT_N,
  type PasswordRequest,
  type ScryptParams,
  secp256k1PubkeyJson,
  valoperAddress,
} from "../keyring/index.js";
import { keysIo } from "./keysIo.js";
import { HOME_FLAGS, HOME_HELP, defaultHome, parseIntegerOption } from "./util.js";

/** Environment variable holding the keyring password (non-interactive use: CI, scripts). */
export const PASSWORD_ENV = "SOAD_KEYRING_PASSWORD";
/** Testing only: scrypt N (a power of two ≥ 2^10) for keys written by this process. */
export const SCRYPT_N_ENV = "SOAD_KEYRING_SCRYPT_N";

type OutputFormat = "text" | "json";

export interface KeyringFlags {
  home: string;
  keyringBackend: KeyringBackend;
  keyringDir?: string;
  keyringPasswordFile?: string;
  output: OutputFormat;
}

export function addKeyringOptions(cmd: Command): Command {
  return cmd
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .addOption(
      new Option("--keyring-backend <backend>", "file: encrypted with a password (default); test: UNENCRYPTED, localnets and CI only")
        .choices(KEYRING_BACKENDS)
        .default("file")
        .env("SOAD_KEYRING_BACKEND"),
    )
    .option("--keyring-dir <dir>", "directory holding keyring-<backend>/ (default: --home)")
    .option("--keyring-password-file <file>", `file whose first line is the keyring password (else $${PASSWORD_ENV}, else a prompt)`)
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"));
}

function scryptFromEnv(): ScryptParams | undefined {
  const v = process.env[SCRYPT_N_ENV];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < MIN_SCRYPT_N || (n & (n - 1)) !== 0) {
    throw new Error(`${SCRYPT_N_ENV} must be a power of two >= ${MIN_SCRYPT_N}, got ${JSON.stringify(v)}`);
  }
  return { ...DEFAULT_SCRYPT, n };
}

function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read --keyring-password-file ${file}: ${(e as Error).message}`);
  }
  const line = text.split(/\r?\n/)[0] ?? "";
  if (line === "") throw new Error(`--keyring-password-file ${file}: the first line is empty`);
  return line;
}

/** Password source order: --keyring-password-file, $SOAD_KEYRING_PASSWORD, a no-echo prompt (asked twice for a new keyring). */
function passwordProvider(flags: KeyringFlags): (req: PasswordRequest) => Promise<string> {
  return async (req) => {
    if (flags.keyringPasswordFile !== undefined) return readPasswordFile(flags.keyringPasswordFile);
    const env = process.env[PASSWORD_ENV];
    if (env !== undefined && env !== "") return env;
    if (!keysIo.stdinIsTTY()) {
      throw new KeyringError(
        KeyringErrorCode.PASSWORD_REQUIRED,
        `keyring backend "file" needs a password: pass --keyring-password-file <file>, set ${PASSWORD_ENV}, or run in a terminal ` +
          `(--keyring-backend test stores throwaway keys unencrypted)`,
      );
    }
    if (!req.newKeyring) return keysIo.promptHidden(`Enter keyring passphrase (${req.keyringDir}): `);
    const pw = await keysIo.promptHidden(`New keyring ${req.keyringDir}: enter a passphrase (at least 8 characters): `);
    const again = await keysIo.promptHidden("Re-enter keyring passphrase: ");
    if (pw !== again) throw new KeyringError(KeyringErrorCode.PASSWORD_REQUIRED, "the passphrases do not match");
    return pw;
  };
}

export function openKeyring(flags: KeyringFlags): Keyring {
  const scrypt = scryptFromEnv();
  return Keyring.open({
    dir: resolve(flags.keyringDir ?? flags.home),
    backend: flags.keyringBackend,
    password: passwordProvider(flags),
    ...(scrypt ? { scrypt } : {}),
  });
}

/** Before a key is written or its secret shown: say what protects it, if that is weak. */
function warnWeakStorage(kr: Keyring): void {
  if (kr.backend === "test") {
    process.stderr.write(`WARNING: keyring backend "test" stores keys UNENCRYPTED in ${kr.path}; use it only for localnets and CI\n`);
    return;
  }
  const s = scryptFromEnv();
  if (s && s.n < DEFAULT_SCRYPT.n) {
    process.stderr.write(`WARNING: ${SCRYPT_N_ENV}=${s.n} weakens the encryption of new keys (default ${DEFAULT_SCRYPT.n}); for tests only\n`);
  }
}

/** The SDK's KeyOutput: pubkey is the JSON of the Any-wrapped key, as a string. */
interface KeyOutput {
  name: string;
  type: string;
  address: string;
  pubkey: string;
  mnemonic?: string;
}

function keyOutput(k: KeyInfo, bech: "acc" | "val" = "acc"): KeyOutput {
  return {
    name: k.name,
    type: k.type,
    address: bech === "val" ? valoperAddress(k.address) : k.address,
    pubkey: JSON.stringify(secp256k1PubkeyJson(k.pubkey)),
  };
}

function yamlEntry(o: KeyOutput, indent: string): string[] {
  const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const lines = [`address: ${o.address}`, `name: ${o.name}`, `pubkey: ${q(o.pubkey)}`, `type: ${o.type}`];
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}

function printKeys(list: KeyOutput[], format: OutputFormat): void {
  if (format === "json") {
    process.stdout.write(JSON.stringify(list) + "\n");
  } else if (list.length === 0) {
    process.stdout.write("No records were found in keyring\n");
  } else {
    process.stdout.write(list.map((o) => "- " + yamlEntry(o, "  ").join("\n")).join("\n") + "\n");
  }
}

function printKey(o: KeyOutput, format: OutputFormat): void {
  process.stdout.write(format === "json" ? JSON.stringify(o) + "\n" : yamlEntry(o, "").join("\n") + "\n");
}

async function readSecretInput(prompt: string): Promise<string> {
  if (keysIo.stdinIsTTY()) return keysIo.promptHidden(prompt);
  const text = await keysIo.readStdin();
  return text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
}

const MNEMONIC_WARNING =
  "\n**Important** write this mnemonic phrase in a safe place.\n" +
  "It is the only way to recover your account if you ever forget your password.\n" +
  "It is shown only this once.\n\n";

function addCommand(): Command {
  return addKeyringOptions(
    new Command("add")
      .description(
        "create a key from a new 24-word BIP-39 mnemonic (printed once), or with --recover from an existing mnemonic " +
          "read from stdin or a no-echo prompt; derivation path m/44'/118'/<account>'/0/<index>",
      )
      .argument("<name>", "key name: 1-64 characters from a-z, 0-9, _ and -")
      .option("--recover", "recover a key from an existing mnemonic (stdin, or a prompt in a terminal)", false)
      .option("--account <n>", "HD account (hardened), m/44'/118'/<account>'/0/<index>", parseIntegerOption("--account", 0, 2 ** 31 - 1), 0)
      .option("--index <n>", "HD address index, m/44'/118'/<account>'/0/<index>", parseIntegerOption("--index", 0, 2 ** 31 - 1), 0)
      .option("--no-backup", "do not print the new mnemonic (you will not be able to recover the key!)"),
  ).action(async (name: string, opts: KeyringFlags & { recover: boolean; account: number; index: number; backup: boolean }) => {
    const kr = openKeyring(opts);
    warnWeakStorage(kr);
    const hd = { account: opts.account, index: opts.index };
    if (opts.recover) {
      // Fail on name problems before asking for a secret.
      if (kr.has(name)) throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(name)} already exists in ${kr.path} (delete or rename it first)`);
      const mnemonic = await readSecretInput("Enter your BIP-39 mnemonic: ");
      const key = await kr.recover(name, mnemonic, hd);
      printKey(keyOutput(key), opts.output);
      return;
    }
    const { key, mnemonic } = await kr.create(name, hd);
    const out = keyOutput(key);
    if (opts.output === "json") {
      if (opts.backup) out.mnemonic = mnemonic;
      printKey(out, "json");
      if (opts.backup) process.stderr.write("WARNING: the JSON above contains the mnemonic of the new key; store it safely and do not log it\n");
    } else {
      printKey(out, "text");
      if (opts.backup) process.stderr.write(MNEMONIC_WARNING + mnemonic + "\n");
    }
  });
}

function importHexCommand(): Command {
  return addKeyringOptions(
    new Command("import-hex")
      .description("import a raw secp256k1 private key (64 hex characters) read from stdin or a no-echo prompt; it has no mnemonic")
      .argument("<name>", "key name: 1-64 characters from a-z, 0-9, _ and -"),
  ).action(async (name: string, opts: KeyringFlags) => {
    const kr = openKeyring(opts);
    warnWeakStorage(kr);
    if (kr.has(name)) throw new KeyringError(KeyringErrorCode.KEY_EXISTS, `key ${JSON.stringify(name)} already exists in ${kr.path} (delete or rename it first)`);
    const hex = (await readSecretInput("Enter the private key (hex): ")).trim().replace(/^0x/i, "");
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KeyringError(KeyringErrorCode.INVALID_PRIVKEY, "expected a private key of 64 hex characters");
    const key = await kr.importPrivkey(name, Uint8Array.from(Buffer.from(hex, "hex")));
    printKey(keyOutput(key), opts.output);
  });
}

function listCommand(): Command {
  return addKeyringOptions(new Command("list").description("list all keys (name, type, address, pubkey); no password needed")).action(
    (opts: KeyringFlags) => {
      printKeys(openKeyring(opts).list().map((k) => keyOutput(k)), opts.output);
    },
  );
}

function parseBech(v: string): "acc" | "val" {
  if (v !== "acc" && v !== "val") throw new InvalidArgumentError('expected "acc" (soa1…) or "val" (soavaloper1…).');
  return v;
}

function showCommand(): Command {
  return addKeyringOptions(
    new Command("show")
      .description("show one key; --address prints only its address, --pubkey only its public key")
      .argument("<name>", "key name")
      .option("-a, --address", "print only the address", false)
      .option("-p, --pubkey", 'print only the public key as {"@type":"/cosmos.crypto.secp256k1.PubKey","key":"<base64>"}', false)
      .option("--bech <prefix>", "address kind: acc (soa1…) or val (soavaloper1…, the operator address of the same bytes)", parseBech, "acc"),
  ).action((name: string, opts: KeyringFlags & { address: boolean; pubkey: boolean; bech: "acc" | "val" }) => {
    if (opts.address && opts.pubkey) throw new Error("--address and --pubkey cannot be used together");
    const key = openKeyring(opts).get(name);
    const out = keyOutput(key, opts.bech);
    if (opts.address) process.stdout.write(out.address + "\n");
    else if (opts.pubkey) process.stdout.write(out.pubkey + "\n");
    else printKey(out, opts.output);
  });
}

function exportCommand(): Command {
  return addKeyringOptions(
    new Command("export")
      .description(
        "print a key's secret IN CLEAR: its mnemonic, or with --unarmored-hex its raw private key. " +
          "Requires --unsafe; anyone who sees the output controls the key",
      )
      .argument("<name>", "key name")
      .option("--unsafe", "confirm that the secret may be printed in clear", false)
      .option("--unarmored-hex", "print the raw private key as hex instead of the mnemonic", false),
  ).action(async (name: string, opts: KeyringFlags & { unsafe: boolean; unarmoredHex: boolean }) => {
    if (!opts.unsafe) throw new Error("export prints the secret in clear; rerun with --unsafe if that is what you want");
    const kr = openKeyring(opts);
    if (kr.backend === "test") warnWeakStorage(kr);
    const ex = await kr.exportKey(name);
    let secret: string;
    if (opts.unarmoredHex) {
      secret = Buffer.from(ex.privkey).toString("hex");
    } else {
      if (ex.mnemonic === undefined) {
        throw new KeyringError(KeyringErrorCode.NO_MNEMONIC, `key ${JSON.stringify(name)} was imported as a raw private key and has no mnemonic; use --unarmored-hex`);
      }
      secret = ex.mnemonic;
    }
    process.stderr.write("WARNING: the output is the secret of this key; anyone who sees it controls the account\n");
    if (opts.output === "json") {
      const o: Record<string, string> = { name, address: ex.key.address };
      if (opts.unarmoredHex) o["privkey_hex"] = secret;
      else {
        o["mnemonic"] = secret;
        if (ex.key.hdPath !== null) o["hd_path"] = ex.key.hdPath;
      }
      process.stdout.write(JSON.stringify(o) + "\n");
    } else {
      process.stdout.write(secret + "\n");
    }
  });
}

function deleteCommand(): Command {
  return addKeyringOptions(
    new Command("delete")
      .description("delete a key from the keyring (asks for confirmation in a terminal; --yes otherwise). Without a backup of its mnemonic the key is lost")
      .argument("<name>", "key name")
      .option("-y, --yes", "skip the confirmation", false),
  ).action(async (name: string, opts: KeyringFlags & { yes: boolean }) => {
    const kr = openKeyring(opts);
    const key = kr.get(name); // fails clearly if it does not exist (or is unreadable)
    if (!opts.yes) {
      if (!keysIo.stdinIsTTY()) throw new Error(`refusing to delete key ${JSON.stringify(name)} without confirmation: pass --yes`);
      if (!(await keysIo.confirm(`Key ${JSON.stringify(name)} (${key.address}) will be deleted. Continue?`))) throw new Error("aborted: nothing deleted");
    }
    kr.delete(name);
    if (opts.output === "json") process.stdout.write(JSON.stringify({ deleted: name, address: key.address }) + "\n");
    else process.stdout.write(`Key ${JSON.stringify(name)} (${key.address}) deleted\n`);
  });
}

function renameCommand(): Command {
  return addKeyringOptions(
    new Command("rename").description("rename a key (no password needed)").argument("<old>", "current name").argument("<new>", "new name"),
  ).action((from: string, to: string, opts: KeyringFlags) => {
    const key = openKeyring(opts).rename(from, to);
    if (opts.output === "json") printKey(keyOutput(key), "json");
    else process.stdout.write(`Key ${JSON.stringify(from)} renamed to ${JSON.stringify(to)} (${key.address})\n`);
  });
}

export function keysCommand(): Command {
  return new Command("keys")
    .description(
      "manage operator keys (secp256k1, HD path m/44'/118'/0'/0/0) in <home>/keyring-<backend>/: " +
        "backend file (default) encrypts each key with a password (scrypt + AES-256-GCM), backend test stores them unencrypted",
    )
    .addCommand(addCommand())
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(exportCommand())
    .addCommand(importHexCommand())
    .addCommand(deleteCommand())
    .addCommand(renameCommand());
}
