// gov params: domain type, defaults (the SDK v0.50's x/gov/types/v1/params.go with our denom),
// validation, and the protobuf (cosmos.gov.v1.Params) and genesis JSON forms.
import type { Params as ParamsProto } from "cosmjs-types/cosmos/gov/v1/gov";
import { BOND_DENOM } from "../../constants.js";
import { type Coin, coinsFromProto } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import { formatDurationJson, parseDurationJson } from "../staking/params.js";

const NANOS = 1_000_000_000n;

export interface GovParams {
  minDeposit: Coin[];
  maxDepositPeriodNanos: bigint;
  votingPeriodNanos: bigint;
  quorum: Dec;
  threshold: Dec;
  vetoThreshold: Dec;
  minInitialDepositRatio: Dec;
  proposalCancelRatio: Dec;
  proposalCancelDest: string;
  expeditedVotingPeriodNanos: bigint;
  expeditedThreshold: Dec;
  expeditedMinDeposit: Coin[];
  burnVoteQuorum: boolean;
  burnProposalDepositPrevote: boolean;
  burnVoteVeto: boolean;
  minDepositRatio: Dec;
}

/** The SDK's DefaultParams: 10 SOA deposit, 2-day deposit and voting periods, quorum 33.4 %, threshold 50 %, veto 33.4 %. */
export function defaultGovParams(): GovParams {
  return {
    minDeposit: [{ denom: BOND_DENOM, amount: 10_000_000n }],
    maxDepositPeriodNanos: 172_800n * NANOS,
    votingPeriodNanos: 172_800n * NANOS,
    quorum: Dec.parse("0.334"),
    threshold: Dec.parse("0.5"),
    vetoThreshold: Dec.parse("0.334"),
    minInitialDepositRatio: Dec.ZERO,
    proposalCancelRatio: Dec.parse("0.5"),
    proposalCancelDest: "",
    expeditedVotingPeriodNanos: 86_400n * NANOS,
    expeditedThreshold: Dec.parse("0.667"),
    expeditedMinDeposit: [{ denom: BOND_DENOM, amount: 50_000_000n }],
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: Dec.parse("0.01"),
  };
}

/** The SDK's Params.ValidateBasic; throws an Error naming the field. */
export function validateGovParams(p: GovParams, where = "params"): void {
  if (p.minDeposit.length === 0) throw new Error(`${where}.min_deposit must not be empty`);
  if (p.expeditedMinDeposit.length === 0) throw new Error(`${where}.expedited_min_deposit must not be empty`);
  if (p.maxDepositPeriodNanos <= 0n) throw new Error(`${where}.max_deposit_period must be positive`);
  if (p.votingPeriodNanos <= 0n) throw new Error(`${where}.voting_period must be positive`);
  if (p.expeditedVotingPeriodNanos <= 0n) throw new Error(`${where}.expedited_voting_period must be positive`);
  if (p.expeditedVotingPeriodNanos >= p.votingPeriodNanos) throw new Error(`${where}.expedited_voting_period must be strictly less than the regular voting period`);
  const unit = (d: Dec, f: string, positive: boolean) => {
    if (d.isNegative() || (positive && d.atomics === 0n)) throw new Error(`${where}.${f} must be ${positive ? "positive" : "non-negative"}: ${d}`);
    if (d.gt(Dec.ONE)) throw new Error(`${where}.${f} too large: ${d}`);
  };
  unit(p.quorum, "quorum", false);
  unit(p.threshold, "threshold", true);
  unit(p.vetoThreshold, "veto_threshold", true);
  unit(p.expeditedThreshold, "expedited_threshold", true);
  if (p.expeditedThreshold.cmp(p.threshold) <= 0) throw new Error(`${where}.expedited_threshold must be greater than the threshold`);
  unit(p.minInitialDepositRatio, "min_initial_deposit_ratio", false);
  unit(p.proposalCancelRatio, "proposal_cancel_ratio", false);
  unit(p.minDepositRatio, "min_deposit_ratio", false);
}

const dur = (n: bigint) => ({ seconds: n / NANOS, nanos: Number(n % NANOS) });
const durNanos = (d: { seconds: bigint; nanos: number } | undefined) => (d ? d.seconds * NANOS + BigInt(d.nanos) : 0n);
const coinsOut = (c: Coin[]) => c.map((x) => ({ denom: x.denom, amount: x.amount.toString() }));
/** v1 params carry decimals as LegacyDec.String() ("0.334000000000000000"), not as atomics. */
const decIn = (s: string, what: string): Dec => {
  try {
    return Dec.parse(s);
  } catch {
    throw new Error(`${what} must be a non-negative decimal, got ${JSON.stringify(s)}`);
  }
};

