// The marketplace contract with the real model-nft (and the real licensing contract) through the real chain
// (in-process node). Listings are approval-based: the owner approves the marketplace (approve or
// approve_all) and executes list, keeping the NFT until it is sold; buy re-checks the owner and the approval
// and moves the NFT with transfer_nft. Covered: buy with the creator royalty and the marketplace fee, a
// resale that pays the creator again, a listed model whose licence revenue and meter charges still go to its
// owner, stale listings (token moved, approval revoked) failing clearly and removed by anyone, offers
// (escrowed coins) accepted by the owner, cancel, expiry and refunds, send_nft refused. Balances are
// checked to the last usoa (every tx also pays its 10,000 usoa fee, counted per signer).
// Needs contracts-as/build/{model-nft,marketplace,licensing}.wasm (`make contracts`).
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKey } from "../chain/src/tx/build.js";
import { type Coin, codeIdOf, contractAddressOf, contractWasm, modelManifest, Signer, smartQuery, usoa, usoaBalance } from "../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../chain/test/utils/testNode.js";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64");

const manifest = (name: string, royaltyBps: number) => modelManifest(name, { royaltyBps });

describe("marketplace with model-nft on the chain", () => {
  const creator = keyFromSeed("market-creator");
  const alice = keyFromSeed("market-alice");
  const bob = keyFromSeed("market-bob");
  const carol = keyFromSeed("market-carol");
  const dave = keyFromSeed("market-dave");
  const user = keyFromSeed("market-licence-user"); // buys a licence and metered credits
  const meter = keyFromSeed("market-meter");
  const treasury = keyFromSeed("market-treasury").address; // fee recipient; never signs
  const keys = [creator, alice, bob, carol, dave, user, meter];
  const start = new Map<string, bigint>();
  const gas: Record<string, bigint> = {};
  let node: TestNode;
  let signer: Signer;
  const codes: bigint[] = [];
  let nft = "";
  let market = "";
  let lic = "";

  beforeAll(async () => {
    node = await TestNode.create({ genesis: fundedGenesis(keys) });
    signer = new Signer(node, keys);
  });
  afterAll(async () => {
    if (Object.keys(gas).length > 0) console.log("marketplace gas used per tx:", gas);
    await node?.close();
  });

  /** Executes and expects success; records the gas under `label`. */
  function ok(label: string | null, key: TestKey, contract: string, msg: unknown, funds: Coin[] = []): ExecTxResult {
    const r = exec(key, contract, msg, funds);
    expect(r.code, r.log).toBe(0);
    if (label !== null) gas[label] = r.gasUsed;
    return r;
  }
  const exec = (key: TestKey, contract: string, msg: unknown, funds: Coin[] = []) => signer.exec(key, contract, msg, funds);
  /** Executes and expects the contract error `error` (code 5). */
  function fails(key: TestKey, contract: string, msg: unknown, error: string, funds: Coin[] = []) {
    const r = exec(key, contract, msg, funds);
    expect([r.code, r.codespace], r.log).toEqual([5, "wasm"]);
    expect(r.log).toContain(error);
  }

  function instantiate(key: TestKey, codeId: bigint, msg: unknown): string {
    const r = signer.instantiate(key, codeId, msg, { admin: key.address, label: "market-test" });
    expect(r.code, r.log).toBe(0);
    return contractAddressOf(r);
  }

  function query(contract: string, msg: unknown): any {
    const r = smartQuery(node, contract, msg);
    expect(r.code, r.log).toBe(0);
    return r.value;
  }

  const balance = (addr: string) => usoaBalance(node, addr);
  /** Balance change since the snapshot, not counting the tx fees the account paid. */
  const net = (addr: string) => balance(addr) - start.get(addr)! + (signer.feesPaid.get(addr) ?? 0n);
  function snapshot() {
    for (const a of [...keys.map((k) => k.address), treasury, market, lic]) start.set(a, balance(a));
    signer.feesPaid.clear();
  }
  const ownerOf = (token: string) => query(nft, { owner_of: { token_id: token } }).owner as string;
  /** cw721 approve of the marketplace for one token (expires null = never). */
  const approve = (key: TestKey, token: string, expires: unknown = null) => ok(null, key, nft, { approve: { spender: market, token_id: token, expires } });
  const listMsg = (token: string, price: bigint, expires: unknown = null) => ({ list: { token_id: token, price: price.toString(), expires } });
  /** approve + list, as two txs; returns the list tx. */
  const listFor = (key: TestKey, token: string, price: bigint, expires: unknown = null): ExecTxResult => {
    approve(key, token);
    return exec(key, market, listMsg(token, price, expires));
  };
  const skipBlocks = (n: number) => {
    for (let i = 0; i < n; i++) node.deliverBlock([]);
  };

  it("uploads and instantiates model-nft, the marketplace and licensing; the creator mints two models", () => {
    for (const name of ["model-nft", "marketplace", "licensing"]) {
      const r = signer.store(creator, contractWasm(name), 30_000_000n);
      expect(r.code, r.log).toBe(0);
      codes.push(codeIdOf(r));
    }
    nft = instantiate(creator, codes[0]!, { name: "Models", symbol: "MDL" });
    market = instantiate(creator, codes[1]!, { nft_contract: nft, denom: "usoa", fee_bps: 250, fee_recipient: treasury });
    lic = instantiate(creator, codes[2]!, { nft_contract: nft, protocol_fee_bps: 0, protocol_fee_recipient: null, denom: "usoa" });
    expect(query(market, { config: {} })).toEqual({ nft_contract: nft, denom: "usoa", fee_bps: 250, fee_recipient: treasury });
    expect(query(market, { contract_info: {} })).toEqual({ contract: "crates.io:soa-marketplace", version: "0.2.0" });
    ok("mint", creator, nft, { mint: { token_id: "llama-1", owner: creator.address, token_uri: null, extension: manifest("llama", 1000) } });
    ok(null, creator, nft, { mint: { token_id: "qwen-1", owner: creator.address, token_uri: null, extension: manifest("qwen", 500) } });
    expect(query(nft, { royalty_info: { token_id: "llama-1", sale_price: "1000" } })).toEqual({ address: creator.address, royalty_amount: "100" });
    snapshot();
  });

  it("send_nft to the marketplace is refused: the send is reverted and the owner keeps the NFT", () => {
    const r = exec(creator, nft, { send_nft: { contract: market, token_id: "llama-1", msg: b64({ list: { price: "5", expires: null } }) } });
    expect([r.code, r.codespace]).toEqual([5, "wasm"]);
    expect(r.log).toContain("Send NFTs is not supported: approve the marketplace and list instead");
    expect(ownerOf("llama-1")).toBe(creator.address);
    expect(query(market, { listings: {} })).toEqual({ listings: [] });
  });

  it("approve + list → buy: the owner keeps the NFT while listed; royalty, fee, the rest to the seller", () => {
    fails(creator, market, listMsg("llama-1", 1_000_001n), "Marketplace not approved: approve it on the nft contract first");
    fails(alice, market, listMsg("llama-1", 1_000_001n), "Unauthorized: only the token's owner can list it");
    gas["approve (model-nft, for list)"] = approve(creator, "llama-1").gasUsed;
    ok("list", creator, market, listMsg("llama-1", 1_000_001n));
    expect(ownerOf("llama-1")).toBe(creator.address); // no escrow
    expect(query(nft, { owner_of: { token_id: "llama-1" } }).approvals).toEqual([{ spender: market, expires: { never: {} } }]);
    expect(query(market, { listing: { token_id: "llama-1" } })).toMatchObject({ seller: creator.address, price: "1000001", expired: false });
    fails(creator, market, listMsg("llama-1", 7n), "Token already listed");

    fails(alice, market, { buy: { token_id: "llama-1" } }, "Wrong price: expected 1000001usoa, got 1000000usoa", usoa(1_000_000n));
    ok("buy", alice, market, { buy: { token_id: "llama-1" } }, usoa(1_000_001n));
    // royalty floor(10 % of 1,000,001) = 100,000 and proceeds 875,001 both go to the creator (it sold its
    // own model); fee floor(2.5 %) = 25,000.
    expect(ownerOf("llama-1")).toBe(alice.address);
    expect(query(nft, { owner_of: { token_id: "llama-1" } }).approvals).toEqual([]); // the transfer cleared them
    expect(net(creator.address)).toBe(100_000n + 875_001n);
    expect(net(treasury)).toBe(25_000n);
    expect(net(alice.address)).toBe(-1_000_001n);
    expect(balance(market)).toBe(0n);
    expect(query(market, { listing: { token_id: "llama-1" } })).toBeNull();
  });

  it("RESALE by the buyer (operator approval this time) pays the creator royalty again", () => {
    snapshot();
    ok(null, alice, nft, { approve_all: { operator: market, expires: null } });
    ok("list (operator approval)", alice, market, listMsg("llama-1", 2_345_679n));
    expect(query(market, { listings_by_seller: { seller: alice.address } }).listings).toHaveLength(1);
    fails(alice, market, { buy: { token_id: "llama-1" } }, "Cannot buy your own listing", usoa(2_345_679n));
    ok("buy (resale)", bob, market, { buy: { token_id: "llama-1" } }, usoa(2_345_679n));
    // royalty floor(234,567.9) = 234,567; fee floor(58,641.975) = 58,641; seller 2,052,471
    expect(net(creator.address)).toBe(234_567n);
    expect(net(treasury)).toBe(58_641n);
    expect(net(alice.address)).toBe(2_052_471n);
    expect(net(bob.address)).toBe(-2_345_679n);
    expect(234_567n + 58_641n + 2_052_471n).toBe(2_345_679n);
    expect(ownerOf("llama-1")).toBe(bob.address);
    expect(balance(market)).toBe(0n);
    ok(null, alice, nft, { revoke_all: { operator: market } });
  });

  it("a LISTED model's licence revenue and meter charges go to its owner, who still manages its offers", () => {
    // bob owns llama-1: he publishes a perpetual and a metered offer, adds a meter, and lists the model
    ok(null, bob, lic, { publish_offer: { model: "llama-1", offer: { kind: "perpetual", price: "1000000" }, commercial: true, derivatives: null, transferable: false } });
    ok(null, bob, lic, { add_meter: { model: "llama-1", meter: meter.address } });
    expect(listFor(bob, "llama-1", 50_000_000n).code).toBe(0);
    snapshot();
    // while listed: bob still owns it, so he publishes offers, and every payment is his
    expect(ownerOf("llama-1")).toBe(bob.address);
    ok(null, bob, lic, {
      publish_offer: { model: "llama-1", offer: { kind: "metered", price_per_call: "100", price_per_1k_units: null, min_deposit: "100" }, commercial: true, derivatives: null, transferable: false },
    });
    expect(query(lic, { meters: { model: "llama-1" } })).toEqual({ meters: [meter.address] });
    ok("licensing buy_license (listed model)", user, lic, { buy_license: { model: "llama-1", kind: "perpetual" } }, usoa(1_000_000n));
    ok(null, user, lic, { deposit_credits: { model: "llama-1" } }, usoa(1_000n));
    ok("licensing charge_usage (listed model)", meter, lic, { charge_usage: { model: "llama-1", user: user.address, units: "3" } });
    expect(net(bob.address)).toBe(1_000_000n + 300n);
    expect(net(user.address)).toBe(-1_001_000n);
    expect(balance(market)).toBe(0n);
    expect(balance(lic)).toBe(700n); // the user's remaining credits
    expect(query(lic, { check_access: { model: "llama-1", user: user.address } })).toMatchObject({ allowed: true, kind: "perpetual", credits: "700" });

    // the listing still sells; from then on the new owner is paid (bob's meter no longer counts)
    ok(null, carol, market, { buy: { token_id: "llama-1" } }, usoa(50_000_000n));
    expect(ownerOf("llama-1")).toBe(carol.address);
    expect(net(bob.address)).toBe(1_000_300n + 50_000_000n - 5_000_000n - 1_250_000n);
    expect(query(lic, { meters: { model: "llama-1" } })).toEqual({ meters: [] });
    fails(meter, lic, { charge_usage: { model: "llama-1", user: user.address, units: "1" } }, "Unauthorized meter");
    ok(null, user, lic, { withdraw_credits: { model: "llama-1", amount: null } });
    expect(balance(lic)).toBe(0n);
    expect(balance(market)).toBe(0n);
  });

  it("a stale listing (token moved, approval revoked) fails clearly at buy and is removed by anyone", () => {
    snapshot();
    expect(listFor(carol, "llama-1", 1_000n).code).toBe(0);
    // carol gives the model away outside the marketplace: her listing can no longer be honoured
    ok(null, carol, nft, { transfer_nft: { recipient: dave.address, token_id: "llama-1" } });
    fails(alice, market, { buy: { token_id: "llama-1" } }, "Listing is stale: the seller no longer owns the token; anyone can remove it with remove_stale_listing", usoa(1_000n));
    const r = ok("remove_stale_listing", alice, market, { remove_stale_listing: { token_id: "llama-1" } });
    expect(r.events.find((e) => e.type === "wasm")!.attributes.find((a) => a.key === "reason")!.value).toBe("owner_changed");
    expect(query(market, { listing: { token_id: "llama-1" } })).toBeNull();

    // dave lists, then revokes the approval
    expect(listFor(dave, "llama-1", 1_000n).code).toBe(0);
    fails(alice, market, { remove_stale_listing: { token_id: "llama-1" } }, "Listing is not stale");
    ok(null, dave, nft, { revoke: { spender: market, token_id: "llama-1" } });
    fails(alice, market, { buy: { token_id: "llama-1" } }, "Listing is stale: the marketplace is no longer approved for the token", usoa(1_000n));
    ok(null, bob, market, { remove_stale_listing: { token_id: "llama-1" } });
    expect(ownerOf("llama-1")).toBe(dave.address);
    for (const a of [alice, bob, carol, dave]) expect(net(a.address), a.address).toBe(0n);
    expect(balance(market)).toBe(0n);
  });

  it("offers: a new offer replaces and refunds the old; the owner approves and accepts", () => {
    snapshot();
    ok("make_offer", carol, market, { make_offer: { token_id: "llama-1", expires: null } }, usoa(300_000n));
    ok("make_offer (replace + refund)", carol, market, { make_offer: { token_id: "llama-1", expires: null } }, usoa(400_000n));
    expect(net(carol.address)).toBe(-400_000n);
    expect(balance(market)).toBe(400_000n);
    ok(null, bob, market, { make_offer: { token_id: "llama-1", expires: { at_height: Number(node.height + 10n) } } }, usoa(350_000n));
    expect(query(market, { offers: { token_id: "llama-1" } }).offers.map((o: { bidder: string }) => o.bidder).sort()).toEqual(
      [carol.address, bob.address].sort(),
    );
    fails(dave, market, { make_offer: { token_id: "llama-1" } }, "Cannot make an offer on your own token", usoa(1n));

    fails(dave, market, { accept_offer: { token_id: "llama-1", bidder: carol.address } }, "Marketplace not approved");
    approve(dave, "llama-1");
    fails(alice, market, { accept_offer: { token_id: "llama-1", bidder: carol.address } }, "Unauthorized: only the token's owner can accept offers");
    ok("accept_offer", dave, market, { accept_offer: { token_id: "llama-1", bidder: carol.address } });
    // royalty 40,000 (10 %), fee 10,000 (2.5 %), seller 350,000
    expect(ownerOf("llama-1")).toBe(carol.address);
    expect(net(creator.address)).toBe(40_000n);
    expect(net(treasury)).toBe(10_000n);
    expect(net(dave.address)).toBe(350_000n);
    expect(net(carol.address)).toBe(-400_000n);
    expect(balance(market)).toBe(350_000n); // bob's offer is still escrowed
    expect(query(market, { offers_by_bidder: { bidder: carol.address } }).offers).toEqual([]);
  });

  it("an expired offer is refunded by anyone; an open one only by its bidder", () => {
    snapshot();
    fails(alice, market, { refund_expired_offer: { token_id: "llama-1", bidder: bob.address } }, "Offer not expired");
    skipBlocks(3);
    approve(carol, "llama-1");
    fails(carol, market, { accept_offer: { token_id: "llama-1", bidder: bob.address } }, "Offer expired");
    expect(ownerOf("llama-1")).toBe(carol.address);
    ok("refund_expired_offer", alice, market, { refund_expired_offer: { token_id: "llama-1", bidder: bob.address } });
    expect(net(bob.address)).toBe(350_000n);
    expect(balance(market)).toBe(0n);

    ok(null, alice, market, { make_offer: { token_id: "qwen-1" } }, usoa(123_457n));
    fails(bob, market, { cancel_offer: { token_id: "qwen-1" } }, "Offer not found");
    ok("cancel_offer", alice, market, { cancel_offer: { token_id: "qwen-1" } });
    expect(net(alice.address)).toBe(0n);
    expect(balance(market)).toBe(0n);
  });

  it("accepting an offer on a listed token ends the listing", () => {
    snapshot();
    expect(listFor(carol, "llama-1", 5_000_000n, { at_height: Number(node.height + 100n) }).code).toBe(0);
    ok(null, bob, market, { make_offer: { token_id: "llama-1" } }, usoa(777_777n));
    fails(carol, market, { make_offer: { token_id: "llama-1" } }, "Cannot make an offer on your own token", usoa(5n));
    ok("accept_offer (listed)", carol, market, { accept_offer: { token_id: "llama-1", bidder: bob.address } });
    // royalty floor(77,777.7) = 77,777; fee floor(19,444.425) = 19,444; seller 680,556
    expect(ownerOf("llama-1")).toBe(bob.address);
    expect(net(creator.address)).toBe(77_777n);
    expect(net(treasury)).toBe(19_444n);
    expect(net(carol.address)).toBe(680_556n);
    expect(net(bob.address)).toBe(-777_777n);
    expect(query(market, { listing: { token_id: "llama-1" } })).toBeNull();
    expect(balance(market)).toBe(0n);
  });

  it("cancel_listing by the seller; an expired listing is removed by anyone; nothing to return", () => {
    snapshot();
    expect(listFor(bob, "llama-1", 10n).code).toBe(0);
    fails(alice, market, { cancel_listing: { token_id: "llama-1" } }, "Unauthorized");
    ok("cancel_listing", bob, market, { cancel_listing: { token_id: "llama-1" } });
    expect(ownerOf("llama-1")).toBe(bob.address);

    expect(listFor(creator, "qwen-1", 1_000n, { at_height: Number(node.height + 6n) }).code).toBe(0); // approve at +1, list at +2
    fails(dave, market, { remove_stale_listing: { token_id: "qwen-1" } }, "Listing is not stale");
    skipBlocks(2);
    fails(alice, market, { buy: { token_id: "qwen-1" } }, "Listing expired", usoa(1_000n));
    expect(query(market, { listing: { token_id: "qwen-1" } }).expired).toBe(true);
    ok("remove_stale_listing (expired)", dave, market, { remove_stale_listing: { token_id: "qwen-1" } });
    expect(ownerOf("qwen-1")).toBe(creator.address);
    for (const a of [creator, alice, bob, carol, dave]) expect(net(a.address), a.address).toBe(0n);
    expect(balance(market)).toBe(0n);
    expect(query(market, { listings: {} })).toEqual({ listings: [] });
  });

  it("refuses tokens of another collection and funds on non-paying messages", () => {
    const other = instantiate(creator, codes[0]!, { name: "Other", symbol: "OTH" });
    ok(null, creator, other, { mint: { token_id: "x", owner: creator.address, token_uri: null, extension: manifest("x", 0) } });
    const r = exec(creator, other, { send_nft: { contract: market, token_id: "x", msg: b64({ list: { price: "5", expires: null } }) } });
    expect(r.code).toBe(5);
    expect(r.log).toContain("Send NFTs is not supported");
    expect(query(other, { owner_of: { token_id: "x" } }).owner).toBe(creator.address);
    ok(null, creator, other, { approve: { spender: market, token_id: "x", expires: null } });
    fails(creator, market, listMsg("x", 5n), "Token not found"); // the marketplace only asks its own collection
    fails(creator, market, { cancel_offer: { token_id: "x" } }, "This message does no accept funds", usoa(1n));
    fails(creator, market, listMsg("qwen-1", 5n), "This message does no accept funds", usoa(1n));
    expect(balance(market)).toBe(0n);
  });
});
