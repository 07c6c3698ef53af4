import { describe, expect, it } from "vitest";
import { fromBech32 } from "@cosmjs/encoding";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MisbehaviorType, type RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { EventManager, type Context } from "../../app/context.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { Dec } from "../../types/dec.js";
import { AuthKeeper } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import { consAddress, StakingKeeper } from "../staking/keeper.js";
import { defaultStakingParams } from "../staking/params.js";
import { stakingInvariants } from "../staking/testing.js";
import * as E from "./errors.js";
import { DOUBLE_SIGN_JAIL_END_NANOS, SlashingKeeper } from "./keeper.js";
import { defaultSlashingParams, minSignedPerWindowInt, paramsFromJson, paramsFromProto, paramsToProto, type SlashingParams } from "./params.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const addr = (seed: string) => fromBech32(keyFromSeed(seed).address, 90).data;
const SEC = 1_000_000_000n;
const M = 1_000_000n;

class Env {
  readonly store = new BranchStore(empty);
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  readonly slashing = new SlashingKeeper(this.staking);
  height = 1n;
  time = 1_767_225_600n * SEC;
  events = new EventManager();

  constructor(params: Partial<SlashingParams> = {}) {
    this.staking.setParams(this.store, { ...defaultStakingParams(), unbondingTimeNanos: 100n * SEC });
    this.staking.ensurePools(this.store);
    this.slashing.setParams(this.store, { ...defaultSlashingParams(), ...params });
    this.staking.addHooks(this.slashing.hooks());
  }

  get ctx(): Context {
    return { store: this.store, rawStore: this.store, gasMeter: new GasMeter(undefined), events: this.events, chainId: "t", height: this.height, timeSeconds: this.time / SEC, timeNanos: this.time, mode: "deliver" };
  }

  createValidator(seed: string, selfBond: bigint, minSelf = 1n): Uint8Array {
    const op = addr(seed);
    this.bank.mintCoins(this.ctx, op, [{ denom: "usoa", amount: selfBond }]);
    const v = this.staking.createValidator(this.ctx, {
      operator: op,
      consPubkey: Uint8Array.from(Buffer.alloc(32, seed)),
      description: { moniker: seed, identity: "", website: "", securityContact: "", details: "" },
      rate: Dec.parse("0.1"),
      maxRate: Dec.parse("0.2"),
      maxChangeRate: Dec.parse("0.01"),
      minSelfDelegation: minSelf,
      value: { denom: "usoa", amount: selfBond },
    });
    return consAddress(v.consPubkey);
  }

  /** One block: slashing BeginBlock with the given votes (and misbehavior), staking EndBlock, next height. */
  block(votes: { cons: Uint8Array; power: bigint; flag: BlockIDFlag }[], misbehavior: RequestFinalizeBlock["misbehavior"] = []): void {
    this.slashing.beginBlock(this.ctx, {
      decidedLastCommit: { round: 0, votes: votes.map((v) => ({ validator: { address: v.cons, power: v.power }, blockIdFlag: v.flag })) },
      misbehavior,
    } as unknown as RequestFinalizeBlock);
    this.staking.endBlock(this.ctx);
    this.height++;
    this.time += 5n * SEC;
  }

  validatorOf(cons: Uint8Array) {
    return this.staking.getValidatorByConsAddr(this.store, cons)!;
  }
}

const signed = BlockIDFlag.BLOCK_ID_FLAG_COMMIT;
const absent = BlockIDFlag.BLOCK_ID_FLAG_ABSENT;

