// wasm messages (cosmwasm.wasm.v1), with wasmd's ValidateBasic rules.
import {
  MsgClearAdmin,
  MsgClearAdminResponse,
  MsgExecuteContract,
  MsgExecuteContractResponse,
  MsgInstantiateContract,
  MsgInstantiateContract2,
  MsgInstantiateContract2Response,
  MsgInstantiateContractResponse,
  MsgMigrateContract,
  MsgMigrateContractResponse,
  MsgStoreCode,
  MsgStoreCodeResponse,
  MsgUpdateAdmin,
  MsgUpdateAdminResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { AccessType, type AccessConfig } from "cosmjs-types/cosmwasm/wasm/v1/types";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ErrInvalidAddress } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { coinsFromProto } from "../../types/coins.js";
import { ErrEmpty, ErrInvalid, ErrInvalidMsg, ErrLimit } from "./errors.js";
import { isValidJson } from "./json.js";
import { validateLabel, validateSalt, WASM_LIMITS, type WasmKeeper } from "./keeper.js";

const MODULE = "wasm";

function response(typeUrl: string, value: Uint8Array): Any {
  return Any.fromPartial({ typeUrl, value });
}

function validateMsgJson(msg: Uint8Array): void {
  if (msg.length === 0) throw ErrEmpty.wrap("msg");
  if (!isValidJson(msg)) throw ErrInvalid.wrap("msg json");
}

function validateCodeId(codeId: bigint): void {
  if (codeId === 0n) throw ErrInvalid.wrap("code id is required");
}

function validateAccessConfig(c: AccessConfig | undefined): void {
  if (!c) return;
  switch (c.permission) {
    case AccessType.ACCESS_TYPE_NOBODY:
    case AccessType.ACCESS_TYPE_EVERYBODY:
      if (c.addresses.length > 0) throw ErrInvalid.wrap("addresses must be empty for this access type");
      return;
    case AccessType.ACCESS_TYPE_ANY_OF_ADDRESSES:
      if (c.addresses.length === 0) throw ErrEmpty.wrap("addresses");
      for (const a of c.addresses) parseAddress(a);
      if (new Set(c.addresses).size !== c.addresses.length) throw ErrInvalid.wrap("duplicate address");
      return;
    default:
      throw ErrInvalid.wrap(`unknown access type ${c.permission}`);
  }
}

function validateOptionalAddress(a: string, what: string): void {
  if (a === "") return;
  try {
    parseAddress(a);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`${what}: ${(e as Error).message}`);
  }
}

