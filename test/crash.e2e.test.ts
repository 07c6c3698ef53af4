// Crash recovery of a real node while CosmJS clients send transactions: soad is SIGKILLed three times
// and CometBFT twice, at random moments of a steady tx flow; after each kill the node is restarted
// with the same home. Afterwards:
//   - every tx CosmJS saw committed (DeliverTxResponse code 0 at height h) is still there: getTx gives
//     the same height and code, and the block at h contains it;
//   - the ledger is exact: every tx of every block is replayed by hand from the blocks and
//     block_results, and each sender's balance = genesis - Σ(amount + fee) of its committed txs,
//     each sequence = number of its committed txs, the fee collector holds Σ fees + mint's PoS share,
//     the work pool the PoW share, supply = genesis + Σ minted (block events) = sum of all balances;
//   - the chain still produces blocks and a fresh send succeeds.
// Killing CometBFT or soad at any point must never lose a committed block or split the app state
// from the block store (CometBFT's handshake replays what the app missed; ABCI.md).
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { BroadcastTxError, StargateClient, TimeoutError, assertIsDeliverTxSuccess } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { DENOM, usoa } from "@soa/client";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  type Rng,
  devSigner,
  feeOfTx,
  genesisBalance,
  genesisSupply,
  makeRng,
  pollUntil,
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
import { sleep } from "@soa/chain/node/process";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 240_000;
const EXPLICIT_FEE = { amount: usoa(4_000), gas: "160000" };
/** Senders: dev accounts #1..#4 (#0 sends the final check tx). */
const SENDERS = [1, 2, 3, 4];

interface Seen {
  sender: string;
  hash: string;
  height: number;
  amount: bigint;
  to: string;
}

interface BlockTx {
  hash: string;
  height: number;
  code: number;
  signer: string;
  /** usoa moved by the MsgSend (0 if the tx failed) */
  amount: bigint;
  to: string;
  fee: bigint;
}

