// Conformance of the real chain (soad + CometBFT 0.38) with unmodified @cosmjs/stargate for auth and
// bank: the checklist at the end of COSMJS-COMPAT.md, run against one shared 1-validator localnet.
// Every balance is checked to the last usoa: what a tx costs is read back from the tx itself.
//
// Accounts (dev mnemonic): #0 direct (account number 0), #1 amino, #2 failures, #3 multisend,
// #4 never signs (funded but no pubkey).
import { toBase64 } from "@cosmjs/encoding";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  type Coin,
  type DeliverTxResponse,
  QueryClient,
  StargateClient,
  assertIsDeliverTxSuccess,
  calculateFee,
  setupAuthExtension,
  setupBankExtension,
  setupTxExtension,
} from "@cosmjs/stargate";
import { type CometClient, connectComet, isComet38Client } from "@cosmjs/tendermint-rpc";
import { DEFAULT_GAS_PRICE, DENOM, DEV_ADDRESS, usoa } from "@soa/client";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  type Rng,
  devSigner,
  feeOfEvents,
  feeOfTx,
  genesisBalance,
  genesisSupply,
  makeRng,
  randomAddress,
  DISTRIBUTION_ADDRESS,
  FEE_COLLECTOR_ADDRESS,
  MINT_ADDRESS,
  WORK_POOL_ADDRESS,
  atOneHeight,
  mintedInBlocks,
  startE2eLocalnet,
  testSeed,
  usoaBalance,
} from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;
const EXPLICIT_FEE = { amount: usoa(5_000), gas: "200000" };
const MEMO = `a&b<c>d "q" \\ ünïcødé 中文 🚀 \u2028\t\n&amp;<script>`;

