// Determinism: fresh apps fed the same 500 random transactions (valid and invalid) must produce
// identical app hashes, codes, gas and events — also when one of them verified signatures in
// CheckTx first (signature cache) and when one is restarted half way.
import { describe, expect, it } from "vitest";
import { MsgMultiSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { msgSendAny, type TestKey } from "../../src/tx/build.js";
import { fundedGenesis, keyFromSeed, TestNode } from "../utils/testNode.js";
import { prng, seedFromEnv } from "../utils/random.js";

const TXS = 500;
const PER_BLOCK = 10;

/** Random txs for the next block; sequences are read from `signer`'s committed state. */
function generateBlock(rnd: ReturnType<typeof prng>, chainId: string, signer: TestNode): Uint8Array[] {
  const keys = Array.from({ length: 6 }, (_, i) => keyFromSeed(`det-${i}`));
  const strangers = Array.from({ length: 4 }, (_, i) => keyFromSeed(`stranger-${i}`));
  const seq = keys.map((k) => signer.sequenceOf(k.address));
  const block: Uint8Array[] = [];
  for (let n = 0; n < PER_BLOCK; n++) {
    const i = rnd.int(keys.length);
    const k: TestKey = keys[i]!;
    const to = rnd.next() < 0.3 ? rnd.pick(strangers).address : rnd.pick(keys).address;
    const amount = rnd.next() < 0.1 ? 10n ** 16n : BigInt(1 + rnd.int(1_000_000));
    const kind = rnd.int(10);
    const base = {
      key: k,
      chainId,
      accountNumber: BigInt(i),
      sequence: seq[i]!,
      messages: [msgSendAny(k.address, to, [{ denom: "usoa", amount: amount.toString() }])],
      fee: [{ denom: "usoa", amount: String(1000 + rnd.int(5000)) }],
      gasLimit: 200_000n,
      signMode: rnd.next() < 0.3 ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT,
    };
    let tx: Uint8Array;
    switch (kind) {
      case 0: // wrong sequence
        tx = signer.signTx({ ...base, sequence: base.sequence + 3n });
        break;
      case 1: // garbage bytes
        tx = rnd.bytes(1 + rnd.int(300));
        break;
      case 2: {
        // corrupted signature
        const raw = TxRaw.decode(signer.signTx(base));
        raw.signatures[0]![rnd.int(64)]! ^= 1 + rnd.int(255);
        tx = TxRaw.encode(raw).finish();
        break;
      }
      case 3: // too little gas: fails in the ante handler or in the message
        tx = signer.signTx({ ...base, gasLimit: BigInt(2000 + rnd.int(40_000)) });
        break; // the sequence is consumed only if the ante handler passed; later txs may mismatch (also fine)
      case 4: {
        const outs = [rnd.pick(keys), rnd.pick(strangers)].map((o) => ({ address: o.address, coins: [{ denom: "usoa", amount: String(1 + rnd.int(1000)) }] }));
        const total = outs.reduce((s, o) => s + BigInt(o.coins[0]!.amount), 0n);
        const msg = MsgMultiSend.fromPartial({ inputs: [{ address: k.address, coins: [{ denom: "usoa", amount: total.toString() }] }], outputs: outs });
        tx = signer.signTx({ ...base, signMode: SignMode.SIGN_MODE_DIRECT, messages: [{ typeUrl: MsgMultiSend.typeUrl, value: MsgMultiSend.encode(msg).finish() }] });
        seq[i]! += 1n;
        break;
      }
      default:
        tx = signer.signTx(base);
        seq[i]! += 1n;
    }
    block.push(tx);
  }
  return block;
}

const summary = (r: ExecTxResult) => Buffer.from(ExecTxResult.encode(r).finish()).toString("hex");

describe("two apps fed the same blocks", () => {
  it(`agree on every app hash, code, gas and event over ${TXS} random txs`, async () => {
    const seed = seedFromEnv();
    console.log(`determinism seed=${seed} (set TEST_SEED to reproduce)`);
    const keys = Array.from({ length: 6 }, (_, i) => keyFromSeed(`det-${i}`));
    const genesis = fundedGenesis(keys, 10n ** 12n);
    const a = await TestNode.create({ genesis });
    let b = await TestNode.create({ genesis });
    const rnd = prng(seed);
    let ok = 0;
    let failed = 0;
    const codes = new Set<number>();
    const blocks = TXS / PER_BLOCK;
    for (let h = 0; h < blocks; h++) {
      const txs = generateBlock(rnd, a.chainId, a);
      for (const tx of txs) a.checkTx(tx); // only `a` warms its signature cache
      const ra = a.deliverBlock(txs);
      const rb = b.deliverBlock(txs);
      expect(Buffer.from(ra.appHash).toString("hex"), `app hash at height ${ra.height}`).toBe(Buffer.from(rb.appHash).toString("hex"));
      ra.results.forEach((r, i) => {
        expect(summary(r), `tx ${i} of height ${ra.height}`).toBe(summary(rb.results[i]!));
        codes.add(r.code);
        if (r.code === 0) ok++;
        else failed++;
      });
      if (h === Math.floor(blocks / 2)) {
        // restart b from its LMDB files
        await b.app.close();
        b = await TestNode.create({ dataDir: b.dataDir });
      }
    }
    console.log(`determinism: ${ok} succeeded, ${failed} failed, codes ${[...codes].sort((x, y) => x - y).join(",")}`);
    expect(ok).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(50);
    expect(codes.size).toBeGreaterThan(3);
    await a.close();
    await b.close();
  }, 120_000);
});
