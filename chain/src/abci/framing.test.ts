import { Request, Response, ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { describe, expect, it } from "vitest";
import {
  AbciFramingError,
  DEFAULT_MAX_MESSAGE_BYTES,
  encodeFrame,
  encodeUvarint,
  FrameDecoder,
  frameRequest,
  frameResponse,
  requestKind,
  responseKind,
  uvarintLength,
} from "./framing.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

const INFO_REQUEST: Request = {
  info: { version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" },
};

// Deterministic PRNG so failures reproduce.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

describe("ABCI.md §2.1 framing vectors", () => {
  it("Request{flush} = 02 12 00", () => {
    expect(hex(frameRequest({ flush: {} }))).toBe("021200");
  });

  it("Response{flush} = 02 1a 00", () => {
    expect(hex(frameResponse({ flush: {} }))).toBe("021a00");
  });

  it("Response{commit:{}} (retain_height 0) = 02 62 00", () => {
    expect(hex(frameResponse({ commit: { retainHeight: 0n } }))).toBe("026200");
  });

  it("the Info request vector", () => {
    const expected = "16 1a 14 0a 07 302e33382e3235 10 0b 18 08 22 05 322e302e30";
    expect(hex(frameRequest(INFO_REQUEST))).toBe(hex(unhex(expected)));
    // And back through the decoder.
    const [frame] = new FrameDecoder().push(unhex(expected));
    expect(Request.decode(frame!)).toMatchObject(INFO_REQUEST);
  });

  it("uvarint(300) = ac 02 (not the zigzag d8 04)", () => {
    expect(hex(encodeUvarint(300))).toBe("ac02");
  });

  it("encodeFrame agrees with the writer-based framing", () => {
    const body = Request.encode(INFO_REQUEST).finish();
    expect(hex(encodeFrame(body))).toBe(hex(frameRequest(INFO_REQUEST)));
  });
});

describe("uvarint", () => {
  it.each([
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8001"],
    [16383, "ff7f"],
    [16384, "808001"],
    [2 ** 31, "8080808008"],
    [2 ** 32, "8080808010"],
    [Number.MAX_SAFE_INTEGER, "ffffffffffffff0f"],
  ])("uvarint(%d) = %s", (n, want) => {
    expect(hex(encodeUvarint(n))).toBe(want);
    expect(uvarintLength(n)).toBe(want.length / 2);
  });

  it("rejects negative and non-integer lengths", () => {
    expect(() => encodeUvarint(-1)).toThrow(RangeError);
    expect(() => encodeUvarint(1.5)).toThrow(RangeError);
    expect(() => encodeUvarint(2 ** 53)).toThrow(RangeError);
  });
});

describe("FrameDecoder", () => {
  // A stream mixing empty, tiny, 127/128-byte (prefix width change) and multi-chunk bodies.
  const bodies = [0, 1, 3, 127, 128, 300, 70_000, 5, 0].map((len, i) =>
    Uint8Array.from({ length: len }, (_, j) => (i * 31 + j) & 0xff),
  );
  const stream = concat(bodies.map(encodeFrame));

  const expectBodies = (frames: Uint8Array[]) => {
    expect(frames.length).toBe(bodies.length);
    frames.forEach((f, i) => expect(hex(f)).toBe(hex(bodies[i]!)));
  };

  it("decodes coalesced frames from one chunk", () => {
    const d = new FrameDecoder();
    expectBodies(d.push(stream));
    expect(d.midFrame).toBe(false);
  });

  it("decodes byte-by-byte delivery", () => {
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) {
      d.push(stream.subarray(i, i + 1), out);
    }
    expectBodies(out);
    expect(d.midFrame).toBe(false);
  });

  it("decodes random splits (prefixes and bodies cut anywhere)", () => {
    const next = lcg(42);
    for (let round = 0; round < 50; round++) {
      const d = new FrameDecoder();
      const out: Uint8Array[] = [];
      let pos = 0;
      while (pos < stream.length) {
        const n = 1 + (next() % (round % 2 ? 7 : 9000));
        d.push(stream.subarray(pos, pos + n), out);
        pos += n;
      }
      expectBodies(out);
    }
  });

  it("returns a frame only once it is complete, including a prefix split mid-varint", () => {
    const body = new Uint8Array(300).fill(7);
    const framed = encodeFrame(body); // ac 02 + 300 bytes
    const d = new FrameDecoder();
    expect(d.push(framed.subarray(0, 1))).toEqual([]); // truncated varint: waits for more
    expect(d.midFrame).toBe(true);
    expect(d.push(framed.subarray(1, 2))).toEqual([]);
    expect(d.push(framed.subarray(2, 200))).toEqual([]);
    const frames = d.push(framed.subarray(200));
    expect(frames).toHaveLength(1);
    expect(hex(frames[0]!)).toBe(hex(body));
    expect(d.midFrame).toBe(false);
  });

  it("does not alias a multi-chunk frame to the caller's chunks", () => {
    const framed = encodeFrame(new Uint8Array([1, 2, 3, 4]));
    const a = framed.slice(0, 3);
    const b = framed.slice(3);
    const d = new FrameDecoder();
    d.push(a);
    const [frame] = d.push(b);
    a.fill(0);
    b.fill(0);
    expect([...frame!]).toEqual([1, 2, 3, 4]);
  });

  it("accepts a non-minimal prefix of up to 10 bytes (Go's ReadUvarint does)", () => {
    const d = new FrameDecoder();
    const frames = d.push(unhex("81 80 80 80 80 80 80 80 80 00 aa"));
    expect(frames.map(hex)).toEqual(["aa"]);
  });

  it("rejects a length prefix longer than 10 bytes", () => {
    const d = new FrameDecoder();
    expect(() => d.push(new Uint8Array(11).fill(0x80))).toThrow(/longer than 10 bytes/);
  });

  it("rejects a length prefix longer than 10 bytes delivered byte by byte", () => {
    const d = new FrameDecoder();
    for (let i = 0; i < 10; i++) d.push(Uint8Array.of(0x80));
    expect(() => d.push(Uint8Array.of(0x80))).toThrow(AbciFramingError);
  });

  it("rejects a message over the cap as soon as the prefix says so", () => {
    const d = new FrameDecoder(1000);
    expect(() => d.push(encodeUvarint(1001))).toThrow(/1001 exceeds the 1000-byte cap/);
    // Sticky: the stream cannot be resynchronised.
    expect(() => d.push(encodeFrame(new Uint8Array(1)))).toThrow(AbciFramingError);
  });

  it("accepts a message of exactly the cap", () => {
    const d = new FrameDecoder(1000);
    expect(d.push(encodeFrame(new Uint8Array(1000)))[0]!.length).toBe(1000);
  });

  it("rejects a huge 10-byte length with the default cap", () => {
    const d = new FrameDecoder();
    expect(d.maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(() => d.push(unhex("ff ff ff ff ff ff ff ff ff 01"))).toThrow(/exceeds/);
    expect(() => new FrameDecoder().push(encodeUvarint(DEFAULT_MAX_MESSAGE_BYTES + 1))).toThrow(/exceeds/);
  });

  it("reassembles a large message from many chunks", () => {
    const body = new Uint8Array(1 << 20);
    const next = lcg(7);
    for (let i = 0; i < body.length; i++) body[i] = next() & 0xff;
    const framed = encodeFrame(body);
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let pos = 0; pos < framed.length; pos += 65536) d.push(framed.subarray(pos, pos + 65536), out);
    expect(out).toHaveLength(1);
    expect(Buffer.from(out[0]!).equals(Buffer.from(body))).toBe(true);
  });
});

describe("helpers", () => {
  it("requestKind / responseKind name the set oneof field", () => {
    expect(requestKind({ checkTx: { tx: new Uint8Array(1), type: 0 } })).toBe("checkTx");
    expect(requestKind(Request.decode(new Uint8Array()))).toBeUndefined();
    expect(responseKind({ exception: { error: "x" } })).toBe("exception");
    expect(responseKind(Response.decode(unhex("1a00")))).toBe("flush");
  });

  it("frameResponse copies the bytes out at once (callers may reuse their buffers)", () => {
    const data = Uint8Array.of(1, 2, 3);
    const framed = frameResponse({ checkTx: ResponseCheckTx.fromPartial({ data }) });
    data.fill(9);
    expect(hex(framed)).toBe("07" + "4a05" + "1203010203");
  });

  it("frameResponse surfaces encoder errors for malformed responses", () => {
    const bad = { checkTx: { code: 0, events: undefined } } as unknown as Response;
    expect(() => frameResponse(bad)).toThrow();
  });

  it("frames of every size match encode().finish() with a uvarint prefix", () => {
    for (const n of [0, 1, 120, 127, 128, 4000, 5000, 20000]) {
      const req: Request = { checkTx: { tx: new Uint8Array(n).fill(n & 0xff), type: 1 } };
      expect(hex(frameRequest(req))).toBe(hex(encodeFrame(Request.encode(req).finish())));
    }
  });
});
