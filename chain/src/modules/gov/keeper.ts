// gov: proposals, deposits (escrowed in the "gov" module account), votes, the deposit and voting
// queues, tally and the execution of passed proposals' messages as the gov module account. The only
// code that touches the gov prefixes (0x70–0x7f). Follows the SDK v0.50 x/gov keeper; see README.md.
import { Deposit, Proposal, ProposalStatus, Vote, type WeightedVoteOption, Params as ParamsProto } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { type Context, EventManager } from "../../app/context.js";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError, ConsensusFault } from "../../errors/errors.js";
import { BranchStore } from "../../store/branch.js";
import { prefixEnd, type KVReader, type KVStore } from "../../store/types.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { addCoins, type Coin, coinsFromProto, formatCoins } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import { type AuthKeeper, GOV_MODULE, moduleAddress } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import { BondStatus, type StakingKeeper } from "../staking/keeper.js";
import * as E from "./errors.js";
import * as K from "./keys.js";
import { defaultGovParams, type GovParams, govParamsFromProto, govParamsToProto } from "./params.js";
import { LegacyContentRouter } from "./legacy.js";
import { tally, type TallyOutcome, type TallyVote, type WeightedOption } from "./tally.js";

const NANOS = 1_000_000_000n;
/** The SDK's default keeper config (x/gov/types/config.go). */
export const MAX_METADATA_LEN = 255;
export const MAX_TITLE_LEN = 255;
export const MAX_SUMMARY_LEN = 10_200;

export { ProposalStatus };

export const toTimestamp = (nanos: bigint): Timestamp => ({ seconds: nanos / NANOS, nanos: Number(nanos % NANOS) });
export const fromTimestamp = (t: Timestamp | undefined): bigint => (t ? t.seconds * NANOS + BigInt(t.nanos) : 0n);

/** Finds the handler of a proposal message (the app's message registry). */
export type ProposalRouter = (typeUrl: string) => MsgHandler<unknown> | undefined;

const coinsOf = (list: { denom: string; amount: string }[]): Coin[] => coinsFromProto([...list].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0)));
const coinsOut = (c: readonly Coin[]) => c.map((x) => ({ denom: x.denom, amount: x.amount.toString() }));

/** Coins.IsAllGTE(min): every denom of `min` is covered (an empty `min` is always met). */
export function isAllGTE(have: readonly Coin[], min: readonly Coin[]): boolean {
  return min.every((m) => (have.find((h) => h.denom === m.denom)?.amount ?? 0n) >= m.amount);
}

/** The v1 weight string ("1", "0.5", "1.000000000000000000") as a Dec, or undefined if malformed. */
export function parseWeight(s: string): Dec | undefined {
  try {
    return Dec.parse(s);
  } catch {
    return undefined;
  }
}

