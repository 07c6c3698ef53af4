// The CLI end to end on a real `cometbft init` (no node is started).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { DEV_ADDRESS } from "../constants.js";
import type { GenesisDoc } from "../node/genesisFile.js";
import { runCli } from "./main.js";
import { cliHarness } from "../../test/utils/cli.js";

const io = cliHarness("soa-cli-");

describe("soad CLI", () => {
  it("init patches config.toml and writes app.toml and our genesis", async () => {
    const home = join(io.root, "a");
    expect(await runCli(["init", "val-1", "--home", home, "--chain-id", "soa-cli-1"])).toBe(0);
    expect(io.out).toContain("initialized");
    const cfg = parse(readFileSync(join(home, "config", "config.toml"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(cfg["proxy_app"]).toBe(`unix://${home}/app.sock`);
    expect(cfg["moniker"]).toBe("val-1");
    expect(cfg["tx_index"]?.["indexer"]).toBe("kv");
    expect(cfg["mempool"]?.["max_tx_bytes"]).toBe(5 * 1024 * 1024);
    expect(cfg["rpc"]?.["max_body_bytes"]).toBe(10_000_000);
    const genesis = JSON.parse(readFileSync(join(home, "config", "genesis.json"), "utf8")) as GenesisDoc;
    expect(genesis.chain_id).toBe("soa-cli-1");
    expect(genesis.consensus_params.block).toEqual({ max_bytes: "8388608", max_gas: "100000000" });
    expect(genesis.validators).toHaveLength(1);
    expect(genesis.app_state.bank.denom_metadata[0]?.base).toBe("usoa");
    expect(readFileSync(join(home, "config", "app.toml"), "utf8")).toContain('minimum-gas-prices = "0.0025usoa"');

    // a second init needs --overwrite and keeps the validator key
    expect(await runCli(["init", "val-1", "--home", home])).toBe(1);
    expect(io.err).toMatch(/already initialized.*--overwrite/);
    expect(await runCli(["init", "val-2", "--home", home, "--overwrite"])).toBe(0);
    const again = JSON.parse(readFileSync(join(home, "config", "genesis.json"), "utf8")) as GenesisDoc;
    expect(again.validators[0]?.address).toBe(genesis.validators[0]?.address);
    expect(again.chain_id).toBe("soa-localnet-1");
  });

  it("genesis add-account and validate", async () => {
    const home = join(io.root, "b");
    expect(await runCli(["init", "v", "--home", home])).toBe(0);
    expect(await runCli(["genesis", "add-account", DEV_ADDRESS, "100usoa,5stake", "--home", home])).toBe(0);
    expect(await runCli(["genesis", "add-account", DEV_ADDRESS, "1usoa", "--home", home])).toBe(1);
    expect(io.err).toMatch(/--append/);
    expect(await runCli(["genesis", "add-account", DEV_ADDRESS, "1usoa", "--home", home, "--append"])).toBe(0);
    expect(io.out).toContain(`${DEV_ADDRESS} 5stake,101usoa`);
    expect(await runCli(["genesis", "add-account", "cosmos1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2", "1usoa", "--home", home])).toBe(1);
    expect(await runCli(["genesis", "add-account", DEV_ADDRESS, "1.5usoa", "--home", home])).toBe(1);
    expect(await runCli(["genesis", "validate", "--home", home])).toBe(0);
    expect(io.out).toMatch(/is valid/);
    expect(await runCli(["genesis", "validate", "--home", home, "--chain-id", "other-1"])).toBe(1);
    expect(io.err).toMatch(/expected "other-1"/);
  });

  it("reports usage errors with a non-zero exit", async () => {
    expect(await runCli(["init"])).toBe(1);
    expect(io.err).toMatch(/missing required argument 'moniker'/);
    expect(await runCli(["nope"])).toBe(1);
    expect(await runCli(["testnet", "--output", join(io.root, "t"), "--nodes", "0"])).toBe(1);
    expect(io.err).toMatch(/--nodes must be between 1 and 50/);
    expect(await runCli(["start", "--home", join(io.root, "missing")])).toBe(1);
    expect(io.err).toMatch(/soad init/);
    expect(await runCli(["--help"])).toBe(0);
    expect(await runCli(["version"])).toBe(0);
    expect(io.out).toMatch(/soad 0\.1\.0 \(CometBFT 0\.38\.25\)/);
  });
});
