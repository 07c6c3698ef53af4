// SoaApp: the ABCI 2.0 state machine. State model (ABCI.md §3.12):
//   committed (LMDB, read by Query/Info) → checkState (mempool branch, reset at Commit)
//                                        → pending (InitChain/FinalizeBlock branch, persisted by Commit)
// FinalizeBlock computes the app hash in memory; Commit writes everything in one LMDB transaction.
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import {
  type ExecTxResult,
  ResponseProcessProposal_ProposalStatus as ProcessProposalStatus,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type ResponseApplySnapshotChunk,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseExtendVote,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
  type ResponseVerifyVoteExtension,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseVerifyVoteExtension_VerifyStatus,
  CheckTxType,
  type Event,
  type ValidatorUpdate,
} from "cosmjs-types/tendermint/abci/types";
import "../encoding/protobufFix.js";
import type { AbciApplication } from "../abci/application.js";
import { APP_NAME, APP_PROTOCOL_VERSION, APP_VERSION, DEFAULT_MIN_GAS_PRICES } from "../constants.js";
import { AbciError, ChainError, ConsensusFault, toAbciError } from "../errors/errors.js";
import { ErrInvalidHeight, ErrInvalidRequest, ErrUnknownRequest } from "../errors/sdk.js";
import { GasMeter } from "../gas/meter.js";
import { type Logger, silentLogger } from "../logger/logger.js";
import { AuthKeeper, FEE_COLLECTOR, moduleAddress } from "../modules/auth/keeper.js";
import { registerAuthQueries } from "../modules/auth/query.js";
import { BankKeeper } from "../modules/bank/keeper.js";
import { bankMsgHandlers } from "../modules/bank/msgs.js";
import { registerBankQueries } from "../modules/bank/query.js";
import { distributionBlockHooks } from "../modules/distribution/abci.js";
import { initDistributionGenesis } from "../modules/distribution/genesis.js";
import { DistributionKeeper } from "../modules/distribution/keeper.js";
import { distributionMsgHandlers } from "../modules/distribution/msgs.js";
import { registerDistributionQueries } from "../modules/distribution/query.js";
import { mintBlockHooks } from "../modules/mint/abci.js";
import { MintKeeper } from "../modules/mint/keeper.js";
import { registerMintQueries } from "../modules/mint/query.js";
import { gentxToTxBytes } from "../modules/genutil/gentx.js";
import { mergeValidatorUpdates } from "../modules/genutil/validatorUpdates.js";
import { stakingBlockHooks } from "../modules/staking/abci.js";
import { checkGenesisValidators, initStakingGenesis } from "../modules/staking/genesis.js";
import { StakingKeeper } from "../modules/staking/keeper.js";
import { stakingMsgHandlers } from "../modules/staking/msgs.js";
import { registerStakingQueries } from "../modules/staking/query.js";
import { slashingBlockHooks } from "../modules/slashing/abci.js";
import { initSlashingGenesis } from "../modules/slashing/genesis.js";
import { SlashingKeeper } from "../modules/slashing/keeper.js";
import { slashingMsgHandlers } from "../modules/slashing/msgs.js";
import { registerSlashingQueries } from "../modules/slashing/query.js";
import { slashingParamSubspace, slashingUpdateParamsHandler } from "../modules/slashing/updateParams.js";
import { WasmKeeper } from "../modules/wasm/keeper.js";
import { wasmMsgHandlers } from "../modules/wasm/msgs.js";
import { govBlockHooks } from "../modules/gov/abci.js";
import { govParamSubspace } from "../modules/gov/govSubspace.js";
import { GovKeeper } from "../modules/gov/keeper.js";
import { govMsgHandlers } from "../modules/gov/msgs.js";
import { parseGovGenesis } from "../modules/gov/params.js";
import { registerGovQueries } from "../modules/gov/query.js";
import { mintParamSubspace, mintUpdateParamsHandlers } from "../modules/mint/updateParams.js";
import { stakingParamSubspace, stakingUpdateParamsHandler } from "../modules/staking/updateParams.js";
import { wasmUpdateParamsHandler } from "../modules/wasm/updateParams.js";
import { registerWasmQueries } from "../modules/wasm/query.js";
import { BranchStore } from "../store/branch.js";
import { CommitStore, type PreparedCommit, UNDO_HEIGHTS } from "../store/commitStore.js";
import { GasStore } from "../store/gasStore.js";
import { key, Prefix } from "../store/prefixes.js";
import type { KVReader, KVStore } from "../store/types.js";
import { DecodedTxCache, decodeTx, type DecodedTx } from "../tx/decode.js";
import { signBytesFor } from "../tx/signBytes.js";
import { sha256 } from "../crypto/hash.js";
import { VerifyPool } from "../crypto/verifyPool.js";
import { parseAddress } from "../types/address.js";
import { availableParallelism } from "node:os";
import { type DecCoin, parseDecCoins } from "../types/dec.js";
import { type AnteDeps, runAnte, SignatureCache } from "./ante.js";
import { type Context, EventManager, type ExecMode } from "./context.js";
import { GenesisError, initGenesis, parseAppGenesis } from "./initGenesis.js";
import type { AppGenesis as AppGenesisState } from "./genesis.js";
import { MsgRegistry } from "./msgRegistry.js";
import { QueryRouter } from "./queryRouter.js";

