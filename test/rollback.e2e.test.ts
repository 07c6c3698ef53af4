// `soad rollback` on a real node: CometBFT and the app both go back one height; on restart block H
// is executed again, giving the same app hash, and the chain continues.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { StargateClient, assertIsDeliverTxSuccess } from "@cosmjs/stargate";
import { usoa } from "@soa/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devSigner, rpcResult, startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const SOAD = join(import.meta.dirname, "..", "chain", "dist", "cli", "main.js");

describe("soad rollback", () => {
  let net: Localnet;
  beforeAll(async () => {
    net = await startE2eLocalnet();
  });
  afterAll(async () => net?.stop());

  it("undoes the last block on both sides and replays it to the same app hash", async () => {
    const dev = await devSigner(net, 0, "direct");
    const recipient = net.devAccounts[1]!.address;
    const res = await dev.client.sendTokens(dev.address, recipient, usoa(4242), "auto");
    assertIsDeliverTxSuccess(res);
    await net.waitForHeight(res.height + 2);
    dev.client.disconnect();

    await net.stopNode(0);
    const home = net.homes[0]!;
    const out = execFileSync("node", [SOAD, "rollback", "--home", home], { encoding: "utf8" });
    const m = /app rolled back to height (\d+), app hash ([0-9A-F]{64})/.exec(out);
    expect(m, out).not.toBeNull();
    const rolledTo = Number(m![1]);
    // the app now stands where CometBFT's state stands: its hash is the one header rolledTo+1 carries
    await net.restart(0);
    const header = await rpcResult<{ block: { header: { app_hash: string } } }>(net.rpcUrl(0), "block", { height: String(rolledTo + 1) });
    expect(header.block.header.app_hash).toBe(m![2]);
    await net.waitForHeight(rolledTo + 3);
    // the replayed chain still has the transfer and keeps producing blocks
    const client = await StargateClient.connect(net.rpcUrl(0));
    expect((await client.getTx(res.transactionHash))?.code).toBe(0);
    expect(BigInt((await client.getBalance(recipient, "usoa")).amount)).toBe(1_000_000_000_000n + 4242n);
    client.disconnect();
  });

  it("refuses while the node is running", () => {
    let err = "";
    try {
      execFileSync("node", [SOAD, "rollback", "--home", net.homes[0]!], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
    }
    expect(err).toMatch(/soad is running \(pid \d+\): stop the node first/);
  });
});