describe("slashing params", () => {
  it("has the issue's defaults, round-trips protobuf (LegacyDec as atomics bytes) and genesis JSON, and validates", () => {
    const d = defaultSlashingParams();
    expect(d.signedBlocksWindow).toBe(100n);
    expect(d.minSignedPerWindow.toString()).toBe("0.500000000000000000");
    expect(d.downtimeJailDurationNanos).toBe(600n * SEC);
    expect(d.slashFractionDoubleSign.toString()).toBe("0.050000000000000000");
    expect(d.slashFractionDowntime.toString()).toBe("0.000100000000000000");
    const proto = paramsToProto(d);
    expect(Buffer.from(proto.minSignedPerWindow).toString()).toBe("500000000000000000");
    expect(paramsFromProto(proto)).toEqual(d);
    expect(paramsFromJson({ signed_blocks_window: "10", downtime_jail_duration: "20s", min_signed_per_window: "0.7" })).toMatchObject({ signedBlocksWindow: 10n, downtimeJailDurationNanos: 20n * SEC });
    expect(() => paramsFromJson({ signed_blocks_window: "0" })).toThrow(/signed_blocks_window/);
    expect(() => paramsFromJson({ slash_fraction_downtime: "1.5" })).toThrow(/slash_fraction_downtime too large/);
    expect(() => paramsFromJson({ downtime_jail_duration: "0s" })).toThrow(/downtime_jail_duration/);
  });

  it("MinSignedPerWindowInt rounds half to even like LegacyDec.RoundInt64", () => {
    const p = (w: bigint, m: string) => minSignedPerWindowInt({ ...defaultSlashingParams(), signedBlocksWindow: w, minSignedPerWindow: Dec.parse(m) });
    expect(p(100n, "0.5")).toBe(50n);
    expect(p(5n, "0.5")).toBe(2n); // 2.5 → 2
    expect(p(7n, "0.5")).toBe(4n); // 3.5 → 4
    expect(p(10n, "0.55")).toBe(6n); // 5.5 → 6
    expect(p(3n, "0.3")).toBe(1n); // 0.9 → 1
  });
});

describe("missed-blocks bitmap", () => {
  it("sets and clears bits across 1024-bit chunks; an all-zero chunk is deleted", () => {
    const env = new Env();
    const cons = new Uint8Array(20).fill(7);
    for (const i of [0n, 5n, 1023n, 1024n, 5000n]) env.slashing.setMissedBit(env.store, cons, i, true);
    expect(env.slashing.missedIndexes(env.store, cons)).toEqual([0n, 5n, 1023n, 1024n, 5000n]);
    expect(env.slashing.getMissedBit(env.store, cons, 5n)).toBe(true);
    expect(env.slashing.getMissedBit(env.store, cons, 6n)).toBe(false);
    env.slashing.setMissedBit(env.store, cons, 1024n, false);
    expect(env.slashing.missedIndexes(env.store, cons)).toEqual([0n, 5n, 1023n, 5000n]);
    env.slashing.deleteMissedBlocks(env.store, cons);
    expect(env.slashing.missedIndexes(env.store, cons)).toEqual([]);
  });
});

