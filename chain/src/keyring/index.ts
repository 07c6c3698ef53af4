// Operator keys: the on-disk keyring (`soad keys`) and CometBFT's consensus/node key files
// (`soad tendermint`). File format and backends: README.md in this folder.
export * from "./consensusKeys.js";
export * from "./errors.js";
export * from "./hd.js";
export {
  DEFAULT_SCRYPT,
  KEYRING_BACKENDS,
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  MIN_PASSWORD_LENGTH,
  MIN_SCRYPT_N,
  type KeyPublic,
  type KeyringBackend,
  type ScryptParams,
} from "./keyFile.js";
export * from "./keyring.js";
