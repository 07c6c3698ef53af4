// Genesis import: app_state JSON → initial state. Invalid genesis is fatal (the node refuses to
// start with a clear message) rather than silently producing a different chain.
import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "./context.js";
import type { AppGenesis } from "./genesis.js";
import { FEE_COLLECTOR, type AuthKeeper } from "../modules/auth/keeper.js";
import type { BankKeeper } from "../modules/bank/keeper.js";
import type { WasmKeeper } from "../modules/wasm/keeper.js";
import type { MintKeeper } from "../modules/mint/keeper.js";
import { parseMintGenesis } from "../modules/mint/params.js";
import { AccessType } from "cosmjs-types/cosmwasm/wasm/v1/types";
import { parseAddress } from "../types/address.js";
import { addCoins, type Coin, coinsFromProto, coinsEqual, formatCoins, validateDenom } from "../types/coins.js";

export class GenesisError extends Error {
  constructor(msg: string) {
    super(`invalid genesis app_state: ${msg}`);
    this.name = "GenesisError";
  }
}

function uint(v: unknown, what: string): bigint {
  if (typeof v !== "string" || !/^[0-9]{1,19}$/.test(v)) throw new GenesisError(`${what} must be a decimal string, got ${JSON.stringify(v)}`);
  return BigInt(v);
}

