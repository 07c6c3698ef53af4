// genesis.json: CometBFT's genesis document (types/genesis.go; int64 as JSON strings) whose
// app_state is our AppGenesis, delivered verbatim to InitChain. Helpers for the `soad genesis` commands.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { fromBech32 } from "@cosmjs/encoding";
import type { AppGenesis, GenesisCoin } from "../app/genesis.js";
import { APP_PROTOCOL_VERSION, BECH32_PREFIX } from "../constants.js";
import { parseMintGenesis } from "../modules/mint/params.js";
import { parseGovGenesis } from "../modules/gov/params.js";

export interface GenesisValidator {
  address: string;
  pub_key: { type: string; value: string };
  power: string;
  name: string;
}

export interface ConsensusParamsJson {
  block: { max_bytes: string; max_gas: string };
  evidence: { max_age_num_blocks: string; max_age_duration: string; max_bytes: string };
  validator: { pub_key_types: string[] };
  version: { app: string };
  abci: { vote_extensions_enable_height: string };
}

export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: ConsensusParamsJson;
  validators: GenesisValidator[];
  app_hash: string;
  app_state: AppGenesis;
}

/**
 * Block size cap 8 MiB: above the mempool's 5 MiB max_tx_bytes (init.ts MAX_TX_BYTES), so the largest
 * accepted tx still fits in a block. Block gas cap 100M (as common on CosmWasm chains): metered contract
 * code runs at 5–18M gas/s on a 2-core VM (bench/RESULTS.md), so a block of pure contract compute takes
 * at most ~6–20 s, while 1,000 bank sends of 100k declared gas still fit.
 */
export const DEFAULT_BLOCK_MAX_BYTES = "8388608";
export const DEFAULT_BLOCK_MAX_GAS = "100000000";

export function defaultConsensusParams(): ConsensusParamsJson {
  return {
    block: { max_bytes: DEFAULT_BLOCK_MAX_BYTES, max_gas: DEFAULT_BLOCK_MAX_GAS },
    evidence: { max_age_num_blocks: "100000", max_age_duration: "172800000000000", max_bytes: "1048576" },
    validator: { pub_key_types: ["ed25519"] },
    version: { app: APP_PROTOCOL_VERSION.toString() },
    abci: { vote_extensions_enable_height: "0" },
  };
}

