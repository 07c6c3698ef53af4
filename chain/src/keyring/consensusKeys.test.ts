// CometBFT key files: fixed vectors (from a throwaway `cometbft init`) and, when .bin/cometbft is
// installed, a fresh home compared with the binary's own output.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBech32 } from "@cosmjs/encoding";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../node/cometbft.js";
import { consensusAddress, ed25519PubkeyJson, nodeIdFromPubkey, readNodeKeyPubkey, readValidatorPubkey, valconsAddress } from "./consensusKeys.js";

const root = mkdtempSync(join(tmpdir(), "soa-conskeys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PRIV_VALIDATOR = {
  address: "2D91DCBE75BF08A9100378EF66F02C9BFCA9E8FC",
  pub_key: { type: "tendermint/PubKeyEd25519", value: "8ncbhyfTl61mJ0zsxQi8xYxiSpuEbGTKs5Ses05L3ZE=" },
  priv_key: {
    type: "tendermint/PrivKeyEd25519",
    value: "sH3lLuMZy1TrS72XTZpPxWKeD9keRH2jgda4/a0aCrjydxuHJ9OXrWYnTOzFCLzFjGJKm4RsZMqzlJ6zTkvdkQ==",
  },
};
const NODE_KEY = {
  priv_key: {
    type: "tendermint/PrivKeyEd25519",
    value: "g1Fkyx33sRnPUDyTwFVPyGd5+sRrJjX0qGP8sbeU9pQpkudrv3NUAd4grAOH4dxJyK89fu39UFjww3URx+Q/SQ==",
  },
};
const NODE_ID = "4a3f90071b7531e423847e2bb06b1cf4728c6d76";

function write(name: string, value: unknown): string {
  const f = join(root, name);
  writeFileSync(f, typeof value === "string" ? value : JSON.stringify(value));
  return f;
}

describe("CometBFT key files", () => {
  it("reads the consensus key, node id and consensus address (vectors)", () => {
    const pub = readValidatorPubkey(write("pv.json", PRIV_VALIDATOR));
    expect(ed25519PubkeyJson(pub)).toEqual({ "@type": "/cosmos.crypto.ed25519.PubKey", key: PRIV_VALIDATOR.pub_key.value });
    expect(Buffer.from(consensusAddress(pub)).toString("hex").toUpperCase()).toBe(PRIV_VALIDATOR.address);
    const valcons = valconsAddress(pub);
    expect(valcons).toMatch(/^soavalcons1/);
    const decoded = fromBech32(valcons);
    expect(decoded.prefix).toBe("soavalcons");
    expect(Buffer.from(decoded.data).toString("hex").toUpperCase()).toBe(PRIV_VALIDATOR.address);
    expect(nodeIdFromPubkey(readNodeKeyPubkey(write("nk.json", NODE_KEY)))).toBe(NODE_ID);
  });

  it("rejects missing, malformed and inconsistent files with clear messages", () => {
    expect(() => readValidatorPubkey(join(root, "missing.json"))).toThrow(/not found \(run soad init first/);
    expect(() => readValidatorPubkey(write("bad.json", "{"))).toThrow(/not a JSON object/);
    expect(() => readValidatorPubkey(write("secp.json", { ...PRIV_VALIDATOR, pub_key: { type: "tendermint/PubKeySecp256k1", value: "AA==" } }))).toThrow(
      /only tendermint\/PubKeyEd25519 keys are supported/,
    );
    expect(() => readValidatorPubkey(write("addr.json", { ...PRIV_VALIDATOR, address: "00".repeat(20) }))).toThrow(/address does not match/);
    const otherPub = Buffer.from(NODE_KEY.priv_key.value, "base64").subarray(32).toString("base64");
    expect(() => readValidatorPubkey(write("mix.json", { ...PRIV_VALIDATOR, pub_key: { ...PRIV_VALIDATOR.pub_key, value: otherPub } }))).toThrow(
      /does not match priv_key/,
    );
    const broken = Buffer.from(NODE_KEY.priv_key.value, "base64");
    broken[40]! ^= 1;
    expect(() => readNodeKeyPubkey(write("nk2.json", { priv_key: { ...NODE_KEY.priv_key, value: broken.toString("base64") } }))).toThrow(/inconsistent/);
    expect(() => readNodeKeyPubkey(write("nk3.json", { priv_key: { ...NODE_KEY.priv_key, value: "AAAA" } }))).toThrow(/64 bytes/);
  });

  const cometbft = join(REPO_ROOT, ".bin", "cometbft");
  it.skipIf(!existsSync(cometbft))("agrees with `cometbft show-node-id` / `show-validator` on a fresh home", () => {
    const home = join(root, "home");
    execFileSync(cometbft, ["init", "--home", home], { stdio: "ignore" });
    const nodeId = execFileSync(cometbft, ["show-node-id", "--home", home], { encoding: "utf8" }).trim();
    expect(nodeIdFromPubkey(readNodeKeyPubkey(join(home, "config", "node_key.json")))).toBe(nodeId);
    const shown = JSON.parse(execFileSync(cometbft, ["show-validator", "--home", home], { encoding: "utf8" })) as { value: string };
    const pub = readValidatorPubkey(join(home, "config", "priv_validator_key.json"));
    expect(Buffer.from(pub).toString("base64")).toBe(shown.value);
    const pv = JSON.parse(readFileSync(join(home, "config", "priv_validator_key.json"), "utf8")) as { address: string };
    expect(Buffer.from(fromBech32(valconsAddress(pub)).data).toString("hex").toUpperCase()).toBe(pv.address);
  });
});