describe("downtime", () => {
  it("counts only ABSENT as missed, slides the window, and jails + slashes once missed > window − min signed", () => {
    const env = new Env({ signedBlocksWindow: 10n, minSignedPerWindow: Dec.parse("0.5"), downtimeJailDurationNanos: 60n * SEC, slashFractionDowntime: Dec.parse("0.01") });
    const a = env.createValidator("a", 10n * M);
    const b = env.createValidator("b", 10n * M);
    env.staking.endBlock(env.ctx); // both bonded: AfterValidatorBonded gives each a signing info at height 1
    expect(env.slashing.getSigningInfo(env.store, a)).toMatchObject({ startHeight: 1n, indexOffset: 0n, missedBlocksCounter: 0n });
    env.height = 2n;
    // a signs every block; b votes NIL (not missed), then is absent in alternate blocks: 50 % stays within the window
    for (let i = 0; i < 20; i++) env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 10n, flag: i === 0 ? BlockIDFlag.BLOCK_ID_FLAG_NIL : i % 2 ? absent : signed }]);
    const ib = env.slashing.getSigningInfo(env.store, b)!;
    expect(ib.indexOffset).toBe(20n);
    expect(ib.missedBlocksCounter).toBe(5n); // the last 10 slots: 5 absent
    expect(env.validatorOf(b).jailed).toBe(false);
    // now b is absent every block: the 6th miss in the window jails it
    const tokensBefore = env.validatorOf(b).tokens;
    let jailedAt = 0n;
    for (let i = 0; i < 6 && jailedAt === 0n; i++) {
      env.events = new EventManager();
      env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 10n, flag: absent }]);
      if (env.validatorOf(b).jailed) jailedAt = env.height - 1n;
    }
    expect(jailedAt).toBeGreaterThan(0n);
    const vb = env.validatorOf(b);
    expect(vb.tokens).toBe(tokensBefore - (10n * M) / 100n); // 1 % of power 10 × 10^6
    expect(vb.status).toBe(BondStatus.BOND_STATUS_UNBONDING); // left the set at EndBlock
    const info = env.slashing.getSigningInfo(env.store, b)!;
    expect(info).toMatchObject({ indexOffset: 0n, missedBlocksCounter: 0n, tombstoned: false });
    expect(info.jailedUntilNanos).toBe(env.time - 5n * SEC + 60n * SEC);
    expect(env.slashing.missedIndexes(env.store, b)).toEqual([]);
    const slash = env.events.events.find((e) => e.type === "slash")!;
    expect(Object.fromEntries(slash.attributes.map((x) => [x.key, x.value]))).toMatchObject({ power: "10", reason: "missing_signature", burned_coins: "100000" });
    expect(env.events.events.some((e) => e.type === "liveness")).toBe(true);
    // while jailed its (still delivered) votes are ignored
    env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 10n, flag: absent }]);
    expect(env.slashing.getSigningInfo(env.store, b)!.indexOffset).toBe(0n);
    expect(stakingInvariants(env.store, env.staking, env.bank)).toEqual([]);
  });

  it("does not punish before start_height + window blocks have passed", () => {
    const env = new Env({ signedBlocksWindow: 10n });
    const a = env.createValidator("a", 10n * M);
    env.staking.endBlock(env.ctx);
    env.height = 2n;
    for (let i = 0; i < 9; i++) env.block([{ cons: a, power: 10n, flag: absent }]); // heights 2..10: not > 1 + 10
    expect(env.validatorOf(a).jailed).toBe(false);
    expect(env.slashing.getSigningInfo(env.store, a)!.missedBlocksCounter).toBe(9n);
    env.block([{ cons: a, power: 10n, flag: absent }]); // height 11: still not > 11
    expect(env.validatorOf(a).jailed).toBe(false);
    env.block([{ cons: a, power: 10n, flag: absent }]); // height 12 > 11 and 10 missed > 5
    expect(env.validatorOf(a).jailed).toBe(true);
  });
});