/** Gas available to a simulation that sets no limit, on chains without a block gas limit. */
export const SIMULATION_GAS_LIMIT = 100_000_000n;

const CHAIN_ID_KEY = key(Prefix.App, Buffer.from("chain_id"));
const MAX_GAS_KEY = key(Prefix.App, Buffer.from("block_max_gas"));

export interface SoaAppOptions {
  /** LMDB directory (created if missing), e.g. <home>/data/application. */
  dataDir: string;
  /** Node-local minimum gas prices for CheckTx, e.g. "0.0025usoa"; "" accepts zero-fee txs. */
  minGasPrices?: string;
  /** Worker threads verifying CheckTx signatures in parallel (default: 1 if there are 2+ CPUs, else 0). */
  verifyWorkers?: number;
  logger?: Logger;
}

export interface BlockInfo {
  height: bigint;
  /** Block time in nanoseconds since the epoch. */
  timeNanos: bigint;
}

const NANOS = 1_000_000_000n;

function blockTimeNanos(t: { seconds: bigint; nanos: number } | undefined): bigint {
  return t ? t.seconds * NANOS + BigInt(t.nanos) : 0n;
}

/**
 * Work a module does on every block, outside transactions (the SDK's BeginBlocker/EndBlocker):
 * minting, reward distribution, validator-set changes. Runs in registration order; unmetered.
 */
export interface BlockHooks {
  beginBlock?(ctx: Context, req: RequestFinalizeBlock): void;
  /** May return validator power changes (effective at height H+2, ABCI.md §4). */
  endBlock?(ctx: Context, req: RequestFinalizeBlock): ValidatorUpdate[];
}

/** Block-level events carry `mode` = BeginBlock | EndBlock, as the SDK marks them. */
function withMode(events: Event[], mode: "BeginBlock" | "EndBlock"): Event[] {
  return events.map((e) => ({ type: e.type, attributes: [...e.attributes, { key: "mode", value: mode, index: true }] }));
}

/** CheckTx responses carry no events: in check modes, don't build them. */
class DiscardEvents extends EventManager {
  override emit(): void {}
}

export class SoaApp implements AbciApplication {
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly wasm = new WasmKeeper(this.auth, this.bank, {
    debug: (contract, message) => this.logger.debug("contract debug", { contract, message }),
  });
  /** Inflation follows the bonded ratio of the staking module (SDK x/mint). */
  readonly mint = new MintKeeper(this.auth, this.bank, { bondedRatio: (s) => this.staking.bondedRatio(s) });
  /** Validators, delegations, the validator set sent to CometBFT (modules/staking/README.md). */
  readonly staking = new StakingKeeper(this.auth, this.bank);
  /** F1 reward distribution: fees + mint's PoS share to validators and delegators (modules/distribution/README.md). */
  readonly distribution = new DistributionKeeper(this.auth, this.bank, this.staking);
  /** Downtime and double-sign punishment through staking (modules/slashing/README.md). */
  readonly slashing = new SlashingKeeper(this.staking);
  /** Proposals, deposits, votes; passed proposals' messages run as the gov account (modules/gov/README.md). */
  readonly gov = new GovKeeper(this.auth, this.bank, this.staking, (typeUrl) => this.msgs.get(typeUrl));
  readonly msgs = new MsgRegistry();
  readonly queries = new QueryRouter();
  readonly sigCache = new SignatureCache();
  readonly txCache = new DecodedTxCache(this.msgs);
  /** Modules' per-block work, in order (see BlockHooks). */
  readonly blockHooks: BlockHooks[] = [];
  private readonly logger: Logger;
  private readonly minGasPrices: DecCoin[];
  private checkState: BranchStore;
  private pending: BranchStore | null = null;
  private prepared: { height: bigint; commit: PreparedCommit } | null = null;
  private chainId: string;
  private blockStartedAt = 0;
  private readonly verifier: VerifyPool | undefined;
  /** Signature checks started by precheckTx and not yet finished, by tx hash. */
  private readonly pendingSigs = new Map<string, Promise<void>>();

