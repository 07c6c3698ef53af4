import { describe, expect, it } from "vitest";
import { fromBech32 } from "@cosmjs/encoding";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { MsgExecLegacyContent, MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { ParameterChangeProposal } from "cosmjs-types/cosmos/params/v1beta1/params";
import { EventManager, type Context } from "../../app/context.js";
import { MsgRegistry } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { Dec } from "../../types/dec.js";
import { AuthKeeper } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import { StakingKeeper } from "../staking/keeper.js";
import { defaultStakingParams } from "../staking/params.js";
import { stakingParamSubspace } from "../staking/updateParams.js";
import * as E from "./errors.js";
import { GovKeeper } from "./keeper.js";
import { govMsgHandlers, validateWeightedOptions } from "./msgs.js";
import { defaultGovParams, type GovParams, govParamsFromProto, govParamsToProto, parseGovGenesis } from "./params.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const addr = (seed: string) => fromBech32(keyFromSeed(seed).address, 90).data;
const SEC = 1_000_000_000n;
const M = 1_000_000n;
const usoa = (n: bigint) => [{ denom: "usoa", amount: n }];

class Env {
  readonly store = new BranchStore(empty);
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  readonly msgs = new MsgRegistry();
  readonly gov = new GovKeeper(this.auth, this.bank, this.staking, (t) => this.msgs.get(t));
  time = 1_767_225_600n * SEC;
  events = new EventManager();

  constructor(params: Partial<GovParams> = {}) {
    this.staking.setParams(this.store, defaultStakingParams());
    this.staking.ensurePools(this.store);
    this.gov.initGenesis(this.store, 1n, { ...defaultGovParams(), maxDepositPeriodNanos: 10n * SEC, votingPeriodNanos: 20n * SEC, expeditedVotingPeriodNanos: 5n * SEC, ...params });
    for (const h of govMsgHandlers(this.gov)) this.msgs.register(h);
    this.gov.legacy.addSubspace("staking", stakingParamSubspace(this.staking));
  }

  get ctx(): Context {
    return { store: this.store, rawStore: this.store, gasMeter: new GasMeter(undefined), events: this.events, chainId: "t", height: 1n, timeSeconds: this.time / SEC, timeNanos: this.time, mode: "deliver" };
  }

  fund(who: Uint8Array, amount: bigint): void {
    this.bank.mintCoins(this.ctx, who, usoa(amount));
  }

  balance(who: Uint8Array): bigint {
    return this.bank.getBalance(this.store, who, "usoa");
  }

  text(): { typeUrl: string; value: Uint8Array } {
    const content = { typeUrl: TextProposal.typeUrl, value: TextProposal.encode({ title: "t", description: "d" }).finish() };
    return { typeUrl: MsgExecLegacyContent.typeUrl, value: MsgExecLegacyContent.encode({ content, authority: this.gov.authority }).finish() };
  }

  advance(seconds: bigint): void {
    this.time += seconds * SEC;
    this.gov.endBlock(this.ctx);
  }
}

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return `${e.codespace}/${e.code}`;
    throw e;
  }
  return "ok";
};

