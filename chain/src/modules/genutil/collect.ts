// collect-gentxs: validates gentx files against a genesis document and writes them into
// app_state.genutil.gen_txs (the SDK's shape). genesis.json's `validators` becomes empty: CometBFT then
// takes the set from ResponseInitChain (the staking set after the gentxs ran).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { GenesisDoc } from "../../node/genesisFile.js";
import { BOND_DENOM } from "../../constants.js";
import { type GentxJson, type VerifiedGentx, verifyGentx } from "./gentx.js";

export interface GenutilGenesis {
  gen_txs: GentxJson[];
}

export interface GentxFile {
  /** Where it came from (for messages). */
  name: string;
  json: GentxJson;
}

/** Every `*.json` of a gentx directory, in file-name order (as the SDK reads them). */
export function readGentxDir(dir: string): GentxFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch (e) {
    throw new Error(`cannot read gentx directory ${dir}: ${(e as Error).message}`);
  }
  names.sort();
  if (names.length === 0) throw new Error(`no gentx files (*.json) in ${dir}`);
  return names.map((n) => {
    const path = join(dir, n);
    try {
      return { name: path, json: JSON.parse(readFileSync(path, "utf8")) as GentxJson };
    } catch (e) {
      throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
    }
  });
}

/** The bond denom genesis uses (staking.params.bond_denom, default usoa). */
export function genesisBondDenom(doc: GenesisDoc): string {
  return doc.app_state.staking?.params?.bond_denom ?? BOND_DENOM;
}

/**
 * Checks one gentx against genesis: signature (chain id of the document), the operator's account is
 * funded in bank.balances with at least the self-delegation, in the bond denom.
 */
export function validateGentxAgainstGenesis(doc: GenesisDoc, json: GentxJson): VerifiedGentx {
  const g = verifyGentx(json, doc.chain_id);
  const denom = genesisBondDenom(doc);
  if (g.value.denom !== denom) throw new Error(`self-delegation is in ${g.value.denom}, the bond denom is ${denom}`);
  const bal = doc.app_state.bank.balances.find((b) => b.address === g.account);
  if (!bal) throw new Error(`account ${g.account} (operator ${g.operator}) has no balance in genesis: fund it with \`soad genesis add-account\``);
  const have = BigInt(bal.coins.find((c) => c.denom === denom)?.amount ?? "0");
  if (have < g.value.amount) {
    throw new Error(`account ${g.account} has ${have}${denom} in genesis, less than the self-delegation of ${g.value.amount}${denom}`);
  }
  return g;
}

export interface CollectResult {
  doc: GenesisDoc;
  validators: VerifiedGentx[];
  /** "<id>@<host:port>,…" from the gentx memos (the SDK prints this for persistent_peers). */
  persistentPeers: string;
}

/**
 * Validates every gentx (signature, balance, unique operators and consensus keys, also against
 * validators already in app_state.staking) and returns the document with app_state.genutil.gen_txs
 * set and `validators` emptied. Does not write anything.
 */
export function collectGentxs(doc: GenesisDoc, files: readonly GentxFile[]): CollectResult {
  const operators = new Set<string>((doc.app_state.staking?.validators ?? []).map((v) => v.operator_address));
  const consKeys = new Set<string>((doc.app_state.staking?.validators ?? []).map((v) => (v.consensus_pubkey as { key?: string } | undefined)?.key ?? ""));
  const validators: VerifiedGentx[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      const g = validateGentxAgainstGenesis(doc, f.json);
      if (operators.has(g.operator)) throw new Error(`validator ${g.operator} appears twice`);
      const key = Buffer.from(g.consPubkey).toString("base64");
      if (consKeys.has(key)) throw new Error(`consensus pubkey ${key} appears twice`);
      operators.add(g.operator);
      consKeys.add(key);
      validators.push(g);
    } catch (e) {
      problems.push(`${f.name}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid gentx:\n  ${problems.join("\n  ")}`);
  const out: GenesisDoc = {
    ...doc,
    validators: [],
    app_state: { ...doc.app_state, genutil: { gen_txs: files.map((f) => f.json) } },
  };
  const persistentPeers = validators
    .map((v) => v.memo)
    .filter((m) => /^[0-9a-f]{40}@.+:[0-9]+$/.test(m))
    .join(",");
  return { doc: out, validators, persistentPeers };
}