  private constructor(
    private readonly store: CommitStore,
    opts: SoaAppOptions,
  ) {
    this.logger = opts.logger ?? silentLogger;
    this.minGasPrices = parseDecCoins(opts.minGasPrices ?? DEFAULT_MIN_GAS_PRICES);
    this.checkState = new BranchStore(store);
    this.chainId = readString(store, CHAIN_ID_KEY);
    const workers = opts.verifyWorkers ?? (availableParallelism() > 1 ? 1 : 0);
    this.verifier = workers > 0 ? new VerifyPool(workers) : undefined;
    for (const h of [...bankMsgHandlers(this.bank), ...wasmMsgHandlers(this.wasm)]) this.msgs.register(h);
    registerAuthQueries(this.queries, this.auth);
    registerBankQueries(this.queries, this.bank);
    registerWasmQueries(this.queries, this.wasm);
    registerMintQueries(this.queries, this.mint, this.bank);
    this.blockHooks.push(mintBlockHooks(this.mint));
    this.queries.register("/cosmos.tx.v1beta1.Service/Simulate", (data) => this.simulate(data));
    // distribution: BeginBlock after mint (allocates this block's PoS share with the fees), before slashing and staking;
    // its staking hooks come first (the SDK's NewMultiStakingHooks(distr, slashing)).
    for (const h of distributionMsgHandlers(this.distribution)) this.msgs.register(h);
    registerDistributionQueries(this.queries, this.distribution, this.staking);
    this.staking.addHooks(this.distribution.hooks());
    this.blockHooks.push(distributionBlockHooks(this.distribution, moduleAddress(FEE_COLLECTOR)));
    // slashing: BeginBlock after mint (and distribution), before staking; signing infos follow bonding.
    for (const h of slashingMsgHandlers(this.slashing)) this.msgs.register(h);
    registerSlashingQueries(this.queries, this.slashing);
    this.staking.addHooks(this.slashing.hooks());
    this.blockHooks.push(slashingBlockHooks(this.slashing));
    // gov: EndBlock before staking's (the SDK's order); MsgUpdateParams of gov, mint, staking, wasm with
    // the gov account as authority; legacy ParameterChangeProposal subspaces.
    for (const h of govMsgHandlers(this.gov)) this.msgs.register(h);
    for (const h of mintUpdateParamsHandlers(this.mint, this.gov.authority)) this.msgs.register(h);
    this.msgs.register(stakingUpdateParamsHandler(this.staking, this.gov.authority));
    this.msgs.register(wasmUpdateParamsHandler(this.wasm, this.gov.authority));
    this.gov.legacy.addSubspace("gov", govParamSubspace(this.gov));
    this.gov.legacy.addSubspace("mint", mintParamSubspace(this.mint));
    this.gov.legacy.addSubspace("staking", stakingParamSubspace(this.staking));
    this.msgs.register(slashingUpdateParamsHandler(this.slashing, this.gov.authority));
    this.gov.legacy.addSubspace("slashing", slashingParamSubspace(this.slashing));
    registerGovQueries(this.queries, this.gov);
    this.blockHooks.push(govBlockHooks(this.gov));
    for (const h of stakingMsgHandlers(this.staking)) this.msgs.register(h);
    registerStakingQueries(this.queries, this.staking);
    this.blockHooks.push(stakingBlockHooks(this.staking)); // last: its EndBlock sees every other module's changes
  }

  static async open(opts: SoaAppOptions): Promise<SoaApp> {
    return new SoaApp(CommitStore.open({ path: opts.dataDir }), opts);
  }

  async close(): Promise<void> {
    await this.verifier?.close();
    await this.store.close();
  }

