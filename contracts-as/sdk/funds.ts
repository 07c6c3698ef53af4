// Payment helpers (cw-utils `must_pay` / `may_pay` / `nonpayable`, same error texts) and exact Uint128
// arithmetic for prices, fees and shares: a 128×128-bit product is kept in 256 bits before dividing, so
// `mulDivFloor(a, b, c)` = floor(a·b / c) is exact whenever the quotient fits in 128 bits.
import { MessageInfo, Result } from "./types";
import { Uint128 } from "./math";
import { panic } from "./abort";

/** Basis points in one whole (100 %). */
export const BPS_DENOM: u32 = 10_000;

// cw-utils PaymentError messages.
export const ERR_NO_FUNDS = "No funds sent";
export const ERR_MULTIPLE_DENOMS = "Sent more than one denomination";
export const ERR_NONPAYABLE = "This message does no accept funds"; // sic, as cw-utils words it
export function errMissingDenom(denom: string): string {
  return "Must send reserve token '" + denom + "'";
}
export function errExtraDenom(denom: string): string {
  return "Received unsupported denom '" + denom + "'";
}

/** Exactly one non-zero coin of `denom` must be sent; returns its amount. */
export function mustPay(info: MessageInfo, denom: string): Result<Uint128> {
  if (info.funds.length == 0) return Result.err<Uint128>(ERR_NO_FUNDS);
  if (info.funds.length > 1) return Result.err<Uint128>(ERR_MULTIPLE_DENOMS);
  const c = info.funds[0];
  const amount = Uint128.parse(c.amount);
  if (amount === null || amount.isZero()) return Result.err<Uint128>(ERR_NO_FUNDS);
  if (c.denom != denom) return Result.err<Uint128>(errMissingDenom(denom));
  return Result.ok<Uint128>(amount);
}

/** Nothing or only `denom` may be sent; returns the amount (zero if nothing). */
export function mayPay(info: MessageInfo, denom: string): Result<Uint128> {
  if (info.funds.length == 0) return Result.ok<Uint128>(Uint128.zero());
  if (info.funds.length == 1 && info.funds[0].denom == denom) {
    const amount = Uint128.parse(info.funds[0].amount);
    return Result.ok<Uint128>(amount === null ? Uint128.zero() : amount);
  }
  for (let i = 0; i < info.funds.length; i++) {
    if (info.funds[i].denom != denom) return Result.err<Uint128>(errExtraDenom(info.funds[i].denom));
  }
  return Result.err<Uint128>(ERR_MULTIPLE_DENOMS);
}

/** null if no funds were sent, else the cw-utils NonPayable error. */
export function nonpayable(info: MessageInfo): string | null {
  return info.funds.length == 0 ? null : ERR_NONPAYABLE;
}

/**
 * Exactly `amount` of `denom` must be sent (and nothing else); `amount` zero = nothing may be sent.
 * Returns null or an error like "Wrong funds: expected 100usoa, got 90usoa".
 */
export function mustPayExactly(info: MessageInfo, denom: string, amount: Uint128): string | null {
  if (amount.isZero()) {
    return info.funds.length == 0 ? null : "Wrong funds: expected nothing, got " + fundsToString(info);
  }
  const ok =
    info.funds.length == 1 && info.funds[0].denom == denom && Uint128.parse(info.funds[0].amount) !== null &&
    Uint128.parse(info.funds[0].amount)!.cmp(amount) == 0;
  if (ok) return null;
  return "Wrong funds: expected " + amount.toString() + denom + ", got " + fundsToString(info);
}

/** "5usoa,7uatom" or "nothing". */
export function fundsToString(info: MessageInfo): string {
  if (info.funds.length == 0) return "nothing";
  const parts: string[] = [];
  for (let i = 0; i < info.funds.length; i++) parts.push(info.funds[i].amount + info.funds[i].denom);
  return parts.join(",");
}

// ------------------------------------------------------------------------------------------------
// Exact arithmetic

const M32: u64 = 0xffffffff;

