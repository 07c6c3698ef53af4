// gov messages: cosmos.gov.v1 (MsgSubmitProposal with messages, MsgExecLegacyContent, MsgVote,
// MsgVoteWeighted, MsgDeposit, MsgUpdateParams) and the cosmos.gov.v1beta1 legacy surface
// (MsgSubmitProposal with Any content, MsgVote, MsgVoteWeighted, MsgDeposit). Checks, errors and
// events follow the SDK v0.50's msg_server.go and msg_server legacy wrapper.
import { VoteOption, type WeightedVoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { ErrInvalidAddress, ErrInvalidCoins, ErrInvalidRequest } from "../../errors/sdk.js";
import { parseAddress } from "../../types/address.js";
import { type Coin, coinsFromProto, formatCoins } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import * as E from "./errors.js";
import { type GovKeeper, isAllGTE, parseWeight } from "./keeper.js";
import { govParamsFromProto, validateGovParams } from "./params.js";

const MODULE = "gov";
const any = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });

function addr(s: string, what: string): Uint8Array {
  try {
    return parseAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid ${what} address: ${e instanceof ChainError ? e.context : String(e)}`);
  }
}

const sortCoins = (l: { denom: string; amount: string }[]) => [...l].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));

/** validateDeposit: valid and all positive (an empty deposit is refused). */
function depositCoins(list: { denom: string; amount: string }[]): Coin[] {
  let coins: Coin[];
  try {
    coins = coinsFromProto(sortCoins(list));
  } catch {
    throw ErrInvalidCoins.wrap(list.map((c) => `${c.amount}${c.denom}`).join(","));
  }
  if (coins.length === 0) throw ErrInvalidCoins.wrap("");
  return coins;
}

/** The initial deposit may be empty. */
function initialDepositCoins(list: { denom: string; amount: string }[]): Coin[] {
  try {
    return coinsFromProto(sortCoins(list));
  } catch (e) {
    throw ErrInvalidCoins.wrap(e instanceof ChainError ? e.context : String(e));
  }
}

const validOption = (o: VoteOption) => o === VoteOption.VOTE_OPTION_YES || o === VoteOption.VOTE_OPTION_ABSTAIN || o === VoteOption.VOTE_OPTION_NO || o === VoteOption.VOTE_OPTION_NO_WITH_VETO;
const OPTION_NAMES = ["VOTE_OPTION_UNSPECIFIED", "VOTE_OPTION_YES", "VOTE_OPTION_ABSTAIN", "VOTE_OPTION_NO", "VOTE_OPTION_NO_WITH_VETO"];
const optionName = (o: VoteOption) => OPTION_NAMES[o] ?? String(o);

/** MsgVoteWeighted checks: options valid, positive weights ≤ 1, no duplicates, Σ = 1. Returns canonical v1 options. */
export function validateWeightedOptions(options: { option: VoteOption; weight: string }[]): WeightedVoteOption[] {
  if (options.length === 0) throw ErrInvalidRequest.wrap("");
  let total = Dec.ZERO;
  const used = new Set<VoteOption>();
  const out: WeightedVoteOption[] = [];
  for (const o of options) {
    const w = parseWeight(o.weight);
    if (w === undefined) throw E.ErrInvalidVote.wrap(`invalid weight: ${o.weight}`);
    if (!validOption(o.option) || w.atomics <= 0n || w.gt(Dec.ONE)) throw E.ErrInvalidVote.wrap(`option:${optionName(o.option)} weight:"${o.weight}"`);
    total = total.add(w);
    if (used.has(o.option)) throw E.ErrInvalidVote.wrap("duplicated vote option");
    used.add(o.option);
    out.push({ option: o.option, weight: w.toString() });
  }
  if (total.gt(Dec.ONE)) throw E.ErrInvalidVote.wrap("total weight overflow 1.00");
  if (total.lt(Dec.ONE)) throw E.ErrInvalidVote.wrap("total weight lower than 1.00");
  return out;
}

function validateSubmit(m: v1.MsgSubmitProposal): void {
  if (m.title === "") throw E.ErrInvalidProposalMsg.wrap("proposal title cannot be empty");
  if (m.summary === "") throw E.ErrInvalidProposalMsg.wrap("proposal summary cannot be empty");
  addr(m.proposer, "proposer");
  if (m.messages.length === 0 && m.metadata.length === 0) throw E.ErrNoProposalMsgs.wrap("either metadata or Msgs length must be non-nil");
  initialDepositCoins(m.initialDeposit);
}

export function govMsgHandlers(gov: GovKeeper): MsgHandler<any>[] {
  /** The v1 msg server's SubmitProposal (the v1beta1 one wraps its content and calls this). */
  const submit = (ctx: Parameters<MsgHandler["execute"]>[0], m: v1.MsgSubmitProposal): bigint => {
    validateSubmit(m);
    const proposer = addr(m.proposer, "proposer");
    if (m.metadata.length > 0) {
      // The recommended metadata JSON, if used, must agree with the title and summary.
      let meta: unknown;
      try {
        meta = JSON.parse(m.metadata);
      } catch {
        meta = undefined;
      }
      if (meta && typeof meta === "object") {
        const md = meta as { title?: unknown; summary?: unknown };
        if (typeof md.title === "string" && md.title !== m.title) throw E.ErrInvalidProposalContent.wrap(`metadata title '${md.title}' must equal proposal title '${m.title}'`);
        if (typeof md.summary === "string" && md.summary !== m.summary) throw E.ErrInvalidProposalContent.wrap(`metadata summary '${md.summary}' must equal proposal summary '${m.summary}'`);
      }
    }
    for (const msg of m.messages) gov.decodeMessage(msg); // validateMsgs: routable and ValidateBasic
    const deposit = initialDepositCoins(m.initialDeposit);
    const params = gov.getParams(ctx.store);
    if (params.minInitialDepositRatio.atomics !== 0n) {
      const min = (m.expedited ? params.expeditedMinDeposit : params.minDeposit).map((c) => ({ denom: c.denom, amount: Dec.fromInt(c.amount).mul(params.minInitialDepositRatio).truncateInt() }));
      if (!isAllGTE(deposit, min)) throw E.ErrMinDepositTooSmall.wrap(`was (${formatCoins(deposit)}), need (${formatCoins(min.filter((c) => c.amount > 0n))})`);
    }
    gov.validateDepositDenom(params, deposit);
    const proposal = gov.submitProposal(ctx, m.messages, m.metadata, m.title, m.summary, proposer, m.expedited);
    ctx.gasMeter.consume(3n * 30n * BigInt(v1ProposalSize(proposal)), "submit proposal");
    if (deposit.length > 0 && gov.addDeposit(ctx, proposal.id, proposer, deposit)) {
      ctx.events.emit("submit_proposal", [["voting_period_start", proposal.id.toString()]]);
    }
    return proposal.id;
  };

  const submitV1: MsgHandler<v1.MsgSubmitProposal> = {
    typeUrl: v1.MsgSubmitProposal.typeUrl,
    module: MODULE,
    decode: (b) => v1.MsgSubmitProposal.decode(b),
    encode: (m) => v1.MsgSubmitProposal.encode(m).finish(),
    signers: (m) => [m.proposer],
    validateBasic: validateSubmit,
    execute(ctx, m) {
      const id = submit(ctx, m);
      return any(v1.MsgSubmitProposalResponse.typeUrl, v1.MsgSubmitProposalResponse.encode({ proposalId: id }).finish());
    },
  };

  const execLegacy: MsgHandler<v1.MsgExecLegacyContent> = {
    typeUrl: v1.MsgExecLegacyContent.typeUrl,
    module: MODULE,
    decode: (b) => v1.MsgExecLegacyContent.decode(b),
    encode: (m) => v1.MsgExecLegacyContent.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic(m) {
      addr(m.authority, "authority");
      gov.legacy.decode(m.content);
    },
    execute(ctx, m) {
      if (m.authority !== gov.authority) throw E.ErrInvalidSigner.wrap(`expected ${gov.authority} got ${m.authority}`);
      gov.legacy.execute(ctx, m.content);
      return any(v1.MsgExecLegacyContentResponse.typeUrl, v1.MsgExecLegacyContentResponse.encode({}).finish());
    },
  };

  const voteV1: MsgHandler<v1.MsgVote> = {
    typeUrl: v1.MsgVote.typeUrl,
    module: MODULE,
    decode: (b) => v1.MsgVote.decode(b),
    encode: (m) => v1.MsgVote.encode(m).finish(),
    signers: (m) => [m.voter],
    validateBasic(m) {
      addr(m.voter, "voter");
      if (!validOption(m.option)) throw E.ErrInvalidVote.wrap(optionName(m.option));
    },
    execute(ctx, m) {
      this.validateBasic(m);
      gov.addVote(ctx, m.proposalId, addr(m.voter, "voter"), [{ option: m.option, weight: Dec.ONE.toString() }], m.metadata);
      return any(v1.MsgVoteResponse.typeUrl, v1.MsgVoteResponse.encode({}).finish());
    },
  };

  const voteWeightedV1: MsgHandler<v1.MsgVoteWeighted> = {
    typeUrl: v1.MsgVoteWeighted.typeUrl,
    module: MODULE,
    decode: (b) => v1.MsgVoteWeighted.decode(b),
    encode: (m) => v1.MsgVoteWeighted.encode(m).finish(),
    signers: (m) => [m.voter],
    validateBasic(m) {
      addr(m.voter, "voter");
      validateWeightedOptions(m.options);
    },
    execute(ctx, m) {
      const options = validateWeightedOptions(m.options);
      gov.addVote(ctx, m.proposalId, addr(m.voter, "voter"), options, m.metadata);
      return any(v1.MsgVoteWeightedResponse.typeUrl, v1.MsgVoteWeightedResponse.encode({}).finish());
    },
  };

  /** MsgDeposit is the same message in v1 and v1beta1; only the type URLs differ. */
  const deposit = (types: typeof v1 | typeof v1beta1): MsgHandler<v1.MsgDeposit> => ({
    typeUrl: types.MsgDeposit.typeUrl,
    module: MODULE,
    decode: (b) => types.MsgDeposit.decode(b),
    encode: (m) => types.MsgDeposit.encode(m).finish(),
    signers: (m) => [m.depositor],
    validateBasic(m) {
      addr(m.depositor, "depositor");
      depositCoins(m.amount);
    },
    execute(ctx, m) {
      const coins = depositCoins(m.amount);
      if (gov.addDeposit(ctx, m.proposalId, addr(m.depositor, "depositor"), coins)) {
        ctx.events.emit("proposal_deposit", [["voting_period_start", m.proposalId.toString()]]);
      }
      return any(types.MsgDepositResponse.typeUrl, types.MsgDepositResponse.encode({}).finish());
    },
  });

  const updateParams: MsgHandler<v1.MsgUpdateParams> = {
    typeUrl: v1.MsgUpdateParams.typeUrl,
    module: MODULE,
    decode: (b) => v1.MsgUpdateParams.decode(b),
    encode: (m) => v1.MsgUpdateParams.encode(m).finish(),
    signers: (m) => [m.authority],
    validateBasic(m) {
      addr(m.authority, "authority");
    },
    execute(ctx, m) {
      if (m.authority !== gov.authority) throw E.ErrInvalidSigner.wrap(`invalid authority; expected ${gov.authority}, got ${m.authority}`);
      let p;
      try {
        p = govParamsFromProto(m.params);
        validateGovParams(p);
      } catch (e) {
        throw ErrInvalidRequest.wrap((e as Error).message);
      }
      gov.setParams(ctx.store, p);
      return any(v1.MsgUpdateParamsResponse.typeUrl, v1.MsgUpdateParamsResponse.encode({}).finish());
    },
  };

  // ---- v1beta1 (legacy): amino-signable through CosmJS's default converters ----

  const submitV1beta1: MsgHandler<v1beta1.MsgSubmitProposal> = {
    typeUrl: v1beta1.MsgSubmitProposal.typeUrl,
    module: MODULE,
    decode: (b) => v1beta1.MsgSubmitProposal.decode(b),
    encode: (m) => v1beta1.MsgSubmitProposal.encode(m).finish(),
    signers: (m) => [m.proposer],
    validateBasic(m) {
      addr(m.proposer, "proposer");
      gov.legacy.decode(m.content);
      initialDepositCoins(m.initialDeposit);
    },
    execute(ctx, m) {
      const content = gov.legacy.decode(m.content);
      const wrapped = any(v1.MsgExecLegacyContent.typeUrl, v1.MsgExecLegacyContent.encode({ content: m.content, authority: gov.authority }).finish());
      const id = submit(ctx, {
        messages: [wrapped],
        initialDeposit: m.initialDeposit,
        proposer: m.proposer,
        metadata: "",
        title: content.title,
        summary: content.description,
        expedited: false,
      });
      return any(v1beta1.MsgSubmitProposalResponse.typeUrl, v1beta1.MsgSubmitProposalResponse.encode({ proposalId: id }).finish());
    },
  };

  const voteV1beta1: MsgHandler<v1beta1.MsgVote> = {
    typeUrl: v1beta1.MsgVote.typeUrl,
    module: MODULE,
    decode: (b) => v1beta1.MsgVote.decode(b),
    encode: (m) => v1beta1.MsgVote.encode(m).finish(),
    signers: (m) => [m.voter],
    validateBasic(m) {
      addr(m.voter, "voter");
      if (!validOption(m.option as number)) throw E.ErrInvalidVote.wrap(optionName(m.option as number));
    },
    execute(ctx, m) {
      this.validateBasic(m);
      gov.addVote(ctx, m.proposalId, addr(m.voter, "voter"), [{ option: m.option as number, weight: Dec.ONE.toString() }], "");
      return any(v1beta1.MsgVoteResponse.typeUrl, v1beta1.MsgVoteResponse.encode({}).finish());
    },
  };

  /** v1beta1 weights are LegacyDec atomics strings in protobuf. */
  const legacyOptions = (m: v1beta1.MsgVoteWeighted) =>
    m.options.map((o) => {
      if (!/^[0-9]{1,40}$/.test(o.weight)) throw E.ErrInvalidVote.wrap(`invalid weight: ${o.weight}`);
      return { option: o.option as number, weight: Dec.fromAtomicsString(o.weight).toString() };
    });
  const voteWeightedV1beta1: MsgHandler<v1beta1.MsgVoteWeighted> = {
    typeUrl: v1beta1.MsgVoteWeighted.typeUrl,
    module: MODULE,
    decode: (b) => v1beta1.MsgVoteWeighted.decode(b),
    encode: (m) => v1beta1.MsgVoteWeighted.encode(m).finish(),
    signers: (m) => [m.voter],
    validateBasic(m) {
      addr(m.voter, "voter");
      validateWeightedOptions(legacyOptions(m));
    },
    execute(ctx, m) {
      const options = validateWeightedOptions(legacyOptions(m));
      gov.addVote(ctx, m.proposalId, addr(m.voter, "voter"), options, "");
      return any(v1beta1.MsgVoteWeightedResponse.typeUrl, v1beta1.MsgVoteWeightedResponse.encode({}).finish());
    },
  };

  return [submitV1, execLegacy, voteV1, voteWeightedV1, deposit(v1), updateParams, submitV1beta1, voteV1beta1, voteWeightedV1beta1, deposit(v1beta1)];
}

function v1ProposalSize(p: Parameters<GovKeeper["setProposal"]>[1]): number {
  return p.messages.reduce((n, m) => n + m.value.length + m.typeUrl.length, 0) + p.title.length + p.summary.length + p.metadata.length;
}
