// Four validators under a mixed contract workload sent through all four nodes' RPCs (uploads,
// instantiations, executes with sub-messages and replies, funds moved by contracts, hostile calls
// that run out of gas or trap, NaN canonicalisation): every node must report the same app hash and
// results hash at every height, and answer smart queries identically.
import { readFileSync } from "node:fs";
import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { connectCosmWasmClient } from "@soa/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcResult, startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const NODES = 4;
const HOOK_TIMEOUT = 240_000;
const TEST_TIMEOUT = 420_000;
const ROUNDS = 6;
const HOSTILE_FEE = { amount: [{ denom: "usoa", amount: "40000" }], gas: "1500000" };

const wasmOf = (name: string) => readFileSync(new URL(`../contracts-as/build/${name}.wasm`, import.meta.url));

describe("a 4-validator network agrees on every block of a mixed contract workload", () => {
  let net: Localnet;
  /** users[i]: dev account i, connected to node i */
  let users: { client: SigningCosmWasmClient; address: string }[] = [];

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: NODES, startupTimeoutMs: 120_000 });
    users = await Promise.all(
      net.nodes.map(async (n) => {
        const c = await connectCosmWasmClient({ rpc: net.rpcUrl(n.index), hdIndex: n.index, mode: n.index % 2 === 0 ? "direct" : "amino", clientOptions: { broadcastPollIntervalMs: 300 } });
        return { client: c.client, address: c.address };
      }),
    );
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const u of users) u.client.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it(
    "same app hash, results hash and contract answers on every node",
    async () => {
      const [u0] = users;
      const counterCode = (await u0!.client.upload(u0!.address, wasmOf("counter"), 1.1)).codeId;
      const callerCode = (await users[1]!.client.upload(users[1]!.address, wasmOf("caller"), 1.1)).codeId;
      const hostileCode = (await users[2]!.client.upload(users[2]!.address, wasmOf("hostile"), 1.1)).codeId;
      const senderCode = (await users[3]!.client.upload(users[3]!.address, wasmOf("bank-sender"), 1.1)).codeId;
      const counter = (await u0!.client.instantiate(u0!.address, counterCode, { count: 0 }, "shared counter", 1.4)).contractAddress;
      const caller = (await users[1]!.client.instantiate(users[1]!.address, callerCode, {}, "caller", 1.4)).contractAddress;
      const hostile = (await users[2]!.client.instantiate(users[2]!.address, hostileCode, {}, "hostile", 1.4)).contractAddress;
      const sender = (await users[3]!.client.instantiate(users[3]!.address, senderCode, {}, "sender", 1.4, { funds: [{ denom: "usoa", amount: "100000" }] })).contractAddress;

      let increments = 0;
      let failures = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // One tx per user per round, all in flight together, each through its own node.
        const results = await Promise.allSettled([
          u0!.client.execute(u0!.address, counter, { increment: {} }, 1.4),
          users[1]!.client.execute(users[1]!.address, caller, { call: { contract: counter, msg: { increment: {} }, reply_on: round % 2 ? "always" : "success", id: round } }, 1.4),
          round % 3 === 0
            ? users[2]!.client.execute(users[2]!.address, hostile, { loop: {} }, HOSTILE_FEE)
            : round % 3 === 1
              ? users[2]!.client.execute(users[2]!.address, hostile, { nan: {} }, 1.4)
              : users[2]!.client.execute(users[2]!.address, hostile, { recurse: { depth: 0 } }, HOSTILE_FEE),
          users[3]!.client.execute(users[3]!.address, sender, { send: { to: u0!.address, amount: [{ denom: "usoa", amount: String(100 + round) }] } }, 1.4),
        ]);
        increments += results.slice(0, 2).filter((r) => r.status === "fulfilled").length;
        failures += results.filter((r) => r.status === "rejected").length;
        expect(results[0]!.status, String((results[0] as PromiseRejectedResult).reason)).toBe("fulfilled");
        expect(results[1]!.status, String((results[1] as PromiseRejectedResult).reason)).toBe("fulfilled");
        expect(results[3]!.status, String((results[3] as PromiseRejectedResult).reason)).toBe("fulfilled");
        expect(results[2]!.status).toBe(round % 3 === 1 ? "fulfilled" : "rejected");
      }
      expect(failures).toBe(Math.ceil((ROUNDS * 2) / 3));

      const top = Math.min(...(await Promise.all(net.nodes.map((n) => net.height(n.index))))) - 1;
      await net.waitForHeight(top + 1);
      for (let h = 1; h <= top; h++) {
        const views = await Promise.all(
          net.nodes.map(async (n) => {
            const r = await rpcResult<{ block: { header: { app_hash: string; last_results_hash: string } } }>(net.rpcUrl(n.index), "block", { height: String(h + 1) });
            return `${r.block.header.app_hash}/${r.block.header.last_results_hash}`;
          }),
        );
        expect(new Set(views).size, `height ${h}: ${views.join(" ")}`).toBe(1);
      }
      const answers = await Promise.all(users.map((u) => u.client.queryContractSmart(counter, { state: {} })));
      for (const a of answers) expect(a).toEqual({ ...answers[0], count: increments });
      const nanBits = await Promise.all(users.map((u) => u.client.queryContractSmart(hostile, { nan_bits: {} })));
      for (const n of nanBits) expect(n).toEqual({ bits: (0x7ff8000000000000n).toString() });
    },
    TEST_TIMEOUT,
  );
});