/** 32-bit limbs, least significant first. */
function limbs(a: Uint128): u64[] {
  return [a.lo & M32, a.lo >> 32, a.hi & M32, a.hi >> 32];
}

/** a·b as 8 32-bit limbs (least significant first). */
function mulWide(a: Uint128, b: Uint128): u64[] {
  const x = limbs(a);
  const y = limbs(b);
  const out: u64[] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    let carry: u64 = 0;
    const xi = x[i];
    for (let j = 0; j < 4; j++) {
      // < 2^32·2^32 + 2^32 + 2^32 fits in u64 (max (2^32-1)^2 + 2·(2^32-1) = 2^64 - 1)
      const t = xi * y[j] + out[i + j] + carry;
      out[i + j] = t & M32;
      carry = t >> 32;
    }
    out[i + 4] = carry;
  }
  return out;
}

/** a·b, or null if it does not fit in 128 bits. */
export function checkedMul(a: Uint128, b: Uint128): Uint128 | null {
  const p = mulWide(a, b);
  if ((p[4] | p[5] | p[6] | p[7]) != 0) return null;
  return new Uint128((p[3] << 32) | p[2], (p[1] << 32) | p[0]);
}

/** a + b; aborts on overflow (use checkedAdd where an overflow is a user error). */
export function add(a: Uint128, b: Uint128): Uint128 {
  const r = a.checkedAdd(b);
  if (r === null) panic("Uint128 overflow");
  return r!;
}

/** a − b; aborts on underflow (use checkedSub where it is a user error). */
export function sub(a: Uint128, b: Uint128): Uint128 {
  const r = a.checkedSub(b);
  if (r === null) panic("Uint128 underflow");
  return r!;
}

export function minU128(a: Uint128, b: Uint128): Uint128 {
  return a.cmp(b) <= 0 ? a : b;
}

/**
 * floor(a·b / c), exact (256-bit intermediate). Null if c is zero or the quotient exceeds 128 bits.
 * Restoring binary long division: at most 256 shift/subtract steps on 128-bit values.
 */
export function mulDivFloor(a: Uint128, b: Uint128, c: Uint128): Uint128 | null {
  if (c.isZero()) return null;
  const p = mulWide(a, b);
  let remHi: u64 = 0;
  let remLo: u64 = 0;
  let qHi: u64 = 0;
  let qLo: u64 = 0;
  // Skip leading zero limbs.
  let top = 7;
  while (top >= 0 && p[top] == 0) top--;
  if (top < 0) return Uint128.zero();
  for (let limb = top; limb >= 0; limb--) {
    const word = p[limb];
    for (let bit = 31; bit >= 0; bit--) {
      // rem = rem·2 + next bit (rem < c < 2^128, so rem·2 may carry out of 128 bits)
      const carryOut = remHi >> 63;
      remHi = (remHi << 1) | (remLo >> 63);
      remLo = (remLo << 1) | ((word >> (<u64>bit)) & 1);
      // quotient ·2
      if (qHi >> 63 != 0) return null; // the quotient would need more than 128 bits
      qHi = (qHi << 1) | (qLo >> 63);
      qLo = qLo << 1;
      if (carryOut != 0 || remHi > c.hi || (remHi == c.hi && remLo >= c.lo)) {
        // rem -= c (mod 2^128: correct even when carryOut was set, since the true value < 2c)
        const borrow: u64 = remLo < c.lo ? 1 : 0;
        remLo = remLo - c.lo;
        remHi = remHi - c.hi - borrow;
        qLo |= 1;
      }
    }
  }
  return new Uint128(qHi, qLo);
}

/** amount · bps / 10 000, rounded down. `bps` must be ≤ 10 000 (validate it where it is configured). */
export function bpsOf(amount: Uint128, bps: u32): Uint128 {
  if (bps > BPS_DENOM) panic("bpsOf: bps above 10000");
  return mulDivFloor(amount, Uint128.fromU64(<u64>bps), Uint128.fromU64(<u64>BPS_DENOM))!;
}
