// model-nft through the real chain (in-process TestNode): the cw721 conformance suite sends exactly the
// JSON of shared/design/WASM-VM.md §6 for every cw721 message and query and checks each response shape
// field by field; then the model-specific paths (manifests, royalties, indexes), the mint fee to the last
// usoa, and send_nft into a receiver contract (nft-receiver). Build first: node contracts-as/build.mjs
import { QueryRawContractStateRequest, QueryRawContractStateResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestKey } from "../chain/src/tx/build.js";
import { type Coin, codeIdOf, contractAddressOf, contractWasm, modelManifest, Signer, smartQuery, TX_FEE, usoaBalance } from "../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../chain/test/utils/testNode.js";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
const MINT_FEE = 250_000n;
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

function manifestInput(over: Record<string, unknown> = {}) {
  return { ...modelManifest("llama-3-8b-soa", { royaltyBps: 500, weightsSha256: SHA, uri: "ipfs://bafyweights" }), ...over };
}

describe("model-nft on the chain: cw721 v0.18 conformance and model paths", () => {
  const minter = keyFromSeed("model-nft-minter"); // account 0
  const alice = keyFromSeed("model-nft-alice"); // 1
  const bob = keyFromSeed("model-nft-bob"); // 2
  const community = keyFromSeed("model-nft-community"); // 3: fee recipient
  const keys = [minter, alice, bob, community];
  const gas: Record<string, bigint> = {};
  let node: TestNode;
  let signer: Signer;
  let nftCode: bigint;
  let receiverCode: bigint;
  let nft: string;
  let receiver: string;

  beforeAll(async () => {
    node = await TestNode.create({ genesis: fundedGenesis(keys) });
    signer = new Signer(node, keys);
  });
  afterAll(async () => {
    await node?.close();
    // Gas per operation (whole tx: ante handler + contract), for the docs.
    console.log("model-nft gas used per tx:", Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, Number(v)])));
  });

  const exec = (key: TestKey, contract: string, msg: unknown, funds: Coin[] = []) => signer.exec(key, contract, msg, funds);
  /** Executes, expects success, records the gas under `label` (first time only). */
  function ok(label: string, key: TestKey, contract: string, msg: unknown, funds: Coin[] = []): ExecTxResult {
    const r = exec(key, contract, msg, funds);
    expect(r.code, r.log).toBe(0);
    gas[label] ??= r.gasUsed;
    return r;
  }
  function fails(key: TestKey, contract: string, msg: unknown, error: string, funds: Coin[] = []) {
    const r = exec(key, contract, msg, funds);
    expect([r.code, r.codespace]).toEqual([5, "wasm"]);
    expect(r.log).toBe(`${error}: execute wasm contract failed`);
  }
  /** The `wasm` event's attributes (without _contract_address), in order. */
  const wasmAttrs = (r: ExecTxResult, contract = nft) =>
    r.events
      .filter((e) => e.type === "wasm" && e.attributes[0]?.value === contract)
      .flatMap((e) => e.attributes.slice(1).filter((a) => a.key !== "msg_index").map((a) => [a.key, a.value]));
  function instantiate(key: TestKey, codeId: bigint, msg: unknown): string {
    const r = signer.instantiate(key, codeId, msg, { label: "model-nft" });
    expect(r.code, r.log).toBe(0);
    gas.instantiate ??= r.gasUsed;
    return contractAddressOf(r);
  }
  function query(contract: string, msg: unknown): unknown {
    const r = smartQuery(node, contract, msg);
    expect(r.code, r.log).toBe(0);
    return r.value;
  }
  function queryError(contract: string, msg: unknown): string {
    const r = smartQuery(node, contract, msg);
    expect(r.code).not.toBe(0);
    return r.log;
  }
  const balance = (addr: string) => usoaBalance(node, addr);

  it("uploads model-nft and the test receiver; instantiates a restricted collection with a mint fee", () => {
    for (const name of ["model-nft", "nft-receiver"]) {
      const r = signer.store(minter, contractWasm(name), 30_000_000n);
      expect(r.code, r.log).toBe(0);
      const id = codeIdOf(r);
      if (name === "model-nft") {
        nftCode = id;
        expect(r.events.find((e) => e.type === "store_code")?.attributes.find((a) => a.key === "required_capability")?.value).toBe("iterator");
      } else receiverCode = id;
    }
    // WASM-VM.md §6 InstantiateMsg plus our optional fields.
    nft = instantiate(minter, nftCode, {
      name: "Models",
      symbol: "MDL",
      minter: minter.address,
      mint_fee: { denom: "usoa", amount: MINT_FEE.toString() },
      fee_recipient: community.address,
      max_royalty_bps: null,
    });
    receiver = instantiate(minter, receiverCode, {});
    // cw2 contract_info under the raw key "contract_info"
    const raw = node.query("/cosmwasm.wasm.v1.Query/RawContractState", QueryRawContractStateRequest.encode({ address: nft, queryData: Buffer.from("contract_info") }).finish());
    expect(raw.code, raw.log).toBe(0);
    expect(Buffer.from(QueryRawContractStateResponse.decode(raw.value).data).toString()).toBe('{"contract":"crates.io:soa-model-nft","version":"0.1.0"}');
  });

  it("mint: §6 shape with a Manifest extension; the fee reaches fee_recipient to the last usoa", () => {
    const minterBefore = balance(minter.address);
    const communityBefore = balance(community.address);
    const r = ok("mint", minter, nft, { mint: { token_id: "1", owner: alice.address, token_uri: "ipfs://card", extension: manifestInput() } }, [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    expect(wasmAttrs(r)).toEqual([
      ["action", "mint"],
      ["minter", minter.address],
      ["owner", alice.address],
      ["token_id", "1"],
      ["mint_fee", `${MINT_FEE}usoa`],
    ]);
    expect(balance(minter.address)).toBe(minterBefore - TX_FEE - MINT_FEE);
    expect(balance(community.address)).toBe(communityBefore + MINT_FEE);
    expect(balance(nft)).toBe(0n);
    // a cw721 tool's mint with the base Extension (null) gets a clear error, and pays nothing
    const before = balance(minter.address);
    fails(minter, nft, { mint: { token_id: "2", owner: alice.address, token_uri: "ipfs://…", extension: null } }, "Error parsing into type ExecuteMsg::Mint: `extension` must be a ManifestInput object", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    expect(balance(minter.address)).toBe(before - TX_FEE);
    fails(minter, nft, { mint: { token_id: "2", owner: alice.address, token_uri: null, extension: manifestInput() } }, `Wrong funds: expected ${MINT_FEE}usoa, got ${MINT_FEE - 1n}usoa`, [
      { denom: "usoa", amount: (MINT_FEE - 1n).toString() },
    ]);
    fails(alice, nft, { mint: { token_id: "2", owner: alice.address, token_uri: null, extension: manifestInput() } }, "Caller is not the contract's current owner", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    fails(minter, nft, { mint: { token_id: "1", owner: alice.address, token_uri: null, extension: manifestInput() } }, "token_id already claimed", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    fails(minter, nft, { mint: { token_id: "2", owner: alice.address, token_uri: null, extension: manifestInput({ royalty_bps: 2501 }) } }, "Royalty above cap: 2501 bps > 2500 bps", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    fails(minter, nft, { mint: { token_id: "2", owner: alice.address, token_uri: null, extension: manifestInput({ parents: ["404"] }) } }, "Unknown parent: 404", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    fails(minter, nft, { mint: { token_id: "2", owner: alice.address, token_uri: null, extension: manifestInput({ weights_sha256: "x" }) } }, "Invalid manifest: `weights_sha256` must be 64 lowercase hex characters", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    // a fine-tune of token 1 and a third model, both owned by bob
    ok("mint (1 parent)", minter, nft, { mint: { token_id: "2", owner: bob.address, token_uri: null, extension: manifestInput({ name: "llama-ft", parents: ["1"], royalty_bps: 2500 }) } }, [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    ok("mint", minter, nft, { mint: { token_id: "3", owner: bob.address, token_uri: null, extension: manifestInput({ version: "1.1.0", verification: { scheme: "EXACT", tolerance: "0" } }) } }, [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
    expect(balance(community.address)).toBe(communityBefore + 3n * MINT_FEE);
  });

  it("queries: every §6 query, response shapes field by field", () => {
    const created = (query(nft, { nft_info: { token_id: "1" } }) as { extension: { created_at: string } }).extension.created_at;
    expect(created).toMatch(/^\d{19}$/);
    const manifest1 = { ...manifestInput(), creator: minter.address, created_at: created };
    expect(query(nft, { owner_of: { token_id: "1", include_expired: null } })).toStrictEqual({ owner: alice.address, approvals: [] });
    expect(query(nft, { num_tokens: {} })).toStrictEqual({ count: 3 });
    expect(query(nft, { contract_info: {} })).toStrictEqual({ name: "Models", symbol: "MDL" });
    expect(query(nft, { nft_info: { token_id: "1" } })).toStrictEqual({ token_uri: "ipfs://card", extension: manifest1 });
    expect(Object.keys((query(nft, { nft_info: { token_id: "1" } }) as { extension: object }).extension)).toEqual([
      "name", "version", "task", "format", "weights_sha256", "engine", "dtype", "uri", "parents", "verification", "royalty_bps", "creator", "created_at",
    ]);
    expect(query(nft, { all_nft_info: { token_id: "1", include_expired: null } })).toStrictEqual({
      access: { owner: alice.address, approvals: [] },
      info: { token_uri: "ipfs://card", extension: manifest1 },
    });
    expect(query(nft, { tokens: { owner: bob.address, start_after: null, limit: null } })).toStrictEqual({ tokens: ["2", "3"] });
    expect(query(nft, { tokens: { owner: bob.address, start_after: "2", limit: 10 } })).toStrictEqual({ tokens: ["3"] });
    expect(query(nft, { all_tokens: { start_after: null, limit: null } })).toStrictEqual({ tokens: ["1", "2", "3"] });
    expect(query(nft, { all_tokens: { start_after: "1", limit: 1 } })).toStrictEqual({ tokens: ["2"] });
    expect(query(nft, { minter: {} })).toStrictEqual({ minter: minter.address });
    expect(query(nft, { ownership: {} })).toStrictEqual({ owner: minter.address, pending_owner: null, pending_expiry: null });
    expect(query(nft, { approvals: { token_id: "1", include_expired: null } })).toStrictEqual({ approvals: [] });
    expect(query(nft, { all_operators: { owner: alice.address, include_expired: null, start_after: null, limit: null } })).toStrictEqual({ operators: [] });
    expect(queryError(nft, { approval: { token_id: "1", spender: bob.address, include_expired: null } })).toMatch(/Approval not found/);
    expect(queryError(nft, { operator: { owner: alice.address, operator: bob.address, include_expired: null } })).toMatch(/Approval not found/);
    expect(queryError(nft, { owner_of: { token_id: "404", include_expired: null } })).toMatch(/Token not found/);
    // model queries
    expect(query(nft, { royalty_info: { token_id: "2", sale_price: "1000001" } })).toStrictEqual({ address: minter.address, royalty_amount: "250000" });
    expect(query(nft, { royalty_info: { token_id: "1", sale_price: "1000" } })).toStrictEqual({ address: minter.address, royalty_amount: "50" });
    expect(query(nft, { extension: { msg: { royalty_info: { token_id: "1", sale_price: "20" } } } })).toStrictEqual({ address: minter.address, royalty_amount: "1" });
    expect(query(nft, { check_royalties: {} })).toStrictEqual({ royalty_payments: true });
    expect(query(nft, { models_by_creator: { creator: minter.address, start_after: null, limit: null } })).toStrictEqual({ tokens: ["1", "2", "3"] });
    expect(query(nft, { children: { token_id: "1" } })).toStrictEqual({ tokens: ["2"] });
    expect(query(nft, { config: {} })).toStrictEqual({
      open_minting: false,
      mint_fee: { denom: "usoa", amount: MINT_FEE.toString() },
      fee_recipient: community.address,
      max_royalty_bps: 2500,
    });
    expect(queryError(nft, { owner_of: { token_id: "1", include_expired: null, extra: 1 } })).toMatch(/unknown field `extra`/);
  });

  it("approve / revoke / transfer_nft with §6 shapes; expired approvals are useless", () => {
    fails(bob, nft, { transfer_nft: { recipient: bob.address, token_id: "1" } }, "Unauthorized");
    const a = ok("approve", alice, nft, { approve: { spender: bob.address, token_id: "1", expires: null } });
    expect(wasmAttrs(a)).toEqual([["action", "approve"], ["sender", alice.address], ["spender", bob.address], ["token_id", "1"]]);
    expect(query(nft, { approval: { token_id: "1", spender: bob.address, include_expired: null } })).toStrictEqual({ approval: { spender: bob.address, expires: { never: {} } } });
    expect(query(nft, { owner_of: { token_id: "1", include_expired: null } })).toStrictEqual({ owner: alice.address, approvals: [{ spender: bob.address, expires: { never: {} } }] });
    const rv = ok("revoke", alice, nft, { revoke: { spender: bob.address, token_id: "1" } });
    expect(wasmAttrs(rv)).toEqual([["action", "revoke"], ["sender", alice.address], ["spender", bob.address], ["token_id", "1"]]);
    expect(query(nft, { approvals: { token_id: "1", include_expired: null } })).toStrictEqual({ approvals: [] });
    // an approval that expires two blocks from now: usable once, then expired
    const h = node.height + 2n;
    ok("approve", alice, nft, { approve: { spender: bob.address, token_id: "1", expires: { at_height: Number(h) } } });
    expect(query(nft, { approvals: { token_id: "1", include_expired: null } })).toStrictEqual({ approvals: [{ spender: bob.address, expires: { at_height: Number(h) } }] });
    node.deliverBlock([]);
    expect(query(nft, { approvals: { token_id: "1", include_expired: null } })).toStrictEqual({ approvals: [] });
    expect(query(nft, { approvals: { token_id: "1", include_expired: true } })).toStrictEqual({ approvals: [{ spender: bob.address, expires: { at_height: Number(h) } }] });
    fails(bob, nft, { transfer_nft: { recipient: bob.address, token_id: "1" } }, "Unauthorized");
    fails(alice, nft, { approve: { spender: bob.address, token_id: "1", expires: { at_height: 1 } } }, "Cannot set approval that is already expired");
    // transfer by the owner clears approvals
    ok("approve", alice, nft, { approve: { spender: bob.address, token_id: "1", expires: { at_time: "9999999999000000000" } } });
    const t = ok("transfer_nft", alice, nft, { transfer_nft: { recipient: bob.address, token_id: "1" } });
    expect(wasmAttrs(t)).toEqual([["action", "transfer_nft"], ["sender", alice.address], ["recipient", bob.address], ["token_id", "1"]]);
    expect(query(nft, { owner_of: { token_id: "1", include_expired: null } })).toStrictEqual({ owner: bob.address, approvals: [] });
    expect(query(nft, { tokens: { owner: bob.address, start_after: null, limit: null } })).toStrictEqual({ tokens: ["1", "2", "3"] });
    expect(query(nft, { tokens: { owner: alice.address, start_after: null, limit: null } })).toStrictEqual({ tokens: [] });
  });

  it("approve_all / revoke_all / operator / all_operators with §6 shapes", () => {
    const r = ok("approve_all", bob, nft, { approve_all: { operator: alice.address, expires: { at_height: 123456 } } });
    expect(wasmAttrs(r)).toEqual([["action", "approve_all"], ["sender", bob.address], ["operator", alice.address]]);
    expect(query(nft, { operator: { owner: bob.address, operator: alice.address, include_expired: null } })).toStrictEqual({
      approval: { spender: alice.address, expires: { at_height: 123456 } },
    });
    expect(query(nft, { all_operators: { owner: bob.address, include_expired: null, start_after: null, limit: null } })).toStrictEqual({
      operators: [{ spender: alice.address, expires: { at_height: 123456 } }],
    });
    // the operator moves bob's token and back
    ok("transfer_nft (operator)", alice, nft, { transfer_nft: { recipient: alice.address, token_id: "3" } });
    ok("transfer_nft", alice, nft, { transfer_nft: { recipient: bob.address, token_id: "3" } });
    const rv = ok("revoke_all", bob, nft, { revoke_all: { operator: alice.address } });
    expect(wasmAttrs(rv)).toEqual([["action", "revoke_all"], ["sender", bob.address], ["operator", alice.address]]);
    expect(query(nft, { all_operators: { owner: bob.address, include_expired: null, start_after: null, limit: null } })).toStrictEqual({ operators: [] });
    fails(alice, nft, { transfer_nft: { recipient: alice.address, token_id: "3" } }, "Unauthorized");
  });

  it("send_nft: the receiver contract gets Cw721ReceiveMsg and already owns the token; a rejecting receiver undoes the move", () => {
    const inner = { list: { price: "1000" } };
    const r = ok("send_nft", bob, nft, { send_nft: { contract: receiver, token_id: "3", msg: b64(inner) } });
    expect(wasmAttrs(r)).toEqual([["action", "send_nft"], ["sender", bob.address], ["recipient", receiver], ["token_id", "3"]]);
    expect(wasmAttrs(r, receiver)).toEqual([["action", "receive_nft"], ["sender", bob.address], ["token_id", "3"]]);
    expect(query(receiver, { last_received: {} })).toStrictEqual({ collection: nft, sender: bob.address, token_id: "3", msg: JSON.stringify(inner), owner_at_hook: receiver });
    expect(query(nft, { owner_of: { token_id: "3", include_expired: null } })).toStrictEqual({ owner: receiver, approvals: [] });
    const rej = exec(bob, nft, { send_nft: { contract: receiver, token_id: "2", msg: b64({ reject: {} }) } });
    expect(rej.code).toBe(5);
    expect(rej.log).toMatch(/receiver rejected the token/);
    expect(query(nft, { owner_of: { token_id: "2", include_expired: null } })).toStrictEqual({ owner: bob.address, approvals: [] });
    // the receiver (now the owner) hands it back with transfer_nft
    expect(exec(alice, receiver, { give: { collection: nft, token_id: "3", recipient: bob.address } }).code).toBe(0);
    expect(query(nft, { owner_of: { token_id: "3", include_expired: null } })).toStrictEqual({ owner: bob.address, approvals: [] });
  });

  it("manifests are immutable: extension / update_nft_info are refused", () => {
    fails(bob, nft, { extension: { msg: {} } }, "Manifests are immutable; mint a new version");
    fails(bob, nft, { update_nft_info: { token_id: "2", token_uri: null, extension: manifestInput({ royalty_bps: 0 }) } }, "Manifests are immutable; mint a new version");
  });

  it("burn with the §6 shape; indexes follow; funds are refused where they would be stuck", () => {
    fails(alice, nft, { burn: { token_id: "2" } }, "Unauthorized");
    fails(bob, nft, { burn: { token_id: "2" } }, "This message does not accept funds", [{ denom: "usoa", amount: "1" }]);
    const r = ok("burn", bob, nft, { burn: { token_id: "2" } });
    expect(wasmAttrs(r)).toEqual([["action", "burn"], ["sender", bob.address], ["token_id", "2"]]);
    expect(query(nft, { num_tokens: {} })).toStrictEqual({ count: 2 });
    expect(query(nft, { children: { token_id: "1" } })).toStrictEqual({ tokens: [] });
    expect(query(nft, { all_tokens: { start_after: null, limit: null } })).toStrictEqual({ tokens: ["1", "3"] });
    expect(balance(nft)).toBe(0n);
  });

  it("update_ownership: transfer_ownership / accept_ownership / renounce_ownership (§6 shapes)", () => {
    fails(alice, nft, { update_ownership: { transfer_ownership: { new_owner: alice.address, expiry: null } } }, "Caller is not the contract's current owner");
    const t = ok("update_ownership", minter, nft, { update_ownership: { transfer_ownership: { new_owner: alice.address, expiry: null } } });
    expect(wasmAttrs(t)).toEqual([["action", "update_ownership"], ["owner", minter.address], ["pending_owner", alice.address], ["pending_expiry", "none"]]);
    expect(query(nft, { ownership: {} })).toStrictEqual({ owner: minter.address, pending_owner: alice.address, pending_expiry: null });
    fails(bob, nft, { update_ownership: "accept_ownership" }, "Caller is not the proposed new owner");
    ok("update_ownership", alice, nft, { update_ownership: "accept_ownership" });
    expect(query(nft, { minter: {} })).toStrictEqual({ minter: alice.address });
    ok("update_ownership", alice, nft, { update_ownership: "renounce_ownership" });
    expect(query(nft, { ownership: {} })).toStrictEqual({ owner: null, pending_owner: null, pending_expiry: null });
    expect(query(nft, { minter: {} })).toStrictEqual({ minter: null });
    fails(alice, nft, { mint: { token_id: "9", owner: alice.address, token_uri: null, extension: manifestInput() } }, "Contract ownership has been renounced", [
      { denom: "usoa", amount: MINT_FEE.toString() },
    ]);
  });

  it("open minting: anyone mints a model they own, free", () => {
    const open = instantiate(alice, nftCode, { name: "Open", symbol: "OPN", minter: null, mint_fee: null, fee_recipient: null, max_royalty_bps: 1000 });
    const before = balance(bob.address);
    ok("mint (open, no fee)", bob, open, { mint: { token_id: "b", owner: bob.address, token_uri: null, extension: manifestInput({ royalty_bps: 1000 }) } });
    expect(balance(bob.address)).toBe(before - TX_FEE);
    fails(bob, open, { mint: { token_id: "c", owner: alice.address, token_uri: null, extension: manifestInput() } }, "Open minting: the token owner must be the sender");
    fails(bob, open, { mint: { token_id: "c", owner: bob.address, token_uri: null, extension: manifestInput() } }, "Wrong funds: expected nothing, got 5usoa", [{ denom: "usoa", amount: "5" }]);
    expect(query(open, { minter: {} })).toStrictEqual({ minter: null });
    expect(query(open, { models_by_creator: { creator: bob.address, start_after: null, limit: null } })).toStrictEqual({ tokens: ["b"] });
    expect(balance(open)).toBe(0n);
  });
});
