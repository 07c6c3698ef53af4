// distribution state keys (prefixes 0x50–0x57, store/prefixes.ts). Composite keys are length-prefixed;
// periods and heights are BE64 so that they iterate in numeric order.
import { key, lengthPrefixed as lp, Prefix } from "../../store/prefixes.js";

export const be64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

export const PARAMS_KEY = key(Prefix.DistributionGlobal, Buffer.from([0x01]));
export const FEE_POOL_KEY = key(Prefix.DistributionGlobal, Buffer.from([0x02]));

export const outstandingKey = (val: Uint8Array) => key(Prefix.DistributionOutstandingRewards, val);
export const withdrawAddrKey = (del: Uint8Array) => key(Prefix.DistributionWithdrawAddr, del);
export const startingInfoKey = (val: Uint8Array, del: Uint8Array) => key(Prefix.DistributionDelegatorStartingInfo, lp(val), lp(del));
export const historicalKey = (val: Uint8Array, period: bigint) => key(Prefix.DistributionHistoricalRewards, lp(val), be64(period));
export const historicalPrefix = (val: Uint8Array) => key(Prefix.DistributionHistoricalRewards, lp(val));
export const currentKey = (val: Uint8Array) => key(Prefix.DistributionCurrentRewards, val);
export const commissionKey = (val: Uint8Array) => key(Prefix.DistributionCommission, val);
export const slashEventKey = (val: Uint8Array, height: bigint, period: bigint) => key(Prefix.DistributionSlashEvent, lp(val), be64(height), be64(period));
export const slashEventsPrefix = (val: Uint8Array) => key(Prefix.DistributionSlashEvent, lp(val));
export const slashEventsFrom = (val: Uint8Array, height: bigint) => key(Prefix.DistributionSlashEvent, lp(val), be64(height));
