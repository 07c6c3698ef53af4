// Gas per operation of the product contracts (contracts-as/model-nft, licensing, marketplace) and their
// code sizes, through the real app in-process (TestNode: InitChain, then FinalizeBlock + Commit per block,
// no CometBFT), as chain/test/perf does. One signed tx per block; the figure is the tx's gas_used (ante
// handler + message + contract: what a wallet pays for). sudo settle_usage and the check_access query have no
// tx: they are run natively on a branch of the committed state with their own gas meter, as the chain's
// modules and the query service run them. The whole scenario runs twice on two fresh nodes and every
// figure must be the same (gas is deterministic); it does not measure time.
import { gzipSync } from "node:zlib";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { sha256 } from "../../chain/src/crypto/hash.js";
import { prepareCode } from "../../chain/src/modules/wasm/vm/instrument.js";
import type { TestKey } from "../../chain/src/tx/build.js";
import {
  anyMsg,
  type Coin,
  codeIdOf,
  contractAddressOf,
  executeMsg,
  instantiateMsg,
  json,
  modelManifest,
  nativeContext,
  Signer,
  smartQuery,
  storeCodeMsg,
  usoa,
} from "../../chain/test/utils/contracts.js";
import { TestNode, fundedGenesis, keyFromSeed } from "../../chain/test/utils/testNode.js";

export const PRODUCT_CONTRACTS = ["model-nft", "licensing", "marketplace"] as const;
export type ProductContract = (typeof PRODUCT_CONTRACTS)[number];

export interface ContractSize {
  name: ProductContract;
  bytes: number;
  gzipBytes: number;
  /** After prepareCode (gas metering + stack guard): what the VM compiles and runs. */
  instrumentedBytes: number;
  sha256: string;
  /** SDK gas of the MsgStoreCode tx (gzipped upload) and of instantiate. */
  storeGas: number;
  instantiateGas: number;
}

export interface ContractOp {
  contract: ProductContract | "bank";
  op: string;
  /** SDK gas used: the whole tx (kind "tx"), or the native call alone (kind "sudo" / "query"). */
  gas: number;
  kind: "tx" | "sudo" | "query";
  /** Bytes of the signed tx (tx kinds): the ante handler charges 10 gas per byte. */
  txBytes?: number;
  note?: string;
}

