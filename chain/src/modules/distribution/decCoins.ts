// DecCoins: the SDK's sdk.DecCoins (types/dec_coin.go) over our bigint Dec. Always sorted by denom,
// never holding a zero amount; every operation returns a new list. Rounding as the SDK's:
// MulDec rounds half to even, MulDecTruncate / QuoDecTruncate truncate, TruncateDecimal splits off
// the fractional remainders.
import type { DecCoin as DecCoinProto } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Coin } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";

export interface DecCoin {
  denom: string;
  amount: Dec;
}

export type DecCoins = readonly DecCoin[];

const ONE = 10n ** 18n;

const byDenom = (a: DecCoin, b: DecCoin) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0);

/** Sorted, zero-free copy (merging duplicates). */
export function normalize(list: readonly DecCoin[]): DecCoin[] {
  const sorted = [...list].sort(byDenom);
  const out: DecCoin[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && last.denom === c.denom) out[out.length - 1] = { denom: c.denom, amount: last.amount.add(c.amount) };
    else out.push({ denom: c.denom, amount: c.amount });
  }
  return out.filter((c) => c.amount.atomics !== 0n);
}

export function fromCoins(coins: readonly Coin[]): DecCoin[] {
  return normalize(coins.map((c) => ({ denom: c.denom, amount: Dec.fromInt(c.amount) })));
}

export function add(a: DecCoins, b: DecCoins): DecCoin[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  return normalize([...a, ...b]);
}

/** a − b; throws (an invariant break, never user input) if any result would be negative. */
export function sub(a: DecCoins, b: DecCoins): DecCoin[] {
  const out = normalize([...a, ...b.map((c) => ({ denom: c.denom, amount: Dec.ZERO.sub(c.amount) }))]);
  if (out.some((c) => c.amount.isNegative())) throw new Error(`negative coin amount: ${toString(a)} - ${toString(b)}`);
  return out;
}

/** LegacyDec.MulTruncate: a × b with the 18 dropped digits truncated. */
export function mulTruncate(a: Dec, b: Dec): Dec {
  return Dec.fromAtomics((a.atomics * b.atomics) / ONE);
}

/** LegacyDec.QuoTruncate. */
export function quoTruncate(a: Dec, b: Dec): Dec {
  if (b.atomics === 0n) throw new Error("decimal division by zero");
  return Dec.fromAtomics((a.atomics * ONE * ONE) / b.atomics / ONE);
}

export function mulDec(a: DecCoins, d: Dec): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: c.amount.mul(d) })));
}

export function mulDecTruncate(a: DecCoins, d: Dec): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: mulTruncate(c.amount, d) })));
}

export function quoDecTruncate(a: DecCoins, d: Dec): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: quoTruncate(c.amount, d) })));
}

/** Per denom, the smaller of the two amounts (denoms missing from either are dropped). */
export function intersect(a: DecCoins, b: DecCoins): DecCoin[] {
  const out: DecCoin[] = [];
  for (const c of a) {
    const o = b.find((x) => x.denom === c.denom);
    if (o) out.push({ denom: c.denom, amount: c.amount.lt(o.amount) ? c.amount : o.amount });
  }
  return normalize(out);
}

/** Integer parts as coins and the fractional remainders. */
export function truncateDecimal(a: DecCoins): { coins: Coin[]; change: DecCoin[] } {
  const coins: Coin[] = [];
  const change: DecCoin[] = [];
  for (const c of a) {
    const whole = c.amount.truncateInt();
    if (whole !== 0n) coins.push({ denom: c.denom, amount: whole });
    const rest = c.amount.sub(Dec.fromInt(whole));
    if (rest.atomics !== 0n) change.push({ denom: c.denom, amount: rest });
  }
  return { coins, change };
}

export function isZero(a: DecCoins): boolean {
  return a.every((c) => c.amount.atomics === 0n);
}

export function equal(a: DecCoins, b: DecCoins): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.length === y.length && x.every((c, i) => c.denom === y[i]!.denom && c.amount.atomics === y[i]!.amount.atomics);
}

export function amountOf(a: DecCoins, denom: string): Dec {
  return a.find((c) => c.denom === denom)?.amount ?? Dec.ZERO;
}

/** sdk.DecCoins.String(): "1.500000000000000000usoa,2.000000000000000000uxyz"; "" when empty. */
export function toString(a: DecCoins): string {
  return a.map((c) => `${c.amount.toString()}${c.denom}`).join(",");
}

export function toProto(a: DecCoins): DecCoinProto[] {
  return a.map((c) => ({ denom: c.denom, amount: c.amount.toAtomicsString() }));
}

export function fromProto(list: readonly DecCoinProto[]): DecCoin[] {
  return normalize(list.map((c) => ({ denom: c.denom, amount: c.amount === "" ? Dec.ZERO : Dec.fromAtomicsString(c.amount) })));
}
