// Slashing on a real 4-validator localnet (genesis by gentx; signed_blocks_window 20, jail 10 s):
// - a stopped validator is slashed (0.01 %) and jailed for downtime while the chain keeps producing
//   blocks; after a restart its operator unjails it with MsgUnjail through unmodified CosmJS
//   (SigningStargateClient.signAndBroadcast, direct wallet from the operator's key) and it is back in
//   CometBFT's set two blocks later and signs again;
// - the same validator key signing on two nodes (an extra CometBFT+soad node started with a COPY of a
//   validator's priv_validator_key.json) produces DUPLICATE_VOTE evidence: slashed 5 %, jailed,
//   tombstoned (jailed until 9999), out of CometBFT's set; its MsgUnjail (amino) fails with slashing 4.
// Invariants at the end: supply = Σ balances incl. module accounts; bonded pool = Σ bonded tokens.
import { fromHex, toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, Registry } from "@cosmjs/proto-signing";
import { Secp256k1Wallet } from "@cosmjs/amino";
import {
  AminoTypes,
  QueryClient,
  SigningStargateClient,
  type StdFee,
  coin,
  createDefaultAminoConverters,
  defaultRegistryTypes,
  setupSlashingExtension,
  setupStakingExtension,
} from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { DENOM } from "@soa/client";
import { Keyring } from "@soa/chain/keyring/keyring";
import { slashingAminoConverters } from "@soa/chain/modules/slashing/amino";
import { LOCALNET_VALIDATOR_STAKE, VALIDATOR_KEY_NAME } from "@soa/chain/node/testnet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atOneHeight, pollUntil, rpcResult, startE2eLocalnet } from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";

const HOOK_TIMEOUT = 240_000;
const TEST_TIMEOUT = 300_000;
const SOA = 1_000_000n;
const STAKE = BigInt(LOCALNET_VALIDATOR_STAKE.replace(DENOM, ""));
const WINDOW = 20;
const JAIL_SECONDS = 10n;
const FEE: StdFee = { amount: [coin(2_500, DENOM)], gas: "300000" };
const DOUBLE_SIGN_JAIL_END = 253_402_300_799n;

interface CometValidator {
  address: string;
  voting_power: string;
}

