// Hand-written encoder for the Response{finalize_block} frame (ExecTxResult/Event/EventAttribute),
// byte-identical to cosmjs-types' output (proto3 default omission, field order). cosmjs-types' BinaryWriter
// allocates one Op object per field and a State per nested message: ~120 µs per bank-send result (12 events,
// 28 attributes); this two-pass encoder (sizes, then writes into one buffer) is several times cheaper.
import type { Event, ExecTxResult, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";

const varintLen = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

function varint64Len(v: bigint): number {
  if (v < 0n) return 10;
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function strLen(s: string): number {
  return s.length === 0 ? 0 : Buffer.byteLength(s, "utf8");
}

/** Size of an Event body; pushes [attr sizes..., key len, value len per attr] in order. */
function eventSize(e: Event, sz: number[]): number {
  const at = sz.length;
  sz.push(0); // event body size placeholder
  const tl = strLen(e.type);
  sz.push(tl);
  let n = tl > 0 ? 1 + varintLen(tl) + tl : 0;
  for (const a of e.attributes) {
    const slot = sz.length;
    sz.push(0);
    const kl = strLen(a.key);
    const vl = strLen(a.value);
    sz.push(kl, vl);
    const body = (kl > 0 ? 1 + varintLen(kl) + kl : 0) + (vl > 0 ? 1 + varintLen(vl) + vl : 0) + (a.index ? 2 : 0);
    sz[slot] = body;
    n += 1 + varintLen(body) + body;
  }
  sz[at] = n;
  return n;
}

function resultSize(r: ExecTxResult, sz: number[]): number {
  const at = sz.length;
  sz.push(0);
  let n = 0;
  if (r.code !== 0) n += 1 + varintLen(r.code);
  if (r.data.length > 0) n += 1 + varintLen(r.data.length) + r.data.length;
  const ll = strLen(r.log);
  const il = strLen(r.info);
  sz.push(ll, il);
  if (ll > 0) n += 1 + varintLen(ll) + ll;
  if (il > 0) n += 1 + varintLen(il) + il;
  if (r.gasWanted !== 0n) n += 1 + varint64Len(r.gasWanted);
  if (r.gasUsed !== 0n) n += 1 + varint64Len(r.gasUsed);
  for (const e of r.events) {
    const es = eventSize(e, sz);
    n += 1 + varintLen(es) + es;
  }
  const cl = strLen(r.codespace);
  sz.push(cl);
  if (cl > 0) n += 1 + varintLen(cl) + cl;
  sz[at] = n;
  return n;
}

class W {
  pos = 0;
  k = 0;
  constructor(
    readonly buf: Buffer,
    readonly sz: number[],
  ) {}
  next(): number {
    return this.sz[this.k++]!;
  }
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }
  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }
  varint64(v: bigint): void {
    if (v < 0n) v = BigInt.asUintN(64, v);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }
  str(tag: number, s: string, len: number): void {
    if (len === 0) return;
    this.byte(tag);
    this.varint(len);
    this.pos += len === s.length ? this.buf.write(s, this.pos, "latin1") : this.buf.write(s, this.pos, "utf8");
  }
  bytes(tag: number, b: Uint8Array): void {
    if (b.length === 0) return;
    this.byte(tag);
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  event(tag: number, e: Event): void {
    const size = this.next();
    this.byte(tag);
    this.varint(size);
    this.str(0x0a, e.type, this.next());
    for (const a of e.attributes) {
      const as = this.next();
      this.byte(0x12);
      this.varint(as);
      this.str(0x0a, a.key, this.next());
      this.str(0x12, a.value, this.next());
      if (a.index) {
        this.byte(0x18);
        this.byte(1);
      }
    }
  }
  result(r: ExecTxResult): void {
    const size = this.next();
    this.byte(0x12); // ResponseFinalizeBlock.tx_results = 2
    this.varint(size);
    if (r.code !== 0) {
      this.byte(0x08);
      this.varint(r.code);
    }
    this.bytes(0x12, r.data);
    this.str(0x1a, r.log, this.next());
    this.str(0x22, r.info, this.next());
    if (r.gasWanted !== 0n) {
      this.byte(0x28);
      this.varint64(r.gasWanted);
    }
    if (r.gasUsed !== 0n) {
      this.byte(0x30);
      this.varint64(r.gasUsed);
    }
    for (const e of r.events) this.event(0x3a, e);
    this.str(0x42, r.codespace, this.next());
  }
}

/**
 * Length-prefixed Response{finalize_block} frame, or undefined when the response uses fields this encoder
 * does not handle (validator updates, consensus param updates): the caller falls back to cosmjs-types.
 */
export function frameFinalizeBlock(res: ResponseFinalizeBlock): Uint8Array | undefined {
  if (res.validatorUpdates.length > 0 || res.consensusParamUpdates !== undefined) return undefined;
  const sz: number[] = [];
  let body = 0;
  for (const e of res.events) {
    const es = eventSize(e, sz);
    body += 1 + varintLen(es) + es;
  }
  for (const r of res.txResults) {
    const rs = resultSize(r, sz);
    body += 1 + varintLen(rs) + rs;
  }
  if (res.appHash.length > 0) body += 1 + varintLen(res.appHash.length) + res.appHash.length;
  const inner = 2 + varintLen(body) + body; // Response.finalize_block = 21: tag 0xAA 0x01
  const total = varintLen(inner) + inner;
  const w = new W(Buffer.allocUnsafe(total), sz);
  w.varint(inner);
  w.byte(0xaa);
  w.byte(0x01);
  w.varint(body);
  for (const e of res.events) w.event(0x0a, e);
  for (const r of res.txResults) w.result(r);
  w.bytes(0x2a, res.appHash);
  if (w.pos !== total) throw new Error(`frameFinalizeBlock: wrote ${w.pos} of ${total} bytes`);
  return w.buf;
}

