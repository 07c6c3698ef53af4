import { base64Decode, base64Encode, hexDecode, hexEncode, utf8, fromUtf8 } from "../encoding";

function b64(s: string): string {
  return base64Encode(utf8(s));
}

function unb64(s: string): string | null {
  const b = base64Decode(s);
  return b === null ? null : fromUtf8(b);
}

describe("base64", () => {
  it("encodes the RFC 4648 vectors with padding", () => {
    expect<string>(b64("")).toBe("");
    expect<string>(b64("f")).toBe("Zg==");
    expect<string>(b64("fo")).toBe("Zm8=");
    expect<string>(b64("foo")).toBe("Zm9v");
    expect<string>(b64("foob")).toBe("Zm9vYg==");
    expect<string>(b64("fooba")).toBe("Zm9vYmE=");
    expect<string>(b64("foobar")).toBe("Zm9vYmFy");
    expect<string>(b64('{"increment":{}}')).toBe("eyJpbmNyZW1lbnQiOnt9fQ==");
  });

  it("encodes all byte values (+ and /)", () => {
    const b = new Uint8Array(3);
    b[0] = 0xfb;
    b[1] = 0xff;
    b[2] = 0xbf;
    expect<string>(base64Encode(b)).toBe("+/+/");
  });

  it("decodes padded and unpadded input", () => {
    expect<string | null>(unb64("Zm9vYg==")).toBe("foob");
    expect<string | null>(unb64("Zm9vYg")).toBe("foob");
    expect<string | null>(unb64("Zm9vYmE=")).toBe("fooba");
    expect<string | null>(unb64("Zm9vYmE")).toBe("fooba");
    expect<string | null>(unb64("")).toBe("");
  });

  it("rejects invalid input", () => {
    expect<bool>(base64Decode("Zm9v!") === null).toBe(true); // bad character
    expect<bool>(base64Decode("Z") === null).toBe(true); // impossible length
    expect<bool>(base64Decode("Zg=") === null).toBe(true); // partial padding
    expect<bool>(base64Decode("Zh==") === null).toBe(true); // non-zero trailing bits
    expect<bool>(base64Decode("Zm=v") === null).toBe(true); // padding inside
    expect<bool>(base64Decode("-_8=") === null).toBe(true); // URL alphabet
  });
});

describe("hex", () => {
  it("round-trips", () => {
    const b = hexDecode("00ff10Ab");
    expect<bool>(b !== null).toBe(true);
    expect<string>(hexEncode(b!)).toBe("00ff10ab");
    expect<bool>(hexDecode("abc") === null).toBe(true);
    expect<bool>(hexDecode("zz") === null).toBe(true);
  });
});
