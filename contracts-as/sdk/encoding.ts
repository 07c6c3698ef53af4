// base64 (standard alphabet, padded output; decoding accepts padded or unpadded like cosmwasm-std's
// Binary) and lowercase hex. Strings in, bytes out and back.

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64Encode(data: Uint8Array): string {
  const n = data.length;
  const out = new Uint8Array(((n + 2) / 3) * 4);
  const alphabet = changetype<usize>(String.UTF8.encode(B64));
  let o = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (<u32>data[i] << 16) | (<u32>data[i + 1] << 8) | <u32>data[i + 2];
    out[o++] = load<u8>(alphabet + ((v >> 18) & 63));
    out[o++] = load<u8>(alphabet + ((v >> 12) & 63));
    out[o++] = load<u8>(alphabet + ((v >> 6) & 63));
    out[o++] = load<u8>(alphabet + (v & 63));
  }
  const rest = n - i;
  if (rest > 0) {
    let v = <u32>data[i] << 16;
    if (rest == 2) v |= <u32>data[i + 1] << 8;
    out[o++] = load<u8>(alphabet + ((v >> 18) & 63));
    out[o++] = load<u8>(alphabet + ((v >> 12) & 63));
    out[o++] = rest == 2 ? load<u8>(alphabet + ((v >> 6) & 63)) : 0x3d;
    out[o++] = 0x3d;
  }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>out.length);
}

function b64Value(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}

/** Decodes standard base64 (padding optional but, if present, correct). Returns null if invalid. */
export function base64Decode(s: string): Uint8Array | null {
  let len = s.length;
  if (len % 4 == 0 && len >= 4) {
    if (s.charCodeAt(len - 1) == 0x3d) len--;
    if (s.charCodeAt(len - 1) == 0x3d) len--;
  }
  const rem = len % 4;
  if (rem == 1) return null;
  const outLen = (len / 4) * 3 + (rem == 0 ? 0 : rem - 1);
  const out = new Uint8Array(outLen);
  let o = 0;
  let acc: u32 = 0;
  let bits: u32 = 0;
  for (let i = 0; i < len; i++) {
    const v = b64Value(s.charCodeAt(i));
    if (v < 0) return null;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = <u8>(acc >> bits);
      acc &= (1 << bits) - 1;
    }
  }
  if (acc != 0) return null; // non-zero trailing bits: not canonical (the base64 crate rejects them)
  return out;
}

const HEX = "0123456789abcdef";

export function hexEncode(data: Uint8Array): string {
  const parts = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = <i32>data[i];
    parts[i] = HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return parts.join("");
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

export function hexDecode(s: string): Uint8Array | null {
  if (s.length % 2 != 0) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(s.charCodeAt(2 * i));
    const lo = hexValue(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = <u8>((hi << 4) | lo);
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Decodes UTF-8 bytes. */
export function fromUtf8(b: Uint8Array): string {
  return String.UTF8.decodeUnsafe(b.dataStart, <usize>b.length);
}
