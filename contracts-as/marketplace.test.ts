// The marketplace contract with the real model-nft through the real chain (in-process node): listing by
// send_nft, buy with the creator royalty and the marketplace fee, a resale that pays the creator again,
// offers accepted both ways, and every way out of escrow (cancel, expiry, refunds). Balances are
// checked to the last usoa (every tx also pays its 10,000 usoa fee, counted per signer).
// Needs contracts-as/build/{model-nft,marketplace}.wasm (`make contracts`).
import { existsSync, readFileSync } from "node:fs";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";
import { MsgExecuteContract, MsgInstantiateContract, MsgInstantiateContractResponse, MsgStoreCode, MsgStoreCodeResponse } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAddress } from "../chain/src/types/address.js";
import type { TestKey } from "../chain/src/tx/build.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../chain/test/utils/testNode.js";

const BUILD = new URL("./build/", import.meta.url);
const wasmOf = (name: string) => {
  const file = new URL(`${name}.wasm`, BUILD);
  if (!existsSync(file)) throw new Error(`contracts-as/build/${name}.wasm is missing: run make contracts`);
  return readFileSync(file);
};
const json = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8");
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64");
const TX_FEE = 10_000n;
const usoa = (n: bigint) => [{ denom: "usoa", amount: n.toString() }];

function manifest(name: string, royaltyBps: number) {
  return {
    name,
    version: "1.0.0",
    task: "text-generation",
    format: "safetensors",
    weights_sha256: "ab".repeat(32),
    engine: "vllm",
    dtype: "bf16",
    uri: `ipfs://${name}`,
    parents: [],
    verification: { scheme: "TOPLOC", tolerance: "0.01" },
    royalty_bps: royaltyBps,
  };
}

