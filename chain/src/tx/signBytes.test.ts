import { describe, expect, it } from "vitest";
import { makeSignDoc as makeAminoDoc, serializeSignDoc } from "@cosmjs/amino";
import { makeAuthInfoBytes, makeSignBytes, makeSignDoc, Registry, encodePubkey } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from "@cosmjs/stargate";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgRegistry } from "../app/msgRegistry.js";
import { bankMsgHandlers } from "../modules/bank/msgs.js";
import { BankKeeper } from "../modules/bank/keeper.js";
import { AuthKeeper } from "../modules/auth/keeper.js";
import { keyFromSeed } from "./build.js";
import { decodeTx } from "./decode.js";
import { aminoSignBytes, directSignBytes } from "./signBytes.js";

const registry = new MsgRegistry();
for (const h of bankMsgHandlers(new BankKeeper(new AuthKeeper()))) registry.register(h);
const cosmjsRegistry = new Registry(defaultRegistryTypes);
const alice = keyFromSeed("alice");
const bob = keyFromSeed("bob");

/** Builds tx bytes the way SigningStargateClient does, with a dummy signature. */
function cosmjsTx(memo: string, mode: SignMode, accountSequence: number, timeoutHeight = 0n) {
  const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: "usoa", amount: "12345" }] } };
  const bodyBytes = cosmjsRegistry.encodeTxBody({ messages: [msg], memo, timeoutHeight });
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(alice.pubkey));
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: accountSequence }], [{ denom: "usoa", amount: "5000" }], 200000, undefined, undefined, mode);
  return { msg, bodyBytes, authInfoBytes, bytes: TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish() };
}

describe("sign bytes", () => {
  it("SIGN_MODE_DIRECT equals CosmJS makeSignBytes, including account number 0", () => {
    const t = cosmjsTx("hello", SignMode.SIGN_MODE_DIRECT, 3);
    const tx = decodeTx(t.bytes, registry);
    for (const accountNumber of [0n, 7n]) {
      expect(Buffer.from(directSignBytes(tx, "soa-localnet-1", accountNumber))).toEqual(
        Buffer.from(makeSignBytes(makeSignDoc(t.bodyBytes, t.authInfoBytes, "soa-localnet-1", Number(accountNumber)))),
      );
    }
  });

  it("LEGACY_AMINO_JSON equals the StdSignDoc a CosmJS amino wallet signs (escaping, unicode, timeout)", () => {
    const memo = "a&b<c>d ünïcødé 🚀 \n\"quoted\"";
    const t = cosmjsTx(memo, SignMode.SIGN_MODE_LEGACY_AMINO_JSON, 9, 1234n);
    const tx = decodeTx(t.bytes, registry);
    const aminoMsg = new AminoTypes(createDefaultAminoConverters()).toAmino(t.msg);
    const expected = serializeSignDoc(makeAminoDoc([aminoMsg], { amount: [{ denom: "usoa", amount: "5000" }], gas: "200000" }, "soa-localnet-1", memo, 0, 9, 1234n));
    const ours = aminoSignBytes(tx, "soa-localnet-1", 0n);
    expect(Buffer.from(ours).toString()).toBe(Buffer.from(expected).toString());
    expect(Buffer.from(ours).toString()).toContain("\\u0026b\\u003cc\\u003ed");
    expect(Buffer.from(ours).toString()).toContain('"account_number":"0"');
  });
});
