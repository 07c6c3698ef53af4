// Building and signing transactions without a wallet: for tests, load generators and benchmarks.
// Produces exactly the bytes CosmJS would (same cosmjs-types encoders, same sign bytes).
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { pubkeyFromPrivkey, secp256k1Address, signSecp256k1 } from "../crypto/secp256k1.js";
import { sha256 } from "../crypto/hash.js";
import { secp256k1PubkeyAny } from "../modules/auth/keeper.js";
import { formatAddress } from "../types/address.js";
import type { MsgRegistry } from "../app/msgRegistry.js";
import type { DecodedTx } from "./decode.js";
import { signBytesFor } from "./signBytes.js";

export interface TestKey {
  privkey: Uint8Array;
  pubkey: Uint8Array;
  address: string;
}

/** A deterministic key from a seed string (never for real funds). */
export function keyFromSeed(seed: string): TestKey {
  const privkey = sha256(Buffer.from(`soa-test-key:${seed}`));
  const pubkey = pubkeyFromPrivkey(privkey);
  return { privkey, pubkey, address: formatAddress(secp256k1Address(pubkey)) };
}

export interface BuildTxOptions {
  key: TestKey;
  chainId: string;
  accountNumber: bigint;
  sequence: bigint;
  messages: Any[];
  fee?: { denom: string; amount: string }[];
  gasLimit?: bigint;
  memo?: string;
  timeoutHeight?: bigint;
  signMode?: SignMode;
}

export function msgSendAny(from: string, to: string, amount: { denom: string; amount: string }[]): Any {
  return { typeUrl: MsgSend.typeUrl, value: MsgSend.encode({ fromAddress: from, toAddress: to, amount }).finish() };
}

/** Encodes and signs a single-signer tx. `registry` is needed to rebuild amino sign bytes. */
export function buildSignedTx(opts: BuildTxOptions, registry: MsgRegistry): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: opts.messages, memo: opts.memo ?? "", timeoutHeight: opts.timeoutHeight ?? 0n }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: secp256k1PubkeyAny(opts.key.pubkey),
          modeInfo: { single: { mode: opts.signMode ?? SignMode.SIGN_MODE_DIRECT } },
          sequence: opts.sequence,
        },
      ],
      fee: { amount: opts.fee ?? [], gasLimit: opts.gasLimit ?? 200_000n },
    }),
  ).finish();
  const body = TxBody.decode(bodyBytes);
  // Sign bytes without validation, so tests can also build well-signed but invalid txs.
  const unsigned = {
    raw: { bodyBytes, authInfoBytes, signatures: [] },
    body,
    authInfo: AuthInfo.decode(authInfoBytes),
    msgs: body.messages.map((m) => ({ typeUrl: m.typeUrl, value: registry.get(m.typeUrl)?.decode(m.value) })),
    sequence: opts.sequence,
    signMode: opts.signMode ?? SignMode.SIGN_MODE_DIRECT,
  } as unknown as DecodedTx;
  const signature = signSecp256k1(signBytesFor(unsigned, opts.chainId, opts.accountNumber), opts.key.privkey);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}
