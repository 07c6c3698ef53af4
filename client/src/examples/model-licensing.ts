// Tokenize a model and license it, with the typed contract clients, against a localnet after `make deploy`:
//
//   make localnet-up && make deploy
//   npm run example:licensing --workspace client [-- <rpc>]      (or `npm run example:licensing` at the root)
//
// Accounts (public dev mnemonic, localnet only): #0 deployed the contracts and receives the protocol fee,
// #1 creator, #2 buyer, #3 the creator's inference meter. The creator mints a model (its manifest names
// the weights' sha256), publishes a perpetual and a metered offer and authorises the meter; the buyer
// buys a perpetual licence and deposits credits; check_access says allowed; the meter charges usage.
// Every balance is printed before and after and reconciled to the last usoa (payments, the split,
// every transaction fee).
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { ExecuteResult } from "@cosmjs/cosmwasm-stargate";
import {
  DEFAULT_RPC,
  DENOM,
  LicensingClient,
  ModelNftClient,
  NodeUnreachableError,
  connectCosmWasmClient,
  deploymentFile,
  fromBaseUnits,
  loadDeployment,
  type CosmWasmConnection,
  type ModelNft,
} from "../index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PERPETUAL_PRICE = 2_000_000n; // 2 SOA
const PRICE_PER_CALL = 1_500n;
const DEPOSIT = 300_000n;
const CALLS = 7n;

type Conn = CosmWasmConnection<unknown>;

