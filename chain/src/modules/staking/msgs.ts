// staking messages (cosmos.staking.v1beta1.Msg): create/edit validator, delegate, undelegate,
// redelegate, cancel unbonding. Checks, errors and events follow the SDK v0.50 msg server.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
  MsgCancelUnbondingDelegation,
  MsgCancelUnbondingDelegationResponse,
  MsgCreateValidator,
  MsgCreateValidatorResponse,
  MsgDelegate,
  MsgDelegateResponse,
  MsgEditValidator,
  MsgEditValidatorResponse,
  MsgUndelegate,
  MsgUndelegateResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { ErrInvalidAddress, ErrInvalidPubKey, ErrInvalidRequest } from "../../errors/sdk.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { validateDenom } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import * as E from "./errors.js";
import { ED25519_PUBKEY_TYPE_URL, formatValAddress, parseValAddress, rfc3339, StakingKeeper, toTimestamp } from "./keeper.js";

const MODULE = "staking";

const any = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });

function valAddr(s: string, what = "validator"): Uint8Array {
  if (s === "") throw E.ErrEmptyValidatorAddr.err();
  try {
    return parseValAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid ${what} address: ${e instanceof ChainError ? e.context : String(e)}`);
  }
}

function accAddr(s: string): Uint8Array {
  if (s === "") throw E.ErrEmptyDelegatorAddr.err();
  try {
    return parseAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid delegator address: ${e instanceof ChainError ? e.context : String(e)}`);
  }
}

/** A positive amount in a valid denom (Coin.IsValid && IsPositive). */
function positiveCoin(c: { denom: string; amount: string } | undefined, what: string): { denom: string; amount: bigint } {
  if (!c || !/^[0-9]{1,78}$/.test(c.amount) || BigInt(c.amount) === 0n) throw ErrInvalidRequest.wrap(what);
  try {
    validateDenom(c.denom);
  } catch {
    throw ErrInvalidRequest.wrap(what);
  }
  return { denom: c.denom, amount: BigInt(c.amount) };
}

function dec(s: string, what: string): Dec {
  if (!/^-?[0-9]{1,80}$/.test(s)) throw ErrInvalidRequest.wrap(`invalid ${what}: ${JSON.stringify(s)}`);
  return Dec.fromAtomicsString(s);
}

function int(s: string, what: string): bigint {
  if (!/^-?[0-9]{1,78}$/.test(s)) throw ErrInvalidRequest.wrap(`invalid ${what}: ${JSON.stringify(s)}`);
  return BigInt(s);
}

const emptyDescription = (d: Description | undefined) => !d || (d.moniker === "" && d.identity === "" && d.website === "" && d.securityContact === "" && d.details === "");

function ed25519Key(pk: Any | undefined): Uint8Array {
  if (!pk) throw E.ErrEmptyValidatorPubKey.err();
  if (pk.typeUrl !== ED25519_PUBKEY_TYPE_URL) {
    throw E.ErrValidatorPubKeyTypeNotSupported.wrap(`got: ${pk.typeUrl.replace(/^\/cosmos\.crypto\.(\w+)\.PubKey$/, "$1")}, expected: [ed25519]`);
  }
  let key: Uint8Array;
  try {
    key = Ed25519PubKey.decode(pk.value).key;
  } catch (e) {
    throw ErrInvalidPubKey.wrap((e as Error).message);
  }
  if (key.length !== 32) throw ErrInvalidPubKey.wrap(`ed25519 public key must be 32 bytes, got ${key.length}`);
  return key;
}

/** MsgCreateValidator.Validate (stateless). */
function validateCreateValidator(m: MsgCreateValidator): void {
  valAddr(m.validatorAddress);
  ed25519Key(m.pubkey);
  const value = positiveCoin(m.value, "invalid delegation amount");
  if (emptyDescription(m.description)) throw ErrInvalidRequest.wrap("empty description");
  const c = m.commission;
  if (!c || (c.rate === "" && c.maxRate === "" && c.maxChangeRate === "")) throw ErrInvalidRequest.wrap("empty commission");
  StakingKeeper.validateCommissionRates(dec(c.rate || "0", "commission rate"), dec(c.maxRate || "0", "max rate"), dec(c.maxChangeRate || "0", "max change rate"));
  const min = int(m.minSelfDelegation || "0", "min self delegation");
  if (min <= 0n) throw ErrInvalidRequest.wrap("minimum self delegation must be a positive integer");
  if (value.amount < min) throw E.ErrSelfDelegationBelowMinimum.err();
}

