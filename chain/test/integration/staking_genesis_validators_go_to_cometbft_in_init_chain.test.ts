// app_state.staking with validators: InitChain returns the staking set (CometBFT then uses it);
// genesis.json validators must be empty or identical; pool balances must back the stake.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { SoaApp } from "../../src/app/app.js";
import type { AppGenesis } from "../../src/app/genesis.js";
import { sha256 } from "../../src/crypto/hash.js";
import { moduleAddress } from "../../src/modules/auth/keeper.js";
import { BONDED_POOL, NOT_BONDED_POOL } from "../../src/modules/staking/keeper.js";
import { stakingInvariants } from "../../src/modules/staking/testing.js";
import { formatAddress } from "../../src/types/address.js";
import { fundedGenesis, keyFromSeed, withoutMinting } from "../utils/testNode.js";

const [v1, v2] = ["g1", "g2"].map(keyFromSeed) as [ReturnType<typeof keyFromSeed>, ReturnType<typeof keyFromSeed>];
const valoper = (a: string) => toBech32("soavaloper", fromBech32(a).data);
const cons = (a: string) => sha256(Buffer.from(`cons:${a}`));

function validatorJson(addr: string, tokens: bigint, status: string) {
  return {
    operator_address: valoper(addr),
    consensus_pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(cons(addr)).toString("base64") },
    jailed: false,
    status,
    tokens: tokens.toString(),
    delegator_shares: `${tokens}.000000000000000000`,
    description: { moniker: addr.slice(0, 8) },
    commission: { commission_rates: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" }, update_time: "2026-01-01T00:00:00Z" },
    min_self_delegation: "1",
  };
}

function stakingGenesis(bondedPool = 5_000_000n): AppGenesis {
  const g = withoutMinting(fundedGenesis([v1, v2], 10n ** 9n));
  g.bank.balances.push({ address: formatAddress(moduleAddress(BONDED_POOL)), coins: [{ denom: "usoa", amount: bondedPool.toString() }] });
  g.bank.balances.push({ address: formatAddress(moduleAddress(NOT_BONDED_POOL)), coins: [{ denom: "usoa", amount: "3000000" }] });
  g.staking = {
    params: { unbonding_time: "60s", max_validators: 10, max_entries: 7, historical_entries: 0, bond_denom: "usoa", min_commission_rate: "0" },
    validators: [validatorJson(v1.address, 5_000_000n, "BOND_STATUS_BONDED"), validatorJson(v2.address, 3_000_000n, "BOND_STATUS_UNBONDED")],
    delegations: [
      { delegator_address: v1.address, validator_address: valoper(v1.address), shares: "5000000.000000000000000000" },
      { delegator_address: v2.address, validator_address: valoper(v2.address), shares: "3000000.000000000000000000" },
    ],
  };
  return g;
}

async function initChain(g: AppGenesis, validators: ValidatorUpdate[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "soa-staking-genesis-"));
  const app = await SoaApp.open({ dataDir: dir, verifyWorkers: 0 });
  const done = async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const res = app.initChain({ time: { seconds: 1_767_225_600n, nanos: 0 }, chainId: "soa-localnet-1", consensusParams: undefined, validators, appStateBytes: Buffer.from(JSON.stringify(g)), initialHeight: 1n });
    return { app, res, done };
  } catch (e) {
    await done();
    throw e;
  }
}

describe("staking genesis", () => {
  it("returns the bonded set to CometBFT and moves newly bonded tokens between the pools", async () => {
    const { app, res, done } = await initChain(stakingGenesis());
    try {
      expect(res.validators.map((u) => [Buffer.from(u.pubKey.ed25519!).toString("hex"), u.power])).toEqual([
        [Buffer.from(cons(v1.address)).toString("hex"), 5n],
        [Buffer.from(cons(v2.address)).toString("hex"), 3n],
      ]);
      app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 1n, time: { seconds: 1_767_225_601n, nanos: 0 }, nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
      app.commit();
      expect(stakingInvariants(app.committed, app.staking, app.bank)).toEqual([]);
      expect(app.staking.bondedTokens(app.committed)).toBe(8_000_000n);
    } finally {
      await done();
    }
  });

  it("accepts identical genesis.json validators and refuses different ones", async () => {
    const first = await initChain(stakingGenesis());
    const same = first.res.validators;
    await first.done();
    const ok = await initChain(stakingGenesis(), [...same].reverse());
    await ok.done();
    await expect(initChain(stakingGenesis(), [{ ...same[0]!, power: 7n }])).rejects.toThrow(/do not match the staking validator set/);
  });

  it("refuses a bonded pool that does not back the bonded stake", async () => {
    await expect(initChain(stakingGenesis(1n))).rejects.toThrow(/invalid genesis app_state: staking: bonded pool balance is different from bonded coins/);
  });

  it("without app_state.staking validators, CometBFT's genesis validators stay (empty response)", async () => {
    const g = withoutMinting(fundedGenesis([v1], 10n ** 9n));
    const { res, done } = await initChain(g, [{ pubKey: { ed25519: cons(v1.address), secp256k1: undefined }, power: 10n }]);
    expect(res.validators).toEqual([]);
    await done();
  });
});
