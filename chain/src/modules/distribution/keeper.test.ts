import { describe, expect, it } from "vitest";
import { fromBech32 } from "@cosmjs/encoding";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { EventManager, type Context } from "../../app/context.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader, KVStore } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { formatAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { prng, seedFromEnv } from "../../../test/utils/random.js";
import { AuthKeeper, FEE_COLLECTOR, moduleAddress } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import { consAddress, StakingKeeper, type Validator } from "../staking/keeper.js";
import { defaultStakingParams } from "../staking/params.js";
import { tokensToConsensusPower } from "../staking/shares.js";
import { stakingInvariants } from "../staking/testing.js";
import * as DC from "./decCoins.js";
import * as E from "./errors.js";
import { DistributionKeeper, defaultDistributionParams } from "./keeper.js";
import { distributionInvariants } from "./testing.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const addr = (seed: string) => fromBech32(keyFromSeed(seed).address, 90).data;
const SEC = 1_000_000_000n;
const M = 1_000_000n;
const feeCollector = moduleAddress(FEE_COLLECTOR);
const d = (s: string) => Dec.parse(s);
const usoa = (a: DC.DecCoins) => DC.amountOf(a, "usoa");

class Env {
  store = new BranchStore(empty);
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  readonly dist = new DistributionKeeper(this.auth, this.bank, this.staking);
  height = 1n;
  time = 1_767_225_600n * SEC;
  events = new EventManager();
  /** Σ coins put into the fee collector (everything that will be allocated). */
  injected = 0n;

  constructor(params: Partial<ReturnType<typeof defaultStakingParams>> = {}) {
    this.staking.addHooks(this.dist.hooks());
    this.staking.setParams(this.store, { ...defaultStakingParams(), ...params });
    this.staking.ensurePools(this.store);
    this.auth.ensureModuleAccount(this.store, FEE_COLLECTOR);
    this.dist.ensureModuleAccount(this.store);
    this.dist.setParams(this.store, defaultDistributionParams());
  }

  ctxOn(store: KVStore, events = this.events): Context {
    return { store, rawStore: store, gasMeter: new GasMeter(undefined), events, chainId: "t", height: this.height, timeSeconds: this.time / SEC, timeNanos: this.time, mode: "deliver" };
  }

  get ctx(): Context {
    return this.ctxOn(this.store);
  }

  fund(who: Uint8Array, amount: bigint): void {
    this.bank.mintCoins(this.ctx, who, [{ denom: "usoa", amount }]);
  }

  balance(who: Uint8Array): bigint {
    return this.bank.getBalance(this.store, who, "usoa");
  }

  createValidator(seed: string, selfBond: bigint, rate = "0.1"): Validator {
    const op = addr(seed);
    this.fund(op, selfBond);
    return this.staking.createValidator(this.ctx, {
      operator: op,
      consPubkey: Uint8Array.from(Buffer.alloc(32, seed)),
      description: { moniker: seed, identity: "", website: "", securityContact: "", details: "" },
      rate: d(rate),
      maxRate: d("0.5"),
      maxChangeRate: d("0.01"),
      minSelfDelegation: 1n,
      value: { denom: "usoa", amount: selfBond },
    });
  }

  delegate(del: Uint8Array, val: Uint8Array, amount: bigint): void {
    this.fund(del, amount);
    this.staking.delegate(this.ctx, del, amount, BondStatus.BOND_STATUS_UNBONDED, this.staking.mustGetValidator(this.store, val), true);
  }

  /** The last validator set as decided_last_commit votes. */
  votes(): { address: Uint8Array; power: bigint }[] {
    return [...this.staking.iterateLastValidatorPowers(this.store)].map(({ operator, power }) => ({
      address: consAddress(this.staking.mustGetValidator(this.store, operator).consPubkey),
      power,
    }));
  }

  /** BeginBlock of the next block with `fees` in the fee collector, allocated over the last set. */
  beginBlock(fees: bigint): void {
    if (fees > 0n) this.fund(feeCollector, fees);
    this.injected += fees;
    this.dist.beginBlock(this.ctx, this.votes(), feeCollector);
  }