/** The fee a transaction paid (the `tx` event's `fee` attribute, e.g. "4321usoa"). */
function feeOf(r: ExecuteResult): bigint {
  const fee = r.events.find((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee"))?.attributes.find((a) => a.key === "fee")?.value ?? "";
  const m = /^(\d+)usoa$/.exec(fee);
  if (!m) throw new Error(`cannot read the fee of tx ${r.transactionHash} (${fee || "no fee attribute"})`);
  return BigInt(m[1]!);
}

/** A wasm event attribute of the contract call (e.g. owner_amount). */
function attr(r: ExecuteResult, key: string): string {
  for (const e of r.events) if (e.type === "wasm") for (const a of e.attributes) if (a.key === key) return a.value;
  throw new Error(`no wasm attribute ${key} in tx ${r.transactionHash}`);
}

async function main(): Promise<void> {
  const rpc = process.argv[2] ?? process.env.SOA_RPC ?? DEFAULT_RPC;
  const connect = (hdIndex: number) => connectCosmWasmClient({ rpc, hdIndex, clientOptions: { broadcastPollIntervalMs: 300 } });
  const [deployer, creator, buyer, meter] = (await Promise.all([0, 1, 2, 3].map(connect))) as [Conn, Conn, Conn, Conn];
  const all = [deployer, creator, buyer, meter];
  try {
    const chainId = await creator.client.getChainId();
    const file = deploymentFile(`${ROOT}deployments`, chainId);
    const dep = loadDeployment(file);
    if (!dep) throw new Error(`${file} not found: deploy the contracts first (make deploy)`);
    for (const [name, c] of Object.entries(dep.contracts)) {
      const info = await creator.client.getContract(c.address).catch(() => null);
      if (!info || info.codeId !== c.code_id) throw new Error(`${name} ${c.address} from ${file} is not on chain ${chainId} (a reset localnet?): run make deploy`);
    }
    const nftAddr = dep.contracts.model_nft.address;
    const licAddr = dep.contracts.licensing.address;
    console.log(`chain ${chainId} at height ${await creator.client.getHeight()} (${rpc})`);
    console.log(`model-nft ${nftAddr}\nlicensing ${licAddr}`);

    // Typed clients, one per signer.
    const nft = new ModelNftClient(creator.client, creator.address, nftAddr);
    const licCreator = new LicensingClient(creator.client, creator.address, licAddr);
    const licBuyer = new LicensingClient(buyer.client, buyer.address, licAddr);
    const licMeter = new LicensingClient(meter.client, meter.address, licAddr);
    const config = await licCreator.config();
    if (config.protocol_fee_recipient !== deployer.address) throw new Error(`this example expects the protocol fee to go to dev account #0, the deployer; it goes to ${config.protocol_fee_recipient}`);

    const who = { treasury: deployer.address, creator: creator.address, buyer: buyer.address, meter: meter.address, licensing: licAddr } as const;
    type Who = keyof typeof who;
    const balances = async () => Object.fromEntries(await Promise.all(Object.entries(who).map(async ([k, a]) => [k, BigInt((await creator.client.getBalance(a, DENOM)).amount)]))) as Record<Who, bigint>;
    const before = await balances();
    const fees: Record<Who, bigint> = { treasury: 0n, creator: 0n, buyer: 0n, meter: 0n, licensing: 0n };
    const step = (by: Who, what: string, r: ExecuteResult) => {
      const fee = feeOf(r);
      fees[by] += fee;
      console.log(`  ${by.padEnd(8)} ${what.padEnd(44)} height ${r.height}, gas ${r.gasUsed}, fee ${fee} ${DENOM}`);
      return r;
    };

    // 1. Mint: the weights' hash goes into the immutable manifest.
    const height = await creator.client.getHeight();
    const tokenId = `demo-llama-ft-${height}`;
    const weights = Buffer.from(`pretend these are the weights of ${tokenId}`);
    const extension: ModelNft.ManifestInput = {
      name: "Llama-3-8B-Support-FT",
      version: "1.0.0",
      task: "text-generation",
      format: "safetensors",
      weights_sha256: createHash("sha256").update(weights).digest("hex"),
      engine: "vllm",
      dtype: "bf16",
      uri: `ipfs://example/${tokenId}`,
      parents: [],
      verification: { scheme: "TOPLOC", tolerance: "0.01" },
      royalty_bps: 500,
    };
    console.log(`\ncreator ${creator.address} tokenizes model ${tokenId}`);
    step("creator", `mint ${tokenId}`, await nft.mint({ tokenId, owner: creator.address, tokenUri: null, extension }));
    const info = await nft.nftInfo({ tokenId });
    console.log(`  manifest: weights_sha256 ${info.extension.weights_sha256}, creator ${info.extension.creator}, created_at ${info.extension.created_at}`);

    // 2. Offers and the meter.
    step("creator", `publish perpetual offer (${PERPETUAL_PRICE} ${DENOM})`, await licCreator.publishOffer({ model: tokenId, offer: { kind: "perpetual", price: PERPETUAL_PRICE.toString() }, commercial: true, derivatives: { allowed: true, parent_royalty_bps: 500 }, transferable: false }));
    step("creator", `publish metered offer (${PRICE_PER_CALL} ${DENOM}/call)`, await licCreator.publishOffer({ model: tokenId, offer: { kind: "metered", price_per_call: PRICE_PER_CALL.toString(), price_per_1k_units: null, min_deposit: "100000" }, commercial: true, derivatives: null, transferable: false }));
    step("creator", `add meter ${meter.address.slice(0, 12)}…`, await licCreator.addMeter({ model: tokenId, meter: meter.address }));
    console.log(`  offers: ${(await licCreator.offers({ model: tokenId })).offers.map((o) => o.offer.kind).join(", ")}; meters: ${(await licCreator.meters({ model: tokenId })).meters.join(", ")}`);

    // 3. The buyer: licence + credits.
    console.log(`\nbuyer ${buyer.address}`);
    console.log(`  check_access before: ${JSON.stringify(await licBuyer.checkAccess({ model: tokenId, user: buyer.address }))}`);
    const buy = step("buyer", "buy perpetual licence", await licBuyer.buyLicense({ model: tokenId, kind: "perpetual" }, "auto", undefined, [{ denom: DENOM, amount: PERPETUAL_PRICE.toString() }]));
    step("buyer", `deposit ${DEPOSIT} ${DENOM} of credits`, await licBuyer.depositCredits({ model: tokenId }, "auto", undefined, [{ denom: DENOM, amount: DEPOSIT.toString() }]));
    const access = await licBuyer.checkAccess({ model: tokenId, user: buyer.address });
    console.log(`  check_access after:  ${JSON.stringify(access)}`);
    if (!access.allowed) throw new Error("check_access: not allowed after buying a licence");

    // 4. The meter charges usage.
    console.log(`\nmeter ${meter.address}`);
    const charge = step("meter", `charge ${CALLS} calls`, await licMeter.chargeUsage({ model: tokenId, user: buyer.address, units: CALLS.toString() }));
    const lic = await licBuyer.license({ model: tokenId, user: buyer.address });
    console.log(`  licence: perpetual paid ${lic.perpetual?.price_paid}; metered credits ${lic.metered?.credits}, spent ${lic.metered?.spent}`);

    // 5. Balances, reconciled.
    const after = await balances();
    const price = PERPETUAL_PRICE;
    const cost = CALLS * PRICE_PER_CALL;
    const feeOfPrice = (price * BigInt(config.protocol_fee_bps)) / 10_000n;
    const feeOfCost = (cost * BigInt(config.protocol_fee_bps)) / 10_000n;
    if (BigInt(attr(buy, "protocol_fee")) !== feeOfPrice || BigInt(attr(charge, "protocol_fee")) !== feeOfCost) throw new Error("unexpected protocol fee");
    const expected: Record<Who, bigint> = {
      treasury: feeOfPrice + feeOfCost,
      creator: price - feeOfPrice + (cost - feeOfCost) - fees.creator,
      buyer: -price - DEPOSIT - fees.buyer,
      meter: -fees.meter,
      licensing: DEPOSIT - cost,
    };
    const why: Record<Who, string> = {
      treasury: `protocol fee ${config.protocol_fee_bps} bps of ${price} + of ${cost}`,
      creator: `licence ${price} + usage ${cost}, less protocol fees, less ${fees.creator} tx fees`,
      buyer: `−${price} licence −${DEPOSIT} credits −${fees.buyer} tx fees`,
      meter: `−${fees.meter} tx fee`,
      licensing: `holds the unused credits: ${DEPOSIT} − ${cost}`,
    };
    console.log(`\nbalances (${DENOM})`);
    console.log(`  ${"".padEnd(10)}${"before".padStart(18)}${"after".padStart(18)}${"change".padStart(12)}  expected`);
    let ok = true;
    for (const k of Object.keys(who) as Who[]) {
      const d = after[k] - before[k];
      const good = d === expected[k];
      ok &&= good;
      console.log(`  ${k.padEnd(10)}${before[k].toString().padStart(18)}${after[k].toString().padStart(18)}${((d > 0n ? "+" : "") + d.toString()).padStart(12)}  ${good ? "✓" : `✗ expected ${expected[k]}`} ${why[k]}`);
    }
    console.log(`  (buyer after: ${fromBaseUnits(after.buyer)} SOA; creator after: ${fromBaseUnits(after.creator)} SOA)`);
    if (!ok) throw new Error("balances do not reconcile");
    console.log("\nall balances reconcile to the last usoa");
  } finally {
    for (const c of all) c.client.disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof NodeUnreachableError || e instanceof Error ? `error: ${e.message}` : e);
  process.exitCode = 1;
});
