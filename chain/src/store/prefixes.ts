// One-byte key prefixes of the whole state, one owner each. Retired numbers are never reused.
export const Prefix = {
  /** app: chain id and other consensus-wide values set at genesis. */
  App: 0x00,
  /** auth: account by address bytes → Any(BaseAccount | ModuleAccount). */
  AuthAccount: 0x01,
  /** auth: next global account number (uint64 BE). */
  AuthNextAccountNumber: 0x02,
  /** auth: params (cosmos.auth.v1beta1.Params). */
  AuthParams: 0x03,
  /** bank: balance by len(addr)|addr|denom → amount (decimal ASCII). */
  BankBalance: 0x10,
  /** bank: total supply by denom → amount (decimal ASCII). */
  BankSupply: 0x11,
  /** bank: denom metadata by base denom → cosmos.bank.v1beta1.Metadata. */
  BankDenomMetadata: 0x12,
  /** bank: params (cosmos.bank.v1beta1.Params, default_send_enabled only). */
  BankParams: 0x13,
  /** bank: send-enabled flag by denom → 0x00 | 0x01. */
  BankSendEnabled: 0x14,
} as const;

export function key(prefix: number, ...parts: Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from([prefix]), ...parts]);
}

/** Length-prefixed component so that composite keys cannot collide. */
export function lengthPrefixed(b: Uint8Array): Buffer {
  if (b.length > 255) throw new Error("key component longer than 255 bytes");
  return Buffer.concat([Buffer.from([b.length]), b]);
}
