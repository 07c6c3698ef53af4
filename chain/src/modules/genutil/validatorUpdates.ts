import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";

/**
 * Combines two successive validator-set diffs of InitChain into one set: the later update of a key
 * wins, keys that end at power 0 are dropped (CometBFT never had them). Order: first appearance.
 */
export function mergeValidatorUpdates(first: readonly ValidatorUpdate[], second: readonly ValidatorUpdate[]): ValidatorUpdate[] {
  const byKey = new Map<string, ValidatorUpdate>();
  const keyOf = (u: ValidatorUpdate) => {
    const k = u.pubKey.ed25519 ?? u.pubKey.secp256k1;
    return `${u.pubKey.ed25519 ? "ed" : "secp"}:${Buffer.from(k ?? new Uint8Array()).toString("hex")}`;
  };
  for (const u of [...first, ...second]) byKey.set(keyOf(u), u);
  return [...byKey.values()].filter((u) => u.power > 0n);
}
