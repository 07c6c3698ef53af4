// distribution through FinalizeBlock: each BeginBlock allocates the fee collector (tx fees + mint's
// PoS share) over decided_last_commit by power (after the 2 % community tax, then commission);
// delegators withdraw exactly what the queries promised (CosmJS's setupDistributionExtension over the
// app's ABCI query), direct and amino; auto-withdrawal on redelegation; two apps agree; invariants.
import { describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { type QueryClient, setupDistributionExtension } from "@cosmjs/stargate";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { sha256 } from "../../src/crypto/hash.js";
import { FEE_COLLECTOR, moduleAddress } from "../../src/modules/auth/keeper.js";
import * as DC from "../../src/modules/distribution/decCoins.js";
import { distributionInvariants } from "../../src/modules/distribution/testing.js";
import { consAddress, ed25519PubkeyAny } from "../../src/modules/staking/keeper.js";
import { stakingInvariants, sumOfBalances } from "../../src/modules/staking/testing.js";
import type { TestKey } from "../../src/tx/build.js";
import { Dec } from "../../src/types/dec.js";
import { fundedGenesis, keyFromSeed, TestNode } from "../utils/testNode.js";

const M = 1_000_000n;
const FEE = 5_000n;
const keys = ["dv1", "dv2", "dv3", "ddel", "dother"].map(keyFromSeed);
const [v1, v2, v3, del, other] = keys as [TestKey, TestKey, TestKey, TestKey, TestKey];
const valoper = (k: TestKey) => toBech32("soavaloper", fromBech32(k.address).data);
const consKey = (k: TestKey) => sha256(Buffer.from(`cons:${k.address}`));
const acc = (a: string) => fromBech32(a).data;
const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });

const createValidator = (k: TestKey, amount: bigint, rate: string) =>
  msg(
    MsgCreateValidator.typeUrl,
    MsgCreateValidator.encode(
      MsgCreateValidator.fromPartial({
        description: { moniker: k.address.slice(-6), identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: Dec.parse(rate).toAtomicsString(), maxRate: Dec.parse("0.5").toAtomicsString(), maxChangeRate: Dec.parse("0.01").toAtomicsString() },
        minSelfDelegation: "1",
        delegatorAddress: k.address,
        validatorAddress: valoper(k),
        pubkey: ed25519PubkeyAny(consKey(k)),
        value: { denom: "usoa", amount: amount.toString() },
      }),
    ).finish(),
  );

function cosmjs(node: TestNode) {
  const base = {
    async queryAbci(path: string, data: Uint8Array) {
      const r = node.query(path, data);
      if (r.code !== 0) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return { key: r.key, value: r.value, height: Number(r.height) };
    },
  } as unknown as QueryClient;
  return setupDistributionExtension(base).distribution;
}

const attrs = (events: Event[], type: string) => events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
/** LegacyDec atomics string from a query → Dec. */
const dec = (s: string | undefined) => (s ? Dec.fromAtomicsString(s) : Dec.ZERO);

