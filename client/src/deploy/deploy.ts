// Deploys the product contracts (model-nft, licensing, marketplace) wired together, idempotently:
// an upload is skipped when a code with the same sha256 is already on chain, an instantiation when an
// instance with the same code id and label exists (and, for licensing and marketplace, points at the
// current model-nft). The result is deployments/<chain-id>.json.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import { connectCosmWasmClient } from "../clients.js";
import { DENOM } from "../constants.js";
import type { InstantiateMsg as LicensingInstantiateMsg } from "../contracts/licensing.js";
import type { InstantiateMsg as MarketplaceInstantiateMsg } from "../contracts/marketplace.js";
import type { InstantiateMsg as ModelNftInstantiateMsg } from "../contracts/model-nft.js";
import { fromBaseUnits } from "../units.js";

export const PRODUCT_CONTRACTS = ["model_nft", "licensing", "marketplace"] as const;
export type ProductContract = (typeof PRODUCT_CONTRACTS)[number];

export interface ContractRecord {
  code_id: number;
  /** sha256 of the wasm, lowercase hex (as getCodeDetails reports it). */
  checksum: string;
  address: string;
  label: string;
}

/** deployments/<chain-id>.json */
export interface Deployment {
  chain_id: string;
  rpc: string;
  deployer: string;
  contracts: Record<ProductContract, ContractRecord>;
  /** Height of the last transaction that changed the deployment. */
  deployed_at_height: number;
}

export interface DeployOptions {
  rpc: string;
  mnemonic: string;
  hdIndex?: number;
  /** Folder of model-nft.wasm, licensing.wasm, marketplace.wasm (contracts-as/build). */
  wasmDir: string;
  /** Folder of the <chain-id>.json files (deployments/). */
  outDir: string;
  /** Refuse to use `mnemonic` unless the chain id contains "localnet" (the public dev mnemonic). */
  localnetOnly?: boolean;
  log?: (line: string) => void;
}

export interface DeployResult {
  deployment: Deployment;
  file: string;
  /** Whether anything was uploaded or instantiated. */
  changed: boolean;
}

/** An error the CLI prints as is (no stack). */
export class DeployError extends Error {
  override name = "DeployError";
}

const WASM_FILE: Record<ProductContract, string> = { model_nft: "model-nft.wasm", licensing: "licensing.wasm", marketplace: "marketplace.wasm" };
export const LABELS: Record<ProductContract, string> = { model_nft: "soa-model-nft", licensing: "soa-licensing", marketplace: "soa-marketplace" };

/** The instantiate messages: open minting; 2 % protocol fee and 2.5 % marketplace fee to the deployer. */
export function instantiateMsgs(deployer: string, nft: string) {
  const modelNft: ModelNftInstantiateMsg = { name: "SOA Models", symbol: "MODEL", minter: null, mint_fee: null, fee_recipient: null, max_royalty_bps: 2500 };
  const licensing: LicensingInstantiateMsg = { nft_contract: nft, protocol_fee_bps: 200, protocol_fee_recipient: deployer, denom: DENOM };
  const marketplace: MarketplaceInstantiateMsg = { nft_contract: nft, denom: DENOM, fee_bps: 250, fee_recipient: deployer };
  return { model_nft: modelNft, licensing, marketplace };
}

export function deploymentFile(outDir: string, chainId: string): string {
  return join(outDir, `${chainId}.json`);
}

export function loadDeployment(file: string): Deployment | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Deployment;
  } catch (e) {
    throw new DeployError(`${file} is not valid JSON (${(e as Error).message}); fix or delete it`);
  }
}

const sha256Hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const short = (s: string) => (s.length > 20 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s);
const pad = (c: ProductContract) => c.replace("_", "-").padEnd(12);

function readWasm(dir: string, c: ProductContract): Uint8Array {
  const file = join(dir, WASM_FILE[c]);
  if (!existsSync(file)) throw new DeployError(`${file} not found: build the contracts first (run \`make contracts\`)`);
  return readFileSync(file);
}

/** Turns broadcast errors about money into a clear message. */
function explain(e: unknown, what: string, deployer: string, balance: string): never {
  const m = e instanceof Error ? e.message : String(e);
  if (/insufficient funds|insufficient fee|does not exist on chain|spendable balance/i.test(m)) {
    throw new DeployError(`not enough funds to ${what}: the deployer ${deployer} has ${balance} ${DENOM} (${fromBaseUnits(balance)} SOA). Fund it and run again. (${m})`);
  }
  throw e;
}