  get lastHeight(): bigint {
    return this.store.lastHeight;
  }

  get lastAppHash(): Uint8Array {
    return this.store.lastAppHash;
  }

  /**
   * Undoes the last committed block (the app side of `cometbft rollback`); only while no block is
   * being executed. The last UNDO_HEIGHTS blocks can be undone.
   */
  rollback(): { height: bigint; appHash: Uint8Array } {
    if (this.prepared || this.pending) throw new Error("cannot roll back while a block is in progress");
    const r = this.store.rollback();
    this.checkState = new BranchStore(this.store);
    this.accountNumbers.clear(); // the undone block may have created accounts
    return r;
  }

  /** Signatures checked on worker threads so far. */
  get workerVerifiedSignatures(): number {
    return this.verifier?.verified ?? 0;
  }

  /** Read-only view of committed state (queries, tests, invariants). */
  get committed(): KVReader {
    return this.store;
  }

  // ---- query connection ----------------------------------------------------------------------

  info(req: RequestInfo): ResponseInfo {
    if (req.abciVersion && !req.abciVersion.startsWith("2.")) {
      throw new Error(`CometBFT speaks ABCI ${req.abciVersion}; soad needs ABCI 2.x (CometBFT v0.38)`);
    }
    const height = this.store.lastHeight;
    return {
      data: APP_NAME,
      version: APP_VERSION,
      appVersion: APP_PROTOCOL_VERSION,
      lastBlockHeight: height,
      lastBlockAppHash: height > 0n ? this.store.lastAppHash : new Uint8Array(),
    };
  }

  query(req: RequestQuery): ResponseQuery {
    const latest = this.store.lastHeight;
    const height = req.height === 0n ? latest : req.height;
    const base = { index: 0n, key: new Uint8Array(), value: new Uint8Array(), proofOps: undefined, height, info: "", log: "", code: 0, codespace: "" };
    try {
      // The latest height and the two before it (kept for rollback) can be read.
      const store = this.store.viewAt(height);
      if (!store) {
        throw ErrInvalidHeight.wrap(
          `historical queries are not supported beyond the last ${UNDO_HEIGHTS + 1n} heights: requested height ${req.height}, latest is ${latest}`,
        );
      }
      if (req.prove) throw ErrUnknownRequest.wrap("proofs are not supported");
      const handler = this.queries.get(req.path);
      if (!handler) throw ErrUnknownRequest.wrap(`no query handler for path ${JSON.stringify(req.path)}`);
      return { ...base, value: handler(req.data, { store, height, chainId: this.chainId, timeNanos: this.lastBlockTimeNanos }) };
    } catch (e) {
      const err = toAbciError(e);
      if (!(e instanceof ChainError)) this.logger.error("query failed", { path: req.path }, e);
      return { ...base, ...err };
    }
  }

  // ---- mempool connection --------------------------------------------------------------------

  /**
   * Starts verifying a new tx's signature on a worker thread while earlier requests are served.
   * Only for signers that exist in committed state (their account number cannot change); the
   * result only ever spares CheckTx a repeat of the same check.
   */
  precheckTx(bytes: Uint8Array): void {
    if (!this.verifier) return;
    let tx: DecodedTx;
    try {
      tx = this.txCache.decode(bytes);
    } catch {
      return; // CheckTx reports it
    }
    const key = tx.hash.toString("latin1");
    if (!tx.pubkey || this.pendingSigs.has(key) || this.sigCache.peek(tx.hash)) return;
    const accountNumber = this.committedAccountNumber(tx.signer);
    if (accountNumber === undefined) return;
    let signBytes: Uint8Array;
    try {
      signBytes = signBytesFor(tx, this.chainId, accountNumber);
    } catch {
      return;
    }
    const done = this.verifier.verify({ digest: sha256(signBytes), signature: tx.signature, pubkey: tx.pubkey }).then((ok) => {
      this.pendingSigs.delete(key);
      if (ok) this.sigCache.add(tx.hash);
    });
    this.pendingSigs.set(key, done);
  }

  /** Account numbers never change once committed, so they can be remembered (bounded). */
  private readonly accountNumbers = new Map<string, bigint>();

