// Generates real testnets with the pinned CometBFT binary (`make setup` installs it into .bin/).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { DEV_ADDRESS } from "../constants.js";
import { homePaths, readAppToml } from "./config.js";
import type { GenesisDoc } from "./genesisFile.js";
import { readValidatorPubkey } from "../keyring/consensusKeys.js";
import { verifyGentx } from "../modules/genutil/gentx.js";
import {
  LOCALNET_TIMEOUTS,
  LOCALNET_UNBONDING_TIME,
  LOCALNET_VALIDATOR_BALANCE,
  LOCALNET_VALIDATOR_STAKE,
  VALIDATOR_KEY_NAME,
  generateTestnet,
} from "./testnet.js";

const readValidatorPubkeyB64 = (home: string) => Buffer.from(readValidatorPubkey(homePaths(home).privValidatorKey)).toString("base64");

const OTHER = "soa1gxwyl2meuezlqh7cl7ypnffhg255k77ctrdkph";
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "soa-testnet-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Toml = Record<string, Record<string, unknown>>;

describe("generateTestnet", () => {
  it("creates N homes with distinct ports, full-mesh peers and one shared genesis", async () => {
    const out = join(tempDir(), "net");
    const net = await generateTestnet({
      nodes: 3,
      outputDir: out,
      basePort: 40000,
      chainId: "soa-test-7",
      accounts: [{ address: OTHER, coins: "5usoa,1stake" }],
    });
    expect(net.nodes.map((n) => [n.p2pPort, n.rpcPort])).toEqual([
      [40000, 40001],
      [40100, 40101],
      [40200, 40201],
    ]);
    const genesisTexts = net.nodes.map((n) => readFileSync(homePaths(n.home).genesis, "utf8"));
    expect(new Set(genesisTexts).size).toBe(1);
    const genesis = JSON.parse(genesisTexts[0] as string) as GenesisDoc;
    expect(genesis.chain_id).toBe("soa-test-7");
    // Formed through gentx/collect-gentxs: CometBFT takes the set from InitChain.
    expect(genesis.validators).toEqual([]);
    expect(genesis.app_state.staking?.params?.unbonding_time).toBe(LOCALNET_UNBONDING_TIME);
    const genTxs = genesis.app_state.genutil?.gen_txs ?? [];
    expect(genTxs).toHaveLength(3);
    const verified = genTxs.map((t) => verifyGentx(t, "soa-test-7"));
    expect(verified.map((v) => v.operator).sort()).toEqual(net.nodes.map((n) => n.operatorAddress).sort());
    for (const n of net.nodes) {
      const v = verified.find((x) => x.operator === n.operatorAddress)!;
      expect(v.moniker).toBe(n.moniker);
      expect(v.memo).toBe(`${n.nodeId}@127.0.0.1:${n.p2pPort}`);
      expect(v.value).toEqual({ denom: "usoa", amount: BigInt(LOCALNET_VALIDATOR_STAKE.replace("usoa", "")) });
      expect(Buffer.from(v.consPubkey).toString("base64")).toBe(readValidatorPubkeyB64(n.home));
      expect(existsSync(join(n.home, "keyring-test", `${VALIDATOR_KEY_NAME}.json`))).toBe(true);
      expect(existsSync(join(n.home, "config", "gentx", `gentx-${n.nodeId}.json`))).toBe(true);
    }
    const funded = new Map(genesis.app_state.bank.balances.map((b) => [b.address, b.coins]));
    for (const n of net.nodes) expect(funded.get(n.accountAddress)).toEqual([{ denom: "usoa", amount: LOCALNET_VALIDATOR_BALANCE.replace("usoa", "") }]);
    expect(net.devAccounts.map((a) => a.address)[0]).toBe(DEV_ADDRESS);
    for (const a of net.devAccounts) expect(funded.get(a.address), a.address).toBeDefined();
    expect(funded.get(DEV_ADDRESS)).toEqual([{ denom: "usoa", amount: "1000000000000" }]);
    // OTHER is dev index 3 as well: --account adds to its dev balance
    expect(funded.get(OTHER)).toEqual([
      { denom: "stake", amount: "1" },
      { denom: "usoa", amount: "1000000000005" },
    ]);

    for (const n of net.nodes) {
      const cfg = parse(readFileSync(homePaths(n.home).configToml, "utf8")) as Toml;
      const where = `node${n.index}`;
      expect(cfg["proxy_app"], where).toBe(`unix://${n.home}/app.sock`);
      expect(cfg["abci"], where).toBe("socket");
      expect(cfg["moniker"], where).toBe(n.moniker);
      expect(cfg["rpc"]?.["laddr"], where).toBe(`tcp://127.0.0.1:${n.rpcPort}`);
      expect(cfg["p2p"]?.["laddr"], where).toBe(`tcp://127.0.0.1:${n.p2pPort}`);
      expect(cfg["p2p"]?.["pex"], where).toBe(false);
      expect(cfg["p2p"]?.["addr_book_strict"], where).toBe(false);
      expect(cfg["p2p"]?.["allow_duplicate_ip"], where).toBe(true);
      expect(cfg["p2p"]?.["flush_throttle_timeout"], where).toBe("10ms");
      expect(cfg["tx_index"]?.["indexer"], where).toBe("kv");
      expect(cfg["consensus"]?.["timeout_commit"], where).toBe(LOCALNET_TIMEOUTS.timeoutCommit);
      expect(cfg["instrumentation"]?.["prometheus_listen_addr"], where).toBe(`127.0.0.1:${n.p2pPort + 4}`);
      const peers = String(cfg["p2p"]?.["persistent_peers"]).split(",").sort();
      const want = net.nodes.filter((p) => p !== n).map((p) => `${p.nodeId}@127.0.0.1:${p.p2pPort}`).sort();
      expect(peers, where).toEqual(want);
      expect(readAppToml(homePaths(n.home).appToml).minimumGasPrices).toBe("0.0025usoa");
    }
    const manifest = JSON.parse(readFileSync(join(out, "testnet.json"), "utf8")) as { nodes: unknown[]; chainId: string };
    expect(manifest.chainId).toBe("soa-test-7");
    expect(manifest.nodes).toHaveLength(3);
  });

  it("takes the validator stake and unbonding time as options; refuses bad ones before touching the disk", async () => {
    const out = join(tempDir(), "opts");
    await expect(generateTestnet({ nodes: 1, outputDir: out, unbondingTime: "20" })).rejects.toThrow(/staking.params.unbonding_time/);
    await expect(generateTestnet({ nodes: 1, outputDir: out, validatorStake: "1usoa,2stake" })).rejects.toThrow(/one coin/);
    expect(existsSync(out)).toBe(false);
    const net = await generateTestnet({ nodes: 1, outputDir: out, devAccounts: 0, validatorStake: "7000000usoa", unbondingTime: "5s" });
    expect(net.genesis.app_state.staking?.params?.unbonding_time).toBe("5s");
    expect(verifyGentx(net.genesis.app_state.genutil!.gen_txs[0]!, net.chainId).value).toEqual({ denom: "usoa", amount: 7_000_000n });
  });

  it("refuses a non-empty output dir unless overwrite", async () => {
    const out = tempDir();
    writeFileSync(join(out, "keep.txt"), "x");
    await expect(generateTestnet({ nodes: 1, outputDir: out, devAccounts: 0 })).rejects.toThrow(/not empty/);
    expect(existsSync(join(out, "keep.txt"))).toBe(true);
    const net = await generateTestnet({ nodes: 1, outputDir: out, devAccounts: 0, overwrite: true });
    // no dev accounts: only the operator account of node0 is funded
    expect(net.genesis.app_state.bank.balances.map((b) => b.address)).toEqual([net.nodes[0]!.accountAddress]);
    expect(existsSync(join(out, "keep.txt"))).toBe(false);
  });

  it("validates its options before touching the disk", async () => {
    const out = join(tempDir(), "never");
    await expect(generateTestnet({ nodes: 0, outputDir: out })).rejects.toThrow(/--nodes/);
    await expect(generateTestnet({ nodes: 2, outputDir: out, basePort: 65500 })).rejects.toThrow(/--base-port/);
    await expect(generateTestnet({ nodes: 1, outputDir: out, chainId: "bad id" })).rejects.toThrow(/chain id/);
    await expect(generateTestnet({ nodes: 1, outputDir: out, accounts: [{ address: OTHER, coins: "0usoa" }] })).rejects.toThrow(
      /positive/,
    );
    await expect(generateTestnet({ nodes: 1, outputDir: out, timeouts: { timeoutCommit: "fast" } })).rejects.toThrow(/duration/);
    expect(existsSync(out)).toBe(false);
  });
});