describe("unjail", () => {
  it("refuses before jailed_until and when not jailed; succeeds after; the window restarts at re-bonding", () => {
    const env = new Env({ signedBlocksWindow: 2n, downtimeJailDurationNanos: 30n * SEC });
    const a = env.createValidator("a", 10n * M);
    const b = env.createValidator("b", 10n * M);
    env.staking.endBlock(env.ctx);
    env.height = 2n;
    const code = (f: () => void) => {
      try {
        f();
        return 0;
      } catch (e) {
        return e instanceof ChainError ? `${e.codespace}/${e.code}` : String(e);
      }
    };
    expect(code(() => env.slashing.unjail(env.ctx, addr("a")))).toBe("slashing/5");
    expect(code(() => env.slashing.unjail(env.ctx, addr("nobody")))).toBe("slashing/2");
    for (let i = 0; i < 4 && !env.validatorOf(b).jailed; i++) env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 10n, flag: absent }]);
    expect(env.validatorOf(b).jailed).toBe(true);
    const until = env.slashing.getSigningInfo(env.store, b)!.jailedUntilNanos;
    expect(code(() => env.slashing.unjail(env.ctx, addr("b")))).toBe("slashing/4");
    env.time = until - 1n;
    expect(code(() => env.slashing.unjail(env.ctx, addr("b")))).toBe("slashing/4");
    env.time = until;
    expect(code(() => env.slashing.unjail(env.ctx, addr("b")))).toBe(0);
    expect(env.validatorOf(b).jailed).toBe(false);
    env.block([{ cons: a, power: 10n, flag: signed }]); // EndBlock bonds b again
    expect(env.validatorOf(b).status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(env.slashing.getSigningInfo(env.store, b)!.startHeight).toBe(env.height - 1n);
  });

  it("refuses a validator whose self-delegation is below its minimum (slashing 7)", () => {
    const env = new Env({ signedBlocksWindow: 2n, slashFractionDowntime: Dec.parse("0.5"), downtimeJailDurationNanos: 1n });
    const a = env.createValidator("a", 10n * M);
    const b = env.createValidator("b", 10n * M, 8n * M);
    env.staking.endBlock(env.ctx);
    env.height = 2n;
    for (let i = 0; i < 4 && !env.validatorOf(b).jailed; i++) env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 10n, flag: absent }]);
    expect(env.validatorOf(b).tokens).toBe(5n * M);
    expect(() => env.slashing.unjail(env.ctx, addr("b"))).toThrow(E.ErrSelfDelegationTooLowToUnjail.description);
  });
});

describe("double sign (misbehavior)", () => {
  it("slashes 5 % at the evidence height − 1, jails, tombstones (jailed until 9999), stores the evidence; a repeat is ignored; unjail refused", () => {
    const env = new Env();
    const a = env.createValidator("a", 10n * M);
    const b = env.createValidator("b", 20n * M);
    env.staking.endBlock(env.ctx);
    env.height = 2n;
    for (let i = 0; i < 3; i++) env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 20n, flag: signed }]);
    const evidence = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: b, power: 20n }, height: 3n, time: { seconds: env.time / SEC - 10n, nanos: 0 }, totalVotingPower: 30n };
    env.block([{ cons: a, power: 10n, flag: signed }, { cons: b, power: 20n, flag: signed }], [evidence]);
    const vb = env.validatorOf(b);
    expect(vb.tokens).toBe(19n * M);
    expect(vb.jailed).toBe(true);
    const info = env.slashing.getSigningInfo(env.store, b)!;
    expect(info.tombstoned).toBe(true);
    expect(info.jailedUntilNanos).toBe(DOUBLE_SIGN_JAIL_END_NANOS);
    expect([...env.slashing.iterateEvidence(env.store)].map((e) => e.evidence.height)).toEqual([3n]);
    env.block([{ cons: a, power: 10n, flag: signed }], [evidence]);
    expect(env.validatorOf(b).tokens).toBe(19n * M);
    env.time = DOUBLE_SIGN_JAIL_END_NANOS + SEC;
    expect(() => env.slashing.unjail(env.ctx, addr("b"))).toThrow(E.ErrValidatorJailed.description);
    expect(stakingInvariants(env.store, env.staking, env.bank)).toEqual([]);
  });

  it("ignores evidence older than both max-age limits and evidence about unknown validators", () => {
    const env = new Env();
    const a = env.createValidator("a", 10n * M);
    env.staking.endBlock(env.ctx);
    env.slashing.setEvidenceMaxAge(env.store, { numBlocks: 2n, durationNanos: 10n * SEC });
    env.height = 2n;
    for (let i = 0; i < 5; i++) env.block([{ cons: a, power: 10n, flag: signed }]);
    const old = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: a, power: 10n }, height: 2n, time: { seconds: 1_767_225_600n, nanos: 0 }, totalVotingPower: 10n };
    const unknown = { ...old, validator: { address: new Uint8Array(20), power: 10n }, height: env.height - 1n };
    env.block([{ cons: a, power: 10n, flag: signed }], [old, unknown]);
    expect(env.validatorOf(a).jailed).toBe(false);
    expect(env.validatorOf(a).tokens).toBe(10n * M);
  });
});