export function wasmMsgHandlers(wasm: WasmKeeper): MsgHandler<any>[] {
  const storeCode: MsgHandler<MsgStoreCode> = {
    typeUrl: MsgStoreCode.typeUrl,
    module: MODULE,
    decode: (b) => MsgStoreCode.decode(b),
    encode: (m) => MsgStoreCode.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      if (m.wasmByteCode.length === 0) throw ErrEmpty.wrap("empty wasm code");
      if (m.wasmByteCode.length > WASM_LIMITS.maxWasmSize) throw ErrLimit.wrap(`cannot be longer than ${WASM_LIMITS.maxWasmSize} bytes`);
      validateAccessConfig(m.instantiatePermission);
    },
    execute(ctx, m) {
      const r = wasm.storeCode(ctx, m.sender, m.wasmByteCode, m.instantiatePermission);
      return response(MsgStoreCodeResponse.typeUrl, MsgStoreCodeResponse.encode(r).finish());
    },
  };

  const instantiate: MsgHandler<MsgInstantiateContract> = {
    typeUrl: MsgInstantiateContract.typeUrl,
    module: MODULE,
    decode: (b) => MsgInstantiateContract.decode(b),
    encode: (m) => MsgInstantiateContract.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      validateOptionalAddress(m.admin, "admin");
      validateCodeId(m.codeId);
      validateLabel(m.label);
      coinsFromProto(m.funds);
      validateMsgJson(m.msg);
    },
    execute(ctx, m) {
      const r = wasm.instantiate(ctx, { creator: m.sender, admin: m.admin, codeId: m.codeId, label: m.label, msg: m.msg, funds: coinsFromProto(m.funds) });
      return response(MsgInstantiateContractResponse.typeUrl, MsgInstantiateContractResponse.encode({ address: r.address, data: r.data ?? new Uint8Array() }).finish());
    },
  };

  const instantiate2: MsgHandler<MsgInstantiateContract2> = {
    typeUrl: MsgInstantiateContract2.typeUrl,
    module: MODULE,
    decode: (b) => MsgInstantiateContract2.decode(b),
    encode: (m) => MsgInstantiateContract2.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      instantiate.validateBasic({ ...m });
      validateSalt(m.salt);
    },
    execute(ctx, m) {
      const r = wasm.instantiate(ctx, {
        creator: m.sender,
        admin: m.admin,
        codeId: m.codeId,
        label: m.label,
        msg: m.msg,
        funds: coinsFromProto(m.funds),
        salt: m.salt,
        fixMsg: m.fixMsg,
      });
      return response(MsgInstantiateContract2Response.typeUrl, MsgInstantiateContract2Response.encode({ address: r.address, data: r.data ?? new Uint8Array() }).finish());
    },
  };

  const execute: MsgHandler<MsgExecuteContract> = {
    typeUrl: MsgExecuteContract.typeUrl,
    module: MODULE,
    decode: (b) => MsgExecuteContract.decode(b),
    encode: (m) => MsgExecuteContract.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      validateOptionalAddress(m.contract, "contract");
      if (m.contract === "") throw ErrInvalidAddress.wrap("contract: empty address string is not allowed");
      coinsFromProto(m.funds);
      validateMsgJson(m.msg);
    },
    execute(ctx, m) {
      const data = wasm.execute(ctx, m.contract, m.sender, m.msg, coinsFromProto(m.funds));
      return response(MsgExecuteContractResponse.typeUrl, MsgExecuteContractResponse.encode({ data: data ?? new Uint8Array() }).finish());
    },
  };

  const migrate: MsgHandler<MsgMigrateContract> = {
    typeUrl: MsgMigrateContract.typeUrl,
    module: MODULE,
    decode: (b) => MsgMigrateContract.decode(b),
    encode: (m) => MsgMigrateContract.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      parseAddress(m.contract);
      validateCodeId(m.codeId);
      validateMsgJson(m.msg);
    },
    execute(ctx, m) {
      const data = wasm.migrate(ctx, m.contract, m.sender, m.codeId, m.msg);
      return response(MsgMigrateContractResponse.typeUrl, MsgMigrateContractResponse.encode({ data: data ?? new Uint8Array() }).finish());
    },
  };

  const updateAdmin: MsgHandler<MsgUpdateAdmin> = {
    typeUrl: MsgUpdateAdmin.typeUrl,
    module: MODULE,
    decode: (b) => MsgUpdateAdmin.decode(b),
    encode: (m) => MsgUpdateAdmin.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      parseAddress(m.contract);
      if (m.newAdmin === "") throw ErrInvalidAddress.wrap("new admin: empty address string is not allowed");
      parseAddress(m.newAdmin);
      if (m.newAdmin === m.sender) throw ErrInvalidMsg.wrap("new admin is the same as the old");
    },
    execute(ctx, m) {
      wasm.setAdmin(ctx, m.contract, m.sender, m.newAdmin);
      return response(MsgUpdateAdminResponse.typeUrl, MsgUpdateAdminResponse.encode({}).finish());
    },
  };

  const clearAdmin: MsgHandler<MsgClearAdmin> = {
    typeUrl: MsgClearAdmin.typeUrl,
    module: MODULE,
    decode: (b) => MsgClearAdmin.decode(b),
    encode: (m) => MsgClearAdmin.encode(m).finish(),
    signers: (m) => [m.sender],
    validateBasic(m) {
      parseAddress(m.sender);
      parseAddress(m.contract);
    },
    execute(ctx, m) {
      wasm.setAdmin(ctx, m.contract, m.sender, "");
      return response(MsgClearAdminResponse.typeUrl, MsgClearAdminResponse.encode({}).finish());
    },
  };

  return [storeCode, instantiate, instantiate2, execute, migrate, updateAdmin, clearAdmin];
}
