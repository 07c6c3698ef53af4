// staking: validators, delegations, unbonding delegations, redelegations, the validator set sent to
// CometBFT, slashing and jailing. The only code that touches the staking prefixes (0x40–0x4f); coins
// move only through the bank keeper, between delegators and the two pool module accounts:
//   bonded_tokens_pool     = Σ tokens of Bonded validators
//   not_bonded_tokens_pool = Σ tokens of Unbonding/Unbonded validators + Σ unbonding entry balances
// Follows the Cosmos SDK v0.50 keeper (x/staking/keeper) rule for rule; see README.md.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BondStatus,
  Delegation as DelegationProto,
  HistoricalInfo,
  Params as ParamsProto,
  Redelegation as RedelegationProto,
  UnbondingDelegation as UnbondingDelegationProto,
  Validator as ValidatorProto,
  type Description,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { RequestFinalizeBlock, ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../app/context.js";
import { BECH32_PREFIX_VALOPER } from "../../constants.js";
import { sha256 } from "../../crypto/hash.js";
import { ErrInvalidRequest, ErrNotFound } from "../../errors/sdk.js";
import { prefixEnd, type KVReader, type KVStore } from "../../store/types.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { formatCoins } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import { type AuthKeeper, moduleAddress } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import * as E from "./errors.js";
import * as K from "./keys.js";
import { defaultStakingParams, paramsFromProto, paramsToProto, type StakingParams } from "./params.js";
import {
  addTokensFromDel,
  invalidExRate,
  quoRoundUp,
  removeDelShares,
  sharesFromTokens,
  sharesFromTokensTruncated,
  tokensFromConsensusPower,
  tokensFromShares,
  tokensToConsensusPower,
} from "./shares.js";

export const BONDED_POOL = "bonded_tokens_pool";
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";
export const ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey";

const NANOS = 1_000_000_000n;

export { BondStatus };

export interface Commission {
  rate: Dec;
  maxRate: Dec;
  maxChangeRate: Dec;
  updateTimeNanos: bigint;
}

/** A validator with its numbers as bigint/Dec (the store holds cosmos.staking.v1beta1.Validator). */
export interface Validator {
  /** Operator address bytes (the operator's account address bytes). */
  operator: Uint8Array;
  operatorAddress: string;
  /** Raw 32-byte ed25519 consensus key. */
  consPubkey: Uint8Array;
  jailed: boolean;
  status: BondStatus;
  tokens: bigint;
  delegatorShares: Dec;
  description: Description;
  unbondingHeight: bigint;
  unbondingTimeNanos: bigint;
  commission: Commission;
  minSelfDelegation: bigint;
}

export interface Delegation {
  delegator: Uint8Array;
  validator: Uint8Array;
  shares: Dec;
}

export interface UnbondingEntry {
  creationHeight: bigint;
  completionTimeNanos: bigint;
  initialBalance: bigint;
  balance: bigint;
}

export interface UnbondingDelegation {
  delegator: Uint8Array;
  validator: Uint8Array;
  entries: UnbondingEntry[];
}

export interface RedelegationEntry {
  creationHeight: bigint;
  completionTimeNanos: bigint;
  initialBalance: bigint;
  sharesDst: Dec;
}

export interface Redelegation {
  delegator: Uint8Array;
  src: Uint8Array;
  dst: Uint8Array;
  entries: RedelegationEntry[];
}

/**
 * What other modules may hook into (the SDK's StakingHooks). Called synchronously, in registration
 * order, inside the same state branch; a throw aborts the enclosing tx (or halts the block in EndBlock).
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, val: Uint8Array): void;
  beforeValidatorModified?(ctx: Context, val: Uint8Array): void;
  afterValidatorRemoved?(ctx: Context, consAddr: Uint8Array, val: Uint8Array): void;
  afterValidatorBonded?(ctx: Context, consAddr: Uint8Array, val: Uint8Array): void;
  afterValidatorBeginUnbonding?(ctx: Context, consAddr: Uint8Array, val: Uint8Array): void;
  beforeDelegationCreated?(ctx: Context, del: Uint8Array, val: Uint8Array): void;
  beforeDelegationSharesModified?(ctx: Context, del: Uint8Array, val: Uint8Array): void;
  beforeDelegationRemoved?(ctx: Context, del: Uint8Array, val: Uint8Array): void;
  afterDelegationModified?(ctx: Context, del: Uint8Array, val: Uint8Array): void;
  /** `fraction` is the effective share of the validator's tokens being burned. */
  beforeValidatorSlashed?(ctx: Context, val: Uint8Array, fraction: Dec): void;
}

// ---- conversions ---------------------------------------------------------------------------------

export const toTimestamp = (nanos: bigint): Timestamp => ({ seconds: nanos / NANOS, nanos: Number(nanos % NANOS) });
export const fromTimestamp = (t: Timestamp | undefined): bigint => (t ? t.seconds * NANOS + BigInt(t.nanos) : 0n);
const decOf = (s: string) => (s === "" ? Dec.ZERO : Dec.fromAtomicsString(s));
const intOf = (s: string) => (s === "" ? 0n : BigInt(s));

export function formatValAddress(op: Uint8Array): string {
  return formatAddress(op, BECH32_PREFIX_VALOPER);
}

export function parseValAddress(s: string): Uint8Array {
  return parseAddress(s, BECH32_PREFIX_VALOPER);
}

/** CometBFT's validator address: sha256(ed25519 pubkey)[:20]. */
export function consAddress(pubkey: Uint8Array): Uint8Array {
  return sha256(pubkey).subarray(0, 20);
}

export function ed25519PubkeyAny(pubkey: Uint8Array): Any {
  return { typeUrl: ED25519_PUBKEY_TYPE_URL, value: Ed25519PubKey.encode({ key: pubkey }).finish() };
}

export function validatorToProto(v: Validator): ValidatorProto {
  return {
    operatorAddress: v.operatorAddress,
    consensusPubkey: ed25519PubkeyAny(v.consPubkey),
    jailed: v.jailed,
    status: v.status,
    tokens: v.tokens.toString(),
    delegatorShares: v.delegatorShares.toAtomicsString(),
    description: v.description,
    unbondingHeight: v.unbondingHeight,
    unbondingTime: toTimestamp(v.unbondingTimeNanos),
    commission: {
      commissionRates: { rate: v.commission.rate.toAtomicsString(), maxRate: v.commission.maxRate.toAtomicsString(), maxChangeRate: v.commission.maxChangeRate.toAtomicsString() },
      updateTime: toTimestamp(v.commission.updateTimeNanos),
    },
    minSelfDelegation: v.minSelfDelegation.toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}

export function validatorFromProto(p: ValidatorProto): Validator {
  const pk = p.consensusPubkey;
  if (!pk || pk.typeUrl !== ED25519_PUBKEY_TYPE_URL) throw new Error(`validator ${p.operatorAddress}: consensus pubkey must be ${ED25519_PUBKEY_TYPE_URL}`);
  const key = Ed25519PubKey.decode(pk.value).key;
  const r = p.commission.commissionRates;
  return {
    operator: parseValAddress(p.operatorAddress),
    operatorAddress: p.operatorAddress,
    consPubkey: key,
    jailed: p.jailed,
    status: p.status,
    tokens: intOf(p.tokens),
    delegatorShares: decOf(p.delegatorShares),
    description: p.description,
    unbondingHeight: p.unbondingHeight,
    unbondingTimeNanos: fromTimestamp(p.unbondingTime),
    commission: { rate: decOf(r.rate), maxRate: decOf(r.maxRate), maxChangeRate: decOf(r.maxChangeRate), updateTimeNanos: fromTimestamp(p.commission.updateTime) },
    minSelfDelegation: intOf(p.minSelfDelegation),
  };
}

export function delegationToProto(d: Delegation): DelegationProto {
  return { delegatorAddress: formatAddress(d.delegator), validatorAddress: formatValAddress(d.validator), shares: d.shares.toAtomicsString() };
}

export function ubdToProto(u: UnbondingDelegation): UnbondingDelegationProto {
  return {
    delegatorAddress: formatAddress(u.delegator),
    validatorAddress: formatValAddress(u.validator),
    entries: u.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTime: toTimestamp(e.completionTimeNanos),
      initialBalance: e.initialBalance.toString(),
      balance: e.balance.toString(),
      unbondingId: 0n,
      unbondingOnHoldRefCount: 0n,
    })),
  };
}

