// mint through the in-process node: 50 blocks (with fee-paying sends in some of them) on two apps fed
// the same blocks. Every block: the supply grows by exactly the provision the SDK's formulas give
// (recomputed here from the previous minter state), the fee collector gets floor(provision × 0.35)
// plus the block's fees, the work pool the rest, all balances add up to the supply, and both apps
// agree on every app hash.
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse as SdkParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAppGenesis } from "../../src/app/genesis.js";
import { QueryParamsResponse, QueryWorkPoolResponse } from "../../src/gen/soa/mint/v1/query.js";
import { FEE_COLLECTOR, MINT_MODULE, moduleAddress, WORK_POOL } from "../../src/modules/auth/keeper.js";
import { blockProvision, nextAnnualProvisions, nextInflationRate } from "../../src/modules/mint/minter.js";
import { msgSendAny } from "../../src/tx/build.js";
import { formatAddress, parseAddress } from "../../src/types/address.js";
import { Dec } from "../../src/types/dec.js";
import { fundedGenesis, keyFromSeed, TestNode } from "../utils/testNode.js";

const BLOCKS = 50;
const keys = [keyFromSeed("mint-a"), keyFromSeed("mint-b"), keyFromSeed("mint-c")];
const FEE = 2_500n;
const feeCollector = moduleAddress(FEE_COLLECTOR);
/** distribution moves the fee collector into its module account at each BeginBlock (after mint). */
const distributionModule = moduleAddress("distribution");
const workPool = moduleAddress(WORK_POOL);

const attrs = (events: Event[], type: string): Record<string, string>[] =>
  events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));

