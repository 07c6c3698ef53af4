// Conversions between display amounts ("1.5" SOA) and base units ("1500000" usoa), exact (bigint).
import { DECIMALS, DENOM } from "./constants.js";

const DISPLAY_RE = /^(\d+)(?:\.(\d*))?$/;

/** "1.5" (SOA) -> "1500000" (usoa). Throws on more than DECIMALS fractional digits or malformed input. */
export function toBaseUnits(display: string): string {
  const m = DISPLAY_RE.exec(display.trim());
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(display)}`);
  const frac = m[2] ?? "";
  if (frac.length > DECIMALS) throw new Error(`too many decimals in ${display} (at most ${DECIMALS})`);
  return (BigInt(m[1]!) * 10n ** BigInt(DECIMALS) + BigInt(frac.padEnd(DECIMALS, "0") || "0")).toString();
}

/** "1500000" (usoa) -> "1.5" (SOA); trailing zeros dropped, integers without a dot. */
export function fromBaseUnits(base: string | bigint): string {
  const v = BigInt(base);
  if (v < 0n) throw new Error(`negative amount: ${base}`);
  const unit = 10n ** BigInt(DECIMALS);
  const whole = v / unit;
  const frac = (v % unit).toString().padStart(DECIMALS, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** A coin list of `amount` usoa, the shape `sendTokens` and fees take. */
export function usoa(amount: string | number | bigint): { denom: string; amount: string }[] {
  const a = BigInt(amount);
  if (a < 0n) throw new Error(`negative amount: ${amount}`);
  return [{ denom: DENOM, amount: a.toString() }];
}
