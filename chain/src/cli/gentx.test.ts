// `soad genesis gentx` and `soad genesis collect-gentxs` through the real CLI entry: two independent
// operators (own homes, file and test keyrings), a coordinator collects; the result is what InitChain takes.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readValidatorPubkey } from "../keyring/consensusKeys.js";
import { verifyGentx } from "../modules/genutil/gentx.js";
import { homePaths } from "../node/config.js";
import type { GenesisDoc } from "../node/genesisFile.js";
import { PASSWORD_ENV, SCRYPT_N_ENV } from "./keys.js";
import { keysIo } from "./keysIo.js";
import { runCli } from "./main.js";

const root = mkdtempSync(join(tmpdir(), "soa-gentx-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let out = "";
let err = "";
beforeEach(() => {
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  vi.spyOn(keysIo, "stdinIsTTY").mockReturnValue(false);
  vi.stubEnv(SCRYPT_N_ENV, "1024");
  vi.stubEnv(PASSWORD_ENV, "operator-password");
  vi.stubEnv("SOAD_KEYRING_BACKEND", undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function cli(args: string[]): Promise<number> {
  out = "";
  err = "";
  return runCli(args);
}

const CHAIN = "soa-cli-7";

describe("soad genesis gentx / collect-gentxs", () => {
  it("two operators' gentxs collected into one genesis with empty validators", async () => {
    const homes = [join(root, "a"), join(root, "b")];
    const backends = ["file", "test"];
    const addrs: string[] = [];
    for (const [i, home] of homes.entries()) {
      expect(await cli(["init", `val${i}`, "--home", home, "--chain-id", CHAIN]), err).toBe(0);
      expect(await cli(["keys", "add", "op", "--home", home, "--keyring-backend", backends[i]!, "--output", "json"]), err).toBe(0);
      addrs.push((JSON.parse(out) as { address: string }).address);
    }
    // Every operator's account is in the coordinator's genesis, which everyone then uses.
    const coord = homes[0]!;
    for (const a of addrs) expect(await cli(["genesis", "add-account", a, "1000000000usoa", "--home", coord]), err).toBe(0);
    copyFileSync(homePaths(coord).genesis, homePaths(homes[1]!).genesis);

    // Not enough balance: refused before anything is written.
    expect(await cli(["genesis", "gentx", "op", "2000000000usoa", "--home", coord, "--keyring-backend", "file"])).toBe(1);
    expect(err).toMatch(/less than the self-delegation/);
    expect(await cli(["genesis", "gentx", "op", "100usoa", "--home", coord, "--chain-id", "other", "--keyring-backend", "file"])).toBe(1);
    expect(err).toMatch(/does not match/);

    expect(
      await cli([
        "genesis", "gentx", "op", "100000000usoa", "--home", coord, "--keyring-backend", "file", "--chain-id", CHAIN,
        "--commission-rate", "0.05", "--commission-max-rate", "0.5", "--commission-max-change-rate", "0.02",
        "--min-self-delegation", "1000", "--details", "first", "--website", "https://a.example", "--identity", "ID1",
      ]),
      err,
    ).toBe(0);
    expect(await cli(["genesis", "gentx", "op", "50000000usoa", "--home", homes[1]!, "--keyring-backend", "test", "--moniker", "second", "--ip", "10.0.0.2"]), err).toBe(0);
    const bFile = out.trim().split(" ")[2]!;
    expect(bFile).toMatch(/config\/gentx\/gentx-[0-9a-f]{40}\.json$/);

    // The second operator sends its file to the coordinator.
    copyFileSync(bFile, join(homePaths(coord).configDir, "gentx", "x-" + bFile.split("/").pop()));
    expect(readdirSync(join(homePaths(coord).configDir, "gentx"))).toHaveLength(2);
    expect(await cli(["genesis", "collect-gentxs", "--home", coord]), err).toBe(0);
    expect(out).toMatch(/^persistent_peers = "[0-9a-f]{40}@127\.0\.0\.1:26656,[0-9a-f]{40}@10\.0\.0\.2:26656"\n$/);
    const g = JSON.parse(readFileSync(homePaths(coord).genesis, "utf8")) as GenesisDoc;
    expect(g.validators).toEqual([]);
    const txs = g.app_state.genutil!.gen_txs;
    expect(txs).toHaveLength(2);
    const [a, b] = txs.map((t) => verifyGentx(t, CHAIN));
    expect(a!.account).toBe(addrs[0]);
    expect(b!.account).toBe(addrs[1]);
    expect(Buffer.from(a!.consPubkey)).toEqual(Buffer.from(readValidatorPubkey(homePaths(coord).privValidatorKey)));
    expect(b!.moniker).toBe("second");
    const m = txs[0]!.body.messages[0]!;
    expect(m.commission).toEqual({ rate: "0.050000000000000000", max_rate: "0.500000000000000000", max_change_rate: "0.020000000000000000" });
    expect(m.description).toEqual({ moniker: "val0", identity: "ID1", website: "https://a.example", security_contact: "", details: "first" });
    expect(m.min_self_delegation).toBe("1000");
    expect(txs[0]!.auth_info.signer_infos[0]!.mode_info.single.mode).toBe("SIGN_MODE_DIRECT");
    expect(await cli(["genesis", "validate", "--home", coord]), err).toBe(0);

    // A second collect over the same files with a duplicate refuses and names the file.
    const dup = join(root, "dup");
    mkdirSync(dup);
    for (const f of readdirSync(join(homePaths(coord).configDir, "gentx"))) copyFileSync(join(homePaths(coord).configDir, "gentx", f), join(dup, f));
    copyFileSync(bFile, join(dup, "z-copy.json"));
    expect(await cli(["genesis", "collect-gentxs", "--home", coord, "--gentx-dir", dup])).toBe(1);
    expect(err).toMatch(/z-copy\.json: validator soavaloper1\w+ appears twice/);
  });
});
