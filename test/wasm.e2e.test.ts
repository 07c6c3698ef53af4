// Conformance of the real chain with unmodified @cosmjs/cosmwasm (the package formerly named
// @cosmjs/cosmwasm-stargate): the whole contract lifecycle of WASM-VM.md §3.4 against one shared
// 1-validator localnet, with the AssemblyScript test contracts of contracts-as/ built by `make
// contracts`. Hostile contracts must fail their own tx and leave the node running.
//
// Accounts (dev mnemonic): #0 direct, #1 amino, #2 hostile-contract caller.
import { readFileSync } from "node:fs";
import { sha256 } from "@cosmjs/crypto";
import { fromUtf8, toHex, toUtf8 } from "@cosmjs/encoding";
import { SigningCosmWasmClient, instantiate2Address } from "@cosmjs/cosmwasm";
import { BECH32_PREFIX, connectCosmWasmClient } from "@soa/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;

function contractWasm(name: string): Uint8Array {
  return readFileSync(new URL(`../contracts-as/build/${name}.wasm`, import.meta.url));
}

async function connect(net: Localnet, index: number, mode: "direct" | "amino"): Promise<{ client: SigningCosmWasmClient; address: string }> {
  const c = await connectCosmWasmClient({ rpc: net.rpcUrl(0), hdIndex: index, mode, clientOptions: { broadcastPollIntervalMs: 300 } });
  return { client: c.client, address: c.address };
}

