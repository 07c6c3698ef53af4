// Contracts through an in-process TestNode: the messages (store, instantiate, execute, migrate), the
// decoding of their responses, smart queries, usoa balances, a context for native calls (sudo, querySmart)
// and a signer that tracks sequences and the fees each account paid. Shared by the contract tests
// (contracts-as/*.test.ts, chain/test/integration/wasm_contracts.test.ts) and the bench
// (bench/lib/contracts.ts), so it throws rather than using vitest's expect.
import { existsSync, readFileSync } from "node:fs";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";
import {
  MsgExecuteContract,
  MsgInstantiateContract,
  MsgInstantiateContractResponse,
  MsgMigrateContract,
  MsgStoreCode,
  MsgStoreCodeResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ExecTxResult, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { type Context, EventManager } from "../../src/app/context.js";
import { GasMeter } from "../../src/gas/meter.js";
import { BranchStore } from "../../src/store/branch.js";
import type { TestKey } from "../../src/tx/build.js";
import { parseAddress } from "../../src/types/address.js";
import type { TestNode } from "./testNode.js";

export type Coin = { denom: string; amount: string };

/** The fee every tx of these tests pays (usoa). */
export const TX_FEE = 10_000n;
export const SECOND = 1_000_000_000n;

export const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v), "utf8");
export const usoa = (n: bigint): Coin[] => [{ denom: "usoa", amount: n.toString() }];
export const anyMsg = <T>(t: { typeUrl: string; encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({ typeUrl: t.typeUrl, value: t.encode(m).finish() });

const BUILD = new URL("../../../contracts-as/build/", import.meta.url);

/** contracts-as/build/<name>.wasm (`make contracts`). */
export function contractWasm(name: string): Buffer {
  const file = new URL(`${name}.wasm`, BUILD);
  if (!existsSync(file)) throw new Error(`contracts-as/build/${name}.wasm is missing: run make contracts`);
  return readFileSync(file);
}

/**
 * A model-nft Manifest (a mint's extension), in the contract's field order; what a test does not set is
 * a fixed placeholder (weights "ab…", uri ipfs://<name>, no parents, TOPLOC 0.01).
 */
export function modelManifest(
  name: string,
  o: { royaltyBps: number; parents?: string[]; weightsSha256?: string; uri?: string; verification?: { scheme: string; tolerance: string } },
) {
  return {
    name,
    version: "1.0.0",
    task: "text-generation",
    format: "safetensors",
    weights_sha256: o.weightsSha256 ?? "ab".repeat(32),
    engine: "vllm",
    dtype: "bf16",
    uri: o.uri ?? `ipfs://${name}`,
    parents: o.parents ?? [],
    verification: o.verification ?? { scheme: "TOPLOC", tolerance: "0.01" },
    royalty_bps: o.royaltyBps,
  };
}

// ---- messages and their responses

export const storeCodeMsg = (sender: string, wasmByteCode: Uint8Array): Any => anyMsg(MsgStoreCode, { sender, wasmByteCode, instantiatePermission: undefined });

export interface InstantiateOptions {
  admin?: string;
  label?: string;
  funds?: Coin[];
}
export const instantiateMsg = (sender: string, codeId: bigint, msg: unknown, o: InstantiateOptions = {}): Any =>
  anyMsg(MsgInstantiateContract, { sender, admin: o.admin ?? "", codeId, label: o.label ?? "test", msg: json(msg), funds: o.funds ?? [] });

export const executeMsg = (sender: string, contract: string, msg: unknown, funds: Coin[] = []): Any => anyMsg(MsgExecuteContract, { sender, contract, msg: json(msg), funds });

export const migrateMsg = (sender: string, contract: string, codeId: bigint, msg: unknown): Any => anyMsg(MsgMigrateContract, { sender, contract, codeId, msg: json(msg) });

/** The first message response of a tx, decoded. */
const firstResponse = (r: ExecTxResult): Uint8Array => TxMsgData.decode(r.data).msgResponses[0]!.value;
/** The code id a successful MsgStoreCode tx assigned. */
export const codeIdOf = (r: ExecTxResult): bigint => MsgStoreCodeResponse.decode(firstResponse(r)).codeId;
/** The address of the contract a successful MsgInstantiateContract tx created. */
export const contractAddressOf = (r: ExecTxResult): string => MsgInstantiateContractResponse.decode(firstResponse(r)).address;

// ---- state

/** The raw ABCI answer to a smart query. */
export const smartQueryRaw = (node: TestNode, contract: string, msg: unknown): ResponseQuery =>
  node.query("/cosmwasm.wasm.v1.Query/SmartContractState", QuerySmartContractStateRequest.encode({ address: contract, queryData: json(msg) }).finish());

/** The contract's JSON answer in a successful smart query's ABCI value. */
export const smartAnswer = (value: Uint8Array): any => JSON.parse(Buffer.from(QuerySmartContractStateResponse.decode(value).data).toString()); // eslint-disable-line @typescript-eslint/no-explicit-any

/** A smart query: its code and log, and the contract's JSON answer when it succeeded. */
export function smartQuery(node: TestNode, contract: string, msg: unknown): { code: number; log: string; value: any } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = smartQueryRaw(node, contract, msg);
  return { code: r.code, log: r.log, value: r.code === 0 ? smartAnswer(r.value) : undefined };
}

/** The committed usoa balance of an address. */
export const usoaBalance = (node: TestNode, addr: string): bigint => node.app.bank.getBalance(node.app.committed, parseAddress(addr), "usoa");

/**
 * A deliver-mode context on a branch of the committed state, as a module would run the wasm keeper
 * natively (sudo, querySmart) in the next block; the branch is never written back.
 */
export function nativeContext(node: TestNode, gasLimit: bigint, timeSeconds = node.timeSeconds + 1n): Context & { store: BranchStore; events: EventManager } {
  const store = new BranchStore(node.app.committed);
  return {
    store,
    rawStore: store,
    gasMeter: new GasMeter(gasLimit),
    events: new EventManager(),
    chainId: node.chainId,
    height: node.height + 1n,
    timeSeconds,
    timeNanos: timeSeconds * SECOND,
    mode: "deliver",
  };
}

// ---- signing

export interface SignerOptions {
  /** The gas limit of a tx when the call gives none. */
  gasLimit?: bigint;
  /** Delivers one signed tx and returns its result (default: a block of its own on `node`). */
  deliver?: (tx: Uint8Array) => ExecTxResult;
}

/**
 * Signs txs from `keys` (account numbers = their index: fundedGenesis order) with sequences tracked
 * here, each paying TX_FEE usoa, and delivers them one tx per block.
 */
export class Signer {
  private readonly seqs = new Map<string, bigint>();
  /** The fees each address paid since the start (or since the caller last cleared the map). */
  readonly feesPaid = new Map<string, bigint>();
  private readonly gasLimit: bigint;
  private readonly deliver: (tx: Uint8Array) => ExecTxResult;

  constructor(
    readonly node: TestNode,
    readonly keys: TestKey[],
    o: SignerOptions = {},
  ) {
    this.gasLimit = o.gasLimit ?? 3_000_000n;
    this.deliver = o.deliver ?? ((tx) => node.deliverBlock([tx]).results[0]!);
  }

  sign(key: TestKey, messages: Any[], gasLimit = this.gasLimit): Uint8Array {
    const seq = this.seqs.get(key.address) ?? 0n;
    const bytes = this.node.signTx({ key, accountNumber: BigInt(this.keys.indexOf(key)), sequence: seq, messages, gasLimit, fee: usoa(TX_FEE) });
    this.seqs.set(key.address, seq + 1n);
    this.feesPaid.set(key.address, (this.feesPaid.get(key.address) ?? 0n) + TX_FEE);
    return bytes;
  }

  tx(key: TestKey, messages: Any[], gasLimit?: bigint): ExecTxResult {
    return this.deliver(this.sign(key, messages, gasLimit));
  }

  exec(key: TestKey, contract: string, msg: unknown, funds: Coin[] = [], gasLimit?: bigint): ExecTxResult {
    return this.tx(key, [executeMsg(key.address, contract, msg, funds)], gasLimit);
  }

  store(key: TestKey, wasm: Uint8Array, gasLimit: bigint): ExecTxResult {
    return this.tx(key, [storeCodeMsg(key.address, wasm)], gasLimit);
  }

  instantiate(key: TestKey, codeId: bigint, msg: unknown, o: InstantiateOptions = {}): ExecTxResult {
    return this.tx(key, [instantiateMsg(key.address, codeId, msg, o)]);
  }
}