function ubdFromProto(p: UnbondingDelegationProto): UnbondingDelegation {
  return {
    delegator: parseAddress(p.delegatorAddress),
    validator: parseValAddress(p.validatorAddress),
    entries: p.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTimeNanos: fromTimestamp(e.completionTime),
      initialBalance: intOf(e.initialBalance),
      balance: intOf(e.balance),
    })),
  };
}

export function redToProto(r: Redelegation): RedelegationProto {
  return {
    delegatorAddress: formatAddress(r.delegator),
    validatorSrcAddress: formatValAddress(r.src),
    validatorDstAddress: formatValAddress(r.dst),
    entries: r.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTime: toTimestamp(e.completionTimeNanos),
      initialBalance: e.initialBalance.toString(),
      sharesDst: e.sharesDst.toAtomicsString(),
      unbondingId: 0n,
      unbondingOnHoldRefCount: 0n,
    })),
  };
}

function redFromProto(p: RedelegationProto): Redelegation {
  return {
    delegator: parseAddress(p.delegatorAddress),
    src: parseValAddress(p.validatorSrcAddress),
    dst: parseValAddress(p.validatorDstAddress),
    entries: p.entries.map((e) => ({
      creationHeight: e.creationHeight,
      completionTimeNanos: fromTimestamp(e.completionTime),
      initialBalance: intOf(e.initialBalance),
      sharesDst: decOf(e.sharesDst),
    })),
  };
}

