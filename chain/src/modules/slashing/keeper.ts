// slashing + evidence: validator signing info and the missed-blocks bitmap over the signed-blocks
// window (downtime → slash + jail), CometBFT misbehavior (double sign → slash + jail + tombstone),
// unjail. The only code touching prefixes 0x60–0x63; validators change only through the staking
// keeper (slash/jail/unjail). Follows the SDK v0.50 x/slashing keeper (infractions.go, unjail.go,
// hooks.go) and x/evidence's handleEquivocationEvidence rule for rule; see README.md.
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { Params as ParamsProto, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { type Misbehavior, MisbehaviorType, type RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { Context } from "../../app/context.js";
import { BECH32_PREFIX_VALCONS } from "../../constants.js";
import { sha256 } from "../../crypto/hash.js";
import { prefixEnd, type KVReader, type KVStore } from "../../store/types.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { consAddress, fromTimestamp, type StakingHooks, type StakingKeeper, toTimestamp } from "../staking/keeper.js";
import { tokensFromShares } from "../staking/shares.js";
import * as E from "./errors.js";
import * as K from "./keys.js";
import { defaultSlashingParams, minSignedPerWindowInt, paramsFromProto, paramsToProto, type SlashingParams } from "./params.js";

const NANOS = 1_000_000_000n;
/** The SDK's ValidatorUpdateDelay: updates returned at H are signed with from H+2. */
export const VALIDATOR_UPDATE_DELAY = 1n;
/** x/evidence DoubleSignJailEndTime: 9999-12-31T23:59:59Z. */
export const DOUBLE_SIGN_JAIL_END_NANOS = 253_402_300_799n * NANOS;

/** ValidatorSigningInfo with the consensus address as bytes. */
export interface SigningInfo {
  address: Uint8Array;
  startHeight: bigint;
  indexOffset: bigint;
  jailedUntilNanos: bigint;
  tombstoned: boolean;
  missedBlocksCounter: bigint;
}

/** CometBFT's evidence age limits (consensus_params.evidence) as given at InitChain. */
export interface EvidenceMaxAge {
  numBlocks: bigint;
  durationNanos: bigint;
}

/** CometBFT's defaults (types/params.go DefaultEvidenceParams). */
export const DEFAULT_EVIDENCE_MAX_AGE: EvidenceMaxAge = { numBlocks: 100_000n, durationNanos: 48n * 3600n * NANOS };

export const formatConsAddress = (cons: Uint8Array) => formatAddress(cons, BECH32_PREFIX_VALCONS);
export const parseConsAddress = (s: string) => parseAddress(s, BECH32_PREFIX_VALCONS);

export function signingInfoToProto(i: SigningInfo): ValidatorSigningInfo {
  return {
    address: formatConsAddress(i.address),
    startHeight: i.startHeight,
    indexOffset: i.indexOffset,
    jailedUntil: toTimestamp(i.jailedUntilNanos),
    tombstoned: i.tombstoned,
    missedBlocksCounter: i.missedBlocksCounter,
  };
}

export function signingInfoFromProto(p: ValidatorSigningInfo): SigningInfo {
  return {
    address: parseConsAddress(p.address),
    startHeight: p.startHeight,
    indexOffset: p.indexOffset,
    jailedUntilNanos: fromTimestamp(p.jailedUntil),
    tombstoned: p.tombstoned,
    missedBlocksCounter: p.missedBlocksCounter,
  };
}

export const newSigningInfo = (address: Uint8Array, startHeight: bigint): SigningInfo => ({
  address,
  startHeight,
  indexOffset: 0n,
  jailedUntilNanos: 0n,
  tombstoned: false,
  missedBlocksCounter: 0n,
});

export class SlashingKeeper {
  constructor(private readonly staking: StakingKeeper) {}

  // ---- params ----

  getParams(s: KVReader): SlashingParams {
    const v = s.get(K.PARAMS_KEY);
    return v ? paramsFromProto(ParamsProto.decode(v)) : defaultSlashingParams();
  }

  setParams(s: KVStore, p: SlashingParams): void {
    s.set(K.PARAMS_KEY, ParamsProto.encode(paramsToProto(p)).finish());
  }

  getEvidenceMaxAge(s: KVReader): EvidenceMaxAge {
    const v = s.get(K.EVIDENCE_MAX_AGE_KEY);
    if (!v) return DEFAULT_EVIDENCE_MAX_AGE;
    const [blocks, ns] = Buffer.from(v).toString("latin1").split(" ");
    return { numBlocks: BigInt(blocks!), durationNanos: BigInt(ns!) };
  }

  setEvidenceMaxAge(s: KVStore, a: EvidenceMaxAge): void {
    s.set(K.EVIDENCE_MAX_AGE_KEY, Buffer.from(`${a.numBlocks} ${a.durationNanos}`, "latin1"));
  }

  // ---- signing info ----

  getSigningInfo(s: KVReader, cons: Uint8Array): SigningInfo | undefined {
    const v = s.get(K.signingInfoKey(cons));
    return v ? signingInfoFromProto(ValidatorSigningInfo.decode(v)) : undefined;
  }

  setSigningInfo(s: KVStore, info: SigningInfo): void {
    s.set(K.signingInfoKey(info.address), ValidatorSigningInfo.encode(signingInfoToProto(info)).finish());
  }

  /** Every signing info in key order (length-prefixed consensus address). */
  *iterateSigningInfos(s: KVReader): Generator<{ key: Uint8Array; value: SigningInfo }> {
    for (const [k, v] of s.iterate(K.SIGNING_INFO_PREFIX, prefixEnd(K.SIGNING_INFO_PREFIX))) {
      yield { key: k, value: signingInfoFromProto(ValidatorSigningInfo.decode(v)) };
    }
  }

  isTombstoned(s: KVReader, cons: Uint8Array): boolean {
    return this.getSigningInfo(s, cons)?.tombstoned ?? false;
  }

  // ---- missed-blocks bitmap (chunks of 1024 bits, bit i of a chunk = byte i>>3, bit i&7) ----

  getMissedBit(s: KVReader, cons: Uint8Array, index: bigint): boolean {
    const chunk = s.get(K.missedBlocksChunkKey(cons, index / K.CHUNK_BITS));
    if (!chunk) return false;
    const i = Number(index % K.CHUNK_BITS);
    return ((chunk[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
  }

  setMissedBit(s: KVStore, cons: Uint8Array, index: bigint, missed: boolean): void {
    const k = K.missedBlocksChunkKey(cons, index / K.CHUNK_BITS);
    const old = s.get(k);
    const chunk = old ? Buffer.from(old) : Buffer.alloc(Number(K.CHUNK_BITS / 8n));
    const i = Number(index % K.CHUNK_BITS);
    if (missed) chunk[i >> 3]! |= 1 << (i & 7);
    else chunk[i >> 3]! &= ~(1 << (i & 7));
    if (chunk.every((b) => b === 0)) s.delete(k);
    else s.set(k, chunk);
  }

  /** Window indexes marked missed, ascending (genesis export, tests). */
  missedIndexes(s: KVReader, cons: Uint8Array): bigint[] {
    const out: bigint[] = [];
    const p = K.missedBlocksPrefix(cons);
    for (const [k, v] of s.iterate(p, prefixEnd(p))) {
      const chunk = Buffer.from(k.subarray(k.length - 8)).readBigUInt64BE();
      for (let i = 0; i < v.length * 8; i++) if ((v[i >> 3]! & (1 << (i & 7))) !== 0) out.push(chunk * K.CHUNK_BITS + BigInt(i));
    }
    return out;
  }

  deleteMissedBlocks(s: KVStore, cons: Uint8Array): void {
    const p = K.missedBlocksPrefix(cons);
    for (const [k] of [...s.iterate(p, prefixEnd(p))]) s.delete(k);
  }

  // ---- BeginBlock ----

  /** Slashing then evidence BeginBlocker: liveness for every vote of the last commit, then misbehavior. */
  beginBlock(ctx: Context, req: RequestFinalizeBlock): void {
    const params = this.getParams(ctx.store);
    for (const vote of req.decidedLastCommit?.votes ?? []) {
      if (!vote.validator) continue;
      this.handleValidatorSignature(ctx, params, vote.validator.address, vote.validator.power, vote.blockIdFlag);
    }
    for (const m of req.misbehavior ?? []) {
      if (m.type === MisbehaviorType.DUPLICATE_VOTE || m.type === MisbehaviorType.LIGHT_CLIENT_ATTACK) this.handleEquivocation(ctx, m);
    }
  }

  /** HandleValidatorSignatureWithParams: one vote of the last commit. NIL counts as signed; only ABSENT is missed. */
  handleValidatorSignature(ctx: Context, params: SlashingParams, cons: Uint8Array, power: bigint, flag: BlockIDFlag): void {
    const validator = this.staking.getValidatorByConsAddr(ctx.store, cons);
    // Unknown to staking (a CometBFT genesis.json validator) or jailed: not tracked.
    if (!validator || validator.jailed) return;
    const info = this.getSigningInfo(ctx.store, cons) ?? newSigningInfo(cons, ctx.height);
    const window = params.signedBlocksWindow;
    const index = info.indexOffset % window;
    info.indexOffset++;
    const previous = this.getMissedBit(ctx.store, cons, index);
    const missed = flag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT;
    if (!previous && missed) {
      this.setMissedBit(ctx.store, cons, index, true);
      info.missedBlocksCounter++;
    } else if (previous && !missed) {
      this.setMissedBit(ctx.store, cons, index, false);
      info.missedBlocksCounter--;
    }
    const consStr = formatConsAddress(cons);
    if (missed) {
      ctx.events.emit("liveness", [
        ["address", consStr],
        ["missed_blocks", info.missedBlocksCounter.toString()],
        ["height", ctx.height.toString()],
      ]);
    }
    const minHeight = info.startHeight + window;
    const maxMissed = window - minSignedPerWindowInt(params);
    // (An Unbonded validator can still be in a last commit right after leaving the set with a very
    // short unbonding time; staking cannot slash it, so it is not punished.)
    if (ctx.height > minHeight && info.missedBlocksCounter > maxMissed && validator.status !== BondStatus.BOND_STATUS_UNBONDED) {
      // Downtime confirmed. The stake that signed the last commit's block: height − delay − 1.
      const distributionHeight = ctx.height - VALIDATOR_UPDATE_DELAY - 1n;
      const burned = this.staking.slash(ctx, cons, distributionHeight, power, params.slashFractionDowntime);
      ctx.events.emit("slash", [
        ["address", consStr],
        ["power", power.toString()],
        ["reason", "missing_signature"],
        ["jailed", consStr],
        ["burned_coins", burned.toString()],
      ]);
      this.staking.jail(ctx, cons);
      info.jailedUntilNanos = ctx.timeNanos + params.downtimeJailDurationNanos;
      // Reset so that the validator is not slashed again at once when it re-bonds; the start height
      // is set again by the AfterValidatorBonded hook.
      info.missedBlocksCounter = 0n;
      info.indexOffset = 0n;
      this.deleteMissedBlocks(ctx.store, cons);
    }
    this.setSigningInfo(ctx.store, info);
  }

  /** x/evidence handleEquivocationEvidence for one DUPLICATE_VOTE (or LIGHT_CLIENT_ATTACK) entry. */
  handleEquivocation(ctx: Context, m: Misbehavior): void {
    if (!m.validator) return;
    const cons = m.validator.address;
    const validator = this.staking.getValidatorByConsAddr(ctx.store, cons);
    if (!validator || validator.status === BondStatus.BOND_STATUS_UNBONDED) return; // defensive, as the SDK
    const evidenceTime = fromTimestamp(m.time);
    const age = this.getEvidenceMaxAge(ctx.store);
    if (ctx.timeNanos - evidenceTime > age.durationNanos && ctx.height - m.height > age.numBlocks) return; // too old
    const info = this.getSigningInfo(ctx.store, cons);
    if (!info) throw new Error(`expected signing info for validator ${formatConsAddress(cons)} but not found`);
    if (info.tombstoned) return; // punished once already
    // The stake distribution that signed the evidence's block: evidence height − ValidatorUpdateDelay.
    const distributionHeight = m.height - VALIDATOR_UPDATE_DELAY;
    const params = this.getParams(ctx.store);
    const consStr = formatConsAddress(cons);
    const burned = this.staking.slash(ctx, cons, distributionHeight, m.validator.power, params.slashFractionDoubleSign);
    ctx.events.emit("slash", [
      ["address", consStr],
      ["power", m.validator.power.toString()],
      ["reason", "double_sign"],
      ["burned_coins", burned.toString()],
    ]);
    if (!this.staking.getValidatorByConsAddr(ctx.store, cons)!.jailed) {
      this.staking.jail(ctx, cons);
      ctx.events.emit("slash", [["jailed", consStr]]);
    }
    info.jailedUntilNanos = DOUBLE_SIGN_JAIL_END_NANOS;
    info.tombstoned = true;
    this.setSigningInfo(ctx.store, info);
    const evidence: Equivocation = { height: m.height, time: m.time, power: m.validator.power, consensusAddress: consStr };
    const bytes = Equivocation.encode(evidence).finish();
    ctx.store.set(K.evidenceKey(sha256(bytes)), bytes);
  }

  /** Handled equivocations in hash order (evidence module state). */
  *iterateEvidence(s: KVReader): Generator<{ hash: Uint8Array; evidence: Equivocation }> {
    for (const [k, v] of s.iterate(K.EVIDENCE_PREFIX, prefixEnd(K.EVIDENCE_PREFIX))) {
      yield { hash: k.subarray(1), evidence: Equivocation.decode(v) };
    }
  }

  // ---- unjail ----

  /** Keeper.Unjail (x/slashing/keeper/unjail.go). */
  unjail(ctx: Context, operator: Uint8Array): void {
    const validator = this.staking.getValidator(ctx.store, operator);
    if (!validator) throw E.ErrNoValidatorForAddress.err();
    const selfDel = this.staking.getDelegation(ctx.store, operator, operator);
    if (!selfDel) throw E.ErrMissingSelfDelegation.err();
    const tokens = validator.delegatorShares.atomics === 0n ? 0n : tokensFromShares(validator, selfDel.shares).truncateInt();
    if (tokens < validator.minSelfDelegation) throw E.ErrSelfDelegationTooLowToUnjail.wrap(`${tokens} less than ${validator.minSelfDelegation}`);
    if (!validator.jailed) throw E.ErrValidatorNotJailed.err();
    const cons = consAddress(validator.consPubkey);
    // No signing info: never bonded, jailed for a self-delegation below the minimum; may unjail any time.
    const info = this.getSigningInfo(ctx.store, cons);
    if (info) {
      if (info.tombstoned) throw E.ErrValidatorJailed.err();
      if (ctx.timeNanos < info.jailedUntilNanos) throw E.ErrValidatorJailed.err();
    }
    this.staking.unjail(ctx, cons);
  }

  // ---- staking hooks ----

  /** AfterValidatorBonded: (re)start the signing window at this height. */
  hooks(): StakingHooks {
    return {
      afterValidatorBonded: (ctx, cons) => {
        const info = this.getSigningInfo(ctx.store, cons);
        this.setSigningInfo(ctx.store, info ? { ...info, startHeight: ctx.height } : newSigningInfo(cons, ctx.height));
      },
    };
  }
}
