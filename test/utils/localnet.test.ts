// Smoke test of the e2e harness: a real 1-validator network (soad + CometBFT) comes up, makes
// blocks, answers /status like CosmJS expects (COSMJS-COMPAT.md §1.1, invariant I1) and stops.
// Timeouts are set here because a real network takes seconds to start.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHAIN_ID, DEV_ADDRESS } from "@soa/chain/constants";
import { type Localnet, startLocalnet } from "./localnet.js";

describe("localnet harness", () => {
  let net: Localnet | undefined;

  beforeAll(async () => {
    net = await startLocalnet({ nodes: 1 });
  }, 120_000);

  afterAll(async () => {
    await net?.stop();
  }, 60_000);

  it("produces blocks and reports a CosmJS-compatible status", async () => {
    const n = net!;
    await n.waitForHeight(3);
    const status = await n.status(0);
    expect(status.node_info.version.startsWith("0.38."), `version ${status.node_info.version}`).toBe(true);
    expect(status.node_info.network).toBe(DEFAULT_CHAIN_ID);
    expect(status.node_info.network).toBe(n.chainId);
    expect(status.node_info.id).toBe(n.nodes[0]?.nodeId);
    expect(n.rpcUrl(0)).toBe(`http://127.0.0.1:${n.basePort + 1}`);
    expect(status.sync_info.latest_app_hash).toMatch(/^[0-9A-F]+$/);
    expect(Number(status.sync_info.latest_block_height)).toBeGreaterThanOrEqual(3);
    expect(n.devAccounts[0]?.address).toBe(DEV_ADDRESS);
    expect(n.genesis.app_state.bank.balances.map((b) => b.address)).toContain(DEV_ADDRESS);
  }, 60_000);

  it("reads the app hash of a height from the next header", async () => {
    const n = net!;
    const h = 2;
    const after2 = await n.appHashAt(0, h);
    expect(after2).toBe(await n.headerAppHash(0, h + 1));
    expect(after2).toMatch(/^[0-9A-F]+$/);
  }, 60_000);

  it("records both pids while running", () => {
    const pids = net!.pids(0);
    expect(pids.soad).toBeTypeOf("number");
    expect(pids.cometbft).toBeTypeOf("number");
  });
});
