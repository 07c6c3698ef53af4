// Governance of the wasm params: /cosmwasm.wasm.v1.MsgUpdateParams (authority = the gov module account).
import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { AccessType } from "cosmjs-types/cosmwasm/wasm/v1/types";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { ErrInvalidSigner } from "../gov/errors.js";
import type { WasmKeeper } from "./keeper.js";

export function wasmUpdateParamsHandler(wasm: WasmKeeper, authority: string): MsgHandler<MsgUpdateParams> {
  const validate = (m: MsgUpdateParams) => {
    try {
      parseAddress(m.authority);
    } catch {
      throw ErrInvalidAddress.wrap(`invalid authority address: ${m.authority}`);
    }
    const upload = m.params.codeUploadAccess;
    if (!upload) throw ErrInvalidRequest.wrap("code_upload_access must be set");
    const known = [AccessType.ACCESS_TYPE_NOBODY, AccessType.ACCESS_TYPE_EVERYBODY, AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES];
    if (!known.includes(upload.permission)) throw ErrInvalidRequest.wrap(`unknown code upload permission ${upload.permission}`);
    if ((upload.permission === AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES) !== upload.addresses.length > 0) {
      throw ErrInvalidRequest.wrap("code_upload_access: addresses are required for AnyOfAddresses and only for it");
    }
    for (const a of upload.addresses) {
      try {
        parseAddress(a);
      } catch {
        throw ErrInvalidAddress.wrap(`code_upload_access: ${a}`);
      }
    }
    const inst = m.params.instantiateDefaultPermission;
    if (inst !== AccessType.ACCESS_TYPE_NOBODY && inst !== AccessType.ACCESS_TYPE_EVERYBODY) throw ErrInvalidRequest.wrap("instantiate_default_permission must be Nobody or Everybody");
  };
  return {
    typeUrl: MsgUpdateParams.typeUrl,
    module: "wasm",
    decode: (b) => MsgUpdateParams.decode(b),
    encode: (m) => MsgUpdateParams.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic: validate,
    execute(ctx, m) {
      validate(m);
      if (m.authority !== authority) throw ErrInvalidSigner.wrap(`invalid authority; expected ${authority}, got ${m.authority}`);
      wasm.setParams(ctx.store, { codeUploadAccess: m.params.codeUploadAccess!, instantiateDefaultPermission: m.params.instantiateDefaultPermission });
      return Any.fromPartial({ typeUrl: MsgUpdateParamsResponse.typeUrl, value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}
