// Tally of a proposal: exactly the SDK v0.50's x/gov/keeper/tally.go with LegacyDec maths.
//  - each voter's delegations to bonded validators count with shares × tokens / delegator_shares
//    and are deducted from what the validator votes with;
//  - a bonded validator that voted (its operator account voted) votes with its remaining shares;
//  - quorum on voting power / bonded tokens; abstain excluded from threshold; veto on total power.
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { Dec } from "../../types/dec.js";

export { VoteOption };

export interface WeightedOption {
  option: VoteOption;
  weight: Dec;
}

export interface TallyValidator {
  /** Operator address bytes (the operator's account address: its own vote). */
  operator: Uint8Array;
  tokens: bigint;
  delegatorShares: Dec;
}

export interface TallyVote {
  voter: Uint8Array;
  options: WeightedOption[];
}

export interface TallyDelegation {
  validator: Uint8Array;
  shares: Dec;
}

export interface TallyParams {
  quorum: Dec;
  threshold: Dec;
  vetoThreshold: Dec;
  burnVoteQuorum: boolean;
  burnVoteVeto: boolean;
}

export interface TallyCounts {
  yes: Dec;
  abstain: Dec;
  no: Dec;
  noWithVeto: Dec;
}

export interface TallyOutcome {
  passes: boolean;
  burnDeposits: boolean;
  /** Totals as the SDK stores them (TruncateInt of each option's power). */
  result: { yes: bigint; abstain: bigint; no: bigint; noWithVeto: bigint };
  totalVotingPower: Dec;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function add(counts: TallyCounts, options: WeightedOption[], power: Dec): void {
  for (const o of options) {
    const sub = power.mul(o.weight);
    switch (o.option) {
      case VoteOption.VOTE_OPTION_YES:
        counts.yes = counts.yes.add(sub);
        break;
      case VoteOption.VOTE_OPTION_ABSTAIN:
        counts.abstain = counts.abstain.add(sub);
        break;
      case VoteOption.VOTE_OPTION_NO:
        counts.no = counts.no.add(sub);
        break;
      case VoteOption.VOTE_OPTION_NO_WITH_VETO:
        counts.noWithVeto = counts.noWithVeto.add(sub);
        break;
      default:
        break; // votes are validated when cast
    }
  }
}

/**
 * `validators`: the bonded set; `votes`: every vote on the proposal (any order: the sums are exact);
 * `delegationsOf(voter)`: the voter's delegations; `totalBonded`: the bonded pool.
 */
export function tally(
  validators: readonly TallyValidator[],
  votes: readonly TallyVote[],
  delegationsOf: (voter: Uint8Array) => Iterable<TallyDelegation>,
  totalBonded: bigint,
  params: TallyParams,
  threshold: Dec = params.threshold,
): TallyOutcome {
  const counts: TallyCounts = { yes: Dec.ZERO, abstain: Dec.ZERO, no: Dec.ZERO, noWithVeto: Dec.ZERO };
  let total = Dec.ZERO;
  const vals = new Map<string, { v: TallyValidator; deductions: Dec; vote?: WeightedOption[] }>();
  for (const v of validators) vals.set(hex(v.operator), { v, deductions: Dec.ZERO });

  for (const vote of votes) {
    const asValidator = vals.get(hex(vote.voter));
    if (asValidator) asValidator.vote = vote.options;
    for (const d of delegationsOf(vote.voter)) {
      const val = vals.get(hex(d.validator));
      if (!val || val.v.delegatorShares.atomics === 0n) continue; // not bonded (or nothing to share)
      val.deductions = val.deductions.add(d.shares);
      const power = d.shares.mulInt(val.v.tokens).quo(val.v.delegatorShares);
      add(counts, vote.options, power);
      total = total.add(power);
    }
  }
  for (const val of vals.values()) {
    if (!val.vote || val.v.delegatorShares.atomics === 0n) continue;
    const shares = val.v.delegatorShares.sub(val.deductions);
    const power = shares.mulInt(val.v.tokens).quo(val.v.delegatorShares);
    add(counts, val.vote, power);
    total = total.add(power);
  }

  const result = { yes: counts.yes.truncateInt(), abstain: counts.abstain.truncateInt(), no: counts.no.truncateInt(), noWithVeto: counts.noWithVeto.truncateInt() };
  const out = (passes: boolean, burnDeposits: boolean): TallyOutcome => ({ passes, burnDeposits, result, totalVotingPower: total });
  if (totalBonded === 0n) return out(false, false);
  const percentVoting = total.quo(Dec.fromInt(totalBonded));
  if (percentVoting.lt(params.quorum)) return out(false, params.burnVoteQuorum);
  const nonAbstaining = total.sub(counts.abstain);
  if (nonAbstaining.atomics === 0n) return out(false, false);
  if (counts.noWithVeto.quo(total).gt(params.vetoThreshold)) return out(false, params.burnVoteVeto);
  if (counts.yes.quo(nonAbstaining).gt(threshold)) return out(true, false);
  return out(false, false);
}
