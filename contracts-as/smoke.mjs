// A tiny self-contained CosmWasm host for smoke-testing the built contracts (node contracts-as/build.mjs
// --smoke). It follows WASM-VM.md §1.2: fresh instance per call, arguments written through the guest's
// `allocate`, result Region read then `deallocate`d, memory views re-created after every guest call.
// No gas, no instrumentation: the real runtime is chain/src/modules/wasm/vm/runtime.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });
const hex = (b) => Buffer.from(b).toString("hex");
const b64 = (s) => Buffer.from(typeof s === "string" ? enc.encode(s) : s).toString("base64");
const unb64 = (s) => new Uint8Array(Buffer.from(s, "base64"));

export class VmAbort extends Error {}

export class SmokeHost {
  /** @param {Uint8Array} wasm */
  constructor(wasm, address) {
    this.module = new WebAssembly.Module(wasm);
    this.address = address;
    /** @type {Map<string, Uint8Array>} hex key → value */
    this.store = new Map();
    this.height = 100;
    this.querier = (req) => ({ error: { unsupported_request: { kind: Object.keys(req)[0] } } });
    this.debugLog = [];
  }

  env(inTx = true) {
    return {
      block: { height: this.height, time: "1571797419879305533", chain_id: "soa-smoke" },
      transaction: inTx ? { index: 0, hash: "5UadrOwXzviiYP03Z17Yfn+2orWtlRk8UTCABsfklLM=" } : null,
      contract: { address: this.address },
    };
  }

  call(entry, jsonArgs, { readonly = false } = {}) {
    let inst;
    const u8 = () => new Uint8Array(inst.exports.memory.buffer);
    const dv = () => new DataView(inst.exports.memory.buffer);
    const readRegion = (ptr) => {
      const d = dv();
      const off = d.getUint32(ptr, true), cap = d.getUint32(ptr + 4, true), len = d.getUint32(ptr + 8, true);
      if (off === 0 || len > cap) throw new Error(`invalid region at ${ptr}`);
      return u8().slice(off, off + len);
    };
    const writeNew = (bytes) => {
      const p = inst.exports.allocate(bytes.length);
      if (p === 0) throw new Error("allocate returned 0");
      const d = dv();
      const off = d.getUint32(p, true), cap = d.getUint32(p + 4, true);
      if (cap < bytes.length) throw new Error("allocate gave a too small region");
      u8().set(bytes, off);
      dv().setUint32(p + 8, bytes.length, true);
      return p;
    };
    const writeInto = (ptr, bytes) => {
      const d = dv();
      const off = d.getUint32(ptr, true), cap = d.getUint32(ptr + 4, true);
      if (bytes.length > cap) throw new Error("region too small");
      u8().set(bytes, off);
      d.setUint32(ptr + 8, bytes.length, true);
    };
    const host = this;
    const env = {
      db_read(k) {
        const v = host.store.get(hex(readRegion(k)));
        return v === undefined ? 0 : writeNew(v);
      },
      db_write(k, v) {
        if (readonly) throw new Error("write access denied");
        const value = readRegion(v);
        if (value.length === 0) throw new Error("empty value");
        host.store.set(hex(readRegion(k)), value);
      },
      db_remove(k) {
        if (readonly) throw new Error("write access denied");
        host.store.delete(hex(readRegion(k)));
      },
      db_scan() { throw new Error("db_scan not in smoke host"); },
      db_next() { throw new Error("db_next not in smoke host"); },
      db_next_key() { throw new Error("not in smoke host"); },
      db_next_value() { throw new Error("not in smoke host"); },
      addr_validate(h) {
        const s = dec.decode(readRegion(h));
        return s.startsWith("wasm1") ? 0 : writeNew(enc.encode("invalid address"));
      },
      addr_canonicalize(h, dest) {
        writeInto(dest, enc.encode(dec.decode(readRegion(h))));
        return 0;
      },
      addr_humanize(c, dest) {
        writeInto(dest, readRegion(c));
        return 0;
      },
      secp256k1_verify: () => 10, secp256k1_recover_pubkey: () => 10n << 32n,
      secp256r1_verify: () => 10, secp256r1_recover_pubkey: () => 10n << 32n,
      ed25519_verify: () => 10, ed25519_batch_verify: () => 10,
      bls12_381_aggregate_g1: () => 10, bls12_381_aggregate_g2: () => 10, bls12_381_pairing_equality: () => 10,
      bls12_381_hash_to_g1: () => 10, bls12_381_hash_to_g2: () => 10,
      debug(m) { host.debugLog.push(dec.decode(readRegion(m))); },
      abort(m) { throw new VmAbort(dec.decode(readRegion(m))); },
      query_chain(r) {
        const req = JSON.parse(dec.decode(readRegion(r)));
        return writeNew(enc.encode(JSON.stringify(host.querier(req))));
      },
    };
    inst = new WebAssembly.Instance(this.module, { env });
    const ptrs = jsonArgs.map((a) => writeNew(typeof a === "string" ? enc.encode(a) : enc.encode(JSON.stringify(a))));
    const fn = inst.exports[entry];
    if (typeof fn !== "function") throw new Error(`missing export ${entry}`);
    const res = fn(...ptrs);
    const out = readRegion(res);
    inst.exports.deallocate(res);
    return dec.decode(out);
  }

