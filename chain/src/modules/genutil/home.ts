// The file side of the ceremony, shared by `soad genesis gentx|collect-gentxs` and `soad testnet`:
// gentx from a node home (keyring key + priv_validator_key.json) into <home>/config/gentx/, and
// collect-gentxs into a home's genesis.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readNodeKeyPubkey, nodeIdFromPubkey, readValidatorPubkey } from "../../keyring/consensusKeys.js";
import type { Keyring } from "../../keyring/keyring.js";
import { homePaths } from "../../node/config.js";
import { type GenesisDoc, readGenesis, validateGenesis, writeGenesis } from "../../node/genesisFile.js";
import { type CollectResult, collectGentxs, readGentxDir, validateGentxAgainstGenesis } from "./collect.js";
import { type CreateValidatorParams, type GentxJson, buildGentx } from "./gentx.js";

export function gentxDir(home: string): string {
  return join(homePaths(home).configDir, "gentx");
}

export interface HomeGentxOptions {
  home: string;
  keyring: Keyring;
  keyName: string;
  /** Defaults to the chain id of <home>/config/genesis.json; must equal it. */
  chainId?: string;
  params: CreateValidatorParams;
  /** "<node-id>@<ip>:<port>" (default: <node-id>@127.0.0.1:26656 from node_key.json, like the SDK's gentx with --ip). */
  memo?: string;
  /** Where to write (default <home>/config/gentx/gentx-<node-id>.json). */
  outputFile?: string;
  /** Check the key's account and balance against the home's genesis.json (default true). */
  checkGenesis?: boolean;
}

/** Builds, signs, checks and writes a gentx for the node in `home`. */
export async function gentxForHome(o: HomeGentxOptions): Promise<{ file: string; gentx: GentxJson; nodeId: string }> {
  const paths = homePaths(o.home);
  const genesis = readGenesis(paths.genesis);
  const chainId = o.chainId ?? genesis.chain_id;
  if (chainId !== genesis.chain_id) throw new Error(`--chain-id ${chainId} does not match ${paths.genesis} (${genesis.chain_id})`);
  const nodeId = nodeIdFromPubkey(readNodeKeyPubkey(paths.nodeKey));
  const consPubkey = readValidatorPubkey(paths.privValidatorKey);
  const signer = await o.keyring.signer(o.keyName);
  const gentx = buildGentx({ signer, consPubkey, chainId, memo: o.memo ?? `${nodeId}@127.0.0.1:26656`, params: o.params });
  if (o.checkGenesis !== false) validateGentxAgainstGenesis(genesis, gentx);
  const file = o.outputFile ?? join(gentxDir(o.home), `gentx-${nodeId}.json`);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(gentx) + "\n");
  return { file, gentx, nodeId };
}

/** collect-gentxs on a home: reads the gentx dir, validates, writes genesis.json. */
export function collectGentxsInHome(home: string, dir = gentxDir(home)): CollectResult {
  const path = homePaths(home).genesis;
  const result = collectGentxs(readGenesis(path), readGentxDir(dir));
  const problems = validateGenesis(result.doc);
  if (problems.length > 0) throw new Error(`genesis after collect-gentxs is invalid:\n  ${problems.join("\n  ")}`);
  writeGenesis(path, result.doc);
  return result;
}

export type { GenesisDoc };
