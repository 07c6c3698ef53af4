// Sign bytes for the two modes CosmJS uses (COSMJS-COMPAT.md §3.3–§3.4).
// Amino JSON is rebuilt with CosmJS's own functions so JS serialisation quirks match exactly.
import { makeSignDoc, serializeSignDoc, type StdFee } from "@cosmjs/amino";
import { createWasmAminoConverters } from "@cosmjs/cosmwasm";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { ErrNotSupported } from "../errors/sdk.js";
import type { DecodedTx } from "./decode.js";
import { slashingAminoConverters } from "../modules/slashing/amino.js";

const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...createWasmAminoConverters(), ...slashingAminoConverters() });

export function directSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({
    bodyBytes: tx.raw.bodyBytes,
    authInfoBytes: tx.raw.authInfoBytes,
    chainId,
    accountNumber,
  }).finish();
}

export function aminoSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  const msgs = tx.msgs.map((m) => {
    try {
      return aminoTypes.toAmino({ typeUrl: m.typeUrl, value: m.value });
    } catch {
      throw ErrNotSupported.wrap(`message ${m.typeUrl} has no amino JSON form; sign it in SIGN_MODE_DIRECT`);
    }
  });
  const f = tx.authInfo.fee!;
  const fee: StdFee = {
    amount: f.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: f.gasLimit.toString(),
    ...(f.granter ? { granter: f.granter } : {}),
    ...(f.payer ? { payer: f.payer } : {}),
  };
  const doc = makeSignDoc(msgs, fee, chainId, tx.body.memo, accountNumber, tx.sequence.toString(), tx.body.timeoutHeight);
  return serializeSignDoc(doc);
}

export function signBytesFor(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  switch (tx.signMode) {
    case SignMode.SIGN_MODE_DIRECT:
      return directSignBytes(tx, chainId, accountNumber);
    case SignMode.SIGN_MODE_LEGACY_AMINO_JSON:
      return aminoSignBytes(tx, chainId, accountNumber);
    default:
      throw ErrNotSupported.wrap(`sign mode ${tx.signMode} is not supported`);
  }
}
