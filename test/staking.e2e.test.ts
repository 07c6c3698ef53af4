// Staking on a real 4-validator localnet whose genesis was formed by gentx + collect-gentxs, driven by
// unmodified @cosmjs/stargate (direct and amino wallets): delegate, redelegate, undelegate and its
// completion after the localnet's 20 s unbonding time with exact balances; a delegation changes
// CometBFT's /validators power exactly two blocks later; a fifth node joins, syncs, becomes a validator
// with `soad tx staking create-validator` and signs blocks. Invariants at the end.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type DeliverTxResponse, QueryClient, type StdFee, coin, setupBankExtension, setupStakingExtension } from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { MsgBeginRedelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { DENOM } from "@soa/client";
import { LOCALNET_UNBONDING_TIME, LOCALNET_VALIDATOR_STAKE } from "@soa/chain/node/testnet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  atOneHeight,
  devSigner,
  feeOfEvents,
  moduleAccountAddress,
  pollUntil,
  rpcResult,
  startE2eLocalnet,
  usoaBalance,
} from "./utils/accounts.js";
import { type Localnet, SOAD_MAIN } from "./utils/localnet.js";

const HOOK_TIMEOUT = 240_000;
const TEST_TIMEOUT = 180_000;
const SOA = 1_000_000n;
const STAKE = BigInt(LOCALNET_VALIDATOR_STAKE.replace(DENOM, ""));
const UNBONDING_MS = Number(LOCALNET_UNBONDING_TIME.replace("s", "")) * 1000;
const FEE: StdFee = { amount: [coin(2_500, DENOM)], gas: "400000" };
const BONDED_POOL = moduleAccountAddress("bonded_tokens_pool");
const run = promisify(execFile);

interface CometValidator {
  address: string;
  voting_power: string;
}

/** Rewards paid out to the delegator by a staking tx (distribution withdraws on share changes). */
function rewardsWithdrawn(r: DeliverTxResponse): bigint {
  let sum = 0n;
  for (const e of r.events) {
    if (e.type !== "withdraw_rewards") continue;
    const amount = e.attributes.find((a) => a.key === "amount")?.value ?? "";
    for (const m of amount.matchAll(/([0-9]+)usoa/g)) sum += BigInt(m[1]!);
  }
  return sum;
}

