// Governance of the mint params: /soa.mint.v1.MsgUpdateParams (all params, pos_share included) and
// /cosmos.mint.v1beta1.MsgUpdateParams (the SDK's six; pos_share kept), authority = the gov module
// account; and the legacy x/params subspace "mint" (ParameterChangeProposal keys as in the SDK,
// plus "PosShare").
import { MsgUpdateParams as CosmosMsgUpdateParams, MsgUpdateParamsResponse as CosmosMsgUpdateParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../errors/sdk.js";
import { MsgUpdateParams, MsgUpdateParamsResponse } from "../../gen/soa/mint/v1/tx.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { ErrInvalidSigner } from "../gov/errors.js";
import { jsonDec, jsonString, jsonUint, type ParamSubspace } from "../gov/legacy.js";
import type { MintKeeper } from "./keeper.js";
import { type MintParams, paramsFromProto, validateMintParams } from "./params.js";

export const SOA_MSG_UPDATE_PARAMS = "/soa.mint.v1.MsgUpdateParams";

function checkAuthority(authority: string, got: string): void {
  if (got !== authority) throw ErrInvalidSigner.wrap(`invalid authority; expected ${authority}, got ${got}`);
}

function validAddress(a: string): void {
  try {
    parseAddress(a);
  } catch {
    throw ErrInvalidAddress.wrap(`invalid authority address: ${a}`);
  }
}

function setValidated(mint: MintKeeper, s: Parameters<MintKeeper["setParams"]>[0], p: MintParams): void {
  try {
    validateMintParams(p);
  } catch (e) {
    throw ErrInvalidRequest.wrap((e as Error).message);
  }
  mint.setParams(s, p);
}

const decOf = (s: string, what: string) => {
  if (!/^[0-9]{1,40}$/.test(s)) throw ErrInvalidRequest.wrap(`params.${what} must be LegacyDec atomics, got ${JSON.stringify(s)}`);
  return Dec.fromAtomicsString(s);
};

export function mintUpdateParamsHandlers(mint: MintKeeper, authority: string): MsgHandler<any>[] {
  const soa: MsgHandler<MsgUpdateParams> = {
    typeUrl: SOA_MSG_UPDATE_PARAMS,
    module: "mint",
    decode: (b) => MsgUpdateParams.decode(b),
    encode: (m) => MsgUpdateParams.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic: (m) => validAddress(m.authority),
    execute(ctx, m) {
      checkAuthority(authority, m.authority);
      if (!m.params) throw ErrInvalidRequest.wrap("params must be set");
      const p = m.params;
      for (const f of ["inflationRateChange", "inflationMax", "inflationMin", "goalBonded", "posShare"] as const) decOf(p[f], f);
      setValidated(mint, ctx.store, paramsFromProto(p));
      return Any.fromPartial({ typeUrl: "/soa.mint.v1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
  const cosmos: MsgHandler<CosmosMsgUpdateParams> = {
    typeUrl: CosmosMsgUpdateParams.typeUrl,
    module: "mint",
    decode: (b) => CosmosMsgUpdateParams.decode(b),
    encode: (m) => CosmosMsgUpdateParams.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic: (m) => validAddress(m.authority),
    execute(ctx, m) {
      checkAuthority(authority, m.authority);
      const p = m.params;
      setValidated(mint, ctx.store, {
        mintDenom: p.mintDenom,
        inflationRateChange: decOf(p.inflationRateChange, "inflation_rate_change"),
        inflationMax: decOf(p.inflationMax, "inflation_max"),
        inflationMin: decOf(p.inflationMin, "inflation_min"),
        goalBonded: decOf(p.goalBonded, "goal_bonded"),
        blocksPerYear: p.blocksPerYear,
        posShare: mint.getParams(ctx.store).posShare,
      });
      return Any.fromPartial({ typeUrl: CosmosMsgUpdateParamsResponse.typeUrl, value: CosmosMsgUpdateParamsResponse.encode({}).finish() });
    },
  };
  return [soa, cosmos];
}

/** Legacy subspace "mint": the SDK's keys (amino JSON values) and our "PosShare". */
export function mintParamSubspace(mint: MintKeeper): ParamSubspace {
  return (ctx, key, value) => {
    const p = mint.getParams(ctx.store);
    switch (key) {
      case "MintDenom":
        p.mintDenom = jsonString(value);
        break;
      case "InflationRateChange":
        p.inflationRateChange = Dec.parse(jsonDec(value));
        break;
      case "InflationMax":
        p.inflationMax = Dec.parse(jsonDec(value));
        break;
      case "InflationMin":
        p.inflationMin = Dec.parse(jsonDec(value));
        break;
      case "GoalBonded":
        p.goalBonded = Dec.parse(jsonDec(value));
        break;
      case "BlocksPerYear":
        p.blocksPerYear = jsonUint(value);
        break;
      case "PosShare":
        p.posShare = Dec.parse(jsonDec(value));
        break;
      default:
        throw new Error(`parameter ${key} not registered`);
    }
    validateMintParams(p);
    mint.setParams(ctx.store, p);
  };
}
