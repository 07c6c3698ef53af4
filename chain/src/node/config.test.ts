import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { patchTomlText, validateMinGasPrices } from "./config.js";

const SAMPLE = `# top comment
version = "0.38.25"

# proxy comment
proxy_app = "tcp://127.0.0.1:26658"
moniker = "vm"

[rpc]

# laddr comment
laddr = "tcp://127.0.0.1:26657"
cors_allowed_methods = ["HEAD", "GET", "POST", ]
max_body_bytes = 1000000

[p2p]
persistent_peers = ""
multi = [
  "a",
  "b",
]
pex = true

[consensus]
timeout_commit = "1s"
`;

describe("patchTomlText", () => {
  it("replaces values in place and keeps every comment", () => {
    const out = patchTomlText(SAMPLE, {
      "": { proxy_app: "unix:///h/app.sock", moniker: "node0" },
      rpc: { max_body_bytes: 10_000_000 },
      p2p: { pex: false, persistent_peers: "id@127.0.0.1:1" },
      consensus: { timeout_commit: "250ms" },
    });
    for (const comment of ["# top comment", "# proxy comment", "# laddr comment"]) expect(out).toContain(comment);
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    expect(parsed["proxy_app"]).toBe("unix:///h/app.sock");
    expect(parsed["moniker"]).toBe("node0");
    expect(parsed["rpc"]?.["max_body_bytes"]).toBe(10_000_000);
    expect(parsed["rpc"]?.["laddr"]).toBe("tcp://127.0.0.1:26657");
    expect(parsed["p2p"]?.["pex"]).toBe(false);
    expect(parsed["consensus"]?.["timeout_commit"]).toBe("250ms");
    expect(out.split("\n").length).toBe(SAMPLE.split("\n").length);
  });

  it("only touches the key of the named section", () => {
    const out = patchTomlText(SAMPLE, { rpc: { laddr: "tcp://127.0.0.1:1" } });
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    expect(parsed["rpc"]?.["laddr"]).toBe("tcp://127.0.0.1:1");
  });

  it("replaces a multi-line array as a whole", () => {
    const out = patchTomlText(SAMPLE, { p2p: { multi: ["x"] } });
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    expect(parsed["p2p"]?.["multi"]).toEqual(["x"]);
    expect(parsed["p2p"]?.["pex"]).toBe(true);
    expect(out).not.toContain('"b"');
  });

  it("adds missing keys to their section and missing sections at the end", () => {
    const out = patchTomlText(SAMPLE, { rpc: { new_key: "v" }, fresh: { a: 1 }, "": { top_new: true } });
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    expect(parsed["rpc"]?.["new_key"]).toBe("v");
    expect(parsed["fresh"]?.["a"]).toBe(1);
    expect(parsed["top_new"]).toBe(true);
  });

  it("escapes strings", () => {
    const out = patchTomlText(SAMPLE, { "": { moniker: 'a "quoted" \\ name' } });
    expect((parse(out) as Record<string, unknown>)["moniker"]).toBe('a "quoted" \\ name');
  });
});

describe("validateMinGasPrices", () => {
  it("accepts decimal prices and the empty string", () => {
    for (const ok of ["0.0025usoa", "1usoa", "0.1usoa,2stake", ""]) expect(validateMinGasPrices(ok)).toBe(ok);
  });
  it("rejects malformed prices", () => {
    for (const bad of ["usoa", "0.1", "-1usoa", "0.1 usoa", "1.usoa", "0.1usoa,"]) {
      expect(() => validateMinGasPrices(bad), bad).toThrow(/minimum-gas-prices/);
    }
  });
});