  private committedAccountNumber(address: string): bigint | undefined {
    const known = this.accountNumbers.get(address);
    if (known !== undefined) return known;
    const account = this.auth.getAccount(this.store, parseAddress(address));
    if (!account) return undefined;
    if (this.accountNumbers.size >= 100_000) this.accountNumbers.clear();
    this.accountNumbers.set(address, account.base.accountNumber);
    return account.base.accountNumber;
  }

  checkTx(req: RequestCheckTx): ResponseCheckTx | Promise<ResponseCheckTx> {
    if (this.pendingSigs.size > 0) {
      const pending = this.pendingSigs.get(sha256(req.tx).toString("latin1"));
      if (pending) return pending.then(() => this.checkTxNow(req));
    }
    return this.checkTxNow(req);
  }

  private checkTxNow(req: RequestCheckTx): ResponseCheckTx {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? "recheck" : "check";
    const r = this.runTx(this.checkState, req.tx, mode, { height: this.store.lastHeight + 1n, timeNanos: this.lastBlockTimeNanos });
    return { code: r.code, data: new Uint8Array(), log: r.log, info: "", gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: [], codespace: r.codespace };
  }

  // ---- consensus connection ------------------------------------------------------------------

  initChain(req: RequestInitChain): ResponseInitChain {
    if (this.store.lastHeight > 0n) throw new Error(`InitChain called on a chain already at height ${this.store.lastHeight}`);
    const genesis = parseAppGenesis(req.appStateBytes);
    // InitChain may be called again after a crash before block 1: start from a clean branch.
    const branch = new BranchStore(this.store);
    this.chainId = req.chainId;
    branch.set(CHAIN_ID_KEY, Buffer.from(req.chainId, "utf8"));
    const maxGas = req.consensusParams?.block?.maxGas ?? -1n;
    branch.set(MAX_GAS_KEY, Buffer.from(maxGas.toString(), "latin1"));
    const ctx = this.context(branch, branch, new GasMeter(undefined), new EventManager(), "genesis", {
      height: req.initialHeight,
      timeNanos: blockTimeNanos(req.time),
    });
    initGenesis(ctx, genesis, { auth: this.auth, bank: this.bank, wasm: this.wasm, mint: this.mint });
    let validators = this.initStaking(ctx, genesis, req);
    this.initDistribution(ctx, genesis);
    this.initSlashing(ctx, genesis, req);
    this.initGov(ctx, genesis);
    // genutil LAST (the SDK's module order): gentxs run after every module's genesis.
    validators = this.deliverGenTxs(branch, genesis, req, validators);
    this.pending = branch;
    const appHash = this.store.prepare(branch.changes()).appHash;
    this.logger.info("initialized chain from genesis", { chain_id: req.chainId, initial_height: req.initialHeight, app_hash: appHash, validators: validators.length });
    return { consensusParams: undefined, validators, appHash };
  }

  /** gov genesis: params and the first proposal id (app_state.gov, optional); the gov module account. */
  private initGov(ctx: Context, genesis: AppGenesisState): void {
    try {
      const g = parseGovGenesis(genesis.gov);
      this.gov.initGenesis(ctx.store, g.startingProposalId, g.params);
    } catch (e) {
      throw new GenesisError((e as Error).message);
    }
  }

  /** distribution genesis (after staking's: records for its validators and delegations). */
  private initDistribution(ctx: Context, genesis: AppGenesisState): void {
    try {
      initDistributionGenesis(ctx, this.distribution, this.staking, this.bank, genesis.distribution);
    } catch (e) {
      throw new GenesisError((e as Error).message);
    }
  }

  /**
   * staking genesis: the validator set for ResponseInitChain. Empty (CometBFT keeps genesis.json's
   * validators) unless app_state.staking bonds validators; then genesis.json's must be empty or equal.
   */
  private initStaking(ctx: Context, genesis: AppGenesisState, req: RequestInitChain): ValidatorUpdate[] {
    try {
      const validators = initStakingGenesis(ctx, this.staking, genesis.staking, this.bank);
      checkGenesisValidators(validators, req.validators);
      return validators;
    } catch (e) {
      throw new GenesisError(`staking: ${(e as Error).message}`);
    }
  }

