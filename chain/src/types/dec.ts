// Fixed-point decimal with 18 fractional digits, stored as a bigint of atomics (the SDK's LegacyDec).
const ONE = 10n ** 18n;

export class Dec {
  private constructor(readonly atomics: bigint) {}

  static fromAtomics(atomics: bigint): Dec {
    return new Dec(atomics);
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

  toString(): string {
    const int = this.atomics / ONE;
    const frac = (this.atomics % ONE).toString().padStart(18, "0");
    return `${int}.${frac}`;
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
