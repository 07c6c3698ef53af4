// The inflation schedule, exactly as the Cosmos SDK's x/mint (types/minter.go) computes it with
// LegacyDec, and our split of each block provision between the PoS and PoW halves.
import { Dec } from "../../types/dec.js";
import type { MintParams, Minter } from "./params.js";

/**
 * NextInflationRate: inflation + (1 − bondedRatio / goalBonded) × inflationRateChange / blocksPerYear,
 * clamped to [inflationMin, inflationMax]. Quo and Mul round half to even at 18 digits, as LegacyDec.
 */
export function nextInflationRate(m: Minter, p: MintParams, bondedRatio: Dec): Dec {
  const changePerYear = Dec.ONE.sub(bondedRatio.quo(p.goalBonded)).mul(p.inflationRateChange);
  const change = changePerYear.quo(Dec.fromInt(p.blocksPerYear));
  let inflation = m.inflation.add(change);
  if (inflation.gt(p.inflationMax)) inflation = p.inflationMax;
  if (inflation.lt(p.inflationMin)) inflation = p.inflationMin;
  return inflation;
}

/** NextAnnualProvisions: inflation × total supply of the mint denom (exact). */
export function nextAnnualProvisions(m: Minter, totalSupply: bigint): Dec {
  return m.inflation.mulInt(totalSupply);
}

/** BlockProvision: annualProvisions / blocksPerYear (QuoInt truncates), then TruncateInt. */
export function blockProvision(m: Minter, p: MintParams): bigint {
  return m.annualProvisions.quoInt(p.blocksPerYear).truncateInt();
}

/**
 * Splits a block provision: the PoS half gets floor(amount × posShare) (MulInt then TruncateInt, as
 * the SDK's distribution rounds shares down); the work pool gets the rest, so nothing is lost.
 */
export function splitProvision(amount: bigint, posShare: Dec): { pos: bigint; work: bigint } {
  const pos = posShare.mulInt(amount).truncateInt();
  return { pos, work: amount - pos };
}
