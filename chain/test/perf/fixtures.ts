// Shared load-generation helpers for benchmarks: deterministic bench keys and pre-signed bank sends.
// Signing is offline (native secp256k1), so a benchmark can pre-sign tens of thousands of txs quickly.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SoaApp } from "../../src/app/app.js";
import { defaultAppGenesis } from "../../src/app/genesis.js";
import { MsgRegistry } from "../../src/app/msgRegistry.js";
import { AuthKeeper } from "../../src/modules/auth/keeper.js";
import { BankKeeper } from "../../src/modules/bank/keeper.js";
import { bankMsgHandlers } from "../../src/modules/bank/msgs.js";
import { buildSignedTx, keyFromSeed, msgSendAny, type TestKey } from "../../src/tx/build.js";
import { finalizeRequest } from "../utils/testNode.js";

export const BENCH_DENOM = "usoa";
/** Gas and fee of every bench send: 0.0025usoa × 100000 gas = 250usoa meets the default min gas price. */
export const BENCH_GAS = 100_000n;
export const BENCH_FEE = [{ denom: BENCH_DENOM, amount: "250" }];

/** A registry with the bank messages (buildSignedTx needs one for amino sign bytes). */
export function benchRegistry(): MsgRegistry {
  const reg = new MsgRegistry();
  for (const h of bankMsgHandlers(new BankKeeper(new AuthKeeper()))) reg.register(h);
  return reg;
}

/** `count` deterministic keys (never for real funds). */
export function benchKeys(count: number, prefix = "bench"): TestKey[] {
  return Array.from({ length: count }, (_, i) => keyFromSeed(`${prefix}-${i}`));
}

export interface Sender {
  key: TestKey;
  accountNumber: bigint;
  /** Next sequence to sign with; advanced by signSends. */
  sequence: bigint;
}

export interface SignOptions {
  chainId: string;
  registry: MsgRegistry;
  /** Send amount per tx (usoa), default 1. */
  amount?: bigint;
  /** Adds a memo to pad txs to a target size (bytes), default none. */
  memo?: string;
}

/**
 * Pre-signs `count` MsgSend txs, round-robin over `senders` (sender i pays sender i+1), so that
 * consecutive txs come from different accounts and each sender's sequences follow in order.
 */
export function signSends(senders: Sender[], count: number, opts: SignOptions): Uint8Array[] {
  const out: Uint8Array[] = [];
  const amount = [{ denom: BENCH_DENOM, amount: (opts.amount ?? 1n).toString() }];
  for (let i = 0; i < count; i++) {
    const s = senders[i % senders.length]!;
    const to = senders[(i + 1) % senders.length]!;
    out.push(
      buildSignedTx(
        {
          key: s.key,
          chainId: opts.chainId,
          accountNumber: s.accountNumber,
          sequence: s.sequence,
          messages: [msgSendAny(s.key.address, to.key.address, amount)],
          fee: BENCH_FEE,
          gasLimit: BENCH_GAS,
          ...(opts.memo !== undefined ? { memo: opts.memo } : {}),
        },
        opts.registry,
      ),
    );
    s.sequence++;
  }
  return out;
}

/** Wall and process CPU time (user+system, all threads) of a stretch of code. */
export interface Span {
  wallMs: number;
  cpuMs: number;
}

export function startSpan(): () => Span {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wallMs: performance.now() - w0, cpuMs: (c.user + c.system) / 1000 };
  };
}

/**
 * A bare in-process node for benchmarks: SoaApp on a temp LMDB dir, InitChain with `keys` funded in
 * order (account numbers 0, 1, ...). Like test/utils/testNode.ts, without the test helpers.
 */
export class BenchNode {
  height = 0n;
  timeSeconds = 1_767_225_600n; // 2026-01-01T00:00:00Z

  private constructor(
    readonly app: SoaApp,
    readonly dataDir: string,
    readonly chainId: string,
  ) {}

  /** `verifyWorkers` as in SoaAppOptions; default 0 (CheckTx verifies on the calling thread, synchronously). */
  static async create(
    keys: TestKey[],
    opts: { chainId: string; minGasPrices: string; balance?: bigint; verifyWorkers?: number },
  ): Promise<BenchNode> {
    const dataDir = mkdtempSync(join(tmpdir(), "soa-bench-node-"));
    const app = await SoaApp.open({ dataDir, minGasPrices: opts.minGasPrices, verifyWorkers: opts.verifyWorkers ?? 0 });
    const node = new BenchNode(app, dataDir, opts.chainId);
    const genesis = defaultAppGenesis();
    const amount = (opts.balance ?? 1_000_000_000_000n).toString();
    genesis.bank.balances = keys.map((k) => ({ address: k.address, coins: [{ denom: BENCH_DENOM, amount }] }));
    app.initChain({
      time: { seconds: node.timeSeconds, nanos: 0 },
      chainId: opts.chainId,
      consensusParams: undefined,
      validators: [],
      appStateBytes: Buffer.from(JSON.stringify(genesis)),
      initialHeight: 1n,
    });
    node.deliver([]); // genesis state is committed with block 1 (CheckTx reads committed state)
    return node;
  }

  /** FinalizeBlock + Commit of one block; times both (wall and CPU). Throws if a tx fails. */
  deliver(txs: Uint8Array[]): { finalize: Span; commit: Span } {
    const height = this.height + 1n;
    this.timeSeconds += 1n;
    let span = startSpan();
    const res = this.app.finalizeBlock(finalizeRequest(txs, height, this.timeSeconds));
    const finalize = span();
    span = startSpan();
    this.app.commit();
    const commit = span();
    this.height = height;
    const failed = res.txResults.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`${failed.length}/${txs.length} txs failed in block ${height}: ${failed[0]!.log}`);
    return { finalize, commit };
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
