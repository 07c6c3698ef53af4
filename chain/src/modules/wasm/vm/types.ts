// Types shared by the VM (runtime.ts, instrument.ts) and the wasm keeper. Keep this file free of logic.
import type { KVStore } from "../../../store/types.js";

/** 140 000 CosmWasm gas = 1 SDK gas (wasmd DefaultGasMultiplier since CosmWasm 2.0). */
export const GAS_MULTIPLIER = 140_000n;

/** Entry points a contract may export (IBC ones are not supported on this chain). */
export type EntryPoint = "instantiate" | "execute" | "query" | "migrate" | "reply" | "sudo";

/** What upload analysis learns about a module; persisted with the code. */
export interface CodeAnalysis {
  /** Capabilities named by `requires_<cap>` exports, sorted. */
  capabilities: string[];
  /** Entry points the module exports, sorted. */
  entryPoints: EntryPoint[];
  /** Arity of the exported `migrate` (2 or 3), 0 if none. */
  migrateArity: number;
  /** The `cw_migrate_version` custom section, if present. */
  migrateVersion: bigint | undefined;
}

export interface PreparedCode {
  /** The rewritten module that is stored and run. */
  instrumented: Uint8Array;
  analysis: CodeAnalysis;
}

/** Address conversion as the chain does it (bech32 with the chain prefix). */
export interface AddressApi {
  /** Returns an error message, or undefined if `human` is a valid, normalised address. */
  validate(human: string): string | undefined;
  /** Canonical bytes, or an error message. */
  canonicalize(human: string): Uint8Array | string;
  /** Bech32 string, or an error message (wrapped: both are strings). */
  humanize(canonical: Uint8Array): string | { error: string };
}

/** Answers a contract's `query_chain` request (JSON QueryRequest) with a JSON SystemResult. */
export type Querier = (request: Uint8Array, gas: VmGas, depthLeft: number) => Uint8Array;

/** Gas counter shared by nested calls: everything in CosmWasm gas points. */
export interface VmGas {
  /** Points left; never negative. */
  left: bigint;
}

/** Everything one call needs from the chain. */
export interface HostEnv {
  /** The contract's own storage (keys already prefixed by the keeper); no gas is charged by it. */
  store: KVStore;
  /** Queries may not write: db_write/db_remove fail with "write access denied". */
  readonly: boolean;
  api: AddressApi;
  querier: Querier;
  gas: VmGas;
  /** Call-depth budget for this instance (see README). */
  depthLeft: number;
  /** Receives `debug` messages; never reaches state or events. */
  debug?: (message: string) => void;
}

/** Why a call failed inside the VM (not a contract `{"error"}` result, which is a normal return). */
export type VmErrorKind =
  | "out_of_gas"
  | "call_depth"
  | "aborted" // env.abort
  | "trap" // any other wasm trap (unreachable, memory out of bounds, ...)
  | "host" // a host function rejected its input (region out of bounds, key too long, write in query …)
  | "missing_export"
  | "result"; // the result region is not valid / too large

export class VmError extends Error {
  constructor(
    readonly kind: VmErrorKind,
    /** Deterministic text: never a V8 message. */
    message: string,
  ) {
    super(message);
    this.name = "VmError";
  }
}
