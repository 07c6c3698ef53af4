import { describe, expect, it } from "vitest";
import { fromBech32 } from "@cosmjs/encoding";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { EventManager, type Context } from "../../app/context.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { Dec } from "../../types/dec.js";
import { prng } from "../../../test/utils/random.js";
import { AuthKeeper } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import * as E from "./errors.js";
import { consAddress, StakingKeeper, type Validator } from "./keeper.js";
import { defaultStakingParams } from "./params.js";
import { quoRoundUp, quoTruncate, removeDelShares, addTokensFromDel, tokensFromShares, tokensFromSharesTruncated } from "./shares.js";
import { stakingInvariants } from "./testing.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const addr = (seed: string) => fromBech32(keyFromSeed(seed).address, 90).data;
const SEC = 1_000_000_000n;
const DAY = 24n * 3600n * SEC;
const M = 1_000_000n; // tokens per unit of power

class Env {
  readonly store = new BranchStore(empty);
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  height = 1n;
  time = 1_767_225_600n * SEC;
  events = new EventManager();

  constructor(params: Partial<ReturnType<typeof defaultStakingParams>> = {}) {
    this.staking.setParams(this.store, { ...defaultStakingParams(), ...params });
    this.staking.ensurePools(this.store);
  }

  get ctx(): Context {
    return { store: this.store, rawStore: this.store, gasMeter: new GasMeter(undefined), events: this.events, chainId: "t", height: this.height, timeSeconds: this.time / SEC, timeNanos: this.time, mode: "deliver" };
  }

  fund(who: Uint8Array, amount: bigint): void {
    this.bank.mintCoins(this.ctx, who, [{ denom: "usoa", amount }]);
  }

  createValidator(seed: string, selfBond: bigint, extra: { rate?: string; minSelf?: bigint } = {}): Validator {
    const op = addr(seed);
    this.fund(op, selfBond);
    return this.staking.createValidator(this.ctx, {
      operator: op,
      consPubkey: Uint8Array.from(Buffer.alloc(32, seed)),
      description: { moniker: seed, identity: "", website: "", securityContact: "", details: "" },
      rate: Dec.parse(extra.rate ?? "0.1"),
      maxRate: Dec.parse("0.2"),
      maxChangeRate: Dec.parse("0.01"),
      minSelfDelegation: extra.minSelf ?? 1n,
      value: { denom: "usoa", amount: selfBond },
    });
  }

  val(seed: string): Validator {
    return this.staking.mustGetValidator(this.store, addr(seed));
  }

  /** EndBlock, then the next block (time advances by `dt`). */
  endBlock(dt = 5n * SEC): ValidatorUpdate[] {
    const u = this.staking.endBlock(this.ctx);
    this.height += 1n;
    this.time += dt;
    return u;
  }

  check(): void {
    expect(stakingInvariants(this.store, this.staking, this.bank)).toEqual([]);
    // supply = Σ balances
    let total = 0n;
    for (const a of this.auth.iterateAccounts(this.store)) total += this.bank.getBalance(this.store, fromBech32(a.base.address, 90).data, "usoa");
    expect(total).toBe(this.bank.getSupply(this.store, "usoa"));
  }
}

const powers = (u: ValidatorUpdate[]) => u.map((x) => `${Buffer.from(x.pubKey.ed25519!).toString("latin1")[0]}:${x.power}`);

