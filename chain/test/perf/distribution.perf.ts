// FinalizeBlock cost of reward distribution and validator-set updates with V validators and D
// delegations (default 100 and 10,000), at increasing numbers of blocks since genesis: F1 keeps the
// per-block work (allocation over the last commit's validators) and the per-withdrawal work (one
// period per delegation, plus slashes) independent of history, so the figures must stay flat.
//
// Setup through the real tx path on a temp LMDB (no CometBFT): V MsgCreateValidator + D MsgDelegate
// (round-robin over validators). Then every block carries a decided_last_commit with the bonded set's
// votes (100 × power). Two cases per checkpoint, each the median over `blocks` blocks:
//   empty:  mint + distribution allocation over V validators + staking EndBlock (no changes)
//   active: + `withdrawals` MsgWithdrawDelegatorReward and `delegations` MsgDelegate per block (each
//           delegation auto-withdraws its rewards and changes a validator's power → a validator update)
// Benchmarks never assert on time: bench/distribution.ts prints and writes the rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MsgWithdrawDelegatorReward } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgCreateValidator, MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { SoaApp } from "../../src/app/app.js";
import { defaultAppGenesis } from "../../src/app/genesis.js";
import { sha256 } from "../../src/crypto/hash.js";
import { consAddress, ed25519PubkeyAny, formatValAddress } from "../../src/modules/staking/keeper.js";
import { buildSignedTx, keyFromSeed, type TestKey } from "../../src/tx/build.js";
import { parseAddress } from "../../src/types/address.js";
import { finalizeRequest } from "../utils/testNode.js";
import { type Span, startSpan } from "./fixtures.js";

export interface DistributionPerfOptions {
  validators?: number;
  delegations?: number;
  /** Blocks since genesis at which to measure (default 10, 1000, 2000). */
  checkpoints?: number[];
  /** Blocks measured per case and checkpoint (default 20). */
  blocks?: number;
  withdrawals?: number;
  delegationsPerBlock?: number;
  log?: (line: string) => void;
}

export interface DistributionPerfRow {
  id: string;
  label: string;
  /** Blocks since genesis when the samples start. */
  height: number;
  /** Median FinalizeBlock CPU ms and wall ms per block. */
  cpuMs: number;
  wallMs: number;
  commitMs: number;
  samples: number;
  /** Historical-rewards entries in state (reference-counted: bounded by delegations + validators). */
  historicalEntries: number;
}

const CHAIN_ID = "soa-bench-dist-1";
const M = 1_000_000n;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });

