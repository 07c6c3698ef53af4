// CometBFT's own key files under <home>/config, as `cometbft init` writes them (Amino JSON):
//   priv_validator_key.json {"address":"<HEX>","pub_key":{"type":"tendermint/PubKeyEd25519","value":"<b64 32>"},
//                            "priv_key":{"type":"tendermint/PrivKeyEd25519","value":"<b64 64: seed||pubkey>"}}
//   node_key.json           {"priv_key":{"type":"tendermint/PrivKeyEd25519","value":"<b64 64: seed||pubkey>"}}
// Node id = hex of the first 20 bytes of sha256(ed25519 pubkey) (p2p.PubKeyToID); the consensus
// address is the same 20 bytes (crypto.AddressHash), bech32 `soavalcons1…`.
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { BECH32_PREFIX_VALCONS } from "../constants.js";
import { sha256 } from "../crypto/hash.js";
import { formatAddress } from "../types/address.js";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** The ed25519 public key of a 32-byte seed (node:crypto). */
function ed25519PubkeyOfSeed(seed: Uint8Array): Buffer {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
  return spki.subarray(spki.length - 32);
}

function readJson(file: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${what} ${file} not found (run soad init first, or pass --home)`);
    throw e;
  }
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error(`${what} ${file} is not a JSON object`);
}

function aminoKey(v: unknown, expectedType: string, len: number, file: string, field: string): Buffer {
  const o = v as { type?: unknown; value?: unknown } | null;
  if (typeof o !== "object" || o === null) throw new Error(`${file}: missing ${field}`);
  if (o.type !== expectedType) {
    throw new Error(`${file}: ${field} has type ${JSON.stringify(o.type)}; only ${expectedType} keys are supported`);
  }
  const b = typeof o.value === "string" ? Buffer.from(o.value, "base64") : Buffer.alloc(0);
  if (b.length !== len) throw new Error(`${file}: ${field} must be ${len} bytes of base64`);
  return b;
}

/** Checks that a 64-byte ed25519 private key (seed||pubkey) is consistent and returns its pubkey. */
function pubkeyOfPrivkey(priv: Buffer, file: string): Buffer {
  const pub = ed25519PubkeyOfSeed(priv.subarray(0, 32));
  if (!pub.equals(priv.subarray(32))) throw new Error(`${file}: priv_key is inconsistent (its public half does not match its seed)`);
  return pub;
}

/** The 32-byte ed25519 consensus public key of priv_validator_key.json (checked against priv_key and address). */
export function readValidatorPubkey(file: string): Uint8Array {
  const j = readJson(file, "validator key");
  const pub = aminoKey(j["pub_key"], "tendermint/PubKeyEd25519", 32, file, "pub_key");
  const priv = aminoKey(j["priv_key"], "tendermint/PrivKeyEd25519", 64, file, "priv_key");
  if (!pubkeyOfPrivkey(priv, file).equals(pub)) throw new Error(`${file}: pub_key does not match priv_key`);
  const addr = consensusAddress(pub);
  if (typeof j["address"] === "string" && j["address"].toUpperCase() !== Buffer.from(addr).toString("hex").toUpperCase()) {
    throw new Error(`${file}: address does not match pub_key`);
  }
  return Uint8Array.from(pub);
}

/** The 32-byte ed25519 public key of node_key.json (the p2p identity). */
export function readNodeKeyPubkey(file: string): Uint8Array {
  const j = readJson(file, "node key");
  return Uint8Array.from(pubkeyOfPrivkey(aminoKey(j["priv_key"], "tendermint/PrivKeyEd25519", 64, file, "priv_key"), file));
}

/** CometBFT address of an ed25519 key: the first 20 bytes of sha256(pubkey). */
export function consensusAddress(pubkey: Uint8Array): Uint8Array {
  return Uint8Array.from(sha256(pubkey).subarray(0, 20));
}

/** p2p node id: lowercase hex of consensusAddress(node pubkey), as `cometbft show-node-id` prints it. */
export function nodeIdFromPubkey(pubkey: Uint8Array): string {
  return Buffer.from(consensusAddress(pubkey)).toString("hex");
}

/** soavalcons1… of an ed25519 consensus pubkey. */
export function valconsAddress(pubkey: Uint8Array): string {
  return formatAddress(consensusAddress(pubkey), BECH32_PREFIX_VALCONS);
}

/** The SDK's JSON form of an ed25519 public key (`show-validator`, MsgCreateValidator's pubkey). */
export function ed25519PubkeyJson(pubkey: Uint8Array): { "@type": "/cosmos.crypto.ed25519.PubKey"; key: string } {
  return { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(pubkey).toString("base64") };
}