describe("marketplace with model-nft on the chain", () => {
  const creator = keyFromSeed("market-creator");
  const alice = keyFromSeed("market-alice");
  const bob = keyFromSeed("market-bob");
  const carol = keyFromSeed("market-carol");
  const dave = keyFromSeed("market-dave");
  const treasury = keyFromSeed("market-treasury").address; // fee recipient; never signs
  const keys = [creator, alice, bob, carol, dave];
  const seqs = new Map<string, bigint>();
  const feesPaid = new Map<string, bigint>();
  const start = new Map<string, bigint>();
  const gas: Record<string, bigint> = {};
  let node: TestNode;
  const codes: bigint[] = [];
  let nft = "";
  let market = "";

  beforeAll(async () => {
    node = await TestNode.create({ genesis: fundedGenesis(keys) });
  });
  afterAll(async () => {
    if (Object.keys(gas).length > 0) console.log("marketplace gas used per tx:", gas);
    await node?.close();
  });

  const any = <T>(t: { typeUrl: string; encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({ typeUrl: t.typeUrl, value: t.encode(m).finish() });

  function tx(key: TestKey, messages: Any[], gasLimit = 3_000_000n): ExecTxResult {
    const seq = seqs.get(key.address) ?? 0n;
    const bytes = node.signTx({ key, accountNumber: BigInt(keys.indexOf(key)), sequence: seq, messages, gasLimit, fee: usoa(TX_FEE) });
    seqs.set(key.address, seq + 1n);
    feesPaid.set(key.address, (feesPaid.get(key.address) ?? 0n) + TX_FEE);
    return node.deliverBlock([bytes]).results[0]!;
  }

  /** Executes and expects success; records the gas under `label`. */
  function ok(label: string | null, key: TestKey, contract: string, msg: unknown, funds: { denom: string; amount: string }[] = []): ExecTxResult {
    const r = exec(key, contract, msg, funds);
    expect(r.code, r.log).toBe(0);
    if (label !== null) gas[label] = r.gasUsed;
    return r;
  }
  const exec = (key: TestKey, contract: string, msg: unknown, funds: { denom: string; amount: string }[] = []) =>
    tx(key, [any(MsgExecuteContract, { sender: key.address, contract, msg: json(msg), funds })]);
  /** Executes and expects the contract error `error` (code 5). */
  function fails(key: TestKey, contract: string, msg: unknown, error: string, funds: { denom: string; amount: string }[] = []) {
    const r = exec(key, contract, msg, funds);
    expect([r.code, r.codespace], r.log).toEqual([5, "wasm"]);
    expect(r.log).toContain(error);
  }

  function instantiate(key: TestKey, codeId: bigint, msg: unknown): string {
    const r = tx(key, [any(MsgInstantiateContract, { sender: key.address, admin: key.address, codeId, label: "market-test", msg: json(msg), funds: [] })]);
    expect(r.code, r.log).toBe(0);
    return MsgInstantiateContractResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).address;
  }

  function query(contract: string, msg: unknown): any {
    const r = node.query("/cosmwasm.wasm.v1.Query/SmartContractState", QuerySmartContractStateRequest.encode({ address: contract, queryData: json(msg) }).finish());
    expect(r.code, r.log).toBe(0);
    return JSON.parse(Buffer.from(QuerySmartContractStateResponse.decode(r.value).data).toString());
  }

  const balance = (addr: string) => node.app.bank.getBalance(node.app.committed, parseAddress(addr), "usoa");
  /** Balance change since the snapshot, not counting the tx fees the account paid. */
  const net = (addr: string) => balance(addr) - start.get(addr)! + (feesPaid.get(addr) ?? 0n);
  function snapshot() {
    for (const a of [...keys.map((k) => k.address), treasury, market]) start.set(a, balance(a));
    feesPaid.clear();
  }
  const ownerOf = (token: string) => query(nft, { owner_of: { token_id: token } }).owner as string;
  const sendNft = (key: TestKey, token: string, hook: unknown, contract = nft) =>
    exec(key, contract, { send_nft: { contract: market, token_id: token, msg: b64(hook) } });
  const listFor = (key: TestKey, token: string, price: bigint, expires: unknown = null) => sendNft(key, token, { list: { price: price.toString(), expires } });
  const skipBlocks = (n: number) => {
    for (let i = 0; i < n; i++) node.deliverBlock([]);
  };

  it("uploads and instantiates model-nft and the marketplace; the creator mints two models", () => {
    for (const name of ["model-nft", "marketplace"]) {
      const r = tx(creator, [any(MsgStoreCode, { sender: creator.address, wasmByteCode: wasmOf(name), instantiatePermission: undefined })], 30_000_000n);
      expect(r.code, r.log).toBe(0);
      codes.push(MsgStoreCodeResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).codeId);
    }
    nft = instantiate(creator, codes[0]!, { name: "Models", symbol: "MDL" });
    market = instantiate(creator, codes[1]!, { nft_contract: nft, denom: "usoa", fee_bps: 250, fee_recipient: treasury });
    expect(query(market, { config: {} })).toEqual({ nft_contract: nft, denom: "usoa", fee_bps: 250, fee_recipient: treasury });
    ok("mint", creator, nft, { mint: { token_id: "llama-1", owner: creator.address, token_uri: null, extension: manifest("llama", 1000) } });
    ok(null, creator, nft, { mint: { token_id: "qwen-1", owner: creator.address, token_uri: null, extension: manifest("qwen", 500) } });
    expect(query(nft, { royalty_info: { token_id: "llama-1", sale_price: "1000" } })).toEqual({ address: creator.address, royalty_amount: "100" });
    snapshot();
  });

  it("list by send_nft → buy: royalty to the creator, fee to the treasury, the rest to the seller", () => {
    const r = listFor(creator, "llama-1", 1_000_001n);
    expect(r.code, r.log).toBe(0);
    gas["list (send_nft)"] = r.gasUsed;
    expect(ownerOf("llama-1")).toBe(market);
    expect(query(market, { listing: { token_id: "llama-1" } })).toMatchObject({ seller: creator.address, price: "1000001", expired: false });

    fails(alice, market, { buy: { token_id: "llama-1" } }, "Wrong price: expected 1000001usoa, got 1000000usoa", usoa(1_000_000n));
    ok("buy", alice, market, { buy: { token_id: "llama-1" } }, usoa(1_000_001n));
    // royalty floor(10 % of 1,000,001) = 100,000 and proceeds 875,001 both go to the creator (it sold its
    // own model); fee floor(2.5 %) = 25,000.
    expect(ownerOf("llama-1")).toBe(alice.address);
    expect(net(creator.address)).toBe(100_000n + 875_001n);
    expect(net(treasury)).toBe(25_000n);
    expect(net(alice.address)).toBe(-1_000_001n);
    expect(balance(market)).toBe(0n);
    expect(query(market, { listing: { token_id: "llama-1" } })).toBeNull();
  });

  it("RESALE by the buyer pays the creator royalty again", () => {
    snapshot();
    expect(listFor(alice, "llama-1", 2_345_679n).code).toBe(0);
    expect(query(market, { listings_by_seller: { seller: alice.address } }).listings).toHaveLength(1);
    ok("buy (resale)", bob, market, { buy: { token_id: "llama-1" } }, usoa(2_345_679n));
    // royalty floor(234,567.9) = 234,567; fee floor(58,641.975) = 58,641; seller 2,052,471
    expect(net(creator.address)).toBe(234_567n);
    expect(net(treasury)).toBe(58_641n);
    expect(net(alice.address)).toBe(2_052_471n);
    expect(net(bob.address)).toBe(-2_345_679n);
    expect(234_567n + 58_641n + 2_052_471n).toBe(2_345_679n);
    expect(ownerOf("llama-1")).toBe(bob.address);
    expect(balance(market)).toBe(0n);
  });

  it("offers: a new offer replaces and refunds the old; the owner accepts by send_nft", () => {
    snapshot();
    ok("make_offer", carol, market, { make_offer: { token_id: "llama-1", expires: null } }, usoa(300_000n));
    ok("make_offer (replace + refund)", carol, market, { make_offer: { token_id: "llama-1", expires: null } }, usoa(400_000n));
    expect(net(carol.address)).toBe(-400_000n);
    expect(balance(market)).toBe(400_000n);
    ok(null, dave, market, { make_offer: { token_id: "llama-1", expires: { at_height: Number(node.height + 8n) } } }, usoa(350_000n));
    expect(query(market, { offers: { token_id: "llama-1" } }).offers.map((o: { bidder: string }) => o.bidder).sort()).toEqual(
      [carol.address, dave.address].sort(),
    );
    fails(bob, market, { make_offer: { token_id: "llama-1" } }, "Cannot make an offer on your own token", usoa(1n));

    const r = sendNft(bob, "llama-1", { accept_offer: { bidder: carol.address } });
    expect(r.code, r.log).toBe(0);
    gas["accept_offer (send_nft)"] = r.gasUsed;
    // royalty 40,000 (10 %), fee 10,000 (2.5 %), seller 350,000
    expect(ownerOf("llama-1")).toBe(carol.address);
    expect(net(creator.address)).toBe(40_000n);
    expect(net(treasury)).toBe(10_000n);
    expect(net(bob.address)).toBe(350_000n);
    expect(net(carol.address)).toBe(-400_000n);
    expect(balance(market)).toBe(350_000n); // dave's offer is still escrowed
    expect(query(market, { offers_by_bidder: { bidder: carol.address } }).offers).toEqual([]);
  });

  it("an expired offer is refunded by anyone; an open one only by its bidder", () => {
    snapshot();
    fails(alice, market, { refund_expired_offer: { token_id: "llama-1", bidder: dave.address } }, "Offer not expired");
    skipBlocks(3);
    // the owner cannot accept it any more (the NFT transfer is reverted with the failed hook)
    const late = sendNft(carol, "llama-1", { accept_offer: { bidder: dave.address } });
    expect(late.code).toBe(5);
    expect(late.log).toContain("Offer expired");
    expect(ownerOf("llama-1")).toBe(carol.address);
    ok("refund_expired_offer", alice, market, { refund_expired_offer: { token_id: "llama-1", bidder: dave.address } });
    expect(net(dave.address)).toBe(350_000n);
    expect(balance(market)).toBe(0n);

    ok(null, alice, market, { make_offer: { token_id: "qwen-1" } }, usoa(123_457n));
    fails(bob, market, { cancel_offer: { token_id: "qwen-1" } }, "Offer not found");
    ok("cancel_offer", alice, market, { cancel_offer: { token_id: "qwen-1" } });
    expect(net(alice.address)).toBe(0n);
    expect(balance(market)).toBe(0n);
  });

  it("offers on a listed token are accepted by the seller with execute accept_offer", () => {
    snapshot();
    expect(listFor(carol, "llama-1", 5_000_000n, { at_height: Number(node.height + 100n) }).code).toBe(0);
    ok(null, bob, market, { make_offer: { token_id: "llama-1" } }, usoa(777_777n));
    fails(carol, market, { make_offer: { token_id: "llama-1" } }, "Cannot make an offer on your own token", usoa(5n));
    fails(dave, market, { accept_offer: { token_id: "llama-1", bidder: bob.address } }, "Unauthorized");
    ok("accept_offer (listed, execute)", carol, market, { accept_offer: { token_id: "llama-1", bidder: bob.address } });
    // royalty floor(77,777.7) = 77,777; fee floor(19,444.425) = 19,444; seller 680,556
    expect(ownerOf("llama-1")).toBe(bob.address);
    expect(net(creator.address)).toBe(77_777n);
    expect(net(treasury)).toBe(19_444n);
    expect(net(carol.address)).toBe(680_556n);
    expect(net(bob.address)).toBe(-777_777n);
    expect(query(market, { listing: { token_id: "llama-1" } })).toBeNull();
    expect(balance(market)).toBe(0n);
  });

  it("cancel_listing returns the NFT to the seller; an expired listing is closed by anyone", () => {
    snapshot();
    expect(listFor(bob, "llama-1", 10n).code).toBe(0);
    fails(alice, market, { cancel_listing: { token_id: "llama-1" } }, "Unauthorized");
    ok("cancel_listing", bob, market, { cancel_listing: { token_id: "llama-1" } });
    expect(ownerOf("llama-1")).toBe(bob.address);

    expect(listFor(creator, "qwen-1", 1_000n, { at_height: Number(node.height + 3n) }).code).toBe(0);
    fails(dave, market, { close_expired: { token_id: "qwen-1" } }, "Listing not expired");
    skipBlocks(2);
    fails(alice, market, { buy: { token_id: "qwen-1" } }, "Listing expired", usoa(1_000n));
    expect(query(market, { listing: { token_id: "qwen-1" } }).expired).toBe(true);
    ok("close_expired", dave, market, { close_expired: { token_id: "qwen-1" } });
    expect(ownerOf("qwen-1")).toBe(creator.address);
    for (const a of [creator, alice, bob, carol, dave]) expect(net(a.address), a.address).toBe(0n);
    expect(balance(market)).toBe(0n);
    expect(query(market, { listings: {} })).toEqual({ listings: [] });
  });

  it("refuses NFTs from another collection (the send is reverted) and funds on non-paying messages", () => {
    const other = instantiate(creator, codes[0]!, { name: "Other", symbol: "OTH" });
    ok(null, creator, other, { mint: { token_id: "x", owner: creator.address, token_uri: null, extension: manifest("x", 0) } });
    const r = sendNft(creator, "x", { list: { price: "5", expires: null } }, other);
    expect(r.code).toBe(5);
    expect(r.log).toContain("Unauthorized: only the configured nft contract can send NFTs here");
    expect(query(other, { owner_of: { token_id: "x" } }).owner).toBe(creator.address);
    fails(creator, market, { cancel_offer: { token_id: "x" } }, "This message does no accept funds", usoa(1n));
    expect(balance(market)).toBe(0n);
  });
});