describe("bank and auth through unmodified CosmJS against a real localnet", () => {
  let net: Localnet;
  let rng: Rng;
  let query: StargateClient;
  let comet: CometClient;
  let dev: DevSigner; // #0 direct
  let amino: DevSigner; // #1 amino
  let loser: DevSigner; // #2
  let multi: DevSigner; // #3
  let untouched: string; // #4

  beforeAll(async () => {
    rng = makeRng(testSeed("bank.e2e"));
    net = await startE2eLocalnet({ nodes: 1 });
    query = await StargateClient.connect(net.rpcUrl(0));
    comet = await connectComet(net.rpcUrl(0));
    [dev, amino, loser, multi] = await Promise.all([
      devSigner(net, 0, "direct"),
      devSigner(net, 1, "amino"),
      devSigner(net, 2, "direct"),
      devSigner(net, 3, "direct"),
    ]);
    untouched = net.devAccounts[4]!.address;
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const c of [query, dev?.client, amino?.client, loser?.client, multi?.client]) c?.disconnect();
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  /** Sends and checks the exact balance changes of sender and recipient; returns the result and fee. */
  async function sendChecked(
    from: DevSigner,
    to: string,
    amount: bigint,
    fee: "auto" | typeof EXPLICIT_FEE,
    memo = "",
  ): Promise<{ r: DeliverTxResponse; fee: bigint }> {
    const [fromBefore, toBefore] = [await usoaBalance(query, from.address), await usoaBalance(query, to)];
    const r = await from.client.sendTokens(from.address, to, usoa(amount), fee, memo);
    assertIsDeliverTxSuccess(r);
    const indexed = await query.getTx(r.transactionHash);
    expect(indexed).not.toBeNull();
    const paid = feeOfTx(indexed!.tx);
    expect(feeOfEvents(r)).toBe(paid);
    if (fee === "auto") {
      // CosmJS: gas limit = ceil(simulated * 1.4), fee = ceil(gas price * gas limit)
      expect(paid).toBe(BigInt(calculateFee(Number(r.gasWanted), DEFAULT_GAS_PRICE).amount[0]!.amount));
    } else {
      expect(paid).toBe(BigInt(fee.amount[0]!.amount));
      expect(r.gasWanted).toBe(BigInt(fee.gas));
    }
    expect(r.gasUsed > 0n && r.gasUsed <= r.gasWanted).toBe(true);
    expect(await usoaBalance(query, from.address)).toBe(fromBefore - amount - paid);
    expect(await usoaBalance(query, to)).toBe(toBefore + amount);
    return { r, fee: paid };
  }

  it("connects via connectComet (CometBFT 0.38 detected) and reads chain id and height", async () => {
    expect(isComet38Client(comet)).toBe(true);
    const status = await comet.status();
    expect(status.nodeInfo.version.startsWith("0.38.")).toBe(true);
    expect(await query.getChainId()).toBe(net.chainId);
    expect(net.chainId).toBe("soa-localnet-1");
    const h1 = await query.getHeight();
    expect(h1).toBeGreaterThan(0);
    await net.waitForHeight(h1 + 1);
    expect(await query.getHeight()).toBeGreaterThan(h1);
    const block = await query.getBlock();
    expect(block.header.chainId).toBe(net.chainId);
    expect(block.header.height).toBeGreaterThanOrEqual(h1 + 1);
  }, TEST_TIMEOUT);

  it("getAccount: genesis account 0 without pubkey, unknown address -> null", async () => {
    expect(dev.address).toBe(DEV_ADDRESS);
    const acc = await query.getAccount(DEV_ADDRESS);
    expect(acc).toEqual({ address: DEV_ADDRESS, pubkey: null, accountNumber: 0n, sequence: 0 });
    // the dev accounts are numbered in HD order
    for (const [i, s] of [amino, loser, multi].entries()) expect((await query.getAccount(s.address))?.accountNumber).toBe(BigInt(i + 1));
    expect(await query.getAccount(randomAddress(rng))).toBeNull();
    await expect(query.getSequence(randomAddress(rng))).rejects.toThrow(/does not exist on chain/);
  }, TEST_TIMEOUT);

  it("getBalance / getAllBalances: exact genesis amounts, unknown denom and unknown address -> 0", async () => {
    expect(genesisBalance(net, DEV_ADDRESS)).toBeGreaterThan(0n);
    expect(await query.getBalance(DEV_ADDRESS, DENOM)).toEqual({ denom: DENOM, amount: genesisBalance(net, DEV_ADDRESS).toString() });
    expect(await query.getBalance(DEV_ADDRESS, "unknowncoin")).toEqual({ denom: "unknowncoin", amount: "0" });
    expect(await query.getBalance(randomAddress(rng), DENOM)).toEqual({ denom: DENOM, amount: "0" });
    expect(await query.getAllBalances(untouched)).toEqual([{ denom: DENOM, amount: genesisBalance(net, untouched).toString() }]);
    expect(await query.getAllBalances(randomAddress(rng))).toEqual([]);
  }, TEST_TIMEOUT);

  it("sendTokens, direct signer, account number 0, fee auto: exact balances, events, pubkey stored", async () => {
    const to = randomAddress(rng);
    const { r } = await sendChecked(dev, to, 123_456n, "auto");
    expect(r.msgResponses.map((m) => m.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSendResponse"]);
    expect(r.rawLog ?? "").toBe("");
    const transfer = r.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.key === "recipient" && a.value === to));
    expect(Object.fromEntries(transfer!.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      recipient: to,
      sender: DEV_ADDRESS,
      amount: "123456usoa",
    });
    for (const e of r.events) for (const a of e.attributes) expect(a.key).not.toBe("");
    // the signer's pubkey is stored on first use; the sequence moved on
    const [walletAccount] = await dev.wallet.getAccounts();
    const acc = await query.getAccount(DEV_ADDRESS);
    expect(acc?.pubkey).toEqual({ type: "tendermint/PubKeySecp256k1", value: toBase64(walletAccount!.pubkey) });
    expect(acc?.sequence).toBe(1);
    // the recipient exists now: new account number, no pubkey (funded but never signed)
    const created = await query.getAccount(to);
    expect(created).toMatchObject({ address: to, pubkey: null, sequence: 0 });
    expect(created!.accountNumber).toBeGreaterThanOrEqual(BigInt(net.genesis.app_state.bank.balances.length));
  }, TEST_TIMEOUT);

  it("simulate covers the delivered gas within CosmJS' \"auto\" multiplier 1.4 (COSMJS-COMPAT §4.4)", async () => {
    for (const to of [amino.address, randomAddress(rng)]) {
      const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: dev.address, toAddress: to, amount: usoa(10) }) };
      const simulated = await dev.client.simulate(dev.address, [msg], "");
      const r = await dev.client.signAndBroadcast(dev.address, [msg], { amount: usoa(10_000), gas: "400000" });
      assertIsDeliverTxSuccess(r);
      const ratio = Number(r.gasUsed) / simulated;
      console.log(`[bank.e2e] MsgSend gas: simulated ${simulated}, delivered ${r.gasUsed} (x${ratio.toFixed(3)})`);
      expect(ratio).toBeLessThanOrEqual(1.4);
    }
  }, TEST_TIMEOUT);

  it("a numeric gas multiplier of 1.3 (the usual wallet default) is enough for a MsgSend (simulate charges what delivery charges)", async () => {
    // COSMJS-COMPAT §4.4: simulation must charge everything the real run charges. CosmJS simulates
    // with an empty fee, so the fee deduction's store gas must be charged in simulation as well.
    const before = (await query.getSequence(dev.address)).sequence;
    const r = await dev.client.sendTokens(dev.address, amino.address, usoa(1), 1.3, "multiplier 1.3");
    expect([r.code, r.rawLog]).toEqual([0, ""]);
    expect((await query.getSequence(dev.address)).sequence).toBe(before + 1);
  }, TEST_TIMEOUT);

  it("funded-but-never-signed genesis account has pubkey null", async () => {
    const acc = await query.getAccount(untouched);
    expect(acc).toEqual({ address: untouched, pubkey: null, accountNumber: 4n, sequence: 0 });
  }, TEST_TIMEOUT);

  it("sendTokens with a memo containing &<> and non-ASCII: direct and amino, explicit fee and auto", async () => {
    for (const [signer, fee] of [
      [dev, EXPLICIT_FEE],
      [amino, "auto"],
      [amino, EXPLICIT_FEE],
    ] as const) {
      const to = randomAddress(rng);
      const { r } = await sendChecked(signer, to, BigInt(rng.int(1, 1_000_000)), fee, MEMO);
      const indexed = await query.getTx(r.transactionHash);
      const tx = decodeTxRaw(indexed!.tx);
      expect(tx.body.memo).toBe(MEMO);
      expect(tx.authInfo.signerInfos[0]!.modeInfo?.single?.mode).toBe(signer.mode === "amino" ? 127 : 1);
    }
  }, TEST_TIMEOUT);

  it("amino signer with account number 0", async () => {
    const dev0amino = await devSigner(net, 0, "amino");
    try {
      await sendChecked(dev0amino, randomAddress(rng), 7n, "auto", MEMO);
    } finally {
      dev0amino.client.disconnect();
    }
  }, TEST_TIMEOUT);

  it("over-balance send is included with code 5: fee charged, sequence advanced, nothing moved", async () => {
    const before = await usoaBalance(query, loser.address);
    const seq = (await query.getSequence(loser.address)).sequence;
    const to = randomAddress(rng);
    const r = await loser.client.sendTokens(loser.address, to, usoa(before * 2n), EXPLICIT_FEE, "too much");
    expect(r.code).toBe(5);
    expect(r.height).toBeGreaterThan(0);
    expect(r.rawLog).toMatch(/insufficient funds/);
    expect(r.msgResponses).toEqual([]);
    expect(feeOfEvents(r)).toBe(5_000n);
    expect(await usoaBalance(query, loser.address)).toBe(before - 5_000n);
    expect((await query.getSequence(loser.address)).sequence).toBe(seq + 1);
    expect(await query.getAccount(to)).toBeNull();
    const indexed = await query.getTx(r.transactionHash);
    expect([indexed?.code, indexed?.height]).toEqual([5, r.height]);
    // fee "auto" simulates first; the simulation fails, so CosmJS throws before broadcasting
    await expect(loser.client.sendTokens(loser.address, to, usoa(before * 2n), "auto")).rejects.toThrow(/Query failed with \(\d+\).*insufficient funds/s);
    expect((await query.getSequence(loser.address)).sequence).toBe(seq + 1);
  }, TEST_TIMEOUT);

  it("recipient with a wrong bech32 prefix -> BroadcastTxError (sdk, code 7), nothing charged", async () => {
    const before = await usoaBalance(query, loser.address);
    const seq = (await query.getSequence(loser.address)).sequence;
    const cosmosAddr = randomAddress(rng, "cosmos");
    const err = await loser.client.sendTokens(loser.address, cosmosAddr, usoa(1), EXPLICIT_FEE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BroadcastTxError);
    const b = err as BroadcastTxError;
    expect([b.code, b.codespace]).toEqual([7, "sdk"]);
    expect(b.log).toMatch(/invalid address/);
    expect(b.message).toMatch(/Broadcasting transaction failed with code 7 \(codespace: sdk\)/);
    // the same through simulate (fee auto)
    await expect(loser.client.sendTokens(loser.address, cosmosAddr, usoa(1), "auto")).rejects.toThrow(/Query failed with/);
    expect(await usoaBalance(query, loser.address)).toBe(before);
    expect((await query.getSequence(loser.address)).sequence).toBe(seq);
  }, TEST_TIMEOUT);

  it("wrong sequence (signed offline with sequence + 5) -> BroadcastTxError code 32; wrong chain id -> code 4", async () => {
    const { accountNumber, sequence } = await query.getSequence(loser.address);
    const msg = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: MsgSend.fromPartial({ fromAddress: loser.address, toAddress: multi.address, amount: usoa(1) }),
    };
    const signerData = { accountNumber, sequence: sequence + 5, chainId: net.chainId };
    const raw = await loser.client.sign(loser.address, [msg], EXPLICIT_FEE, "", signerData);
    const err = await loser.client.broadcastTx(TxRaw.encode(raw).finish()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BroadcastTxError);
    expect([(err as BroadcastTxError).code, (err as BroadcastTxError).codespace]).toEqual([32, "sdk"]);
    expect((err as BroadcastTxError).log).toContain(`account sequence mismatch, expected ${sequence}, got ${sequence + 5}`);

    const wrongChain = await loser.client.sign(loser.address, [msg], EXPLICIT_FEE, "", { ...signerData, sequence, chainId: "other-chain-1" });
    const err4 = await loser.client.broadcastTx(TxRaw.encode(wrongChain).finish()).catch((e: unknown) => e);
    expect(err4).toBeInstanceOf(BroadcastTxError);
    expect((err4 as BroadcastTxError).code).toBe(4);
    expect((err4 as BroadcastTxError).log).toMatch(/signature verification failed/);
    expect((await query.getSequence(loser.address)).sequence).toBe(sequence);
  }, TEST_TIMEOUT);

  it("getTx finds committed txs and returns null for an unknown hash; searchTx by height, sender, recipient", async () => {
    const to = randomAddress(rng);
    const { r } = await sendChecked(dev, to, 42n, "auto");
    expect(await query.getTx("0".repeat(64))).toBeNull();
    const found = await query.getTx(r.transactionHash);
    expect(found).toMatchObject({ height: r.height, hash: r.transactionHash, code: 0, txIndex: r.txIndex });
    expect(found!.gasUsed).toBe(r.gasUsed);
    expect(found!.gasWanted).toBe(r.gasWanted);
    expect(found!.msgResponses.map((m) => m.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSendResponse"]);
    // lower-case hash works as well (Comet accepts either)
    expect((await query.getTx(r.transactionHash.toLowerCase()))?.hash).toBe(r.transactionHash);

    const byHeight = await query.searchTx(`tx.height=${r.height}`);
    expect(byHeight.map((t) => t.hash)).toContain(r.transactionHash);
    for (const t of byHeight) expect(t.height).toBe(r.height);
    const byHeightPairs = await query.searchTx([{ key: "tx.height", value: r.height }]);
    expect(byHeightPairs.map((t) => t.hash).sort()).toEqual(byHeight.map((t) => t.hash).sort());

    const bySender = await query.searchTx([{ key: "message.sender", value: DEV_ADDRESS }]);
    expect(bySender.map((t) => t.hash)).toContain(r.transactionHash);
    expect(bySender.length).toBe((await query.getSequence(DEV_ADDRESS)).sequence); // every tx #0 signed
    const byRecipient = await query.searchTx(`transfer.recipient='${to}'`);
    expect(byRecipient.map((t) => t.hash)).toEqual([r.transactionHash]);
    // CometBFT 0.38's kv indexer ANDs conditions within ONE event (cometbft/cometbft#4003), so combine
    // attributes of the same event type; message.sender AND transfer.recipient never matches on any chain.
    const combined = await query.searchTx([
      { key: "transfer.sender", value: DEV_ADDRESS },
      { key: "transfer.recipient", value: to },
    ]);
    expect(combined.map((t) => t.hash)).toEqual([r.transactionHash]);
    expect(await query.searchTx(`transfer.recipient='${randomAddress(rng)}'`)).toEqual([]);
  }, TEST_TIMEOUT);

  it("MsgMultiSend through signAndBroadcast, direct and amino", async () => {
    for (const signer of [multi, amino]) {
      const outs = [randomAddress(rng), randomAddress(rng), multi === signer ? amino.address : multi.address];
      const amounts = outs.map(() => BigInt(rng.int(1, 50_000)));
      const total = amounts.reduce((a, b) => a + b, 0n);
      const before = await Promise.all([signer.address, ...outs].map((a) => usoaBalance(query, a)));
      const r = await signer.client.signAndBroadcast(
        signer.address,
        [
          {
            typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
            value: {
              inputs: [{ address: signer.address, coins: usoa(total) }],
              outputs: outs.map((address, i) => ({ address, coins: usoa(amounts[i]!) })),
            },
          },
        ],
        "auto",
        `multisend ${signer.mode}`,
      );
      assertIsDeliverTxSuccess(r);
      expect(r.msgResponses.map((m) => m.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgMultiSendResponse"]);
      const fee = feeOfTx((await query.getTx(r.transactionHash))!.tx);
      expect(await usoaBalance(query, signer.address)).toBe(before[0]! - total - fee);
      for (const [i, a] of outs.entries()) expect(await usoaBalance(query, a)).toBe(before[i + 1]! + amounts[i]!);
    }
  }, TEST_TIMEOUT);

  it("bank supply and denom metadata through QueryClient + setupBankExtension", async () => {
    const qc = QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension, setupTxExtension);
    // mint raises the supply every block: it is genesis + the `mint` amounts of blocks 1..h, for the h
    // the query was answered at (the extension does not say which: any height of the window)
    const h0 = await query.getHeight();
    const total = await qc.bank.totalSupply();
    const of = await qc.bank.supplyOf(DENOM);
    const h1 = await query.getHeight();
    // /status counts a block once stored, before the app has executed it: the app was at h0 - 1 .. h1 + 1
    await net.waitForHeight(h1 + 2);
    const minted = await mintedInBlocks(comet, 1, h1 + 1);
    const supplyAt = (h: number) => (genesisSupply(net) + minted.blocks.filter((b) => b.height <= h).reduce((a, b) => a + b.amount, 0n)).toString();
    const window = Array.from({ length: h1 - h0 + 3 }, (_, i) => supplyAt(h0 - 1 + i));
    expect(total.supply).toHaveLength(1);
    expect(total.supply[0]!.denom).toBe(DENOM);
    expect(window).toContain(total.supply[0]!.amount);
    expect(of.denom).toBe(DENOM);
    expect(window).toContain(of.amount);
    expect(BigInt(of.amount)).toBeGreaterThanOrEqual(BigInt(total.supply[0]!.amount));
    expect(await qc.bank.supplyOf("unknowncoin")).toEqual({ denom: "unknowncoin", amount: "0" });
    const meta = await qc.bank.denomMetadata(DENOM);
    expect(meta.base).toBe(DENOM);
    expect(meta.symbol).toBe("SOA");
    expect(meta.denomUnits.map((u) => [u.denom, u.exponent])).toEqual([
      [DENOM, 0],
      ["soa", 6],
    ]);
    expect((await qc.bank.denomsMetadata()).map((m) => m.base)).toEqual([DENOM]);
    await expect(qc.bank.denomMetadata("nosuchdenom")).rejects.toThrow(/Query failed with \(22\)/);
    const acc = await qc.auth.account(DEV_ADDRESS);
    expect(acc?.typeUrl).toBe("/cosmos.auth.v1beta1.BaseAccount");
  }, TEST_TIMEOUT);

  it("conserves the supply: all balances add up to genesis + minted, the fee collector holds the fees of all txs + mint's PoS share", async () => {
    // every tx in this chain's history came from this file
    const all = await query.searchTx("tx.height>=1");
    expect(all.length).toBeGreaterThan(8);
    const addresses = new Set<string>([FEE_COLLECTOR_ADDRESS, WORK_POOL_ADDRESS, MINT_ADDRESS, ...net.genesis.app_state.bank.balances.map((b) => b.address)]);
    for (const t of all) {
      for (const e of t.events) for (const a of e.attributes) if (e.type === "transfer" && a.key === "recipient") addresses.add(a.value);
    }
    // mint changes balances every block: read everything at one height
    const { height, value } = await atOneHeight(comet, async (at) => {
      const all = [...new Set([...addresses, ...(await at.moduleAccounts())])];
      const amounts = await Promise.all(all.map((a) => at.balance(a)));
      return { balances: new Map(all.map((a, i) => [a, amounts[i]!])), supply: await at.supply() };
    });
    const minted = await mintedInBlocks(comet, 1, height);
    const fees = all.filter((t) => t.height <= height).reduce((s, t) => s + feeOfTx(t.tx), 0n);
    // distribution takes the fee collector at every BeginBlock; nobody withdraws rewards in this file
    expect(value.balances.get(FEE_COLLECTOR_ADDRESS)! + (value.balances.get(DISTRIBUTION_ADDRESS) ?? 0n)).toBe(fees + minted.toFeeCollector);
    expect(value.balances.get(WORK_POOL_ADDRESS)).toBe(minted.toWorkPool);
    expect(value.supply).toBe(genesisSupply(net) + minted.minted);
    expect([...value.balances.values()].reduce((a, b) => a + b, 0n)).toBe(value.supply);
    // fees were paid in usoa only (distribution holds them between the fee collector and withdrawals)
    const coins: Coin[] = (await query.getAllBalances(DISTRIBUTION_ADDRESS)) as Coin[];
    expect(coins.map((c) => c.denom)).toEqual([DENOM]);
  }, TEST_TIMEOUT);
});
