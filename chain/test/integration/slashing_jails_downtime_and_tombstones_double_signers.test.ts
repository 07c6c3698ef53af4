// Slashing through FinalizeBlock as CometBFT drives it: decided_last_commit where one validator stops
// voting → slashed (downtime fraction) and jailed after the window while blocks go on; MsgUnjail
// refused before jailed_until and accepted after (signed tx); DUPLICATE_VOTE misbehavior → 5 % slash
// at the evidence height (an unbonding entry created after it is slashed too), jail and tombstone
// (unjail refused for ever); CosmJS's setupSlashingExtension reads every path; two apps fed the same
// blocks agree on every app hash; supply and pool invariants at the end.
import { describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { type QueryClient, setupSlashingExtension } from "@cosmjs/stargate";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { MsgCreateValidator, MsgDelegate, MsgUndelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { MisbehaviorType, type Misbehavior } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { sha256 } from "../../src/crypto/hash.js";
import { consAddress, ed25519PubkeyAny } from "../../src/modules/staking/keeper.js";
import { stakingInvariants, sumOfBalances } from "../../src/modules/staking/testing.js";
import type { TestKey } from "../../src/tx/build.js";
import { parseAddress } from "../../src/types/address.js";
import { fundedGenesis, keyFromSeed, TestNode, withoutMinting } from "../utils/testNode.js";

const M = 1_000_000n;
const keys = ["sv1", "sv2", "sv3", "sdel"].map(keyFromSeed);
const [v1, v2, v3, d] = keys as [TestKey, TestKey, TestKey, TestKey];
const valoper = (k: TestKey) => toBech32("soavaloper", fromBech32(k.address).data);
const consKey = (k: TestKey) => sha256(Buffer.from(`cons:${k.address}`));
const cons = (k: TestKey) => consAddress(consKey(k));
const valcons = (k: TestKey) => toBech32("soavalcons", cons(k));
const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });

const createValidator = (k: TestKey, amount: bigint) =>
  msg(
    MsgCreateValidator.typeUrl,
    MsgCreateValidator.encode(
      MsgCreateValidator.fromPartial({
        description: { moniker: k.address.slice(0, 10) },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        delegatorAddress: k.address,
        validatorAddress: valoper(k),
        pubkey: ed25519PubkeyAny(consKey(k)),
        value: { denom: "usoa", amount: amount.toString() },
      }),
    ).finish(),
  );
const unjail = (k: TestKey) => msg(MsgUnjail.typeUrl, MsgUnjail.encode({ validatorAddr: valoper(k) }).finish());
const coin = (n: bigint) => ({ denom: "usoa", amount: n.toString() });

function genesis() {
  const g = withoutMinting(fundedGenesis(keys, 100n * M));
  g.staking = { params: { unbonding_time: "1000s", max_validators: 10, max_entries: 7, historical_entries: 0, bond_denom: "usoa", min_commission_rate: "0" } };
  g.slashing = {
    params: { signed_blocks_window: "10", min_signed_per_window: "0.5", downtime_jail_duration: "20s", slash_fraction_double_sign: "0.05", slash_fraction_downtime: "0.01" },
  };
  return g;
}

function cosmjsQueries(node: TestNode) {
  const base = {
    async queryAbci(path: string, data: Uint8Array) {
      const r = node.query(path, data);
      if (r.code !== 0) throw new Error(`Query failed with (${r.code}): ${r.log}`);
      return { key: r.key, value: r.value, height: Number(r.height) };
    },
  } as unknown as QueryClient;
  return setupSlashingExtension(base).slashing;
}

