// Governance of the staking params: /cosmos.staking.v1beta1.MsgUpdateParams (authority = the gov
// module account) and the legacy x/params subspace "staking" (the SDK's keys, amino JSON values).
import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { ErrInvalidSigner } from "../gov/errors.js";
import { jsonDec, jsonString, jsonUint, type ParamSubspace } from "../gov/legacy.js";
import type { StakingKeeper } from "./keeper.js";
import { paramsFromProto, validateStakingParams } from "./params.js";

export function stakingUpdateParamsHandler(staking: StakingKeeper, authority: string): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: MsgUpdateParams.typeUrl,
    module: "staking",
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
      if (m.params.minCommissionRate !== "" && !/^[0-9]{1,40}$/.test(m.params.minCommissionRate)) throw ErrInvalidRequest.wrap("params.min_commission_rate must be LegacyDec atomics");
      const p = paramsFromProto(m.params);
      try {
        validateStakingParams(p, "params");
      } catch (e) {
        throw ErrInvalidRequest.wrap((e as Error).message);
      }
      staking.setParams(ctx.store, p);
      return Any.fromPartial({ typeUrl: MsgUpdateParamsResponse.typeUrl, value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}

const u32 = (value: string) => {
  const n = jsonUint(value);
  if (n > 0xffff_ffffn) throw new Error(`${value} does not fit a uint32`);
  return Number(n);
};

/** Legacy subspace "staking": UnbondingTime (nanoseconds), MaxValidators, MaxEntries, HistoricalEntries, BondDenom, MinCommissionRate. */
export function stakingParamSubspace(staking: StakingKeeper): ParamSubspace {
  return (ctx, key, value) => {
    const p = staking.getParams(ctx.store);
    switch (key) {
      case "UnbondingTime":
        p.unbondingTimeNanos = jsonUint(value);
        break;
      case "MaxValidators":
        p.maxValidators = u32(value);
        break;
      case "MaxEntries":
        p.maxEntries = u32(value);
        break;
      case "HistoricalEntries":
        p.historicalEntries = u32(value);
        break;
      case "BondDenom":
        p.bondDenom = jsonString(value);
        break;
      case "MinCommissionRate":
        p.minCommissionRate = Dec.parse(jsonDec(value));
        break;
      default:
        throw new Error(`parameter ${key} not registered`);
    }
    validateStakingParams(p, "params");
    staking.setParams(ctx.store, p);
  };
}
