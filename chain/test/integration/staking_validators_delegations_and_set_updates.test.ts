// Staking through signed txs (direct and amino, CosmJS's own converters): create validators,
// delegate / redelegate / undelegate / cancel / edit; EndBlock validator updates in FinalizeBlock's
// response (changes only); CosmJS's setupStakingExtension reading every query path; maturity by
// block time; a second app fed the same blocks agrees; invariants at the end.
import { describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { type QueryClient, setupStakingExtension } from "@cosmjs/stargate";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import {
  MsgBeginRedelegate,
  MsgCancelUnbondingDelegation,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
  MsgUndelegateResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { sha256 } from "../../src/crypto/hash.js";
import { ed25519PubkeyAny } from "../../src/modules/staking/keeper.js";
import { stakingInvariants } from "../../src/modules/staking/testing.js";
import type { TestKey } from "../../src/tx/build.js";
import { fundedGenesis, keyFromSeed, TestNode, withoutMinting } from "../utils/testNode.js";

const M = 1_000_000n;
const keys = ["val1", "val2", "val3", "delegator"].map(keyFromSeed);
const [v1, v2, v3, d] = keys as [TestKey, TestKey, TestKey, TestKey];
const valoper = (k: TestKey) => toBech32("soavaloper", fromBech32(k.address).data);
const consKey = (k: TestKey) => sha256(Buffer.from(`cons:${k.address}`));

const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });
const createValidator = (k: TestKey, amount: bigint) =>
  msg(
    MsgCreateValidator.typeUrl,
    MsgCreateValidator.encode(
      MsgCreateValidator.fromPartial({
        description: { moniker: k === v1 ? "one" : k === v2 ? "two" : "three", identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        delegatorAddress: k.address,
        validatorAddress: valoper(k),
        pubkey: ed25519PubkeyAny(consKey(k)),
        value: { denom: "usoa", amount: amount.toString() },
      }),
    ).finish(),
  );
const delegate = (v: TestKey, amount: bigint) =>
  msg(MsgDelegate.typeUrl, MsgDelegate.encode({ delegatorAddress: d.address, validatorAddress: valoper(v), amount: { denom: "usoa", amount: amount.toString() } }).finish());
const undelegate = (v: TestKey, amount: bigint) =>
  msg(MsgUndelegate.typeUrl, MsgUndelegate.encode({ delegatorAddress: d.address, validatorAddress: valoper(v), amount: { denom: "usoa", amount: amount.toString() } }).finish());
const redelegate = (src: TestKey, dst: TestKey, amount: bigint) =>
  msg(
    MsgBeginRedelegate.typeUrl,
    MsgBeginRedelegate.encode({ delegatorAddress: d.address, validatorSrcAddress: valoper(src), validatorDstAddress: valoper(dst), amount: { denom: "usoa", amount: amount.toString() } }).finish(),
  );

function genesis() {
  const g = withoutMinting(fundedGenesis(keys, 100n * M));
  g.staking = { params: { unbonding_time: "30s", max_validators: 2, max_entries: 7, historical_entries: 3, bond_denom: "usoa", min_commission_rate: "0.05" } };
  return g;
}

/** A CosmJS QueryClient over the app's ABCI query, as QueryClient.queryAbci behaves over RPC. */
function cosmjsQueries(node: TestNode) {
  const base = {
    async queryAbci(path: string, data: Uint8Array) {
      const r = node.query(path, data);
      if (r.code !== 0) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return { key: r.key, value: r.value, height: Number(r.height) };
    },
  } as unknown as QueryClient;
  return setupStakingExtension(base).staking;
}

const pw = (u: ValidatorUpdate[]) =>
  u.map((x) => `${keys.find((k) => Buffer.from(consKey(k)).equals(Buffer.from(x.pubKey.ed25519!)))!.address === v1.address ? "v1" : keys.find((k) => Buffer.from(consKey(k)).equals(Buffer.from(x.pubKey.ed25519!))) === v2 ? "v2" : "v3"}:${x.power}`);

describe("staking through signed txs", () => {
  it("creates validators, delegates, redelegates, undelegates; FinalizeBlock returns only changed powers; two apps agree", async () => {
    const a = await TestNode.create({ genesis: genesis() });
    const b = await TestNode.create({ genesis: genesis() });
    const seq = new Map<string, bigint>();
    const sign = (k: TestKey, messages: Any[], amino = false) => {
      const s = seq.get(k.address) ?? 0n;
      seq.set(k.address, s + 1n);
      return a.signTx({ key: k, accountNumber: BigInt(keys.indexOf(k)), sequence: s, messages, gasLimit: 600_000n, signMode: amino ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT });
    };
    const blockRaw = (txs: Uint8Array[]) => {
      const ra = a.deliverBlock(txs);
      const rb = b.deliverBlock(txs);
      expect(Buffer.from(rb.appHash).toString("hex"), `app hash at ${ra.height}`).toBe(Buffer.from(ra.appHash).toString("hex"));
      expect(rb.validatorUpdates).toEqual(ra.validatorUpdates);
      expect(rb.events).toEqual(ra.events);
      return ra;
    };
    const block = (txs: Uint8Array[]) => {
      const ra = blockRaw(txs);
      for (const [i, r] of ra.results.entries()) expect(r.code, `tx ${i} at ${ra.height}: ${r.log}`).toBe(0);
      return ra;
    };
    try {
      expect(a.genesisValidators).toEqual([]); // no staking validators at genesis: CometBFT's genesis set is used
      // 1: three validators (one signed in amino mode); max_validators = 2
      const r1 = block([sign(v1, [createValidator(v1, 5n * M)]), sign(v2, [createValidator(v2, 3n * M)], true), sign(v3, [createValidator(v3, 2n * M)])]);
      expect(pw(r1.validatorUpdates)).toEqual(["v1:5", "v2:3"]);
      expect(r1.results[0]!.events.map((e) => e.type)).toContain("create_validator");
      // nothing changes: no updates
      expect(block([]).validatorUpdates).toEqual([]);
      // 3: d delegates 4 SOA to v3 (amino): v3 enters with 6, v2 leaves
      const r3 = block([sign(d, [delegate(v3, 4n * M)], true)]);
      expect(pw(r3.validatorUpdates)).toEqual(["v3:6", "v2:0"]);
      const ev = r3.results[0]!.events.find((e) => e.type === "delegate")!;
      expect(ev.attributes.map((x) => [x.key, x.value])).toEqual([
        ["validator", valoper(v3)],
        ["delegator", d.address],
        ["amount", "4000000usoa"],
        ["new_shares", "4000000.000000000000000000"],
        ["msg_index", "0"],
      ]);
      // 4: redelegate 1 SOA v3 → v1 (amino): v1 6, v3 5
      const r4 = block([sign(d, [redelegate(v3, v1, 1n * M)], true)]);
      expect(pw(r4.validatorUpdates)).toEqual(["v1:6", "v3:5"]);
      // 5: undelegate 1 SOA from v3 (amino): response carries the completion time and amount
      const r5 = block([sign(d, [undelegate(v3, 1n * M)], true)]);
      expect(pw(r5.validatorUpdates)).toEqual(["v3:4"]);
      const res = MsgUndelegateResponse.decode(TxMsgData.decode(r5.results[0]!.data).msgResponses[0]!.value);
      expect(res.amount).toEqual({ denom: "usoa", amount: "1000000" });
      expect(res.completionTime.seconds).toBe(a.timeSeconds + 30n);
      const undelegatedAt = r5.height;

      // queries through CosmJS's own staking extension
      const q = cosmjsQueries(a);
      const bonded = await q.validators("BOND_STATUS_BONDED");
      expect(bonded.validators.map((v) => v.operatorAddress).sort()).toEqual([valoper(v1), valoper(v3)].sort());
      expect(bonded.pagination).toBeDefined();
      expect((await q.validators("BOND_STATUS_UNBONDING")).validators.map((v) => v.operatorAddress)).toEqual([valoper(v2)]);
      expect((await q.validators("")).validators).toHaveLength(3);
      const val3 = (await q.validator(valoper(v3))).validator;
      expect(val3.tokens).toBe("4000000");
      expect(val3.commission.commissionRates.rate).toBe("100000000000000000");
      const del = await q.delegation(d.address, valoper(v3));
      expect(del.delegationResponse?.balance).toEqual({ denom: "usoa", amount: "2000000" });
      await expect(q.delegation(d.address, valoper(v2))).rejects.toThrow(/rpc error: code = NotFound desc = delegation with delegator .* not found for validator .*: key not found/);
      expect((await q.delegatorDelegations(d.address)).delegationResponses.map((x) => x.balance.amount).sort()).toEqual(["1000000", "2000000"]);
      expect((await q.validatorDelegations(valoper(v3))).delegationResponses).toHaveLength(2);
      const ubd = await q.unbondingDelegation(d.address, valoper(v3));
      expect(ubd.unbond.entries.map((e) => [e.creationHeight, e.balance])).toEqual([[undelegatedAt, "1000000"]]);
      expect((await q.delegatorUnbondingDelegations(d.address)).unbondingResponses).toHaveLength(1);
      expect((await q.validatorUnbondingDelegations(valoper(v3))).unbondingResponses).toHaveLength(1);
      const reds = await q.redelegations(d.address, valoper(v3), valoper(v1));
      expect(reds.redelegationResponses[0]!.entries[0]!.balance).toBe("1000000");
      expect((await q.redelegations(d.address, "", "")).redelegationResponses).toHaveLength(1);
      expect((await q.delegatorValidators(d.address)).validators).toHaveLength(2);
      expect((await q.delegatorValidator(d.address, valoper(v1))).validator.operatorAddress).toBe(valoper(v1));
      expect((await q.pool()).pool).toEqual({ bondedTokens: String(6n * M + 4n * M), notBondedTokens: String(3n * M + 1n * M) });
      expect((await q.params()).params.unbondingTime.seconds).toBe(30n);
      expect((await q.historicalInfo(Number(r5.height))).hist?.valset).toHaveLength(2);
      await expect(q.historicalInfo(1)).rejects.toThrow(/NotFound desc = historical info for height 1 not found/);

      // edit (amino; commission unchanged within 24 h is fine) and cancel part of the unbonding (amino)
      const edit = msg(MsgEditValidator.typeUrl, MsgEditValidator.encode({ description: { moniker: "three*", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" }, validatorAddress: valoper(v3), commissionRate: "", minSelfDelegation: "" }).finish());
      const cancel = msg(MsgCancelUnbondingDelegation.typeUrl, MsgCancelUnbondingDelegation.encode({ delegatorAddress: d.address, validatorAddress: valoper(v3), amount: { denom: "usoa", amount: "400000" }, creationHeight: undelegatedAt }).finish());
      const r6 = block([sign(v3, [edit], true), sign(d, [cancel], true)]);
      expect(r6.validatorUpdates).toEqual([]); // 4.4 SOA is still power 4
      expect((await q.validator(valoper(v3))).validator.description.moniker).toBe("three*");

      // a failing msg: undelegating more than delegated (code 18 sdk, invalid shares amount)
      const bad = blockRaw([sign(d, [undelegate(v1, 50n * M)])]);
      expect(bad.results[0]!.code).toBe(18);
      expect(bad.results[0]!.log).toContain("invalid shares amount");

      // past the unbonding time: the entry pays out, the redelegation completes, v2 becomes unbonded
      a.timeSeconds += 40n;
      b.timeSeconds += 40n;
      const before = a.app.bank.getBalance(a.app.committed, fromBech32(d.address).data, "usoa");
      const r8 = blockRaw([]);
      const types = r8.events.map((e) => e.type);
      expect(types).toContain("complete_unbonding");
      expect(types).toContain("complete_redelegation");
      expect(a.app.bank.getBalance(a.app.committed, fromBech32(d.address).data, "usoa")).toBe(before + 600_000n);
      expect((await q.validator(valoper(v2))).validator.status).toBe(1); // BOND_STATUS_UNBONDED
      await expect(q.unbondingDelegation(d.address, valoper(v3))).rejects.toThrow(/key not found/);

      // invariants
      expect(stakingInvariants(a.app.committed, a.app.staking, a.app.bank)).toEqual([]);
      let total = 0n;
      for (const acc of a.app.auth.iterateAccounts(a.app.committed)) total += a.app.bank.getBalance(a.app.committed, fromBech32(acc.base.address).data, "usoa");
      expect(total).toBe(a.app.bank.getSupply(a.app.committed, "usoa"));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