  /** Calls and parses the ContractResult. */
  callJson(entry, args, opts) {
    return JSON.parse(this.call(entry, args, opts));
  }

  instantiate(sender, msg, funds = []) {
    return this.callJson("instantiate", [this.env(), { sender, funds }, msg]);
  }
  execute(sender, msg, funds = []) {
    return this.callJson("execute", [this.env(), { sender, funds }, msg]);
  }
  /** Returns the decoded answer JSON, or {error}. */
  query(msg) {
    const r = this.callJson("query", [this.env(false), msg], { readonly: true });
    return r.ok !== undefined ? JSON.parse(dec.decode(unb64(r.ok))) : r;
  }
}

function attr(res, key) {
  return res.ok.attributes.find((a) => a.key === key)?.value;
}

function expectAbort(fn, re) {
  try {
    fn();
  } catch (e) {
    if (re && !re.test(String(e.message))) throw new Error(`unexpected failure: ${e.message}`);
    return e;
  }
  throw new Error("expected the call to fail");
}

const OWNER = "wasm1owner";
const OTHER = "wasm1other";

const SCENARIOS = {
  counter(wasm) {
    const h = new SmokeHost(wasm, "wasm1counter");
    let r = h.instantiate(OWNER, { count: 5 });
    assert.equal(attr(r, "action"), "instantiate");
    assert.equal(h.store.get(hex(enc.encode("count"))) && dec.decode(h.store.get(hex(enc.encode("count")))), "5");
    assert.equal(dec.decode(h.store.get(hex(enc.encode("owner")))), JSON.stringify(OWNER));
    r = h.execute(OTHER, { increment: {} });
    assert.equal(attr(r, "action"), "increment");
    assert.deepEqual(r.ok.events, [{ type: "counter", attributes: [{ key: "action", value: "increment" }, { key: "count", value: "6" }] }]);
    assert.deepEqual(r.ok.messages, []);
    assert.equal(r.ok.data, null);
    assert.deepEqual(h.query({ get_count: {} }), { count: 6 });
    assert.deepEqual(h.execute(OTHER, { reset: { count: 1 } }), { error: "Unauthorized" });
    r = h.execute(OWNER, { reset: { count: "18446744073709551615" } });
    assert.match(r.error, /invalid type: string/);
    r = h.execute(OWNER, { reset: { count: 1, extra: 2 } });
    assert.match(r.error, /unknown field `extra`/);
    assert.ok(h.execute(OWNER, { reset: { count: 0 } }).ok);
    // u64 edge value, written without going through a JS number
    r = JSON.parse(h.call("execute", [h.env(), { sender: OWNER, funds: [] }, '{"reset":{"count":18446744073709551615}}']));
    assert.ok(r.ok);
    assert.equal(h.call("query", [h.env(false), '{"get_count":{}}']), `{"ok":"${b64('{"count":18446744073709551615}')}"}`);
    r = JSON.parse(h.call("execute", [h.env(), { sender: OWNER, funds: [] }, '{"reset":{"count":18446744073709551616}}']));
    assert.match(r.error, /out of range/);
    assert.match(h.execute(OWNER, { nope: {} }).error, /unknown variant/);
    assert.match(JSON.parse(h.call("execute", [h.env(), { sender: OWNER, funds: [] }, "{not json"])).error, /Error parsing/);
    r = h.callJson("sudo", [h.env(), { set_count: { count: 42 } }]);
    assert.equal(attr(r, "action"), "sudo");
    r = h.callJson("migrate", [h.env(), { marker: "v2" }]);
    assert.equal(attr(r, "marker"), "v2");
    assert.deepEqual(h.query({ state: {} }), { count: 42, owner: OWNER, migrated: "v2", sudo_calls: 1 });
    const before = h.store.size;
    r = h.execute(OTHER, { storage_heavy: { n: 10 } });
    assert.equal(h.store.size, before + 10);
    const key3 = hex([0, 5, ...enc.encode("heavy"), 0, 0, 0, 0, 0, 0, 0, 3]);
    assert.equal(dec.decode(h.store.get(key3)), "3");
    // a write in the query path is refused by the host (VM error, not a contract result)
    return "instantiate/execute/query/sudo/migrate, Unauthorized, u64 max, cw-storage-plus keys";
  },

  "bank-sender"(wasm) {
    const h = new SmokeHost(wasm, "wasm1bank");
    h.querier = (req) => {
      assert.deepEqual(req, { bank: { balance: { address: "wasm1bank", denom: "ustake" } } });
      return { ok: { ok: b64(JSON.stringify({ amount: { denom: "ustake", amount: "340282366920938463463374607431768211455" } })) } };
    };
    assert.ok(h.instantiate(OWNER, {}).ok);
    let r = h.execute(OWNER, { send: { to: "wasm1to", amount: [{ denom: "ustake", amount: "5" }] } });
    assert.deepEqual(r.ok.messages, [
      {
        id: 0, payload: "", gas_limit: null, reply_on: "never",
        msg: { bank: { send: { to_address: "wasm1to", amount: [{ denom: "ustake", amount: "5" }] } } },
      },
    ]);
    r = h.execute(OWNER, { burn: { amount: [{ denom: "ustake", amount: "7" }] } });
    assert.deepEqual(r.ok.messages[0].msg, { bank: { burn: { amount: [{ denom: "ustake", amount: "7" }] } } });
    assert.match(h.execute(OWNER, { send: { to: "bad", amount: [] } }).error, /invalid address/);
    assert.deepEqual(h.query({ balance: { denom: "ustake" } }), {
      amount: { denom: "ustake", amount: "340282366920938463463374607431768211455" },
    });
    return "BankMsg::Send/Burn, bank balance query (u128 max)";
  },

  caller(wasm) {
    const h = new SmokeHost(wasm, "wasm1caller");
    assert.ok(h.instantiate(OWNER, {}).ok);
    let r = h.execute(OWNER, { call: { contract: "wasm1counter", msg: { increment: {} }, reply_on: "always", id: 7 } });
    assert.deepEqual(r.ok.messages, [
      {
        id: 7, payload: "", gas_limit: null, reply_on: "always",
        msg: { wasm: { execute: { contract_addr: "wasm1counter", msg: b64('{"increment":{}}'), funds: [] } } },
      },
    ]);
    r = h.execute(OWNER, { call: { contract: "wasm1counter", msg: b64('{"reset":{"count":1}}'), reply_on: "error", id: 8 } });
    assert.equal(r.ok.messages[0].msg.wasm.execute.msg, b64('{"reset":{"count":1}}'));
    assert.equal(r.ok.messages[0].reply_on, "error");
    r = h.callJson("reply", [h.env(), { id: 7, payload: "", gas_used: 1234, result: { ok: { events: [], data: null, msg_responses: [] } } }]);
    assert.equal(attr(r, "reply_id"), "7");
    assert.deepEqual(h.query({ last_reply: {} }), { id: 7, ok: true, error: null });
    r = h.callJson("reply", [h.env(), { id: 8, payload: "", gas_used: 1, result: { error: "Unauthorized" } }]);
    assert.equal(attr(r, "reply_ok"), "false");
    assert.deepEqual(h.query({ last_reply: {} }), { id: 8, ok: false, error: "Unauthorized" });
    h.querier = (req) => {
      assert.equal(req.wasm.smart.contract_addr, "wasm1counter");
      assert.deepEqual(JSON.parse(dec.decode(unb64(req.wasm.smart.msg))), { get_count: {} });
      return { ok: { ok: b64('{"count":3}') } };
    };
    r = h.execute(OWNER, { query_other: { contract: "wasm1counter", msg: { get_count: {} } } });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(h.query({ last_answer: {} }), { answer: { count: 3 } });
    h.querier = () => ({ error: { no_such_contract: { addr: "wasm1nope" } } });
    r = h.execute(OWNER, { query_other: { contract: "wasm1nope", msg: { get_count: {} } } });
    assert.match(r.error, /Querier system error/);
    return "SubMsg WasmMsg::Execute (json and base64 msg), reply ok/error, smart query";
  },

  hostile(wasm) {
    const h = new SmokeHost(wasm, "wasm1hostile");
    assert.ok(h.instantiate(OWNER, {}).ok);
    expectAbort(() => h.execute(OWNER, { panic: {} }), /hostile panic/);
    assert.ok(h.execute(OWNER, { heavy: { n: 1000 } }).ok);
    assert.ok(h.execute(OWNER, { recurse: { depth: 100 } }).ok);
    assert.throws(() => h.execute(OWNER, { recurse: { depth: 0 } }), RangeError); // unbounded: V8 stack overflow here
    let r = h.execute(OWNER, { grow: { pages: 2 } });
    assert.equal(attr(r, "result"), String(attr(r, "result"))); // previous size, e.g. "1"
    r = h.execute(OWNER, { nan: {} });
    assert.ok(/^\d+$/.test(attr(r, "bits")));
    assert.throws(() => JSON.parse(h.call("execute", [h.env(), { sender: OWNER, funds: [] }, { bad_json: {} }])));
    expectAbort(() => h.query({ write_in_query: {} }), /write access denied/);
    return "panic, heavy, recurse, grow, nan, bad_json, write_in_query (loop not run)";
  },
};

export async function runSmoke(buildDir, names) {
  let failed = 0;
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) {
      console.log(`smoke ${name}: no scenario`);
      continue;
    }
    try {
      const what = scenario(readFileSync(path.join(buildDir, `${name}.wasm`)));
      console.log(`smoke ${name}: ok (${what})`);
    } catch (e) {
      failed++;
      console.error(`smoke ${name}: FAILED\n${e.stack}`);
    }
  }
  if (failed) throw new Error(`${failed} smoke scenario(s) failed`);
}
