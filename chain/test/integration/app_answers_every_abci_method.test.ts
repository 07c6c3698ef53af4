import { afterEach, describe, expect, it } from "vitest";
import { ResponseProcessProposal_ProposalStatus as Status } from "cosmjs-types/tendermint/abci/types";
import { defaultAppGenesis } from "../../src/app/genesis.js";
import { msgSendAny } from "../../src/tx/build.js";
import { fundedGenesis, keyFromSeed, TestNode, withoutMinting } from "../utils/testNode.js";

const alice = keyFromSeed("alice");
const bob = keyFromSeed("bob");
const nodes: TestNode[] = [];
const create = async (...args: Parameters<typeof TestNode.create>) => {
  const n = await TestNode.create(...args);
  nodes.push(n);
  return n;
};
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

const proposal = (txs: Uint8Array[], maxTxBytes: bigint) => ({
  maxTxBytes,
  txs,
  localLastCommit: { round: 0, votes: [] },
  misbehavior: [],
  height: 2n,
  time: { seconds: 0n, nanos: 0 },
  nextValidatorsHash: new Uint8Array(),
  proposerAddress: new Uint8Array(),
});

describe("ABCI methods", () => {
  it("Info reports the last committed block and refuses ABCI 1.x", async () => {
    const n = await create({ genesis: fundedGenesis([alice]) });
    const req = { version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" };
    expect(n.app.info(req)).toMatchObject({ lastBlockHeight: 0n, appVersion: 1n, data: "soad" });
    expect(n.app.info(req).lastBlockAppHash.length).toBe(0);
    n.deliverBlock([]);
    const info = n.app.info(req);
    expect(info.lastBlockHeight).toBe(1n);
    expect(Buffer.from(info.lastBlockAppHash)).toEqual(Buffer.from(n.app.lastAppHash));
    expect(() => n.app.info({ ...req, abciVersion: "1.0.0" })).toThrow(/ABCI 2/);
  });

  it("InitChain returns a non-empty app hash, writes nothing before Commit and can be repeated", async () => {
    // without minting, so that an empty block 1 leaves the state as InitChain made it
    const n = await create({ genesis: withoutMinting(fundedGenesis([alice])) });
    expect(n.app.lastHeight).toBe(0n);
    const again = n.app.initChain({
      time: { seconds: 1_767_225_600n, nanos: 0 },
      chainId: n.chainId,
      consensusParams: undefined,
      validators: [],
      appStateBytes: Buffer.from(JSON.stringify(withoutMinting(fundedGenesis([alice])))),
      initialHeight: 1n,
    });
    expect(again.appHash.length).toBe(32);
    expect(Buffer.from(again.appHash).equals(Buffer.alloc(32))).toBe(false);
    const { appHash } = n.deliverBlock([]);
    expect(Buffer.from(appHash)).toEqual(Buffer.from(again.appHash)); // empty block 1: unchanged
  });

  it("rejects an invalid genesis with a clear error", async () => {
    const bad = defaultAppGenesis();
    bad.bank.balances = [{ address: "cosmos1xyz", coins: [{ denom: "usoa", amount: "1" }] }];
    await expect(create({ genesis: bad })).rejects.toThrow(/invalid genesis app_state: balance of cosmos1xyz/);
    const mismatch = fundedGenesis([alice], 10n);
    mismatch.bank.supply = [{ denom: "usoa", amount: "11" }];
    await expect(create({ genesis: mismatch })).rejects.toThrow(/does not match the sum of balances/);
  });

  it("PrepareProposal keeps txs within max_tx_bytes and drops undecodable ones; ProcessProposal rejects those", async () => {
    const n = await create({ genesis: fundedGenesis([alice, bob]) });
    const txs = [0n, 1n, 2n].map((s) => n.signTx({ key: alice, accountNumber: 0n, sequence: s, messages: [msgSendAny(alice.address, bob.address, [{ denom: "usoa", amount: "1" }])] }));
    const junk = Buffer.from([0xff, 0x01]);
    const twoTxs = BigInt(txs[0]!.length + txs[1]!.length);
    expect(n.app.prepareProposal(proposal([txs[0]!, junk, txs[1]!, txs[2]!], twoTxs + 1n)).txs).toEqual([txs[0], txs[1]]);
    expect(n.app.prepareProposal(proposal([], 100n)).txs).toEqual([]);
    const pp = (t: Uint8Array[]) => n.app.processProposal({ txs: t, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: 2n, time: { seconds: 0n, nanos: 0 }, nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array() }).status;
    expect(pp(txs)).toBe(Status.ACCEPT);
    expect(pp([txs[0]!, junk])).toBe(Status.REJECT);
  });

  it("offers no snapshots and accepts empty vote extensions", async () => {
    const n = await create();
    expect(n.app.listSnapshots().snapshots).toEqual([]);
    expect(n.app.extendVote().voteExtension.length).toBe(0);
    expect(n.app.verifyVoteExtension().status).toBe(1);
  });
});
