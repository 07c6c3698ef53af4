// Governance of the slashing params: /cosmos.slashing.v1beta1.MsgUpdateParams (authority = the gov
// module account) and the legacy x/params subspace "slashing" (the SDK's keys, amino JSON values).
import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { ErrInvalidSigner } from "../gov/errors.js";
import { jsonDec, jsonUint, type ParamSubspace } from "../gov/legacy.js";
import type { SlashingKeeper } from "./keeper.js";
import { paramsFromProto, validateSlashingParams } from "./params.js";

const ATOMICS = /^[0-9]{1,40}$/;

export function slashingUpdateParamsHandler(slashing: SlashingKeeper, authority: string): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: MsgUpdateParams.typeUrl,
    module: "slashing",
    decode: (b) => MsgUpdateParams.decode(b),
    encode: (m) => MsgUpdateParams.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic(m) {
      try {
        parseAddress(m.authority);
      } catch {
        throw ErrInvalidAddress.wrap(`invalid authority address: ${m.authority}`);
      }
    },
    execute(ctx, m) {
      if (m.authority !== authority) throw ErrInvalidSigner.wrap(`invalid authority; expected ${authority}, got ${m.authority}`);
      for (const [f, b] of [
        ["min_signed_per_window", m.params.minSignedPerWindow],
        ["slash_fraction_double_sign", m.params.slashFractionDoubleSign],
        ["slash_fraction_downtime", m.params.slashFractionDowntime],
      ] as const) {
        if (b.length > 0 && !ATOMICS.test(Buffer.from(b).toString("latin1"))) throw ErrInvalidRequest.wrap(`params.${f} must be LegacyDec atomics`);
      }
      const p = paramsFromProto(m.params);
      try {
        validateSlashingParams(p, "params");
      } catch (e) {
        throw ErrInvalidRequest.wrap((e as Error).message);
      }
      slashing.setParams(ctx.store, p);
      return Any.fromPartial({ typeUrl: MsgUpdateParamsResponse.typeUrl, value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}

/**
 * Legacy subspace "slashing": SignedBlocksWindow, MinSignedPerWindow, DowntimeJailDuration
 * (nanoseconds), SlashFractionDoubleSign, SlashFractionDowntime.
 */
export function slashingParamSubspace(slashing: SlashingKeeper): ParamSubspace {
  return (ctx, key, value) => {
    const p = slashing.getParams(ctx.store);
    switch (key) {
      case "SignedBlocksWindow":
        p.signedBlocksWindow = jsonUint(value);
        break;
      case "MinSignedPerWindow":
        p.minSignedPerWindow = Dec.parse(jsonDec(value));
        break;
      case "DowntimeJailDuration":
        p.downtimeJailDurationNanos = jsonUint(value);
        break;
      case "SlashFractionDoubleSign":
        p.slashFractionDoubleSign = Dec.parse(jsonDec(value));
        break;
      case "SlashFractionDowntime":
        p.slashFractionDowntime = Dec.parse(jsonDec(value));
        break;
      default:
        throw new Error(`parameter ${key} not registered`);
    }
    validateSlashingParams(p, "params");
    slashing.setParams(ctx.store, p);
  };
}
