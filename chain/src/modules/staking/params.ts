// staking params: domain type, defaults, validation and the protobuf / genesis JSON forms.
import { Params as ParamsProto } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BOND_DENOM } from "../../constants.js";
import { Dec } from "../../types/dec.js";

export interface StakingParams {
  /** Unbonding period in nanoseconds. */
  unbondingTimeNanos: bigint;
  maxValidators: number;
  maxEntries: number;
  historicalEntries: number;
  bondDenom: string;
  minCommissionRate: Dec;
}

const NANOS = 1_000_000_000n;
/** 21 days, the SDK default. */
export const DEFAULT_UNBONDING_TIME_NANOS = 21n * 24n * 3600n * NANOS;

/**
 * The SDK defaults (x/staking/types/params.go) with our bond denom, except historical_entries = 0:
 * nothing here reads historical info yet (no IBC), and storing the validator set every block would
 * change the app hash of empty blocks. Set it in genesis to keep HistoricalInfo for queries.
 */
export function defaultStakingParams(): StakingParams {
  return {
    unbondingTimeNanos: DEFAULT_UNBONDING_TIME_NANOS,
    maxValidators: 100,
    maxEntries: 7,
    historicalEntries: 0,
    bondDenom: BOND_DENOM,
    minCommissionRate: Dec.ZERO,
  };
}

const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const MAX_UINT32 = 0xffff_ffff;

/** The SDK's Params.Validate; throws an Error naming the field. */
export function validateStakingParams(p: StakingParams, where = "staking.params"): void {
  if (p.unbondingTimeNanos <= 0n) throw new Error(`${where}.unbonding_time must be positive, got ${p.unbondingTimeNanos}ns`);
  const u32 = (v: number, f: string, positive: boolean) => {
    if (!Number.isInteger(v) || v < 0 || v > MAX_UINT32 || (positive && v === 0)) throw new Error(`${where}.${f} must be a ${positive ? "positive " : ""}uint32, got ${v}`);
  };
  u32(p.maxValidators, "max_validators", true);
  u32(p.maxEntries, "max_entries", true);
  u32(p.historicalEntries, "historical_entries", false);
  if (!DENOM_RE.test(p.bondDenom)) throw new Error(`${where}.bond_denom ${JSON.stringify(p.bondDenom)} is not a valid denom`);
  if (p.minCommissionRate.isNegative()) throw new Error(`${where}.min_commission_rate cannot be negative: ${p.minCommissionRate}`);
  if (p.minCommissionRate.gt(Dec.ONE)) throw new Error(`${where}.min_commission_rate cannot be greater than 100%: ${p.minCommissionRate}`);
}

export function paramsToProto(p: StakingParams): ParamsProto {
  return {
    unbondingTime: { seconds: p.unbondingTimeNanos / NANOS, nanos: Number(p.unbondingTimeNanos % NANOS) },
    maxValidators: p.maxValidators,
    maxEntries: p.maxEntries,
    historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom,
    minCommissionRate: p.minCommissionRate.toAtomicsString(),
  };
}

export function paramsFromProto(p: ParamsProto): StakingParams {
  return {
    unbondingTimeNanos: p.unbondingTime.seconds * NANOS + BigInt(p.unbondingTime.nanos),
    maxValidators: p.maxValidators,
    maxEntries: p.maxEntries,
    historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom,
    minCommissionRate: p.minCommissionRate === "" ? Dec.ZERO : Dec.fromAtomicsString(p.minCommissionRate),
  };
}

/** Genesis JSON (SDK shape): durations as "1814400s", decimals as "0.050000000000000000". */
export interface StakingParamsJson {
  unbonding_time: string;
  max_validators: number;
  max_entries: number;
  historical_entries: number;
  bond_denom: string;
  min_commission_rate: string;
}

/** "1814400s", "1.5s", "0s" (protobuf JSON Duration). */
export function parseDurationJson(s: unknown, what: string): bigint {
  const m = typeof s === "string" ? /^([0-9]{1,12})(?:\.([0-9]{1,9}))?s$/.exec(s) : null;
  if (!m) throw new Error(`${what} must be a duration like "1814400s", got ${JSON.stringify(s)}`);
  return BigInt(m[1]!) * NANOS + BigInt((m[2] ?? "").padEnd(9, "0") || "0");
}

export function formatDurationJson(nanos: bigint): string {
  const frac = nanos % NANOS;
  return frac === 0n ? `${nanos / NANOS}s` : `${nanos / NANOS}.${frac.toString().padStart(9, "0").replace(/0+$/, "")}s`;
}

/** Parses a decimal JSON string ("0.05", "0.050000000000000000"); throws naming the field. */
export function parseDecJson(v: unknown, what: string): Dec {
  if (typeof v !== "string") throw new Error(`${what} must be a decimal string, got ${JSON.stringify(v)}`);
  try {
    return Dec.parse(v);
  } catch {
    throw new Error(`${what} must be a non-negative decimal with at most 18 fractional digits, got ${JSON.stringify(v)}`);
  }
}

function u32Json(v: unknown, what: string): number {
  const n = typeof v === "string" && /^[0-9]{1,10}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_UINT32) throw new Error(`${what} must be a uint32, got ${JSON.stringify(v)}`);
  return n;
}

export function paramsFromJson(j: Partial<StakingParamsJson> | undefined): StakingParams {
  const d = defaultStakingParams();
  if (!j) return d;
  const p: StakingParams = {
    unbondingTimeNanos: j.unbonding_time === undefined ? d.unbondingTimeNanos : parseDurationJson(j.unbonding_time, "staking.params.unbonding_time"),
    maxValidators: j.max_validators === undefined ? d.maxValidators : u32Json(j.max_validators, "staking.params.max_validators"),
    maxEntries: j.max_entries === undefined ? d.maxEntries : u32Json(j.max_entries, "staking.params.max_entries"),
    historicalEntries: j.historical_entries === undefined ? d.historicalEntries : u32Json(j.historical_entries, "staking.params.historical_entries"),
    bondDenom: j.bond_denom ?? d.bondDenom,
    minCommissionRate: j.min_commission_rate === undefined ? d.minCommissionRate : parseDecJson(j.min_commission_rate, "staking.params.min_commission_rate"),
  };
  validateStakingParams(p);
  return p;
}

export function paramsToJson(p: StakingParams): StakingParamsJson {
  return {
    unbonding_time: formatDurationJson(p.unbondingTimeNanos),
    max_validators: p.maxValidators,
    max_entries: p.maxEntries,
    historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom,
    min_commission_rate: p.minCommissionRate.toString(),
  };
}
