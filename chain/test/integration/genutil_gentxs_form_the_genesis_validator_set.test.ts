// Genesis ceremony in-process: gentxs built and collected as `soad genesis gentx|collect-gentxs` do,
// run by InitChain through the tx path; the staking set goes to CometBFT; two nodes agree.
import { afterAll, describe, expect, it } from "vitest";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { sha256 } from "../../src/crypto/hash.js";
import { signSecp256k1 } from "../../src/crypto/secp256k1.js";
import type { AppGenesis } from "../../src/app/genesis.js";
import { collectGentxs } from "../../src/modules/genutil/collect.js";
import { DEFAULT_COMMISSION, type GentxJson, type GentxSigner, buildGentx } from "../../src/modules/genutil/gentx.js";
import { stakingInvariants, sumOfBalances } from "../../src/modules/staking/testing.js";
import { formatValAddress } from "../../src/modules/staking/keeper.js";
import { defaultConsensusParams, type GenesisDoc } from "../../src/node/genesisFile.js";
import { parseAddress } from "../../src/types/address.js";
import type { TestKey } from "../../src/tx/build.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../utils/testNode.js";

const CHAIN = "soa-gentx-1";
const ops = ["op0", "op1", "op2"].map(keyFromSeed);
const user = keyFromSeed("user");
const consKey = (i: number) => sha256(Buffer.from(`consensus-key-${i}`)); // any 32 bytes is an ed25519 pubkey to the app

function signer(k: TestKey): GentxSigner {
  const bytes = parseAddress(k.address);
  return { address: k.address, valoperAddress: formatValAddress(bytes), pubkey: k.pubkey, sign: (b) => signSecp256k1(b, k.privkey) };
}

function gentx(i: number, amount = 100_000_000n, chainId = CHAIN, cons = i): GentxJson {
  return buildGentx({
    signer: signer(ops[i]!),
    consPubkey: consKey(cons),
    chainId,
    memo: `${"ab".repeat(20)}@127.0.0.1:${26656 + 100 * i}`,
    params: {
      description: { moniker: `node${i}` },
      commissionRate: DEFAULT_COMMISSION.rate,
      commissionMaxRate: DEFAULT_COMMISSION.maxRate,
      commissionMaxChangeRate: DEFAULT_COMMISSION.maxChangeRate,
      minSelfDelegation: "1",
      value: { denom: "usoa", amount: amount.toString() },
    },
  });
}

function doc(app: AppGenesis): GenesisDoc {
  return { genesis_time: "2026-01-01T00:00:00Z", chain_id: CHAIN, initial_height: "1", consensus_params: defaultConsensusParams(), validators: [], app_hash: "", app_state: app };
}

const BALANCE = 1_000_000_000n;
const nodes: TestNode[] = [];
afterAll(async () => {
  for (const n of nodes) await n.close();
});

async function node(genesis: AppGenesis): Promise<TestNode> {
  const n = await TestNode.create({ genesis, chainId: CHAIN });
  nodes.push(n);
  return n;
}

