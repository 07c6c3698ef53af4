// mint params and minter state: domain types (Dec), defaults, validation, and the conversions to the
// protobuf records (soa.mint.v1, decimals as atomics strings) and to genesis JSON (decimal strings).
import { BOND_DENOM } from "../../constants.js";
import type { Minter as MinterProto, Params as ParamsProto } from "../../gen/soa/mint/v1/mint.js";
import { Dec } from "../../types/dec.js";

export interface MintParams {
  mintDenom: string;
  inflationRateChange: Dec;
  inflationMax: Dec;
  inflationMin: Dec;
  goalBonded: Dec;
  blocksPerYear: bigint;
  /** Share of each block provision for the PoS half (fee collector); the rest goes to the work pool. */
  posShare: Dec;
}

export interface Minter {
  inflation: Dec;
  annualProvisions: Dec;
}

/** Seconds in a Julian year: one block per second on the localnet (timeout_commit ~1 s). */
export const DEFAULT_BLOCKS_PER_YEAR = 31_557_600n;

/** The SDK's x/mint defaults (types/params.go), with our denom, block rate and PoS share. */
export function defaultMintParams(): MintParams {
  return {
    mintDenom: BOND_DENOM,
    inflationRateChange: Dec.parse("0.13"),
    inflationMax: Dec.parse("0.20"),
    inflationMin: Dec.parse("0.07"),
    goalBonded: Dec.parse("0.67"),
    blocksPerYear: DEFAULT_BLOCKS_PER_YEAR,
    posShare: Dec.parse("0.35"),
  };
}

/** The SDK's DefaultInitialMinter: 13 % inflation, no provisions yet. */
export function defaultMinter(): Minter {
  return { inflation: Dec.parse("0.13"), annualProvisions: Dec.ZERO };
}

const MAX_INT64 = (1n << 63n) - 1n;
const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

/** The SDK's Params.Validate, plus pos_share ∈ [0, 1]. Throws an Error naming the field. */
export function validateMintParams(p: MintParams, where = "params"): void {
  if (!DENOM_RE.test(p.mintDenom)) throw new Error(`${where}.mint_denom ${JSON.stringify(p.mintDenom)} is not a valid denom`);
  const unit = (d: Dec, field: string) => {
    if (d.isNegative()) throw new Error(`${where}.${field} must not be negative, got ${d}`);
    if (d.gt(Dec.ONE)) throw new Error(`${where}.${field} must be at most 1, got ${d}`);
  };
  unit(p.inflationRateChange, "inflation_rate_change");
  unit(p.inflationMax, "inflation_max");
  unit(p.inflationMin, "inflation_min");
  unit(p.goalBonded, "goal_bonded");
  if (p.goalBonded.cmp(Dec.ZERO) <= 0) throw new Error(`${where}.goal_bonded must be positive, got ${p.goalBonded}`);
  if (p.blocksPerYear <= 0n || p.blocksPerYear > MAX_INT64) {
    throw new Error(`${where}.blocks_per_year must be a positive 64-bit integer, got ${p.blocksPerYear}`);
  }
  if (p.inflationMax.lt(p.inflationMin)) {
    throw new Error(`${where}.inflation_max (${p.inflationMax}) must not be less than inflation_min (${p.inflationMin})`);
  }
  unit(p.posShare, "pos_share");
}

export function validateMinter(m: Minter, where = "minter"): void {
  if (m.inflation.isNegative()) throw new Error(`${where}.inflation must not be negative, got ${m.inflation}`);
  if (m.annualProvisions.isNegative()) throw new Error(`${where}.annual_provisions must not be negative, got ${m.annualProvisions}`);
}

// ---- protobuf (state and soa.mint.v1 queries): LegacyDec as atomics strings ---------------------

export function paramsToProto(p: MintParams): ParamsProto {
  return {
    mintDenom: p.mintDenom,
    inflationRateChange: p.inflationRateChange.toAtomicsString(),
    inflationMax: p.inflationMax.toAtomicsString(),
    inflationMin: p.inflationMin.toAtomicsString(),
    goalBonded: p.goalBonded.toAtomicsString(),
    blocksPerYear: p.blocksPerYear,
    posShare: p.posShare.toAtomicsString(),
  };
}