describe("slashing on a real 4-validator localnet", () => {
  let net: Localnet;
  let comet: CometClient;
  let qc: QueryClient & ReturnType<typeof setupStakingExtension> & ReturnType<typeof setupSlashingExtension>;

  beforeAll(async () => {
    net = await startE2eLocalnet({ nodes: 4, slashing: { signed_blocks_window: String(WINDOW), downtime_jail_duration: `${JAIL_SECONDS}s` } });
    comet = await connectComet(net.rpcUrl(0));
    qc = QueryClient.withExtensions(comet, setupStakingExtension, setupSlashingExtension);
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    comet?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  const valcons = (i: number) => toBech32("soavalcons", fromHex(net.nodes[i]!.validatorAddress));
  const validator = async (i: number) => (await qc.staking.validator(net.nodes[i]!.operatorAddress)).validator!;
  const cometSet = async (height?: number): Promise<Map<string, bigint>> => {
    const r = await rpcResult<{ validators: CometValidator[] }>(net.rpcUrl(0), "validators", height === undefined ? { per_page: "100" } : { height: String(height), per_page: "100" });
    return new Map(r.validators.map((v) => [v.address, BigInt(v.voting_power)]));
  };
  const blockTimeSeconds = async (h: number) => BigInt(Math.floor((await comet.block(h)).block.header.time.getTime() / 1000));
  /** A CosmJS signing client for node i's operator key (from its test keyring), direct or amino. */
  const operatorClient = async (i: number, mode: "direct" | "amino") => {
    const { privkey } = await Keyring.open({ dir: net.nodes[i]!.home, backend: "test" }).exportKey(VALIDATOR_KEY_NAME);
    const registry = new Registry([...defaultRegistryTypes, [MsgUnjail.typeUrl, MsgUnjail]]);
    const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...slashingAminoConverters() });
    const wallet = mode === "direct" ? await DirectSecp256k1Wallet.fromKey(privkey, "soa") : await Secp256k1Wallet.fromKey(privkey, "soa");
    const [account] = await wallet.getAccounts();
    expect(account!.address).toBe(net.nodes[i]!.accountAddress);
    const client = await SigningStargateClient.connectWithSigner(net.rpcUrl(0), wallet, { registry, aminoTypes, broadcastPollIntervalMs: 300 });
    const unjail = () => client.signAndBroadcast(account!.address, [{ typeUrl: MsgUnjail.typeUrl, value: MsgUnjail.fromPartial({ validatorAddr: net.nodes[i]!.operatorAddress }) }], FEE);
    return { client, unjail };
  };

  it("params and signing infos through CosmJS's setupSlashingExtension", async () => {
    await net.waitForHeight(3, 0);
    const { params } = await qc.slashing.params();
    expect(params.signedBlocksWindow).toBe(BigInt(WINDOW));
    expect(Buffer.from(params.minSignedPerWindow).toString()).toBe("500000000000000000");
    expect(Buffer.from(params.slashFractionDowntime).toString()).toBe("100000000000000");
    expect(Buffer.from(params.slashFractionDoubleSign).toString()).toBe("50000000000000000");
    expect(params.downtimeJailDuration.seconds).toBe(JAIL_SECONDS);
    const infos = await qc.slashing.signingInfos();
    expect(infos.pagination).toBeDefined();
    expect(infos.info.map((x) => x.address).sort()).toEqual(net.nodes.map((_, i) => valcons(i)).sort());
    // (a node that joined consensus late may already show a few missed blocks)
    for (const [i] of net.nodes.entries()) expect((await qc.slashing.signingInfo(valcons(i))).valSigningInfo).toMatchObject({ address: valcons(i), tombstoned: false });
  });

  it("a stopped validator is jailed for downtime while the chain keeps producing blocks, then unjails after restart", async () => {
    const down = 3;
    await net.stopNode(down);
    const stoppedAt = await net.height(0);
    const jailed = await pollUntil("validator 3 jailed for downtime", async () => ((await validator(down)).jailed ? true : undefined), 150_000, 500);
    expect(jailed).toBe(true);
    const v = await validator(down);
    expect(BigInt(v.tokens)).toBe(STAKE - STAKE / 10_000n); // 0.01 % of power 100 at the infraction
    const info = (await qc.slashing.signingInfo(valcons(down))).valSigningInfo;
    expect(info.missedBlocksCounter).toBe(0n); // reset at jailing
    expect(info.tombstoned).toBe(false);
    // the chain went on without it, and it left CometBFT's set
    const h = await net.height(0);
    expect(h).toBeGreaterThan(stoppedAt + WINDOW / 2);
    await net.waitForHeight(h + 3, 0);
    expect((await cometSet()).has(net.nodes[down]!.validatorAddress)).toBe(false);
    expect([...(await cometSet()).keys()]).toHaveLength(3);

    const op = await operatorClient(down, "direct");
    try {
      // too early (the tx's block is before jailed_until): slashing 4
      const early = await op.unjail();
      expect(await blockTimeSeconds(early.height)).toBeLessThan(info.jailedUntil.seconds);
      expect(early.code).toBe(4);
      expect(early.rawLog ?? "").toContain("validator still jailed; cannot be unjailed");

      await net.restart(down);
      await pollUntil("node 3 caught up", async () => ((await net.height(down)) >= (await net.height(0)) - 1 ? true : undefined), 60_000, 300);
      await pollUntil("block time past jailed_until", async () => ((await blockTimeSeconds(await net.height(0))) > info.jailedUntil.seconds ? true : undefined), 60_000, 300);
      const r = await op.unjail();
      expect(r.code, r.rawLog).toBe(0);
      await net.waitForHeight(r.height + 2, 0);
      expect((await cometSet(r.height + 2)).get(net.nodes[down]!.validatorAddress)).toBe((STAKE - STAKE / 10_000n) / SOA);
      expect((await cometSet(r.height + 1)).has(net.nodes[down]!.validatorAddress)).toBe(false);
      expect((await validator(down)).status).toBe(BondStatus.BOND_STATUS_BONDED);
      // it signs again: its signature is in a later block's last commit
      const from = await net.height(0);
      await pollUntil(
        "a commit signed by validator 3",
        async () => {
          const h2 = await net.height(0);
          for (let x = from + 3; x <= h2; x++) {
            const b = await rpcResult<{ block: { last_commit: { signatures: { validator_address: string; block_id_flag: number }[] } } }>(net.rpcUrl(0), "block", { height: String(x) });
            if (b.block.last_commit.signatures.some((s) => s.validator_address === net.nodes[down]!.validatorAddress && s.block_id_flag === 2)) return true;
          }
          return undefined;
        },
        60_000,
        500,
      );
      const after = (await qc.slashing.signingInfo(valcons(down))).valSigningInfo;
      expect(after.startHeight).toBeGreaterThan(info.startHeight);
    } finally {
      op.client.disconnect();
    }
  }, TEST_TIMEOUT);

  it("the same validator key signing on two nodes is slashed and tombstoned", async () => {
    const ds = 2;
    const before = BigInt((await validator(ds)).tokens);
    // The copy gives up on proposals at once, so it prevotes nil where the original prevotes the block:
    // conflicting votes of one validator (DUPLICATE_VOTE evidence) in nearly every round.
    const copy = await net.addNode({ validatorKeyOf: ds, timeouts: { timeoutPropose: "1ms", timeoutProposeDelta: "1ms" } });
    expect(copy).toBe(4);
    const tombstoned = await pollUntil("validator 2 tombstoned", async () => ((await qc.slashing.signingInfo(valcons(ds))).valSigningInfo.tombstoned ? true : undefined), 180_000, 500);
    expect(tombstoned).toBe(true);
    await net.stopNode(copy);
    const info = (await qc.slashing.signingInfo(valcons(ds))).valSigningInfo;
    expect(info.jailedUntil.seconds).toBe(DOUBLE_SIGN_JAIL_END);
    const v = await validator(ds);
    expect(v.jailed).toBe(true);
    expect(BigInt(v.tokens)).toBe(before - (before / SOA) * SOA / 20n); // 5 % of its power at the evidence height
    // the slash event of the block that handled the evidence
    const h = await net.height(0);
    let found: Record<string, string> | undefined;
    for (let x = h; x > 0 && !found; x--) {
      const r = await comet.blockResults(x);
      const events = "finalizeBlockEvents" in r ? r.finalizeBlockEvents : [];
      const e = events.find((ev) => ev.type === "slash" && ev.attributes.some((a) => a.key === "reason" && a.value === "double_sign"));
      if (e) found = Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
    }
    expect(found).toMatchObject({ address: valcons(ds), reason: "double_sign", power: String(before / SOA), burned_coins: String((before / SOA) * SOA / 20n) });
    // out of CometBFT's set; the chain keeps going with the other three
    await net.waitForHeight(h + 3, 0);
    const set = await cometSet();
    expect(set.has(net.nodes[ds]!.validatorAddress)).toBe(false);
    expect(set.size).toBe(3);
    // unjail is refused for ever (amino-signed with the SDK's cosmos-sdk/MsgUnjail JSON)
    const op = await operatorClient(ds, "amino");
    try {
      const r = await op.unjail();
      expect(r.code).toBe(4);
      expect(r.rawLog ?? "").toContain("validator still jailed; cannot be unjailed");
    } finally {
      op.client.disconnect();
    }
    await net.waitForHeight((await net.height(0)) + 2, 0);
  }, TEST_TIMEOUT);

  it("invariants: supply = Σ balances incl. module accounts; bonded pool = Σ bonded validators' tokens", async () => {
    const { value } = await atOneHeight(comet, async (at) => {
      const addresses = new Set([...net.genesis.app_state.bank.balances.map((b) => b.address), ...(await at.moduleAccounts())]);
      const [balances, supply] = await Promise.all([Promise.all([...addresses].map((a) => at.balance(a))), at.supply()]);
      return { sum: balances.reduce((x, y) => x + y, 0n), supply };
    });
    expect(value.sum).toBe(value.supply);
    for (let attempt = 0; ; attempt++) {
      const pool = BigInt((await qc.staking.pool()).pool!.bondedTokens);
      const bonded = (await qc.staking.validators("BOND_STATUS_BONDED")).validators.reduce((s, x) => s + BigInt(x.tokens), 0n);
      const again = BigInt((await qc.staking.pool()).pool!.bondedTokens);
      if (pool !== again && attempt < 5) continue; // a block changed the pool between the reads
      expect(bonded).toBe(pool);
      break;
    }
  });
});
