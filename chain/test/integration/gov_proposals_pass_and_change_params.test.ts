// Governance through signed txs (v1 direct, v1beta1 amino with CosmJS's own converters): proposals
// with messages and with legacy content, deposits escrowed in the gov account, votes that delegators
// inherit from their validator unless they vote, EndBlock outcomes (passed → staking/mint params
// change; vetoed → deposits burned; deposit period over → dropped and refunded), CosmJS's
// setupGovExtension reading every v1beta1 path; two apps agree; invariants at the end.
import { describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { type QueryClient, setupGovExtension } from "@cosmjs/stargate";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as govv1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as govv1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { ParameterChangeProposal } from "cosmjs-types/cosmos/params/v1beta1/params";
import { MsgUpdateParams as StakingMsgUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgCreateValidator, MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { sha256 } from "../../src/crypto/hash.js";
import { MsgUpdateParams as MintMsgUpdateParams } from "../../src/gen/soa/mint/v1/tx.js";
import { paramsToProto as mintParamsToProto } from "../../src/modules/mint/params.js";
import { paramsToProto as stakingParamsToProto } from "../../src/modules/staking/params.js";
import { ed25519PubkeyAny } from "../../src/modules/staking/keeper.js";
import { stakingInvariants, sumOfBalances } from "../../src/modules/staking/testing.js";
import type { TestKey } from "../../src/tx/build.js";
import { Dec } from "../../src/types/dec.js";
import { fundedGenesis, keyFromSeed, TestNode, withoutMinting } from "../utils/testNode.js";

const M = 1_000_000n;
const keys = ["gval1", "gval2", "gdelegator", "gproposer"].map(keyFromSeed);
const [v1, v2, d, p] = keys as [TestKey, TestKey, TestKey, TestKey];
const valoper = (k: TestKey) => toBech32("soavaloper", fromBech32(k.address).data);
const GOV = toBech32("soa", sha256(Buffer.from("gov")).subarray(0, 20));
const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });
const usoa = (n: bigint) => [{ denom: "usoa", amount: n.toString() }];

const createValidator = (k: TestKey, amount: bigint) =>
  msg(
    MsgCreateValidator.typeUrl,
    MsgCreateValidator.encode(
      MsgCreateValidator.fromPartial({
        description: { moniker: k.address.slice(-6) },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        validatorAddress: valoper(k),
        pubkey: ed25519PubkeyAny(sha256(Buffer.from(`cons:${k.address}`))),
        value: usoa(amount)[0],
      }),
    ).finish(),
  );

function genesis() {
  const g = withoutMinting(fundedGenesis(keys, 1000n * M));
  g.staking = { params: { unbonding_time: "30s", max_validators: 10, max_entries: 7, historical_entries: 0, bond_denom: "usoa", min_commission_rate: "0" } };
  g.gov = { params: { min_deposit: usoa(10n * M), max_deposit_period: "5s", voting_period: "10s" } };
  return g;
}

function govQueries(node: TestNode) {
  const base = {
    async queryAbci(path: string, data: Uint8Array) {
      const r = node.query(path, data);
      if (r.code !== 0) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return { key: r.key, value: r.value, height: Number(r.height) };
    },
  } as unknown as QueryClient;
  return setupGovExtension(base).gov;
}