describe("share maths", () => {
  it("QuoTruncate / QuoRoundUp match LegacyDec", () => {
    const a = Dec.fromInt(10n);
    const b = Dec.fromInt(3n);
    expect(quoTruncate(a, b).toString()).toBe("3.333333333333333333");
    expect(quoRoundUp(a, b).toString()).toBe("3.333333333333333334");
    expect(a.quo(b).toString()).toBe("3.333333333333333333");
    expect(Dec.fromInt(20n).quo(b).toString()).toBe("6.666666666666666667");
    expect(quoRoundUp(Dec.fromInt(9n), b).toString()).toBe("3.000000000000000000");
  });

  it("first delegation sets the rate to 1; later ones get amount × shares / tokens truncated", () => {
    let v = { tokens: 0n, delegatorShares: Dec.ZERO };
    const first = addTokensFromDel(v, 1000n);
    expect(first.issued.toString()).toBe("1000.000000000000000000");
    v = { tokens: 999n, delegatorShares: first.state.delegatorShares }; // after a slash of 1 token
    const second = addTokensFromDel(v, 10n);
    expect(second.issued.toString()).toBe("10.010010010010010010");
    // 9.99999…: Quo rounds half-even at 18 digits (→ 10), QuoTruncate keeps the dust in the validator (→ 9)
    expect(tokensFromShares(second.state, second.issued).truncateInt()).toBe(10n);
    expect(tokensFromSharesTruncated(second.state, second.issued).truncateInt()).toBe(9n);
  });

  it("the last shares take every remaining token", () => {
    const v = { tokens: 1001n, delegatorShares: Dec.fromInt(1000n) };
    const r = removeDelShares(v, Dec.fromInt(1000n));
    expect(r.issuedTokens).toBe(1001n);
    expect(r.state.tokens).toBe(0n);
  });

  it("random delegate/undelegate sequences neither create nor destroy tokens (seeded)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = prng(seed);
      const env = new Env({ maxEntries: 1000 });
      env.createValidator("v", 1_000_000n);
      const dels = Array.from({ length: 6 }, (_, i) => addr(`d${i}`));
      let funded = 1_000_000n;
      for (const d of dels) {
        env.fund(d, 10n ** 12n);
        funded += 10n ** 12n;
      }
      for (let step = 0; step < 200; step++) {
        const d = rnd.pick(dels);
        const v = env.val("v");
        if (rnd.next() < 0.55) {
          env.staking.delegate(env.ctx, d, BigInt(1 + rnd.int(10_000_000)), BondStatus.BOND_STATUS_UNBONDED, v, true);
        } else {
          const del = env.staking.getDelegation(env.store, d, v.operator);
          if (!del) continue;
          const have = tokensFromShares(v, del.shares).truncateInt();
          if (have === 0n) continue;
          const amount = 1n + BigInt(rnd.int(Number(have < 100_000_000n ? have : 100_000_000n)));
          const shares = env.staking.validateUnbondAmount(env.store, d, v.operator, amount);
          env.staking.undelegate(env.ctx, d, v.operator, shares);
        }
        if (step % 17 === 0) env.endBlock();
        const after = env.val("v");
        // Σ of what the delegations are worth never exceeds the validator's tokens.
        let worth = 0n;
        for (const { value } of env.staking.iterateValidatorDelegations(env.store, after.operator)) worth += tokensFromShares(after, value.shares).truncateInt();
        expect(worth <= after.tokens, `seed ${seed} step ${step}`).toBe(true);
        expect(after.tokens - worth < 10n, `dust at seed ${seed} step ${step}`).toBe(true);
      }
      env.check();
      // Conservation: everything funded is in accounts, the pools, or nowhere else.
      expect(env.bank.getSupply(env.store, "usoa")).toBe(funded);
    }
  });
});

