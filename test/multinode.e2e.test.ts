// Four validators, one chain: CosmJS clients send a mixed stream of transactions through all four
// nodes' RPCs for at least 50 blocks (valid sends in both sign modes, over-balance sends that fail
// with code 5, out-of-gas sends that fail with code 11, wrong-sequence txs refused in CheckTx).
// Then every node must report the same block hash, app hash and results hash at every height 1..H,
// the same balances, and every committed tx must be found through every node.
import { BroadcastTxError, type DeliverTxResponse, StargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { usoa } from "@soa/client";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  type Rng,
  devSigner,
  genesisSupply,
  makeRng,
  pollUntil,
  randomAddress,
  FEE_COLLECTOR_ADDRESS,
  MINT_ADDRESS,
  WORK_POOL_ADDRESS,
  atOneHeight,
  mintedInBlocks,
  startE2eLocalnet,
  rpcResult,
  testSeed,
  usoaBalance,
} from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const NODES = 4;
const MIN_BLOCKS = 50;
const HOOK_TIMEOUT = 240_000;
const TEST_TIMEOUT = 420_000;
const FEE = { amount: usoa(4_000), gas: "160000" };
/** Enough gas for the ante handler, not for the send itself. */
const TOO_LITTLE_GAS = { amount: usoa(1_000), gas: "26000" };

type Kind = "send" | "overBalance" | "outOfGas" | "wrongSequence";

interface Sent {
  kind: Kind;
  node: number;
  sender: string;
  hash?: string;
  height?: number;
  code?: number;
}

interface BlockView {
  blockHash: string;
  appHash: string;
  resultsHash: string;
  numTxs: number;
}