  endBlock(dt = 5n * SEC): void {
    this.staking.endBlock(this.ctx);
    this.height += 1n;
    this.time += dt;
  }

  pending(del: Uint8Array, val: Uint8Array): DC.DecCoin[] {
    const v = this.staking.mustGetValidator(this.store, val);
    return this.dist.pendingDelegationRewards(this.store, v, this.staking.getDelegation(this.store, del, val)!, this.height);
  }

  check(): void {
    expect(stakingInvariants(this.store, this.staking, this.bank)).toEqual([]);
    expect(distributionInvariants(this.store, this.dist, this.staking, this.bank)).toEqual([]);
    let total = 0n;
    for (const a of this.auth.iterateAccounts(this.store)) total += this.bank.getBalance(this.store, fromBech32(a.base.address, 90).data, "usoa");
    expect(total, "supply = Σ balances").toBe(this.bank.getSupply(this.store, "usoa"));
  }
}

describe("DecCoins", () => {
  it("adds, subtracts, truncates and rounds like sdk.DecCoins", () => {
    const a = [{ denom: "usoa", amount: d("10.5") }, { denom: "uxyz", amount: d("1") }];
    expect(DC.toString(DC.add(a, [{ denom: "aaa", amount: d("2") }]))).toBe("2.000000000000000000aaa,10.500000000000000000usoa,1.000000000000000000uxyz");
    expect(DC.sub(a, [{ denom: "uxyz", amount: d("1") }])).toEqual([{ denom: "usoa", amount: d("10.5") }]);
    expect(() => DC.sub(a, [{ denom: "uxyz", amount: d("2") }])).toThrow(/negative/);
    expect(DC.truncateDecimal(a)).toEqual({ coins: [{ denom: "usoa", amount: 10n }, { denom: "uxyz", amount: 1n }], change: [{ denom: "usoa", amount: d("0.5") }] });
    // MulDec rounds half to even, MulDecTruncate truncates
    const tiny = [{ denom: "usoa", amount: Dec.fromAtomics(5n) }];
    expect(DC.mulDec(tiny, d("0.5"))).toEqual([{ denom: "usoa", amount: Dec.fromAtomics(2n) }]);
    expect(DC.mulDecTruncate([{ denom: "usoa", amount: Dec.fromAtomics(7n) }], d("0.5"))).toEqual([{ denom: "usoa", amount: Dec.fromAtomics(3n) }]);
    expect(DC.quoDecTruncate([{ denom: "usoa", amount: d("1") }], d("3"))).toEqual([{ denom: "usoa", amount: d("0.333333333333333333") }]);
    expect(DC.intersect(a, [{ denom: "usoa", amount: d("3") }])).toEqual([{ denom: "usoa", amount: d("3") }]);
    expect(DC.toString([])).toBe("");
  });
});

