// Key layout of the wasm module (prefixes 0x20–0x2a, see store/prefixes.ts) and the view a
// contract gets of its own storage.
import { key, lengthPrefixed, Prefix } from "../../store/prefixes.js";
import { type Key, type KVStore, prefixEnd, type Value } from "../../store/types.js";

export function be64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

export const Keys = {
  sequence: (name: "lastCodeId" | "lastContractId") => key(Prefix.WasmSequence, Buffer.from(name, "utf8")),
  codeInfo: (codeId: bigint) => key(Prefix.WasmCodeInfo, be64(codeId)),
  codeInfoStart: key(Prefix.WasmCodeInfo),
  code: (checksum: Uint8Array) => key(Prefix.WasmCode, checksum),
  prepared: (checksum: Uint8Array) => key(Prefix.WasmPreparedCode, checksum),
  contractInfo: (addr: Uint8Array) => key(Prefix.WasmContractInfo, addr),
  contractStorePrefix: (addr: Uint8Array) => key(Prefix.WasmContractStore, lengthPrefixed(addr)),
  history: (addr: Uint8Array, n: bigint) => key(Prefix.WasmContractHistory, lengthPrefixed(addr), be64(n)),
  historyPrefix: (addr: Uint8Array) => key(Prefix.WasmContractHistory, lengthPrefixed(addr)),
  byCode: (codeId: bigint, seq: bigint, addr: Uint8Array) => key(Prefix.WasmContractsByCode, be64(codeId), be64(seq), addr),
  byCodePrefix: (codeId: bigint) => key(Prefix.WasmContractsByCode, be64(codeId)),
  byCreator: (creator: Uint8Array, seq: bigint, addr: Uint8Array) => key(Prefix.WasmContractsByCreator, lengthPrefixed(creator), be64(seq), addr),
  byCreatorPrefix: (creator: Uint8Array) => key(Prefix.WasmContractsByCreator, lengthPrefixed(creator)),
  params: key(Prefix.WasmParams),
  contractSeq: (addr: Uint8Array) => key(Prefix.WasmContractSeq, addr),
};

/** All keys under `prefix`, with the prefix removed, in ascending order. */
export function* iteratePrefix(s: { iterate: KVStore["iterate"] }, prefix: Uint8Array): Iterable<[Buffer, Value]> {
  for (const [k, v] of s.iterate(prefix, prefixEnd(prefix))) yield [Buffer.from(k).subarray(prefix.length), v];
}

/** A contract's own keyspace: keys are what the contract sees; the prefix is added here. */
export class ContractStore implements KVStore {
  private readonly prefix: Buffer;
  private readonly end: Uint8Array | undefined;

  constructor(
    private readonly parent: KVStore,
    contract: Uint8Array,
  ) {
    this.prefix = Keys.contractStorePrefix(contract);
    this.end = prefixEnd(this.prefix);
  }

  private full(k: Key): Buffer {
    return Buffer.concat([this.prefix, k]);
  }

  get(k: Key): Value | undefined {
    return this.parent.get(this.full(k));
  }

  set(k: Key, v: Value): void {
    this.parent.set(this.full(k), v);
  }

  delete(k: Key): void {
    this.parent.delete(this.full(k));
  }

  iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    return this.unprefixed(this.parent.iterate(this.full(start), end === undefined ? this.end : this.full(end)));
  }

  iterateReverse(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    return this.unprefixed(this.parent.iterateReverse(this.full(start), end === undefined ? this.end : this.full(end)));
  }

  private *unprefixed(entries: Iterable<[Key, Value]>): Iterable<[Key, Value]> {
    const n = this.prefix.length;
    for (const [k, v] of entries) yield [Buffer.from(k).subarray(n), v];
  }
}