describe("staking on a real 4-validator localnet (genesis by gentx)", () => {
  let net: Localnet;
  let comet: CometClient;
  let qc: QueryClient & ReturnType<typeof setupStakingExtension> & ReturnType<typeof setupBankExtension>;
  let direct: DevSigner;
  let amino: DevSigner;
  const vals: string[] = [];
  /** Addresses that received coins in this file and are not in genesis (for the supply invariant). */
  const extraAccounts: string[] = [];

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 4 });
    comet = await connectComet(net.rpcUrl(0));
    qc = QueryClient.withExtensions(comet, setupStakingExtension, setupBankExtension);
    direct = await devSigner(net, 1, "direct");
    amino = await devSigner(net, 2, "amino");
    vals.push(...net.nodes.map((n) => n.operatorAddress));
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    direct?.client.disconnect();
    amino?.client.disconnect();
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  const cometPowers = async (height: number): Promise<Map<string, bigint>> => {
    const r = await rpcResult<{ validators: CometValidator[] }>(net.rpcUrl(0), "validators", { height: String(height), per_page: "100" });
    return new Map(r.validators.map((v) => [v.address, BigInt(v.voting_power)]));
  };
  const consAddr = (i: number) => net.nodes[i]!.validatorAddress;
  const tokens = async (val: string) => BigInt((await qc.staking.validator(val)).validator!.tokens);
  /** Power of validator i at heights H+1 (before) and H+2 (after): the update of block H lands at H+2. */
  const powersAround = async (h: number, i: number) => {
    await net.waitForHeight(h + 2, 0);
    return [(await cometPowers(h + 1)).get(consAddr(i)), (await cometPowers(h + 2)).get(consAddr(i))];
  };

  it("genesis: four gentxs, empty genesis validators, CometBFT takes the staking set", async () => {
    expect(net.genesis.validators).toEqual([]);
    expect(net.genesis.app_state.genutil?.gen_txs).toHaveLength(4);
    const { validators } = await qc.staking.validators("BOND_STATUS_BONDED");
    expect(validators.map((v) => [v.operatorAddress, v.description?.moniker, v.tokens, v.status]).sort()).toEqual(
      net.nodes.map((n) => [n.operatorAddress, n.moniker, STAKE.toString(), BondStatus.BOND_STATUS_BONDED]).sort(),
    );
    const p1 = await cometPowers(1);
    expect([...p1.entries()].sort()).toEqual(net.nodes.map((_, i) => [consAddr(i), STAKE / SOA]).sort());
    // each operator paid its self-bond from its genesis balance (the gentx ran through the tx path)
    for (const n of net.nodes) expect(await usoaBalance(direct.client, n.accountAddress)).toBe(1_000n * SOA - STAKE);
  });

  it("delegate (direct): exact balance, power changes at H+2 exactly", async () => {
    const before = await usoaBalance(direct.client, direct.address);
    const amount = 10n * SOA;
    const r = await direct.client.delegateTokens(direct.address, vals[0]!, coin(amount.toString(), DENOM), FEE);
    expect(r.code, r.rawLog).toBe(0);
    expect(await usoaBalance(direct.client, direct.address)).toBe(before - amount - feeOfEvents(r) + rewardsWithdrawn(r));
    expect(rewardsWithdrawn(r)).toBe(0n); // a first delegation has nothing to withdraw
    expect(await powersAround(r.height, 0)).toEqual([STAKE / SOA, (STAKE + amount) / SOA]);
    expect(await tokens(vals[0]!)).toBe(STAKE + amount);
    const d = await qc.staking.delegation(direct.address, vals[0]!);
    expect(d.delegationResponse?.balance).toEqual({ denom: DENOM, amount: amount.toString() });
  }, TEST_TIMEOUT);

  let redelegatedAt = 0;
  it("delegate and redelegate (amino): exact balances, both powers change at H+2", async () => {
    const b0 = await usoaBalance(amino.client, amino.address);
    const r1 = await amino.client.delegateTokens(amino.address, vals[1]!, coin((20n * SOA).toString(), DENOM), FEE);
    expect(r1.code, r1.rawLog).toBe(0);
    const b1 = await usoaBalance(amino.client, amino.address);
    expect(b1).toBe(b0 - 20n * SOA - feeOfEvents(r1));
    expect(await powersAround(r1.height, 1)).toEqual([STAKE / SOA, STAKE / SOA + 20n]);

    const msg = { typeUrl: MsgBeginRedelegate.typeUrl, value: MsgBeginRedelegate.fromPartial({ delegatorAddress: amino.address, validatorSrcAddress: vals[1]!, validatorDstAddress: vals[2]!, amount: coin((5n * SOA).toString(), DENOM) }) };
    const r2 = await amino.client.signAndBroadcast(amino.address, [msg], FEE);
    expect(r2.code, r2.rawLog).toBe(0);
    redelegatedAt = r2.height;
    // rewards of the source delegation are withdrawn to the delegator; nothing else moves
    expect(await usoaBalance(amino.client, amino.address)).toBe(b1 - feeOfEvents(r2) + rewardsWithdrawn(r2));
    expect(await powersAround(r2.height, 1)).toEqual([STAKE / SOA + 20n, STAKE / SOA + 15n]);
    expect(await powersAround(r2.height, 2)).toEqual([STAKE / SOA, STAKE / SOA + 5n]);
    const red = await qc.staking.redelegations(amino.address, vals[1]!, vals[2]!);
    expect(red.redelegationResponses).toHaveLength(1);
    expect(red.redelegationResponses[0]!.entries.map((e) => e.balance)).toEqual([(5n * SOA).toString()]);
    expect((await qc.staking.delegation(amino.address, vals[2]!)).delegationResponse?.balance?.amount).toBe((5n * SOA).toString());
  }, TEST_TIMEOUT);

  it("undelegate (direct): entry for the unbonding time, then exactly the amount back", async () => {
    const before = await usoaBalance(direct.client, direct.address);
    const amount = 4n * SOA;
    const r = await direct.client.undelegateTokens(direct.address, vals[0]!, coin(amount.toString(), DENOM), FEE);
    expect(r.code, r.rawLog).toBe(0);
    const afterTx = await usoaBalance(direct.client, direct.address);
    expect(afterTx).toBe(before - feeOfEvents(r) + rewardsWithdrawn(r));
    expect(await powersAround(r.height, 0)).toEqual([STAKE / SOA + 10n, STAKE / SOA + 6n]);
    const ubd = await qc.staking.unbondingDelegation(direct.address, vals[0]!);
    const entries = ubd.unbond?.entries ?? [];
    expect(entries.map((e) => e.balance)).toEqual([amount.toString()]);
    const completion = entries[0]!.completionTime!;
    const completionMs = Number(completion.seconds) * 1000 + Math.floor(completion.nanos / 1e6);
    const block = await comet.block(r.height);
    expect(completionMs - block.block.header.time.getTime()).toBe(UNBONDING_MS);

    // Still locked until a block with time >= completion has run.
    expect(await usoaBalance(direct.client, direct.address)).toBe(afterTx);
    const matured = await pollUntil(
      "the unbonding entry to mature",
      async () => {
        const s = await comet.status();
        return s.syncInfo.latestBlockTime.getTime() > completionMs ? s.syncInfo.latestBlockHeight : undefined;
      },
      UNBONDING_MS + 60_000,
      500,
    );
    await net.waitForHeight(matured + 1, 0);
    expect(await usoaBalance(direct.client, direct.address)).toBe(afterTx + amount);
    await expect(qc.staking.unbondingDelegation(direct.address, vals[0]!)).rejects.toThrow(/not found/i);
    // the redelegation made before has matured too (same unbonding time, earlier)
    expect(redelegatedAt).toBeGreaterThan(0);
    await expect(qc.staking.redelegations(amino.address, vals[1]!, vals[2]!)).rejects.toThrow(/not found|does not exist/i);
  }, TEST_TIMEOUT);

  it("a new node syncs, becomes a validator with `soad tx staking create-validator` and signs blocks", async () => {
    const idx = await net.addNode();
    const node = net.nodes[idx]!;
    const soad = (args: string[]) => run(process.execPath, [SOAD_MAIN, ...args], { env: { ...process.env, SOAD_KEYRING_BACKEND: "test" } });
    const key = JSON.parse((await soad(["keys", "add", "validator", "--home", node.home, "--output", "json"])).stdout) as { address: string };
    extraAccounts.push(key.address);
    const consAddress = (JSON.parse(readFileSync(join(node.home, "config", "priv_validator_key.json"), "utf8")) as { address: string }).address;
    // synced: its own RPC is at the network's height
    await net.waitForHeight(await net.height(0), idx);

    // Fund the operator key, then create the validator through the new node's own RPC.
    const fund = await direct.client.sendTokens(direct.address, key.address, [coin((50n * SOA).toString(), DENOM)], FEE);
    expect(fund.code, fund.rawLog).toBe(0);
    const stake = 30n * SOA;
    const { stdout } = await soad([
      "tx", "staking", "create-validator", "--amount", `${stake}${DENOM}`, "--from", "validator", "--home", node.home,
      "--node", node.rpcUrl, "--chain-id", net.chainId, "--moniker", "joiner", "--commission-rate", "0.07",
    ]);
    const out = JSON.parse(stdout) as { txhash: string; height: number; validator: string };
    const tx = await direct.client.getTx(out.txhash);
    expect(tx?.code).toBe(0);
    const fee = feeOfEvents(tx!);
    expect(await usoaBalance(direct.client, key.address)).toBe(50n * SOA - stake - fee);

    const v = (await qc.staking.validator(out.validator)).validator!;
    expect([v.description?.moniker, v.tokens, v.status, v.commission?.commissionRates?.rate]).toEqual(["joiner", stake.toString(), BondStatus.BOND_STATUS_BONDED, "70000000000000000"]);
    await net.waitForHeight(out.height + 2, 0);
    expect((await cometPowers(out.height + 1)).has(consAddress)).toBe(false);
    expect((await cometPowers(out.height + 2)).get(consAddress)).toBe(stake / SOA);

    // It signs: its address appears in a commit (block h+1's last_commit holds the votes for h).
    const signedAt = await pollUntil(
      "a block signed by the new validator",
      async () => {
        const tip = await net.height(0);
        for (let h = out.height + 3; h <= tip; h++) {
          const b = await rpcResult<{ block: { last_commit: { signatures: { validator_address: string; block_id_flag: number }[] } } }>(net.rpcUrl(0), "block", { height: String(h) });
          if (b.block.last_commit.signatures.some((s) => s.validator_address === consAddress && s.block_id_flag === 2)) return h;
        }
        return undefined;
      },
      60_000,
      500,
    );
    expect(signedAt).toBeGreaterThan(out.height + 2);
    const st = await net.status(idx);
    expect(st.validator_info.address).toBe(consAddress);
    expect(BigInt(st.validator_info.voting_power)).toBe(stake / SOA);
  }, TEST_TIMEOUT);

  it("invariants: supply = Σ balances incl. module accounts; bonded pool = Σ bonded validators' tokens", async () => {
    // Five nodes on a small machine answer ~25 queries slower than a block: halt the chain (stop all
    // but node 0: less than 2/3 of the power is left) so that every read sees the same committed state.
    await Promise.all([1, 2, 3, 4].map((i) => net.stopNode(i)));
    const { height, value } = await atOneHeight(comet, async (at) => {
      const modules = await at.moduleAccounts();
      const holders = [...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...modules, ...extraAccounts])];
      const r = await qc.queryAbci("/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode({ status: "BOND_STATUS_BONDED" }).finish(), at.height);
      const bonded = QueryValidatorsResponse.decode(r.value).validators;
      return {
        supply: await at.supply(),
        balances: await Promise.all(holders.map((a) => at.balance(a))),
        bondedPool: await at.balance(BONDED_POOL),
        bondedTokens: bonded.reduce((s, v) => s + BigInt(v.tokens), 0n),
        bondedCount: bonded.length,
        modules,
      };
    });
    expect(value.modules).toContain(BONDED_POOL);
    expect(value.balances.reduce((a, b) => a + b, 0n), `at height ${height}`).toBe(value.supply);
    expect(value.bondedPool).toBe(value.bondedTokens);
    expect(value.bondedCount).toBe(5);
  }, TEST_TIMEOUT);
});
