// BIP-39 mnemonics and BIP-32/SLIP-10 derivation on the Cosmos Hub path m/44'/118'/account'/0/index
// (coin type 118, ARCHITECTURE.md §6), through @cosmjs/crypto so that a mnemonic gives exactly the
// key CosmJS wallets (DirectSecp256k1HdWallet, Secp256k1HdWallet) and Keplr derive from it.
import { Bip39, EnglishMnemonic, Random, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { COIN_TYPE } from "../constants.js";
import { pubkeyFromPrivkey } from "../crypto/secp256k1.js";
import { KeyringError, KeyringErrorCode } from "./errors.js";

export interface HdOptions {
  /** Hardened account number (m/44'/118'/account'/0/index); default 0. */
  account?: number;
  /** Address index; default 0. */
  index?: number;
}

const MAX_INDEX = 2 ** 31 - 1;

function checkIndex(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_INDEX) {
    throw new KeyringError(KeyringErrorCode.INVALID_HD_PATH, `HD ${what} must be an integer in [0, 2^31), got ${n}`);
  }
  return n;
}

/** m/44'/118'/account'/0/index as a string. */
export function hdPathString(opts: HdOptions = {}): string {
  return `m/44'/${COIN_TYPE}'/${checkIndex("account", opts.account ?? 0)}'/0/${checkIndex("index", opts.index ?? 0)}`;
}

/** 24 words (256 bits of entropy from the OS CSPRNG). */
export function generateMnemonic(): string {
  return Bip39.encode(Random.getBytes(32)).toString();
}

/**
 * Normalises (lowercase, single spaces) and validates a mnemonic: 12/15/18/21/24 English BIP-39
 * words with a correct checksum. Errors name the first unknown word; the mnemonic itself never
 * appears in an error message.
 */
export function normalizeMnemonic(input: string): string {
  const words = input.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new KeyringError(KeyringErrorCode.INVALID_MNEMONIC, `invalid mnemonic: expected 12, 15, 18, 21 or 24 words, got ${words.length}`);
  }
  const wordlist = new Set(EnglishMnemonic.wordlist);
  const unknown = words.findIndex((w) => !wordlist.has(w));
  if (unknown >= 0) {
    throw new KeyringError(KeyringErrorCode.INVALID_MNEMONIC, `invalid mnemonic: word ${unknown + 1} is not in the BIP-39 English word list`);
  }
  const mnemonic = words.join(" ");
  try {
    new EnglishMnemonic(mnemonic);
  } catch {
    throw new KeyringError(KeyringErrorCode.INVALID_MNEMONIC, "invalid mnemonic: checksum mismatch (a word is wrong or the words are out of order)");
  }
  return mnemonic;
}

export interface DerivedKey {
  privkey: Uint8Array;
  /** 33-byte compressed secp256k1 public key. */
  pubkey: Uint8Array;
  hdPath: string;
}

/** Derives the secp256k1 key of a (validated) mnemonic at m/44'/118'/account'/0/index, empty BIP-39 passphrase. */
export async function deriveFromMnemonic(mnemonic: string, opts: HdOptions = {}): Promise<DerivedKey> {
  const normalized = normalizeMnemonic(mnemonic);
  const hdPath = hdPathString(opts);
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(normalized));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(hdPath));
  return { privkey, pubkey: pubkeyFromPrivkey(privkey), hdPath };
}
