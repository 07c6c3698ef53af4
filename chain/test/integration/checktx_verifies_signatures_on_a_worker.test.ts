// Pipelined CheckTx through the real socket server: signatures are checked on a worker thread
// (precheckTx) while earlier requests are served; answers stay in order and exact, and the
// verified hashes let FinalizeBlock skip the check.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { AbciServer } from "../../src/abci/server.js";
import { AbciSocketClient } from "../../src/abci/client.js";
import { msgSendAny } from "../../src/tx/build.js";
import { fundedGenesis, keyFromSeed, TestNode } from "../utils/testNode.js";

describe("CheckTx with worker-thread signature checks", () => {
  it("answers 300 pipelined txs in order, rejects bad signatures, and warms the signature cache", async () => {
    const keys = Array.from({ length: 100 }, (_, i) => keyFromSeed(`w${i}`));
    const node = await TestNode.create({ genesis: fundedGenesis(keys), verifyWorkers: 1 });
    node.deliverBlock([]);
    const dir = mkdtempSync(join(tmpdir(), "soa-worker-"));
    const server = new AbciServer({ app: node.app });
    const fatal: unknown[] = [];
    server.on("fatal", (e) => fatal.push(e));
    await server.listen(`unix://${join(dir, "app.sock")}`);
    const client = await AbciSocketClient.connect(`unix://${join(dir, "app.sock")}`);
    try {
      const txs: { tx: Uint8Array; good: boolean }[] = [];
      for (let round = 0; round < 3; round++) {
        keys.forEach((k, i) => {
          const tx = node.signTx({ key: k, accountNumber: BigInt(i), sequence: BigInt(round), messages: [msgSendAny(k.address, keys[(i + 1) % keys.length]!.address, [{ denom: "usoa", amount: "1" }])], fee: [{ denom: "usoa", amount: "500" }] });
          if (i % 10 === 3 && round === 2) {
            const raw = TxRaw.decode(tx);
            raw.signatures[0]![7]! ^= 0x40;
            txs.push({ tx: TxRaw.encode(raw).finish(), good: false });
          } else txs.push({ tx, good: true });
        });
      }
      const answers = txs.map(({ tx }) => client.request({ checkTx: { tx, type: CheckTxType.NEW } }));
      await client.flush();
      const codes = (await Promise.all(answers)).map((r) => r.checkTx!.code);
      expect(codes).toEqual(txs.map((t) => (t.good ? 0 : 4)));
      expect(fatal).toEqual([]);
      expect(node.app.workerVerifiedSignatures).toBe(txs.length); // every one went through the worker
      const good = txs.filter((t) => t.good).map((t) => t.tx);
      const hitsBefore = node.app.sigCache.hits;
      const block = node.deliverBlock(good);
      expect(block.results.every((r) => r.code === 0)).toBe(true);
      expect(node.app.sigCache.hits - hitsBefore).toBe(good.length);
    } finally {
      await client.close();
      await server.close();
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
