// app_state.staking in the Cosmos SDK's JSON shape (x/staking GenesisState as protojson: int64 as
// strings, LegacyDec as "1.000000000000000000", Any with "@type"), and its import at InitChain.
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { BondStatus, bondStatusFromJSON } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../app/context.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import { ED25519_PUBKEY_TYPE_URL, formatValAddress, parseValAddress, type StakingKeeper, type Validator } from "./keeper.js";
import { defaultStakingParams, paramsFromJson, paramsToJson, type StakingParamsJson } from "./params.js";

export interface ValidatorJson {
  operator_address: string;
  consensus_pubkey: { "@type": string; key: string };
  jailed?: boolean;
  status: string;
  tokens: string;
  delegator_shares: string;
  description?: { moniker?: string; identity?: string; website?: string; security_contact?: string; details?: string };
  unbonding_height?: string;
  unbonding_time?: string;
  commission?: { commission_rates: { rate: string; max_rate: string; max_change_rate: string }; update_time?: string };
  min_self_delegation?: string;
}

export interface StakingGenesis {
  params?: Partial<StakingParamsJson>;
  last_total_power?: string;
  last_validator_powers?: { address: string; power: string }[];
  validators?: ValidatorJson[];
  delegations?: { delegator_address: string; validator_address: string; shares: string }[];
  unbonding_delegations?: {
    delegator_address: string;
    validator_address: string;
    entries: { creation_height: string; completion_time: string; initial_balance: string; balance: string }[];
  }[];
  redelegations?: {
    delegator_address: string;
    validator_src_address: string;
    validator_dst_address: string;
    entries: { creation_height: string; completion_time: string; initial_balance: string; shares_dst: string }[];
  }[];
  exported?: boolean;
}

export function defaultStakingGenesis(): StakingGenesis {
  return { params: paramsToJson(defaultStakingParams()), last_total_power: "0", last_validator_powers: [], validators: [], delegations: [], unbonding_delegations: [], redelegations: [], exported: false };
}

/** RFC 3339 (protojson Timestamp) → ns since the epoch. */
export function parseTimeJson(s: unknown, what: string): bigint {
  const m = typeof s === "string" ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(s) : null;
  if (!m) throw new Error(`${what} must be an RFC 3339 UTC time, got ${JSON.stringify(s)}`);
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) throw new Error(`${what} is not a valid time: ${JSON.stringify(s)}`);
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0") || "0");
}

const int = (v: unknown, what: string): bigint => {
  if (typeof v !== "string" || !/^[0-9]{1,78}$/.test(v)) throw new Error(`${what} must be a non-negative integer string, got ${JSON.stringify(v)}`);
  return BigInt(v);
};

const dec = (v: unknown, what: string): Dec => {
  if (typeof v !== "string") throw new Error(`${what} must be a decimal string, got ${JSON.stringify(v)}`);
  try {
    return Dec.parse(v);
  } catch {
    throw new Error(`${what} must be a non-negative decimal, got ${JSON.stringify(v)}`);
  }
};

