// Shared helpers of the e2e suites: the localnet's funded dev accounts as CosmJS signers, a seeded
// PRNG, exact fee and balance bookkeeping, raw CometBFT JSON-RPC and polling.
//
// The dev mnemonic (HD indexes 0..4) is public and funded by every localnet genesis: never for real funds.
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, decodeTxRaw } from "@cosmjs/proto-signing";
import { type DeliverTxResponse, type IndexedTx, QueryClient, SigningStargateClient, type StargateClient } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { QueryBalanceRequest, QueryBalanceResponse, QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { ModuleAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryModuleAccountsRequest, QueryModuleAccountsResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  BECH32_PREFIX,
  DEFAULT_GAS_PRICE,
  DENOM,
  DEV_MNEMONIC,
  connectAminoSigningClient,
  connectSigningClient,
  hdPath,
} from "@soa/client";
import { sleep } from "@soa/chain/node/process";
import { type Localnet, type LocalnetOptions, startLocalnet } from "./localnet.js";

export type SignMode = "direct" | "amino";

export interface DevSigner {
  /** HD index of m/44'/118'/0'/0/i of the dev mnemonic. */
  index: number;
  address: string;
  mode: SignMode;
  client: SigningStargateClient;
  wallet: DirectSecp256k1HdWallet | Secp256k1HdWallet;
}

/** A signing client for dev account `index` on node `node` of the localnet. */
export async function devSigner(
  net: Localnet,
  index: number,
  mode: SignMode = "direct",
  node = 0,
  clientOptions: { broadcastTimeoutMs?: number; broadcastPollIntervalMs?: number } = {},
): Promise<DevSigner> {
  const opts = {
    rpc: net.rpcUrl(node),
    hdIndex: index,
    gasPrice: DEFAULT_GAS_PRICE,
    clientOptions: { broadcastPollIntervalMs: 300, ...clientOptions },
  };
  const c = mode === "direct" ? await connectSigningClient(opts) : await connectAminoSigningClient(opts);
  return { index, address: c.address, mode, client: c.client, wallet: c.wallet };
}

/** A direct-mode wallet of the dev mnemonic at `index`, without a connection. */
export async function devWallet(index: number): Promise<DirectSecp256k1HdWallet> {
  return DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: BECH32_PREFIX, hdPaths: [hdPath(index)] });
}

/** Genesis usoa balance of `address` (0 when it is not in genesis). */
export function genesisBalance(net: Localnet, address: string): bigint {
  const entry = net.genesis.app_state.bank.balances.find((b) => b.address === address);
  const coin = entry?.coins.find((c) => c.denom === DENOM);
  return coin ? BigInt(coin.amount) : 0n;
}

/**
 * Sum of all genesis usoa balances: the total supply at genesis. Minting raises it every block; the
 * supply at height h is genesisSupply + mintedInBlocks(1..h).minted (see atOneHeight).
 */
export function genesisSupply(net: Localnet): bigint {
  let sum = 0n;
  for (const b of net.genesis.app_state.bank.balances) for (const c of b.coins) if (c.denom === DENOM) sum += BigInt(c.amount);
  return sum;
}

/** The usoa fee a signed transaction pays (from its AuthInfo, i.e. what the chain deducts). */
export function feeOfTx(tx: Uint8Array): bigint {
  const decoded = decodeTxRaw(tx);
  let fee = 0n;
  for (const c of decoded.authInfo.fee?.amount ?? []) {
    if (c.denom !== DENOM) throw new Error(`unexpected fee denom ${c.denom}`);
    fee += BigInt(c.amount);
  }
  return fee;
}

/** The usoa fee a delivered tx paid according to its `tx{fee}` event (e.g. "6250usoa"). */
export function feeOfEvents(r: DeliverTxResponse | IndexedTx): bigint {
  const fee = r.events.flatMap((e) => (e.type === "tx" ? e.attributes : [])).find((a) => a.key === "fee")?.value;
  if (fee === undefined) throw new Error(`tx ${"transactionHash" in r ? r.transactionHash : r.hash} has no tx.fee event`);
  if (fee === "") return 0n;
  const m = /^(\d+)usoa$/.exec(fee);
  if (!m) throw new Error(`unexpected fee attribute ${fee}`);
  return BigInt(m[1]!);
}

