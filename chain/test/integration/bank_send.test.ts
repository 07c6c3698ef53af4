import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryBalanceRequest, QueryBalanceResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { fundedGenesis, keyFromSeed, TestNode, withoutMinting } from "../utils/testNode.js";
import { msgSendAny } from "../../src/tx/build.js";
import { fromBech32, toBech32 } from "@cosmjs/encoding";

const alice = keyFromSeed("alice");
const bob = keyFromSeed("bob");
const carol = keyFromSeed("carol"); // not in genesis
const usoa = (n: bigint | number) => [{ denom: "usoa", amount: String(n) }];
const FEE = usoa(5000);

function balance(node: TestNode, address: string, denom = "usoa"): bigint {
  const r = node.query("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom }).finish());
  expect(r.code).toBe(0);
  return BigInt(QueryBalanceResponse.decode(r.value).balance!.amount);
}

function account(node: TestNode, address: string): BaseAccount {
  const r = node.query("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish());
  expect(r.code, r.log).toBe(0);
  return BaseAccount.decode(QueryAccountResponse.decode(r.value).account!.value);
}

describe("bank sends through the in-process node", () => {
  let node: TestNode;
  beforeEach(async () => {
    // no minting: these tests check exact supplies and that rejected txs leave the app hash alone
    node = await TestNode.create({ genesis: withoutMinting(fundedGenesis([alice, bob])) });
    node.deliverBlock([]);
  });
  afterEach(async () => node.close());

  const send = (sequence: bigint, to: string, amount: bigint, extra: Partial<Parameters<TestNode["signTx"]>[0]> = {}) =>
    node.signTx({ key: alice, accountNumber: 0n, sequence, messages: [msgSendAny(alice.address, to, usoa(amount))], fee: FEE, ...extra });

  it("moves funds, charges the fee, bumps the sequence, stores the pubkey and emits SDK events", () => {
    const tx = send(0n, carol.address, 1234n);
    expect(node.checkTx(tx).code).toBe(0);
    const { results } = node.deliverBlock([tx]);
    const r = results[0]!;
    expect(r.code, r.log).toBe(0);
    expect(r.log).toBe("");
    expect(r.gasUsed > 0n && r.gasUsed <= r.gasWanted).toBe(true);
    expect(TxMsgData.decode(r.data).msgResponses.map((a) => a.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSendResponse"]);
    expect(balance(node, carol.address)).toBe(1234n);
    expect(balance(node, alice.address)).toBe(1_000_000_000_000n - 1234n - 5000n);
    const acc = account(node, alice.address);
    expect(acc.sequence).toBe(1n);
    expect(acc.pubKey?.typeUrl).toBe("/cosmos.crypto.secp256k1.PubKey");
    // carol's account was created on receipt, with the next account number and no pubkey
    const c = account(node, carol.address);
    expect(c.accountNumber).toBeGreaterThan(1n);
    expect(c.pubKey).toBeUndefined();
    const types = r.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["coin_spent", "coin_received", "transfer", "message", "tx"]));
    const transfer = r.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.value === carol.address))!;
    expect(Object.fromEntries(transfer.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      recipient: carol.address,
      sender: alice.address,
      amount: "1234usoa",
      msg_index: "0",
    });
    for (const e of r.events) for (const a of e.attributes) expect(a.key.length > 0 && a.index).toBe(true);
  });

  it("accepts LEGACY_AMINO_JSON signatures, memo with &<> and non-ASCII, and account number 0", () => {
    const tx = send(0n, bob.address, 1n, { signMode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON, memo: "a&b<c>d ünïcødé 🚀" });
    expect(node.checkTx(tx).code).toBe(0);
    expect(node.deliverBlock([tx]).results[0]!.code).toBe(0);
  });

  it("includes an over-balance send with code 5 but keeps the fee and the sequence", () => {
    const before = balance(node, alice.address);
    const tx = send(0n, bob.address, 10n ** 15n);
    expect(node.checkTx(tx).code).toBe(0); // CheckTx runs no messages
    const r = node.deliverBlock([tx]).results[0]!;
    expect([r.code, r.codespace]).toEqual([5, "sdk"]);
    expect(r.log).toMatch(/insufficient funds/);
    expect(r.data.length).toBe(0);
    expect(balance(node, alice.address)).toBe(before - 5000n);
    expect(account(node, alice.address).sequence).toBe(1n);
  });

  it("rejects bad transactions in CheckTx with SDK codes and changes nothing", () => {
    const hash0 = node.app.lastAppHash;
    const cases: [string, Uint8Array, number][] = [
      ["wrong sequence", send(7n, bob.address, 1n), 32],
      ["wrong chain id", send(0n, bob.address, 1n, { chainId: "other-chain" }), 4],
      ["wrong account number", send(0n, bob.address, 1n, { accountNumber: 9n }), 4],
      ["memo too long", send(0n, bob.address, 1n, { memo: "x".repeat(257) }), 12],
      ["expired timeout height", send(0n, bob.address, 1n, { timeoutHeight: 1n }), 30],
      ["wrong prefix recipient", send(0n, toBech32("cosmos", fromBech32(bob.address, 90).data), 1n), 7],
      ["zero amount", node.signTx({ key: alice, accountNumber: 0n, sequence: 0n, messages: [msgSendAny(alice.address, bob.address, usoa(0))], fee: FEE }), 10],
      ["unknown signer account", node.signTx({ key: carol, accountNumber: 0n, sequence: 0n, messages: [msgSendAny(carol.address, bob.address, usoa(1))], fee: FEE }), 9],
      ["signer is not the sender", node.signTx({ key: bob, accountNumber: 1n, sequence: 0n, messages: [msgSendAny(alice.address, bob.address, usoa(1))], fee: FEE }), 8],
      ["garbage", Buffer.from("not a transaction"), 2],
      ["zero gas limit", send(0n, bob.address, 1n, { gasLimit: 0n }), 41],
      ["fee exceeds balance", send(0n, bob.address, 1n, { fee: usoa(10n ** 15n) }), 5],
    ];
    for (const [name, tx, code] of cases) {
      const r = node.checkTx(tx);
      expect(r.code, `${name}: ${r.log}`).toBe(code);
      expect(r.codespace, name).toBe("sdk");
      expect(r.log.length, name).toBeGreaterThan(0);
    }
    // a flipped signature byte
    const good = TxRaw.decode(send(0n, bob.address, 1n));
    good.signatures[0]![5]! ^= 1;
    expect(node.checkTx(TxRaw.encode(good).finish()).code).toBe(4);
    node.deliverBlock([]);
    expect(Buffer.from(node.app.lastAppHash).equals(Buffer.from(hash0))).toBe(true);
    expect(account(node, alice.address).sequence).toBe(0n);
  });

  it("RECHECK re-applies what is still valid and evicts what a block made invalid", () => {
    const a0 = send(0n, bob.address, 1n);
    const a1 = send(1n, bob.address, 1n);
    expect(node.checkTx(a0).code).toBe(0);
    expect(node.checkTx(a1).code).toBe(0); // check state expects sequence 1 after a0
    // a block that contains a0 only: a1 stays in the mempool and is rechecked
    node.deliverBlock([a0]);
    expect(node.checkTx(a1, true).code).toBe(0);
    expect(node.checkTx(send(2n, bob.address, 1n)).code).toBe(0); // sees a1's sequence bump
    // a block that used sequence 1 with another tx: the mempool's a1 is now stale
    const other = send(1n, carol.address, 2n);
    node.deliverBlock([other]);
    const r = node.checkTx(a1, true);
    expect([r.code, r.codespace]).toEqual([32, "sdk"]);
    // a signer whose balance no longer covers the fee is evicted with code 5
    const drain = node.signTx({ key: bob, accountNumber: 1n, sequence: 0n, messages: [msgSendAny(bob.address, alice.address, usoa(1_000_000_000_000n - 5000n))], fee: FEE });
    const bobNext = node.signTx({ key: bob, accountNumber: 1n, sequence: 1n, messages: [msgSendAny(bob.address, alice.address, usoa(1))], fee: FEE });
    expect(node.checkTx(drain).code).toBe(0);
    node.deliverBlock([drain]);
    expect(node.checkTx(bobNext, true).code).toBe(5);
  });

  it("enforces the node's minimum gas price in CheckTx only", async () => {
    const n2 = await TestNode.create({ genesis: withoutMinting(fundedGenesis([alice, bob])), minGasPrices: "0.0025usoa" });
    n2.deliverBlock([]);
    const low = n2.signTx({ key: alice, accountNumber: 0n, sequence: 0n, messages: [msgSendAny(alice.address, bob.address, usoa(1))], fee: usoa(499), gasLimit: 200_000n });
    const r = n2.checkTx(low);
    expect([r.code, r.log]).toEqual([13, "insufficient fees; got: 499usoa required: 500usoa: insufficient fee"]);
    expect(n2.deliverBlock([low]).results[0]!.code).toBe(0); // not a consensus rule
    await n2.close();
  });

  it("runs out of gas in a message with code 11, keeping fee and sequence; in the ante handler, keeping nothing", () => {
    const full = node.deliverBlock([send(0n, bob.address, 1n)]).results[0]!;
    expect(full.code).toBe(0);
    const before = balance(node, alice.address);
    // enough for the ante handler (roughly half of the total), not for the send itself
    const inMsg = node.deliverBlock([send(1n, bob.address, 1n, { gasLimit: full.gasUsed - 3000n })]).results[0]!;
    expect([inMsg.code, inMsg.codespace]).toEqual([11, "sdk"]);
    expect(inMsg.log).toMatch(/out of gas in location/);
    expect(inMsg.gasUsed).toBeGreaterThan(inMsg.gasWanted);
    expect(account(node, alice.address).sequence).toBe(2n);
    expect(balance(node, alice.address)).toBe(before - 5000n);
    const inAnte = node.deliverBlock([send(2n, bob.address, 1n, { gasLimit: 3000n })]).results[0]!;
    expect(inAnte.code).toBe(11);
    expect(account(node, alice.address).sequence).toBe(2n);
    expect(balance(node, alice.address)).toBe(before - 5000n);
  });

  it("simulates without a signature and estimates at least the delivered gas", () => {
    const signed = TxRaw.decode(send(0n, bob.address, 77n));
    const unsigned = TxRaw.encode({ ...signed, signatures: [new Uint8Array()] }).finish();
    const q = node.query("/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes: unsigned }).finish());
    expect(q.code, q.log).toBe(0);
    const sim = SimulateResponse.decode(q.value);
    const delivered = node.deliverBlock([TxRaw.encode(signed).finish()]).results[0]!;
    expect(delivered.code).toBe(0);
    // the estimate covers the delivered gas on its own (CosmJS then multiplies it by 1.4 for "auto")
    expect(sim.gasInfo!.gasUsed).toBeGreaterThanOrEqual(delivered.gasUsed);
    expect(sim.gasInfo!.gasUsed).toBeLessThan((delivered.gasUsed * 11n) / 10n);
    expect(balance(node, bob.address)).toBe(1_000_000_000_000n + 77n); // simulation wrote nothing
  });

  it("answers unknown accounts with NotFound and unknown denoms with zero", () => {
    const r = node.query("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: carol.address }).finish());
    expect(r.code).toBe(22);
    expect(r.log).toMatch(/rpc error: code = NotFound desc = account .* not found: key not found/);
    expect(balance(node, alice.address, "unknowncoin")).toBe(0n);
    expect(r.height).toBe(node.height);
    const bad = node.query("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: "soa1bad", denom: "usoa" }).finish());
    expect(bad.code).not.toBe(0);
    expect(node.query("/no.such/Path", new Uint8Array()).code).toBe(6);
    const supply = QueryTotalSupplyResponse.decode(node.query("/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish()).value);
    expect(supply.supply).toEqual(usoa(2_000_000_000_000n));
    expect(supply.pagination).toBeDefined();
  });

  it("keeps the app hash on empty blocks and survives a restart", async () => {
    node.deliverBlock([send(0n, bob.address, 5n)]);
    node.deliverBlock([]); // distribution moves the block's fees out of the fee collector at the next BeginBlock
    const h = Buffer.from(node.app.lastAppHash);
    node.deliverBlock([]);
    node.deliverBlock([]);
    expect(Buffer.from(node.app.lastAppHash).equals(h)).toBe(true);
    const height = node.height;
    await node.app.close();
    const reopened = await TestNode.create({ dataDir: node.dataDir });
    expect(reopened.app.lastHeight).toBe(height);
    expect(Buffer.from(reopened.app.lastAppHash).equals(h)).toBe(true);
    expect(reopened.app.info({ version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" }).lastBlockHeight).toBe(height);
    expect(balance(reopened, bob.address)).toBe(1_000_000_000_005n);
    // a tx signed for the reopened app still verifies (chain id restored from state)
    expect(reopened.checkTx(send(1n, bob.address, 1n)).code).toBe(0);
    await reopened.app.close();
    node = await TestNode.create(); // afterEach closes something valid
  });
});
