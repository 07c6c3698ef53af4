import { describe, expect, it } from "vitest";
import { EventManager, type Context } from "../../app/context.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { fromBech32 } from "@cosmjs/encoding";
import { AuthKeeper, FEE_COLLECTOR, moduleAddress } from "../auth/keeper.js";
import { BankKeeper } from "./keeper.js";
import { ChainError } from "../../errors/errors.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const addr = (seed: string) => fromBech32(keyFromSeed(seed).address, 90).data;

function ctx(): Context {
  const store = new BranchStore(empty);
  return { store, rawStore: store, gasMeter: new GasMeter(undefined), events: new EventManager(), chainId: "t", height: 1n, timeSeconds: 0n, timeNanos: 0n, mode: "deliver" };
}

describe("BankKeeper", () => {
  const auth = new AuthKeeper();
  const bank = new BankKeeper(auth);

  it("mints, sends, tracks supply and creates recipient accounts with increasing numbers", () => {
    const c = ctx();
    bank.mintCoins(c, addr("a"), [{ denom: "usoa", amount: 100n }]);
    bank.sendCoins(c, addr("a"), addr("b"), [{ denom: "usoa", amount: 40n }]);
    expect(bank.getBalance(c.store, addr("a"), "usoa")).toBe(60n);
    expect(bank.getBalance(c.store, addr("b"), "usoa")).toBe(40n);
    expect([...bank.iterateSupply(c.store)]).toEqual([{ denom: "usoa", amount: 100n }]);
    expect(auth.getAccount(c.store, addr("a"))!.base.accountNumber).toBe(0n);
    expect(auth.getAccount(c.store, addr("b"))!.base.accountNumber).toBe(1n);
    expect(c.events.events.map((e) => e.type)).toEqual(["coin_received", "coinbase", "coin_spent", "coin_received", "transfer", "message"]);
  });

  it("refuses to overdraw (code 5) without partial writes", () => {
    const c = ctx();
    bank.mintCoins(c, addr("a"), [{ denom: "aaa", amount: 5n }, { denom: "usoa", amount: 1n }]);
    const branch = new BranchStore(c.store);
    try {
      bank.subCoins({ ...c, store: branch }, addr("a"), [{ denom: "aaa", amount: 5n }, { denom: "usoa", amount: 2n }]);
      expect.unreachable();
    } catch (e) {
      expect((e as ChainError).code).toBe(5);
      expect((e as ChainError).message).toBe("spendable balance 1usoa is smaller than 2usoa: insufficient funds");
    }
    expect(bank.getAllBalances(c.store, addr("a"))).toEqual([{ denom: "aaa", amount: 5n }, { denom: "usoa", amount: 1n }]);
  });

  it("blocks module accounts as MsgSend recipients and honours send-enabled flags", () => {
    const c = ctx();
    auth.ensureModuleAccount(c.store, FEE_COLLECTOR);
    expect(() => bank.checkNotBlocked(moduleAddress(FEE_COLLECTOR))).toThrow(/not allowed to receive funds/);
    expect(() => bank.checkNotBlocked(addr("x"))).not.toThrow();
    bank.setSendEnabled(c.store, "frozen", false);
    expect(() => bank.checkSendEnabled(c.store, [{ denom: "frozen", amount: 1n }])).toThrow(/disabled/);
    expect(() => bank.checkSendEnabled(c.store, [{ denom: "usoa", amount: 1n }])).not.toThrow();
  });
});
