// Coins as bigint amounts. A valid Coins list is sorted by denom, has no duplicates and no zero
// amounts (SDK rules), so equal sets always serialise identically.
import { ErrInvalidCoins } from "../errors/sdk.js";

export interface Coin {
  denom: string;
  amount: bigint;
}

const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const MAX_AMOUNT = (1n << 256n) - 1n;

export function validateDenom(denom: string): void {
  if (!DENOM_RE.test(denom)) throw ErrInvalidCoins.wrap(`invalid denom: ${JSON.stringify(denom)}`);
}

/** Parses a protobuf Coin amount string: a non-negative decimal integer, no sign, no leading junk. */
export function parseAmount(amount: string): bigint {
  if (!/^[0-9]{1,78}$/.test(amount)) throw ErrInvalidCoins.wrap(`invalid coin amount: ${JSON.stringify(amount)}`);
  const v = BigInt(amount);
  if (v > MAX_AMOUNT) throw ErrInvalidCoins.wrap(`coin amount out of range: ${amount}`);
  return v;
}

/** Converts wire coins to validated Coins: sorted, unique, positive (SDK `Coins.Validate`). */
export function coinsFromProto(list: readonly { denom: string; amount: string }[], allowEmpty = true): Coin[] {
  if (list.length === 0 && !allowEmpty) throw ErrInvalidCoins.wrap("empty coins");
  const out: Coin[] = [];
  for (const c of list) {
    validateDenom(c.denom);
    const amount = parseAmount(c.amount);
    if (amount === 0n) throw ErrInvalidCoins.wrap(`coin ${c.amount}${c.denom} amount is not positive`);
    const prev = out[out.length - 1];
    if (prev && prev.denom >= c.denom) {
      throw ErrInvalidCoins.wrap(prev.denom === c.denom ? `duplicate denomination ${c.denom}` : `denomination ${c.denom} is not sorted`);
    }
    out.push({ denom: c.denom, amount });
  }
  return out;
}

/** SDK string form: "10usoa,5uatom" (sorted). Empty coins render as "". */
export function formatCoins(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}

/** Parses "10usoa,5foo" into sorted Coins (CLI and config input). */
export function parseCoins(s: string): Coin[] {
  const trimmed = s.trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(",").map((p) => {
    const m = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(p.trim());
    if (!m) throw ErrInvalidCoins.wrap(`invalid coin expression: ${JSON.stringify(p)}`);
    return { denom: m[2]!, amount: m[1]! };
  });
  parts.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  return coinsFromProto(parts);
}

/** Sum of two coin lists (inputs need not be sorted; output is canonical). */
export function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const m = new Map<string, bigint>();
  for (const c of [...a, ...b]) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return [...m.entries()]
    .filter(([, v]) => v !== 0n)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

export function coinsEqual(a: readonly Coin[], b: readonly Coin[]): boolean {
  return a.length === b.length && a.every((c, i) => c.denom === b[i]!.denom && c.amount === b[i]!.amount);
}