function validatorFromJson(j: ValidatorJson, i: number): Validator {
  const w = `staking.validators[${i}]`;
  const operator = wrapE(() => parseValAddress(j.operator_address), `${w}.operator_address`);
  if (j.consensus_pubkey?.["@type"] !== ED25519_PUBKEY_TYPE_URL) throw new Error(`${w}.consensus_pubkey must be a ${ED25519_PUBKEY_TYPE_URL}`);
  const key = Buffer.from(j.consensus_pubkey.key ?? "", "base64");
  if (key.length !== 32) throw new Error(`${w}.consensus_pubkey.key must be 32 bytes (base64), got ${key.length}`);
  const status = bondStatusFromJSON(j.status);
  if (status !== BondStatus.BOND_STATUS_BONDED && status !== BondStatus.BOND_STATUS_UNBONDING && status !== BondStatus.BOND_STATUS_UNBONDED) {
    throw new Error(`${w}.status must be BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED, got ${JSON.stringify(j.status)}`);
  }
  const cr = j.commission?.commission_rates ?? { rate: "0", max_rate: "0", max_change_rate: "0" };
  const d = j.description ?? {};
  const v: Validator = {
    operator,
    operatorAddress: j.operator_address,
    consPubkey: key,
    jailed: j.jailed === true,
    status,
    tokens: int(j.tokens, `${w}.tokens`),
    delegatorShares: dec(j.delegator_shares, `${w}.delegator_shares`),
    description: { moniker: d.moniker ?? "", identity: d.identity ?? "", website: d.website ?? "", securityContact: d.security_contact ?? "", details: d.details ?? "" },
    unbondingHeight: j.unbonding_height === undefined ? 0n : int(j.unbonding_height, `${w}.unbonding_height`),
    unbondingTimeNanos: j.unbonding_time === undefined ? 0n : parseTimeJson(j.unbonding_time, `${w}.unbonding_time`),
    commission: {
      rate: dec(cr.rate, `${w}.commission.commission_rates.rate`),
      maxRate: dec(cr.max_rate, `${w}.commission.commission_rates.max_rate`),
      maxChangeRate: dec(cr.max_change_rate, `${w}.commission.commission_rates.max_change_rate`),
      updateTimeNanos: j.commission?.update_time === undefined ? 0n : parseTimeJson(j.commission.update_time, `${w}.commission.update_time`),
    },
    minSelfDelegation: j.min_self_delegation === undefined ? 1n : int(j.min_self_delegation, `${w}.min_self_delegation`),
  };
  if (v.delegatorShares.atomics === 0n) throw new Error(`${w} (${j.operator_address}): delegator shares must not be zero`);
  if (v.jailed && v.status === BondStatus.BOND_STATUS_BONDED) throw new Error(`${w} (${j.operator_address}) is bonded and jailed in genesis state`);
  return v;
}

function wrapE<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The SDK's InitGenesis for staking. The pools' balances must already be in bank genesis (the
 * bonded_tokens_pool / not_bonded_tokens_pool module addresses) and equal the stake they back.
 * Returns the validator set for ResponseInitChain: from `last_validator_powers` when `exported`,
 * else computed (top max_validators by power). Throws an Error naming the bad field.
 */