function sortCoins(list: { denom: string; amount: string }[]): { denom: string; amount: string }[] {
  return [...list].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

export function parseAppGenesis(bytes: Uint8Array): AppGenesis {
  let g: unknown;
  try {
    g = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (e) {
    throw new GenesisError(`not valid JSON: ${(e as Error).message}`);
  }
  if (typeof g !== "object" || g === null) throw new GenesisError("must be a JSON object");
  const obj = g as Partial<AppGenesis>;
  if (!obj.auth || !obj.bank) throw new GenesisError("auth and bank sections are required");
  if (!Array.isArray(obj.bank.balances)) throw new GenesisError("bank.balances must be an array");
  if (!Array.isArray(obj.auth.accounts ?? [])) throw new GenesisError("auth.accounts must be an array");
  return obj as AppGenesis;
}

const ACCESS_TYPES: Record<string, AccessType> = {
  Everybody: AccessType.ACCESS_TYPE_EVERYBODY,
  Nobody: AccessType.ACCESS_TYPE_NOBODY,
  AnyOfAddresses: AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES,
};

function accessType(v: unknown, what: string): AccessType {
  const t = typeof v === "string" ? ACCESS_TYPES[v] : undefined;
  if (t === undefined) throw new GenesisError(`${what} must be one of ${Object.keys(ACCESS_TYPES).join(", ")}, got ${JSON.stringify(v)}`);
  return t;
}

export function initGenesis(ctx: Context, g: AppGenesis, k: { auth: AuthKeeper; bank: BankKeeper; wasm: WasmKeeper; mint: MintKeeper }): void {
  const p = g.auth.params;
  k.auth.setParams(ctx.store, {
    maxMemoCharacters: uint(p.max_memo_characters, "auth.params.max_memo_characters"),
    txSigLimit: uint(p.tx_sig_limit, "auth.params.tx_sig_limit"),
    txSizeCostPerByte: uint(p.tx_size_cost_per_byte, "auth.params.tx_size_cost_per_byte"),
    sigVerifyCostEd25519: uint(p.sig_verify_cost_ed25519, "auth.params.sig_verify_cost_ed25519"),
    sigVerifyCostSecp256k1: uint(p.sig_verify_cost_secp256k1, "auth.params.sig_verify_cost_secp256k1"),
  });

  // Accounts listed explicitly keep their numbers; the global counter continues after the largest.
  const seenNumbers = new Set<bigint>();
  for (const a of g.auth.accounts ?? []) {
    const addr = wrap(() => parseAddress(a.address), `auth account ${a.address}`);
    const number = uint(a.account_number, `account_number of ${a.address}`);
    if (seenNumbers.has(number)) throw new GenesisError(`duplicate account number ${number}`);
    if (k.auth.hasAccount(ctx.store, addr)) throw new GenesisError(`duplicate account ${a.address}`);
    seenNumbers.add(number);
    k.auth.setAccount(ctx.store, { base: { address: a.address, pubKey: undefined, accountNumber: number, sequence: uint(a.sequence, "sequence") } });
  }
  if (seenNumbers.size > 0) {
    const max = [...seenNumbers].reduce((x, y) => (x > y ? x : y));
    // Advance the counter past the largest explicit number.
    while (k.auth.newAccount(ctx.store, new Uint8Array(20)).base.accountNumber < max) {
      /* newAccount consumed a number */
    }
  }

  const bp = g.bank.params;
  k.bank.setParams(ctx.store, { sendEnabled: [], defaultSendEnabled: bp.default_send_enabled !== false });
  for (const se of [...(g.bank.send_enabled ?? []), ...(bp.send_enabled ?? [])]) {
    wrap(() => validateDenom(se.denom), "bank.send_enabled");
    k.bank.setSendEnabled(ctx.store, se.denom, se.enabled);
  }
  for (const m of g.bank.denom_metadata ?? []) {
    wrap(() => validateDenom(m.base), "bank.denom_metadata");
    k.bank.setDenomMetadata(
      ctx.store,
      Metadata.fromPartial({
        description: m.description,
        denomUnits: m.denom_units.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases ?? [] })),
        base: m.base,
        display: m.display,
        name: m.name,
        symbol: m.symbol,
        uri: m.uri ?? "",
        uriHash: m.uri_hash ?? "",
      }),
    );
  }

  const seen = new Set<string>();
  let supply: Coin[] = [];
  for (const b of g.bank.balances) {
    if (seen.has(b.address)) throw new GenesisError(`duplicate balance entry for ${b.address}`);
    seen.add(b.address);
    const addr = wrap(() => parseAddress(b.address), `balance of ${b.address}`);
    const coins = wrap(() => coinsFromProto(sortCoins(b.coins), false), `balance of ${b.address}`);
    k.bank.mintCoins(ctx, addr, coins);
    supply = addCoins(supply, coins);
  }
  const declared = wrap(() => coinsFromProto(sortCoins(g.bank.supply ?? [])), "bank.supply");
  if (declared.length > 0 && !coinsEqual(declared, supply)) {
    throw new GenesisError(`bank.supply ${formatCoins(declared)} does not match the sum of balances ${formatCoins(supply)}`);
  }
  k.auth.ensureModuleAccount(ctx.store, FEE_COLLECTOR);
  let mint: ReturnType<typeof parseMintGenesis>;
  try {
    mint = parseMintGenesis(g.mint);
  } catch (e) {
    throw new GenesisError((e as Error).message); // names the field, e.g. "mint.params.pos_share must be at most 1, got 1.5…"
  }
  k.mint.initGenesis(ctx.store, mint.minter, mint.params);

  if (g.wasm) {
    const wp = g.wasm.params;
    const upload = wp?.code_upload_access;
    const permission = accessType(upload?.permission, "wasm.params.code_upload_access.permission");
    const addresses = upload?.addresses ?? [];
    for (const a of addresses) wrap(() => parseAddress(a), "wasm.params.code_upload_access.addresses");
    if ((permission === AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES) !== addresses.length > 0) {
      throw new GenesisError("wasm.params.code_upload_access: addresses are required for AnyOfAddresses and only for it");
    }
    const instantiate = accessType(wp.instantiate_default_permission, "wasm.params.instantiate_default_permission");
    if (instantiate === AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES) throw new GenesisError("wasm.params.instantiate_default_permission cannot be AnyOfAddresses");
    k.wasm.setParams(ctx.store, { codeUploadAccess: { permission, addresses }, instantiateDefaultPermission: instantiate });
  }
}

function wrap<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (e) {
    throw new GenesisError(`${what}: ${(e as Error).message}`);
  }
}
