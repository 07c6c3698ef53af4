// `soad init`: a node home = what `cometbft init` creates (keys, config.toml, genesis.json) patched for
// soad (ABCI.md §5.1, COSMJS-COMPAT.md §0), plus our app.toml and app_state.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { defaultAppGenesis } from "../app/genesis.js";
import { DEFAULT_CHAIN_ID } from "../constants.js";
import type { LogLevel } from "../logger/logger.js";
import { runCometbft } from "./cometbft.js";
import {
  type AppConfig,
  DEFAULT_APP_CONFIG,
  type TomlPatch,
  assertSocketPathFits,
  homePaths,
  patchTomlFile,
  validateMinGasPrices,
  writeAppToml,
} from "./config.js";
import { type GenesisDoc, defaultConsensusParams, readGenesis, writeGenesis } from "./genesisFile.js";

/** Largest tx the mempool accepts: room for gzipped wasm uploads (CosmWasm's own cap is 800 KiB). */
export const MAX_TX_BYTES = 5 * 1024 * 1024;
/** JSON-RPC body cap: a MAX_TX_BYTES tx travels base64-encoded (x4/3) inside a JSON request. */
export const RPC_MAX_BODY_BYTES = 10_000_000;

const CHAIN_ID_RE = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,49}$/;

export function validateChainId(chainId: string): string {
  if (!CHAIN_ID_RE.test(chainId)) {
    throw new Error(`invalid chain id ${JSON.stringify(chainId)}: 1-50 characters of [a-zA-Z0-9._-], e.g. "soa-localnet-1"`);
  }
  return chainId;
}

const MONIKER_RE = /^[^"\\\n\r\t]{1,70}$/;

export function validateMoniker(moniker: string): string {
  if (!MONIKER_RE.test(moniker)) throw new Error(`invalid moniker ${JSON.stringify(moniker)}: 1-70 printable characters, no quotes`);
  return moniker;
}

/** The config.toml keys every soad node sets, whatever the network. */
export function baseConfigPatch(home: string, moniker: string): TomlPatch {
  const { socket } = homePaths(home);
  assertSocketPathFits(socket);
  return {
    "": { proxy_app: `unix://${socket}`, abci: "socket", moniker },
    rpc: { max_body_bytes: RPC_MAX_BODY_BYTES },
    mempool: { max_tx_bytes: MAX_TX_BYTES },
    tx_index: { indexer: "kv" },
  };
}

export interface InitOptions {
  home: string;
  moniker: string;
  chainId?: string;
  /** Replace an existing config.toml/genesis.json/app.toml (keys are kept, like the SDK's init). */
  overwrite?: boolean;
  cometbftBin: string;
  minGasPrices?: string;
  logLevel?: LogLevel;
  /** Extra config.toml settings applied after the base patch (testnet ports, timeouts). */
  configPatch?: TomlPatch;
}

export interface InitResult {
  home: string;
  chainId: string;
  moniker: string;
  genesis: GenesisDoc;
}

/**
 * Creates (or with `overwrite`, re-creates) a node home. CometBFT generates the node key, the
 * validator key and a genesis; we keep its validator and genesis_time and put in our chain id,
 * consensus params and app_state.
 */
export async function initHome(opts: InitOptions): Promise<InitResult> {
  const home = resolve(opts.home);
  const moniker = validateMoniker(opts.moniker);
  const chainId = validateChainId(opts.chainId ?? DEFAULT_CHAIN_ID);
  const appConfig: AppConfig = {
    minimumGasPrices: validateMinGasPrices(opts.minGasPrices ?? DEFAULT_APP_CONFIG.minimumGasPrices),
    logLevel: opts.logLevel ?? DEFAULT_APP_CONFIG.logLevel,
  };
  const paths = homePaths(home);
  assertSocketPathFits(paths.socket);
  const existing = [paths.configToml, paths.genesis, paths.appToml].filter((p) => existsSync(p));
  if (existing.length > 0) {
    if (!opts.overwrite) {
      throw new Error(`${home} is already initialized (${existing.join(", ")} exist); pass --overwrite to replace them`);
    }
    for (const p of existing) rmSync(p);
  }
  mkdirSync(home, { recursive: true });
  await runCometbft(opts.cometbftBin, ["init", "--home", home]);

  patchTomlFile(paths.configToml, mergePatch(baseConfigPatch(home, moniker), opts.configPatch));
  writeAppToml(paths.appToml, appConfig);

  const generated = readGenesis(paths.genesis);
  const validators = (generated.validators ?? []).map((v) => ({ ...v, name: moniker }));
  if (validators.length !== 1) throw new Error(`cometbft init wrote ${validators.length} validators, expected 1`);
  const genesis: GenesisDoc = {
    genesis_time: generated.genesis_time,
    chain_id: chainId,
    initial_height: "1",
    consensus_params: defaultConsensusParams(),
    validators,
    app_hash: "",
    app_state: defaultAppGenesis(),
  };
  writeGenesis(paths.genesis, genesis);
  return { home, chainId, moniker, genesis };
}

/** Merges two patches section by section (b wins). */
export function mergePatch(a: TomlPatch, b: TomlPatch = {}): TomlPatch {
  const out: TomlPatch = {};
  for (const src of [a, b]) {
    for (const [section, entries] of Object.entries(src)) out[section] = { ...out[section], ...entries };
  }
  return out;
}
