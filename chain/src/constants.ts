// Chain constants (ARCHITECTURE.md §6). Every consensus-relevant one is also a genesis parameter;
// these are the localnet defaults.
export const APP_NAME = "soad";
export const APP_VERSION = "0.1.0";
/** Recorded in block headers as version.app. */
export const APP_PROTOCOL_VERSION = 1n;
export const DEFAULT_CHAIN_ID = "soa-localnet-1";
export const BOND_DENOM = "usoa";
export const DISPLAY_DENOM = "SOA";
export const DENOM_EXPONENT = 6;
export const BECH32_PREFIX = "soa";
export const BECH32_PREFIX_VALOPER = "soavaloper";
export const BECH32_PREFIX_VALCONS = "soavalcons";
export const COIN_TYPE = 118;
export const HD_PATH = "m/44'/118'/0'/0/0";
export const DEFAULT_MIN_GAS_PRICES = "0.0025usoa";
/** Pinned CometBFT release; the Makefile and `soad version` read the same value. */
export const COMETBFT_VERSION = "v0.38.25";
/** Public localnet mnemonic: never use it for real funds. */
export const DEV_MNEMONIC =
  "north secret father eternal canoe slot meadow range neck menu humble horse genuine firm garment silent jump moon little adjust zero pudding spoil comic";
export const DEV_ADDRESS = "soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2";