export function initStakingGenesis(ctx: Context, staking: StakingKeeper, g: StakingGenesis | undefined, bank: { getBalance(s: Context["store"], a: Uint8Array, d: string): bigint }): ValidatorUpdate[] {
  const params = paramsFromJson(g?.params);
  staking.setParams(ctx.store, params);
  staking.ensurePools(ctx.store);
  if (!g) return [];
  let bonded = 0n;
  let notBonded = 0n;
  const sharesByValidator = new Map<string, Dec>();
  const seenCons = new Set<string>();
  for (const [i, j] of (g.validators ?? []).entries()) {
    const v = validatorFromJson(j, i);
    if (staking.getValidator(ctx.store, v.operator)) throw new Error(`duplicate validator ${j.operator_address} in genesis state`);
    const cons = Buffer.from(v.consPubkey).toString("hex");
    if (seenCons.has(cons)) throw new Error(`duplicate consensus pubkey of ${j.operator_address} in genesis state`);
    seenCons.add(cons);
    staking.setValidator(ctx.store, v);
    staking.setValidatorByConsAddr(ctx.store, v);
    staking.setValidatorByPowerIndex(ctx.store, v);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) staking.insertUnbondingValidatorQueue(ctx.store, v);
    if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += v.tokens;
    else notBonded += v.tokens;
    sharesByValidator.set(v.operatorAddress, Dec.ZERO);
  }
  for (const [i, d] of (g.delegations ?? []).entries()) {
    const w = `staking.delegations[${i}]`;
    const del = wrapE(() => parseAddress(d.delegator_address), `${w}.delegator_address`);
    const val = wrapE(() => parseValAddress(d.validator_address), `${w}.validator_address`);
    const sum = sharesByValidator.get(formatValAddress(val));
    if (!sum) throw new Error(`${w}: validator ${d.validator_address} is not in staking.validators`);
    if (staking.getDelegation(ctx.store, del, val)) throw new Error(`${w}: duplicate delegation`);
    const shares = dec(d.shares, `${w}.shares`);
    staking.setDelegation(ctx.store, { delegator: del, validator: val, shares });
    sharesByValidator.set(formatValAddress(val), sum.add(shares));
  }
  for (const [op, sum] of sharesByValidator) {
    const v = staking.getValidator(ctx.store, parseValAddress(op))!;
    if (sum.cmp(v.delegatorShares) !== 0) throw new Error(`staking: validator ${op} has delegator_shares ${v.delegatorShares} but its delegations sum to ${sum}`);
  }
  for (const [i, u] of (g.unbonding_delegations ?? []).entries()) {
    const w = `staking.unbonding_delegations[${i}]`;
    const ubd = {
      delegator: wrapE(() => parseAddress(u.delegator_address), `${w}.delegator_address`),
      validator: wrapE(() => parseValAddress(u.validator_address), `${w}.validator_address`),
      entries: u.entries.map((e, k) => ({
        creationHeight: int(e.creation_height, `${w}.entries[${k}].creation_height`),
        completionTimeNanos: parseTimeJson(e.completion_time, `${w}.entries[${k}].completion_time`),
        initialBalance: int(e.initial_balance, `${w}.entries[${k}].initial_balance`),
        balance: int(e.balance, `${w}.entries[${k}].balance`),
      })),
    };
    staking.setUnbondingDelegation(ctx.store, ubd);
    for (const e of ubd.entries) {
      staking.insertUbdQueue(ctx.store, ubd.delegator, ubd.validator, e.completionTimeNanos);
      notBonded += e.balance;
    }
  }
  for (const [i, r] of (g.redelegations ?? []).entries()) {
    const w = `staking.redelegations[${i}]`;
    const red = {
      delegator: wrapE(() => parseAddress(r.delegator_address), `${w}.delegator_address`),
      src: wrapE(() => parseValAddress(r.validator_src_address), `${w}.validator_src_address`),
      dst: wrapE(() => parseValAddress(r.validator_dst_address), `${w}.validator_dst_address`),
      entries: r.entries.map((e, k) => ({
        creationHeight: int(e.creation_height, `${w}.entries[${k}].creation_height`),
        completionTimeNanos: parseTimeJson(e.completion_time, `${w}.entries[${k}].completion_time`),
        initialBalance: int(e.initial_balance, `${w}.entries[${k}].initial_balance`),
        sharesDst: dec(e.shares_dst, `${w}.entries[${k}].shares_dst`),
      })),
    };
    staking.setRedelegation(ctx.store, red);
    for (const e of red.entries) staking.insertRedelegationQueue(ctx.store, red.delegator, red.src, red.dst, e.completionTimeNanos);
  }
  const pool = (addr: Uint8Array) => bank.getBalance(ctx.store, addr, params.bondDenom);
  if (pool(staking.bondedPoolAddress) !== bonded) {
    throw new Error(`bonded pool balance is different from bonded coins: ${pool(staking.bondedPoolAddress)}${params.bondDenom} <-> ${bonded}${params.bondDenom} (fund the bonded_tokens_pool module address in bank.balances)`);
  }
  if (pool(staking.notBondedPoolAddress) !== notBonded) {
    throw new Error(`not bonded pool balance is different from not bonded coins: ${pool(staking.notBondedPoolAddress)}${params.bondDenom} <-> ${notBonded}${params.bondDenom}`);
  }
  if (g.exported) return staking.setExportedValidatorPowers(ctx, (g.last_validator_powers ?? []).map((p, i) => ({ operator: wrapE(() => parseValAddress(p.address), `staking.last_validator_powers[${i}].address`), power: int(p.power, `staking.last_validator_powers[${i}].power`) })), int(g.last_total_power ?? "0", "staking.last_total_power"));
  return staking.applyAndReturnValidatorSetUpdates(ctx);
}

/**
 * SDK baseapp's check in InitChain: if CometBFT's genesis.json lists validators AND staking yields a
 * set, both must be the same (pubkey and power); if staking yields none, CometBFT's are used.
 */
export function checkGenesisValidators(fromStaking: ValidatorUpdate[], fromCometBFT: ValidatorUpdate[]): void {
  if (fromStaking.length === 0 || fromCometBFT.length === 0) return;
  const norm = (u: ValidatorUpdate[]) => u.map((x) => `${Buffer.from(x.pubKey.ed25519 ?? x.pubKey.secp256k1 ?? new Uint8Array()).toString("base64")}:${x.power}`).sort();
  const a = norm(fromStaking);
  const b = norm(fromCometBFT);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    throw new Error(
      `genesis.json validators (${b.join(", ")}) do not match the staking validator set (${a.join(", ")}); leave genesis.json "validators" empty when app_state.staking has validators`,
    );
  }
}
