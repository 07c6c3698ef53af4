// Every `env` import (WASM-VM.md §1.4) through a real AssemblyScript contract (contracts-as/abi-probe,
// built by `make contracts`) on two in-process nodes fed the same blocks: crypto with real signatures
// made here, CosmWasm's result codes for malformed inputs, addresses, iteration, debug, and the gas the
// crypto imports charge. Both nodes must agree on every code, gas figure, event and app hash.
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../chain/src/crypto/hash.js";
import * as hc from "../chain/src/modules/wasm/vm/hostCrypto.js";
import { GAS_MULTIPLIER } from "../chain/src/modules/wasm/vm/types.js";
import { parseAddress } from "../chain/src/types/address.js";
import type { TestKey } from "../chain/src/tx/build.js";
import { codeIdOf, contractAddressOf, contractWasm, executeMsg, Signer, smartAnswer, smartQueryRaw } from "../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../chain/test/utils/testNode.js";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const u256 = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
const readU256 = (b: Uint8Array, o: number) => BigInt("0x" + Buffer.from(b.subarray(o, o + 32)).toString("hex"));

const K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const R1_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** The same ECDSA signature with s replaced by n − s. */
const malleate = (sig: Uint8Array, n: bigint) => cat(sig.subarray(0, 32), u256(n - readU256(sig, 32)));

