// Genesis transactions (the SDK's x/genutil): a MsgCreateValidator signed by the operator's key as a
// full tx (SIGN_MODE_DIRECT, account number 0, sequence 0, the chain id), kept in the SDK's JSON tx
// format (`<home>/config/gentx/gentx-<node-id>.json`, `app_state.genutil.gen_txs`). README.md here.
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { secp256k1Address, verifySecp256k1 } from "../../crypto/secp256k1.js";
import { formatAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { parseValAddress } from "../staking/keeper.js";

export const CREATE_VALIDATOR_TYPE_URL = "/cosmos.staking.v1beta1.MsgCreateValidator";
const ED25519_TYPE_URL = "/cosmos.crypto.ed25519.PubKey";
const SECP256K1_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";
/** The SDK's default gas of `gentx` (nothing is charged at genesis: the fee is empty). */
export const GENTX_GAS_LIMIT = 200_000n;

export interface CreateValidatorJson {
  "@type": typeof CREATE_VALIDATOR_TYPE_URL;
  description: { moniker: string; identity: string; website: string; security_contact: string; details: string };
  commission: { rate: string; max_rate: string; max_change_rate: string };
  min_self_delegation: string;
  delegator_address: string;
  validator_address: string;
  pubkey: { "@type": typeof ED25519_TYPE_URL; key: string };
  value: { denom: string; amount: string };
}

/** A cosmos.tx.v1beta1.Tx in the SDK's JSON encoding (what `simd genesis gentx` writes). */
export interface GentxJson {
  body: {
    messages: CreateValidatorJson[];
    memo: string;
    timeout_height: string;
    extension_options: unknown[];
    non_critical_extension_options: unknown[];
  };
  auth_info: {
    signer_infos: {
      public_key: { "@type": string; key: string };
      mode_info: { single: { mode: string } };
      sequence: string;
    }[];
    fee: { amount: { denom: string; amount: string }[]; gas_limit: string; payer: string; granter: string };
    tip: null;
  };
  signatures: string[];
}

export interface ValidatorDescription {
  moniker: string;
  identity?: string;
  website?: string;
  securityContact?: string;
  details?: string;
}

export interface CreateValidatorParams {
  description: ValidatorDescription;
  /** Decimals as "0.1" (at most 18 fractional digits). */
  commissionRate: string;
  commissionMaxRate: string;
  commissionMaxChangeRate: string;
  /** Integer string (usoa). */
  minSelfDelegation: string;
  value: { denom: string; amount: string };
}

export const DEFAULT_COMMISSION = { rate: "0.1", maxRate: "0.2", maxChangeRate: "0.01" } as const;

export interface GentxSigner {
  address: string;
  valoperAddress: string;
  pubkey: Uint8Array;
  sign(signBytes: Uint8Array): Uint8Array;
}

function decJson(s: string, what: string): string {
  try {
    return Dec.parse(s).toString();
  } catch {
    throw new Error(`invalid ${what} ${JSON.stringify(s)}: expected a decimal like 0.1`);
  }
}

/** The MsgCreateValidator of a gentx, SDK JSON (decimals with 18 digits, empty delegator_address as in v0.50). */
export function createValidatorJson(operator: string, consPubkey: Uint8Array, p: CreateValidatorParams): CreateValidatorJson {
  if (consPubkey.length !== 32) throw new Error(`consensus pubkey must be a 32-byte ed25519 key, got ${consPubkey.length} bytes`);
  if (!/^[0-9]{1,78}$/.test(p.minSelfDelegation)) throw new Error(`invalid min self delegation ${JSON.stringify(p.minSelfDelegation)}`);
  if (!/^[0-9]{1,78}$/.test(p.value.amount) || BigInt(p.value.amount) === 0n) throw new Error(`invalid self-delegation amount ${JSON.stringify(p.value.amount)}`);
  const d = p.description;
  return {
    "@type": CREATE_VALIDATOR_TYPE_URL,
    description: { moniker: d.moniker, identity: d.identity ?? "", website: d.website ?? "", security_contact: d.securityContact ?? "", details: d.details ?? "" },
    commission: {
      rate: decJson(p.commissionRate, "commission rate"),
      max_rate: decJson(p.commissionMaxRate, "commission max rate"),
      max_change_rate: decJson(p.commissionMaxChangeRate, "commission max change rate"),
    },
    min_self_delegation: p.minSelfDelegation,
    delegator_address: "",
    validator_address: operator,
    pubkey: { "@type": ED25519_TYPE_URL, key: toBase64(consPubkey) },
    value: { denom: p.value.denom, amount: p.value.amount },
  };
}

/** JSON → protobuf MsgCreateValidator (LegacyDec as atomics strings on the wire). */
export function createValidatorFromJson(m: CreateValidatorJson): MsgCreateValidator {
  if (m?.["@type"] !== CREATE_VALIDATOR_TYPE_URL) throw new Error(`expected one ${CREATE_VALIDATOR_TYPE_URL}, got ${JSON.stringify(m?.["@type"])}`);
  if (m.pubkey?.["@type"] !== ED25519_TYPE_URL) throw new Error(`validator pubkey must be ${ED25519_TYPE_URL}`);
  const atomics = (s: string, what: string) => {
    try {
      return Dec.parse(s).toAtomicsString();
    } catch {
      throw new Error(`invalid ${what} ${JSON.stringify(s)}`);
    }
  };
  return MsgCreateValidator.fromPartial({
    description: {
      moniker: m.description?.moniker ?? "",
      identity: m.description?.identity ?? "",
      website: m.description?.website ?? "",
      securityContact: m.description?.security_contact ?? "",
      details: m.description?.details ?? "",
    },
    commission: {
      rate: atomics(m.commission?.rate, "commission.rate"),
      maxRate: atomics(m.commission?.max_rate, "commission.max_rate"),
      maxChangeRate: atomics(m.commission?.max_change_rate, "commission.max_change_rate"),
    },
    minSelfDelegation: m.min_self_delegation,
    delegatorAddress: m.delegator_address ?? "",
    validatorAddress: m.validator_address,
    pubkey: Any.fromPartial({ typeUrl: ED25519_TYPE_URL, value: Ed25519PubKey.encode({ key: fromBase64(m.pubkey.key) }).finish() }),
    value: { denom: m.value?.denom, amount: m.value?.amount },
  });
}

function bodyBytes(json: GentxJson): Uint8Array {
  const b = json.body;
  if (!b || !Array.isArray(b.messages) || b.messages.length !== 1) throw new Error("a gentx must hold exactly one message, a MsgCreateValidator");
  if ((b.extension_options ?? []).length > 0 || (b.non_critical_extension_options ?? []).length > 0) throw new Error("a gentx may not carry extension options");
  const msg = createValidatorFromJson(b.messages[0]!);
  return TxBody.encode(
    TxBody.fromPartial({
      messages: [Any.fromPartial({ typeUrl: CREATE_VALIDATOR_TYPE_URL, value: MsgCreateValidator.encode(msg).finish() })],
      memo: b.memo ?? "",
      timeoutHeight: BigInt(b.timeout_height ?? "0"),
    }),
  ).finish();
}

function authInfoBytes(json: GentxJson): Uint8Array {
  const a = json.auth_info;
  if (!a || !Array.isArray(a.signer_infos) || a.signer_infos.length !== 1) throw new Error("a gentx must have exactly one signer");
  const si = a.signer_infos[0]!;
  if (si.public_key?.["@type"] !== SECP256K1_TYPE_URL) throw new Error(`the gentx signer key must be ${SECP256K1_TYPE_URL}`);
  if (si.mode_info?.single?.mode !== "SIGN_MODE_DIRECT") throw new Error("a gentx must be signed with SIGN_MODE_DIRECT");
  return AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: Any.fromPartial({ typeUrl: SECP256K1_TYPE_URL, value: Secp256k1PubKey.encode({ key: fromBase64(si.public_key.key) }).finish() }),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: BigInt(si.sequence ?? "0"),
        },
      ],
      fee: {
        amount: (a.fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount })),
        gasLimit: BigInt(a.fee?.gas_limit ?? "0"),
        payer: a.fee?.payer ?? "",
        granter: a.fee?.granter ?? "",
      },
    }),
  ).finish();
}

