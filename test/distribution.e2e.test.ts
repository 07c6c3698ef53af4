// distribution against a real 4-validator localnet (soad + CometBFT 0.38, genesis formed by gentxs)
// with unmodified @cosmjs/stargate: a delegator bonds with delegateTokens, rewards accrue every block
// (fees + mint's PoS share, by last-commit power, after community tax and commission), every
// setupDistributionExtension query answers, and withdrawRewards pays exactly the queried reward plus
// the delegator's share of the blocks until its inclusion — to the last usoa, with the fee accounted.
// Invariants at the end: supply = Σ balances incl. module accounts; bonded pool = Σ bonded tokens;
// distribution module = Σ outstanding rewards + community pool.
import { QueryClient, setupDistributionExtension, setupStakingExtension } from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import * as QDist from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgWithdrawDelegatorRewardResponse } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import * as QStaking from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DENOM, usoa } from "@soa/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  DISTRIBUTION_ADDRESS,
  atOneHeight,
  blockEvents,
  devSigner,
  moduleAccountAddress,
  startE2eLocalnet,
} from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 150_000;
const ONE = 10n ** 18n;
/** LegacyDec atomics string (protobuf form) → atomics. */
const atoms = (s: string | undefined) => (s ? BigInt(s) : 0n);
/** "12.345000000000000000usoa" (an event's DecCoins) → atomics. */
const decCoinAtoms = (s: string | undefined) => {
  if (!s) return 0n;
  const m = /^([0-9]+)\.([0-9]{18})usoa$/.exec(s);
  if (!m) throw new Error(`unexpected DecCoins ${s}`);
  return BigInt(m[1]!) * ONE + BigInt(m[2]!);
};

interface Codec<T> {
  fromPartial(o: object): T;
  encode(m: T): { finish(): Uint8Array };
}

/** Queries pinned to one height (the app answers only its latest: fails, and atOneHeight retries, once a block is added). */
function pinned(comet: CometClient, height: number) {
  const qc = new QueryClient(comet);
  return async <Req, Res>(req: Codec<Req>, res: { decode(b: Uint8Array): Res }, path: string, value: object): Promise<Res> => {
    const r = await qc.queryAbci(`/${path}`, req.encode(req.fromPartial(value)).finish(), height);
    return res.decode(r.value);
  };
}