export function govParamsToProto(p: GovParams): ParamsProto {
  return {
    minDeposit: coinsOut(p.minDeposit),
    maxDepositPeriod: dur(p.maxDepositPeriodNanos),
    votingPeriod: dur(p.votingPeriodNanos),
    quorum: p.quorum.toString(),
    threshold: p.threshold.toString(),
    vetoThreshold: p.vetoThreshold.toString(),
    minInitialDepositRatio: p.minInitialDepositRatio.toString(),
    proposalCancelRatio: p.proposalCancelRatio.toString(),
    proposalCancelDest: p.proposalCancelDest,
    expeditedVotingPeriod: dur(p.expeditedVotingPeriodNanos),
    expeditedThreshold: p.expeditedThreshold.toString(),
    expeditedMinDeposit: coinsOut(p.expeditedMinDeposit),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
    minDepositRatio: p.minDepositRatio.toString(),
  };
}

/** Decodes (and does not validate) wire params; throws an Error on malformed decimals or coins. */
export function govParamsFromProto(p: ParamsProto): GovParams {
  return {
    minDeposit: coinsFromProto(p.minDeposit),
    maxDepositPeriodNanos: durNanos(p.maxDepositPeriod),
    votingPeriodNanos: durNanos(p.votingPeriod),
    quorum: decIn(p.quorum, "quorum"),
    threshold: decIn(p.threshold, "threshold"),
    vetoThreshold: decIn(p.vetoThreshold, "veto_threshold"),
    minInitialDepositRatio: decIn(p.minInitialDepositRatio || "0", "min_initial_deposit_ratio"),
    proposalCancelRatio: decIn(p.proposalCancelRatio || "0", "proposal_cancel_ratio"),
    proposalCancelDest: p.proposalCancelDest,
    expeditedVotingPeriodNanos: durNanos(p.expeditedVotingPeriod),
    expeditedThreshold: decIn(p.expeditedThreshold, "expedited_threshold"),
    expeditedMinDeposit: coinsFromProto(p.expeditedMinDeposit),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
    minDepositRatio: decIn(p.minDepositRatio || "0", "min_deposit_ratio"),
  };
}

// ---- genesis JSON (app_state.gov), the SDK's shape --------------------------------------------

export interface GovParamsJson {
  min_deposit: { denom: string; amount: string }[];
  max_deposit_period: string;
  voting_period: string;
  quorum: string;
  threshold: string;
  veto_threshold: string;
  min_initial_deposit_ratio: string;
  proposal_cancel_ratio: string;
  proposal_cancel_dest: string;
  expedited_voting_period: string;
  expedited_threshold: string;
  expedited_min_deposit: { denom: string; amount: string }[];
  burn_vote_quorum: boolean;
  burn_proposal_deposit_prevote: boolean;
  burn_vote_veto: boolean;
  min_deposit_ratio: string;
}

export interface GovGenesis {
  /** First proposal id (SDK default 1). */
  starting_proposal_id?: string;
  params?: Partial<GovParamsJson>;
}

export function govParamsToJson(p: GovParams): GovParamsJson {
  return {
    min_deposit: coinsOut(p.minDeposit),
    max_deposit_period: formatDurationJson(p.maxDepositPeriodNanos),
    voting_period: formatDurationJson(p.votingPeriodNanos),
    quorum: p.quorum.toString(),
    threshold: p.threshold.toString(),
    veto_threshold: p.vetoThreshold.toString(),
    min_initial_deposit_ratio: p.minInitialDepositRatio.toString(),
    proposal_cancel_ratio: p.proposalCancelRatio.toString(),
    proposal_cancel_dest: p.proposalCancelDest,
    expedited_voting_period: formatDurationJson(p.expeditedVotingPeriodNanos),
    expedited_threshold: p.expeditedThreshold.toString(),
    expedited_min_deposit: coinsOut(p.expeditedMinDeposit),
    burn_vote_quorum: p.burnVoteQuorum,
    burn_proposal_deposit_prevote: p.burnProposalDepositPrevote,
    burn_vote_veto: p.burnVoteVeto,
    min_deposit_ratio: p.minDepositRatio.toString(),
  };
}

