// The product contracts (contracts-as/model-nft, licensing, marketplace) on a real 1-validator localnet,
// driven with unmodified CosmJS (SigningCosmWasmClient from connectCosmWasmClient):
//
//   1. the worked example: upload (fee auto ×1.1) and instantiate the three contracts, a developer mints a
//      base model with a full manifest (paying the mint fee), a second developer mints a fine-tune of it and
//      sells a perpetual licence: owner, parent owner (royalty) and protocol account are paid in the same tx;
//   2. a model sold on the marketplace (approve + list; the owner keeps it until the sale) and resold by its
//      buyer: the creator's royalty both times;
//   3. a subscription that lapses as blocks pass (block time) and is extended;
//   4. metered usage charged by an authorised meter until the prepaid credits run out.
//
// Every balance of every party (the five dev accounts, the fee recipients, the contracts) is checked to the
// last usoa after every step: each tx's fee is read back from the tx itself (feeOfTx on the indexed tx,
// cross-checked with its `tx.fee` event), and every contract payment is added by hand.
//
// Accounts (dev mnemonic): #0 dev (deploys, mints the base model), #1 user (buys licences), #2 tuner (mints
// and licenses the fine-tune), #3 buyer (marketplace buyer, later the meter), #4 collector (buys the resale).
// Needs contracts-as/build/{model-nft,licensing,marketplace}.wasm (`make contracts`).
import { readFileSync } from "node:fs";
import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { sha256 } from "@cosmjs/crypto";
import { toBech32, toHex, toUtf8 } from "@cosmjs/encoding";
import { BECH32_PREFIX, DENOM, connectCosmWasmClient } from "@soa/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeOfEvents, feeOfTx, pollUntil, rpcResult, startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;
const SECOND = 1_000_000_000n;

interface Party {
  name: string;
  client: SigningCosmWasmClient;
  address: string;
}
interface Coin {
  denom: string;
  amount: string;
}
/** What a delivered tx looks like to the helpers (DeliverTxResponse of the @cosmjs/stargate that cosmwasm uses). */
interface Delivered {
  code: number;
  height: number;
  transactionHash: string;
  rawLog?: string;
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

const usoa = (n: bigint): Coin[] => [{ denom: DENOM, amount: n.toString() }];
/** An address nobody holds a key for (fee recipients that never sign): sha256(label)[:20]. */
const labelAddress = (label: string): string => toBech32(BECH32_PREFIX, sha256(toUtf8(label)).subarray(0, 20));
const bps = (amount: bigint, b: bigint): bigint => (amount * b) / 10_000n;
/** A fixed fee for txs that are meant to fail in the block (fee "auto" would refuse them in simulation). */
const FIXED_FEE = { amount: usoa(10_000n), gas: "600000" };

function contractWasm(name: string): Uint8Array {
  return readFileSync(new URL(`../contracts-as/build/${name}.wasm`, import.meta.url));
}

/** RFC 3339 with up to 9 fractional digits (CometBFT's header time) → nanoseconds since the epoch. */
function rfc3339Nanos(s: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) throw new Error(`unexpected time ${s}`);
  return BigInt(Date.parse(`${m[1]}Z`) / 1000) * SECOND + BigInt((m[2] ?? "").padEnd(9, "0"));
}

function attr(r: Delivered, type: string, key: string): string | undefined {
  return r.events.find((e) => e.type === type && e.attributes.some((a) => a.key === key))?.attributes.find((a) => a.key === key)?.value;
}

/** A full model manifest (ManifestInput: creator and created_at are set by the contract). */
function manifest(name: string, parents: string[], royaltyBps: number) {
  return {
    name,
    version: "1.0.0",
    task: "text-generation",
    format: "safetensors",
    weights_sha256: toHex(sha256(toUtf8(`${name} weights`))),
    engine: "vllm",
    dtype: "bf16",
    uri: `ipfs://bafy-${name}`,
    parents,
    verification: { scheme: "TOPLOC", tolerance: "0.01" },
    royalty_bps: royaltyBps,
  };
}