export function stakingMsgHandlers(staking: StakingKeeper): MsgHandler<any>[] {
  const createValidator: MsgHandler<MsgCreateValidator> = {
    typeUrl: MsgCreateValidator.typeUrl,
    module: MODULE,
    decode: (b) => MsgCreateValidator.decode(b),
    encode: (m) => MsgCreateValidator.encode(m).finish(),
    // SDK 0.50: the signer is the validator's operator as an account address (delegator_address is deprecated).
    signers: (m) => [formatAddress(valAddr(m.validatorAddress))],
    validateBasic: validateCreateValidator,
    execute(ctx, m) {
      validateCreateValidator(m);
      const c = m.commission;
      staking.createValidator(ctx, {
        operator: valAddr(m.validatorAddress),
        consPubkey: ed25519Key(m.pubkey),
        description: m.description,
        rate: dec(c.rate || "0", "rate"),
        maxRate: dec(c.maxRate || "0", "max rate"),
        maxChangeRate: dec(c.maxChangeRate || "0", "max change rate"),
        minSelfDelegation: BigInt(m.minSelfDelegation),
        value: positiveCoin(m.value, "invalid delegation amount"),
      });
      return any(MsgCreateValidatorResponse.typeUrl, MsgCreateValidatorResponse.encode({}).finish());
    },
  };

  const validateEdit = (m: MsgEditValidator) => {
    valAddr(m.validatorAddress);
    if (emptyDescription(m.description)) throw ErrInvalidRequest.wrap("empty description");
    if (m.minSelfDelegation !== "" && int(m.minSelfDelegation, "min self delegation") <= 0n) {
      throw ErrInvalidRequest.wrap("minimum self delegation must be a positive integer");
    }
    if (m.commissionRate !== "") {
      const r = dec(m.commissionRate, "commission rate");
      if (r.gt(Dec.ONE) || r.isNegative()) throw ErrInvalidRequest.wrap("commission rate must be between 0 and 1 (inclusive)");
    }
  };
  const editValidator: MsgHandler<MsgEditValidator> = {
    typeUrl: MsgEditValidator.typeUrl,
    module: MODULE,
    decode: (b) => MsgEditValidator.decode(b),
    encode: (m) => MsgEditValidator.encode(m).finish(),
    signers: (m) => [formatAddress(valAddr(m.validatorAddress))],
    validateBasic: validateEdit,
    execute(ctx, m) {
      validateEdit(m);
      staking.editValidator(ctx, valAddr(m.validatorAddress), {
        description: m.description,
        commissionRate: m.commissionRate === "" ? undefined : Dec.fromAtomicsString(m.commissionRate),
        minSelfDelegation: m.minSelfDelegation === "" ? undefined : BigInt(m.minSelfDelegation),
      });
      return any(MsgEditValidatorResponse.typeUrl, MsgEditValidatorResponse.encode({}).finish());
    },
  };

  const bondDenomCheck = (denom: string, s: Parameters<StakingKeeper["getParams"]>[0]) => {
    const bondDenom = staking.getParams(s).bondDenom;
    if (denom !== bondDenom) throw ErrInvalidRequest.wrap(`invalid coin denomination: got ${denom}, expected ${bondDenom}`);
  };

  const delegate: MsgHandler<MsgDelegate> = {
    typeUrl: MsgDelegate.typeUrl,
    module: MODULE,
    decode: (b) => MsgDelegate.decode(b),
    encode: (m) => MsgDelegate.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      accAddr(m.delegatorAddress);
      valAddr(m.validatorAddress);
      positiveCoin(m.amount, "invalid delegation amount");
    },
    execute(ctx, m) {
      const val = valAddr(m.validatorAddress);
      const del = accAddr(m.delegatorAddress);
      const amount = positiveCoin(m.amount, "invalid delegation amount");
      const validator = staking.getValidator(ctx.store, val);
      if (!validator) throw E.ErrNoValidatorFound.err();
      bondDenomCheck(amount.denom, ctx.store);
      const shares = staking.delegate(ctx, del, amount.amount, 1 /* BOND_STATUS_UNBONDED */, validator, true);
      ctx.events.emit("delegate", () => [
        ["validator", m.validatorAddress],
        ["delegator", m.delegatorAddress],
        ["amount", `${amount.amount}${amount.denom}`],
        ["new_shares", shares.toString()],
      ]);
      return any(MsgDelegateResponse.typeUrl, MsgDelegateResponse.encode({}).finish());
    },
  };

  const undelegate: MsgHandler<MsgUndelegate> = {
    typeUrl: MsgUndelegate.typeUrl,
    module: MODULE,
    decode: (b) => MsgUndelegate.decode(b),
    encode: (m) => MsgUndelegate.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      accAddr(m.delegatorAddress);
      valAddr(m.validatorAddress);
      positiveCoin(m.amount, "invalid shares amount");
    },
    execute(ctx, m) {
      const val = valAddr(m.validatorAddress);
      const del = accAddr(m.delegatorAddress);
      const amount = positiveCoin(m.amount, "invalid shares amount");
      const shares = staking.validateUnbondAmount(ctx.store, del, val, amount.amount);
      bondDenomCheck(amount.denom, ctx.store);
      const { completionTimeNanos, amount: undelegated } = staking.undelegate(ctx, del, val, shares);
      const coin = { denom: amount.denom, amount: undelegated.toString() };
      ctx.events.emit("unbond", () => [
        ["validator", m.validatorAddress],
        ["delegator", m.delegatorAddress],
        ["amount", `${undelegated}${amount.denom}`],
        ["completion_time", rfc3339(completionTimeNanos)],
      ]);
      return any(MsgUndelegateResponse.typeUrl, MsgUndelegateResponse.encode({ completionTime: toTimestamp(completionTimeNanos), amount: coin }).finish());
    },
  };

  const redelegate: MsgHandler<MsgBeginRedelegate> = {
    typeUrl: MsgBeginRedelegate.typeUrl,
    module: MODULE,
    decode: (b) => MsgBeginRedelegate.decode(b),
    encode: (m) => MsgBeginRedelegate.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      accAddr(m.delegatorAddress);
      valAddr(m.validatorSrcAddress, "source validator");
      valAddr(m.validatorDstAddress, "destination validator");
      positiveCoin(m.amount, "invalid shares amount");
    },
    execute(ctx, m) {
      const src = valAddr(m.validatorSrcAddress, "source validator");
      const dst = valAddr(m.validatorDstAddress, "destination validator");
      if (!staking.getValidator(ctx.store, src)) throw E.ErrNoValidatorFound.err();
      if (!staking.getValidator(ctx.store, dst)) throw E.ErrNoValidatorFound.err();
      const del = accAddr(m.delegatorAddress);
      const amount = positiveCoin(m.amount, "invalid shares amount");
      if (!staking.getDelegation(ctx.store, del, src)) {
        throw E.ErrNoDelegation.wrap(`delegation with delegator ${m.delegatorAddress} not found for validator ${m.validatorSrcAddress}`);
      }
      const shares = staking.validateUnbondAmount(ctx.store, del, src, amount.amount);
      bondDenomCheck(amount.denom, ctx.store);
      const completionTimeNanos = staking.beginRedelegation(ctx, del, src, dst, shares);
      ctx.events.emit("redelegate", () => [
        ["source_validator", m.validatorSrcAddress],
        ["destination_validator", m.validatorDstAddress],
        ["delegator", m.delegatorAddress],
        ["amount", `${amount.amount}${amount.denom}`],
        ["completion_time", rfc3339(completionTimeNanos)],
      ]);
      return any(MsgBeginRedelegateResponse.typeUrl, MsgBeginRedelegateResponse.encode({ completionTime: toTimestamp(completionTimeNanos) }).finish());
    },
  };

  const cancelUnbonding: MsgHandler<MsgCancelUnbondingDelegation> = {
    typeUrl: MsgCancelUnbondingDelegation.typeUrl,
    module: MODULE,
    decode: (b) => MsgCancelUnbondingDelegation.decode(b),
    encode: (m) => MsgCancelUnbondingDelegation.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      accAddr(m.delegatorAddress);
      valAddr(m.validatorAddress);
      positiveCoin(m.amount, "invalid amount");
      if (m.creationHeight <= 0n) throw ErrInvalidRequest.wrap("invalid height");
    },
    execute(ctx, m) {
      const val = valAddr(m.validatorAddress);
      const del = accAddr(m.delegatorAddress);
      const amount = positiveCoin(m.amount, "invalid amount");
      if (m.creationHeight <= 0n) throw ErrInvalidRequest.wrap("invalid height");
      bondDenomCheck(amount.denom, ctx.store);
      staking.cancelUnbondingDelegation(ctx, del, val, amount.amount, m.creationHeight);
      ctx.events.emit("cancel_unbonding_delegation", () => [
        ["amount", `${amount.amount}${amount.denom}`],
        ["validator", m.validatorAddress],
        ["delegator", m.delegatorAddress],
        ["creation_height", m.creationHeight.toString()],
      ]);
      return any(MsgCancelUnbondingDelegationResponse.typeUrl, MsgCancelUnbondingDelegationResponse.encode({}).finish());
    },
  };

  return [createValidator, editValidator, delegate, undelegate, redelegate, cancelUnbonding];
}

export { formatValAddress };
