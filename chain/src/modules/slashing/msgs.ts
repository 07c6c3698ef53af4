// slashing messages (cosmos.slashing.v1beta1.Msg): MsgUnjail, as the SDK v0.50 msg server.
import { MsgUnjail, MsgUnjailResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { ErrInvalidAddress } from "../../errors/sdk.js";
import { formatAddress } from "../../types/address.js";
import { parseValAddress } from "../staking/keeper.js";
import type { SlashingKeeper } from "./keeper.js";

const MODULE = "slashing";

function valAddr(s: string): Uint8Array {
  if (s === "") throw ErrInvalidAddress.wrap("invalid validator address: empty address string is not allowed");
  try {
    return parseValAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid validator address: ${e instanceof ChainError ? e.context : String(e)}`);
  }
}

export function slashingMsgHandlers(slashing: SlashingKeeper): MsgHandler<any>[] {
  const unjail: MsgHandler<MsgUnjail> = {
    typeUrl: MsgUnjail.typeUrl,
    module: MODULE,
    decode: (b) => MsgUnjail.decode(b),
    encode: (m) => MsgUnjail.encode(m).finish(),
    // cosmos.msg.v1.signer = "validator_addr": the operator signs with its account key.
    signers: (m) => [formatAddress(valAddr(m.validatorAddr))],
    validateBasic: (m) => void valAddr(m.validatorAddr),
    execute(ctx, m) {
      slashing.unjail(ctx, valAddr(m.validatorAddr));
      return Any.fromPartial({ typeUrl: MsgUnjailResponse.typeUrl, value: MsgUnjailResponse.encode({}).finish() });
    },
  };
  return [unjail];
}
