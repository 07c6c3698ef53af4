import { describe, expect, it } from "vitest";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgRegistry } from "../app/msgRegistry.js";
import { AuthKeeper } from "../modules/auth/keeper.js";
import { BankKeeper } from "../modules/bank/keeper.js";
import { bankMsgHandlers } from "../modules/bank/msgs.js";
import { ChainError } from "../errors/errors.js";
import { buildSignedTx, keyFromSeed, msgSendAny } from "./build.js";
import { decodeTx } from "./decode.js";

const registry = new MsgRegistry();
for (const h of bankMsgHandlers(new BankKeeper(new AuthKeeper()))) registry.register(h);
const alice = keyFromSeed("alice");
const bob = keyFromSeed("bob");
const send = (over: Partial<Parameters<typeof buildSignedTx>[0]> = {}) =>
  buildSignedTx({ key: alice, chainId: "c", accountNumber: 0n, sequence: 0n, messages: [msgSendAny(alice.address, bob.address, [{ denom: "usoa", amount: "1" }])], fee: [{ denom: "usoa", amount: "1" }], ...over }, registry);

function codeOf(f: () => unknown): [string, number] {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return [e.codespace, e.code];
    throw e;
  }
  return ["", 0];
}

describe("decodeTx", () => {
  it("decodes a signed send: signer, pubkey, fee, gas", () => {
    const tx = decodeTx(send({ gasLimit: 123n, memo: "m" }), registry);
    expect(tx.signer).toBe(alice.address);
    expect(Buffer.from(tx.pubkey!)).toEqual(Buffer.from(alice.pubkey));
    expect(tx.fee).toEqual([{ denom: "usoa", amount: 1n }]);
    expect(tx.gasLimit).toBe(123n);
    expect(tx.body.memo).toBe("m");
    expect(tx.hash.length).toBe(32);
    // 64-bit values in [2^31, 2^32) round-trip (cosmjs-types 0.11 writer bug, see encoding/protobufFix.ts)
    expect(decodeTx(send({ gasLimit: 3_000_000_000n }), registry).gasLimit).toBe(3_000_000_000n);
  });

  it("maps malformed input to SDK codes", () => {
    const good = TxRaw.decode(send());
    const body = TxBody.decode(good.bodyBytes);
    const auth = AuthInfo.decode(good.authInfoBytes);
    const withBody = (b: Partial<TxBody>) => TxRaw.encode({ ...good, bodyBytes: TxBody.encode({ ...body, ...b }).finish() }).finish();
    const withAuth = (a: Partial<AuthInfo>) => TxRaw.encode({ ...good, authInfoBytes: AuthInfo.encode({ ...auth, ...a }).finish() }).finish();
    expect(codeOf(() => decodeTx(Buffer.from([0xff, 0xff, 0xff]), registry))).toEqual(["sdk", 2]);
    expect(codeOf(() => decodeTx(withBody({ messages: [] }), registry))).toEqual(["sdk", 18]);
    expect(codeOf(() => decodeTx(withBody({ messages: [{ typeUrl: "/unknown.Msg", value: new Uint8Array() }] }), registry))).toEqual(["sdk", 2]);
    expect(codeOf(() => decodeTx(withBody({ extensionOptions: [{ typeUrl: "/x", value: new Uint8Array() }] }), registry))).toEqual(["sdk", 31]);
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, signatures: [] }).finish(), registry))).toEqual(["sdk", 15]);
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, signatures: [good.signatures[0]!, good.signatures[0]!] }).finish(), registry))).toEqual(["sdk", 14]);
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, signatures: [new Uint8Array(65)] }).finish(), registry))).toEqual(["sdk", 4]);
    expect(codeOf(() => decodeTx(withAuth({ fee: { ...auth.fee!, granter: bob.address } }), registry))).toEqual(["sdk", 37]);
    expect(codeOf(() => decodeTx(withAuth({ fee: { ...auth.fee!, amount: [{ denom: "usoa", amount: "-1" }] } }), registry))).toEqual(["sdk", 10]);
    expect(codeOf(() => decodeTx(withAuth({ signerInfos: [{ ...auth.signerInfos[0]!, publicKey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: new Uint8Array(34) } }] }), registry))).toEqual(["sdk", 8]);
    const twoSigners = withBody({ messages: [msgSendAny(alice.address, bob.address, [{ denom: "usoa", amount: "1" }]), msgSendAny(bob.address, alice.address, [{ denom: "usoa", amount: "1" }])] });
    expect(codeOf(() => decodeTx(twoSigners, registry))).toEqual(["sdk", 4]);
  });

  it("rejects non-canonical encodings that would let a signed amino tx change its hash", () => {
    const good = TxRaw.decode(send());
    const unknownField = Buffer.concat([good.authInfoBytes, Buffer.from([0x48, 0x01])]); // field 9 varint
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, authInfoBytes: unknownField }).finish(), registry))).toEqual(["sdk", 2]);
    const bodyUnknown = Buffer.concat([good.bodyBytes, Buffer.from([0x32, 0x01, 0x07])]); // field 6 bytes
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, bodyBytes: bodyUnknown }).finish(), registry))).toEqual(["sdk", 2]);
    const rawExtra = Buffer.concat([send(), Buffer.from([0x20, 0x01])]); // TxRaw field 4
    expect(codeOf(() => decodeTx(rawExtra, registry))).toEqual(["sdk", 2]);
    // the message itself re-encoded with a non-minimal length prefix
    const body = TxBody.decode(good.bodyBytes);
    const v = Buffer.from(body.messages[0]!.value);
    const padded = Buffer.concat([Buffer.from([0x0a, 0x80 | v[1]!, 0x00]), v.subarray(2)]); // from_address length as 2-byte varint
    const reBody = TxBody.encode({ ...body, messages: [{ typeUrl: body.messages[0]!.typeUrl, value: padded }] }).finish();
    expect(codeOf(() => decodeTx(TxRaw.encode({ ...good, bodyBytes: reBody }).finish(), registry))).toEqual(["sdk", 2]);
  });

  it("allows an empty signature and zero gas only when simulating", () => {
    const good = TxRaw.decode(send({ gasLimit: 0n }));
    const unsigned = TxRaw.encode({ ...good, signatures: [new Uint8Array()] }).finish();
    expect(codeOf(() => decodeTx(unsigned, registry))).toEqual(["sdk", 41]);
    expect(decodeTx(unsigned, registry, true).gasLimit).toBe(0n);
  });
});