describe("distribution in FinalizeBlock", () => {
  it("allocates fees and the PoS share by last-commit power; withdrawals pay exactly the queried rewards; two apps agree", async () => {
    const g = fundedGenesis(keys, 1_000n * M);
    g.staking = { params: { unbonding_time: "30s", max_validators: 10, max_entries: 7, historical_entries: 0, bond_denom: "usoa", min_commission_rate: "0" } };
    const a = await TestNode.create({ genesis: g });
    const b = await TestNode.create({ genesis: structuredClone(g) });
    const seq = new Map<string, bigint>();
    const sign = (k: TestKey, messages: Any[], amino = false) => {
      const s = seq.get(k.address) ?? 0n;
      seq.set(k.address, s + 1n);
      return a.signTx({ key: k, accountNumber: BigInt(keys.indexOf(k)), sequence: s, messages, gasLimit: 500_000n, fee: [{ denom: "usoa", amount: FEE.toString() }], signMode: amino ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT });
    };
    /** decided_last_commit: the bonded set, `absent` ones with BlockIdFlag ABSENT (the SDK v0.50 still pays them). */
    const votes = (absent: TestKey[] = []) =>
      a.app.staking.getBondedValidatorsByPower(a.app.committed).map((v) => ({
        validator: { address: consAddress(v.consPubkey), power: v.tokens / M },
        blockIdFlag: absent.some((k) => Buffer.from(consKey(k)).equals(Buffer.from(v.consPubkey))) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      }));
    const block = (txs: Uint8Array[], commit = votes()) => {
      const extra = { decidedLastCommit: { round: 0, votes: commit } };
      const ra = a.deliverBlock(txs, extra);
      const rb = b.deliverBlock(txs, extra);
      expect(Buffer.from(rb.appHash).toString("hex"), `app hash at ${ra.height}`).toBe(Buffer.from(ra.appHash).toString("hex"));
      expect(rb.events).toEqual(ra.events);
      for (const [i, r] of ra.results.entries()) expect(r.code, `tx ${i} at ${ra.height}: ${r.log}`).toBe(0);
      return ra;
    };
    const balance = (addr: string) => a.app.bank.getBalance(a.app.committed, acc(addr), "usoa");
    const q = cosmjs(a);
    const check = () => {
      const s = a.app.committed;
      expect(stakingInvariants(s, a.app.staking, a.app.bank)).toEqual([]);
      expect(distributionInvariants(s, a.app.distribution, a.app.staking, a.app.bank)).toEqual([]);
      expect(sumOfBalances(s, a.app.bank, a.app.auth, "usoa", (x) => fromBech32(x).data)).toBe(a.app.bank.getSupply(s, "usoa"));
    };
    try {
      // 1: three validators, powers 30/20/10, commission 10 % / 5 % / 0
      block([sign(v1, [createValidator(v1, 30n * M, "0.1")]), sign(v2, [createValidator(v2, 20n * M, "0.05")]), sign(v3, [createValidator(v3, 10n * M, "0")])], []);
      // 2: the delegator bonds 30 SOA to v1 (amino), so it holds half of v1
      block([sign(del, [msg(MsgDelegate.typeUrl, MsgDelegate.encode({ delegatorAddress: del.address, validatorAddress: valoper(v1), amount: { denom: "usoa", amount: (30n * M).toString() } }).finish())], true)]);

      // 3: one allocation checked to the last atomic: v3 did not sign (ABSENT) but is paid by power all the same
      const fc = a.app.bank.getBalance(a.app.committed, moduleAddress(FEE_COLLECTOR), "usoa"); // block 2's fees
      const pool2 = dec((await q.communityPool()).pool[0]?.amount);
      const out2 = dec((await q.validatorOutstandingRewards(valoper(v2))).rewards!.rewards[0]?.amount);
      const com1 = dec((await q.validatorCommission(valoper(v1))).commission!.commission[0]?.amount);
      const r3 = block([], votes([v3]));
      const [split] = attrs(r3.events, "mint_split");
      const pot = fc + BigInt(split!.fee_collector_amount!);
      expect(a.app.bank.getBalance(a.app.committed, moduleAddress(FEE_COLLECTOR), "usoa")).toBe(0n);
      const total = 60n + 20n + 10n; // v1 60 (30 self + 30 delegated), v2 20, v3 10
      const afterTax = Dec.fromInt(pot).mul(Dec.parse("0.98")); // MulDecTruncate of an integer by 0.98: exact
      const share = (power: bigint) => DC.mulTruncate(afterTax, DC.quoTruncate(Dec.fromInt(power), Dec.fromInt(total)));
      const rewards = attrs(r3.events, "rewards");
      expect(rewards.map((r) => r.validator)).toEqual([valoper(v1), valoper(v2), valoper(v3)]);
      const powers = [60n, 20n, 10n];
      const alloc = powers.map((p) => share(p));
      expect(rewards.map((r) => r.amount)).toEqual(alloc.map((x) => `${x}usoa`));
      expect(attrs(r3.events, "commission").map((c) => c.amount)).toEqual([alloc[0]!.mul(Dec.parse("0.1")), alloc[1]!.mul(Dec.parse("0.05"))].map((x) => `${x}usoa`).concat([""]));
      const pool = Dec.fromInt(pot).sub(alloc.reduce((x, y) => x.add(y), Dec.ZERO));
      expect(dec((await q.communityPool()).pool[0]?.amount).sub(pool2)).toEqual(pool);
      expect(dec((await q.validatorOutstandingRewards(valoper(v2))).rewards!.rewards[0]!.amount).sub(out2)).toEqual(alloc[1]);
      expect(dec((await q.validatorCommission(valoper(v1))).commission!.commission[0]!.amount).sub(com1)).toEqual(alloc[0]!.mul(Dec.parse("0.1")));

      // a few blocks with fees; v2 absent in some
      const send = msg(MsgSend.typeUrl, MsgSend.encode({ fromAddress: other.address, toAddress: v3.address, amount: [{ denom: "usoa", amount: "1" }] }).finish());
      for (let i = 0; i < 5; i++) block([sign(other, [send])], votes(i % 2 ? [v2] : []));
      check();

      // every CosmJS distribution query
      expect(await q.delegatorValidators(del.address)).toMatchObject({ validators: [valoper(v1)] });
      expect((await q.delegatorWithdrawAddress(del.address)).withdrawAddress).toBe(del.address);
      const params = (await q.params()).params!;
      expect(params.communityTax).toBe(Dec.parse("0.02").toAtomicsString());
      expect(params.withdrawAddrEnabled).toBe(true);
      const pending = dec((await q.delegationRewards(del.address, valoper(v1))).rewards[0]!.amount);
      const totalRewards = await q.delegationTotalRewards(del.address);
      expect(totalRewards.rewards.map((r) => r.validatorAddress)).toEqual([valoper(v1)]);
      expect(dec(totalRewards.total[0]!.amount)).toEqual(pending);
      expect(pending.gt(Dec.ZERO)).toBe(true);
      // v1's self-bond rewards = DelegationRewards(v1, v1)
      const info = QueryValidatorDistributionInfoResponse.decode(a.query("/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo", QueryValidatorDistributionInfoRequest.encode({ validatorAddress: valoper(v1) }).finish()).value);
      expect(info.operatorAddress).toBe(v1.address);
      expect(dec(info.selfBondRewards[0]!.amount)).toEqual(dec((await q.delegationRewards(v1.address, valoper(v1))).rewards[0]!.amount));
      expect(dec(info.selfBondRewards[0]!.amount).gt(pending)).toBe(true); // bonded one block longer
      expect((await q.validatorSlashes(valoper(v1), 0, 100)).slashes).toEqual([]);
      const noVal = a.query("/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards", new Uint8Array([0x0a, 0x00]));
      expect(noVal.code).not.toBe(0);

      // withdraw (amino) in a block whose last commit has no votes (nothing new is allocated): exactly the query's integer part
      const before = balance(del.address);
      const rw = block([sign(del, [msg(MsgWithdrawDelegatorReward.typeUrl, MsgWithdrawDelegatorReward.encode({ delegatorAddress: del.address, validatorAddress: valoper(v1) }).finish())], true)], []);
      const paid = pending.truncateInt();
      expect(balance(del.address) - before).toBe(paid - FEE);
      const resp = MsgWithdrawDelegatorRewardResponse.decode(TxMsgData.decode(rw.results[0]!.data).msgResponses[0]!.value);
      expect(resp.amount).toEqual([{ denom: "usoa", amount: paid.toString() }]);
      expect(attrs(rw.results[0]!.events, "withdraw_rewards")[0]).toMatchObject({ amount: `${paid}usoa`, validator: valoper(v1), delegator: del.address });
      // the fee of that block went to the community pool (no votes)
      expect(dec((await q.delegationRewards(del.address, valoper(v1))).rewards[0]?.amount)).toEqual(Dec.ZERO);

      // withdraw address (amino), then a redelegation withdraws automatically to it
      block([sign(del, [msg(MsgSetWithdrawAddress.typeUrl, MsgSetWithdrawAddress.encode({ delegatorAddress: del.address, withdrawAddress: other.address }).finish())], true)]);
      expect((await q.delegatorWithdrawAddress(del.address)).withdrawAddress).toBe(other.address);
      block([]);
      const pending2 = dec((await q.delegationRewards(del.address, valoper(v1))).rewards[0]!.amount);
      const otherBefore = balance(other.address);
      const redelegate = msg(
        MsgBeginRedelegate.typeUrl,
        MsgBeginRedelegate.encode({ delegatorAddress: del.address, validatorSrcAddress: valoper(v1), validatorDstAddress: valoper(v2), amount: { denom: "usoa", amount: (10n * M).toString() } }).finish(),
      );
      block([sign(del, [redelegate], true)], []);
      expect(balance(other.address) - otherBefore).toBe(pending2.truncateInt());

      // commission (direct) and funding the community pool (amino)
      block([]);
      const commission = dec((await q.validatorCommission(valoper(v1))).commission!.commission[0]!.amount);
      const v1Before = balance(v1.address);
      const rc = block([sign(v1, [msg(MsgWithdrawValidatorCommission.typeUrl, MsgWithdrawValidatorCommission.encode({ validatorAddress: valoper(v1) }).finish())])], []);
      expect(balance(v1.address) - v1Before).toBe(commission.truncateInt() - FEE);
      expect(MsgWithdrawValidatorCommissionResponse.decode(TxMsgData.decode(rc.results[0]!.data).msgResponses[0]!.value).amount).toEqual([{ denom: "usoa", amount: commission.truncateInt().toString() }]);
      const poolBefore = dec((await q.communityPool()).pool[0]!.amount);
      const rf = block([sign(other, [msg(MsgFundCommunityPool.typeUrl, MsgFundCommunityPool.encode({ depositor: other.address, amount: [{ denom: "usoa", amount: "12345" }] }).finish())], true)], []);
      // + 12,345 funded + the fee of the block before and this block's PoS share (no votes: all to the pool)
      const pos = BigInt(attrs(rf.events, "mint_split")[0]!.fee_collector_amount!);
      expect(dec((await q.communityPool()).pool[0]!.amount)).toEqual(poolBefore.add(Dec.fromInt(12_345n + FEE + pos)));
      check();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