describe("crash recovery under load (kill -9 of soad and of CometBFT)", () => {
  let net: Localnet;
  let seed: number;
  let rng: Rng;
  let query: StargateClient;
  let signers: DevSigner[] = [];
  const seen: Seen[] = [];
  const failedDeliveries: string[] = [];
  const clientErrors = new Map<string, number>();
  const unexpectedErrors: string[] = [];
  const kills: string[] = [];

  beforeAll(async () => {
    seed = testSeed("crash.e2e");
    rng = makeRng(seed);
    net = await startE2eLocalnet({ nodes: 1 });
    query = await StargateClient.connect(net.rpcUrl(0));
    signers = await Promise.all(
      SENDERS.map((i) => devSigner(net, i, i % 2 === 0 ? "amino" : "direct", 0, { broadcastTimeoutMs: 20_000, broadcastPollIntervalMs: 250 })),
    );
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const c of [query, ...signers.map((s) => s.client)]) c?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  async function nodeHealthy(): Promise<void> {
    await pollUntil("node 0 answering /status", async () => ((await net.height(0)) > 0 ? true : undefined), 120_000, 250);
  }

  function noteError(e: unknown): void {
    let key: string;
    if (e instanceof BroadcastTxError) {
      key = `BroadcastTxError code ${e.code}`;
      // 32: the previous tx of this sender reached the mempool but the client lost track of it
      if (e.code !== 32) unexpectedErrors.push(`${key}: ${e.log ?? ""}`);
    } else if (e instanceof TimeoutError) {
      key = "TimeoutError";
    } else {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      key = `${err?.name ?? "?"}: ${(err?.cause?.code ?? err?.message ?? String(e)).slice(0, 70)}`;
    }
    clientErrors.set(key, (clientErrors.get(key) ?? 0) + 1);
  }

  /** One sender: send, record what CosmJS saw committed, ride out outages. */
  async function flow(s: DevSigner, r: Rng, stop: () => boolean): Promise<void> {
    while (!stop()) {
      const to = randomAddress(r);
      const amount = BigInt(r.int(1, 50_000));
      try {
        const res = await s.client.sendTokens(s.address, to, usoa(amount), r.chance(0.5) ? "auto" : EXPLICIT_FEE, `crash test ${s.index}`);
        if (res.code === 0) seen.push({ sender: s.address, hash: res.transactionHash, height: res.height, amount, to });
        else failedDeliveries.push(`${res.transactionHash} code ${res.code}: ${res.rawLog}`);
      } catch (e) {
        noteError(e);
        await nodeHealthy().catch(() => undefined);
      }
    }
  }

  it("keeps every committed tx and an exact ledger across 3 soad and 2 CometBFT kills", async () => {
    const t0 = Date.now();
    let stopping = false;
    const flows = signers.map((s, i) => flow(s, makeRng(seed + 1 + i), () => stopping));

    const plan: ("app" | "comet")[] = ["app", "app", "app", "comet", "comet"];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }
    try {
      for (const what of plan) {
        // let txs flow: at least 3 more committed ones, then a random extra moment (mid-block, mid-commit, ...)
        const target = seen.length + 3;
        await pollUntil(`${target} committed txs`, async () => (seen.length >= target ? true : undefined), 90_000, 50);
        await sleep(rng.int(0, 1_200));
        const before = await net.height(0).catch(() => 0);
        const pids = net.pids(0);
        const exit = what === "app" ? await net.killApp(0, "SIGKILL") : await net.killComet(0, "SIGKILL");
        kills.push(`${what} (soad ${pids.soad}, cometbft ${pids.cometbft}) at height ~${before}: soad exit ${JSON.stringify(exit)}`);
        await net.restart(0);
        await net.waitForHeight(before + 2, 0, 90_000);
      }
      const target = seen.length + 3;
      await pollUntil(`${target} committed txs after the last restart`, async () => (seen.length >= target ? true : undefined), 90_000, 50);
    } finally {
      stopping = true;
      await Promise.all(flows);
    }
    console.log(`[crash.e2e] kills:\n  ${kills.join("\n  ")}`);
    console.log(`[crash.e2e] ${seen.length} txs seen committed in ${((Date.now() - t0) / 1000).toFixed(1)} s; client errors:`, Object.fromEntries(clientErrors));
    expect(kills).toHaveLength(5);
    expect(unexpectedErrors).toEqual([]);
    expect(failedDeliveries).toEqual([]);

    // ---- the chain goes on
    const hEnd = await net.height(0);
    await net.waitForHeight(hEnd + 2, 0);
    const H = await net.height(0);

    // ---- replay every block by hand (independent of the tx indexer)
    const comet = await Comet38Client.connect(net.rpcUrl(0));
    const blockTxs = new Map<string, BlockTx>();
    try {
      for (let h = 1; h <= H; h++) {
        const block = await comet.block(h);
        if (block.block.txs.length === 0) continue;
        const results = await comet.blockResults(h);
        expect(results.results.length).toBe(block.block.txs.length);
        block.block.txs.forEach((raw, i) => {
          const code = results.results[i]!.code;
          const tx = decodeTxRaw(raw);
          expect(tx.body.messages).toHaveLength(1);
          const msg = MsgSend.decode(tx.body.messages[0]!.value);
          const amount = msg.amount.reduce((a, c) => a + (c.denom === DENOM ? BigInt(c.amount) : 0n), 0n);
          const hash = toHex(sha256(raw)).toUpperCase();
          expect(blockTxs.has(hash), `tx ${hash} in two blocks`).toBe(false);
          blockTxs.set(hash, { hash, height: h, code, signer: msg.fromAddress, amount: code === 0 ? amount : 0n, to: msg.toAddress, fee: feeOfTx(raw) });
        });
      }
    } finally {
      comet.disconnect();
    }
    const committed = [...blockTxs.values()];
    console.log(`[crash.e2e] ${committed.length} txs in blocks 1..${H} (${committed.filter((t) => t.code !== 0).length} failed); CosmJS saw ${seen.length}`);

    // ---- every tx CosmJS saw committed is there, same height, code 0, and getTx agrees
    for (const s of seen) {
      const b = blockTxs.get(s.hash);
      expect(b, `seen tx ${s.hash} at height ${s.height} is missing from the blocks`).toBeDefined();
      expect([b!.height, b!.code]).toEqual([s.height, 0]);
      const indexed = await query.getTx(s.hash);
      expect(indexed, `getTx(${s.hash})`).not.toBeNull();
      expect([indexed!.height, indexed!.code]).toEqual([s.height, 0]);
    }
    // ---- and every committed tx is findable through the indexer (CosmJS' getTx)
    const notIndexed: string[] = [];
    for (const t of committed) {
      const indexed = await query.getTx(t.hash);
      if (!indexed || indexed.height !== t.height || indexed.code !== t.code) notIndexed.push(`${t.hash}@${t.height}: ${indexed ? `${indexed.height}/${indexed.code}` : "null"}`);
    }
    expect(notIndexed, "committed txs that getTx does not return").toEqual([]);

    // ---- exact ledger
    let feeSum = 0n;
    for (const s of signers) {
      const mine = committed.filter((t) => t.signer === s.address);
      const spent = mine.reduce((a, t) => a + t.amount + t.fee, 0n);
      feeSum += mine.reduce((a, t) => a + t.fee, 0n);
      expect(await usoaBalance(query, s.address), `balance of sender #${s.index}`).toBe(genesisBalance(net, s.address) - spent);
      expect((await query.getSequence(s.address)).sequence, `sequence of sender #${s.index}`).toBe(mine.length);
    }
    const received = new Map<string, bigint>();
    for (const t of committed) received.set(t.to, (received.get(t.to) ?? 0n) + t.amount);
    for (const [addr, amount] of received) {
      expect(await usoaBalance(query, addr), `balance of recipient ${addr}`).toBe(amount);
    }
    // mint moves the fee collector, the work pool and the supply every block (also across the kills):
    // read them at one height and account for every block's `mint_split` event up to it
    const cometAt = await Comet38Client.connect(net.rpcUrl(0));
    try {
      const accounts = [...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...received.keys(), FEE_COLLECTOR_ADDRESS, WORK_POOL_ADDRESS, MINT_ADDRESS])];
      const { height, value } = await atOneHeight(cometAt, async (at) => ({
        // distribution takes the fee collector at every BeginBlock; nobody withdraws rewards here
        feeCollector: (await at.balance(FEE_COLLECTOR_ADDRESS)) + (await at.balance(DISTRIBUTION_ADDRESS)),
        workPool: await at.balance(WORK_POOL_ADDRESS),
        supply: await at.supply(),
        total: (await Promise.all([...new Set([...accounts, ...(await at.moduleAccounts())])].map((a) => at.balance(a)))).reduce((x, y) => x + y, 0n),
      }));
      expect(height).toBeGreaterThanOrEqual(H); // no txs after H: feeSum is every fee up to `height`
      const minted = await mintedInBlocks(cometAt, 1, height);
      expect(value.feeCollector).toBe(feeSum + minted.toFeeCollector);
      expect(value.workPool).toBe(minted.toWorkPool);
      expect(value.supply).toBe(genesisSupply(net) + minted.minted);
      expect(value.total).toBe(value.supply);
    } finally {
      cometAt.disconnect();
    }

    // ---- a fresh client still works
    const dev = await devSigner(net, 0, "direct");
    try {
      const r = await dev.client.sendTokens(dev.address, randomAddress(rng), usoa(1), "auto", "after the crashes");
      assertIsDeliverTxSuccess(r);
      expect((await query.getTx(r.transactionHash))?.height).toBe(r.height);
    } finally {
      dev.client.disconnect();
    }
  }, TEST_TIMEOUT);
});
