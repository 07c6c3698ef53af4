// Ready-made CosmJS clients for SOA: wallets with prefix "soa", our gas price, a clear error when the
// node is down. Everything returned is a plain, unmodified CosmJS object.
import { createRequire } from "node:module";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { CosmWasmClient, SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { HdPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import {
  type GasPrice,
  SigningStargateClient,
  type SigningStargateClientOptions,
  StargateClient,
  type StargateClientOptions,
} from "@cosmjs/stargate";
import { BECH32_PREFIX, DEFAULT_GAS_PRICE, DEFAULT_RPC, DEV_MNEMONIC, hdPath } from "./constants.js";

export interface ConnectOptions {
  /** CometBFT RPC URL (http(s):// or ws(s)://). Default DEFAULT_RPC. */
  rpc?: string;
  /** BIP-39 mnemonic. Default DEV_MNEMONIC, which is funded on localnets only. */
  mnemonic?: string;
  /** HD index i of m/44'/118'/0'/0/i. Default 0. */
  hdIndex?: number;
  /** Gas price for fee "auto" / numeric multipliers. Default DEFAULT_GAS_PRICE (0.025usoa). */
  gasPrice?: GasPrice;
  /** Extra SigningStargateClient options (registry, aminoTypes, broadcast timeouts, …). */
  clientOptions?: Omit<SigningStargateClientOptions, "gasPrice">;
}

export interface SigningConnection<W> {
  client: SigningStargateClient;
  /** The signer's bech32 address (soa1…). */
  address: string;
  wallet: W;
}

/** Thrown when the RPC endpoint cannot be reached or does not answer like a CometBFT node. */
export class NodeUnreachableError extends Error {
  constructor(
    readonly rpc: string,
    override readonly cause: unknown,
  ) {
    super(
      `cannot reach an SOA node at ${rpc} (${describe(cause)}). ` +
        "Is the node running? Start a local one with `make localnet`, or pass another RPC URL.",
    );
    this.name = "NodeUnreachableError";
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause.message : cause !== undefined ? String(cause) : "";
  return inner && !e.message.includes(inner) ? `${e.message}: ${inner}` : e.message;
}

async function reach<T>(rpc: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (e) {
    throw new NodeUnreachableError(rpc, e);
  }
}

async function connectWith<W extends DirectSecp256k1HdWallet | Secp256k1HdWallet>(
  opts: ConnectOptions,
  makeWallet: (mnemonic: string, options: { prefix: string; hdPaths: HdPath[] }) => Promise<W>,
): Promise<SigningConnection<W>> {
  const rpc = opts.rpc ?? DEFAULT_RPC;
  const wallet = await makeWallet(opts.mnemonic ?? DEV_MNEMONIC, { prefix: BECH32_PREFIX, hdPaths: [hdPath(opts.hdIndex ?? 0)] });
  const [account] = await wallet.getAccounts();
  const client = await reach(rpc, () =>
    SigningStargateClient.connectWithSigner(rpc, wallet, { ...opts.clientOptions, gasPrice: opts.gasPrice ?? DEFAULT_GAS_PRICE }),
  );
  return { client, address: account!.address, wallet };
}

/** A direct-mode (SIGN_MODE_DIRECT) signing client, like Keplr's default signer. */
export function connectSigningClient(opts: ConnectOptions = {}): Promise<SigningConnection<DirectSecp256k1HdWallet>> {
  return connectWith(opts, (m, o) => DirectSecp256k1HdWallet.fromMnemonic(m, o));
}

/** A legacy amino (SIGN_MODE_LEGACY_AMINO_JSON) signing client, as used by Ledger and older wallets. */
export function connectAminoSigningClient(opts: ConnectOptions = {}): Promise<SigningConnection<Secp256k1HdWallet>> {
  return connectWith(opts, (m, o) => Secp256k1HdWallet.fromMnemonic(m, o));
}

export interface CosmWasmConnection<W> {
  client: SigningCosmWasmClient;
  address: string;
  wallet: W;
}

/**
 * A signing client for contracts (upload, instantiate, execute, migrate, admin), direct mode by
 * default or amino with `mode: "amino"`. `@cosmjs/cosmwasm-stargate` re-exports `@cosmjs/cosmwasm`.
 */
export async function connectCosmWasmClient(
  opts: Omit<ConnectOptions, "clientOptions"> & {
    mode?: "direct" | "amino";
    clientOptions?: { broadcastPollIntervalMs?: number; broadcastTimeoutMs?: number };
  } = {},
): Promise<CosmWasmConnection<DirectSecp256k1HdWallet | Secp256k1HdWallet>> {
  const rpc = opts.rpc ?? DEFAULT_RPC;
  const walletOptions = { prefix: BECH32_PREFIX, hdPaths: [hdPath(opts.hdIndex ?? 0)] };
  const mnemonic = opts.mnemonic ?? DEV_MNEMONIC;
  const wallet = opts.mode === "amino" ? await Secp256k1HdWallet.fromMnemonic(mnemonic, walletOptions) : await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, walletOptions);
  const [account] = await wallet.getAccounts();
  const price = opts.gasPrice ?? DEFAULT_GAS_PRICE;
  const gasPrice = cosmWasmGasPrice(`${price.amount.toString()}${price.denom}`);
  const client = await reach(rpc, () => SigningCosmWasmClient.connectWithSigner(rpc, wallet, { ...opts.clientOptions, gasPrice }));
  return { client, address: account!.address, wallet };
}

type CosmWasmGasPrice = NonNullable<Parameters<typeof SigningCosmWasmClient.connectWithSigner>[2]>["gasPrice"];

/**
 * A GasPrice of the @cosmjs/stargate that @cosmjs/cosmwasm itself uses: the newest @cosmjs/cosmwasm
 * (0.38) depends on @cosmjs/stargate 0.38 and checks `instanceof GasPrice` against its own copy, so
 * a GasPrice from our @cosmjs/stargate 0.39 is refused ("Gas price must be a GasPrice instance").
 */
function cosmWasmGasPrice(price: string): CosmWasmGasPrice {
  const shim = createRequire(import.meta.url).resolve("@cosmjs/cosmwasm-stargate");
  const cosmwasm = createRequire(shim).resolve("@cosmjs/cosmwasm");
  const { GasPrice } = createRequire(cosmwasm)("@cosmjs/stargate") as typeof import("@cosmjs/stargate");
  return GasPrice.fromString(price) as unknown as CosmWasmGasPrice;
}

/** A read-only contract client (codes, contracts, smart and raw queries). */
export async function connectCosmWasmQueryClient(rpc: string = DEFAULT_RPC): Promise<CosmWasmClient> {
  return reach(rpc, () => CosmWasmClient.connect(rpc));
}

/** A read-only client (balances, accounts, txs, blocks). */
export async function connectQueryClient(rpc: string = DEFAULT_RPC, options: StargateClientOptions = {}): Promise<StargateClient> {
  return reach(rpc, () => StargateClient.connect(rpc, options));
}

/** Address of `mnemonic` (default DEV_MNEMONIC) at HD index `hdIndex`, without connecting. */
export async function deriveAddress(mnemonic: string = DEV_MNEMONIC, hdIndex = 0): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: BECH32_PREFIX, hdPaths: [hdPath(hdIndex)] });
  const [account] = await wallet.getAccounts();
  return account!.address;
}
