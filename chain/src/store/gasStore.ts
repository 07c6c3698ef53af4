// Charges gas for every store access, before the cache is consulted, so gas never depends on
// what happens to be cached (SDK gaskv semantics).
import { GasMeter, KV_GAS } from "../gas/meter.js";
import type { Key, KVStore, Value } from "./types.js";

export class GasStore implements KVStore {
  constructor(
    private readonly inner: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: Key): Value | undefined {
    this.meter.consume(KV_GAS.readCostFlat, "ReadFlat");
    const v = this.inner.get(key);
    this.meter.consume(KV_GAS.readCostPerByte * BigInt(key.length + (v?.length ?? 0)), "ReadPerByte");
    return v;
  }

  set(key: Key, value: Value): void {
    this.meter.consume(KV_GAS.writeCostFlat, "WriteFlat");
    this.meter.consume(KV_GAS.writeCostPerByte * BigInt(key.length + value.length), "WritePerByte");
    this.inner.set(key, value);
  }

  delete(key: Key): void {
    this.meter.consume(KV_GAS.deleteCost, "Delete");
    this.inner.delete(key);
  }

  iterate(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    return this.metered(this.inner.iterate(start, end));
  }

  iterateReverse(start: Key, end: Key | undefined): Iterable<[Key, Value]> {
    return this.metered(this.inner.iterateReverse(start, end));
  }

  private *metered(entries: Iterable<[Key, Value]>): Iterable<[Key, Value]> {
    for (const [k, v] of entries) {
      this.meter.consume(KV_GAS.iterNextCostFlat, "IterNextFlat");
      this.meter.consume(KV_GAS.readCostPerByte * BigInt(k.length + v.length), "ValuePerByte");
      yield [k, v];
    }
  }
}
