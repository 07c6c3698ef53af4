// bank messages: MsgSend and MsgMultiSend (one input, many outputs, as in SDK >= 0.47).
import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidCoins } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { addCoins, coinsEqual, coinsFromProto, formatCoins } from "../../types/coins.js";
import { ErrInputOutputMismatch, ErrMultipleSenders, ErrNoInputs, ErrNoOutputs } from "./errors.js";
import type { BankKeeper } from "./keeper.js";

const MODULE = "bank";

export function bankMsgHandlers(bank: BankKeeper): MsgHandler<any>[] {
  const send: MsgHandler<MsgSend> = {
    typeUrl: MsgSend.typeUrl,
    module: MODULE,
    decode: (b) => MsgSend.decode(b),
    encode: (m) => MsgSend.encode(m).finish(),
    signers: (m) => [m.fromAddress],
    validateBasic(m) {
      parseAddress(m.fromAddress);
      parseAddress(m.toAddress);
      if (m.amount.length === 0) throw ErrInvalidCoins.wrap("send amount must not be empty");
      coinsFromProto(m.amount, false);
    },
    execute(ctx, m) {
      const from = parseAddress(m.fromAddress);
      const to = parseAddress(m.toAddress);
      const coins = coinsFromProto(m.amount, false);
      bank.checkSendEnabled(ctx.store, coins);
      bank.checkNotBlocked(to);
      bank.sendCoins(ctx, from, to, coins);
      return Any.fromPartial({ typeUrl: MsgSendResponse.typeUrl, value: MsgSendResponse.encode({}).finish() });
    },
  };

  const multiSend: MsgHandler<MsgMultiSend> = {
    typeUrl: MsgMultiSend.typeUrl,
    module: MODULE,
    decode: (b) => MsgMultiSend.decode(b),
    encode: (m) => MsgMultiSend.encode(m).finish(),
    signers: (m) => m.inputs.map((i) => i.address),
    validateBasic(m) {
      if (m.inputs.length === 0) throw ErrNoInputs.err();
      if (m.inputs.length > 1) throw ErrMultipleSenders.wrap("multiple senders not allowed");
      if (m.outputs.length === 0) throw ErrNoOutputs.err();
      let inSum = coinsFromProto([]);
      for (const i of m.inputs) {
        parseAddress(i.address);
        inSum = addCoins(inSum, coinsFromProto(i.coins, false));
      }
      let outSum = coinsFromProto([]);
      for (const o of m.outputs) {
        parseAddress(o.address);
        outSum = addCoins(outSum, coinsFromProto(o.coins, false));
      }
      if (!coinsEqual(inSum, outSum)) throw ErrInputOutputMismatch.err();
    },
    execute(ctx, m) {
      const input = m.inputs[0]!;
      const from = parseAddress(input.address);
      const inCoins = coinsFromProto(input.coins, false);
      bank.checkSendEnabled(ctx.store, inCoins);
      for (const o of m.outputs) bank.checkNotBlocked(parseAddress(o.address));
      bank.subCoins(ctx, from, inCoins);
      ctx.events.emit("message", [["sender", input.address]]);
      for (const o of m.outputs) {
        const to = parseAddress(o.address);
        const coins = coinsFromProto(o.coins, false);
        bank.addCoins(ctx, to, coins);
        ctx.events.emit("transfer", [
          ["recipient", o.address],
          ["amount", formatCoins(coins)],
        ]);
      }
      return Any.fromPartial({ typeUrl: MsgMultiSendResponse.typeUrl, value: MsgMultiSendResponse.encode({}).finish() });
    },
  };

  return [send, multiSend];
}
