import { describe, expect, it } from "vitest";
import { Dec } from "../../types/dec.js";
import { tally, type TallyDelegation, type TallyParams, type TallyValidator, type TallyVote, VoteOption } from "./tally.js";

const { VOTE_OPTION_YES: YES, VOTE_OPTION_NO: NO, VOTE_OPTION_ABSTAIN: ABSTAIN, VOTE_OPTION_NO_WITH_VETO: VETO } = VoteOption;
const addr = (n: number) => new Uint8Array(20).fill(n);
const params: TallyParams = { quorum: Dec.parse("0.334"), threshold: Dec.parse("0.5"), vetoThreshold: Dec.parse("0.334"), burnVoteQuorum: false, burnVoteVeto: true };
const val = (n: number, tokens: bigint, shares = Dec.fromInt(tokens)): TallyValidator => ({ operator: addr(n), tokens, delegatorShares: shares });
const vote = (n: number, ...options: [VoteOption, string][]): TallyVote => ({ voter: addr(n), options: options.map(([option, w]) => ({ option, weight: Dec.parse(w) })) });

/** Validators 1..3 (self-bonded through their own operator accounts) and delegators 10+. */
function run(validators: TallyValidator[], delegations: Record<number, [number, bigint][]>, votes: TallyVote[], p = params) {
  const by = (voter: Uint8Array): TallyDelegation[] =>
    (delegations[voter[0]!] ?? []).map(([v, shares]) => ({ validator: addr(v), shares: Dec.fromInt(shares) }));
  const bonded = validators.reduce((s, v) => s + v.tokens, 0n);
  return tally(validators, votes, by, bonded, p);
}

