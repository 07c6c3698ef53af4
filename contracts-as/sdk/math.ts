// Exact integer conversions: u64 and Uint128 from/to decimal text. Nothing here touches floats.

const U64_MAX_DIV_10: u64 = 1844674407370955161; // floor((2^64 - 1) / 10)

/** Result of a strict decimal parse. */
export class U64Parse {
  ok: bool = false;
  value: u64 = 0;
}

/**
 * Parses a JSON integer literal as u64: digits only, no sign, fraction or exponent, no leading zeros
 * (JSON grammar), at most 2^64 - 1. This is what serde accepts for a u64 field.
 */
export function parseU64(s: string): U64Parse {
  const r = new U64Parse();
  const n = s.length;
  if (n == 0 || (n > 1 && s.charCodeAt(0) == 0x30)) return r;
  let v: u64 = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return r;
    if (v > U64_MAX_DIV_10) return r;
    const v10 = v * 10;
    const next = v10 + <u64>d;
    if (next < v10) return r;
    v = next;
  }
  r.ok = true;
  r.value = v;
  return r;
}

/** Parses decimal digits (leading zeros allowed, like Rust's str::parse) as u64, e.g. Uint64 strings. */
export function parseU64Digits(s: string): U64Parse {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) == 0x30) i++;
  return parseU64(s.substring(i));
}

const M32: u64 = 0xffffffff;

/** An unsigned 128-bit integer (cosmwasm-std Uint128, JSON: decimal string). */
export class Uint128 {
  constructor(
    public hi: u64 = 0,
    public lo: u64 = 0,
  ) {}

  static fromU64(v: u64): Uint128 {
    return new Uint128(0, v);
  }

  static zero(): Uint128 {
    return new Uint128(0, 0);
  }

  /** Decimal digits (leading zeros allowed), at most 2^128 - 1; null otherwise. */
  static parse(s: string): Uint128 | null {
    if (s.length == 0) return null;
    let hi: u64 = 0;
    let lo: u64 = 0;
    for (let i = 0; i < s.length; i++) {
      const d = s.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return null;
      // (hi, lo) = (hi, lo) * 10 + d
      const a0 = (lo & M32) * 10 + <u64>d;
      const a1 = (lo >> 32) * 10 + (a0 >> 32);
      const newLo = (a1 << 32) | (a0 & M32);
      const carry = a1 >> 32;
      if (hi > U64_MAX_DIV_10) return null;
      const h10 = hi * 10;
      const newHi = h10 + carry;
      if (newHi < h10) return null;
      hi = newHi;
      lo = newLo;
    }
    return new Uint128(hi, lo);
  }

  isZero(): bool {
    return this.hi == 0 && this.lo == 0;
  }

  /** -1, 0 or 1. */
  cmp(o: Uint128): i32 {
    if (this.hi != o.hi) return this.hi < o.hi ? -1 : 1;
    if (this.lo != o.lo) return this.lo < o.lo ? -1 : 1;
    return 0;
  }

  /** Null on overflow. */
  checkedAdd(o: Uint128): Uint128 | null {
    const lo = this.lo + o.lo;
    const c: u64 = lo < this.lo ? 1 : 0;
    const hi1 = this.hi + o.hi;
    if (hi1 < this.hi) return null;
    const hi = hi1 + c;
    if (hi < hi1) return null;
    return new Uint128(hi, lo);
  }

  /** Null on underflow. */
  checkedSub(o: Uint128): Uint128 | null {
    if (this.cmp(o) < 0) return null;
    const lo = this.lo - o.lo;
    const b: u64 = this.lo < o.lo ? 1 : 0;
    return new Uint128(this.hi - o.hi - b, lo);
  }

  toString(): string {
    if (this.hi == 0) return this.lo.toString();
    // Long division by 10^9 on 32-bit limbs, most significant first.
    const limbs: u64[] = [this.hi >> 32, this.hi & M32, this.lo >> 32, this.lo & M32];
    const chunks: string[] = [];
    while (limbs[0] != 0 || limbs[1] != 0 || limbs[2] != 0 || limbs[3] != 0) {
      let rem: u64 = 0;
      for (let i = 0; i < 4; i++) {
        const cur = (rem << 32) | limbs[i];
        limbs[i] = cur / 1000000000;
        rem = cur % 1000000000;
      }
      chunks.push(rem.toString());
    }
    let out = chunks[chunks.length - 1];
    for (let i = chunks.length - 2; i >= 0; i--) out += chunks[i].padStart(9, "0");
    return out;
  }
}
