// vitest bench micro-benchmarks (CONVENTIONS.md §3.8) of the stateless per-tx hot paths, at sizes 1/32/512:
//   npx vitest bench --run --project unit chain/test/perf/     (add --outputJson f.json / --compare f.json)
// Stateful block costs (CheckTx → FinalizeBlock → Commit) are in app.perf.ts (`npm run bench`). No assertions
// on time anywhere.
import { bench, describe } from "vitest";
import { frameResponse } from "../../src/abci/framing.js";
import { verifySecp256k1 } from "../../src/crypto/secp256k1.js";
import { decodeTx, type DecodedTx } from "../../src/tx/decode.js";
import { signBytesFor } from "../../src/tx/signBytes.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommitStore } from "../../src/store/commitStore.js";
import type { Change } from "../../src/store/types.js";
import type { ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { benchKeys, benchRegistry, BenchNode, signSends } from "./fixtures.js";

const SIZES = [1, 32, 512] as const;
const CHAIN_ID = "soa-bench-1";
const registry = benchRegistry();
const keys = benchKeys(512);
const senders = keys.map((key, i) => ({ key, accountNumber: BigInt(i), sequence: 0n }));
const txs = signSends(senders, 512, { chainId: CHAIN_ID, registry });
const decoded: DecodedTx[] = txs.map((tx) => decodeTx(tx, registry));

describe("tx decode and signature", () => {
  for (const n of SIZES) {
    bench(`decodeTx ×${n}`, () => {
      for (let i = 0; i < n; i++) decodeTx(txs[i]!, registry);
    });
    bench(`sign bytes + secp256k1 verify ×${n}`, () => {
      for (let i = 0; i < n; i++) {
        const d = decoded[i]!;
        verifySecp256k1(signBytesFor(d, CHAIN_ID, BigInt(i)), d.signature, d.pubkey!);
      }
    });
  }
});

// Fixtures at module load (vitest bench does not run beforeAll/afterAll hooks around benches).
// A committed state of 20,000 keys, and change sets on top of it (prepare() writes nothing).
const storeDir = mkdtempSync(join(tmpdir(), "soa-bench-store-"));
const store = CommitStore.open({ path: storeDir });
{
  const initial: Change[] = [];
  for (let i = 0; i < 20_000; i++) initial.push([Buffer.from(`state-key-${i.toString().padStart(6, "0")}`), Buffer.from(`v${i}`)]);
  initial.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  store.commit(1n, store.prepare(initial));
}
// The benches only read: unlink the directory now (LMDB keeps its open files), so nothing is left behind
// when the bench worker is torn down without running exit handlers.
rmSync(storeDir, { recursive: true, force: true });
// A bank send touches ~3 keys (sender account, two balances): n txs ≈ 3n changed keys.
const changes = new Map<number, Change[]>();
for (const n of SIZES) {
  const list: Change[] = [];
  for (let i = 0; i < 3 * n; i++) list.push([Buffer.from(`bench-key-${n}-${i.toString().padStart(6, "0")}`), Buffer.from(`value-${i}`)]);
  changes.set(n, list.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))));
}
// Real FinalizeBlock responses (bank-send results with their events), each from a throwaway app.
const responses = new Map<number, ResponseFinalizeBlock>();
for (const n of SIZES) {
  const scratch = await BenchNode.create(keys, { chainId: CHAIN_ID, minGasPrices: "" });
  responses.set(
    n,
    (await scratch.app.finalizeBlock({
      txs: txs.slice(0, n),
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: scratch.height + 1n,
      time: { seconds: scratch.timeSeconds + 1n, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    })) as ResponseFinalizeBlock,
  );
  await scratch.close();
}

describe("app hash and FinalizeBlock response encoding", () => {
  for (const n of SIZES) {
    bench(`CommitStore.prepare (app hash) of ${3 * n} changed keys (≈${n} bank sends)`, () => {
      store.prepare(changes.get(n)!);
    });
    bench(`encode FinalizeBlock response frame, ${n} bank-send results`, () => {
      frameResponse({ finalizeBlock: responses.get(n)! });
    });
  }
});