export async function usoaBalance(client: StargateClient, address: string): Promise<bigint> {
  const b = await client.getBalance(address, DENOM);
  if (b.denom !== DENOM) throw new Error(`getBalance answered denom ${b.denom}`);
  return BigInt(b.amount);
}

// ----- seeded randomness (tests only) --------------------------------------------------------

/** sfc32-style tiny PRNG (deterministic per seed; not for keys). */
export interface Rng {
  readonly seed: number;
  /** uniform uint32 */
  u32(): number;
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

export function makeRng(seed: number): Rng {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) u32();
  const int = (lo: number, hi: number): number => lo + Math.floor((u32() / 2 ** 32) * (hi - lo + 1));
  return {
    seed,
    u32,
    int,
    chance: (p) => u32() / 2 ** 32 < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
  };
}

/**
 * A seed from E2E_SEED (to replay a failure) or a fresh one; printed so that a failing run can be
 * reproduced with E2E_SEED=<seed>.
 */
export function testSeed(label: string): number {
  const env = process.env["E2E_SEED"];
  const seed = env !== undefined && env !== "" ? Number.parseInt(env, 10) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
  console.log(`[${label}] seed ${seed} (replay with E2E_SEED=${seed})`);
  return seed;
}

/** A fresh bech32 account address that genesis did not fund (20 random bytes). */
export function randomAddress(rng: Rng, prefix = BECH32_PREFIX): string {
  return toBech32(prefix, rng.bytes(20));
}

// ----- CometBFT JSON-RPC and polling ----------------------------------------------------------

export interface JsonRpcError {
  code: number;
  message: string;
  data?: string;
}

/** One JSON-RPC call over HTTP GET (`/<method>?k=v`); resolves with the result or the JSON-RPC error. */
export async function rpcCall<T>(
  url: string,
  method: string,
  params: Record<string, string | number> = {},
  timeoutMs = 10_000,
): Promise<{ result?: T; error?: JsonRpcError }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: JsonRpcError };
  return body;
}

/** Like rpcCall but throws on a JSON-RPC error. */
export async function rpcResult<T>(url: string, method: string, params: Record<string, string | number> = {}): Promise<T> {
  const r = await rpcCall<T>(url, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message} ${r.error.data ?? ""}`.trim());
  if (r.result === undefined) throw new Error(`${method}: no result`);
  return r.result;
}


/** Polls `probe` until it returns a value other than undefined (errors count as "not yet"). */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = "never probed";
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      last = "not yet";
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : String(last)})`);
    }
    await sleep(intervalMs);
  }
}

// ----- localnets ------------------------------------------------------------------------------

/**
 * startLocalnet, retried on a fresh block of ports: the harness picks a random free block and checks
 * that every RPC port is answered by its own node, but another process can still take a port between
 * the check and the bind.
 */