/** RFC 3339 with the SDK's formatting of Go's time.RFC3339 (seconds precision, UTC "Z"). */
export function rfc3339(nanos: bigint): string {
  const ms = Number((nanos / NANOS) * 1000n);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

// ---- keeper --------------------------------------------------------------------------------------

export class StakingKeeper {
  readonly bondedPoolAddress = moduleAddress(BONDED_POOL);
  readonly notBondedPoolAddress = moduleAddress(NOT_BONDED_POOL);
  private readonly hooks: StakingHooks[] = [];

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankKeeper,
  ) {}

  /** Registers hooks (distribution, slashing, ...); called in registration order. */
  addHooks(h: StakingHooks): void {
    this.hooks.push(h);
  }

  private hook<N extends keyof StakingHooks>(name: N, ...args: Parameters<NonNullable<StakingHooks[N]>>): void {
    for (const h of this.hooks) (h[name] as ((...a: unknown[]) => void) | undefined)?.apply(h, args);
  }

  /** Creates the two pool module accounts (genesis; idempotent). */
  ensurePools(s: KVStore): void {
    this.auth.ensureModuleAccount(s, BONDED_POOL, ["burner", "staking"]);
    this.auth.ensureModuleAccount(s, NOT_BONDED_POOL, ["burner", "staking"]);
  }

  // ---- params ----

  getParams(s: KVReader): StakingParams {
    const v = s.get(K.PARAMS_KEY);
    return v ? paramsFromProto(ParamsProto.decode(v)) : defaultStakingParams();
  }

  setParams(s: KVStore, p: StakingParams): void {
    s.set(K.PARAMS_KEY, ParamsProto.encode(paramsToProto(p)).finish());
  }

  // ---- pools ----

  bondedTokens(s: KVReader): bigint {
    return this.bank.getBalance(s, this.bondedPoolAddress, this.getParams(s).bondDenom);
  }

  notBondedTokens(s: KVReader): bigint {
    return this.bank.getBalance(s, this.notBondedPoolAddress, this.getParams(s).bondDenom);
  }

  /** The SDK's BondedRatio: bonded pool / total supply of the bond denom (0 if no supply). For mint. */
  bondedRatio(s: KVReader): Dec {
    const supply = this.bank.getSupply(s, this.getParams(s).bondDenom);
    if (supply <= 0n) return Dec.ZERO;
    return Dec.fromInt(this.bondedTokens(s)).quoInt(supply);
  }

  private moveBetweenPools(ctx: Context, from: Uint8Array, to: Uint8Array, amount: bigint): void {
    if (amount <= 0n) return;
    this.bank.sendCoins(ctx, from, to, [{ denom: this.getParams(ctx.store).bondDenom, amount }]);
  }

  private bondedTokensToNotBonded(ctx: Context, amount: bigint): void {
    this.moveBetweenPools(ctx, this.bondedPoolAddress, this.notBondedPoolAddress, amount);
  }

  private notBondedTokensToBonded(ctx: Context, amount: bigint): void {
    this.moveBetweenPools(ctx, this.notBondedPoolAddress, this.bondedPoolAddress, amount);
  }

  private burnFrom(ctx: Context, pool: Uint8Array, amount: bigint): void {
    if (amount <= 0n) return;
    this.bank.burnCoins(ctx, pool, [{ denom: this.getParams(ctx.store).bondDenom, amount }]);
  }

  // ---- validators ----

  getValidator(s: KVReader, op: Uint8Array): Validator | undefined {
    const v = s.get(K.validatorKey(op));
    return v ? validatorFromProto(ValidatorProto.decode(v)) : undefined;
  }

  /** The stored protobuf bytes (queries). */
  getValidatorProto(s: KVReader, op: Uint8Array): ValidatorProto | undefined {
    const v = s.get(K.validatorKey(op));
    return v ? ValidatorProto.decode(v) : undefined;
  }

  mustGetValidator(s: KVReader, op: Uint8Array): Validator {
    const v = this.getValidator(s, op);
    if (!v) throw E.ErrNoValidatorFound.wrap(formatValAddress(op));
    return v;
  }

  getValidatorByConsAddr(s: KVReader, cons: Uint8Array): Validator | undefined {
    const op = s.get(K.validatorByConsAddrKey(cons));
    return op ? this.getValidator(s, op) : undefined;
  }

  setValidator(s: KVStore, v: Validator): void {
    s.set(K.validatorKey(v.operator), ValidatorProto.encode(validatorToProto(v)).finish());
  }

  setValidatorByConsAddr(s: KVStore, v: Validator): void {
    s.set(K.validatorByConsAddrKey(consAddress(v.consPubkey)), Buffer.from(v.operator));
  }

  /** Jailed validators are kept out of the power index. */
  setValidatorByPowerIndex(s: KVStore, v: Validator): void {
    if (v.jailed) return;
    s.set(K.validatorByPowerKey(tokensToConsensusPower(v.tokens), v.operator), Buffer.from(v.operator));
  }

  deleteValidatorByPowerIndex(s: KVStore, v: Validator): void {
    s.delete(K.validatorByPowerKey(tokensToConsensusPower(v.tokens), v.operator));
  }

  /** Every validator in operator-address order. */
  *iterateValidators(s: KVReader): Iterable<Validator> {
    const p = Buffer.from([K.validatorKey(new Uint8Array())[0]!]);
    for (const [, v] of s.iterate(p, prefixEnd(p))) yield validatorFromProto(ValidatorProto.decode(v));
  }

  *iterateValidatorProtos(s: KVReader): Iterable<{ key: Uint8Array; value: ValidatorProto }> {
    const p = Buffer.from([K.validatorKey(new Uint8Array())[0]!]);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { key: k, value: ValidatorProto.decode(v) };
  }

  /** Bonded validators by power descending (the last set sent to CometBFT, current after EndBlock). */
  getBondedValidatorsByPower(s: KVReader): Validator[] {
    const out: Validator[] = [];
    const max = this.getParams(s).maxValidators;
    const p = Buffer.from([K.validatorByPowerKey(0n, new Uint8Array())[0]!]);
    for (const [, op] of s.iterateReverse(p, prefixEnd(p))) {
      if (out.length >= max) break;
      const v = this.mustGetValidator(s, op);
      if (v.status === BondStatus.BOND_STATUS_BONDED) out.push(v);
    }
    return out;
  }

  getLastValidatorPower(s: KVReader, op: Uint8Array): bigint | undefined {
    const v = s.get(K.lastValidatorPowerKey(op));
    return v ? Buffer.from(v).readBigUInt64BE(0) : undefined;
  }

  /** The last validator set sent to CometBFT: operator → power, in operator order. */
  *iterateLastValidatorPowers(s: KVReader): Iterable<{ operator: Uint8Array; power: bigint }> {
    const p = Buffer.from([K.lastValidatorPowerKey(new Uint8Array())[0]!]);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { operator: k.subarray(1), power: Buffer.from(v).readBigUInt64BE(0) };
  }

  getLastTotalPower(s: KVReader): bigint {
    const v = s.get(K.LAST_TOTAL_POWER_KEY);
    return v ? BigInt(Buffer.from(v).toString("latin1")) : 0n;
  }

  private setLastTotalPower(s: KVStore, p: bigint): void {
    s.set(K.LAST_TOTAL_POWER_KEY, Buffer.from(p.toString(), "latin1"));
  }

  /** Validator update for CometBFT (ed25519, power = tokens / 10^6 if bonded, else 0). */
  validatorUpdate(v: Validator, power = v.status === BondStatus.BOND_STATUS_BONDED ? tokensToConsensusPower(v.tokens) : 0n): ValidatorUpdate {
    return { pubKey: { ed25519: v.consPubkey, secp256k1: undefined }, power };
  }

  /** Adds tokens from a delegation: keeps the power index in step; returns the shares issued. */
  private addValidatorTokensAndShares(s: KVStore, v: Validator, amount: bigint): { validator: Validator; issued: Dec } {
    this.deleteValidatorByPowerIndex(s, v);
    const { state, issued } = addTokensFromDel(v, amount);
    const next = { ...v, ...state };
    this.setValidator(s, next);
    this.setValidatorByPowerIndex(s, next);
    return { validator: next, issued };
  }

  private removeValidatorTokensAndShares(s: KVStore, v: Validator, shares: Dec): { validator: Validator; tokens: bigint } {
    this.deleteValidatorByPowerIndex(s, v);
    const { state, issuedTokens } = removeDelShares(v, shares);
    const next = { ...v, ...state };
    this.setValidator(s, next);
    this.setValidatorByPowerIndex(s, next);
    return { validator: next, tokens: issuedTokens };
  }

  private removeValidatorTokens(s: KVStore, v: Validator, tokens: bigint): Validator {
    if (tokens < 0n || tokens > v.tokens) throw new Error(`should not happen: removing ${tokens} of ${v.tokens} tokens`);
    this.deleteValidatorByPowerIndex(s, v);
    const next = { ...v, tokens: v.tokens - tokens };
    this.setValidator(s, next);
    this.setValidatorByPowerIndex(s, next);
    return next;
  }

  /** Deletes an Unbonded validator without tokens (after its last shares left). */
  removeValidator(ctx: Context, op: Uint8Array): void {
    const v = this.getValidator(ctx.store, op);
    if (!v) return;
    if (v.status !== BondStatus.BOND_STATUS_UNBONDED) throw E.ErrBadRemoveValidator.wrap("cannot call RemoveValidator on bonded or unbonding validators");
    if (v.tokens > 0n) throw E.ErrBadRemoveValidator.wrap("attempting to remove a validator which still contains tokens");
    const cons = consAddress(v.consPubkey);
    ctx.store.delete(K.validatorKey(op));
    ctx.store.delete(K.validatorByConsAddrKey(cons));
    this.deleteValidatorByPowerIndex(ctx.store, v);
    this.hook("afterValidatorRemoved", ctx, cons, op);
  }

  // ---- commission and description ----

  /** CommissionRates.Validate. */
  static validateCommissionRates(rate: Dec, maxRate: Dec, maxChangeRate: Dec): void {
    if (maxRate.isNegative()) throw E.ErrCommissionNegative.err();
    if (maxRate.gt(Dec.ONE)) throw E.ErrCommissionHuge.err();
    if (rate.isNegative()) throw E.ErrCommissionNegative.err();
    if (rate.gt(maxRate)) throw E.ErrCommissionGTMaxRate.err();
    if (maxChangeRate.isNegative()) throw E.ErrCommissionChangeRateNegative.err();
    if (maxChangeRate.gt(maxRate)) throw E.ErrCommissionChangeRateGTMaxRate.err();
  }

  /** Commission.ValidateNewRate: once per 24 h, within [0, max_rate], rising by at most max_change_rate. */
  static validateNewRate(c: Commission, newRate: Dec, blockTimeNanos: bigint): void {
    if (blockTimeNanos - c.updateTimeNanos < 24n * 3600n * NANOS) throw E.ErrCommissionUpdateTime.err();
    if (newRate.isNegative()) throw E.ErrCommissionNegative.err();
    if (newRate.gt(c.maxRate)) throw E.ErrCommissionGTMaxRate.err();
    if (newRate.sub(c.rate).gt(c.maxChangeRate)) throw E.ErrCommissionGTMaxChangeRate.err();
  }

  static ensureDescriptionLength(d: Description): void {
    const limits: [keyof Description, string, number][] = [
      ["moniker", "moniker", 70],
      ["identity", "identity", 3000],
      ["website", "website", 140],
      ["securityContact", "security contact", 140],
      ["details", "details", 280],
    ];
    for (const [f, name, max] of limits) {
      if (d[f].length > max) throw ErrInvalidRequest.wrap(`invalid ${name} length; got: ${d[f].length}, max: ${max}`);
    }
  }

  // ---- creating and editing validators ----

  /**
   * MsgCreateValidator after its stateless checks: the validator, its indexes, the
   * afterValidatorCreated hook and the self-delegation from the operator's account. Also the
   * entry point for genesis transactions (gentx): call it in InitChain, then applyAndReturnValidatorSetUpdates.
   */
  createValidator(
    ctx: Context,
    m: { operator: Uint8Array; consPubkey: Uint8Array; description: Description; rate: Dec; maxRate: Dec; maxChangeRate: Dec; minSelfDelegation: bigint; value: { denom: string; amount: bigint } },
  ): Validator {
    const params = this.getParams(ctx.store);
    if (m.rate.lt(params.minCommissionRate)) throw E.ErrCommissionLTMinRate.wrap(`cannot set validator commission to less than minimum rate of ${params.minCommissionRate}`);
    if (this.getValidator(ctx.store, m.operator)) throw E.ErrValidatorOwnerExists.err();
    if (ctx.store.get(K.validatorByConsAddrKey(consAddress(m.consPubkey)))) throw E.ErrValidatorPubKeyExists.err();
    if (m.value.denom !== params.bondDenom) throw ErrInvalidRequest.wrap(`invalid coin denomination: got ${m.value.denom}, expected ${params.bondDenom}`);
    StakingKeeper.ensureDescriptionLength(m.description);
    StakingKeeper.validateCommissionRates(m.rate, m.maxRate, m.maxChangeRate);
    let v: Validator = {
      operator: Uint8Array.from(m.operator),
      operatorAddress: formatValAddress(m.operator),
      consPubkey: Uint8Array.from(m.consPubkey),
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens: 0n,
      delegatorShares: Dec.ZERO,
      description: m.description,
      unbondingHeight: 0n,
      unbondingTimeNanos: 0n,
      commission: { rate: m.rate, maxRate: m.maxRate, maxChangeRate: m.maxChangeRate, updateTimeNanos: ctx.timeNanos },
      minSelfDelegation: m.minSelfDelegation,
    };
    this.setValidator(ctx.store, v);
    this.setValidatorByConsAddr(ctx.store, v);
    this.setValidatorByPowerIndex(ctx.store, v);
    this.hook("afterValidatorCreated", ctx, v.operator);
    this.delegate(ctx, v.operator, m.value.amount, BondStatus.BOND_STATUS_UNBONDED, v, true);
    v = this.mustGetValidator(ctx.store, v.operator);
    ctx.events.emit("create_validator", () => [
      ["validator", v.operatorAddress],
      ["amount", `${m.value.amount}${m.value.denom}`],
    ]);
    return v;
  }

  /** MsgEditValidator after its stateless checks. */
  editValidator(ctx: Context, op: Uint8Array, m: { description: Description; commissionRate?: Dec; minSelfDelegation?: bigint }): Validator {
    const params = this.getParams(ctx.store);
    if (m.commissionRate && m.commissionRate.lt(params.minCommissionRate)) {
      throw ErrInvalidRequest.wrap(`commission rate cannot be less than the min commission rate ${params.minCommissionRate}`);
    }
    const v = this.mustGetValidator(ctx.store, op);
    const keep = "[do-not-modify]";
    const d = m.description;
    const description: Description = {
      moniker: d.moniker === keep ? v.description.moniker : d.moniker,
      identity: d.identity === keep ? v.description.identity : d.identity,
      website: d.website === keep ? v.description.website : d.website,
      securityContact: d.securityContact === keep ? v.description.securityContact : d.securityContact,
      details: d.details === keep ? v.description.details : d.details,
    };
    StakingKeeper.ensureDescriptionLength(description);
    let commission = v.commission;
    if (m.commissionRate) {
      StakingKeeper.validateNewRate(v.commission, m.commissionRate, ctx.timeNanos);
      this.hook("beforeValidatorModified", ctx, op);
      commission = { ...v.commission, rate: m.commissionRate, updateTimeNanos: ctx.timeNanos };
    }
    let minSelfDelegation = v.minSelfDelegation;
    if (m.minSelfDelegation !== undefined) {
      if (m.minSelfDelegation <= v.minSelfDelegation) throw E.ErrMinSelfDelegationDecreased.err();
      if (m.minSelfDelegation > v.tokens) throw E.ErrSelfDelegationBelowMinimum.err();
      minSelfDelegation = m.minSelfDelegation;
    }
    const next = { ...v, description, commission, minSelfDelegation };
    this.setValidator(ctx.store, next);
    ctx.events.emit("edit_validator", () => [
      ["commission_rate", commissionString(next.commission)],
      ["min_self_delegation", next.minSelfDelegation.toString()],
    ]);
    return next;
  }

  // ---- delegations ----

  getDelegation(s: KVReader, del: Uint8Array, val: Uint8Array): Delegation | undefined {
    const v = s.get(K.delegationKey(del, val));
    return v ? { delegator: del, validator: val, shares: decOf(DelegationProto.decode(v).shares) } : undefined;
  }

  setDelegation(s: KVStore, d: Delegation): void {
    s.set(K.delegationKey(d.delegator, d.validator), DelegationProto.encode(delegationToProto(d)).finish());
    s.set(K.delegationByValidatorKey(d.validator, d.delegator), new Uint8Array());
  }

  removeDelegation(ctx: Context, d: Delegation): void {
    this.hook("beforeDelegationRemoved", ctx, d.delegator, d.validator);
    ctx.store.delete(K.delegationKey(d.delegator, d.validator));
    ctx.store.delete(K.delegationByValidatorKey(d.validator, d.delegator));
  }

  /** A delegator's delegations in validator order (key = store key, for pagination). */
  *iterateDelegatorDelegations(s: KVReader, del: Uint8Array): Iterable<{ key: Uint8Array; value: Delegation }> {
    const p = K.delegationsOfDelegatorPrefix(del);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      const [, val] = K.splitLp(k, 1);
      yield { key: k, value: { delegator: del, validator: Uint8Array.from(val!), shares: decOf(DelegationProto.decode(v).shares) } };
    }
  }

  /** A validator's delegations in delegator order. */
  *iterateValidatorDelegations(s: KVReader, val: Uint8Array): Iterable<{ key: Uint8Array; value: Delegation }> {
    const p = K.delegationsOfValidatorPrefix(val);
    for (const [k] of s.iterate(p, prefixEnd(p))) {
      const [, del] = K.splitLp(k, 1);
      yield { key: k, value: this.getDelegation(s, Uint8Array.from(del!), val)! };
    }
  }

  /** Every delegation (genesis export, invariants), by delegator then validator. */
  *iterateAllDelegations(s: KVReader): Iterable<Delegation> {
    const p = Buffer.from([K.delegationKey(new Uint8Array(), new Uint8Array())[0]!]);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      const [del, val] = K.splitLp(k, 1);
      yield { delegator: Uint8Array.from(del!), validator: Uint8Array.from(val!), shares: decOf(DelegationProto.decode(v).shares) };
    }
  }

  /**
   * Keeper.Delegate: bonds `amount` to `validator` for `del`. With subtractAccount the coins come
   * from the delegator's account (into the pool of the validator's status); otherwise they are
   * already in the pool of `tokenSrc` (redelegation, cancelled unbonding) and move between pools.
   */
  delegate(ctx: Context, del: Uint8Array, amount: bigint, tokenSrc: BondStatus, validator: Validator, subtractAccount: boolean): Dec {
    if (invalidExRate(validator)) throw E.ErrDelegatorShareExRateInvalid.err();
    const existing = this.getDelegation(ctx.store, del, validator.operator);
    if (existing) this.hook("beforeDelegationSharesModified", ctx, del, validator.operator);
    else this.hook("beforeDelegationCreated", ctx, del, validator.operator);
    const delegation = existing ?? { delegator: Uint8Array.from(del), validator: validator.operator, shares: Dec.ZERO };
    const bonded = validator.status === BondStatus.BOND_STATUS_BONDED;
    const denom = this.getParams(ctx.store).bondDenom;
    if (subtractAccount) {
      if (tokenSrc === BondStatus.BOND_STATUS_BONDED) throw new Error("delegation token source cannot be bonded");
      const coins = [{ denom, amount }];
      // DelegateCoinsFromAccountToModule: coin_spent + coin_received, no transfer event.
      this.bank.subCoins(ctx, del, coins);
      this.bank.addCoins(ctx, bonded ? this.bondedPoolAddress : this.notBondedPoolAddress, coins);
    } else {
      const srcBonded = tokenSrc === BondStatus.BOND_STATUS_BONDED;
      if (!srcBonded && bonded) this.notBondedTokensToBonded(ctx, amount);
      else if (srcBonded && !bonded) this.bondedTokensToNotBonded(ctx, amount);
    }
    const { issued } = this.addValidatorTokensAndShares(ctx.store, validator, amount);
    delegation.shares = delegation.shares.add(issued);
    this.setDelegation(ctx.store, delegation);
    this.hook("afterDelegationModified", ctx, del, validator.operator);
    return issued;
  }

  /** ValidateUnbondAmount: the shares `amount` tokens are worth, capped at the delegation's shares. */
  validateUnbondAmount(s: KVReader, del: Uint8Array, val: Uint8Array, amount: bigint): Dec {
    const v = this.getValidator(s, val);
    if (!v) throw E.ErrNoValidatorFound.err();
    const d = this.getDelegation(s, del, val);
    if (!d) throw E.ErrNoDelegation.err();
    if (v.tokens === 0n) throw E.ErrInsufficientShares.err();
    const shares = sharesFromTokens(v, amount);
    const truncated = sharesFromTokensTruncated(v, amount);
    if (truncated.gt(d.shares)) throw ErrInvalidRequest.wrap("invalid shares amount");
    return shares.gt(d.shares) ? d.shares : shares;
  }

  /**
   * Keeper.Unbond: removes `shares` from the delegation and their tokens from the validator (coins
   * stay in the pool; callers move them). Jails the operator's validator when its self-delegation
   * falls below min_self_delegation; deletes an Unbonded validator whose last shares left.
   */
  unbond(ctx: Context, del: Uint8Array, val: Uint8Array, shares: Dec): bigint {
    const delegation = this.getDelegation(ctx.store, del, val);
    if (!delegation) throw E.ErrNoDelegatorForAddress.err();
    this.hook("beforeDelegationSharesModified", ctx, del, val);
    if (delegation.shares.lt(shares)) throw E.ErrNotEnoughDelegationShares.wrap(delegation.shares.toString());
    let validator = this.getValidator(ctx.store, val);
    if (!validator) throw E.ErrNoValidatorFound.err();
    delegation.shares = delegation.shares.sub(shares);
    if (eq(del, val) && !validator.jailed && tokensFromShares(validator, delegation.shares).truncateInt() < validator.minSelfDelegation) {
      this.jailValidator(ctx, validator);
      validator = this.mustGetValidator(ctx.store, val);
    }
    if (delegation.shares.atomics === 0n) this.removeDelegation(ctx, delegation);
    else {
      this.setDelegation(ctx.store, delegation);
      this.hook("afterDelegationModified", ctx, del, val);
    }
    const r = this.removeValidatorTokensAndShares(ctx.store, validator, shares);
    if (r.validator.delegatorShares.atomics === 0n && r.validator.status === BondStatus.BOND_STATUS_UNBONDED) this.removeValidator(ctx, val);
    return r.tokens;
  }

  // ---- unbonding delegations ----

  getUnbondingDelegation(s: KVReader, del: Uint8Array, val: Uint8Array): UnbondingDelegation | undefined {
    const v = s.get(K.ubdKey(del, val));
    return v ? ubdFromProto(UnbondingDelegationProto.decode(v)) : undefined;
  }

  setUnbondingDelegation(s: KVStore, u: UnbondingDelegation): void {
    s.set(K.ubdKey(u.delegator, u.validator), UnbondingDelegationProto.encode(ubdToProto(u)).finish());
    s.set(K.ubdByValidatorKey(u.validator, u.delegator), new Uint8Array());
  }

  removeUnbondingDelegation(s: KVStore, u: UnbondingDelegation): void {
    s.delete(K.ubdKey(u.delegator, u.validator));
    s.delete(K.ubdByValidatorKey(u.validator, u.delegator));
  }

  *iterateDelegatorUnbondingDelegations(s: KVReader, del: Uint8Array): Iterable<{ key: Uint8Array; value: UnbondingDelegation }> {
    const p = K.ubdsOfDelegatorPrefix(del);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { key: k, value: ubdFromProto(UnbondingDelegationProto.decode(v)) };
  }

  *iterateValidatorUnbondingDelegations(s: KVReader, val: Uint8Array): Iterable<{ key: Uint8Array; value: UnbondingDelegation }> {
    const p = K.ubdsOfValidatorPrefix(val);
    for (const [k] of s.iterate(p, prefixEnd(p))) {
      const [, del] = K.splitLp(k, 1);
      yield { key: k, value: this.getUnbondingDelegation(s, Uint8Array.from(del!), val)! };
    }
  }

  *iterateAllUnbondingDelegations(s: KVReader): Iterable<UnbondingDelegation> {
    const p = Buffer.from([K.ubdKey(new Uint8Array(), new Uint8Array())[0]!]);
    for (const [, v] of s.iterate(p, prefixEnd(p))) yield ubdFromProto(UnbondingDelegationProto.decode(v));
  }

  /** UnbondingDelegation.AddEntry: merges into an entry of the same height and completion time. */
  private setUnbondingDelegationEntry(ctx: Context, del: Uint8Array, val: Uint8Array, completionTimeNanos: bigint, balance: bigint): UnbondingDelegation {
    const ubd = this.getUnbondingDelegation(ctx.store, del, val) ?? { delegator: Uint8Array.from(del), validator: Uint8Array.from(val), entries: [] };
    const same = ubd.entries.find((e) => e.creationHeight === ctx.height && e.completionTimeNanos === completionTimeNanos);
    if (same) {
      same.balance += balance;
      same.initialBalance += balance;
    } else ubd.entries.push({ creationHeight: ctx.height, completionTimeNanos, initialBalance: balance, balance });
    this.setUnbondingDelegation(ctx.store, ubd);
    this.insertUbdQueue(ctx.store, del, val, completionTimeNanos);
    return ubd;
  }

  /** Keeper.Undelegate: unbonds shares into a new unbonding entry maturing after unbonding_time. */
  undelegate(ctx: Context, del: Uint8Array, val: Uint8Array, shares: Dec): { completionTimeNanos: bigint; amount: bigint } {
    const validator = this.getValidator(ctx.store, val);
    if (!validator) throw E.ErrNoValidatorFound.err();
    const params = this.getParams(ctx.store);
    const existing = this.getUnbondingDelegation(ctx.store, del, val);
    if (existing && existing.entries.length >= params.maxEntries) throw E.ErrMaxUnbondingDelegationEntries.err();
    const amount = this.unbond(ctx, del, val, shares);
    if (validator.status === BondStatus.BOND_STATUS_BONDED) this.bondedTokensToNotBonded(ctx, amount);
    const completionTimeNanos = ctx.timeNanos + params.unbondingTimeNanos;
    this.setUnbondingDelegationEntry(ctx, del, val, completionTimeNanos, amount);
    return { completionTimeNanos, amount };
  }

  /** CompleteUnbonding: pays out every mature entry; returns the amount paid. */
  completeUnbonding(ctx: Context, del: Uint8Array, val: Uint8Array): bigint {
    const ubd = this.getUnbondingDelegation(ctx.store, del, val);
    if (!ubd) throw E.ErrNoUnbondingDelegation.err();
    const denom = this.getParams(ctx.store).bondDenom;
    let paid = 0n;
    const remaining: UnbondingEntry[] = [];
    for (const e of ubd.entries) {
      if (e.completionTimeNanos <= ctx.timeNanos) {
        if (e.balance > 0n) {
          // UndelegateCoinsFromModuleToAccount: coin_spent + coin_received.
          this.bank.subCoins(ctx, this.notBondedPoolAddress, [{ denom, amount: e.balance }]);
          this.bank.addCoins(ctx, del, [{ denom, amount: e.balance }]);
          paid += e.balance;
        }
      } else remaining.push(e);
    }
    ubd.entries = remaining;
    if (remaining.length === 0) this.removeUnbondingDelegation(ctx.store, ubd);
    else this.setUnbondingDelegation(ctx.store, ubd);
    return paid;
  }

  /** MsgCancelUnbondingDelegation after its stateless checks: re-delegates part of an entry. */
  cancelUnbondingDelegation(ctx: Context, del: Uint8Array, val: Uint8Array, amount: bigint, creationHeight: bigint): void {
    const validator = this.getValidator(ctx.store, val);
    if (!validator) throw E.ErrNoValidatorFound.err();
    if (invalidExRate(validator)) throw E.ErrDelegatorShareExRateInvalid.err();
    if (validator.jailed) throw E.ErrValidatorJailed.err();
    const ubd = this.getUnbondingDelegation(ctx.store, del, val);
    if (!ubd) {
      throw ErrNotFound.wrap(`unbonding delegation with delegator ${formatAddress(del)} not found for validator ${formatValAddress(val)}`);
    }
    const i = ubd.entries.findIndex((e) => e.creationHeight === creationHeight);
    if (i < 0) throw ErrNotFound.wrap(`unbonding delegation entry is not found at block height ${creationHeight}`);
    const entry = ubd.entries[i]!;
    if (entry.balance < amount) throw ErrInvalidRequest.wrap("amount is greater than the unbonding delegation entry balance");
    if (entry.completionTimeNanos < ctx.timeNanos) throw ErrInvalidRequest.wrap("unbonding delegation is already processed");
    this.delegate(ctx, del, amount, BondStatus.BOND_STATUS_UNBONDING, validator, false);
    const left = entry.balance - amount;
    if (left === 0n) ubd.entries.splice(i, 1);
    else ubd.entries[i] = { ...entry, balance: left, initialBalance: entry.initialBalance - amount };
    if (ubd.entries.length === 0) this.removeUnbondingDelegation(ctx.store, ubd);
    else this.setUnbondingDelegation(ctx.store, ubd);
  }

  // ---- redelegations ----

  getRedelegation(s: KVReader, del: Uint8Array, src: Uint8Array, dst: Uint8Array): Redelegation | undefined {
    const v = s.get(K.redKey(del, src, dst));
    return v ? redFromProto(RedelegationProto.decode(v)) : undefined;
  }

  setRedelegation(s: KVStore, r: Redelegation): void {
    s.set(K.redKey(r.delegator, r.src, r.dst), RedelegationProto.encode(redToProto(r)).finish());
    s.set(K.redBySrcKey(r.src, r.delegator, r.dst), new Uint8Array());
    s.set(K.redByDstKey(r.dst, r.delegator, r.src), new Uint8Array());
  }

  removeRedelegation(s: KVStore, r: Redelegation): void {
    s.delete(K.redKey(r.delegator, r.src, r.dst));
    s.delete(K.redBySrcKey(r.src, r.delegator, r.dst));
    s.delete(K.redByDstKey(r.dst, r.delegator, r.src));
  }

  *iterateDelegatorRedelegations(s: KVReader, del: Uint8Array): Iterable<{ key: Uint8Array; value: Redelegation }> {
    const p = K.redsOfDelegatorPrefix(del);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { key: k, value: redFromProto(RedelegationProto.decode(v)) };
  }

  *iterateRedelegationsFromSrc(s: KVReader, src: Uint8Array): Iterable<{ key: Uint8Array; value: Redelegation }> {
    const p = K.redsBySrcPrefix(src);
    for (const [k] of s.iterate(p, prefixEnd(p))) {
      const [, del, dst] = K.splitLp(k, 1);
      yield { key: k, value: this.getRedelegation(s, Uint8Array.from(del!), src, Uint8Array.from(dst!))! };
    }
  }

  *iterateAllRedelegations(s: KVReader): Iterable<Redelegation> {
    const p = Buffer.from([K.redKey(new Uint8Array(), new Uint8Array(), new Uint8Array())[0]!]);
    for (const [, v] of s.iterate(p, prefixEnd(p))) yield redFromProto(RedelegationProto.decode(v));
  }

  /** True while a redelegation of `del` INTO `val` is still maturing (blocks redelegating out of it). */
  hasReceivingRedelegation(s: KVReader, del: Uint8Array, val: Uint8Array): boolean {
    const p = K.redsByDstDelegatorPrefix(val, del);
    for (const _ of s.iterate(p, prefixEnd(p))) return true;
    return false;
  }

  /** Keeper.BeginRedelegation: moves `shares` from src to dst; returns the completion time. */
  beginRedelegation(ctx: Context, del: Uint8Array, src: Uint8Array, dst: Uint8Array, shares: Dec): bigint {
    if (eq(src, dst)) throw E.ErrSelfRedelegation.err();
    const dstValidator = this.getValidator(ctx.store, dst);
    if (!dstValidator) throw E.ErrBadRedelegationDst.err();
    const srcValidator = this.getValidator(ctx.store, src);
    if (!srcValidator) throw E.ErrBadRedelegationDst.err();
    if (this.hasReceivingRedelegation(ctx.store, del, src)) throw E.ErrTransitiveRedelegation.err();
    const params = this.getParams(ctx.store);
    const existing = this.getRedelegation(ctx.store, del, src, dst);
    if (existing && existing.entries.length >= params.maxEntries) throw E.ErrMaxRedelegationEntries.err();
    const amount = this.unbond(ctx, del, src, shares);
    if (amount === 0n) throw E.ErrTinyRedelegationAmount.err();
    const sharesCreated = this.delegate(ctx, del, amount, srcValidator.status, this.mustGetValidator(ctx.store, dst), false);
    // getBeginInfo: the entry matures when the source's stake would have stopped being slashable.
    const srcNow = this.getValidator(ctx.store, src);
    let completionTimeNanos: bigint;
    let height: bigint;
    if (!srcNow || srcNow.status === BondStatus.BOND_STATUS_UNBONDED) return ctx.timeNanos; // complete now: no entry
    if (srcNow.status === BondStatus.BOND_STATUS_BONDED) {
      completionTimeNanos = ctx.timeNanos + params.unbondingTimeNanos;
      height = ctx.height;
    } else {
      completionTimeNanos = srcNow.unbondingTimeNanos;
      height = srcNow.unbondingHeight;
    }
    const red = existing ?? { delegator: Uint8Array.from(del), src: Uint8Array.from(src), dst: Uint8Array.from(dst), entries: [] };
    red.entries.push({ creationHeight: height, completionTimeNanos, initialBalance: amount, sharesDst: sharesCreated });
    this.setRedelegation(ctx.store, red);
    this.insertRedelegationQueue(ctx.store, del, src, dst, completionTimeNanos);
    return completionTimeNanos;
  }

  /** CompleteRedelegation: drops mature entries; returns their initial balance. */
  completeRedelegation(ctx: Context, del: Uint8Array, src: Uint8Array, dst: Uint8Array): bigint {
    const red = this.getRedelegation(ctx.store, del, src, dst);
    if (!red) throw E.ErrNoRedelegation.err();
    let total = 0n;
    red.entries = red.entries.filter((e) => {
      if (e.completionTimeNanos > ctx.timeNanos) return true;
      total += e.initialBalance;
      return false;
    });
    if (red.entries.length === 0) this.removeRedelegation(ctx.store, red);
    else this.setRedelegation(ctx.store, red);
    return total;
  }

  // ---- queues (also for genesis import) ----

  insertUbdQueue(s: KVStore, del: Uint8Array, val: Uint8Array, completionTimeNanos: bigint): void {
    s.set(K.ubdQueueKey(completionTimeNanos, del, val), new Uint8Array());
  }

  insertRedelegationQueue(s: KVStore, del: Uint8Array, src: Uint8Array, dst: Uint8Array, completionTimeNanos: bigint): void {
    s.set(K.redQueueKey(completionTimeNanos, del, src, dst), new Uint8Array());
  }

  insertUnbondingValidatorQueue(s: KVStore, v: Validator): void {
    s.set(K.validatorQueueKey(v.unbondingTimeNanos, v.unbondingHeight, v.operator), new Uint8Array());
  }

  /** Genesis of an exported chain: the last set is taken as given (no recomputation). */
  setExportedValidatorPowers(ctx: Context, powers: { operator: Uint8Array; power: bigint }[], totalPower: bigint): ValidatorUpdate[] {
    const updates: ValidatorUpdate[] = [];
    for (const { operator, power } of powers) {
      const v = this.mustGetValidator(ctx.store, operator);
      ctx.store.set(K.lastValidatorPowerKey(operator), K.be64(power));
      updates.push(this.validatorUpdate(v, power));
    }
    this.setLastTotalPower(ctx.store, totalPower);
    return updates;
  }

  // ---- validator set (EndBlock) ----

  /**
   * ApplyAndReturnValidatorSetUpdates: the top max_validators by power (ties: operator bytes
   * ascending), skipping jailed and zero-power validators, become Bonded; the rest of the last set
   * starts unbonding. Returns only changed powers (0 = removed), moves pool coins once.
   */
  applyAndReturnValidatorSetUpdates(ctx: Context): ValidatorUpdate[] {
    const s = ctx.store;
    const params = this.getParams(s);
    const last = new Map<string, bigint>();
    for (const { operator, power } of this.iterateLastValidatorPowers(s)) last.set(Buffer.from(operator).toString("hex"), power);
    const updates: ValidatorUpdate[] = [];
    let totalPower = 0n;
    let notBondedToBonded = 0n;
    let bondedToNotBonded = 0n;
    let count = 0;
    const p = Buffer.from([K.validatorByPowerKey(0n, new Uint8Array())[0]!]);
    // Collect first: the loop body rewrites power-index keys (same key, same power) while iterating.
    const ranked: Uint8Array[] = [];
    for (const [, op] of s.iterateReverse(p, prefixEnd(p))) {
      if (ranked.length >= params.maxValidators) break;
      ranked.push(Uint8Array.from(op));
    }
    for (const op of ranked) {
      let v = this.mustGetValidator(s, op);
      if (v.jailed) throw new Error(`should never retrieve a jailed validator from the power store: ${v.operatorAddress}`);
      if (tokensToConsensusPower(v.tokens) === 0n) break;
      if (v.status === BondStatus.BOND_STATUS_UNBONDED || v.status === BondStatus.BOND_STATUS_UNBONDING) {
        v = this.bondValidator(ctx, v);
        notBondedToBonded += v.tokens;
      }
      const hex = Buffer.from(op).toString("hex");
      const old = last.get(hex);
      const power = tokensToConsensusPower(v.tokens);
      if (old === undefined || old !== power) {
        updates.push(this.validatorUpdate(v, power));
        s.set(K.lastValidatorPowerKey(op), K.be64(power));
      }
      last.delete(hex);
      count++;
      totalPower += power;
    }
    void count;
    // Validators that left the set, in operator-address order (sortNoLongerBonded).
    for (const hex of [...last.keys()].sort()) {
      const op = Buffer.from(hex, "hex");
      let v = this.mustGetValidator(s, op);
      v = this.beginUnbondingValidator(ctx, v);
      bondedToNotBonded += v.tokens;
      s.delete(K.lastValidatorPowerKey(op));
      updates.push(this.validatorUpdate(v, 0n));
    }
    if (notBondedToBonded > bondedToNotBonded) this.notBondedTokensToBonded(ctx, notBondedToBonded - bondedToNotBonded);
    else if (notBondedToBonded < bondedToNotBonded) this.bondedTokensToNotBonded(ctx, bondedToNotBonded - notBondedToBonded);
    if (updates.length > 0) this.setLastTotalPower(s, totalPower);
    return updates;
  }

  private bondValidator(ctx: Context, v: Validator): Validator {
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) ctx.store.delete(K.validatorQueueKey(v.unbondingTimeNanos, v.unbondingHeight, v.operator));
    this.deleteValidatorByPowerIndex(ctx.store, v);
    const next = { ...v, status: BondStatus.BOND_STATUS_BONDED };
    this.setValidator(ctx.store, next);
    this.setValidatorByPowerIndex(ctx.store, next);
    this.hook("afterValidatorBonded", ctx, consAddress(v.consPubkey), v.operator);
    return next;
  }

  private beginUnbondingValidator(ctx: Context, v: Validator): Validator {
    if (v.status !== BondStatus.BOND_STATUS_BONDED) throw new Error(`should not already be unbonded or unbonding: ${v.operatorAddress}`);
    const params = this.getParams(ctx.store);
    this.deleteValidatorByPowerIndex(ctx.store, v);
    const next = { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingTimeNanos: ctx.timeNanos + params.unbondingTimeNanos, unbondingHeight: ctx.height };
    this.setValidator(ctx.store, next);
    this.setValidatorByPowerIndex(ctx.store, next);
    this.insertUnbondingValidatorQueue(ctx.store, next);
    this.hook("afterValidatorBeginUnbonding", ctx, consAddress(v.consPubkey), v.operator);
    return next;
  }

  /** UnbondAllMatureValidators: Unbonding validators past their unbonding time/height become Unbonded. */
  unbondAllMatureValidators(ctx: Context): void {
    const p = Buffer.from([K.validatorQueueKey(0n, 0n, new Uint8Array())[0]!]);
    const end = K.validatorQueueKey(ctx.timeNanos + 1n, 0n, new Uint8Array()).subarray(0, 9);
    const due: { k: Uint8Array; height: bigint; op: Uint8Array }[] = [];
    for (const [k] of ctx.store.iterate(p, end)) {
      const height = Buffer.from(k.subarray(9, 17)).readBigUInt64BE(0);
      due.push({ k: Uint8Array.from(k), height, op: Uint8Array.from(K.splitLp(k, 17)[0]!) });
    }
    for (const { k, height, op } of due) {
      if (height > ctx.height) continue;
      ctx.store.delete(k);
      const v = this.getValidator(ctx.store, op);
      if (!v || v.status !== BondStatus.BOND_STATUS_UNBONDING) continue; // re-bonded meanwhile
      const next = { ...v, status: BondStatus.BOND_STATUS_UNBONDED };
      this.setValidator(ctx.store, next);
      if (next.delegatorShares.atomics === 0n) this.removeValidator(ctx, op);
    }
  }

  /** The SDK's staking EndBlocker (BlockValidatorUpdates). */
  endBlock(ctx: Context): ValidatorUpdate[] {
    const updates = this.applyAndReturnValidatorSetUpdates(ctx);
    this.unbondAllMatureValidators(ctx);
    const denom = this.getParams(ctx.store).bondDenom;

    const upTo = (prefix: number) => ({ start: Buffer.from([prefix]), end: Buffer.concat([Buffer.from([prefix]), K.be64(ctx.timeNanos + 1n)]) });
    const uq = upTo(K.ubdQueueKey(0n, new Uint8Array(), new Uint8Array())[0]!);
    const matureUbds: Uint8Array[] = [];
    for (const [k] of ctx.store.iterate(uq.start, uq.end)) matureUbds.push(Uint8Array.from(k));
    for (const k of matureUbds) {
      ctx.store.delete(k);
      const [del, val] = K.splitLp(k, 9).map((b) => Uint8Array.from(b));
      if (!this.getUnbondingDelegation(ctx.store, del!, val!)) continue;
      const paid = this.completeUnbonding(ctx, del!, val!);
      ctx.events.emit("complete_unbonding", () => [
        ["amount", paid > 0n ? formatCoins([{ denom, amount: paid }]) : ""],
        ["validator", formatValAddress(val!)],
        ["delegator", formatAddress(del!)],
      ]);
    }

    const rq = upTo(K.redQueueKey(0n, new Uint8Array(), new Uint8Array(), new Uint8Array())[0]!);
    const matureReds: Uint8Array[] = [];
    for (const [k] of ctx.store.iterate(rq.start, rq.end)) matureReds.push(Uint8Array.from(k));
    for (const k of matureReds) {
      ctx.store.delete(k);
      const [del, src, dst] = K.splitLp(k, 9).map((b) => Uint8Array.from(b));
      if (!this.getRedelegation(ctx.store, del!, src!, dst!)) continue;
      const amount = this.completeRedelegation(ctx, del!, src!, dst!);
      ctx.events.emit("complete_redelegation", () => [
        ["amount", amount > 0n ? formatCoins([{ denom, amount }]) : ""],
        ["delegator", formatAddress(del!)],
        ["source_validator", formatValAddress(src!)],
        ["destination_validator", formatValAddress(dst!)],
      ]);
    }
    return updates;
  }

  /** TrackHistoricalInfo (BeginBlock): keeps historical_entries headers + validator sets. */
  trackHistoricalInfo(ctx: Context, req: RequestFinalizeBlock): void {
    const entries = BigInt(this.getParams(ctx.store).historicalEntries);
    // Prune everything at or below height - entries (the SDK deletes downwards until a gap).
    const p = Buffer.from([K.historicalInfoKey(0n)[0]!]);
    const pruneBelow = ctx.height - entries + 1n;
    if (pruneBelow > 0n) {
      const old: Uint8Array[] = [];
      for (const [k] of ctx.store.iterate(p, K.historicalInfoKey(pruneBelow))) old.push(Uint8Array.from(k));
      for (const k of old) ctx.store.delete(k);
    }
    if (entries === 0n) return;
    const valset = this.getBondedValidatorsByPower(ctx.store).map(validatorToProto);
    const info = HistoricalInfo.fromPartial({
      header: { chainId: ctx.chainId, height: ctx.height, time: toTimestamp(ctx.timeNanos), nextValidatorsHash: req.nextValidatorsHash, proposerAddress: req.proposerAddress },
      valset,
    });
    ctx.store.set(K.historicalInfoKey(ctx.height), HistoricalInfo.encode(info).finish());
  }

  getHistoricalInfo(s: KVReader, height: bigint): HistoricalInfo | undefined {
    const v = s.get(K.historicalInfoKey(height));
    return v ? HistoricalInfo.decode(v) : undefined;
  }

  // ---- slashing and jailing (used by the slashing/evidence modules) ----

  /**
   * Keeper.Slash: burns `fraction` of the stake the validator had at `infractionHeight` (given as
   * its consensus `power` then). Unbonding and redelegation entries created at or after the
   * infraction height are slashed first (they were part of that stake); the rest comes from the
   * validator's tokens, never below zero. Returns the tokens burned from the validator.
   */
  slash(ctx: Context, consAddr: Uint8Array, infractionHeight: bigint, power: bigint, fraction: Dec): bigint {
    if (fraction.isNegative()) throw new Error(`attempted to slash with a negative slash factor: ${fraction}`);
    const amount = tokensFromConsensusPower(power);
    const slashAmount = Dec.fromInt(amount).mul(fraction).truncateInt();
    let validator = this.getValidatorByConsAddr(ctx.store, consAddr);
    if (!validator) return 0n; // overslashed and removed already
    if (validator.status === BondStatus.BOND_STATUS_UNBONDED) throw new Error(`should not be slashing unbonded validator: ${validator.operatorAddress}`);
    this.hook("beforeValidatorModified", ctx, validator.operator);
    let remaining = slashAmount;
    if (infractionHeight > ctx.height) throw new Error(`impossible attempt to slash future infraction at height ${infractionHeight} but we are at height ${ctx.height}`);
    if (infractionHeight < ctx.height) {
      for (const { value: ubd } of [...this.iterateValidatorUnbondingDelegations(ctx.store, validator.operator)]) {
        remaining -= this.slashUnbondingDelegation(ctx, ubd, infractionHeight, fraction);
      }
      for (const { value: red } of [...this.iterateRedelegationsFromSrc(ctx.store, validator.operator)]) {
        remaining -= this.slashRedelegation(ctx, red, infractionHeight, fraction);
      }
      validator = this.mustGetValidator(ctx.store, validator.operator);
    }
    let burn = remaining < validator.tokens ? remaining : validator.tokens;
    if (burn < 0n) burn = 0n;
    if (burn === 0n) return 0n;
    if (validator.tokens > 0n) {
      let effective = quoRoundUp(Dec.fromInt(burn), Dec.fromInt(validator.tokens));
      if (effective.gt(Dec.ONE)) effective = Dec.ONE;
      this.hook("beforeValidatorSlashed", ctx, validator.operator, effective);
    }
    validator = this.removeValidatorTokens(ctx.store, validator, burn);
    this.burnFrom(ctx, validator.status === BondStatus.BOND_STATUS_BONDED ? this.bondedPoolAddress : this.notBondedPoolAddress, burn);
    return burn;
  }

  /** SlashUnbondingDelegation: returns the amount it was due to slash (not capped by balances). */
  slashUnbondingDelegation(ctx: Context, ubd: UnbondingDelegation, infractionHeight: bigint, fraction: Dec): bigint {
    let total = 0n;
    let burned = 0n;
    for (const e of ubd.entries) {
      if (e.creationHeight < infractionHeight) continue;
      if (e.completionTimeNanos <= ctx.timeNanos) continue; // mature: no longer slashable
      const slashAmount = fraction.mulInt(e.initialBalance).truncateInt();
      total += slashAmount;
      const cut = slashAmount < e.balance ? slashAmount : e.balance;
      if (cut === 0n) continue;
      burned += cut;
      e.balance -= cut;
    }
    if (burned > 0n) {
      this.setUnbondingDelegation(ctx.store, ubd);
      this.burnFrom(ctx, this.notBondedPoolAddress, burned);
    }
    return total;
  }

  /**
   * SlashRedelegation: for each entry created at or after the infraction, slashes the tokens now at
   * the destination — first an unbonding from the destination that followed the redelegation, then
   * the delegation itself (unbonding shares_dst × fraction). Returns the amount due.
   */
  slashRedelegation(ctx: Context, red: Redelegation, infractionHeight: bigint, fraction: Dec): bigint {
    let total = 0n;
    let bondedBurned = 0n;
    let notBondedBurned = 0n;
    for (const e of red.entries) {
      if (e.creationHeight < infractionHeight) continue;
      if (e.completionTimeNanos <= ctx.timeNanos) continue;
      let slashAmount = fraction.mulInt(e.initialBalance).truncateInt();
      total += slashAmount;
      const ubd = this.getUnbondingDelegation(ctx.store, red.delegator, red.dst);
      if (ubd) {
        let changed = false;
        for (const u of ubd.entries) {
          const cut = slashAmount < u.balance ? slashAmount : u.balance;
          if (cut === 0n || u.creationHeight < infractionHeight || u.completionTimeNanos <= ctx.timeNanos) continue;
          slashAmount -= cut;
          notBondedBurned += cut;
          u.balance -= cut;
          changed = true;
        }
        if (changed) this.setUnbondingDelegation(ctx.store, ubd);
      }
      let sharesToUnbond = fraction.mul(e.sharesDst);
      if (sharesToUnbond.atomics === 0n || slashAmount === 0n) continue;
      const delegation = this.getDelegation(ctx.store, red.delegator, red.dst);
      if (!delegation) continue;
      if (sharesToUnbond.gt(delegation.shares)) sharesToUnbond = delegation.shares;
      const dstBefore = this.mustGetValidator(ctx.store, red.dst);
      const tokens = this.unbond(ctx, red.delegator, red.dst, sharesToUnbond);
      if (dstBefore.status === BondStatus.BOND_STATUS_BONDED) bondedBurned += tokens;
      else notBondedBurned += tokens;
    }
    this.burnFrom(ctx, this.bondedPoolAddress, bondedBurned);
    this.burnFrom(ctx, this.notBondedPoolAddress, notBondedBurned);
    return total;
  }

  /** Jails a validator by consensus address: out of the power index, so out of the set at EndBlock. */
  jail(ctx: Context, consAddr: Uint8Array): void {
    const v = this.getValidatorByConsAddr(ctx.store, consAddr);
    if (!v) throw E.ErrNoValidatorFound.wrap(`consensus address ${Buffer.from(consAddr).toString("hex")}`);
    this.jailValidator(ctx, v);
  }

  unjail(ctx: Context, consAddr: Uint8Array): void {
    const v = this.getValidatorByConsAddr(ctx.store, consAddr);
    if (!v) throw E.ErrNoValidatorFound.wrap(`consensus address ${Buffer.from(consAddr).toString("hex")}`);
    if (!v.jailed) throw new Error(`cannot unjail already unjailed validator, validator: ${v.operatorAddress}`);
    const next = { ...v, jailed: false };
    this.setValidator(ctx.store, next);
    this.setValidatorByPowerIndex(ctx.store, next);
  }

  private jailValidator(ctx: Context, v: Validator): void {
    if (v.jailed) throw E.ErrValidatorJailed.wrap(`cannot jail already jailed validator, validator: ${v.operatorAddress}`);
    this.deleteValidatorByPowerIndex(ctx.store, v);
    this.setValidator(ctx.store, { ...v, jailed: true });
  }
}

/** Commission.String() as the SDK's edit_validator event prints it. */
export function commissionString(c: Commission): string {
  return `rate:${c.rate} max_rate:${c.maxRate} max_change_rate:${c.maxChangeRate} update_time:${new Date(Number(c.updateTimeNanos / 1_000_000n)).toISOString()}`;
}
