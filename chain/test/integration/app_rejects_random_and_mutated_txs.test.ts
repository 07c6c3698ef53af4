// Bad input through the real ABCI socket server: random and mutated tx bytes must all get a
// non-zero CheckTx code, the server must never emit a fatal error, and state must not change.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { AbciServer } from "../../src/abci/server.js";
import { AbciSocketClient } from "../../src/abci/client.js";
import { msgSendAny } from "../../src/tx/build.js";
import { fundedGenesis, keyFromSeed, TestNode } from "../utils/testNode.js";
import { prng, seedFromEnv } from "../utils/random.js";

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);

describe("CheckTx on random and mutated bytes", () => {
  const alice = keyFromSeed("alice");
  const bob = keyFromSeed("bob");
  let node: TestNode;
  let server: AbciServer;
  let client: AbciSocketClient;
  let dir: string;
  const fatal: unknown[] = [];

  beforeAll(async () => {
    node = await TestNode.create({ genesis: fundedGenesis([alice, bob]) });
    node.deliverBlock([]);
    dir = mkdtempSync(join(tmpdir(), "soa-fuzz-"));
    server = new AbciServer({ app: node.app });
    server.on("fatal", (e) => fatal.push(e));
    await server.listen(`unix://${join(dir, "app.sock")}`);
    client = await AbciSocketClient.connect(`unix://${join(dir, "app.sock")}`);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`rejects ${CASES} bad txs with non-zero codes and keeps serving`, async () => {
    const seed = seedFromEnv();
    console.log(`fuzz seed=${seed} cases=${CASES}`);
    const rnd = prng(seed);
    const valid = node.signTx({ key: alice, accountNumber: 0n, sequence: 0n, messages: [msgSendAny(alice.address, bob.address, [{ denom: "usoa", amount: "10" }])], fee: [{ denom: "usoa", amount: "5000" }] });
    const original = TxRaw.decode(valid);
    const sameAsOriginal = (b: Uint8Array) => {
      try {
        const r = TxRaw.decode(b);
        return (
          Buffer.from(r.bodyBytes).equals(Buffer.from(original.bodyBytes)) &&
          Buffer.from(r.authInfoBytes).equals(Buffer.from(original.authInfoBytes)) &&
          r.signatures.length === 1 &&
          Buffer.from(r.signatures[0]!).equals(Buffer.from(original.signatures[0]!))
        );
      } catch {
        return false;
      }
    };
    const hashBefore = Buffer.from(node.app.lastAppHash);
    const codes = new Map<number, number>();
    const batch: Promise<void>[] = [];
    let equivalent = 0;
    for (let n = 0; n < CASES; n++) {
      let tx: Uint8Array;
      const kind = rnd.int(4);
      if (kind === 0) tx = rnd.bytes(rnd.int(512));
      else {
        const b = Buffer.from(valid);
        const flips = 1 + rnd.int(4);
        for (let f = 0; f < flips; f++) b[rnd.int(b.length)] = rnd.int(256);
        tx = kind === 2 ? b.subarray(0, rnd.int(b.length)) : kind === 3 ? Buffer.concat([b, rnd.bytes(1 + rnd.int(16))]) : b;
      }
      if (sameAsOriginal(tx)) {
        equivalent++;
        continue; // a re-encoding of the valid tx is not bad input
      }
      batch.push(
        client.request({ checkTx: { tx, type: CheckTxType.NEW } }).then((res) => {
          const code = res.checkTx!.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (code === 0) throw new Error(`mutated tx accepted: ${Buffer.from(tx).toString("hex")}`);
        }),
      );
      if (batch.length === 256) {
        await client.flush();
        await Promise.all(batch.splice(0));
      }
    }
    await client.flush();
    await Promise.all(batch);
    console.log(`fuzz codes: ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => a[0] - b[0])))}; skipped ${equivalent} equivalent encodings`);
    expect(fatal).toEqual([]);
    // still serving: the valid tx is accepted and the committed state is unchanged
    const ok = await client.request({ checkTx: { tx: valid, type: CheckTxType.NEW } });
    await client.flush();
    expect(ok.checkTx!.code, ok.checkTx!.log).toBe(0);
    expect(Buffer.from(node.app.lastAppHash).equals(hashBefore)).toBe(true);
  }, 300_000);
});
