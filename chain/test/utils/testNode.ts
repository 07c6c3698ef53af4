// An in-process node: drives SoaApp through the ABCI methods exactly as CometBFT would
// (InitChain, then FinalizeBlock + Commit per block), with no CometBFT and no sockets.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Event, ExecTxResult, RequestFinalizeBlock, ResponseCheckTx, ResponseQuery, ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { fromBech32 } from "@cosmjs/encoding";
import { SoaApp } from "../../src/app/app.js";
import { type AppGenesis, defaultAppGenesis } from "../../src/app/genesis.js";
import { defaultMintGenesis } from "../../src/modules/mint/params.js";
import { DEFAULT_CHAIN_ID } from "../../src/constants.js";
import { buildSignedTx, type BuildTxOptions, keyFromSeed, type TestKey } from "../../src/tx/build.js";

export interface TestNodeOptions {
  genesis?: AppGenesis;
  chainId?: string;
  minGasPrices?: string;
  /** Reuse a data directory (restart tests); a temp dir otherwise. */
  dataDir?: string;
  genesisTimeSeconds?: bigint;
  /** Signature worker threads (default 0: TestNode calls CheckTx directly, never precheckTx). */
  verifyWorkers?: number;
}

export interface BlockResult {
  height: bigint;
  results: ExecTxResult[];
  appHash: Uint8Array;
  /** Block-level events (BeginBlock/EndBlock work of modules, attribute mode). */
  events: Event[];
  /** FinalizeBlock's validator_updates (staking EndBlock: changed powers only, 0 = removed). */
  validatorUpdates: ValidatorUpdate[];
}

/** A FinalizeBlock request as a single validator's CometBFT would send it. */
export function finalizeRequest(txs: Uint8Array[], height: bigint, timeSeconds: bigint): RequestFinalizeBlock {
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height,
    time: { seconds: timeSeconds, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

export class TestNode {
  height: bigint;
  timeSeconds: bigint;
  /** ResponseInitChain.validators (the staking genesis set; empty without app_state.staking validators). */
  genesisValidators: ValidatorUpdate[] = [];

  private constructor(
    readonly app: SoaApp,
    readonly dataDir: string,
    readonly chainId: string,
    private readonly ownsDir: boolean,
    startTime: bigint,
  ) {
    this.height = app.lastHeight;
    this.timeSeconds = startTime + this.height;
  }

  static async create(opts: TestNodeOptions = {}): Promise<TestNode> {
    const ownsDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "soa-testnode-"));
    const app = await SoaApp.open({ dataDir, minGasPrices: opts.minGasPrices ?? "", verifyWorkers: opts.verifyWorkers ?? 0 });
    const chainId = opts.chainId ?? DEFAULT_CHAIN_ID;
    const start = opts.genesisTimeSeconds ?? 1_767_225_600n; // 2026-01-01T00:00:00Z
    const node = new TestNode(app, dataDir, chainId, ownsDir, start);
    if (app.lastHeight === 0n) {
      node.genesisValidators = app.initChain({
        time: { seconds: start, nanos: 0 },
        chainId,
        consensusParams: undefined,
        validators: [],
        appStateBytes: Buffer.from(JSON.stringify(opts.genesis ?? defaultAppGenesis())),
        initialHeight: 1n,
      }).validators;
    }
    return node;
  }

  /**
   * Runs one block: FinalizeBlock then Commit. Time advances one second per block. `extra` overrides
   * request fields CometBFT would fill (decided_last_commit votes, misbehavior, proposer).
   */
  deliverBlock(txs: Uint8Array[], extra: Partial<Pick<RequestFinalizeBlock, "decidedLastCommit" | "misbehavior" | "proposerAddress">> = {}): BlockResult {
    const height = this.height + 1n;
    this.timeSeconds += 1n;
    const res = this.app.finalizeBlock({ ...finalizeRequest(txs, height, this.timeSeconds), ...extra });
    this.app.commit();
    this.height = height;
    return { height, results: res.txResults, appHash: res.appHash, events: res.events, validatorUpdates: res.validatorUpdates };
  }

  /** CheckTx as CometBFT would call it; synchronous here because precheckTx is never called. */
  checkTx(tx: Uint8Array, recheck = false): ResponseCheckTx {
    const r = this.app.checkTx({ tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW });
    if (r instanceof Promise) throw new Error("CheckTx went asynchronous in TestNode");
    return r;
  }

  query(path: string, data: Uint8Array): ResponseQuery {
    return this.app.query({ path, data, height: 0n, prove: false });
  }

  /** The committed sequence of an account (0 if it does not exist). */
  sequenceOf(address: string): bigint {
    const acc = this.app.auth.getAccount(this.app.committed, fromBech32(address, 90).data);
    return acc?.base.sequence ?? 0n;
  }

  signTx(opts: Omit<BuildTxOptions, "chainId"> & { chainId?: string }): Uint8Array {
    return buildSignedTx({ chainId: this.chainId, ...opts }, this.app.msgs);
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Genesis funding `keys` (in order: account numbers 0, 1, ...) with `amount` usoa each. */
export function fundedGenesis(keys: TestKey[], amount = 1_000_000_000_000n): AppGenesis {
  const g = defaultAppGenesis();
  g.bank.balances = keys.map((k) => ({ address: k.address, coins: [{ denom: "usoa", amount: amount.toString() }] }));
  return g;
}

/**
 * The genesis with a schedule that mints nothing (inflation fixed at 0): for tests that need a fixed
 * supply or an app hash that empty blocks leave unchanged. Minting itself: mint_*.test.ts.
 */
export function withoutMinting(g: AppGenesis): AppGenesis {
  const { params } = defaultMintGenesis();
  g.mint = { minter: { inflation: "0", annual_provisions: "0" }, params: { ...params, inflation_min: "0", inflation_max: "0" } };
  return g;
}

export { keyFromSeed };
