// Fixed-point decimal with 18 fractional digits, stored as a bigint of atomics (the SDK's LegacyDec).
// Arithmetic rounds exactly as cosmossdk.io/math LegacyDec does (math/dec.go): Mul and Quo round
// half to even ("banker's rounding") after Go's truncating big.Int division; MulInt is exact; QuoInt
// and TruncateInt truncate towards zero. bigint `/` truncates towards zero like big.Int.Quo.
const ONE = 10n ** 18n;
const HALF = ONE / 2n;

/** chopPrecisionAndRound: drop 18 digits, rounding half to even; symmetric for negatives. */
function chopAndRound(x: bigint): bigint {
  if (x < 0n) return -chopAndRound(-x);
  const quo = x / ONE;
  const rem = x % ONE;
  if (rem < HALF) return quo;
  if (rem > HALF) return quo + 1n;
  return quo % 2n === 0n ? quo : quo + 1n;
}

export class Dec {
  private constructor(readonly atomics: bigint) {}

  static readonly ZERO = new Dec(0n);
  static readonly ONE = new Dec(ONE);

  static fromAtomics(atomics: bigint): Dec {
    return new Dec(atomics);
  }

  /** The integer n as a decimal (LegacyNewDec / LegacyNewDecFromInt). */
  static fromInt(n: bigint): Dec {
    return new Dec(n * ONE);
  }

  /** Parses the SDK's protobuf encoding of a LegacyDec: the atomics as a decimal integer string. */
  static fromAtomicsString(s: string): Dec {
    if (!/^-?[0-9]+$/.test(s)) throw new Error(`invalid decimal atomics: ${JSON.stringify(s)}`);
    return new Dec(BigInt(s));
  }

  add(o: Dec): Dec {
    return new Dec(this.atomics + o.atomics);
  }

  sub(o: Dec): Dec {
    return new Dec(this.atomics - o.atomics);
  }

  /** LegacyDec.Mul: product rounded half to even at 18 digits. */
  mul(o: Dec): Dec {
    return new Dec(chopAndRound(this.atomics * o.atomics));
  }

  /** LegacyDec.Quo: (a × 10^36 / b) truncated, then rounded half to even at 18 digits. */
  quo(o: Dec): Dec {
    if (o.atomics === 0n) throw new Error("decimal division by zero");
    return new Dec(chopAndRound((this.atomics * ONE * ONE) / o.atomics));
  }

  /** LegacyDec.MulInt: exact. */
  mulInt(n: bigint): Dec {
    return new Dec(this.atomics * n);
  }

  /** LegacyDec.QuoInt: atomics / n, truncated towards zero. */
  quoInt(n: bigint): Dec {
    if (n === 0n) throw new Error("decimal division by zero");
    return new Dec(this.atomics / n);
  }

  /** LegacyDec.TruncateInt: the integer part, towards zero. */
  truncateInt(): bigint {
    return this.atomics / ONE;
  }

  cmp(o: Dec): -1 | 0 | 1 {
    return this.atomics < o.atomics ? -1 : this.atomics > o.atomics ? 1 : 0;
  }

  gt(o: Dec): boolean {
    return this.atomics > o.atomics;
  }

  lt(o: Dec): boolean {
    return this.atomics < o.atomics;
  }

  isNegative(): boolean {
    return this.atomics < 0n;
  }

  /** The SDK's protobuf encoding (gogoproto customtype Marshal): atomics as a decimal string, "0" for zero. */
  toAtomicsString(): string {
    return this.atomics.toString();
  }

  /** Parses "0.0025" / "12" (at most 18 fractional digits, non-negative). */
  static parse(s: string): Dec {
    const m = /^([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(s);
    if (!m) throw new Error(`invalid decimal: ${JSON.stringify(s)}`);
    const frac = (m[2] ?? "").padEnd(18, "0");
    return new Dec(BigInt(m[1]!) * ONE + BigInt(frac));
  }

  /** ceil(this × n) for an integer n. */
  mulIntCeil(n: bigint): bigint {
    const p = this.atomics * n;
    return (p + ONE - 1n) / ONE;
  }

  /** LegacyDec.String(): always 18 fractional digits, e.g. "0.130000000000000000", "-1.500000000000000000". */
  toString(): string {
    const neg = this.atomics < 0n;
    const abs = neg ? -this.atomics : this.atomics;
    const frac = (abs % ONE).toString().padStart(18, "0");
    return `${neg ? "-" : ""}${abs / ONE}.${frac}`;
  }
}

/** A gas price such as "0.0025usoa". */
export interface DecCoin {
  denom: string;
  amount: Dec;
}

export function parseDecCoins(s: string): DecCoin[] {
  if (s.trim() === "") return [];
  return s.split(",").map((part) => {
    const m = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(part.trim());
    if (!m) throw new Error(`invalid gas price ${JSON.stringify(part)}: expected e.g. 0.0025usoa`);
    return { denom: m[2]!, amount: Dec.parse(m[1]!) };
  });
}