describe("abi-probe: every host import through an AssemblyScript contract, on two nodes", () => {
  const alice = keyFromSeed("abi-probe-alice"); // account 0: everything but the gas measurements
  const carol = keyFromSeed("abi-probe-carol"); // account 1: gas measurements only (sequence stays < 128)
  const keys = [alice, carol];
  let a: TestNode;
  let b: TestNode;
  let signer: Signer;
  let probe = "";
  let other = "";

  /** Signs one tx (the signer tracks the sequences). */
  const sign = (key: TestKey, messages: Any[], gasLimit: bigint): Uint8Array => signer.sign(key, messages, gasLimit);

  /** Delivers one block to both nodes; they must agree on the app hash and on every tx result. */
  function block(txs: Uint8Array[]): ExecTxResult[] {
    const ra = a.deliverBlock(txs);
    const rb = b.deliverBlock(txs);
    expect(Buffer.from(rb.appHash).toString("hex")).toBe(Buffer.from(ra.appHash).toString("hex"));
    const view = (r: ExecTxResult) => [r.code, r.gasUsed, r.log, JSON.stringify(r.events)];
    expect(rb.results.map(view)).toEqual(ra.results.map(view));
    return ra.results;
  }

  const tx = (key: TestKey, messages: Any[], gasLimit?: bigint) => signer.tx(key, messages, gasLimit);
  const execMsg = (key: TestKey, contract: string, msg: unknown) => executeMsg(key.address, contract, msg);
  const exec = (msg: unknown, key = alice, contract = probe, gasLimit?: bigint) => tx(key, [execMsg(key, contract, msg)], gasLimit);

  /** The `wasm` event's attributes (without _contract_address and msg_index) of a successful execute. */
  function attrs(r: ExecTxResult): Record<string, string> {
    expect(r.code, r.log).toBe(0);
    const ev = r.events.find((e) => e.type === "wasm");
    expect(ev).toBeDefined();
    return Object.fromEntries(ev!.attributes.filter((x) => x.key !== "_contract_address" && x.key !== "msg_index").map((x) => [x.key, x.value]));
  }

  function query(msg: unknown, contract = probe): { code: number; log: string; value: Record<string, unknown> } {
    const r = smartQueryRaw(a, contract, msg);
    const r2 = smartQueryRaw(b, contract, msg);
    expect([r2.code, r2.log, Buffer.from(r2.value).toString("hex")]).toEqual([r.code, r.log, Buffer.from(r.value).toString("hex")]);
    const value = r.code === 0 ? smartAnswer(r.value) : undefined;
    return { code: r.code, log: r.log, value };
  }

  /** Runs `msg` as a query and as an execute; both must give the same fields (attributes are text). */
  function both(msg: Record<string, unknown>): Record<string, unknown> {
    const q = query(msg);
    expect(q.code, q.log).toBe(0);
    const at = attrs(exec(msg));
    expect(at.action).toBe(Object.keys(msg)[0]);
    const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    expect(Object.fromEntries(Object.entries(at).filter(([k]) => k !== "action"))).toEqual(Object.fromEntries(Object.entries(q.value).map(([k, v]) => [k, text(v)])));
    return q.value;
  }

  /** A VM error (the host refused the input): the tx fails with wasm code 29 and `why` in the log. */
  function vmError(msg: unknown, why: RegExp): void {
    const r = exec(msg);
    expect([r.code, r.codespace], r.log).toEqual([29, "wasm"]);
    expect(r.log).toMatch(why);
    const q = query(msg);
    expect(q.code).not.toBe(0);
    expect(q.log).toMatch(why);
  }

  beforeAll(async () => {
    const genesis = fundedGenesis(keys);
    a = await TestNode.create({ genesis });
    b = await TestNode.create({ genesis });
    signer = new Signer(a, keys, { deliver: (t) => block([t])[0]! });
    const up = signer.store(alice, contractWasm("abi-probe"), 20_000_000n);
    expect(up.code, up.log).toBe(0);
    expect(up.events.find((e) => e.type === "store_code")?.attributes.filter((x) => x.key === "required_capability").map((x) => x.value)).toEqual(["iterator"]);
    const codeId = codeIdOf(up);
    const inst = () => {
      const r = signer.instantiate(alice, codeId, {}, { label: "probe" });
      expect(r.code, r.log).toBe(0);
      return contractAddressOf(r);
    };
    probe = inst();
    other = inst();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  // ---- secp256k1 ---------------------------------------------------------------------------------

  describe("secp256k1", () => {
    const priv = sha256(utf8("abi-probe k1 key"));
    const pubC = secp256k1.getPublicKey(priv, true);
    const pubU = secp256k1.getPublicKey(priv, false);
    const hash = sha256(utf8("abi-probe k1 message"));
    const rec = secp256k1.sign(hash, priv, { prehash: false, format: "recovered" }); // recid ‖ r ‖ s
    const recid = rec[0]!;
    const sig = rec.subarray(1);
    const verify = (h: Uint8Array, s: Uint8Array, pk: Uint8Array) => both({ verify_secp256k1: { hash: b64(h), sig: b64(s), pubkey: b64(pk) } });

    it("valid and invalid signatures (compressed and uncompressed keys, high S accepted)", () => {
      expect(verify(hash, sig, pubC)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(hash, sig, pubU)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(hash, malleate(sig, K1_N), pubC)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(sha256(utf8("another message")), sig, pubC)).toEqual({ calls: 1, code: 1, valid: false });
      expect(verify(hash, sig, secp256k1.getPublicKey(sha256(utf8("other key")), true))).toEqual({ calls: 1, code: 1, valid: false });
    });

    it("malformed inputs give CosmWasm's codes 3 / 4 / 5 / 10", () => {
      expect(verify(hash.subarray(1), sig, pubC)).toEqual({ calls: 1, code: 3, error: "Invalid hash format" });
      expect(verify(hash, sig.subarray(1), pubC)).toEqual({ calls: 1, code: 4, error: "Invalid signature format" });
      expect(verify(hash, sig, pubC.subarray(1))).toEqual({ calls: 1, code: 5, error: "Invalid public key format" });
      expect(verify(hash, sig, cat(Uint8Array.of(4), pubC.subarray(1)))).toEqual({ calls: 1, code: 5, error: "Invalid public key format" });
      expect(verify(hash, cat(u256(0n), sig.subarray(32)), pubC)).toEqual({ calls: 1, code: 10, error: "Generic error" });
      expect(verify(hash, cat(u256(K1_N), sig.subarray(32)), pubC)).toEqual({ calls: 1, code: 10, error: "Generic error" });
      expect(verify(hash, sig, cat(Uint8Array.of(2), new Uint8Array(32).fill(0xff)))).toEqual({ calls: 1, code: 10, error: "Generic error" });
    });

    it("inputs over the Region limits are VM errors, not codes", () => {
      vmError({ verify_secp256k1: { hash: b64(cat(hash, Uint8Array.of(0))), sig: b64(sig), pubkey: b64(pubC) } }, /region length too big/);
      vmError({ verify_secp256k1: { hash: b64(hash), sig: b64(cat(sig, Uint8Array.of(0))), pubkey: b64(pubC) } }, /region length too big/);
      vmError({ verify_secp256k1: { hash: b64(hash), sig: b64(sig), pubkey: b64(cat(pubU, Uint8Array.of(0))) } }, /region length too big/);
    });

    it("recovers the signer's key (u64 result: code high, Region low); codes 3 / 4 / 6 / 10", () => {
      const recover = (h: Uint8Array, s: Uint8Array, p: number) => both({ recover_secp256k1: { hash: b64(h), sig: b64(s), recovery_param: p } });
      expect(recover(hash, sig, recid)).toEqual({ calls: 1, code: 0, pubkey: b64(pubU) });
      const wrong = recover(hash, sig, 1 - recid);
      expect(wrong.code).toBe(0);
      expect(wrong.pubkey).not.toBe(b64(pubU));
      // a high-S twin recovers the same key with the other recovery id
      expect(recover(hash, malleate(sig, K1_N), 1 - recid)).toEqual({ calls: 1, code: 0, pubkey: b64(pubU) });
      const e6 = { calls: 1, code: 6, error: "Invalid recovery parameter. Supported values: 0 and 1." };
      expect(recover(hash, sig, 2)).toEqual(e6);
      expect(recover(hash, sig, 256)).toEqual(e6); // not a u8: refused before any other check
      expect(recover(hash, sig, 4_294_967_295)).toEqual(e6);
      expect(recover(hash.subarray(1), sig, recid)).toEqual({ calls: 1, code: 3, error: "Invalid hash format" });
      expect(recover(hash, sig.subarray(1), recid)).toEqual({ calls: 1, code: 4, error: "Invalid signature format" });
      expect(recover(hash, cat(sig.subarray(0, 32), u256(0n)), recid)).toEqual({ calls: 1, code: 10, error: "Generic error" });
    });
  });

  // ---- secp256r1 ---------------------------------------------------------------------------------

  describe("secp256r1", () => {
    const priv = sha256(utf8("abi-probe r1 key"));
    const pubC = p256.getPublicKey(priv, true);
    const pubU = p256.getPublicKey(priv, false);
    const hash = sha256(utf8("abi-probe r1 message"));
    const rec = p256.sign(hash, priv, { prehash: false, format: "recovered" });
    const recid = rec[0]!;
    const sig = rec.subarray(1);
    const verify = (h: Uint8Array, s: Uint8Array, pk: Uint8Array) => both({ verify_secp256r1: { hash: b64(h), sig: b64(s), pubkey: b64(pk) } });
    const recover = (h: Uint8Array, s: Uint8Array, p: number) => both({ recover_secp256r1: { hash: b64(h), sig: b64(s), recovery_param: p } });

    it("valid and invalid signatures; codes 3 / 4 / 5 / 10", () => {
      expect(verify(hash, sig, pubC)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(hash, malleate(sig, R1_N), pubU)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(sha256(utf8("x")), sig, pubC)).toEqual({ calls: 1, code: 1, valid: false });
      expect(verify(hash.subarray(2), sig, pubC)).toEqual({ calls: 1, code: 3, error: "Invalid hash format" });
      expect(verify(hash, sig.subarray(2), pubC)).toEqual({ calls: 1, code: 4, error: "Invalid signature format" });
      expect(verify(hash, sig, new Uint8Array(0))).toEqual({ calls: 1, code: 5, error: "Invalid public key format" });
      expect(verify(hash, cat(sig.subarray(0, 32), u256(R1_N)), pubC)).toEqual({ calls: 1, code: 10, error: "Generic error" });
    });

    it("recovers with ids 0..3 as CosmWasm; 4 is code 6", () => {
      expect(recover(hash, sig, recid)).toEqual({ calls: 1, code: 0, pubkey: b64(pubU) });
      expect(recover(hash, sig, 1 - (recid & 1)).pubkey).not.toBe(b64(pubU));
      expect(recover(hash, malleate(sig, R1_N), 1 - (recid & 1))).toEqual({ calls: 1, code: 0, pubkey: b64(pubU) });
      expect(recover(hash, sig, 4)).toMatchObject({ code: 6 });
      expect(recover(hash.subarray(1), sig, recid)).toMatchObject({ code: 3 });
      // ids 2 and 3 mean x = r + n: impossible for this r, so a generic error (10)
      expect(recover(hash, sig, 2 + (recid & 1))).toEqual({ calls: 1, code: 10, error: "Generic error" });
    });
  });

  // ---- ed25519 -----------------------------------------------------------------------------------

  describe("ed25519", () => {
    const privs = [0, 1, 2].map((i) => sha256(utf8(`abi-probe ed25519 key ${i}`)));
    const pubs = privs.map((k) => ed25519.getPublicKey(k));
    const msgs = [0, 1, 2].map((i) => utf8(`abi-probe ed25519 message ${i}`));
    const sigs = msgs.map((m, i) => ed25519.sign(m, privs[i]!));
    const verify = (m: Uint8Array, s: Uint8Array, pk: Uint8Array) => both({ verify_ed25519: { msg: b64(m), sig: b64(s), pubkey: b64(pk) } });
    const batch = (m: Uint8Array[], s: Uint8Array[], pk: Uint8Array[]) =>
      both({ verify_ed25519_batch: { msgs: m.map(b64), sigs: s.map(b64), pubkeys: pk.map(b64) } });

    it("verify: valid, invalid, codes 4 / 5; an oversized signature is a VM error", () => {
      expect(verify(msgs[0]!, sigs[0]!, pubs[0]!)).toEqual({ calls: 1, code: 0, valid: true });
      expect(verify(msgs[1]!, sigs[0]!, pubs[0]!)).toEqual({ calls: 1, code: 1, valid: false });
      expect(verify(msgs[0]!, sigs[0]!, pubs[1]!)).toEqual({ calls: 1, code: 1, valid: false });
      expect(verify(msgs[0]!, sigs[0]!.subarray(1), pubs[0]!)).toEqual({ calls: 1, code: 4, error: "Invalid signature format" });
      expect(verify(msgs[0]!, sigs[0]!, pubs[0]!.subarray(1))).toEqual({ calls: 1, code: 5, error: "Invalid public key format" });
      vmError({ verify_ed25519: { msg: b64(msgs[0]!), sig: b64(cat(sigs[0]!, Uint8Array.of(0))), pubkey: b64(pubs[0]!) } }, /region length too big/);
    });

    it("batch (sections encoding): n/n/n, one message, one key, empty; codes 1 / 4 / 5 / 7", () => {
      expect(batch(msgs, sigs, pubs)).toEqual({ calls: 1, code: 0, valid: true });
      expect(batch([], [], [])).toEqual({ calls: 1, code: 0, valid: true });
      const shared = utf8("one message, three signers");
      expect(batch([shared], privs.map((k) => ed25519.sign(shared, k)), pubs)).toEqual({ calls: 1, code: 0, valid: true });
      expect(batch(msgs, msgs.map((m) => ed25519.sign(m, privs[0]!)), [pubs[0]!])).toEqual({ calls: 1, code: 0, valid: true });
      expect(batch(msgs, [sigs[0]!, sigs[2]!, sigs[1]!], pubs)).toEqual({ calls: 1, code: 1, valid: false });
      expect(batch(msgs, [sigs[0]!, sigs[1]!.subarray(1), sigs[2]!], pubs)).toEqual({ calls: 1, code: 4, error: "Invalid signature format" });
      expect(batch(msgs, sigs, [pubs[0]!, pubs[1]!, pubs[2]!.subarray(1)])).toEqual({ calls: 1, code: 5, error: "Invalid public key format" });
      expect(batch(msgs.slice(0, 2), sigs, pubs)).toEqual({ calls: 1, code: 7, error: "Batch error" });
    });
  });

  // ---- bls12-381 ---------------------------------------------------------------------------------

  describe("bls12-381", () => {
    const G1 = bls12_381.G1.Point;
    const G2 = bls12_381.G2.Point;
    const DST = utf8("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_");
    const msg = utf8("abi-probe drand round 7");
    const sks = [3n, 5n, 0x1234567890abcdefn].map((k) => k * 0x10001n);
    const pks = sks.map((k) => G1.BASE.multiply(k).toBytes(true));
    const H = bls12_381.G2.hashToCurve(msg, { DST }) as unknown as InstanceType<typeof G2>;
    const sigs = sks.map((k) => H.multiply(k).toBytes(true));
    const g1Gen = G1.BASE.toBytes(true);

    it("hash_to_g1 / hash_to_g2 equal noble's hashToCurve with the same DST; code 9 for another hash function", () => {
      const dst1 = utf8("QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
      const g1 = both({ hash_to_g1: { msg: b64(msg), dst: b64(dst1) } });
      expect(g1).toEqual({ calls: 1, code: 0, point: b64(bls12_381.G1.hashToCurve(msg, { DST: dst1 }).toBytes(true)) });
      expect(both({ hash_to_g2: { msg: b64(msg), dst: b64(DST) } })).toEqual({ calls: 1, code: 0, point: b64(H.toBytes(true)) });
      expect(both({ hash_to_g1: { msg: b64(msg), dst: b64(dst1), hash_function: 1 } })).toEqual({ calls: 1, code: 9, error: "Unknown hash function" });
      expect(both({ hash_to_g2: { msg: b64(msg), dst: b64(DST), hash_function: 7 } })).toMatchObject({ code: 9 });
    });

    it("aggregates G1 public keys and G2 signatures; codes 8 / 14 / 15", () => {
      const aggPk = both({ aggregate_g1: { points: pks.map(b64) } });
      expect(aggPk).toEqual({ calls: 1, code: 0, point: b64(G1.BASE.multiply(sks[0]! + sks[1]! + sks[2]!).toBytes(true)) });
      const aggSig = both({ aggregate_g2: { points: sigs.map(b64) } });
      expect(aggSig).toEqual({ calls: 1, code: 0, point: b64(H.multiply(sks[0]! + sks[1]! + sks[2]!).toBytes(true)) });
      expect(both({ aggregate_g1: { points: [] } })).toEqual({ calls: 1, code: 14, error: "Aggregation error: List of points is empty" });
      expect(both({ aggregate_g2: { points: [] } })).toMatchObject({ code: 14 });
      expect(both({ aggregate_g1: { points: [b64(pks[0]!.subarray(1))] } })).toEqual({ calls: 1, code: 15, error: "Aggregation error: List is not an expected multiple" });
      expect(both({ aggregate_g2: { points: [b64(sigs[0]!), b64(sigs[1]!.subarray(1))] } })).toMatchObject({ code: 15 });
      expect(both({ aggregate_g1: { points: [b64(pks[0]!), b64(new Uint8Array(48))] } })).toEqual({ calls: 1, code: 8, error: "Invalid point" });
      expect(both({ aggregate_g2: { points: [b64(new Uint8Array(96))] } })).toMatchObject({ code: 8 });
    });

    it("pairing equality verifies an aggregated signature made by the contract's own aggregation", () => {
      const aggPk = Buffer.from(both({ aggregate_g1: { points: pks.map(b64) } }).point as string, "base64");
      const aggSig = Buffer.from(both({ aggregate_g2: { points: sigs.map(b64) } }).point as string, "base64");
      const hm = Buffer.from(both({ hash_to_g2: { msg: b64(msg), dst: b64(DST) } }).point as string, "base64");
      const pairing = (ps: Uint8Array[], qs: Uint8Array[], r: Uint8Array, s: Uint8Array) => both({ pairing_equality: { ps: ps.map(b64), qs: qs.map(b64), r: b64(r), s: b64(s) } });
      // e(aggPk, H(m)) = e(G1, aggSig)
      expect(pairing([aggPk], [hm], g1Gen, aggSig)).toEqual({ calls: 1, code: 0, valid: true });
      // e(pk1, H) · e(pk2, H) · e(pk3, H) = e(G1, aggSig)
      expect(pairing(pks, [hm, hm, hm], g1Gen, aggSig)).toEqual({ calls: 1, code: 0, valid: true });
      // one signer missing, or another message: does not hold
      expect(pairing(pks.slice(0, 2), [hm, hm], g1Gen, aggSig)).toEqual({ calls: 1, code: 1, valid: false });
      const other = bls12_381.G2.hashToCurve(utf8("another round"), { DST }).toBytes(true);
      expect(pairing([aggPk], [other], g1Gen, aggSig)).toEqual({ calls: 1, code: 1, valid: false });
      // noble agrees
      expect(bls12_381.longSignatures.verify(G2.fromBytes(aggSig), H, G1.fromBytes(aggPk))).toBe(true);
    });

    it("pairing codes 8 / 11 / 12 / 13", () => {
      const q = b64(sigs[0]!);
      const p = b64(pks[0]!);
      const pairing = (ps: string[], qs: string[], r = b64(g1Gen), s = q) => both({ pairing_equality: { ps, qs, r, s } });
      expect(pairing([b64(pks[0]!.subarray(1))], [q])).toEqual({ calls: 1, code: 11, error: "Pairing equality error: List is not a multiple of 48" });
      expect(pairing([p], [b64(sigs[0]!.subarray(1))])).toEqual({ calls: 1, code: 12, error: "Pairing equality error: List is not a multiple of 96" });
      expect(pairing([p, p], [q])).toEqual({ calls: 1, code: 13, error: "Pairing equality error: Not the same amount of points passed" });
      expect(pairing([p], [q], b64(new Uint8Array(48)))).toEqual({ calls: 1, code: 8, error: "Invalid point" });
      expect(pairing([p], [q], b64(g1Gen), b64(new Uint8Array(96)))).toMatchObject({ code: 8 });
    });
  });

  // ---- addresses ---------------------------------------------------------------------------------

  describe("addr_validate / addr_canonicalize / addr_humanize", () => {
    it("round trip of valid addresses (20-byte account and 32-byte contract)", () => {
      for (const human of [alice.address, probe]) {
        expect(both({ addr: { human } })).toEqual({ valid: true, canonical: b64(parseAddress(human)), humanized: human, round_trip: true });
      }
    });

    it("invalid and non-normalised addresses, bad canonical lengths", () => {
      // All-uppercase bech32 canonicalizes (as on wasmd) but does not validate: it is not the normal form.
      const upper = alice.address.toUpperCase();
      const lowercase = `invalid address "${upper}": must be lowercase: invalid address`;
      expect(both({ addr: { human: upper } })).toMatchObject({ valid: false, validate_error: lowercase, canonical: b64(parseAddress(alice.address)) });
      const garbage = both({ addr: { human: "not-an-address" } });
      expect(garbage).toMatchObject({ valid: false, validate_error: expect.any(String), canonicalize_error: expect.any(String) });
      expect(garbage).not.toHaveProperty("canonical");
      const flipped = alice.address.slice(0, -1) + (alice.address.endsWith("q") ? "p" : "q"); // bad checksum
      expect(both({ addr: { human: flipped } })).toMatchObject({ valid: false, canonicalize_error: expect.any(String) });
      expect(both({ addr: { human: "" } })).toEqual({ valid: false, validate_error: "Input is empty", canonicalize_error: "Input is empty" });
      expect(both({ humanize: { canonical: b64(new Uint8Array(19)) } })).toEqual({ error: "Invalid canonical address length: 19" });
      expect(both({ humanize: { canonical: b64(parseAddress(alice.address)) } })).toEqual({ human: alice.address });
      vmError({ addr: { human: "a".repeat(257) } }, /region length too big/);
      vmError({ humanize: { canonical: b64(new Uint8Array(65)) } }, /region length too big/);
    });
  });

  // ---- iteration ---------------------------------------------------------------------------------

  describe("db_read / db_write / db_remove / db_scan / db_next / db_next_key / db_next_value (requires_iterator)", () => {
    const data: [string, string][] = [["b", "2"], ["d", "4"], ["a", "1"], ["e", "5"], ["c", "3"], ["ca", "3a"]];
    beforeAll(() => {
      for (const [key, value] of data) expect(attrs(exec({ put: { key, value } }))).toEqual({ action: "put", key });
    });
    const sorted = [...data].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    const scan = (s: Record<string, unknown>) => both({ scan: s });

    it("both orders, unbounded; the end marker comes after the last entry and stays", () => {
      expect(scan({ order: "ascending" })).toEqual({ entries: sorted, end: true, end_again: true });
      expect(scan({ order: "descending" })).toEqual({ entries: [...sorted].reverse(), end: true, end_again: true });
      expect(scan({ order: "ascending", via: "next_key" })).toEqual({ entries: sorted.map(([k]) => k), end: true, end_again: true });
      expect(scan({ order: "descending", via: "next_value" })).toEqual({ entries: [...sorted].reverse().map(([, v]) => v), end: true, end_again: true });
    });

    it("bounds are [start, end) in both orders; empty and inverted ranges are empty", () => {
      expect(scan({ start: "b", end: "d", order: "ascending" })).toEqual({ entries: [["b", "2"], ["c", "3"], ["ca", "3a"]], end: true, end_again: true });
      expect(scan({ start: "b", end: "d", order: "descending" })).toEqual({ entries: [["ca", "3a"], ["c", "3"], ["b", "2"]], end: true, end_again: true });
      expect(scan({ start: "c", order: "ascending", via: "next_key" })).toEqual({ entries: ["c", "ca", "d", "e"], end: true, end_again: true });
      expect(scan({ end: "c", order: "descending", via: "next_key" })).toEqual({ entries: ["b", "a"], end: true, end_again: true });
      expect(scan({ start: "bb", end: "bc", order: "ascending" })).toEqual({ entries: [], end: true, end_again: true });
      expect(scan({ start: "d", end: "b", order: "ascending" })).toEqual({ entries: [], end: true, end_again: true });
      expect(scan({ start: "d", end: "b", order: "descending" })).toEqual({ entries: [], end: true, end_again: true });
    });

    it("limits stop before the end marker", () => {
      expect(scan({ order: "ascending", limit: 2 })).toEqual({ entries: sorted.slice(0, 2), end: false });
      expect(scan({ order: "descending", limit: 3, via: "next_key" })).toEqual({ entries: ["e", "d", "ca"], end: false });
      expect(scan({ order: "ascending", limit: 0 })).toEqual({ entries: [], end: false });
      expect(scan({ order: "ascending", limit: sorted.length })).toEqual({ entries: sorted, end: false });
      expect(scan({ order: "ascending", limit: sorted.length + 1 })).toEqual({ entries: sorted, end: true, end_again: true });
    });

    it("db_remove, and contracts see only their own keys", () => {
      expect(attrs(exec({ remove: { key: "ca" } }))).toEqual({ action: "remove", key: "ca" });
      expect(scan({ order: "ascending", via: "next_key" })).toEqual({ entries: ["a", "b", "c", "d", "e"], end: true, end_again: true });
      expect(both({ get: { key: "ca" } })).toEqual({ found: false });
      expect(both({ get: { key: "c" } })).toEqual({ found: true, value: "3" });
      expect(attrs(exec({ put: { key: "ca", value: "3a" } }))).toEqual({ action: "put", key: "ca" });
      expect(query({ scan: { order: "ascending" } }, other).value).toEqual({ entries: [], end: true, end_again: true });
    });

    it("an invalid order or iterator id is a VM error; a query cannot write", () => {
      vmError({ scan: { order: 3 } }, /invalid iteration order/);
      vmError({ scan: { order: 0 } }, /invalid iteration order/);
      vmError({ next_raw: { id: 1 } }, /iterator does not exist/);
      const put = query({ put: { key: "x", value: "y" } });
      expect(put.code).not.toBe(0);
      expect(put.log).toMatch(/unknown variant `put`/);
    });
  });

  // ---- debug -------------------------------------------------------------------------------------

  it("debug changes neither state nor events", () => {
    const before = query({ scan: { order: "ascending" } }).value;
    const r = exec({ debug: { msg: "probe debug line: secret-marker" } });
    expect(attrs(r)).toEqual({ action: "debug" });
    expect(JSON.stringify(r.events)).not.toMatch(/secret-marker/);
    expect(r.events.filter((e) => e.type.startsWith("wasm")).map((e) => e.type)).toEqual(["wasm"]);
    expect(query({ debug: { msg: "from a query" } })).toMatchObject({ code: 0, value: {} });
    expect(query({ scan: { order: "ascending" } }).value).toEqual(before);
  });

  // ---- gas ---------------------------------------------------------------------------------------

  describe("gas", () => {
    const k1Priv = sha256(utf8("gas k1"));
    const k1Hash = sha256(utf8("gas k1 msg"));
    const k1Rec = secp256k1.sign(k1Hash, k1Priv, { prehash: false, format: "recovered" });
    const r1Priv = sha256(utf8("gas r1"));
    const r1Rec = p256.sign(k1Hash, r1Priv, { prehash: false, format: "recovered" });
    const edPrivs = [1, 2, 3].map((i) => sha256(utf8(`gas ed ${i}`)));
    const edMsgs = [1, 2, 3].map((i) => utf8(`gas ed msg ${i}`));
    const G1 = bls12_381.G1.Point;
    const G2 = bls12_381.G2.Point;
    const DST = utf8("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_");
    const H = bls12_381.G2.hashToCurve(utf8("gas bls"), { DST }) as unknown as InstanceType<typeof G2>;
    const g1s = [7n, 11n].map((k) => G1.BASE.multiply(k).toBytes(true));
    const g2s = [7n, 11n].map((k) => H.multiply(k).toBytes(true));
    const M = GAS_MULTIPLIER;

    /** [variant, body without `times`, documented CosmWasm gas of one call, expected code]. */
    const ops: [string, Record<string, unknown>, bigint, number][] = [
      ["verify_secp256k1", { hash: b64(k1Hash), sig: b64(k1Rec.subarray(1)), pubkey: b64(secp256k1.getPublicKey(k1Priv, true)) }, hc.GAS_SECP256K1_VERIFY, 0],
      ["recover_secp256k1", { hash: b64(k1Hash), sig: b64(k1Rec.subarray(1)), recovery_param: k1Rec[0]! }, hc.GAS_SECP256K1_RECOVER_PUBKEY, 0],
      ["verify_secp256r1", { hash: b64(k1Hash), sig: b64(r1Rec.subarray(1)), pubkey: b64(p256.getPublicKey(r1Priv, true)) }, hc.GAS_SECP256R1_VERIFY, 0],
      ["recover_secp256r1", { hash: b64(k1Hash), sig: b64(r1Rec.subarray(1)), recovery_param: r1Rec[0]! }, hc.GAS_SECP256R1_RECOVER_PUBKEY, 0],
      ["verify_ed25519", { msg: b64(edMsgs[0]!), sig: b64(ed25519.sign(edMsgs[0]!, edPrivs[0]!)), pubkey: b64(ed25519.getPublicKey(edPrivs[0]!)) }, hc.GAS_ED25519_VERIFY, 0],
      [
        "verify_ed25519_batch",
        { msgs: edMsgs.map(b64), sigs: edMsgs.map((m, i) => b64(ed25519.sign(m, edPrivs[i]!))), pubkeys: edPrivs.map((k) => b64(ed25519.getPublicKey(k))) },
        hc.ed25519BatchVerifyGas(3, 3),
        0,
      ],
      ["aggregate_g1", { points: g1s.map(b64) }, hc.bls12381AggregateG1Gas(96), 0],
      ["aggregate_g2", { points: g2s.map(b64) }, hc.bls12381AggregateG2Gas(192), 0],
      ["pairing_equality", { ps: [b64(G1.BASE.multiply(7n).toBytes(true))], qs: [b64(H.toBytes(true))], r: b64(G1.BASE.toBytes(true)), s: b64(g2s[0]!) }, hc.bls12381PairingEqualityGas(48), 0],
      ["hash_to_g1", { msg: b64(utf8("gas bls")), dst: b64(DST) }, hc.GAS_BLS12_381_HASH_TO_G1, 0],
      ["hash_to_g2", { msg: b64(utf8("gas bls")), dst: b64(DST) }, hc.GAS_BLS12_381_HASH_TO_G2, 0],
    ];
    const measured: Record<string, { doc: number; per: bigint; delta0: bigint }> = {};

    afterAll(() => {
      // The table for the report: SDK gas of one call (difference of times=2 and times=1).
      console.log(Object.entries(measured).map(([k, v]) => `${k.padEnd(22)} documented ${String(v.doc).padStart(7)}  measured ${String(v.per).padStart(7)} (0→1: ${v.delta0})`).join("\n"));
    });

    it.each(ops)("%s charges its documented gas (one call = times 2 − times 1 ≥ cost / 140000)", (variant, body, cost, code) => {
      // Same tx shape: only the digit of `times` differs, so size, fee and signature gas are equal.
      const runs = [0, 1, 2].map((times) => exec({ [variant]: { ...body, times } }, carol, probe, 5_000_000n));
      runs.forEach((r, times) => {
        const at = attrs(r);
        expect(at.calls).toBe(String(times));
        if (times > 0) expect(at.code).toBe(String(code));
      });
      const [g0, g1, g2] = runs.map((r) => r.gasUsed);
      const per = g2! - g1!;
      const doc = cost / M;
      measured[variant] = { doc: Number(doc), per, delta0: g1! - g0! };
      expect(per).toBeGreaterThanOrEqual(doc);
      // host call + reading the inputs + writing the result + the loop's Wasm: a few dozen SDK gas
      expect(per - doc).toBeLessThan(40n);
      // 0 → 1 also pays for the result attributes (events gas), never less than one call
      expect(g1! - g0!).toBeGreaterThanOrEqual(per);
    });

    it("several probe txs in one block: both nodes charge identical gas per tx", () => {
      const txs = [
        sign(alice, [execMsg(alice, probe, { verify_secp256k1: ops[0]![1] })], 3_000_000n),
        sign(alice, [execMsg(alice, probe, { hash_to_g1: ops[9]![1] })], 3_000_000n),
        sign(alice, [execMsg(alice, probe, { scan: { order: "descending", limit: 3 } })], 3_000_000n),
        sign(alice, [execMsg(alice, probe, { addr: { human: carol.address } })], 3_000_000n),
        sign(alice, [execMsg(alice, probe, { debug: { msg: "in a block" } })], 3_000_000n),
      ];
      const results = block(txs); // block() compares both nodes' results and app hashes
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
      expect(new Set(results.map((r) => r.gasUsed)).size).toBe(5);
    });
  });
});