export interface ContractGasResult {
  sizes: ContractSize[];
  ops: ContractOp[];
  /** True when the second run on a fresh node gave exactly the same gas for every row. */
  deterministic: boolean;
  differences: string[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const manifest = (name: string, parents: string[], royaltyBps: number) =>
  modelManifest(name, { parents, royaltyBps, weightsSha256: hex(sha256(Buffer.from(name))), uri: `ipfs://bafy-${name}` });

/** One pass of the scenario on a fresh in-process node. */
async function scenario(wasm: Record<ProductContract, Uint8Array>): Promise<{ sizes: ContractSize[]; ops: ContractOp[] }> {
  const dev = keyFromSeed("bench-contracts-dev"); // mints the base model, deploys
  const tuner = keyFromSeed("bench-contracts-tuner"); // mints the fine-tune, sells its licences
  const user = keyFromSeed("bench-contracts-user"); // buys licences, deposits credits
  const buyer = keyFromSeed("bench-contracts-buyer"); // buys on the marketplace
  const meter = keyFromSeed("bench-contracts-meter");
  const keys = [dev, tuner, user, buyer, meter];
  const feeRecipient = keyFromSeed("bench-contracts-fees").address;
  const node = await TestNode.create({ genesis: fundedGenesis(keys) });
  const signer = new Signer(node, keys, { gasLimit: 5_000_000n });
  const ops: ContractOp[] = [];
  try {
    const tx = (key: TestKey, messages: Any[], gasLimit?: bigint): { r: ExecTxResult; bytes: number } => {
      const bytes = signer.sign(key, messages, gasLimit);
      const r = node.deliverBlock([bytes]).results[0]!;
      if (r.code !== 0) throw new Error(`tx failed (code ${r.code}): ${r.log}`);
      return { r, bytes: bytes.length };
    };
    const record = (contract: ContractOp["contract"], op: string, t: { r: ExecTxResult; bytes: number }, note?: string): ExecTxResult => {
      ops.push({ contract, op, gas: Number(t.r.gasUsed), kind: "tx", txBytes: t.bytes, ...(note !== undefined ? { note } : {}) });
      return t.r;
    };
    const exec = (key: TestKey, contract: string, msg: unknown, funds: Coin[] = []) => tx(key, [executeMsg(key.address, contract, msg, funds)]);
    const query = (contract: string, msg: unknown): any => {
      const r = smartQuery(node, contract, msg);
      if (r.code !== 0) throw new Error(`query failed: ${r.log}`);
      return r.value;
    };

    // Baseline: the cheapest tx, for the ante handler's share of every figure below.
    record("bank", "bank send (MsgSend), for scale", tx(dev, [anyMsg(MsgSend, { fromAddress: dev.address, toAddress: feeRecipient, amount: usoa(1n) })]));

    const sizes: ContractSize[] = [];
    const addr: Partial<Record<ProductContract, string>> = {};
    const instMsg = (name: ProductContract): unknown => {
      if (name === "model-nft") return { name: "Models", symbol: "MDL", minter: null, mint_fee: { denom: "usoa", amount: "1000000" }, fee_recipient: feeRecipient, max_royalty_bps: null };
      if (name === "licensing") return { nft_contract: addr["model-nft"], protocol_fee_bps: 250, protocol_fee_recipient: feeRecipient, denom: "usoa" };
      return { nft_contract: addr["model-nft"], denom: "usoa", fee_bps: 200, fee_recipient: feeRecipient };
    };
    for (const name of PRODUCT_CONTRACTS) {
      const code = wasm[name];
      const gz = gzipSync(code, { level: 9 });
      const store = tx(dev, [storeCodeMsg(dev.address, gz)], 50_000_000n);
      const codeId = codeIdOf(store.r);
      const inst = tx(dev, [instantiateMsg(dev.address, codeId, instMsg(name), { admin: dev.address, label: name })]);
      addr[name] = contractAddressOf(inst.r);
      sizes.push({
        name,
        bytes: code.length,
        gzipBytes: gz.length,
        instrumentedBytes: prepareCode(code).instrumented.length,
        sha256: hex(sha256(code)),
        storeGas: Number(store.r.gasUsed),
        instantiateGas: Number(inst.r.gasUsed),
      });
    }
    const nft = addr["model-nft"]!;
    const lic = addr.licensing!;
    const market = addr.marketplace!;
    const fee = usoa(1_000_000n);

    // model-nft
    record("model-nft", "mint (open minting, mint fee forwarded, no parent)", exec(dev, nft, { mint: { token_id: "base", owner: dev.address, token_uri: null, extension: manifest("base", [], 1000) } }, fee));
    record("model-nft", "mint (open minting, mint fee, 1 parent)", exec(tuner, nft, { mint: { token_id: "tune", owner: tuner.address, token_uri: null, extension: manifest("tune", ["base"], 500) } }, fee));
    exec(dev, nft, { mint: { token_id: "spare", owner: dev.address, token_uri: null, extension: manifest("spare", [], 1000) } }, fee);
    record("model-nft", "transfer_nft", exec(dev, nft, { transfer_nft: { recipient: tuner.address, token_id: "spare" } }));

    // marketplace (approval-based listings): approve the marketplace on model-nft, list (owner_of query), buy
    // (owner_of re-check, royalty_info query, 3 payments, transfer_nft as the approved spender)
    record("model-nft", "approve (the marketplace, for one token)", exec(dev, nft, { approve: { spender: market, token_id: "base", expires: null } }));
    record("marketplace", "list (owner_of: owner + token approval)", exec(dev, market, { list: { token_id: "base", price: "10000000", expires: null } }));
    record("marketplace", "buy (owner/approval re-check, royalty to creator, fee, seller; NFT transferred)", exec(buyer, market, { buy: { token_id: "base" } }, usoa(10_000_000n)));

    // licensing (on the fine-tune: one parent royalty, protocol fee, owner)
    const publish = (offer: unknown) => exec(tuner, lic, { publish_offer: { model: "tune", offer, commercial: true, derivatives: null, transferable: false } });
    record("licensing", "publish_offer (perpetual; reads owner_of + parent manifests)", publish({ kind: "perpetual", price: "25000000" }));
    publish({ kind: "subscription", price_per_period: "1000000", period_seconds: 2_592_000 });
    publish({ kind: "metered", price_per_call: "1000", price_per_1k_units: null, min_deposit: "10000" });
    record("licensing", "buy_license perpetual (split: protocol, parent owner, owner)", exec(user, lic, { buy_license: { model: "tune", kind: "perpetual" } }, usoa(25_000_000n)));
    record("licensing", "buy_license subscription (1 period)", exec(user, lic, { buy_license: { model: "tune", kind: "subscription" } }, usoa(1_000_000n)));
    record("licensing", "deposit_credits", exec(user, lic, { deposit_credits: { model: "tune" } }, usoa(1_000_000n)));
    record("licensing", "add_meter", exec(tuner, lic, { add_meter: { model: "tune", meter: meter.address } }));
    record("licensing", "charge_usage (meter, 5 calls, split paid at once)", exec(meter, lic, { charge_usage: { model: "tune", user: user.address, units: "5" } }));

    // sudo settle_usage and the check_access query, natively on a branch of the committed state
    const ctx = nativeContext(node, 10_000_000n);
    let g0 = ctx.gasMeter.consumed();
    node.app.wasm.sudo(ctx, lic, json({ settle_usage: { model: "tune", user: user.address, units: "5" } }));
    ops.push({ contract: "licensing", op: "sudo settle_usage (5 calls, no tx; native call)", gas: Number(ctx.gasMeter.consumed() - g0), kind: "sudo" });
    g0 = ctx.gasMeter.consumed();
    const answer = JSON.parse(Buffer.from(node.app.wasm.querySmart(ctx, lic, json({ check_access: { model: "tune", user: user.address } }))).toString()) as { allowed: boolean };
    if (!answer.allowed) throw new Error(`check_access: ${JSON.stringify(answer)}`);
    ops.push({ contract: "licensing", op: "check_access query (smart query; native querySmart)", gas: Number(ctx.gasMeter.consumed() - g0), kind: "query" });
    // sanity: the committed state saw the tx path
    if (query(nft, { owner_of: { token_id: "base", include_expired: null } }).owner !== buyer.address) throw new Error("the marketplace sale did not transfer the NFT");
    return { sizes, ops };
  } finally {
    await node.close();
  }
}

/** Runs the scenario twice on fresh nodes; the second run checks that every gas figure repeats exactly. */
export async function runContractGas(wasm: Record<ProductContract, Uint8Array>, log: (line: string) => void = () => {}): Promise<ContractGasResult> {
  log("run 1 (fresh in-process node)");
  const a = await scenario(wasm);
  log("run 2 (fresh in-process node, must give the same gas)");
  const b = await scenario(wasm);
  const differences: string[] = [];
  a.ops.forEach((o, i) => {
    const o2 = b.ops[i];
    if (o2 === undefined || o2.op !== o.op || o2.gas !== o.gas) differences.push(`${o.op}: ${o.gas} vs ${o2?.gas ?? "missing"}`);
  });
  a.sizes.forEach((s, i) => {
    const s2 = b.sizes[i]!;
    if (s2.storeGas !== s.storeGas || s2.instantiateGas !== s.instantiateGas) differences.push(`${s.name} store/instantiate: ${s.storeGas}/${s.instantiateGas} vs ${s2.storeGas}/${s2.instantiateGas}`);
  });
  return { sizes: a.sizes, ops: a.ops, deterministic: differences.length === 0, differences };
}
