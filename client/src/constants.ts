// Chain constants of SOA (ARCHITECTURE.md §6). They are the localnet defaults; on other networks the
// chain id and RPC differ, while prefix, denom and HD path are fixed by the chain.
import { makeCosmoshubPath } from "@cosmjs/amino";
import { GasPrice } from "@cosmjs/stargate";

/** An HD derivation path as the CosmJS wallets take it (the `HdPath` of @cosmjs/crypto). */
export type HdPath = ReturnType<typeof makeCosmoshubPath>;

/** Bech32 prefix of account addresses (`soa1…`). */
export const BECH32_PREFIX = "soa";
export const BECH32_PREFIX_VALOPER = "soavaloper";
export const BECH32_PREFIX_VALCONS = "soavalcons";

/** Base denom: 1 SOA = 10^6 usoa. All on-chain amounts are in usoa. */
export const DENOM = "usoa";
/** Display denom shown to users. */
export const DISPLAY_DENOM = "SOA";
/** Decimal exponent between DISPLAY_DENOM and DENOM. */
export const DECIMALS = 6;

/** Chain id of the local development network (`make localnet`). */
export const DEFAULT_CHAIN_ID = "soa-localnet-1";
/** Default CometBFT RPC endpoint (node 0 of the localnet). */
export const DEFAULT_RPC = "http://127.0.0.1:26657";

/** The nodes' default minimum gas price; transactions paying less are rejected in CheckTx (code 13). */
export const MIN_GAS_PRICE = "0.0025usoa";
/** Gas price used by the clients of this package unless told otherwise (10x the node minimum). */
export const DEFAULT_GAS_PRICE: GasPrice = GasPrice.fromString("0.025usoa");

/** SLIP-44 coin type (shared with the Cosmos Hub, so Keplr/Ledger derive the same keys). */
export const COIN_TYPE = 118;
/** HD path of account 0: m/44'/118'/0'/0/0. */
export const HD_PATH = "m/44'/118'/0'/0/0";

/** HD path m/44'/118'/0'/0/`index` in the form the CosmJS wallets take. */
export function hdPath(index = 0): HdPath {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31) throw new Error(`HD index must be an integer in [0, 2^31), got ${index}`);
  return makeCosmoshubPath(index);
}

/**
 * PUBLIC development mnemonic, funded only in localnet genesis (HD indexes 0..4).
 * LOCALNET ONLY: everybody knows it, never use it for real funds or on a public network.
 */
export const DEV_MNEMONIC =
  "north secret father eternal canoe slot meadow range neck menu humble horse genuine firm garment silent jump moon little adjust zero pudding spoil comic";
/** Address of DEV_MNEMONIC at HD index 0 (account number 0 on a localnet). LOCALNET ONLY. */
export const DEV_ADDRESS = "soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2";
