import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { GasMeter } from "../gas/meter.js";
import type { KVStore } from "../store/types.js";

export type ExecMode = "check" | "recheck" | "simulate" | "deliver" | "genesis";

/** Everything a message handler or keeper may use while executing; block time is the only clock. */
export interface Context {
  readonly store: KVStore;
  /** The same state without gas metering: for code that meters itself (the wasm VM). */
  readonly rawStore: KVStore;
  readonly gasMeter: GasMeter;
  readonly events: EventManager;
  readonly chainId: string;
  readonly height: bigint;
  readonly timeSeconds: bigint;
  /** Block time in nanoseconds since the epoch (CosmWasm's Env.block.time). */
  readonly timeNanos: bigint;
  /** Position of the tx in its block (deliver mode only). */
  readonly txIndex?: number;
  readonly mode: ExecMode;
}

export type EventAttributes = readonly (readonly [string, string])[];

/** Collects ABCI events in emission order; every attribute is indexed (searchable by tx_search). */
export class EventManager {
  readonly events: Event[] = [];

  /** `attrs` may be a function, so that formatting costs nothing where events are discarded (CheckTx). */
  emit(type: string, attrs: EventAttributes | (() => EventAttributes)): void {
    const list = typeof attrs === "function" ? attrs() : attrs;
    this.events.push({ type, attributes: list.map(([key, value]) => ({ key, value, index: true })) });
  }

  /** Appends another manager's events, adding `msg_index` as the SDK does for message events. */
  absorb(other: EventManager, msgIndex?: number): void {
    for (const e of other.events) {
      const attributes = msgIndex === undefined ? e.attributes : [...e.attributes, { key: "msg_index", value: String(msgIndex), index: true }];
      this.events.push({ type: e.type, attributes });
    }
  }
}
