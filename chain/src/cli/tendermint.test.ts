// `soad tendermint` against a home made by `soad init` (real `cometbft init`).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBech32 } from "@cosmjs/encoding";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../node/cometbft.js";
import { runCli } from "./main.js";

const root = mkdtempSync(join(tmpdir(), "soa-tm-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<number> {
  out = "";
  err = "";
  return runCli(args);
}

const cometbft = join(REPO_ROOT, ".bin", "cometbft");

describe.skipIf(!existsSync(cometbft))("soad tendermint", () => {
  it("show-validator, show-node-id and show-address on a fresh home", async () => {
    const home = join(root, "n0");
    expect(await cli(["init", "n0", "--home", home])).toBe(0);
    const pv = JSON.parse(readFileSync(join(home, "config", "priv_validator_key.json"), "utf8")) as {
      address: string;
      pub_key: { value: string };
    };

    expect(await cli(["tendermint", "show-validator", "--home", home])).toBe(0);
    expect(JSON.parse(out)).toEqual({ "@type": "/cosmos.crypto.ed25519.PubKey", key: pv.pub_key.value });
    expect(out).toBe(`{"@type":"/cosmos.crypto.ed25519.PubKey","key":"${pv.pub_key.value}"}\n`);

    expect(await cli(["tendermint", "show-node-id", "--home", home])).toBe(0);
    expect(out).toBe(execFileSync(cometbft, ["show-node-id", "--home", home], { encoding: "utf8" }).trim() + "\n");

    expect(await cli(["comet", "show-address", "--home", home])).toBe(0);
    const valcons = out.trim();
    expect(fromBech32(valcons).prefix).toBe("soavalcons");
    expect(Buffer.from(fromBech32(valcons).data).toString("hex").toUpperCase()).toBe(pv.address);
    // the address is also what genesis.json lists for this validator
    const genesis = JSON.parse(readFileSync(join(home, "config", "genesis.json"), "utf8")) as { validators: Array<{ address: string }> };
    expect(genesis.validators[0]?.address).toBe(pv.address);

    expect(await cli(["cometbft", "show-validator", "--help"])).toBe(0);
    expect(await cli(["tendermint", "show-node-id", "--home", join(root, "missing")])).toBe(1);
    expect(err).toMatch(/node_key\.json not found \(run soad init first/);
  });
});