describe("mint: block provisions, split between the fee collector and the work pool", () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    const genesis = fundedGenesis(keys, 10n ** 12n); // supply 3e12 usoa: ~12.4k usoa per block at 13 %
    a = await TestNode.create({ genesis });
    b = await TestNode.create({ genesis });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const usoa = (n: TestNode, addr: Uint8Array) => n.app.bank.getBalance(n.app.committed, addr, "usoa");
  const supply = (n: TestNode) => n.app.bank.getSupply(n.app.committed, "usoa");

  it(`${BLOCKS} blocks: exact issuance and split, balances add up to the supply, two apps agree`, () => {
    const params = a.app.mint.getParams(a.app.committed);
    expect(params.posShare.toString()).toBe("0.350000000000000000");
    expect(params.blocksPerYear).toBe(31_557_600n);
    // InitChain's state is committed with block 1, which mints already: 0.13 × 3e12 / 31557600
    const first = a.deliverBlock([]);
    expect(b.deliverBlock([]).appHash).toEqual(first.appHash);
    expect(attrs(first.events, "mint")[0]?.["amount"]).toBe("12358");
    const genesisSupply = supply(a) - 12_358n;
    expect(genesisSupply).toBe(3n * 10n ** 12n);
    const seq = keys.map(() => 0n);
    let minted = 12_358n;
    let toWork = 12_358n - 4_325n; // floor(12358 × 0.35) = 4325
    let fees = 0n;
    for (let i = 2; i <= BLOCKS; i++) {
      const before = { supply: supply(a), fc: usoa(a, feeCollector) + usoa(a, distributionModule), wp: usoa(a, workPool), minter: a.app.mint.getMinter(a.app.committed) };
      // a send in two blocks out of three: fees reach the fee collector next to the PoS share
      const txs: Uint8Array[] = [];
      if (i % 3 !== 0) {
        const k = i % keys.length;
        txs.push(a.signTx({ key: keys[k]!, accountNumber: BigInt(k), sequence: seq[k]!, messages: [msgSendAny(keys[k]!.address, keys[(k + 1) % 3]!.address, [{ denom: "usoa", amount: String(i) }])], fee: [{ denom: "usoa", amount: FEE.toString() }] }));
        seq[k]! += 1n;
      }
      const ra = a.deliverBlock(txs);
      const rb = b.deliverBlock(txs);
      expect(Buffer.from(ra.appHash).toString("hex"), `app hash at height ${ra.height}`).toBe(Buffer.from(rb.appHash).toString("hex"));
      for (const r of ra.results) expect(r.code, r.log).toBe(0);
      const blockFees = BigInt(txs.length) * FEE;

      // the SDK's formulas from the previous minter state (bonded ratio 0: no staking yet)
      const inflation = nextInflationRate(before.minter, params, Dec.ZERO);
      const annual = nextAnnualProvisions({ ...before.minter, inflation }, before.supply);
      const provision = blockProvision({ inflation, annualProvisions: annual }, params);
      const pos = (provision * 35n) / 100n; // floor(provision × 0.35)
      expect(provision).toBeGreaterThan(12_000n);

      const [mint] = attrs(ra.events, "mint");
      expect(mint).toEqual({ bonded_ratio: "0.000000000000000000", inflation: inflation.toString(), annual_provisions: annual.toString(), amount: provision.toString(), mode: "BeginBlock" });
      const [split] = attrs(ra.events, "mint_split");
      expect(split).toEqual({
        denom: "usoa",
        amount: provision.toString(),
        pos_share: "0.350000000000000000",
        fee_collector: formatAddress(feeCollector),
        fee_collector_amount: pos.toString(),
        work_pool: formatAddress(workPool),
        work_pool_amount: (provision - pos).toString(),
        mode: "BeginBlock",
      });
      expect(attrs(ra.events, "coinbase")).toEqual([{ minter: formatAddress(moduleAddress(MINT_MODULE)), amount: `${provision}usoa`, mode: "BeginBlock" }]);

      expect(supply(a) - before.supply, `supply growth at height ${ra.height}`).toBe(provision);
      expect(usoa(a, workPool) - before.wp, `work pool at height ${ra.height}`).toBe(provision - pos);
      expect(usoa(a, feeCollector) + usoa(a, distributionModule) - before.fc, `fee collector + distribution at height ${ra.height}`).toBe(pos + blockFees);
      expect(usoa(a, moduleAddress(MINT_MODULE))).toBe(0n); // passes everything on
      expect(a.app.mint.getMinter(a.app.committed)).toEqual({ inflation, annualProvisions: annual });
      minted += provision;
      toWork += provision - pos;
      fees += blockFees;
    }
    expect(supply(a)).toBe(genesisSupply + minted);
    expect(usoa(a, workPool)).toBe(toWork);
    expect(usoa(a, feeCollector) + usoa(a, distributionModule)).toBe(minted - toWork + fees);
    // inflation rose by 0.13 / 31557600 per block (4.119451416e-9 after rounding half to even)
    expect(a.app.mint.getMinter(a.app.committed).inflation.toString()).toBe("0.130000205972570800");

    // supply = sum of every balance, module accounts included
    let sum = 0n;
    for (const acc of a.app.auth.iterateAccounts(a.app.committed)) sum += a.app.bank.getBalance(a.app.committed, parseAddress(acc.base.address), "usoa");
    expect(sum).toBe(supply(a));
    expect(supply(b)).toBe(supply(a));
  });

  it("answers the SDK mint queries as CosmJS decodes them and the soa.mint.v1 queries", () => {
    const minter = a.app.mint.getMinter(a.app.committed);
    const q = (path: string) => {
      const r = a.query(path, new Uint8Array());
      expect(r.code, r.log).toBe(0);
      return r.value;
    };
    const sdk = SdkParamsResponse.decode(q("/cosmos.mint.v1beta1.Query/Params")).params!;
    expect(sdk).toEqual({
      mintDenom: "usoa",
      inflationRateChange: "130000000000000000",
      inflationMax: "200000000000000000",
      inflationMin: "70000000000000000",
      goalBonded: "670000000000000000",
      blocksPerYear: 31_557_600n,
    });
    // bytes of the atomics' ASCII, what decodeCosmosSdkDecFromProto reads
    expect(Buffer.from(QueryInflationResponse.decode(q("/cosmos.mint.v1beta1.Query/Inflation")).inflation).toString()).toBe(minter.inflation.atomics.toString());
    expect(Buffer.from(QueryAnnualProvisionsResponse.decode(q("/cosmos.mint.v1beta1.Query/AnnualProvisions")).annualProvisions).toString()).toBe(minter.annualProvisions.atomics.toString());
    expect(QueryParamsResponse.decode(q("/soa.mint.v1.Query/Params")).params).toMatchObject({ posShare: "350000000000000000", blocksPerYear: 31_557_600n });
    expect(QueryWorkPoolResponse.decode(q("/soa.mint.v1.Query/WorkPool"))).toEqual({ address: formatAddress(workPool), denom: "usoa", amount: usoa(a, workPool).toString() });
    // module accounts are blocked recipients of MsgSend
    const tx = a.signTx({ key: keys[0]!, accountNumber: 0n, sequence: a.sequenceOf(keys[0]!.address), messages: [msgSendAny(keys[0]!.address, formatAddress(workPool), [{ denom: "usoa", amount: "1" }])], fee: [{ denom: "usoa", amount: "2500" }] });
    const r = a.deliverBlock([tx]).results[0]!;
    expect([r.code, r.codespace]).toEqual([4, "sdk"]);
    expect(r.log).toMatch(/is not allowed to receive funds/);
  });

  it("refuses an invalid mint genesis with a clear error", async () => {
    const bad = defaultAppGenesis();
    bad.mint!.params.pos_share = "1.5";
    await expect(TestNode.create({ genesis: bad })).rejects.toThrow(/invalid genesis app_state: mint\.params\.pos_share must be at most 1, got 1\.5/);
    const inverted = defaultAppGenesis();
    inverted.mint!.params.inflation_min = "0.5";
    await expect(TestNode.create({ genesis: inverted })).rejects.toThrow(/mint\.params\.inflation_max \(0\.200000000000000000\) must not be less than inflation_min/);
  });
});
