// bank: balances, total supply, denom metadata and send-enabled flags. The only code that
// touches the bank prefixes; it creates accounts for new recipients through the auth keeper.
import { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../app/context.js";
import { ErrInsufficientFunds, ErrUnauthorized } from "../../errors/sdk.js";
import { key, lengthPrefixed, Prefix } from "../../store/prefixes.js";
import { prefixEnd, type KVReader, type KVStore } from "../../store/types.js";
import { formatAddress } from "../../types/address.js";
import { type Coin, formatCoins } from "../../types/coins.js";
import type { AuthKeeper } from "../auth/keeper.js";
import { ErrSendDisabled } from "./errors.js";

const utf8 = (s: string) => Buffer.from(s, "utf8");
const balancePrefix = (addr: Uint8Array) => key(Prefix.BankBalance, lengthPrefixed(addr));
const balanceKey = (addr: Uint8Array, denom: string) => key(Prefix.BankBalance, lengthPrefixed(addr), utf8(denom));
const supplyKey = (denom: string) => key(Prefix.BankSupply, utf8(denom));
const metadataKey = (denom: string) => key(Prefix.BankDenomMetadata, utf8(denom));
const sendEnabledKey = (denom: string) => key(Prefix.BankSendEnabled, utf8(denom));
const PARAMS_KEY = key(Prefix.BankParams);

const decodeAmount = (v: Uint8Array | undefined) => (v ? BigInt(Buffer.from(v).toString("latin1")) : 0n);
const encodeAmount = (a: bigint) => Buffer.from(a.toString(), "latin1");

export class BankKeeper {
  constructor(private readonly auth: AuthKeeper) {}

  getBalance(s: KVReader, addr: Uint8Array, denom: string): bigint {
    return decodeAmount(s.get(balanceKey(addr, denom)));
  }

  /** All non-zero balances of an address, sorted by denom. */
  getAllBalances(s: KVReader, addr: Uint8Array): Coin[] {
    const p = balancePrefix(addr);
    const out: Coin[] = [];
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      out.push({ denom: Buffer.from(k.subarray(p.length)).toString("utf8"), amount: decodeAmount(v) });
    }
    return out;
  }

  private setBalance(s: KVStore, addr: Uint8Array, denom: string, amount: bigint): void {
    if (amount === 0n) s.delete(balanceKey(addr, denom));
    else s.set(balanceKey(addr, denom), encodeAmount(amount));
  }

  getSupply(s: KVReader, denom: string): bigint {
    return decodeAmount(s.get(supplyKey(denom)));
  }

  *iterateSupply(s: KVReader): Iterable<Coin> {
    const p = Buffer.from([Prefix.BankSupply]);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      yield { denom: Buffer.from(k.subarray(1)).toString("utf8"), amount: decodeAmount(v) };
    }
  }

  getParams(s: KVReader): Params {
    const v = s.get(PARAMS_KEY);
    return v ? Params.decode(v) : { sendEnabled: [], defaultSendEnabled: true };
  }

  setParams(s: KVStore, p: Params): void {
    s.set(PARAMS_KEY, Params.encode({ sendEnabled: [], defaultSendEnabled: p.defaultSendEnabled }).finish());
  }

  setSendEnabled(s: KVStore, denom: string, enabled: boolean): void {
    s.set(sendEnabledKey(denom), Buffer.from([enabled ? 1 : 0]));
  }

  /** Per-denom flags, sorted by denom. */
  *iterateSendEnabled(s: KVReader): Iterable<{ denom: string; enabled: boolean }> {
    const p = Buffer.from([Prefix.BankSendEnabled]);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { denom: Buffer.from(k.subarray(1)).toString("utf8"), enabled: v[0] === 1 };
  }

  isSendEnabled(s: KVReader, denom: string): boolean {
    const v = s.get(sendEnabledKey(denom));
    return v ? v[0] === 1 : this.getParams(s).defaultSendEnabled;
  }

  checkSendEnabled(s: KVReader, coins: readonly Coin[]): void {
    for (const c of coins) if (!this.isSendEnabled(s, c.denom)) throw ErrSendDisabled.wrap(`${c.denom} transfers are currently disabled`);
  }

  getDenomMetadata(s: KVReader, denom: string): Metadata | undefined {
    const v = s.get(metadataKey(denom));
    return v ? Metadata.decode(v) : undefined;
  }

  setDenomMetadata(s: KVStore, m: Metadata): void {
    s.set(metadataKey(m.base), Metadata.encode(m).finish());
  }

  *iterateDenomMetadata(s: KVReader): Iterable<Metadata> {
    const p = Buffer.from([Prefix.BankDenomMetadata]);
    for (const [, v] of s.iterate(p, prefixEnd(p))) yield Metadata.decode(v);
  }

  /** Module accounts may not receive funds through MsgSend (the SDK's blocked addresses). */
  checkNotBlocked(addr: Uint8Array): void {
    if (this.auth.isModuleAddress(addr)) {
      throw ErrUnauthorized.wrap(`${formatAddress(addr)} is not allowed to receive funds`);
    }
  }

  /** Removes coins from an account: all-or-nothing; emits coin_spent. */
  subCoins(ctx: Context, addr: Uint8Array, coins: readonly Coin[]): void {
    for (const c of coins) {
      const have = this.getBalance(ctx.store, addr, c.denom);
      if (have < c.amount) {
        throw ErrInsufficientFunds.wrap(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      }
      this.setBalance(ctx.store, addr, c.denom, have - c.amount);
    }
    ctx.events.emit("coin_spent", () => [
      ["spender", formatAddress(addr)],
      ["amount", formatCoins(coins)],
    ]);
  }

  /** Adds coins to an account, creating the account on first receipt; emits coin_received. */
  addCoins(ctx: Context, addr: Uint8Array, coins: readonly Coin[]): void {
    for (const c of coins) this.setBalance(ctx.store, addr, c.denom, this.getBalance(ctx.store, addr, c.denom) + c.amount);
    if (!this.auth.hasAccount(ctx.store, addr)) this.auth.setAccount(ctx.store, this.auth.newAccount(ctx.store, addr));
    ctx.events.emit("coin_received", () => [
      ["receiver", formatAddress(addr)],
      ["amount", formatCoins(coins)],
    ]);
  }

  /** Moves coins between accounts with the SDK's event sequence. */
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Coin[]): void {
    this.subCoins(ctx, from, coins);
    this.addCoins(ctx, to, coins);
    ctx.events.emit("transfer", () => [
      ["recipient", formatAddress(to)],
      ["sender", formatAddress(from)],
      ["amount", formatCoins(coins)],
    ]);
    ctx.events.emit("message", () => [["sender", formatAddress(from)]]);
  }

  /** Destroys coins held by an account and lowers the supply (a contract's BankMsg::Burn). */
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Coin[]): void {
    this.subCoins(ctx, from, coins);
    for (const c of coins) ctx.store.set(supplyKey(c.denom), encodeAmount(this.getSupply(ctx.store, c.denom) - c.amount));
    ctx.events.emit("burn", () => [
      ["burner", formatAddress(from)],
      ["amount", formatCoins(coins)],
    ]);
  }

  /** Creates new coins in an account and raises the supply (genesis, mint); emits coinbase like the SDK. */
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Coin[]): void {
    for (const c of coins) ctx.store.set(supplyKey(c.denom), encodeAmount(this.getSupply(ctx.store, c.denom) + c.amount));
    this.addCoins(ctx, to, coins);
    ctx.events.emit("coinbase", () => [
      ["minter", formatAddress(to)],
      ["amount", formatCoins(coins)],
    ]);
  }
}