export async function runDistributionPerf(opts: DistributionPerfOptions = {}): Promise<DistributionPerfRow[]> {
  const V = opts.validators ?? 100;
  const D = opts.delegations ?? 10_000;
  const checkpoints = opts.checkpoints ?? [10, 1000, 2000];
  const blocks = opts.blocks ?? 20;
  const W = opts.withdrawals ?? 10;
  const N = opts.delegationsPerBlock ?? 10;
  const log = opts.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), "soa-bench-dist-"));
  const app = await SoaApp.open({ dataDir, minGasPrices: "", verifyWorkers: 0 });
  try {
    log(`keys: ${V} operators + ${D} delegators`);
    const ops = Array.from({ length: V }, (_, i) => keyFromSeed(`bench-val-${i}`));
    const dels = Array.from({ length: D }, (_, i) => keyFromSeed(`bench-del-${i}`));
    const all = [...ops, ...dels];
    const genesis = defaultAppGenesis();
    genesis.bank.balances = all.map((k) => ({ address: k.address, coins: [{ denom: "usoa", amount: (1_000_000n * M).toString() }] }));
    let height = 0n;
    let time = 1_767_225_600n;
    app.initChain({ time: { seconds: time, nanos: 0 }, chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: Buffer.from(JSON.stringify(genesis)), initialHeight: 1n });
    const seq = new Map<TestKey, bigint>();
    const accountNumber = new Map(all.map((k, i) => [k, BigInt(i)]));
    const signFast = (k: TestKey, messages: Any[]) => {
      const s = seq.get(k) ?? 0n;
      seq.set(k, s + 1n);
      return buildSignedTx({ key: k, chainId: CHAIN_ID, accountNumber: accountNumber.get(k)!, sequence: s, messages, gasLimit: 2_000_000n }, app.msgs);
    };
    const votes = () =>
      app.staking.getBondedValidatorsByPower(app.committed).map((v) => ({ validator: { address: consAddress(v.consPubkey), power: v.tokens / M }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT }));
    const deliver = (txs: Uint8Array[]): { finalize: Span; commit: Span } => {
      height += 1n;
      time += 1n;
      const req = { ...finalizeRequest(txs, height, time), decidedLastCommit: { round: 0, votes: votes() } };
      let span = startSpan();
      const res = app.finalizeBlock(req);
      const finalize = span();
      span = startSpan();
      app.commit();
      const commit = span();
      const failed = res.txResults.filter((r) => r.code !== 0);
      if (failed.length > 0) throw new Error(`${failed.length}/${txs.length} txs failed in block ${height}: ${failed[0]!.log}`);
      return { finalize, commit };
    };
    const valoper = (k: TestKey) => formatValAddress(parseAddress(k.address));
    deliver([]);
    log(`creating ${V} validators`);
    deliver(
      ops.map((k, i) =>
        signFast(k, [
          msg(
            MsgCreateValidator.typeUrl,
            MsgCreateValidator.encode(
              MsgCreateValidator.fromPartial({
                description: { moniker: `v${i}`, identity: "", website: "", securityContact: "", details: "" },
                commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
                minSelfDelegation: "1",
                delegatorAddress: k.address,
                validatorAddress: valoper(k),
                pubkey: ed25519PubkeyAny(sha256(Buffer.from(`bench-cons-${i}`))),
                value: { denom: "usoa", amount: (BigInt(1000 + i) * M).toString() },
              }),
            ).finish(),
          ),
        ]),
      ),
    );
    const delegateMsg = (k: TestKey, v: TestKey, amount: bigint) =>
      msg(MsgDelegate.typeUrl, MsgDelegate.encode({ delegatorAddress: k.address, validatorAddress: valoper(v), amount: { denom: "usoa", amount: amount.toString() } }).finish());
    log(`delegating ${D} times`);
    for (let i = 0; i < D; i += 1000) {
      deliver(dels.slice(i, i + 1000).map((k, j) => signFast(k, [delegateMsg(k, ops[(i + j) % V]!, 10n * M)])));
    }
    const historicalEntries = () => {
      let n = 0;
      const p = Buffer.from([0x54]);
      for (const _ of app.committed.iterate(p, Buffer.from([0x55]))) n++;
      return n;
    };
    const rows: DistributionPerfRow[] = [];
    let cursor = 0;
    const activeTxs = () => {
      const txs: Uint8Array[] = [];
      for (let i = 0; i < W; i++) {
        const k = dels[cursor++ % D]!;
        txs.push(signFast(k, [msg(MsgWithdrawDelegatorReward.typeUrl, MsgWithdrawDelegatorReward.encode({ delegatorAddress: k.address, validatorAddress: valoper(ops[Number(accountNumber.get(k)! - BigInt(V)) % V]!) }).finish())]));
      }
      for (let i = 0; i < N; i++) {
        const k = dels[cursor++ % D]!;
        txs.push(signFast(k, [delegateMsg(k, ops[Number(accountNumber.get(k)! - BigInt(V)) % V]!, 1n * M)]));
      }
      return txs;
    };
    for (const cp of checkpoints) {
      if (Number(height) < cp) log(`empty blocks up to height ${cp}`);
      while (Number(height) < cp) deliver([]);
      for (const kind of ["empty", "active"] as const) {
        const start = Number(height);
        const spans: { finalize: Span; commit: Span }[] = [];
        for (let b = 0; b < blocks; b++) {
          const txs = kind === "empty" ? [] : activeTxs();
          spans.push(deliver(txs));
        }
        rows.push({
          id: `distribution.${kind}.h${cp}`,
          label: kind === "empty" ? `allocation over ${V} validators (${D} delegations), empty block` : `+ ${W} withdrawals and ${N} delegations (validator updates) per block`,
          height: start,
          cpuMs: round(median(spans.map((s) => s.finalize.cpuMs))),
          wallMs: round(median(spans.map((s) => s.finalize.wallMs))),
          commitMs: round(median(spans.map((s) => s.commit.wallMs))),
          samples: spans.length,
          historicalEntries: historicalEntries(),
        });
        log(`${rows.at(-1)!.id}: FinalizeBlock ${rows.at(-1)!.cpuMs} ms CPU`);
      }
    }
    return rows;
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatDistributionRows(rows: DistributionPerfRow[]): string {
  const lines = [
    "| case | blocks since genesis | FinalizeBlock CPU ms (median) | wall ms | Commit wall ms | historical entries |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.label} | ${r.height} | ${r.cpuMs} | ${r.wallMs} | ${r.commitMs} | ${r.historicalEntries} |`),
  ];
  return lines.join("\n");
}
