import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { BECH32_PREFIX } from "../constants.js";
import { ErrInvalidAddress } from "../errors/sdk.js";

/** BIP-173 length limit; passed explicitly because @cosmjs/encoding's default (Infinity) is rejected by @scure/base 2. */
export const BECH32_MAX_LENGTH = 90;

/** Decodes a bech32 account address with our prefix; throws ErrInvalidAddress otherwise. */
export function parseAddress(addr: string, prefix = BECH32_PREFIX): Uint8Array {
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

export function formatAddress(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  return toBech32(prefix, bytes);
}