describe("validator set", () => {
  it("bonds the top max_validators by power, ties by operator bytes, and returns only changes", () => {
    const env = new Env({ maxValidators: 3 });
    env.createValidator("a", 5n * M);
    env.createValidator("b", 4n * M);
    env.createValidator("c", 4n * M + 999_999n); // same power as b
    env.createValidator("d", 3n * M);
    env.createValidator("z", 999_999n); // power 0: never bonded
    const first = env.endBlock();
    const order = [addr("b"), addr("c")].sort(Buffer.compare);
    const tieFirst = Buffer.compare(order[0]!, addr("b")) === 0 ? "b" : "c";
    expect(first.map((u) => u.power)).toEqual([5n, 4n, 4n]);
    expect(Buffer.from(first[1]!.pubKey.ed25519!).toString()[0]).toBe(tieFirst);
    expect(env.val("d").status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    expect(env.val("a").status).toBe(BondStatus.BOND_STATUS_BONDED);
    env.check();
    expect(env.endBlock()).toEqual([]); // nothing changed: no updates, no writes of the total power

    // d overtakes: it enters with power 6, the weakest of b/c leaves with power 0.
    env.fund(addr("x"), 3n * M);
    env.staking.delegate(env.ctx, addr("x"), 3n * M, BondStatus.BOND_STATUS_UNBONDED, env.val("d"), true);
    const second = env.endBlock();
    const tieLast = tieFirst === "b" ? "c" : "b";
    expect(powers(second).sort()).toEqual([`d:6`, `${tieLast}:0`].sort());
    expect(env.val(tieLast).status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    expect(env.staking.getLastTotalPower(env.store)).toBe(15n);
    env.check();
  });

  it("jail removes a validator from the set (power 0), unjail brings it back", () => {
    const env = new Env();
    env.createValidator("a", 5n * M);
    env.createValidator("b", 2n * M);
    env.endBlock();
    const cons = consAddress(env.val("b").consPubkey);
    env.staking.jail(env.ctx, cons);
    expect(() => env.staking.jail(env.ctx, cons)).toThrow(/already jailed/);
    expect(powers(env.endBlock())).toEqual(["b:0"]);
    expect(env.val("b").jailed).toBe(true);
    env.check();
    env.staking.unjail(env.ctx, cons);
    expect(powers(env.endBlock())).toEqual(["b:2"]);
    env.check();
  });

  it("an unbonding validator becomes unbonded after unbond_time and is removed when its last shares leave", () => {
    const env = new Env({ unbondingTimeNanos: 10n * SEC });
    env.createValidator("a", 5n * M);
    env.createValidator("b", 2n * M);
    env.endBlock();
    env.staking.jail(env.ctx, consAddress(env.val("b").consPubkey));
    env.endBlock();
    expect(env.val("b").status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    env.endBlock(20n * SEC);
    env.endBlock();
    expect(env.val("b").status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    env.check();
    const b = env.val("b");
    env.staking.undelegate(env.ctx, b.operator, b.operator, b.delegatorShares);
    expect(env.staking.getValidator(env.store, b.operator)).toBeUndefined();
    env.check();
  });
});

describe("unbonding and redelegation", () => {
  it("pays unbonding entries out when block time passes their completion time", () => {
    const env = new Env({ unbondingTimeNanos: DAY });
    env.createValidator("a", 5n * M);
    env.endBlock();
    const d = addr("d");
    env.fund(d, 1000n);
    env.staking.delegate(env.ctx, d, 1000n, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true);
    const shares = env.staking.validateUnbondAmount(env.store, d, addr("a"), 400n);
    const { completionTimeNanos, amount } = env.staking.undelegate(env.ctx, d, addr("a"), shares);
    expect(amount).toBe(400n);
    expect(completionTimeNanos).toBe(env.time + DAY);
    env.endBlock();
    env.check();
    expect(env.bank.getBalance(env.store, d, "usoa")).toBe(0n);
    env.endBlock(DAY); // time passes the completion time
    env.events = new EventManager();
    env.endBlock();
    expect(env.bank.getBalance(env.store, d, "usoa")).toBe(400n);
    expect(env.staking.getUnbondingDelegation(env.store, d, addr("a"))).toBeUndefined();
    expect(env.events.events.find((e) => e.type === "complete_unbonding")?.attributes.map((a) => [a.key, a.value])).toEqual([
      ["amount", "400usoa"],
      ["validator", env.val("a").operatorAddress],
      ["delegator", keyFromSeed("d").address],
    ]);
    env.check();
  });

  it("limits entries to max_entries and merges entries of the same block", () => {
    const env = new Env({ maxEntries: 2 });
    env.createValidator("a", 5n * M);
    const d = addr("d");
    env.fund(d, 1000n);
    env.staking.delegate(env.ctx, d, 1000n, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true);
    const undel = (n: bigint) => env.staking.undelegate(env.ctx, d, addr("a"), env.staking.validateUnbondAmount(env.store, d, addr("a"), n));
    undel(10n);
    undel(10n); // same height and completion time: merged
    expect(env.staking.getUnbondingDelegation(env.store, d, addr("a"))!.entries).toHaveLength(1);
    env.endBlock();
    undel(10n);
    env.endBlock();
    expect(() => undel(10n)).toThrow(E.ErrMaxUnbondingDelegationEntries.description);
    env.check();
  });

  it("redelegates, refuses a transitive redelegation until the first matures", () => {
    const env = new Env({ unbondingTimeNanos: DAY });
    env.createValidator("a", 5n * M);
    env.createValidator("b", 5n * M);
    env.createValidator("c", 5n * M);
    env.endBlock();
    const d = addr("d");
    env.fund(d, 1000n);
    env.staking.delegate(env.ctx, d, 1000n, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true);
    const t = env.staking.beginRedelegation(env.ctx, d, addr("a"), addr("b"), Dec.fromInt(600n));
    expect(t).toBe(env.time + DAY);
    expect(env.staking.getDelegation(env.store, d, addr("b"))!.shares.toString()).toBe("600.000000000000000000");
    expect(() => env.staking.beginRedelegation(env.ctx, d, addr("b"), addr("c"), Dec.fromInt(100n))).toThrow(E.ErrTransitiveRedelegation.description);
    expect(() => env.staking.beginRedelegation(env.ctx, d, addr("a"), addr("a"), Dec.fromInt(100n))).toThrow(E.ErrSelfRedelegation.description);
    env.endBlock(DAY);
    env.endBlock();
    expect(env.staking.getRedelegation(env.store, d, addr("a"), addr("b"))).toBeUndefined();
    env.staking.beginRedelegation(env.ctx, d, addr("b"), addr("c"), Dec.fromInt(100n));
    env.check();
  });

  it("moves coins between pools when redelegating from a bonded to an unbonded validator", () => {
    const env = new Env({ maxValidators: 1 });
    env.createValidator("a", 5n * M);
    env.createValidator("b", 2n * M);
    env.endBlock();
    const d = addr("d");
    env.fund(d, 1000n);
    env.staking.delegate(env.ctx, d, 1000n, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true);
    env.staking.beginRedelegation(env.ctx, d, addr("a"), addr("b"), Dec.fromInt(1000n));
    env.check();
  });
});

describe("slash", () => {
  it("slashes unbonding and redelegation entries created at or after the infraction, then the validator", () => {
    const env = new Env({ unbondingTimeNanos: DAY });
    env.createValidator("a", 10n * M);
    env.createValidator("b", 10n * M);
    env.endBlock();
    const d = addr("d");
    env.fund(d, 4n * M);
    env.staking.delegate(env.ctx, d, 4n * M, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true);
    env.endBlock();
    // before the infraction: not slashed
    env.staking.undelegate(env.ctx, d, addr("a"), env.staking.validateUnbondAmount(env.store, d, addr("a"), 1n * M));
    env.endBlock();
    const infraction = env.height;
    env.endBlock();
    // after the infraction: slashed
    env.staking.undelegate(env.ctx, d, addr("a"), env.staking.validateUnbondAmount(env.store, d, addr("a"), 1n * M));
    env.staking.beginRedelegation(env.ctx, d, addr("a"), addr("b"), env.staking.validateUnbondAmount(env.store, d, addr("a"), 2n * M));
    env.endBlock();
    env.check();
    const supplyBefore = env.bank.getSupply(env.store, "usoa");
    const a = env.val("a");
    expect(a.tokens).toBe(10n * M);
    // power at the infraction: 10 + 4 - 1 = 13 → due 10 % = 1.3M: 0.1M from the unbonding, 0.2M from
    // the redelegated stake at b, the remaining 1.0M from a's tokens.
    const burned = env.staking.slash(env.ctx, consAddress(a.consPubkey), infraction, 13n, Dec.parse("0.1"));
    expect(burned).toBe(1_000_000n);
    const ubd = env.staking.getUnbondingDelegation(env.store, d, addr("a"))!;
    expect(ubd.entries.map((e) => e.balance)).toEqual([1n * M, 900_000n]);
    expect(env.staking.getDelegation(env.store, d, addr("b"))!.shares.toString()).toBe("1800000.000000000000000000");
    expect(env.val("a").tokens).toBe(9n * M);
    expect(env.val("b").tokens).toBe(11_800_000n);
    expect(env.bank.getSupply(env.store, "usoa")).toBe(supplyBefore - 1_300_000n);
    env.check();
    // a's power changes in the next update
    expect(powers(env.endBlock()).sort()).toEqual(["a:9", "b:11"]);
  });

  it("slash at the current height touches only the validator; never below zero", () => {
    const env = new Env();
    env.createValidator("a", 2n * M);
    env.endBlock();
    const cons = consAddress(env.val("a").consPubkey);
    expect(env.staking.slash(env.ctx, cons, env.height, 100n, Dec.ONE)).toBe(2n * M);
    expect(env.val("a").tokens).toBe(0n);
    env.check();
    // zero tokens with shares: the exchange rate is invalid, nobody may delegate
    env.fund(addr("d"), 10n);
    expect(() => env.staking.delegate(env.ctx, addr("d"), 10n, BondStatus.BOND_STATUS_UNBONDED, env.val("a"), true)).toThrow(E.ErrDelegatorShareExRateInvalid.description);
    expect(powers(env.endBlock())).toEqual(["a:0"]);
    env.check();
  });

  it("self-undelegating below min_self_delegation jails the validator", () => {
    const env = new Env();
    env.createValidator("a", 3n * M, { minSelf: 2n * M });
    env.endBlock();
    const a = env.val("a");
    env.staking.undelegate(env.ctx, a.operator, a.operator, env.staking.validateUnbondAmount(env.store, a.operator, a.operator, 2n * M));
    expect(env.val("a").jailed).toBe(true);
    expect(powers(env.endBlock())).toEqual(["a:0"]);
    env.check();
  });
});

describe("commission", () => {
  it("checks rates at creation and the 24 h / max change rules on edit", () => {
    const env = new Env({ minCommissionRate: Dec.parse("0.05") });
    expect(() => env.createValidator("a", M, { rate: "0.01" })).toThrow(E.ErrCommissionLTMinRate.description);
    env.createValidator("b", M);
    const edit = (rate: string) => env.staking.editValidator(env.ctx, addr("b"), { description: env.val("b").description, commissionRate: Dec.parse(rate) });
    expect(() => edit("0.105")).toThrow(E.ErrCommissionUpdateTime.description);
    env.time += DAY;
    expect(() => edit("0.12")).toThrow(E.ErrCommissionGTMaxChangeRate.description);
    expect(() => edit("0.3")).toThrow(E.ErrCommissionGTMaxRate.description);
    edit("0.105");
    expect(env.val("b").commission.rate.toString()).toBe("0.105000000000000000");
    expect(() => StakingKeeper.validateCommissionRates(Dec.parse("0.1"), Dec.parse("1.1"), Dec.ZERO)).toThrow(ChainError);
  });
});
