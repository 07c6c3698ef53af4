import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { BECH32_PREFIX } from "../constants.js";
import { ErrInvalidAddress } from "../errors/sdk.js";

/** BIP-173 length limit; passed explicitly because @cosmjs/encoding's default (Infinity) is rejected by @scure/base 2. */
export const BECH32_MAX_LENGTH = 90;

/**
 * Bech32 checksums dominate address handling and the same few addresses recur in every tx
 * (signer, recipient, fee collector), so conversions are memoised. Bounded: cleared when full.
 * Pure functions of their input, so the caches cannot affect results.
 */
const CACHE_LIMIT = 50_000;
const parsed = new Map<string, Uint8Array>();
const formatted = new Map<string, string>();

function remember<V>(m: Map<string, V>, k: string, v: V): V {
  if (m.size >= CACHE_LIMIT) m.clear();
  m.set(k, v);
  return v;
}

function decodeAddress(addr: string, prefix: string): Uint8Array {
  if (typeof addr !== "string" || addr.length === 0) throw ErrInvalidAddress.wrap("empty address string is not allowed");
  if (addr !== addr.toLowerCase()) throw ErrInvalidAddress.wrap(`invalid address ${JSON.stringify(addr)}: must be lowercase`);
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(addr, BECH32_MAX_LENGTH);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid address ${JSON.stringify(addr)}: ${(e as Error).message}`);
  }
  if (decoded.prefix !== prefix) {
    throw ErrInvalidAddress.wrap(`invalid Bech32 prefix; expected ${prefix}, got ${decoded.prefix}`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw ErrInvalidAddress.wrap(`address length must be 20 or 32 bytes, got ${decoded.data.length}`);
  }
  return decoded.data;
}

/** Decodes a bech32 account address with our prefix; throws ErrInvalidAddress otherwise. Do not mutate the result. */
export function parseAddress(addr: string, prefix = BECH32_PREFIX): Uint8Array {
  const k = `${prefix}:${addr}`;
  return parsed.get(k) ?? remember(parsed, k, decodeAddress(addr, prefix));
}

export function formatAddress(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  const k = `${prefix}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")}`;
  return formatted.get(k) ?? remember(formatted, k, toBech32(prefix, bytes));
}
