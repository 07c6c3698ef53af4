// The licensing contract with the real model-nft through the real chain (in-process node): every licence
// kind bought and paid out in the same tx (protocol fee, the direct parents' royalties to their current
// owners, the rest to the model's current owner), subscriptions expiring as blocks pass, metered credits
// charged by a meter until they run out and by the chain through sudo, withdrawals, transfers, and the
// model changing hands. Balances are checked to the last usoa (every tx also pays its 10,000 usoa fee,
// counted per signer). Needs contracts-as/build/{model-nft,licensing}.wasm (`make contracts`).
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKey } from "../chain/src/tx/build.js";
import { parseAddress } from "../chain/src/types/address.js";
import { type Coin, contractAddressOf, codeIdOf, contractWasm, json, modelManifest, nativeContext, SECOND, Signer, smartQuery, usoa, usoaBalance } from "../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../chain/test/utils/testNode.js";

const manifest = (name: string, parents: string[], royaltyBps: number) =>
  modelManifest(name, { parents, royaltyBps, weightsSha256: "cd".repeat(32), verification: { scheme: "TOPK_LOGPROB", tolerance: "0.05" } });

describe("licensing with model-nft on the chain", () => {
  const dev = keyFromSeed("lic-dev"); // mints and owns the model m1
  const baseDev = keyFromSeed("lic-base-dev"); // owns the parent p1 (5 %)
  const tuneDev = keyFromSeed("lic-tune-dev"); // owns the parent p2 (10 %)
  const alice = keyFromSeed("lic-alice"); // buyer
  const bob = keyFromSeed("lic-bob"); // subscriber, later model owner
  const meter = keyFromSeed("lic-meter"); // the model owner's usage meter
  const treasury = keyFromSeed("lic-treasury").address; // protocol fee recipient; never signs
  const keys = [dev, baseDev, tuneDev, alice, bob, meter];
  const start = new Map<string, bigint>();
  const gas: Record<string, bigint> = {};
  let node: TestNode;
  let signer: Signer;
  let nft = "";
  let lic = "";

  beforeAll(async () => {
    node = await TestNode.create({ genesis: fundedGenesis(keys) });
    signer = new Signer(node, keys);
  });
  afterAll(async () => {
    if (Object.keys(gas).length > 0) console.log("licensing gas used per tx:", gas);
    await node?.close();
  });

  const exec = (key: TestKey, contract: string, msg: unknown, funds: Coin[] = []): ExecTxResult => signer.exec(key, contract, msg, funds);

  /** Executes and expects success; records the gas under `label`. */
  function ok(label: string | null, key: TestKey, contract: string, msg: unknown, funds: Coin[] = []): ExecTxResult {
    const r = exec(key, contract, msg, funds);
    expect(r.code, r.log).toBe(0);
    if (label !== null) gas[label] = r.gasUsed;
    return r;
  }

  /** Executes and expects the contract error `message` (code 5), nothing else changed but the fee. */
  function fails(key: TestKey, contract: string, msg: unknown, message: string, funds: Coin[] = []): void {
    const r = exec(key, contract, msg, funds);
    expect([r.code, r.codespace], r.log).toEqual([5, "wasm"]);
    expect(r.log).toContain(message);
  }

  function query<T = any>(contract: string, msg: unknown): T {
    const r = smartQuery(node, contract, msg);
    expect(r.code, r.log).toBe(0);
    return r.value as T;
  }

  const balance = (addr: string) => usoaBalance(node, addr);
  const attr = (r: ExecTxResult, key: string) => r.events.find((e) => e.type === "wasm" && e.attributes.some((a) => a.key === key))?.attributes.find((a) => a.key === key)?.value;
  /** The block time (nanos) of the last delivered block: what the contract saw as env.block.time. */
  const blockNanos = () => node.timeSeconds * SECOND;
  const access = (user: string, model = "m1") => query(lic, { check_access: { model, user } });

  /** Balance change since the start, fees added back: what the contracts moved. */
  function moved(addr: string): bigint {
    return balance(addr) - start.get(addr)! + (signer.feesPaid.get(addr) ?? 0n);
  }
  /** Checks every party's net contract flow to the last usoa. */
  function expectMoved(expected: Record<string, bigint>): void {
    const names: Record<string, string> = { dev: dev.address, baseDev: baseDev.address, tuneDev: tuneDev.address, alice: alice.address, bob: bob.address, meter: meter.address, treasury, lic };
    const actual: Record<string, bigint> = {};
    for (const k of Object.keys(names)) actual[k] = moved(names[k]!);
    expect(actual).toEqual({ dev: 0n, baseDev: 0n, tuneDev: 0n, alice: 0n, bob: 0n, meter: 0n, treasury: 0n, lic: 0n, ...expected });
  }

  it("deploys model-nft and licensing; mints a model deriving from two parents", () => {
    const codes: bigint[] = [];
    for (const name of ["model-nft", "licensing"]) {
      const r = signer.store(dev, contractWasm(name), 30_000_000n);
      expect(r.code, r.log).toBe(0);
      codes.push(codeIdOf(r));
    }
    const inst = (codeId: bigint, msg: unknown) => {
      const r = signer.instantiate(dev, codeId, msg, { admin: dev.address, label: "lic-test" });
      expect(r.code, r.log).toBe(0);
      return { addr: contractAddressOf(r), gas: r.gasUsed };
    };
    nft = inst(codes[0]!, { name: "Models", symbol: "MDL" }).addr; // open minting
    const l = inst(codes[1]!, { nft_contract: nft, protocol_fee_bps: 200, protocol_fee_recipient: treasury, denom: "usoa" });
    lic = l.addr;
    gas.instantiate = l.gas;
    expect(query(lic, { config: {} })).toEqual({ nft_contract: nft, protocol_fee_bps: 200, protocol_fee_recipient: treasury, denom: "usoa" });

    ok(null, baseDev, nft, { mint: { token_id: "p1", owner: baseDev.address, token_uri: null, extension: manifest("base", [], 500) } });
    ok(null, tuneDev, nft, { mint: { token_id: "p2", owner: tuneDev.address, token_uri: null, extension: manifest("instruct", [], 1000) } });
    ok(null, dev, nft, { mint: { token_id: "m1", owner: dev.address, token_uri: null, extension: manifest("chat", ["p1", "p2"], 250) } });
    for (const a of [dev.address, baseDev.address, tuneDev.address, alice.address, bob.address, meter.address, treasury, lic]) start.set(a, balance(a));
    for (const k of keys) signer.feesPaid.set(k.address, 0n);
  });

  it("only the model's owner publishes; offers carry the parents' royalty schedule", () => {
    fails(alice, lic, { publish_offer: { model: "m1", offer: { kind: "perpetual", price: "1000000" }, commercial: true, derivatives: null, transferable: false } }, "Unauthorized");
    const r = ok("publish_offer", dev, lic, {
      publish_offer: { model: "m1", offer: { kind: "perpetual", price: "1000000" }, commercial: true, derivatives: { allowed: true, parent_royalty_bps: 300 }, transferable: false },
    });
    expect(attr(r, "royalty_bps")).toBe("1500");
    ok(null, dev, lic, { publish_offer: { model: "m1", offer: { kind: "subscription", price_per_period: "1000", period_seconds: 5 }, commercial: false, derivatives: null, transferable: true } });
    ok(null, dev, lic, {
      publish_offer: { model: "m1", offer: { kind: "metered", price_per_call: "7", price_per_1k_units: null, min_deposit: "100" }, commercial: true, derivatives: null, transferable: true },
    });
    const offers = query(lic, { offers: { model: "m1" } }).offers;
    expect(offers.map((o: any) => o.offer.kind)).toEqual(["perpetual", "subscription", "metered"]);
    expect(offers[0].royalties).toEqual([
      { token_id: "p1", bps: 500 },
      { token_id: "p2", bps: 1000 },
    ]);
    expect(offers[0].publisher).toBe(dev.address);
    expectMoved({});
  });

  it("perpetual: exact price, split in the same tx to the last usoa; not transferable", () => {
    expect(access(alice.address)).toEqual({ allowed: false, kind: null, expires_at: null, credits: "0", price: "7" });
    fails(alice, lic, { buy_license: { model: "m1", kind: "perpetual" } }, "Insufficient funds: the price is 1000000usoa, got 999999usoa", usoa(999_999n));
    expectMoved({});
    ok("buy_license perpetual", alice, lic, { buy_license: { model: "m1", kind: "perpetual" } }, usoa(1_000_000n));
    // 2 % fee, 5 % and 10 % royalties, 83 % to the owner
    expectMoved({ alice: -1_000_000n, treasury: 20_000n, baseDev: 50_000n, tuneDev: 100_000n, dev: 830_000n });
    expect(access(alice.address)).toEqual({ allowed: true, kind: "perpetual", expires_at: null, credits: "0", price: "7" });
    fails(alice, lic, { transfer_license: { model: "m1", kind: "perpetual", to: bob.address } }, "License not transferable");
    fails(alice, lic, { buy_license: { model: "m1", kind: "perpetual" } }, "License already held", usoa(1_000_000n));
    expectMoved({ alice: -1_000_000n, treasury: 20_000n, baseDev: 50_000n, tuneDev: 100_000n, dev: 830_000n });
  });

  it("subscription: whole periods, extension from the current expiry, expiry as blocks pass", () => {
    fails(bob, lic, { buy_license: { model: "m1", kind: "subscription" } }, "Wrong funds: pay a whole number of periods of 1000usoa, got 2500usoa", usoa(2_500n));
    const r = ok("buy_license subscription (3 periods)", bob, lic, { buy_license: { model: "m1", kind: "subscription" } }, usoa(3_000n));
    const expires = blockNanos() + 15n * SECOND;
    expect(attr(r, "expires_at")).toBe(expires.toString());
    // 3000: fee 60, p1 150, p2 300, owner 2490
    const base = { alice: -1_000_000n, treasury: 20_000n, baseDev: 50_000n, tuneDev: 100_000n, dev: 830_000n };
    expectMoved({ ...base, bob: -3_000n, treasury: 20_060n, baseDev: 50_150n, tuneDev: 100_300n, dev: 832_490n });
    expect(access(bob.address)).toEqual({ allowed: true, kind: "subscription", expires_at: expires.toString(), credits: "0", price: "7" });

    // Extend while active: one more period from the old expiry, not from now.
    const r2 = ok("buy_license subscription (extend)", bob, lic, { buy_license: { model: "m1", kind: "subscription" } }, usoa(1_000n));
    const expires2 = expires + 5n * SECOND;
    expect(attr(r2, "expires_at")).toBe(expires2.toString());
    expectMoved({ ...base, bob: -4_000n, treasury: 20_080n, baseDev: 50_200n, tuneDev: 100_400n, dev: 833_320n });

    // Blocks pass (1 s each) until the subscription lapses at exactly expires_at.
    while (blockNanos() < expires2 - SECOND) node.deliverBlock([]);
    expect(access(bob.address).allowed).toBe(true);
    node.deliverBlock([]);
    expect(blockNanos()).toBe(expires2);
    expect(access(bob.address)).toEqual({ allowed: false, kind: null, expires_at: expires2.toString(), credits: "0", price: "7" });
    fails(bob, lic, { transfer_license: { model: "m1", kind: "subscription", to: alice.address } }, "Subscription expired");
  });

  it("metered: deposit, an authorised meter charges until the credits run out, no double spend, withdraw", () => {
    const before = { alice: -1_000_000n, bob: -4_000n, treasury: 20_080n, baseDev: 50_200n, tuneDev: 100_400n, dev: 833_320n };
    fails(alice, lic, { deposit_credits: { model: "m1" } }, "Insufficient funds: the minimum deposit is 100usoa, got 99usoa", usoa(99n));
    ok("deposit_credits", bob, lic, { deposit_credits: { model: "m1" } }, usoa(100n));
    expectMoved({ ...before, bob: -4_100n, lic: 100n });
    expect(access(bob.address)).toEqual({ allowed: true, kind: "metered", expires_at: query(lic, { license: { model: "m1", user: bob.address } }).subscription.expires_at, credits: "100", price: "7" });

    fails(meter, lic, { charge_usage: { model: "m1", user: bob.address, units: "1" } }, "Unauthorized meter");
    fails(alice, lic, { add_meter: { model: "m1", meter: meter.address } }, "Unauthorized");
    ok("add_meter", dev, lic, { add_meter: { model: "m1", meter: meter.address } });
    expect(query(lic, { meters: { model: "m1" } })).toEqual({ meters: [meter.address] });

    const c = ok("charge_usage", meter, lic, { charge_usage: { model: "m1", user: bob.address, units: "10" } });
    expect([attr(c, "cost"), attr(c, "credits")]).toEqual(["70", "30"]);
    // 70: fee 1, p1 3, p2 7, owner 59
    expectMoved({ ...before, bob: -4_100n, lic: 30n, treasury: 20_081n, baseDev: 50_203n, tuneDev: 100_407n, dev: 833_379n });
    fails(meter, lic, { charge_usage: { model: "m1", user: bob.address, units: "5" } }, "Insufficient credits"); // 35 > 30
    ok(null, meter, lic, { charge_usage: { model: "m1", user: bob.address, units: "4" } }); // 28: fee 0, p1 1, p2 2, owner 25
    fails(meter, lic, { charge_usage: { model: "m1", user: bob.address, units: "1" } }, "Insufficient credits"); // 7 > 2
    expect(access(bob.address)).toMatchObject({ allowed: false, kind: null, credits: "2", price: "7" });
    const after = { ...before, bob: -4_100n, lic: 2n, treasury: 20_081n, baseDev: 50_204n, tuneDev: 100_409n, dev: 833_404n };
    expectMoved(after);
    expect(query(lic, { license: { model: "m1", user: bob.address } }).metered).toEqual({ credits: "2", spent: "98", commercial: true, derivatives: null, transferable: true });

    ok("withdraw_credits", bob, lic, { withdraw_credits: { model: "m1", amount: null } });
    expectMoved({ ...after, bob: -4_098n, lic: 0n });
  });

  it("sudo settle_usage: the chain charges credits with the same split; refuses what the credits do not cover", () => {
    ok(null, alice, lic, { deposit_credits: { model: "m1" } }, usoa(500n));
    const ctx = nativeContext(node, 5_000_000n);
    const bal = (addr: string) => node.app.bank.getBalance(ctx.store, parseAddress(addr), "usoa");
    const before = Object.fromEntries([dev.address, baseDev.address, tuneDev.address, treasury, lic].map((a) => [a, bal(a)]));
    const q0 = ctx.gasMeter.consumed();
    const answer = JSON.parse(Buffer.from(node.app.wasm.querySmart(ctx, lic, json({ check_access: { model: "m1", user: alice.address } }))).toString());
    expect(answer).toEqual({ allowed: true, kind: "perpetual", expires_at: null, credits: "500", price: "7" });
    gas["check_access (native querySmart)"] = ctx.gasMeter.consumed() - q0;
    const s0 = ctx.gasMeter.consumed();
    node.app.wasm.sudo(ctx, lic, json({ settle_usage: { model: "m1", user: alice.address, units: "50" } })); // 350
    gas["sudo settle_usage"] = ctx.gasMeter.consumed() - s0;
    // 350: fee 7, p1 17, p2 35, owner 291
    expect(bal(treasury) - before[treasury]!).toBe(7n);
    expect(bal(baseDev.address) - before[baseDev.address]!).toBe(17n);
    expect(bal(tuneDev.address) - before[tuneDev.address]!).toBe(35n);
    expect(bal(dev.address) - before[dev.address]!).toBe(291n);
    expect(bal(lic) - before[lic]!).toBe(-350n);
    expect(() => node.app.wasm.sudo(ctx, lic, json({ settle_usage: { model: "m1", user: alice.address, units: "22" } }))).toThrow(/Insufficient credits/); // 154 > 150
    expect(bal(lic) - before[lic]!).toBe(-350n);
    // The branch is dropped: committed state still holds alice's 500 credits, which she takes back.
    ok(null, alice, lic, { withdraw_credits: { model: "m1", amount: "500" } });
    expect(balance(lic)).toBe(0n);
  });

  it("the model changes hands: the new owner is paid, the old owner's meters stop counting", () => {
    ok(null, dev, nft, { transfer_nft: { recipient: bob.address, token_id: "m1" } });
    expect(query(lic, { meters: { model: "m1" } })).toEqual({ meters: [] });
    ok(null, alice, lic, { deposit_credits: { model: "m1" } }, usoa(100n));
    fails(meter, lic, { charge_usage: { model: "m1", user: alice.address, units: "1" } }, "Unauthorized meter");
    fails(dev, lic, { withdraw_offer: { model: "m1", kind: "perpetual" } }, "Unauthorized");
    const snapshot = new Map([dev.address, baseDev.address, tuneDev.address, bob.address, treasury].map((a) => [a, moved(a)]));
    ok(null, bob, lic, { add_meter: { model: "m1", meter: meter.address } });
    ok(null, meter, lic, { charge_usage: { model: "m1", user: alice.address, units: "14" } }); // 98: fee 1, p1 4, p2 9, owner 84
    expect(moved(bob.address) - snapshot.get(bob.address)!).toBe(84n);
    expect(moved(dev.address) - snapshot.get(dev.address)!).toBe(0n);
    expect(moved(baseDev.address) - snapshot.get(baseDev.address)!).toBe(4n);
    expect(moved(tuneDev.address) - snapshot.get(tuneDev.address)!).toBe(9n);
    expect(moved(treasury) - snapshot.get(treasury)!).toBe(1n);
    expect(balance(lic)).toBe(2n);
    expect(query(lic, { licenses_by_user: { user: alice.address, start_after: null, limit: 10 } }).licenses.map((l: any) => l.model)).toEqual(["m1"]);
    ok("transfer_license metered", alice, lic, { transfer_license: { model: "m1", kind: "metered", to: dev.address } });
    expect(access(dev.address)).toMatchObject({ allowed: false, credits: "2" });
    ok(null, dev, lic, { withdraw_credits: { model: "m1", amount: null } });
    expect(balance(lic)).toBe(0n); // no funds left behind
  });
});
