// gov against a real 4-validator localnet (genesis by gentx) with unmodified @cosmjs/stargate:
// a v1 proposal (direct) carrying /soa.mint.v1.MsgUpdateParams (pos_share 0.35 → 0.5) and a v1beta1
// ParameterChangeProposal (staking MaxValidators 100 → 90) pass on the votes of delegators (one direct,
// one amino) and take effect: later blocks split issuance with the new pos_share, staking params
// change; deposits come back from the gov account; CosmJS's setupGovExtension reads every v1beta1
// path. Invariants at the end.
import { type DeliverTxResponse, QueryClient, type StdFee, coin, createProtobufRpcClient, setupGovExtension, setupStakingExtension } from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { MsgSubmitProposal as MsgSubmitProposalV1, MsgVote as MsgVoteV1 } from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgSubmitProposal as MsgSubmitProposalV1beta1 } from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { ParameterChangeProposal } from "cosmjs-types/cosmos/params/v1beta1/params";
import { QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { DENOM } from "@soa/client";
import { QueryClientImpl as SoaMintQuery } from "@soa/chain/gen/soa/mint/v1/query";
import { MsgUpdateParams as MintMsgUpdateParams } from "@soa/chain/gen/soa/mint/v1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevSigner, atOneHeight, blockEvents, devSigner, moduleAccountAddress, pollUntil, startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;
const SOA = 1_000_000n;
const FEE: StdFee = { amount: [coin(5_000, DENOM)], gas: "800000" };
const GOV = moduleAccountAddress("gov");
const BONDED_POOL = moduleAccountAddress("bonded_tokens_pool");
const VOTING_PERIOD_S = 8;

const ok = (r: DeliverTxResponse) => {
  expect(r.code, r.rawLog).toBe(0);
  return r;
};
const attr = (r: DeliverTxResponse, type: string, key: string) => r.events.find((e) => e.type === type && e.attributes.some((a) => a.key === key))?.attributes.find((a) => a.key === key)?.value;

describe("gov through unmodified CosmJS against a real localnet", () => {
  let net: Localnet;
  let comet: CometClient;
  let qc: QueryClient & ReturnType<typeof setupGovExtension> & ReturnType<typeof setupStakingExtension>;
  let mintQuery: SoaMintQuery;
  let direct: DevSigner;
  let amino: DevSigner;
  let validator: string;
  let mintProposal: number;
  let stakingProposal: number;

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 4, gov: { voting_period: `${VOTING_PERIOD_S}s`, max_deposit_period: "60s" } });
    comet = await connectComet(net.rpcUrl(0));
    qc = QueryClient.withExtensions(comet, setupGovExtension, setupStakingExtension);
    mintQuery = new SoaMintQuery(createProtobufRpcClient(qc));
    direct = await devSigner(net, 3, "direct");
    amino = await devSigner(net, 4, "amino");
    validator = net.nodes[0]!.operatorAddress;
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    direct?.client.disconnect();
    amino?.client.disconnect();
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it("genesis carries the localnet gov params; CosmJS reads them", async () => {
    expect(net.genesis.app_state.gov?.params).toMatchObject({ voting_period: `${VOTING_PERIOD_S}s`, max_deposit_period: "60s" });
    const voting = await qc.gov.params("voting");
    expect(voting.votingParams.votingPeriod.seconds).toBe(BigInt(VOTING_PERIOD_S));
    const tallying = await qc.gov.params("tallying");
    expect(Buffer.from(tallying.tallyParams.quorum).toString()).toBe("334000000000000000");
    expect(Buffer.from(tallying.tallyParams.vetoThreshold).toString()).toBe("334000000000000000");
    expect((await qc.gov.params("deposit")).depositParams.minDeposit).toEqual([{ denom: DENOM, amount: (10n * SOA).toString() }]);
    expect((await mintQuery.Params({})).params?.posShare).toBe("350000000000000000");
    expect((await qc.staking.params()).params.maxValidators).toBe(100);
  }, TEST_TIMEOUT);

  it("a parameter-change proposal passes and takes effect", async () => {
    // stake for the voters: direct 300 SOA, amino 50 SOA to validator 0; the four validators (4 × 100 SOA)
    // do not vote: 350 of 750 bonded SOA vote (quorum 33.4 %), 300 of 350 yes
    ok(await direct.client.delegateTokens(direct.address, validator, coin((300n * SOA).toString(), DENOM), FEE));
    ok(await amino.client.delegateTokens(amino.address, validator, coin((50n * SOA).toString(), DENOM), FEE));

    // v1 (direct): soa.mint.v1.MsgUpdateParams executed by the gov account
    const current = (await mintQuery.Params({})).params!;
    const update = { typeUrl: "/soa.mint.v1.MsgUpdateParams", value: MintMsgUpdateParams.encode({ authority: GOV, params: { ...current, posShare: "500000000000000000" } }).finish() };
    const r1 = ok(
      await direct.client.signAndBroadcast(
        direct.address,
        [{ typeUrl: MsgSubmitProposalV1.typeUrl, value: MsgSubmitProposalV1.fromPartial({ messages: [update], initialDeposit: [coin((10n * SOA).toString(), DENOM)], proposer: direct.address, title: "PoS share 50 %", summary: "pos_share 0.35 → 0.5", metadata: "" }) }],
        FEE,
      ),
    );
    mintProposal = Number(attr(r1, "submit_proposal", "proposal_id"));
    expect(attr(r1, "submit_proposal", "voting_period_start")).toBe(mintProposal.toString());
    // v1beta1 (direct: CosmJS has no amino form for ParameterChangeProposal): staking MaxValidators 90
    const content = { typeUrl: ParameterChangeProposal.typeUrl, value: ParameterChangeProposal.encode({ title: "Fewer validators", description: "max_validators 90", changes: [{ subspace: "staking", key: "MaxValidators", value: "90" }] }).finish() };
    const r2 = ok(
      await direct.client.signAndBroadcast(
        direct.address,
        [{ typeUrl: MsgSubmitProposalV1beta1.typeUrl, value: MsgSubmitProposalV1beta1.fromPartial({ content, initialDeposit: [coin((10n * SOA).toString(), DENOM)], proposer: direct.address }) }],
        FEE,
      ),
    );
    stakingProposal = Number(attr(r2, "submit_proposal", "proposal_id"));
    expect(stakingProposal).toBe(mintProposal + 1);

    // votes: direct yes on both (v1 MsgVote); amino no on the first (v1beta1 MsgVote through CosmJS's converter)
    ok(
      await direct.client.signAndBroadcast(
        direct.address,
        [mintProposal, stakingProposal].map((proposalId) => ({ typeUrl: MsgVoteV1.typeUrl, value: MsgVoteV1.fromPartial({ proposalId: BigInt(proposalId), voter: direct.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" }) })),
        FEE,
      ),
    );
    ok(await amino.client.signAndBroadcast(amino.address, [{ typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: BigInt(mintProposal), voter: amino.address, option: VoteOption.VOTE_OPTION_NO } }], FEE));

    const p = (await qc.gov.proposal(mintProposal)).proposal;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.totalDeposit).toEqual([{ denom: DENOM, amount: (10n * SOA).toString() }]);
    expect((await qc.gov.proposal(stakingProposal)).proposal.content?.typeUrl).toBe(ParameterChangeProposal.typeUrl);
    expect((await qc.gov.tally(mintProposal)).tally).toEqual({ yes: (300n * SOA).toString(), abstain: "0", no: (50n * SOA).toString(), noWithVeto: "0" });
    expect((await qc.gov.votes(mintProposal)).votes.map((v) => v.voter).sort()).toEqual([direct.address, amino.address].sort());
    expect((await qc.gov.vote(mintProposal, amino.address)).vote.options).toEqual([{ option: VoteOption.VOTE_OPTION_NO, weight: "1000000000000000000" }]);
    expect((await qc.gov.deposit(mintProposal, direct.address)).deposit.amount).toEqual([{ denom: DENOM, amount: (10n * SOA).toString() }]);
    expect((await qc.gov.deposits(stakingProposal)).deposits).toHaveLength(1);
    expect((await qc.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "", "")).proposals.map((x) => Number(x.proposalId))).toEqual([mintProposal, stakingProposal]);

    // the voting period ends: both pass and execute
    const passed = await pollUntil(
      "both proposals decided",
      async () => {
        const [a, b] = await Promise.all([qc.gov.proposal(mintProposal), qc.gov.proposal(stakingProposal)]);
        return a.proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && b.proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? [a.proposal, b.proposal] : undefined;
      },
      (VOTING_PERIOD_S + 30) * 1000,
      500,
    );
    expect(passed.map((x) => x.status)).toEqual([ProposalStatus.PROPOSAL_STATUS_PASSED, ProposalStatus.PROPOSAL_STATUS_PASSED]);
    expect(passed[0]!.finalTallyResult).toEqual({ yes: (300n * SOA).toString(), abstain: "0", no: (50n * SOA).toString(), noWithVeto: "0" });
    expect((await mintQuery.Params({})).params?.posShare).toBe("500000000000000000");
    expect((await qc.staking.params()).params.maxValidators).toBe(90);
    // every node executed the proposals (same app hash): ask the last one
    const comet3 = await connectComet(net.rpcUrl(3));
    try {
      const qc3 = QueryClient.withExtensions(comet3, setupStakingExtension);
      expect((await new SoaMintQuery(createProtobufRpcClient(qc3)).Params({})).params?.posShare).toBe("500000000000000000");
      expect((await qc3.staking.params()).params.maxValidators).toBe(90);
    } finally {
      comet3.disconnect();
    }
    expect(await qc.gov.votes(mintProposal).then((v) => v.votes)).toEqual([]);
    expect((await qc.gov.deposits(mintProposal)).deposits).toEqual([]);
    const govBalance = await direct.client.getBalance(GOV, DENOM);
    expect(govBalance.amount).toBe("0");

    // takes effect: the next blocks split issuance with pos_share 0.5
    const h = (await comet.abciInfo()).lastBlockHeight!;
    await net.waitForHeight(h + 1, 0);
    const split = (await blockEvents(comet, h + 1)).find((e) => e.type === "mint_split")!;
    const a = Object.fromEntries(split.attributes.map((x) => [x.key, x.value]));
    expect(a["pos_share"]).toBe("0.500000000000000000");
    const amount = BigInt(a["amount"]!);
    expect(BigInt(a["fee_collector_amount"]!)).toBe(amount / 2n);
    // the EndBlock events of the deciding blocks are in block_results
    const decided = await findBlockEvent(comet, h, "active_proposal");
    expect(decided.map((e) => [e["proposal_id"], e["proposal_result"]])).toEqual([
      [mintProposal.toString(), "proposal_passed"],
      [stakingProposal.toString(), "proposal_passed"],
    ]);
  }, TEST_TIMEOUT);

  it("invariants: supply = Σ balances incl. module accounts; bonded pool = Σ bonded validators' tokens", async () => {
    const { height, value } = await atOneHeight(comet, async (at) => {
      const modules = await at.moduleAccounts();
      const holders = [...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...modules, direct.address, amino.address])];
      const r = await qc.queryAbci("/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode({ status: "BOND_STATUS_BONDED" }).finish(), at.height);
      const bonded = QueryValidatorsResponse.decode(r.value).validators;
      return {
        supply: await at.supply(),
        balances: await Promise.all(holders.map((x) => at.balance(x))),
        bondedPool: await at.balance(BONDED_POOL),
        bondedTokens: bonded.reduce((s, v) => s + BigInt(v.tokens), 0n),
        modules,
      };
    });
    expect(value.modules).toContain(GOV);
    expect(value.balances.reduce((x, y) => x + y, 0n), `at height ${height}`).toBe(value.supply);
    expect(value.bondedPool).toBe(value.bondedTokens);
  }, TEST_TIMEOUT);
});

/** Every `type` event (attributes as objects) of the 40 blocks up to `to`, in height order. */
async function findBlockEvent(comet: CometClient, to: number, type: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for (let h = Math.max(1, to - 40); h <= to; h++) {
    for (const e of await blockEvents(comet, h)) if (e.type === type) out.push(Object.fromEntries(e.attributes.map((x) => [x.key, x.value])));
  }
  return out;
}
