// The AssemblyScript test contracts (contracts-as/, built by `make contracts`) through the real app,
// on two in-process nodes fed the same blocks: every ABI feature, hostile code, and determinism
// (both nodes must agree on every code, gas figure, event and app hash).
import { gzipSync } from "node:zlib";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKey } from "../../src/tx/build.js";
import { type Coin, codeIdOf, contractAddressOf, contractWasm, executeMsg, json, migrateMsg, nativeContext, Signer, smartQuery, storeCodeMsg, usoaBalance } from "../utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed, withoutMinting } from "../utils/testNode.js";

const CANONICAL_NAN_F64 = (0x7ff8000000000000n).toString();
const CANONICAL_NAN_F32 = String(0x7fc00000);

describe("AssemblyScript contracts on two nodes fed the same blocks", () => {
  const alice = keyFromSeed("wasm-contracts-alice"); // account 0
  const bob = keyFromSeed("wasm-contracts-bob"); // account 1
  const keys = [alice, bob];
  let a: TestNode;
  let b: TestNode;
  let signer: Signer;
  const code: Record<string, bigint> = {};

  beforeAll(async () => {
    const genesis = withoutMinting(fundedGenesis(keys)); // exact supply checks (burn, query_chain supply)
    a = await TestNode.create({ genesis });
    b = await TestNode.create({ genesis });
    signer = new Signer(a, keys, { deliver });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** Delivers one block with one tx to both nodes; they must agree on everything. */
  function deliver(bytes: Uint8Array): ExecTxResult {
    const ra = a.deliverBlock([bytes]);
    const rb = b.deliverBlock([bytes]);
    expect(Buffer.from(rb.appHash).toString("hex")).toBe(Buffer.from(ra.appHash).toString("hex"));
    const r = ra.results[0]!;
    const other = rb.results[0]!;
    expect([other.code, other.gasUsed, other.log, JSON.stringify(other.events)]).toEqual([r.code, r.gasUsed, r.log, JSON.stringify(r.events)]);
    return r;
  }

  const tx = (key: TestKey, messages: Any[], gasLimit?: bigint): ExecTxResult => signer.tx(key, messages, gasLimit);
  const exec = (key: TestKey, contract: string, msg: unknown, funds: Coin[] = [], gasLimit?: bigint) => signer.exec(key, contract, msg, funds, gasLimit);
  const attr = (r: ExecTxResult, type: string, key: string) => r.events.find((e) => e.type === type)?.attributes.find((x) => x.key === key)?.value;

  function instantiate(key: TestKey, codeId: bigint, msg: unknown, funds: Coin[] = [], admin = ""): string {
    const r = signer.instantiate(key, codeId, msg, { admin, funds });
    expect(r.code, r.log).toBe(0);
    return contractAddressOf(r);
  }

  const query = (contract: string, msg: unknown): { code: number; log: string; value: unknown } => smartQuery(a, contract, msg);
  const balance = (addr: string) => usoaBalance(a, addr);

  it("uploads every contract (gzipped and plain) with its capabilities in the event", () => {
    for (const name of ["counter", "bank-sender", "caller", "hostile"]) {
      const bytes = name === "counter" ? contractWasm(name) : gzipSync(contractWasm(name));
      const r = signer.store(alice, bytes, 20_000_000n);
      expect(r.code, r.log).toBe(0);
      code[name] = codeIdOf(r);
    }
    expect(Object.values(code)).toEqual([1n, 2n, 3n, 4n]);
  });

  it("rejects uploads that are not acceptable contracts, with the reason", () => {
    const bad: [Uint8Array, RegExp][] = [
      [Buffer.from("\0asm\x01\0\0\0"), /create wasm contract failed/],
      [gzipSync(Buffer.alloc(900 * 1024)), /larger than 819200 bytes/],
      [Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]), /invalid gzip data/],
    ];
    for (const [bytes, why] of bad) {
      const r = tx(alice, [storeCodeMsg(alice.address, bytes)]);
      expect([r.code, r.codespace]).toEqual([2, "wasm"]);
      expect(r.log).toMatch(why);
    }
  });

  it("counter: state, attributes and custom events; the owner check is the contract's error", () => {
    const counter = instantiate(alice, code.counter!, { count: 41 }, [], alice.address);
    const r = exec(alice, counter, { increment: {} });
    expect(r.code, r.log).toBe(0);
    expect(attr(r, "wasm", "count")).toBe("42");
    expect(attr(r, "wasm-counter", "action")).toBe("increment");
    expect(query(counter, { get_count: {} }).value).toEqual({ count: 42 });
    const denied = exec(bob, counter, { reset: { count: 0 } });
    expect([denied.code, denied.codespace, denied.log]).toEqual([5, "wasm", "Unauthorized: execute wasm contract failed"]);
    const unknown = exec(alice, counter, { nonsense: {} });
    expect(unknown.code).toBe(5);
    expect(unknown.log).toMatch(/unknown variant/);
    expect(query(counter, { get_count: {} }).value).toEqual({ count: 42 });
  });

  it("native hooks: sudo and a metered smart query from another module", () => {
    const counter = instantiate(alice, code.counter!, {});
    const ctx = nativeContext(a, 1_000_000n, 0n);
    a.app.wasm.sudo(ctx, counter, json({ set_count: { count: 77 } }));
    expect(ctx.events.events.some((e) => e.type === "sudo")).toBe(true);
    const before = ctx.gasMeter.consumed();
    const answer = JSON.parse(Buffer.from(a.app.wasm.querySmart(ctx, counter, json({ state: {} }), 500_000n)).toString());
    expect(answer).toMatchObject({ count: 77, sudo_calls: 1 });
    expect(ctx.gasMeter.consumed()).toBeGreaterThan(before);
    expect(() => a.app.wasm.querySmart(ctx, counter, json({ state: {} }), 10n)).toThrow(/out of gas/);
  });

  it("bank-sender: funds in with the call, BankMsg::Send and Burn out, balance via query_chain", () => {
    const sender = instantiate(alice, code["bank-sender"]!, {}, [{ denom: "usoa", amount: "1000" }]);
    expect(balance(sender)).toBe(1000n);
    const bobBefore = balance(bob.address);
    const supplyBefore = a.app.bank.getSupply(a.app.committed, "usoa");
    const r = exec(alice, sender, { send: { to: bob.address, amount: [{ denom: "usoa", amount: "300" }] } }, [{ denom: "usoa", amount: "50" }]);
    expect(r.code, r.log).toBe(0);
    expect(balance(bob.address)).toBe(bobBefore + 300n);
    expect(balance(sender)).toBe(750n);
    expect(exec(alice, sender, { burn: { amount: [{ denom: "usoa", amount: "100" }] } }).code).toBe(0);
    expect(a.app.bank.getSupply(a.app.committed, "usoa")).toBe(supplyBefore - 100n);
    expect(query(sender, { balance: { denom: "usoa" } }).value).toEqual({ amount: { denom: "usoa", amount: "650" } });
    const tooMuch = exec(alice, sender, { send: { to: bob.address, amount: [{ denom: "usoa", amount: "99999" }] } });
    expect(tooMuch.code).toBe(5); // sdk insufficient funds inside the sub-message
    expect(balance(sender)).toBe(650n);
  });

  it("caller: sub-messages with reply on success and on error; a failed sub-message's writes are undone", () => {
    const counter = instantiate(alice, code.counter!, { count: 0 });
    const caller = instantiate(alice, code.caller!, {});
    const ok = exec(alice, caller, { call: { contract: counter, msg: { increment: {} }, reply_on: "success", id: 7 } });
    expect(ok.code, ok.log).toBe(0);
    expect(query(caller, { last_reply: {} }).value).toEqual({ id: 7, ok: true, error: null });
    expect(query(counter, { get_count: {} }).value).toEqual({ count: 1 });
    expect(ok.events.some((e) => e.type === "reply")).toBe(true);

    const handled = exec(alice, caller, { call: { contract: counter, msg: { reset: { count: 9 } }, reply_on: "error", id: 8 } });
    expect(handled.code, handled.log).toBe(0); // the caller is not the counter's owner; reply handles it
    expect(query(caller, { last_reply: {} }).value).toEqual({ id: 8, ok: false, error: "codespace: wasm, code: 5" });
    expect(query(counter, { get_count: {} }).value).toEqual({ count: 1 });

    const unhandled = exec(alice, caller, { call: { contract: counter, msg: { reset: { count: 9 } }, reply_on: "success", id: 9 } });
    expect([unhandled.code, unhandled.codespace]).toEqual([5, "wasm"]);
    expect(query(caller, { last_reply: {} }).value).toEqual({ id: 8, ok: false, error: "codespace: wasm, code: 5" });

    const starved = exec(alice, caller, { call: { contract: counter, msg: { increment: {} }, reply_on: "always", id: 10, gas_limit: 1000 } });
    expect(starved.code, starved.log).toBe(0);
    expect(query(caller, { last_reply: {} }).value).toEqual({ id: 10, ok: false, error: "codespace: sdk, code: 11" });
    expect(query(counter, { get_count: {} }).value).toEqual({ count: 1 });
  });

  it("caller: smart queries between contracts, and 3-argument migrate with MigrateInfo", () => {
    const counter = instantiate(alice, code.counter!, { count: 5 });
    const caller = instantiate(alice, code.caller!, {}, [], alice.address);
    const r = exec(alice, caller, { query_other: { contract: counter, msg: { get_count: {} } } });
    expect(r.code, r.log).toBe(0);
    expect(query(caller, { last_answer: {} }).value).toEqual({ answer: { count: 5 } });
    const missing = exec(alice, caller, { query_other: { contract: bob.address, msg: { get_count: {} } } });
    expect(missing.code).toBe(5);
    // query_chain envelopes, as a contract sees them (SystemResult<ContractResult<Binary>>)
    const envelope = (request: unknown) => {
      const r = exec(alice, caller, { query_chain: { request } });
      expect(r.code, r.log).toBe(0);
      return (query(caller, { last_answer: {} }).value as { answer: Record<string, unknown> }).answer;
    };
    const ok = (v: unknown) => ({ ok: { ok: Buffer.from(JSON.stringify(v)).toString("base64") } });
    const supply = a.app.bank.getSupply(a.app.committed, "usoa");
    expect(envelope({ bank: { supply: { denom: "usoa" } } })).toEqual(ok({ amount: { denom: "usoa", amount: supply.toString() } }));
    expect(envelope({ bank: { all_balances: { address: counter } } })).toEqual(ok({ amount: [] }));
    expect(envelope({ wasm: { contract_info: { contract_addr: counter } } })).toEqual(ok({ code_id: Number(code.counter), creator: alice.address, admin: null, pinned: false, ibc_port: null }));
    expect(envelope({ wasm: { code_info: { code_id: Number(code.counter) } } })).toMatchObject({ ok: { ok: expect.any(String) } });
    expect(envelope({ wasm: { raw: { contract_addr: counter, key: Buffer.from("count").toString("base64") } } })).toMatchObject({ ok: { ok: expect.any(String) } });
    expect(envelope({ wasm: { smart: { contract_addr: bob.address, msg: Buffer.from("{}").toString("base64") } } })).toEqual({ error: { no_such_contract: { addr: bob.address } } });
    expect(envelope({ staking: { bonded_denom: {} } })).toEqual({ error: { unsupported_request: { kind: "staking" } } });
    const m = tx(alice, [migrateMsg(alice.address, caller, code.caller!, {})]);
    expect(m.code, m.log).toBe(0);
    expect(query(caller, { migrate_info: {} }).value).toEqual({ sender: alice.address, old_migrate_version: null });
  });

  describe("hostile code fails its own tx, identically on both nodes, and the chain goes on", () => {
    let hostile = "";
    beforeAll(() => {
      hostile = instantiate(alice, code.hostile!, {});
    });

    it("an infinite loop runs out of gas (code 11) using all of it", () => {
      const r = exec(bob, hostile, { loop: {} }, [], 2_000_000n);
      expect([r.code, r.codespace]).toEqual([11, "sdk"]);
      expect(r.gasUsed).toBeGreaterThanOrEqual(2_000_000n);
      expect(exec(bob, hostile, { heavy: { n: 1000 } }).code).toBe(0);
    });

    it("unbounded recursion hits the deterministic stack budget, not V8's stack", () => {
      const r = exec(bob, hostile, { recurse: { depth: 1_000_000 } }, [], 20_000_000n);
      expect([r.code, r.codespace]).toEqual([29, "wasm"]);
      expect(r.log).toMatch(/call depth|stack/i);
      expect(exec(bob, hostile, { recurse: { depth: 50 } }).code).toBe(0);
    });

    it("memory growth past 512 pages is refused; NaN results are canonical", () => {
      const grow = exec(bob, hostile, { grow: { pages: 600 } });
      expect(grow.code, grow.log).toBe(0);
      expect(attr(grow, "wasm", "result")).toBe("-1");
      const nan = exec(bob, hostile, { nan: {} });
      expect(nan.code, nan.log).toBe(0);
      expect(attr(nan, "wasm", "bits")).toBe(CANONICAL_NAN_F64);
      expect(attr(nan, "wasm", "bits32")).toBe(CANONICAL_NAN_F32);
      expect(query(hostile, { nan_bits: {} }).value).toEqual({ bits: CANONICAL_NAN_F64 });
    });

    it("a panic, an invalid result and a write in a query are errors, never crashes", () => {
      const panic = exec(bob, hostile, { panic: {} });
      expect([panic.code, panic.codespace]).toEqual([29, "wasm"]);
      expect(panic.log).toMatch(/hostile panic/);
      const bad = exec(bob, hostile, { bad_json: {} });
      expect([bad.code, bad.codespace]).toEqual([29, "wasm"]);
      const q = query(hostile, { write_in_query: {} });
      expect(q.code).not.toBe(0);
      expect(q.log).toMatch(/write access denied/);
      expect(exec(bob, hostile, { heavy: { n: 10 } }).code).toBe(0);
    });
  });

  it("simulation charges exactly the gas delivery uses", () => {
    const counter = instantiate(alice, code.counter!, {});
    const seq = a.sequenceOf(alice.address);
    const signed = a.signTx({ key: alice, accountNumber: 0n, sequence: seq, messages: [executeMsg(alice.address, counter, { storage_heavy: { n: 20 } })], gasLimit: 3_000_000n, fee: [{ denom: "usoa", amount: "10000" }] });
    const unsigned = TxRaw.encode({ ...TxRaw.decode(signed), signatures: [new Uint8Array()] }).finish();
    const q = a.query("/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes: unsigned }).finish());
    expect(q.code, q.log).toBe(0);
    const simulated = SimulateResponse.decode(q.value).gasInfo!.gasUsed;
    const r = exec(alice, counter, { storage_heavy: { n: 20 } });
    expect(r.code, r.log).toBe(0);
    // The simulated tx has no signature; the ante handler charges for one, so estimates are never short.
    expect(simulated).toBeGreaterThanOrEqual(r.gasUsed);
    expect(simulated - r.gasUsed).toBeLessThan(2_000n);
  });
});