export async function startE2eLocalnet(opts: LocalnetOptions = {}): Promise<Localnet> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startLocalnet(opts);
    } catch (e) {
      lastError = e;
      console.warn(`[e2e] localnet attempt ${attempt} failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  throw lastError;
}

/** The fee collector's address by the SDK rule sha256(module name)[:20], derived independently of the chain code. */
export const FEE_COLLECTOR_ADDRESS = toBech32(BECH32_PREFIX, sha256(new TextEncoder().encode("fee_collector")).subarray(0, 20));

/** A module account's address by the SDK rule sha256(name)[:20], derived independently of the chain code. */
export function moduleAccountAddress(name: string): string {
  return toBech32(BECH32_PREFIX, sha256(new TextEncoder().encode(name)).subarray(0, 20));
}

/** mint's module accounts: `mint` passes each block's new coins on; `work_pool` keeps the PoW share. */
export const MINT_ADDRESS = moduleAccountAddress("mint");
export const WORK_POOL_ADDRESS = moduleAccountAddress("work_pool");
/** distribution: takes the fee collector (fees + PoS share) at every BeginBlock and keeps it until withdrawn. */
export const DISTRIBUTION_ADDRESS = moduleAccountAddress("distribution");

// ----- minting: block events and reads of state at one height ---------------------------------

export interface MintedTotals {
  /** New usoa of the blocks (Σ mint.amount). */
  minted: bigint;
  /** PoS share paid to the fee collector (Σ mint_split.fee_collector_amount). */
  toFeeCollector: bigint;
  /** PoW share paid to the work pool (Σ mint_split.work_pool_amount). */
  toWorkPool: bigint;
  /** Per block, in height order. */
  blocks: { height: number; amount: bigint; toFeeCollector: bigint; toWorkPool: bigint }[];
}

/** Block-level events of height h (BeginBlock/EndBlock work: CometBFT 0.38 finalize_block_events). */
export async function blockEvents(comet: CometClient, h: number): Promise<{ type: string; attributes: readonly { key: string; value: string }[] }[]> {
  const r = await comet.blockResults(h);
  if (!("finalizeBlockEvents" in r)) throw new Error("block_results without finalize_block_events: not CometBFT 0.38");
  return [...r.finalizeBlockEvents];
}

/**
 * Sums the `mint` and `mint_split` events of blocks from..to (inclusive) from CometBFT's
 * block_results (finalize_block_events). Checks per block that the split adds up to the amount.
 */
export async function mintedInBlocks(comet: CometClient, from: number, to: number): Promise<MintedTotals> {
  const out: MintedTotals = { minted: 0n, toFeeCollector: 0n, toWorkPool: 0n, blocks: [] };
  for (let h = from; h <= to; h++) {
    const events = await blockEvents(comet, h);
    const one = (type: string) => {
      const found = events.filter((e) => e.type === type);
      if (found.length !== 1) throw new Error(`block ${h}: ${found.length} ${type} events, expected 1`);
      return Object.fromEntries(found[0]!.attributes.map((a) => [a.key, a.value]));
    };
    const mint = one("mint");
    const split = one("mint_split");
    const amount = BigInt(mint["amount"]!);
    const toFeeCollector = BigInt(split["fee_collector_amount"]!);
    const toWorkPool = BigInt(split["work_pool_amount"]!);
    if (BigInt(split["amount"]!) !== amount || toFeeCollector + toWorkPool !== amount) {
      throw new Error(`block ${h}: mint ${amount} but split ${JSON.stringify(split)}`);
    }
    out.minted += amount;
    out.toFeeCollector += toFeeCollector;
    out.toWorkPool += toWorkPool;
    out.blocks.push({ height: h, amount, toFeeCollector, toWorkPool });
  }
  return out;
}

/** Reads of the app state at one height (ABCI queries with an explicit height). */
export interface StateAt {
  readonly height: number;
  balance(address: string, denom?: string): Promise<bigint>;
  supply(denom?: string): Promise<bigint>;
  /** Addresses of every module account (fee collector, mint, work pool, and any later module's). */
  moduleAccounts(): Promise<string[]>;
}

/**
 * Runs `read` against the state of one height, so that several reads (and the block events up to
 * that height) fit together although the chain mints every block. The app answers its latest height
 * and the two before it; queries pinned to height H fail once block H+3 is committed, and then `read`
 * starts over at the new height.
 */
export async function atOneHeight<T>(
  comet: CometClient,
  read: (at: StateAt) => Promise<T>,
  attempts = 30,
  /** Read this height (the app serves the latest and the two before it); default: the latest. */
  pinned?: number,
): Promise<{ height: number; value: T }> {
  const qc = new QueryClient(comet);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const height = pinned ?? (await comet.abciInfo()).lastBlockHeight ?? 0;
    const at: StateAt = {
      height,
      balance: async (address, denom = DENOM) => {
        const r = await qc.queryAbci("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom }).finish(), height);
        return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? "0");
      },
      supply: async (denom = DENOM) => {
        const r = await qc.queryAbci("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom }).finish(), height);
        return BigInt(QuerySupplyOfResponse.decode(r.value).amount?.amount ?? "0");
      },
      moduleAccounts: async () => {
        const r = await qc.queryAbci("/cosmos.auth.v1beta1.Query/ModuleAccounts", QueryModuleAccountsRequest.encode({}).finish(), height);
        return QueryModuleAccountsResponse.decode(r.value).accounts.map((a) => ModuleAccount.decode(a.value).baseAccount!.address);
      },
    };
    try {
      return { height, value: await read(at) };
    } catch (e) {
      if (!(e instanceof Error) || !/historical queries are not supported/.test(e.message)) throw e;
      last = e;
    }
  }
  throw new Error(`no ${attempts} consecutive reads at one height succeeded (last: ${String(last)})`);
}
