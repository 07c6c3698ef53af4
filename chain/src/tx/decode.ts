// Decoding and stateless validation of a cosmos.tx.v1beta1 TxRaw (COSMJS-COMPAT.md §3.1).
// Sign bytes are always built from the exact body/auth_info bytes received, never re-encoded.
import "../encoding/protobufFix.js";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { sha256 } from "../crypto/hash.js";
import {
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrNoSignatures,
  ErrNotSupported,
  ErrTooManySignatures,
  ErrTxDecode,
  ErrUnauthorized,
  ErrUnknownExtensionOptions,
  ErrInvalidGasLimit,
} from "../errors/sdk.js";
import type { MsgHandler, MsgRegistry } from "../app/msgRegistry.js";
import { type Coin, coinsFromProto } from "../types/coins.js";

export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";
/** Gas limits above this cannot be represented exactly by CosmJS (Uint53). */
export const MAX_GAS_LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

export interface DecodedMsg {
  typeUrl: string;
  value: unknown;
  handler: MsgHandler<unknown>;
}

export interface DecodedTx {
  bytes: Uint8Array;
  hash: Buffer;
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  msgs: DecodedMsg[];
  signer: string;
  /** Compressed secp256k1 key from SignerInfo (absent only in simulation of a key-less account). */
  pubkey: Uint8Array | undefined;
  signMode: SignMode;
  signature: Uint8Array;
  sequence: bigint;
  fee: Coin[];
  gasLimit: bigint;
}

/**
 * Rejects bytes that are not the canonical encoding of what they decode to: unknown fields,
 * wrong wire types, duplicated or out-of-order fields, non-minimal varints. Amino-JSON signatures
 * cover the decoded values, not the bytes, so without this a third party could re-encode a signed
 * tx into another tx hash (malleability); it also stands in for the SDK's unknown-field rejection.
 */
function requireCanonical(what: string, original: Uint8Array, reencoded: Uint8Array): void {
  if (Buffer.compare(Buffer.from(original.buffer, original.byteOffset, original.byteLength), Buffer.from(reencoded)) !== 0) {
    throw ErrTxDecode.wrap(`${what} is not canonically encoded (unknown fields, wrong wire types or non-minimal encoding)`);
  }
}

function decodeOrThrow<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw ErrTxDecode.wrap(`failed to decode ${what}: ${(e as Error).message}`);
  }
}