/** Parses app_state.gov (absent → defaults; absent params fields → their defaults); throws naming the field. */
export function parseGovGenesis(g: unknown): { startingProposalId: bigint; params: GovParams } {
  const d = defaultGovParams();
  if (g === undefined || g === null) return { startingProposalId: 1n, params: d };
  if (typeof g !== "object" || Array.isArray(g)) throw new Error("gov must be an object {starting_proposal_id, params}");
  const gg = g as GovGenesis;
  let start = 1n;
  if (gg.starting_proposal_id !== undefined) {
    if (typeof gg.starting_proposal_id !== "string" || !/^[0-9]{1,19}$/.test(gg.starting_proposal_id) || BigInt(gg.starting_proposal_id) === 0n) {
      throw new Error(`gov.starting_proposal_id must be a positive integer string, got ${JSON.stringify(gg.starting_proposal_id)}`);
    }
    start = BigInt(gg.starting_proposal_id);
  }
  const j = gg.params ?? {};
  const w = "gov.params";
  const dec = (v: unknown, f: string, def: Dec) => (v === undefined ? def : typeof v === "string" ? decIn(v, `${w}.${f}`) : decIn(JSON.stringify(v), `${w}.${f}`));
  const duration = (v: unknown, f: string, def: bigint) => (v === undefined ? def : parseDurationJson(v, `${w}.${f}`));
  const coins = (v: unknown, f: string, def: Coin[]) => {
    if (v === undefined) return def;
    if (!Array.isArray(v)) throw new Error(`${w}.${f} must be a list of coins`);
    try {
      return coinsFromProto(v as { denom: string; amount: string }[]);
    } catch (e) {
      throw new Error(`${w}.${f}: ${(e as Error).message}`);
    }
  };
  const bool = (v: unknown, f: string, def: boolean) => {
    if (v === undefined) return def;
    if (typeof v !== "boolean") throw new Error(`${w}.${f} must be true or false`);
    return v;
  };
  const p: GovParams = {
    minDeposit: coins(j.min_deposit, "min_deposit", d.minDeposit),
    maxDepositPeriodNanos: duration(j.max_deposit_period, "max_deposit_period", d.maxDepositPeriodNanos),
    votingPeriodNanos: duration(j.voting_period, "voting_period", d.votingPeriodNanos),
    quorum: dec(j.quorum, "quorum", d.quorum),
    threshold: dec(j.threshold, "threshold", d.threshold),
    vetoThreshold: dec(j.veto_threshold, "veto_threshold", d.vetoThreshold),
    minInitialDepositRatio: dec(j.min_initial_deposit_ratio, "min_initial_deposit_ratio", d.minInitialDepositRatio),
    proposalCancelRatio: dec(j.proposal_cancel_ratio, "proposal_cancel_ratio", d.proposalCancelRatio),
    proposalCancelDest: typeof j.proposal_cancel_dest === "string" ? j.proposal_cancel_dest : d.proposalCancelDest,
    // A short voting period without an explicit expedited one (localnets): half of it.
    expeditedVotingPeriodNanos: duration(j.expedited_voting_period, "expedited_voting_period", 0n),
    expeditedThreshold: dec(j.expedited_threshold, "expedited_threshold", d.expeditedThreshold),
    expeditedMinDeposit: coins(j.expedited_min_deposit, "expedited_min_deposit", d.expeditedMinDeposit),
    burnVoteQuorum: bool(j.burn_vote_quorum, "burn_vote_quorum", d.burnVoteQuorum),
    burnProposalDepositPrevote: bool(j.burn_proposal_deposit_prevote, "burn_proposal_deposit_prevote", d.burnProposalDepositPrevote),
    burnVoteVeto: bool(j.burn_vote_veto, "burn_vote_veto", d.burnVoteVeto),
    minDepositRatio: dec(j.min_deposit_ratio, "min_deposit_ratio", d.minDepositRatio),
  };
  if (p.expeditedVotingPeriodNanos === 0n) {
    p.expeditedVotingPeriodNanos = d.expeditedVotingPeriodNanos < p.votingPeriodNanos ? d.expeditedVotingPeriodNanos : p.votingPeriodNanos / 2n;
  }
  validateGovParams(p, w);
  return { startingProposalId: start, params: p };
}