describe("distribution keeper", () => {
  it("allocates by power after community tax and commission; withdrawals pay exactly the pending rewards", () => {
    const env = new Env();
    const v1 = env.createValidator("v1", 3n * M, "0.1");
    const v2 = env.createValidator("v2", 1n * M, "0");
    const del = addr("delegator");
    env.endBlock(); // set: v1 3, v2 1
    env.delegate(del, v1.operator, 1n * M); // v1 4 (after the next EndBlock)
    env.endBlock();
    // height 3: 10,000 usoa of fees over v1 (power 4) and v2 (power 1)
    env.beginBlock(10_000n);
    // 2 % community tax → 9,800; v1 gets 4/5 = 7,840 (commission 784), v2 1,960
    expect(usoa(env.dist.getOutstandingRewards(env.store, v1.operator))).toEqual(d("7840"));
    expect(usoa(env.dist.getAccumulatedCommission(env.store, v1.operator))).toEqual(d("784"));
    expect(usoa(env.dist.getOutstandingRewards(env.store, v2.operator))).toEqual(d("1960"));
    expect(usoa(env.dist.getCommunityPool(env.store))).toEqual(d("200"));
    const ev = env.events.events.filter((e) => e.type === "rewards" || e.type === "commission").map((e) => [e.type, ...e.attributes.map((a) => `${a.key}=${a.value}`)]);
    expect(ev).toContainEqual(["commission", "amount=784.000000000000000000usoa", `validator=${v1.operatorAddress}`]);
    expect(ev).toContainEqual(["rewards", "amount=7840.000000000000000000usoa", `validator=${v1.operatorAddress}`]);
    env.endBlock();
    env.check();
    // the delegator holds 1/4 of v1's stake: 7,056 × 1/4 = 1,764
    expect(usoa(env.pending(del, v1.operator))).toEqual(d("1764"));
    const before = env.balance(del);
    const paid = env.dist.withdrawDelegationRewards(env.ctx, del, v1.operator);
    expect(paid).toEqual([{ denom: "usoa", amount: 1764n }]);
    expect(env.balance(del) - before).toBe(1764n);
    // withdrawing again in the same block pays nothing (and emits 0usoa like the SDK)
    expect(env.dist.withdrawDelegationRewards(env.ctx, del, v1.operator)).toEqual([]);
    expect(env.events.events.filter((e) => e.type === "withdraw_rewards").at(-1)!.attributes[0]).toEqual({ key: "amount", value: "0usoa", index: true });
    // commission
    expect(env.dist.withdrawValidatorCommission(env.ctx, v1.operator)).toEqual([{ denom: "usoa", amount: 784n }]);
    expect(() => env.dist.withdrawValidatorCommission(env.ctx, v1.operator)).toThrow(E.ErrNoValidatorCommission.description);
    env.check();
  });

  it("withdraws automatically when a delegation changes; a redirected withdraw address receives it", () => {
    const env = new Env();
    const v = env.createValidator("v", 1n * M, "0");
    const del = addr("delegator");
    const other = addr("other");
    env.delegate(del, v.operator, 1n * M);
    env.endBlock();
    env.dist.setWithdrawAddr(env.ctx, del, other);
    expect(() => env.dist.setWithdrawAddr(env.ctx, del, feeCollector)).toThrow(/not allowed to receive external funds/);
    env.beginBlock(1_000n); // 980 to v, half to del
    env.endBlock();
    env.delegate(del, v.operator, 1n * M); // beforeDelegationSharesModified → withdraw 490 to `other`
    expect(env.balance(other)).toBe(490n);
    env.endBlock();
    env.staking.undelegate(env.ctx, del, v.operator, env.staking.getDelegation(env.store, del, v.operator)!.shares);
    expect(env.dist.getStartingInfo(env.store, v.operator, del)).toBeUndefined(); // fully undelegated: no record left
    env.check();
  });

  it("splits rewards at slash events: before at full stake, after at the reduced stake", () => {
    const env = new Env();
    const v = env.createValidator("v", 2n * M, "0");
    const del = addr("delegator");
    env.delegate(del, v.operator, 2n * M);
    env.endBlock();
    env.beginBlock(1_000_000n); // 980,000 for 4 SOA: del 490,000
    env.endBlock();
    // slash 10 % at this height
    env.staking.slash(env.ctx, consAddress(v.consPubkey), env.height, 4n, d("0.1"));
    expect(env.dist.iterateSlashEvents(env.store, v.operator)[Symbol.iterator]().next().value!.value.fraction).toEqual(d("0.1"));
    env.endBlock();
    env.beginBlock(1_000_000n); // 980,000 again over 3.6 SOA: del still half
    env.endBlock();
    // 490,000 at 2 SOA, then 1.8 SOA × truncated(980,000 / 3.6 SOA) = 489,999.9999999999996
    expect(usoa(env.pending(del, v.operator))).toEqual(d("979999.9999999999996"));
    const paid = env.dist.withdrawDelegationRewards(env.ctx, del, v.operator);
    expect(paid).toEqual([{ denom: "usoa", amount: 979_999n }]);
    env.check();
  });

  it("keeps withdrawal cost independent of the number of blocks: historical entries are reference-counted", () => {
    const env = new Env();
    const v = env.createValidator("v", 1n * M);
    const dels = ["a", "b", "c"].map(addr);
    for (const x of dels) env.delegate(x, v.operator, 1n * M);
    env.endBlock();
    for (let i = 0; i < 300; i++) {
      env.beginBlock(1_000n);
      if (i % 7 === 0) env.dist.withdrawDelegationRewards(env.ctx, dels[i % 3]!, v.operator);
      env.endBlock();
    }
    // one entry per delegation start + the last ended period, however many blocks passed
    expect([...env.dist.iterateHistoricalRewards(env.store, v.operator)].length).toBeLessThanOrEqual(dels.length + 2);
    env.check();
  });

  it("gives the rewards of a removed validator's leftovers to the community pool and clears its records", () => {
    const env = new Env({ unbondingTimeNanos: 10n * SEC });
    const v = env.createValidator("v", 1n * M, "0.1");
    env.createValidator("w", 1n * M, "0.1");
    env.endBlock();
    env.beginBlock(1_000n);
    env.endBlock();
    env.staking.undelegate(env.ctx, v.operator, v.operator, env.staking.getDelegation(env.store, v.operator, v.operator)!.shares);
    env.endBlock(); // v leaves the set, unbonding
    for (let i = 0; i < 4; i++) {
      env.beginBlock(0n);
      env.endBlock(5n * SEC);
    }
    expect(env.staking.getValidator(env.store, v.operator)).toBeUndefined();
    expect(env.dist.getCurrentRewards(env.store, v.operator)).toBeUndefined();
    expect([...env.dist.iterateHistoricalRewards(env.store, v.operator)]).toEqual([]);
    env.check();
  });

  it("property: withdrawn + claimable + community pool = allocated, up to dust bounded per operation (random delegations, undelegations, redelegations, slashes, fees)", () => {
    const seed = seedFromEnv();
    const rnd = prng(seed);
    const env = new Env({ unbondingTimeNanos: 20n * SEC, maxValidators: 4 });
    const vals = ["v0", "v1", "v2", "v3", "v4"].map((s, i) => env.createValidator(s, BigInt(1 + i) * M, ["0", "0.05", "0.1", "0.2", "0.33"][i]!).operator);
    const dels = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"].map(addr);
    const distAddr = env.dist.moduleAddress;
    /** Σ paid out of the distribution module (rewards, commission, force-withdrawn commission): transfer events. */
    const withdrawnSoFar = () =>
      env.events.events
        .filter((e) => e.type === "transfer" && e.attributes.some((a) => a.key === "sender" && a.value === formatAddress(distAddr)))
        .reduce((sum, e) => sum + BigInt(e.attributes.find((a) => a.key === "amount")!.value.replace(/usoa$/, "")), 0n);
    let ops = 0;
    let periods = 0;
    env.endBlock();
    /** Runs an operation on a branch: kept if it succeeds, dropped on a ChainError (like a failed tx). */
    const tx = (f: (ctx: Context) => void) => {
      const branch = new BranchStore(env.store);
      const events = new EventManager();
      try {
        f(env.ctxOn(branch, events));
      } catch (e) {
        if (e instanceof ChainError) return;
        throw e;
      }
      branch.writeTo(env.store);
      env.events.absorb(events);
      ops++;
    };
    const blocks = 120;
    for (let b = 0; b < blocks; b++) {
      env.beginBlock(BigInt(rnd.int(2_000_000)));
      periods += vals.length;
      const n = rnd.int(5);
      for (let i = 0; i < n; i++) {
        const del = rnd.pick(dels);
        const val = rnd.pick(vals);
        const amount = BigInt(1 + rnd.int(3_000_000));
        const kind = rnd.int(8);
        if (kind <= 1) {
          env.fund(del, amount); // fresh coins: not part of `withdrawn`
          tx((ctx) => {
            const v = env.staking.getValidator(ctx.store, val);
            if (v) env.staking.delegate(ctx, del, amount, BondStatus.BOND_STATUS_UNBONDED, v, true);
          });
        } else if (kind === 2) {
          tx((ctx) => {
            const dl = env.staking.getDelegation(ctx.store, del, val);
            if (dl) env.staking.undelegate(ctx, del, val, rnd.int(3) === 0 ? dl.shares : env.staking.validateUnbondAmount(ctx.store, del, val, amount));
          });
        } else if (kind === 3) {
          const dst = rnd.pick(vals);
          tx((ctx) => {
            const dl = env.staking.getDelegation(ctx.store, del, val);
            if (dl && env.staking.getValidator(ctx.store, dst) && Buffer.compare(dst, val) !== 0) env.staking.beginRedelegation(ctx, del, val, dst, dl.shares.quoInt(2n));
          });
        } else if (kind === 4) {
          tx((ctx) => {
            const v = env.staking.getValidator(ctx.store, val);
            if (!v || v.status === BondStatus.BOND_STATUS_UNBONDED || v.tokens === 0n) return;
            const infraction = env.height - BigInt(rnd.int(3));
            env.staking.slash(ctx, consAddress(v.consPubkey), infraction < 1n ? 1n : infraction, tokensToConsensusPower(v.tokens), Dec.fromAtomics(BigInt(1 + rnd.int(100)) * 10n ** 15n));
          });
        } else if (kind === 5) {
          tx((ctx) => {
            const v = env.staking.getValidator(ctx.store, val);
            const dl = env.staking.getDelegation(ctx.store, del, val);
            if (!v || !dl) return;
            // the query's answer is exactly what the withdrawal pays (integer part)
            const pending = DC.truncateDecimal(env.dist.pendingDelegationRewards(ctx.store, v, dl, ctx.height)).coins;
            expect(env.dist.withdrawDelegationRewards(ctx, del, val)).toEqual(pending);
          });
        } else if (kind === 6) {
          tx((ctx) => void env.dist.withdrawValidatorCommission(ctx, val));
        } else {
          tx((ctx) => env.dist.setWithdrawAddr(ctx, del, rnd.pick(dels)));
        }
      }
      env.endBlock(BigInt(1 + rnd.int(8)) * SEC);
      if (b % 20 === 0) env.check();
    }
    env.check();
    // everything still claimable, without writing
    let claimable = DC.add([], []);
    let outstanding = DC.add([], []);
    for (const v of env.staking.iterateValidators(env.store)) {
      outstanding = DC.add(outstanding, env.dist.getOutstandingRewards(env.store, v.operator));
      claimable = DC.add(claimable, env.dist.getAccumulatedCommission(env.store, v.operator));
      for (const { value: dl } of env.staking.iterateValidatorDelegations(env.store, v.operator)) {
        claimable = DC.add(claimable, env.dist.pendingDelegationRewards(env.store, v, dl, env.height));
      }
    }
    const pool = usoa(env.dist.getCommunityPool(env.store));
    const withdrawn = withdrawnSoFar();
    expect(withdrawn).toBeGreaterThan(0n);
    // exact conservation: allocated = withdrawn + Σ outstanding + community pool
    expect(Dec.fromInt(withdrawn).add(usoa(outstanding)).add(pool), `seed ${seed}`).toEqual(Dec.fromInt(env.injected));
    // claimable never exceeds what is outstanding; the difference is truncation dust, bounded per operation
    const dust = usoa(outstanding).sub(usoa(claimable));
    expect(dust.isNegative(), `seed ${seed}: claimable ${usoa(claimable)} > outstanding ${usoa(outstanding)}`).toBe(false);
    // (fractions of a usoa left in a validator by truncated share withdrawals earn rewards no stake can claim,
    // and every period truncates its reward ratio; the SDK has the same dust)
    expect(dust.lt(Dec.fromInt(BigInt(ops + periods)).mul(d("0.01"))), `seed ${seed}: dust ${dust} after ${ops} ops and ${periods} periods`).toBe(true);
    expect(ops).toBeGreaterThan(100);
    // and withdrawing it all really pays it (the integer parts)
    for (const v of [...env.staking.iterateValidators(env.store)]) {
      for (const { value: dl } of [...env.staking.iterateValidatorDelegations(env.store, v.operator)]) env.dist.withdrawDelegationRewards(env.ctx, dl.delegator, v.operator);
      if (!DC.isZero(env.dist.getAccumulatedCommission(env.store, v.operator))) env.dist.withdrawValidatorCommission(env.ctx, v.operator);
    }
    env.check();
  });
});