/** Decodes and checks everything that needs no state. `simulate` allows an empty signature and mode. */
export function decodeTx(bytes: Uint8Array, registry: MsgRegistry, simulate = false, hash: Buffer = sha256(bytes)): DecodedTx {
  const raw = decodeOrThrow("TxRaw", () => TxRaw.decode(bytes));
  const body = decodeOrThrow("TxBody", () => TxBody.decode(raw.bodyBytes));
  const authInfo = decodeOrThrow("AuthInfo", () => AuthInfo.decode(raw.authInfoBytes));
  requireCanonical("TxRaw", bytes, TxRaw.encode(raw).finish());
  requireCanonical("TxBody", raw.bodyBytes, TxBody.encode(body).finish());
  requireCanonical("AuthInfo", raw.authInfoBytes, AuthInfo.encode(authInfo).finish());

  if (body.extensionOptions.length > 0) throw ErrUnknownExtensionOptions.wrap("unknown extension options");
  if (body.nonCriticalExtensionOptions.length > 0) throw ErrUnknownExtensionOptions.wrap("non-critical extension options are not supported");
  if (body.unordered) throw ErrNotSupported.wrap("unordered transactions are not supported");
  if (body.timeoutTimestamp && (body.timeoutTimestamp.seconds !== 0n || body.timeoutTimestamp.nanos !== 0)) {
    throw ErrNotSupported.wrap("timeout_timestamp is not supported; use timeout_height");
  }
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap("must contain at least one message");

  const msgs: DecodedMsg[] = body.messages.map((any, i) => {
    const handler = registry.get(any.typeUrl);
    if (!handler) throw ErrTxDecode.wrap(`unable to resolve type URL ${any.typeUrl}`);
    const value = decodeOrThrow(`message ${i} (${any.typeUrl})`, () => handler.decode(any.value));
    requireCanonical(`message ${i} (${any.typeUrl})`, any.value, handler.encode(value));
    handler.validateBasic(value);
    return { typeUrl: any.typeUrl, value, handler };
  });

  const signers: string[] = [];
  for (const m of msgs) for (const s of m.handler.signers(m.value)) if (!signers.includes(s)) signers.push(s);
  if (signers.length !== 1) throw ErrUnauthorized.wrap(`all messages must have the same single signer, got ${signers.length}`);

  if (authInfo.signerInfos.length === 0 || raw.signatures.length === 0) throw ErrNoSignatures.wrap("no signatures supplied");
  if (authInfo.signerInfos.length > 1 || raw.signatures.length > 1) {
    throw ErrTooManySignatures.wrap(`wrong number of signers; expected 1, got ${authInfo.signerInfos.length} signer infos and ${raw.signatures.length} signatures`);
  }
  const si = authInfo.signerInfos[0]!;
  const single = si.modeInfo?.single;
  if (!single) throw ErrNotSupported.wrap("only single-signer mode info is supported");
  const mode = single.mode;
  if (!simulate && mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
    throw ErrNotSupported.wrap(`sign mode ${mode} is not supported; use SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`);
  }

  let pubkey: Uint8Array | undefined;
  if (si.publicKey && (si.publicKey.typeUrl !== "" || si.publicKey.value.length > 0)) {
    if (si.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
      throw ErrInvalidPubKey.wrap(`unsupported public key type ${si.publicKey.typeUrl}`);
    }
    const pk = decodeOrThrow("public key", () => Secp256k1PubKey.decode(si.publicKey!.value));
    requireCanonical("public key", si.publicKey.value, Secp256k1PubKey.encode(pk).finish());
    pubkey = pk.key;
    if (pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) {
      throw ErrInvalidPubKey.wrap(`secp256k1 public key must be 33 compressed bytes, got ${pubkey.length}`);
    }
  }

  const feeMsg = authInfo.fee;
  if (!feeMsg) throw ErrInvalidRequest.wrap("missing fee");
  if (feeMsg.payer !== "" && feeMsg.payer !== signers[0]) throw ErrNotSupported.wrap("a fee payer other than the signer is not supported");
  if (feeMsg.granter !== "") throw ErrNotSupported.wrap("fee grants are not supported");
  const fee = coinsFromProto(feeMsg.amount);
  const gasLimit = feeMsg.gasLimit;
  if (!simulate && gasLimit === 0n) throw ErrInvalidGasLimit.wrap("gas limit must be positive");
  if (gasLimit > MAX_GAS_LIMIT) throw ErrInvalidGasLimit.wrap(`gas limit ${gasLimit} exceeds ${MAX_GAS_LIMIT}`);
  if (authInfo.tip) throw ErrNotSupported.wrap("tips are not supported");

  const signature = raw.signatures[0]!;
  if (!simulate && signature.length !== 64) throw ErrUnauthorized.wrap(`signature must be 64 bytes, got ${signature.length}`);

  return {
    bytes,
    hash,
    raw,
    body,
    authInfo,
    msgs,
    signer: signers[0]!,
    pubkey,
    signMode: mode,
    signature,
    sequence: si.sequence,
    fee,
    gasLimit,
  };
}

/**
 * Decoded txs by hash, shared by CheckTx, RECHECK and FinalizeBlock so that a tx is decoded and
 * validated once, not at every step. Decoding is a pure function of the bytes, so a hit returns
 * exactly what a fresh decode would. Entries are shared: treat a DecodedTx as read-only.
 * Bounded (FIFO eviction); failed decodes are not kept.
 */
export class DecodedTxCache {
  private readonly entries = new Map<string, DecodedTx>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly registry: MsgRegistry,
    private readonly capacity = 20_000,
  ) {}

  decode(bytes: Uint8Array): DecodedTx {
    const hash = sha256(bytes);
    const key = hash.toString("latin1");
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    // Own copy: ABCI request bytes are views into socket read buffers, which must not be retained.
    const tx = decodeTx(Uint8Array.from(bytes), this.registry, false, hash);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, tx);
    return tx;
  }
}