describe("tally (x/gov/keeper/tally.go)", () => {
  // v1: 60 (self 40 + delegator 10: 20); v2: 40 (self 30 + delegator 11: 10)
  const vals = [val(1, 60n), val(2, 40n)];
  const dels: Record<number, [number, bigint][]> = { 1: [[1, 40n]], 2: [[2, 30n]], 10: [[1, 20n]], 11: [[2, 10n]] };

  it("delegators inherit their validator's vote", () => {
    const r = run(vals, dels, [vote(1, [YES, "1"]), vote(2, [NO, "1"])]);
    expect(r.result).toEqual({ yes: 60n, no: 40n, abstain: 0n, noWithVeto: 0n });
    expect(r.passes).toBe(true);
  });

  it("a delegator's own vote overrides its validator's and is deducted from it", () => {
    const r = run(vals, dels, [vote(1, [YES, "1"]), vote(2, [YES, "1"]), vote(10, [NO, "1"]), vote(11, [NO, "1"])]);
    expect(r.result).toEqual({ yes: 70n, no: 30n, abstain: 0n, noWithVeto: 0n });
    expect(r.passes).toBe(true);
    // without the validators voting, only the delegators' own stake counts: 30 of 100 < quorum
    const q = run(vals, dels, [vote(10, [YES, "1"]), vote(11, [YES, "1"])]);
    expect(q.totalVotingPower.toString()).toBe("30.000000000000000000");
    expect(q.passes).toBe(false);
    expect(q.burnDeposits).toBe(false);
  });

  it("weighted votes split the power; the token/share exchange rate applies (Dec maths, truncated totals)", () => {
    // v1 was slashed: 60 tokens for 90 shares; delegator 10 holds 30 shares = 20 tokens
    const slashed = [val(1, 60n, Dec.fromInt(90n)), val(2, 40n)];
    const d = { 1: [[1, 60n]], 2: [[2, 40n]], 10: [[1, 30n]] } as Record<number, [number, bigint][]>;
    const r = run(slashed, d, [vote(10, [YES, "0.7"], [ABSTAIN, "0.3"]), vote(2, [NO, "0.5"], [VETO, "0.5"])]);
    // 10: 20 → yes 14, abstain 6; v2: 40 → no 20, veto 20
    expect(r.result).toEqual({ yes: 14n, abstain: 6n, no: 20n, noWithVeto: 20n });
    // veto 20/60 = 0.3333 < 0.334; yes 14/54 < 0.5 → rejected, deposits kept
    expect(r.passes).toBe(false);
    expect(r.burnDeposits).toBe(false);
    // thirds: 1/3 shares of 10 tokens = 3.333…, totals truncate
    const t = run([val(1, 10n, Dec.fromInt(3n))], { 1: [[1, 2n]], 10: [[1, 1n]] }, [vote(10, [YES, "1"]), vote(1, [NO, "1"])]);
    // 1 × 10 / 3 = 3.333333333333333333 (Quo rounds half-even at 18 digits); the validator's 2 shares 6.666666666666666667
    expect(t.result).toEqual({ yes: 3n, no: 6n, abstain: 0n, noWithVeto: 0n });
    expect(t.totalVotingPower.toString()).toBe("10.000000000000000000");
  });

  it("quorum: exactly at the quorum passes the check, below fails (burn only with burn_vote_quorum)", () => {
    const v = [val(1, 334n), val(2, 666n)];
    const d = { 1: [[1, 334n]], 2: [[2, 666n]] } as Record<number, [number, bigint][]>;
    expect(run(v, d, [vote(1, [YES, "1"])]).passes).toBe(true); // 0.334 is not < 0.334
    const small = [val(1, 333n), val(2, 667n)];
    const ds = { 1: [[1, 333n]], 2: [[2, 667n]] } as Record<number, [number, bigint][]>;
    expect(run(small, ds, [vote(1, [YES, "1"])])).toMatchObject({ passes: false, burnDeposits: false });
    expect(run(small, ds, [vote(1, [YES, "1"])], { ...params, burnVoteQuorum: true })).toMatchObject({ passes: false, burnDeposits: true });
  });

  it("veto above 1/3 of all voting power rejects and burns (burn_vote_veto); all-abstain fails without burning", () => {
    const v = [val(1, 50n), val(2, 50n), val(3, 100n)];
    const d = { 1: [[1, 50n]], 2: [[2, 50n]], 3: [[3, 100n]] } as Record<number, [number, bigint][]>;
    // veto 100 of 200 → 0.5 > 0.334
    expect(run(v, d, [vote(1, [YES, "1"]), vote(2, [YES, "1"]), vote(3, [VETO, "1"])])).toMatchObject({ passes: false, burnDeposits: true });
    expect(run(v, d, [vote(1, [YES, "1"]), vote(2, [YES, "1"]), vote(3, [VETO, "1"])], { ...params, burnVoteVeto: false })).toMatchObject({ passes: false, burnDeposits: false });
    expect(run(v, d, [vote(1, [ABSTAIN, "1"]), vote(3, [ABSTAIN, "1"])])).toMatchObject({ passes: false, burnDeposits: false });
    // abstain is left out of the threshold: yes 50 vs no 49.99 of non-abstaining
    expect(run(v, d, [vote(1, [YES, "1"]), vote(3, [ABSTAIN, "0.5"], [NO, "0.5"])]).passes).toBe(false); // 50 vs 50: not > 0.5
    expect(run(v, d, [vote(1, [YES, "1"]), vote(2, [YES, "0.1"], [ABSTAIN, "0.9"]), vote(3, [ABSTAIN, "0.5"], [NO, "0.5"])]).passes).toBe(true);
  });

  it("no bonded tokens: fails; votes of delegators to unbonded validators do not count", () => {
    expect(run([], {}, [vote(1, [YES, "1"])])).toMatchObject({ passes: false, burnDeposits: false });
    const r = run([val(1, 100n)], { 1: [[1, 100n]], 10: [[9, 500n]] }, [vote(10, [YES, "1"]), vote(1, [NO, "1"])]);
    expect(r.result).toEqual({ yes: 0n, no: 100n, abstain: 0n, noWithVeto: 0n });
  });
});
