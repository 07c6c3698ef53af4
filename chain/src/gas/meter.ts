// Deterministic gas accounting (SDK semantics): consuming past the limit throws ErrOutOfGas with the
// location; gas used is then reported as the amount consumed including the failing charge.
import { ErrOutOfGas } from "../errors/sdk.js";

export class GasMeter {
  private used = 0n;

  /** `limit` undefined means unlimited (simulation and InitChain). */
  constructor(readonly limit: bigint | undefined) {}

  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.limit !== undefined && this.used > this.limit) {
      throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }

  consumed(): bigint {
    return this.used;
  }
}

/** The SDK's KVGasConfig (store/types/gas.go). */
export const KV_GAS = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
} as const;