export class GovKeeper {
  readonly address = moduleAddress(GOV_MODULE);
  /** The authority of every MsgUpdateParams: the gov module account. */
  readonly authority = formatAddress(moduleAddress(GOV_MODULE));
  /** v1beta1 content handlers; modules add their legacy param subspaces (app.ts). */
  readonly legacy = new LegacyContentRouter();

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
    private readonly router: ProposalRouter,
  ) {}

  // ---- params, genesis ----

  getParams(s: KVReader): GovParams {
    const v = s.get(K.PARAMS_KEY);
    return v ? govParamsFromProto(ParamsProto.decode(v)) : defaultGovParams();
  }

  setParams(s: KVStore, p: GovParams): void {
    s.set(K.PARAMS_KEY, ParamsProto.encode(govParamsToProto(p)).finish());
  }

  initGenesis(s: KVStore, startingProposalId: bigint, params: GovParams): void {
    this.setParams(s, params);
    s.set(K.NEXT_PROPOSAL_ID_KEY, K.be64(startingProposalId));
    this.auth.ensureModuleAccount(s, GOV_MODULE, ["burner"]);
  }

  private nextProposalId(s: KVStore): bigint {
    const v = s.get(K.NEXT_PROPOSAL_ID_KEY);
    const id = v ? Buffer.from(v).readBigUInt64BE(0) : 1n;
    s.set(K.NEXT_PROPOSAL_ID_KEY, K.be64(id + 1n));
    return id;
  }

  // ---- proposals ----

  getProposal(s: KVReader, id: bigint): Proposal | undefined {
    const v = s.get(K.proposalKey(id));
    return v ? Proposal.decode(v) : undefined;
  }

  mustGetProposal(s: KVReader, id: bigint): Proposal {
    const p = this.getProposal(s, id);
    if (!p) throw E.ErrUnknownProposal.wrap(`${id}`);
    return p;
  }

  setProposal(s: KVStore, p: Proposal): void {
    s.set(K.proposalKey(p.id), Proposal.encode(p).finish());
  }

  /** Every proposal in id order. */
  *iterateProposals(s: KVReader): Iterable<{ key: Uint8Array; value: Proposal }> {
    for (const [k, v] of s.iterate(K.PROPOSALS_PREFIX, prefixEnd(K.PROPOSALS_PREFIX))) yield { key: k, value: Proposal.decode(v) };
  }

  /**
   * Keeper.SubmitProposal: every message must be routable, valid and signed by the gov account
   * alone; legacy content must have a handler that accepts it (run on a throwaway branch).
   */
  submitProposal(ctx: Context, messages: Any[], metadata: string, title: string, summary: string, proposer: Uint8Array, expedited: boolean): Proposal {
    if (metadata.length > MAX_METADATA_LEN) throw E.ErrMetadataTooLong.wrap(`got metadata with length ${metadata.length}`);
    if (title.length > MAX_TITLE_LEN) throw E.ErrInvalidProposalMsg.wrap(`title too long: got title with length ${title.length}`);
    if (summary.length > MAX_SUMMARY_LEN) throw E.ErrSummaryTooLong.wrap(`got summary with length ${summary.length}`);
    for (const any of messages) {
      const { handler, msg } = this.decodeMessage(any);
      const signers = handler.signers(msg);
      if (signers.length !== 1) throw E.ErrInvalidSigner.err();
      if (signers[0] !== this.authority) throw E.ErrInvalidSigner.wrap(signers[0]!);
      if (any.typeUrl === "/cosmos.gov.v1.MsgExecLegacyContent") {
        const branch = new BranchStore(ctx.store);
        try {
          handler.execute({ ...ctx, store: branch, rawStore: branch, events: new EventManager() }, msg);
        } catch (e) {
          if (e instanceof ConsensusFault) throw e;
          if (E.ErrNoProposalHandlerExists.is(e)) throw e;
          throw E.ErrInvalidProposalContent.wrap(e instanceof ChainError ? e.message : String(e));
        }
      }
    }
    const params = this.getParams(ctx.store);
    const id = this.nextProposalId(ctx.store);
    const depositEnd = ctx.timeNanos + params.maxDepositPeriodNanos;
    const proposal: Proposal = {
      id,
      messages,
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" },
      submitTime: toTimestamp(ctx.timeNanos),
      depositEndTime: toTimestamp(depositEnd),
      totalDeposit: [],
      votingStartTime: undefined,
      votingEndTime: undefined,
      metadata,
      title,
      summary,
      proposer: formatAddress(proposer),
      expedited,
      failedReason: "",
    };
    this.setProposal(ctx.store, proposal);
    ctx.store.set(K.inactiveQueueKey(depositEnd, id), new Uint8Array());
    ctx.events.emit("submit_proposal", () => [
      ["proposal_id", id.toString()],
      ["proposal_messages", messages.map((m) => `,${m.typeUrl}`).join("")],
    ]);
    return proposal;
  }

  /** Decodes a proposal message with its registered handler; validates it (validateBasic). */
  decodeMessage(any: Any): { handler: MsgHandler<unknown>; msg: unknown } {
    const handler = this.router(any.typeUrl);
    if (!handler) throw E.ErrUnroutableProposalMsg.wrap(any.typeUrl);
    let msg: unknown;
    try {
      msg = handler.decode(any.value);
    } catch (e) {
      throw E.ErrInvalidProposalMsg.wrap(`${any.typeUrl}: ${(e as Error).message}`);
    }
    try {
      handler.validateBasic(msg);
    } catch (e) {
      throw E.ErrInvalidProposalMsg.wrap(`msg: ${any.typeUrl}, err: ${(e as Error).message}`);
    }
    return { handler, msg };
  }

  minDeposit(p: Proposal, params: GovParams): Coin[] {
    return p.expedited ? params.expeditedMinDeposit : params.minDeposit;
  }

  /** The deposit may only hold denoms of min_deposit (validateDepositDenom). */
  validateDepositDenom(params: GovParams, deposit: readonly Coin[]): void {
    const accepted = params.minDeposit.map((c) => c.denom);
    for (const c of deposit) {
      if (!accepted.includes(c.denom)) {
        throw E.ErrInvalidDepositDenom.wrap(`deposited ${formatCoins(deposit)}, but gov accepts only the following denom(s): [${accepted.join(" ")}]`);
      }
    }
  }

  /** Keeper.AddDeposit: escrows the coins; returns true if this deposit started the voting period. */
  addDeposit(ctx: Context, id: bigint, depositor: Uint8Array, amount: Coin[]): boolean {
    const proposal = this.mustGetProposal(ctx.store, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw E.ErrInactiveProposal.wrap(`${id}`);
    }
    const params = this.getParams(ctx.store);
    const minDeposit = this.minDeposit(proposal, params);
    this.validateDepositDenom(params, amount);
    if (params.minDepositRatio.atomics !== 0n) {
      const thresholds = minDeposit.map((m) => ({ denom: m.denom, amount: Dec.fromInt(m.amount).mul(params.minDepositRatio).truncateInt() }));
      const met = thresholds.some((t) => {
        const have = amount.find((c) => c.denom === t.denom);
        return have !== undefined && have.amount >= t.amount;
      });
      if (!met) {
        throw E.ErrMinDepositTooSmall.wrap(`received ${formatCoins(amount)} but need at least one of the following: ${thresholds.map((t) => `${t.amount}${t.denom}`).join(",")}`);
      }
    }
    this.bank.sendCoins(ctx, depositor, this.address, amount);
    proposal.totalDeposit = coinsOut(addCoins(coinsOf(proposal.totalDeposit), amount));
    this.setProposal(ctx.store, proposal);
    let activated = false;
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && isAllGTE(coinsOf(proposal.totalDeposit), minDeposit)) {
      this.activateVotingPeriod(ctx, proposal, params);
      activated = true;
    }
    const existing = this.getDeposit(ctx.store, id, depositor);
    const deposit: Deposit = {
      proposalId: id,
      depositor: formatAddress(depositor),
      amount: coinsOut(existing ? addCoins(coinsOf(existing.amount), amount) : amount),
    };
    ctx.events.emit("proposal_deposit", () => [
      ["depositor", formatAddress(depositor)],
      ["amount", formatCoins(amount)],
      ["proposal_id", id.toString()],
    ]);
    ctx.store.set(K.depositKey(id, depositor), Deposit.encode(deposit).finish());
    return activated;
  }

  activateVotingPeriod(ctx: Context, p: Proposal, params = this.getParams(ctx.store)): void {
    const end = ctx.timeNanos + (p.expedited ? params.expeditedVotingPeriodNanos : params.votingPeriodNanos);
    p.votingStartTime = toTimestamp(ctx.timeNanos);
    p.votingEndTime = toTimestamp(end);
    p.status = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    this.setProposal(ctx.store, p);
    ctx.store.delete(K.inactiveQueueKey(fromTimestamp(p.depositEndTime), p.id));
    ctx.store.set(K.activeQueueKey(end, p.id), new Uint8Array());
  }

  // ---- deposits ----

  getDeposit(s: KVReader, id: bigint, depositor: Uint8Array): Deposit | undefined {
    const v = s.get(K.depositKey(id, depositor));
    return v ? Deposit.decode(v) : undefined;
  }

  *iterateDeposits(s: KVReader, id: bigint): Iterable<{ key: Uint8Array; value: Deposit }> {
    const p = K.depositsPrefix(id);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { key: k, value: Deposit.decode(v) };
  }

  /** Returns every deposit of the proposal to its depositor and deletes them. */
  refundAndDeleteDeposits(ctx: Context, id: bigint): void {
    for (const { key, value } of [...this.iterateDeposits(ctx.store, id)]) {
      const coins = coinsOf(value.amount);
      if (coins.length > 0) this.bank.sendCoins(ctx, this.address, parseAddress(value.depositor), coins);
      ctx.store.delete(key);
    }
  }

  /** Burns every deposit of the proposal (from the gov account) and deletes them. */
  deleteAndBurnDeposits(ctx: Context, id: bigint): void {
    for (const { key, value } of [...this.iterateDeposits(ctx.store, id)]) {
      const coins = coinsOf(value.amount);
      if (coins.length > 0) this.bank.burnCoins(ctx, this.address, coins);
      ctx.store.delete(key);
    }
  }

  // ---- votes ----

  /** Keeper.AddVote: only while the proposal is in its voting period; replaces an earlier vote. */
  addVote(ctx: Context, id: bigint, voter: Uint8Array, options: WeightedVoteOption[], metadata: string): void {
    const proposal = this.mustGetProposal(ctx.store, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw E.ErrInactiveProposal.wrap(`${id}`);
    if (metadata.length > MAX_METADATA_LEN) throw E.ErrMetadataTooLong.wrap(`got metadata with length ${metadata.length}`);
    const vote: Vote = { proposalId: id, voter: formatAddress(voter), options, metadata };
    ctx.store.set(K.voteKey(id, voter), Vote.encode(vote).finish());
    ctx.events.emit("proposal_vote", () => [
      ["voter", formatAddress(voter)],
      ["option", formatOptions(options)],
      ["proposal_id", id.toString()],
    ]);
  }

  getVote(s: KVReader, id: bigint, voter: Uint8Array): Vote | undefined {
    const v = s.get(K.voteKey(id, voter));
    return v ? Vote.decode(v) : undefined;
  }

  *iterateVotes(s: KVReader, id: bigint): Iterable<{ key: Uint8Array; value: Vote }> {
    const p = K.votesPrefix(id);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) yield { key: k, value: Vote.decode(v) };
  }

  // ---- tally ----

  /** Tally of the proposal's current votes against the current bonded set (read-only). */
  tally(s: KVReader, proposal: Proposal): TallyOutcome {
    const params = this.getParams(s);
    const validators = [...this.staking.iterateValidators(s)]
      .filter((v) => v.status === BondStatus.BOND_STATUS_BONDED)
      .map((v) => ({ operator: v.operator, tokens: v.tokens, delegatorShares: v.delegatorShares }));
    const votes: TallyVote[] = [...this.iterateVotes(s, proposal.id)].map(({ value }) => ({
      voter: parseAddress(value.voter),
      options: value.options.map((o): WeightedOption => ({ option: o.option, weight: parseWeight(o.weight) ?? Dec.ZERO })),
    }));
    const delegationsOf = (voter: Uint8Array) => [...this.staking.iterateDelegatorDelegations(s, voter)].map(({ value }) => ({ validator: value.validator, shares: value.shares }));
    const threshold = proposal.expedited ? params.expeditedThreshold : params.threshold;
    return tally(validators, votes, delegationsOf, this.staking.bondedTokens(s), params, threshold);
  }

  // ---- EndBlock ----

  /**
   * The SDK's gov EndBlocker: drops proposals whose deposit period ended (deposits refunded, or
   * burned with burn_proposal_deposit_prevote), then tallies those whose voting period ended:
   * deposits refunded or burned, passed proposals' messages executed on a branch as the gov account
   * (all or nothing), status and final tally stored.
   */
  endBlock(ctx: Context): void {
    const now = ctx.timeNanos;
    for (const id of this.dueIds(ctx.store, K.INACTIVE_QUEUE_PREFIX, now)) {
      const { key, id: pid } = id;
      ctx.store.delete(key);
      const proposal = this.getProposal(ctx.store, pid);
      if (!proposal) continue;
      ctx.store.delete(K.proposalKey(pid));
      if (this.getParams(ctx.store).burnProposalDepositPrevote) this.deleteAndBurnDeposits(ctx, pid);
      else this.refundAndDeleteDeposits(ctx, pid);
      ctx.events.emit("inactive_proposal", [
        ["proposal_id", pid.toString()],
        ["proposal_result", "proposal_dropped"],
      ]);
    }
    for (const { key, id } of this.dueIds(ctx.store, K.ACTIVE_QUEUE_PREFIX, now)) {
      const proposal = this.getProposal(ctx.store, id);
      ctx.store.delete(key);
      if (!proposal) continue;
      const outcome = this.tally(ctx.store, proposal);
      for (const { key: vk } of [...this.iterateVotes(ctx.store, id)]) ctx.store.delete(vk);
      if (!(proposal.expedited && !outcome.passes)) {
        if (outcome.burnDeposits) this.deleteAndBurnDeposits(ctx, id);
        else this.refundAndDeleteDeposits(ctx, id);
      }
      let result: string;
      let log: string;
      if (outcome.passes) {
        const r = this.execute(ctx, proposal);
        if (r.ok) {
          proposal.status = ProposalStatus.PROPOSAL_STATUS_PASSED;
          result = "proposal_passed";
          log = "passed";
        } else {
          proposal.status = ProposalStatus.PROPOSAL_STATUS_FAILED;
          proposal.failedReason = r.error;
          result = "proposal_failed";
          log = `passed, but msg ${r.index} (${proposal.messages[r.index]!.typeUrl}) failed on execution: ${r.error}`;
        }
      } else if (proposal.expedited) {
        // A failed expedited proposal becomes a regular one: its voting period is extended.
        proposal.expedited = false;
        const end = fromTimestamp(proposal.votingStartTime) + this.getParams(ctx.store).votingPeriodNanos;
        proposal.votingEndTime = toTimestamp(end);
        ctx.store.set(K.activeQueueKey(end, id), new Uint8Array());
        result = "expedited_proposal_rejected";
        log = "expedited proposal converted to regular";
      } else {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
        proposal.failedReason = "proposal did not get enough votes to pass";
        result = "proposal_rejected";
        log = "rejected";
      }
      const t = outcome.result;
      proposal.finalTallyResult = { yesCount: t.yes.toString(), abstainCount: t.abstain.toString(), noCount: t.no.toString(), noWithVetoCount: t.noWithVeto.toString() };
      this.setProposal(ctx.store, proposal);
      ctx.events.emit("active_proposal", [
        ["proposal_id", id.toString()],
        ["proposal_result", result],
        ["proposal_log", log],
      ]);
    }
  }

  /** Queue entries with time ≤ now, in (time, id) order (collected before the loop mutates state). */
  private dueIds(s: KVReader, prefix: Buffer, now: bigint): { key: Uint8Array; id: bigint }[] {
    const end = Buffer.concat([prefix, K.be64(now + 1n)]);
    const out: { key: Uint8Array; id: bigint }[] = [];
    for (const [k] of s.iterate(prefix, end)) out.push({ key: Uint8Array.from(k), id: Buffer.from(k).readBigUInt64BE(9) });
    return out;
  }

  /** Runs a passed proposal's messages as the gov account on a branch; all or nothing. */
  private execute(ctx: Context, proposal: Proposal): { ok: true } | { ok: false; index: number; error: string } {
    const branch = new BranchStore(ctx.store);
    const events = new EventManager();
    for (const [i, any] of proposal.messages.entries()) {
      try {
        const { handler, msg } = this.decodeMessage(any);
        const msgEvents = new EventManager();
        handler.execute({ ...ctx, store: branch, rawStore: branch, events: msgEvents }, msg);
        events.absorb(msgEvents);
      } catch (e) {
        if (e instanceof ConsensusFault) throw e;
        return { ok: false, index: i, error: e instanceof Error ? e.message : String(e) };
      }
    }
    branch.writeTo(ctx.store);
    ctx.events.absorb(events);
    return { ok: true };
  }
}

/** The proposal_vote event's option text (the SDK's WeightedVoteOptions.String()). */
export function formatOptions(options: WeightedVoteOption[]): string {
  const name = ["VOTE_OPTION_UNSPECIFIED", "VOTE_OPTION_YES", "VOTE_OPTION_ABSTAIN", "VOTE_OPTION_NO", "VOTE_OPTION_NO_WITH_VETO"];
  return options.map((o) => `option:${name[o.option] ?? o.option} weight:"${o.weight}"`).join("\n");
}
