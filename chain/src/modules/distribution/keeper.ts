// distribution: F1 fee distribution (the SDK's x/distribution v0.50 keeper: allocation.go,
// delegation.go, validator.go, hooks.go, keeper.go) rule for rule. The only code that touches the
// distribution prefixes (0x50–0x57). Coins allocated but not yet withdrawn sit in the `distribution`
// module account:
//   balance(distribution) = Σ outstanding rewards of validators + community pool (integer parts; the
//   fractions are accounting dust that TruncateDecimal moves to the community pool on withdrawal).
//
// F1 in one paragraph: each validator has a current period whose rewards accumulate in
// ValidatorCurrentRewards; ending a period adds rewards/tokens to the cumulative reward ratio stored
// as ValidatorHistoricalRewards(period). A delegation remembers the period it started after and its
// stake; its rewards are stake × (ratio(end) − ratio(start)), split at each slash event in between.
// Historical entries are reference-counted (delegations starting there, slash events, the latest
// ended period) and deleted at zero references, so the cost of a withdrawal depends only on the
// number of slashes of the validator since the delegation started, never on the number of blocks.
import {
  DelegatorStartingInfo,
  FeePool,
  Params as ParamsProto,
  ValidatorAccumulatedCommission,
  ValidatorCurrentRewards,
  ValidatorHistoricalRewards,
  ValidatorOutstandingRewards,
  ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import type { Context } from "../../app/context.js";
import { ErrUnauthorized } from "../../errors/sdk.js";
import { prefixEnd, type KVReader, type KVStore } from "../../store/types.js";
import { formatAddress } from "../../types/address.js";
import { type Coin, formatCoins } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import type { AuthKeeper } from "../auth/keeper.js";
import { moduleAddress } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import type { Delegation, StakingHooks, StakingKeeper, Validator } from "../staking/keeper.js";
import { consAddress, formatValAddress } from "../staking/keeper.js";
import { tokensFromShares, tokensFromSharesTruncated } from "../staking/shares.js";
import * as DC from "./decCoins.js";
import type { DecCoin, DecCoins } from "./decCoins.js";
import * as E from "./errors.js";
import * as K from "./keys.js";

export { DISTRIBUTION_MODULE } from "../auth/keeper.js";
import { DISTRIBUTION_MODULE } from "../auth/keeper.js";

export interface DistributionParams {
  communityTax: Dec;
  /** Deprecated in the SDK (v0.50): kept in the params for wire compatibility, always unused. */
  baseProposerReward: Dec;
  bonusProposerReward: Dec;
  withdrawAddrEnabled: boolean;
}

export function defaultDistributionParams(): DistributionParams {
  return { communityTax: Dec.parse("0.02"), baseProposerReward: Dec.ZERO, bonusProposerReward: Dec.ZERO, withdrawAddrEnabled: true };
}

export function validateDistributionParams(p: DistributionParams): void {
  for (const [name, d] of [
    ["community_tax", p.communityTax],
    ["base_proposer_reward", p.baseProposerReward],
    ["bonus_proposer_reward", p.bonusProposerReward],
  ] as const) {
    if (d.isNegative()) throw new Error(`${name} must be positive: ${d}`);
    if (d.gt(Dec.ONE)) throw new Error(`${name} too large: ${d}`);
  }
}

export function paramsToProto(p: DistributionParams): ParamsProto {
  return {
    communityTax: p.communityTax.toAtomicsString(),
    baseProposerReward: p.baseProposerReward.toAtomicsString(),
    bonusProposerReward: p.bonusProposerReward.toAtomicsString(),
    withdrawAddrEnabled: p.withdrawAddrEnabled,
  };
}

const decOf = (s: string) => (s === "" ? Dec.ZERO : Dec.fromAtomicsString(s));

export function paramsFromProto(p: ParamsProto): DistributionParams {
  return {
    communityTax: decOf(p.communityTax),
    baseProposerReward: decOf(p.baseProposerReward),
    bonusProposerReward: decOf(p.bonusProposerReward),
    withdrawAddrEnabled: p.withdrawAddrEnabled,
  };
}

export interface StartingInfo {
  previousPeriod: bigint;
  stake: Dec;
  height: bigint;
}

export interface CurrentRewards {
  rewards: DecCoin[];
  period: bigint;
}

export interface HistoricalRewards {
  cumulativeRewardRatio: DecCoin[];
  referenceCount: number;
}

export interface SlashEvent {
  height: bigint;
  validatorPeriod: bigint;
  fraction: Dec;
}

/** A vote of decided_last_commit: CometBFT validator address (20 bytes) and power. */
export interface VoteWeight {
  address: Uint8Array;
  power: bigint;
}

const SMALLEST_DEC = Dec.fromAtomics(1n);

export class DistributionKeeper {
  readonly moduleAddress = moduleAddress(DISTRIBUTION_MODULE);

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
  ) {}

  /** Creates the module account (genesis; idempotent). */
  ensureModuleAccount(s: KVStore): void {
    this.auth.ensureModuleAccount(s, DISTRIBUTION_MODULE);
  }

  // ---- params and fee pool ----

  getParams(s: KVReader): DistributionParams {
    const v = s.get(K.PARAMS_KEY);
    return v ? paramsFromProto(ParamsProto.decode(v)) : defaultDistributionParams();
  }

  setParams(s: KVStore, p: DistributionParams): void {
    validateDistributionParams(p);
    s.set(K.PARAMS_KEY, ParamsProto.encode(paramsToProto(p)).finish());
  }

  getCommunityPool(s: KVReader): DecCoin[] {
    const v = s.get(K.FEE_POOL_KEY);
    return v ? DC.fromProto(FeePool.decode(v).communityPool) : [];
  }

  setCommunityPool(s: KVStore, pool: DecCoins): void {
    s.set(K.FEE_POOL_KEY, FeePool.encode({ communityPool: DC.toProto(pool) }).finish());
  }

  private addToCommunityPool(s: KVStore, coins: DecCoins): void {
    if (coins.length === 0) return;
    this.setCommunityPool(s, DC.add(this.getCommunityPool(s), coins));
  }

  // ---- per-validator records ----

  getOutstandingRewards(s: KVReader, val: Uint8Array): DecCoin[] {
    const v = s.get(K.outstandingKey(val));
    return v ? DC.fromProto(ValidatorOutstandingRewards.decode(v).rewards) : [];
  }

  hasOutstandingRewards(s: KVReader, val: Uint8Array): boolean {
    return s.get(K.outstandingKey(val)) !== undefined;
  }

  setOutstandingRewards(s: KVStore, val: Uint8Array, rewards: DecCoins): void {
    s.set(K.outstandingKey(val), ValidatorOutstandingRewards.encode({ rewards: DC.toProto(rewards) }).finish());
  }

  getAccumulatedCommission(s: KVReader, val: Uint8Array): DecCoin[] {
    const v = s.get(K.commissionKey(val));
    return v ? DC.fromProto(ValidatorAccumulatedCommission.decode(v).commission) : [];
  }

  setAccumulatedCommission(s: KVStore, val: Uint8Array, c: DecCoins): void {
    s.set(K.commissionKey(val), ValidatorAccumulatedCommission.encode({ commission: DC.toProto(c) }).finish());
  }

  getCurrentRewards(s: KVReader, val: Uint8Array): CurrentRewards | undefined {
    const v = s.get(K.currentKey(val));
    if (!v) return undefined;
    const p = ValidatorCurrentRewards.decode(v);
    return { rewards: DC.fromProto(p.rewards), period: p.period };
  }

  private mustGetCurrentRewards(s: KVReader, val: Uint8Array): CurrentRewards {
    const c = this.getCurrentRewards(s, val);
    if (!c) throw E.ErrNoValidatorDistInfo.wrap(formatValAddress(val));
    return c;
  }

  setCurrentRewards(s: KVStore, val: Uint8Array, c: CurrentRewards): void {
    s.set(K.currentKey(val), ValidatorCurrentRewards.encode({ rewards: DC.toProto(c.rewards), period: c.period }).finish());
  }

  getHistoricalRewards(s: KVReader, val: Uint8Array, period: bigint): HistoricalRewards | undefined {
    const v = s.get(K.historicalKey(val, period));
    if (!v) return undefined;
    const p = ValidatorHistoricalRewards.decode(v);
    return { cumulativeRewardRatio: DC.fromProto(p.cumulativeRewardRatio), referenceCount: p.referenceCount };
  }

  private mustGetHistoricalRewards(s: KVReader, val: Uint8Array, period: bigint): HistoricalRewards {
    const h = this.getHistoricalRewards(s, val, period);
    if (!h) throw new Error(`missing historical rewards of ${formatValAddress(val)} for period ${period}`);
    return h;
  }

  setHistoricalRewards(s: KVStore, val: Uint8Array, period: bigint, h: HistoricalRewards): void {
    s.set(K.historicalKey(val, period), ValidatorHistoricalRewards.encode({ cumulativeRewardRatio: DC.toProto(h.cumulativeRewardRatio), referenceCount: h.referenceCount }).finish());
  }

  /** Every stored historical period of a validator (tests, invariants). */
  *iterateHistoricalRewards(s: KVReader, val: Uint8Array): Iterable<{ period: bigint; rewards: HistoricalRewards }> {
    const p = K.historicalPrefix(val);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      const r = ValidatorHistoricalRewards.decode(v);
      yield { period: Buffer.from(k).readBigUInt64BE(k.length - 8), rewards: { cumulativeRewardRatio: DC.fromProto(r.cumulativeRewardRatio), referenceCount: r.referenceCount } };
    }
  }

  getStartingInfo(s: KVReader, val: Uint8Array, del: Uint8Array): StartingInfo | undefined {
    const v = s.get(K.startingInfoKey(val, del));
    if (!v) return undefined;
    const p = DelegatorStartingInfo.decode(v);
    return { previousPeriod: p.previousPeriod, stake: decOf(p.stake), height: p.height };
  }

  setStartingInfo(s: KVStore, val: Uint8Array, del: Uint8Array, i: StartingInfo): void {
    s.set(K.startingInfoKey(val, del), DelegatorStartingInfo.encode({ previousPeriod: i.previousPeriod, stake: i.stake.toAtomicsString(), height: i.height }).finish());
  }

  /** Rewards go to the delegator itself unless it set another address. */
  getWithdrawAddr(s: KVReader, del: Uint8Array): Uint8Array {
    const v = s.get(K.withdrawAddrKey(del));
    return v ? Uint8Array.from(v) : del;
  }

  setWithdrawAddrRecord(s: KVStore, del: Uint8Array, withdraw: Uint8Array): void {
    s.set(K.withdrawAddrKey(del), Buffer.from(withdraw));
  }

  *iterateSlashEvents(s: KVReader, val: Uint8Array, fromHeight = 0n, toHeight?: bigint): Iterable<{ key: Uint8Array; value: SlashEvent }> {
    const start = K.slashEventsFrom(val, fromHeight);
    const end = toHeight === undefined ? prefixEnd(K.slashEventsPrefix(val)) : K.slashEventsFrom(val, toHeight + 1n);
    for (const [k, v] of s.iterate(start, end)) {
      const b = Buffer.from(k);
      const e = ValidatorSlashEvent.decode(v);
      yield { key: k, value: { height: b.readBigUInt64BE(b.length - 16), validatorPeriod: e.validatorPeriod, fraction: decOf(e.fraction) } };
    }
  }

  private deleteByPrefix(s: KVStore, p: Uint8Array): void {
    const keys = [...s.iterate(p, prefixEnd(p))].map(([k]) => Uint8Array.from(k));
    for (const k of keys) s.delete(k);
  }

  // ---- validator periods (validator.go) ----

  /** initializeValidator: period 0 historical (1 reference), current period 1, empty commission/outstanding. */
  initializeValidator(s: KVStore, val: Uint8Array): void {
    this.setHistoricalRewards(s, val, 0n, { cumulativeRewardRatio: [], referenceCount: 1 });
    this.setCurrentRewards(s, val, { rewards: [], period: 1n });
    this.setAccumulatedCommission(s, val, []);
    this.setOutstandingRewards(s, val, []);
  }

  /** IncrementValidatorPeriod: ends the current period and returns it. */
  incrementValidatorPeriod(s: KVStore, v: Validator): bigint {
    const val = v.operator;
    const rewards = this.mustGetCurrentRewards(s, val);
    let current: DecCoin[];
    if (v.tokens === 0n) {
      // can't calculate a ratio for zero-token validators: their rewards go to the community pool
      this.addToCommunityPool(s, rewards.rewards);
      this.setOutstandingRewards(s, val, DC.sub(this.getOutstandingRewards(s, val), rewards.rewards));
      current = [];
    } else {
      current = DC.quoDecTruncate(rewards.rewards, Dec.fromInt(v.tokens));
    }
    const historical = this.mustGetHistoricalRewards(s, val, rewards.period - 1n);
    this.decrementReferenceCount(s, val, rewards.period - 1n);
    this.setHistoricalRewards(s, val, rewards.period, { cumulativeRewardRatio: DC.add(historical.cumulativeRewardRatio, current), referenceCount: 1 });
    this.setCurrentRewards(s, val, { rewards: [], period: rewards.period + 1n });
    return rewards.period;
  }

  private incrementReferenceCount(s: KVStore, val: Uint8Array, period: bigint): void {
    const h = this.mustGetHistoricalRewards(s, val, period);
    if (h.referenceCount > 2) throw new Error("reference count should never exceed 2");
    this.setHistoricalRewards(s, val, period, { ...h, referenceCount: h.referenceCount + 1 });
  }

  private decrementReferenceCount(s: KVStore, val: Uint8Array, period: bigint): void {
    const h = this.mustGetHistoricalRewards(s, val, period);
    if (h.referenceCount === 0) throw new Error("cannot set negative reference count");
    if (h.referenceCount === 1) s.delete(K.historicalKey(val, period));
    else this.setHistoricalRewards(s, val, period, { ...h, referenceCount: h.referenceCount - 1 });
  }

  /** updateValidatorSlashFraction (the beforeValidatorSlashed hook). */
  private updateValidatorSlashFraction(ctx: Context, val: Uint8Array, fraction: Dec): void {
    if (fraction.gt(Dec.ONE) || fraction.isNegative()) throw new Error(`fraction must be >=0 and <=1, current fraction: ${fraction}`);
    const v = this.staking.mustGetValidator(ctx.store, val);
    const newPeriod = this.incrementValidatorPeriod(ctx.store, v);
    this.incrementReferenceCount(ctx.store, val, newPeriod);
    ctx.store.set(K.slashEventKey(val, ctx.height, newPeriod), ValidatorSlashEvent.encode({ validatorPeriod: newPeriod, fraction: fraction.toAtomicsString() }).finish());
  }

  // ---- delegations (delegation.go) ----

  /** initializeDelegation: the delegation starts after the period just ended, with its stake in tokens. */
  initializeDelegation(ctx: Context, val: Uint8Array, del: Uint8Array): void {
    const previousPeriod = this.mustGetCurrentRewards(ctx.store, val).period - 1n;
    this.incrementReferenceCount(ctx.store, val, previousPeriod);
    const v = this.staking.mustGetValidator(ctx.store, val);
    const d = this.staking.getDelegation(ctx.store, del, val);
    if (!d) throw E.ErrNoDelegationExists.err();
    const stake = tokensFromSharesTruncated(v, d.shares);
    this.setStartingInfo(ctx.store, val, del, { previousPeriod, stake, height: ctx.height });
  }

  private rewardsBetween(ratio: (period: bigint) => DecCoin[], starting: bigint, ending: bigint, stake: Dec): DecCoin[] {
    if (starting > ending) throw new Error("startingPeriod cannot be greater than endingPeriod");
    if (stake.isNegative()) throw new Error("stake should not be negative");
    const difference = DC.sub(ratio(ending), ratio(starting)); // throws on negative
    return DC.mulDecTruncate(difference, stake);
  }

  /**
   * CalculateDelegationRewards up to `endingPeriod` at block `height`. `ratio(period)` gives the
   * cumulative reward ratio of a period (stored, or computed for a period not yet ended: queries).
   */
  calculateDelegationRewards(s: KVReader, v: Validator, d: Delegation, endingPeriod: bigint, height: bigint, ratio?: (period: bigint) => DecCoin[]): DecCoin[] {
    const info = this.getStartingInfo(s, v.operator, d.delegator);
    if (!info) throw E.ErrEmptyDelegationDistInfo.err();
    if (info.height === height) return []; // started this height, no rewards yet
    const r = ratio ?? ((p: bigint) => this.mustGetHistoricalRewards(s, v.operator, p).cumulativeRewardRatio);
    let rewards: DecCoin[] = [];
    let startingPeriod = info.previousPeriod;
    let stake = info.stake;
    if (height > info.height) {
      for (const { value: ev } of this.iterateSlashEvents(s, v.operator, info.height, height)) {
        if (ev.validatorPeriod > startingPeriod) {
          rewards = DC.add(rewards, this.rewardsBetween(r, startingPeriod, ev.validatorPeriod, stake));
          stake = DC.mulTruncate(stake, Dec.ONE.sub(ev.fraction));
          startingPeriod = ev.validatorPeriod;
        }
      }
    }
    const currentStake = tokensFromShares(v, d.shares);
    if (stake.gt(currentStake)) {
      // rounding of the per-period slashes may leave stake a few atomics above the directly computed one
      if (!stake.gt(currentStake.add(SMALLEST_DEC.mulInt(3n)))) stake = currentStake;
      else throw new Error(`calculated final stake for delegator ${formatAddress(d.delegator)} greater than current stake\n\tfinal stake:\t${stake}\n\tcurrent stake:\t${currentStake}`);
    }
    return DC.add(rewards, this.rewardsBetween(r, startingPeriod, endingPeriod, stake));
  }

  /**
   * What a withdrawal in the next state change would pay, without writing: the ratio of the current
   * period is computed as IncrementValidatorPeriod would store it (queries).
   */
  pendingDelegationRewards(s: KVReader, v: Validator, d: Delegation, height: bigint): DecCoin[] {
    const current = this.mustGetCurrentRewards(s, v.operator);
    const prev = this.mustGetHistoricalRewards(s, v.operator, current.period - 1n).cumulativeRewardRatio;
    const endRatio = v.tokens === 0n ? prev : DC.add(prev, DC.quoDecTruncate(current.rewards, Dec.fromInt(v.tokens)));
    const ratio = (p: bigint) => (p === current.period ? endRatio : this.mustGetHistoricalRewards(s, v.operator, p).cumulativeRewardRatio);
    return this.calculateDelegationRewards(s, v, d, current.period, height, ratio);
  }

  /** withdrawDelegationRewards: pays the truncated rewards, dust to the community pool, drops the starting info. */
  private withdrawDelegationRewardsInner(ctx: Context, v: Validator, d: Delegation): Coin[] {
    const val = v.operator;
    const del = d.delegator;
    const info = this.getStartingInfo(ctx.store, val, del);
    if (!info) throw E.ErrEmptyDelegationDistInfo.err();
    const endingPeriod = this.incrementValidatorPeriod(ctx.store, v);
    const rewardsRaw = this.calculateDelegationRewards(ctx.store, v, d, endingPeriod, ctx.height);
    const outstanding = this.getOutstandingRewards(ctx.store, val);
    // defensive: the last digits may exceed what is outstanding because of the order of operations
    const rewards = DC.intersect(rewardsRaw, outstanding);
    const { coins, change } = DC.truncateDecimal(rewards);
    if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress, this.getWithdrawAddr(ctx.store, del), coins);
    this.setOutstandingRewards(ctx.store, val, DC.sub(outstanding, rewards));
    this.addToCommunityPool(ctx.store, change);
    this.decrementReferenceCount(ctx.store, val, info.previousPeriod);
    ctx.store.delete(K.startingInfoKey(val, del));
    const shown = coins.length > 0 ? coins : [{ denom: this.staking.getParams(ctx.store).bondDenom, amount: 0n }];
    ctx.events.emit("withdraw_rewards", () => [
      ["amount", formatCoins(shown)],
      ["validator", v.operatorAddress],
      ["delegator", formatAddress(del)],
    ]);
    return coins;
  }

  /** WithdrawDelegationRewards (MsgWithdrawDelegatorReward): withdraws and starts a new period for the delegation. */
  withdrawDelegationRewards(ctx: Context, del: Uint8Array, val: Uint8Array): Coin[] {
    const v = this.staking.getValidator(ctx.store, val);
    if (!v) throw E.ErrNoValidatorDistInfo.err();
    const d = this.staking.getDelegation(ctx.store, del, val);
    if (!d) throw E.ErrEmptyDelegationDistInfo.err();
    const coins = this.withdrawDelegationRewardsInner(ctx, v, d);
    this.initializeDelegation(ctx, val, del);
    return coins;
  }

  /** WithdrawValidatorCommission: the integer part; the fraction stays for later. */
  withdrawValidatorCommission(ctx: Context, val: Uint8Array): Coin[] {
    const accumulated = this.getAccumulatedCommission(ctx.store, val);
    if (DC.isZero(accumulated)) throw E.ErrNoValidatorCommission.err();
    const { coins, change } = DC.truncateDecimal(accumulated);
    this.setAccumulatedCommission(ctx.store, val, change);
    this.setOutstandingRewards(ctx.store, val, DC.sub(this.getOutstandingRewards(ctx.store, val), DC.fromCoins(coins)));
    if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress, this.getWithdrawAddr(ctx.store, val), coins);
    ctx.events.emit("withdraw_commission", () => [["amount", formatCoins(coins)]]);
    return coins;
  }

  /** SetWithdrawAddr: module accounts may not receive rewards; the param may forbid changes. */
  setWithdrawAddr(ctx: Context, del: Uint8Array, withdraw: Uint8Array): void {
    if (this.auth.isModuleAddress(withdraw)) throw ErrUnauthorized.wrap(`${formatAddress(withdraw)} is not allowed to receive external funds`);
    if (!this.getParams(ctx.store).withdrawAddrEnabled) throw E.ErrSetWithdrawAddrDisabled.err();
    ctx.events.emit("set_withdraw_address", () => [["withdraw_address", formatAddress(withdraw)]]);
    this.setWithdrawAddrRecord(ctx.store, del, withdraw);
  }

  /** FundCommunityPool: from an account into the module account and the pool. */
  fundCommunityPool(ctx: Context, amount: Coin[], sender: Uint8Array): void {
    this.bank.sendCoins(ctx, sender, this.moduleAddress, amount);
    this.addToCommunityPool(ctx.store, DC.fromCoins(amount));
  }

  /** MsgDepositValidatorRewardsPool: coins from an account allocated to one validator (commission applies). */
  depositValidatorRewardsPool(ctx: Context, depositor: Uint8Array, val: Uint8Array, amount: Coin[]): void {
    this.bank.sendCoins(ctx, depositor, this.moduleAddress, amount);
    const v = this.staking.getValidator(ctx.store, val);
    if (!v) throw E.ErrNoValidatorExists.wrap(formatValAddress(val));
    this.allocateTokensToValidator(ctx, v, DC.fromCoins(amount));
  }

  // ---- allocation (allocation.go, abci.go) ----

  /**
   * BeginBlock: everything in the fee collector (last block's fees and this block's PoS share of
   * issuance) goes to the validators of decided_last_commit by power, after the community tax.
   * Like the SDK v0.50, every vote counts (its BlockIdFlag is not checked) and nothing happens at
   * the first height. A vote whose address is no staking validator (CometBFT genesis validators of a
   * chain without staking genesis) gets nothing: its share stays in the community pool.
   */
  beginBlock(ctx: Context, votes: readonly VoteWeight[], feeCollector: Uint8Array): void {
    if (ctx.height <= 1n) return;
    let total = 0n;
    for (const v of votes) total += v.power;
    this.allocateTokens(ctx, total, votes, feeCollector);
  }

  allocateTokens(ctx: Context, totalPreviousPower: bigint, votes: readonly VoteWeight[], feeCollector: Uint8Array): void {
    const feesInt = this.bank.getAllBalances(ctx.store, feeCollector);
    const fees = DC.fromCoins(feesInt);
    if (feesInt.length > 0) this.bank.sendCoins(ctx, feeCollector, this.moduleAddress, feesInt);
    if (totalPreviousPower === 0n) {
      this.addToCommunityPool(ctx.store, fees);
      return;
    }
    let remaining = fees;
    const communityTax = this.getParams(ctx.store).communityTax;
    const feeMultiplier = DC.mulDecTruncate(fees, Dec.ONE.sub(communityTax));
    for (const vote of votes) {
      const v = this.staking.getValidatorByConsAddr(ctx.store, vote.address);
      if (!v) continue;
      const powerFraction = DC.quoTruncate(Dec.fromInt(vote.power), Dec.fromInt(totalPreviousPower));
      const reward = DC.mulDecTruncate(feeMultiplier, powerFraction);
      this.allocateTokensToValidator(ctx, v, reward);
      remaining = DC.sub(remaining, reward);
    }
    this.addToCommunityPool(ctx.store, remaining);
  }

  /** AllocateTokensToValidator: commission to the validator, the rest to its delegators' current period. */
  allocateTokensToValidator(ctx: Context, v: Validator, tokens: DecCoins): void {
    const val = v.operator;
    const commission = DC.mulDec(tokens, v.commission.rate);
    const shared = DC.sub(tokens, commission);
    ctx.events.emit("commission", () => [
      ["amount", DC.toString(commission)],
      ["validator", v.operatorAddress],
    ]);
    this.setAccumulatedCommission(ctx.store, val, DC.add(this.getAccumulatedCommission(ctx.store, val), commission));
    const current = this.mustGetCurrentRewards(ctx.store, val);
    this.setCurrentRewards(ctx.store, val, { rewards: DC.add(current.rewards, shared), period: current.period });
    ctx.events.emit("rewards", () => [
      ["amount", DC.toString(tokens)],
      ["validator", v.operatorAddress],
    ]);
    this.setOutstandingRewards(ctx.store, val, DC.add(this.getOutstandingRewards(ctx.store, val), tokens));
  }

  // ---- staking hooks (hooks.go) ----

  hooks(): StakingHooks {
    return {
      afterValidatorCreated: (ctx, val) => this.initializeValidator(ctx.store, val),
      afterValidatorRemoved: (ctx, _cons, val) => this.afterValidatorRemoved(ctx, val),
      beforeDelegationCreated: (ctx, _del, val) => {
        this.incrementValidatorPeriod(ctx.store, this.staking.mustGetValidator(ctx.store, val));
      },
      beforeDelegationSharesModified: (ctx, del, val) => {
        const v = this.staking.mustGetValidator(ctx.store, val);
        const d = this.staking.getDelegation(ctx.store, del, val);
        if (!d) throw E.ErrNoDelegationExists.err();
        this.withdrawDelegationRewardsInner(ctx, v, d);
      },
      afterDelegationModified: (ctx, del, val) => this.initializeDelegation(ctx, val, del),
      beforeValidatorSlashed: (ctx, val, fraction) => this.updateValidatorSlashFraction(ctx, val, fraction),
    };
  }

  /** AfterValidatorRemoved: commission force-withdrawn, leftovers (dust) to the community pool, records cleared. */
  private afterValidatorRemoved(ctx: Context, val: Uint8Array): void {
    let outstanding = this.getOutstandingRewards(ctx.store, val);
    const commission = this.getAccumulatedCommission(ctx.store, val);
    if (!DC.isZero(commission)) {
      outstanding = DC.sub(outstanding, commission);
      const { coins, change } = DC.truncateDecimal(commission);
      this.addToCommunityPool(ctx.store, change);
      if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress, this.getWithdrawAddr(ctx.store, val), coins);
    }
    this.addToCommunityPool(ctx.store, outstanding);
    ctx.store.delete(K.outstandingKey(val));
    ctx.store.delete(K.commissionKey(val));
    this.deleteByPrefix(ctx.store, K.slashEventsPrefix(val));
    this.deleteByPrefix(ctx.store, K.historicalPrefix(val));
    ctx.store.delete(K.currentKey(val));
  }

  /** A consensus address's validator (for the vote list of decided_last_commit). */
  static consAddressOf(v: Validator): Uint8Array {
    return consAddress(v.consPubkey);
  }
}
