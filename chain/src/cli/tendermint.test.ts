// `soad tendermint` against a home made by `soad init` (real `cometbft init`).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromBech32 } from "@cosmjs/encoding";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../node/cometbft.js";
import { cliHarness } from "../../test/utils/cli.js";

const io = cliHarness("soa-tm-cli-");
const cli = io.run;

const cometbft = join(REPO_ROOT, ".bin", "cometbft");

describe.skipIf(!existsSync(cometbft))("soad tendermint", () => {
  it("show-validator, show-node-id and show-address on a fresh home", async () => {
    const home = join(io.root, "n0");
    expect(await cli(["init", "n0", "--home", home])).toBe(0);
    const pv = JSON.parse(readFileSync(join(home, "config", "priv_validator_key.json"), "utf8")) as {
      address: string;
      pub_key: { value: string };
    };

    expect(await cli(["tendermint", "show-validator", "--home", home])).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ "@type": "/cosmos.crypto.ed25519.PubKey", key: pv.pub_key.value });
    expect(io.out).toBe(`{"@type":"/cosmos.crypto.ed25519.PubKey","key":"${pv.pub_key.value}"}\n`);

    expect(await cli(["tendermint", "show-node-id", "--home", home])).toBe(0);
    expect(io.out).toBe(execFileSync(cometbft, ["show-node-id", "--home", home], { encoding: "utf8" }).trim() + "\n");

    expect(await cli(["comet", "show-address", "--home", home])).toBe(0);
    const valcons = io.out.trim();
    expect(fromBech32(valcons).prefix).toBe("soavalcons");
    expect(Buffer.from(fromBech32(valcons).data).toString("hex").toUpperCase()).toBe(pv.address);
    // the address is also what genesis.json lists for this validator
    const genesis = JSON.parse(readFileSync(join(home, "config", "genesis.json"), "utf8")) as { validators: Array<{ address: string }> };
    expect(genesis.validators[0]?.address).toBe(pv.address);

    expect(await cli(["cometbft", "show-validator", "--help"])).toBe(0);
    expect(await cli(["tendermint", "show-node-id", "--home", join(io.root, "missing")])).toBe(1);
    expect(io.err).toMatch(/node_key\.json not found \(run soad init first/);
  });
});