describe("a 4-validator network stays in agreement under a mixed CosmJS tx stream", () => {
  let net: Localnet;
  let seed: number;
  let rng: Rng;
  /** signers[s][n]: dev account #s connected to node n */
  let signers: DevSigner[][] = [];
  let queries: StargateClient[] = [];
  const sent: Sent[] = [];
  const unexpected: string[] = [];
  const recipients = new Set<string>();

  beforeAll(async () => {
    seed = testSeed("multinode.e2e");
    rng = makeRng(seed);
    net = await startE2eLocalnet({ nodes: NODES, startupTimeoutMs: 120_000 });
    queries = await Promise.all(net.nodes.map((n) => StargateClient.connect(net.rpcUrl(n.index))));
    signers = await Promise.all(
      [0, 1, 2, 3, 4].map((s) => Promise.all(net.nodes.map((n) => devSigner(net, s, s % 2 === 1 ? "amino" : "direct", n.index)))),
    );
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const c of [...queries, ...signers.flat().map((s) => s.client)]) c?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  async function blockView(node: number, h: number): Promise<BlockView> {
    const r = await rpcResult<{ block_id: { hash: string }; block: { header: { app_hash: string; last_results_hash: string }; data: { txs: string[] | null } } }>(
      net.rpcUrl(node),
      "block",
      { height: String(h) },
    );
    return {
      blockHash: r.block_id.hash,
      appHash: r.block.header.app_hash,
      resultsHash: r.block.header.last_results_hash,
      numTxs: r.block.data.txs?.length ?? 0,
    };
  }

  /** One account's stream: every tx through a randomly chosen node. */
  async function flow(accountIndex: number, r: Rng, stop: () => boolean): Promise<void> {
    let lastHeight = 0;
    while (!stop()) {
      const node = r.int(0, NODES - 1);
      const s = signers[accountIndex]![node]!;
      // Sign against a node whose app has committed this account's last tx (CosmJS reads the sequence
      // from it). /status counts blocks once they are stored, before the app has executed them, so
      // height h+1 is what proves that block h is committed.
      if (lastHeight > 0) await net.waitForHeight(lastHeight + 1, node, 60_000);
      const roll = r.int(1, 100);
      const kind: Kind = roll <= 70 ? "send" : roll <= 80 ? "overBalance" : roll <= 90 ? "outOfGas" : "wrongSequence";
      const entry: Sent = { kind, node, sender: s.address };
      const to = randomAddress(r);
      try {
        let res: DeliverTxResponse;
        if (kind === "send") {
          recipients.add(to);
          res = await s.client.sendTokens(s.address, to, usoa(r.int(1, 100_000)), r.chance(0.5) ? "auto" : FEE, `multinode via node${node}`);
        } else if (kind === "overBalance") {
          const balance = await usoaBalance(queries[node]!, s.address);
          res = await s.client.sendTokens(s.address, to, usoa(balance + 1n), FEE);
        } else if (kind === "outOfGas") {
          res = await s.client.sendTokens(s.address, to, usoa(1), TOO_LITTLE_GAS);
        } else {
          const { accountNumber, sequence } = await s.client.getSequence(s.address);
          const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: s.address, toAddress: to, amount: usoa(1) }) };
          const raw = await s.client.sign(s.address, [msg], FEE, "", { accountNumber, sequence: sequence + 3, chainId: net.chainId });
          try {
            await s.client.broadcastTx(TxRaw.encode(raw).finish());
            unexpected.push(`wrong-sequence tx via node${node} was accepted`);
          } catch (e) {
            if (!(e instanceof BroadcastTxError) || e.code !== 32) unexpected.push(`wrong-sequence tx via node${node}: ${String(e)}`);
            entry.code = e instanceof BroadcastTxError ? e.code : -1;
          }
          sent.push(entry);
          continue;
        }
        Object.assign(entry, { hash: res.transactionHash, height: res.height, code: res.code });
        lastHeight = Math.max(lastHeight, res.height);
        const want = { send: 0, overBalance: 5, outOfGas: 11 }[kind];
        if (res.code !== want) unexpected.push(`${kind} via node${node}: code ${res.code} (want ${want}): ${res.rawLog}`);
      } catch (e) {
        unexpected.push(`${kind} via node${node}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      sent.push(entry);
    }
  }

  it(`sends through all ${NODES} nodes for ${MIN_BLOCKS}+ blocks; all nodes agree on every block, app hash and balance`, async () => {
    const t0 = Date.now();
    const h0 = await net.height(0);
    let stopping = false;
    const flows = [0, 1, 2, 3, 4].map((a) => flow(a, makeRng(seed + 1 + a), () => stopping));
    try {
      await pollUntil(`height ${h0 + MIN_BLOCKS} and 60 txs`, async () => {
        return (await net.height(0)) >= h0 + MIN_BLOCKS && sent.length >= 60 ? true : undefined;
      }, 300_000, 250);
    } finally {
      stopping = true;
      await Promise.all(flows);
    }
    const byKind = (k: Kind): number => sent.filter((s) => s.kind === k).length;
    const perNode = net.nodes.map((n) => sent.filter((s) => s.node === n.index).length);
    console.log(
      `[multinode.e2e] ${sent.length} txs in ${((Date.now() - t0) / 1000).toFixed(1)} s (send ${byKind("send")}, overBalance ${byKind("overBalance")}, ` +
        `outOfGas ${byKind("outOfGas")}, wrongSequence ${byKind("wrongSequence")}; per node ${perNode.join("/")})`,
    );
    expect(unexpected).toEqual([]);
    for (const k of ["send", "overBalance", "outOfGas", "wrongSequence"] as const) expect(byKind(k), k).toBeGreaterThan(0);
    for (const c of perNode) expect(c).toBeGreaterThan(0);

    // ---- all nodes at the same height, then compare every block
    const top = Math.max(...(await Promise.all(net.nodes.map((n) => net.height(n.index)))));
    await net.waitForHeight(top + 1);
    const H = top;
    expect(H - h0).toBeGreaterThanOrEqual(MIN_BLOCKS);
    const mismatches: string[] = [];
    let txsInBlocks = 0;
    for (let h = 1; h <= H; h++) {
      const views = await Promise.all(net.nodes.map((n) => blockView(n.index, h)));
      const ref = views[0]!;
      txsInBlocks += ref.numTxs;
      views.forEach((v, i) => {
        if (v.blockHash !== ref.blockHash || v.appHash !== ref.appHash || v.resultsHash !== ref.resultsHash || v.numTxs !== ref.numTxs) {
          mismatches.push(`height ${h}: node${i} ${JSON.stringify(v)} != node0 ${JSON.stringify(ref)}`);
        }
      });
    }
    expect(mismatches).toEqual([]);
    const lastAppHashes = await Promise.all(net.nodes.map((n) => net.appHashAt(n.index, H)));
    expect(new Set(lastAppHashes).size).toBe(1);
    const included = sent.filter((s) => s.hash !== undefined);
    expect(txsInBlocks).toBeGreaterThanOrEqual(included.length);

    // ---- every included tx is found, with the same height and code, through every node
    for (const s of included) {
      for (const q of queries) {
        const t = await q.getTx(s.hash!);
        expect(t, `getTx(${s.hash}) on another node`).not.toBeNull();
        expect([t!.height, t!.code]).toEqual([s.height, s.code]);
      }
    }

    // ---- the same state everywhere. No txs are in flight any more, but mint changes balances every
    // block: read every node at one height (each answers only its latest; retry until they agree)
    const accounts = [...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...recipients, FEE_COLLECTOR_ADDRESS, WORK_POOL_ADDRESS, MINT_ADDRESS])];
    for (const a of accounts) {
      const seqs = await Promise.all(queries.map((q) => q.getAccount(a).then((x) => x?.sequence ?? -1)));
      expect(new Set(seqs).size, `sequence of ${a}`).toBe(1);
    }
    const comets = await Promise.all(net.nodes.map((n) => Comet38Client.connect(net.rpcUrl(n.index))));
    try {
      const read = (i: number, h: number) =>
        atOneHeight(
          comets[i]!,
          async (at) => {
            const all = [...new Set([...accounts, ...(await at.moduleAccounts())])].sort(); // module accounts of any module
            return { supply: await at.supply(), balances: await Promise.all(all.map((a) => at.balance(a))), all };
          },
          1,
          h,
        );
      const snapshot = await pollUntil("all nodes answering at one height", async () => {
        // one block behind node 0's latest: every node has it and still serves it (latest and two before)
        const h = ((await comets[0]!.abciInfo()).lastBlockHeight ?? 2) - 1;
        return Promise.all(net.nodes.map((n) => read(n.index, h)));
      }, 60_000, 50);
      const h = snapshot[0]!.height;
      for (const s of snapshot) expect(s.value.all).toEqual(snapshot[0]!.value.all);
      snapshot[0]!.value.all.forEach((a, j) => {
        const balances = snapshot.map((s) => s.value.balances[j]!);
        expect(new Set(balances).size, `balance of ${a} on the ${NODES} nodes at height ${h}: ${balances.join(", ")}`).toBe(1);
      });
      const minted = await mintedInBlocks(comets[0]!, 1, h);
      for (const s of snapshot) expect(s.value.supply).toBe(genesisSupply(net) + minted.minted);
      expect(snapshot[0]!.value.balances.reduce((x, y) => x + y, 0n)).toBe(genesisSupply(net) + minted.minted);
    } finally {
      for (const c of comets) c.disconnect();
    }
  }, TEST_TIMEOUT);
});