export function paramsFromProto(p: ParamsProto): MintParams {
  return {
    mintDenom: p.mintDenom,
    inflationRateChange: Dec.fromAtomicsString(p.inflationRateChange),
    inflationMax: Dec.fromAtomicsString(p.inflationMax),
    inflationMin: Dec.fromAtomicsString(p.inflationMin),
    goalBonded: Dec.fromAtomicsString(p.goalBonded),
    blocksPerYear: p.blocksPerYear,
    posShare: Dec.fromAtomicsString(p.posShare),
  };
}

export function minterToProto(m: Minter): MinterProto {
  return { inflation: m.inflation.toAtomicsString(), annualProvisions: m.annualProvisions.toAtomicsString() };
}

export function minterFromProto(m: MinterProto): Minter {
  return { inflation: Dec.fromAtomicsString(m.inflation), annualProvisions: Dec.fromAtomicsString(m.annualProvisions) };
}

// ---- genesis JSON (app_state.mint), the SDK's style: decimals "0.130000000000000000", uint64 as string

export interface MintParamsJson {
  mint_denom: string;
  inflation_rate_change: string;
  inflation_max: string;
  inflation_min: string;
  goal_bonded: string;
  blocks_per_year: string;
  pos_share: string;
}

export interface MinterJson {
  inflation: string;
  annual_provisions: string;
}

export interface MintGenesis {
  minter: MinterJson;
  params: MintParamsJson;
}

export function mintGenesisToJson(minter: Minter, p: MintParams): MintGenesis {
  return {
    minter: { inflation: minter.inflation.toString(), annual_provisions: minter.annualProvisions.toString() },
    params: {
      mint_denom: p.mintDenom,
      inflation_rate_change: p.inflationRateChange.toString(),
      inflation_max: p.inflationMax.toString(),
      inflation_min: p.inflationMin.toString(),
      goal_bonded: p.goalBonded.toString(),
      blocks_per_year: p.blocksPerYear.toString(),
      pos_share: p.posShare.toString(),
    },
  };
}

export function defaultMintGenesis(): MintGenesis {
  return mintGenesisToJson(defaultMinter(), defaultMintParams());
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function decField(obj: Record<string, unknown>, field: string, where: string): Dec {
  const v = obj[field];
  if (v === undefined) throw new Error(`${where}.${field} is required`);
  if (typeof v !== "string" || !/^[0-9]+(\.[0-9]{1,18})?$/.test(v)) {
    throw new Error(`${where}.${field} must be a non-negative decimal string with at most 18 decimals (e.g. "0.130000000000000000"), got ${JSON.stringify(v)}`);
  }
  return Dec.parse(v);
}

/**
 * Parses and validates `app_state.mint`. Absent → the defaults; an absent `minter` or `params` →
 * that part's defaults; inside `params` every field is required. Throws an Error naming the field.
 */
export function parseMintGenesis(g: unknown): { minter: Minter; params: MintParams } {
  if (g === undefined || g === null) return { minter: defaultMinter(), params: defaultMintParams() };
  if (!isObject(g)) throw new Error("mint must be an object {minter, params}");
  let params = defaultMintParams();
  if (g["params"] !== undefined) {
    const p = g["params"];
    if (!isObject(p)) throw new Error("mint.params must be an object");
    const denom = p["mint_denom"];
    if (typeof denom !== "string") throw new Error(`mint.params.mint_denom must be a string, got ${JSON.stringify(denom)}`);
    const bpy = p["blocks_per_year"];
    if (typeof bpy !== "string" || !/^[0-9]{1,19}$/.test(bpy)) {
      throw new Error(`mint.params.blocks_per_year must be an integer string (e.g. "31557600"), got ${JSON.stringify(bpy)}`);
    }
    params = {
      mintDenom: denom,
      inflationRateChange: decField(p, "inflation_rate_change", "mint.params"),
      inflationMax: decField(p, "inflation_max", "mint.params"),
      inflationMin: decField(p, "inflation_min", "mint.params"),
      goalBonded: decField(p, "goal_bonded", "mint.params"),
      blocksPerYear: BigInt(bpy),
      posShare: decField(p, "pos_share", "mint.params"),
    };
  }
  validateMintParams(params, "mint.params");
  let minter = defaultMinter();
  if (g["minter"] !== undefined) {
    const m = g["minter"];
    if (!isObject(m)) throw new Error("mint.minter must be an object");
    minter = { inflation: decField(m, "inflation", "mint.minter"), annualProvisions: decField(m, "annual_provisions", "mint.minter") };
  }
  validateMinter(minter, "mint.minter");
  return { minter, params };
}