describe("distribution through unmodified CosmJS against a real localnet", () => {
  let net: Localnet;
  let comet: CometClient;
  let qc: QueryClient & ReturnType<typeof setupDistributionExtension> & ReturnType<typeof setupStakingExtension>;
  let del: DevSigner;
  let val: string;
  const FEE = { amount: usoa(10_000), gas: "400000" };

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 4, startupTimeoutMs: 120_000 });
    comet = await connectComet(net.rpcUrl(0));
    qc = QueryClient.withExtensions(comet, setupDistributionExtension, setupStakingExtension);
    del = await devSigner(net, 3, "direct");
    val = net.nodes[1]!.operatorAddress;
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    del?.client.disconnect();
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it("the genesis validators (gentxs) earn rewards from the first blocks; the community pool fills with the 2 % tax", async () => {
    await net.waitForHeight(4, 0);
    const params = (await qc.distribution.params()).params!;
    expect(params.communityTax).toBe("20000000000000000");
    for (const n of net.nodes) {
      const out = await qc.distribution.validatorOutstandingRewards(n.operatorAddress);
      expect(atoms(out.rewards!.rewards.find((c) => c.denom === DENOM)?.amount), `outstanding of ${n.operatorAddress}`).toBeGreaterThan(0n);
    }
    expect(atoms((await qc.distribution.communityPool()).pool.find((c) => c.denom === DENOM)?.amount)).toBeGreaterThan(0n);
  }, TEST_TIMEOUT);

  it("delegateTokens, rewards accrue, withdrawRewards pays exactly the queried reward + the blocks until inclusion, to the last usoa", async () => {
    const bond = await del.client.delegateTokens(del.address, val, usoa(50_000_000)[0]!, FEE);
    expect(bond.code, bond.rawLog).toBe(0);
    await net.waitForHeight(bond.height + 4, 0);
    expect((await qc.distribution.delegatorValidators(del.address)).validators).toEqual([val]);
    expect((await qc.distribution.delegatorWithdrawAddress(del.address)).withdrawAddress).toBe(del.address);

    // state at one height H0: the pending reward (Dec), the stake and the validator's tokens
    // (the latest-height queries run first; the pinned balance read then fails, and all is retried, if a block came in between)
    const { height: h0, value: s0 } = await atOneHeight(comet, async (at) => {
      const q = pinned(comet, at.height);
      const [rewards, total, validator, delegation, balance] = await Promise.all([
        q(QDist.QueryDelegationRewardsRequest, QDist.QueryDelegationRewardsResponse, "cosmos.distribution.v1beta1.Query/DelegationRewards", { delegatorAddress: del.address, validatorAddress: val }),
        q(QDist.QueryDelegationTotalRewardsRequest, QDist.QueryDelegationTotalRewardsResponse, "cosmos.distribution.v1beta1.Query/DelegationTotalRewards", { delegatorAddress: del.address }),
        q(QStaking.QueryValidatorRequest, QStaking.QueryValidatorResponse, "cosmos.staking.v1beta1.Query/Validator", { validatorAddr: val }),
        q(QStaking.QueryDelegationRequest, QStaking.QueryDelegationResponse, "cosmos.staking.v1beta1.Query/Delegation", { delegatorAddr: del.address, validatorAddr: val }),
        at.balance(del.address),
      ]);
      return {
        rewards: atoms(rewards.rewards.find((c) => c.denom === DENOM)?.amount),
        total: total.total,
        validator: validator.validator!,
        delegation: delegation.delegationResponse!.delegation!,
        balance,
      };
    });
    expect(s0.rewards).toBeGreaterThan(0n);
    expect(atoms(s0.total.find((c) => c.denom === DENOM)?.amount)).toBe(s0.rewards);

    const r = await del.client.withdrawRewards(del.address, val, FEE);
    expect(r.code, r.rawLog).toBe(0);
    const paid = BigInt(MsgWithdrawDelegatorRewardResponse.decode(r.msgResponses[0]!.value).amount.find((c) => c.denom === DENOM)?.amount ?? "0");
    const ev = r.events.find((e) => e.type === "withdraw_rewards")!;
    expect(Object.fromEntries(ev.attributes.map((a) => [a.key, a.value]))).toMatchObject({ amount: `${paid}usoa`, validator: val, delegator: del.address });

    // the balance moved by exactly the reward minus the fee (only this delegator's own txs touch it)
    const after = (await atOneHeight(comet, async (at) => at.balance(del.address))).value;
    expect(after - s0.balance).toBe(paid - 10_000n);

    // expected: the queried reward at H0 + the delegator's stake share of what the validator's
    // delegators got in blocks H0+1..H (rewards − commission events), truncated to whole usoa
    let shared = 0n;
    for (let h = h0 + 1; h <= r.height; h++) {
      const events = await blockEvents(comet, h);
      const of = (type: string) => events.filter((e) => e.type === type && e.attributes.some((a) => a.key === "validator" && a.value === val)).map((e) => e.attributes.find((a) => a.key === "amount")!.value);
      const rewards = of("rewards");
      expect(rewards, `one rewards event for ${val} at ${h}`).toHaveLength(1);
      shared += decCoinAtoms(rewards[0]) - decCoinAtoms(of("commission")[0]);
    }
    const tokens = BigInt(s0.validator.tokens);
    const stake = (atoms(s0.delegation.shares) * tokens * ONE) / atoms(s0.validator.delegatorShares); // the stake in tokens, 18-decimal atomics
    // value = rewards + stake × shared / tokens (all in 18-decimal atomics): floor to usoa
    const expected = (s0.rewards * tokens * ONE + stake * shared) / (tokens * ONE * ONE);
    expect(paid, `paid ${paid}: queried ${s0.rewards} at ${h0}, ${r.height - h0} block(s) until inclusion, shared ${shared}, stake ${stake}, tokens ${tokens}`).toBe(expected);
    console.log(`[distribution.e2e] queried ${s0.rewards} atomics at height ${h0}; withdrawn ${paid} usoa at ${r.height}`);
  }, TEST_TIMEOUT);

  it("every query CosmJS's extension offers answers; slashes list is empty and paginated", async () => {
    const commission = await qc.distribution.validatorCommission(val);
    expect(atoms(commission.commission!.commission.find((c) => c.denom === DENOM)?.amount)).toBeGreaterThan(0n);
    const slashes = await qc.distribution.validatorSlashes(val, 1, await net.height(0));
    expect(slashes.slashes).toEqual([]);
    expect(slashes.pagination).toBeDefined();
  }, TEST_TIMEOUT);

  it("invariants: supply = Σ balances; bonded pool = Σ bonded tokens; distribution module = Σ outstanding + community pool", async () => {
    const accounts = [...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), del.address])];
    const modules = (await atOneHeight(comet, (at) => at.moduleAccounts())).value;
    const { value } = await atOneHeight(comet, async (at) => {
      const q = pinned(comet, at.height);
      // one round of parallel reads (blocks are fast): the validators are the genesis ones, the
      // module accounts those of this chain's modules
      const all = [...new Set([...accounts, ...modules])];
      const [validators, poolResp, outs, balances, moduleList] = await Promise.all([
        q(QStaking.QueryValidatorsRequest, QStaking.QueryValidatorsResponse, "cosmos.staking.v1beta1.Query/Validators", { status: "" }),
        q(QDist.QueryCommunityPoolRequest, QDist.QueryCommunityPoolResponse, "cosmos.distribution.v1beta1.Query/CommunityPool", {}),
        Promise.all(
          net.nodes.map((n) => q(QDist.QueryValidatorOutstandingRewardsRequest, QDist.QueryValidatorOutstandingRewardsResponse, "cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards", { validatorAddress: n.operatorAddress })),
        ),
        Promise.all(all.map((a) => at.balance(a))),
        at.moduleAccounts(),
      ]);
      expect(validators.validators.map((v) => v.operatorAddress).sort()).toEqual(net.nodes.map((n) => n.operatorAddress).sort());
      expect(moduleList.sort()).toEqual([...modules].sort());
      const bonded = validators.validators.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED);
      const outstanding = outs.reduce((sum, o) => sum + atoms(o.rewards!.rewards.find((c) => c.denom === DENOM)?.amount), 0n);
      const pool = atoms(poolResp.pool.find((c) => c.denom === DENOM)?.amount);
      return {
        supply: await at.supply(),
        total: balances.reduce((x, y) => x + y, 0n),
        bondedPool: await at.balance(moduleAccountAddress("bonded_tokens_pool")),
        bondedTokens: bonded.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED).reduce((s, v) => s + BigInt(v.tokens), 0n),
        distribution: await at.balance(DISTRIBUTION_ADDRESS),
        outstandingPlusPool: outstanding + pool,
        modules: moduleList,
      };
    });
    expect(value.total).toBe(value.supply);
    expect(value.bondedPool).toBe(value.bondedTokens);
    expect(value.modules).toContain(DISTRIBUTION_ADDRESS);
    expect(value.outstandingPlusPool % ONE).toBe(0n); // Σ outstanding + pool is whole usoa
    expect(value.distribution).toBe(value.outstandingPlusPool / ONE);
  }, TEST_TIMEOUT);
});