describe("gov through signed txs", () => {
  it("a v1 param-change proposal passes and takes effect; a vetoed one burns its deposit; an underfunded one is dropped and refunded", async () => {
    const a = await TestNode.create({ genesis: genesis() });
    const b = await TestNode.create({ genesis: genesis() });
    const seq = new Map<string, bigint>();
    const sign = (k: TestKey, messages: Any[], amino = false) => {
      const s = seq.get(k.address) ?? 0n;
      seq.set(k.address, s + 1n);
      return a.signTx({ key: k, accountNumber: BigInt(keys.indexOf(k)), sequence: s, messages, gasLimit: 800_000n, signMode: amino ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT });
    };
    const blockRaw = (txs: Uint8Array[]) => {
      const ra = a.deliverBlock(txs);
      const rb = b.deliverBlock(txs);
      expect(Buffer.from(rb.appHash).toString("hex"), `app hash at ${ra.height}`).toBe(Buffer.from(ra.appHash).toString("hex"));
      expect(rb.events).toEqual(ra.events);
      return ra;
    };
    const block = (txs: Uint8Array[]) => {
      const r = blockRaw(txs);
      for (const [i, x] of r.results.entries()) expect(x.code, `tx ${i} at ${r.height}: ${x.log}`).toBe(0);
      return r;
    };
    const bal = (addr: string) => a.app.bank.getBalance(a.app.committed, fromBech32(addr).data, "usoa");
    const attrs = (e: { attributes: { key: string; value: string }[] }) => Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
    try {
      // validators: v1 60 SOA, v2 40 SOA (d delegates 10 of v2's 40)
      block([sign(v1, [createValidator(v1, 60n * M)]), sign(v2, [createValidator(v2, 30n * M)])]);
      block([sign(d, [msg(MsgDelegate.typeUrl, MsgDelegate.encode({ delegatorAddress: d.address, validatorAddress: valoper(v2), amount: usoa(10n * M)[0] }).finish())], true)]);

      // proposal 1 (v1, direct): staking max_validators 10 → 50 and mint pos_share 0.35 → 0.5, with the full deposit
      const sp = a.app.staking.getParams(a.app.committed);
      const mp = a.app.mint.getParams(a.app.committed);
      const stakingUpdate = msg(StakingMsgUpdateParams.typeUrl, StakingMsgUpdateParams.encode({ authority: GOV, params: stakingParamsToProto({ ...sp, maxValidators: 50 }) }).finish());
      const mintUpdate = msg("/soa.mint.v1.MsgUpdateParams", MintMsgUpdateParams.encode({ authority: GOV, params: mintParamsToProto({ ...mp, posShare: Dec.parse("0.5") }) }).finish());
      const submit1 = msg(
        govv1.MsgSubmitProposal.typeUrl,
        govv1.MsgSubmitProposal.encode({ messages: [stakingUpdate, mintUpdate], initialDeposit: usoa(10n * M), proposer: p.address, metadata: "", title: "More validators, more PoS", summary: "max_validators 50; pos_share 0.5", expedited: false }).finish(),
      );
      // proposal 2 (v1beta1 amino): a text proposal with half the deposit, topped up by MsgDeposit (amino)
      const text = msg(TextProposal.typeUrl, TextProposal.encode({ title: "Hello", description: "A text proposal" }).finish());
      const submit2 = msg(govv1beta1.MsgSubmitProposal.typeUrl, govv1beta1.MsgSubmitProposal.encode({ content: text, initialDeposit: usoa(5n * M), proposer: p.address }).finish());
      // proposal 3 (v1beta1 direct): a ParameterChangeProposal that never gets its deposit
      const change = msg(
        ParameterChangeProposal.typeUrl,
        ParameterChangeProposal.encode({ title: "Entries", description: "max_entries 9", changes: [{ subspace: "staking", key: "MaxEntries", value: "9" }] }).finish(),
      );
      const submit3 = msg(govv1beta1.MsgSubmitProposal.typeUrl, govv1beta1.MsgSubmitProposal.encode({ content: change, initialDeposit: usoa(1n * M), proposer: p.address }).finish());
      const before = bal(p.address);
      const r = block([sign(p, [submit1]), sign(p, [submit2], true), sign(p, [submit3])]);
      expect(govv1.MsgSubmitProposalResponse.decode(TxMsgData.decode(r.results[0]!.data).msgResponses[0]!.value).proposalId).toBe(1n);
      const ev = r.results[0]!.events.filter((e) => e.type === "submit_proposal").map(attrs);
      expect(ev).toEqual([
        { proposal_id: "1", proposal_messages: ",/cosmos.staking.v1beta1.MsgUpdateParams,/soa.mint.v1.MsgUpdateParams", msg_index: "0" },
        { voting_period_start: "1", msg_index: "0" },
      ]);
      expect(r.results[0]!.events.filter((e) => e.type === "proposal_deposit").map(attrs)).toEqual([{ depositor: p.address, amount: "10000000usoa", proposal_id: "1", msg_index: "0" }]);
      expect(bal(p.address)).toBe(before - 16n * M);
      expect(bal(GOV)).toBe(16n * M);

      const q = govQueries(a);
      expect((await q.proposal(1)).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
      expect((await q.proposal(2)).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
      expect((await q.proposal(2)).proposal.content?.typeUrl).toBe(TextProposal.typeUrl);
      expect((await q.proposal(1)).proposal.content?.typeUrl).toBe("/soa.mint.v1.MsgUpdateParams"); // the SDK's v1beta1 view: the last message
      const all = await q.proposals(0, "", "");
      expect(all.proposals.map((x) => x.proposalId)).toEqual([1n, 2n, 3n]);
      expect(all.pagination).toBeDefined();
      expect((await q.proposals(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD as number, "", "")).proposals.map((x) => x.proposalId)).toEqual([2n, 3n]);
      expect(Buffer.from((await q.params("tallying")).tallyParams.quorum).toString()).toBe("334000000000000000");
      expect((await q.params("voting")).votingParams.votingPeriod.seconds).toBe(10n);
      expect((await q.params("deposit")).depositParams.minDeposit).toEqual(usoa(10n * M));

      // top up proposal 2 (amino) → voting; votes: v1 yes (v1, direct), v2 no on 1 and veto on 2 (amino),
      // d weighted yes on 1 (overrides v2 for its 10 SOA), yes on 2
      const deposit2 = msg(govv1beta1.MsgDeposit.typeUrl, govv1beta1.MsgDeposit.encode({ proposalId: 2n, depositor: d.address, amount: usoa(5n * M) }).finish());
      const vote = (k: TestKey, id: bigint, option: VoteOption, amino = true) =>
        amino
          ? msg(govv1beta1.MsgVote.typeUrl, govv1beta1.MsgVote.encode({ proposalId: id, voter: k.address, option: option as number }).finish())
          : msg(govv1.MsgVote.typeUrl, govv1.MsgVote.encode({ proposalId: id, voter: k.address, option, metadata: "" }).finish());
      const weighted = msg(
        govv1beta1.MsgVoteWeighted.typeUrl,
        govv1beta1.MsgVoteWeighted.encode({
          proposalId: 1n,
          voter: d.address,
          options: [
            { option: VoteOption.VOTE_OPTION_YES as number, weight: "700000000000000000" },
            { option: VoteOption.VOTE_OPTION_ABSTAIN as number, weight: "300000000000000000" },
          ],
        }).finish(),
      );
      const r2 = block([sign(d, [deposit2], true)]);
      expect(r2.results[0]!.events.some((e) => e.type === "proposal_deposit" && attrs(e)["voting_period_start"] === "2")).toBe(true);
      block([
        sign(v1, [vote(v1, 1n, VoteOption.VOTE_OPTION_YES, false), vote(v1, 2n, VoteOption.VOTE_OPTION_YES, false)]),
        sign(v2, [vote(v2, 1n, VoteOption.VOTE_OPTION_NO), vote(v2, 2n, VoteOption.VOTE_OPTION_NO_WITH_VETO)], true),
        sign(d, [weighted, vote(d, 2n, VoteOption.VOTE_OPTION_YES)], true),
      ]);
      // live tally: v1 60 yes; d 10 → 7 yes 3 abstain; v2 30 no
      expect(await q.tally(1)).toMatchObject({ tally: { yes: "67000000", abstain: "3000000", no: "30000000", noWithVeto: "0" } });
      expect((await q.votes(1)).votes.map((v) => v.voter).sort()).toEqual([v1.address, v2.address, d.address].sort());
      expect((await q.vote(1, d.address)).vote.options).toEqual([
        { option: VoteOption.VOTE_OPTION_YES, weight: "700000000000000000" },
        { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "300000000000000000" },
      ]);
      expect((await q.deposits(2)).deposits.map((x) => [x.depositor, x.amount[0]!.amount])).toEqual(
        [
          [p.address, "5000000"],
          [d.address, "5000000"],
        ].sort((x, y) => (Buffer.compare(fromBech32(x[0]!).data, fromBech32(y[0]!).data) < 0 ? -1 : 1)),
      );
      expect((await q.deposit(1, p.address)).deposit.amount).toEqual(usoa(10n * M));
      // a vote on a proposal in its deposit period fails (gov 3)
      const bad = blockRaw([sign(d, [vote(d, 3n, VoteOption.VOTE_OPTION_YES)], true)]);
      expect([bad.results[0]!.codespace, bad.results[0]!.code]).toEqual(["gov", 3]);

      // the deposit period of 3 ends (5 s after submission): dropped, deposit refunded
      const supply0 = a.app.bank.getSupply(a.app.committed, "usoa");
      let dropped = false;
      let ended: { id: string; result: string }[] = [];
      const pBefore = bal(p.address);
      for (let i = 0; i < 12 && ended.length < 2; i++) {
        const rr = block([]);
        for (const e of rr.events) {
          if (e.type === "inactive_proposal") {
            expect(attrs(e)).toMatchObject({ proposal_id: "3", proposal_result: "proposal_dropped", mode: "EndBlock" });
            dropped = true;
          }
          if (e.type === "active_proposal") ended.push({ id: attrs(e)["proposal_id"]!, result: attrs(e)["proposal_result"]! });
        }
      }
      expect(dropped).toBe(true);
      ended = ended.sort((x, y) => x.id.localeCompare(y.id));
      expect(ended).toEqual([
        { id: "1", result: "proposal_passed" },
        { id: "2", result: "proposal_passed" }, // text: yes 70 of 100, veto 30 % < 33.4 %; no effect
      ]);
      // deposits refunded: 3 (1 SOA, dropped), 1 (10 SOA) and 2 (5 SOA each to p and d)
      const p1 = (await q.proposal(1)).proposal;
      expect(p1.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
      expect(p1.finalTallyResult).toEqual({ yes: "67000000", abstain: "3000000", no: "30000000", noWithVeto: "0" });
      expect(a.app.staking.getParams(a.app.committed).maxValidators).toBe(50);
      expect(a.app.mint.getParams(a.app.committed).posShare.toString()).toBe("0.500000000000000000");
      await expect(q.proposal(3)).rejects.toThrow(/proposal 3 doesn't exist/);
      expect((await q.votes(1)).votes).toEqual([]); // removed by the tally, as in the SDK
      expect(bal(GOV)).toBe(0n);
      expect(a.app.bank.getSupply(a.app.committed, "usoa")).toBe(supply0);
      expect(bal(p.address)).toBe(pBefore + 1n * M + 10n * M + 5n * M);

      // proposal 4: vetoed by v1 (60 of 100 > 0.334): the deposit is burned
      const text4 = msg(TextProposal.typeUrl, TextProposal.encode({ title: "Veto me", description: "burn" }).finish());
      block([sign(p, [msg(govv1beta1.MsgSubmitProposal.typeUrl, govv1beta1.MsgSubmitProposal.encode({ content: text4, initialDeposit: usoa(10n * M), proposer: p.address }).finish())], true)]);
      block([sign(v1, [vote(v1, 4n, VoteOption.VOTE_OPTION_NO_WITH_VETO)], true)]);
      for (let i = 0; i < 11; i++) block([]);
      expect((await q.proposal(4)).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
      expect(a.app.bank.getSupply(a.app.committed, "usoa")).toBe(supply0 - 10n * M);
      expect(bal(GOV)).toBe(0n);

      // invariants
      for (const n of [a, b]) {
        expect(stakingInvariants(n.app.committed, n.app.staking, n.app.bank)).toEqual([]);
        expect(sumOfBalances(n.app.committed, n.app.bank, n.app.auth, "usoa", (x) => fromBech32(x).data)).toBe(n.app.bank.getSupply(n.app.committed, "usoa"));
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
