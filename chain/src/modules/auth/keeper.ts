// auth: accounts (BaseAccount, ModuleAccount), global account numbers and params.
// The only code that touches the auth prefixes.
import { BaseAccount, ModuleAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { sha256 } from "../../crypto/hash.js";
import { key, Prefix } from "../../store/prefixes.js";
import type { KVReader, KVStore } from "../../store/types.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { SECP256K1_PUBKEY_TYPE_URL } from "../../tx/decode.js";

export const BASE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.BaseAccount";
export const MODULE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.ModuleAccount";

export const FEE_COLLECTOR = "fee_collector";
/** mint: receives each block's new coins (permission "minter") and passes them on at once. */
export const MINT_MODULE = "mint";
/** mint: the PoW half of issuance, kept until the inference module pays workers. */
export const WORK_POOL = "work_pool";
/** staking: holds the tokens of Bonded validators (permissions burner, staking). */
export const BONDED_POOL = "bonded_tokens_pool";
/** staking: holds the tokens of Unbonding/Unbonded validators and of unbonding entries. */
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";
/** gov: escrows proposal deposits (permission burner); the authority of every MsgUpdateParams. */
export const GOV_MODULE = "gov";
/** distribution: rewards allocated to validators and delegators but not yet withdrawn, and the community pool. */
export const DISTRIBUTION_MODULE = "distribution";
/** Every module account of the chain; they may not receive funds through MsgSend (SDK blocked addresses). */
export const MODULE_ACCOUNTS: readonly string[] = [FEE_COLLECTOR, MINT_MODULE, WORK_POOL, BONDED_POOL, NOT_BONDED_POOL, GOV_MODULE, DISTRIBUTION_MODULE];

export interface Account {
  base: BaseAccount;
  /** Set for module accounts. */
  module?: { name: string; permissions: string[] };
}

export const DEFAULT_AUTH_PARAMS: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

/** SDK module account address: sha256(name)[:20]. */
export function moduleAddress(name: string): Uint8Array {
  return sha256(Buffer.from(name, "utf8")).subarray(0, 20);
}

export function encodeAccount(acc: Account): Any {
  if (acc.module) {
    return Any.fromPartial({
      typeUrl: MODULE_ACCOUNT_TYPE_URL,
      value: ModuleAccount.encode({ baseAccount: acc.base, name: acc.module.name, permissions: acc.module.permissions }).finish(),
    });
  }
  return Any.fromPartial({ typeUrl: BASE_ACCOUNT_TYPE_URL, value: BaseAccount.encode(acc.base).finish() });
}

export function decodeAccount(bytes: Uint8Array): Account {
  const any = Any.decode(bytes);
  if (any.typeUrl === MODULE_ACCOUNT_TYPE_URL) {
    const m = ModuleAccount.decode(any.value);
    return { base: m.baseAccount!, module: { name: m.name, permissions: m.permissions } };
  }
  return { base: BaseAccount.decode(any.value) };
}

export function secp256k1PubkeyAny(pubkey: Uint8Array): Any {
  return Any.fromPartial({ typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: Secp256k1PubKey.encode({ key: pubkey }).finish() });
}

const MODULE_ADDRESSES = new Set(MODULE_ACCOUNTS.map((name) => Buffer.from(moduleAddress(name)).toString("hex")));

const accountKey = (addr: Uint8Array) => key(Prefix.AuthAccount, addr);
const NEXT_NUMBER_KEY = key(Prefix.AuthNextAccountNumber);
const PARAMS_KEY = key(Prefix.AuthParams);

export class AuthKeeper {
  getAccount(s: KVReader, addr: Uint8Array): Account | undefined {
    const v = s.get(accountKey(addr));
    return v ? decodeAccount(v) : undefined;
  }

  /** The raw Any bytes of an account, for queries (no re-encoding). */
  getAccountAny(s: KVReader, addr: Uint8Array): Uint8Array | undefined {
    return s.get(accountKey(addr));
  }

  hasAccount(s: KVReader, addr: Uint8Array): boolean {
    return s.get(accountKey(addr)) !== undefined;
  }

  setAccount(s: KVStore, acc: Account): void {
    const addr = parseAddress(acc.base.address);
    s.set(accountKey(addr), Any.encode(encodeAccount(acc)).finish());
  }

  /** Creates a BaseAccount with the next global account number (not yet stored). */
  newAccount(s: KVStore, addr: Uint8Array): Account {
    const number = this.nextAccountNumber(s);
    return { base: { address: formatAddress(addr), pubKey: undefined, accountNumber: number, sequence: 0n } };
  }

  private nextAccountNumber(s: KVStore): bigint {
    const v = s.get(NEXT_NUMBER_KEY);
    const n = v ? Buffer.from(v).readBigUInt64BE(0) : 0n;
    const next = Buffer.alloc(8);
    next.writeBigUInt64BE(n + 1n);
    s.set(NEXT_NUMBER_KEY, next);
    return n;
  }

  /** Returns the module account, creating it on first use. */
  ensureModuleAccount(s: KVStore, name: string, permissions: string[] = []): Account {
    const addr = moduleAddress(name);
    const existing = this.getAccount(s, addr);
    if (existing?.module) return existing;
    const base = existing?.base ?? this.newAccount(s, addr).base;
    const acc: Account = { base: { ...base, pubKey: undefined }, module: { name, permissions } };
    this.setAccount(s, acc);
    return acc;
  }

  /** True for the addresses of MODULE_ACCOUNTS (a static set, no store read). */
  isModuleAddress(addr: Uint8Array): boolean {
    return MODULE_ADDRESSES.has(Buffer.from(addr.buffer, addr.byteOffset, addr.byteLength).toString("hex"));
  }

  getParams(s: KVReader): Params {
    const v = s.get(PARAMS_KEY);
    return v ? Params.decode(v) : DEFAULT_AUTH_PARAMS;
  }

  setParams(s: KVStore, p: Params): void {
    s.set(PARAMS_KEY, Params.encode(p).finish());
  }

  /** All accounts in address order (queries and invariants). */
  *iterateAccounts(s: KVReader): Iterable<Account> {
    const start = Buffer.from([Prefix.AuthAccount]);
    const end = Buffer.from([Prefix.AuthAccount + 1]);
    for (const [, v] of s.iterate(start, end)) yield decodeAccount(v);
  }
}