describe("gov keeper: deposits", () => {
  it("escrows deposits, starts voting at min_deposit, refunds them when the deposit period ends without it", () => {
    const env = new Env();
    const [a, b] = [addr("a"), addr("b")];
    env.fund(a, 100n * M);
    env.fund(b, 100n * M);
    const p = env.gov.submitProposal(env.ctx, [env.text()], "", "t", "s", a, false);
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(4n * M))).toBe(false);
    expect(env.gov.addDeposit(env.ctx, p.id, b, usoa(3n * M))).toBe(false);
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(1n * M))).toBe(false);
    expect(env.balance(env.gov.address)).toBe(8n * M);
    expect(env.gov.getDeposit(env.store, p.id, a)!.amount).toEqual([{ denom: "usoa", amount: "5000000" }]);
    env.advance(9n);
    expect(env.gov.getProposal(env.store, p.id)).toBeDefined();
    env.advance(1n); // deposit end ≤ block time
    expect(env.gov.getProposal(env.store, p.id)).toBeUndefined();
    expect([env.balance(a), env.balance(b), env.balance(env.gov.address)]).toEqual([100n * M, 100n * M, 0n]);
    expect(env.events.events.filter((e) => e.type === "inactive_proposal")).toHaveLength(1);
    expect(codeOf(() => env.gov.addDeposit(env.ctx, p.id, a, usoa(1n)))).toBe("gov/2");
  });

  it("burns the deposits of a dropped proposal with burn_proposal_deposit_prevote", () => {
    const env = new Env({ burnProposalDepositPrevote: true });
    const a = addr("a");
    env.fund(a, 100n * M);
    const p = env.gov.submitProposal(env.ctx, [env.text()], "", "t", "s", a, false);
    env.gov.addDeposit(env.ctx, p.id, a, usoa(5n * M));
    env.advance(10n);
    expect(env.balance(a)).toBe(95n * M);
    expect(env.bank.getSupply(env.store, "usoa")).toBe(95n * M);
  });

  it("refuses other denoms, deposits below min_deposit_ratio, and deposits after the voting period", () => {
    const env = new Env();
    const a = addr("a");
    env.fund(a, 100n * M);
    env.bank.mintCoins(env.ctx, a, [{ denom: "uatom", amount: 10n * M }]);
    const p = env.gov.submitProposal(env.ctx, [env.text()], "", "t", "s", a, false);
    expect(codeOf(() => env.gov.addDeposit(env.ctx, p.id, a, [{ denom: "uatom", amount: M }]))).toBe("gov/23");
    expect(codeOf(() => env.gov.addDeposit(env.ctx, p.id, a, usoa(99_999n)))).toBe("gov/16"); // 1 % of 10 SOA
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(10n * M))).toBe(true);
    expect(env.gov.getProposal(env.store, p.id)!.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(M))).toBe(false); // still possible while voting
    env.advance(20n); // no votes, nothing bonded: rejected, deposits refunded
    const done = env.gov.getProposal(env.store, p.id)!;
    expect(done.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(done.failedReason).toBe("proposal did not get enough votes to pass");
    expect(env.balance(a)).toBe(100n * M);
    expect(codeOf(() => env.gov.addDeposit(env.ctx, p.id, a, usoa(M)))).toBe("gov/3");
    expect(codeOf(() => env.gov.addVote(env.ctx, p.id, a, [{ option: VoteOption.VOTE_OPTION_YES, weight: "1" }], ""))).toBe("gov/3");
  });

  it("a failed expedited proposal becomes a regular one with the regular voting period", () => {
    const env = new Env();
    const a = addr("a");
    env.fund(a, 100n * M);
    const p = env.gov.submitProposal(env.ctx, [env.text()], "", "t", "s", a, true);
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(10n * M))).toBe(false); // expedited min deposit 50 SOA
    expect(env.gov.addDeposit(env.ctx, p.id, a, usoa(40n * M))).toBe(true);
    env.advance(5n);
    const converted = env.gov.getProposal(env.store, p.id)!;
    expect([converted.expedited, converted.status]).toEqual([false, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD]);
    expect(env.balance(env.gov.address)).toBe(50n * M); // deposits stay until the regular end
    env.advance(15n);
    expect(env.gov.getProposal(env.store, p.id)!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(env.balance(a)).toBe(100n * M);
  });
});