export async function deployContracts(opts: DeployOptions): Promise<DeployResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const wasm = Object.fromEntries(PRODUCT_CONTRACTS.map((c) => [c, readWasm(opts.wasmDir, c)])) as Record<ProductContract, Uint8Array>;

  const { client, address } = await connectCosmWasmClient({ rpc: opts.rpc, mnemonic: opts.mnemonic, hdIndex: opts.hdIndex ?? 0, clientOptions: { broadcastPollIntervalMs: 500 } });
  try {
    const chainId = await client.getChainId();
    if (opts.localnetOnly && !chainId.includes("localnet")) {
      throw new DeployError(`chain ${chainId} is not a localnet: pass --mnemonic-file (the default dev mnemonic is public and for localnets only)`);
    }
    const height = await client.getHeight();
    const balance = (await client.getBalance(address, DENOM)).amount;
    log(`deploy: chain ${chainId} at height ${height} (${opts.rpc}); deployer ${address}, balance ${balance} ${DENOM} (${fromBaseUnits(balance)} SOA)`);
    if (BigInt(balance) === 0n) {
      throw new DeployError(`not enough funds: the deployer ${address} has no ${DENOM} on ${chainId}. Fund it, or pick a funded account with --mnemonic-file / --hd-index.`);
    }

    const file = deploymentFile(opts.outDir, chainId);
    const previous = loadDeployment(file);
    if (previous) log(`deploy: found ${file} (deployed at height ${previous.deployed_at_height})`);
    let lastHeight = 0;
    const records = {} as Record<ProductContract, ContractRecord>;

    // Codes
    const codes = await client.getCodes();
    for (const c of PRODUCT_CONTRACTS) {
      const checksum = sha256Hex(wasm[c]);
      const prev = previous?.contracts?.[c];
      const onChain =
        codes.find((k) => prev && k.id === prev.code_id && k.checksum.toLowerCase() === checksum) ??
        codes.find((k) => k.checksum.toLowerCase() === checksum && k.creator === address) ??
        codes.find((k) => k.checksum.toLowerCase() === checksum);
      if (onChain) {
        log(`${pad(c)} code ${onChain.id} already on chain (sha256 ${short(checksum)}): upload skipped`);
        records[c] = { code_id: onChain.id, checksum, address: "", label: LABELS[c] };
        continue;
      }
      log(`${pad(c)} uploading ${wasm[c].length} bytes (sha256 ${short(checksum)}) …`);
      const r = await client.upload(address, wasm[c], "auto", `soa deploy ${c}`).catch((e: unknown) => explain(e, `upload ${c}`, address, balance));
      if (r.checksum.toLowerCase() !== checksum) throw new DeployError(`${c}: the chain stored checksum ${r.checksum}, expected ${checksum}`);
      log(`${pad(c)} code ${r.codeId} stored at height ${r.height} (gas ${r.gasUsed}, tx ${r.transactionHash})`);
      lastHeight = Math.max(lastHeight, r.height);
      records[c] = { code_id: r.codeId, checksum, address: "", label: LABELS[c] };
    }

    // Instances: model-nft first, the others point at it.
    for (const c of PRODUCT_CONTRACTS) {
      const rec = records[c];
      const nft = records.model_nft.address;
      const existing = await findInstance(client, address, rec.code_id, rec.label, previous?.contracts?.[c]?.address, c === "model_nft" ? null : nft);
      if (existing) {
        log(`${pad(c)} instance ${existing} (code ${rec.code_id}, label ${rec.label}) exists: instantiate skipped`);
        rec.address = existing;
        continue;
      }
      const msg = instantiateMsgs(address, nft)[c];
      log(`${pad(c)} instantiating code ${rec.code_id} as "${rec.label}" …`);
      const r = await client
        .instantiate(address, rec.code_id, msg, rec.label, "auto", { admin: address, memo: `soa deploy ${c}` })
        .catch((e: unknown) => explain(e, `instantiate ${c}`, address, balance));
      log(`${pad(c)} ${r.contractAddress} at height ${r.height} (gas ${r.gasUsed}, tx ${r.transactionHash})`);
      lastHeight = Math.max(lastHeight, r.height);
      rec.address = r.contractAddress;
    }

    const changed = lastHeight > 0;
    const deployment: Deployment = {
      chain_id: chainId,
      rpc: opts.rpc,
      deployer: address,
      contracts: records,
      deployed_at_height: changed ? lastHeight : (previous?.deployed_at_height ?? height),
    };
    const text = JSON.stringify(deployment, null, 2) + "\n";
    const old = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (old !== text) {
      mkdirSync(opts.outDir, { recursive: true });
      writeFileSync(file, text);
      log(`deploy: wrote ${file}`);
    }
    if (!changed) log(`deploy: up to date (nothing uploaded or instantiated)`);
    return { deployment, file, changed };
  } finally {
    client.disconnect();
  }
}

/**
 * An instance of `codeId` labelled `label` that `deployer` created: the recorded address first, then any
 * instance of the code (newest first). Licensing and marketplace instances must also point at `nft`.
 */
async function findInstance(
  client: SigningCosmWasmClient,
  deployer: string,
  codeId: number,
  label: string,
  recorded: string | undefined,
  nft: string | null,
): Promise<string | null> {
  const fits = async (addr: string): Promise<boolean> => {
    try {
      const info = await client.getContract(addr);
      if (info.codeId !== codeId || info.label !== label || info.creator !== deployer) return false;
      if (nft === null) return true;
      const cfg = (await client.queryContractSmart(addr, { config: {} })) as { nft_contract?: string };
      return cfg.nft_contract === nft;
    } catch {
      return false; // gone (a reset localnet) or not ours
    }
  };
  if (recorded && (await fits(recorded))) return recorded;
  const all = await client.getContracts(codeId);
  for (const addr of [...all].reverse()) if (await fits(addr)) return addr;
  return null;
}