describe("CosmWasm contracts through unmodified @cosmjs/cosmwasm against a real localnet", () => {
  let net: Localnet;
  let direct: { client: SigningCosmWasmClient; address: string };
  let amino: { client: SigningCosmWasmClient; address: string };
  let hostileCaller: { client: SigningCosmWasmClient; address: string };
  const codes: Record<string, number> = {};
  let counter = "";

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 1 });
    direct = await connect(net, 0, "direct");
    amino = await connect(net, 1, "amino");
    hostileCaller = await connect(net, 2, "direct");
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const c of [direct, amino, hostileCaller]) c?.client.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it(
    "uploads every test contract with fee auto; code ids and checksums match the client's",
    async () => {
      for (const name of ["counter", "bank-sender", "caller", "hostile"]) {
        const wasm = contractWasm(name);
        const r = await direct.client.upload(direct.address, wasm, 1.1);
        expect(r.checksum).toBe(toHex(sha256(wasm)));
        codes[name] = r.codeId;
        const details = await direct.client.getCodeDetails(r.codeId);
        expect(details.checksum).toBe(r.checksum);
        expect(Buffer.from(details.data).equals(Buffer.from(wasm))).toBe(true);
        expect(details.creator).toBe(direct.address);
      }
      const all = await direct.client.getCodes(); // terminates only if pagination is always present
      expect(all.map((c) => c.id)).toEqual(Object.values(codes));
    },
    TEST_TIMEOUT,
  );

  it(
    "instantiates with a direct wallet and an admin",
    async () => {
      const r = await direct.client.instantiate(direct.address, codes.counter!, { count: 5 }, "counter one", 1.4, { admin: direct.address });
      counter = r.contractAddress;
      expect(counter).toMatch(/^soa1/);
      const c = await direct.client.getContract(counter);
      expect(c).toMatchObject({ address: counter, codeId: codes.counter, creator: direct.address, admin: direct.address, label: "counter one" });
      expect(await direct.client.queryContractSmart(counter, { get_count: {} })).toEqual({ count: 5 });
    },
    TEST_TIMEOUT,
  );

  it(
    "instantiates with an amino wallet and no admin; instantiate2 lands on the predicted address",
    async () => {
      const r = await amino.client.instantiate(amino.address, codes.counter!, { count: 1 }, "counter amino", 1.4);
      expect((await amino.client.getContract(r.contractAddress)).admin).toBeUndefined();
      const salt = toUtf8("salt-1");
      const r2 = await amino.client.instantiate2(amino.address, codes.counter!, salt, { count: 2 }, "counter two", 1.4);
      const details = await amino.client.getCodeDetails(codes.counter!);
      expect(r2.contractAddress).toBe(instantiate2Address(Buffer.from(details.checksum, "hex"), amino.address, salt, BECH32_PREFIX));
      expect(await amino.client.queryContractSmart(r2.contractAddress, { get_count: {} })).toEqual({ count: 2 });
      expect((await amino.client.getContracts(codes.counter!)).length).toBe(3);
    },
    TEST_TIMEOUT,
  );

  it(
    "executes in both sign modes; queryContractSmart and queryContractRaw see the new state",
    async () => {
      const r = await direct.client.execute(direct.address, counter, { increment: {} }, 1.4);
      expect(r.events.some((e) => e.type === "wasm-counter")).toBe(true);
      await amino.client.execute(amino.address, counter, { increment: {} }, 1.4);
      expect(await direct.client.queryContractSmart(counter, { get_count: {} })).toEqual({ count: 7 });
      const raw = await direct.client.queryContractRaw(counter, toUtf8("count"));
      expect(raw).not.toBeNull();
      expect(fromUtf8(raw!)).toMatch(/7/);
      // Only the owner may reset: a contract error is a failed tx with the contract's message.
      await expect(amino.client.execute(amino.address, counter, { reset: { count: 0 } }, 1.4)).rejects.toThrow(/Unauthorized/);
    },
    TEST_TIMEOUT,
  );

  it(
    "migrates (admin only), then updateAdmin and clearAdmin; the history records each code change",
    async () => {
      await expect(amino.client.migrate(amino.address, counter, codes.counter!, { marker: "x" }, 1.4)).rejects.toThrow(/unauthorized/);
      await direct.client.migrate(direct.address, counter, codes.counter!, { marker: "m1" }, 1.4);
      const state = await direct.client.queryContractSmart(counter, { state: {} });
      expect(state).toMatchObject({ count: 7, migrated: "m1" });
      const history = await direct.client.getContractCodeHistory(counter);
      expect(history.map((h) => h.operation)).toEqual(["Init", "Migrate"]);
      await direct.client.updateAdmin(direct.address, counter, amino.address, 1.4);
      expect((await direct.client.getContract(counter)).admin).toBe(amino.address);
      await amino.client.clearAdmin(amino.address, counter, 1.4);
      expect((await direct.client.getContract(counter)).admin).toBeUndefined();
      await expect(amino.client.migrate(amino.address, counter, codes.counter!, {}, 1.4)).rejects.toThrow(/unauthorized/);
    },
    TEST_TIMEOUT,
  );

  it(
    "a contract sends funds it received (BankMsg::Send), balances exact to the last usoa",
    async () => {
      const r = await direct.client.instantiate(direct.address, codes["bank-sender"]!, {}, "sender", 1.4, { funds: [{ denom: "usoa", amount: "5000" }] });
      const sender = r.contractAddress;
      const recipient = amino.address;
      const before = BigInt((await direct.client.getBalance(recipient, "usoa")).amount);
      await direct.client.execute(direct.address, sender, { send: { to: recipient, amount: [{ denom: "usoa", amount: "1234" }] } }, 1.4);
      expect(BigInt((await direct.client.getBalance(recipient, "usoa")).amount)).toBe(before + 1234n);
      expect((await direct.client.getBalance(sender, "usoa")).amount).toBe("3766");
      expect(await direct.client.queryContractSmart(sender, { balance: { denom: "usoa" } })).toEqual({ amount: { denom: "usoa", amount: "3766" } });
    },
    TEST_TIMEOUT,
  );

  it(
    "a contract calls another and handles the reply (success and error), from messages with unsorted keys in both sign modes",
    async () => {
      const caller = (await direct.client.instantiate(direct.address, codes.caller!, {}, "caller", 1.4)).contractAddress;
      await direct.client.execute(direct.address, caller, { call: { contract: counter, msg: { increment: {} }, reply_on: "success", id: 1 } }, 1.4);
      expect(await direct.client.queryContractSmart(caller, { last_reply: {} })).toEqual({ id: 1, ok: true, error: null });
      expect(await direct.client.queryContractSmart(counter, { get_count: {} })).toEqual({ count: 8 });
      // amino signs the key-sorted JSON; the chain must rebuild exactly that from the unsorted bytes
      await amino.client.execute(amino.address, caller, { call: { reply_on: "error", msg: { reset: { count: 0 } }, id: 2, contract: counter } }, 1.4);
      expect(await direct.client.queryContractSmart(caller, { last_reply: {} })).toEqual({ id: 2, ok: false, error: "codespace: wasm, code: 5" });
      expect(await direct.client.queryContractSmart(counter, { get_count: {} })).toEqual({ count: 8 });
    },
    TEST_TIMEOUT,
  );

  it(
    "hostile contracts fail their own tx with clear errors and the node keeps producing blocks",
    async () => {
      const { client, address } = hostileCaller;
      const hostile = (await client.instantiate(address, codes.hostile!, {}, "hostile", 1.4)).contractAddress;
      const fee = { amount: [{ denom: "usoa", amount: "50000" }], gas: "2000000" };
      await expect(client.execute(address, hostile, { loop: {} }, fee)).rejects.toThrow(/out of gas/);
      await expect(client.execute(address, hostile, { recurse: { depth: 1000000 } }, fee)).rejects.toThrow(/Code: 29/);
      await expect(client.execute(address, hostile, { panic: {} }, fee)).rejects.toThrow(/hostile panic/);
      await expect(client.execute(address, hostile, { bad_json: {} }, fee)).rejects.toThrow(/Code: 29/);
      await expect(client.queryContractSmart(hostile, { write_in_query: {} })).rejects.toThrow(/write access denied/);
      const nan = await client.execute(address, hostile, { nan: {} }, 1.4);
      expect(nan.events.find((e) => e.type === "wasm")?.attributes.find((a) => a.key === "bits")?.value).toBe((0x7ff8000000000000n).toString());
      const h = await client.getHeight();
      await net.waitForHeight(h + 2);
      expect(await client.queryContractSmart(counter, { get_count: {} })).toEqual({ count: 8 });
    },
    TEST_TIMEOUT,
  );

  it(
    "out of gas in a contract is code 11 with state unchanged, fee and sequence kept",
    async () => {
      const before = await direct.client.queryContractSmart(counter, { get_count: {} });
      const seq = (await direct.client.getSequence(direct.address)).sequence;
      const r = await direct.client.signAndBroadcast(
        direct.address,
        [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: direct.address, contract: counter, msg: toUtf8(JSON.stringify({ increment: {} })), funds: [] } }],
        { amount: [{ denom: "usoa", amount: "2000" }], gas: "80000" },
      );
      expect(r.code).toBe(11);
      expect((await direct.client.getSequence(direct.address)).sequence).toBe(seq + 1);
      expect(await direct.client.queryContractSmart(counter, { get_count: {} })).toEqual(before);
    },
    TEST_TIMEOUT,
  );
});