describe("gov keeper: submission checks", () => {
  it("messages must be routable, valid and signed by the gov account alone; legacy content must have a handler", () => {
    const env = new Env();
    const a = addr("a");
    expect(codeOf(() => env.gov.submitProposal(env.ctx, [{ typeUrl: "/nope.Msg", value: new Uint8Array() }], "", "t", "s", a, false))).toBe("gov/10");
    const notGov = MsgExecLegacyContent.encode({ content: { typeUrl: TextProposal.typeUrl, value: TextProposal.encode({ title: "t", description: "d" }).finish() }, authority: keyFromSeed("x").address }).finish();
    expect(codeOf(() => env.gov.submitProposal(env.ctx, [{ typeUrl: MsgExecLegacyContent.typeUrl, value: notGov }], "", "t", "s", a, false))).toBe("gov/13");
    const unknownContent = MsgExecLegacyContent.encode({ content: { typeUrl: "/x.Content", value: new Uint8Array() }, authority: env.gov.authority }).finish();
    expect(codeOf(() => env.gov.submitProposal(env.ctx, [{ typeUrl: MsgExecLegacyContent.typeUrl, value: unknownContent }], "", "t", "s", a, false))).toBe("gov/12");
    const badParam = { typeUrl: ParameterChangeProposal.typeUrl, value: ParameterChangeProposal.encode({ title: "t", description: "d", changes: [{ subspace: "staking", key: "MaxValidators", value: "0" }] }).finish() };
    const badMsg = MsgExecLegacyContent.encode({ content: badParam, authority: env.gov.authority }).finish();
    expect(codeOf(() => env.gov.submitProposal(env.ctx, [{ typeUrl: MsgExecLegacyContent.typeUrl, value: badMsg }], "", "t", "s", a, false))).toBe("gov/5"); // tried on a branch
    expect(codeOf(() => env.gov.submitProposal(env.ctx, [], "x".repeat(256), "t", "s", a, false))).toBe("gov/15");
    expect(env.gov.getProposal(env.store, 1n)).toBeUndefined(); // nothing stored; ids not consumed
    expect(env.gov.submitProposal(env.ctx, [], "ipfs://meta", "t", "s", a, false).id).toBe(1n);
  });

  it("a passed proposal whose message fails on execution is FAILED and changes nothing", () => {
    const env = new Env({ quorum: Dec.ZERO });
    const a = addr("a");
    env.fund(a, 100n * M);
    // a validator so that something is bonded
    env.staking.createValidator(env.ctx, {
      operator: a,
      consPubkey: new Uint8Array(32).fill(7),
      description: { moniker: "v", identity: "", website: "", securityContact: "", details: "" },
      rate: Dec.ZERO,
      maxRate: Dec.ZERO,
      maxChangeRate: Dec.ZERO,
      minSelfDelegation: 1n,
      value: { denom: "usoa", amount: 50n * M },
    });
    env.staking.applyAndReturnValidatorSetUpdates(env.ctx);
    const change = (v: string) => ({ typeUrl: ParameterChangeProposal.typeUrl, value: ParameterChangeProposal.encode({ title: "t", description: "d", changes: [{ subspace: "staking", key: "MaxEntries", value: v }] }).finish() });
    const exec = (v: string) => ({ typeUrl: MsgExecLegacyContent.typeUrl, value: MsgExecLegacyContent.encode({ content: change(v), authority: env.gov.authority }).finish() });
    const p = env.gov.submitProposal(env.ctx, [exec("9"), exec("11")], "", "t", "s", a, false);
    env.gov.addDeposit(env.ctx, p.id, a, usoa(10n * M));
    env.gov.addVote(env.ctx, p.id, a, [{ option: VoteOption.VOTE_OPTION_YES, weight: "1.000000000000000000" }], "");
    env.advance(20n);
    const done = env.gov.getProposal(env.store, p.id)!;
    expect(done.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(env.staking.getParams(env.store).maxEntries).toBe(11);
    expect(done.finalTallyResult).toEqual({ yesCount: "50000000", abstainCount: "0", noCount: "0", noWithVetoCount: "0" });

    // messages other than legacy content are not tried at submission: invalid gov params fail on execution
    const badParams = MsgUpdateParams.encode({ authority: env.gov.authority, params: { ...govParamsToProto(defaultGovParams()), quorum: "2" } }).finish();
    const bad = env.gov.submitProposal(env.ctx, [exec("3"), { typeUrl: MsgUpdateParams.typeUrl, value: badParams }], "", "t", "s", a, false);
    env.gov.addDeposit(env.ctx, bad.id, a, usoa(10n * M));
    env.gov.addVote(env.ctx, bad.id, a, [{ option: VoteOption.VOTE_OPTION_YES, weight: "1" }], "");
    env.advance(20n);
    const failed = env.gov.getProposal(env.store, bad.id)!;
    expect(failed.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(failed.failedReason).toMatch(/quorum too large/);
    expect(env.staking.getParams(env.store).maxEntries).toBe(11); // the first message was rolled back
  });
});

describe("gov msgs and params", () => {
  it("weighted vote options: valid options, positive weights, no duplicates, Σ = 1", () => {
    const Y = VoteOption.VOTE_OPTION_YES;
    const N = VoteOption.VOTE_OPTION_NO;
    expect(validateWeightedOptions([{ option: Y, weight: "0.6" }, { option: N, weight: "0.4" }])).toEqual([
      { option: Y, weight: "0.600000000000000000" },
      { option: N, weight: "0.400000000000000000" },
    ]);
    expect(codeOf(() => validateWeightedOptions([]))).toBe("sdk/18");
    expect(codeOf(() => validateWeightedOptions([{ option: Y, weight: "0.6" }, { option: Y, weight: "0.4" }]))).toBe("gov/7");
    expect(codeOf(() => validateWeightedOptions([{ option: Y, weight: "0.6" }]))).toBe("gov/7");
    expect(codeOf(() => validateWeightedOptions([{ option: Y, weight: "0.6" }, { option: N, weight: "0.5" }]))).toBe("gov/7");
    expect(codeOf(() => validateWeightedOptions([{ option: Y, weight: "1" }, { option: N, weight: "0" }]))).toBe("gov/7");
    expect(codeOf(() => validateWeightedOptions([{ option: VoteOption.VOTE_OPTION_UNSPECIFIED, weight: "1" }]))).toBe("gov/7");
    expect(codeOf(() => validateWeightedOptions([{ option: Y, weight: "-1" }]))).toBe("gov/7");
  });

  it("params: defaults round-trip through protobuf; genesis JSON overrides, short voting periods get a shorter expedited one; invalid values are named", () => {
    const d = defaultGovParams();
    expect(govParamsFromProto(govParamsToProto(d))).toEqual(d);
    expect(govParamsToProto(d).quorum).toBe("0.334000000000000000");
    const g = parseGovGenesis({ starting_proposal_id: "7", params: { voting_period: "20s", quorum: "0.5" } });
    expect(g.startingProposalId).toBe(7n);
    expect([g.params.votingPeriodNanos, g.params.expeditedVotingPeriodNanos, g.params.quorum.toString()]).toEqual([20n * SEC, 10n * SEC, "0.500000000000000000"]);
    expect(parseGovGenesis(undefined).params).toEqual(d);
    expect(() => parseGovGenesis({ params: { threshold: "1.5" } })).toThrow(/gov.params.threshold too large/);
    expect(() => parseGovGenesis({ params: { voting_period: "soon" } })).toThrow(/gov.params.voting_period/);
    expect(() => parseGovGenesis({ starting_proposal_id: "0" })).toThrow(/starting_proposal_id/);
    expect(E.ErrInvalidDepositDenom.code).toBe(23);
  });
});