  /**
   * genutil: app_state.genutil.gen_txs run through the normal tx path (ante with account number 0,
   * signature, sequence; MsgCreateValidator's handler and the staking hooks), in order; a failing
   * gentx makes genesis invalid. Then the staking set is returned to CometBFT (modules/genutil/README.md).
   */
  private deliverGenTxs(branch: BranchStore, genesis: AppGenesisState, req: RequestInitChain, before: ValidatorUpdate[]): ValidatorUpdate[] {
    const txs = genesis.genutil?.gen_txs ?? [];
    if (txs.length === 0) return before;
    const info = { height: req.initialHeight, timeNanos: blockTimeNanos(req.time) };
    txs.forEach((json, i) => {
      let bytes: Uint8Array;
      try {
        bytes = gentxToTxBytes(json);
      } catch (e) {
        throw new GenesisError(`genutil.gen_txs[${i}]: ${(e as Error).message}`);
      }
      const r = this.runTx(branch, bytes, "genesis", info);
      if (r.code !== 0) throw new GenesisError(`genutil.gen_txs[${i}] failed: codespace ${r.codespace} code ${r.code}: ${r.log}`);
    });
    const ctx = this.context(branch, branch, new GasMeter(undefined), new EventManager(), "genesis", info);
    try {
      const updates = mergeValidatorUpdates(before, this.staking.applyAndReturnValidatorSetUpdates(ctx));
      checkGenesisValidators(updates, req.validators);
      return updates;
    } catch (e) {
      throw new GenesisError(`genutil: ${(e as Error).message}`);
    }
  }

  /** slashing genesis (after staking: bonded validators get signing infos; evidence max age from consensus params). */
  private initSlashing(ctx: Context, genesis: AppGenesisState, req: RequestInitChain): void {
    try {
      initSlashingGenesis(ctx, this.slashing, this.staking, genesis.slashing, req.consensusParams);
    } catch (e) {
      throw new GenesisError(`slashing: ${(e as Error).message}`);
    }
  }

  prepareProposal(req: RequestPrepareProposal): ResponsePrepareProposal {
    const maxGas = this.maxBlockGas();
    const txs: Uint8Array[] = [];
    let bytes = 0n;
    let gas = 0n;
    for (const tx of req.txs) {
      const size = BigInt(tx.length);
      if (bytes + size > req.maxTxBytes) break;
      const g = declaredGas(tx);
      if (g === undefined) continue; // undecodable: leave it out rather than propose a block others reject
      if (maxGas > 0n && gas + g > maxGas) break;
      bytes += size;
      gas += g;
      txs.push(tx);
    }
    return { txs };
  }

  processProposal(req: RequestProcessProposal): ResponseProcessProposal {
    const maxGas = this.maxBlockGas();
    let gas = 0n;
    for (const tx of req.txs) {
      const g = declaredGas(tx);
      if (g === undefined) return { status: ProcessProposalStatus.REJECT };
      gas += g;
    }
    if (maxGas > 0n && gas > maxGas) return { status: ProcessProposalStatus.REJECT };
    return { status: ProcessProposalStatus.ACCEPT };
  }

  extendVote(): ResponseExtendVote {
    return { voteExtension: new Uint8Array() };
  }

  verifyVoteExtension(): ResponseVerifyVoteExtension {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    this.blockStartedAt = performance.now();
    const expected = this.store.lastHeight + 1n;
    if (this.store.lastHeight > 0n && req.height !== expected) {
      throw new Error(`FinalizeBlock for height ${req.height}, expected ${expected}`);
    }
    const block = this.pending ?? new BranchStore(this.store);
    const info = { height: req.height, timeNanos: blockTimeNanos(req.time) };
    const blockEvents = new EventManager();
    const hookCtx = () => this.context(new GasStore(block, new GasMeter(undefined)), block, new GasMeter(undefined), blockEvents, "deliver", info);
    for (const h of this.blockHooks) h.beginBlock?.(hookCtx(), req);
    const beginEvents = withMode(blockEvents.events.splice(0), "BeginBlock");
    const txResults: ExecTxResult[] = req.txs.map((tx, i) => this.runTx(block, tx, "deliver", info, i));
    const validatorUpdates = this.blockHooks.flatMap((h) => h.endBlock?.(hookCtx(), req) ?? []);
    const endEvents = withMode(blockEvents.events, "EndBlock");
    this.lastBlockTimeNanos = info.timeNanos;
    const commit = this.store.prepare(block.changes());
    this.pending = block;
    this.prepared = { height: req.height, commit };
    return { events: [...beginEvents, ...endEvents], txResults, validatorUpdates, consensusParamUpdates: undefined, appHash: commit.appHash };
  }