describe("slashing in FinalizeBlock", () => {
  it("jails a validator that stops voting, unjails it after jailed_until, slashes and tombstones a double signer; two apps agree", async () => {
    const a = await TestNode.create({ genesis: genesis() });
    const b = await TestNode.create({ genesis: genesis() });
    const seq = new Map<string, bigint>();
    const sign = (k: TestKey, messages: Any[], amino = false) => {
      const s = seq.get(k.address) ?? 0n;
      seq.set(k.address, s + 1n);
      return a.signTx({ key: k, accountNumber: BigInt(keys.indexOf(k)), sequence: s, messages, gasLimit: 400_000n, signMode: amino ? SignMode.SIGN_MODE_LEGACY_AMINO_JSON : SignMode.SIGN_MODE_DIRECT });
    };
    /** The last commit as CometBFT reports it: every validator of the current set, `down` ones ABSENT. */
    const votes = (down: TestKey[]) =>
      a.app.staking.getBondedValidatorsByPower(a.app.committed).map((v) => ({
        validator: { address: consAddress(v.consPubkey), power: v.tokens / M },
        blockIdFlag: down.some((k) => Buffer.from(cons(k)).equals(Buffer.from(consAddress(v.consPubkey)))) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      }));
    const block = (txs: Uint8Array[], down: TestKey[] = [], misbehavior: Misbehavior[] = []) => {
      const extra = { decidedLastCommit: { round: 0, votes: votes(down) }, misbehavior };
      const ra = a.deliverBlock(txs, extra);
      const rb = b.deliverBlock(txs, extra);
      expect(Buffer.from(rb.appHash).toString("hex"), `app hash at ${ra.height}`).toBe(Buffer.from(ra.appHash).toString("hex"));
      expect(rb.events).toEqual(ra.events);
      expect(rb.validatorUpdates).toEqual(ra.validatorUpdates);
      return ra;
    };
    const ok = (r: ReturnType<typeof block>) => {
      for (const [i, x] of r.results.entries()) expect(x.code, `tx ${i} at ${r.height}: ${x.log}`).toBe(0);
      return r;
    };
    const validator = (k: TestKey) => a.app.staking.getValidator(a.app.committed, parseAddress(valoper(k), "soavaloper"))!;
    const q = cosmjsQueries(a);
    try {
      // 1: three validators, d delegates 4 SOA to v2
      ok(block([sign(v1, [createValidator(v1, 10n * M)]), sign(v2, [createValidator(v2, 10n * M)]), sign(v3, [createValidator(v3, 10n * M)]), sign(d, [msg(MsgDelegate.typeUrl, MsgDelegate.encode({ delegatorAddress: d.address, validatorAddress: valoper(v2), amount: coin(4n * M) }).finish())])]));
      expect((await q.signingInfo(valcons(v3))).valSigningInfo).toMatchObject({ address: valcons(v3), startHeight: 1n, indexOffset: 0n, missedBlocksCounter: 0n, tombstoned: false });
      const params = (await q.params()).params;
      expect(params.signedBlocksWindow).toBe(10n);
      expect(Buffer.from(params.minSignedPerWindow).toString()).toBe("500000000000000000");
      expect(params.downtimeJailDuration.seconds).toBe(20n);
      expect((await q.signingInfos()).info.map((i) => i.address).sort()).toEqual([valcons(v1), valcons(v2), valcons(v3)].sort());
      expect((await q.signingInfos()).pagination).toBeDefined();
      await expect(q.signingInfo(toBech32("soavalcons", new Uint8Array(20)))).rejects.toThrow(/NotFound desc = SigningInfo not found for validator/);

      // v3 stops voting: jailed once it missed more than 10 − 5 blocks after height 1 + 10; the chain goes on
      let jailedAt = 0n;
      for (let i = 0; i < 20 && jailedAt === 0n; i++) {
        const r = block([], [v3]);
        if (r.events.some((e) => e.type === "slash")) {
          jailedAt = r.height;
          const slash = r.events.find((e) => e.type === "slash")!;
          expect(Object.fromEntries(slash.attributes.map((x) => [x.key, x.value]))).toMatchObject({ address: valcons(v3), power: "10", reason: "missing_signature", jailed: valcons(v3), burned_coins: "100000", mode: "BeginBlock" });
          expect(r.validatorUpdates.map((u) => u.power)).toEqual([0n]); // leaves CometBFT's set in the same block
        }
      }
      expect(jailedAt).toBe(12n);
      expect(validator(v3)).toMatchObject({ jailed: true, tokens: 9_900_000n });
      const info = (await q.signingInfo(valcons(v3))).valSigningInfo;
      expect(info.jailedUntil.seconds).toBe(a.timeSeconds + 20n);
      expect(info.missedBlocksCounter).toBe(0n);
      // unjail too early: slashing 4
      const early = block([sign(v3, [unjail(v3)])]);
      expect([early.results[0]!.codespace, early.results[0]!.code]).toEqual(["slashing", 4]);
      expect(early.results[0]!.log).toContain("validator still jailed; cannot be unjailed");
      // a validator that is not jailed: slashing 5
      const notJailed = block([sign(v1, [unjail(v1)])]);
      expect([notJailed.results[0]!.codespace, notJailed.results[0]!.code]).toEqual(["slashing", 5]);
      for (let i = 0; i < 20; i++) block([]);
      const back = ok(block([sign(v3, [unjail(v3)], true)])); // amino: {"type":"cosmos-sdk/MsgUnjail","value":{"address":…}}
      expect(back.validatorUpdates.map((u) => u.power)).toEqual([9n]); // back in the set with its slashed stake
      expect(validator(v3).jailed).toBe(false);
      expect((await q.signingInfo(valcons(v3))).valSigningInfo.startHeight).toBe(back.height);

      // double sign by v2 at height h: d undelegates 1 SOA from v2 in the same block (after the infraction)
      for (let i = 0; i < 2; i++) block([]);
      const h = a.height;
      const evidenceTime = { seconds: a.timeSeconds, nanos: 0 };
      const und = ok(block([sign(d, [msg(MsgUndelegate.typeUrl, MsgUndelegate.encode({ delegatorAddress: d.address, validatorAddress: valoper(v2), amount: coin(1n * M) }).finish())])]));
      expect(und.height).toBe(h + 1n);
      const r = block([], [], [{ type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: cons(v2), power: 14n }, height: h + 1n, time: evidenceTime, totalVotingPower: 33n }]);
      const slash = r.events.find((e) => e.type === "slash" && e.attributes.some((x) => x.key === "reason"))!;
      expect(Object.fromEntries(slash.attributes.map((x) => [x.key, x.value]))).toMatchObject({ address: valcons(v2), power: "14", reason: "double_sign", burned_coins: "650000" });
      // 5 % of 14 SOA = 700,000: 50,000 from the unbonding entry (created at the infraction), the rest from v2
      expect(validator(v2)).toMatchObject({ jailed: true, tokens: 13n * M - 650_000n });
      const ubd = a.app.staking.getUnbondingDelegation(a.app.committed, parseAddress(d.address), parseAddress(valoper(v2), "soavaloper"))!;
      expect(ubd.entries.map((e) => e.balance)).toEqual([950_000n]);
      const tomb = (await q.signingInfo(valcons(v2))).valSigningInfo;
      expect(tomb.tombstoned).toBe(true);
      expect(tomb.jailedUntil.seconds).toBe(253_402_300_799n);
      // the same evidence again is ignored; unjail is refused for ever
      const again = block([], [], [{ type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: cons(v2), power: 14n }, height: h + 1n, time: evidenceTime, totalVotingPower: 33n }]);
      expect(again.events.some((e) => e.type === "slash")).toBe(false);
      const never = block([sign(v2, [unjail(v2)])]);
      expect([never.results[0]!.codespace, never.results[0]!.code]).toEqual(["slashing", 4]);

      // the chain keeps going with v1 and v3
      for (let i = 0; i < 5; i++) block([]);
      expect(a.app.staking.getBondedValidatorsByPower(a.app.committed).map((v) => v.operatorAddress).sort()).toEqual([valoper(v1), valoper(v3)].sort());

      // invariants
      for (const n of [a, b]) {
        expect(stakingInvariants(n.app.committed, n.app.staking, n.app.bank)).toEqual([]);
        expect(sumOfBalances(n.app.committed, n.app.bank, n.app.auth, "usoa", (x) => parseAddress(x))).toBe(n.app.bank.getSupply(n.app.committed, "usoa"));
      }
      expect(a.app.bank.getSupply(a.app.committed, "usoa")).toBe(400n * M - 100_000n - 700_000n);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
