// mint against a real 1-validator localnet (soad + CometBFT 0.38) with unmodified CosmJS: the SDK mint
// queries through QueryClient + setupMintExtension, our soa.mint.v1 queries through the generated
// client, and exact issuance: the work pool grows between two heights by exactly the PoW share summed
// from the blocks' `mint_split` events, and supply = genesis + minted = sum of all balances.
import { QueryClient, createProtobufRpcClient, setupMintExtension } from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { DENOM, usoa } from "@soa/client";
import { QueryClientImpl as SoaMintQuery } from "@soa/chain/gen/soa/mint/v1/query";
import { nextInflationRate } from "@soa/chain/modules/mint/minter";
import { defaultMintParams } from "@soa/chain/modules/mint/params";
import { Dec } from "@soa/chain/types/dec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  DISTRIBUTION_ADDRESS,
  FEE_COLLECTOR_ADDRESS,
  MINT_ADDRESS,
  WORK_POOL_ADDRESS,
  atOneHeight,
  blockEvents,
  devSigner,
  feeOfTx,
  genesisSupply,
  mintedInBlocks,
  startE2eLocalnet,
} from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;
const INITIAL_INFLATION = 130_000_000_000_000_000n;

describe("mint through unmodified CosmJS against a real localnet", () => {
  let net: Localnet;
  let comet: CometClient;
  let qc: QueryClient & ReturnType<typeof setupMintExtension>;
  let dev: DevSigner;

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 1 });
    comet = await connectComet(net.rpcUrl(0));
    qc = QueryClient.withExtensions(comet, setupMintExtension);
    dev = await devSigner(net, 0, "direct");
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    dev?.client.disconnect();
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  it("genesis carries the SDK-style mint section with pos_share", () => {
    expect(net.genesis.app_state.mint).toEqual({
      minter: { inflation: "0.130000000000000000", annual_provisions: "0.000000000000000000" },
      params: {
        mint_denom: DENOM,
        inflation_rate_change: "0.130000000000000000",
        inflation_max: "0.200000000000000000",
        inflation_min: "0.070000000000000000",
        goal_bonded: "0.670000000000000000",
        blocks_per_year: "31557600",
        pos_share: "0.350000000000000000",
      },
    });
  });

  it("setupMintExtension: params, inflation and annual provisions decode as Decimals", async () => {
    const params = await qc.mint.params();
    expect({ ...params, goalBonded: params.goalBonded.toString(), inflationMin: params.inflationMin.toString(), inflationMax: params.inflationMax.toString(), inflationRateChange: params.inflationRateChange.toString() }).toEqual({
      blocksPerYear: 31_557_600n,
      goalBonded: "0.67",
      inflationMin: "0.07",
      inflationMax: "0.2",
      inflationRateChange: "0.13",
      mintDenom: DENOM,
    });

    const h0 = await net.height(0);
    const inflation = await qc.mint.inflation();
    const annual = await qc.mint.annualProvisions();
    const h1 = await net.height(0);
    // The queried minter is that of one block in the window (/status counts a block before the app
    // has executed it: the app was at h0 - 1 .. h1 + 1): find it by its `mint` event.
    await net.waitForHeight(h1 + 2);
    const atomics = (dec: string) => BigInt(dec.replace(".", "")).toString();
    const mintAt = async (height: number) => {
      const ev = (await blockEvents(comet, height)).find((e) => e.type === "mint")!;
      return Object.fromEntries(ev.attributes.map((x) => [x.key, x.value]));
    };
    let h = -1;
    let a: Record<string, string> = {};
    for (let x = Math.max(2, h0 - 1); x <= h1 + 1 && h < 0; x++) {
      a = await mintAt(x);
      if (atomics(a["inflation"]!) === inflation.atomics) h = x;
    }
    expect(h, `no block in ${h0 - 1}..${h1 + 1} minted with inflation ${inflation.atomics}`).toBeGreaterThan(0);
    // and the annual provisions are those of that block's `mint` event (decimals with 18 digits)
    expect(atomics(a["annual_provisions"]!)).toBe(annual.atomics);
    expect(annual.toString()).toMatch(/^[0-9]+(\.[0-9]+)?$/);
    // The genesis validators bonded their gentx stake: 0 < bonded ratio < goal, so inflation rises by
    // exactly (1 − ratio/0.67) × 0.13 / blocks_per_year over the previous block's (the SDK formula).
    const ratio = Dec.parse(a["bonded_ratio"]!);
    expect(ratio.gt(Dec.ZERO)).toBe(true);
    const prev = await mintAt(h - 1);
    const expected = nextInflationRate({ inflation: Dec.parse(prev["inflation"]!), annualProvisions: Dec.ZERO }, defaultMintParams(), ratio);
    expect(inflation.atomics).toBe(expected.toAtomicsString());
    expect(BigInt(inflation.atomics)).toBeGreaterThan(INITIAL_INFLATION);
    expect(a["mode"]).toBe("BeginBlock");
    expect(Number(a["amount"])).toBeGreaterThan(0);
  }, TEST_TIMEOUT);

  it("soa.mint.v1 queries through the generated QueryClientImpl over CosmJS' ProtobufRpcClient", async () => {
    const soa = new SoaMintQuery(createProtobufRpcClient(qc));
    const { params } = await soa.Params({});
    expect(params).toMatchObject({ mintDenom: DENOM, posShare: "350000000000000000", blocksPerYear: 31_557_600n, goalBonded: "670000000000000000" });
    const pool = await soa.WorkPool({});
    expect(pool.address).toBe(WORK_POOL_ADDRESS);
    expect(pool.denom).toBe(DENOM);
    expect(BigInt(pool.amount)).toBeGreaterThan(0n);
  }, TEST_TIMEOUT);

  it("module accounts are blocked recipients: MsgSend to the work pool fails with code 4", async () => {
    const r = await dev.client.sendTokens(dev.address, WORK_POOL_ADDRESS, usoa(1), { amount: usoa(5_000), gas: "200000" });
    expect(r.code).toBe(4);
    expect(r.rawLog).toMatch(/is not allowed to receive funds/);
  }, TEST_TIMEOUT);

  it("the work pool grows by exactly the PoW share of the issuance between two heights", async () => {
    const first = await atOneHeight(comet, (at) => at.balance(WORK_POOL_ADDRESS));
    await net.waitForHeight(first.height + 6, 0); // /status may run one block ahead of the app's last commit
    const second = await atOneHeight(comet, (at) => at.balance(WORK_POOL_ADDRESS));
    expect(second.height).toBeGreaterThanOrEqual(first.height + 5);
    const between = await mintedInBlocks(comet, first.height + 1, second.height);
    expect(between.blocks).toHaveLength(second.height - first.height);
    for (const b of between.blocks) {
      // pos share 0.35 rounded down for the fee collector, the rest to the work pool
      expect(b.toFeeCollector, `height ${b.height}`).toBe((b.amount * 35n) / 100n);
      expect(b.toWorkPool, `height ${b.height}`).toBe(b.amount - (b.amount * 35n) / 100n);
    }
    expect(second.value - first.value).toBe(between.toWorkPool);
    console.log(`[mint.e2e] heights ${first.height}..${second.height}: minted ${between.minted} usoa, work pool +${between.toWorkPool}, fee collector +${between.toFeeCollector}`);
  }, TEST_TIMEOUT);

  it("supply = genesis + everything minted = sum of all balances; the fee collector holds fees + PoS share", async () => {
    const txs = await dev.client.searchTx("tx.height>=1"); // every tx of this chain came from this file
    const { height, value } = await atOneHeight(comet, async (at) => ({
      modules: await at.moduleAccounts(),
      supply: await at.supply(),
      balances: await Promise.all([...new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...(await at.moduleAccounts())])].map((a) => at.balance(a))),
      // distribution takes the fee collector at every BeginBlock; nobody withdraws rewards here
      feeCollector: (await at.balance(FEE_COLLECTOR_ADDRESS)) + (await at.balance(DISTRIBUTION_ADDRESS)),
      workPool: await at.balance(WORK_POOL_ADDRESS),
      mint: await at.balance(MINT_ADDRESS),
    }));
    const minted = await mintedInBlocks(comet, 1, height);
    const fees = txs.filter((t) => t.height <= height).reduce((s, t) => s + feeOfTx(t.tx), 0n);
    expect(value.supply).toBe(genesisSupply(net) + minted.minted);
    expect(value.balances.reduce((a, b) => a + b, 0n)).toBe(value.supply);
    expect(value.workPool).toBe(minted.toWorkPool);
    expect(value.feeCollector).toBe(minted.toFeeCollector + fees);
    expect(value.mint).toBe(0n);
    expect(value.modules).toEqual(expect.arrayContaining([FEE_COLLECTOR_ADDRESS, MINT_ADDRESS, WORK_POOL_ADDRESS]));
    console.log(`[mint.e2e] at height ${height}: supply ${value.supply} = genesis ${genesisSupply(net)} + minted ${minted.minted}; fees ${fees}`);
  }, TEST_TIMEOUT);
});