  commit(): ResponseCommit {
    if (!this.prepared) throw new Error("Commit without FinalizeBlock");
    const { height, commit } = this.prepared;
    this.store.commit(height, commit);
    const txs = this.lastBlockTxs;
    this.pending = null;
    this.prepared = null;
    this.checkState = new BranchStore(this.store);
    this.logger.info("committed block", {
      height,
      txs: txs.total,
      failed: txs.failed,
      app_hash: commit.appHash,
      ms: Math.round(performance.now() - this.blockStartedAt),
      ...this.wasmCacheLog(),
    });
    this.lastBlockTxs = { total: 0, failed: 0 };
    return { retainHeight: 0n };
  }

  /** Compiled-module cache counters, in the block log once contracts have run. */
  private wasmCacheLog(): Record<string, number> {
    const m = this.wasm.vm.metrics;
    return m.hits + m.misses === 0 ? {} : { wasm_cache_hits: m.hits, wasm_cache_misses: m.misses, wasm_cache_modules: m.size };
  }

  // ---- snapshot connection: state sync is not offered; nodes sync from genesis ---------------

  listSnapshots(): ResponseListSnapshots {
    return { snapshots: [] };
  }

  offerSnapshot(): ResponseOfferSnapshot {
    return { result: ResponseOfferSnapshot_Result.REJECT };
  }

  loadSnapshotChunk(): ResponseLoadSnapshotChunk {
    return { chunk: new Uint8Array() };
  }

  applySnapshotChunk(): ResponseApplySnapshotChunk {
    return { result: ResponseApplySnapshotChunk_Result.ABORT, refetchChunks: [], rejectSenders: [] };
  }

  // ---- transaction execution -----------------------------------------------------------------

  private lastBlockTxs = { total: 0, failed: 0 };
  /** Time of the last finalized block: the best guess of "now" for CheckTx and simulation (not persisted). */
  private lastBlockTimeNanos = 0n;

  private anteDeps(): AnteDeps {
    return { auth: this.auth, bank: this.bank, sigCache: this.sigCache, minGasPrices: this.minGasPrices, maxBlockGas: this.maxBlockGas() };
  }

  private context(store: KVStore, rawStore: KVStore, gasMeter: GasMeter, events: EventManager, mode: ExecMode, block: BlockInfo, txIndex?: number): Context {
    return {
      store,
      rawStore,
      gasMeter,
      events,
      chainId: this.chainId,
      height: block.height,
      timeSeconds: block.timeNanos / NANOS,
      timeNanos: block.timeNanos,
      txIndex,
      mode,
    };
  }

  /** Set at genesis and never changed (no consensus param updates yet): read once committed. */
  private committedMaxGas: bigint | undefined;

  private maxBlockGas(): bigint {
    if (this.committedMaxGas !== undefined) return this.committedMaxGas;
    const committed = this.store.get(MAX_GAS_KEY);
    if (committed) return (this.committedMaxGas = BigInt(Buffer.from(committed).toString("latin1")));
    const pending = this.pending?.get(MAX_GAS_KEY);
    return pending ? BigInt(Buffer.from(pending).toString("latin1")) : -1n;
  }