describe("model NFTs, licences and the marketplace through unmodified CosmJS on a real localnet", () => {
  let net: Localnet;
  let dev: Party; // #0: deploys, mints the base model
  let user: Party; // #1: buys licences
  let tuner: Party; // #2: mints the fine-tune and sells its licences
  let buyer: Party; // #3: buys the base model on the marketplace, resells it; later the usage meter
  let collector: Party; // #4: buys the resale
  const mintFeeRecipient = labelAddress("models-e2e mint fee recipient");
  const protocol = labelAddress("models-e2e protocol fee recipient");
  const marketFeeRecipient = labelAddress("models-e2e marketplace fee recipient");
  const MINT_FEE = 1_000_000n;
  const PROTOCOL_BPS = 250n; // 2.5 %
  const MARKET_BPS = 200n; // 2 %
  const BASE_ROYALTY_BPS = 1_000n; // 10 %: the base model's creator royalty and its parent royalty in licences
  const TUNE_ROYALTY_BPS = 500n;
  const BASE = "llama-3-8b";
  const TUNE = "llama-3-8b-legal-ft";
  let nft = "";
  let lic = "";
  let market = "";
  /** Expected usoa balance of every tracked address. */
  const expected = new Map<string, bigint>();
  const names = new Map<string, string>();

  const rpc = (): string => net.rpcUrl(0);

  async function connect(name: string, index: number): Promise<Party> {
    const c = await connectCosmWasmClient({ rpc: rpc(), hdIndex: index, clientOptions: { broadcastPollIntervalMs: 200 } });
    return { name, client: c.client, address: c.address };
  }

  const balance = async (addr: string): Promise<bigint> => BigInt((await dev.client.getBalance(addr, DENOM)).amount);

  /** Starts tracking `addr` at its current balance. */
  async function track(name: string, addr: string): Promise<void> {
    names.set(addr, name);
    expected.set(addr, await balance(addr));
  }

  /** Adds `delta` to the expected balance of `addr`. */
  function credit(addr: string, delta: bigint): void {
    const cur = expected.get(addr);
    if (cur === undefined) throw new Error(`untracked address ${addr}`);
    expected.set(addr, cur + delta);
  }

  /** Every tracked balance equals the expected one, to the last usoa. */
  async function expectBalances(): Promise<void> {
    const actual: Record<string, bigint> = {};
    const want: Record<string, bigint> = {};
    for (const [addr, v] of expected) {
      const n = names.get(addr)!;
      actual[n] = await balance(addr);
      want[n] = v;
    }
    expect(actual).toEqual(want);
  }

  /** The fee `who` paid for tx `hash`, read from the indexed tx (AuthInfo) and checked against its event. */
  async function chargeFee(who: Party, hash: string): Promise<bigint> {
    const indexed = await pollUntil(`tx ${hash} indexed`, async () => (await who.client.getTx(hash)) ?? undefined, 20_000);
    const fee = feeOfTx(indexed.tx);
    expect(feeOfEvents(indexed as Parameters<typeof feeOfEvents>[0])).toBe(fee);
    expect(fee).toBeGreaterThan(0n);
    credit(who.address, -fee);
    return fee;
  }

  /** One MsgExecuteContract, delivered in a block whatever its outcome; the signer's fee is booked. */
  async function exec(who: Party, contract: string, msg: unknown, funds: Coin[] = [], fee: number | typeof FIXED_FEE = 1.4): Promise<Delivered> {
    const r = (await who.client.signAndBroadcast(
      who.address,
      [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: who.address, contract, msg: toUtf8(JSON.stringify(msg)), funds } }],
      fee,
    )) as Delivered;
    await chargeFee(who, r.transactionHash);
    return r;
  }

  async function ok(who: Party, contract: string, msg: unknown, funds: Coin[] = []): Promise<Delivered> {
    const r = await exec(who, contract, msg, funds);
    expect(r.code, r.rawLog).toBe(0);
    return r;
  }

  /** A tx that fails in its block with the contract error `error` (code 5): only the fee is taken. */
  async function fails(who: Party, contract: string, msg: unknown, error: string, funds: Coin[] = []): Promise<void> {
    const r = await exec(who, contract, msg, funds, FIXED_FEE);
    expect([r.code, r.rawLog?.includes(error)], r.rawLog).toEqual([5, true]);
  }

  const query = <T = any>(contract: string, msg: unknown): Promise<T> => dev.client.queryContractSmart(contract, msg) as Promise<T>;
  const access = (model: string, who: string) => query(lic, { check_access: { model, user: who } });
  const ownerOf = async (token: string): Promise<string> => (await query<{ owner: string }>(nft, { owner_of: { token_id: token, include_expired: null } })).owner;

  /** Block time (nanos) of block `height`: the env.block.time the contracts saw in it. */
  async function blockTime(height: number): Promise<bigint> {
    const b = await rpcResult<{ block: { header: { time: string } } }>(rpc(), "block", { height: String(height) });
    return rfc3339Nanos(b.block.header.time);
  }

  /** The licensing payment split of `amount` on the fine-tune (parent: the base model). */
  function licenceSplit(amount: bigint): { protocol: bigint; parent: bigint; owner: bigint } {
    const p = bps(amount, PROTOCOL_BPS);
    const parent = bps(amount, BASE_ROYALTY_BPS);
    return { protocol: p, parent, owner: amount - p - parent };
  }

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 1 });
    dev = await connect("dev", 0);
    user = await connect("user", 1);
    tuner = await connect("tuner", 2);
    buyer = await connect("buyer", 3);
    collector = await connect("collector", 4);
    for (const p of [dev, user, tuner, buyer, collector]) await track(p.name, p.address);
    await track("mintFeeRecipient", mintFeeRecipient);
    await track("protocol", protocol);
    await track("marketFeeRecipient", marketFeeRecipient);
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const p of [dev, user, tuner, buyer, collector]) p?.client.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it(
    "worked example: deploy, mint a base model and a fine-tune, sell a perpetual licence split to the last usoa",
    async () => {
      // Upload with fee auto ×1.1 (a simulation, then gas × 1.1).
      const codes: Record<string, number> = {};
      for (const name of ["model-nft", "licensing", "marketplace"]) {
        const wasm = contractWasm(name);
        const r = await dev.client.upload(dev.address, wasm, 1.1);
        expect(r.checksum).toBe(toHex(sha256(wasm)));
        await chargeFee(dev, r.transactionHash);
        codes[name] = r.codeId;
      }
      const instantiate = async (name: string, msg: unknown, label: string): Promise<string> => {
        const r = await dev.client.instantiate(dev.address, codes[name]!, msg, label, 1.4, { admin: dev.address });
        await chargeFee(dev, r.transactionHash);
        await track(name, r.contractAddress);
        return r.contractAddress;
      };
      nft = await instantiate(
        "model-nft",
        { name: "SOA Models", symbol: "MODEL", minter: null, mint_fee: { denom: DENOM, amount: MINT_FEE.toString() }, fee_recipient: mintFeeRecipient, max_royalty_bps: null },
        "models",
      );
      lic = await instantiate(
        "licensing",
        { nft_contract: nft, protocol_fee_bps: Number(PROTOCOL_BPS), protocol_fee_recipient: protocol, denom: DENOM },
        "licensing",
      );
      market = await instantiate("marketplace", { nft_contract: nft, denom: DENOM, fee_bps: Number(MARKET_BPS), fee_recipient: marketFeeRecipient }, "marketplace");
      expect(await query(nft, { config: {} })).toEqual({ open_minting: true, mint_fee: { denom: DENOM, amount: MINT_FEE.toString() }, fee_recipient: mintFeeRecipient, max_royalty_bps: 2500 });
      expect(await query(lic, { config: {} })).toEqual({ nft_contract: nft, protocol_fee_bps: 250, protocol_fee_recipient: protocol, denom: DENOM });
      expect(await query(market, { config: {} })).toEqual({ nft_contract: nft, denom: DENOM, fee_bps: 200, fee_recipient: marketFeeRecipient });
      await expectBalances();

      // The base model, with a full manifest and a token URI; the mint fee goes to its recipient.
      const base = manifest("llama-3-8b", [], Number(BASE_ROYALTY_BPS));
      await fails(dev, nft, { mint: { token_id: BASE, owner: dev.address, token_uri: null, extension: base } }, "Wrong funds: expected 1000000usoa, got nothing");
      const m1 = await ok(dev, nft, { mint: { token_id: BASE, owner: dev.address, token_uri: "ipfs://bafy-llama-3-8b/card.json", extension: base } }, usoa(MINT_FEE));
      credit(dev.address, -MINT_FEE);
      credit(mintFeeRecipient, MINT_FEE);
      expect(attr(m1, "wasm", "mint_fee")).toBe(`${MINT_FEE}${DENOM}`);
      expect(await query(nft, { nft_info: { token_id: BASE } })).toEqual({
        token_uri: "ipfs://bafy-llama-3-8b/card.json",
        extension: { ...base, creator: dev.address, created_at: (await blockTime(m1.height)).toString() },
      });
      await expectBalances();

      // The fine-tune names the base as its parent.
      const tune = manifest("llama-3-8b-legal-ft", [BASE], Number(TUNE_ROYALTY_BPS));
      await fails(tuner, nft, { mint: { token_id: TUNE, owner: tuner.address, token_uri: null, extension: { ...tune, parents: ["no-such-model"] } } }, "Unknown parent: no-such-model", usoa(MINT_FEE));
      await ok(tuner, nft, { mint: { token_id: TUNE, owner: tuner.address, token_uri: null, extension: tune } }, usoa(MINT_FEE));
      credit(tuner.address, -MINT_FEE);
      credit(mintFeeRecipient, MINT_FEE);
      expect(await query(nft, { children: { token_id: BASE, start_after: null, limit: null } })).toEqual({ tokens: [TUNE] });
      expect(await query(nft, { models_by_creator: { creator: tuner.address, start_after: null, limit: null } })).toEqual({ tokens: [TUNE] });
      await expectBalances();

      // Only the fine-tune's owner publishes; the offer carries the parent's royalty.
      const PRICE = 25_000_001n;
      const offer = { model: TUNE, offer: { kind: "perpetual", price: PRICE.toString() }, commercial: true, derivatives: { allowed: true, parent_royalty_bps: 500 }, transferable: false };
      await fails(dev, lic, { publish_offer: offer }, "Unauthorized");
      await ok(tuner, lic, { publish_offer: offer });
      const offers = (await query(lic, { offers: { model: TUNE } })).offers;
      expect(offers).toHaveLength(1);
      expect(offers[0]).toMatchObject({ model: TUNE, offer: offer.offer, royalties: [{ token_id: BASE, bps: 1000 }], publisher: tuner.address });
      expect(await access(TUNE, user.address)).toEqual({ allowed: false, kind: null, expires_at: null, credits: "0", price: null });

      // The user buys: 2.5 % protocol, 10 % to the base model's owner, the rest to the fine-tune's owner.
      await fails(user, lic, { buy_license: { model: TUNE, kind: "perpetual" } }, "Insufficient funds: the price is 25000001usoa, got 25000000usoa", usoa(PRICE - 1n));
      const buy = await ok(user, lic, { buy_license: { model: TUNE, kind: "perpetual" } }, usoa(PRICE));
      const split = licenceSplit(PRICE);
      expect(split).toEqual({ protocol: 625_000n, parent: 2_500_000n, owner: 21_875_001n });
      credit(user.address, -PRICE);
      credit(protocol, split.protocol);
      credit(dev.address, split.parent);
      credit(tuner.address, split.owner);
      expect(attr(buy, "wasm", "owner_amount")).toBe(split.owner.toString());
      expect(attr(buy, "wasm", "protocol_fee")).toBe(split.protocol.toString());
      await expectBalances();

      expect(await access(TUNE, user.address)).toEqual({ allowed: true, kind: "perpetual", expires_at: null, credits: "0", price: null });
      expect(await access(TUNE, collector.address)).toEqual({ allowed: false, kind: null, expires_at: null, credits: "0", price: null });
      expect(await access(BASE, user.address)).toMatchObject({ allowed: false }); // a licence of the fine-tune only
      await fails(user, lic, { buy_license: { model: TUNE, kind: "perpetual" } }, "License already held", usoa(PRICE));
      await expectBalances();
    },
    TEST_TIMEOUT,
  );

  /** The marketplace split of a sale of the base model (creator royalty 10 %, fee 2 %). */
  function saleSplit(price: bigint): { royalty: bigint; fee: bigint; seller: bigint } {
    const royalty = bps(price, BASE_ROYALTY_BPS);
    const fee = bps(price, MARKET_BPS);
    return { royalty, fee, seller: price - royalty - fee };
  }

  it(
    "resale: the creator's royalty is paid on the first sale and again when the buyer resells",
    async () => {
      // Listings are approval-based: the owner approves the marketplace for the token, then lists; it keeps
      // the NFT until the sale, and the marketplace moves it with transfer_nft as the approved spender.
      const list = async (who: Party, price: bigint) => {
        await ok(who, nft, { approve: { spender: market, token_id: BASE, expires: null } });
        return ok(who, market, { list: { token_id: BASE, price: price.toString(), expires: null } });
      };

      // First sale: the creator sells its own model (royalty and proceeds both go to it).
      const P1 = 10_000_003n;
      await fails(dev, market, { list: { token_id: BASE, price: P1.toString(), expires: null } }, "Marketplace not approved");
      await list(dev, P1);
      expect(await ownerOf(BASE)).toBe(dev.address);
      expect(await query(market, { listing: { token_id: BASE } })).toMatchObject({ token_id: BASE, seller: dev.address, price: P1.toString(), expired: false });
      await fails(buyer, market, { buy: { token_id: BASE } }, "Wrong price: expected 10000003usoa, got 10000002usoa", usoa(P1 - 1n));
      const s1 = await ok(buyer, market, { buy: { token_id: BASE } }, usoa(P1));
      const x1 = saleSplit(P1);
      expect(x1).toEqual({ royalty: 1_000_000n, fee: 200_000n, seller: 8_800_003n });
      expect([attr(s1, "wasm", "royalty"), attr(s1, "wasm", "royalty_recipient"), attr(s1, "wasm", "fee"), attr(s1, "wasm", "seller_amount")]).toEqual([
        `${x1.royalty}${DENOM}`,
        dev.address,
        `${x1.fee}${DENOM}`,
        `${x1.seller}${DENOM}`,
      ]);
      credit(buyer.address, -P1);
      credit(dev.address, x1.royalty + x1.seller);
      credit(marketFeeRecipient, x1.fee);
      expect(await ownerOf(BASE)).toBe(buyer.address);
      await expectBalances();

      // Resale by the buyer to a third account: the creator gets the royalty again.
      const P2 = 12_345_679n;
      await list(buyer, P2);
      await fails(buyer, market, { buy: { token_id: BASE } }, "Cannot buy your own listing", usoa(P2));
      const s2 = await ok(collector, market, { buy: { token_id: BASE } }, usoa(P2));
      const x2 = saleSplit(P2);
      expect(x2).toEqual({ royalty: 1_234_567n, fee: 246_913n, seller: 10_864_199n });
      expect(attr(s2, "wasm", "royalty_recipient")).toBe(dev.address);
      credit(collector.address, -P2);
      credit(dev.address, x2.royalty);
      credit(marketFeeRecipient, x2.fee);
      credit(buyer.address, x2.seller);
      expect(await ownerOf(BASE)).toBe(collector.address);
      expect(await query(market, { listings: { start_after: null, limit: null } })).toEqual({ listings: [] });
      expect(expected.get(market)).toBe(0n);
      await expectBalances();
    },
    TEST_TIMEOUT,
  );

  it(
    "subscription: allowed until block time passes expires_at, then not; buying again extends it",
    async () => {
      const PER = 40_001n;
      const PERIOD = 4n; // seconds
      await ok(tuner, lic, { publish_offer: { model: TUNE, offer: { kind: "subscription", price_per_period: PER.toString(), period_seconds: Number(PERIOD) }, commercial: false, derivatives: null, transferable: false } });
      await fails(user, lic, { buy_license: { model: TUNE, kind: "subscription" } }, "Wrong funds: pay a whole number of periods of 40001usoa, got 60000usoa", usoa(60_000n));

      // The base model now belongs to the collector: the parent royalty goes to it.
      const payOne = (amount: bigint): void => {
        const s = licenceSplit(amount);
        credit(protocol, s.protocol);
        credit(collector.address, s.parent);
        credit(tuner.address, s.owner);
      };
      const buy = await ok(buyer, lic, { buy_license: { model: TUNE, kind: "subscription" } }, usoa(PER));
      credit(buyer.address, -PER);
      payOne(PER);
      expect(licenceSplit(PER)).toEqual({ protocol: 1_000n, parent: 4_000n, owner: 35_001n });
      const expires = (await blockTime(buy.height)) + PERIOD * SECOND;
      expect(attr(buy, "wasm", "expires_at")).toBe(expires.toString());
      expect(await access(TUNE, buyer.address)).toEqual({ allowed: true, kind: "subscription", expires_at: expires.toString(), credits: "0", price: null });
      await expectBalances();

      // Blocks pass until the latest block time reaches expires_at.
      await pollUntil(
        "block time at the subscription's expiry",
        async () => {
          const st = await rpcResult<{ sync_info: { latest_block_time: string } }>(rpc(), "status");
          return rfc3339Nanos(st.sync_info.latest_block_time) >= expires ? true : undefined;
        },
        30_000,
        250,
      );
      expect(await access(TUNE, buyer.address)).toEqual({ allowed: false, kind: null, expires_at: expires.toString(), credits: "0", price: null });

      // A lapsed subscription restarts from now; an active one is extended from its expiry.
      const again = await ok(buyer, lic, { buy_license: { model: TUNE, kind: "subscription" } }, usoa(2n * PER));
      credit(buyer.address, -2n * PER);
      payOne(2n * PER);
      const expires2 = (await blockTime(again.height)) + 2n * PERIOD * SECOND;
      expect(expires2).toBeGreaterThan(expires);
      expect(attr(again, "wasm", "periods")).toBe("2");
      expect(attr(again, "wasm", "expires_at")).toBe(expires2.toString());
      const extend = await ok(buyer, lic, { buy_license: { model: TUNE, kind: "subscription" } }, usoa(PER));
      credit(buyer.address, -PER);
      payOne(PER);
      const expires3 = expires2 + PERIOD * SECOND;
      expect(await blockTime(extend.height)).toBeLessThan(expires2); // still active when extended
      expect(attr(extend, "wasm", "expires_at")).toBe(expires3.toString());
      expect(await access(TUNE, buyer.address)).toEqual({ allowed: true, kind: "subscription", expires_at: expires3.toString(), credits: "0", price: null });
      await expectBalances();
    },
    TEST_TIMEOUT,
  );

  it(
    "metered: an authorised meter charges usage, each charge paid out at once, until the credits run out",
    async () => {
      const PER_CALL = 1_234n;
      const meter = buyer;
      const consumer = dev; // holds no other licence of the fine-tune
      await ok(tuner, lic, {
        publish_offer: { model: TUNE, offer: { kind: "metered", price_per_call: PER_CALL.toString(), price_per_1k_units: null, min_deposit: "5000" }, commercial: true, derivatives: null, transferable: false },
      });
      await fails(consumer, lic, { deposit_credits: { model: TUNE } }, "Insufficient funds: the minimum deposit is 5000usoa, got 4999usoa", usoa(4_999n));
      await ok(consumer, lic, { deposit_credits: { model: TUNE } }, usoa(10_000n));
      credit(consumer.address, -10_000n);
      credit(lic, 10_000n);
      await expectBalances();

      // Only an active meter of the model charges; only the model's owner adds meters.
      await fails(meter, lic, { charge_usage: { model: TUNE, user: consumer.address, units: "1" } }, "Unauthorized meter");
      await fails(collector, lic, { add_meter: { model: TUNE, meter: meter.address } }, "Unauthorized");
      await ok(tuner, lic, { add_meter: { model: TUNE, meter: meter.address } });
      expect(await query(lic, { meters: { model: TUNE } })).toEqual({ meters: [meter.address] });
      await fails(collector, lic, { charge_usage: { model: TUNE, user: consumer.address, units: "1" } }, "Unauthorized meter");
      await expectBalances();

      let credits = 10_000n;
      const charge = async (units: bigint): Promise<void> => {
        const cost = units * PER_CALL;
        const r = await ok(meter, lic, { charge_usage: { model: TUNE, user: consumer.address, units: units.toString() } });
        credits -= cost;
        expect([attr(r, "wasm", "cost"), attr(r, "wasm", "credits")]).toEqual([cost.toString(), credits.toString()]);
        const s = licenceSplit(cost);
        credit(lic, -cost);
        credit(protocol, s.protocol);
        credit(collector.address, s.parent);
        credit(tuner.address, s.owner);
        await expectBalances();
      };
      await charge(3n); // 3702: protocol 92, parent 370, owner 3240
      expect(licenceSplit(3_702n)).toEqual({ protocol: 92n, parent: 370n, owner: 3_240n });
      await charge(2n); // 2468
      await charge(2n); // 2468 → 1362 left
      expect(await access(TUNE, consumer.address)).toEqual({ allowed: true, kind: "metered", expires_at: null, credits: "1362", price: "1234" });

      // 2 calls = 2468 > 1362: refused (already in simulation, so fee "auto" sends nothing); in a block
      // nothing moves but the meter's fee.
      await expect(meter.client.execute(meter.address, lic, { charge_usage: { model: TUNE, user: consumer.address, units: "2" } }, 1.4)).rejects.toThrow(/Insufficient credits/);
      await fails(meter, lic, { charge_usage: { model: TUNE, user: consumer.address, units: "2" } }, "Insufficient credits");
      await expectBalances();
      await charge(1n); // 128 left
      await fails(meter, lic, { charge_usage: { model: TUNE, user: consumer.address, units: "1" } }, "Insufficient credits");
      await expectBalances();
      expect(await access(TUNE, consumer.address)).toEqual({ allowed: false, kind: null, expires_at: null, credits: "128", price: "1234" });
      expect(await access(TUNE, user.address)).toEqual({ allowed: true, kind: "perpetual", expires_at: null, credits: "0", price: "1234" });
      expect(await access(TUNE, collector.address)).toEqual({ allowed: false, kind: null, expires_at: null, credits: "0", price: "1234" });
      const licence = await query(lic, { license: { model: TUNE, user: consumer.address } });
      expect(licence.metered).toEqual({ credits: "128", spent: "9872", commercial: true, derivatives: null, transferable: false });
      expect(expected.get(lic)).toBe(128n);

      // The unused credits go back to the user.
      await ok(consumer, lic, { withdraw_credits: { model: TUNE, amount: null } });
      credit(consumer.address, 128n);
      credit(lic, -128n);
      await expectBalances();
    },
    TEST_TIMEOUT,
  );
});