/** The SIGN_MODE_DIRECT bytes of a gentx: account number 0 (genesis), the chain id. */
export function gentxSignBytes(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string): Uint8Array {
  return SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber: 0n }).finish();
}

/** A gentx as TxRaw bytes (what InitChain runs through the tx path). */
export function gentxToTxBytes(json: GentxJson): Uint8Array {
  if (!Array.isArray(json?.signatures) || json.signatures.length !== 1) throw new Error("a gentx must carry exactly one signature");
  return TxRaw.encode({ bodyBytes: bodyBytes(json), authInfoBytes: authInfoBytes(json), signatures: [fromBase64(json.signatures[0]!)] }).finish();
}

/** Builds and signs a gentx. */
export function buildGentx(opts: {
  signer: GentxSigner;
  consPubkey: Uint8Array;
  chainId: string;
  /** SDK: "<node-id>@<ip>:<p2p port>" (collect-gentxs derives persistent peers from it). */
  memo: string;
  params: CreateValidatorParams;
}): GentxJson {
  const msg = createValidatorJson(opts.signer.valoperAddress, opts.consPubkey, opts.params);
  const json: GentxJson = {
    body: { messages: [msg], memo: opts.memo, timeout_height: "0", extension_options: [], non_critical_extension_options: [] },
    auth_info: {
      signer_infos: [{ public_key: { "@type": SECP256K1_TYPE_URL, key: toBase64(opts.signer.pubkey) }, mode_info: { single: { mode: "SIGN_MODE_DIRECT" } }, sequence: "0" }],
      fee: { amount: [], gas_limit: GENTX_GAS_LIMIT.toString(), payer: "", granter: "" },
      tip: null,
    },
    signatures: [],
  };
  const sig = opts.signer.sign(gentxSignBytes(bodyBytes(json), authInfoBytes(json), opts.chainId));
  json.signatures = [toBase64(sig)];
  return json;
}