export function readGenesis(path: string): GenesisDoc {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read genesis file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`genesis file ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new Error(`genesis file ${path} is not a JSON object`);
  }
  return doc as GenesisDoc;
}

/** Writes atomically (temp file + rename) so an interrupted command never leaves half a genesis. */
export function writeGenesis(path: string, doc: GenesisDoc): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc, null, 2) + "\n");
  renameSync(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// coins and addresses

export const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const COIN_RE = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

/**
 * Parses "1000000usoa,5stake" into coins sorted by denom (the SDK's canonical Coins order).
 * Amounts must be positive integers; a denom may appear once.
 */
export function parseCoins(s: string): GenesisCoin[] {
  const parts = s.split(",").map((p) => p.trim());
  if (s.trim() === "" || parts.some((p) => p === "")) {
    throw new Error(`invalid coins ${JSON.stringify(s)}: expected e.g. "1000000usoa" or "1000000usoa,5stake"`);
  }
  const seen = new Set<string>();
  const coins: GenesisCoin[] = [];
  for (const part of parts) {
    const m = COIN_RE.exec(part);
    if (!m) {
      throw new Error(
        `invalid coin ${JSON.stringify(part)}: expected <positive integer><denom>, denom matching ${DENOM_RE.source}`,
      );
    }
    const amount = BigInt(m[1] as string);
    const denom = m[2] as string;
    if (amount <= 0n) throw new Error(`invalid coin ${JSON.stringify(part)}: amount must be positive`);
    if (seen.has(denom)) throw new Error(`invalid coins ${JSON.stringify(s)}: denom ${denom} appears twice`);
    seen.add(denom);
    coins.push({ denom, amount: amount.toString() });
  }
  return sortCoins(coins);
}

export function sortCoins(coins: GenesisCoin[]): GenesisCoin[] {
  return [...coins].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/** Adds two coin lists denom by denom. */
export function addCoins(a: readonly GenesisCoin[], b: readonly GenesisCoin[]): GenesisCoin[] {
  const sums = new Map<string, bigint>();
  for (const c of [...a, ...b]) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
  return sortCoins([...sums].map(([denom, amount]) => ({ denom, amount: amount.toString() })));
}

export function formatCoins(coins: readonly GenesisCoin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}

/** Checks a `soa1…` account address (20-byte keys or 32-byte module/contract addresses). */
export function validateAddress(address: string, prefix: string = BECH32_PREFIX): void {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 256); // explicit limit: @scure/base 2 rejects the default Infinity
  } catch (err) {
    throw new Error(`invalid address ${JSON.stringify(address)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (decoded.prefix !== prefix) {
    throw new Error(`invalid address ${address}: prefix is "${decoded.prefix}", expected "${prefix}"`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw new Error(`invalid address ${address}: ${decoded.data.length}-byte payload, expected 20 or 32`);
  }
}

// ---------------------------------------------------------------------------------------------
// balances

function supplyOf(app: AppGenesis): GenesisCoin[] {
  return app.bank.balances.reduce<GenesisCoin[]>((acc, b) => addCoins(acc, b.coins), []);
}

/**
 * Funds `address` in `app_state.bank.balances` (and keeps `bank.supply` equal to the sum of all
 * balances). An address that is already funded is an error unless `append`, which adds the coins.
 */
export function addGenesisAccount(
  doc: GenesisDoc,
  address: string,
  coins: readonly GenesisCoin[],
  opts: { append?: boolean } = {},
): GenesisDoc {
  validateAddress(address);
  if (coins.length === 0) throw new Error("no coins given");
  for (const c of coins) {
    if (!DENOM_RE.test(c.denom) || !/^[0-9]+$/.test(c.amount) || BigInt(c.amount) <= 0n) {
      throw new Error(`invalid coin ${JSON.stringify(c)}`);
    }
  }
  const bank = doc.app_state?.bank;
  if (!bank || !Array.isArray(bank.balances)) {
    throw new Error("genesis app_state.bank.balances is missing: was this home created by `soad init`?");
  }
  const existing = bank.balances.find((b) => b.address === address);
  if (existing) {
    if (!opts.append) {
      throw new Error(
        `account ${address} already has a genesis balance (${formatCoins(existing.coins)}); use --append to add to it`,
      );
    }
    existing.coins = addCoins(existing.coins, coins);
  } else {
    bank.balances.push({ address, coins: sortCoins([...coins]) });
  }
  bank.supply = supplyOf(doc.app_state);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// validation

const INT_RE = /^-?[0-9]+$/;

function coinProblems(where: string, coins: unknown): string[] {
  if (!Array.isArray(coins)) return [`${where}: coins must be an array`];
  const problems: string[] = [];
  let prev = "";
  coins.forEach((c: unknown, i) => {
    const coin = c as Partial<GenesisCoin> | null;
    if (typeof coin?.denom !== "string" || !DENOM_RE.test(coin.denom)) {
      problems.push(`${where}[${i}]: invalid denom ${JSON.stringify(coin?.denom)}`);
      return;
    }
    if (typeof coin.amount !== "string" || !/^[0-9]+$/.test(coin.amount) || BigInt(coin.amount) <= 0n) {
      problems.push(`${where}[${i}]: amount must be a positive integer string, got ${JSON.stringify(coin.amount)}`);
    }
    if (coin.denom <= prev) problems.push(`${where}: coins must be sorted by denom without duplicates (${coin.denom})`);
    prev = coin.denom;
  });
  return problems;
}

/** Checks a genesis document; returns every problem found (empty = valid). */
export function validateGenesis(doc: GenesisDoc, opts: { chainId?: string } = {}): string[] {
  const problems: string[] = [];
  const chainId = doc.chain_id;
  if (typeof chainId !== "string" || chainId.trim() === "") problems.push("chain_id is empty");
  else if (chainId.length > 50) problems.push(`chain_id is ${chainId.length} characters, at most 50 allowed`);
  else if (opts.chainId !== undefined && chainId !== opts.chainId) {
    problems.push(`chain_id is "${chainId}", expected "${opts.chainId}"`);
  }
  if (typeof doc.genesis_time !== "string" || Number.isNaN(Date.parse(doc.genesis_time))) {
    problems.push(`genesis_time ${JSON.stringify(doc.genesis_time)} is not an RFC 3339 time`);
  }
  if (doc.initial_height !== undefined && (typeof doc.initial_height !== "string" || !INT_RE.test(doc.initial_height))) {
    problems.push(`initial_height must be an integer string`);
  }
  const block = doc.consensus_params?.block;
  if (!block || !INT_RE.test(String(block.max_bytes)) || !INT_RE.test(String(block.max_gas))) {
    problems.push("consensus_params.block.{max_bytes,max_gas} must be integer strings");
  }
  // With gentxs or staking validators, CometBFT takes the set from InitChain: validators may be empty.
  const stakingSet = (doc.app_state?.genutil?.gen_txs?.length ?? 0) > 0 || (doc.app_state?.staking?.validators?.length ?? 0) > 0;
  if (!Array.isArray(doc.validators) || (doc.validators.length === 0 && !stakingSet)) {
    problems.push("validators is empty: a network without staking validators or gentxs (app_state.genutil.gen_txs) needs its validators in genesis");
  } else {
    const seen = new Set<string>();
    doc.validators.forEach((v, i) => {
      if (typeof v?.pub_key?.value !== "string" || v.pub_key.type !== "tendermint/PubKeyEd25519") {
        problems.push(`validators[${i}]: pub_key must be a tendermint/PubKeyEd25519 key`);
      } else if (seen.has(v.pub_key.value)) {
        problems.push(`validators[${i}]: duplicate pub_key`);
      } else seen.add(v.pub_key.value);
      if (typeof v?.power !== "string" || !/^[0-9]+$/.test(v.power) || BigInt(v.power) <= 0n) {
        problems.push(`validators[${i}]: power must be a positive integer string`);
      }
    });
  }

  const app = doc.app_state as Partial<AppGenesis> | undefined;
  if (!app || typeof app !== "object") {
    problems.push("app_state is missing");
    return problems;
  }
  if (!app.bank || !Array.isArray(app.bank.balances)) problems.push("app_state.bank.balances is missing");
  else {
    const seen = new Set<string>();
    app.bank.balances.forEach((b, i) => {
      try {
        validateAddress(b.address);
      } catch (err) {
        problems.push(`app_state.bank.balances[${i}]: ${(err as Error).message}`);
      }
      if (seen.has(b.address)) problems.push(`app_state.bank.balances[${i}]: duplicate account ${b.address}`);
      seen.add(b.address);
      problems.push(...coinProblems(`app_state.bank.balances[${i}].coins`, b.coins));
    });
    if (Array.isArray(app.bank.supply) && app.bank.supply.length > 0 && problems.length === 0) {
      const want = formatCoins(supplyOf(app as AppGenesis));
      const got = formatCoins(sortCoins(app.bank.supply));
      if (want !== got) problems.push(`app_state.bank.supply is ${got || "empty"} but the balances add up to ${want}`);
    }
  }
  try {
    parseMintGenesis(app.mint);
  } catch (err) {
    problems.push(`app_state.${(err as Error).message}`);
  }
  try {
    parseGovGenesis(app.gov);
  } catch (err) {
    problems.push(`app_state.${(err as Error).message}`);
  }
  if (!app.auth || !Array.isArray(app.auth.accounts)) problems.push("app_state.auth.accounts is missing");
  else {
    const seen = new Set<string>();
    app.auth.accounts.forEach((a, i) => {
      try {
        validateAddress(a.address);
      } catch (err) {
        problems.push(`app_state.auth.accounts[${i}]: ${(err as Error).message}`);
      }
      if (seen.has(a.address)) problems.push(`app_state.auth.accounts[${i}]: duplicate account ${a.address}`);
      seen.add(a.address);
    });
  }
  return problems;
}