  /**
   * Runs one transaction against `parent`. Ante effects (fee, sequence, pubkey) are kept when the
   * ante handler passes, even if a message then fails; message effects are kept only if all succeed.
   * In check modes the messages are not run (COSMJS-COMPAT.md §6).
   */
  runTx(parent: KVStore, bytes: Uint8Array, mode: ExecMode, block: BlockInfo, txIndex?: number): ExecTxResult & { msgResponses: Any[] } {
    const fail = (e: unknown, gasWanted: bigint, gasUsed: bigint, events: EventManager["events"] = []) => {
      if (e instanceof ConsensusFault) throw e;
      if (!(e instanceof ChainError)) this.logger.error("unexpected error executing tx", { mode }, e);
      if (mode === "deliver") this.lastBlockTxs = { total: this.lastBlockTxs.total + 1, failed: this.lastBlockTxs.failed + 1 };
      return { ...toAbciError(e), data: new Uint8Array(), info: "", gasWanted, gasUsed, events, msgResponses: [] };
    };
    let tx: DecodedTx;
    try {
      tx = mode === "simulate" ? decodeTx(bytes, this.msgs, true) : this.txCache.decode(bytes);
    } catch (e) {
      return fail(e, 0n, 0n);
    }
    // A simulation without a gas limit may use what one block could (contract loops must end).
    const simulationLimit = () => {
      const max = this.maxBlockGas();
      return max > 0n ? max : SIMULATION_GAS_LIMIT;
    };
    const meter = new GasMeter(mode === "simulate" && tx.gasLimit === 0n ? simulationLimit() : tx.gasLimit);
    const anteBranch = new BranchStore(parent);
    const anteEvents = mode === "check" || mode === "recheck" ? new DiscardEvents() : new EventManager();
    try {
      // RECHECK only re-applies the ante effects; its gas is not reported to anyone, so it is not metered.
      const anteStore = mode === "recheck" ? anteBranch : new GasStore(anteBranch, meter);
      runAnte(this.context(anteStore, anteBranch, meter, anteEvents, mode, block, txIndex), tx, this.anteDeps());
    } catch (e) {
      return fail(e, tx.gasLimit, meter.consumed());
    }
    anteBranch.writeTo(parent);
    if (mode === "check" || mode === "recheck") {
      return { code: 0, codespace: "", log: "", data: new Uint8Array(), info: "", gasWanted: tx.gasLimit, gasUsed: meter.consumed(), events: [], msgResponses: [] };
    }

    const msgBranch = new BranchStore(parent);
    const msgEvents = new EventManager();
    const msgResponses: Any[] = [];
    try {
      for (let i = 0; i < tx.msgs.length; i++) {
        const m = tx.msgs[i]!;
        const events = new EventManager();
        events.emit("message", [
          ["action", m.typeUrl],
          ["sender", tx.signer],
          ["module", m.handler.module],
        ]);
        msgResponses.push(m.handler.execute(this.context(new GasStore(msgBranch, meter), msgBranch, meter, events, mode, block, txIndex), m.value));
        msgEvents.absorb(events, i);
      }
    } catch (e) {
      return fail(e, tx.gasLimit, meter.consumed(), anteEvents.events);
    }
    msgBranch.writeTo(parent);
    if (mode === "deliver") this.lastBlockTxs = { total: this.lastBlockTxs.total + 1, failed: this.lastBlockTxs.failed };
    return {
      code: 0,
      codespace: "",
      log: "",
      info: "",
      data: TxMsgData.encode({ data: [], msgResponses }).finish(),
      gasWanted: tx.gasLimit,
      gasUsed: meter.consumed(),
      events: [...anteEvents.events, ...msgEvents.events],
      msgResponses,
    };
  }

  /** /cosmos.tx.v1beta1.Service/Simulate: runs the tx on a throwaway branch of committed state. */
  private simulate(data: Uint8Array): Uint8Array {
    let req: SimulateRequest;
    try {
      req = SimulateRequest.decode(data);
    } catch (e) {
      throw ErrUnknownRequest.wrap(`invalid simulate request: ${(e as Error).message}`);
    }
    if (req.txBytes.length === 0) throw ErrInvalidRequest.wrap("empty txBytes is not allowed; the deprecated tx field is not supported");
    const txBytes = req.txBytes;
    const branch = new BranchStore(this.store);
    const r = this.runTx(branch, txBytes, "simulate", { height: this.store.lastHeight + 1n, timeNanos: this.lastBlockTimeNanos });
    if (r.code !== 0) {
      throw new AbciError(r.code, r.codespace, `${r.log} With gas wanted: '${r.gasWanted}' and gas used: '${r.gasUsed}'`);
    }
    return SimulateResponse.encode({
      gasInfo: { gasWanted: r.gasWanted, gasUsed: r.gasUsed },
      result: { data: new Uint8Array(), log: "", events: r.events, msgResponses: r.msgResponses },
    }).finish();
  }
}

function readString(s: KVReader, k: Uint8Array): string {
  const v = s.get(k);
  return v ? Buffer.from(v).toString("utf8") : "";
}

/** The gas limit a tx declares, or undefined if it is not even a TxRaw with an AuthInfo. */
function declaredGas(tx: Uint8Array): bigint | undefined {
  try {
    const raw = TxRaw.decode(tx);
    return AuthInfo.decode(raw.authInfoBytes).fee?.gasLimit ?? 0n;
  } catch {
    return undefined;
  }
}
