// slashing / evidence state keys (prefixes 0x60–0x63, store/prefixes.ts).
import { key, lengthPrefixed as lp, Prefix } from "../../store/prefixes.js";

const be64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

export const PARAMS_KEY = key(Prefix.SlashingParams, Buffer.from([0x01]));
/** Evidence max age from the consensus params given at InitChain: "<blocks> <duration ns>" (ASCII). */
export const EVIDENCE_MAX_AGE_KEY = key(Prefix.SlashingParams, Buffer.from([0x02]));

export const SIGNING_INFO_PREFIX = key(Prefix.SlashingSigningInfo);
export const signingInfoKey = (cons: Uint8Array) => key(Prefix.SlashingSigningInfo, lp(cons));

/** Bits of the missed-blocks bitmap per stored chunk (the SDK's MissedBlockBitmapChunkSize). */
export const CHUNK_BITS = 1024n;
export const missedBlocksPrefix = (cons: Uint8Array) => key(Prefix.SlashingMissedBlocks, lp(cons));
export const missedBlocksChunkKey = (cons: Uint8Array, chunk: bigint) => key(Prefix.SlashingMissedBlocks, lp(cons), be64(chunk));

export const evidenceKey = (hash: Uint8Array) => key(Prefix.EvidenceByHash, hash);
export const EVIDENCE_PREFIX = key(Prefix.EvidenceByHash);
