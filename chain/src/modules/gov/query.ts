// /cosmos.gov.v1beta1.Query/* (what CosmJS's setupGovExtension calls) and /cosmos.gov.v1.Query/*,
// answered like the SDK v0.50 gRPC servers: v1 from state, v1beta1 through the SDK's legacy
// conversions (content = the MsgExecLegacyContent's content, else the last message; weights as
// LegacyDec atomics; zero times for unset ones). Pagination is always present.
import { type Proposal, ProposalStatus, type Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import * as q1 from "cosmjs-types/cosmos/gov/v1/query";
import { MsgExecLegacyContent } from "cosmjs-types/cosmos/gov/v1/tx";
import type * as g0 from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as q0 from "cosmjs-types/cosmos/gov/v1beta1/query";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import type { KVReader } from "../../store/types.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { type GovKeeper, parseWeight } from "./keeper.js";
import { govParamsToProto } from "./params.js";

/** Go's zero time.Time as a protobuf Timestamp (what the SDK returns for an unset v1beta1 time). */
const ZERO_TIME: Timestamp = { seconds: -62135596800n, nanos: 0 };
const dur = (n: bigint) => ({ seconds: n / 1_000_000_000n, nanos: Number(n % 1_000_000_000n) });

function address(s: string, what: string): Uint8Array {
  if (s === "") throw invalidArgument(`empty ${what} address`);
  try {
    return parseAddress(s);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

function proposalId(id: bigint): bigint {
  if (id === 0n) throw invalidArgument("proposal id can not be 0");
  return id;
}

function getProposal(gov: GovKeeper, s: KVReader, id: bigint): Proposal {
  const p = gov.getProposal(s, proposalId(id));
  if (!p) throw notFound(`proposal ${id} doesn't exist`);
  return p;
}

export function toLegacyProposal(p: Proposal): g0.Proposal {
  let content = undefined;
  for (const m of p.messages) {
    if (m.typeUrl === MsgExecLegacyContent.typeUrl) {
      content = MsgExecLegacyContent.decode(m.value).content;
      break;
    }
    content = m; // the SDK's "hack" (ConvertToLegacyProposal): v1beta1 clients see the last message as content
  }
  const t = p.finalTallyResult;
  return {
    proposalId: p.id,
    content,
    status: p.status as number,
    finalTallyResult: { yes: t?.yesCount ?? "0", abstain: t?.abstainCount ?? "0", no: t?.noCount ?? "0", noWithVeto: t?.noWithVetoCount ?? "0" },
    submitTime: p.submitTime ?? ZERO_TIME,
    depositEndTime: p.depositEndTime ?? ZERO_TIME,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? ZERO_TIME,
    votingEndTime: p.votingEndTime ?? ZERO_TIME,
  };
}

export function toLegacyVote(v: Vote): g0.Vote {
  return {
    proposalId: v.proposalId,
    voter: v.voter,
    option: 0,
    options: v.options.map((o) => ({ option: o.option as number, weight: (parseWeight(o.weight) ?? Dec.ZERO).toAtomicsString() })),
  };
}

/** QueryServer.TallyResult: empty in the deposit period, the final tally once ended, a live tally while voting. */
function tallyOf(gov: GovKeeper, s: KVReader, p: Proposal): { yes: string; abstain: string; no: string; noWithVeto: string } {
  if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) return { yes: "0", abstain: "0", no: "0", noWithVeto: "0" };
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
    const t = p.finalTallyResult;
    return { yes: t?.yesCount ?? "0", abstain: t?.abstainCount ?? "0", no: t?.noCount ?? "0", noWithVeto: t?.noWithVetoCount ?? "0" };
  }
  const r = gov.tally(s, p).result;
  return { yes: r.yes.toString(), abstain: r.abstain.toString(), no: r.no.toString(), noWithVeto: r.noWithVeto.toString() };
}

function filteredProposals(gov: GovKeeper, s: KVReader, status: number, voter: string, depositor: string) {
  const v = voter === "" ? undefined : address(voter, "voter");
  const d = depositor === "" ? undefined : address(depositor, "depositor");
  const out: { key: Uint8Array; value: Proposal }[] = [];
  for (const it of gov.iterateProposals(s)) {
    const p = it.value;
    if (status !== 0 && p.status !== status) continue;
    if (v && !gov.getVote(s, p.id, v)) continue;
    if (d && !gov.getDeposit(s, p.id, d)) continue;
    out.push(it);
  }
  return out;
}

export function registerGovQueries(router: QueryRouter, gov: GovKeeper): void {
  // ---- v1 ----
  router.service("cosmos.gov.v1.Query", {
    Constitution: () => q1.QueryConstitutionResponse.encode({ constitution: "" }).finish(),
    Proposal(data, ctx) {
      const req = decodeRequest(q1.QueryProposalRequest.decode, data);
      return q1.QueryProposalResponse.encode({ proposal: getProposal(gov, ctx.store, req.proposalId) }).finish();
    },
    Proposals(data, ctx) {
      const req = decodeRequest(q1.QueryProposalsRequest.decode, data);
      const { page, pagination } = paginate(filteredProposals(gov, ctx.store, req.proposalStatus, req.voter, req.depositor), req.pagination);
      return q1.QueryProposalsResponse.encode({ proposals: page, pagination }).finish();
    },
    Vote(data, ctx) {
      const req = decodeRequest(q1.QueryVoteRequest.decode, data);
      const v = gov.getVote(ctx.store, proposalId(req.proposalId), address(req.voter, "voter"));
      if (!v) throw invalidArgument(`voter: ${req.voter} not found for proposal: ${req.proposalId}`);
      return q1.QueryVoteResponse.encode({ vote: v }).finish();
    },
    Votes(data, ctx) {
      const req = decodeRequest(q1.QueryVotesRequest.decode, data);
      const { page, pagination } = paginate(gov.iterateVotes(ctx.store, proposalId(req.proposalId)), req.pagination);
      return q1.QueryVotesResponse.encode({ votes: page, pagination }).finish();
    },
    Params(data, ctx) {
      const req = decodeRequest(q1.QueryParamsRequest.decode, data);
      const p = gov.getParams(ctx.store);
      const proto = govParamsToProto(p);
      const res: q1.QueryParamsResponse = { params: proto };
      switch (req.paramsType) {
        case "deposit":
          res.depositParams = { minDeposit: proto.minDeposit, maxDepositPeriod: proto.maxDepositPeriod };
          break;
        case "voting":
          res.votingParams = { votingPeriod: proto.votingPeriod };
          break;
        case "tallying":
          res.tallyParams = { quorum: proto.quorum, threshold: proto.threshold, vetoThreshold: proto.vetoThreshold };
          break;
        default:
          if (req.paramsType !== "") throw invalidArgument(`unknown params type: ${req.paramsType}`);
      }
      return q1.QueryParamsResponse.encode(res).finish();
    },
    Deposit(data, ctx) {
      const req = decodeRequest(q1.QueryDepositRequest.decode, data);
      const d = gov.getDeposit(ctx.store, proposalId(req.proposalId), address(req.depositor, "depositor"));
      if (!d) throw invalidArgument(`depositer: ${req.depositor} not found for proposal: ${req.proposalId}`);
      return q1.QueryDepositResponse.encode({ deposit: d }).finish();
    },
    Deposits(data, ctx) {
      const req = decodeRequest(q1.QueryDepositsRequest.decode, data);
      const { page, pagination } = paginate(gov.iterateDeposits(ctx.store, proposalId(req.proposalId)), req.pagination);
      return q1.QueryDepositsResponse.encode({ deposits: page, pagination }).finish();
    },
    TallyResult(data, ctx) {
      const req = decodeRequest(q1.QueryTallyResultRequest.decode, data);
      const t = tallyOf(gov, ctx.store, getProposal(gov, ctx.store, req.proposalId));
      return q1.QueryTallyResultResponse.encode({ tally: { yesCount: t.yes, abstainCount: t.abstain, noCount: t.no, noWithVetoCount: t.noWithVeto } }).finish();
    },
  });

  // ---- v1beta1 (CosmJS's setupGovExtension) ----
  router.service("cosmos.gov.v1beta1.Query", {
    Proposal(data, ctx) {
      const req = decodeRequest(q0.QueryProposalRequest.decode, data);
      return q0.QueryProposalResponse.encode({ proposal: toLegacyProposal(getProposal(gov, ctx.store, req.proposalId)) }).finish();
    },
    Proposals(data, ctx) {
      const req = decodeRequest(q0.QueryProposalsRequest.decode, data);
      const { page, pagination } = paginate(filteredProposals(gov, ctx.store, req.proposalStatus, req.voter, req.depositor), req.pagination);
      return q0.QueryProposalsResponse.encode({ proposals: page.map(toLegacyProposal), pagination }).finish();
    },
    Vote(data, ctx) {
      const req = decodeRequest(q0.QueryVoteRequest.decode, data);
      const v = gov.getVote(ctx.store, proposalId(req.proposalId), address(req.voter, "voter"));
      if (!v) throw invalidArgument(`voter: ${req.voter} not found for proposal: ${req.proposalId}`);
      return q0.QueryVoteResponse.encode({ vote: toLegacyVote(v) }).finish();
    },
    Votes(data, ctx) {
      const req = decodeRequest(q0.QueryVotesRequest.decode, data);
      const { page, pagination } = paginate(gov.iterateVotes(ctx.store, proposalId(req.proposalId)), req.pagination);
      return q0.QueryVotesResponse.encode({ votes: page.map(toLegacyVote), pagination }).finish();
    },
    Params(data, ctx) {
      const req = decodeRequest(q0.QueryParamsRequest.decode, data);
      const p = gov.getParams(ctx.store);
      const res: q0.QueryParamsResponse = {
        votingParams: { votingPeriod: { seconds: 0n, nanos: 0 } },
        depositParams: { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
        tallyParams: { quorum: new Uint8Array(), threshold: new Uint8Array(), vetoThreshold: new Uint8Array() },
      };
      const decBytes = (d: Dec) => Buffer.from(d.toAtomicsString(), "ascii");
      switch (req.paramsType) {
        case "deposit":
          res.depositParams = { minDeposit: p.minDeposit.map((c) => ({ denom: c.denom, amount: c.amount.toString() })), maxDepositPeriod: dur(p.maxDepositPeriodNanos) };
          break;
        case "voting":
          res.votingParams = { votingPeriod: dur(p.votingPeriodNanos) };
          break;
        case "tallying":
          res.tallyParams = { quorum: decBytes(p.quorum), threshold: decBytes(p.threshold), vetoThreshold: decBytes(p.vetoThreshold) };
          break;
        default:
          throw invalidArgument(`${req.paramsType} is not a valid parameter type`);
      }
      return q0.QueryParamsResponse.encode(res).finish();
    },
    Deposit(data, ctx) {
      const req = decodeRequest(q0.QueryDepositRequest.decode, data);
      const d = gov.getDeposit(ctx.store, proposalId(req.proposalId), address(req.depositor, "depositor"));
      if (!d) throw invalidArgument(`depositer: ${req.depositor} not found for proposal: ${req.proposalId}`);
      return q0.QueryDepositResponse.encode({ deposit: d }).finish();
    },
    Deposits(data, ctx) {
      const req = decodeRequest(q0.QueryDepositsRequest.decode, data);
      const { page, pagination } = paginate(gov.iterateDeposits(ctx.store, proposalId(req.proposalId)), req.pagination);
      return q0.QueryDepositsResponse.encode({ deposits: page, pagination }).finish();
    },
    TallyResult(data, ctx) {
      const req = decodeRequest(q0.QueryTallyResultRequest.decode, data);
      return q0.QueryTallyResultResponse.encode({ tally: tallyOf(gov, ctx.store, getProposal(gov, ctx.store, req.proposalId)) }).finish();
    },
  });
}
