// staking state keys (prefixes 0x40–0x4f, store/prefixes.ts). Composite keys are length-prefixed;
// times are BE64 nanoseconds so that queues iterate in time order.
import { key, lengthPrefixed as lp, Prefix } from "../../store/prefixes.js";

export const be64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

export const PARAMS_KEY = key(Prefix.StakingGlobal, Buffer.from([0x01]));
export const LAST_TOTAL_POWER_KEY = key(Prefix.StakingGlobal, Buffer.from([0x02]));

export const validatorKey = (op: Uint8Array) => key(Prefix.StakingValidator, op);
export const validatorByConsAddrKey = (cons: Uint8Array) => key(Prefix.StakingValidatorByConsAddr, cons);
/** BE64(power) ‖ ~operator: reverse iteration gives power descending, then operator bytes ascending (the SDK's order). */
export const validatorByPowerKey = (power: bigint, op: Uint8Array) => key(Prefix.StakingValidatorByPower, be64(power), Buffer.from(op.map((b) => 0xff - b)));
export const lastValidatorPowerKey = (op: Uint8Array) => key(Prefix.StakingLastValidatorPower, op);

export const delegationKey = (del: Uint8Array, val: Uint8Array) => key(Prefix.StakingDelegation, lp(del), lp(val));
export const delegationsOfDelegatorPrefix = (del: Uint8Array) => key(Prefix.StakingDelegation, lp(del));
export const delegationByValidatorKey = (val: Uint8Array, del: Uint8Array) => key(Prefix.StakingDelegationByValidator, lp(val), lp(del));
export const delegationsOfValidatorPrefix = (val: Uint8Array) => key(Prefix.StakingDelegationByValidator, lp(val));

export const ubdKey = (del: Uint8Array, val: Uint8Array) => key(Prefix.StakingUnbondingDelegation, lp(del), lp(val));
export const ubdsOfDelegatorPrefix = (del: Uint8Array) => key(Prefix.StakingUnbondingDelegation, lp(del));
export const ubdByValidatorKey = (val: Uint8Array, del: Uint8Array) => key(Prefix.StakingUnbondingByValidator, lp(val), lp(del));
export const ubdsOfValidatorPrefix = (val: Uint8Array) => key(Prefix.StakingUnbondingByValidator, lp(val));

export const redKey = (del: Uint8Array, src: Uint8Array, dst: Uint8Array) => key(Prefix.StakingRedelegation, lp(del), lp(src), lp(dst));
export const redsOfDelegatorPrefix = (del: Uint8Array) => key(Prefix.StakingRedelegation, lp(del));
export const redBySrcKey = (src: Uint8Array, del: Uint8Array, dst: Uint8Array) => key(Prefix.StakingRedelegationBySrc, lp(src), lp(del), lp(dst));
export const redsBySrcPrefix = (src: Uint8Array) => key(Prefix.StakingRedelegationBySrc, lp(src));
export const redByDstKey = (dst: Uint8Array, del: Uint8Array, src: Uint8Array) => key(Prefix.StakingRedelegationByDst, lp(dst), lp(del), lp(src));
export const redsByDstDelegatorPrefix = (dst: Uint8Array, del: Uint8Array) => key(Prefix.StakingRedelegationByDst, lp(dst), lp(del));

export const ubdQueueKey = (timeNanos: bigint, del: Uint8Array, val: Uint8Array) => key(Prefix.StakingUnbondingQueue, be64(timeNanos), lp(del), lp(val));
export const redQueueKey = (timeNanos: bigint, del: Uint8Array, src: Uint8Array, dst: Uint8Array) =>
  key(Prefix.StakingRedelegationQueue, be64(timeNanos), lp(del), lp(src), lp(dst));
export const validatorQueueKey = (timeNanos: bigint, height: bigint, op: Uint8Array) => key(Prefix.StakingValidatorQueue, be64(timeNanos), be64(height), lp(op));
export const historicalInfoKey = (height: bigint) => key(Prefix.StakingHistoricalInfo, be64(height));

/** Splits length-prefixed components (after `skip` leading bytes). */
export function splitLp(k: Uint8Array, skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = skip;
  while (i < k.length) {
    const n = k[i]!;
    out.push(k.subarray(i + 1, i + 1 + n));
    i += 1 + n;
  }
  return out;
}
