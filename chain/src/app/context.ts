import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { GasMeter } from "../gas/meter.js";
import type { KVStore } from "../store/types.js";

export type ExecMode = "check" | "recheck" | "simulate" | "deliver" | "genesis";

/** Everything a message handler or keeper may use while executing; block time is the only clock. */
export interface Context {
  readonly store: KVStore;
  readonly gasMeter: GasMeter;
  readonly events: EventManager;
  readonly chainId: string;
  readonly height: bigint;
  readonly timeSeconds: bigint;
  readonly mode: ExecMode;
}

/** Collects ABCI events in emission order; every attribute is indexed (searchable by tx_search). */
export class EventManager {
  readonly events: Event[] = [];

  emit(type: string, attrs: readonly (readonly [string, string])[]): void {
    this.events.push({ type, attributes: attrs.map(([key, value]) => ({ key, value, index: true })) });
  }

  /** Appends another manager's events, adding `msg_index` as the SDK does for message events. */
  absorb(other: EventManager, msgIndex?: number): void {
    for (const e of other.events) {
      const attributes = msgIndex === undefined ? e.attributes : [...e.attributes, { key: "msg_index", value: String(msgIndex), index: true }];
      this.events.push({ type: e.type, attributes });
    }
  }
}
