// Localnet test accounts: the public dev mnemonic (ARCHITECTURE.md §6) at HD indexes 0..n-1 on the
// Cosmos Hub path m/44'/118'/0'/0/i. Index 0 is DEV_ADDRESS. Never use these for real funds.
import { Secp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/amino";
import { BECH32_PREFIX, DEV_ADDRESS, DEV_MNEMONIC } from "../constants.js";

export interface DevAccount {
  /** HD index i of m/44'/118'/0'/0/i */
  index: number;
  hdPath: string;
  address: string;
  mnemonic: string;
}

/** How many dev accounts a localnet funds by default (indexes 0..4). */
export const DEV_ACCOUNT_COUNT = 5;
/** Genesis balance of each dev account: 1,000,000 SOA. */
export const DEV_ACCOUNT_BALANCE = "1000000000000usoa";

export async function deriveDevAccounts(count: number = DEV_ACCOUNT_COUNT): Promise<DevAccount[]> {
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new Error(`dev account count must be 1..100, got ${count}`);
  const hdPaths = Array.from({ length: count }, (_, i) => makeCosmoshubPath(i));
  const wallet = await Secp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { hdPaths, prefix: BECH32_PREFIX });
  const accounts = await wallet.getAccounts();
  const out = accounts.map((a, i) => ({
    index: i,
    hdPath: `m/44'/118'/0'/0/${i}`,
    address: a.address,
    mnemonic: DEV_MNEMONIC,
  }));
  if (out[0]?.address !== DEV_ADDRESS) {
    throw new Error(`dev mnemonic derives ${out[0]?.address}, but constants say DEV_ADDRESS=${DEV_ADDRESS}`);
  }
  return out;
}
