// The SDK's share arithmetic (x/staking/types/validator.go), exact to the last atomic. Pure functions
// over (tokens: bigint, delegatorShares: Dec); the keeper applies the results.
//
//   SharesFromTokens(amt)          = delShares.MulInt(amt).QuoInt(tokens)          (truncated)
//   SharesFromTokensTruncated(amt) = delShares.MulInt(amt).QuoTruncate(Dec(tokens))
//   TokensFromShares(s)            = s.MulInt(tokens).Quo(delShares)               (half-even)
//   TokensFromSharesTruncated(s)   = s.MulInt(tokens).QuoTruncate(delShares)
//   TokensFromSharesRoundUp(s)     = s.MulInt(tokens).QuoRoundUp(delShares)
import { Dec } from "../../types/dec.js";

const ONE = 10n ** 18n;

/** LegacyDec.QuoTruncate: (a × 10^36 / b) / 10^18, both steps truncating (non-negative operands). */
export function quoTruncate(a: Dec, b: Dec): Dec {
  if (b.atomics === 0n) throw new Error("decimal division by zero");
  return Dec.fromAtomics((a.atomics * ONE * ONE) / b.atomics / ONE);
}

/** LegacyDec.QuoRoundUp for non-negative operands: ceil(a × 10^18 / b) in atomics. */
export function quoRoundUp(a: Dec, b: Dec): Dec {
  if (b.atomics === 0n) throw new Error("decimal division by zero");
  const n = a.atomics * ONE * ONE;
  let q = n / b.atomics;
  if (n % b.atomics !== 0n) q += 1n;
  const out = q / ONE;
  return Dec.fromAtomics(q % ONE === 0n ? out : out + 1n);
}

/** LegacyDec.Ceil → integer (non-negative). */
export function ceilInt(d: Dec): bigint {
  const q = d.atomics / ONE;
  return d.atomics % ONE === 0n ? q : q + 1n;
}

export interface ShareState {
  tokens: bigint;
  delegatorShares: Dec;
}

/** A validator that lost all its tokens to slashing but still has shares: no delegation may enter. */
export function invalidExRate(v: ShareState): boolean {
  return v.tokens === 0n && v.delegatorShares.atomics > 0n;
}

/** Shares issued for `amount` tokens (the first delegation sets the rate to 1). Throws if tokens are 0 but shares exist. */
export function sharesFromTokens(v: ShareState, amount: bigint): Dec {
  if (v.tokens === 0n) throw new Error("validator has no tokens");
  return v.delegatorShares.mulInt(amount).quoInt(v.tokens);
}

export function sharesFromTokensTruncated(v: ShareState, amount: bigint): Dec {
  if (v.tokens === 0n) throw new Error("validator has no tokens");
  return quoTruncate(v.delegatorShares.mulInt(amount), Dec.fromInt(v.tokens));
}

export function tokensFromShares(v: ShareState, shares: Dec): Dec {
  return shares.mulInt(v.tokens).quo(v.delegatorShares);
}

export function tokensFromSharesTruncated(v: ShareState, shares: Dec): Dec {
  return quoTruncate(shares.mulInt(v.tokens), v.delegatorShares);
}

export function tokensFromSharesRoundUp(v: ShareState, shares: Dec): Dec {
  return quoRoundUp(shares.mulInt(v.tokens), v.delegatorShares);
}

/** AddTokensFromDel: the new state and the shares issued. */
export function addTokensFromDel(v: ShareState, amount: bigint): { state: ShareState; issued: Dec } {
  const issued = v.delegatorShares.atomics === 0n ? Dec.fromInt(amount) : sharesFromTokens(v, amount);
  return { state: { tokens: v.tokens + amount, delegatorShares: v.delegatorShares.add(issued) }, issued };
}

/**
 * RemoveDelShares: the last shares take every remaining token; otherwise the token value is
 * truncated and the fraction stays in the validator (raising the exchange rate of the others).
 */
export function removeDelShares(v: ShareState, shares: Dec): { state: ShareState; issuedTokens: bigint } {
  const remaining = v.delegatorShares.sub(shares);
  if (remaining.isNegative()) throw new Error("removing more shares than the validator has");
  if (remaining.atomics === 0n) return { state: { tokens: 0n, delegatorShares: remaining }, issuedTokens: v.tokens };
  const issuedTokens = tokensFromShares(v, shares).truncateInt();
  const tokens = v.tokens - issuedTokens;
  if (tokens < 0n) throw new Error("attempting to remove more tokens than available in validator");
  return { state: { tokens, delegatorShares: remaining }, issuedTokens };
}

/** Consensus power: tokens / 10^6 (the SDK's DefaultPowerReduction), as CometBFT's int64 power. */
export const POWER_REDUCTION = 1_000_000n;

export function tokensToConsensusPower(tokens: bigint): bigint {
  return tokens / POWER_REDUCTION;
}

export function tokensFromConsensusPower(power: bigint): bigint {
  return power * POWER_REDUCTION;
}
