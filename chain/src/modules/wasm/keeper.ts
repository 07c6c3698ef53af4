// wasm: code, contracts and the calls between them (wasmd's keeper, msg_dispatcher and query
// plugins). The only code that touches the wasm prefixes. Contract calls run in vm/; this file
// decides what they may see, charges their gas and applies their responses.
import { gunzipSync } from "node:zlib";
import {
  AccessType,
  type AccessConfig,
  CodeInfo,
  ContractCodeHistoryEntry,
  ContractCodeHistoryOperationType,
  ContractInfo,
  Params,
} from "cosmjs-types/cosmwasm/wasm/v1/types";
import { MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import {
  MsgClearAdminResponse,
  MsgExecuteContractResponse,
  MsgInstantiateContract2Response,
  MsgInstantiateContractResponse,
  MsgMigrateContractResponse,
  MsgUpdateAdminResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { type Context, EventManager } from "../../app/context.js";
import { sha256 } from "../../crypto/hash.js";
import { ChainError, ConsensusFault, type RegisteredError } from "../../errors/errors.js";
import { ErrInvalidAddress, ErrOutOfGas, ErrUnauthorized } from "../../errors/sdk.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import { GasStore } from "../../store/gasStore.js";
import { type KVReader, type KVStore, prefixEnd } from "../../store/types.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { type Coin, coinsFromProto } from "../../types/coins.js";
import type { AuthKeeper } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import { classicAddress, instantiate2Address } from "./addresses.js";
import {
  ErrAccountExists,
  ErrCreateFailed,
  ErrDuplicate,
  ErrExecuteFailed,
  ErrInstantiateFailed,
  ErrInvalidEvent,
  ErrInvalidMsg,
  ErrMigrationFailed,
  ErrNoSuchCode,
  ErrNoSuchContract,
  ErrQueryFailed,
  ErrUnknownMsg,
  ErrVmError,
} from "./errors.js";
import * as J from "./json.js";
import { be64, ContractStore, iteratePrefix, Keys } from "./store.js";
import { CALL_STACK_BUDGET, INSTRUMENTATION_VERSION, prepareCode } from "./vm/instrument.js";
import { WasmVm } from "./vm/runtime.js";
import { type AddressApi, type CodeAnalysis, type EntryPoint, GAS_MULTIPLIER, type HostEnv, type Querier, type VmGas, VmError } from "./vm/types.js";
import { WasmValidationError } from "./vm/validate.js";

/** Limits and gas prices (wasmd defaults unless noted). */
export const WASM_LIMITS = {
  /** MaxWasmSize: uncompressed code, and the gzip archive as sent. */
  maxWasmSize: 800 * 1024,
  maxLabelSize: 128,
  maxSaltSize: 64,
  /** Contract → contract query nesting (DefaultMaxQueryStackSize). */
  maxQueryDepth: 10,
  /** Contract → contract message dispatch nesting (DefaultMaxCallDepth). */
  maxDispatchDepth: 100,
  /** SDK gas available to a smart query made through ABCI (wasmd's default query gas limit). */
  queryGasLimit: 3_000_000n,
} as const;

const GAS = {
  /** DefaultInstanceCost: loading a module for one call. */
  instance: 60_000n,
  compilePerByte: 3n,
  /** 0.15 SDK gas per compressed byte, as 15/100. */
  uncompressPer100Bytes: 15n,
  /** Per byte of a contract's result JSON (costJSONDeserialization). */
  jsonPerByte: 1n,
  eventPerAttribute: 10n,
  eventAttributeFreeBytes: 100n,
  customEvent: 20n,
} as const;

const CODE_CACHE_LIMIT = 64;

export const DEFAULT_WASM_PARAMS: Params = {
  codeUploadAccess: { permission: AccessType.ACCESS_TYPE_EVERYBODY, addresses: [] },
  instantiateDefaultPermission: AccessType.ACCESS_TYPE_EVERYBODY,
};

interface Prepared {
  checksum: Uint8Array;
  code: Uint8Array;
  analysis: CodeAnalysis;
}

interface Contract {
  address: Uint8Array;
  bech32: string;
  info: ContractInfo;
}

export interface InstantiateRequest {
  creator: string;
  admin: string;
  codeId: bigint;
  label: string;
  msg: Uint8Array;
  funds: readonly Coin[];
  /** Set for MsgInstantiateContract2. */
  salt?: Uint8Array;
  fixMsg?: boolean;
}

interface CallResult {
  data: Uint8Array | undefined;
}

/** Chain-side address rules, as the VM's addr_* imports see them. */
const addressApi: AddressApi = {
  validate(human) {
    if (human.length === 0) return "Input is empty";
    try {
      const bytes = parseAddress(human);
      return formatAddress(bytes) === human ? undefined : "Address is not normalized";
    } catch (e) {
      return (e as Error).message;
    }
  },
  canonicalize(human) {
    if (human.length === 0) return "Input is empty";
    try {
      // bech32 allows an all-uppercase form (wasmd canonicalizes it; addr_validate still refuses it)
      return parseAddress(human === human.toUpperCase() ? human.toLowerCase() : human);
    } catch (e) {
      return (e as Error).message;
    }
  },
  humanize(canonical) {
    if (canonical.length !== 20 && canonical.length !== 32) return { error: `Invalid canonical address length: ${canonical.length}` };
    return formatAddress(canonical);
  },
};

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function encodePrepared(p: { code: Uint8Array; analysis: CodeAnalysis }): Buffer {
  const a = Buffer.from(
    JSON.stringify({
      instrumentation: INSTRUMENTATION_VERSION,
      ...p.analysis,
      migrateVersion: p.analysis.migrateVersion === undefined ? null : p.analysis.migrateVersion.toString(),
    }),
    "utf8",
  );
  return Buffer.concat([u32be(a.length), a, p.code]);
}

function decodePrepared(checksum: Uint8Array, v: Uint8Array): Prepared {
  const b = Buffer.from(v);
  const n = b.readUInt32BE(0);
  const a = JSON.parse(b.subarray(4, 4 + n).toString("utf8")) as CodeAnalysis & { migrateVersion: string | null; instrumentation: number };
  if (a.instrumentation !== INSTRUMENTATION_VERSION) {
    throw new ConsensusFault(
      `code ${Buffer.from(checksum).toString("hex")} was prepared by instrumentation v${a.instrumentation}; this soad runs v${INSTRUMENTATION_VERSION} (an upgrade must migrate stored code)`,
    );
  }
  const { instrumentation: _, ...analysis } = a;
  return { checksum, code: b.subarray(4 + n), analysis: { ...analysis, migrateVersion: a.migrateVersion === null ? undefined : BigInt(a.migrateVersion) } };
}

function readU64(v: Uint8Array | undefined): bigint {
  return v ? Buffer.from(v).readBigUInt64BE(0) : 0n;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

function isGzip(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1] && b[2] === GZIP_MAGIC[2];
}

/** How an error from a sub-message is shown to the contract's `reply` (wasmd redacts all but the code). */
function redactedError(e: ChainError): string {
  return `codespace: ${e.codespace}, code: ${e.code}`;
}

function isAllowed(config: AccessConfig | undefined, actor: string): boolean {
  switch (config?.permission ?? AccessType.ACCESS_TYPE_EVERYBODY) {
    case AccessType.ACCESS_TYPE_EVERYBODY:
      return true;
    case AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES:
      return config!.addresses.includes(actor);
    default:
      return false;
  }
}

export class WasmKeeper {
  readonly vm: WasmVm;
  /** Instrumented code by checksum (hex): immutable once stored, so caching cannot change results. */
  private readonly codeCache = new Map<string, Prepared>();

  private readonly debug: ((contract: string, message: string) => void) | undefined;

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankKeeper,
    /** `debug`: receives contracts' env.debug output (node-local logging; never state or events). */
    opts: { moduleCacheSize?: number; debug?: (contract: string, message: string) => void } = {},
  ) {
    this.vm = new WasmVm({ cacheSize: opts.moduleCacheSize });
    this.debug = opts.debug;
  }

  // ---- params, sequences, reads -------------------------------------------------------------

  getParams(s: KVReader): Params {
    const v = s.get(Keys.params);
    return v ? Params.decode(v) : DEFAULT_WASM_PARAMS;
  }

  setParams(s: KVStore, p: Params): void {
    s.set(Keys.params, Params.encode(p).finish());
  }

  private nextId(s: KVStore, name: "lastCodeId" | "lastContractId"): bigint {
    const next = readU64(s.get(Keys.sequence(name))) + 1n;
    s.set(Keys.sequence(name), be64(next));
    return next;
  }

  getCodeInfo(s: KVReader, codeId: bigint): CodeInfo | undefined {
    const v = s.get(Keys.codeInfo(codeId));
    return v ? CodeInfo.decode(v) : undefined;
  }

  /** Code infos in code id order (for the Codes query). */
  *iterateCodeInfos(s: KVReader): Iterable<{ key: Uint8Array; codeId: bigint; info: CodeInfo }> {
    for (const [k, v] of iteratePrefix(s, Keys.codeInfoStart)) yield { key: k, codeId: k.readBigUInt64BE(0), info: CodeInfo.decode(v) };
  }

  getOriginalCode(s: KVReader, checksum: Uint8Array): Uint8Array | undefined {
    return s.get(Keys.code(checksum));
  }

  getContractInfo(s: KVReader, address: Uint8Array): ContractInfo | undefined {
    const v = s.get(Keys.contractInfo(address));
    return v ? ContractInfo.decode(v) : undefined;
  }

  *iterateHistory(s: KVReader, address: Uint8Array): Iterable<{ key: Uint8Array; entry: ContractCodeHistoryEntry }> {
    for (const [k, v] of iteratePrefix(s, Keys.historyPrefix(address))) yield { key: k, entry: ContractCodeHistoryEntry.decode(v) };
  }

  *iterateContractsByCode(s: KVReader, codeId: bigint): Iterable<{ key: Uint8Array; address: string }> {
    for (const [k] of iteratePrefix(s, Keys.byCodePrefix(codeId))) yield { key: k, address: formatAddress(k.subarray(8)) };
  }

  *iterateContractsByCreator(s: KVReader, creator: Uint8Array): Iterable<{ key: Uint8Array; address: string }> {
    for (const [k] of iteratePrefix(s, Keys.byCreatorPrefix(creator))) yield { key: k, address: formatAddress(k.subarray(8)) };
  }

  *iterateContractState(s: KVReader, address: Uint8Array): Iterable<{ key: Uint8Array; value: { key: Uint8Array; value: Uint8Array } }> {
    for (const [k, v] of iteratePrefix(s, Keys.contractStorePrefix(address))) yield { key: k, value: { key: k, value: v } };
  }

  queryRaw(s: KVReader, address: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    return s.get(Buffer.concat([Keys.contractStorePrefix(address), key]));
  }

  private loadContract(s: KVReader, bech32: string): Contract {
    let address: Uint8Array;
    try {
      address = parseAddress(bech32);
    } catch (e) {
      throw ErrInvalidAddress.wrap(`contract ${(e as Error).message}`);
    }
    const info = this.getContractInfo(s, address);
    if (!info) throw ErrNoSuchContract.wrap(`address ${bech32}`);
    return { address, bech32, info };
  }

  private loadPrepared(s: KVReader, codeId: bigint): Prepared {
    const info = this.getCodeInfo(s, codeId);
    if (!info) throw ErrNoSuchCode.wrap(`code id ${codeId}`);
    const hex = Buffer.from(info.codeHash).toString("hex");
    const cached = this.codeCache.get(hex);
    if (cached) return cached;
    const v = s.get(Keys.prepared(info.codeHash));
    if (!v) throw new Error(`prepared code for checksum ${hex} is missing`);
    const p = decodePrepared(info.codeHash, v);
    if (this.codeCache.size >= CODE_CACHE_LIMIT) this.codeCache.delete(this.codeCache.keys().next().value!);
    this.codeCache.set(hex, p);
    return p;
  }

  // ---- code ---------------------------------------------------------------------------------

  /** MsgStoreCode: unzip, validate and instrument once, then keep both the original and the prepared module. */
  storeCode(ctx: Context, sender: string, wasmInput: Uint8Array, permission: AccessConfig | undefined): { codeId: bigint; checksum: Uint8Array } {
    if (!isAllowed(this.getParams(ctx.store).codeUploadAccess, sender)) throw ErrUnauthorized.wrap("can not create code");
    let wasm = wasmInput;
    if (isGzip(wasmInput)) {
      ctx.gasMeter.consume((BigInt(wasmInput.length) * GAS.uncompressPer100Bytes) / 100n, "Uncompress gzip bytecode");
      try {
        wasm = gunzipSync(wasmInput, { maxOutputLength: WASM_LIMITS.maxWasmSize });
      } catch (e) {
        throw ErrCreateFailed.wrap(`uncompress wasm archive: ${(e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? `larger than ${WASM_LIMITS.maxWasmSize} bytes` : "invalid gzip data"}`);
      }
    }
    if (wasm.length === 0) throw ErrCreateFailed.wrap("empty wasm code");
    ctx.gasMeter.consume(BigInt(wasm.length) * GAS.compilePerByte, "Compiling wasm bytecode");
    const checksum = sha256(wasm);
    let analysis: CodeAnalysis;
    const existing = ctx.rawStore.get(Keys.prepared(checksum));
    if (existing) {
      analysis = decodePrepared(checksum, existing).analysis;
    } else {
      let prepared;
      try {
        prepared = prepareCode(wasm);
      } catch (e) {
        if (e instanceof WasmValidationError) throw ErrCreateFailed.wrap(e.message);
        throw e;
      }
      analysis = prepared.analysis;
      // Code bytes live outside metered state, as wasmd keeps them in the VM's cache directory.
      ctx.rawStore.set(Keys.code(checksum), wasm);
      ctx.rawStore.set(Keys.prepared(checksum), encodePrepared({ code: prepared.instrumented, analysis }));
    }
    const codeId = this.nextId(ctx.store, "lastCodeId");
    const instantiateConfig = permission ?? { permission: this.getParams(ctx.store).instantiateDefaultPermission, addresses: [] };
    ctx.store.set(Keys.codeInfo(codeId), CodeInfo.encode({ codeHash: checksum, creator: sender, instantiateConfig }).finish());
    ctx.events.emit("store_code", [
      ["code_checksum", Buffer.from(checksum).toString("hex")],
      ["code_id", codeId.toString()],
      ...analysis.capabilities.map((c) => ["required_capability", c] as const),
    ]);
    return { codeId, checksum };
  }

  // ---- contract lifecycle -------------------------------------------------------------------

  instantiate(ctx: Context, req: InstantiateRequest, depth = 0): { address: string; data: Uint8Array | undefined } {
    const codeInfo = this.getCodeInfo(ctx.store, req.codeId);
    if (!codeInfo) throw ErrNoSuchCode.wrap(`code id ${req.codeId}`);
    if (!isAllowed(codeInfo.instantiateConfig, req.creator)) throw ErrUnauthorized.wrap("can not instantiate");
    const creator = parseAddress(req.creator);
    const seq = this.nextId(ctx.store, "lastContractId");
    const address =
      req.salt === undefined ? classicAddress(req.codeId, seq) : instantiate2Address(codeInfo.codeHash, creator, req.salt, req.fixMsg ? req.msg : new Uint8Array());
    const bech32 = formatAddress(address);
    if (this.getContractInfo(ctx.store, address)) throw ErrDuplicate.wrap("instance with this code id, sender, salt and label exists");
    const account = this.auth.getAccount(ctx.store, address);
    if (account) {
      // An address may have received coins before the contract exists; it may not have signed anything.
      if (account.module || account.base.sequence !== 0n || account.base.pubKey) throw ErrAccountExists.wrap(bech32);
    } else {
      this.auth.setAccount(ctx.store, this.auth.newAccount(ctx.store, address));
    }
    if (req.funds.length > 0) this.bank.sendCoins(ctx, creator, address, req.funds);

    const prepared = this.loadPrepared(ctx.rawStore, req.codeId);
    const contract: Contract = {
      address,
      bech32,
      info: { codeId: req.codeId, creator: req.creator, admin: req.admin, label: req.label, created: { blockHeight: ctx.height, txIndex: BigInt(ctx.txIndex ?? 0) }, ibcPortId: "", ibc2PortId: "", extension: undefined },
    };
    const res = this.callEntry(ctx, contract, prepared, "instantiate", [this.envJson(ctx, bech32), this.infoJson(req.creator, req.funds), req.msg], ErrInstantiateFailed);

    // wasmd persists the instance after the contract accepted its instantiate message.
    this.appendHistory(ctx.store, address, ContractCodeHistoryOperationType.CONTRACT_CODE_HISTORY_OPERATION_TYPE_INIT, req.codeId, req.msg);
    ctx.store.set(Keys.contractSeq(address), be64(seq));
    ctx.store.set(Keys.byCode(req.codeId, seq, address), Buffer.from([1]));
    ctx.store.set(Keys.byCreator(creator, seq, address), Buffer.from([1]));
    ctx.store.set(Keys.contractInfo(address), ContractInfo.encode(contract.info).finish());
    ctx.events.emit("instantiate", [
      ["_contract_address", bech32],
      ["code_id", req.codeId.toString()],
    ]);
    const data = this.handleResponse(ctx, contract, res, depth);
    return { address: bech32, data };
  }

  execute(ctx: Context, contractAddr: string, sender: string, msg: Uint8Array, funds: readonly Coin[], depth = 0): Uint8Array | undefined {
    const contract = this.loadContract(ctx.store, contractAddr);
    if (funds.length > 0) this.bank.sendCoins(ctx, parseAddress(sender), contract.address, funds);
    const prepared = this.loadPrepared(ctx.rawStore, contract.info.codeId);
    const res = this.callEntry(ctx, contract, prepared, "execute", [this.envJson(ctx, contract.bech32), this.infoJson(sender, funds), msg], ErrExecuteFailed);
    ctx.events.emit("execute", [["_contract_address", contract.bech32]]);
    return this.handleResponse(ctx, contract, res, depth);
  }

  migrate(ctx: Context, contractAddr: string, sender: string, newCodeId: bigint, msg: Uint8Array, depth = 0): Uint8Array | undefined {
    const contract = this.loadContract(ctx.store, contractAddr);
    if (contract.info.admin !== sender) throw ErrUnauthorized.wrap("can not migrate");
    const oldPrepared = this.loadPrepared(ctx.rawStore, contract.info.codeId);
    const prepared = this.loadPrepared(ctx.rawStore, newCodeId);
    if (!prepared.analysis.entryPoints.includes("migrate")) throw ErrMigrationFailed.wrap("requires migrate export");
    const args = [this.envJson(ctx, contract.bech32), msg];
    if (prepared.analysis.migrateArity === 3) {
      const old = oldPrepared.analysis.migrateVersion;
      args.push(Buffer.from(`{"sender":${J.str(sender)},"old_migrate_version":${old === undefined ? "null" : old.toString()}}`, "utf8"));
    }
    const res = this.callEntry(ctx, contract, prepared, "migrate", args, ErrMigrationFailed);

    const seq = readU64(ctx.store.get(Keys.contractSeq(contract.address)));
    ctx.store.delete(Keys.byCode(contract.info.codeId, seq, contract.address));
    ctx.store.set(Keys.byCode(newCodeId, seq, contract.address), Buffer.from([1]));
    this.appendHistory(ctx.store, contract.address, ContractCodeHistoryOperationType.CONTRACT_CODE_HISTORY_OPERATION_TYPE_MIGRATE, newCodeId, msg);
    contract.info = { ...contract.info, codeId: newCodeId };
    ctx.store.set(Keys.contractInfo(contract.address), ContractInfo.encode(contract.info).finish());
    ctx.events.emit("migrate", [
      ["code_id", newCodeId.toString()],
      ["_contract_address", contract.bech32],
    ]);
    return this.handleResponse(ctx, contract, res, depth);
  }

  /** Sets (newAdmin) or clears ("") the admin; only the current admin may. */
  setAdmin(ctx: Context, contractAddr: string, sender: string, newAdmin: string): void {
    const contract = this.loadContract(ctx.store, contractAddr);
    if (contract.info.admin !== sender || sender === "") throw ErrUnauthorized.wrap("can not modify contract");
    ctx.store.set(Keys.contractInfo(contract.address), ContractInfo.encode({ ...contract.info, admin: newAdmin }).finish());
    ctx.events.emit("update_contract_admin", [
      ["_contract_address", contract.bech32],
      ["new_admin_address", newAdmin],
    ]);
  }

  /**
   * Native hook for other modules: calls the contract's `sudo` entry point (privileged, no sender),
   * optionally sending `funds` from `from` first. Metered on ctx's gas meter; atomic with ctx.
   */
  sudo(ctx: Context, contractAddr: string, msg: Uint8Array, funds: { from: Uint8Array; coins: readonly Coin[] } | undefined = undefined): Uint8Array | undefined {
    const contract = this.loadContract(ctx.store, contractAddr);
    if (funds && funds.coins.length > 0) this.bank.sendCoins(ctx, funds.from, contract.address, funds.coins);
    const prepared = this.loadPrepared(ctx.rawStore, contract.info.codeId);
    const res = this.callEntry(ctx, contract, prepared, "sudo", [this.envJson(ctx, contract.bech32), msg], ErrExecuteFailed);
    ctx.events.emit("sudo", [["_contract_address", contract.bech32]]);
    return this.handleResponse(ctx, contract, res, 0);
  }

  /**
   * Smart query (ABCI and native modules): read-only, at most `gasLimit` SDK gas, charged to
   * `gasMeter`. Returns the contract's answer bytes (JSON).
   */
  querySmart(ctx: Context, contractAddr: string, msg: Uint8Array, gasLimit: bigint = WASM_LIMITS.queryGasLimit): Uint8Array {
    const meter = new GasMeter(gasLimit);
    const qctx: Context = { ...ctx, gasMeter: meter, store: new GasStore(ctx.rawStore, meter), events: new EventManager() };
    try {
      const contract = this.loadContract(qctx.store, contractAddr);
      const prepared = this.loadPrepared(qctx.rawStore, contract.info.codeId);
      const res = this.callEntry(qctx, contract, prepared, "query", [this.envJson(qctx, contract.bech32), msg], ErrQueryFailed, true);
      return J.binary(res, "query result");
    } finally {
      if (ctx.gasMeter !== meter) ctx.gasMeter.consume(meter.consumed() > gasLimit ? gasLimit : meter.consumed(), "wasm smart query");
    }
  }

  private appendHistory(s: KVStore, address: Uint8Array, operation: ContractCodeHistoryOperationType, codeId: bigint, msg: Uint8Array): void {
    // Entries are numbered 1, 2, …: the next number follows the last one (one reverse read, not a count).
    const prefix = Keys.historyPrefix(address);
    let n = 0n;
    for (const [k] of s.iterateReverse(prefix, prefixEnd(prefix))) {
      n = Buffer.from(k).readBigUInt64BE(prefix.length);
      break;
    }
    s.set(Keys.history(address, n + 1n), ContractCodeHistoryEntry.encode({ operation, codeId, updated: undefined, msg }).finish());
  }

  // ---- calling the VM -----------------------------------------------------------------------

  private envJson(ctx: Context, contract: string): Uint8Array {
    const tx = ctx.txIndex === undefined ? "null" : `{"index":${ctx.txIndex}}`;
    return Buffer.from(
      `{"block":{"height":${ctx.height},"time":"${ctx.timeNanos}","chain_id":${J.str(ctx.chainId)}},"transaction":${tx},"contract":{"address":${J.str(contract)}}}`,
      "utf8",
    );
  }

  private infoJson(sender: string, funds: readonly Coin[]): Uint8Array {
    return Buffer.from(`{"sender":${J.str(sender)},"funds":${J.coinsJson(funds)}}`, "utf8");
  }

  /**
   * One entry-point call, metered on ctx.gasMeter: the VM gets what is left of the tx's gas (in
   * CosmWasm points) and is charged what it used. Returns the `ok` value of the ContractResult.
   */
  private callEntry(ctx: Context, contract: Contract, prepared: Prepared, entry: EntryPoint, args: Uint8Array[], failure: RegisteredError, readonly = false): J.Json {
    ctx.gasMeter.consume(GAS.instance, `Loading CosmWasm module: ${entry}`);
    const limit = ctx.gasMeter.limit;
    const available = limit === undefined ? WASM_LIMITS.queryGasLimit : limit - ctx.gasMeter.consumed();
    const gas: VmGas = { left: available * GAS_MULTIPLIER };
    let out: Uint8Array;
    try {
      out = this.runVm(ctx, contract, prepared, entry, args, gas, CALL_STACK_BUDGET, readonly, 0);
    } finally {
      const used = (available * GAS_MULTIPLIER - gas.left) / GAS_MULTIPLIER;
      ctx.gasMeter.consume(used, `wasm contract ${entry}`);
    }
    const result = this.parseResult(ctx.gasMeter, out);
    if ("error" in result) throw failure.wrap(result.error);
    return result.ok;
  }

  private parseResult(meter: GasMeter, out: Uint8Array): { ok: J.Json } | { error: string } {
    meter.consume(BigInt(out.length) * GAS.jsonPerByte, "contract result JSON");
    // Like wasmvm, a result that does not deserialise is a VM error, not a contract error.
    try {
      return J.contractResult(J.parseJson(out));
    } catch (e) {
      throw ErrVmError.wrap(`Error parsing into type ContractResult: ${e instanceof ChainError ? e.context : (e as Error).message}`);
    }
  }

  /**
   * Runs the VM with a shared gas counter; maps VM failures to chain errors. Out of gas becomes the
   * SDK's out-of-gas error (code 11) with the counter emptied; anything non-deterministic halts.
   */
  private runVm(ctx: Context, contract: Contract, prepared: Prepared, entry: EntryPoint, args: Uint8Array[], gas: VmGas, depthLeft: number, readonly: boolean, queryDepth: number): Uint8Array {
    const host: HostEnv = {
      store: new ContractStore(ctx.rawStore, contract.address),
      readonly,
      api: addressApi,
      querier: this.querier(ctx, queryDepth),
      gas,
      depthLeft,
      debug: this.debug && ((message: string) => this.debug!(contract.bech32, message)),
    };
    try {
      return this.vm.call(prepared.checksum, prepared.code, entry, args, host);
    } catch (e) {
      if (e instanceof VmError) {
        if (e.kind === "out_of_gas") {
          gas.left = 0n;
          throw ErrOutOfGas.wrap(`out of gas in location: wasm contract ${entry}; gasWanted: ${ctx.gasMeter.limit ?? "unlimited"}`);
        }
        throw ErrVmError.wrap(e.message);
      }
      if (e instanceof ChainError) throw e;
      throw new ConsensusFault(`contract ${contract.bech32} ${entry}: ${(e as Error).message ?? String(e)}`);
    }
  }

  // ---- contract queries (query_chain) -------------------------------------------------------

  private querier(ctx: Context, queryDepth: number): Querier {
    return (request, gas, depthLeft) => {
      const system = (inner: string) => Buffer.from(inner, "utf8");
      let req: J.Json;
      try {
        req = J.parseJson(request);
      } catch {
        return system(`{"error":{"invalid_request":{"error":"request is not valid JSON","request":${J.str(J.b64(request))}}}}`);
      }
      // Storage reads by the querier are charged at SDK KV prices, from the caller's points.
      const meter = new GasMeter(gas.left / GAS_MULTIPLIER);
      const store = new GasStore(ctx.rawStore, meter);
      let charged = 0n;
      const charge = () => {
        gas.left -= (meter.consumed() - charged) * GAS_MULTIPLIER;
        charged = meter.consumed();
        if (gas.left < 0n) gas.left = 0n;
      };
      try {
        const answer = this.answerQuery({ ...ctx, store, gasMeter: meter }, req, gas, depthLeft, queryDepth, charge);
        charge();
        return system(answer);
      } catch (e) {
        charge();
        if (ErrOutOfGas.is(e)) {
          gas.left = 0n;
          throw new VmError("out_of_gas", "out of gas");
        }
        if (e instanceof VmError) throw e;
        if (e instanceof ChainError) return system(`{"ok":{"error":${J.str(e.message)}}}`);
        throw e;
      }
    };
  }

  /** One QueryRequest → SystemResult JSON text. */
  private answerQuery(ctx: Context, req: J.Json, gas: VmGas, depthLeft: number, queryDepth: number, charge: () => void): string {
    const ok = (bytes: string | Uint8Array) => `{"ok":{"ok":${J.str(J.b64(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes))}}}`;
    const unsupported = (kind: string) => `{"error":{"unsupported_request":{"kind":${J.str(kind)}}}}`;
    const [module, body] = J.variant(req, "request");
    const [kind, q] = J.variant(body, `request.${module}`);
    const o = J.obj(q, `request.${module}.${kind}`);
    if (module === "bank") {
      if (kind === "balance") {
        const denom = J.text(o.denom, "denom");
        const amount = this.bank.getBalance(ctx.store, parseAddress(J.text(o.address, "address")), denom);
        return ok(`{"amount":{"denom":${J.str(denom)},"amount":"${amount}"}}`);
      }
      if (kind === "all_balances") {
        const balances = this.bank.getAllBalances(ctx.store, parseAddress(J.text(o.address, "address")));
        return ok(`{"amount":${J.coinsJson(balances)}}`);
      }
      if (kind === "supply") {
        const denom = J.text(o.denom, "denom");
        return ok(`{"amount":{"denom":${J.str(denom)},"amount":"${this.bank.getSupply(ctx.store, denom)}"}}`);
      }
      return unsupported(`bank.${kind}`);
    }
    if (module === "wasm") {
      if (kind === "code_info") {
        const codeId = J.u64(o.code_id, "code_id");
        const info = this.getCodeInfo(ctx.store, codeId);
        if (!info) return `{"error":{"no_such_code":{"code_id":${codeId}}}}`;
        return ok(`{"code_id":${codeId},"creator":${J.str(info.creator)},"checksum":"${Buffer.from(info.codeHash).toString("hex")}"}`);
      }
      const addr = J.text(o.contract_addr, "contract_addr");
      let contract: Contract;
      try {
        contract = this.loadContract(ctx.store, addr);
      } catch {
        return `{"error":{"no_such_contract":{"addr":${J.str(addr)}}}}`;
      }
      if (kind === "raw") {
        return ok(this.queryRaw(ctx.store, contract.address, J.binary(o.key, "key")) ?? new Uint8Array());
      }
      if (kind === "contract_info") {
        const admin = contract.info.admin === "" ? "null" : J.str(contract.info.admin);
        return ok(`{"code_id":${contract.info.codeId},"creator":${J.str(contract.info.creator)},"admin":${admin},"pinned":false,"ibc_port":null}`);
      }
      if (kind === "smart") {
        if (queryDepth + 1 >= WASM_LIMITS.maxQueryDepth) return `{"ok":{"error":"max query stack size exceeded"}}`;
        const prepared = this.loadPrepared(ctx.rawStore, contract.info.codeId);
        charge(); // settle the reads so far before the nested VM takes the shared counter
        if (gas.left < GAS.instance * GAS_MULTIPLIER) {
          gas.left = 0n;
          throw new VmError("out_of_gas", "out of gas");
        }
        gas.left -= GAS.instance * GAS_MULTIPLIER;
        const env = this.envJson(ctx, contract.bech32);
        const out = this.runVm(ctx, contract, prepared, "query", [env, J.binary(o.msg, "msg")], gas, depthLeft, true, queryDepth + 1);
        let result: { ok: J.Json } | { error: string };
        try {
          result = J.contractResult(J.parseJson(out));
        } catch {
          return `{"ok":{"error":"invalid query result"}}`;
        }
        if ("error" in result) return `{"ok":{"error":${J.str(result.error)}}}`;
        return `{"ok":{"ok":${J.str(J.text(result.ok, "query result"))}}}`;
      }
      return unsupported(`wasm.${kind}`);
    }
    return unsupported(module);
  }

  // ---- applying a contract's response -------------------------------------------------------

  /** Emits the response's events, runs its sub-messages and returns the (possibly replaced) data. */
  private handleResponse(ctx: Context, contract: Contract, result: J.Json, depth: number): Uint8Array | undefined {
    let res: J.ContractResponse;
    try {
      res = J.contractResponse(result);
    } catch (e) {
      throw ErrVmError.wrap(`Error parsing into type Response: ${e instanceof ChainError ? e.context : (e as Error).message}`);
    }
    this.emitContractEvents(ctx, contract.bech32, res);
    let data = res.data;
    for (const sub of res.messages) {
      const replyData = this.runSubMessage(ctx, contract, sub, depth);
      if (replyData !== undefined) data = replyData;
    }
    return data;
  }

  private emitContractEvents(ctx: Context, contract: string, res: J.ContractResponse): void {
    const attrs = (list: J.Attribute[]): [string, string][] =>
      list.map(({ key, value }) => {
        const k = key.trim();
        if (k.length === 0) throw ErrInvalidEvent.wrap(`Empty attribute key. Value: ${value}`);
        if (k.startsWith("_")) throw ErrInvalidEvent.wrap(`Attribute key starts with reserved prefix _: '${k}'`);
        return [k, value.trim()];
      });
    let bytes = 0n;
    let count = 0n;
    const tally = (list: [string, string][]) => {
      for (const [k, v] of list) bytes += BigInt(Buffer.byteLength(k) + Buffer.byteLength(v));
      count += BigInt(list.length);
    };
    if (res.attributes.length > 0) {
      const list = attrs(res.attributes);
      tally(list);
      ctx.events.emit("wasm", [["_contract_address", contract], ...list]);
    }
    for (const e of res.events) {
      const type = e.type.trim();
      if (type.length <= 2) throw ErrInvalidEvent.wrap(`Event type too short: '${type}'`);
      const list = attrs(e.attributes);
      tally(list);
      bytes += BigInt(Buffer.byteLength(type));
      ctx.gasMeter.consume(GAS.customEvent, "custom contract event");
      ctx.events.emit(`wasm-${type}`, [["_contract_address", contract], ...list]);
    }
    const overFree = bytes > GAS.eventAttributeFreeBytes ? bytes - GAS.eventAttributeFreeBytes : 0n;
    ctx.gasMeter.consume(count * GAS.eventPerAttribute + overFree, "contract event attributes");
  }

  /**
   * One SubMsg (wasmd DispatchSubmessages): runs on its own branch, committed only on success;
   * `reply_on` decides whether the contract hears back, and an unhandled error fails the caller.
   */
  private runSubMessage(ctx: Context, contract: Contract, sub: J.SubMsg, depth: number): Uint8Array | undefined {
    if (depth + 1 > WASM_LIMITS.maxDispatchDepth) throw ErrExecuteFailed.wrap("max call depth exceeded");
    const branch = new BranchStore(ctx.rawStore);
    const meter = sub.gasLimit === undefined ? ctx.gasMeter : new GasMeter(sub.gasLimit);
    const events = new EventManager();
    const subCtx: Context = { ...ctx, store: new GasStore(branch, meter), rawStore: branch, gasMeter: meter, events };
    let outcome: { ok: { data: Uint8Array | undefined; responses: Any[] } } | { err: ChainError };
    try {
      outcome = { ok: this.dispatch(subCtx, contract, sub.msg, depth + 1) };
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
      // Without its own limit a sub-message shares the tx's meter: running out of it ends the tx.
      if (sub.gasLimit === undefined && ErrOutOfGas.is(e)) throw e;
      outcome = { err: e };
    } finally {
      if (meter !== ctx.gasMeter) ctx.gasMeter.consume(meter.consumed() > sub.gasLimit! ? sub.gasLimit! : meter.consumed(), "submessage");
    }
    if ("ok" in outcome) {
      branch.writeTo(ctx.rawStore);
      ctx.events.absorb(events);
    }
    const replies = sub.replyOn === "always" || ("ok" in outcome ? sub.replyOn === "success" : sub.replyOn === "error");
    if ("err" in outcome && !replies) throw outcome.err;
    if (!replies) return undefined;

    const gasUsed = meter === ctx.gasMeter ? 0n : meter.consumed();
    let result: string;
    if ("ok" in outcome) {
      const evs = events.events
        .filter((e) => e.type !== "message")
        .map((e) => `{"type":${J.str(e.type)},"attributes":[${e.attributes.map((a) => `{"key":${J.str(a.key)},"value":${J.str(a.value)}}`).join(",")}]}`);
      const responses = outcome.ok.responses.map((r) => `{"type_url":${J.str(r.typeUrl)},"value":${J.str(J.b64(r.value))}}`);
      const data = outcome.ok.data === undefined ? "null" : J.str(J.b64(outcome.ok.data));
      result = `{"ok":{"events":[${evs.join(",")}],"data":${data},"msg_responses":[${responses.join(",")}]}}`;
    } else {
      result = `{"error":${J.str(redactedError(outcome.err))}}`;
    }
    const reply = Buffer.from(`{"id":${sub.id},"payload":${J.str(J.b64(sub.payload))},"gas_used":${gasUsed},"result":${result}}`, "utf8");
    const prepared = this.loadPrepared(ctx.rawStore, contract.info.codeId);
    const res = this.callEntry(ctx, contract, prepared, "reply", [this.envJson(ctx, contract.bech32), reply], ErrExecuteFailed);
    ctx.events.emit("reply", [["_contract_address", contract.bech32]]);
    return this.handleResponse(ctx, contract, res, depth);
  }

  /** A CosmosMsg sent by a contract, executed with the contract as sender. */
  private dispatch(ctx: Context, contract: Contract, msg: J.Json, depth: number): { data: Uint8Array | undefined; responses: Any[] } {
    const [module, body] = J.variant(msg, "msg");
    const [kind, v] = J.variant(body, `msg.${module}`);
    const o = J.obj(v, `msg.${module}.${kind}`);
    const sender = contract.bech32;
    const coinsOf = (x: J.Json | undefined, path: string) => {
      const list = J.coins(x ?? [], path);
      return coinsFromProto(list.map((c) => ({ denom: c.denom, amount: c.amount.toString() })));
    };
    const any = (typeUrl: string, value: Uint8Array) => [Any.fromPartial({ typeUrl, value })];
    if (module === "bank" && kind === "send") {
      const to = parseAddress(J.text(o.to_address, "to_address"));
      const amount = coinsOf(o.amount, "amount");
      if (amount.length === 0) throw ErrInvalidMsg.wrap("bank send: empty amount");
      this.bank.checkSendEnabled(ctx.store, amount);
      this.bank.checkNotBlocked(to);
      this.bank.sendCoins(ctx, contract.address, to, amount);
      return { data: undefined, responses: any(MsgSendResponse.typeUrl, MsgSendResponse.encode({}).finish()) };
    }
    if (module === "bank" && kind === "burn") {
      const amount = coinsOf(o.amount, "amount");
      if (amount.length === 0) throw ErrInvalidMsg.wrap("bank burn: empty amount");
      this.bank.burnCoins(ctx, contract.address, amount);
      return { data: undefined, responses: [] };
    }
    if (module === "wasm") {
      const msgBytes = () => {
        const m = J.binary(o.msg, "msg");
        if (!J.isValidJson(m)) throw ErrInvalidMsg.wrap("msg is not valid JSON");
        return m;
      };
      switch (kind) {
        case "execute": {
          const data = this.execute(ctx, J.text(o.contract_addr, "contract_addr"), sender, msgBytes(), coinsOf(o.funds, "funds"), depth);
          return { data, responses: any(MsgExecuteContractResponse.typeUrl, MsgExecuteContractResponse.encode({ data: data ?? new Uint8Array() }).finish()) };
        }
        case "instantiate":
        case "instantiate2": {
          const label = J.text(o.label, "label");
          validateLabel(label);
          const salt = kind === "instantiate2" ? J.binary(o.salt, "salt") : undefined;
          if (salt !== undefined) validateSalt(salt);
          const r = this.instantiate(
            ctx,
            { creator: sender, admin: J.optional(o.admin, J.text, "admin") ?? "", codeId: J.u64(o.code_id, "code_id"), label, msg: msgBytes(), funds: coinsOf(o.funds, "funds"), salt },
            depth,
          );
          const enc =
            kind === "instantiate"
              ? MsgInstantiateContractResponse.encode({ address: r.address, data: r.data ?? new Uint8Array() }).finish()
              : MsgInstantiateContract2Response.encode({ address: r.address, data: r.data ?? new Uint8Array() }).finish();
          return { data: r.data, responses: any(kind === "instantiate" ? MsgInstantiateContractResponse.typeUrl : MsgInstantiateContract2Response.typeUrl, enc) };
        }
        case "migrate": {
          const data = this.migrate(ctx, J.text(o.contract_addr, "contract_addr"), sender, J.u64(o.new_code_id, "new_code_id"), msgBytes(), depth);
          return { data, responses: any(MsgMigrateContractResponse.typeUrl, MsgMigrateContractResponse.encode({ data: data ?? new Uint8Array() }).finish()) };
        }
        case "update_admin":
          this.setAdmin(ctx, J.text(o.contract_addr, "contract_addr"), sender, J.text(o.admin, "admin"));
          return { data: undefined, responses: any(MsgUpdateAdminResponse.typeUrl, MsgUpdateAdminResponse.encode({}).finish()) };
        case "clear_admin":
          this.setAdmin(ctx, J.text(o.contract_addr, "contract_addr"), sender, "");
          return { data: undefined, responses: any(MsgClearAdminResponse.typeUrl, MsgClearAdminResponse.encode({}).finish()) };
      }
    }
    throw ErrUnknownMsg.wrap(`${module}.${kind} is not supported on this chain`);
  }
}

export function validateLabel(label: string): void {
  if (label.trim().length === 0) throw ErrInvalidMsg.wrap("label is required");
  if (label.length > WASM_LIMITS.maxLabelSize) throw ErrInvalidMsg.wrap(`label must not exceed ${WASM_LIMITS.maxLabelSize} characters`);
}

export function validateSalt(salt: Uint8Array): void {
  if (salt.length === 0 || salt.length > WASM_LIMITS.maxSaltSize) throw ErrInvalidMsg.wrap(`salt must be 1 to ${WASM_LIMITS.maxSaltSize} bytes`);
}