describe("genutil: gentxs at InitChain", () => {
  it("collect-gentxs writes gen_txs; InitChain runs them and returns the bonded set; two nodes agree", async () => {
    const app = fundedGenesis([...ops, user], BALANCE);
    const collected = collectGentxs(doc(app), [0, 1, 2].map((i) => ({ name: `gentx-${i}.json`, json: gentx(i, BigInt(i + 1) * 100_000_000n) })));
    expect(collected.doc.validators).toEqual([]);
    expect(collected.doc.app_state.genutil?.gen_txs).toHaveLength(3);
    expect(collected.persistentPeers.split(",")).toHaveLength(3);
    // the genesis file is JSON: what InitChain sees is the parsed document
    const genesis = JSON.parse(JSON.stringify(collected.doc.app_state)) as AppGenesis;

    const a = await node(genesis);
    const b = await node(genesis);
    const byKey = (n: TestNode) => n.genesisValidators.map((u) => [Buffer.from(u.pubKey.ed25519!).toString("hex"), u.power]).sort();
    expect(byKey(a)).toEqual([0, 1, 2].map((i) => [Buffer.from(consKey(i)).toString("hex"), BigInt(i + 1) * 100n]).sort());
    expect(byKey(b)).toEqual(byKey(a));

    for (let h = 0; h < 3; h++) {
      const ra = a.deliverBlock([]);
      const rb = b.deliverBlock([]);
      expect(Buffer.from(ra.appHash).toString("hex")).toBe(Buffer.from(rb.appHash).toString("hex"));
      expect(ra.validatorUpdates).toEqual([]); // the genesis set is already CometBFT's
    }

    const res = QueryValidatorsResponse.decode(a.query("/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode({ status: "" }).finish()).value);
    expect(res.validators.map((v) => [v.description?.moniker, v.status, v.tokens]).sort()).toEqual([
      ["node0", BondStatus.BOND_STATUS_BONDED, "100000000"],
      ["node1", BondStatus.BOND_STATUS_BONDED, "200000000"],
      ["node2", BondStatus.BOND_STATUS_BONDED, "300000000"],
    ]);
    // the gentx went through the ante handler: sequence 1, pubkey stored, no fee
    for (const [i, k] of ops.entries()) {
      expect(a.sequenceOf(k.address)).toBe(1n);
      expect(a.app.bank.getBalance(a.app.committed, parseAddress(k.address), "usoa")).toBe(BALANCE - BigInt(i + 1) * 100_000_000n);
    }
    const s = a.app.committed;
    expect(stakingInvariants(s, a.app.staking, a.app.bank)).toEqual([]);
    expect(sumOfBalances(s, a.app.bank, a.app.auth, "usoa", parseAddress)).toBe(a.app.bank.getSupply(s, "usoa"));
  });

  it("a gentx signed for another chain id, a forged one or one without funds makes genesis invalid", async () => {
    const app = fundedGenesis([...ops], BALANCE);
    expect(() => collectGentxs(doc(app), [{ name: "x.json", json: gentx(0, 100n, "other-chain") }])).toThrow(/signature verification failed/);
    const forged = gentx(1);
    forged.body.messages[0]!.value.amount = "200000000";
    expect(() => collectGentxs(doc(app), [{ name: "f.json", json: forged }])).toThrow(/signature verification failed/);
    expect(() => collectGentxs(doc(app), [{ name: "big.json", json: gentx(2, BALANCE + 1n) }])).toThrow(/less than the self-delegation/);
    expect(() => collectGentxs(doc(fundedGenesis([ops[0]!], BALANCE)), [{ name: "nf.json", json: gentx(1) }])).toThrow(/has no balance in genesis/);
    expect(() => collectGentxs(doc(app), [{ name: "a.json", json: gentx(0) }, { name: "b.json", json: gentx(0) }])).toThrow(/appears twice/);
    expect(() => collectGentxs(doc(app), [{ name: "a.json", json: gentx(0) }, { name: "c.json", json: gentx(1, 100n, CHAIN, 0) }])).toThrow(
      /c.json: consensus pubkey .* appears twice/,
    );

    // InitChain itself refuses them too (a hand-edited genesis): the tx path checks the signature.
    const bad = fundedGenesis([...ops], BALANCE);
    bad.genutil = { gen_txs: [forged] };
    await expect(node(bad)).rejects.toThrow(/genutil.gen_txs\[0\] failed: codespace sdk code 4: signature verification failed/);
    const poor = fundedGenesis([ops[0]!], 1_000n);
    poor.genutil = { gen_txs: [gentx(0, 2_000n)] };
    await expect(node(poor)).rejects.toThrow(/genutil.gen_txs\[0\] failed: .*insufficient funds/);
  });
});
