// The wasm module through the real app (ABCI FinalizeBlock/Commit/Query), with an "echo" contract
// written in WAT: every entry point returns its last argument as its result, so each test decides
// the contract's response (messages, events, data, errors) in the message it sends.
import { gzipSync } from "node:zlib";
import { MsgExecuteContract, MsgInstantiateContract, MsgStoreCode, MsgStoreCodeResponse, MsgInstantiateContractResponse } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse, QueryContractInfoRequest, QueryContractInfoResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import wabtInit from "wabt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestNode, fundedGenesis, keyFromSeed } from "../utils/testNode.js";
import { bumpAllocatorWat } from "../utils/wat.js";

const ECHO_WAT = `(module
  (import "env" "db_write" (func $db_write (param i32 i32)))
  (memory (export "memory") 1)
  ${bumpAllocatorWat(1024)}
  (func (export "deallocate") (param i32))
  ;; storage: key "k" = the message, so state changes can be observed
  (data (i32.const 16) "k")
  (func $remember (param $msg i32)
    (i32.store (i32.const 32) (i32.const 16))
    (i32.store (i32.const 36) (i32.const 1))
    (i32.store (i32.const 40) (i32.const 1))
    (call $db_write (i32.const 32) (local.get $msg)))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (call $remember (local.get 2)) (local.get 2))
  (func (export "execute") (param i32 i32 i32) (result i32) (call $remember (local.get 2)) (local.get 2))
  (func (export "query") (param i32 i32) (result i32) (local.get 1))
)`;

const OK_EMPTY = { ok: { messages: [], attributes: [], events: [], data: null } };
const utf8 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8");

describe("wasm module with an echo contract", () => {
  const alice = keyFromSeed("wasm-alice");
  const bob = keyFromSeed("wasm-bob");
  let node: TestNode;
  let echo: Uint8Array;
  let seq = 0n;

  const send = (messages: Any[], gasLimit = 5_000_000n) => {
    const tx = node.signTx({ key: alice, accountNumber: 0n, sequence: seq, messages, gasLimit });
    const r = node.deliverBlock([tx]).results[0]!;
    seq++;
    return r;
  };
  const msgAny = <T>(type: { typeUrl: string; encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({ typeUrl: type.typeUrl, value: type.encode(m).finish() });

  let codeId = 0n;
  let contract = "";

  beforeAll(async () => {
    const wabt = await wabtInit();
    const parsed = wabt.parseWat("echo.wat", ECHO_WAT);
    echo = new Uint8Array(parsed.toBinary({}).buffer);
    parsed.destroy();
    node = await TestNode.create({ genesis: fundedGenesis([alice, bob]) });
  });
  afterAll(async () => node?.close());

  it("stores gzipped code and emits store_code with the checksum of the original", () => {
    const r = send([msgAny(MsgStoreCode, { sender: alice.address, wasmByteCode: gzipSync(echo), instantiatePermission: undefined })]);
    expect(r.code, r.log).toBe(0);
    const ev = r.events.find((e) => e.type === "store_code")!;
    codeId = BigInt(ev.attributes.find((a) => a.key === "code_id")!.value);
    expect(codeId).toBe(1n);
    const resp = MsgStoreCodeResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value);
    expect(Buffer.from(resp.checksum).toString("hex")).toBe(ev.attributes.find((a) => a.key === "code_checksum")!.value);
  });

  it("rejects code that is not a contract with a clear error, changing nothing", () => {
    const r = send([msgAny(MsgStoreCode, { sender: alice.address, wasmByteCode: Buffer.from("not wasm at all"), instantiatePermission: undefined })]);
    expect(r.code).toBe(2);
    expect(r.codespace).toBe("wasm");
    expect(r.log).toMatch(/create wasm contract failed/);
  });

  it("instantiates, with attributes and custom events from the contract's response", () => {
    const response = { ok: { messages: [], attributes: [{ key: "action", value: "init" }], events: [{ type: "hello", attributes: [{ key: "who", value: "world" }] }], data: null } };
    const r = send([msgAny(MsgInstantiateContract, { sender: alice.address, admin: alice.address, codeId, label: "echo", msg: utf8(response), funds: [{ denom: "usoa", amount: "1000" }] })]);
    expect(r.code, r.log).toBe(0);
    contract = MsgInstantiateContractResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).address;
    expect(r.events.find((e) => e.type === "instantiate")!.attributes.find((a) => a.key === "_contract_address")!.value).toBe(contract);
    const wasmEv = r.events.find((e) => e.type === "wasm")!;
    expect(wasmEv.attributes.map((a) => [a.key, a.value]).slice(0, 2)).toEqual([
      ["_contract_address", contract],
      ["action", "init"],
    ]);
    expect(r.events.some((e) => e.type === "wasm-hello")).toBe(true);
    const info = QueryContractInfoResponse.decode(node.query("/cosmwasm.wasm.v1.Query/ContractInfo", QueryContractInfoRequest.encode({ address: contract }).finish()).value);
    expect(info.contractInfo.label).toBe("echo");
    expect(info.contractInfo.codeId).toBe(codeId);
  });

  it("a contract error fails the tx and reverts its writes; fee and sequence are kept", () => {
    const before = node.query("/cosmwasm.wasm.v1.Query/SmartContractState", QuerySmartContractStateRequest.encode({ address: contract, queryData: utf8({ ok: Buffer.from("{}").toString("base64") }) }).finish());
    expect(before.code, before.log).toBe(0);
    const r = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: utf8({ error: "Unauthorized" }), funds: [] })]);
    expect(r.code).toBe(5);
    expect(r.codespace).toBe("wasm");
    expect(r.log).toBe("Unauthorized: execute wasm contract failed");
  });

  it("sub-messages: a bank send from the contract is applied; an unknown message fails the tx", () => {
    const sendMsg = { bank: { send: { to_address: bob.address, amount: [{ denom: "usoa", amount: "7" }] } } };
    const ok = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: utf8({ ok: { messages: [{ id: 0, msg: sendMsg, reply_on: "never", gas_limit: null }], attributes: [], events: [], data: null } }), funds: [] })]);
    expect(ok.code, ok.log).toBe(0);
    expect(ok.events.filter((e) => e.type === "transfer").some((e) => e.attributes.some((a) => a.key === "sender" && a.value === contract))).toBe(true);
    const bad = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: utf8({ ok: { messages: [{ id: 0, msg: { custom: { x: {} } }, reply_on: "never" }] } }), funds: [] })]);
    expect(bad.code).toBe(20);
  });

  it("invalid contract output (non-integer numbers, unknown reply_on) is an error, never a crash", () => {
    const r = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: Buffer.from(`{"ok":{"messages":[{"id":1.5,"msg":{}}]}}`), funds: [] })]);
    expect([r.code, r.codespace]).toEqual([29, "wasm"]);
    const r2 = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: utf8({ ok: { ...OK_EMPTY.ok, messages: [{ id: 1, msg: {}, reply_on: "sometimes" }] } }), funds: [] })]);
    expect([r2.code, r2.codespace]).toEqual([29, "wasm"]);
    expect(r2.log).toMatch(/reply_on/);
  });

  it("out of gas inside the contract is code 11 with all the gas used", () => {
    const r = send([msgAny(MsgExecuteContract, { sender: alice.address, contract, msg: utf8(OK_EMPTY), funds: [] })], 70_000n);
    expect(r.code).toBe(11);
    expect(r.gasUsed).toBeGreaterThanOrEqual(70_000n);
  });
});