export interface VerifiedGentx {
  /** soavaloper1… */
  operator: string;
  /** soa1… of the same bytes: the account that signs and pays the self-delegation. */
  account: string;
  consPubkey: Uint8Array;
  value: { denom: string; amount: bigint };
  moniker: string;
  memo: string;
}

/**
 * Stateless checks of a gentx: shape, one MsgCreateValidator, signer key = operator, sequence 0,
 * signature over (account number 0, chainId). Throws with the reason.
 */
export function verifyGentx(json: GentxJson, chainId: string): VerifiedGentx {
  const body = bodyBytes(json);
  const auth = authInfoBytes(json);
  if (!Array.isArray(json.signatures) || json.signatures.length !== 1) throw new Error("a gentx must carry exactly one signature");
  const m = json.body.messages[0]!;
  const operatorBytes = (() => {
    try {
      return parseValAddress(m.validator_address);
    } catch (e) {
      throw new Error(`invalid validator_address ${JSON.stringify(m.validator_address)}: ${(e as Error).message}`);
    }
  })();
  const si = json.auth_info.signer_infos[0]!;
  if (si.sequence !== "0") throw new Error(`gentx sequence must be 0, got ${si.sequence}`);
  const pubkey = fromBase64(si.public_key.key);
  if (!Buffer.from(secp256k1Address(pubkey)).equals(Buffer.from(operatorBytes))) {
    throw new Error(`the gentx is signed by ${formatAddress(secp256k1Address(pubkey))}, not by the operator ${m.validator_address}`);
  }
  if (!verifySecp256k1(gentxSignBytes(body, auth, chainId), fromBase64(json.signatures[0]!), pubkey)) {
    throw new Error(`signature verification failed (account number 0, chain id ${chainId})`);
  }
  const consPubkey = fromBase64(m.pubkey.key);
  if (consPubkey.length !== 32) throw new Error(`consensus pubkey must be 32 bytes, got ${consPubkey.length}`);
  if (!/^[0-9]{1,78}$/.test(m.value?.amount ?? "")) throw new Error(`invalid value.amount ${JSON.stringify(m.value?.amount)}`);
  return {
    operator: m.validator_address,
    account: formatAddress(operatorBytes),
    consPubkey,
    value: { denom: m.value.denom, amount: BigInt(m.value.amount) },
    moniker: m.description?.moniker ?? "",
    memo: json.body.memo ?? "",
  };
}
