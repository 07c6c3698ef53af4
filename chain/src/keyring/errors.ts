// Keyring errors: one string code per failure (Lodestar style), each with a message meant for the
// operator. The CLI prints `message` as is; library callers branch on `code`.

export enum KeyringErrorCode {
  /** No key file with that name in this keyring. */
  KEY_NOT_FOUND = "KEY_NOT_FOUND",
  /** A key with that name already exists (add, rename). */
  KEY_EXISTS = "KEY_EXISTS",
  /** Another key in this keyring already holds the same address. */
  ADDRESS_EXISTS = "ADDRESS_EXISTS",
  /** Name outside [a-z0-9_-]{1,64}. */
  INVALID_NAME = "INVALID_NAME",
  /** Mnemonic with an unknown word, a wrong word count or a bad checksum. */
  INVALID_MNEMONIC = "INVALID_MNEMONIC",
  /** Private key that is not 32 bytes of hex or not a valid secp256k1 scalar. */
  INVALID_PRIVKEY = "INVALID_PRIVKEY",
  /** HD account/index outside [0, 2^31). */
  INVALID_HD_PATH = "INVALID_HD_PATH",
  /** The password does not unlock this key (its password check does not match). */
  WRONG_PASSWORD = "WRONG_PASSWORD",
  /** A password was needed and none was given, or a new password is too short. */
  PASSWORD_REQUIRED = "PASSWORD_REQUIRED",
  /** The key file is not valid JSON, misses fields, fails authentication or is inconsistent. */
  CORRUPTED = "CORRUPTED",
  /** The key file was written by a newer soad (format version unknown to this one). */
  UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION",
  /** Key file of the other backend (e.g. an unencrypted file inside keyring-file/). */
  WRONG_BACKEND = "WRONG_BACKEND",
  /** The operation needs a mnemonic and the key was imported from a raw private key. */
  NO_MNEMONIC = "NO_MNEMONIC",
}

export class KeyringError extends Error {
  override readonly name = "KeyringError";
  constructor(
    readonly code: KeyringErrorCode,
    message: string,
  ) {
    super(message);
  }
}
